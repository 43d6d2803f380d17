"""A text's lower-case forms sliced from a list gathered once for the whole batch (perf48).

``_DocView.lowers`` used to build its list per text (a list comprehension over the text's features); it now
slices the batch's per-token row ``_Batch.rows("_low")``, and ``_DocView.clauses`` reads the joints of its
clauses from that list. ``first_at_least`` (nlp.positions) is ``bisect_left`` over a text's ascending token positions (a C
loop in the compiled build). The formulations as written before are the reference here: equal values, element
by element, and plain Python ints.
"""
from __future__ import annotations

import random
from bisect import bisect_left

import numpy as np
import pytest

import nlp.tagger as tg
from bench.corpus import generate
from nlp import markers as mk
from nlp.codebook import default_codebook
from nlp.tagger import AnalysedText, Tagger

# sentences written for this test: list commas, a closed answer's colon, commas that end clauses, empty texts
TEXTS = [
    "Vi har inte infört SIP, mobila team eller hälsosamtal, men vi planerar det.",
    "Mobila team: nej. Fast vårdkontakt: ja, i alla kommuner.",
    "Kommunen, regionen och länet samverkar, vilket gör att planen följs upp.",
    ", : , ja nej :",
    "",
    "Inga.",
    "Följande har startats:\n- mobila team\n- SIP, patientkontrakt\n- hälsosamtal: nej",
]


def _old_clauses(dv: tg._DocView) -> list:
    """_DocView.clauses as written before perf48."""
    flags = dv.batch.boundary()[dv.batch.inv[dv.lo:dv.hi]]  # a copy
    feats = dv.feats
    joints = [i for i in np.flatnonzero(flags).tolist() if feats[i].lower in (",", ":")]
    if joints:
        lowers = [f.lower for f in feats]
        for i in joints:
            if mk.joins_clauses(lowers, dv.is_word, i):
                flags[i] = 0
    return np.cumsum(flags).tolist()


@pytest.fixture(scope="module")
def texts() -> list[str]:
    corpus = generate(0.03)
    rng = random.Random(48)
    answers = [a.text for a in corpus.answers[:200]]
    glued = [" ".join(rng.sample(answers, 3)) for _ in range(30)]
    return TEXTS + answers + glued


def test_lowers_and_clauses_equal_the_per_text_lists(texts):
    from nlp.pipeline import analyse, get_nlp

    strings = get_nlp().vocab.strings
    analysed = [AnalysedText.from_doc(d, t) for d, t in zip(analyse(texts), texts)]
    tagger = Tagger(default_codebook())
    cc = tagger.compiled
    uniq_l, lem_l, inv, starts, _ = tagger._forms_of(analysed)
    batch = tg._Batch(cc, cc.code_features(uniq_l, lem_l, strings), uniq_l, lem_l, inv, strings)
    st = starts.tolist()
    order = list(range(len(analysed)))
    random.Random(5).shuffle(order)  # any order of the texts
    joined = 0
    for d in order:
        lo, hi = st[d], st[d + 1]
        dv = tg._DocView(batch, lo, hi, analysed[d].is_word)
        ref = tg._DocView(batch, lo, hi, analysed[d].is_word)
        low = dv.lowers()
        assert low == [f.lower for f in dv.feats]
        assert dv.lowers() is low  # one list per text (the status reader keys its store on it)
        got = dv.clauses()
        want = _old_clauses(ref)
        assert got == want
        assert all(type(c) is int for c in got)
        assert dv.clauses() is got
        joined += sum(1 for i, f in enumerate(dv.feats) if f.lower in (",", ":")
                      and batch.boundary()[inv[lo + i]] and mk.joins_clauses(low, dv.is_word, i))
    assert joined >= 3  # the list commas and the closed answer's colon were met
    # a text's joints do not change the batch's boundary flags
    assert batch.boundary().tolist() == [int(mk.is_clause_boundary(f.lower)) for f in batch.F]


def test_first_at_least_is_bisect_left():
    rng = random.Random(48)
    for _ in range(2000):
        a = sorted(rng.sample(range(200), rng.randrange(0, 40)))
        x = rng.randrange(-3, 205)
        lo = rng.randrange(0, len(a) + 1)
        assert tg.first_at_least(a, x, lo) == bisect_left(a, x, lo)


def test_object_array_holds_the_items_themselves():
    """``_object_array`` (now ``np.fromiter`` with an object dtype) gives what the slice assignment gave: a 1-d
    object array whose elements are the very items, also for tuples (verb forms) and lists of two 2-tuples."""
    from nlp.termmatch import WordFeatures

    def old(items):
        arr = np.empty(len(items), dtype=object)
        arr[:] = items
        return arr

    wf = [WordFeatures(keys=frozenset(("team",)), lower="team", first=()), WordFeatures(frozenset(), "och", ())]
    cases = [wf, [("starta", "verb"), None, ("införa", "verb")], [("a", "b"), ("c", "d")], [], ["sip", ",", ""],
             [None, None], [frozenset((1, 2)), (), ("x",)]]
    for items in cases:
        got, want = tg._object_array(items), old(items)
        assert got.dtype == object and got.shape == (len(items),) == want.shape
        assert all(g is x for g, x in zip(got.tolist(), items))
        assert all(w is x for w, x in zip(want.tolist(), items))
