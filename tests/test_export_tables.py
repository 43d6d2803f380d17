"""Excel and CSV exports: content, selection, and formula neutralisation (OWASP)."""
from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from export.csv_export import to_csv
from export.safety import FORMULA_PREFIXES, neutralise
from export.selection import Selection
from export.xlsx import to_xlsx
from tests.test_export_support import INJECTIONS, REGISTRY, RESPONDENTS, build_project


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = build_project(tmp_path_factory.mktemp("tables") / "p.sqlite")
    yield s
    s.close()


def _rows(ws):
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def test_xlsx_has_four_sheets_with_frozen_filtered_headers(store):
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(store, reg=REGISTRY)))
    assert wb.sheetnames == ["Kodade utdrag", "Matris", "Täckning", "Kodbok"]
    for ws in wb:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    ws = wb["Kodade utdrag"]
    header = [c.value for c in ws[1]]
    for col in ("Respondent", "Respondenttyp", "Län", "Kommunkod", "Fråga", "Frågetext", "Kategori", "Kod-id",
                "Kod", "Utdrag", "Start", "Slut", "Status", "Omfattning", "Negerad", "Konfidens", "Beslut",
                "Analytiker", "Tidpunkt", "Memo"):
        assert col in header
    assert ws.column_dimensions["J"].width >= 50  # Utdrag is wide
    assert ws["J2"].alignment.wrap_text


def test_xlsx_excerpt_rows_match_the_project(store):
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(store, reg=REGISTRY)))
    rows = _rows(wb["Kodade utdrag"])
    assert {r["Beslut"] for r in rows} == {"godkänd", "manuell"}
    dalarna = next(r for r in rows if r["Kodnings-id"] == store.test_ids["dalarna_mobila"])
    assert dalarna["Utdrag"] == "Vi har mobila team i hela länet."
    assert (dalarna["Respondent"], dalarna["Respondenttyp"], dalarna["Län"]) == ("Region Dalarna", "region",
                                                                                 "Dalarnas län")
    assert (dalarna["Kod"], dalarna["Kategori"], dalarna["Memo"]) == ("Mobila team", "Proaktivt arbete",
                                                                      "Bra exempel")
    assert (dalarna["Start"], dalarna["Slut"], dalarna["Omfattning"]) == (0, 32, "breddinförd")
    assert dalarna["Konfidens"] == pytest.approx(0.9)
    matrix = {r["Respondent"]: r for r in _rows(wb["Matris"])}
    assert matrix["Region Dalarna"]["Mobila team"] == 1
    assert matrix["Dalarnas kommuner"]["Mobila team"] == 7
    cover = {r["Kod-id"]: r for r in _rows(wb["Täckning"])}
    assert cover["mobila_team"]["Sammanfattning"] == (
        "Mobila team nämns av 1 av 2 regioner som svarat (3 totalt), i 2 av 2 län där kommunerna svarat "
        "(3 totalt) och av 1 av 1 kommuner som svarat själva (6 totalt)")
    assert (cover["mobila_team"]["Regioner som nämner"], cover["mobila_team"]["Regioner som svarat"],
            cover["mobila_team"]["Regioner totalt"]) == (1, 2, 3)
    assert cover["mobila_team"]["Regioner: svarade men nämner inte"] == "Region Skåne"
    assert cover["mobila_team"]["Regioner: har inte svarat"] == "Region Stockholm"
    assert cover["mobila_team"]["Kommuner: har inte svarat"] == "Borlänge, Falun, Lund, Stockholm, Vansbro"
    assert cover["mobila_team"]["Regioner: status och omfattning"] == "1 breddinförd"
    codebook = _rows(wb["Kodbok"])
    assert [r["Kod-id"] for r in codebook] == ["mobila_team", "palliativ_vard", "sip"]
    assert codebook[0]["Nyckelord"] == "mobila team, mobilt team"
    assert codebook[2]["Memo"] == "Kolla SIP-definitionen"


def test_xlsx_suggestions_only_when_asked(store):
    default = _rows(openpyxl.load_workbook(io.BytesIO(to_xlsx(store, reg=REGISTRY)))["Kodade utdrag"])
    with_sugg = _rows(openpyxl.load_workbook(io.BytesIO(
        to_xlsx(store, Selection(include_suggestions=True), reg=REGISTRY)))["Kodade utdrag"])
    assert "förslag" not in {r["Beslut"] for r in default}
    assert {r["Kodnings-id"] for r in with_sugg if r["Beslut"] == "förslag"} == {
        store.test_ids["malmo_sip"], store.test_ids["dalarna_palliativ"]}
    assert "avvisad" not in {r["Beslut"] for r in with_sugg}


