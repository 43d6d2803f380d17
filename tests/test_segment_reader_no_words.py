"""A stretch with no words (only punctuation, digits, emoji, a form feed) is read without raising: the
SegmentReader gives okänd values and no structure, and the tagger tags such answers as empty."""
from __future__ import annotations

import pytest

from nlp.status_scope import SegmentReader
from nlp.markers import UNKNOWN

STRETCHES = [[], ["!!!"], ["123"], ["\U0001F600"], ["\x0c"], [",", "."], ["\x0c", "\x0c"], ["1.", "2.", "–"]]


@pytest.mark.parametrize("words", STRETCHES)
def test_reader_of_a_stretch_without_words(words):
    end = max(1, len(words))
    reader = SegmentReader.of_words(words, words, hits=[(0, end, "X")],
                                    lead_in=lambda: None, follow=lambda: None)
    assert reader.values(0, end) == (UNKNOWN, UNKNOWN)
    assert reader.chains == []
    assert reader.scope_cues == []
    reader.opening()
    reader.summary()


@pytest.mark.parametrize("s,e", [(0, 0), (0, 2), (1, 2), (2, 2), (0, 3)])
def test_reader_over_whitespace_and_form_feed_tokens(s, e):
    lowers = ["\x0c", " ", "\x0c"]
    reader = SegmentReader(lowers, [None] * 3, [False] * 3, [0] * 3, s, e, hits=[(s, e, "X")])
    assert reader.values(s, e) == (UNKNOWN, UNKNOWN)
    assert reader.chains == [] and reader.clause == {}
    reader.opening()
    reader.summary()


def test_tagger_on_answers_without_words():
    from nlp.tagger import Tagger
    texts = ["!!!", "123", "\U0001F600\U0001F600 !!", "\x0c", "\x0c\x0c", "", "- \n- \n", "Vi har:\n- !!!\n- 123",
             "Nej.\x0cJa: ???", ":\n-\n-", "1. 2. 3."]
    results = Tagger().tag_texts(texts)
    assert len(results) == len(texts)
    for text, res in zip(texts[:7], results[:7]):
        assert not res.evidence, text
