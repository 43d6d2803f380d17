"""The disposer's feature extraction: its fast paths give what the plain definitions give."""
from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import nlp.disposer_features as F

_CUES = sorted({c for _, stems in F._MARKER_LISTS for c in stems})
# text made of cues, their pieces, word characters, spaces and punctuation, so that cues overlap,
# run into each other and are cut at the edges
_PIECES = st.one_of(st.sampled_from(_CUES), st.sampled_from(_CUES).map(lambda c: c[1:]),
                    st.sampled_from(_CUES).map(lambda c: c[:-1]),
                    st.sampled_from([" ", ",", "x", "a", "-", "é", "(", ".", "😀"]))
_TEXTS = st.lists(_PIECES, max_size=12).map("".join)


def _contained(low: str) -> tuple:
    """The definition: a list is found when one of its cues occurs in the text."""
    return tuple(name for name, stems in F._MARKER_LISTS if any(c in low for c in stems))


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
@example(" avser  ")
@example("vi har fått nya team")
def test_cue_lists_found_are_the_lists_with_a_contained_cue(low):
    assert F._lists_found(low) == _contained(low)


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
@example(" avser  ")  # a cue of one list that is a prefix of a cue of another
@example("vi har fått nya team")
def test_cue_scan_without_the_automaton_gives_the_same_lists(low):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(F, "_CUE_AUTOMATON", None)  # pyahocorasick missing: the regex scan
        assert F._lists_found(low) == _contained(low)


def test_the_automaton_is_used_when_installed():
    pytest.importorskip("ahocorasick")
    assert F._CUE_AUTOMATON is not None


_NEG_DEFINITION = re.compile(r"(?<![\wåäö])(?:" + "|".join(F._NEG) + r")(?![\wåäö])")
_NEG_TEXTS = st.lists(st.one_of(st.sampled_from(F._NEG),
                                st.sampled_from([" ", "-", "_", "ö", "x", "9", "ł", "٣", ",", "i", "s"])),
                      max_size=8).map("".join)


@settings(max_examples=500, deadline=None)
@given(_NEG_TEXTS)
@example("inte")
@example("_ej")
@example("mejl och ingenting")
def test_negation_words_are_found_as_whole_words_only(low):
    got = F._NEG_RX.search(low)
    want = _NEG_DEFINITION.search(low)
    assert (got is None) == (want is None)
    assert got is None or got.span() == want.span()


def test_letters_are_the_word_characters_but_the_digits():
    word_chars = {chr(i) for i in range(0x3000) if F._WORD.fullmatch(chr(i))}
    assert F._LETTERS == {c for c in word_chars if not c.isdigit()}


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
@example("vi har inte infört team")
def test_clause_and_sentence_markers_share_one_scan_with_the_plain_results(text):
    low = " " + text.lower() + " "
    lists, neg = _contained(low), _NEG_DEFINITION.search(low) is not None
    F._cue_scan.cache_clear()
    clause = F._clause_markers.__wrapped__(text)
    sentence = F._sentence_markers.__wrapped__(text)
    assert ("r_neg_clause" in clause) == neg == ("m_neg" in sentence)
    assert ("r_verb_clause" in clause) == ("m_measure_verb" in lists)
    assert ("r_stop_clause" in clause) == ("m_delay" in lists or "m_stop" in lists)
    assert [m for m in sentence if m not in ("m_neg", "m_number")] == list(lists)


def test_evidence_knobs_default_to_the_shipped_counts_and_indicators_replace_them():
    from nlp.tagger import Tagger

    text = "Vi har infört mobila team. De mobila teamen gör hembesök. Mobila team finns i alla kommuner."
    res = Tagger().tag_texts([text])
    props = [p for p in F.proposals_of(res) if p.code == "mobila_team"]
    assert props and len(props[0].evidence) >= 2
    assert (F.EVIDENCE, F.DEF_OVERLAP, F.LEXICAL_SCALE) == ("log", "log", 1.0)  # the shipped features
    base = F.proposal_features(res, props)[0]
    assert {"n_evidence", "n_sentences_with", "frac_sentences"} <= set(base)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(F, "EVIDENCE", "ind")
        mp.setattr(F, "DEF_OVERLAP", "bin")
        mp.setattr(F, "LEXICAL_SCALE", 0.5)
        f = F.proposal_features(res, props)[0]
    assert not {"n_evidence", "n_sentences_with", "frac_sentences", "def_overlap"} & set(f)
    assert f["evidence_2plus"] == 1.0 and f["sentences_2plus"] == 1.0
    lexical = [k for k in base if k.startswith("mobila_team|") and k[12:14] in ("m=", "L=", "R=", "w=")]
    assert lexical and all(f[k] == pytest.approx(0.5 * base[k]) for k in lexical)
