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
