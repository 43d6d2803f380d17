"""qa55: answer files of kinds the importers had not met, each built here by the test.

- a Word table form whose question number stands in a cell merged over two rows, the rows' own cells holding
  "a) <wording>" and "b) <wording>": before, both sub-questions' wording and answers went into the previous
  question's answer (nothing in the report);
- the same form saved as PDF, the question column narrow: "b) Om möjligt, beskriv" wrapped over three lines, so
  5b's answer went into 5a's;
- an empty field's placeholder wrapped in a narrow PDF cell ("Klicka eller tryck här för att ange" / "text."):
  before, "text." was stored as the answer;
- a CSV with a UTF-8 byte order mark before Windows-1252 text: before, refused ("Fr\ufffdga" was no column);
- a summary sheet (Kommun | Antal besvarade frågor, a 'Totalt' row) beside the answers: before, its second row
  was taken for a header (the count 4 as "question 4") and a respondent guessed from the file name got the
  counts as answers.
"""
from __future__ import annotations

import io

import docx
import openpyxl

from importers.base import read_file
from importers.layout import Line, Segment, assemble
from tests.helpers.files import libreoffice_convert

Q3 = "Beskriv hur systemledningen i länet (region och kommuner) följer upp förflyttningen mot målbilden."
Q5A = ("Beskriv insatser, verksamheter och målgrupper som prioriterats under året kopplat till det "
       "personcentrerade förhållningssättet.")
Q5B = "Om möjligt, beskriv resultat och effekter som insatserna lett till."
Q7 = "Beskriv särskilt riktade insatser kopplat till invånare i glesbygd och / eller socioekonomiskt utsatta områden."
A3 = "Uppföljning sker i det gemensamma ledningsrådet varje kvartal."
A5A = "Vi har prioriterat äldre med många läkemedel och hemsjukvård."
A5B = "Färre akuta inläggningar bland de prioriterade."
A7 = "Mobila team i glesbygden norr om staden."


def _table_form() -> bytes:
    d = docx.Document()
    d.add_paragraph("Kommun: Falu kommun")
    t = d.add_table(rows=0, cols=3)

    def row(a, b, c):
        cells = t.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = a, b, c
        return cells

    row("3", Q3, A3)
    first = row("5", "a) " + Q5A, A5A)
    second = row("", "b) " + Q5B, A5B)
    first[0].merge(second[0])  # the number in one cell over both sub-questions' rows
    row("7", Q7, A7)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_sub_questions_under_a_number_in_a_merged_table_cell():
    parsed = read_file(_table_form(), "falun.docx")
    got = {(a.respondent, a.question): a.text for a in parsed.answers}
    assert got == {("Falu kommun", "3"): A3, ("Falu kommun", "5a"): A5A, ("Falu kommun", "5b"): A5B,
                   ("Falu kommun", "7"): A7}, got


def test_a_list_item_a_in_an_answer_is_still_answer_text():
    # only a letter before a form's own wording is a sub-question: "a) Vi har …" in an answer stays in it
    d = docx.Document()
    d.add_paragraph("Svar från: Region Dalarna")
    d.add_paragraph("3. " + Q3)
    d.add_paragraph("a) Vi har en gemensam uppföljningsplan för hela länet.")
    d.add_paragraph("b) Om möjligt följer vi upp varje halvår.")
    buf = io.BytesIO()
    d.save(buf)
    parsed = read_file(buf.getvalue(), "dalarna.docx")
    assert [(a.question, a.text) for a in parsed.answers] == [
        ("3", "a) Vi har en gemensam uppföljningsplan för hela länet.\nb) Om möjligt följer vi upp varje halvår.")]


def _lines(*texts):
    return [Line([Segment(t)]) for t in texts]


