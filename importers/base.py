"""The registry of readers: it picks a reader by the file's real content type and reads the file.

A reader (importers.common.Reader) is any object with `format` (short name stored with the file), `extensions`
(lower-case, with dot) and `read(data, name) -> ParsedFile`. Add a format by writing one
module with a reader and listing it in `READERS`. `reader_for(name, data)` checks the
magic bytes, so a file whose content does not match its extension is refused with a
clear message instead of being misread.
"""
from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from pathlib import PurePath
from typing import Optional

from importers import office_reader
from importers.common import Reader, base_name, library_failures, new_parsed
from importers.docx_reader import DocxReader
from importers.errors import ImportFailure
from importers.mail import eml_attachments, eml_text
from importers.own_export import own_export, own_export_message
from importers.pdf_reader import PdfReader
from importers.safety import MAGIC_CFB, check_size, looks_binary
from importers.sheet_reader import CsvReader, XlsxReader
from importers.text_reader import TextReader
from models.records import ParsedFile

__all__ = ["OFFICE", "READERS", "REFI_QDA", "SUPPORTED", "Reader", "base_name", "read_file", "reader_for", "sniff"]


SUPPORTED = (".docx", ".xlsx", ".csv", ".tsv", ".pdf", ".txt", ".md", ".markdown", ".text", ".eml", ".doc", ".odt",
             ".rtf")
OFFICE = (".doc", ".odt", ".rtf")  # read through LibreOffice (importers.office_reader)
# REFI-QDA project (.qdpx) and codebook (.qdc): they carry codes and codings, not only answers,
# so models.importing imports them through export.refi instead of a Reader.
REFI_QDA = (".qdpx", ".qdc")

_KIND = {"docx": "ett Word-dokument (.docx)", "xlsx": "en Excel-fil (.xlsx)", "pdf": "en PDF",
         "text": "en textfil", "csv": "en textfil (CSV)", "zip": "ett zip-arkiv",
         "zip-broken": "en skadad zip-fil", "cfb": "en fil i gamla Office-formatet"}
_BINARY_MAGIC = [
    (b"MZ", "ett Windows-program (.exe)"),
    (b"\x7fELF", "ett program (ELF)"),
    (b"\x89PNG", "en bild (PNG)"),
    (b"\xff\xd8\xff", "en bild (JPEG)"),
    (b"GIF8", "en bild (GIF)"),
    (b"\x1f\x8b", "ett gzip-arkiv"),
    (b"Rar!", "ett RAR-arkiv"),
    (b"7z\xbc\xaf", "ett 7z-arkiv"),
    (b"{\\rtf", "ett RTF-dokument (spara som .docx)"),
    (b"SQLite format 3", "en databasfil (SQLite)"),
]


def sniff(data: bytes) -> str:
    """Real content type from magic bytes: docx, xlsx, zip, pdf, cfb, text or binary:<what>."""
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except Exception:
            return "zip-broken"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "zip"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(MAGIC_CFB):
        return "cfb"
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            return "binary:" + what
    if looks_binary(data):
        return "binary:binära data"
    return "text"


# Content type (sniff) -> the reader of that type; .doc/.odt/.rtf go through office_reader.OfficeReader.
READERS: dict[str, Reader] = {"docx": DocxReader(), "xlsx": XlsxReader(), "csv": CsvReader(), "pdf": PdfReader(),
                              "text": TextReader()}


