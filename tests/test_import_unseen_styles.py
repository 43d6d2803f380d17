"""Answer files in styles found by qa28 on files the project had never seen: a Word file answering for several
respondents one after another, an Excel pivot table beside the answers, a PDF whose answer lines at the page
edges look alike, options typed side by side on one line with an X, a "Kommentar:" label in a table cell, and a
file whose name names another respondent than its text."""
from __future__ import annotations

import pytest

from importers.base import read_file
from importers.pdf_reader import strip_page_furniture
from tests.helpers.files import document_bytes, docx_bytes, form_wording as _wording

KQ1 = "Finns det en beslutad länsgemensam målbild för omställningen till Nära vård i regionen och kommunerna?"


def _answers(parsed):
    return {(a.respondent, a.question): (a.text, a.choice) for a in parsed.answers}


# --- several respondents in one document ---------------------------------------------------------------------

def _region_and_kommuner() -> list[str]:
    paras = ["Slutredovisning av kommunernas arbete inom ramen för god och nära vård 2022"]
    for resp in ("Region Halland", "Kungsbacka kommun", "Varbergs kommun"):
        paras.append(f"Svar från: {resp}")
        for q in ("5a", "6"):
            paras += [f"Fråga {q}. {_wording(q)}", f"{resp} har under året arbetat med fråga {q} i primärvården."]
    return paras


def test_a_word_file_answering_for_several_respondents_gives_each_its_own_answers():
    parsed = read_file(docx_bytes(_region_and_kommuner()), "Region_Halland_och_kommunerna.docx")
    got = _answers(parsed)
    assert len(parsed.answers) == 6
    for resp in ("Region Halland", "Kungsbacka kommun", "Varbergs kommun"):
        for q in ("5a", "6"):
            assert got[(resp, q)][0] == f"{resp} har under året arbetat med fråga {q} i primärvården."
    assert {a.respondent_type for a in parsed.answers if a.respondent != "Region Halland"} == {"kommun"}
    assert any("3 respondenter" in w and "Varbergs kommun" in w for w in parsed.warnings)


def test_several_respondents_in_a_text_file_too():
    text = "\n\n".join(_region_and_kommuner()).encode("utf-8")
    got = _answers(read_file(text, "halland.txt"))
    assert set(got) == {(r, q) for r in ("Region Halland", "Kungsbacka kommun", "Varbergs kommun") for q in ("5a", "6")}


def test_a_labelled_respondent_line_inside_an_answer_without_answers_after_it_is_no_new_part():
    paras = ["Region Halland", f"5a. {_wording('5a')}", "Vi har mobila team.",
             f"6. {_wording('6')}", "Digitala vårdbesök erbjuds.", "Inlämnad av: Region Halland"]
    parsed = read_file(docx_bytes(paras), "halland.docx")
    assert {a.respondent for a in parsed.answers} == {"Region Halland"}
    assert not any("respondenter" in w for w in parsed.warnings)


# --- an Excel pivot table beside the answer sheet -----------------------------------------------------------

def test_an_excel_pivot_table_sheet_is_skipped_and_named_not_read_as_answers_of_the_file_name():
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Svar"
    ws.append(["Region", "Fråga 1", "Fråga 3"])
    ws.append(["Region Värmland", "Ja", "Uppföljning sker i det regionala samverkansorganet."])
    ws.append(["Region Kronoberg", "Nej, och inget förslag finns framtaget", "Uppföljning sker halvårsvis."])
    pivot = wb.create_sheet("Blad2")
    pivot.append(["Radetiketter", "Antal av Fråga 1"])
    pivot.append(["Ja", 1])
    pivot.append(["Nej, och inget förslag finns framtaget", 1])
    pivot.append(["Totalsumma", 2])
    parsed = read_file(document_bytes(wb), "regioner_sammanstallning.xlsx")
    assert {a.respondent for a in parsed.answers} == {"Region Värmland", "Region Kronoberg"}
    assert len(parsed.answers) == 4
    assert any("Blad2" in w and "pivottabell" in w for w in parsed.warnings)


