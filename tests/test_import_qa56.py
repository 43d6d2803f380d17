"""qa56: answer files of kinds the importers had not met, each built here by the test.

- a header cell merged across two columns ("Fråga 6" over C:D) with answer text in both: before, the second
  column's text was dropped without a word; a column under a merged header was named "kolumn 5" in the report;
- a CSV column with content but no header: before, dropped without a word.
"""
from __future__ import annotations

from importers.base import read_file
from tests.helpers.files import xlsx_bytes


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
