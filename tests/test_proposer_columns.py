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


def _reference_column_rows(pm, column_lists):
    """The definition of Proposer._column_rows: Counter of the columns, (1 + log tf)·idf, l2 norm in order."""
    import math
    from collections import Counter

    idf = pm.idf_.tolist()
    cols_all, vals_all, offs = [], [], [0]
    for cols in column_lists:
        if cols:
            counts = Counter(cols)
            w = [(1.0 + math.log(n)) * idf[j] for j, n in counts.items()]
            norm = math.sqrt(sum([v * v for v in w])) or 1.0
            cols_all.extend(counts)
            vals_all.extend([v / norm for v in w])
        offs.append(len(cols_all))
    return cols_all, vals_all, offs


def test_column_rows_equal_their_definition_bit_for_bit(shared_dir):
    from nlp.pipeline import get_nlp
    from nlp.tagger import Tagger

    pm = load_bundled_proposer()
    rows = _dev_gold(shared_dir, 120)
    strings = get_nlp().vocab.strings
    lists = [pm.passage_columns(r._analysed, strings, None, pm.bigrams)[0]
             for r in Tagger().tag_texts([r["text"] for r in rows])]
    lists += [[], [3] * 63 + [5] * 64 + [7] * 65 + [3, 9], [11]]  # counts at and past the table of 1 + log tf
    cols, vals, offs = pm._column_rows(lists)
    want = _reference_column_rows(pm, lists)
    assert cols.tolist() == want[0] and offs.tolist() == want[2]
    assert vals.tobytes() == np.asarray(want[1], dtype=float).tobytes()
