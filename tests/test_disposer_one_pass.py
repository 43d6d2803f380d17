"""The disposer reads each sentence once: the per-sentence and per-span shortcuts give the old values.

- ``proposal_features`` takes a sentence's parts, cue index, stems and markers from one ``_sentence_info`` per
  sentence of a passage and a mention's cues and context words from them by position (``_mention_cues_in``,
  ``_context_words_in``); the match's stems from ``_match_stems``. Each is compared with the function it
  replaces on random sentences, and the features do not depend on the order of the proposals (a sentence of one passage is never
  read for another).
- ``TextModel.proba_and_span_proba`` reads the sentences' words from their passages' scans (``_span_ids``): the
  same ids as scanning each sentence, and the same probabilities bit for bit as ``predict_proba`` +
  ``code_proba``, also for sentences that cut a word, texts with "İ" or "Σ" (lower case longer or depending on
  the neighbours) and spans outside the text.
"""
from __future__ import annotations

import json
import random
import re
import struct

from hypothesis import given, settings
from hypothesis import strategies as st

import nlp.disposer_features as F
from nlp import disposer_text as T

_PIECES = st.one_of(
    st.sampled_from(sorted({c for _, stems in F._MARKER_LISTS for c in stems})), st.sampled_from(F._NEG),
    st.sampled_from([" ", " ", ",", ";", ":", "(", ".", "-", " men ", " och ", "Hemsjukvården", "İ", "Σ", "é",
                     "ÅTTA", "1234", "vården", "team-arbete", "a:b", "x", "\n", "Mobila", "teamets", "_", "٣"]))
_SENTENCES = st.lists(_PIECES, min_size=1, max_size=14).map("".join)


@settings(max_examples=300, deadline=None)
@given(_SENTENCES, st.data())
def test_sentence_info_and_mention_cues_are_the_old_functions(sentence, data):
    got = F._sentence_info.__wrapped__(sentence)
    assert got == (sentence, F._sentence_parts.__wrapped__(sentence), F._sentence_cues.__wrapped__(sentence),
                   F._sentence_stems.__wrapped__(sentence), F._sentence_markers.__wrapped__(sentence))
    assert F._match_stems(sentence) == F._sentence_stems.__wrapped__(sentence)
    _, parts, cues, _, _ = got
    n = len(sentence)
    for _ in range(4):
        a = data.draw(st.integers(0, n))
        b = data.draw(st.integers(a, n))
        window = data.draw(st.booleans())
        assert F._mention_cues_in(sentence, a, b, window, parts, cues) == F._mention_cues.__wrapped__(
            sentence, a, b, window)
        old: set = set()
        new: set = set()
        F._context_words(old, sentence, a, b)
        F._context_words_in(new, parts, sentence, a, b)
        assert new == old
    old, new = set(), set()
    F._context_words(old, sentence, n, 0)  # not a span (start after end): the old count, word by word
    F._context_words_in(new, parts, sentence, n, 0)
    assert new == old


def _dev_results(shared_dir, n=60):
    from nlp.tagger import Tagger

    rows = [json.loads(x) for x in (shared_dir / "data" / "dev_gold.jsonl").read_text(encoding="utf-8").splitlines()
            if x.strip()][:n]
    return Tagger().tag_texts([r["text"] for r in rows])


def test_features_do_not_depend_on_the_order_of_the_proposals(shared_dir):
    results = _dev_results(shared_dir)
    props = F.proposals_of(results)
    assert len(props) > 50
    want = F.proposal_features(results, props)
    order = list(range(len(props)))
    random.Random(7).shuffle(order)  # passages interleaved: no sentence of one passage is read for another
    got = F.proposal_features(results, [props[k] for k in order])
    # (the same items; their order may differ, as before: a set of the sentence's other codes is built in the
    # proposals' order)
    assert [got[i] for i in range(len(order))] == [want[k] for k in order]


_TEXTS = st.lists(st.sampled_from(["Vi har ", "infört ", "HEMSJUKVÅRD", "mobila team", ". ", ", ", "İnte ", "ΣΑΣ ",
                                   "vård-", "centraler", "9", "åäö", "É", "x", "\n", "teamet"]),
                  min_size=0, max_size=20).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXTS, st.data())
