"""Projekt: create, open, rename, download and upload project files; choose the projects folder."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from models.store import ProjectStore, StoreError
from ui import auth, cache, members_panel, shell, state
from ui.project import SAMPLE_NAME, ensure_sample_project, validate_project_bytes


def render() -> None:
    st.title("Projekt")
    store = shell.open_current()
    folder = state.projects_dir()

    if store is not None:
        st.subheader("Öppet projekt")
        st.text(store.name)
        st.caption(f"Fil: {store.path}")
        c1, c2, c3 = st.columns(3)
        c1.metric("Svar", len(cache.answer_frame(store)))
        c2.metric("Filer", len(store.source_files()))
        c3.metric("Respondenter", len(store.respondents()))

        if not auth.team_mode() or auth.may_manage_project(store.path):
            with st.form("rename"):
                new_name = st.text_input("Byt namn på projektet", value=store.name, key="rename_project")
                if st.form_submit_button("Byt namn", key="rename_project_btn") and new_name.strip() \
                        and new_name.strip() != store.name:
                    store.rename(new_name.strip(), state.analyst() or None)
                    st.success("Projektet har bytt namn.")
                    st.rerun()

        st.download_button(
            "Ladda ner projektfilen",
            data=store.to_bytes(),
            file_name=f"{state.slug(store.name)}.sqlite",
            mime="application/vnd.sqlite3",
            help="En fristående kopia av projektet som kan öppnas på en annan dator.",
        )
        members_panel.render(store)

    st.divider()
    left, right = st.columns(2)
    with left:
        st.subheader("Öppna ett projekt")
        projects = state.list_projects(folder)
        if projects:
            current = state.project_path()
            index = next((i for i, p in enumerate(projects) if current and p == current), 0)
            choice = st.selectbox("Projekt i mappen", projects, index=index, format_func=lambda p: p.stem)
            if st.button("Öppna", key="open_project"):
                state.set_project(choice)
                st.rerun()
        else:
            st.info("Mappen har inga projekt ännu.")
        if not auth.team_mode() and st.button(f"Öppna {SAMPLE_NAME.lower()}", key="open_sample"):
            with st.spinner("Skapar exempelprojektet …"):
                state.set_project(ensure_sample_project(folder))
            st.rerun()

    with right:
        st.subheader("Skapa nytt projekt")
        with st.form("create"):
            name = st.text_input("Namn", placeholder="t.ex. Uppföljning 2023", key="new_project_name")
            if st.form_submit_button("Skapa", key="create_project"):
                if not name.strip():
                    st.error("Ge projektet ett namn.")
                else:
                    folder.mkdir(parents=True, exist_ok=True)
                    path = state.unique_path(folder, state.slug(name))
                    _created(ProjectStore(path, name=name.strip()))
                    state.set_project(path)
                    st.success("Projektet är skapat och öppnat. Importera filer på sidan Importera.")
                    st.rerun()

    st.divider()
    st.subheader("Öppna en projektfil")
    upload = st.file_uploader("Projektfil (.sqlite) från Svarsanalys", type=["sqlite", "db"], key="project_upload")
    if upload is not None and st.button("Öppna den uppladdade filen", key="open_upload"):
        data = upload.getvalue()
        problem = validate_project_bytes(data, upload.name)
        if problem:
            st.error(problem)
        else:
            folder.mkdir(parents=True, exist_ok=True)
            path = state.unique_path(folder, state.slug(Path(upload.name).stem))
            path.write_bytes(data)
            try:
                _created(ProjectStore(path, create=False))
                cache.get_store(str(path))
            except StoreError as exc:
                st.error(str(exc))
            else:
                state.set_project(path)
                st.success("Projektfilen är öppnad.")
                st.rerun()

    if auth.team_mode():
        return  # on a team server the projects folder is the server's (SVARSANALYS_PROJECTS_DIR)
    st.divider()
    st.subheader("Projektmapp")
    with st.form("folder"):
        new_folder = st.text_input("Mapp där projekten sparas", value=str(folder))
        if st.form_submit_button("Byt mapp"):
            target = Path(new_folder).expanduser()
            try:
                target.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                st.error(f"Mappen {target} kan inte användas: {exc}")
            else:
                state.set_projects_dir(target)
                st.rerun()


def _created(store: ProjectStore) -> None:
    """Close a newly created or uploaded project; on a team server its creator becomes its ägare."""
    try:
        if auth.team_mode():
            store.add_member(auth.signed_in_email(), "ägare", auth.signed_in_email())
    finally:
        store.close()
