"""qa56: answer files of kinds the importers had not met, each built here by the test.

- a header cell merged across two columns ("Fråga 6" over C:D) with answer text in both: before, the second
  column's text was dropped without a word; a column under a merged header was named "kolumn 5" in the report;
- a CSV column with content but no header: before, dropped without a word;
- a respondent cell merged down over two answer rows of a wide sheet ("Borås" over rows 2–3): before, row 3's
  answers went to a respondent guessed from the file name;
- an Excel export with two header rows, the question numbers and under them the questions' wording (or the
  wording above the numbers), frozen panes, an autofilter, a hidden column and a 'Totalt' row: before, the
  second header row was a respondent named after the file answering every question with its wording;
- a region's answer repeating the question's wording before the answer in each answer cell (Word table,
  Word paragraph, Excel cell, long CSV): before, the Word files were refused ("hittade inga svar"), the Excel
  answers kept the wording, and the CSV was refused as a legend of the questions;
- a Word answer with a footnote (and Word's separator notes) in the answer's sentence: before, the footnote's
  text was left out without a word; protected for filling in forms only ("Skydda dokument"): read as before;
- a long CSV whose respondent column names the RSS in different spellings: "Jönköpings läns RSS", "Skånes RSS",
  "Sörmlands RSS", "Regionalt samverkansråd Västra Götaland" were unknown respondents (the others resolved);
- a closed question answered in a drop-down list content control (Word's "Listruta"), inline or as a paragraph of
  its own: before, the chosen option was read as answer text and the question had no choice;
- the same Word answer saved as PDF: the footnote's marker was glued to the answer ('kommunen.1') and the
  footnote's text at the page's foot became part of the next question's answer;
- a PDF of a Word answer holding a nested table with narrow cells: LibreOffice broke "Läkemedelsgenomgångar"
  without a hyphen, and the import stored "Läkemedelsgeno mgångar".
"""
from __future__ import annotations

import dataclasses
import io
import re
import zipfile

import docx
import openpyxl

from importers.base import read_file
from importers.pdf_reader import rejoin_broken_words, take_footnotes
from tests.helpers.files import document_bytes, form_wording, libreoffice_convert, xlsx_bytes

Q5A = ("Beskriv insatser, verksamheter och målgrupper som prioriterats under året kopplat till det "
       "personcentrerade förhållningssättet.")
Q6 = ("Beskriv påbörjade eller genomförda nya initiativ och insatser under 2022 kopplat till digitalisering, "
      "inklusive digitala vårdmöten.")


def test_a_header_merged_across_columns_heads_each_of_them_and_names_them_in_the_report():
    data = xlsx_bytes([["Kommun", "Fråga 5a", "Fråga 6", ""],
                       ["Borås", "Insatser för äldre.", "Digitala möten.", "Och digitala läkemedelsskåp."],
                       ["Alingsås", "Hemsjukvård.", "Mobila team.", "—"]], title="Export", merge="C1:D1")
    parsed = read_file(data, "export.xlsx")
    got = {(a.respondent, a.question): a.text for a in parsed.answers}
    assert got[("Borås", "6")] == "Digitala möten.\nOch digitala läkemedelsskåp."
    assert got[("Alingsås", "6")] == "Mobila team."
    assert any("cell D3 (kolumn 'Fråga 6')" in w and "—" in w for w in parsed.warnings), parsed.warnings


def test_a_column_under_a_merged_header_with_a_second_header_row_is_named_by_both():
    data = xlsx_bytes([["Kommun", "Län", "Fråga 1", "", "Fråga 6"],
                       ["", "", "Val", "Kommentar", "Svar"],
                       ["Borås", "Västra Götaland", "Ja", "-", "Digitala möten."]], title="Export", merge="C1:D1")
    parsed = read_file(data, "export.xlsx")
    assert {a.question: (a.text, a.choice) for a in parsed.answers} == {"1": ("", "Ja"), "6": ("Digitala möten.", None)}
    note = [w for w in parsed.warnings if "'-'" in w]
    assert len(note) == 1 and "cell D3 (kolumn 'Fråga 1' / 'Kommentar')" in note[0], parsed.warnings
    assert not any("kolumn 4" in w for w in parsed.warnings), parsed.warnings


