"""Malicious files are refused with a clear Swedish message naming the file (and the limit);
the rest of the batch still imports.

The fixtures are built by the tests (nothing binary is committed): zip bombs (docx/xlsx, by
ratio, by total size, by lying headers, by member count), XML external entities, billion
laughs (also hidden after 64 kB of padding), path traversal in member names, a 200 MB upload
(a sparse file: never held twice in memory, refused before it is read), a .docx that is an
.exe, over-large cells, too many files, a sparse-cell xlsx bomb, a PDF stream bomb and
a YAML alias bomb for the codebook.
"""
from __future__ import annotations

import io
import secrets
import struct
import subprocess
import sys
import textwrap
import tracemalloc
import zipfile
from pathlib import Path

import pytest

import config

import importers.base as base
from importers.errors import ImportFailure
from models import importing
from models.store import ProjectStore
from tests.helpers.files import docx_bytes, pdf_of_objects, xlsx_bytes

ROOT = Path(__file__).resolve().parents[1]
MB = 1024 * 1024
RATIO = f"{config.MAX_COMPRESSION_RATIO} gånger"
UNPACKED = config.human_size(config.MAX_DECOMPRESSED_BYTES)
FILE_LIMIT = config.human_size(config.MAX_FILE_BYTES)


def cell_limit_texts() -> tuple[str, ...]:
    n = config.MAX_CELL_CHARS
    return (str(n), f"{n:,}".replace(",", " "), f"{n:,}".replace(",", "\u00a0"))


# ---------------------------------------------------------------- builders
GOOD_DOCX = docx_bytes(["Region Dalarna", "5a. Beskriv arbetet med mobila team.", "Vi har mobila team i hela länet."])
GOOD_XLSX = xlsx_bytes([["Respondent", "5a Mobila team"], ["Region Dalarna", "Vi har mobila team."]])
DOC_MEMBER = "word/document.xml"
SHEET_MEMBER = "xl/worksheets/sheet1.xml"


