"""Word report: a chapter draft with method, coverage per category (chart, sentences, quotes) and an appendix."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from export.docx_report import to_docx
from export.selection import Selection
from tests.test_export_support import build_project

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "test-output" / "report"
EMU_PER_CM = 360000


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = build_project(tmp_path_factory.mktemp("docx") / "p.sqlite")
    yield s
    s.close()


def _paras(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs]


def _body(document) -> list[str]:
    """'<table>', '<picture>' or 'style|text' for each block, in document order."""
    out = []
    styles = {p._p: p.style.name for p in document.paragraphs}
    for el in document.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            out.append("<table>")
        elif tag == "p":
            if any(x.tag.endswith("}drawing") for x in el.iter()):
                out.append("<picture>")
            text = "".join(t.text or "" for t in el.iter() if t.tag.endswith("}t"))
            if text:
                out.append(f"{styles.get(el, '')}|{text}")
    return out


def test_method_section_says_who_answered_and_what_is_counted(store):
    document = docx.Document(io.BytesIO(to_docx(store)))
    body = _body(document)
    assert body.index("Heading 1|Metod") < body.index("Heading 1|Proaktivt arbete")
    method = " ".join(b for b in body[body.index("Heading 1|Metod"):body.index("Heading 1|Proaktivt arbete")])
    assert "Regioner: 2 av 21 har svarat (Region Dalarna och Region Skåne); 19 har inte svarat" in method
    assert "i 2 av 20 län har kommunerna svarat" in method and "Dalarnas län: Dalarnas kommuner" in method
    assert "Gotlands län är inte relevant för kommunfrågorna" in method
    assert "1 av 290 kommuner har svarat själva (Malmö kommun)" in method
    assert "bara granskade kodningar" in method


def test_category_sections_have_chart_sentence_split_and_quotes(store):
    document = docx.Document(io.BytesIO(to_docx(store)))
    body = _body(document)
    start, end = body.index("Heading 1|Proaktivt arbete"), body.index("Heading 1|Delaktighet")
    section = body[start:end]
    assert section[1] == "<picture>" and section[2].startswith("Normal|Figur 1. Proaktivt arbete")
    assert ("Normal|Mobila team nämns av 1 av 2 regioner som svarat (21 totalt), i 2 av 2 län där kommunerna svarat "
            "(20 totalt) och av 1 av 1 kommuner som svarat själva (290 totalt).") in section
    assert "Normal|Status och omfattning: regioner: 1 breddinförd; län: 1 projekt, 1 utan angiven omfattning; " \
           "kommuner: 1 utan angiven omfattning." in section
    assert "Normal|Svarade men nämner inte insatsen – regioner: Region Skåne." in section
    assert "Quote|”Vi har mobila team i hela länet.”" in section
    # qa47: the question's wording is marked as such ("frågan: …"); written in full after a colon, a short
    # wording (9b's) read as a second quote under the excerpt
    assert any(b.startswith("Normal|– Region Dalarna, svar på fråga 13a (frågan: Undvikbar slutenvård")
               for b in section)
    sources = [b for b in body if b.startswith("Normal|– ")]
    assert sources and all(", svar på fråga " in b and (b.endswith(")") or "(frågan: " not in b) for b in sources)
    # a code nobody mentions: one sentence at the end of its category, no section of its own
    assert "Heading 2|Palliativ vård" not in body
    assert section[-1] == "Normal|Palliativ vård nämns inte i något av svaren (bland de granskade kodningarna)."
    assert len(document.inline_shapes) == 2  # one chart per category with coded excerpts


def test_report_follows_selection_and_suggestions(store):
    only_sip = _body(docx.Document(io.BytesIO(to_docx(store, Selection(code_ids=["sip"])))))
    assert "Heading 2|Mobila team" not in only_sip and "Heading 1|Proaktivt arbete" not in only_sip
    assert any(t.startswith("Normal|SIP – samordnad individuell plan nämns av 1 av 2 regioner") for t in only_sip)
    with_sugg = _body(docx.Document(io.BytesIO(to_docx(store, Selection(include_suggestions=True)))))
    assert "Heading 2|Palliativ vård" in with_sugg
    assert any("även förslag som inte granskats" in t for t in with_sugg)


def _word_cm(word: str, size_pt: float = 9.0) -> float:
    """Printed width of a word in Liberation Sans Bold (wider than regular), or a generous estimate."""
    for path in ("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
                 "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"):
        if Path(path).exists():
            from PIL import ImageFont

            return ImageFont.truetype(path, 100).getlength(word) / 100 * size_pt / 72 * 2.54
    return len(word) * size_pt * 0.65 / 72 * 2.54


def _check_tables(document) -> int:
    """Every column of every table is at least as wide as its longest word plus cell margins."""
    from docx.enum.section import WD_ORIENT

    checked = 0
    for table in document.tables:
        grid = [int(g.get(docx.oxml.ns.qn("w:w"))) / 567 for g in table._tbl.tblGrid.iter()
                if g.tag.endswith("}gridCol")]  # twips -> cm
        for j, width_cm in enumerate(grid):
            words = [w for row in table.rows for w in row.cells[j].text.split()]
            longest = max(words, key=_word_cm)
            assert width_cm >= _word_cm(longest) + 0.38, (j, longest, width_cm)
            checked += 1
    assert any(s.orientation == WD_ORIENT.LANDSCAPE for s in document.sections)
    return checked


def test_appendix_table_columns_are_wider_than_their_longest_word(store):
    document = docx.Document(io.BytesIO(to_docx(store, Selection(include_suggestions=True))))
    assert _check_tables(document) == 7
    rows = [[c.text for c in r.cells] for r in document.tables[0].rows]
    assert rows[0] == ["Kategori", "Insats", "Regioner", "Län med kommunsvar", "Kommuner (egna svar)",
                       "Nämnda i länets svar", "Utdrag"]
    assert ["Proaktivt arbete", "Mobila team", "1 av 2", "2 av 2", "1 av 1", "0", "9"] in rows


def _sample_project(tmp_path: Path) -> Path:
    db = tmp_path / "exempel.sqlite"
    for args in (["import", str(ROOT / "data" / "sample"), "--db", str(db)], ["tag", "--db", str(db)]):
        res = subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, text=True,
                             cwd=ROOT, timeout=300)
        assert res.returncode == 0, res.stderr
    return db


def test_sample_report_in_libreoffice(tmp_path):
    """The sample project's report converted to PDF: whole words in every table cell, one chart per
    category with coded excerpts; the pages are written to test-output/report/ to look at."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("\nHOPPAR ÖVER: LibreOffice (soffice) saknas; installera libreoffice-writer-nogui.")
        pytest.skip("soffice saknas")
    from models.store import ProjectStore

    store = ProjectStore(_sample_project(tmp_path), create=False)
    try:
        data = to_docx(store, Selection(include_suggestions=True))
    finally:
        store.close()
    document = docx.Document(io.BytesIO(data))
    _check_tables(document)
    body = _body(document)
    headings = [i for i, b in enumerate(body) if b.startswith("Heading 1|")][1:-1]  # categories
    with_excerpts = [i for i in headings if "Heading 2|" in "".join(body[i:next((h for h in headings if h > i),
                                                                                 len(body))])]
    assert with_excerpts and all(body[i + 1] == "<picture>" for i in with_excerpts)

    src = tmp_path / "rapport.docx"
    src.write_bytes(data)
    res = subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                         capture_output=True, text=True, timeout=240)
    pdf = tmp_path / "rapport.pdf"
    assert pdf.exists(), res.stderr
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    flat = " ".join(text.split())
    tokens = set(re.findall(r"[\w/()–-]+", text))
    n_images = len({img.name for page in reader.pages for img in page.images})  # resources are shared
    assert n_images >= len(with_excerpts)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for word in cell.text.split():
                    if len(word) >= 6 and word.isalpha():
                        assert word in tokens, f"'{word}' bryts i PDF:en"
    assert "Metod" in flat and "Bilaga: täckning per insats" in flat
    if shutil.which("pdftoppm"):
        PAGES.mkdir(parents=True, exist_ok=True)
        for old in PAGES.glob("sida-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(PAGES / "sida")], check=True, timeout=240)
        print(f"\n{len(reader.pages)} sidor, {n_images} diagram; sidorna som PNG i {PAGES}")
