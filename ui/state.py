"""Per-user state of the app in `st.session_state`: projects folder, open project, analyst.

Keys: `projects_dir` (str), `project_path` (str), `analyst` (str), plus page-local keys
that pages prefix with their own name.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import streamlit as st

import config
from ui import auth

PROJECT_SUFFIX = ".sqlite"


def projects_dir() -> Path:
    """The folder holding the analyst's project files (config.PROJECTS_DIR unless changed)."""
    value = None if auth.team_mode() else st.session_state.get("projects_dir")  # the server's folder only
    return Path(value) if value else Path(config.PROJECTS_DIR)


def set_projects_dir(path: str | Path) -> None:
    st.session_state["projects_dir"] = str(Path(path).expanduser())
    st.session_state.pop("project_path", None)


def project_path() -> Optional[Path]:
    value = st.session_state.get("project_path")
    return Path(value) if value else None


LAST_OPENED = ".senast_oppnat"


def set_project(path: str | Path) -> None:
    """Open `path` in this session and remember it as the folder's last opened project."""
    st.session_state["project_path"] = str(path)
    try:
        (Path(path).parent / LAST_OPENED).write_text(Path(path).name, encoding="utf-8")
    except OSError:
        pass


LAST_ANALYST = ".senaste_analytiker"


def remembered_analyst() -> str:
    """The analyst name last given in this projects folder (by any tab: the first default of a new tab), or ""."""
    try:
        return " ".join((projects_dir() / LAST_ANALYST).read_text(encoding="utf-8").split())[:100]
    except OSError:
        return ""


ANALYST_PARAM = "analytiker"


def _clean_name(name: object) -> str:
    return " ".join(str(name or "").split())[:100]


def session_analyst() -> str:
    """The name a new session (a reload, a new tab) starts with: the one in this tab's address (each tab keeps its
    own analyst across reloads, two analysts on one machine do not rename each other), else the name given last in
    this projects folder (the first default of a new tab), else ""."""
    try:
        value = st.query_params.get(ANALYST_PARAM)
    except Exception:  # no address to read (a bare script run)
        value = None
    return _clean_name(value) or remembered_analyst()


def keep_analyst_in_address(name: str) -> None:
    """Put this session's name in the tab's address (`?analytiker=…`), so a reload of this tab brings it back; a
    cleared name leaves the address."""
    name = _clean_name(name)
    try:
        if name:
            if st.query_params.get(ANALYST_PARAM) != name:
                st.query_params[ANALYST_PARAM] = name
        elif ANALYST_PARAM in st.query_params:
            del st.query_params[ANALYST_PARAM]
    except Exception:  # no address to write (a bare script run)
        pass


def remember_analyst(name: str) -> None:
    """Keep `name` as the first default of the next new tab (or restarted app) in this projects folder."""
    name = _clean_name(name)
    if not name or st.session_state.get("_analyst_remembered") == name:
        return
    st.session_state["_analyst_remembered"] = name
    if name == remembered_analyst():
        return
    try:
        (projects_dir() / LAST_ANALYST).write_text(name, encoding="utf-8")
    except OSError:
        pass


def last_opened(folder: Path) -> Optional[Path]:
    """The project last opened from this folder (by any session), if it still exists."""
    try:
        name = (folder / LAST_OPENED).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    path = folder / Path(name).name
    return path if name and path.exists() else None


def analyst() -> str:
    """Who may change the open project: the name given in the sidebar ("" until given), or in team
    mode the signed-in e-mail when the user's role may edit the project ("" for a läsare)."""
    if auth.team_mode():
        path = project_path()
        return auth.signed_in_email() if path is not None and auth.may_edit_project(path) else ""
    return str(st.session_state.get("analyst") or "").strip()


def list_projects(folder: Optional[Path] = None) -> list[Path]:
    """Project files in the folder the user may see, newest first (backup copies excluded)."""
    folder = folder or projects_dir()
    if not folder.is_dir():
        return []

    files = [p for p in folder.glob(f"*{PROJECT_SUFFIX}") if ".backup" not in p.name]
    return auth.visible(sorted(files, key=lambda p: p.stat().st_mtime, reverse=True))


def slug(name: str) -> str:
    """A safe file stem from a project name (letters incl. åäö, digits, -, _)."""
    keep = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name.strip())
    keep = keep.strip("_")[:60]
    return keep or "projekt"


def unique_path(folder: Path, stem: str) -> Path:
    """`folder/stem.sqlite`, or stem-2, stem-3 ... when taken."""
    candidate = folder / f"{stem}{PROJECT_SUFFIX}"
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{n}{PROJECT_SUFFIX}"
        n += 1
    return candidate