# --- PDF page furniture ---------------------------------------------------------------------------------------

def test_answer_lines_at_page_edges_that_differ_only_in_numbers_are_kept_while_headers_go():
    pages = []
    for p in range(1, 5):
        pages.append(["Region Västerbotten – Slutredovisning 2022",
                      f"hemsjukvård. Mening {3 * p + 4} om insatser inom fråga 13c i länets",
                      "Mitten av sidan.",
                      f"primärvård och hemsjukvård. Mening {11 - p * 2} om insatser inom fråga 13c i länets",
                      f"Diarienummer RV 2022/1234 Sida {p}"])
    removed: list[str] = []
    kept = strip_page_furniture(pages, removed)
    assert all(len(lines) == 3 for lines in kept)
    assert all(ln.startswith(("hemsjukvård", "Mitten", "primärvård")) for lines in kept for ln in lines)
    assert "Region Västerbotten – Slutredovisning 2022" in removed


def test_a_footer_numbered_from_the_second_page_and_with_the_page_count_is_still_furniture():
    pages = [["Titelsida", "Text på sidan ett."]]
    pages += [[f"Svar {p}", f"Sidan {p - 1} av 3", "Uppföljning 2022"] for p in range(2, 5)]
    kept = strip_page_furniture(pages)
    assert all("av 3" not in ln for lines in kept for ln in lines)
    assert all("Uppföljning 2022" not in ln for lines in kept for ln in lines)


