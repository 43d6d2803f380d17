"""Kodbok: edit categories, codes, definitions and keywords; test a keyword; save and re-tag; YAML/.qdc."""
from __future__ import annotations

import copy
import hashlib
from pathlib import Path

import pandas as pd
import streamlit as st

from errors import SvarsanalysError
from export import codebook_io
from models import codes as codebook_codes
from models import keyword_trial
from models.tagging import tag_project
from nlp.codebook import Codebook, check_unique_labels
from ui import auth, cache, highlight, safe, shell, state
from ui.filters import select
from ui.safe import marked, md, show

def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _draft(store) -> dict:
    key = f"kodbok_draft::{store.path}"
    if key not in st.session_state:
        st.session_state[key] = copy.deepcopy(cache.codebook_doc(store))
    return st.session_state[key]


def _reset_draft(store) -> None:
    st.session_state.pop(f"kodbok_draft::{store.path}", None)


@st.cache_resource(show_spinner="Analyserar svaren för provsökning …", max_entries=3)
def _corpus_tagger(path: str, fingerprint: str):
    """The project's keyword-test tagger, kept while the answers' text is unchanged."""
    return keyword_trial.corpus_tagger(cache.get_store(path))


def keyword_test(store, doc: dict, code_id: str, keyword: str) -> tuple[int, int, list[tuple]]:
    """(hits now, hits with the keyword, new hits as (excerpt, evidence start, evidence end, answer id))."""
    frame = cache.answer_frame(store)
    fingerprint = hashlib.sha1(pd.util.hash_pandas_object(frame[["answer_id", "text"]], index=False)
                               .values.tobytes()).hexdigest()
    return keyword_trial.keyword_test(_corpus_tagger(str(store.path), fingerprint), doc, code_id, keyword)


def _save(store, doc: dict, analyst: str) -> None:
    try:
        codebook = Codebook.from_doc(doc)  # validates (Swedish CodebookError)
        check_unique_labels(doc, "Kodboken")  # two codes may not share a name
    except (SvarsanalysError, ValueError) as exc:
        st.error(f"Kodboken kan inte sparas: {md(exc)}")
        return
    store.save_codebook_doc(doc, analyst)
    bar = st.progress(0.0, text="Taggar om projektet …")
    tag_project(store, codebook=codebook,
                progress=lambda f, t="": bar.progress(min(1.0, max(0.0, float(f))), text=f"Taggar om projektet … {t}"))
    bar.progress(1.0, text="Klart")
    _reset_draft(store)
    st.session_state.pop("kodbok_drop_ok", None)
    # shown after the rerun, so that the page no longer says the draft differs from the saved codebook
    st.session_state["kodbok_saved"] = "Kodboken är sparad och projektet omtaggat. Granskade beslut är kvar."
    st.rerun()


def _delete_code(cat: dict, k: int, ci: int) -> None:
    """Take code number `k` out of the category in the draft (saved with the codebook)."""
    codes = cat.get("codes") or []
    if 0 <= k < len(codes):
        codes.pop(k)
    st.session_state.pop(f"kodbok_code_{ci}", None)
    st.session_state["kodbok_deleted"] = True


def _dropped_warning(store, doc: dict) -> bool:
    """Warn when the draft drops codes the analysts coded with; True when saving may go ahead."""
    dropped = codebook_codes.dropped_codes_with_codings(store, doc)
    if not dropped:
        return True
    # a code's name can come from an uploaded codebook or a cluster's name: shown as typed (escaped below)
    names = ", ".join(f"{label} ({n} granskad{'e' if n != 1 else ''} kodning{'ar' if n != 1 else ''})"
                      for _, label, n in dropped)
    st.warning(f"Utkastet tar bort koder som har granskade kodningar: {highlight.escape(names, line_start=False)}. "
               "Kodningarna finns kvar i projektet och i exporterna under ”(utanför kodboken)”, men räknas inte "
               "längre i Teman, Översikt och täckningen. Byt kod på dem i Granska först om de ska räknas.")
    return st.checkbox("Ta bort koderna ändå", key="kodbok_drop_ok")


def _label_taken(cats: list, label: str, except_id: str | None = None) -> bool:
    """True if another code already has this name (compared case- and whitespace-insensitively)."""
    key = " ".join(label.split()).casefold()
    return any(" ".join(str(c.get("label") or c.get("id") or "").split()).casefold() == key
               and c.get("id") != except_id for k in cats for c in k.get("codes") or [])