def rebuild(data: bytes, replace: dict[str, bytes] | None = None, extra: dict[str, bytes] | None = None,
            stream: dict[str, tuple[bytes, int]] | None = None) -> bytes:
    """Copy a zip, replacing members, adding members, or streaming a repeated chunk (bombs)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in src.infolist():
            if stream and info.filename in stream:
                chunk, times = stream[info.filename]
                member = zipfile.ZipInfo(info.filename)
                member.compress_type = zipfile.ZIP_DEFLATED
                with out.open(member, "w", force_zip64=True) as fh:
                    for _ in range(times):
                        fh.write(chunk)
                continue
            body = (replace or {}).get(info.filename, src.read(info.filename))
            out.writestr(info.filename, body)
        for name, body in (extra or {}).items():
            out.writestr(name, body)
    return buf.getvalue()


def lie_about_sizes(data: bytes, member: str, claimed: int) -> bytes:
    """Patch a zip so the headers claim `claimed` uncompressed bytes for `member`."""
    buf = bytearray(data)
    name = member.encode()
    pos = 0
    while (pos := buf.find(b"PK\x03\x04", pos)) != -1:  # local headers
        n_len = struct.unpack_from("<H", buf, pos + 26)[0]
        if bytes(buf[pos + 30:pos + 30 + n_len]) == name:
            struct.pack_into("<I", buf, pos + 22, claimed)
        pos += 4
    pos = 0
    while (pos := buf.find(b"PK\x01\x02", pos)) != -1:  # central directory
        n_len = struct.unpack_from("<H", buf, pos + 28)[0]
        if bytes(buf[pos + 46:pos + 46 + n_len]) == name:
            struct.pack_into("<I", buf, pos + 24, claimed)
        pos += 4
    return bytes(buf)


def xxe_xml(target: Path, root_tag: bytes = b"w:document") -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<!DOCTYPE ' + root_tag + b' [<!ENTITY xxe SYSTEM "file://' + str(target).encode() + b'">]>\n')


def billion_laughs_prolog(root_tag: bytes) -> bytes:
    ents = [b'<!ENTITY lol "lol">']
    for i in range(1, 10):
        prev = b"lol" if i == 1 else b"lol" + str(i - 1).encode()
        ents.append(b"<!ENTITY lol" + str(i).encode() + b' "' + (b"&" + prev + b";") * 10 + b'">')
    return (b'<?xml version="1.0"?>\n<!DOCTYPE ' + root_tag + b" [" + b"".join(ents) + b"]>\n")


def with_prolog(xml: bytes, prolog: bytes, entity_ref: bytes, anchor: bytes, pad: int = 0) -> bytes:
    """Put a DTD prolog before the root element (optionally after `pad` bytes of comment)."""
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    body = body.replace(anchor, anchor.replace(b">", b">" + entity_ref, 1), 1) if anchor in body else body
    padding = b"<!--" + b"p" * pad + b"-->\n" if pad else b""
    if pad:  # the XML declaration must stay first; padding goes between it and the DOCTYPE
        decl, rest = prolog.split(b"?>", 1)
        return decl + b"?>\n" + padding + rest + body
    return prolog + body


def run_isolated(code: str, timeout: float = 30, memory_mb: int = 3000) -> subprocess.CompletedProcess:
    """Run Python in a child with a time and address-space limit (a bomb must not take the test run down)."""
    prelude = textwrap.dedent(f"""
        import resource, sys
        sys.path.insert(0, {str(ROOT)!r})
        resource.setrlimit(resource.RLIMIT_AS, ({memory_mb} * 1024 * 1024, {memory_mb} * 1024 * 1024))
    """)
    return subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=timeout)


# ------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def secret_file(tmp_path_factory) -> tuple[Path, str]:
    marker = "HEMLIGT-" + secrets.token_hex(8)
    path = tmp_path_factory.mktemp("secret") / "hemlig.txt"
    path.write_text(marker)
    return path, marker


@pytest.fixture(scope="module")
def hostile(secret_file) -> dict[str, tuple[bytes, tuple[str, ...]]]:
    """file name -> (bytes, texts of which the message must contain one; empty: any clear message)."""
    secret, _ = secret_file
    doc_xml = zipfile.ZipFile(io.BytesIO(GOOD_DOCX)).read(DOC_MEMBER)
    xlsx = GOOD_XLSX
    sheet_xml = zipfile.ZipFile(io.BytesIO(xlsx)).read(SHEET_MEMBER)
    zeros = b"\x00" * MB
    spaces = b" " * MB
    over_total = config.MAX_DECOMPRESSED_BYTES // MB + 10
    files: dict[str, tuple[bytes, tuple[str, ...]]] = {
        # zip bombs
        "bomb_kvot.docx": (rebuild(GOOD_DOCX, stream={DOC_MEMBER: (spaces, 20)}), (RATIO, UNPACKED)),
        "bomb_total.docx": (rebuild(GOOD_DOCX, stream={DOC_MEMBER: (zeros, over_total)}), (UNPACKED, RATIO)),
        "bomb_kvot.xlsx": (rebuild(GOOD_XLSX, stream={SHEET_MEMBER: (spaces, 20)}), (RATIO, UNPACKED)),
        # headers that claim more than the limit (checked before anything is decompressed)
        "bomb_total.xlsx": (lie_about_sizes(GOOD_XLSX, SHEET_MEMBER, config.MAX_DECOMPRESSED_BYTES + 1),
                            (UNPACKED, RATIO)),
        "bomb_ljuger.docx": (lie_about_sizes(rebuild(GOOD_DOCX, stream={DOC_MEMBER: (spaces, 30)}), DOC_MEMBER,
                                             len(doc_xml)), ()),
        "manga_delar.docx": (rebuild(GOOD_DOCX, extra={f"customXml/item{i}.xml": b"" for i in
                                                       range(config.MAX_ZIP_MEMBERS + 1)}),
                             (str(config.MAX_ZIP_MEMBERS),)),
        # XML external entity and entity expansion
        "xxe.docx": (rebuild(GOOD_DOCX, replace={DOC_MEMBER: with_prolog(
            doc_xml, xxe_xml(secret), b"&xxe;", b"<w:t>")}), ()),
        "xxe_gomd.docx": (rebuild(GOOD_DOCX, replace={DOC_MEMBER: with_prolog(
            doc_xml, xxe_xml(secret), b"&xxe;", b"<w:t>", pad=70_000)}), ()),
        "xxe.xlsx": (rebuild(xlsx, replace={SHEET_MEMBER: with_prolog(
            sheet_xml, xxe_xml(secret, b"worksheet"), b"&xxe;", b"<t>")}), ()),
        "xxe_gomd.xlsx": (rebuild(xlsx, replace={SHEET_MEMBER: with_prolog(
            sheet_xml, xxe_xml(secret, b"worksheet"), b"&xxe;", b"<t>", pad=70_000)}), ()),
        "skratt.docx": (rebuild(GOOD_DOCX, replace={DOC_MEMBER: with_prolog(
            doc_xml, billion_laughs_prolog(b"w:document"), b"&lol9;", b"<w:t>")}), ()),
        "skratt_gomd.docx": (rebuild(GOOD_DOCX, replace={DOC_MEMBER: with_prolog(
            doc_xml, billion_laughs_prolog(b"w:document"), b"&lol9;", b"<w:t>", pad=70_000)}), ()),
        "skratt.xlsx": (rebuild(xlsx, replace={SHEET_MEMBER: with_prolog(
            sheet_xml, billion_laughs_prolog(b"worksheet"), b"&lol9;", b"<t>")}), ()),
        "skratt_gomd.xlsx": (rebuild(xlsx, replace={SHEET_MEMBER: with_prolog(
            sheet_xml, billion_laughs_prolog(b"worksheet"), b"&lol9;", b"<t>", pad=70_000)}), ()),
        # path traversal in member names
        "traversal.docx": (rebuild(GOOD_DOCX, extra={"../../evil": b"pwned"}), ()),
        "traversal_abs.docx": (rebuild(GOOD_DOCX, extra={"/tmp/evil": b"pwned"}), ()),
        "traversal_win.xlsx": (rebuild(GOOD_XLSX, extra={"..\\..\\evil": b"pwned"}), ()),
        # wrong type
        "rapport.docx": (b"MZ\x90\x00\x03\x00\x00\x00" + secrets.token_bytes(4000), ("program", ".exe")),
        "rapport.xlsx": (b"MZ\x90\x00\x03\x00\x00\x00" + secrets.token_bytes(4000), ("program", ".exe")),
        # over-large cells
        "stor_cell.csv": (("Respondent;Fråga;Svar\nRegion Dalarna;5a;" + "x" * (config.MAX_CELL_CHARS + 1)
                           + "\n").encode(), cell_limit_texts()),
        # Excel itself stops at 32,767 characters per cell, but the XML has no limit
        "stor_cell.xlsx": (rebuild(GOOD_XLSX, replace={SHEET_MEMBER: sheet_xml.replace(
            b"Vi har mobila team.", b"y" * (config.MAX_CELL_CHARS + 1))}), cell_limit_texts()),
        "stort_svar.txt": (("Region Dalarna\n5a. Mobila team\n" + "ord " * (config.MAX_CELL_CHARS // 4 + 10))
                           .encode(), cell_limit_texts()),
    }
    return files


GOOD = {
    "dalarna.txt": "Region Dalarna\n\n5a. Mobila team?\nVi har mobila team i hela länet sedan 2021.\n".encode(),
    "orebro.csv": "Respondent;Fråga;Svar\nÖrebro kommun;6;Egenmonitorering planeras 2023.\n".encode("utf-8"),
}


def assert_clear_refusal(name: str, message: str, limits: tuple[str, ...], marker: str) -> None:
    assert message.strip(), f"{name}: empty message"
    assert "Traceback" not in message and "oväntat fel" not in message, f"{name}: {message}"
    assert marker not in message
    if limits:
        assert any(limit in message for limit in limits), f"{name}: limit {limits} missing in {message!r}"


# ---------------------------------------------------------------------- tests
def test_each_hostile_file_is_refused_on_its_own(hostile, secret_file):
    _, marker = secret_file
    refused = []
    for name, (data, limits) in hostile.items():
        with pytest.raises(ImportFailure) as err:
            base.read_file(data, name)
        assert err.value.file_name == name
        assert str(err.value).startswith(f"{name}: ")
        assert_clear_refusal(name, err.value.problem, limits, marker)
        refused.append(name)
    print(f"\nhostile files refused one by one: {len(refused)}/{len(hostile)}")
    for name in refused:
        print(f"  {name}: {hostile[name][0].__len__()} bytes")


def test_hostile_batch_refuses_each_bad_file_and_imports_the_rest(hostile, secret_file, tmp_path):
    _, marker = secret_file
    store = ProjectStore(tmp_path / "batch.sqlite")
    uploads = [(n, d) for n, (d, _) in hostile.items()] + list(GOOD.items())
    try:
        reports = importing.import_uploads(store, uploads)
        by_name = {r.name: r for r in reports}
        assert [r.name for r in reports] == [n for n, _ in uploads]
        for name, (_, limits) in hostile.items():
            r = by_name[name]
            assert not r.ok, f"{name} was imported: {r.message}"
            assert_clear_refusal(name, r.message, limits, marker)
        for name in GOOD:
            assert by_name[name].ok and by_name[name].answers >= 1, by_name[name]
        texts = [a.text for a in store.answers()]
        assert any("mobila team i hela länet" in t for t in texts)
        assert any("Egenmonitorering planeras" in t for t in texts)
        assert not any(marker in t or "lol" in t for t in texts)
        assert {f.name for f in store.source_files()} == set(GOOD)
        with store.read() as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        store.close()
    print(f"\nbatch of {len(uploads)}: refused {sum(not r.ok for r in reports)}, "
          f"imported {sum(r.ok for r in reports)} ({', '.join(GOOD)})")
    for r in reports:
        print(f"  {'OK ' if r.ok else 'FEL'} {r.name}: {r.message[:150]}")
    assert not list(tmp_path.rglob("evil")) and not Path("/tmp/evil").exists()


def _sparse(path: Path, size: int, head: bytes) -> Path:
    with open(path, "wb") as fh:
        fh.write(head)
        fh.truncate(size)  # sparse: no 200 MB written to disk or memory
    return path


def test_200_mb_upload_is_refused_before_it_is_read_and_never_copied(tmp_path):
    size = 200 * MB
    big = _sparse(tmp_path / "jattestor.docx", size, b"PK\x03\x04")
    data = big.read_bytes()  # what Streamlit hands over: the bytes once
    store = ProjectStore(tmp_path / "stor.sqlite")
    try:
        tracemalloc.start()
        reports = importing.import_uploads(store, [("jattestor.docx", data), *GOOD.items()])
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        store.close()
    del data
    r = reports[0]
    assert not r.ok and r.name == "jattestor.docx"
    assert FILE_LIMIT in r.message and "200 MB" in r.message, r.message
    assert all(x.ok for x in reports[1:])
    print(f"\n200 MB upload: refused ({r.message}); extra memory allocated while importing the batch "
          f"{peak / MB:.1f} MB")
    assert peak < 50 * MB  # the 200 MB were neither copied nor decoded


def test_cli_refuses_200_mb_file_from_its_size_without_reading_it(tmp_path):
    folder = tmp_path / "inkorg"
    folder.mkdir()
    _sparse(folder / "jattestor.docx", 200 * MB, b"PK\x03\x04")
    for name, data in GOOD.items():
        (folder / name).write_bytes(data)
    (folder / "rapport.docx").write_bytes(b"MZ\x90\x00" + bytes(2000))
    db = tmp_path / "cli.sqlite"
    wrapper = textwrap.dedent(f"""
        import runpy, sys
        sys.path.insert(0, {str(ROOT)!r})
        sys.argv = ["cli.py", "import", {str(folder)!r}, "--db", {str(db)!r}, "--no-analyse"]
        try:
            runpy.run_path({str(ROOT / "cli.py")!r}, run_name="__main__")
        finally:
            # VmHWM: peak resident memory of this process image (ru_maxrss would include the parent's before exec)
            hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
            print("MAXRSS_KB", hwm, file=sys.stderr)
    """)
    out = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, timeout=120)
    rss_kb = int(out.stderr.rsplit("MAXRSS_KB", 1)[1].split()[0])
    fel = [line for line in out.stderr.splitlines() if line.startswith("FEL ")]
    ok = [line for line in out.stdout.splitlines() if line.startswith("OK ")]
    print(f"\nCLI import of a folder with a 200 MB sparse file: exit {out.returncode}, {len(ok)} OK, {len(fel)} FEL, "
          f"peak RSS {rss_kb / 1024:.0f} MB")
    for line in fel + ok:
        print("  " + line)
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    assert any("jattestor.docx" in line and FILE_LIMIT in line for line in fel)
    assert any("rapport.docx" in line and ".exe" in line for line in fel)
    assert len(ok) == len(GOOD)
    assert rss_kb < 150 * 1024  # the 200 MB file was never read into memory


def test_too_many_files_in_one_batch_is_refused_with_the_limit(tmp_path):
    store = ProjectStore(tmp_path / "manga.sqlite")
    try:
        n = config.MAX_FILES_PER_BATCH + 1
        reports = importing.import_uploads(store, [(f"f{i}.txt", b"5a. Svar") for i in range(n)])
        assert len(reports) == n and not any(r.ok for r in reports)
        assert all(str(config.MAX_FILES_PER_BATCH) in r.message for r in reports)
        assert store.answers() == []
    finally:
        store.close()
    print(f"\n{n} files in one batch: refused with {reports[0].message!r}")


def test_too_many_pdf_pages_is_refused_with_the_limit(tmp_path):
    pages = config.MAX_PDF_PAGES + 1
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode()]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"] * pages
    with pytest.raises(ImportFailure) as err:
        base.read_file(pdf_of_objects(objects), "lang.pdf")
    assert str(config.MAX_PDF_PAGES) in err.value.problem, err.value.problem
    print(f"\n{pages}-page PDF: {err.value}")


PDF_BOMB = """
    import zlib, time
    from importers.base import read_file
    from importers.errors import ImportFailure
    packer = zlib.compressobj(1)
    parts = [packer.compress(b"BT /F1 11 Tf 72 760 Td (5a. Svar) Tj ET\\n")]
    block = b" " * (1 << 20)
    parts += [packer.compress(block) for _ in range(300)]
    comp = b"".join(parts) + packer.flush()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length " + str(len(comp)).encode() + b" /Filter /FlateDecode >>\\nstream\\n" + comp + b"\\nendstream"]
    out = bytearray(b"%PDF-1.4\\n"); offs = []
    for n, o in enumerate(objs, 1):
        offs.append(len(out)); out += f"{n} 0 obj\\n".encode() + o + b"\\nendobj\\n"
    x = len(out); out += f"xref\\n0 {len(objs) + 1}\\n0000000000 65535 f \\n".encode()
    for o in offs: out += f"{o:010d} 00000 n \\n".encode()
    out += f"trailer\\n<< /Size {len(objs) + 1} /Root 1 0 R >>\\nstartxref\\n{x}\\n%%EOF\\n".encode()
    t = time.time()
    try:
        read_file(bytes(out), "bomb.pdf")
        print("RESULT imported")
    except ImportFailure as e:
        print("RESULT refused", e)
    print("SECONDS", round(time.time() - t, 2), "PDF_BYTES", len(out))