def test_a_respondent_merged_down_over_two_rows_owns_both():
    data = xlsx_bytes([["Kommun", "Enhet", "5a", "6"],
                       ["Borås", "Hemtjänst", "Insatser för äldre.", "Digitala möten."],
                       ["", "Hälso- och sjukvård", "Hemsjukvård.", "Mobila team."],
                       ["Alingsås", "", "Hemsjukvård.", ""]], title="Svar", merge="A2:A3")
    parsed = read_file(data, "bred.xlsx")
    assert sorted((a.respondent, a.question, a.text) for a in parsed.answers) == [
        ("Alingsås", "5a", "Hemsjukvård."), ("Borås", "5a", "Hemsjukvård."), ("Borås", "5a", "Insatser för äldre."),
        ("Borås", "6", "Digitala möten."), ("Borås", "6", "Mobila team.")]
    assert not any("gissad" in w for w in parsed.warnings), parsed.warnings
    assert any(w.startswith("Borås, fråga 5a: 2 rader med olika svar (rad 2, 3)") for w in parsed.warnings)
    # an answer cell merged down is no respondent: the row below without one is still named in the report
    data = xlsx_bytes([["Kommun", "5a", "6"], ["Borås", "Insatser för äldre.", "Digitala möten."],
                       ["", "Hemsjukvård.", ""]], title="Svar", merge="C2:C3")
    parsed = read_file(data, "bred.xlsx")
    assert any(w.startswith("rad 3: respondentcellen är tom") for w in parsed.warnings), parsed.warnings


def test_a_csv_column_with_content_but_no_header_is_reported_not_dropped_silently():
    parsed = read_file("Kommun;Fråga 5a;Fråga 6;\nBorås;Insatser.;Digitala möten.;Mer text här.\n".encode(), "x.csv")
    assert {a.question: a.text for a in parsed.answers} == {"5a": "Insatser.", "6": "Digitala möten."}
    assert any(w.startswith("kolumn 4 har innehåll men ingen rubrik och hoppades över") for w in parsed.warnings), \
        parsed.warnings


def _nested_table_answer() -> bytes:
    d = docx.Document()
    d.add_paragraph("Kommun: Falu kommun")
    d.add_paragraph("5a. " + Q5A)
    outer = d.add_table(rows=1, cols=2)
    outer.style = "Table Grid"
    outer.rows[0].cells[0].text = "Insats"
    inner = outer.rows[0].cells[1].add_table(rows=2, cols=3)
    inner.style = "Table Grid"
    for r, values in enumerate([["Målgrupp", "Insats", "Resultat"],
                                ["Äldre multisjuka", "Läkemedelsgenomgångar och egenvårdsstöd", "Färre inläggningar"]]):
        for k, v in enumerate(values):
            inner.rows[r].cells[k].text = v
    d.add_paragraph("6. " + Q6)
    d.add_paragraph("Digitala vårdmöten i hela länet.")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_a_word_broken_without_a_hyphen_in_a_narrow_nested_pdf_cell_is_joined(tmp_path):
    parsed = read_file(libreoffice_convert(tmp_path, "falun.docx", _nested_table_answer(), "pdf"), "falun.pdf")
    got = {a.question: a.text for a in parsed.answers}
    # LibreOffice breaks it 'Läkemedel' / 'sgenomgå' / 'ngar och' in the nested table's narrow middle cell
    assert "Läkemedelsgenomgångar och" in got["5a"], got
    assert got["6"] == "Digitala vårdmöten i hela länet."


