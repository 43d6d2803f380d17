"""Sign-in and project roles on a team server.

Team mode is on when the secrets (`.streamlit/secrets.toml`, or the files named by the
`secrets.files` option) have an `[auth]` section: then every page shows only "Logga in"
until the user has signed in with OpenID Connect (`st.login`), the signed-in e-mail is the
analyst on every decision, and a project is visible only to its members (models/members.py).
Without `[auth]` the app serves one analyst, who types a name in the sidebar.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Optional

import streamlit as st

from models import members
from models.members import may_edit, may_manage, may_view, normalize_email, role_in_file

SIGN_IN_LABEL = "Logga in"
SIGN_OUT_LABEL = "Logga ut"


def team_mode() -> bool:
    """True when sign-in is configured (an `[auth]` section in the secrets)."""
    try:
        return bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)
    except Exception:  # noqa: BLE001 - unreadable secrets: Streamlit reports them; the app stays single-user
        return False


def is_signed_in() -> bool:
    """True when the browser carries Streamlit's identity cookie."""
    try:
        return bool(st.user.get("is_logged_in"))
    except Exception:  # noqa: BLE001 - no user information outside a session
        return False


def signed_in_email() -> str:
    """The signed-in user's e-mail (lower case), "" when nobody is signed in or not in team mode."""
    if not (team_mode() and is_signed_in()):
        return ""
    return normalize_email(str(st.user.get("email") or ""))


def allowed_to_continue() -> bool:
    """Whether pages may run: always without sign-in configured, else only for a signed-in e-mail."""
    return not team_mode() or bool(signed_in_email())


REQUIRED_SETTINGS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")


def setup_problem() -> Optional[str]:
    """None when sign-in can work, else a Swedish message for whoever runs the server."""
    if importlib.util.find_spec("authlib") is None:
        return ("Inloggningen kräver Python-paketet Authlib (version 1.3.2 eller senare), som saknas. "
                "Installera det med: pip install -r requirements.txt")
    try:
        section = dict(st.secrets["auth"])
    except Exception:  # noqa: BLE001
        section = {}
    missing = [key for key in REQUIRED_SETTINGS if not section.get(key)]
    if missing:
        return f"Inloggningen är inte färdigställd: avsnittet [auth] i secrets.toml saknar {', '.join(missing)}."
    return None


def sign_in_screen() -> None:
    """The only thing an anonymous visitor sees in team mode: a title, a line and "Logga in". Stops the run."""
    st.title("Svarsanalys")
    problem = setup_problem()
    if problem:
        st.error(problem)
    elif is_signed_in():  # signed in, but the identity provider sent no e-mail address
        st.error("Inloggningen gav ingen e-postadress. Be den som sköter inloggningen att skicka med "
                 "e-post (scope \"email\") från identitetsleverantören.")
        st.button(SIGN_OUT_LABEL, key="auth_logout_noemail", on_click=st.logout)
    else:
        st.write("Logga in med ditt organisationskonto för att se projekten.")
        st.button(SIGN_IN_LABEL, key="auth_login", type="primary", on_click=st.login)
    st.stop()


def project_role(path: str | Path | None) -> Optional[str]:
    """The signed-in user's role in the project file at `path` (None: not a member, or not team mode)."""
    if path is None or not team_mode():
        return None
    return role_in_file(path, signed_in_email())


def may_view_project(path: str | Path | None) -> bool:
    """Without sign-in every project may be opened; in team mode only by its members."""
    if path is None:
        return False
    return True if not team_mode() else may_view(project_role(path))


def may_edit_project(path: str | Path | None) -> bool:
    """Without sign-in the analyst may change everything; in team mode ägare and analytiker may."""
    return True if not team_mode() else may_edit(project_role(path))


def may_manage_project(path: str | Path | None) -> bool:
    """Only a project's ägare manages its members (and renames it), and only in team mode."""
    return team_mode() and may_manage(project_role(path))


def visible(paths: list[Path]) -> list[Path]:
    """The project files the current user may see (all of them without sign-in)."""
    if not team_mode():
        return paths
    return [p for p in paths if may_view_project(p)]


def read_only_message(path: str | Path | None) -> str:
    """Why the current user may not change the project (Swedish)."""
    role = project_role(path)
    if role == members.READER:
        return "Du har rollen läsare i projektet: du kan bläddra och exportera, men inte granska, koda eller ändra."
    return "Du är inte medlem i projektet."


def sidebar_identity(path: str | Path | None) -> None:
    """Signed-in e-mail, role in the open project and "Logga ut" (team mode only)."""
    email = signed_in_email()
    st.caption("Inloggad som")
    st.text(email)
    role = project_role(path)
    if role:
        st.caption(f"Roll i projektet: {role} ({members.ROLE_DESCRIPTIONS_SV[role]})")
    st.button(SIGN_OUT_LABEL, key="auth_logout", on_click=st.logout)
