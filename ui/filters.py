"""Shared filter widgets for excerpt tables (Teman, Exportera) and the Swedish labels they show."""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Optional

import pandas as pd
import streamlit as st

from models import question_texts
from models.records import DECISION_LABELS_SV
from models.rounds import sort_rounds
from models.store import question_sort_key
from ui import texts

TYPE_SV = {"region": "region", "kommun": "kommun", "rss": "RSS"}
DECISION_ORDER = ["suggested", "accepted", "manual", "rejected"]


@dataclass
class ExcerptFilter:
    """The current selection; empty lists mean no filter."""

    respondents: list[str] = field(default_factory=list)
    lans: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    scopes: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=lambda: ["suggested", "accepted", "manual"])
    hide_negated: bool = True
    rounds: list[str] = field(default_factory=list)

    def apply(self, df: pd.DataFrame) -> pd.DataFrame:
        """Rows of an `excerpt_frame` that match the selection."""
        mask = pd.Series(True, index=df.index)
        for column, values in (("respondent", self.respondents), ("lan", self.lans),
                               ("respondent_type", self.types), ("question_id", self.questions),
                               ("status", self.statuses), ("scope", self.scopes), ("decision", self.decisions),
                               ("round", self.rounds)):
            if values and column in df:
                mask &= df[column].isin(values)
        if self.hide_negated and "negated" in df:
            mask &= ~df["negated"].astype(bool)
        return df[mask]


def excerpt_filters(df: pd.DataFrame, prefix: str, *, decisions_default: Optional[list[str]] = None,
                    show_negated_toggle: bool = True) -> ExcerptFilter:
    """Filter widgets over an excerpt frame's values; returns the selection."""
    f = ExcerptFilter()
    # two filters a row: in four narrow columns a chosen län or decision was cut to "f… ×" at 1024 px
    c1, c2 = st.columns(2)
    c3, c4 = st.columns(2)
    f.respondents = multi(c1, "Respondent", sorted(df["respondent"].dropna().unique()), key=f"{prefix}_resp")
    f.lans = multi(c2, "Län", sorted(v for v in df["lan"].dropna().unique() if v), key=f"{prefix}_lan")
    f.types = multi(c3, "Typ", ["region", "kommun", "rss"], format_func=lambda t: TYPE_SV.get(t, t),
                             key=f"{prefix}_typ")
    qtexts = (question_texts.combine(zip(df["round"] if "round" in df else [""] * len(df), df["question_id"],
                                         df["question_text"])) if "question_text" in df else {})
    f.questions = multi(c4, "Fråga", sorted(df["question_id"].dropna().unique(), key=question_sort_key),
                        format_func=lambda q: texts.question_label(q, qtexts, 50), key=f"{prefix}_fraga")
    c5, c6 = st.columns(2)
    c7 = c8 = st  # the decisions' three chips need the whole width
    f.statuses = multi(c5, "Status", ["planerad", "pågående", "genomförd", "okänd"], key=f"{prefix}_status")
    f.scopes = multi(c6, "Omfattning", sorted(set(df["scope"].dropna()) | {"projekt/pilot", "breddinförd", "okänd"}),
                              key=f"{prefix}_scope")
    f.decisions = multi(c7, 
        "Beslut", DECISION_ORDER, default=decisions_default or ["suggested", "accepted", "manual"],
        format_func=lambda d: DECISION_LABELS_SV.get(d, d), key=f"{prefix}_beslut",
    )
    rounds = round_options(df)
    if len(rounds) > 1:
        f.rounds = multi(st, "Omgång", rounds, format_func=lambda r: r or "(ingen omgång)", key=f"{prefix}_omgang")
    if show_negated_toggle:
        f.hide_negated = not c8.toggle("Visa negerade omnämnanden", value=False, key=f"{prefix}_neg")
    else:
        f.hide_negated = False
    return f


def round_options(df: pd.DataFrame) -> list[str]:
    """The rounds present in a frame's `round` column, chronological."""
    return sort_rounds(df["round"].fillna("").unique()) if "round" in df and len(df) else []


# Streamlit >= 1.5x draws a "Select all" option (English) in every multiselect; in a filter an empty choice
# already means all, and in "Slå ihop med" one click merged every cluster. Off wherever the version has it.
NO_SELECT_ALL = {"select_all": False} if "select_all" in inspect.signature(st.multiselect).parameters else {}


def multi(container, label: str, options, **kwargs):
    """`container.multiselect` with a Swedish placeholder (an empty choice means all), no "Select all"."""
    kwargs.setdefault("placeholder", "Alla")
    for k, v in NO_SELECT_ALL.items():
        kwargs.setdefault(k, v)
    return container.multiselect(label, options, **kwargs)


# The browser keeps drawing the labels a select box or multiselect was first drawn with while its key stays, so
# after an action that changes them (a merge or move changes clusters' sizes, a rename a code's or a project's
# name, a correction an answer's respondent) it showed the old ones. These widgets are keyed by their labels too,
# and the choice is kept under the plain key across the new widget.
def labels_key(key: str, options, format_func=str) -> str:
    """`key` with a checksum of the options' labels ('<key>__<crc>'): a new widget when a label changes."""
    import zlib

    text = "\n".join(str(format_func(o)) for o in options)
    return f"{key}__{zlib.crc32(text.encode('utf-8')):08x}"


def select(container, label: str, options, *, key: str, format_func=str, index: int = 0, **kwargs):
    """`container.selectbox` that shows its options' current labels after an action (see `labels_key`)."""
    options = list(options)
    kwargs.setdefault("placeholder", "Välj")  # Streamlit's own is "Choose an option" (also the field's placeholder)
    before = st.session_state.get(key)
    if before in options:
        index = options.index(before)
    chosen = container.selectbox(label, options, index=index, format_func=format_func,
                                 key=labels_key(key, options, format_func), **kwargs)
    st.session_state[key] = chosen
    return chosen


def multi_labelled(container, label: str, options, *, key: str, format_func=str, **kwargs):
    """`multi` that shows its options' current labels after an action (see `labels_key`); the choice is kept."""
    options = list(options)
    before = st.session_state.get(key)
    if isinstance(before, list):
        kwargs["default"] = [o for o in before if o in options]
    chosen = multi(container, label, options, format_func=format_func, key=labels_key(key, options, format_func),
                   **kwargs)
    st.session_state[key] = chosen
    return chosen
