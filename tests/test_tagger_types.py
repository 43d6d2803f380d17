"""The tagger's small types written out for the compiled build (perf35) keep the semantics of the dataclasses they
were: Evidence and Excerpt take the same arguments, give the same fields, equality, repr and pickling as the
dataclass would make; SegmentMarkers compares and shows as the dataclass did; _DocView.char_span is
AnalysedText.char_span. Checked with random values against reference dataclasses built from the same fields."""
from __future__ import annotations

import dataclasses
import inspect
import pickle
import random

import numpy as np

from nlp import tagger as tg
from nlp.evidence import Evidence


def _reference(cls, slots: bool):
    """The dataclass that ``cls``'s fields make (the generated constructor)."""
    spec = []
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            spec.append((f.name, f.type, dataclasses.field(default=f.default)))
        elif f.default_factory is not dataclasses.MISSING:
            spec.append((f.name, f.type, dataclasses.field(default_factory=f.default_factory)))
        else:
            spec.append((f.name, f.type))
    return dataclasses.make_dataclass("Ref" + cls.__name__, spec, slots=slots)


def _params(cls) -> list:
    """(name, kind, default) of the constructor's parameters (a default factory's as '<factory>')."""
    out = []
    for p in inspect.signature(cls).parameters.values():
        d = p.default
        out.append((p.name, p.kind, d if d is inspect.Parameter.empty or isinstance(d, (str, int, float, bool))
                    else "<factory>"))
    return out


def _values(rng: random.Random, n: int) -> list:
    pool = [0, 1, 7, -3, "a", "mobila_team", "okänd", "genomförd", True, False, 0.9, 0.65, None, (1, 2), []]
    return [rng.choice(pool) for _ in range(n)]


def _same(a, b, names) -> bool:
    return all(getattr(a, n) == getattr(b, n) and type(getattr(a, n)) is type(getattr(b, n)) for n in names)


def test_evidence_constructor_is_the_dataclass_one():
    Ref = _reference(Evidence, slots=True)
    names = [f.name for f in dataclasses.fields(Evidence)]
    assert _params(Evidence) == _params(Ref)
    assert names[:4] == ["code", "start", "end", "match"] and len(names) == 12
    rng = random.Random(17)
    for _ in range(300):
        k = rng.randint(4, 12)
        args = _values(rng, k)
        if rng.random() < 0.5:
            a, b = Evidence(*args), Ref(*args)
        else:
            kw = dict(zip(names, args))
            a, b = Evidence(**kw), Ref(**kw)
        assert _same(a, b, names)
        assert repr(a) == repr(b).replace("RefEvidence", "Evidence")
        assert a == Evidence(*[getattr(a, n) for n in names])
        assert a != b  # another class, as between two dataclasses
        c = pickle.loads(pickle.dumps(a))
        assert c == a and type(c) is Evidence
    assert not hasattr(Evidence(1, 2, 3, 4), "__dict__")  # still slots


def test_excerpt_constructor_is_the_dataclass_one():
    Ref = _reference(tg.Excerpt, slots=False)
    names = [f.name for f in dataclasses.fields(tg.Excerpt)]
    assert names == ["start", "end", "text", "evidence"]
    assert [p[0] for p in _params(tg.Excerpt)] == names
    rng = random.Random(5)
    for _ in range(100):
        args = _values(rng, rng.randint(3, 4))
        a, b = tg.Excerpt(*args), Ref(*args)
        assert _same(a, b, names)
        assert repr(a) == repr(b).replace("RefExcerpt", "Excerpt")
        assert a == tg.Excerpt(*[getattr(a, n) for n in names])
    x, y = tg.Excerpt(0, 1, "a"), tg.Excerpt(0, 1, "a")
    assert x.evidence == [] and x.evidence is not y.evidence  # a new list each
    assert tg.Excerpt(0, 1, "a", evidence=None).evidence is None  # as the dataclass: what is given is kept


def test_segment_markers_compare_and_show_as_the_dataclass():
    m = tg.SegmentMarkers()
    assert (m.negs, m.cancels, m.delays, m.status, m.scope) == ([], [], [], [], [])
    assert m.negs is not tg.SegmentMarkers().negs
    m.negs.append((1, 2))
    m.status.append((3, "pågående"))
    assert m == tg.SegmentMarkers(negs=[(1, 2)], status=[(3, "pågående")])
    assert m != tg.SegmentMarkers()
    assert repr(m) == ("SegmentMarkers(negs=[(1, 2)], cancels=[], delays=[], status=[(3, 'pågående')], "
                       "scope=[])")
    assert (m == 5) is False


def test_doc_view_char_span_is_the_texts():
    from nlp.pipeline import analyse

    texts = ["De mobila teamen har\r\n\r\ninförts.  Vi har SIP.", "Kort.", "Ett\n\n\n\ntvå tre\r\nfyra fem sex."]
    rng = random.Random(3)

    for text, doc in zip(texts, analyse(texts)):
        a = tg.AnalysedText.from_doc(doc, text)
        n = len(a.orth)
        batch = type("B", (), {})()
        # (the batch's form per token and per-form features: only what the view's feats are gathered from)
        batch.inv = np.zeros(n, dtype=np.int64)
        batch.F = [None]
        dv = tg._DocView(batch, 0, n, a.is_word)
        for _ in range(200):
            s = rng.randrange(n)
            e = rng.randrange(s + 1, n + 1)
            assert dv.char_span(a, s, e) == a.char_span(s, e)
            assert all(type(v) is int for v in dv.char_span(a, s, e))


def _old_original_span(keys, deltas, norm_start, norm_end):
    """AnalysedText.original_span as it was written before perf35 (a nested function)."""
    from bisect import bisect_right

    def off(i):
        k = bisect_right(keys, i)
        return i + (deltas[k - 1] if k else 0)

    if norm_end <= norm_start:
        x = off(norm_start)
        return x, x
    return off(norm_start), off(norm_end - 1) + 1


def test_original_span_is_the_old_definition():
    rng = random.Random(11)
    e = np.zeros(0, dtype="uint64")
    for _ in range(200):
        n = rng.randint(0, 6)
        keys = sorted(rng.sample(range(0, 60), n))
        deltas, d = [], 0
        for _k in keys:
            d += rng.randint(1, 3)
            deltas.append(d)
        breaks = tuple(v for pair in zip(keys, deltas) for v in pair)
        a = tg.AnalysedText("x" * 80, e, e, e.astype("int64"), e.astype("int64"), e.astype(bool), [], breaks)
        for _ in range(20):
            s = rng.randint(0, 70)
            t = rng.randint(max(0, s - 3), 75)
            assert a.original_span(s, t) == _old_original_span(keys, deltas, s, t)