"""

XLSX_CELL_BOMB = """
    import io, time, zipfile, openpyxl
    from importers.base import read_file
    from importers.errors import ImportFailure
    wb = openpyxl.Workbook(); ws = wb.active
    ws["A1"] = "Respondent"; ws["B1"] = "5a Mobila team"; ws["A2"] = "Region Dalarna"; ws["B2"] = "Vi har team"
    buf = io.BytesIO(); wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue())); out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for i in src.infolist():
            b = src.read(i.filename)
            if i.filename == "xl/worksheets/sheet1.xml":
                b = b.replace(b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:XFD1048576"/>')
                b = b.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr">'
                                               b'<is><t>x</t></is></c></row></sheetData>')
            z.writestr(i.filename, b)
    data = out.getvalue()
    t = time.time()
    try:
        read_file(data, "celler.xlsx")
        print("RESULT imported")
    except ImportFailure as e:
        print("RESULT refused", e)
    print("SECONDS", round(time.time() - t, 2), "XLSX_BYTES", len(data))
"""


@pytest.mark.parametrize("name,code", [("pdf stream bomb (300 MB of content in a small file)", PDF_BOMB),
                                       ("xlsx sparse-cell bomb (one cell at XFD1048576, 5 kB file)", XLSX_CELL_BOMB)],
                         ids=["pdf-stream-bomb", "xlsx-sparse-cell-bomb"])
def test_decompression_and_cell_bombs_are_refused_quickly(name, code):
    """Run in a child with 20 s and 3 GB address space: a bomb must not take the test run down."""
    try:
        out = run_isolated(code, timeout=20)
    except subprocess.TimeoutExpired:
        out = None
    if out is None:
        pytest.fail(f"{name}: the importer was still working after 20 s (killed); it must refuse such a file",
                    pytrace=False)
    print(f"\n{name}: {out.stdout.strip()} {out.stderr.strip()[-300:]}")
    assert out.returncode == 0, out.stderr[-2000:]
    assert "RESULT refused" in out.stdout or "RESULT imported" in out.stdout


# 6 kB of YAML that expands to 300 categories x 300 codes x 300 keywords (27 million strings) if walked.
YAML_BOMB = (
    "kw: &kw [" + ", ".join(f"ord{i}" for i in range(300)) + "]\n"
    "code: &code {id: c, label: c, keywords: *kw}\n"
    "codes: &codes [" + ", ".join(["*code"] * 300) + "]\n"
    "cat: &cat {id: k, label: k, codes: *codes}\n"
    "categories: [" + ", ".join(["*cat"] * 300) + "]\n"
)


def test_codebook_yaml_alias_bomb_is_refused_quickly():
    code = f"""
        import time
        from export.codebook_io import from_yaml, CodebookExchangeError
        t = time.time()
        try:
            from_yaml({YAML_BOMB.encode()!r}, file_name="bomb.yaml")
            print("RESULT accepted")
        except CodebookExchangeError as e:
            print("RESULT refused", str(e)[:200])
        print("SECONDS", round(time.time() - t, 2))
    """
    try:
        out = run_isolated(code, timeout=30, memory_mb=2000)
    except subprocess.TimeoutExpired:
        out = None
    if out is None:
        pytest.fail("a 6 kB YAML codebook with nested aliases kept the reader busy over 30 s", pytrace=False)
    print(f"\nYAML alias bomb: {out.stdout.strip()} {out.stderr.strip()[-300:]}")
    assert out.returncode == 0, out.stderr[-2000:]
    assert "RESULT refused" in out.stdout


def test_qdpx_with_xxe_billion_laughs_and_traversal_is_refused(tmp_path, secret_file):
    from export import refi

    secret, marker = secret_file
    qde_head = b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"><CodeBook><Codes/></CodeBook>'
    cases = {
        "xxe.qdpx": xxe_xml(secret, b"Project") + qde_head + b"<Description>&xxe;</Description></Project>",
        "skratt.qdpx": billion_laughs_prolog(b"Project") + qde_head + b"<Description>&lol9;</Description></Project>",
    }
    store = ProjectStore(tmp_path / "qdpx.sqlite")
    try:
        for name, qde in cases.items():
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w") as z:
                z.writestr("project.qde", qde)
            with pytest.raises(refi.RefiError) as err:
                refi.import_qdpx(store, buf.getvalue(), file_name=name)
            assert name in str(err.value) and marker not in str(err.value)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("project.qde", qde_head + b"</Project>")
            z.writestr("../../evil", b"pwned")
        with pytest.raises(refi.RefiError) as err:
            refi.import_qdpx(store, buf.getvalue(), file_name="traversal.qdpx")
        assert "traversal.qdpx" in str(err.value)
        assert store.answers() == []
    finally:
        store.close()
