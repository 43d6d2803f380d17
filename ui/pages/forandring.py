"""Förändring: per code and respondent, what changed between two rounds, with both rounds' excerpts."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from export.change_report import to_xlsx
from models import round_views
from models.change import CHANGES, CHANGE_LABELS_SV
from models.rounds import mapping_between
from ui import cache, guide, safe, shell
from ui.filters import TYPE_SV, multi
from ui.safe import md, short, show

ALL_CODES = "__alla__"
ALL_QUESTIONS = "__alla__"
TREND_TOP = 10


@st.cache_data(show_spinner=False, max_entries=50)
def _rounds(path: str, version: int) -> list:
    return round_views.rounds(cache.get_store(path))


@st.cache_data(show_spinner=False, max_entries=50)
def _table(path: str, version: int, a: str, b: str, decisions: tuple, code: str | None,
           q_from: tuple | None, q_to: tuple | None) -> pd.DataFrame:
    store = cache.get_store(path)
    return round_views.change_table(store, a, b, decisions=decisions, code_ids=[code] if code else None,
                                    questions_from=q_from, questions_to=q_to, doc=cache.codebook_doc(store))


@st.cache_data(show_spinner=False, max_entries=50)
def _trend(path: str, version: int, decisions: tuple, code: str | None) -> pd.DataFrame:
    return round_views.coverage_by_round(cache.get_store(path), decisions=decisions,
                                         code_ids=[code] if code else None)


def _question_filter(a: str, b: str) -> tuple[tuple | None, tuple | None]:
    """"The same question" in both rounds through the forms' question mapping (None = all questions)."""
    try:
        mapping = mapping_between(a, b)
    except Exception as exc:  # noqa: BLE001 - a broken mapping file must not stop the page
        safe.failure(f"Frågemappningen mellan omgångarna {md(a)} och {md(b)} kunde inte läsas, så alla frågor jämförs. "
                     "Kontrollera formulärfilerna (data/forms) eller skicka de tekniska detaljerna nedan till den som "
                     "förvaltar Svarsanalys.", exc, level="warning")
        return None, None
    if mapping is None:
        st.caption(f"Det finns ingen frågemappning mellan omgångarna {md(a)} och {md(b)}, så alla frågor jämförs.")
        return None, None
    options = [ALL_QUESTIONS] + list(mapping.pairs)
    chosen = st.selectbox(
        "Fråga (samma fråga i båda omgångarna)", options, key="forandring_fraga",
        format_func=lambda q: "Alla frågor" if q == ALL_QUESTIONS
        else f"{a}: {q} → {b}: {', '.join(mapping.forward(q))}", placeholder="Välj")
    if mapping.splits():
        st.caption(md("Delade frågor: " + "; ".join(f"{a} fråga {f} blev {', '.join(t)} i {b}"
                                                 for f, t in mapping.splits().items())))
    if chosen == ALL_QUESTIONS:
        return None, None
    froms, tos = mapping.related(chosen, mapping.from_round)
    return tuple(sorted(froms)), tuple(sorted(tos))


