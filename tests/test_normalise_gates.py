"""The cheap tests normalise_breaks runs before some of its regexes (nlp/normalise.py) are False only when the regex
finds nothing, so the normalised text and its offset map are those of running every regex."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

import nlp.normalise as N

_CHARS = ["a", "z", "å", "ä", "ö", "Å", "X", ".", ")", "(", ";", ":", "-", "–", " ", " ", "\n", "\n", "\t", "\r",
          "0", "1", "9", "٣", "１", "²", "½", "•", "▪", "✔", "\u00a0", "\u00ad", "\u200b", "\ufeff", "\x85", "\u2028",
          "\u3000", "\x7f", "\x00", "\ud800", "€", "Ĥ", "ĥ", "中", "𝟘", "S", "i", "d", "P", "g", "e", "v", "_"]
_PIECES = ["Sida 3 av 12", "\n- 3 -\n", "3 (12)", "Patientkontrakt16", "(SIP).18", "rond;sedan", "1. ", "a) ",
           "egenmonito-\nrering", "SIP-\nsamordnare", "ab2", "ö4", ".5", ")7", "x٣"]


def _with_every_regex(text: str):
    """normalise_breaks(text) with each cheap test answering "the regex may find something" (every regex runs)."""
    saved = N._maybe_special, N._maybe_glued_digit, N._has_bullet_char
    N._maybe_special = N._maybe_glued_digit = lambda t: True
    N._has_bullet_char = lambda t: N._BULLET_CHARS.search(t) is not None
    try:
        return N.normalise_breaks(text)
    finally:
        N._maybe_special, N._maybe_glued_digit, N._has_bullet_char = saved


def test_special_ranges_are_the_class_and_unprintable():
    """_SPECIAL_RANGES names exactly the characters of _SPECIAL_CHARS, and each is unprintable (the gate's premise)."""
    got = {c for c in range(0x110000) if N._SPECIAL_CHARS.match(chr(c))}
    want = {c for lo, hi in N._SPECIAL_RANGES for c in range(lo, hi + 1)}
    assert got == want
    assert N._SPECIAL_UNPRINTABLE
    assert not any(chr(c).isprintable() for c in got)
    assert "\n" not in {chr(c) for c in got}


def test_bullet_set_is_the_class():
    assert {chr(c) for c in range(0x110000) if N._BULLET_CHARS.match(chr(c))} == set(N._BULLET_SET)


def test_page_gate_halves_are_the_gate():
    for t in ["Sida 3", " Sida 3", "x\nSida 3", "x\n  Page 2", "x\n3 (12)", "x\n- 3", "x S. 4", "xSida", "\n– 3",
              "a\n\n", "S.", "12 (", "x\n 12 (1"]:
        whole = N._PAGE_GATE.search(t) is not None
        halves = N._PAGE_GATE_START.match(t) is not None or N._PAGE_GATE_LINE.search(t) is not None
        assert whole == halves, t


def test_glued_digit_gate_never_misses():
    """Every character that _DIGITS can read as a digit after one it can read as a letter, '.' or ')' passes the
    gate (every decimal digit of Unicode; the letters, '.' and ')')."""
    digits = [chr(c) for c in range(0x110000) if re.match(r"\d", chr(c))]
    for before in "abcxyzåäö.)":
        for d in digits:
            t = "Text " + before + d + " slut"
            if N._DIGITS.search(t):
                assert N._maybe_glued_digit(t), (before, d)
    assert not N._maybe_glued_digit("År 2022 hade 21 112 medarbetare, 3,5 % och kl. 8.")


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_CHARS), st.sampled_from(_PIECES)), max_size=40).map("".join))
def test_normalise_breaks_as_with_every_regex(text):
    assert N.normalise_breaks(text) == _with_every_regex(text)
