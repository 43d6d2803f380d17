"""The matcher's key-set test (nlp.termmatch._disjoint) answers as frozenset.isdisjoint, compiled or not."""
import random

from nlp import termmatch
from nlp.termmatch import _disjoint


def test_disjoint_equals_isdisjoint_on_random_key_sets():
    rng = random.Random(54)
    words = ["vård", "vard", "team", "mobil*", "mobila", "hem", "hemtjänst", "a", "", "äldre", "*", "sip"]
    for _ in range(3000):
        a = frozenset(rng.sample(words, rng.randint(0, 6)))
        b = frozenset(rng.sample(words, rng.randint(0, 6)))
        assert _disjoint(a, b) is a.isdisjoint(b)
        assert _disjoint(b, a) is b.isdisjoint(a)


def test_disjoint_other_types_go_to_isdisjoint():
    assert _disjoint({"a", "b"}, frozenset({"b"})) is False
    assert _disjoint(frozenset({"a"}), {"b"}) is True
    assert _disjoint(frozenset({"a"}), ["a"]) is False  # isdisjoint takes any iterable
    assert _disjoint(set(), frozenset()) is True


def test_match_hits_reads_the_current_rest_cache():
    # the matcher reads the index's per-term rest without the property once it is built, and rebuilds it
    # (through the property) after a term was added
    ix = termmatch.TermIndex(lambda w: w, lambda t: t.split())
    ix.add_phrase("mobila team", "kw", ("A", "keyword"))
    feats = [ix.features(w, w) for w in ["mobila", " ", "team"]]
    assert ix.match(feats, [True, False, True]) == [(0, 0, 3)]
    ix.add_phrase("mobila", "kw", ("B", "keyword"))
    assert ix._rest_cache is not None and len(ix._rest_cache) == 1  # stale: one term less
    ix._cache.clear()  # (the form features of the old terms)
    feats = [ix.features(w, w) for w in ["mobila", " ", "team"]]
    got = ix.match(feats, [True, False, True])
    assert len(ix._rest_cache) == 2
    assert sorted(got) == [(0, 0, 3), (1, 0, 1)]
