"""Översikt: respondent × code heatmap, codes by category, closed-question tallies, regions vs kommuner."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from models.records import DECISION_LABELS_SV
from ui.filters import multi
from ui import cache, shell

ALL_ROUNDS = "__alla__"


def _decisions() -> tuple:
    include = st.toggle("Räkna med förslag som inte granskats", value=True, key="oversikt_forslag",
                        help="Av: bara godkända och manuella kodningar räknas.")
    return ("suggested", "accepted", "manual") if include else ("accepted", "manual")


def _round(store) -> str | None:
    """The chosen round (None = every round); the choice is shown only when the project has several."""
    from models.round_views import round_labels

    labels = round_labels(store)
    if len(labels) < 2:
        return None
    chosen = st.selectbox("Omgång", [ALL_ROUNDS] + labels, key="oversikt_omgang",
                          format_func=lambda r: "Alla omgångar" if r == ALL_ROUNDS else r)
    return None if chosen == ALL_ROUNDS else chosen


def _matrix_long(store, decisions: tuple, round_label: str | None):
    if round_label is None:
        return cache.matrix_long(store, decisions)
    from models.round_views import matrix_long_in_round

    return matrix_long_in_round(store, round_label, decisions=decisions, doc=cache.codebook_doc(store))


def _coverage_table(store, decisions: tuple, round_label: str | None):
    if round_label is None:
        return cache.coverage_table(store, decisions)
    from models.round_views import coverage_table_in_round

    return coverage_table_in_round(store, round_label, decisions=decisions, doc=cache.codebook_doc(store))


def _heatmap(store, decisions: tuple, round_label: str | None = None) -> None:
    st.subheader("Respondent × kod")
    long = _matrix_long(store, decisions, round_label)
    if long.empty:
        st.info("Inga kodningar att visa ännu.")
        return
    types = multi(st, "Respondenttyp", ["region", "kommun", "rss"], default=["region", "kommun", "rss"],
                           key="oversikt_typ")
    long = long[long["respondent_type"].isin(types)]
    if long.empty:
        st.info("Inga respondenter av vald typ.")
        return
    chart = alt.Chart(long).mark_rect().encode(
        x=alt.X("code_label:N", title="Kod", sort=None,
                axis=alt.Axis(labelAngle=-50, labelLimit=200, labelOverlap=False, orient="top")),
        y=alt.Y("respondent:N", title="Respondent", axis=alt.Axis(labelLimit=220, labelOverlap=False)),
        color=alt.Color("n:Q", title="Utdrag", scale=alt.Scale(scheme="blues"), legend=alt.Legend(format="d")),
        tooltip=[alt.Tooltip("respondent:N", title="Respondent"), alt.Tooltip("lan:N", title="Län"),
                 alt.Tooltip("code_label:N", title="Kod"), alt.Tooltip("n:Q", title="Utdrag")],
    ).properties(height=alt.Step(20))
    st.altair_chart(chart, width="stretch")


def _by_category(store, decisions: tuple, round_label: str | None = None) -> None:
    st.subheader("Koder per kategori")
    table = _coverage_table(store, decisions, round_label)
    if table.empty or table["n_excerpts"].sum() == 0:
        st.info("Inga kodningar att räkna ännu.")
        return
    data = table[["category_label", "code_label", "n_respondents", "n_excerpts"]]
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("n_respondents:Q", title="Antal respondenter"),
        y=alt.Y("code_label:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)),
        color=alt.Color("category_label:N", title="Kategori", legend=alt.Legend(orient="bottom", columns=2,
                                                                              labelLimit=300)),
        tooltip=[alt.Tooltip("category_label:N", title="Kategori"), alt.Tooltip("code_label:N", title="Kod"),
                 alt.Tooltip("n_respondents:Q", title="Respondenter"), alt.Tooltip("n_excerpts:Q", title="Utdrag")],
    ).properties(height=max(200, 20 * len(data)))
    st.altair_chart(chart, width="stretch")


def _compare(store, decisions: tuple, round_label: str | None = None) -> None:
    st.subheader("Regioner jämfört med kommuner")
    table = _coverage_table(store, decisions, round_label)
    if table.empty or table["n_excerpts"].sum() == 0:
        st.info("Inga kodningar att jämföra ännu.")
        return
    rows = []
    for _, r in table.iterrows():
        rows.append({"kod": r["code_label"], "grupp": "regioner",
                     "andel": r["n_regions"] / max(1, r["n_regions_total"]),
                     "antal": f"{r['n_regions']} av {r['n_regions_total']}"})
        rows.append({"kod": r["code_label"], "grupp": "kommuner",
                     "andel": r["n_kommuner"] / max(1, r["n_kommuner_total"]),
                     "antal": f"{r['n_kommuner']} av {r['n_kommuner_total']}"})
    data = pd.DataFrame(rows)
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("andel:Q", title="Andel som nämner koden", axis=alt.Axis(format="%")),
        y=alt.Y("kod:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)),
        yOffset="grupp:N",
        color=alt.Color("grupp:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("kod:N", title="Kod"), alt.Tooltip("grupp:N", title="Grupp"),
                 alt.Tooltip("antal:N", title="Antal")],
    ).properties(height=max(200, 34 * len(table)))
    st.altair_chart(chart, width="stretch")
    st.dataframe(
        table[["code_label", "n_regions", "n_regions_total", "n_kommuner", "n_kommuner_total"]].rename(columns={
            "code_label": "kod", "n_regions": "regioner", "n_regions_total": "av regioner",
            "n_kommuner": "kommuner", "n_kommuner_total": "av kommuner"}),
        hide_index=True, width="stretch",
    )


def _closed(store, round_label: str | None = None) -> None:
    st.subheader("Slutna frågor per län")
    questions = [q for q in store.questions() if q.closed]
    answered = cache.answer_frame(store)
    with_choice = sorted(set(answered.loc[answered["choice"].notna(), "question"]))
    ids = [q.id for q in questions] + [q for q in with_choice if q not in {x.id for x in questions}]
    if not ids:
        st.info("Inga slutna frågor (kryssrutor) bland svaren ännu.")
        return
    texts = {q.id: q.text for q in questions}
    qid = st.selectbox("Fråga", ids, format_func=lambda q: f"{q}: {texts.get(q, '')}"[:120], key="oversikt_fraga")
    tally = cache.tally(store, qid, round_label)
    if tally.empty:
        st.info("Inga svar på frågan.")
        return
    st.dataframe(tally.reset_index().rename(columns={"lan": "län"}), hide_index=True, width="stretch")


def render() -> None:
    st.title("Översikt")
    store = shell.require_store()
    decisions = _decisions()
    round_label = _round(store)
    st.caption("Räknas: " + ", ".join(DECISION_LABELS_SV[d] for d in decisions))
    tab1, tab2, tab3, tab4 = st.tabs(["Matris", "Per kategori", "Regioner och kommuner", "Slutna frågor"])
    with tab1:
        _heatmap(store, decisions, round_label)
    with tab2:
        _by_category(store, decisions, round_label)
    with tab3:
        _compare(store, decisions, round_label)
    with tab4:
        _closed(store, round_label)
