"""Names shown through Markdown (ui.safe.md / ui.highlight.escape) render as typed and are copied as typed: where
Streamlit 1.67 would otherwise make a link, its logo or an arrow of the text, an empty colour directive
(highlight.SPLIT, drawn as an empty span) cuts it — no invisible character is added any more (qa46; checked in
Chromium by tests/browser/test_browser_names.py); download file names hold no escape characters."""
from __future__ import annotations

import re

import pytest

from export.formats import FORMATS, file_name
from ui import highlight, state
from ui.safe import md

JOINER = "\u2060"


def _unescaped(source: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", source)


@pytest.mark.parametrize("name", ["Region:Dalarna", "Kod :smile: och :red[x]", ":material/home:", "Anna's kod (v2)",
                                  "Mobila team – 2022", "a-b c--d", "50% > 40%", "Fil_1.docx"])
def test_a_name_gets_no_invisible_characters(name):
    shown = md(name)
    assert JOINER not in shown, shown
    assert _unescaped(shown) == name


@pytest.mark.parametrize("name,kept", [("www.x.se", "www" + highlight.SPLIT + "\\."),
                                       ("anna@x.se", "anna" + highlight.SPLIT + "\\@"),
                                       ("Team :streamlit: kod", "streamlit" + highlight.SPLIT + "\\:"),
                                       ("Före -> efter", "\\-" + highlight.SPLIT + "\\>"),
                                       ("A -- B", "\\-" + highlight.SPLIT + "\\-"),
                                       ("x >= 3", "\\>" + highlight.SPLIT + "\\=")])
def test_a_cut_only_where_streamlit_would_change_the_text(name, kept):
    source = md(name)
    assert kept in source, source
    assert JOINER not in source
    assert _unescaped(source.replace(highlight.SPLIT, "")) == name


def test_a_nul_in_the_text_cannot_make_a_cut():
    assert md("a\x00b") == "ab" and highlight.SPLIT not in md(":gray[]")


@pytest.mark.parametrize("project", ["Svar\\:2022", "Region: Dalarna [test]", "Projekt \u2060ett", "a/b\\c"])
def test_download_names_hold_no_escape_characters(project):
    names = [file_name(project, fmt) for fmt in FORMATS] + [f"{state.slug(project)}_urval.qdpx"]
    for n in names:
        assert "\\" not in n and JOINER not in n and "/" not in n, n
