"""Every bad-input case of issue 2 part 6: a Swedish message naming the file, the rest of the batch imports."""
from __future__ import annotations

import io
import random
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

import config
from importers.base import read_file
from importers.errors import ImportFailure
from models.importing import import_paths, import_uploads
from models.store import ProjectStore
from tools.docx_forms import form_bytes

_RNG = random.Random(2022)


def _noise(n: int) -> bytes:
    return _RNG.randbytes(n)


GOOD = form_bytes("Region Dalarna", {"5a": "Mobila team i hela länet."}, {"1": "Ja"})


def _rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
           compression=zipfile.ZIP_DEFLATED) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as z:
        for item in src.infolist():
            z.writestr(item.filename, (replace or {}).get(item.filename, src.read(item.filename)))
        for name, payload in (add or {}).items():
            z.writestr(name, payload)
    return out.getvalue()


def _doc_xml(body: str, prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            f"{body}</w:body></w:document>").encode()


XXE = _doc_xml("<w:p><w:r><w:t>6. Beskriv &xxe;</w:t></w:r></w:p>",
               '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
LAUGHS = _doc_xml("<w:p><w:r><w:t>&lol4;</w:t></w:r></w:p>",
                  '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;">]>')


def _encrypted_ooxml() -> bytes:
    # An OLE compound file holding an "EncryptionInfo" stream is how Office stores password-protected .docx/.xlsx.
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 512


def _encrypted_pdf() -> bytes:
    fpdf = pytest.importorskip("fpdf")
    doc = fpdf.FPDF()
    doc.add_page()
    doc.set_font("Helvetica", size=11)
    doc.cell(0, 6, "6. Beskriv")
    doc.set_encryption(owner_password="agare", user_password="hemligt")
    return bytes(doc.output())


def _zip_bomb() -> bytes:
    return _rezip(GOOD, replace={"word/document.xml": b"<a>" + b" " * (40 * 1024 * 1024) + b"</a>"})


CASES = {
    "tom.docx": (b"", "tom"),
    "tom.csv": (b"", "tom"),
    "trasig.docx": (_noise(3000), "binära data"),
    "avkortad.docx": (GOOD[: len(GOOD) // 2], "skadad"),
    "avkortad.xlsx": (b"PK\x03\x04" + _noise(200), "skadad"),
    "losenord.docx": (_encrypted_ooxml(), "lösenordsskyddad"),
    "losenord.xlsx": (_encrypted_ooxml(), "lösenordsskyddad"),
    "program.docx": (b"MZ\x90\x00" + _noise(2000), "program"),
    "felnamnad.pdf": ("Bara text, ingen PDF".encode(), "ingen PDF"),
    "egentligen_word.xlsx": (GOOD, "Word-dokument"),
    "bomb.docx": (None, "zip-bomb"),
    "xxe.docx": (_rezip(GOOD, replace={"word/document.xml": XXE}), "DTD"),
    "laughs.docx": (_rezip(GOOD, replace={"word/document.xml": LAUGHS}), "DTD"),
    "traversal.docx": (_rezip(GOOD, add={"../../evil.txt": b"x"}), "sökväg"),
    "skrap.csv": (_noise(5000).replace(b"\n", b"x") + b"\x00\x01\x02", "binära data"),
    "okand.csv": ("Namn;Adress\nAnna;Storgatan 1\n".encode(), "kolumner"),
    "stor_cell.csv": (("Respondent;Fråga;Svar\nRegion Dalarna;5a;" + "x" * (config.MAX_CELL_CHARS + 1)).encode(),
                      f"{config.MAX_CELL_CHARS:,}".replace(",", " ")),
    "bild.txt": (b"\x89PNG\r\n\x1a\n" + _noise(100), "bild"),
    "okand.odt": (b"PK\x03\x04", "skadad"),
    "okand.pages": (b"PK\x03\x04", "stöds inte"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_gives_swedish_message(name):
    data, expected = CASES[name]
    if data is None:
        data = _zip_bomb()
    with pytest.raises(ImportFailure) as exc:
        read_file(data, name)
    assert exc.value.file_name == name
    assert expected.lower() in exc.value.problem.lower(), exc.value.problem
    assert str(exc.value).startswith(f"{name}: ")


def test_password_protected_pdf():
    with pytest.raises(ImportFailure) as exc:
        read_file(_encrypted_pdf(), "hemlig.pdf")
    assert "lösenordsskyddad" in exc.value.problem


def test_limits_are_stated(monkeypatch):
    monkeypatch.setattr(config, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ImportFailure) as exc:
        read_file(GOOD, "stor.docx")
    assert config.human_size(1000) in exc.value.problem
    monkeypatch.setattr(config, "MAX_FILE_BYTES", 50 * config.MB)
    monkeypatch.setattr(config, "MAX_DECOMPRESSED_BYTES", 10_000)
    with pytest.raises(ImportFailure) as exc:
        read_file(GOOD, "uppackad.docx")
    assert config.human_size(10_000) in exc.value.problem
    monkeypatch.setattr(config, "MAX_DECOMPRESSED_BYTES", 200 * config.MB)
    monkeypatch.setattr(config, "MAX_ZIP_MEMBERS", 3)
    with pytest.raises(ImportFailure) as exc:
        read_file(GOOD, "delar.docx")
    assert "gränsen är 3" in exc.value.problem
    monkeypatch.setattr(config, "MAX_ZIP_MEMBERS", 10_000)
    monkeypatch.setattr(config, "MAX_CELL_CHARS", 10)
    with pytest.raises(ImportFailure) as exc:
        read_file(GOOD, "langt.docx")
    assert "fråga 5a" in exc.value.problem and "10 tecken" in exc.value.problem


def test_xlsx_over_large_cell_names_the_cell(monkeypatch):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Svar"
    wb.active.append(["Respondent", "Fråga", "Svar"])
    wb.active.append(["Region Dalarna", "5a", "y" * 500])
    buf = io.BytesIO()
    wb.save(buf)
    monkeypatch.setattr(config, "MAX_CELL_CHARS", 100)
    with pytest.raises(ImportFailure) as exc:
        read_file(buf.getvalue(), "celler.xlsx")
    assert "C2" in exc.value.problem and "Svar" in exc.value.problem and "100" in exc.value.problem


def test_batch_with_every_bad_file_still_imports_the_good_ones(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, (data, _) in CASES.items():
        (folder / name).write_bytes(_zip_bomb() if data is None else data)
    (folder / "bra.docx").write_bytes(GOOD)
    (folder / "bra.csv").write_bytes("Respondent;Fråga;Svar\nMora kommun;6;Trygghetskameror\n".encode("cp1252"))
    (folder / ".dold.docx").write_bytes(b"")  # hidden and empty: named with FEL like every other file
    store = ProjectStore(tmp_path / "p.sqlite")
    store.upsert_questions([])
    reports = import_paths(store, [folder])
    by_name = {r.name: r for r in reports}
    assert set(by_name) == set(CASES) | {"bra.docx", "bra.csv", ".dold.docx"}  # every file has a line
    assert by_name["bra.docx"].ok and by_name["bra.docx"].answers == 2
    assert by_name["bra.csv"].ok and by_name["bra.csv"].answers == 1
    failed = [r for r in reports if not r.ok]
    assert {r.name for r in failed} == set(CASES) | {".dold.docx"}
    assert all(r.message for r in failed)
    assert {a.source_file for a in store.answers()} == {"bra.docx", "bra.csv"}
    with store.read() as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT count(*) FROM source_files").fetchone()[0] == 2


def test_uploads_and_batch_limit(tmp_path, monkeypatch):
    store = ProjectStore(tmp_path / "p.sqlite")
    reports = import_uploads(store, [("a.docx", GOOD), ("b.docx", b"")])
    assert [r.ok for r in reports] == [True, False]
    monkeypatch.setattr(config, "MAX_FILES_PER_BATCH", 1)
    reports = import_uploads(store, [("c.docx", GOOD), ("d.docx", GOOD)])
    assert not any(r.ok for r in reports) and "högst 1 filer" in reports[0].message
    assert {a.source_file for a in store.answers()} == {"a.docx"}


def test_an_unsupported_type_s_message_lists_every_type_the_import_takes():
    """The list said '.docx … .rtf' though `cli.py import` and the uploader also take REFI-QDA (.qdpx, .qdc)."""
    from importers.base import REFI_QDA, SUPPORTED

    with pytest.raises(ImportFailure) as exc:
        read_file(b"MZ\x90\x00", "program.exe")
    msg = str(exc.value)
    for ext in (".docx", ".xlsx", ".csv", ".pdf", ".txt", ".md", ".doc", ".odt", ".rtf") + REFI_QDA:
        assert ext in SUPPORTED + REFI_QDA and ext in msg, ext


def test_the_apps_own_exports_are_refused_saying_what_they_are(tmp_path):
    """qa23: an export of Svarsanalys dropped on Importera was refused, but the message did not say why.
    Each export (xlsx, csv, the Word report, the change report) is named as the app's export, with what to
    import instead; other files of the batch still import."""
    import docx as python_docx

    from export.change_report import to_xlsx as change_xlsx
    from export.csv_export import to_csv
    from export.docx_report import to_docx
    from export.xlsx import to_xlsx
    from tests.test_export_support import build_project

    store = build_project(tmp_path / "p.sqlite")
    report = to_docx(store)
    files = {"utdrag.xlsx": to_xlsx(store), "utdrag.csv": to_csv(store), "rapport.docx": report,
             "forandring.xlsx": change_xlsx(store, "2022", "2023")}
    store.close()
    # a report written before the app set its author is known by its fixed headings
    old = python_docx.Document(io.BytesIO(report))
    old.core_properties.author = "python-docx"
    buf = io.BytesIO()
    old.save(buf)
    files["gammal_rapport.docx"] = buf.getvalue()
    expected = {"utdrag.xlsx": "en Excel-export från Svarsanalys", "utdrag.csv": "en CSV-export från Svarsanalys",
                "rapport.docx": "Word-rapporten från Svarsanalys", "gammal_rapport.docx": "Word-rapporten från Svarsanalys",
                "forandring.xlsx": "en Excel-export från Svarsanalys"}
    for name, data in files.items():
        with pytest.raises(ImportFailure) as err:
            read_file(data, name)
        message = str(err.value)
        assert message.startswith(f"{name}: filen är {expected[name]}"), message
        assert "inte svar" in message and "ursprungliga svarsfilerna" in message and ".qdpx" in message
    # a batch: the exports fail by name, the answer file imports
    folder = tmp_path / "in"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "Region_Dalarna.docx").write_bytes(GOOD)
    target = ProjectStore(tmp_path / "ny.sqlite")
    reports = import_paths(target, [folder])
    failed = {r.name: r.message for r in reports if not r.ok}
    assert set(failed) == set(files) and all("från Svarsanalys" in m for m in failed.values()), failed
    assert {a.respondent.name for a in target.answers()} == {"Region Dalarna"}
    assert "Mobila team i hela länet." in [a.text for a in target.answers()]
    target.close()


def _pdf(lines, author=None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("dv", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.set_font("dv", size=11)
    if author:
        pdf.set_author(author)
    for line in lines:
        pdf.multi_cell(0, 6, line)
        pdf.ln(2)
    return bytes(pdf.output())


@pytest.mark.skipif(not Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists(), reason="no DejaVu font")
def test_the_word_report_saved_as_pdf_is_refused_saying_what_it_is(tmp_path):
    """qa24 leftover: the Word report saved as PDF (LibreOffice, Word, a PDF printer) got the generic 'hittade inga
    svar i filen'. It is known by the author the report carries or, when a printer dropped it, by its fixed
    headings; an answer PDF that only has the word 'Metod' is not taken for it."""
    body = ["Täckning och exempel", "Metod", "Underlaget är 3 inlästa svarsfiler.", "Mobila team",
            "Mobila team nämns av 1 av 2 regioner som svarat (21 totalt).", "Bilaga: täckning per insats"]
    for name, data in {"rapport.pdf": _pdf(body[:3], author="Svarsanalys"), "utskrift.pdf": _pdf(body)}.items():
        with pytest.raises(ImportFailure) as err:
            read_file(data, name)
        message = str(err.value)
        assert message.startswith(f"{name}: filen är Word-rapporten från Svarsanalys sparad som PDF"), message
        assert "ursprungliga svarsfilerna" in message and ".qdpx" in message
    # an empty PDF of someone else keeps the reader's own message
    with pytest.raises(ImportFailure) as err:
        read_file(_pdf(["Metod", "Inget här."], author="Anna"), "annan.pdf")
    assert "Svarsanalys" not in str(err.value) and "hittade inga svar" in str(err.value)
    # an answer PDF is still read
    parsed = read_file(_pdf(["Svar från: Region Dalarna", "Fråga 13a. Beskriv proaktiva arbetssätt.",
                             "Mobila team finns i hela länet."], author="Svarsanalys-projektet"), "dalarna.pdf")
    assert [a.text for a in parsed.answers] == ["Mobila team finns i hela länet."]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_the_word_report_converted_by_libreoffice_is_refused_as_the_report(tmp_path):
    from export.docx_report import to_docx
    from tests.test_export_support import build_project

    store = build_project(tmp_path / "p.sqlite")
    (tmp_path / "rapport.docx").write_bytes(to_docx(store))
    store.close()
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(tmp_path / "rapport.docx")], check=True, capture_output=True, timeout=180)
    with pytest.raises(ImportFailure) as err:
        read_file((tmp_path / "rapport.pdf").read_bytes(), "rapport.pdf")
    assert "Word-rapporten från Svarsanalys sparad som PDF" in str(err.value)


def test_an_ordinary_refusal_keeps_its_own_message():
    with pytest.raises(ImportFailure) as err:
        read_file("namn;antal\nA;2\n".encode("utf-8"), "lista.csv")
    # qa55: '2' under the header 'antal' is a count, not question 2 (before: "filen har rätt kolumner men inga
    # ifyllda svar", as if '2' were a question column)
    assert str(err.value) == ("lista.csv: ingen svarstabell hittades (väntade en respondentkolumn och en kolumn per "
                              "fråga, t.ex. '5a', eller kolumnerna 'Respondent', 'Fråga' och 'Svar'). Filen "
                              "innehåller: 'lista.csv' med kolumnerna namn, antal.")
