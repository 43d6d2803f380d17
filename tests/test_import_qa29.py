"""Import leftovers of qa28 and styles found by qa29 on answer files the project had never seen: a PDF answer
line that recurs at page edges, an RSS file's "which kommuner" line, `Ja X  Nej` with single spaces."""
from __future__ import annotations

import pytest

from importers.base import read_file
from importers.pdf_reader import strip_page_furniture
from tests.helpers.files import form_wording as _wording


# --- PDF page furniture: the same place on the pages ------------------------------------------------------------

REPEATED = "med uppföljning av insatserna i"


def _pages_with_a_recurring_answer_line() -> list[list[str]]:
    header, body = "Region Örebro län – Slutredovisning 2022", [f"Rad {k} av svaret om primärvården." for k in range(6)]
    return [
        [header, REPEATED, *body, "Sida 1"],            # second line from the top
        [header, *body, REPEATED, "Sida 2"],            # second line from the bottom
        [header, body[0], REPEATED, *body[1:], "Sida 3"],  # in the running text
        [header, *body[:3], REPEATED, *body[3:], "Sida 4"],
    ]


def test_a_line_at_page_edges_in_different_places_is_answer_text_not_furniture():
    removed: list[str] = []
    kept = strip_page_furniture(_pages_with_a_recurring_answer_line(), removed)
    assert all(sum(ln == REPEATED for ln in page) == 1 for page in kept)
    assert "Region Örebro län – Slutredovisning 2022" in removed and "Sida 3" in removed
    assert all(not ln.startswith(("Region Örebro", "Sida")) for page in kept for ln in page)


def test_a_dropped_edge_line_that_is_also_in_the_running_text_is_named_in_a_warning():
    pages = [["Rubrik", REPEATED, "Text på sidan ett.", "Mer text på sidan ett.", "Sida 1"],
             ["Rubrik", REPEATED, "Text på sidan två.", "Mer text på sidan två.", "Sida 2"],
             ["Rubrik", "Text på sidan tre.", REPEATED, "Mer text på sidan tre.", "Slut.", "Sida 3"]]
    notes: list[str] = []
    kept = strip_page_furniture(pages, [], notes)
    assert [page.count(REPEATED) for page in kept] == [0, 0, 1]
    assert len(notes) == 1 and REPEATED in notes[0] and "sidorna 1, 2" in notes[0]


def test_a_real_header_gives_no_warning():
    pages = [["Rubrik", f"Text {p}.", "Mer text.", "Slut.", f"Sida {p}"] for p in range(1, 4)]
    notes: list[str] = []
    strip_page_furniture(pages, [], notes)
    assert notes == []


