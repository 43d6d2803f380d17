"""Spreadsheets and CSV: wide and long layouts, encodings, delimiters, empty sheets, line breaks."""
from __future__ import annotations

import io

import openpyxl
import pytest

from importers.base import read_file
from importers.errors import ImportFailure
from tests.helpers.files import document_bytes


def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    return document_bytes(wb)


def _answers(data: bytes, name: str):
    return [(a.respondent, a.respondent_type, a.lan, a.question, a.text, a.choice) for a in read_file(data, name).answers]


def test_xlsx_long_layout_swedish_headers_and_empty_sheet_ignored():
    data = _xlsx({
        "Tomt": [],
        "Svar": [["Respondent", "Typ", "Län", "Fråga", "Svar"],
                 ["Region Skåne", "Region", "Skåne län", "5a", "Mobila team\nandra raden"],
                 ["", "", "", "6", "Egenmonitorering"],
                 ["Mora kommun", "Kommun", "Dalarnas län", "Fråga 1", "Ja"],
                 ["Mora kommun", "Kommun", "Dalarnas län", "7", ""]],
        "Anteckningar": [["Bara", "text"], ["utan", "frågor"]],
    })
    got = _answers(data, "export.xlsx")
    assert got == [
        ("Region Skåne", "region", "Skåne län", "5a", "Mobila team\nandra raden", None),
        ("Region Skåne", "region", "Skåne län", "6", "Egenmonitorering", None),
        ("Mora kommun", "kommun", "Dalarnas län", "1", "", "Ja"),
    ]


def test_xlsx_long_layout_english_headers_with_choice_column():
    data = _xlsx({"Sheet1": [["Respondent name", "Respondent type", "County", "Question", "Answer", "Choice"],
                             ["RSS Jämtland Härjedalen", "rss", "Jämtlands län", "4", "Kommentar", "Nej, ingen"]]})
    assert _answers(data, "en.xlsx") == [
        ("RSS Jämtland Härjedalen", "rss", "Jämtlands län", "4", "Kommentar", "Nej, ingen")]


def test_xlsx_wide_layout_with_comment_column_and_title_row():
    data = _xlsx({"Blad1": [
        ["Sammanställning 2022"],
        ["Kommun", "1. Finns det en beslutad länsgemensam målbild?", "1 Kommentar", "5a. Beskriv insatser", 6],
        ["Ale kommun", "Ja", "", "Team", "Välfärdsteknik"],
        ["Alingsås kommun", "", "Bara kommentar", "", ""],
        ["", "", "", "", ""],
    ]})
    assert _answers(data, "wide.xlsx") == [
        ("Ale kommun", None, None, "1", "", "Ja"),
        ("Ale kommun", None, None, "5a", "Team", None),
        ("Ale kommun", None, None, "6", "Välfärdsteknik", None),
        ("Alingsås kommun", None, None, "1", "Bara kommentar", None),
    ]


def test_sheet_without_respondent_column_takes_it_from_sheet_then_file():
    data = _xlsx({"Region Halland": [["Fråga", "Svar"], ["5a", "Hemsjukvård"]]})
    assert _answers(data, "x.xlsx")[0][0] == "Region Halland"
    data = _xlsx({"Blad1": [["Fråga", "Svar"], ["5a", "Hemsjukvård"]]})
    assert _answers(data, "Region_Halland_svar.xlsx")[0][0] == "Region Halland"


ROWS = [["Kommun", "Fråga", "Svar"], ["Växjö kommun", "5a", "Äldre får stöd; \"mobila\" team,\nny rad"],
        ["Växjö kommun", "6", "Digitala tillsynsbesök"]]


def _csv(rows, delimiter: str) -> str:
    import csv

    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_encodings_and_delimiters(encoding, delimiter):
    data = _csv(ROWS, delimiter).encode(encoding)
    got = _answers(data, "svar.csv")
    assert got == [("Växjö kommun", None, None, "5a", "Äldre får stöd; \"mobila\" team,\nny rad", None),
                   ("Växjö kommun", None, None, "6", "Digitala tillsynsbesök", None)]


