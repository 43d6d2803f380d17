"""The text model's batched rows give the per-row path's probabilities bit for bit (perf44).

``TextModel.proba_and_span_proba`` builds the TF-IDF rows of the whole batch as flat arrays and takes their dot
products a group of rows of one length at a time (one stacked ``np.matmul`` per group: numpy's BLAS ``dot`` per
stacked vector pair, its ``gemv`` per stacked matrix, as ``@`` and ``.dot`` call them per row). Checked on generated
passages (sentences written for the test, combined at random, with spans cutting words, spans outside the text,
unknown codes and texts that lower-case to another length) against the per-row reference path
(``predict_proba`` and ``code_proba``), and the stacked dot products against ``@`` / ``.dot`` row by row.
"""
from __future__ import annotations

import random
import struct

import numpy as np
import pytest

from tests.helpers.passages import EDGE_CASES, SENTENCES, combined


def _texts(seed: int, n: int = 30) -> list[str]:
    return combined(seed, n, 6, SENTENCES + EDGE_CASES) + ["", "team", "a"]


def _spans(texts: list[str], codes: list[str], seed: int) -> list[tuple[int, int, int, str]]:
    rnd = random.Random(seed)
    out = []
    for i, t in enumerate(texts):
        for _ in range(rnd.randint(0, 6)):
            a = rnd.randint(-3, len(t) + 2)
            b = rnd.randint(a - 2, len(t) + 4)
            out.append((i, a, b, rnd.choice(codes)))
        if t:  # the whole text and a repeated span (read once)
            out.append((i, 0, len(t), codes[0]))
            out.append((i, 0, len(t), codes[-1]))
    return out


def _bits(x):
    return None if x is None else struct.pack("<d", x)


@pytest.fixture(scope="module")
def model():
    from nlp.disposer_training import load_bundled

    m = load_bundled().text_model_
    if m is None:
        pytest.skip("no bundled text model")
    return m


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("chunk", [None, 3])
def test_batched_rows_equal_the_per_row_path(model, seed, chunk, monkeypatch):
    import nlp.disposer_text as dt

    if chunk is not None:
        monkeypatch.setattr(dt, "MATRIX_CHUNK", chunk)
    texts = _texts(seed)
    codes = list(model.codes_[:6]) + ["ingen_sådan_kod"]
    spans = _spans(texts, codes, seed)
    got_p, got_s = model.proba_and_span_proba(texts, spans)
    ref_p = model.predict_proba(texts)
    ref_s = model.code_proba([(texts[i][a:b], c) for i, a, b, c in spans])
    assert len(got_p) == len(ref_p) and len(got_s) == len(ref_s)
    for g, r in zip(got_p, ref_p):
        assert list(g) == list(r)
        assert [_bits(v) for v in g.values()] == [_bits(v) for v in r.values()]
    assert [_bits(v) for v in got_s] == [_bits(v) for v in ref_s]
    assert any(v is None for v in got_s) and any(v is not None for v in got_s)


def test_batched_rows_equal_the_per_row_rows(model):
    """The flat rows (before the products) are the per-row path's rows: the same columns and values."""
    from nlp.disposer_text import _word_ids, folded_lower

    texts = _texts(7)
    cols_of = model._token_columns()
    ids: list = []
    lens: list = []
    for t in texts:
        got = _word_ids(folded_lower(t), cols_of.index, cols_of._add)
        ids.extend(got)
        lens.append(len(got))
    cols, vals, bounds = model._flat_rows(cols_of, ids, lens)
    rows = model._matrix(texts)
    assert len(bounds) == len(rows) + 1
    for r, (rc, rv) in enumerate(rows):
        s, e = bounds[r], bounds[r + 1]
        assert cols[s:e].tolist() == rc.tolist()
        assert vals[s:e].tobytes() == rv.tobytes()


@pytest.mark.parametrize("seed", [0, 1])
def test_stacked_dot_products_are_the_per_row_calls(seed):
    from nlp.disposer_text import _row_dots

    rnd = np.random.default_rng(seed)
    lens = np.asarray([0, 1, 2, 3, 5, 16, 17, 33, 64, 2, 1, 0, 200, 17, 31, 32], dtype=np.intp)
    starts = np.concatenate([[0], np.cumsum(lens)[:-1]]).astype(np.intp)
    vals = rnd.standard_normal(int(lens.sum())) * 10.0 ** rnd.integers(-3, 3, int(lens.sum()))
    coef = rnd.standard_normal((7, 300))
    cols = rnd.integers(0, 300, len(vals)).astype(np.intp)
    which = rnd.integers(0, 7, len(lens)).astype(np.intp)
    own = _row_dots(vals, vals, starts, lens, np.arange(len(lens), dtype=np.intp))
    other = _row_dots(coef, vals, starts, lens, which, cols)
    for k, (s, n) in enumerate(zip(starts.tolist(), lens.tolist())):
        v = vals[s:s + n]
        want_own = float(v @ v) if n else 0.0
        assert _bits(float(own[k])) == _bits(want_own)
        if n > 1:  # (.dot of two one-element arrays is their product, which _flat_pair_proba takes itself)
            want = float(coef[which[k]].take(cols[s:s + n]).dot(v))
            assert _bits(float(other[k])) == _bits(want)


def test_disposer_text_and_sentence_probs_equal_the_per_row_path():
    """Through the disposer: the batched probabilities are those of ``predict_proba`` and ``sentence_probs``."""
    from models.tagging import default_disposer
    from nlp.codebook import default_codebook
    from nlp.disposer_features import proposals_of
    from nlp.tagger import Tagger

    cb = default_codebook()
    d = default_disposer(cb)
    if d is None or d.text_model_ is None or not d.sentence_text:
        pytest.skip("no shipped disposer with a sentence text model")
    texts = _texts(11, n=20)
    results = Tagger(cb).tag_texts(texts, ids=[f"p{k}" for k in range(len(texts))])
    props = proposals_of(results)
    assert props
    got_t, got_s = d._text_and_sentence_probs(results, props)
    idx = sorted({p.index for p in props})
    ref = dict(zip(idx, d.text_model_.predict_proba([results[i].text for i in idx])))
    ref_t = [ref.get(i, {}) for i in range(len(results))]
    ref_s = d.sentence_probs(results, props)
    assert [{k: _bits(v) for k, v in x.items()} for x in got_t] == [{k: _bits(v) for k, v in x.items()} for x in ref_t]
    assert [{k: _bits(v) for k, v in x.items()} for x in got_s] == [{k: _bits(v) for k, v in x.items()} for x in ref_s]
