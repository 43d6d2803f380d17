"""The app shell: page list, sidebar (analyst and project) and access to the current store."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import streamlit as st

from models.store import ProjectStore, StoreError
from ui import auth, cache, highlight, safe, state
from ui.project import default_project

# Icons are emoji, drawn by the browser: a ":material/…:" page icon becomes the tab's favicon,
# which Streamlit fetches from fonts.gstatic.com, a request that leaves the machine.
PAGES: list[tuple[str, str, str]] = [
    ("ui/pages/projekt.py", "Projekt", "📁"),
    ("ui/pages/importera.py", "Importera", "📥"),
    ("ui/pages/svar.py", "Svar", "📄"),
    ("ui/pages/teman.py", "Teman", "🏷️"),
    ("ui/pages/oversikt.py", "Översikt", "🗺️"),
    ("ui/pages/forandring.py", "Förändring", "📈"),
    ("ui/pages/granska.py", "Granska", "✅"),
    ("ui/pages/kluster.py", "Kluster", "🫧"),
    ("ui/pages/kodbok.py", "Kodbok", "📖"),
    ("ui/pages/overensstammelse.py", "Överensstämmelse", "🤝"),
    ("ui/pages/exportera.py", "Exportera", "📤"),
]
DEFAULT_PAGE = "Teman"


# The landing page is served at "/"; its own name is given to a hidden page that leads there, so an old
# bookmark (/teman) or a mistyped address never meets Streamlit's English "Page not found".
DEFAULT_URL_PATH = "startsida-svarsanalys"
NOT_FOUND_KEY = "_shell_not_found"


def pages() -> list:
    """The st.Page objects in menu order (Teman is the landing page), plus, when the browser asked for an address
    no page has, a hidden page of that name that goes to the landing page (and says so in Swedish)."""
    out = [st.Page(path, title=title, icon=icon, default=(title == DEFAULT_PAGE),
                   url_path=DEFAULT_URL_PATH if title == DEFAULT_PAGE else None) for path, title, icon in PAGES]
    requested = _requested_path()
    if requested and "/" not in requested and requested != DEFAULT_URL_PATH \
            and requested not in {p.url_path for p in out}:
        landing = next(p for p in out if p.title == DEFAULT_PAGE)
        known = requested == Path(next(path for path, title, _ in PAGES if title == DEFAULT_PAGE)).stem
        out.append(st.Page(_lead_to(landing, "" if known else requested), title="Sidan finns inte",
                           url_path=requested, visibility="hidden"))
    return out


def _requested_path() -> str:
    """The page name in the address the browser asked for ('' for the root or when Streamlit does not say)."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        name = ctx.pages_manager.intended_page_name if ctx is not None else None
        return str(name or "").strip().strip("/")
    except Exception:  # an internal of Streamlit: without it, Streamlit's own behaviour
        return ""


def _lead_to(landing, unknown: str):
    """A page function that opens `landing`; `unknown` (an address no page has) is named there once."""
    def lead() -> None:
        if unknown:
            st.session_state[NOT_FOUND_KEY] = unknown
        st.switch_page(landing)

    return lead


def not_found_note() -> None:
    """Say once, in Swedish, that the address the browser asked for has no page (the landing page is shown)."""
    unknown = st.session_state.pop(NOT_FOUND_KEY, None)
    if unknown:
        from ui import highlight

        st.info(highlight.escape(f"Sidan /{unknown} finns inte (en gammal eller felskriven adress). "
                                 "Du ser startsidan i stället."), icon="🧭")