def test_a_sub_question_heading_wrapped_in_a_narrow_pdf_column():
    # the PDF of the table form read column by column: "5 a) Beskriv …" then its answer, then "b) Om möjligt,
    # beskriv" / "resultat och effekter" / "som insatserna lett till." then 5b's answer
    got = assemble(_lines("3 Beskriv hur systemledningen i länet", "(region och kommuner) följer upp",
                          "förflyttningen mot målbilden.", A3,
                          "5 a) Beskriv insatser, verksamheter och", "målgrupper som prioriterats", A5A,
                          "b) Om möjligt, beskriv", "resultat och effekter", "som insatserna lett till.", A5B),
                   join_wrapped=True)
    assert [(q, t) for q, t, _ in got.answers] == [("3", A3), ("5a", A5A), ("5b", A5B)], got


def test_a_placeholder_wrapped_in_a_narrow_pdf_cell_is_no_answer():
    got = assemble(_lines("6. Beskriv påbörjade eller genomförda nya initiativ", "Klicka eller tryck här för att ange",
                          "text.", "7. " + Q7, A7), join_wrapped=True)
    assert [(q, t) for q, t, _ in got.answers] == [("7", A7)], got
    # a real answer beginning with the same words is kept
    got = assemble(_lines("6. Beskriv påbörjade eller genomförda nya initiativ", "Klicka här för att läsa",
                          "vår rapport om välfärdsteknik."), join_wrapped=True)
    assert [" ".join(t.split()) for _, t, _ in got.answers] == [
        "Klicka här för att läsa vår rapport om välfärdsteknik."], got


def _csv_rows(region):
    return [["Respondent", "Fråga", "Svar"],
            [region, "3", "Uppföljningen sker i Länsgruppen för vård och omsorg – två gånger per år."],
            [region, "7", "Mobila team i Fagersta och Norberg; ”Min vård” i appen."]]


def _csv(rows, sep=";"):
    import csv
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def test_a_csv_with_a_utf8_byte_order_mark_before_windows_1252_text():
    data = b"\xef\xbb\xbf" + _csv(_csv_rows("Region Västmanland")).encode("cp1252")
    parsed = read_file(data, "svar.csv")
    got = {(a.respondent, a.question): a.text for a in parsed.answers}
    assert got == {("Region Västmanland", r[1]): r[2] for r in _csv_rows("Region Västmanland")[1:]}, \
        (got, parsed.warnings)


def test_a_csv_of_utf8_lines_and_windows_1252_lines_reads_both():
    rows = _csv_rows("Region Västmanland")
    data = _csv(rows[:2]).encode("utf-8") + _csv(rows[2:]).encode("cp1252")  # an export pasted under another
    parsed = read_file(data, "svar.csv")
    assert {a.text for a in parsed.answers} == {rows[1][2], rows[2][2]}
    # a file wholly in Windows-1252 is read as before
    parsed = read_file(_csv(rows).encode("cp1252"), "svar.csv")
    assert {a.text for a in parsed.answers} == {rows[1][2], rows[2][2]}


def test_a_summary_sheet_of_counts_is_no_answers_and_no_respondent():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Svar"
    ws.append(["Kommun", "Fråga 3", "Fråga 7"])
    ws.append(["Västerås stad", A3, A7])
    ws.append(["Köpings kommun", A3, ""])
    sm = wb.create_sheet("Sammanställning")
    sm.append(["Kommun", "Antal besvarade frågor"])
    sm.append(["Västerås stad", 4])
    sm.append(["Köpings kommun", 3])
    sm.append(["Totalt", 7])
    buf = io.BytesIO()
    wb.save(buf)
    parsed = read_file(buf.getvalue(), "vastmanland_svar.xlsx")
    got = sorted((a.respondent, a.question) for a in parsed.answers)
    assert got == [("Köpings kommun", "3"), ("Västerås stad", "3"), ("Västerås stad", "7")], (got, parsed.warnings)
    assert any(w.startswith("blad 'Sammanställning' hoppades över") and "sammanställning" in w
               for w in parsed.warnings), parsed.warnings
    # a header row of question numbers under a title row is still the header
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Uppföljning nära vård 2022"])
    ws.append(["Respondent", "3", "7"])
    ws.append(["Region Västmanland", A3, A7])
    buf = io.BytesIO()
    wb.save(buf)
    parsed = read_file(buf.getvalue(), "svar.xlsx")
    assert {a.question: a.text for a in parsed.answers} == {"3": A3, "7": A7}, parsed.warnings


