"""`cli.py tag` ends without the interpreter's teardown (cli.end_process), after its exit handlers: the output
and the lemma cache are complete, the exit code is the command's, and any other command ends as usual."""
from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

import cli

ROOT = Path(__file__).resolve().parents[1]

# Runs cli.py as the main program with an object whose finaliser reports the interpreter's teardown.
_PROBE = """
import builtins, runpy, sys
class _Teardown:
    def __del__(self):
        sys.__stderr__.write("TEARDOWN\\n")
builtins._teardown_probe = _Teardown()
sys.path.insert(0, {root!r})
sys.argv = ["cli.py"] + sys.argv[1:]
runpy.run_path({cli!r}, run_name="__main__")
"""


def _run(tmp_path, *args) -> subprocess.CompletedProcess:
    cache = tmp_path / "cache"
    cache.mkdir(exist_ok=True)
    env = dict(os.environ, SVARSANALYS_CACHE_DIR=str(cache), PYTHONHASHSEED="0")
    code = _PROBE.format(root=str(ROOT), cli=str(ROOT / "cli.py"))
    return subprocess.run([sys.executable, "-c", code, *args], cwd=tmp_path, capture_output=True, text=True,
                          env=env, timeout=300)


def test_tag_ends_after_its_exit_handlers_without_teardown(tmp_path):
    rows = [{"id": "a", "text": "Vi har infört mobila team i hemsjukvården."},
            {"id": "b", "text": "Arbetet med fallprevention pågår i alla kommuner sedan 2023."},
            {"id": "c", "text": "Inget att rapportera."}]
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    done = _run(tmp_path, "tag", "--in", str(inp), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "TEARDOWN" not in done.stderr  # the process ended without freeing its objects one by one
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in lines] == ["a", "b", "c"]
    # the lemma cache is written by an exit handler: it ran before the process ended
    files = list((tmp_path / "cache").glob("lemmas-*.marshal"))
    assert len(files) == 1
    forms = marshal.loads(files[0].read_bytes())
    assert "hemsjukvården" in forms and "kommuner" in forms


def test_tag_error_keeps_its_message_and_exit_code(tmp_path):
    done = _run(tmp_path, "tag", "--in", str(tmp_path / "saknas.jsonl"), "--out", str(tmp_path / "out.jsonl"))
    assert done.returncode == 1
    assert "FEL: saknas.jsonl" in done.stderr
    assert "TEARDOWN" not in done.stderr


def test_other_commands_end_as_usual(tmp_path):
    a = tmp_path / "a.jsonl"
    a.write_text('{"id": "1", "codes": ["x"]}\n{"id": "2", "codes": []}\n', encoding="utf-8")
    done = _run(tmp_path, "agreement", "--a", str(a), "--b", str(a), "--json")
    assert done.returncode == 0, done.stderr
    assert "TEARDOWN" in done.stderr


def test_end_process_runs_the_exit_handlers_then_exits_at_once(monkeypatch):
    calls = []

    class _Exit(Exception):
        pass

    def fake_exit(code):
        calls.append(("_exit", code))
        raise _Exit

    monkeypatch.setattr(cli, "_ends_fast", True)
    monkeypatch.setattr("atexit._run_exitfuncs", lambda: calls.append(("exit handlers",)))
    monkeypatch.setattr(cli.os, "_exit", fake_exit)
    try:
        cli.end_process(3)
    except _Exit:
        pass
    assert calls == [("exit handlers",), ("_exit", 3)]
    monkeypatch.setattr(cli, "_ends_fast", False)
    try:
        cli.end_process(4)
    except SystemExit as e:
        assert e.code == 4
    else:
        raise AssertionError("end_process returned")