def test_a_generated_pdf_keeps_an_answer_line_that_recurs_at_page_edges():
    fpdf = pytest.importorskip("fpdf")

    class Pdf(fpdf.FPDF):
        def header(self):
            self.cell(0, 6, "Region Örebro län – Slutredovisning God och nära vård 2022")
            self.ln(10)

        def footer(self):
            self.set_y(-15)
            self.cell(0, 6, f"Sida {self.page_no()}")

    pdf = Pdf()
    pdf.set_auto_page_break(False)
    pdf.add_font("dv", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.set_font("dv", size=11)

    def line(text):
        pdf.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")

    # four pages; the repeated answer line is second from the top, second from the bottom, or mid-page
    pdf.add_page()
    line("Region Örebro län")
    line(f"5a. {_wording('5a')}")
    for k in range(3):
        line(f"Mobila team arbetar i hela länet, del {k + 1}, tillsammans")
    line(REPEATED)
    pdf.add_page()
    line(REPEATED)
    line("kommunerna och primärvården.")
    line(f"6. {_wording('6')}")
    line("Digitala vårdbesök erbjuds i alla kommuner i länet, tillsammans")
    line(REPEATED)
    line("hemsjukvården.")
    pdf.add_page()
    line(f"8a. {_wording('8a')}")
    line("Gemensamma utbildningar har genomförts, tillsammans")
    line(REPEATED)
    line("länets kommuner.")
    parsed = read_file(bytes(pdf.output()), "Region_Orebro_lan.pdf")
    got = {a.question: " ".join(a.text.split()) for a in parsed.answers}
    assert set(got) == {"5a", "6", "8a"}
    assert got["5a"].count(REPEATED) == 2
    assert REPEATED in got["6"] and REPEATED in got["8a"]
    assert all("Slutredovisning" not in t and "Sida" not in t for t in got.values())


# --- an RSS file's "which kommuner" line ------------------------------------------------------------------------

def _rss_file(avser: str) -> bytes:
    return (f"Kommunerna i Västmanlands län (RSS Västmanland)\n\n{avser}\n\n"
            f"5a. {_wording('5a')}\nVi har mobila team i alla kommuner.\n").encode("utf-8")


def test_an_rss_files_which_kommuner_line_is_reported_with_the_kommuner_and_how_they_count():
    parsed = read_file(_rss_file("Svaret avser: Arboga, Köping, Kungsör och Västerås stad"), "rss_vastmanland.txt")
    assert [(a.respondent_type, a.text) for a in parsed.answers] == [("rss", "Vi har mobila team i alla kommuner.")]
    (w,) = parsed.warnings
    assert "4 kommuner (Arboga kommun, Köpings kommun, Kungsörs kommun, Västerås kommun)" in w
    assert "Översikt" in w and "togs inte med" not in w


def test_a_kommun_list_in_a_kommuns_own_file_is_no_rss_list():
    text = (f"Köpings kommun\n\nVi samarbetar med Arboga, Kungsör och Västerås i hela länet sedan flera år.\n\n"
            f"5a. {_wording('5a')}\nMobila team.\n").encode("utf-8")
    parsed = read_file(text, "koping.txt")
    assert not any("anger att svaret gäller" in w for w in parsed.warnings)


# --- "Ja X Nej": an X between two options --------------------------------------------------------------------

@pytest.mark.parametrize("line", ["Ja X  Nej", "Ja X Nej", "Ja (x) Nej"])
def test_an_x_between_two_options_is_reported_not_silently_kept(line):
    text = f"Falu kommun\n\n1. {_wording('1')}\n{line}\n".encode("utf-8")
    parsed = read_file(text, "falun.txt")
    assert [(a.question, a.choice) for a in parsed.answers] == [("1", None)]
    assert any(w.startswith("fråga 1:") and "går inte att avgöra" in w for w in parsed.warnings)


def test_an_x_in_a_sentence_gives_no_warning():
    text = f"Falu kommun\n\n1. {_wording('1')}\nJa, vi har en målbild x 2 som beslutades 2021.\n".encode("utf-8")
    assert not any("går inte att avgöra" in w for w in read_file(text, "falun.txt").warnings)


# --- Word: the respondent only in the page footer; an answer repeated in a text box -----------------------------

def _docx(build) -> bytes:
    import docx

    from tests.helpers.files import document_bytes

    d = docx.Document()
    build(d)
    return document_bytes(d)


def test_a_respondent_named_only_in_the_page_footer_is_the_files_respondent():
    def build(d):
        d.sections[0].footer.paragraphs[0].text = "Sjöbo kommun – Slutredovisning 2022"
        d.add_paragraph(f"5a. {_wording('5a')}")
        d.add_paragraph("Mobila team i hemsjukvården.")

    parsed = read_file(_docx(build), "svar_slutversion.docx")
    assert [(a.respondent, a.question, a.text) for a in parsed.answers] == [
        ("Sjöbo kommun", "5a", "Mobila team i hemsjukvården.")]
    assert not any("gissad från filnamnet" in w for w in parsed.warnings)


_TEXTBOX = ('<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
            'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
            'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><w:drawing>'
            '<wp:inline><wp:extent cx="3000000" cy="800000"/><wp:docPr id="1" name="Textruta 1"/><a:graphic>'
            '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
            '<wps:txbx><w:txbxContent><w:p><w:r><w:t>TEXT</w:t></w:r></w:p></w:txbxContent></wps:txbx>'
            '<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')


def _with_textbox(answer: str, boxed: str) -> bytes:
    from lxml import etree

    def build(d):
        d.add_paragraph("Region Blekinge")
        d.add_paragraph(f"12a. {_wording('12a')}")
        p = d.add_paragraph(answer)
        p._p.append(etree.fromstring(_TEXTBOX.replace("TEXT", boxed)))

    return _docx(build)


def test_an_answer_repeated_word_for_word_in_a_text_box_is_read_once_and_said():
    ans = "Vi har infört gemensamma vårdplaner för multisjuka äldre i hela länet."
    parsed = read_file(_with_textbox(ans, ans), "blekinge.docx")
    assert [a.text for a in parsed.answers] == [ans]
    assert any("upprepade ordagrant" in w for w in parsed.warnings)


def test_a_text_box_with_other_text_is_still_read():
    ans, boxed = "Vi har infört gemensamma vårdplaner.", "Faktaruta: 120 vårdplaner upprättades under året."
    parsed = read_file(_with_textbox(ans, boxed), "blekinge.docx")
    assert " ".join(parsed.answers[0].text.split()) == f"{ans} {boxed}"


# --- text in UTF-16 without a byte order mark -------------------------------------------------------------------

@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_text_without_a_byte_order_mark_is_read(codec):
    text = f"# Kalmar kommun\n\n## 6. {_wording('6')}\n\nÄldreomsorgen och hälsocentralerna samverkar.\n"
    parsed = read_file(text.encode(codec), "kalmar.md")
    assert [(a.respondent, a.question, a.text) for a in parsed.answers] == [
        ("Kalmar kommun", "6", "Äldreomsorgen och hälsocentralerna samverkar.")]


def test_binary_data_with_nul_bytes_is_still_refused():
    from importers.errors import ImportFailure

    with pytest.raises(ImportFailure):
        read_file(bytes(range(256)) * 8, "skräp.txt")


# --- a sheet with a Region column and a "Kommun: Borås" column -----------------------------------------------------

def test_a_kommun_column_beside_a_region_column_gives_the_kommun_as_respondent():
    rows = "Region;Kommun;Fråga 5a\n" \
           "Region Västra Götaland;Kommun: Borås;Borås har mobila team.\n" \
           "Region Västra Götaland;Kommun: Lerum;Lerum har digitala besök.\n"
    parsed = read_file(rows.encode("utf-8"), "vg.csv")
    got = [(a.respondent, a.respondent_type, a.text) for a in parsed.answers]
    assert got == [("Borås", "kommun", "Borås har mobila team."), ("Lerum", "kommun", "Lerum har digitala besök.")]
    assert not any("hoppades över" in w for w in parsed.warnings)
    assert any("lades på kommunen" in w for w in parsed.warnings)


def test_a_labelled_respondent_cell_loses_its_label():
    rows = "Respondent;Fråga 5a\nKommun: Lerum;Lerum har digitala besök.\n"
    parsed = read_file(rows.encode("utf-8"), "lerum.csv")
    assert [(a.respondent, a.respondent_type) for a in parsed.answers] == [("Lerum", "kommun")]


# --- a label above a question's table ("Område 5a") ---------------------------------------------------------------

def _nested_tables(label: str) -> bytes:
    def build(d):
        d.add_paragraph("Region Uppsala")
        outer = d.add_table(rows=2, cols=1)
        for row, q in zip(outer.rows, ["3", "5a"]):
            cell = row.cells[0]
            cell.paragraphs[0].text = label.format(q=q)
            inner = cell.add_table(rows=2, cols=1)
            inner.rows[0].cells[0].text = f"{q}. {_wording(q)}"
            inner.rows[1].cells[0].text = f"Svar på fråga {q} om uppföljningen."

    return _docx(build)


def test_a_label_naming_the_next_question_above_its_nested_table_is_not_the_previous_answers_tail():
    parsed = read_file(_nested_tables("Område {q}"), "uppsala.docx")
    assert [(a.question, a.text) for a in parsed.answers] == [
        ("3", "Svar på fråga 3 om uppföljningen."), ("5a", "Svar på fråga 5a om uppföljningen.")]
    assert any("'Område 5a'" in w and "etikett" in w for w in parsed.warnings)


def test_a_reference_to_the_next_question_stays_in_the_answer():
    paras = ["Region Uppsala", f"5a. {_wording('5a')}", "Vi har mobila team.", f"5b. {_wording('5b')}", "Se fråga 6",
             f"6. {_wording('6')}", "Digitala vårdbesök."]
    from tests.helpers.files import docx_bytes

    got = {a.question: a.text for a in read_file(docx_bytes(paras), "uppsala.docx").answers}
    assert got["5b"] == "Se fråga 6"
