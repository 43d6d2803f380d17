"""The coverage block of Teman: the three levels of `models.coverage` with drill-down to excerpts.

Every number reads "N av M som svarat (T totalt)"; who is missing is split into "svarade men
nämner inte" and "har inte svarat"; each name that mentions the code opens the excerpts
behind it. Names and excerpts are shown with `st.dataframe` / `st.text` (never as Markdown).
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from models import coverage as cv
from ui import cache
from ui.filters import TYPE_SV
from ui.safe import marked, md, show


def counting_toggle(key: str, default: bool = True) -> tuple[str, ...]:
    """The switch between counting suggestions too or only reviewed codings; returns the decisions."""
    include = st.toggle("Räkna med förslag som inte granskats", value=default, key=key,
                        help="Av: bara godkända och manuella kodningar räknas. Avvisade och negerade räknas aldrig.")
    return cv.decisions_for(include)


def _names(names, empty: str = "Inga.") -> None:
    if names:
        st.dataframe(pd.DataFrame({"namn": list(names)}), hide_index=True, width="stretch",
                     height=min(35 * len(names) + 40, 260))
    else:
        st.caption(empty)


def _level_tab(lc: cv.LevelCoverage) -> None:
    show(lc.figure + (f": {lc.split_text}" if lc.split else ""))
    c1, c2, c3 = st.columns(3)
    with c1:
        st.caption(f"Nämner insatsen ({lc.n})")
        _names(lc.mentioned)
    with c2:
        st.caption(f"Svarade men nämner inte ({len(lc.not_mentioning)})")
        _names(lc.not_mentioning)
    with c3:
        st.caption(f"Har inte svarat ({len(lc.not_answered)})")
        _names(lc.not_answered)
        if lc.by_region:
            st.caption(md(cv.by_region_sv(lc.by_region) + "."))


def _drill_options(cov: cv.CodeCoverage) -> dict[str, tuple[int, ...]]:
    options: dict[str, tuple[int, ...]] = {}
    for lvl in cv.LEVELS:
        lc = cov.level(lvl)
        for name in lc.mentioned:
            ids = tuple(lc.codings.get(name, ()))
            options[f"{cv.LEVEL_TITLE_SV[lvl]}: {name} ({len(ids)} utdrag)"] = ids
    for name, lan in cov.named_kommuner:
        ids = tuple(cov.named_codings.get(name, ()))
        options[f"Nämnd i länets svar: {name}, {lan} ({len(ids)} utdrag)"] = ids
    return options


def _show_excerpts(store, code_id: str, coding_ids: tuple[int, ...]) -> None:
    frame = cache.code_excerpts(store, code_id)
    rows = frame[frame["coding_id"].isin(list(coding_ids))]
    if rows.empty:
        st.caption("Inga utdrag.")
        return
    for _, row in rows.iterrows():
        with st.container(border=True):
            show(f"{row['respondent']} ({TYPE_SV.get(row['respondent_type'], row['respondent_type'] or '?')}) · "
                 f"fråga {row['question_id']}" + (f": {row['question_text']}" if row["question_text"] else "")
                 + f" · status {row['status']} · omfattning {row['scope']}")
            start = int(row["start"])
            show(marked(str(row["excerpt"]), int(row["evidence_start"]) - start, int(row["evidence_end"]) - start))


def render(store, code_id: str, key: str = "teman", rounds: tuple = ()) -> tuple[str, ...]:
    """Coverage of one code at the three levels, with the split of who is missing and a drill-down
    (counted within `rounds` when any are named). Returns the decisions counted (the switch's choice)."""
    st.markdown("**Täckning**" + (f" (omgång {md(', '.join(r or '(ingen)' for r in rounds))})" if rounds else ""))
    decisions = counting_toggle(f"{key}_cov_forslag")
    pc = cache.project_coverage(store, decisions, rounds)
    cov = pc.codes.get(code_id)
    if cov is None:
        st.info("Koden finns inte i kodboken.")
        return decisions
    st.caption("Räknas: " + cv.counted_sv(decisions) + ".")
    show(cov.sentence + ".")
    cols = st.columns(3)
    for col, lvl in zip(cols, cv.LEVELS):
        lc = cov.level(lvl)
        col.metric(cv.LEVEL_TITLE_SV[lvl], f"{lc.n} av {lc.n_answered}",
                   help=f"{lc.n} nämner insatsen av {lc.n_answered} {cv.LEVEL_WHO_SV[lvl]}; {lc.total} totalt.")
        col.caption(f"som svarat ({lc.total} totalt)" + (f" · {lc.split_text}" if lc.split else ""))
    if cov.named_kommuner:
        show(cov.named_text + " (räknas inte som egna kommunsvar).")
    if pc.answered.not_relevant:
        st.caption(md(", ".join(pc.answered.not_relevant)) + ": ej relevant för kommunfrågorna "
                   "(Region Gotland är både region och kommun).")
    if pc.answered.kommuner_by_region:
        st.caption(md(cv.by_region_sv(pc.answered.kommuner_by_region) + "."))
    with st.expander("Vilka nämner insatsen – och vilka saknas?"):
        tabs = st.tabs([cv.LEVEL_TITLE_SV[lvl] for lvl in cv.LEVELS] + ["Nämnda i länets svar"])
        for tab, lvl in zip(tabs, cv.LEVELS):
            with tab:
                _level_tab(cov.level(lvl))
        with tabs[-1]:
            st.caption("Kommuner som nämns vid namn i ett RSS-svar med insatsen. De räknas inte som egna svar.")
            _names([f"{k} ({lan})" for k, lan in cov.named_kommuner])
    options = _drill_options(cov)
    if options:
        choice = st.selectbox("Visa utdragen bakom en siffra", ["(välj)"] + list(options), key=f"{key}_cov_drill",
                              placeholder="Välj")
        if choice in options:
            _show_excerpts(store, code_id, options[choice])
    return decisions
