"""An instruction sheet is skipped with the real reason, and its numbered lines are never answers (qa20, item 6)."""
from __future__ import annotations

import io

import openpyxl
import pytest

from importers.base import read_file

ANSWERS = [["Respondent", "13a Beskriv insatser kopplat till undvikbar slutenvård"], ["Lomma kommun", "Mobila team planeras."]]


def _book(sheet: str, rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    svar = wb.create_sheet("Svar")
    for r in ANSWERS:
        svar.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


STEPS = [["Så här fyller du i"], [1, "Fyll i en rad per kommun."], [2, "Svara på alla frågor."], [3, "Skicka filen."]]
NUMBERED = [["Så här fyller du i"], ["1. Fyll i en rad per kommun."], ["2. Svara på alla frågor."], ["3. Skicka filen."]]
COUNTS = [["Om uppföljningen"], ["Antal frågor", 16], ["Antal kommuner", 290]]


@pytest.mark.parametrize("rows", [STEPS, NUMBERED, COUNTS], ids=["steps", "numbered", "counts"])
def test_sheet_named_instructions_is_skipped_as_instructions(rows):
    parsed = read_file(_book("Instruktioner", rows), "skane_export.xlsx")
    assert [(a.respondent, a.question) for a in parsed.answers] == [("Lomma kommun", "13a")]
    [warning] = [w for w in parsed.warnings if "Instruktioner" in w]
    assert "hoppades över" in warning and "instruktioner" in warning, warning
    assert "sammanställning" not in warning


@pytest.mark.parametrize("rows", [STEPS, NUMBERED], ids=["steps", "numbered"])
def test_numbered_list_in_an_unnamed_sheet_is_no_answer_to_question_1(rows):
    # the list's first line was read as a column for question 1 and the next lines ('2', '3. Skicka …') as its answers
    parsed = read_file(_book("Blad1", rows), "skane_export.xlsx")
    assert [(a.respondent, a.question) for a in parsed.answers] == [("Lomma kommun", "13a")]
    [warning] = [w for w in parsed.warnings if "Blad1" in w]
    assert "numrerad lista" in warning, warning


def test_a_real_column_for_question_1_is_still_read():
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in [["Respondent", "1", "13a"], ["Lomma kommun", "Ja", "Mobila team."], ["Lunds kommun", "Nej", "SIP."]]:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    parsed = read_file(out.getvalue(), "skane.xlsx")
    assert sorted((a.respondent, a.question) for a in parsed.answers) == [
        ("Lomma kommun", "1"), ("Lomma kommun", "13a"), ("Lunds kommun", "1"), ("Lunds kommun", "13a")]


def _csv_answers(text: str):
    parsed = read_file(text.encode("utf-8"), "skane_lang.csv")
    return [(a.respondent, a.question, a.text) for a in parsed.answers], parsed.warnings


def test_one_respondent_answering_one_question_on_two_rows_of_a_long_file_is_warned_with_the_rows():
    # qa20 item 7: two rows with the same respondent + question became two answers without a word
    got, warnings = _csv_answers("Respondent;Fråga;Svar\nLomma kommun;13a;Mobila team planeras.\n"
                                 "Lomma kommun;6;Digital tillsyn.\nLomma kommun;13a;Mobila team startade i mars.\n")
    assert got == [("Lomma kommun", "13a", "Mobila team planeras."), ("Lomma kommun", "6", "Digital tillsyn."),
                   ("Lomma kommun", "13a", "Mobila team startade i mars.")]
    assert warnings == ["Lomma kommun, fråga 13a: 2 rader med olika svar (rad 2, 4); alla svaren finns kvar — "
                        "kontrollera om något är en äldre version eller en fortsättning"]


def test_a_row_copied_twice_is_one_answer_and_the_copy_is_reported():
    got, warnings = _csv_answers("Respondent;Fråga;Svar\nLunds kommun;13a;SIP i alla ärenden.\n"
                                 "Lunds kommun;13a;SIP i alla ärenden.\n")
    assert got == [("Lunds kommun", "13a", "SIP i alla ärenden.")]
    assert warnings == ["rad 3: samma svar som rad 2 (Lunds kommun, fråga 13a); kopian hoppades över"]


def test_a_respondent_on_two_rows_of_a_wide_file_is_warned_too():
    got, warnings = _csv_answers("Respondent;13a;6\nLomma kommun;Mobila team planeras.;Digital tillsyn.\n"
                                 "Lomma kommun;Mobila team startade.;\n")
    assert len(got) == 3
    assert warnings == ["Lomma kommun, fråga 13a: 2 rader med olika svar (rad 2, 3); alla svaren finns kvar — "
                        "kontrollera om något är en äldre version eller en fortsättning"]
