"""Opening projects: the current project of the session, the bundled sample on first start."""
from __future__ import annotations

import logging
import re
import sqlite3
import tempfile
import threading
from pathlib import Path
from typing import Callable, Optional

import config
from models.importing import import_paths
from models.probe import tables_and_integrity
from models.rounds import sort_rounds
from models.store import ProjectStore, StoreError
from models.tagging import tag_project
from ui.state import last_opened, list_projects

SAMPLE_NAME = "Exempelprojekt"
# The round of the sample files directly in data/sample/; files in a subfolder named like a round
# (data/sample/2021/) belong to that round.
SAMPLE_ROUND = "2022"
SUPPORTED_SUFFIXES = (".docx", ".xlsx", ".csv", ".tsv", ".pdf", ".txt", ".md")
_sample_lock = threading.Lock()


def load_sample(store: ProjectStore, progress: Optional[Callable[[float, str], None]] = None) -> list[str]:
    """Import and tag the bundled sample files into `store`. Returns Swedish notes on what happened."""
    notes: list[str] = []
    if store.meta("sample_loaded") == "1":
        return notes
    sample_files = sorted(p for p in Path(config.SAMPLE_DIR).rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES) \
        if Path(config.SAMPLE_DIR).is_dir() else []
    if not sample_files:
        return ["Exempeldata saknas i data/sample/."]
    report = (lambda done, total, _name: progress(done / total if total else 0.0, "")) if progress else None
    results = []
    for label, files in sample_rounds(sample_files).items():
        results += import_paths(store, files, progress=report, round_label=label)
    failed = [r for r in results if not r.ok]
    notes += [f"{r.name}: {r.message}" for r in failed]
    try:
        tag_project(store, progress=progress)
    except Exception as exc:  # noqa: BLE001 - the sample is a convenience; show, don't crash
        logging.getLogger("svarsanalys.ui").error("tagging the sample project failed", exc_info=exc)
        notes.append(f"Exempelsvaren är importerade men kunde inte taggas (teknisk orsak: {type(exc).__name__}); "
                     "de har inga förslag än.")
    else:
        store.set_meta("sample_loaded", "1")
    return notes


def sample_rounds(files: list[Path]) -> dict[str, list[Path]]:
    """The sample files by round: a subfolder of data/sample/ named like a year ("2021", "2022-del")
    is that round; files directly in data/sample/ are `SAMPLE_ROUND`. Oldest round first."""
    groups: dict[str, list[Path]] = {}
    for f in files:
        parts = f.relative_to(config.SAMPLE_DIR).parts
        label = parts[0] if len(parts) > 1 and re.fullmatch(r"20\d\d(-(del|slut))?", parts[0]) else SAMPLE_ROUND
        groups.setdefault(label, []).append(f)
    return {label: groups[label] for label in sort_rounds(groups)}


def ensure_sample_project(folder: Path) -> Path:
    """Create (once) the sample project in `folder` and return its path."""
    path = folder / f"{SAMPLE_NAME}.sqlite"
    with _sample_lock:
        if not path.exists():
            store = ProjectStore(path, name=SAMPLE_NAME)
            store.set_meta("is_sample", "1")
            load_sample(store)
            store.close()
    return path


def default_project(folder: Path) -> Path:
    """The project to open when the session has none: the last opened, else the newest, else the sample."""
    folder.mkdir(parents=True, exist_ok=True)
    remembered = last_opened(folder)
    if remembered is not None:
        return remembered
    existing = list_projects(folder)
    return existing[0] if existing else ensure_sample_project(folder)


def validate_project_bytes(data: bytes, name: str) -> Optional[str]:
    """None when `data` is a project file this version can open, else a Swedish message."""
    if not data.startswith(b"SQLite format 3\x00"):
        return f"{name} är ingen projektfil från Svarsanalys (inte en SQLite-databas)."
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "probe.sqlite"
        probe.write_bytes(data)
        try:
            tables, ok = tables_and_integrity(probe)
        except sqlite3.DatabaseError as exc:  # SQLite's own words ("file is not a database") go to the log
            logging.getLogger("svarsanalys.ui").info("%s: %s", name, exc)
            return f"{name} kunde inte läsas som projektfil: filen är skadad eller ingen SQLite-databas."
        if ok != "ok":
            return f"{name} är skadad (integritetskontrollen gav: {ok})."
        if not {"meta", "answers", "codings"} <= tables:
            return f"{name} är en SQLite-fil men inget Svarsanalys-projekt."
        try:
            ProjectStore(probe, create=False).close()
        except StoreError as exc:
            return str(exc)
    return None