def test_only_pieces_that_are_no_words_are_joined_to_the_word_before():
    assert rejoin_broken_words(["Äldre multisjuka Läkemedelsgeno", "mgångar och", "egenvårdsstöd"]) == [
        "Äldre multisjuka Läkemedelsgenomgångar", "och", "egenvårdsstöd"]
    assert rejoin_broken_words(["Äldre", "Läkemedel", "sgenomgå", "ngar och", "", "Nästa stycke."]) == [
        "Äldre", "Läkemedelsgenomgångar", "och", "", "Nästa stycke."]
    # a name, a word the dictionary lacks, a short word: ordinary wrapped lines keep their space
    for lines in (["resa flera mil. I Arvika", "testas egenmonitorering"],
                  ["en pilot med egenmonitorering", "av blodtryck"],
                  ["Vi har flyttat pengar", "fran sjukhuset till"],
                  ["hyrsjukskoterskor ar nere", "pa noll sedan sept."],
                  ["fritidsgårdar i Järva", "utbildats i suicidprevention"]):
        assert rejoin_broken_words(lines) == lines


def _two_header_rows(first: list[str], second: list[str]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Svar"
    ws.append(["Region", *first])
    ws.append(["", *second])
    ws.append(["Region Dalarna", "Hälsocentraler för äldre.", "Digitala vårdmöten.", "Mobila team."])
    ws.append(["Region Gävleborg", "Fast vårdkontakt.", "", "Mobila team i Ljusdal."])
    ws.append(["Totalt", 2, 1, 2])
    ws.freeze_panes = "B3"
    ws.auto_filter.ref = "A2:D5"
    ws.column_dimensions["C"].hidden = True
    return document_bytes(wb)


def test_a_second_header_row_of_the_questions_wording_is_no_respondent():
    ids = ["5a", "6", "13a"]
    expected = {("Region Dalarna", "5a"): "Hälsocentraler för äldre.", ("Region Dalarna", "6"): "Digitala vårdmöten.",
                ("Region Dalarna", "13a"): "Mobila team.", ("Region Gävleborg", "5a"): "Fast vårdkontakt.",
                ("Region Gävleborg", "13a"): "Mobila team i Ljusdal."}
    parsed = read_file(_two_header_rows(ids, [form_wording(q) for q in ids]), "regioner.xlsx")
    assert {(a.respondent, a.question): a.text for a in parsed.answers} == expected, parsed.warnings
    assert "rad 2 är frågornas text under frågenumren och lästes som rubrik" in parsed.warnings
    assert any(w.startswith("blad 'Svar': kolumn C är dold i Excel") for w in parsed.warnings), parsed.warnings
    assert "rad 5: 'Totalt' är en summeringsrad, inte en respondent; raden hoppades över" in parsed.warnings
    assert not any("gissad" in w for w in parsed.warnings), parsed.warnings
    # the wording above, the numbers below
    parsed = read_file(_two_header_rows([form_wording(q) for q in ids], ids), "regioner.xlsx")
    assert {(a.respondent, a.question): a.text for a in parsed.answers} == expected, parsed.warnings
    assert "rad 2 är frågenumren under frågornas text och lästes som rubrik" in parsed.warnings
    # a wording under another question's number is read by the number, and said
    parsed = read_file(_two_header_rows(ids, [form_wording("5a"), form_wording("7"), form_wording("13a")]),
                       "regioner.xlsx")
    assert {(a.respondent, a.question): a.text for a in parsed.answers} == expected, parsed.warnings
    assert any("OSÄKER: kolumn '6' har texten för fråga 7" in w for w in parsed.warnings), parsed.warnings


def test_a_row_of_answers_under_the_numbers_is_still_answers():
    # a row without respondent whose cells are answers (not the wording) stays a row of answers, reported
    parsed = read_file(_two_header_rows(["5a", "6", "13a"], ["Vi har prioriterat äldre med många läkemedel.",
                                                             "Digitala vårdmöten i hela länet sedan våren.", ""]),
                       "regioner.xlsx")
    assert ("regioner", "5a") in {(a.respondent, a.question) for a in parsed.answers}
    assert any("rad 2: respondentcellen är tom" in w for w in parsed.warnings), parsed.warnings
    # nor is a row of answers that each repeat the question's wording first
    parsed = read_file(_two_header_rows(["5a", "6", "13a"], [f"{form_wording(q)} Svar {q}." for q in ("5a", "6", "13a")]),
                       "regioner.xlsx")
    assert {a.text for a in parsed.answers if a.respondent == "regioner"} == {"Svar 5a.", "Svar 6.", "Svar 13a."}


REPEATED = {"6": "Digitala vårdmöten i hela länet.", "7": "Mobila team i glesbygden.",
            "13a": "Proaktiv uppföljning av multisjuka."}


def test_the_questions_wording_repeated_before_the_answer_in_a_word_table_or_paragraph():
    d = docx.Document()
    d.add_paragraph("Region Dalarna")
    table = d.add_table(rows=0, cols=2)
    for qid, answer in REPEATED.items():
        cells = table.add_row().cells
        cells[0].text = f"{qid}. {form_wording(qid)}"
        cells[1].text = f"{form_wording(qid)}\n{answer}"
    parsed = read_file(document_bytes(d), "dalarna.docx")
    assert {a.question: a.text for a in parsed.answers} == REPEATED, parsed.warnings
    notes = [w for w in parsed.warnings if "stod före svaret" in w]
    assert len(notes) == 3 and notes[0].startswith("fråga 6: frågans text ('Beskriv påbörjade"), notes
    d = docx.Document()
    d.add_paragraph("Region Dalarna")
    for qid, answer in REPEATED.items():
        d.add_paragraph(f"{qid}. {form_wording(qid)}")
        d.add_paragraph(f"{form_wording(qid)} {answer}")
    parsed = read_file(document_bytes(d), "dalarna.docx")
    assert {a.question: a.text for a in parsed.answers} == REPEATED, parsed.warnings
    # the wording alone under the heading is still no answer
    d = docx.Document()
    d.add_paragraph("Region Dalarna")
    d.add_paragraph("6. " + form_wording("6"))
    d.add_paragraph(form_wording("6"))
    d.add_paragraph(REPEATED["6"])
    parsed = read_file(document_bytes(d), "dalarna.docx")
    assert [(a.question, a.text) for a in parsed.answers] == [("6", REPEATED["6"])]
    assert not any("stod före svaret" in w for w in parsed.warnings)


def test_the_questions_wording_repeated_before_the_answer_in_sheet_cells():
    data = xlsx_bytes([["Region", "6", "7"], ["Region Dalarna", f"{form_wording('6')}\n{REPEATED['6']}",
                                              f"{form_wording('7')} {REPEATED['7']}"]], title="Svar")
    parsed = read_file(data, "dalarna.xlsx")
    assert {a.question: a.text for a in parsed.answers} == {"6": REPEATED["6"], "7": REPEATED["7"]}
    assert any(w.startswith("blad 'Svar', cell B2 (kolumn '6'): frågans text ('Beskriv påbörjade") and
               "(Region Dalarna, fråga 6)" in w for w in parsed.warnings), parsed.warnings
    text = f'Region;Fråga;Svar\nRegion Dalarna;6;"{form_wording("6")} {REPEATED["6"]}"\n'
    parsed = read_file(text.encode(), "dalarna.csv")
    assert [(a.question, a.text) for a in parsed.answers] == [("6", REPEATED["6"])], parsed.warnings
    assert any(w.startswith("rad 2, kolumn 'Svar': frågans text") for w in parsed.warnings), parsed.warnings


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _with_parts(data: bytes, change) -> bytes:
    """A .docx whose parts (name -> text of the XML parts, bytes of the others) `change` edits in place."""
    src = zipfile.ZipFile(io.BytesIO(data))
    parts = {n: src.read(n) for n in src.namelist()}
    parts.update({n: b.decode() for n, b in parts.items() if n.endswith((".xml", ".rels"))})
    change(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for n, part in parts.items():
            dst.writestr(n, part.encode() if isinstance(part, str) else part)
    return out.getvalue()


def _answer_with_a_footnote(parts: dict) -> None:
    parts["word/footnotes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {_W}>'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
        '</w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>Enligt beslut i socialnämnden 2022-03-01.</w:t></w:r>'
        '</w:p></w:footnote></w:footnotes>')
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        "i hela kommunen.</w:t></w:r>", 'i hela kommunen.</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r>')
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        "</Relationships>", '<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/footnotes" Target="footnotes.xml"/></Relationships>')
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        "</Types>", '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.footnotes+xml"/></Types>')


