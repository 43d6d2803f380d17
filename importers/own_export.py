"""Recognise a file that Svarsanalys itself wrote (an export), to say why it cannot be imported as answers.

The Excel export (sheets "Kodade utdrag", "Matris", "Täckning", "Kodbok"; the change report's
"Förändring" and "Täckning per omgång"), the CSV of coded excerpts and the Word report hold coded
excerpts and figures, not the respondents' answers: importing them would make phantom respondents or
answers of excerpts. The Word report saved or printed as PDF is known by its author (LibreOffice and Word
keep it) or by its fixed headings in the text layer. The readers already refuse them; `own_export` names what the file is so that the
message can say so and what to do instead (`own_export_message`). Used only on a file a reader refused.
"""
from __future__ import annotations

import io
import re
import zipfile
from typing import Optional

CREATOR = "Svarsanalys"  # dc:creator of the workbooks and the Word report the app writes

# Column headings that together only the app's own tables have (export.tables, export.csv_export).
_EXCERPT_HEADERS = frozenset({"kod-id", "utdrag"})
_COVERAGE_HEADERS = frozenset({"kod-id", "regioner som nämner"})
_CHANGE_HEADERS = frozenset({"kod-id", "förändring"})
_SIGNATURES = (_EXCERPT_HEADERS, _COVERAGE_HEADERS, _CHANGE_HEADERS)
_EXPORT_SHEETS = frozenset({"kodade utdrag", "matris", "täckning", "kodbok", "förändring", "täckning per omgång"})
# Headings of the Word report (export.docx_report); its title can be chosen, these cannot.
_REPORT_HEADINGS = ("Metod", "Bilaga: täckning per insats")

WHAT_SV = {
    "xlsx": "en Excel-export från Svarsanalys (kodade utdrag, matris, täckning eller kodbok)",
    "csv": "en CSV-export från Svarsanalys (kodade utdrag)",
    "docx": "Word-rapporten från Svarsanalys",
    "pdf": "Word-rapporten från Svarsanalys sparad som PDF",
}


def own_export_message(kind: str) -> str:
    """The Swedish reason and what to do, for `ImportFailure(name, …)`."""
    return (f"filen är {WHAT_SV[kind]} – kodade utdrag och siffror som appen har räknat fram, inte svar – och "
            "kan inte läsas in som svar. Importera de ursprungliga svarsfilerna i stället, eller en REFI-QDA-export "
            "(.qdpx) från Svarsanalys för att ta tillbaka svaren med kodningarna.")


def _creator(names: set[str], zf: zipfile.ZipFile) -> str:
    if "docProps/core.xml" not in names:
        return ""
    m = re.search(rb"<dc:creator[^>]*>([^<]*)</dc:creator>", zf.read("docProps/core.xml"))
    return m.group(1).decode("utf-8", "replace").strip() if m else ""


def _ours_or_part(data: bytes, part: str) -> tuple[bool, str]:
    """(whether the OOXML file names Svarsanalys as its creator, the text of its ``part`` or "")."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        if _creator(names, zf) == CREATOR:
            return True, ""
        return False, zf.read(part).decode("utf-8", "replace") if part in names else ""


def _header_match(cells) -> bool:
    keys = {str(c).strip().lower() for c in cells if c is not None and str(c).strip()}
    return any(sig <= keys for sig in _SIGNATURES)


def _xlsx_is_export(data: bytes) -> bool:
    ours, book = _ours_or_part(data, "xl/workbook.xml")
    if ours:
        return True
    sheets = {s.strip().lower() for s in re.findall(r'<(?:\w+:)?sheet\b[^>]*\bname="([^"]*)"', book)}
    if "kodade utdrag" in sheets or len(sheets & _EXPORT_SHEETS) >= 2:
        return True
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            for row in ws.iter_rows(min_row=1, max_row=5, values_only=True):
                if _header_match(row):
                    return True
    finally:
        wb.close()
    return False


def _csv_is_export(data: bytes) -> bool:
    head = data[:4096]
    for enc in ("utf-16", "utf-8-sig", "cp1252"):
        if enc == "utf-16" and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            text = head.decode(enc, "ignore")
            break
        except LookupError:
            continue
    else:
        return False
    for line in text.splitlines()[:5]:
        if _header_match(c.strip().strip('"') for c in re.split(r"[;,\t]", line)):
            return True
    return False


def _docx_is_export(data: bytes) -> bool:
    ours, xml = _ours_or_part(data, "word/document.xml")
    if ours:
        return True
    paragraphs = {re.sub(r"<[^>]+>", "", p).strip() for p in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)}
    return all(h in paragraphs for h in _REPORT_HEADINGS)


def _pdf_is_export(data: bytes) -> bool:
    import logging
    import warnings

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pdf = PdfReader(io.BytesIO(data))
        if pdf.is_encrypted:
            return False
        meta = pdf.metadata or {}
        if str(meta.get("/Author") or "").strip() == CREATOR:
            return True
        lines: set[str] = set()
        for page in pdf.pages[:60]:  # the appendix heading comes after every category
            lines.update(" ".join(line.split()) for line in (page.extract_text() or "").splitlines())
            if all(h in lines for h in _REPORT_HEADINGS):
                return True
    return False


def own_export(data: bytes, content: str) -> Optional[str]:
    """'xlsx', 'csv', 'docx' or 'pdf' when `data` (of sniffed type `content`: xlsx, docx, pdf, text) is an export of
    Svarsanalys, else None. Never raises: a file it cannot look into is not an export."""
    try:
        if content == "xlsx":
            return "xlsx" if _xlsx_is_export(data) else None
        if content == "docx":
            return "docx" if _docx_is_export(data) else None
        if content in ("text", "csv"):
            return "csv" if _csv_is_export(data) else None
        if content == "pdf":
            return "pdf" if _pdf_is_export(data) else None
    except Exception:  # noqa: BLE001 - a damaged file keeps the reader's own message
        return None
    return None
