"""A table cell is cut at its column's width (qa27: answers, excerpts and warnings could not be read whole):
`ui.safe.table_with_full_text` shows a selected row's whole text below the table, literally."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest


ROOT = Path(__file__).resolve().parents[1]
SCRIPT = """
import sys
sys.path.insert(0, {root!r})
import pandas as pd
from ui.safe import table_with_full_text

texts = {texts!r}
table_with_full_text(pd.DataFrame({{"respondent": [f"Region {{i}}" for i in range(len(texts))], "utdrag": texts}}),
                     key="t", label=("respondent",), full=("utdrag",), hide_index=True)
"""


def _page(texts: list[str]):
    at = AppTest.from_string(SCRIPT.format(root=str(ROOT), texts=texts), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_selected_rows_long_text_is_shown_whole_as_plain_text():
    long = "Vi har mobila team i hela länet " * 12 + "<b>fet</b> **inte fet** =SUM(A1)"
    at = _page(["kort", long])
    assert at.dataframe[0].proto.selection_mode  # rows can be selected
    assert any("Välj en rad" in c.value for c in at.caption)
    assert long not in [t.value for t in at.text]
    at.session_state["t"] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    at.run()
    assert [t.value for t in at.text] == ["Region 1", long]  # the row named, the whole text, literally
    assert not any("mobila team" in m.value for m in at.markdown)


def test_short_texts_give_a_plain_table_without_a_hint():
    at = _page(["kort", "också kort"])
    assert not at.dataframe[0].proto.selection_mode
    assert not at.caption and not at.text
