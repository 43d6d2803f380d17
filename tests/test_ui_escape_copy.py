"""Names shown through Markdown (ui.safe.md / ui.highlight.escape) render as typed and are copied as typed: an
invisible word joiner is added only where Streamlit 1.67 would otherwise make a link, its logo or an arrow of the
text (checked in Chromium: see the report of qa45); download file names hold no escape characters."""
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


@pytest.mark.parametrize("name,kept", [("www.x.se", "www" + JOINER + "."), ("anna@x.se", "anna" + JOINER + "@"),
                                       ("Team :streamlit: kod", ":" + JOINER + "streamlit"),
                                       ("Före -> efter", "-" + JOINER + ">"), ("A -- B", "-" + JOINER + "-"),
                                       ("x >= 3", ">" + JOINER + "=")])
def test_a_joiner_only_where_streamlit_would_change_the_text(name, kept):
    shown = _unescaped(md(name))
    assert kept in shown, shown
    assert shown.replace(JOINER, "") == name


@pytest.mark.parametrize("project", ["Svar\\:2022", "Region: Dalarna [test]", "Projekt \u2060ett", "a/b\\c"])
def test_download_names_hold_no_escape_characters(project):
    names = [file_name(project, fmt) for fmt in FORMATS] + [f"{state.slug(project)}_urval.qdpx"]
    for n in names:
        assert "\\" not in n and JOINER not in n and "/" not in n, n