def test_a_semicolon_inside_an_unquoted_answer_is_put_back_or_named():
    # before: the text after the semicolon was dropped without a word
    text = ("Respondent;Fråga;Svar\r\n"
            "Region Västmanland;3;Uppföljning i Länsgruppen två gånger per år.\r\n"
            "Region Västmanland;7;Mobila team i Fagersta; Norberg och Skinnskatteberg.\r\n")
    parsed = read_file(text.encode("utf-8"), "svar.csv")
    got = {a.question: a.text for a in parsed.answers}
    assert got == {"3": "Uppföljning i Länsgruppen två gånger per år.",
                   "7": "Mobila team i Fagersta; Norberg och Skinnskatteberg."}, got
    assert ("rad 3 har fler fält än filens 3 kolumner: svaret i sista kolumnen innehåller semikolon utan "
            "citattecken; fälten efter kolumn 3 lades tillbaka i svaret — kontrollera svaret") in parsed.warnings
    # a wide file: which answer the tail belongs to is unknown, so the report names it
    text = ("Respondent;3;7\r\n"
            "Region Västmanland;Uppföljning i Länsgruppen; två gånger per år.;Mobila team i Fagersta.\r\n"
            "Region Uppsala;Uppföljning i regionledningen.;Mobila team i Tierp.\r\n")
    parsed = read_file(text.encode("utf-8"), "svar.csv")
    assert any(w.startswith("rad 2 har fler fält än filens 3 kolumner (troligen semikolon i ett svar utan "
                            "citattecken); texten efter kolumn 3 lästes inte (rad 2: 'Mobila team i Fagersta.') och radens svar "
                            "kan ha hamnat i fel kolumn")
               for w in parsed.warnings), parsed.warnings


# ---------------------------------------------------------------- a closed question's boxes on its own line

Q1 = "Finns det en beslutad länsgemensam målbild för omställningen till Nära vård i regionen och kommunerna?"


def test_a_closed_questions_boxes_on_its_heading_line_give_its_choice():
    # before: the line was no heading (it held boxes), so question 1 never began and its choice was lost silently
    from importers.layout import text_line

    got = assemble([text_line(f"1. {Q1} ☐ Ja ☒ Nej, och inget förslag finns framtaget"), text_line("3. " + Q3),
                    text_line(A3)])
    assert got.answers == [("1", "", "Nej, och inget förslag finns framtaget"), ("3", A3, None)], got
    # the first option on the heading's line, the others below it
    got = assemble([text_line(f"1. {Q1}☐ Ja"), text_line("☒ Ja, men arbete pågår med att revidera målbilden"),
                    text_line("☐ Nej, och inget förslag finns framtaget"), text_line("3. " + Q3), text_line(A3)])
    assert got.answers == [("1", "", "Ja, men arbete pågår med att revidera målbilden"), ("3", A3, None)], got


