"""Import service and CLI: idempotent re-import, corrected versions, exit codes, JSON lines, SIGKILL mid-import."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from models.importing import import_paths
from models.store import ProjectStore
from tools.docx_forms import form_bytes

ROOT = Path(__file__).resolve().parents[1]


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def _rows(store: ProjectStore):
    return sorted((a.respondent.name, a.question, a.text, a.choice, a.source_file) for a in store.answers())


def test_reimport_is_idempotent_and_corrected_version_replaces(tmp_path):
    f = tmp_path / "Region_Dalarna.docx"
    f.write_bytes(form_bytes("Region Dalarna", {"5a": "Första versionen.", "6": "Digitalt."}, {"1": "Ja"}))
    store = ProjectStore(tmp_path / "p.sqlite")
    first = import_paths(store, [f])
    assert first[0].ok and first[0].answers == 3 and first[0].status == "imported"
    before, version = _rows(store), store.data_version
    again = import_paths(store, [f])
    assert again[0].ok and again[0].status == "unchanged" and "inget ändrades" in again[0].message
    assert _rows(store) == before and store.data_version == version
    f.write_bytes(form_bytes("Region Dalarna", {"5a": "Rättad version."}, {"1": "Ja"}))
    fixed = import_paths(store, [f])
    assert fixed[0].ok and fixed[0].status == "replaced" and fixed[0].replaced == 3
    assert "ersatte 3 svar" in fixed[0].message
    assert _rows(store) == [("Region Dalarna", "1", "", "Ja", "Region_Dalarna.docx"),
                            ("Region Dalarna", "5a", "Rättad version.", None, "Region_Dalarna.docx")]
    assert {q.id for q in store.questions()} >= {"1", "5a", "16b"}


def test_unresolved_respondent_is_kept_as_written_and_reported(tmp_path):
    f = tmp_path / "x.txt"
    f.write_text("Respondent: Okänd Samverkansgrupp\n\n6. Beskriv\nVälfärdsteknik.\n", encoding="utf-8")
    store = ProjectStore(tmp_path / "p.sqlite")
    rep = import_paths(store, [f])[0]
    assert rep.ok and rep.unresolved == ["Okänd Samverkansgrupp"]
    assert store.answers()[0].respondent.resolved is False


def test_cli_import_and_answers_contract(tmp_path):
    good = tmp_path / "Mora_kommun.docx"
    good.write_bytes(form_bytes("Mora kommun", {"5a": "Mobila   team\n\ni  Mora."}, {"4": "Nej, ingen"},
                                heading="{n} {l}) {text}"))
    bad = tmp_path / "trasig.docx"
    bad.write_bytes(b"inte ett dokument")
    db = tmp_path / "p.sqlite"
    res = _cli("import", str(good), str(bad), "--db", str(db))
    assert res.returncode == 1
    assert res.stdout.splitlines() == [f"OK {good}: 2 svar"]
    fel = [ln for ln in res.stderr.splitlines() if ln.startswith("FEL")]
    assert len(fel) == 1 and fel[0].startswith(f"FEL {bad}: ") and "Traceback" not in res.stderr
    res = _cli("import", str(good), "--db", str(db))
    assert res.returncode == 0 and res.stdout.splitlines() == [f"OK {good}: 2 svar"]
    res = _cli("import", "--db", str(db))
    assert res.returncode == 2
    res = _cli("answers", "--db", str(db))
    assert res.returncode == 0
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert [sorted(x) for x in lines] == [sorted(["answer_id", "file", "respondent", "respondent_type", "lan",
                                                  "question", "text", "choice"])] * 2
    by_q = {x["question"]: x for x in lines}
    assert by_q["5a"]["text"] == "Mobila team i Mora." and by_q["5a"]["choice"] is None
    assert by_q["4"] == {**by_q["4"], "text": "", "choice": "Nej, ingen", "file": "Mora_kommun.docx",
                         "respondent": "Mora kommun", "respondent_type": "kommun", "lan": "Dalarnas län"}
    assert "Mora" in res.stdout  # ensure_ascii=False keeps å/ä/ö readable
    assert "\\u00e4" not in res.stdout


CHILD = r"""
import sys
sys.path.insert(0, {root!r})
from models.importing import import_paths
from models.store import ProjectStore
store = ProjectStore({db!r})
def progress(done, total, name):
    print(done, flush=True)
