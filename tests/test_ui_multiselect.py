"""Multiselects read Swedish: no English "Select all" bulk option (it also merged every cluster in one click)."""
from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

from ui.filters import NO_SELECT_ALL, multi

ROOT = Path(__file__).resolve().parents[1]


class _Recorder:
    def multiselect(self, label, options, **kwargs):
        self.kwargs = kwargs
        return []


def test_multi_turns_off_select_all_where_streamlit_has_it():
    import inspect

    rec = _Recorder()
    multi(rec, "Slå ihop med", ["a", "b"], key="x", placeholder="Välj kluster")
    if "select_all" in inspect.signature(st.multiselect).parameters:
        assert rec.kwargs.get("select_all") is False, rec.kwargs
        assert NO_SELECT_ALL == {"select_all": False}
    assert rec.kwargs["placeholder"] == "Välj kluster"


def test_every_multiselect_of_the_ui_goes_without_select_all():
    for path in (ROOT / "ui").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for m in re.finditer(r"\bst\.multiselect\(", source):
            call = source[m.start(): source.find("\n\n", m.start())]
            assert "NO_SELECT_ALL" in call, f"{path.name}: {call[:120]}"
