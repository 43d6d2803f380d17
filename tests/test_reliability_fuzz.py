"""Hostile and broken input, property-based: every importer and the tagger, never a traceback.

Hypothesis feeds random bytes, random Unicode, mutated real documents (docx, xlsx, pdf, csv,
text), huge and empty inputs to
- `importers.base.read_file` (what the app and the CLI call) and every reader's `read()` directly,
- `models.importing.import_uploads` (a whole batch into a project),
- the tagger (`nlp.tagger.Tagger.tag_texts`).
The only allowed failure is `importers.errors.ImportFailure` with a Swedish message naming the
file. Counts of inputs tried and exceptions are printed at the end.
"""
from __future__ import annotations

import hashlib
import io
import zipfile
from collections import Counter, defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import config

import importers.base as base
from importers.errors import ImportFailure
from tests.helpers.files import docx_bytes, pdf_of_objects, xlsx_bytes

FIGURES: dict[str, Counter] = defaultdict(Counter)
UNHANDLED: list[str] = []
FUZZ = settings(deadline=None, max_examples=100, derandomize=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])

EXTENSIONS = [".docx", ".xlsx", ".csv", ".tsv", ".pdf", ".txt", ".md"]
SWEDISH_HINT = ("filen", "fil", "svar", "gräns", "kan inte", "saknar", "innehåller", "är ", "inga", "stöds")


# ------------------------------------------------------------- seed documents
def pdf_bytes(lines: list[str]) -> bytes:
    """A one-page PDF with the lines as text (Helvetica, WinAnsi)."""

    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    content = "BT /F1 11 Tf 72 760 Td 14 TL " + " ".join(f"({esc(x)}) '" for x in lines) + " ET"
    body = content.encode("cp1252", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(body)).encode() + b" >>\nstream\n" + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    return pdf_of_objects(objects)


FORM_LINES = ["Region Dalarna", "5a. Beskriv arbetet med mobila team.",
              "Vi har mobila team i hela länet sedan 2021.", "6. Egenmonitorering?",
              "Egenmonitorering planeras 2023 i projektform."]
SEEDS = {
    "docx": docx_bytes(FORM_LINES),
    "xlsx": xlsx_bytes([["Respondent", "5a Mobila team", "6 Egenmonitorering"],
                        ["Region Dalarna", "Vi har mobila team.", "Planeras 2023."],
                        ["Örebro kommun", "=SUM(A1:A2)", "Nej"]]),
    "pdf": pdf_bytes(FORM_LINES),
    "csv": "Respondent;Fråga;Svar\nRegion Dalarna;5a;Vi har mobila team.\nÖrebro kommun;6;Planeras.\n".encode("utf-8"),
    "txt": "\n".join(FORM_LINES).encode("utf-8"),
}
SEED_EXT = {"docx": ".docx", "xlsx": ".xlsx", "pdf": ".pdf", "csv": ".csv", "txt": ".txt"}


def rezip(data: bytes, member: str, new: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, new if info.filename == member else src.read(info.filename))
    return buf.getvalue()


# ------------------------------------------------------------------ checking
def check_import(name: str, data: bytes, via: str, call) -> None:
    """Call an importer; allow only a ParsedFile or ImportFailure with a proper message."""
    FIGURES[via]["inputs"] += 1
    try:
        parsed = call()
    except ImportFailure as exc:
        FIGURES[via]["ImportFailure"] += 1
        assert exc.file_name and name.endswith(exc.file_name.split("/")[-1]), (name, exc.file_name)
        assert exc.problem.strip(), "empty message"
        assert str(exc).startswith(exc.file_name)
        assert any(h in exc.problem for h in SWEDISH_HINT), exc.problem
        assert "Traceback" not in exc.problem
        return
    except BaseException as exc:  # noqa: BLE001 - the point of the test
        FIGURES[via]["unhandled"] += 1
        UNHANDLED.append(f"{via} {name!r} len={len(data)} -> {type(exc).__name__}: {str(exc)[:200]}")
        raise
    FIGURES[via]["parsed"] += 1
    assert parsed.sha256 == hashlib.sha256(data).hexdigest()
    assert parsed.size == len(data)
    for a in parsed.answers:
        assert isinstance(a.text, str) and len(a.text) <= config.MAX_CELL_CHARS
        assert isinstance(a.question, str) and a.question


def through_everything(name: str, data: bytes) -> None:
    """read_file (public path) and, when the content type is right for it, the reader's read()."""
    check_import(name, data, "read_file", lambda: base.read_file(data, name))
    try:
        reader = base.reader_for(name, data)
    except ImportFailure:
        return
    check_import(name, data, f"{type(reader).__name__}.read", lambda: reader.read(data, name))


# ------------------------------------------------------------------ strategies
names = st.sampled_from(EXTENSIONS).map(lambda ext: "svar" + ext)


@FUZZ
@given(names, st.binary(max_size=3000))
def test_random_bytes_to_every_importer(name, data):
    through_everything(name, data)


