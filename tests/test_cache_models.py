"""The shipped models' parsed JSON is kept in the cache folder with marshal (perf47): read back, the same values as
parsing the JSON (so the same disposer and proposer); a damaged file or a changed artifact means parsing again."""
from __future__ import annotations

import json

import pytest

from nlp import model_cache
from nlp.disposer_training import ARTIFACT
from nlp.proposer import PROPOSER_ARTIFACT


@pytest.mark.parametrize("artifact", [ARTIFACT, PROPOSER_ARTIFACT], ids=["disposer", "proposer"])
def test_parts_read_back_equal_the_parsed_json(tmp_path, monkeypatch, artifact):
    if not artifact.exists():
        pytest.skip("no shipped model")
    doc = json.loads(artifact.read_text(encoding="utf-8"))
    want = {k: doc[k] for k in ("model", "training_hash") if k in doc}
    monkeypatch.setenv("SVARSANALYS_CACHE_DIR", str(tmp_path / "c"))
    assert model_cache.json_parts(str(artifact), ("model", "training_hash")) == want  # parsed, written
    files = list((tmp_path / "c").glob("model-*.marshal"))
    assert len(files) == 1

    def no_parse(*a, **k):
        raise AssertionError("parsed again")

    monkeypatch.setattr(model_cache.json, "loads", no_parse)
    again = model_cache.json_parts(str(artifact), ("model", "training_hash"))
    assert again == want and json.dumps(again) == json.dumps(want)  # same values, same order
    monkeypatch.undo()
    monkeypatch.setenv("SVARSANALYS_CACHE_DIR", str(tmp_path / "c"))
    files[0].write_bytes(b"\x00garbage")
    assert model_cache.json_parts(str(artifact), ("model", "training_hash")) == want  # damaged: parsed again


def test_a_changed_file_is_parsed_and_bad_json_raises_as_before(tmp_path, monkeypatch):
    monkeypatch.setenv("SVARSANALYS_CACHE_DIR", str(tmp_path / "c"))
    f = tmp_path / "m.json"
    f.write_text(json.dumps({"model": {"w": [0.1, -0.0, 1e-300, 3]}, "training_hash": "a", "oof": {}}), encoding="utf-8")
    assert model_cache.json_parts(str(f), ("model", "training_hash")) == {"model": {"w": [0.1, -0.0, 1e-300, 3]},
                                                                           "training_hash": "a"}
    f.write_text(json.dumps({"model": {"w": [0.2]}}), encoding="utf-8")
    assert model_cache.json_parts(str(f), ("model", "training_hash")) == {"model": {"w": [0.2]}}
    f.write_text("{not json", encoding="utf-8")
    with pytest.raises(json.JSONDecodeError):
        model_cache.json_parts(str(f), ("model",))
