"""QA round 30: answer files in styles no earlier test covers — an RSS docx whose kommun list is a table,
struck-through text in a Word answer, a long CSV with BOM, semicolons and "Fråga 5 a", respondents in merged
cells over several answer rows, a PDF in two columns."""
from __future__ import annotations

import docx
import pytest

from importers.base import read_file
from tests.helpers.files import document_bytes as _save, form_wording as _wording


# --- RSS docx: the kommuner it speaks for in a table ------------------------------------------------------------

def test_an_rss_kommun_table_after_its_introducing_line_is_kept_as_the_list():
    d = docx.Document()
    d.add_paragraph("Kommunerna i Västmanlands län")
    d.add_paragraph("Svaret avser följande kommuner:")
    t = d.add_table(rows=2, cols=2)
    for i, (a, b) in enumerate([("Arboga", "Fagersta"), ("Köping", "Västerås stad")]):
        t.cell(i, 0).text, t.cell(i, 1).text = a, b
    d.add_paragraph(f"5a. {_wording('5a')}")
    d.add_paragraph("Arbetet med SIP har breddinförts.")
    parsed = read_file(_save(d), "rss_vastmanland.docx")
    assert [(a.question, a.text) for a in parsed.answers] == [("5a", "Arbetet med SIP har breddinförts.")]
    assert list(parsed.speaks_for.values()) == [["Arboga kommun", "Fagersta kommun", "Köpings kommun",
                                                 "Västerås kommun"]]
    assert not any("togs inte med" in w for w in parsed.warnings)


# --- Word: struck-through text ------------------------------------------------------------------------------------

def _struck_doc(kind: str = "strike", val: str | None = None) -> bytes:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    d.add_paragraph("Region Sörmland")
    d.add_paragraph(f"5a. {_wording('5a')}")
    p = d.add_paragraph("Vi har infört hälsosamtal. ")
    for text in ("Projektet med digitala ", "vårdmöten avslutades."):
        r = p.add_run(text)
        el = OxmlElement(f"w:{kind}")
        if val is not None:
            el.set(qn("w:val"), val)
        r._r.get_or_add_rPr().append(el)
    p.add_run(" Arbetet fortsätter.")
    d.add_paragraph(f"13a. {_wording('13a')}")
    d.add_paragraph("Mobila team.")
    return _save(d)


@pytest.mark.parametrize("kind", ["strike", "dstrike"])
def test_struck_through_text_is_kept_and_named_in_the_import_report(kind):
    parsed = read_file(_struck_doc(kind), "sormland.docx")
    assert parsed.answers[0].text == ("Vi har infört hälsosamtal. Projektet med digitala vårdmöten avslutades. "
                                      "Arbetet fortsätter.")
    (note,) = [w for w in parsed.warnings if "genomstruken" in w]
    assert "'Projektet med digitala vårdmöten avslutades.'" in note and "fråga 5a" in note
    assert "13a" not in note


def test_strike_switched_off_gives_no_note():
    parsed = read_file(_struck_doc("strike", "0"), "sormland.docx")
    assert not any("genomstruken" in w for w in parsed.warnings)


# --- CSV: BOM, semicolons, "Fråga 5 a", a quoted answer over two lines --------------------------------------------

def test_a_long_csv_with_bom_semicolons_and_spaced_question_ids():
    rows = ["Respondent;Fråga;Svar;Val", "Gnosjö kommun;Fråga 1;;Ja",
            'Gnosjö kommun;Fråga 5 a;"Vi arbetar med SIP; och med ""trygg hemgång"".\nNästa steg är mobila team.";',
            "Vaggeryds kommun;Fråga 13 a;Hälsosamtal med äldre;"]
    data = ("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8")
    parsed = read_file(data, "jonkoping.csv")
    assert [(a.respondent, a.question, a.text, a.choice) for a in parsed.answers] == [
        ("Gnosjö kommun", "1", "", "Ja"),
        ("Gnosjö kommun", "5a", 'Vi arbetar med SIP; och med "trygg hemgång".\nNästa steg är mobila team.', None),
        ("Vaggeryds kommun", "13a", "Hälsosamtal med äldre", None)]


