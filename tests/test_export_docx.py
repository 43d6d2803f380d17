"""Word report: summary table first, coverage sentence, respondents and quotes per code."""
from __future__ import annotations

import io

import docx
import pytest

from export.docx_report import to_docx
from export.selection import Selection
from tests.test_export_support import REGISTRY, build_project


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = build_project(tmp_path_factory.mktemp("docx") / "p.sqlite")
    yield s
    s.close()


def _body_order(document) -> list[str]:
    """'table' or the paragraph text, in document order."""
    out = []
    for el in document.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            out.append("<table>")
        elif tag == "p":
            out.append("".join(t.text or "" for t in el.iter() if t.tag.endswith("}t")))
    return out


def test_report_summary_table_comes_first_and_counts(store):
    document = docx.Document(io.BytesIO(to_docx(store, reg=REGISTRY)))
    order = _body_order(document)
    assert order.index("<table>") < order.index("Mobila team")
    rows = [[c.text for c in r.cells] for r in document.tables[0].rows]
    assert rows[0] == ["Kategori", "Kod", "Regioner", "Kommuner", "Utdrag"]
    assert ["Proaktivt arbete", "Mobila team", "1 av 3", "4 av 6", "9"] in rows
    assert ["Proaktivt arbete", "Palliativ vård", "0 av 3", "0 av 6", "0"] in rows


def test_report_sections_have_sentence_respondents_and_quotes(store):
    document = docx.Document(io.BytesIO(to_docx(store, reg=REGISTRY)))
    paras = [(p.style.name, p.text) for p in document.paragraphs]
    texts = [t for _, t in paras]
    assert ("Heading 1", "Proaktivt arbete") in paras and ("Heading 2", "Mobila team") in paras
    assert "Mobila team nämns av 1 av 3 regioner och 4 av 6 kommuner." in texts
    assert "Respondenter: Dalarnas kommuner, Malmö, Region Dalarna." in texts
    start = texts.index("Mobila team nämns av 1 av 3 regioner och 4 av 6 kommuner.")
    end = texts.index("Delaktighet")
    quotes = [t for s, t in paras[start:end] if s == "Quote"]
    assert 1 <= len(quotes) <= 3
    assert "”Vi har mobila team i hela länet.”" in quotes
    assert any(t.startswith("– Region Dalarna, fråga 13a") for t in texts[start:end])
    # codes without excerpts are listed, not given an empty section
    assert ("Heading 2", "Palliativ vård") not in paras
    assert texts[texts.index("Koder utan kodade utdrag") + 1] == "Palliativ vård."


def test_report_follows_selection_and_suggestions(store):
    only_sip = docx.Document(io.BytesIO(to_docx(store, Selection(code_ids=["sip"]), reg=REGISTRY)))
    texts = [p.text for p in only_sip.paragraphs]
    assert "Mobila team" not in texts
    assert any(t.startswith("SIP – samordnad individuell plan nämns av") for t in texts)
    with_sugg = docx.Document(io.BytesIO(to_docx(store, Selection(include_suggestions=True), reg=REGISTRY)))
    assert ("Heading 2", "Palliativ vård") in [(p.style.name, p.text) for p in with_sugg.paragraphs]