def _cc_table_form() -> bytes:
    """A Word table form: question cells beside cells of content controls (text and checkbox controls)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from lxml import etree

    w14 = "http://schemas.microsoft.com/office/word/2010/wordml"

    def control(par, text=None, checked=None, placeholder=False):
        sdt, pr = OxmlElement("w:sdt"), OxmlElement("w:sdtPr")
        if placeholder:
            pr.append(OxmlElement("w:showingPlcHdr"))
        if checked is None:
            pr.append(OxmlElement("w:text"))
        else:
            box = etree.SubElement(pr, f"{{{w14}}}checkbox")
            etree.SubElement(box, f"{{{w14}}}checked").set(f"{{{w14}}}val", "1" if checked else "0")
        sdt.append(pr)
        content, run, t = OxmlElement("w:sdtContent"), OxmlElement("w:r"), OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = text if checked is None else ("☒" if checked else "☐")
        run.append(t)
        content.append(run)
        sdt.append(content)
        par._p.append(sdt)

    d = docx.Document()
    d.add_paragraph("Svar från: Gävle kommun")
    t = d.add_table(rows=0, cols=2)
    cells = t.add_row().cells
    cells[0].text = "1. " + Q1
    for i, option in enumerate(["Ja", "Ja, men arbete pågår med att revidera målbilden",
                                "Nej, och inget förslag finns framtaget"]):
        p = cells[1].add_paragraph() if i else cells[1].paragraphs[0]
        control(p, checked=i == 1)
        p.add_run(" " + option)
    cells = t.add_row().cells
    cells[0].text = "3. " + Q3
    control(cells[1].paragraphs[0], A3)
    cells = t.add_row().cells
    cells[0].text = "6. Beskriv påbörjade eller genomförda nya initiativ och insatser under 2022 kopplat till " \
                    "digitalisering inklusive egenmonitorering och välfärdsteknik."
    control(cells[1].paragraphs[0], "Klicka eller tryck här för att ange text.", placeholder=True)
    cells = t.add_row().cells
    cells[0].text = "7. " + Q7
    control(cells[1].paragraphs[0], A7)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_a_table_form_of_content_controls_saved_as_doc_by_libreoffice(tmp_path):
    # before: LibreOffice's .doc of the form ran the table's cells together ("… revidera målbilden3. Beskriv hur …
    # [field]6. Beskriv …[field]7. …"): "hittade inga svar i filen"
    expected = {"1": ("", "Ja, men arbete pågår med att revidera målbilden"), "3": (A3, None), "7": (A7, None)}
    parsed = read_file(_cc_table_form(), "gavle.docx")
    assert {a.question: (a.text, a.choice) for a in parsed.answers} == expected
    parsed = read_file(libreoffice_convert(tmp_path, "gavle.docx", _cc_table_form(), "doc"), "gavle.doc")
    assert {(a.respondent, a.question): (a.text, a.choice) for a in parsed.answers} == {
        ("Gävle kommun", q): v for q, v in expected.items()}, parsed.warnings
    # the field still showing the form's prompt is named by its question (qa55), not only by what it shows
    assert any("(fråga 6: 'Klicka eller tryck här för att ange text.')" in w for w in parsed.warnings), \
        parsed.warnings


def test_a_kommun_code_column_names_the_respondents():
    # before: 'Kommunkod' was skipped ("ingen fråga eller respondentuppgift") and both kommuner's answers went to
    # one respondent guessed from the file name
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Kommunkod", "Fråga 3", "Fråga 7"])
    ws.append(["2080", A3, A7])
    ws.append([180, A3, ""])  # Stockholm's 0180 as a number: Excel dropped the zero
    buf = io.BytesIO()
    wb.save(buf)
    parsed = read_file(buf.getvalue(), "kommunsvar.xlsx")
    got = sorted((a.respondent, a.question) for a in parsed.answers)
    assert got == [("Falu kommun", "3"), ("Falu kommun", "7"), ("Stockholms kommun", "3")], (got, parsed.warnings)
    assert ("kolumn 'Kommunkod' tolkad som respondent: kommunkoder (2080 = Falu kommun, 0180 = Stockholms kommun)"
            in parsed.warnings), parsed.warnings
    assert not any("gissad från filnamnet" in w for w in parsed.warnings), parsed.warnings


def test_question_numbers_under_topic_words_are_still_the_header():
    # the summary rule above looks at what stands under the numbers: text answers make them question numbers
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Tema", "Uppföljning"])
    ws.append(["Respondent", 3])
    ws.append(["Region Västmanland", A3])
    buf = io.BytesIO()
    wb.save(buf)
    parsed = read_file(buf.getvalue(), "svar.xlsx")
    assert [(a.respondent, a.question, a.text) for a in parsed.answers] == [("Region Västmanland", "3", A3)], \
        parsed.warnings
