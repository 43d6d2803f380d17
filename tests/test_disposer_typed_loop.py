"""The disposer's typed per-proposal loop (perf37) gives the old values.

- ``first_after`` / ``first_at_least`` (nlp.positions; a loop over C integers in the compiled build) are
  ``bisect_right`` / ``bisect_left``.
- ``_key_occurrences`` takes the automaton's occurrences in its own order (by end) and sorts them by start only
  when the starts do not already rise, with integer keys: the same lists as sorting (start, end, value) tuples.
- The feature names of ``proposal_features`` come from name tables (``_named``, ``_crossed``, ``_m_name``): the
  same strings as building them, also after a table is emptied when full.
- The mention's role and further cues, read directly (``_role_in``, ``_extra_in``, ``_window_in``), are the
  cached functions' values.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nlp.disposer_features as F

_PIECES = st.one_of(
    st.sampled_from(sorted({c for _, stems in F._MARKER_LISTS for c in stems})), st.sampled_from(F._NEG),
    st.sampled_from([" ", " ", ",", ";", ":", "(", ".", "-", " men ", " och ", "inte längre", "skulle vilja",
                     "Hemsjukvården", "é", "1234", "vården", "team-arbete", "a:b", "x", "\n", "teamets", "i alla"]))
_SENTENCES = st.lists(_PIECES, min_size=1, max_size=16).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 40), max_size=30).map(sorted), st.integers(-3, 45), st.data())
def test_after_and_from_are_bisect(a, x, data):
    lo = data.draw(st.integers(0, len(a) + 2))
    assert F.first_after(a, x, lo) == bisect_right(a, x, lo)
    assert F.first_at_least(a, x, lo) == bisect_left(a, x, lo)
    assert F.first_after(a, x, 0) == bisect_right(a, x)
    assert F.first_at_least(a, x, 0) == bisect_left(a, x)


def _old_key_occurrences(low: str) -> tuple[list, list, list]:
    """The old definition: a tuple per occurrence, sorted."""
    occ = []
    if F._SPAN_AUTOMATON is not None:
        for last, (n, v) in F._SPAN_AUTOMATON.iter(low):
            occ.append((last + 1 - n, last + 1, v))
    else:
        rx, prefixes = F._key_regex()
        for m in rx.finditer(low):
            s = m.start()
            for n, v in prefixes[m.group(1)]:
                occ.append((s, s + n, v))
    occ.sort()
    return [o[0] for o in occ], [o[1] for o in occ], [o[2] for o in occ]


@settings(max_examples=400, deadline=None)
@given(_SENTENCES)
def test_key_occurrences_are_the_sorted_tuples(sentence):
    low = sentence.lower()
    assert F._key_occurrences(low) == _old_key_occurrences(low)


@pytest.mark.skipif(F._SPAN_AUTOMATON is None, reason="utan pyahocorasick")
def test_key_occurrences_sorts_when_the_automaton_order_is_not_by_start():
    # "har fått nya" holds "fått ny", which starts after it and ends before it: the automaton (by end) gives
    # "har fått", "fått ny", "har fått nya", whose starts do not rise
    occ = [last + 1 - n for last, (n, _) in F._SPAN_AUTOMATON.iter("vi har fått nya lokaler")]
    assert occ != sorted(occ)
    for low in ("vi har fått nya lokaler", "det har inte längre funnits", "vi kommer att starta",
                "avvaktar beslut om medel, inte bara", "skulle vilja införa", "de har fått nya, har fått ny"):
        got = F._key_occurrences(low)
        assert got == _old_key_occurrences(low)
        assert got[0] == sorted(got[0])


def test_name_tables_give_the_built_names():
    table = F._name_table("w=")
    assert F._named(table, "w=", "hemtjänst") == "w=hemtjänst"
    assert F._named(table, "w=", "hemtjänst") is F._named(table, "w=", "hemtjänst")
    crossed: dict = {}
    assert F._crossed(crossed, "kod|", "L=hemtjä") == "kod|L=hemtjä"
    assert F._m_name("Mobila Team") == "m=mobila team"
    assert F._m_name("x" * 40) == "m=" + "x" * 30
    assert F._m_name("") == ""
    # a full table is emptied and refilled: the same names
    old = F._STEM_MEMO
    try:
        F._STEM_MEMO = 3
        small: dict = {}
        names = [F._crossed(small, "c|", f"w={i}") for i in range(10)]
        assert names == [f"c|w={i}" for i in range(10)] and len(small) <= 3
    finally:
        F._STEM_MEMO = old


@settings(max_examples=200, deadline=None)
@given(_SENTENCES, st.data())
def test_direct_mention_cues_are_the_cached_functions(sentence, data):
    parts = F._sentence_parts.__wrapped__(sentence)
    cues = F._sentence_cues.__wrapped__(sentence)
    n = len(sentence)
    for _ in range(4):
        a = data.draw(st.integers(0, n))
        b = data.draw(st.integers(a, n))
        bounds = F._clause_bounds(sentence, a, b, parts)
        assert F._role_in(sentence, a, b, parts, cues) == F._mention_role.__wrapped__(sentence, a, b)
        assert F._extra_in(sentence, a, b, None, parts, cues) == F._mention_extra.__wrapped__(sentence, a, b)
        assert F._extra_in(sentence, a, b, bounds, parts, cues) == F._mention_extra.__wrapped__(
            sentence, a, b, bounds)
        assert F._window_in(sentence, a, b, None, parts) == F._clause_window.__wrapped__(sentence, a, b)