def _protected_for_forms(parts: dict) -> None:
    parts["word/settings.xml"] = re.sub(r"(<w:settings[^>]*>)", r'\1<w:documentProtection w:edit="forms" '
                                        r'w:enforcement="1"/>', parts["word/settings.xml"], count=1)


def test_a_footnote_in_an_answer_is_named_in_the_report_and_a_protected_form_reads_as_any():
    d = docx.Document()
    d.add_paragraph("Kommun: Falu kommun")
    d.add_paragraph("6. " + Q6)
    d.add_paragraph("Digitala vårdmöten erbjuds i hela kommunen.")
    plain = document_bytes(d)
    expected = {"6": "Digitala vårdmöten erbjuds i hela kommunen."}
    parsed = read_file(_with_parts(plain, _answer_with_a_footnote), "falun.docx")
    assert {a.question: a.text for a in parsed.answers} == expected
    assert ("dokumentet har 1 fotnot eller slutkommentar ('Enligt beslut i socialnämnden 2022-03-01.'); den lästes "
            "inte som svar — läs den i originalet och lägg till det som hör till ett svar") in parsed.warnings
    parsed = read_file(_with_parts(plain, _protected_for_forms), "falun.docx")
    assert {a.question: a.text for a in parsed.answers} == expected and parsed.warnings == []


