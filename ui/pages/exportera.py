"""Exportera: download the coded excerpts in every export format, filtered by the current selection."""
from __future__ import annotations

import streamlit as st

from export.formats import FORMATS, export_bytes, file_name
from export.selection import Selection
from models.rounds import sort_rounds
from models.store import question_sort_key
from ui import cache, guide, safe, shell, texts
from ui.filters import TYPE_SV, multi

ORDER = ("xlsx", "csv", "docx", "qdpx", "qdc")
_SINGULAR = {"granskade": "granskat", "godkända": "godkänt", "kodade": "kodat"}


def _agree(n: int, plural: str) -> str:
    """The participle agreeing with n excerpts or suggestions (utdrag, förslag: neuter; "1 granskat")."""
    return _SINGULAR[plural] if n == 1 else plural


def _selection_widgets(store):
    codes = cache.code_frame(store)
    labels = dict(zip(codes["code_id"], codes["code_label"]))
    cats = codes.drop_duplicates("category_id")
    cat_labels = dict(zip(cats["category_id"], cats["category_label"]))
    respondents = store.respondents()
    by_id = {r.id: r for r in respondents}
    answers = cache.answer_frame(store)

    c1, c2 = st.columns(2)  # two a row: a chosen code or respondent stays readable at 1024 px
    chosen_cats = multi(c1, "Kategorier (tomt = alla)", list(cats["category_id"]),
                                 format_func=lambda c: cat_labels.get(c, c), key="export_cats")
    code_choices = codes[codes["category_id"].isin(chosen_cats)] if chosen_cats else codes
    chosen_codes = multi(c2, "Koder (tomt = alla)", list(code_choices["code_id"]),
                                  format_func=lambda c: labels.get(c, c), key="export_codes")
    c3, c4 = st.columns(2)
    chosen_resp = multi(c3, "Respondenter (tomt = alla)", list(by_id),
                                 format_func=lambda i: f"{by_id[i].name} ({TYPE_SV.get(by_id[i].type, '?')})",
                                 key="export_resp")
    chosen_types = multi(c4, "Typ", ["region", "kommun", "rss"], format_func=lambda t: TYPE_SV[t],
                                  key="export_types")
    c5, c6 = st.columns(2)
    chosen_lans = multi(c5, "Län", sorted(v for v in answers["lan"].dropna().unique() if v), key="export_lans")
    qtexts = cache.question_texts(store)  # every round's wording ("2022: … · 2021: …" where they differ)
    chosen_q = multi(c6, "Fråga", sorted(answers["question"].unique(), key=question_sort_key),
                     format_func=lambda q: texts.question_label(q, qtexts, 50),
                              key="export_q")
    rounds = sort_rounds(answers["round"].fillna("").unique()) if "round" in answers else []
    chosen_rounds = multi(st, "Omgång", rounds, format_func=lambda r: r or "(ingen omgång)",
                          key="export_rounds") if len(rounds) > 1 else []
    c7, c8 = st.columns(2)
    include = c7.toggle("Ta med förslag som inte granskats", value=False, key="export_suggestions",
                        help="Av: bara godkända och manuella kodningar exporteras.")
    mask = c8.toggle("Maskera personuppgifter (e-post, telefon, personnummer)", value=False, key="export_mask")
    return Selection(
        code_ids=chosen_codes or None, category_ids=chosen_cats or None, respondent_ids=chosen_resp or None,
        questions=chosen_q or None, lans=chosen_lans or None, respondent_types=chosen_types or None,
        include_suggestions=include, mask_personal_data=mask, **({"rounds": chosen_rounds} if chosen_rounds else {}),
    )


def _count(store, sel, decisions: tuple | None = None) -> int:
    df = cache.excerpts(store, decisions=tuple(decisions or sel.effective_decisions))
    for column, values in (("code_id", sel.code_ids), ("category_id", sel.category_ids),
                           ("respondent_id", sel.respondent_ids), ("question_id", sel.questions),
                           ("lan", sel.lans), ("respondent_type", sel.respondent_types),
                           ("round", getattr(sel, "rounds", None))):
        if values:
            df = df[df[column].isin(list(values))]
    return len(df)


def render() -> None:
    st.title("Exportera")
    store = shell.require_store()
    if guide.empty_project(store, "exporten av kodade utdrag (Excel, Word, REFI-QDA m.fl.)"):
        return
    formats = {k: FORMATS[k] for k in ORDER}
    st.subheader("Urval")
    sel = _selection_widgets(store)
    reviewed, open_ = _count(store, sel, ("accepted", "manual")), _count(store, sel, ("suggested",))
    if sel.include_suggestions:
        st.info(f"Exporten tar med {reviewed + open_} utdrag: {reviewed} {_agree(reviewed, 'granskade')} "
                f"({_agree(reviewed, 'godkända')} eller {_agree(reviewed, 'kodade')} för hand) "
                f"och {open_} förslag som ingen har granskat.")
    else:
        st.info(f"Exporten tar bara med granskade utdrag: {reviewed} ({_agree(reviewed, 'godkända')} eller "
                f"{_agree(reviewed, 'kodade')} för hand). {open_} förslag i urvalet är inte "
                f"{_agree(open_, 'granskade')} och tas inte med – granska dem på sidan Granska "
                "eller slå på ”Ta med förslag som inte granskats”.")

    st.subheader("Filer")
    signature = (store.data_version, repr(sel))
    for fmt, spec in formats.items():
        with st.container(border=True):
            c1, c2 = st.columns([1, 1])
            c1.markdown(f"**{spec.label}**")
            key = f"export_ready_{fmt}"
            if c2.button(f"Skapa {spec.label}", key=f"export_make_{fmt}", wrap=True):
                with st.spinner(f"Skapar {spec.label} …"):
                    try:
                        st.session_state[key] = (signature, export_bytes(store, fmt, sel))
                    except Exception as exc:  # noqa: BLE001 - show the problem, keep the page alive
                        # the exception's own text (English, perhaps a traceback's last line) only under the details
                        safe.failure(f"{spec.label} kunde inte skapas. Försök igen; om det inte går, välj ett "
                                     "mindre urval eller ett annat format och skicka de tekniska detaljerna nedan "
                                     "till den som förvaltar Svarsanalys. Inget i projektet har ändrats.", exc)
            ready = st.session_state.get(key)
            if ready and ready[0] == signature:
                c2.download_button(f"Ladda ner {spec.label}", ready[1], file_name=file_name(store.name, fmt),
                                   mime=spec.mime, key=f"export_dl_{fmt}", type="primary", wrap=True)
            elif ready:
                c1.caption("Urvalet eller projektet har ändrats sedan filen skapades; skapa den igen.")


render()