def test_span_ids_are_the_ids_of_the_scanned_span(text, data):
    index: dict = {}

    def idx(w):
        return index.setdefault(w, len(index))

    ix: dict = {}  # the ids met so far (the scan adds a word met the first time with ``add``)

    def add(w):
        assert w not in ix
        ix[w] = idx(w)
        return ix[w]

    low = text.lower()
    assert T._words_of(low) == re.findall(r"[0-9a-zåäöéü]+", low)
    scan = T._scan_ids(low, ix, add)
    assert [w for w in T._words_of(low)] == [low[s:e] for s, e in zip(scan[1], scan[2])]
    assert scan[0] == [idx(w) for w in T._words_of(low)] == T._word_ids(low, ix, add)
    for _ in range(5):
        a = data.draw(st.integers(0, len(low)))
        b = data.draw(st.integers(a, len(low)))
        assert T._span_ids(scan, low, a, b, ix, add) == [idx(w) for w in T._words_of(low[a:b])]


def _bits(x):
    if isinstance(x, dict):
        return sorted((k, struct.pack("d", v)) for k, v in x.items())
    return None if x is None else struct.pack("d", x)


def test_passage_and_span_probabilities_equal_the_two_calls_bit_for_bit(shared_dir):
    from models.tagging import default_disposer

    model = default_disposer().text_model_
    assert model is not None
    results = _dev_results(shared_dir, 40)
    texts = [r.text for r in results] + ["İnte hemsjukvård. Mobila team", "ΑΣ team, Σ vård ", "", "vård"]
    rng = random.Random(3)
    codes = list(model.codes_[:6]) + ["okänd_kod"]
    spans = []
    for i, t in enumerate(texts):
        for _ in range(4):
            a = rng.randint(0, len(t))
            spans.append((i, a, rng.randint(a, len(t)), rng.choice(codes)))
    spans += [(0, 5, 2, codes[0]), (1, -8, len(texts[1]), codes[1]), (2, 3, 10 ** 6, codes[2]),
              (len(texts) - 4, 1, 20, codes[0]), (len(texts) - 3, 2, 12, codes[1])]
    probs, sprobs = T.TextModel.proba_and_span_proba(model, texts, spans)
    want_p = model.predict_proba(texts)
    want_s = model.code_proba([(texts[i][a:b], c) for i, a, b, c in spans])
    assert list(map(_bits, probs)) == list(map(_bits, want_p))
    assert list(map(_bits, sprobs)) == list(map(_bits, want_s))
    assert any(v is None for v in sprobs) and any(v is not None for v in sprobs)


def test_disposer_features_equal_the_two_call_text_path(shared_dir):
    from models.tagging import default_disposer

    d = default_disposer()
    assert d.sentence_text and d.text_model_ is not None
    results = _dev_results(shared_dir, 80)
    props = F.proposals_of(results)
    idx = sorted({p.index for p in props})
    by = dict(zip(idx, d.text_model_.predict_proba([results[i].text for i in idx])))
    tp = [by.get(i, {}) for i in range(len(results))]
    _, old = d.features(results, text_probs=tp, sent_probs=d.sentence_probs(results, props))
    _, new = d.features(results)
    assert [[(k, _bits(v)) for k, v in f.items()] for f in new] == [[(k, _bits(v)) for k, v in f.items()] for f in old]


@settings(max_examples=400, deadline=None)
@given(_SENTENCES)
def test_the_one_pass_sentence_scan_is_the_regex_scans(sentence):
    low = sentence.lower()
    low = low if len(low) == len(sentence) and "Σ" not in sentence else None
    got = F._scan_parts(sentence, low)
    words = list(F._WORD.finditer(sentence))
    assert got[0] == [m.start() for m in words] and got[1] == [m.end() for m in words]
    assert got[2] == [m.group(0).lower() for m in words]
    edges = list(F._CLAUSE_EDGE.finditer(sentence))
    assert got[3] == [m.start() for m in edges] and got[4] == [m.end() for m in edges]
    for pos, chars in zip(got[5:10], (",;:", ",;", ",;.", ":", "(")):
        assert pos == [i for i, c in enumerate(sentence) if c in chars]


def test_the_one_pass_sentence_scan_on_edge_cases():
    for s in ["a-b-c", "a--b", "a-:b", "ab-", "ab:", "x och som y", " och  som ", "a och", "då eftersom där\tmen\nx",
              "team-arbete: och, (men) som.", "9:30-10", "-a", ":", "", " och ", "x men-y", "É-ü:Å"]:
        test_the_one_pass_sentence_scan_is_the_regex_scans.hypothesis.inner_test(s)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aåäöéüÅÄÖÉÜxyz İΣß -9\\n")) | st.characters(), max_size=40))
def test_folded_lower_is_the_translate_of_the_lower_case(text):
    assert T.folded_lower(text) == text.lower().translate(T.FOLD)