@FUZZ
@given(names, st.sampled_from([b"PK\x03\x04", b"%PDF-1.7\n", b"\xef\xbb\xbf", b"\xff\xfe", b"\xd0\xcf\x11\xe0",
                               b"<?xml version='1.0'?>", b"MZ"]), st.binary(max_size=2000))
def test_magic_prefix_then_garbage(name, magic, rest):
    through_everything(name, magic + rest)


@FUZZ
@given(st.sampled_from([".txt", ".md", ".csv", ".tsv"]),
       st.text(st.characters(exclude_categories=("Cs",)), max_size=2000),
       st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
def test_random_unicode_text_in_every_encoding(ext, text, encoding):
    data = text.encode(encoding, errors="replace")
    through_everything("svar" + ext, data)


SWEDISH_BITS = ["5a.", "6 ", "Fråga 8 a)", "\n", "\r\n", "\t", ";", ",", '"', "Region ", "kommun", "RSS",
                "mobila team", "☒", "☐", "•", "-", "Klicka eller tryck här för att ange text.", "=SUM(A1)", "\x00",
                "<script>", "ÅÄÖ", "\u00ad", "\u200b", "\ufeff", "14:", "Respondent", "Svar", "Fråga"]


@FUZZ
@given(st.sampled_from([".txt", ".md", ".csv"]),
       st.lists(st.one_of(st.sampled_from(SWEDISH_BITS), st.text(max_size=30)), max_size=120))
def test_form_like_text_with_random_structure(ext, parts):
    through_everything("svar" + ext, "".join(parts).encode("utf-8"))


@FUZZ
@given(st.sampled_from(sorted(SEEDS)), st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=8),
       st.one_of(st.none(), st.floats(0, 1)))
def test_mutated_real_documents(kind, flips, truncate_at):
    data = bytearray(SEEDS[kind])
    for where, value in flips:
        data[min(int(where * len(data)), len(data) - 1)] = value
    if truncate_at is not None:
        data = data[: int(truncate_at * len(data))]
    through_everything("svar" + SEED_EXT[kind], bytes(data))


@FUZZ
@given(st.sampled_from(["docx", "xlsx"]), st.text(max_size=400),
       st.sampled_from(["replace-text", "insert-raw", "truncate-xml", "drop-member"]))
def test_structurally_valid_zip_with_hostile_xml(kind, payload, how):
    data = SEEDS[kind]
    member = "word/document.xml" if kind == "docx" else "xl/worksheets/sheet1.xml"
    xml = zipfile.ZipFile(io.BytesIO(data)).read(member)
    if how == "replace-text":
        escaped = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        escaped = "".join(ch for ch in escaped if ch in "\t\n\r" or ord(ch) >= 32 and ch not in "\ufffe\uffff")
        new = xml.replace(b"Vi har mobila team", escaped.encode("utf-8")) if kind == "docx" else \
            xml.replace(b"<c r=\"B2\"", b"<c r=\"B2\" t=\"inlineStr\"><is><t>" + escaped.encode() + b"</t></is></c><c r=\"Z9\"", 1)
    elif how == "insert-raw":
        cut = len(xml) // 2
        new = xml[:cut] + payload.encode("utf-8", "replace") + xml[cut:]
    elif how == "truncate-xml":
        new = xml[: len(payload) * 7 % max(len(xml), 1)]
    else:
        src = zipfile.ZipFile(io.BytesIO(data))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as out:
            for info in src.infolist():
                if info.filename != member:
                    out.writestr(info.filename, src.read(info.filename))
        through_everything("svar." + kind, buf.getvalue())
        return
    through_everything("svar." + kind, rezip(data, member, new))


# ------------------------------------------------------------ huge and empty
@pytest.mark.parametrize("ext", EXTENSIONS)
def test_empty_file_is_refused_with_a_message(ext):
    name = "tom" + ext
    with pytest.raises(ImportFailure) as err:
        base.read_file(b"", name)
    FIGURES["empty"]["inputs"] += 1
    FIGURES["empty"]["ImportFailure"] += 1
    assert err.value.file_name == name and "tom" in err.value.problem


def test_one_byte_over_the_size_limit_is_refused_before_parsing():
    data = b"5a. " + b"x" * (config.MAX_FILE_BYTES - 3)  # MAX_FILE_BYTES + 1 bytes
    for ext in EXTENSIONS:
        with pytest.raises(ImportFailure) as err:
            base.read_file(data, "stor" + ext)
        assert config.human_size(config.MAX_FILE_BYTES) in err.value.problem
        FIGURES["huge"]["inputs"] += 1
        FIGURES["huge"]["ImportFailure"] += 1