def reader_for(name: str, data: bytes) -> Reader:
    """The reader for a file, chosen by extension AND checked against the content's magic bytes."""
    check_size(name, len(data))
    ext = PurePath(name).suffix.lower()
    own = base_name(name)
    if own.startswith("~$"):
        raise ImportFailure(name, "filen är en tillfällig låsfil från Office (~$…) och innehåller inga svar.")
    if own.startswith(".") and ext not in SUPPORTED:
        raise ImportFailure(name, "filen är en dold systemfil (t.ex. .DS_Store) och innehåller inga svar.")
    if ext not in SUPPORTED:
        shown = ext or "(ingen filändelse)"
        hint = _HINTS.get(ext, "")
        raise ImportFailure(
            name, f"filtypen {shown} stöds inte; stöds: .docx, .xlsx, .csv, .pdf, .txt, .md, .eml, .doc, .odt, .rtf "
                  f"och REFI-QDA (.qdpx, .qdc).{hint}")
    if ext in OFFICE:
        return _office_reader(name, ext, data)
    expected = {".docx": "docx", ".xlsx": "xlsx", ".pdf": "pdf"}.get(ext, "csv" if ext in (".csv", ".tsv") else "text")
    real = sniff(data)
    readers = READERS
    if real == "cfb":
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in data:
            raise ImportFailure(name, "filen är lösenordsskyddad (krypterad) och kan inte läsas; spara en kopia utan lösenord.")
        raise ImportFailure(
            name, "filen är i det gamla binära Office-formatet (.doc/.xls) eller lösenordsskyddad; spara den som .docx/.xlsx.")
    if real.startswith("binary:"):
        raise ImportFailure(name, f"filen heter {ext} men är {real.split(':', 1)[1]}, inte {_KIND[expected]}.")
    if real == "zip-broken":
        raise ImportFailure(name, f"filen är skadad eller ofullständig och kan inte öppnas som {_KIND.get(expected, 'dokument')}.")
    if real == "zip":
        raise ImportFailure(name, f"filen är ett zip-arkiv men inte {_KIND[expected]}; packa upp den och importera filerna.")
    if expected in ("csv", "text"):
        if real != "text":
            raise ImportFailure(name, f"filen heter {ext} men innehållet är {_KIND[real]}; byt filändelse.")
        return readers[expected]
    if real != expected:
        if real == "text" and expected in ("docx", "xlsx"):
            raise ImportFailure(name, f"filen heter {ext} men är inte {_KIND[expected]} (innehållet är text); den kan vara skadad eller felnamnad.")
        if real == "text" and expected == "pdf":
            raise ImportFailure(name, "filen heter .pdf men är ingen PDF (saknar PDF-huvud); den kan vara skadad eller felnamnad.")
        raise ImportFailure(name, f"filen heter {ext} men innehållet är {_KIND[real]}; byt filändelse.")
    return readers[expected]


_HINTS = {
    ".xls": " Spara kalkylbladet som .xlsx.", ".xlsm": " Spara kalkylbladet som .xlsx.",
    ".ods": " Spara kalkylbladet som .xlsx.", ".numbers": " Exportera kalkylbladet som .xlsx.",
    ".docm": " Spara dokumentet som .docx.", ".pages": " Exportera dokumentet som .docx.",
    ".png": " Bilder läses inte; skanna till PDF.", ".jpg": " Bilder läses inte; skanna till PDF.",
    ".jpeg": " Bilder läses inte; skanna till PDF.", ".tif": " Bilder läses inte; skanna till PDF.",
    ".tiff": " Bilder läses inte; skanna till PDF.", ".heic": " Bilder läses inte; skanna till PDF.",
    ".zip": " Packa upp arkivet och importera mappen.",
    ".msg": " Spara bilagan och importera den, eller spara meddelandet som .eml eller .txt om svaret står i själva "
            "meddelandet.",
}


def _office_reader(name: str, ext: str, data: bytes) -> Reader:
    """The LibreOffice reader, after checking the content is really a .doc/.odt/.rtf and LibreOffice exists."""
    if not office_reader.content_matches(ext, data):
        real = sniff(data)
        what = _KIND.get(real) or (real.split(":", 1)[1] if real.startswith("binary:") else "något annat")
        if real == "cfb" and b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n" in data:
            what = "en lösenordsskyddad Office-fil"
        raise ImportFailure(name, f"filen heter {ext} men innehållet är {what}; den kan vara skadad eller felnamnad.")
    if ext == ".doc" and b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in data:
        raise ImportFailure(name, "filen är lösenordsskyddad (krypterad) och kan inte läsas; spara en kopia utan lösenord.")
    if office_reader.soffice() is None:
        raise ImportFailure(name, office_reader.missing_message(ext))
    return office_reader.OfficeReader()