def test_a_long_answer_over_pages_of_a_pdf_keeps_every_line():
    fpdf = pytest.importorskip("fpdf")

    class Pdf(fpdf.FPDF):
        def header(self):
            self.cell(0, 6, "Region Västerbotten – Slutredovisning God och nära vård 2022")
            self.ln(10)

        def footer(self):
            self.set_y(-15)
            self.cell(0, 6, f"Diarienummer RV 2022/1234   Sida {self.page_no()}")

    pdf = Pdf()
    pdf.add_font("dv", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.set_font("dv", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "Region Västerbotten", new_x="LMARGIN", new_y="NEXT")
    sentences = [f"Mening {k} om insatser inom fråga 13c i länets primärvård och hemsjukvård." for k in range(1, 160)]
    pdf.multi_cell(0, 6, f"13c. {_wording('13c')}", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, " ".join(sentences), new_x="LMARGIN", new_y="NEXT")
    parsed = read_file(bytes(pdf.output()), "vasterbotten.pdf")
    (answer,) = [a for a in parsed.answers if a.question == "13c"]
    text = " ".join(answer.text.split())
    assert all(s in text for s in sentences)
    assert "Diarienummer" not in text and "Slutredovisning God" not in text


# --- options typed side by side, "Kommentar:" label -----------------------------------------------------------

@pytest.mark.parametrize("line, choice", [
    ("Ja X   Ja, men arbete pågår med att revidera målbilden   Nej, och inget förslag finns framtaget", "Ja"),
    ("Ja\tNej, och inget förslag finns framtaget X\tJa, men arbete pågår med att revidera målbilden",
     "Nej, och inget förslag finns framtaget"),
    ("Ja | X Ja, men arbete pågår med att revidera målbilden | Nej, och inget förslag finns framtaget",
     "Ja, men arbete pågår med att revidera målbilden"),
])
def test_options_typed_side_by_side_with_one_marked_by_an_x_give_the_choice_not_answer_text(line, choice):
    text = f"Falu kommun\n\n1. {KQ1}\n{line}\nLämna gärna en kommentar här:\nMålbilden beslutades 2021.\n"
    parsed = read_file(text.encode("utf-8"), "falun.txt")
    assert _answers(parsed)[("Falu kommun", "1")] == ("Målbilden beslutades 2021.", choice)


def test_a_kommentar_label_under_checked_options_in_a_table_cell_is_not_part_of_the_comment():
    import docx

    d = docx.Document()
    d.add_paragraph("Region: Region Örebro län")
    table = d.add_table(rows=1, cols=2)
    question, answer = table.rows[0].cells
    question.text = f"Fråga 1) {KQ1}"
    answer.text = ""
    answer.add_paragraph("☑ Ja")
    answer.add_paragraph("☐ Nej, och inget förslag finns framtaget")
    answer.add_paragraph("Kommentar: Målbilden antogs av länets ledningsgrupp.")
    got = _answers(read_file(document_bytes(d), "orebro.docx"))
    assert got[("Region Örebro län", "1")] == ("Målbilden antogs av länets ledningsgrupp.", "Ja")


def test_a_kommentar_in_an_open_answer_is_kept():
    parsed = read_file(docx_bytes(["Region Halland", f"5a. {_wording('5a')}", "Kommentar: vi har mobila team."]),
                       "halland.docx")
    assert parsed.answers[0].text == "Kommentar: vi har mobila team."


# --- file name and content name two respondents --------------------------------------------------------------

def test_a_file_named_for_another_respondent_than_its_text_is_reported():
    paras = ["Region Dalarna", f"5a. {_wording('5a')}", "Vi har infört mobila team."]
    parsed = read_file(docx_bytes(paras), "Region_Gavleborg_svar_2022.docx")
    assert parsed.answers[0].respondent == "Region Dalarna"
    assert any("filnamnet nämner Region Gävleborg" in w and "Region Dalarna" in w for w in parsed.warnings)
    same = read_file(docx_bytes(paras), "Region_Dalarna_svar_2022.docx")
    assert not any("filnamnet" in w for w in same.warnings)


def test_a_line_wrapped_before_the_words_fraga_5a_inside_an_answer_is_no_new_question():
    text = (f"Tierps kommun\n\n5a. {_wording('5a')}\n\nVi har infört mobila team. Hur de följs upp beskrivs i svaret på\n"
            "fråga 8a i den här redovisningen och i\nkommunens årsrapport.\n\n"
            f"6. {_wording('6')}\n\nDigitala vårdbesök erbjuds.\n").encode("utf-8")
    got = _answers(read_file(text, "tierp.txt"))
    assert set(got) == {("Tierps kommun", "5a"), ("Tierps kommun", "6")}
    assert "fråga 8a i den här redovisningen" in got[("Tierps kommun", "5a")][0]
    assert "kommunens årsrapport" in got[("Tierps kommun", "5a")][0]


def test_a_compilation_of_kommuner_under_bare_name_headings_gives_each_kommun_its_answers():
    paras = ["Kommunerna i Hallands län – slutredovisning 2022"]
    for resp in ("Kungsbacka kommun", "Varbergs kommun", "Falkenbergs kommun"):
        paras.append(resp)
        for q in ("5a", "6"):
            paras += [f"{q}. {_wording(q)}", f"{resp} svarar på fråga {q}."]
    parsed = read_file(docx_bytes(paras), "Hallands_kommuner.docx")
    assert _answers(parsed) == {(r, q): (f"{r} svarar på fråga {q}.", None)
                                for r in ("Kungsbacka kommun", "Varbergs kommun", "Falkenbergs kommun")
                                for q in ("5a", "6")}
    assert any("3 respondenter" in w for w in parsed.warnings)


def test_kommun_names_as_sub_headings_inside_an_rss_answer_stay_in_the_answer():
    paras = ["Kommunerna i Hallands län", f"5a. {_wording('5a')}", "Kungsbacka kommun", "Mobila team.",
             "Varbergs kommun", "Trygg hemgång.", f"6. {_wording('6')}", "Digitala vårdbesök."]
    parsed = read_file(docx_bytes(paras), "rss_halland.docx")
    assert {a.respondent for a in parsed.answers} == {"Kommunerna i Hallands län"}
    assert "Varbergs kommun" in _answers(parsed)[("Kommunerna i Hallands län", "5a")][0]
