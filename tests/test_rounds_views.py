"""Round views over three rounds: coverage per round (the trend), the round in exports, the Word section."""
from __future__ import annotations

import io

import docx
import openpyxl

from export.formats import export_bytes
from export.selection import Selection
from models import round_views
from models.store import ProjectStore
from tests.test_rounds_cli import _answer_ids, _code, _run, _write


def _three_rounds(tmp_path):
    db = tmp_path / "p.sqlite"
    for label, people in (("2021", ["Region Dalarna"]), ("2022-del", ["Region Dalarna", "Region Halland"]),
                          ("2022", ["Region Dalarna", "Region Halland", "Region Kalmar län"])):
        folder = tmp_path / label
        folder.mkdir()
        paths = [str(_write(folder, f"{i}.txt", name, {"6": f"Mobila team i {label}."}))
                 for i, name in enumerate(people)]
        assert _run("import", *paths, "--db", str(db), "--round", label) == 0
    store = ProjectStore(db)
    for (respondent, label), answer in _answer_ids(db).items():
        _code(store, answer, "mobila_team", "pågående", "okänd")
    return store


def test_rounds_in_order_and_coverage_per_round(tmp_path):
    store = _three_rounds(tmp_path)
    assert round_views.round_labels(store) == ["2021", "2022-del", "2022"]
    trend = round_views.coverage_by_round(store, code_ids=["mobila_team"])
    assert list(trend["round"]) == ["2021", "2022-del", "2022"]
    assert list(trend["n_regions"]) == [1, 2, 3]
    assert set(trend["n_regions_total"]) == {21}
    cov = round_views.coverage_in_rounds(store, "mobila_team", ["2022-del"])
    assert cov.regions.mentioned == ("Region Dalarna", "Region Halland")
    # the 2022-del -> 2022 change: Kalmar is new, the others unchanged
    rows = {r.respondent: r.change for r in round_views.compare_rounds(store, "2022-del", "2022")}
    assert rows == {"Region Dalarna": "unchanged", "Region Halland": "unchanged", "Region Kalmar län": "new"}


def test_exports_show_and_filter_the_round(tmp_path):
    store = _three_rounds(tmp_path)
    data = export_bytes(store, "xlsx", Selection(rounds=["2022-del"]))
    rows = list(openpyxl.load_workbook(io.BytesIO(data))["Kodade utdrag"].values)
    col = rows[0].index("Omgång")
    assert {r[col] for r in rows[1:]} == {"2022-del"} and len(rows) == 3
    cover = list(openpyxl.load_workbook(io.BytesIO(data))["Täckning"].values)
    mobila = next(r for r in cover if r[1] == "mobila_team")
    assert mobila[cover[0].index("Regioner som nämner")] == 2  # Dalarna and Halland answered 2022-del
    report = docx.Document(io.BytesIO(export_bytes(store, "docx", Selection())))
    assert any(p.text == "Förändring mellan omgångarna 2022-del och 2022" for p in report.paragraphs)


def test_closed_question_tally_by_round(tmp_path):
    from models import views

    db = tmp_path / "p.sqlite"
    for label, choice in (("2021", "Nej"), ("2022", "Ja")):
        folder = tmp_path / label
        folder.mkdir()
        path = folder / "svar.csv"
        path.write_text(f"Respondent;Typ;Län;Fråga;Svar;Val\nRegion Dalarna;Region;Dalarnas län;1;;{choice}\n",
                        encoding="utf-8")
        assert _run("import", str(path), "--db", str(db), "--round", label) == 0
    store = ProjectStore(db)
    both = views.closed_question_tally(store, "1")
    assert int(both.loc["Dalarnas län", "Totalt"]) == 2
    only = views.closed_question_tally(store, "1", rounds=["2022"])
    assert int(only.loc["Dalarnas län", "Ja"]) == 1 and int(only.loc["Dalarnas län", "Totalt"]) == 1


def test_word_change_section_counts_only_respondents_in_both_rounds(tmp_path):
    """Kalmar answered only in 2022: its mention is no change, so the report's table shows none as new."""
    store = _three_rounds(tmp_path)
    report = docx.Document(io.BytesIO(export_bytes(store, "docx", Selection(include_suggestions=True))))
    heading = next(i for i, p in enumerate(report.paragraphs)
                   if p.text == "Förändring mellan omgångarna 2022-del och 2022")
    assert "Bara de 2 respondenter som svarade i båda omgångarna räknas." in report.paragraphs[heading + 1].text
    table = report.tables[-1]
    header = [c.text for c in table.rows[0].cells]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert len(rows) == 1, rows
    counts = dict(zip(header[1:], rows[0][1:]))
    assert counts["ny"] == "0" and counts["oförändrad"] == "2", counts


def test_word_change_table_has_set_widths_and_a_repeated_header(tmp_path):
    """qa25: the report's change table was a bare grid of six equal columns: a code's label wrapped over four
    lines beside wide columns of single digits, a row split over the page break and the header was not repeated
    on the next page (issue 15: tables with set column widths)."""
    from docx.oxml.ns import qn

    store = _three_rounds(tmp_path)
    report = docx.Document(io.BytesIO(export_bytes(store, "docx", Selection(include_suggestions=True))))
    table = report.tables[-1]
    assert [c.text for c in table.rows[0].cells][0] == "Kod"
    grid = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.iter() if g.tag.endswith("}gridCol")]
    from export.docx_report import CELL_PADDING_CM, text_width_cm

    assert abs(sum(grid) / 567 - (29.7 - 4.0)) < 0.1, grid  # the landscape page's width, as the appendix
    labels = [r.cells[0].text for r in table.rows[1:]]
    assert labels and grid[0] / 567 >= max(text_width_cm(t) for t in labels) + CELL_PADDING_CM, (grid, labels)
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr is not None and r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows[1:])
