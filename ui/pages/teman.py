"""Teman: browse themes by measure type — coverage, excerpts with evidence, word cloud."""
from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from models.records import DECISION_LABELS_SV
from ui import cache, coverage_view, guide, shell, texts
from ui.filters import TYPE_SV, excerpt_filters, round_options
from export import word_cloud
from ui.safe import marked, show

PAGE_SIZE = 15


@st.cache_resource(show_spinner=False, max_entries=4)
def _background(path: str, fingerprint: str, _texts: tuple[str, ...], _respondents: tuple[str, ...]) \
        -> tuple[word_cloud.WordCounts, frozenset[str]]:
    """The word counts of all answers of the project and the respondents' name words, per project and answers
    (a coding decision leaves them as they are)."""
    names = word_cloud.respondent_name_words(_respondents)
    return word_cloud.word_counts(_texts, names=names), names


def cloud_background(store) -> tuple[str, tuple[word_cloud.WordCounts, frozenset[str]]]:
    """A fingerprint of the project's answers and respondents, and their (cached) background counts."""
    frame = cache.answer_frame(store)
    texts = tuple(frame["text"].fillna("").astype(str))
    respondents = tuple(sorted(set(frame["respondent"].dropna().astype(str))
                               | set(frame["lan"].dropna().astype(str))))
    fingerprint = hashlib.blake2b("\x1f".join(texts + ("\x1e",) + respondents).encode(), digest_size=16).hexdigest()
    return fingerprint, _background(str(store.path), fingerprint, texts, respondents)


@st.cache_data(show_spinner=False, max_entries=30)
def word_cloud_png(path: str, fingerprint: str, texts: tuple[str, ...], leave_out: tuple[str, ...],
                   _background: tuple[word_cloud.WordCounts, frozenset[str]]) -> bytes | None:
    """The word cloud of the texts against all answers of the project (`fingerprint` names them), cached per
    selection."""
    background, names = _background
    return word_cloud.word_cloud_png(texts, leave_out, background=background, names=names)


def _excerpt_card(row: pd.Series, answer_text: str, qtexts: dict) -> None:
    with st.container(border=True):
        meta = (f"{row['respondent']} ({TYPE_SV.get(row['respondent_type'], row['respondent_type'] or '?')}"
                f"{', ' + row['lan'] if row['lan'] else ''}) · {texts.question_label(row['question_id'], qtexts)} · "
                f"{DECISION_LABELS_SV.get(row['decision'], row['decision'])} · status {row['status']} · "
                f"omfattning {row['scope']} · säkerhet {texts.decimal(row['confidence'])}"
                + (f" · omgång {row['round']}" if row.get("round") else "")
                + (" · NEGERAD" if row["negated"] else ""))
        st.caption("Utdrag")
        show(meta)
        start = int(row["start"])
        show(marked(str(row["excerpt"]), int(row["evidence_start"]) - start, int(row["evidence_end"]) - start))
        with st.expander("Hela svaret"):
            show(marked(answer_text, start, int(row["end"])))


def render() -> None:
    st.title("Teman")
    store = shell.require_store()
    guide.sample_notice(store, "teman")
    if guide.empty_project(store, "teman: vilka insatser respondenterna nämner, med utdrag och täckning"):
        return
    codes = cache.code_frame(store)
    if codes.empty:
        st.info("Kodboken är tom. Lägg till kategorier och koder på sidan Kodbok.")
        return
    cats = codes.drop_duplicates("category_id")
    c1, c2 = st.columns(2)
    cat_id = c1.selectbox("Kategori", list(cats["category_id"]),
                          format_func=dict(zip(cats["category_id"], cats["category_label"])).get, key="teman_kat",
                          placeholder="Välj")
    in_cat = codes[codes["category_id"] == cat_id]
    code_id = c2.selectbox("Kod (insatstyp)", list(in_cat["code_id"]),
                           format_func=dict(zip(in_cat["code_id"], in_cat["code_label"])).get, key="teman_kod",
                           placeholder="Välj")
    definition = str(in_cat.loc[in_cat["code_id"] == code_id, "definition"].iloc[0] or "")
    if definition:
        st.caption("Definition")
        show(definition)

    code_excerpts = cache.code_excerpts(store, code_id)
    with st.expander("Filter", expanded=False):
        several_rounds = len(round_options(code_excerpts)) > 1
        st.caption("Filtret väljer utdragen längre ned. Täckningen räknar alla som svarat"
                   + ("; av filtret följer den bara omgången." if several_rounds else ", oavsett filtret."))
        selection = excerpt_filters(code_excerpts, "teman")
    counted = coverage_view.render(store, code_id, rounds=tuple(selection.rounds or ()))
    if code_excerpts.empty:
        st.info("Inga utdrag för koden ännu. Importera svar (de taggas automatiskt) eller koda på sidan Granska.")
        return

    # the excerpts are those the figures above count: with the switch off, no unreviewed suggestion
    reviewed_only = "suggested" not in counted
    if reviewed_only:
        selection.decisions = [d for d in selection.decisions if d != "suggested"]
    shown = selection.apply(code_excerpts)
    st.subheader(f"Utdrag ({len(shown)})")
    if reviewed_only:
        st.caption("Här visas bara granskade utdrag (godkända och kodade för hand), som täckningen ovan räknar. "
                   "Slå på ”Räkna med förslag som inte granskats” för att se förslagen också.")
    if shown.empty:
        st.info("Inga utdrag för koden med det här urvalet.")
        return

    fingerprint, background = cloud_background(store)
    png = word_cloud_png(str(store.path), fingerprint, tuple(shown["excerpt"].astype(str)),
                         word_cloud.code_words(cache.codebook_doc(store), code_id), background)
    if png:
        with st.expander("Ordmoln över utdragen", expanded=True):
            st.caption("Ord som är mer typiska för de här utdragen än för projektets svar i övrigt: ju större, "
                       "desto mer utmärkande. Kodens egna nyckelord och respondenternas namn är utelämnade.")
            st.image(png, width="stretch")

    pages = max(1, -(-len(shown) // PAGE_SIZE))
    page = st.number_input("Sida", min_value=1, max_value=pages, value=1, step=1, key=f"teman_sida_{code_id}") \
        if pages > 1 else 1
    st.caption("Belägget (orden som gav koden) är markerat »så här«.")
    page_rows = shown.iloc[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    answer_texts = {a.id: a.text for a in store.answers(page_rows["answer_id"].astype(int).unique().tolist())}
    wordings = cache.answer_question_texts(store)  # each answer's question as asked in its round
    for _, row in page_rows.iterrows():
        _excerpt_card(row, answer_texts.get(int(row["answer_id"]), ""),
                      {row["question_id"]: wordings.get(int(row["answer_id"]), "")})


render()