def _trend_chart(store, labels: list[str], decisions: tuple, code: str | None) -> None:
    st.subheader("Täckning per omgång")
    if len(labels) < 2:
        return
    trend = _trend(str(store.path), store.data_version, decisions, code)
    if trend.empty:
        st.info("Inga kodningar att visa.")
        return
    order = labels
    if code:
        # the three levels of the coverage model, each as a share of those who answered in the round (a
        # share of all 21 regions or 290 kommuner hid the change: kommuner mostly answer through their RSS)
        rows = []
        for _, r in trend.iterrows():
            for group, n, answered, total in (
                    ("regioner", r["n_regions"], r["n_regions_answered"], r["n_regions_total"]),
                    ("län med kommunsvar", r["n_lan"], r["n_lan_answered"], None),
                    ("kommuner (egna svar)", r["n_kommuner"], r["n_kommuner_answered"], r["n_kommuner_total"])):
                if not answered:
                    continue
                rows.append({"omgång": r["round"], "grupp": group, "andel": n / answered,
                             "antal": f"{n} av {answered} som svarat" + (f" ({total} totalt)" if total else "")})
        data = pd.DataFrame(rows, columns=["omgång", "grupp", "andel", "antal"])
        data["beskrivning"] = [f"{o}, {g}: {a}" for o, g, a in zip(data["omgång"], data["grupp"], data["antal"])]
        st.caption("Andel som nämner koden av dem som svarade i omgången, per nivå.")
        y = alt.Y("andel:Q", title="Andel som nämner koden", axis=alt.Axis(format="%"))
        color = alt.Color("grupp:N", title=None, legend=alt.Legend(orient="right"))
        tooltip = [alt.Tooltip("omgång:N", title="Omgång"), alt.Tooltip("grupp:N", title="Grupp"),
                   alt.Tooltip("antal:N", title="Antal")]
    else:
        last = trend[(trend["round"] == order[-1]) & (trend["n_respondents"] > 0)]  # codes nobody mentions: not drawn
        latest = last.nlargest(TREND_TOP, "n_respondents")["code_id"]
        data = trend[trend["code_id"].isin(latest)].rename(columns={"round": "omgång", "code_label": "kod",
                                                                   "n_respondents": "respondenter"})
        answered = {r.label: r.n_respondents for r in _rounds(str(store.path), store.data_version)}
        data = data.assign(andel=[n / max(1, answered.get(r, 0)) for n, r in zip(data["respondenter"],
                                                                                   data["omgång"])])
        data["beskrivning"] = [f"{o}, {k}: {n} respondenter ({a:.0%})".replace("%", " %") for o, k, n, a in
                               zip(data["omgång"], data["kod"], data["respondenter"], data["andel"])]
        y = alt.Y("andel:Q", title="Andel av omgångens respondenter", axis=alt.Axis(format="%"))
        color = alt.Color("kod:N", title="Kod", legend=alt.Legend(orient="right", labelLimit=320))
        tooltip = [alt.Tooltip("omgång:N", title="Omgång"), alt.Tooltip("kod:N", title="Kod"),
                   alt.Tooltip("respondenter:Q", title="Respondenter"),
                   alt.Tooltip("andel:Q", title="Andel", format=".0%")]
        st.caption(f"De {len(latest)} koder som nämns av flest respondenter i {md(order[-1])}, som andel av de "
                   "respondenter som svarade i varje omgång.")
    # a screen reader reads each point by its Swedish description (Vega's own is English and names the columns)
    chart = alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("omgång:O", title="Omgång", sort=order, axis=alt.Axis(labelAngle=0, description="Omgångar")), y=y,
        color=color, tooltip=tooltip, description=alt.Description("beskrivning:N")).properties(
            height=360, description="Trend över omgångarna")
    st.altair_chart(chart, width="stretch")
    if len(labels) < 3:
        st.caption("Med tre eller fler omgångar visar diagrammet en trend över flera år.")


def _side_by_side(shown: pd.DataFrame, a: str, b: str) -> None:
    st.subheader("Utdragen sida vid sida")
    if shown.empty:
        return
    keys = list(shown.index)
    choice = st.selectbox(
        "Respondent och kod", keys, key="forandring_rad",
        format_func=lambda i: short(f"{shown.at[i, 'respondent']} · {shown.at[i, 'code_label']} · "
                                    f"{shown.at[i, 'change_sv']}", 120), placeholder="Välj")
    row = shown.loc[choice]
    left, right = st.columns(2)
    for col, side, label in ((left, "from", a), (right, "to", b)):
        with col:
            with st.container(border=True):
                st.markdown(f"**Omgång {md(label)}**")
                answered = bool(row[f"answered_{side}"])
                if row[f"{side}_present"]:
                    st.caption(f"Status: {row[f'{side}_status']} · omfattning: {row[f'{side}_scope']}")
                    for text in row[f"{side}_excerpts"]:
                        show(str(text))
                elif answered:
                    st.caption("Nämns inte i omgångens svar.")
                else:
                    st.caption("Respondenten svarade inte i den här omgången.")


def _file_name(project: str, a: str, b: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in f"{project}_forandring_{a}_{b}")
    return safe.strip("_") + ".xlsx"


