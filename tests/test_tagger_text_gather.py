"""A text's per-token lists gathered from the batch's per-form lists (perf54).

``_DocView`` used to slice per-token lists built for the whole batch (``_Batch.rows``: a numpy gather of an object
array and its ``tolist``); it now gathers its own tokens' items from the per-form lists (``_Batch.values``,
``_gather``). The batch's rows are the reference: the same objects, item for item, for every text.
"""
from __future__ import annotations

import random

import pytest

import nlp.tagger as tg
from nlp.codebook import default_codebook
from nlp.tagger import AnalysedText, Tagger

# sentences written for this test: verbs, a list, a negation, markers, an empty text, a text of one word
TEXTS = [
    "Vi har inte infört mobila team, men vi planerar att starta dem nästa år.",
    "Följande har startats:\n- hälsosamtal\n- SIP, patientkontrakt",
    "",
    "Nej.",
    "Kommunen och regionen samverkar kring fast vårdkontakt sedan 2021 och arbetet pågår.",
]


def test_gather_is_a_list_index_per_item():
    vals = ["a", None, ("x", "y"), 3]
    assert tg._gather(vals, [3, 0, 0, 2, 1]) == [3, "a", "a", ("x", "y"), None]
    assert tg._gather(vals, []) == []
    got = tg._gather(vals, [2])
    assert got[0] is vals[2]


@pytest.fixture(scope="module")
def batch_and_texts():
    from nlp.pipeline import analyse, get_nlp

    strings = get_nlp().vocab.strings
    rng = random.Random(54)
    texts = TEXTS + [" ".join(rng.sample(TEXTS, 3)) for _ in range(6)]
    analysed = [AnalysedText.from_doc(d, t) for d, t in zip(analyse(texts), texts)]
    tagger = Tagger(default_codebook())
    cc = tagger.compiled
    uniq_l, lem_l, inv, starts, _ = tagger._forms_of(analysed)
    batch = tg._Batch(cc, cc.code_features(uniq_l, lem_l, strings), uniq_l, lem_l, inv, strings)
    return batch, analysed, starts.tolist()


def test_text_lists_are_the_batch_rows_sliced(batch_and_texts):
    batch, analysed, st = batch_and_texts
    for d in range(len(analysed)):
        lo, hi = st[d], st[d + 1]
        dv = tg._DocView(batch, lo, hi, analysed[d].is_word)
        pairs = [(dv.feats, batch.rows("F")), (dv.lowers(), batch.rows("_low")), (dv.verb_forms(), batch.rows("_vf")),
                 (dv.feats_of("ctx"), batch.rows("ctx")), (dv.feats_of("markers"), batch.rows("markers"))]
        for got, rows in pairs:
            want = rows[lo:hi]
            assert len(got) == len(want) == hi - lo
            assert all(a is b for a, b in zip(got, want))
        assert dv.lowers() is dv.lowers() and dv.verb_forms() is dv.verb_forms()  # one list per text
        assert dv.feats_of("ctx") is dv.feats_of("ctx")
