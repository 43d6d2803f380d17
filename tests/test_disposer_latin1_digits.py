"""The disposer's per-sentence shortcuts (perf46) give the old values.

- ``_lower`` (a Latin-1 text lower-cased by one ``bytes.translate``) is ``str.lower``; ``folded_lower`` (the same
  for the text model, folding å/ä/ö/é/ü in the same table) is ``text.lower().translate(FOLD)``.
- The sentence scan's digit flag (``_sentence_parts(s)[11]``) is ``_DIGIT.search(s) is not None``, so the
  sentence markers read from it are the regex's.
- ``_log1p`` (a table of counts) is ``math.log1p``, the same double.
- ``_match_stems`` (a typed memo) is the stems of the match's words.
- The features of proposals on passages written for the test equal those of the old per-proposal path: the module's
  pure-Python source loaded again with the old functions (``str.lower``, ``math.log1p``, the digit regex) in place
  of the new ones, compared bit for bit and in the dicts' order.
"""
from __future__ import annotations

import importlib.util
import math
import struct
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

import nlp.disposer_features as F
import nlp.disposer_text as T

# characters around every boundary the shortcuts rely on: ASCII, Latin-1 (letters, ß, µ, ÿ, ×, ÷), just past it
# (Ā, Ÿ, the en dash and typographic quotes of Swedish text), a capital sigma, a dotted capital I (two characters in
# lower case), decimal digits of other scripts and digit-like characters that are no decimal digits (², ½)
_CHARS = st.sampled_from(list("aZ09 ,.;:-()\n\tåäöÅÄÖéÉüÜßµÿ×÷ÀÞþ\xa0Ā–—”“’ŸΣσİıẞ٣١１²½Ⅻ"))
_WORDS = st.sampled_from(["Hemsjukvården", "ÅTTA", "inte", "2024", "vårdcentral", "İstanbul", "ΣΑΣ", "Ölands",
                          "team-arbete", "Kl. 9:30–10", "skulle vilja", "mobila team", "  ", "É", "٣٤"])
_TEXTS = st.lists(st.one_of(_CHARS, _WORDS), max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(_TEXTS)
def test_lower_and_folded_lower_are_str_lower(text):
    assert F._lower(text) == text.lower()
    assert T.folded_lower(text) == text.lower().translate(T.FOLD)


def test_every_latin1_character_lower_cases_by_the_table():
    for i in range(256):
        c = chr(i)
        assert F._lower(c) == c.lower() and F._lower(c * 3 + "é") == (c * 3 + "é").lower()
        assert T.folded_lower(c + "ö") == (c + "ö").lower().translate(T.FOLD)


@settings(max_examples=500, deadline=None)
@given(_TEXTS)
def test_the_digit_flag_is_the_digit_regex(sentence):
    parts = F._sentence_parts.__wrapped__(sentence)
    assert parts[11] is (F._DIGIT.search(sentence) is not None)
    low = sentence.lower()
    assert parts[10] == (low if len(low) == len(sentence) and "Σ" not in sentence else None)
    cues = F._sentence_cues.__wrapped__(sentence)
    assert F._markers_of(sentence, cues, parts[11]) == F._markers_of(sentence, cues)
    assert F._sentence_info.__wrapped__(sentence)[4] == F._sentence_markers.__wrapped__(sentence)


def test_the_digit_flag_over_every_decimal_digit():
    for i in range(0x110000):
        c = chr(i)
        if c.isdecimal() or c.isdigit() or c.isnumeric():
            for s in (c, "x" + c, c + " y", "ab " + c + "."):
                assert F._sentence_parts.__wrapped__(s)[11] is (F._DIGIT.search(s) is not None), hex(i)


def test_log1p_is_math_log1p():
    for n in list(range(0, 5000)) + [10 ** 6, 2 ** 40]:
        assert struct.pack("d", F._log1p(n)) == struct.pack("d", math.log1p(n)), n


@settings(max_examples=200, deadline=None)
@given(_TEXTS)
def test_match_stems_are_the_stems_of_the_words(match):
    F._MATCH_STEMS.clear()
    want = F._lower_stems(F._sentence_parts.__wrapped__(match)[2])
    assert F._match_stems(match) == want
    assert F._match_stems(match) == want  # from the memo


def _old_module():
    """nlp/disposer_features.py loaded again as pure Python, with the functions perf46 replaced put back."""
    spec = importlib.util.spec_from_file_location("_df_old_perf46", F.__file__.rsplit("/_compiled/", 1)[0] + "/disposer_features.py"
                                                  if "/_compiled/" in F.__file__ else F.__file__)
    old = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = old
    spec.loader.exec_module(old)
    old._lower = str.lower
    old._log1p = math.log1p
    markers_of = old._markers_of
    old._markers_of = lambda sentence, cues, digit=None: markers_of(sentence, cues)  # the regex, as before
    match_memo: dict = {}

    def match_stems(match):  # the old untyped memo
        got = match_memo.get(match)
        if got is None:
            got = match_memo[match] = old._lower_stems(old._PARTS_OF(match)[2])
        return got

    old._match_stems = match_stems
    return old


_PASSAGES = [
    "Vi har infört mobila team i hemsjukvården under 2023. Teamet består av läkare och sjuksköterska – "
    "och gör hembesök dagligen.",
    "Region Östergötland planerar att starta en vårdcentral på sikt, men inte hos oss. Samordnad individuell "
    "plan (SIP) används i 85 % av ärendena.",
    "ÄLDREOMSORGEN: Inget arbete med fallprevention har påbörjats; det har skjutits upp till 2025.",
    "Digitala vårdbesök erbjuds sedan ١٠ månader. Hälsosamtal för 40-åringar pausades – ekonomin.",
    "Patientkontrakt och fast vårdkontakt är breddinfört i hela länet. Egenmonitorering testas i ett pilotprojekt.",
]


def test_features_equal_the_old_per_proposal_path():
    from nlp.tagger import Tagger

    old = _old_module()
    results = Tagger().tag_texts(_PASSAGES)
    props = F.proposals_of(results)
    assert props, "the passages propose codes"
    for mod in (F, old):
        for name in dir(mod):
            fn = getattr(mod, name)
            if hasattr(fn, "cache_clear") and name != "default_code_terms":
                fn.cache_clear()
    new = F.proposal_features(results, props)
    ref = old.proposal_features(results, old.proposals_of(results))

    def bits(X):
        return [[(k, struct.pack("d", v)) for k, v in f.items()] for f in X]

    assert bits(new) == bits(ref)
    assert any("m_number" in f for f in new) and any("m_number" not in f for f in new)