def test_a_long_csv_naming_the_rss_in_different_spellings_gives_each_lans_rss():
    from models.importing import resolver

    spellings = {"RSS Västra Götaland": "14", "Regionalt samverkansråd Västra Götaland": "14",
                 "Västra Götalands RSS": "14", "Jönköpings läns RSS": "06", "RSS i Jönköpings län": "06",
                 "Skånes RSS": "12", "Kommunförbundet Skåne": "12", "Sörmlands RSS": "04", "rss dalarna": "20",
                 "Samverkansrådet i Dalarnas län": "20"}
    text = "Respondent;Fråga;Svar\n" + "".join(f"{name};3;Uppföljning i länsgruppen ({name}).\n"
                                              for name in spellings)
    parsed = read_file(text.encode(), "rss_svar.csv")
    resolve = resolver()
    got = {a.respondent: resolve(a) for a in parsed.answers}
    assert {name: (r.type, r.resolved, r.lan_code) for name, r in got.items()} == {
        name: ("rss", True, code) for name, code in spellings.items()}
    # a region is still the region
    assert resolve(dataclasses.replace(parsed.answers[0], respondent="Region Skåne")).type == "region"


def _drop_down_form(shown: str, *, block: bool, placeholder: bool = False) -> bytes:
    from importers.forms_compat import questions_by_id

    options = questions_by_id()["1"][0].options
    d = docx.Document()
    d.add_paragraph("Region Dalarna")
    d.add_paragraph("1. " + form_wording("1"))
    d.add_paragraph("XXLISTAXX")
    d.add_paragraph("Kommentar: Beslut i regionstyrelsen 2021.")
    d.add_paragraph("6. " + Q6)
    d.add_paragraph("Digitala vårdmöten.")
    items = "".join(f'<w:listItem w:displayText="{o}" w:value="{o}"/>' for o in ["Välj ett objekt.", *options])
    pr = (f'<w:sdtPr><w:alias w:val="Val"/>{"<w:showingPlcHdr/>" if placeholder else ""}'
          f'<w:dropDownList w:lastValue="{shown}">{items}</w:dropDownList></w:sdtPr>')
    run = f"<w:r><w:t>{shown}</w:t></w:r>"

    def change(parts: dict) -> None:
        doc = parts["word/document.xml"]
        if block:
            start = doc.rindex("<w:p>", 0, doc.index("XXLISTAXX"))
            end = doc.index("</w:p>", start) + len("</w:p>")
            control = f"<w:sdt>{pr}<w:sdtContent><w:p>{run}</w:p></w:sdtContent></w:sdt>"
            parts["word/document.xml"] = doc[:start] + control + doc[end:]
        else:
            parts["word/document.xml"] = doc.replace("<w:r><w:t>XXLISTAXX</w:t></w:r>",
                                                     f"<w:sdt>{pr}<w:sdtContent>{run}</w:sdtContent></w:sdt>")

    return _with_parts(document_bytes(d), change)