import_paths(store, [{folder!r}], progress=progress)
print("DONE", flush=True)
"""


def test_sigkill_during_import_leaves_each_file_whole_or_absent(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    expected: dict[str, int] = {}
    kommuner = ["Ale", "Alingsås", "Borås", "Falun", "Mora", "Kiruna", "Luleå", "Umeå", "Växjö", "Kalmar"]
    for i in range(40):
        name = f"svar_{i:03d}_{kommuner[i % 10]}.docx"
        answers = {q: f"Svar {i} på fråga {q}. " * (1 + i % 5) for q in ("3", "5a", "5b", "6", "7", "8a", "14")}
        (folder / name).write_bytes(form_bytes(f"{kommuner[i % 10]} kommun", answers, {"1": "Ja"}))
        expected[name] = len(answers) + 1
    db = tmp_path / "p.sqlite"
    # The project already holds data that must survive.
    pre = tmp_path / "Region_Dalarna.docx"
    pre.write_bytes(form_bytes("Region Dalarna", {"5a": "Finns sedan tidigare."}, {}))
    store = ProjectStore(db)
    import_paths(store, [pre])
    before = _rows(store)
    store.close()

    proc = subprocess.Popen([sys.executable, "-c", CHILD.format(root=str(ROOT), db=str(db), folder=str(folder))],
                            stdout=subprocess.PIPE, text=True)
    seen = 0
    for line in proc.stdout:  # kill once the child is well into the batch
        if line.strip().isdigit():
            seen = int(line)
        if seen >= 12:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    store = ProjectStore(db)
    counts: dict[str, int] = {}
    for a in store.answers():
        counts[a.source_file] = counts.get(a.source_file, 0) + 1
    imported = {n for n in counts if n in expected}
    assert 12 <= len(imported) < 40, len(imported)
    for name in imported:
        assert counts[name] == expected[name], name  # whole file or nothing
    assert [r for r in _rows(store) if r[4] == "Region_Dalarna.docx"] == before
    files = {s.name for s in store.source_files()}
    assert files == imported | {"Region_Dalarna.docx"}
    print(f"SIGKILL efter {len(imported)} av 40 filer: {sum(counts[n] for n in imported)} svar kvar, inga halva filer")
    # The interrupted batch can simply be run again: the rest imports, nothing doubles.
    reports = import_paths(store, [folder])
    assert all(r.ok for r in reports)
    assert len(store.answers()) == sum(expected.values()) + len(before)


def test_reader_registry_checks_content_not_only_extension():
    import io

    import openpyxl

    from importers.base import Reader, reader_for
    from importers.errors import ImportFailure

    wb = openpyxl.Workbook()
    buf = io.BytesIO()
    wb.save(buf)
    docx_bytes = form_bytes("Region Dalarna", {"6": "x"}, {})
    picked = {name: type(reader_for(name, data)).__name__ for name, data in [
        ("a.docx", docx_bytes), ("a.xlsx", buf.getvalue()), ("a.csv", b"a;b\n1;2\n"), ("a.txt", b"text"),
        ("a.md", b"# rubrik"), ("a.pdf", b"%PDF-1.4\n")]}
    assert picked == {"a.docx": "DocxReader", "a.xlsx": "XlsxReader", "a.csv": "CsvReader", "a.txt": "TextReader",
                      "a.md": "TextReader", "a.pdf": "PdfReader"}
    for name, data in [("a.docx", docx_bytes), ("a.xlsx", buf.getvalue())]:
        assert isinstance(reader_for(name, data), Reader)
    for name, data in [("a.xlsx", docx_bytes), ("a.docx", buf.getvalue()), ("a.pdf", docx_bytes), ("a.csv", docx_bytes)]:
        try:
            reader_for(name, data)
        except ImportFailure as exc:
            assert "heter" in exc.problem
        else:  # pragma: no cover - the assertion below explains
            raise AssertionError(f"{name} with the wrong content was accepted")
