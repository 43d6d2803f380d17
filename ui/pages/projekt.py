"""Projekt: create, open, rename, download and upload project files; choose the projects folder.

Widgets that show the open project's values are keyed per project file, so that opening
or creating another project never carries the previous project's values over.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import streamlit as st

from models.store import ProjectStore, StoreError
from ui import auth, cache, guide, highlight, members_panel, safe, shell, state
from ui.filters import select
from ui.safe import md
from ui.project import SAMPLE_NAME, ensure_sample_project, validate_project_bytes

FLASH = "projekt_flash"


def _flash(message: str) -> None:
    st.session_state[FLASH] = message  # names in it are escaped by the callers (safe.md)


def project_name(path: Path) -> str:
    """The name stored in a project file (its file name when it cannot be read)."""
    try:
        return cache.get_store(str(path)).name
    except (StoreError, OSError, Exception):  # noqa: BLE001 - a broken file is listed by its file name
        return path.stem


def _next_step(store) -> None:
    if not guide.has_answers(store):
        st.write("Nästa steg: importera svarsfilerna till projektet.")
        st.page_link(guide.IMPORT_PAGE, label="Importera svarsfiler", icon=":material/upload_file:")
    else:
        st.page_link("ui/pages/teman.py", label="Gå till Teman", icon=":material/label:")


def _open_project(store) -> None:
    st.subheader("Öppet projekt")
    st.text(store.name)
    # on a team server the server's folders are nobody's business: the file name only
    st.caption(md(f"Fil: {store.path.name}" if auth.team_mode() else f"Fil: {store.path.name} i {store.path.parent}"))
    c1, c2, c3 = st.columns(3)
    c1.metric("Svar", len(cache.answer_frame(store)))
    c2.metric("Filer", len(store.source_files()))
    c3.metric("Respondenter", len(store.respondents()))
    _next_step(store)

    suffix = hashlib.sha1(str(store.path.resolve()).encode("utf-8")).hexdigest()[:12]
    if auth.team_mode() and not auth.may_manage_project(store.path):
        return
    with st.form(f"rename_{suffix}"):
        new_name = st.text_input("Byt namn på projektet", value=store.name, key=f"rename_project_{suffix}")
        if st.form_submit_button("Byt namn", key="rename_project_btn"):
            new_name = new_name.strip()
            if not new_name:
                st.error("Ge projektet ett namn.")
            elif new_name == store.name:
                st.info("Namnet är oförändrat.")
            else:
                old = store.name
                store.rename(new_name, state.analyst() or None)
                _flash(f"Projektet ”{md(old)}” heter nu ”{md(new_name)}”.")
                st.rerun()

    st.download_button(
        "Ladda ner projektfilen",
        data=store.to_bytes(),
        file_name=f"{state.slug(store.name)}.sqlite",
        mime="application/vnd.sqlite3",
        help="En fristående kopia av projektet som kan öppnas på en annan dator.",
    )


def render() -> None:
    st.title("Projekt")
    store = shell.open_current()
    folder = state.projects_dir()
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message)
    current = str(state.project_path() or "")
    if st.session_state.get("projekt_shown_for") != current:  # another project is open: fresh widgets
        st.session_state.pop("open_project_choice", None)
        st.session_state["new_project_name"] = ""
        st.session_state["projekt_shown_for"] = current

    if store is not None:
        guide.sample_notice(store, "projekt")
        _open_project(store)
        members_panel.render(store)

    st.divider()
    left, right = st.columns(2)
    with left:
        st.subheader("Öppna ett projekt")
        projects = state.list_projects(folder)
        if projects:
            current = state.project_path()
            index = next((i for i, p in enumerate(projects) if current and p == current), 0)
            names = {p: project_name(p) for p in projects}
            # keyed by the labels too: a renamed project shows its new name at once (ui.filters.select)
            choice = select(st, "Projekt i mappen", projects, index=index, key="open_project_choice",
                            format_func=lambda p: f"{names[p]} ({p.name})" if names[p] != p.stem else names[p])
            if st.button("Öppna", key="open_project"):
                state.set_project(choice)
                _flash(f"Projektet ”{md(names[choice])}” är öppnat.")
                st.rerun()
        else:
            st.info("Mappen har inga projekt ännu.")
        if not auth.team_mode() and st.button(f"Öppna {SAMPLE_NAME.lower()}", key="open_sample"):
            with st.spinner("Skapar exempelprojektet …"):
                state.set_project(ensure_sample_project(folder))
            _flash("Exempelprojektet är öppnat. Svaren i det är påhittade.")
            st.rerun()

    with right:
        st.subheader("Skapa nytt projekt")
        with st.form("create"):
            name = st.text_input("Namn", placeholder="t.ex. Uppföljning 2023", key="new_project_name")
            if st.form_submit_button("Skapa", key="create_project"):
                if not name.strip():
                    st.error("Ge projektet ett namn.")
                else:
                    guide.create_project(name)
                    _flash(f"Projektet ”{md(name.strip())}” är skapat och öppnat. Nästa steg: importera svarsfiler.")
                    st.rerun()

    st.divider()
    st.subheader("Öppna en projektfil")
    # no type filter: the browser would refuse another type in English, under the uploader's Swedish note on size;
    # validate_project_bytes names the file and says what it is not
    upload = st.file_uploader("Projektfil (.sqlite) från Svarsanalys", key="project_upload")
    if upload is not None and st.button("Öppna den uppladdade filen", key="open_upload"):
        too_big = safe.upload_too_big(upload.name, upload.size)  # never read: the server takes up to the ceiling
        data = b"" if too_big else upload.getvalue()
        problem = too_big or validate_project_bytes(data, upload.name)
        if problem:
            st.error(md(problem))
        else:
            folder.mkdir(parents=True, exist_ok=True)
            path = state.unique_path(folder, state.slug(Path(upload.name).stem))
            path.write_bytes(data)
            try:
                guide.close_created(ProjectStore(path, create=False))
                opened = cache.get_store(str(path))
            except StoreError as exc:
                st.error(md(exc))
            else:
                state.set_project(path)
                _flash(f"Projektfilen är öppnad: ”{md(opened.name)}”.")
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
            except OSError as exc:  # the system's own (English) words folded away
                safe.failure(f"Mappen {highlight.escape(str(target))} kan inte användas: {safe.os_reason(exc)}. Välj en annan mapp.", exc)
            else:
                state.set_projects_dir(target)
                _flash(f"Projektmappen är nu {md(target)}.")
                st.rerun()



render()
