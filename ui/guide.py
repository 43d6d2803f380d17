"""Guiding the analyst: the sample-data notice, empty states that lead to Importera, creating a project."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from models.store import ProjectStore
from ui import auth, cache, safe, state

IMPORT_PAGE = "ui/pages/importera.py"
PROJECT_PAGE = "ui/pages/projekt.py"


def is_sample(store: ProjectStore) -> bool:
    """True for the bundled sample project (created on first start)."""
    return store.meta("is_sample") == "1"


def create_project(name: str) -> Path:
    """Create a project named `name` in the projects folder, open it and return its path."""
    folder = state.projects_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = state.unique_path(folder, state.slug(name))
    close_created(ProjectStore(path, name=name.strip()))
    state.set_project(path)
    return path


def close_created(store: ProjectStore) -> None:
    """Close a newly created or uploaded project; on a team server its creator becomes its ägare."""
    try:
        if auth.team_mode():
            store.add_member(auth.signed_in_email(), "ägare", auth.signed_in_email())
    finally:
        store.close()


def sample_notice(store: ProjectStore, key: str) -> None:
    """Say that the open project is sample data and offer to create a real one and import into it."""
    if not is_sample(store):
        return
    with st.container(border=True, key=f"sample_notice_{key}"):
        st.markdown("**Det öppna projektet är exempeldata.** Svaren är påhittade och visar hur verktyget fungerar. "
                    "Skapa ett eget projekt för dina svarsfiler.")
        with st.form(f"sample_create_{key}", border=False):
            name = st.text_input("Namn på ditt projekt", placeholder="t.ex. Uppföljning 2024",
                                 key=f"sample_create_name_{key}")
            if st.form_submit_button("Skapa projekt och importera", type="primary", key=f"sample_create_btn_{key}"):
                if not name.strip():
                    st.error("Ge projektet ett namn.")
                else:
                    create_project(name)
                    st.session_state["projekt_flash"] = f"Projektet ”{safe.md(name.strip())}” är skapat och öppnat."
                    st.switch_page(IMPORT_PAGE)


def has_answers(store: ProjectStore) -> bool:
    """True when the project holds at least one answer."""
    return not cache.answer_frame(store).empty


def empty_project(store: ProjectStore, what: str) -> bool:
    """When the project has no answers: say what this page will show and lead to Importera. Returns True then."""
    if has_answers(store):
        return False
    with st.container(border=True, key="empty_state"):
        st.markdown("**Projektet har inga svar ännu.**")
        st.write(f"Här visas {what} när du har importerat svarsfiler.")
        st.page_link(IMPORT_PAGE, label="Importera svarsfiler", icon=":material/upload_file:")
    return True