def test_xlsx_filters_by_selection(store):
    sel = Selection(code_ids=["sip"], respondent_types=["region"])
    rows = _rows(openpyxl.load_workbook(io.BytesIO(to_xlsx(store, sel, reg=REGISTRY)))["Kodade utdrag"])
    assert [(r["Respondent"], r["Kod-id"]) for r in rows] == [("Region Skåne", "sip")]


def test_xlsx_injection_payloads_are_text_not_formulas(store):
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(store, reg=REGISTRY)))
    seen = set()
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_PREFIXES), cell.value
                    for payload in INJECTIONS:
                        if cell.value == "'" + payload:
                            seen.add(payload)
                            assert cell.data_type == "s"
    assert seen == set(INJECTIONS)  # every payload came back, as text
    memo = next(r for r in _rows(wb["Kodade utdrag"]) if r["Kodnings-id"] == store.test_ids["injection_0"])
    assert memo["Memo"] == "'@SUM(1+1)"


def _csv(data: bytes, delimiter: str) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def test_csv_semicolon_bom_and_content(store):
    rows = _csv(to_csv(store), ";")
    by_id = {int(r["Kodnings-id"]): r for r in rows}
    r = by_id[store.test_ids["dalarna_mobila"]]
    assert r["Utdrag"] == "Vi har mobila team i hela länet."
    assert r["Län"] == "Dalarnas län" and r["Beslut"] == "godkänd"
    assert r["Konfidens"] == "0,9"  # decimal comma for Swedish Excel
    assert by_id[store.test_ids["malmo_manual"]]["Utdrag"] == "mobilt team kvällstid"
    assert len(rows) == len({*by_id})


def test_csv_comma_option(store):
    rows = _csv(to_csv(store, delimiter=","), ",")
    r = next(x for x in rows if int(x["Kodnings-id"]) == store.test_ids["dalarna_mobila"])
    assert r["Konfidens"] == "0.9" and r["Respondent"] == "Region Dalarna"
    with pytest.raises(ValueError):
        to_csv(store, delimiter="|")


def test_csv_injection_payloads_are_text(store):
    rows = _csv(to_csv(store, Selection(include_suggestions=True)), ";")
    values = [v for r in rows for v in r.values()]
    assert not [v for v in values if v.startswith(FORMULA_PREFIXES)]
    excerpts = {r["Utdrag"] for r in rows}
    for payload in INJECTIONS:
        assert "'" + payload.replace("\r", "\n") in {e.replace("\r\n", "\n").replace("\r", "\n") for e in excerpts}


def test_csv_masks_personal_data_when_asked(tmp_path):
    from models.records import ParsedFile, RawAnswer

    s = build_project(tmp_path / "pii.sqlite")
    s.import_parsed(ParsedFile("pii.txt", "txt", "sha-pii", 10, [RawAnswer(
        "Malmö", "13a", "Mobila team, kontakt anna.berg@malmo.se eller 070-123 45 67.")]),
        lambda a: RESPONDENTS["Malmö"])
    answer = next(a for a in s.answers() if "anna.berg" in a.text)
    s.add_manual_coding(answer.id, "mobila_team", 0, len(answer.text), "Anna")
    plain = to_csv(s).decode("utf-8-sig")
    masked = to_csv(s, Selection(mask_personal_data=True)).decode("utf-8-sig")
    assert "anna.berg@malmo.se" in plain
    assert "anna.berg@malmo.se" not in masked and "070-123 45 67" not in masked
    assert "[e-post]" in masked and "[telefon]" in masked
    s.close()


@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-x", "'-x"), ("@a", "'@a"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("a=1", "a=1"), ("", ""), (3, 3), (None, None),
])
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_coverage_per_round_sheet_has_swedish_headers():
    """Förändring's Excel sheet "Täckning per omgång" had the raw names n_regions_answered, n_lan, … and
    'Av regioner' for the total."""
    import pandas as pd

    from export.change_report import trend_sheet

    columns = ["round", "code_id", "code_label", "n_regions", "n_regions_answered", "n_regions_total", "n_lan",
               "n_lan_answered", "n_kommuner", "n_kommuner_answered", "n_kommuner_total", "n_respondents",
               "n_excerpts"]
    headers = list(trend_sheet(pd.DataFrame(columns=columns)).columns)
    assert not [h for h in headers if h.startswith("n_") or "_" in h], headers
    assert headers[3:8] == ["Regioner som nämner", "Regioner som svarat", "Regioner totalt", "Län som nämner",
                            "Län där kommunerna svarat"], headers
