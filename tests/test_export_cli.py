"""`python cli.py export ...`: every format written and readable; Swedish errors, exit 1, no traceback."""
from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

import cli
from tests.test_export_support import build_project

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "projekt.sqlite"
    build_project(path).close()
    return path


def _run(*argv: str) -> int:
    try:
        return cli.main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        return int(exc.code)


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "docx", "qdpx", "qdc"])
def test_export_each_format(project, tmp_path, fmt, capsys):
    out = tmp_path / f"ut.{fmt}"
    assert _run("export", "--db", str(project), "--format", fmt, "--out", str(out)) == 0
    data = out.read_bytes()
    if fmt == "xlsx":
        rows = list(openpyxl.load_workbook(io.BytesIO(data))["Kodade utdrag"].values)
        assert "Vi har mobila team i hela länet." in {r[9] for r in rows[1:]}
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
        assert {r["Beslut"] for r in rows} == {"godkänd", "manuell"}
    elif fmt == "docx":
        assert any(p.text.startswith("Mobila team nämns av") for p in docx.Document(io.BytesIO(data)).paragraphs)
    elif fmt == "qdpx":
        assert b"PlainTextSelection" in zipfile.ZipFile(io.BytesIO(data)).read("project.qde")
    else:
        assert b"urn:QDA-XML:codebook:1.0" in data and b"Mobila team" in data
    assert "Skrev" in capsys.readouterr().out


def test_include_suggestions_flag(project, tmp_path):
    out = tmp_path / "ut.csv"
    assert _run("export", "--db", str(project), "--format", "csv", "--out", str(out), "--include-suggestions") == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert "förslag" in {r["Beslut"] for r in rows}
    assert "avvisad" not in {r["Beslut"] for r in rows}


def test_errors_are_swedish_with_exit_1(project, tmp_path, capsys):
    not_db = tmp_path / "text.sqlite"
    not_db.write_text("hej")
    other = tmp_path / "annan.sqlite"
    import sqlite3

    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t(x)")
    con.close()
    cases = [
        (str(tmp_path / "saknas.sqlite"), str(tmp_path / "u.xlsx"), "finns inte"),
        (str(not_db), str(tmp_path / "u.xlsx"), "ingen giltig projektfil"),
        (str(other), str(tmp_path / "u.xlsx"), "inget Svarsanalys-projekt"),
        (str(project), str(tmp_path / "saknad-mapp" / "u.xlsx"), "finns inte"),
        (str(project), str(tmp_path), "är en mapp"),
    ]
    for db, out, needle in cases:
        assert _run("export", "--db", db, "--format", "xlsx", "--out", out) == 1
        err = capsys.readouterr().err
        assert err.startswith("FEL: ") and needle in err and "Traceback" not in err
    assert sqlite3.connect(other).execute("PRAGMA user_version").fetchone()[0] == 0  # left untouched


def test_unwritable_output_in_a_real_process(project, tmp_path):
    """A real `python cli.py` run: the message is Swedish and no traceback leaks."""
    blocker = tmp_path / "fil.txt"
    blocker.write_text("en fil, ingen mapp")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), "export", "--db", str(project), "--format", "csv",
         "--out", str(blocker / "u.csv")], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 1
    assert "kan inte skrivas" in proc.stderr and "ingen mapp" in proc.stderr
    assert "Traceback" not in proc.stderr