def _editor(store, doc: dict, analyst: str | None) -> None:
    cats = doc.setdefault("categories", [])
    ro = shell.read_only()  # a läsare on a team server: the codebook shown, every editing field off (as on Granska)
    st.subheader("Kategorier och koder")
    with st.popover("Ny kategori", disabled=ro):
        with st.form("new_cat"):
            cid = st.text_input("Id (utan mellanslag)", disabled=ro)
            label = st.text_input("Namn", disabled=ro)
            if st.form_submit_button("Lägg till", disabled=ro):
                if not cid.strip() or any(c.get("id") == cid.strip() for c in cats):
                    st.error("Ange ett id som inte redan finns.")
                else:
                    cats.append({"id": cid.strip(), "label": label.strip() or cid.strip(), "codes": []})
                    st.rerun()
    if not cats:
        st.info("Kodboken har inga kategorier ännu.")
        return
    c1, c2 = st.columns(2)
    # keyed by the labels too: a renamed code or category shows its new name (ui.filters.select)
    ci = select(c1, "Kategori", range(len(cats)), format_func=lambda i: cats[i].get("label") or cats[i]["id"],
                key="kodbok_cat")
    cat = cats[ci]
    codes = cat.setdefault("codes", [])
    with c2:
        with st.popover("Ny kod i kategorin", disabled=ro):
            with st.form("new_code"):
                code_id = st.text_input("Id (utan mellanslag)", disabled=ro)
                label = st.text_input("Namn", disabled=ro)
                if st.form_submit_button("Lägg till", disabled=ro):
                    all_ids = {c.get("id") for k in cats for c in k.get("codes") or []}
                    if not code_id.strip() or code_id.strip() in all_ids:
                        st.error("Ange ett id som inte redan finns.")
                    elif _label_taken(cats, label.strip() or code_id.strip()):
                        st.error("Det finns redan en kod med det namnet; välj ett eget namn.")
                    else:
                        codes.append({"id": code_id.strip(), "label": label.strip() or code_id.strip(),
                                      "definition": "", "keywords": []})
                        st.rerun()
    if not codes:
        st.info("Kategorin har inga koder ännu.")
        return
    k = select(st, "Kod", range(len(codes)), format_func=lambda i: codes[i].get("label") or codes[i]["id"],
               key=f"kodbok_code_{ci}")
    code = codes[k]
    with st.form(f"code_form_{ci}_{k}"):
        st.text(f"Id: {code['id']}")
        label = st.text_input("Namn", value=code.get("label", ""), disabled=ro)
        definition = st.text_area("Definition", value=code.get("definition", ""), height=100, disabled=ro)
        keywords = st.text_area("Nyckelord (ett per rad; 'ord*' = början av ord)",
                                value="\n".join(code.get("keywords") or []), height=200, key=f"kw_{ci}_{k}",
                                disabled=ro)
        abbreviations = st.text_area("Förkortningar (skiftlägeskänsliga, en per rad)",
                                     value="\n".join(code.get("abbreviations") or []), height=80, disabled=ro)
        negative = st.text_area("Uteslutande fraser (en per rad)",
                                value="\n".join(code.get("negative_keywords") or []), height=80, disabled=ro)
        submitted = st.form_submit_button("Uppdatera utkastet", key=f"code_form_submit_{ci}_{k}", disabled=ro)
        if submitted and _label_taken(cats, label.strip() or code["id"], except_id=code["id"]):
            st.error("Det finns redan en kod med det namnet; välj ett eget namn.")
        elif submitted:
            code.update({"label": label.strip() or code["id"], "definition": definition.strip(),
                         "keywords": _lines(keywords), "abbreviations": _lines(abbreviations),
                         "negative_keywords": _lines(negative)})
            # shown after a rerun: the boxes above the form were drawn with the old name in this run
            st.session_state["kodbok_flash"] = "Utkastet är uppdaterat. Spara kodboken för att tagga om projektet."
            st.rerun()
    flash = st.session_state.pop("kodbok_flash", None)
    if flash:
        st.success(flash)

    st.subheader("Testa ett nyckelord")
    kw = st.text_input("Nytt nyckelord för koden", key="kodbok_test_kw",
                       placeholder="t.ex. trygghetsteam")
    if st.button("Testa mot svaren", key="kodbok_test", disabled=not kw.strip()):
        if cache.answer_frame(store).empty:
            st.info("Projektet har inga svar att testa mot.")
        else:
            try:
                n_before, n_after, new = keyword_test(store, doc, code["id"], kw.strip())
            except (SvarsanalysError, ValueError) as exc:
                st.error(f"Nyckelordet kan inte användas: {md(exc)}")
            else:
                st.write(f"Träffar nu: {n_before}. Med nyckelordet: {n_after}. Nya träffar: {len(new)}.")
                for text, s, e, _answer in new[:8]:
                    with st.container(border=True):
                        show(marked(text, s, e))

    st.subheader("Ta bort koden")
    st.caption("Koden försvinner ur kodboken när du sparar. Kodningar som redan är granskade finns kvar i projektet.")
    st.button(f"Ta bort {md(code.get('label') or code['id'])} ur utkastet", key=f"kodbok_delete_{ci}_{k}",
              on_click=_delete_code, args=(cat, k, ci), disabled=not analyst)

    st.divider()
    may_save = _dropped_warning(store, doc)
    c1, c2 = st.columns(2)
    if c1.button("Spara kodboken och tagga om", type="primary", key="kodbok_save", disabled=not analyst or not may_save):
        _save(store, doc, analyst)
    if c2.button("Släng osparade ändringar", key="kodbok_reset", disabled=ro):
        _reset_draft(store)
        st.rerun()
    if not analyst and not ro:
        st.caption(shell.name_hint("spara kodboken"))


