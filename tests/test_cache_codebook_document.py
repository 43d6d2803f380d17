"""A codebook file's parsed YAML document is kept in the cache folder (perf47): a `cli.py tag` process reading the
same codebook bytes again neither imports PyYAML nor parses, and gets the same codebook."""
from __future__ import annotations

import pytest

from nlp import codebook as C


def _load(path):
    return C.load_codebook(path).to_doc()


def test_the_document_is_read_back_and_gives_the_same_codebook(tmp_path, monkeypatch):
    monkeypatch.setenv("SVARSANALYS_CACHE_DIR", "off")
    plain = _load(C.DEFAULT_CODEBOOK_PATH)
    monkeypatch.setenv("SVARSANALYS_CACHE_DIR", str(tmp_path / "c"))
    assert _load(C.DEFAULT_CODEBOOK_PATH) == plain  # parsed, then written
    files = list((tmp_path / "c").glob("yamldoc-*.marshal"))
    assert len(files) == 1 and not list((tmp_path / "c").glob("*.tmp"))

    def no_parse(*a, **k):
        raise AssertionError("parsed again")

    monkeypatch.setattr(C, "yaml_document", no_parse)
    assert _load(C.DEFAULT_CODEBOOK_PATH) == plain  # a later process: read back
    files[0].write_bytes(b"\x00garbage")
    monkeypatch.undo()
    monkeypatch.setenv("SVARSANALYS_CACHE_DIR", str(tmp_path / "c"))
    assert _load(C.DEFAULT_CODEBOOK_PATH) == plain  # damaged file: parsed again (and rewritten)
    assert files[0].read_bytes()[:1] != b"\x00"


def test_other_bytes_another_file_and_an_invalid_codebook_is_never_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("SVARSANALYS_CACHE_DIR", str(tmp_path / "c"))
    text = C.DEFAULT_CODEBOOK_PATH.read_text(encoding="utf-8")
    edited = tmp_path / "kb.yaml"
    edited.write_text(text.replace("name:", "name: ", 1) + "\n# en kommentar\n", encoding="utf-8")
    _load(C.DEFAULT_CODEBOOK_PATH)
    _load(edited)
    assert len(list((tmp_path / "c").glob("yamldoc-*.marshal"))) == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: a\nname: b\ncategories: []\n", encoding="utf-8")
    for _ in range(2):  # the second time too: the error, not a stored document
        with pytest.raises(C.CodebookError, match="två gånger"):
            C.load_codebook(bad)
    assert len(list((tmp_path / "c").glob("yamldoc-*.marshal"))) == 2
