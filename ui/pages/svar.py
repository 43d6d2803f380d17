"""Svar: every answer in a sortable, filterable table; respondent and question editable."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from export.csv_export import frame_to_csv
from models import question_texts
from models.answer_edits import apply_table_edits, respondent_label
from models.rounds import sort_rounds
from models.store import question_sort_key
from reference import registry
from ui import cache, guide, shell, state, texts
from ui.filters import multi, select
from ui.safe import show

TYPE_SV = {"region": "region", "kommun": "kommun", "rss": "RSS"}
FULL_TEXT_LIMIT = 50


def _all_full_label(n: int) -> str:
    """The toggle that shows the selection's answers whole (it said "de 1 första" of one answer)."""
    if n == 1:
        return "Visa svaret med hela texten"
    if n <= FULL_TEXT_LIMIT:
        return f"Visa urvalets {n} svar med hela texten"
    return f"Visa urvalets svar med hela texten (de {FULL_TEXT_LIMIT} första av {n})"


def _filters(df: pd.DataFrame) -> pd.DataFrame:
    c1, c2 = st.columns(2)  # two a row: a chosen län or question stays readable at 1024 px
    c3, c4 = st.columns(2)
    types = multi(c1, "Typ", sorted(df["typ"].dropna().unique()), key="svar_typ")
    lans = multi(c2, "Län", sorted(df["län"].dropna().unique()), key="svar_lan")
    qtexts = question_texts.combine(zip(df["omgång"], df["fråga"], df["frågetext"]))  # every round's wording
    questions = multi(c3, "Fråga", sorted(df["fråga"].unique(), key=question_sort_key), key="svar_q",
                      format_func=lambda q: texts.question_label(q, qtexts, 50))
    search = c4.text_input("Sök i text", key="svar_sok")
    rounds = sort_rounds(df["omgång"].unique())
    chosen_rounds = multi(st, "Omgång", rounds, format_func=lambda r: r or "(ingen omgång)", key="svar_omgang") \
        if len(rounds) > 1 else []
    only_pii = st.toggle("Visa bara svar med personuppgifter (e-post, telefon, personnummer)", key="svar_pii")
    if only_pii:
        df = df[df["personuppgifter"] != ""]
    if chosen_rounds:
        df = df[df["omgång"].isin(chosen_rounds)]
    if types:
        df = df[df["typ"].isin(types)]
    if lans:
        df = df[df["län"].isin(lans)]
    if questions:
        df = df[df["fråga"].isin(questions)]
    if search.strip():
        df = df[df["text"].str.contains(search.strip(), case=False, regex=False, na=False)]
    return df