def open_current() -> Optional[ProjectStore]:
    """Open the session's project (choosing a default on first use). Errors are shown, not raised."""
    path = state.project_path()
    if auth.team_mode():
        return _open_member_project(path)
    if path is None or not path.exists():
        try:
            with st.spinner("Öppnar projekt (första gången skapas exempelprojektet med exempeldata) …"):
                path = default_project(state.projects_dir())
        except StoreError as exc:  # a Swedish message of the project's own
            st.error(f"Projektmappen {safe.md(state.projects_dir())} kan inte användas: {safe.md(exc)}")
            return None
        except OSError as exc:  # the system's own (English) words folded away
            safe.failure(f"Projektmappen {highlight.escape(str(state.projects_dir()))} kan inte användas: {safe.os_reason(exc)}. Välj en "
                         "annan mapp på sidan Projekt.", exc)
            return None
        state.set_project(path)
    try:
        return cache.get_store(str(path))
    except StoreError as exc:
        st.error(safe.md(exc))
        return None


def sidebar(store: Optional[ProjectStore]) -> None:
    """Analyst name (asked once, kept for the session) and the open project."""
    with st.sidebar:
        if auth.team_mode():
            auth.sidebar_identity(store.path if store is not None else None)
            if store is not None:
                st.caption("Öppet projekt")
                st.text(store.name)
            return
        if "analyst" not in st.session_state:  # a new session (a reload): this tab's name, else the folder's last
            st.session_state["analyst"] = state.session_analyst()
        name = st.text_input(
            "Ditt namn (analytiker)", key="analyst",
            help="Sparas på varje beslut du fattar (godkänn, avvisa, kod, memo). Fliken behåller namnet när du "
                 "laddar om sidan (det står i adressen); en ny flik börjar med det namn som gavs senast på den här "
                 "datorn.",
        )
        state.keep_analyst_in_address(name)
        if not (name or "").strip():
            st.warning("Skriv ditt namn för att kunna granska och koda.")
        else:
            state.remember_analyst(name)
        if store is not None:
            st.caption("Öppet projekt")
            st.text(store.name)
            if store.meta("is_sample") == "1":
                st.caption("Exempeldata: påhittade svar som visar hur verktyget fungerar.")
                st.page_link("ui/pages/projekt.py", label="Skapa eget projekt", icon=":material/add:")


def require_store() -> ProjectStore:
    """The current store for a page; stops the page with a message when there is none."""
    store = open_current()
    if store is None:
        if auth.team_mode():
            st.info("Du har inget projekt öppet: du är inte medlem i något projekt ännu. Skapa ett på sidan "
                    "Projekt, eller be ett projekts ägare lägga till dig som medlem.")
        else:
            st.info("Inget projekt är öppet. Skapa eller öppna ett på sidan Projekt.")
        st.stop()
    return store


def require_analyst() -> Optional[str]:
    """The analyst's name, or None with a visible hint."""
    name = state.analyst()
    if not name:
        if auth.team_mode():
            st.info(auth.read_only_message(state.project_path()))
        else:
            st.warning("Skriv ditt namn i sidopanelen först: varje beslut sparas med analytikerns namn.")
        return None
    return name


def name_hint(purpose: str) -> str:
    """Why a page's editing is off, in Swedish: one analyst has not typed a name yet ("Skriv ditt namn i
    sidopanelen för att <purpose>."); on a team server there is no name field, so the role says why."""
    if auth.team_mode():
        return auth.read_only_message(state.project_path())
    return f"Skriv ditt namn i sidopanelen för att {purpose}."


def read_only() -> bool:
    """True on a team server when the signed-in user may not change the open project (a läsare)."""
    return auth.team_mode() and not state.analyst()


def require_editor() -> str:
    """Who may change the project (see require_analyst); stops the page for a läsare in team mode."""
    name = require_analyst()
    if not name and auth.team_mode():
        st.stop()
    return name or ""


def _open_member_project(path: Optional[Path]) -> Optional[ProjectStore]:
    """Team mode: the session's project if the user is a member, else the newest project they are a
    member of, else None. No project is created and no file is opened for a non-member."""
    if path is None or not path.exists() or not auth.may_view_project(path):
        visible = state.list_projects(state.projects_dir())
        if not visible:
            st.session_state.pop("project_path", None)
            return None
        path = visible[0]
        st.session_state["project_path"] = str(path)
    try:
        return cache.get_store(str(path))
    except StoreError as exc:
        st.error(safe.md(exc))
        return None
