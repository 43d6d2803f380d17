"""Översikt: respondent × code heatmap, codes by category, closed-question tallies, regions vs kommuner."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from models.coverage import LEVEL_WHO_SV
from models.records import DECISION_LABELS_SV
from models.round_views import matrix_long_in_round, round_labels
from ui import cache, guide, shell
from ui.safe import show, table_with_full_text
from ui.filters import TYPE_SV, multi

ALL_ROUNDS = "__alla__"


def _decisions() -> tuple:
    include = st.toggle("Räkna med förslag som inte granskats", value=True, key="oversikt_forslag",
                        help="Av: bara godkända och manuella kodningar räknas.")
    return ("suggested", "accepted", "manual") if include else ("accepted", "manual")


def _round(store) -> str | None:
    """The chosen round (None = every round); the choice is shown only when the project has several."""
    labels = round_labels(store)
    if len(labels) < 2:
        return None
    chosen = st.selectbox("Omgång", [ALL_ROUNDS] + labels, key="oversikt_omgang",
                          format_func=lambda r: "Alla omgångar" if r == ALL_ROUNDS else r, placeholder="Välj")
    return None if chosen == ALL_ROUNDS else chosen


def _matrix_long(store, decisions: tuple, round_label: str | None):
    if round_label is None:
        return cache.matrix_long(store, decisions)

    return matrix_long_in_round(store, round_label, decisions=decisions, doc=cache.codebook_doc(store))


def _counted(decisions: tuple) -> str:
    return "även förslag som inte granskats" if "suggested" in decisions else "bara granskade kodningar"


def _heatmap(store, decisions: tuple, round_label: str | None = None) -> None:
    st.subheader("Respondent × kod")
    long = _matrix_long(store, decisions, round_label)
    if long.empty:
        st.info("Inga kodningar att visa ännu.")
        return
    types = multi(st, "Respondenttyp", ["region", "kommun", "rss"], default=["region", "kommun", "rss"],
                  format_func=lambda t: TYPE_SV.get(t, t),
                  key="oversikt_typ")
    long = long[long["respondent_type"].isin(types)]
    if long.empty:
        st.info("Inga respondenter av vald typ.")
        return
    st.caption(f"Antal kodade utdrag per respondent och insats; insatserna sorterade efter antal. "
               f"Räknas: {_counted(decisions)}.")
    code_order = list(long.groupby("code_label")["n"].sum().sort_values(ascending=False, kind="stable").index)
    type_rank = {"region": 0, "rss": 1, "kommun": 2}
    resp = long.drop_duplicates("respondent")
    resp_order = [r for _, r in sorted(zip(resp["respondent_type"].map(type_rank).fillna(3), resp["respondent"]))]
    # a screen reader reads each cell, the axes and the legend by their descriptions (Vega's own are English and
    # name the data's columns: "code_label: …; respondent: …", "X-axis for a discrete scale with 33 values")
    long = long.assign(beskrivning=[f"{r}, {c}: {n} utdrag" for r, c, n in
                                    zip(long["respondent"], long["code_label"], long["n"])])
    chart = alt.Chart(long).mark_rect().encode(
        x=alt.X("code_label:N", title=None, sort=code_order,
                axis=alt.Axis(labelAngle=-60, labelLimit=0, labelOverlap=False, orient="top", labelFontSize=11,
                              description=f"Insatser, {len(code_order)} stycken")),
        y=alt.Y("respondent:N", title=None, sort=resp_order,
                axis=alt.Axis(labelLimit=0, labelOverlap=False, labelFontSize=11,
                              description=f"Respondenter, {len(resp_order)} stycken")),
        color=alt.Color("n:Q", title="Utdrag", scale=alt.Scale(scheme="blues", domainMin=0),
                        legend=alt.Legend(format="d", tickMinStep=1, orient="bottom", labelLimit=0,
                                          description="Färgen visar antalet kodade utdrag")),
        tooltip=[alt.Tooltip("respondent:N", title="Respondent"), alt.Tooltip("lan:N", title="Län"),
                 alt.Tooltip("code_label:N", title="Kod"), alt.Tooltip("n:Q", title="Utdrag")],
        description=alt.Description("beskrivning:N"),
    ).properties(height=alt.Step(22), width=alt.Step(22),
                 description="Matris: antal kodade utdrag per respondent och insats")
    # Streamlit fits a chart to the page's width: at 1024 px the 30-odd code columns got 7 px each and their slanted
    # names ran into each other. The chart keeps room for every name and the matrix scrolls sideways instead.
    st.html(heatmap_style(len(code_order), max(map(len, resp_order), default=0)))
    with st.container(key=HEATMAP_KEY):
        st.altair_chart(chart)


HEATMAP_KEY = "oversikt_matris"
MIN_COLUMN_PX = 15  # a slanted 11 px name needs about 13 px between columns


def heatmap_style(n_codes: int, longest_name: int) -> str:
    """The matrix's least width (its columns and its row names, 6 px a letter) and a sideways scroll below it, on
    the chart's own frame. The frame also holds the chart's toolbar (fullscreen, PNG), drawn above the chart: a
    scrolled frame would cut it off, so the frame keeps room for it at its top."""
    least = MIN_COLUMN_PX * n_codes + 6 * longest_name + 40
    chart = '[data-testid="stVegaLiteChart"]'
    frame = f".st-key-{HEATMAP_KEY} div:has(> {chart})"
    return (f"<style>{frame} {{ overflow-x: auto; padding-top: 2.75rem; }} "
            f'{frame} > [data-testid="stElementToolbar"] {{ top: 0; }} '
            f".st-key-{HEATMAP_KEY} {chart} {{ min-width: {least}px; }}</style>")


_LEVEL_SV = {"regions": "Regioner", "lan": "Län med kommunsvar", "kommuner": "Kommuner (egna svar)"}
_LEVEL_SCALE = alt.Scale(domain=list(_LEVEL_SV.values()), range=["#1f5f8b", "#4fa3c7", "#e08a2c"])


def _level_rows(pc, codes) -> pd.DataFrame:
    rows = []
    for c in codes:
        for lvl, name in _LEVEL_SV.items():
            lc = c.level(lvl)
            rows.append({"kod": c.code_label, "nivå": name, "antal": lc.n, "svarat": lc.n_answered,
                         "andel": lc.n / lc.n_answered if lc.n_answered else 0.0,
                         "text": f"{lc.n} av {lc.n_answered}", "totalt": lc.total,
                         "beskrivning": f"{c.code_label}, {name}: {lc.n} av {lc.n_answered} som svarat"})
    return pd.DataFrame(rows)


def _sorted_codes(codes) -> list:
    return sorted(codes, key=lambda c: (-(c.regions.n + c.lan.n + c.kommuner.n), -c.n_excerpts))


def _by_category(store, decisions: tuple, round_label: str | None = None) -> None:
    st.subheader("Koder per kategori")
    pc = cache.project_coverage(store, decisions, (round_label,) if round_label else ())
    a = pc.answered
    if not any(c.n_excerpts for c in pc.codes.values()):
        st.info("Inga kodningar att räkna ännu.")
        return
    st.caption(f"Antal som nämner varje insats, per nivå, av dem som svarat ({len(a.regions)} regioner, "
               f"{len(a.lan)} län med kommunsvar, {len(a.kommuner)} kommuner med egna svar). "
               f"Räknas: {_counted(decisions)}.")
    top = max([len(a.regions), len(a.lan), len(a.kommuner), 1])
    by_cat: dict[str, list] = {}
    for c in pc.codes.values():
        by_cat.setdefault(c.category_label, []).append(c)
    for cat, codes in by_cat.items():
        codes = _sorted_codes(codes)
        data = _level_rows(pc, codes)
        chart = alt.Chart(data).mark_bar().encode(
            x=alt.X("antal:Q", title="Antal som nämner insatsen", scale=alt.Scale(domain=[0, top], nice=False),
                    axis=alt.Axis(format="d", tickMinStep=1, values=list(range(0, top + 1, max(1, top // 10))),
                                  description="Antal som nämner insatsen")),
            **_level_channels(codes),
        ).properties(height=alt.Step(12), title=alt.TitleParams(cat, anchor="start", fontSize=14),
                     description=f"{cat}: antal som nämner varje insats, per nivå")
        st.altair_chart(chart, width="stretch")


def _level_channels(codes) -> dict:
    """The encodings both level charts share: one row per code, one bar per level, its tooltip."""
    return dict(
        y=alt.Y("kod:N", title=None, sort=[c.code_label for c in codes],
                axis=alt.Axis(labelLimit=0, labelOverlap=False, labelFontSize=11,
                              description=f"Insatser, {len(codes)} stycken")),
        yOffset=alt.YOffset("nivå:N", sort=list(_LEVEL_SV.values())),
        color=alt.Color("nivå:N", title="Nivå", scale=_LEVEL_SCALE,
                        legend=alt.Legend(orient="bottom", direction="horizontal", labelLimit=0, titleLimit=0,
                                          description="Färgen visar nivån: " + ", ".join(_LEVEL_SV.values()))),
        description=alt.Description("beskrivning:N"),  # what a screen reader reads for a bar (Vega's is English)
        tooltip=[alt.Tooltip("kod:N", title="Kod"), alt.Tooltip("nivå:N", title="Nivå"),
                 alt.Tooltip("text:N", title="Nämner av dem som svarat"),
                 alt.Tooltip("totalt:Q", title="Totalt", format="d")],
    )


def _compare(store, decisions: tuple, round_label: str | None = None) -> None:
    st.subheader("Regioner, län och kommuner")
    pc = cache.project_coverage(store, decisions, (round_label,) if round_label else ())
    if not any(c.n_excerpts for c in pc.codes.values()):
        st.info("Inga kodningar att jämföra ännu.")
        return
    st.caption("Andel av dem som svarat på varje nivå som nämner insatsen, sorterat efter regionernas andel. "
               f"Räknas: {_counted(decisions)}.")
    codes = sorted(pc.codes.values(), key=lambda c: (-(c.regions.n / max(1, c.regions.n_answered)),
                                                    -(c.lan.n / max(1, c.lan.n_answered))))
    data = _level_rows(pc, codes)
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("andel:Q", title="Andel av dem som svarat", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%", description="Andel av dem som svarat")),
        **_level_channels(codes)).properties(
            height=alt.Step(12), description="Andel av dem som svarat på varje nivå som nämner insatsen")
    st.altair_chart(chart, width="stretch")
    st.caption("Tabellen: hur många som nämner insatsen av dem som svarat; rubriken säger hur många som svarat av "
               "alla (regioner av 21, län med kommunsvar av 20, kommuner med egna svar av 290).")
    table, kw = compare_table(pc, codes)
    st.dataframe(table, hide_index=True, width="stretch", **kw)
    if pc.answered.named_kommuner:
        show(f"Kommuner nämnda i länets svar ({len(pc.answered.named_kommuner)}; räknas inte som kommuner som "
             "svarat): " + ", ".join(f"{k} ({lan})" for k, lan in pc.answered.named_kommuner) + ".")


_COMPARE_HEAD = {"regions": "Regioner", "lan": "Län", "kommuner": "Kommuner"}
COMPARE_NAMED = "Nämnda i RSS-svar"


def compare_table(pc, codes) -> tuple[pd.DataFrame, dict]:
    """The table under the chart and its column_config: per code and level "8 av 11" (mentions of those who
    answered), the level's header who answered of how many ("Regioner (11 av 21)", its help in words). Before,
    each cell said "8 av 11 regioner som svarat (21 totalt)": the table was wider than its frame, its last columns
    cut."""
    a = pc.answered
    heads = {lvl: f"{name} ({len(a.level(lvl))} av {a.totals[lvl]})" for lvl, name in _COMPARE_HEAD.items()}
    table = pd.DataFrame([{"kod": c.code_label,
                           **{heads[lvl]: f"{c.level(lvl).n} av {c.level(lvl).n_answered}" for lvl in _COMPARE_HEAD},
                           COMPARE_NAMED: len(c.named_kommuner)} for c in codes])
    config = {"kod": st.column_config.TextColumn(width=330),
              **{heads[lvl]: st.column_config.TextColumn(
                  width=140, help=f"Nämner insatsen av de {len(a.level(lvl))} {LEVEL_WHO_SV[lvl]} "
                                  f"({a.totals[lvl]} totalt).") for lvl in _COMPARE_HEAD},
              COMPARE_NAMED: st.column_config.NumberColumn(
                  width=130, help="Kommuner nämnda i ett RSS-svar; räknas inte som kommuner som svarat.")}
    return table, {"column_config": config}


def _closed(store, round_label: str | None = None) -> None:
    st.subheader("Slutna frågor per nivå och län")
    questions = [q for q in store.questions() if q.closed]
    answered = cache.answer_frame(store)
    with_choice = sorted(set(answered.loc[answered["choice"].notna(), "question"]))
    ids = [q.id for q in questions] + [q for q in with_choice if q not in {x.id for x in questions}]
    if not ids:
        st.info("Inga slutna frågor (kryssrutor) bland svaren ännu.")
        return
    texts = {q.id: q.text for q in questions}
    qid = st.selectbox("Fråga", ids, format_func=lambda q: f"{q}: {texts.get(q, '')}"[:120], key="oversikt_fraga",
                       placeholder="Välj")
    cc = cache.closed_choices(store, qid, round_label)
    if not cc.options:
        st.info("Inga svar på frågan.")
        return
    show(closed_caption(cc))
    # one row per option and a narrow column per level: the form's long options get the room (before: a column per
    # option, wider than the page); a cut option is read whole by selecting its row
    table_with_full_text(closed_level_table(cc), key="oversikt_slutna_nivaer", full=("Svarsalternativ",),
                         hide_index=True, width="stretch", column_config={
                             "Svarsalternativ": st.column_config.TextColumn(width=520),
                             **{CLOSED_SHORT[lvl]: st.column_config.TextColumn(width=110, help=CLOSED_HELP[lvl])
                                for lvl in cc.levels()}})
    st.markdown("**Per län: vem som valde vad**")
    table_with_full_text(closed_unit_table(cc), key="oversikt_slutna_lan", label=("Län", "Respondent"),
                         full=("Val",), hide_index=True, width="stretch", column_config={
                             "Län": st.column_config.TextColumn(width=130),
                             "Nivå": st.column_config.TextColumn(width=140),
                             "Respondent": st.column_config.TextColumn(width=190),
                             "Val": st.column_config.TextColumn(width=440)})


CLOSED_SHORT = {"regions": "Regioner", "rss": "Län (RSS)", "kommuner": "Kommuner", "other": "Ej placerade"}
CLOSED_HELP = {
    "regions": "Regionernas svar (Region Gotland även när Gotlands kommun svarat).",
    "rss": "Länets gemensamma svar för sina kommuner (RSS): ett svar per län, räknas inte som kommunernas egna svar.",
    "kommuner": "Kommuner som svarat själva (ett RSS-svar räknas inte här).",
    "other": "Respondenter som registret inte kan placera som region, län eller kommun; räknas inte på någon nivå.",
}
_CLOSED_WHO = {"regions": "regioner", "rss": "län med gemensamt kommunsvar (RSS)",
               "kommuner": "kommuner med egna svar", "other": "ej placerade"}
_CLOSED_LEVEL_SV = {"regions": "Region", "rss": "RSS (kommunerna)", "kommuner": "Kommun (eget svar)",
                    "other": "Ej placerad"}


def closed_caption(cc) -> str:
    """Who answered, per level, and how they are counted."""
    said = [f"{_CLOSED_WHO[lvl]}: {cc.answered_figure(lvl)}" for lvl in cc.levels()]
    return ("Varje svar räknas på sin egen nivå: regionerna för sig, länets gemensamma kommunsvar (RSS) som ett svar "
            "för länets kommuner (inte som kommunernas egna svar) och kommuner som svarat själva för sig. "
            "Har svarat på frågan – " + "; ".join(said) + ".")


def closed_level_table(cc) -> pd.DataFrame:
    """One row per option, one column per level: how many chose it; the last row: who answered ("11 av 21")."""
    levels = cc.levels()
    rows = [{"Svarsalternativ": o, **{CLOSED_SHORT[lvl]: str(cc.count(lvl, o)) for lvl in levels}}
            for o in cc.options]
    rows.append({"Svarsalternativ": "Har svarat på frågan",
                 **{CLOSED_SHORT[lvl]: " ".join(cc.answered_figure(lvl).split()[:3]) if lvl != "other"
                    else str(len(cc.answered.get(lvl, ()))) for lvl in levels}})
    return pd.DataFrame(rows)


def closed_unit_table(cc) -> pd.DataFrame:
    """One row per region, län (RSS answer) and kommun with its choice, by län."""
    return pd.DataFrame([{"Län": lan, "Nivå": _CLOSED_LEVEL_SV[lvl], "Respondent": unit, "Val": choice}
                         for lan, lvl, unit, choice in cc.rows], columns=["Län", "Nivå", "Respondent", "Val"])


def render() -> None:
    st.title("Översikt")
    store = shell.require_store()
    if guide.empty_project(store, "översikten: respondent × kod, koder per kategori och slutna frågor"):
        return
    decisions = _decisions()
    round_label = _round(store)
    st.caption("Räknas: " + ", ".join(DECISION_LABELS_SV[d] for d in decisions))
    tab1, tab2, tab3, tab4 = st.tabs(["Matris", "Per kategori", "Regioner, län och kommuner", "Slutna frågor"])
    with tab1:
        _heatmap(store, decisions, round_label)
    with tab2:
        _by_category(store, decisions, round_label)
    with tab3:
        _compare(store, decisions, round_label)
    with tab4:
        _closed(store, round_label)


render()