def test_huge_but_allowed_inputs_import_or_fail_cleanly():
    """A long text form, a CSV with a cell over the limit, a single 400 kB line, 10,000 rows."""
    cases = {
        "lang.txt": ("Region Dalarna\n" + "".join(f"{q}a. Fråga {q}?\nSvar {q} om mobila team och SIP.\n"
                                                  for q in range(1, 17)) * 200).encode(),
        "cell.csv": ("Respondent;Fråga;Svar\nRegion Dalarna;5a;" + "x" * (config.MAX_CELL_CHARS + 1) + "\n").encode(),
        "rad.txt": ("5a. " + "ord " * 100_000).encode(),
        "manga.csv": ("Respondent;Fråga;Svar\n" + "".join(f"Kommun {i};5a;Svar {i}\n" for i in range(10_000))).encode(),
    }
    for name, data in cases.items():
        check_import(name, data, "huge", lambda: base.read_file(data, name))
        FIGURES["huge"]["bytes"] += len(data)


# ------------------------------------------------------------ whole batches
def test_import_uploads_never_raises_and_reports_every_file(tmp_path):
    from models import importing
    from models.store import ProjectStore

    store = ProjectStore(tmp_path / "fuzz.sqlite")
    batches = 0

    @settings(deadline=None, max_examples=25, suppress_health_check=[HealthCheck.too_slow,
                                                                     HealthCheck.data_too_large])
    @given(st.lists(st.tuples(names, st.one_of(st.binary(max_size=500), st.sampled_from(list(SEEDS.values())))),
                    max_size=6))
    def run(batch):
        nonlocal batches
        batches += 1
        uploads = [(f"{i}_{n}", d) for i, (n, d) in enumerate(batch)]
        reports = importing.import_uploads(store, uploads)
        assert [r.name for r in reports] == [n for n, _ in uploads]
        for r in reports:
            FIGURES["import_uploads"]["inputs"] += 1
            FIGURES["import_uploads"]["ok" if r.ok else "failed"] += 1
            if not r.ok:
                assert r.message.strip()
                if "oväntat fel" in r.message:  # import_bytes' last-resort catch: a reader bug
                    FIGURES["import_uploads"]["unhandled"] += 1
                    UNHANDLED.append(f"import_uploads {r.name}: {r.message}")
                assert "oväntat fel" not in r.message, r.message

    try:
        run()
        with store.read() as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        store.close()
    FIGURES["import_uploads"]["batches"] = batches


# --------------------------------------------------------------------- tagger
@pytest.fixture(scope="module")
def tagger():
    from nlp.codebook import default_codebook
    from nlp.tagger import Tagger

    return Tagger(default_codebook())


def check_tagging(tagger, texts: list[str], via: str = "tagger") -> None:
    FIGURES[via]["inputs"] += len(texts)
    try:
        results = tagger.tag_texts(texts)
    except BaseException as exc:  # noqa: BLE001
        FIGURES[via]["unhandled"] += 1
        UNHANDLED.append(f"{via} {[t[:60] for t in texts]!r} -> {type(exc).__name__}: {str(exc)[:200]}")
        raise
    assert len(results) == len(texts)
    for text, result in zip(texts, results):
        for ev in result.evidence:
            assert 0 <= ev.start <= ev.end <= len(text), (ev, len(text))
            assert ev.match == text[ev.start:ev.end] or ev.match.split() == text[ev.start:ev.end].split(), \
                (ev.match, text[ev.start:ev.end])
        for code in result.codes:
            assert isinstance(code, str)
        result.to_json()


TAG_BITS = ["mobila team", "SIP", "inte", "ej", "saknas", "planeras", "har införts", "pilotprojekt", "bl.a.",
            "t.ex.", "•", "- ", "1.", "\n", "\n\n", ".", "?", " ", "hemsjukvårds", "teamet", "egenmonitorering",
            "\u00ad", "-\n", "\u200b", "ÅÄÖ", "<b>", ":red[x]", "[länk](http://x)", "\x00", "\r"]


@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.text(st.characters(exclude_categories=("Cs",)), max_size=300),
                          st.lists(st.one_of(st.sampled_from(TAG_BITS), st.text(max_size=8)), max_size=60)
                          .map("".join)), min_size=1, max_size=4))
def test_tagger_on_random_and_swedish_like_text(tagger, texts):
    check_tagging(tagger, texts)


def test_tagger_on_empty_and_huge_inputs(tagger):
    n = 10_000  # long single tokens and long lists cost super-linear time in the tagger; see the report
    texts = ["", " ", "\n" * 1000, "a" * n, ("hemsjukvårdsteamsamordning" * 400)[:n], "• mobila team\n" * (n // 14),
             "inte " * (n // 5), "Vi har mobila team. " * (n // 20), "." * n, "\x00" * 1000, "\U0001F600" * 2000]
    check_tagging(tagger, texts, via="tagger-huge")


def test_zz_print_figures():
    """Runs last in this module: inputs tried and exceptions per importer."""
    print("\nfuzz figures (inputs tried / outcomes per entry point):")
    for via, counts in sorted(FIGURES.items()):
        print(f"  {via:22s} {dict(counts)}")
    total = sum(c["inputs"] for c in FIGURES.values())
    unhandled = sum(c["unhandled"] for c in FIGURES.values())
    print(f"  total inputs {total}, unhandled exceptions {unhandled}")
    for line in UNHANDLED[:20]:
        print("  UNHANDLED", line)
    assert unhandled == 0
