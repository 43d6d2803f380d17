"""Teman: browse themes by measure type — coverage, excerpts with evidence, word cloud."""
from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from models.records import DECISION_LABELS_SV
from ui import cache, shell
from ui.filters import TYPE_SV, excerpt_filters
from ui.safe import marked, show

PAGE_SIZE = 15
# Words every answer uses (who answers, generic verbs): they would dominate every cloud.
CLOUD_STOP = {
    "kommun", "kommunen", "kommuner", "kommunerna", "kommunernas", "region", "regionen", "regioner", "regionens",
    "län", "länet", "länets", "arbetar", "arbete", "arbetet", "gäller", "finns", "varje", "även", "också", "samt",
    "genom", "inom", "olika", "både", "bl.a", "t.ex", "mm",
}


@st.cache_data(show_spinner=False, max_entries=30)
def word_cloud_png(texts: tuple[str, ...]) -> bytes | None:
    """A PNG word cloud of the texts (Swedish stop words removed), or None when there are no words."""
    from wordcloud import WordCloud

    try:
        from nlp.lang_sv.stop_words import STOP_WORDS
    except Exception:  # noqa: BLE001
        STOP_WORDS = set()
    text = " ".join(texts).lower()
    if not text.strip():
        return None
    try:
        cloud = WordCloud(width=900, height=360, background_color="white", stopwords=set(STOP_WORDS) | CLOUD_STOP,
                          collocations=False, colormap="viridis", random_state=1).generate(text)
    except ValueError:  # no words left after stop words
        return None
    buf = io.BytesIO()
    cloud.to_image().save(buf, format="PNG")
    return buf.getvalue()


def _coverage(store, code_id: str, decisions: tuple, rounds: tuple = ()) -> None:
    if rounds:
        from models.round_views import coverage_in_rounds

        cov = coverage_in_rounds(store, code_id, rounds, decisions=decisions)
    else:
        cov = cache.coverage(store, code_id, decisions)
    st.markdown("**Täckning**" + (f" (omgång {', '.join(r or '(ingen)' for r in rounds)})" if rounds else ""))
    show(cov.sentence + ".")
    c1, c2, c3 = st.columns(3)
    c1.metric("Regioner", f"{cov.n_regions} av {cov.n_regions_total}")
    c2.metric("Kommuner", f"{cov.n_kommuner} av {cov.n_kommuner_total}")
    c3.metric("Utdrag", cov.n_excerpts)
    with st.expander("Vilka nämner koden – och vilka saknas?"):
        if not cov.registry_complete:
            st.info("Registret över regioner och kommuner är inte tillgängligt ännu; saknade namn kan inte visas.")
        tabs = st.tabs(["Regioner som nämner", "Regioner som saknas", "Kommuner som nämner", "Kommuner som saknas"])
        for tab, names in zip(tabs, (cov.regions, cov.missing_regions, cov.kommuner, cov.missing_kommuner)):
            with tab:
                if names:
                    st.dataframe(pd.DataFrame({"namn": list(names)}), hide_index=True, width="stretch",
                                 height=min(35 * len(names) + 40, 300))
                else:
                    st.caption("Inga.")
        if cov.kommuner_via_rss:
            st.caption(f"{len(cov.kommuner_via_rss)} kommuner räknas via sitt läns RSS-svar.")


def _excerpt_card(row: pd.Series, answer_text: str) -> None:
    with st.container(border=True):
        meta = (f"{row['respondent']} ({TYPE_SV.get(row['respondent_type'], row['respondent_type'] or '?')}"
                f"{', ' + row['lan'] if row['lan'] else ''}) · fråga {row['question_id']} · "
                f"{DECISION_LABELS_SV.get(row['decision'], row['decision'])} · status {row['status']} · "
                f"omfattning {row['scope']} · konfidens {row['confidence']:.2f}"
                + (f" · omgång {row['round']}" if row.get("round") else "")
                + (" · NEGERAD" if row["negated"] else ""))
        st.caption("Utdrag")
        show(meta)
        start = int(row["start"])
        show(marked(str(row["excerpt"]), int(row["evidence_start"]) - start, int(row["evidence_end"]) - start))
        with st.expander(f"Hela svaret (svar {int(row['answer_id'])})"):
            show(marked(answer_text, start, int(row["end"])))


def render() -> None:
    st.title("Teman")
    store = shell.require_store()
    codes = cache.code_frame(store)
    if codes.empty:
        st.info("Kodboken är tom. Lägg till kategorier och koder på sidan Kodbok.")
        return
    cats = codes.drop_duplicates("category_id")
    c1, c2 = st.columns(2)
    cat_id = c1.selectbox("Kategori", list(cats["category_id"]),
                          format_func=dict(zip(cats["category_id"], cats["category_label"])).get, key="teman_kat")
    in_cat = codes[codes["category_id"] == cat_id]
    code_id = c2.selectbox("Kod (insatstyp)", list(in_cat["code_id"]),
                           format_func=dict(zip(in_cat["code_id"], in_cat["code_label"])).get, key="teman_kod")
    definition = str(in_cat.loc[in_cat["code_id"] == code_id, "definition"].iloc[0] or "")
    if definition:
        st.caption("Definition")
        show(definition)

    code_excerpts = cache.code_excerpts(store, code_id)
    with st.expander("Filter", expanded=False):
        selection = excerpt_filters(code_excerpts, "teman")
    decisions = tuple(selection.decisions) or ("accepted", "manual")
    _coverage(store, code_id, decisions, tuple(selection.rounds))
    if code_excerpts.empty:
        st.info("Inga utdrag för koden ännu. Importera svar (de taggas automatiskt) eller koda på sidan Granska.")
        return

    shown = selection.apply(code_excerpts)
    st.subheader(f"Utdrag ({len(shown)})")
    if shown.empty:
        st.info("Inga utdrag för koden med det här urvalet.")
        return

    png = word_cloud_png(tuple(shown["excerpt"].astype(str)))
    if png:
        with st.expander("Ordmoln över utdragen", expanded=True):
            st.image(png, width="stretch")

    pages = max(1, -(-len(shown) // PAGE_SIZE))
    page = st.number_input("Sida", min_value=1, max_value=pages, value=1, step=1, key=f"teman_sida_{code_id}") \
        if pages > 1 else 1
    st.caption("Belägget (orden som gav koden) är markerat »så här«.")
    page_rows = shown.iloc[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    texts = {a.id: a.text for a in store.answers(page_rows["answer_id"].astype(int).unique().tolist())}
    for _, row in page_rows.iterrows():
        _excerpt_card(row, texts.get(int(row["answer_id"]), ""))