def render() -> None:
    st.title("Svar")
    flash = st.session_state.pop("svar_flash", None)
    if flash:
        st.success(flash)
    store = shell.require_store()
    if guide.empty_project(store, "alla svar i en tabell där respondent och fråga kan rättas"):
        return
    raw = cache.answer_frame(store)
    wordings = cache.answer_question_texts(store)  # each answer's question as asked in its round
    qtexts = cache.question_texts(store)
    df = pd.DataFrame({
        "svars-id": raw["answer_id"],
        "respondent": [respondent_label(n, t) for n, t in zip(raw["respondent"], raw["respondent_type"])],
        "typ": raw["respondent_type"].map(lambda t: TYPE_SV.get(t or "", "okänd")),
        "län": raw["lan"].fillna(""),
        "fråga": raw["question"],
        "frågetext": [wordings.get(int(i), "") for i in raw["answer_id"]],
        "val": raw["choice"].fillna(""),
        "text": raw["text"],
        "fil": raw["file"],
        "omgång": raw["round"].fillna("") if "round" in raw else "",
    })
    ocr_conf = store.ocr_confidences()
    df["OCR"] = [f"OCR {ocr_conf[int(i)]:.0f} %" if int(i) in ocr_conf else "" for i in df["svars-id"]]
    found = cache.pii(store)
    df["personuppgifter"] = [found.get(int(i), "") for i in df["svars-id"]]
    shown = _filters(df)
    analyst = state.analyst()
    editable = " Respondent och fråga kan ändras direkt i tabellen." if analyst else ""
    st.caption(f"{len(shown)} av {len(df)} svar.{editable}")
    if ocr_conf:
        st.info(f"{len(ocr_conf)} svar är lästa med OCR från inskannade sidor (kolumnen OCR visar säkerheten); "
                "kontrollera dem mot originalet.")
    speaks = store.speaks_for()
    shown_rss = {label for label, t in zip(shown["respondent"], shown["typ"]) if t == TYPE_SV.get("rss")}
    for name, kommuner in speaks.items():
        if respondent_label(name, "rss") in shown_rss:
            show(f"{name} anger att svaret avser {len(kommuner)} kommuner: {', '.join(kommuner)}. "
                       "De visas som nämnda i länets svar och räknas inte som kommuner som svarat.")
    if found:
        st.warning(f"{len(found)} svar innehåller personuppgifter (se kolumnen personuppgifter). "
                   "De kan maskeras vid export.")

    respondent_options = sorted(set(df["respondent"]))
    registry_labels = {}
    for entry in registry.all_respondents():
        label = respondent_label(entry.name, entry.type)
        registry_labels[label] = entry
    respondent_options = sorted(set(respondent_options) | set(registry_labels))
    question_options = sorted(set(df["fråga"]) | {q.id for q in store.questions()}, key=question_sort_key)
    edited = st.data_editor(
        shown,
        # the answer comes right after who and which question: on a small screen it is not pushed out of sight; a
        # closed question's answer is its choice, so "val" stands beside the text (an empty text is no missing answer)
        column_order=["respondent", "fråga", "val", "text", "frågetext", "typ", "län", "fil", "personuppgifter"],
        key=f"svar_editor_{store.data_version}",
        hide_index=True,
        width="stretch",
        height=min(520, 35 * (len(shown) + 1) + 3),
        disabled=True if not analyst else ["svars-id", "typ", "län", "frågetext", "val", "text", "fil", "omgång",
                                            "OCR", "personuppgifter"],
        column_config={
            "svars-id": None,  # the answer's id stays in the data (for saving edits) but is not shown
            "respondent": st.column_config.SelectboxColumn("respondent", options=respondent_options, required=True,
                                                           width=250),
            "fråga": st.column_config.SelectboxColumn("fråga", options=question_options, required=True,
                                                      width="small"),
            "val": st.column_config.TextColumn("val", width="small",
                                               help="Det valda svarsalternativet på en fråga med fasta alternativ."),
            "frågetext": st.column_config.TextColumn("frågetext", width="medium"),
            "text": st.column_config.TextColumn("text", width="large",
                                                help="Hela texten: håll muspekaren över cellen eller se nedan."),
        },
    )
    if not analyst:
        st.caption(shell.name_hint("kunna rätta respondent eller fråga"))
    # the app's own download: no cell can start a spreadsheet formula (Streamlit's table download is hidden)
    st.download_button(
        "Ladda ner svaren i urvalet (CSV)", key="svar_csv", mime="text/csv", file_name="svar.csv",
        data=frame_to_csv(shown[["respondent", "typ", "län", "fråga", "frågetext", "val", "text", "fil", "omgång",
                                 "personuppgifter"]]))
    changes = edited.compare(shown) if len(edited) == len(shown) else pd.DataFrame()
    if not changes.empty:
        n = apply_table_edits(store, shown, edited, registry_labels, raw, analyst)
        if n:
            # shown after the rerun that draws the saved table (a message before st.rerun() is never seen)
            st.session_state["svar_flash"] = (f"{n} ändringar sparade." if n != 1 else "1 ändring sparad.")
            st.rerun()

    st.divider()
    st.subheader("Hela svaren")
    ids = list(shown["svars-id"])
    if ids:
        labels = {i: f"{r} · {texts.question_label(q, {q: wordings.get(int(i), qtexts.get(q, ''))})}"
                  for i, r, q in zip(shown["svars-id"], shown["respondent"], shown["fråga"])}
        # keyed by the labels too: a corrected respondent or question shows at once (ui.filters.select)
        chosen = select(st, "Välj svar", ids, format_func=lambda i: labels[i], key="svar_full")
        show(str(df.loc[df["svars-id"] == chosen, "text"].iloc[0]))
        if st.toggle(_all_full_label(len(ids)), key="svar_all_full"):
            for i in ids[:FULL_TEXT_LIMIT]:
                with st.container(border=True):
                    st.caption("Svar")
                    show(labels[i])
                    show(str(df.loc[df["svars-id"] == i, "text"].iloc[0]))



render()
