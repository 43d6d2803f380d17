"""qa56: answer files of kinds the importers had not met, each built here by the test.

- a header cell merged across two columns ("Fråga 6" over C:D) with answer text in both: before, the second
  column's text was dropped without a word; a column under a merged header was named "kolumn 5" in the report;
- a CSV column with content but no header: before, dropped without a word;
- a PDF of a Word answer holding a nested table with narrow cells: LibreOffice broke "Läkemedelsgenomgångar"
  without a hyphen, and the import stored "Läkemedelsgeno mgångar".
"""
from __future__ import annotations

import io

import docx

from importers.base import read_file
from importers.pdf_reader import rejoin_broken_words
from tests.helpers.files import libreoffice_convert, xlsx_bytes

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