def test_a_drop_down_list_content_control_gives_the_closed_questions_choice():
    chosen = "Ja, men arbete pågår med att revidera målbilden"
    for block in (False, True):
        parsed = read_file(_drop_down_form(chosen, block=block), "dalarna.docx")
        assert [(a.question, a.text, a.choice) for a in parsed.answers] == [
            ("1", "Beslut i regionstyrelsen 2021.", chosen), ("6", "Digitala vårdmöten.", None)], (block, parsed.warnings)
    # the prompt still showing is no choice
    parsed = read_file(_drop_down_form("Välj ett objekt.", block=False, placeholder=True), "dalarna.docx")
    assert [a.choice for a in parsed.answers] == [None, None]


def test_a_footnote_at_the_foot_of_a_pdf_page_is_no_answer_and_is_named(tmp_path):
    d = docx.Document()
    d.add_paragraph("Kommun: Falu kommun")
    d.add_paragraph("6. " + Q6)
    d.add_paragraph("Digitala vårdmöten erbjuds i hela kommunen.")
    d.add_paragraph("7. Beskriv särskilt riktade insatser kopplat till invånare i glesbygd och / eller "
                    "socioekonomiskt utsatta områden.")
    d.add_paragraph("Mobila team i glesbygden.")
    pdf = libreoffice_convert(tmp_path, "falun.docx", _with_parts(document_bytes(d), _answer_with_a_footnote), "pdf")
    parsed = read_file(pdf, "falun.pdf")
    assert {a.question: a.text for a in parsed.answers} == {"6": "Digitala vårdmöten erbjuds i hela kommunen.",
                                                            "7": "Mobila team i glesbygden."}
    assert ("1 fotnot längst ned på sidan (sida 1, fotnot 1: 'Enligt beslut i socialnämnden 2022-03-01.') lästes "
            "inte som svar — läs den i originalet och lägg till det som hör till ett svar") in parsed.warnings


def test_only_a_numbered_line_whose_number_stands_glued_above_is_a_footnote():
    assert take_footnotes(["Hemtjänsten2 och mer", "Mobila team finns.1", "", "1 Enligt beslut", "i nämnden.",
                           "2 Se bilaga."]) == (["Hemtjänsten och mer", "Mobila team finns.", ""],
                                                [("1", "Enligt beslut i nämnden."), ("2", "Se bilaga.")])
    for lines in (["Vi har 3 team.", "3 Beskriv hur systemledningen i länet (region och kommuner) följer upp "
                   "förflyttningen mot målbilden.", "Svar här."],  # a question's heading
                  ["Det gäller 12 kommuner.", "12 Kommuner i länet svarade."],  # no marker glued to a word
                  ["Region Dalarna har 2 team.", "2 Samverkan"]):
        assert take_footnotes(lines) == (lines, [])
