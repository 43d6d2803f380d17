"""The proposer's model parts read with ``arrays=True`` (perf55): its long lists of numbers come back as numpy arrays,
stored in the cache file as raw bytes, and the model built from them is the one built from the parsed JSON (the
same doubles, shapes and layout)."""
from __future__ import annotations

import json

import numpy as np
import pytest

from nlp import model_cache
from nlp.proposer import PROPOSER_ARTIFACT, Proposer


def _same_model(a: Proposer, b: Proposer) -> None:
    for k in ("coef_", "idf_", "intercept_"):
        x, y = getattr(a, k), getattr(b, k)
        assert x.dtype == y.dtype and x.shape == y.shape and x.strides == y.strides, k
        assert x.tobytes() == y.tobytes(), k
    assert a.vocabulary_ == b.vocabulary_ and a.codes_ == b.codes_ and a.thresholds == b.thresholds


def test_proposer_from_packed_parts_is_the_parsed_one(tmp_path, monkeypatch):
    if not PROPOSER_ARTIFACT.exists():
        pytest.skip("no shipped proposer")
    want = Proposer.from_json(json.loads(PROPOSER_ARTIFACT.read_text(encoding="utf-8"))["model"])
    monkeypatch.setenv("SVARSANALYS_CACHE_DIR", str(tmp_path / "c"))
    first = model_cache.json_parts(str(PROPOSER_ARTIFACT), ("model", "training_hash"), arrays=True)  # parsed, written
    assert isinstance(first["model"]["coef"], np.ndarray) and first["model"]["coef"].dtype == np.int64
    _same_model(want, Proposer.from_json(first["model"]))
    files = list((tmp_path / "c").glob("model-*.marshal"))
    assert len(files) == 1

    def no_parse(*a, **k):
        raise AssertionError("parsed again")

    monkeypatch.setattr(model_cache.json, "loads", no_parse)
    again = model_cache.json_parts(str(PROPOSER_ARTIFACT), ("model", "training_hash"), arrays=True)
    got = Proposer.from_json(again["model"])
    _same_model(want, got)
    assert got.coef_.flags.writeable and again["training_hash"] == first["training_hash"]
    # the list form of the same artifact is another cache file, and still lists
    monkeypatch.undo()
    monkeypatch.setenv("SVARSANALYS_CACHE_DIR", str(tmp_path / "c"))
    plain = model_cache.json_parts(str(PROPOSER_ARTIFACT), ("model", "training_hash"))
    assert type(plain["model"]["coef"]) is list
    assert len(list((tmp_path / "c").glob("model-*.marshal"))) == 2


def test_only_long_lists_of_one_kind_of_number_are_packed():
    n = model_cache.PACK_MIN
    doc = {"ints": list(range(-5, n - 5)), "floats": [0.1, -0.0, 1e-300, float("inf")] * n, "short": [1.5] * 10,
           "bools": [True, False] * n, "mixed": [1, 2.0] * n, "huge": [1 << 70] * n, "strs": ["a"] * n,
           "rows": [[1, 2, 3]] * n, "ragged": [[1, 2], [3]] * n, "nested": {"x": [[0.5] * n, [1.5] * n]}}
    back = model_cache._unpack(model_cache._pack(doc))
    for k in ("ints", "floats", "rows"):
        a = np.asarray(doc[k], dtype=np.int64 if k != "floats" else np.float64)
        assert isinstance(back[k], np.ndarray) and back[k].dtype == a.dtype and back[k].shape == a.shape, k
        assert back[k].tobytes() == a.tobytes(), k  # bit for bit (-0.0, 1e-300, inf kept)
    assert isinstance(back["nested"]["x"], np.ndarray) and back["nested"]["x"].shape == (2, n)
    for k in ("short", "bools", "mixed", "huge", "strs", "ragged"):
        assert type(back[k]) is list and back[k] == doc[k], k
    assert type(back["bools"][0]) is bool
    # the same doubles through np.asarray(..., dtype=float), as the models convert them
    assert np.asarray(back["ints"], dtype=float).tobytes() == np.asarray(doc["ints"], dtype=float).tobytes()
    assert np.asarray(back["rows"], dtype=float).tobytes() == np.asarray(doc["rows"], dtype=float).tobytes()