_ATTACHMENT = re.compile(r"(?i)\b(?:se|enligt|i)\b[^.\n]{0,30}?\b(?:bifogade?|bilagan?|bilagor(?:na)?)\b")


def read_file(data: bytes, name: str) -> ParsedFile:
    """Pick the reader and read; every failure is an ImportFailure with a Swedish message. A saved e-mail's
    attached answer files are read too (see _read_attachments)."""
    reader = reader_for(name, data)
    mail = PurePath(name).suffix.lower() == ".eml"
    body_failure: Optional[ImportFailure] = None
    try:
        with library_failures(name):
            parsed = reader.read(data, name)
    except ImportFailure as exc:
        kind = own_export(data, sniff(data))  # refused: say so when it is one of the app's own exports
        if kind:
            raise ImportFailure(name, own_export_message(kind)) from None
        if not (mail and eml_attachments(data)):
            raise
        parsed, body_failure = new_parsed(data, name, "eml"), exc  # the answers may be in the attachment
        parsed.warnings.extend(eml_text(data)[1])
    notes = _attachment_notes(parsed)  # an attachment's own answers got theirs when it was read
    if mail:
        _read_attachments(parsed, data, body_failure)
    parsed.warnings.extend(notes)
    return parsed


def _read_attachments(parsed: ParsedFile, data: bytes, body_failure: Optional[ImportFailure]) -> None:
    """The answers of a saved e-mail's attached answer files (a form sent as a .docx), read by the reader of their
    own kind and added to the mail's; each attachment's report lines carry its name. Without answers in the body
    or any attachment, the body's refusal stands."""
    read = []
    for fname, payload in eml_attachments(data):
        try:
            att = read_file(payload, fname)
        except ImportFailure as exc:
            parsed.warnings.append(f"bilagan '{fname}' kunde inte läsas: {exc.problem}")
            continue
        read.append(fname)
        before = {(a.respondent, a.question) for a in parsed.answers}
        both = sorted({(a.respondent, a.question) for a in att.answers} & before)
        for resp, qid in both:
            parsed.warnings.append(f"{resp}, fråga {qid}: svar både i e-postmeddelandet och i bilagan '{fname}'; "
                                   "båda svaren finns kvar — kontrollera om det ena är en äldre version")
        offset = len(parsed.answers)
        parsed.answers.extend(dataclasses.replace(a, position=offset + a.position) for a in att.answers)
        parsed.warnings.extend(f"bilagan '{fname}': {w}" for w in att.warnings)
        for resp, names in att.speaks_for.items():
            parsed.speaks_for.setdefault(resp, names)
    if read:
        shown = ", ".join(f"'{f}'" for f in read)
        one = len(read) == 1
        parsed.warnings.append(f"e-postmeddelandets {'bilaga' if one else 'bilagor'} {shown} lästes som "
                               f"{'svarsfil' if one else 'svarsfiler'}"
                               + (" (meddelandets egen text hade inga svar)" if body_failure else ""))
    if not parsed.answers:
        raise body_failure or ImportFailure(parsed.name, "hittade inga svar i e-postmeddelandet eller dess bilagor.")



def _attachment_notes(parsed: ParsedFile) -> list[str]:
    """One line per answer that refers to an attachment ("Se bilaga"): the attachment is not in the file."""
    out = []
    for a in parsed.answers:
        m = _ATTACHMENT.search(a.text or "")
        if m:
            who = f"{a.respondent}, " if len({b.respondent for b in parsed.answers}) > 1 else ""
            out.append(f"{who}fråga {a.question}: svaret hänvisar till en bilaga ('{m.group(0).strip()}'); "
                       "bilagan finns inte i filen — importera den om den har skickats separat")
    return out
