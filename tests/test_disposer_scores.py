"""The disposer's linear score (`Disposer.decision_dicts`, by `nlp.disposer_features.dict_scores`) is the plain
definition's double bit for bit: `sum([weight.get(k, 0.0) * v for k, v in f.items()])` per feature dict."""
from __future__ import annotations

import json
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import nlp.disposer_features as F


def _definition(X, weights) -> np.ndarray:
    get = weights.get
    return np.asarray([sum([get(k, 0.0) * v for k, v in f.items()]) for f in X], dtype=float)


def test_scores_of_dev_gold_proposals_equal_the_definition(shared_dir):
    from models.tagging import default_disposer
    from nlp.tagger import Tagger

    rows = [json.loads(x) for x in (shared_dir / "data" / "dev_gold.jsonl").read_text(encoding="utf-8").splitlines()
            if x.strip()]
    results = Tagger().tag_texts([r["text"] for r in rows])  # the rule proposals, before any disposer
    questions = [None if k % 3 else ("13a" if k % 2 else "6") for k in range(len(rows))]
    d = default_disposer()
    props, X = d.features(results, questions)
    assert len(props) > 300
    want = _definition(X, d._weights()) + d.intercept_
    assert d.decision_dicts(X).tobytes() == want.tobytes()
    a, b = d.calib_
    z = -(a * want + b)
    p = 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
    assert d.predict_proba_dicts(X).tobytes() == p.tobytes()


_NAMES = st.sampled_from(["a", "b", "c", "d", "e", "unknown", "other"])
_VALUES = st.one_of(st.floats(allow_nan=False, width=64), st.sampled_from([0.0, -0.0, 1.0, 0.5, 1e-300, -1e300]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(_NAMES, _VALUES, max_size=7), max_size=5),
       st.dictionaries(st.sampled_from(["a", "b", "c", "d", "e"]),
                       st.one_of(st.floats(allow_nan=False, allow_infinity=False, width=64),
                                 st.sampled_from([0.0, -0.0, 1e308, -2.5])), max_size=5))
def test_scores_equal_the_definition_on_any_values(X, weights):
    got = np.asarray(F.dict_scores(X, weights), dtype=float)
    want = _definition(X, weights)
    assert got.tobytes() == want.tobytes() or (np.isnan(got) == np.isnan(want)).all() and np.array_equal(
        got[~np.isnan(got)], want[~np.isnan(want)]) and all(
        math.copysign(1, g) == math.copysign(1, w) for g, w in zip(got, want) if g == 0)
