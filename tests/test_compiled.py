"""Compiled tagging modules (nlp/compiled.py): loaded only when built from the current source, and the
same output as the Python modules."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import nlp.compiled as compiled

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def fake_build(tmp_path, monkeypatch):
    """A compiled folder in tmp holding a (dummy) extension of nlp.termmatch."""
    monkeypatch.setattr(compiled, "COMPILED_DIR", tmp_path)
    compiled.compiled_path("nlp.termmatch").write_bytes(b"not a real extension")
    return tmp_path


def test_an_extension_is_used_only_when_built_from_the_current_source(fake_build):
    stamp = compiled.stamp_path("nlp.termmatch")
    stamp.write_text(compiled.source_hash("nlp.termmatch") + "\n", encoding="ascii")
    assert compiled.usable("nlp.termmatch")
    spec = compiled._CompiledFinder().find_spec("nlp.termmatch")
    assert spec is not None and Path(spec.origin) == compiled.compiled_path("nlp.termmatch")
    stamp.write_text("0" * 64 + "\n", encoding="ascii")  # the source changed after the build
    assert not compiled.usable("nlp.termmatch")
    assert compiled._CompiledFinder().find_spec("nlp.termmatch") is None
    stamp.unlink()
    assert not compiled.usable("nlp.termmatch")


def test_modules_outside_the_list_and_missing_builds_are_left_to_python(fake_build):
    finder = compiled._CompiledFinder()
    assert finder.find_spec("nlp.pipeline") is None
    assert finder.find_spec("nlp.tagger") is None  # no extension in the folder
    assert not compiled.usable("nlp.tagger")


def _tag(env_extra: dict, out: Path, inp: Path) -> bytes:
    env = dict(os.environ, PYTHONHASHSEED="0", **env_extra)
    subprocess.run([sys.executable, str(ROOT / "cli.py"), "tag", "--in", str(inp), "--out", str(out)],
                   check=True, cwd=ROOT, env=env, capture_output=True)
    return out.read_bytes()


def test_compiled_modules_tag_byte_for_byte_as_python(shared_dir, tmp_path):
    if not all(compiled.usable(m) for m in compiled.MODULES):
        pytest.skip("no up-to-date build: python tools/build_compiled.py")
    check = ("import importlib, nlp.compiled as c; "
             "print(all(importlib.import_module(m).__file__.endswith('.so') for m in c.MODULES))")
    got = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, check=True)
    assert got.stdout.strip() == "True", "the build is up to date, so the extensions are loaded"
    inp = shared_dir / "data" / "dev_gold.jsonl"
    python = _tag({"SVARSANALYS_COMPILED": "off"}, tmp_path / "py.jsonl", inp)
    built = _tag({}, tmp_path / "so.jsonl", inp)
    assert python and built == python


def test_the_source_hash_covers_the_augmenting_pxd(tmp_path, monkeypatch):
    monkeypatch.setattr(compiled, "ROOT", tmp_path)
    (tmp_path / "nlp").mkdir()
    (tmp_path / "nlp" / "termmatch.py").write_text("x = 1\n", encoding="utf-8")
    plain = compiled.source_hash("nlp.termmatch")
    pxd = compiled.pxd_path("nlp.termmatch")
    assert pxd == tmp_path / "nlp" / "termmatch.pxd"
    pxd.write_text("import cython\n", encoding="utf-8")
    typed = compiled.source_hash("nlp.termmatch")
    assert typed != plain  # a .pxd added after a build makes the build stale
    pxd.write_text("import cython\n# changed\n", encoding="utf-8")
    assert compiled.source_hash("nlp.termmatch") not in (plain, typed)
    pxd.unlink()
    assert compiled.source_hash("nlp.termmatch") == plain
