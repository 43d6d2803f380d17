"""The round proposed at import is read the same way from every format (qa20, item 1).

A scanned PDF (read by OCR) and an Excel file with the form title above its table got no proposal, while
Word, text and PDF files with a text layer did.
"""
from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from importers import ocr
from models.rounds import detect_round, text_head
from tests.helpers.files import scanned_pdf

TITLE = "Slutredovisning av kommunernas arbete inom ramen för god och nära vård 2022"


def _xlsx(title_sheet: str = "visible") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Svar"
    ws.append([TITLE])
    ws.append([])
    ws.append(["Respondent", "Typ", "Län", "13a Beskriv insatser kopplat till undvikbar slutenvård"])
    ws.append(["Lomma kommun", "Kommun", "Skåne län", "Mobila team planeras."])
    ws.sheet_state = title_sheet
    other = wb.create_sheet("Export")
    other.append(["Respondent", "13a"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_round_of_a_spreadsheet_is_read_from_its_title_row():
    name = "kommuner_skane_export.xlsx"
    assert detect_round(name, text_head(name, _xlsx())) == "2022-slut"


def test_title_on_a_hidden_sheet_proposes_nothing():
    # the import does not read a hidden sheet (a draft), so its title is no evidence either
    name = "kommuner_skane_export.xlsx"
    assert detect_round(name, text_head(name, _xlsx("hidden"))) is None


def test_cli_hint_names_the_round_of_a_spreadsheet(tmp_path):
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    path = tmp_path / "kommuner_skane_export.xlsx"
    path.write_bytes(_xlsx())
    out = subprocess.run([sys.executable, str(root / "cli.py"), "import", str(path), "--db", str(tmp_path / "p.sqlite"),
                          "--no-analyse"], capture_output=True, text=True, cwd=root, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "ange --round 2022-slut" in out.stderr


SCANNED_LINES = ["Slutredovisning av kommunernas arbete inom ramen", "för god och nära vård 2022", "",
                 "Kommunerna i Blekinge län", "", "13a. Beskriv insatser kopplat till undvikbar slutenvård", "",
                 "Mobila team gör hembesök i Karlskrona."]


def test_round_of_a_scanned_pdf_is_read_from_its_title_by_ocr(tmp_path):
    if not ocr.available():
        pytest.skip("tesseract-ocr/tesseract-ocr-swe saknas")
    path = tmp_path / "Kommunerna_i_Blekinge_lan.pdf"
    scanned_pdf(path, SCANNED_LINES)
    data = path.read_bytes()
    assert detect_round(path.name, text_head(path.name, data)) == "2022-slut"


def test_scanned_pdf_without_tesseract_proposes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "Kommunerna_i_Blekinge_lan.pdf"
    scanned_pdf(path, SCANNED_LINES)
    monkeypatch.setattr(ocr, "available", lambda: False)
    monkeypatch.setattr(ocr, "_HEADS", {})
    assert text_head(path.name, path.read_bytes()) == ""