CODEBOOK_SUFFIXES = (".yaml", ".yml", ".qdc", ".csv")


def _read_codebook(name: str, data: bytes, base_doc: dict) -> tuple[dict | None, str | None]:
    """A codebook document from an uploaded YAML, .qdc or CSV file, or (None, Swedish message)."""
    suffix = Path(name).suffix.lower()
    if suffix not in CODEBOOK_SUFFIXES:
        return None, (f"{name}: filtypen {suffix or '(ingen filändelse)'} kan inte läsas som kodbok; välj en "
                      ".yaml-, .qdc- eller .csv-fil.")
    try:
        if name.lower().endswith(".qdc"):
            return codebook_io.from_qdc(data, base_doc, file_name=name), None
        if name.lower().endswith(".csv"):
            return codebook_io.from_csv(data, base_doc, file_name=name), None
        return codebook_io.from_yaml(data, file_name=name), None
    except (SvarsanalysError, ValueError) as exc:  # CodebookExchangeError carries a Swedish message
        return None, str(exc)


def _exchange(store, doc: dict, analyst: str | None) -> None:
    st.subheader("Importera och exportera kodboken")
    c1, c2 = st.columns(2)
    c1.download_button("Ladda ner som YAML", codebook_io.to_yaml(doc), file_name="kodbok.yaml",
                       mime="application/x-yaml", key="kodbok_yaml")
    try:
        qdc = codebook_io.to_qdc(doc)
    except SvarsanalysError as exc:  # a Swedish message of the project's own: what in the draft stops it
        qdc = None
        c2.caption(f"REFI-QDA-kodboken (.qdc) kan inte skapas av utkastet: {md(exc)}")
    except Exception as exc:  # noqa: BLE001 - a bad draft must not break the page
        qdc = None
        safe.failure("REFI-QDA-kodboken (.qdc) kan inte skapas av utkastet; YAML och CSV går att ladda ner.", exc,
                     level="caption", where=c2)
    if qdc is not None:
        c2.download_button("Ladda ner som REFI-QDA (.qdc)", qdc, file_name="kodbok.qdc",
                           mime="application/xml", key="kodbok_qdc")
    c1.download_button("Ladda ner som CSV (Taguette)", codebook_io.to_csv(doc), file_name="kodbok.csv",
                       mime="text/csv", key="kodbok_csv")
    ro = shell.read_only()  # a läsare downloads the codebook, never loads another one
    # no type filter: the browser would refuse another type in English, under the uploader's Swedish note on size
    upload = st.file_uploader("Importera en kodbok (.yaml, .qdc eller .csv)", key="kodbok_upload", disabled=ro)
    if upload is not None and st.button("Läs in som utkast", key="kodbok_load", disabled=ro):
        too_big = safe.upload_too_big(upload.name, upload.size)  # never read: the server takes up to the ceiling
        new_doc, problem = (None, too_big) if too_big else _read_codebook(upload.name, upload.getvalue(), doc)
        if problem:
            st.error(md(problem))
        else:
            st.session_state[f"kodbok_draft::{store.path}"] = new_doc
            st.session_state["kodbok_loaded"] = True  # shown by the next run (render)
            st.rerun()


def render() -> None:
    st.title("Kodbok")
    store = shell.require_store()
    analyst = state.analyst()
    if shell.read_only():  # the same words as on Granska and Kluster
        st.info(auth.read_only_message(state.project_path()))
    doc = _draft(store)
    if doc != cache.codebook_doc(store):
        st.info("Du har osparade ändringar i kodboken.")
    saved = st.session_state.pop("kodbok_saved", None)  # set by _save before its rerun
    if saved:
        st.success(saved)
    if st.session_state.pop("kodbok_loaded", False):
        st.success("Kodboken är inläst som utkast. Granska och spara den.")
    if st.session_state.pop("kodbok_deleted", False):
        st.success("Koden är borttagen ur utkastet. Spara kodboken för att ta bort den i projektet.")
    tab1, tab2 = st.tabs(["Redigera", "Importera/exportera"])
    with tab1:
        _editor(store, doc, analyst)
    with tab2:
        _exchange(store, doc, analyst)


render()
