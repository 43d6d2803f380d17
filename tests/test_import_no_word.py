"""An answer of only emoji or punctuation ("😀👍", "!!!", "…", "-") is no answer, but it is never dropped
silently: the import report names the file's sheet and cell (Excel), row and column (CSV) or question (Word,
text) and says why. Digits ("123") stay an answer."""
from __future__ import annotations

import pytest

from importers.base import read_file
from reference.forms import default_forms
from tools.make_sample_data import Respondent, write_csv_long, write_docx, write_text, write_xlsx

NO_WORD = {"5a": "\U0001F600\U0001F44D", "6": "!!!", "7": "…", "8a": "-"}
KEPT = {"3": "Ledningsgruppen träffas varje månad.", "9b": "123", "10a": "Ett avtal om hemsjukvård gäller."}


def _respondent() -> Respondent:
    form = {f.id: f for f in default_forms()}["kommun-2022"]
    opts = {q.id: q.options for q in form.questions if q.closed}
    return Respondent("o", "Ovanåkers kommun", "Ovanåkers kommun", "kommun", "Gävleborgs län", form,
                      {"1": opts["1"][0]}, {**KEPT, **NO_WORD})


def _write(kind: str, path):
    r = _respondent()
    if kind == "docx":
        write_docx(path, r)
    elif kind == "xlsx":
        write_xlsx(path, [("Kommuner", [r])])
    elif kind == "csv":
        write_csv_long(path, [r])
    else:
        write_text(path, r, markdown=False, heading="{n} {l}) {text}")


@pytest.mark.parametrize("kind", ["docx", "xlsx", "csv", "txt"])
def test_an_answer_without_a_letter_or_digit_is_reported(kind, tmp_path):
    path = tmp_path / f"Ovanaker.{kind}"
    _write(kind, path)
    parsed = read_file(path.read_bytes(), path.name)
    texts = {a.question: a.text for a in parsed.answers}
    assert {q: texts.get(q) for q in KEPT} == KEPT  # digits are an answer
    for qid, value in NO_WORD.items():
        assert not texts.get(qid)
        lines = [w for w in parsed.warnings if f"'{value}'" in w and "ingen bokstav eller siffra" in w]
        assert len(lines) == 1, (qid, parsed.warnings)
        assert f"fråga {qid}" in lines[0]
        assert "inget svar" in lines[0]
    if kind == "xlsx":
        line = next(w for w in parsed.warnings if "'!!!'" in w)
        assert line.startswith("blad 'Kommuner'") and " cell M" in line and "kolumn '6" in line
    if kind == "csv":
        line = next(w for w in parsed.warnings if "'!!!'" in w)
        assert line.startswith("rad ") and "kolumn 'Svar'" in line


def test_a_no_word_line_beside_a_real_answer_is_named(tmp_path):
    path = tmp_path / "Ovanaker.txt"
    path.write_text("Ovanåkers kommun\n\n5a) Personcentrerat\nVi har infört hälsosamtal.\n\n* * *\n\n"
                    "6) Digitalisering\nDigitala besök erbjuds.\n", encoding="utf-8")
    parsed = read_file(path.read_bytes(), path.name)
    assert {a.question: a.text for a in parsed.answers}["5a"] == "Vi har infört hälsosamtal."
    assert any("fråga 5a: stycket '* * *'" in w and "togs inte med i svaret" in w for w in parsed.warnings)


def test_blank_cells_and_placeholders_are_not_reported(tmp_path):
    path = tmp_path / "Ovanaker.xlsx"
    r = _respondent()
    r.answers.clear()
    r.answers.update(KEPT)
    write_xlsx(path, [("Kommuner", [r])])
    parsed = read_file(path.read_bytes(), path.name)
    assert not any("ingen bokstav eller siffra" in w for w in parsed.warnings)


def test_a_summary_row_under_the_answers_is_no_respondent(tmp_path):
    """A "Totalt"/"Summa" row under a wide sheet's or a long CSV's answers was read as a respondent "Totalt" with
    the row's figures as its answers (qa46 walk-through); it is skipped and named in the report."""
    import openpyxl

    from tools.make_sample_data import write_csv_long

    path = tmp_path / "export.xlsx"
    write_xlsx(path, [("Kommuner", [_respondent()])])
    wb = openpyxl.load_workbook(path)
    ws = wb["Kommuner"]
    ws.append(["Totalt", "", "", "", "", "", "", "", "1 svar"])
    ws.append(["Medelvärde (alla)", "", "", "", "", "", "", "", "0,5"])
    wb.save(path)
    parsed = read_file(path.read_bytes(), path.name)
    assert {a.respondent for a in parsed.answers} == {"Ovanåkers kommun"}
    assert any("rad 3: 'Totalt' är en summeringsrad" in w for w in parsed.warnings), parsed.warnings
    assert any("rad 4: 'Medelvärde (alla)' är en summeringsrad" in w for w in parsed.warnings), parsed.warnings
    csv_path = tmp_path / "lang.csv"
    write_csv_long(csv_path, [_respondent()])
    csv_path.write_bytes(csv_path.read_bytes() + "Summa;;;3;4 svar;\r\n".encode())
    parsed = read_file(csv_path.read_bytes(), csv_path.name)
    assert {a.respondent for a in parsed.answers} == {"Ovanåkers kommun"}
    assert any("'Summa' är en summeringsrad" in w for w in parsed.warnings), parsed.warnings


def test_a_summary_row_with_its_figure_in_the_respondent_cell_is_named(tmp_path):
    """An export's "Antal svar: 3" or "Totalt 12" line, with nothing else filled in, created nothing and was not
    named in the report (qa54 walk-through); it is a summary row, reported like "Totalt"."""
    import openpyxl

    path = tmp_path / "export.xlsx"
    write_xlsx(path, [("Kommuner", [_respondent()])])
    wb = openpyxl.load_workbook(path)
    ws = wb["Kommuner"]
    ws.append(["Antal svar: 3"])
    ws.append(["Totalt 12"])
    ws.append(["Summa: 45 %"])
    wb.save(path)
    parsed = read_file(path.read_bytes(), path.name)
    assert {a.respondent for a in parsed.answers} == {"Ovanåkers kommun"}
    for line, cell in ((3, "Antal svar: 3"), (4, "Totalt 12"), (5, "Summa: 45 %")):
        assert any(f"rad {line}: '{cell}' är en summeringsrad" in w for w in parsed.warnings), parsed.warnings