def test_csv_wide_layout():
    data = _csv([["Respondent", "5a", "5b"], ["Region Örebro län", "SIP", ""], ["Region Dalarna", "", "Effekter"]], ";")
    assert _answers(data.encode(), "w.csv") == [("Region Örebro län", None, None, "5a", "SIP", None),
                                                ("Region Dalarna", None, None, "5b", "Effekter", None)]


def test_formula_like_text_is_kept_as_data():
    data = _csv([["Respondent", "Fråga", "Svar"], ["Region Dalarna", "5a", "=HYPERLINK(\"x\")"]], ";").encode()
    assert _answers(data, "f.csv")[0][4] == "=HYPERLINK(\"x\")"


def test_sheet_with_no_recognisable_columns():
    data = _xlsx({"Blad1": [["Namn", "Adress"], ["Anna", "Storgatan 1"]]})
    with pytest.raises(ImportFailure) as exc:
        read_file(data, "okänd.xlsx")
    assert exc.value.file_name == "okänd.xlsx" and "kolumner" in exc.value.problem


def test_sparse_sheet_with_a_cell_at_the_last_address_is_read_without_padding():
    import zipfile

    from importers.sheet_reader import XlsxReader

    data = _xlsx({"Blad1": [["Respondent", "5a Mobila team"], ["Region Dalarna", "Vi har team"]]})
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr">'
                                                     b"<is><t>x</t></is></c></row></sheetData>")
            z.writestr(info.filename, body)
    assert _answers(out.getvalue(), "gles.xlsx") == [("Region Dalarna", None, None, "5a", "Vi har team", None)]
    import openpyxl as _o

    wb = _o.load_workbook(io.BytesIO(out.getvalue()), read_only=True)
    from importers.sheet_reader import _sparse_table

    table = _sparse_table("gles.xlsx", wb.worksheets[0])
    assert len(table.rows) == 3 and len(table.rows[0]) == 3 and table.cell_name(2, 2) == "XFD1048576"
    assert XlsxReader.format == "xlsx"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8"])
def test_excel_unicode_text_export_saved_as_txt(encoding):
    data = "Kommun\tFråga\tSvar\r\nAle kommun\t5a\t\"Rad ett\r\nrad två\"\r\n".encode(encoding)
    assert _answers(data, "export.txt") == [("Ale kommun", None, None, "5a", "Rad ett\nrad två", None)]


def test_csv_with_excel_separator_hint_line():
    data = "sep=;\r\nRespondent;Fråga;Svar\r\nRegion Dalarna;5a;a, b och c\r\n".encode("cp1252")
    assert _answers(data, "hint.csv") == [("Region Dalarna", None, None, "5a", "a, b och c", None)]


def test_a_round_column_puts_each_row_in_its_round(tmp_path):
    """A long export with a round per row (Svar's own "Ladda ner svaren i urvalet (CSV)" has 'omgång'): the column
    was skipped, two rounds became one and an answer given alike in both rounds was dropped as a copy."""
    from models.importing import import_uploads
    from models.store import ProjectStore

    text = ("respondent;fråga;text;omgång\r\n"
            "Tierps kommun;8a;SIP används i alla ärenden.;2022\r\n"
            "Tierps kommun;13a;Vi har en äldremottagning.;2022\r\n"
            "Tierps kommun;8a;SIP används i alla ärenden.;2023\r\n"
            "Tierps kommun;13a;Mobila team.;\r\n")
    parsed = read_file(text.encode("utf-8"), "svar.csv")
    assert [(a.question, a.round_label) for a in parsed.answers] == [
        ("8a", "2022"), ("13a", "2022"), ("8a", "2023"), ("13a", None)]
    assert any("kolumn 'omgång' tolkad som omgång" in w for w in parsed.warnings)
    assert not any("kopian" in w or "olika svar" in w for w in parsed.warnings)
    store = ProjectStore(tmp_path / "p.sqlite")
    import_uploads(store, [("svar.csv", text.encode("utf-8"))], round_label="2023")
    with store.read() as con:
        got = sorted(tuple(r) for r in con.execute("SELECT question_id, round_label FROM answers"))
    assert got == [("13a", "2022"), ("13a", "2023"), ("8a", "2022"), ("8a", "2023")]
    store.close()
