"""Answer files built in memory for the import tests: a Word document of paragraphs, an Excel workbook of rows,
a scanned PDF (an image of typed lines, no text layer)."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Optional


def form_wording(qid: str) -> str:
    """The wording of question `qid` as the current forms print it (the first form defining the id)."""
    from importers.forms_compat import questions_by_id

    return questions_by_id()[qid][0].text


def document_bytes(document) -> bytes:
    """A python-docx Document (or anything with .save(stream)) as the bytes of its file."""
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def libreoffice_convert(tmp_path: Path, name: str, data: bytes, fmt: str) -> bytes:
    """`data` saved as `name` in `tmp_path` and converted by LibreOffice to `fmt` ("doc", "pdf"): the bytes of the
    converted file. Skips the test when LibreOffice is not installed."""
    import subprocess

    import pytest

    from importers import office_reader

    if office_reader.soffice() is None:
        pytest.skip("LibreOffice saknas")
    src = tmp_path / name
    src.write_bytes(data)
    subprocess.run([office_reader.soffice(), f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", fmt, "--outdir", str(tmp_path), str(src)], check=True, timeout=180,
                   capture_output=True)
    return (tmp_path / f"{src.stem}.{fmt}").read_bytes()


def docx_bytes(paragraphs: list[str]) -> bytes:
    """A .docx with one paragraph per string."""
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    return document_bytes(d)


def xlsx_bytes(rows: list[list[object]], *, title: Optional[str] = None, merge: str = "") -> bytes:
    """An .xlsx whose first sheet (named `title` when given) holds `rows`; `merge` a range to merge ("B1:C1")."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.title = title
    for r in rows:
        ws.append(r)
    if merge:
        ws.merge_cells(merge)
    return document_bytes(wb)


# a Region Dalarna form with two answers (5a, 6), as the OCR tests read it back
SCANNED_FORM = ["Region Dalarna", "", "5a. Beskriv insatser, verksamheter och målgrupper", "",
                "Vi har infört mobila team i hemsjukvården och", "startat en vårdcentral på landsbygden.", "",
                "6. Beskriv påbörjade eller genomförda nya initiativ", "",
                "Digitala vårdbesök erbjuds nu i hela länet."]


def scanned_pdf(path: Path, lines: list[str]) -> None:
    """A one-page A4 PDF at 300 dpi that is only an image of `lines` (a scan: OCR is the only way to read it)."""
    from PIL import Image, ImageDraw, ImageFont

    font_file = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    font = ImageFont.truetype(str(font_file), 40) if font_file.exists() else ImageFont.load_default(size=40)
    image = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((200, 200 + 70 * i), line, font=font, fill=0)
    image.save(path, "PDF", resolution=300)


def pdf_of_objects(objects: list[bytes]) -> bytes:
    """A PDF file of numbered `objects` (1 is the catalog) with its cross-reference table and trailer."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{off:010d} 00000 n \n".encode() for off in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
