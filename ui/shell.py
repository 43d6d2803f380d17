"""The app shell: page list, sidebar (analyst and project) and access to the current store."""
from __future__ import annotations

from typing import Optional

import streamlit as st

from models.store import ProjectStore, StoreError
from ui import cache, state
from ui.project import default_project

PAGES: list[tuple[str, str, str]] = [
    ("ui/pages/projekt.py", "Projekt", ":material/folder_open:"),
    ("ui/pages/importera.py", "Importera", ":material/upload_file:"),
    ("ui/pages/svar.py", "Svar", ":material/table_rows:"),
    ("ui/pages/teman.py", "Teman", ":material/label:"),
    ("ui/pages/oversikt.py", "Översikt", ":material/grid_on:"),
    ("ui/pages/granska.py", "Granska", ":material/fact_check:"),
    ("ui/pages/kluster.py", "Kluster", ":material/bubble_chart:"),
    ("ui/pages/kodbok.py", "Kodbok", ":material/menu_book:"),
    ("ui/pages/overensstammelse.py", "Överensstämmelse", ":material/group:"),
    ("ui/pages/exportera.py", "Exportera", ":material/download:"),
]
DEFAULT_PAGE = "Teman"


def pages() -> list:
    """The st.Page objects in menu order (Teman is the landing page)."""
    return [st.Page(path, title=title, icon=icon, default=(title == DEFAULT_PAGE)) for path, title, icon in PAGES]


def open_current() -> Optional[ProjectStore]:
    """Open the session's project (choosing a default on first use). Errors are shown, not raised."""
    path = state.project_path()
    if path is None or not path.exists():
        try:
            with st.spinner("Öppnar projekt (första gången skapas exempelprojektet med exempeldata) …"):
                path = default_project(state.projects_dir())
        except (OSError, StoreError) as exc:
            st.error(f"Projektmappen {state.projects_dir()} kan inte användas: {exc}")
            return None
        state.set_project(path)
    try:
        return cache.get_store(str(path))
    except StoreError as exc:
        st.error(str(exc))
        return None


def sidebar(store: Optional[ProjectStore]) -> None:
    """Analyst name (asked once, kept for the session) and the open project."""
    with st.sidebar:
        name = st.text_input(
            "Ditt namn (analytiker)", key="analyst",
            help="Sparas på varje beslut du fattar (godkänn, avvisa, kod, memo).",
        )
        if not (name or "").strip():
            st.warning("Skriv ditt namn för att kunna granska och koda.")
        if store is not None:
            st.caption("Öppet projekt")
            st.text(store.name)


def require_store() -> ProjectStore:
    """The current store for a page; stops the page with a message when there is none."""
    store = open_current()
    if store is None:
        st.info("Inget projekt är öppet. Skapa eller öppna ett på sidan Projekt.")
        st.stop()
    return store


def require_analyst() -> Optional[str]:
    """The analyst's name, or None with a visible hint."""
    name = state.analyst()
    if not name:
        st.warning("Skriv ditt namn i sidopanelen först: varje beslut sparas med analytikerns namn.")
        return None
    return name
