"""The install step for the compiled tagging modules (tools/build_compiled.py --optional) and what the CLI and
the Importera page say when the tagging runs as Python because no build is there."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nlp.compiled as compiled
from models.store import ProjectStore
from tests.helpers.apptest import open_page

ROOT = Path(__file__).resolve().parents[1]


def _no_build(tmp_path, monkeypatch) -> Path:
    empty = tmp_path / "no_build"
    empty.mkdir()
    monkeypatch.setattr(compiled, "COMPILED_DIR", empty)
    monkeypatch.delenv("SVARSANALYS_COMPILED", raising=False)
    return empty


def test_status_names_the_build_that_runs(tmp_path, monkeypatch):
    _no_build(tmp_path, monkeypatch)
    assert compiled.running_pure()
    assert compiled.status().startswith(f"Python (0 av {len(compiled.MODULES)} byggda")
    assert "tools/build_compiled.py" in compiled.status()
    monkeypatch.setenv("SVARSANALYS_COMPILED", "off")  # Python asked for is not a missing build
    assert not compiled.running_pure()
    assert compiled.status() == "Python (SVARSANALYS_COMPILED=off)"


def test_the_tag_command_says_when_it_runs_as_python(tmp_path, monkeypatch, capsys):
    from commands.tag import note_pure_python

    _no_build(tmp_path, monkeypatch)
    note_pure_python()
    err = capsys.readouterr().err
    assert err.startswith("obs: taggningsmodulerna körs som Python (0 av") and "1,5 gånger" in err
    monkeypatch.setenv("SVARSANALYS_COMPILED", "off")
    note_pure_python()
    assert capsys.readouterr().err == ""


def test_without_cython_the_optional_build_exits_0_and_keeps_the_existing_build(tmp_path):
    # Cython made unimportable in a child process; the build folder must not be emptied
    before = sorted(p.name for p in compiled.COMPILED_DIR.glob("*")) if compiled.COMPILED_DIR.exists() else []
    code = ("import sys; sys.modules['Cython'] = None; sys.argv[0] = 'build_compiled.py'; "
            "import runpy; sys.argv += {args}; runpy.run_path('tools/build_compiled.py', run_name='__main__')")
    for args, rc in ((["--optional"], 0), ([], 1)):
        r = subprocess.run([sys.executable, "-c", code.format(args=args)], cwd=ROOT, capture_output=True, text=True)
        assert r.returncode == rc, r.stderr
        assert "Cython saknas" in r.stderr and "Traceback" not in r.stderr
    after = sorted(p.name for p in compiled.COMPILED_DIR.glob("*")) if compiled.COMPILED_DIR.exists() else []
    assert after == before


def test_importera_says_the_tagging_runs_as_python(tmp_path, monkeypatch):
    project = tmp_path / "p.sqlite"
    ProjectStore(project, name="P").close()

    def page(no_build: bool) -> list[str]:
        if no_build:
            _no_build(tmp_path, monkeypatch)
        return [c.value for c in open_page(project, "importera").caption]

    monkeypatch.setattr(compiled, "running_pure", lambda: False)
    assert not any("körs som Python" in c for c in page(False))
    monkeypatch.undo()
    captions = page(True)
    assert any(c.startswith("Taggningen körs som Python") and "tools/build_compiled.py" in c for c in captions)
