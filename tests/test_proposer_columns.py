"""The proposer's column path (`Proposer.passage_columns` + `predict_proba_columns`, used by
`Tagger.propose`) gives what the token path gives: the same columns in the same order, the same content-word
count and bit-identical scores."""
from __future__ import annotations

import json

import numpy as np

from nlp.proposer import load_bundled_proposer, passage_features


def _dev_gold(shared_dir, n: int = 250):
    rows = [json.loads(x) for x in (shared_dir / "data" / "dev_gold.jsonl").read_text(encoding="utf-8").splitlines()
            if x.strip()]
    return rows[:n]


def test_columns_equal_the_token_path_bit_for_bit(shared_dir):
    from nlp.pipeline import get_nlp
    from nlp.tagger import Tagger

    pm = load_bundled_proposer()
    rows = _dev_gold(shared_dir)
    t = Tagger()
    results = t.tag_texts([r["text"] for r in rows])
    strings = get_nlp().vocab.strings
    questions = [None if k % 4 else ("13a" if k % 8 else "Q9 ") for k in range(len(rows))]
    toks, cols = [], []
    for r, q in zip(results, questions):
        a = r._analysed
        tk = passage_features(a, strings, q, pm.bigrams)
        cs, n = pm.passage_columns(a, strings, q, pm.bigrams)
        assert cs == [pm.vocabulary_[x] for x in tk if x in pm.vocabulary_]
        assert n == sum(1 for x in tk if x[:2] == "w:")
        toks.append(tk)
        cols.append(cs)
    toks += [[], ["okänt-ord"]]  # an empty row and one without a known token
    cols += [[], []]
    want, got = pm.predict_proba(toks), pm.predict_proba_columns(cols)
    assert want.shape == got.shape and want.tobytes() == got.tobytes()
    assert np.array_equal(pm.decision(toks), pm.decision_columns(cols))
    # the memo per word form gives the same columns the second time
    assert [pm.passage_columns(r._analysed, strings, q, pm.bigrams)[0] for r, q in zip(results, questions)] == cols[:-2]