# --- xlsx: the respondent in merged cells over its answer rows ---------------------------------------------------

def test_a_respondent_merged_over_several_answer_rows_owns_each_of_them():
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Kommun", "Fråga", "Svar"])
    for r in [("Ljungby kommun", "5a", "Trygg hemgång."), (None, "5b", "Kortare vårdtider."),
              (None, "13a", "Mobila team planeras."), ("Alvesta kommun", "5a", "Samverkan."), (None, "13a", "Inga.")]:
        ws.append(list(r))
    ws.merge_cells("A2:A4")
    ws.merge_cells("A5:A6")
    parsed = read_file(_save(wb), "kronoberg.xlsx")
    assert [(a.respondent, a.question, a.text) for a in parsed.answers] == [
        ("Ljungby kommun", "5a", "Trygg hemgång."), ("Ljungby kommun", "5b", "Kortare vårdtider."),
        ("Ljungby kommun", "13a", "Mobila team planeras."), ("Alvesta kommun", "5a", "Samverkan."),
        ("Alvesta kommun", "13a", "Inga.")]


# --- PDF: two columns ---------------------------------------------------------------------------------------------

def test_a_two_column_pdf_reads_each_column_in_order():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("dv", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.set_font("dv", size=10)
    pdf.set_xy(10, 10)
    pdf.cell(190, 8, "Region Halland")
    cols = ([f"5a. {_wording('5a')}", "Vi har infört en gemensam vårdplan i alla kommuner.",
             f"5b. {_wording('5b')}", "Färre oplanerade besök på akuten."],
            [f"12a. {_wording('12a')}", "Bemanningen i primärvården har ökat med tio procent.",
             f"13a. {_wording('13a')}", "Mobila närvårdsteam finns i hela länet."])
    for col, x in zip(cols, (10, 110)):
        pdf.set_xy(x, 25)
        for para in col:
            pdf.set_x(x)
            pdf.multi_cell(90, 5, para, align="L")
            pdf.ln(3)
    parsed = read_file(bytes(pdf.output()), "halland.pdf")
    assert [(a.respondent, a.question, a.text) for a in parsed.answers] == [
        ("Region Halland", "5a", "Vi har infört en gemensam vårdplan i alla kommuner."),
        ("Region Halland", "5b", "Färre oplanerade besök på akuten."),
        ("Region Halland", "12a", "Bemanningen i primärvården har ökat med tio procent."),
        ("Region Halland", "13a", "Mobila närvårdsteam finns i hela länet.")]


def test_an_rss_kommun_table_with_a_header_row_and_numbers_is_kept_as_the_list():
    d = docx.Document()
    d.add_paragraph("RSS Västmanland")
    d.add_paragraph("Svaret gäller kommunerna:")
    t = d.add_table(rows=4, cols=2)
    for i, (a, b) in enumerate([("Kommun", "Invånare"), ("Arboga kommun", "13 500"), ("Köpings kommun", "26 000"),
                                ("Sala kommun", "22 900")]):
        t.cell(i, 0).text, t.cell(i, 1).text = a, b
    d.add_paragraph(f"5a. {_wording('5a')}")
    d.add_paragraph("SIP i alla kommuner.")
    parsed = read_file(_save(d), "rss.docx")
    assert list(parsed.speaks_for.values()) == [["Arboga kommun", "Köpings kommun", "Sala kommun"]]
    assert [a.text for a in parsed.answers] == ["SIP i alla kommuner."]


def test_an_rss_list_in_word_bullets_after_a_line_without_colon_is_kept():
    d = docx.Document()
    d.add_paragraph("RSS Västmanland")
    d.add_paragraph("Följande kommuner omfattas av svaret")
    for k in ("Arboga", "Kungsör", "Surahammar"):
        d.add_paragraph(k, style="List Bullet")
    d.add_paragraph(f"5a. {_wording('5a')}")
    d.add_paragraph("SIP i alla kommuner.")
    parsed = read_file(_save(d), "rss.docx")
    assert list(parsed.speaks_for.values()) == [["Arboga kommun", "Kungsörs kommun", "Surahammars kommun"]]
    assert [a.text for a in parsed.answers] == ["SIP i alla kommuner."]