def render() -> None:
    st.title("Förändring")
    store = shell.require_store()
    if guide.empty_project(store, "förändringen mellan två omgångar (t.ex. 2021 och 2022) per respondent och kod"):
        return
    infos = _rounds(str(store.path), store.data_version)
    labels = [r.label for r in infos if r.label]
    if len(labels) < 2:
        has = "bara en namngiven omgång" if labels else "ingen namngiven omgång"
        st.info("Förändring jämför två omgångar (t.ex. 2021 och 2022, eller del- och slutredovisning). "
                f"Projektet har {has}. Ange omgång när du importerar svar på sidan "
                "Importera (eller med `cli.py import --round`).")
        return
    codes = cache.code_frame(store)
    names = dict(zip(codes["code_id"], codes["code_label"]))
    c1, c2, c3 = st.columns(3)
    a = c1.selectbox("Från omgång", labels, index=len(labels) - 2, key="forandring_fran", placeholder="Välj")
    b = c2.selectbox("Till omgång", labels, index=len(labels) - 1, key="forandring_till", placeholder="Välj")
    code = c3.selectbox("Kod", [ALL_CODES] + list(codes["code_id"]), key="forandring_kod",
                        format_func=lambda c: "Alla koder" if c == ALL_CODES else names.get(c, c), placeholder="Välj")
    code = None if code == ALL_CODES else code
    c4, c5 = st.columns(2)
    include = c4.toggle("Räkna med förslag som inte granskats", value=True, key="forandring_forslag",
                        help="Av: bara godkända och manuella kodningar räknas.")
    decisions = ("suggested", "accepted", "manual") if include else ("accepted", "manual")
    both_only = c5.toggle("Bara respondenter som svarade i båda omgångarna", value=True, key="forandring_bada",
                          help="Av: även respondenter som bara svarade i en av omgångarna (allt blir då nytt "
                               "eller nämns inte längre).")
    if a == b:
        st.warning("Välj två olika omgångar.")
        return
    q_from, q_to = _question_filter(a, b)
    table = _table(str(store.path), store.data_version, a, b, decisions, code, q_from, q_to)
    filtered_away = False
    if both_only and not table.empty:
        table = table[table["answered_from"] & table["answered_to"]]
        filtered_away = table.empty
    if table.empty:
        st.info(f"Ingen respondent som svarade i både {md(a)} och {md(b)} har kodade omnämnanden med det här urvalet. "
                "Slå av ”Bara respondenter som svarade i båda omgångarna” för att se alla."
                if filtered_away else "Inga kodade omnämnanden i någon av omgångarna med det här urvalet.")
        _trend_chart(store, labels, decisions, code)
        return

    counts = table["change"].value_counts()
    cols = st.columns(len(CHANGES))
    for col, kind in zip(cols, CHANGES):
        col.metric(CHANGE_LABELS_SV[kind].capitalize(), int(counts.get(kind, 0)))
    c6, c7 = st.columns(2)
    kinds = multi(c6, "Förändring", list(CHANGES), format_func=CHANGE_LABELS_SV.get, key="forandring_typ")
    types = multi(c7, "Respondenttyp", ["region", "kommun", "rss"], format_func=lambda t: TYPE_SV.get(t, t),
                  key="forandring_resptyp")
    shown = table
    if kinds:
        shown = shown[shown["change"].isin(kinds)]
    if types:
        shown = shown[shown["respondent_type"].isin(types)]
    st.caption(f"{len(shown)} av {len(table)} respondent–kod-par. Flera utdrag av samma kod i en omgång: "
               "den mest framskridna statusen och omfattningen räknas.")
    view = pd.DataFrame({
        "respondent": shown["respondent"],
        "kod": shown["code_label"],
        "förändring": shown["change_sv"],
        f"status {a}": shown["from_status"], f"omfattning {a}": shown["from_scope"],
        f"status {b}": shown["to_status"], f"omfattning {b}": shown["to_scope"],
        "typ": shown["respondent_type"].map(lambda t: TYPE_SV.get(t, t)),
        "län": shown["lan"],
    })
    # widths that keep respondent, code and change in sight at 1024 px (the change was the third, off-screen column)
    st.dataframe(view, hide_index=True, width="stretch", key="forandring_tabell", column_config={
        "respondent": st.column_config.TextColumn(width=170), "kod": st.column_config.TextColumn(width=210),
        "förändring": st.column_config.TextColumn(width=130)})
    _side_by_side(shown, a, b)

    if st.button("Skapa Excel-fil", key="forandring_excel"):
        st.session_state["forandring_xlsx"] = (
            (store.data_version, a, b, decisions, code, q_from, q_to),
            to_xlsx(store, a, b, decisions=decisions, code_ids=[code] if code else None, table=shown,
                    trend=_trend(str(store.path), store.data_version, decisions, code)))
    ready = st.session_state.get("forandring_xlsx")
    if ready and ready[0] == (store.data_version, a, b, decisions, code, q_from, q_to):
        st.download_button("Ladda ner Excel-fil", ready[1], file_name=_file_name(store.name, a, b),
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key="forandring_dl", type="primary")
    _trend_chart(store, labels, decisions, code)


render()
