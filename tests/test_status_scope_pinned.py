"""The status/scope reader gives what the reader before perf40 gave (tests/status_scope_reference.py, pure
Python), on random segments of real texts: texts glued from random sentences of the eval sets (the held-out sets
never read), their token lists as the tagger passes them, random segment bounds, random code hits and random
status/scope marks. Every value a caller reads is compared: ``values`` for each hit and each need_status /
need_scope combination, ``chains``, ``scope_cues``, ``summary``, ``opening``, and the structure (clauses, finite
verbs, parts)."""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

import nlp.tagger as tagger_module
from nlp import status_scope as ss
from nlp.codebook import default_codebook
from nlp.disposer_training import HELD_OUT
from nlp.tagger import Tagger
from tests import status_scope_reference as ref

EVAL_DIR = Path(__file__).resolve().parents[1] / "data" / "eval"
_HELD = {f"{name}.jsonl" for name in HELD_OUT}  # the held-out checks: never read here


def _sentences() -> list[str]:
    out: list[str] = []
    for path in sorted(EVAL_DIR.glob("*.jsonl")):
        if path.name in _HELD:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                text = json.loads(line).get("text") or ""
                out += [s for s in re.split(r"(?<=[.!?:])\s+|\n+", text) if s.strip()]
    return out


@pytest.fixture(scope="module")
def token_lists() -> list[tuple]:
    """(lowers, forms, is_word, clause, status marks, scope marks) of random texts, as the tagger builds them."""
    rng = random.Random(40)
    sents = _sentences()
    assert len(sents) > 1000
    texts = []
    for _ in range(260):  # 1-5 random sentences, joined as one answer (sometimes as a list)
        picked = rng.sample(sents, rng.randint(1, 5))
        texts.append(("\n- " if rng.random() < 0.15 else " ").join(picked))
    seen: dict = {}

    class Kept(ss.SegmentReader):  # a subclass: the compiled SegmentReader is an extension type
        def __init__(self, lowers, forms, is_word, clause, s, e, hits=(), status_marks=(), scope_marks=(),
                     lead_in=None, follow=None):
            super().__init__(lowers, forms, is_word, clause, s, e, hits, status_marks, scope_marks, lead_in, follow)
            got = seen.setdefault(id(lowers), [lowers, forms, is_word, clause, set(), set()])
            got[4].update(status_marks)
            got[5].update(scope_marks)

    mp = pytest.MonkeyPatch()
    mp.setattr(tagger_module, "SegmentReader", Kept)
    try:
        Tagger(default_codebook()).tag_texts(texts)
    finally:
        mp.undo()
    out = [tuple(v[:4]) + (sorted(v[4]), sorted(v[5])) for v in seen.values()]
    assert len(out) > 150
    return out


def _readers(mod, lists, s, e, hits, status, scope, lead, follow):
    lowers, forms, is_word, clause = lists
    return mod.SegmentReader(lowers, forms, is_word, clause, s, e, hits, status, scope, lead, follow)


def _state(r, hits) -> tuple:
    """Everything a caller reads from a reader (each value read on a reader of its own where reading
    memoises)."""
    return (r.chains, r.scope_cues, r.summary(), r.opening(), r.fin, r.part, r._cl, r.clause, r.forms, r.low)


def test_reader_equals_the_reader_before_on_random_segments(token_lists):
    rng = random.Random(17)
    statuses = [ss.PLANNED, ss.ONGOING, ss.DONE]
    scopes = [ss.PILOT, ss.BROAD]
    codes = ["a", "b", "c"]
    compared = values = 0
    for lowers, forms, is_word, clause, st_marks, sc_marks in token_lists:
        n = len(lowers)
        if n < 2:
            continue
        for _ in range(6):
            s = rng.randrange(0, n - 1)
            e = rng.randrange(s + 1, min(n, s + 60) + 1)
            hits = []
            for _ in range(rng.randint(1, 4)):
                hs = rng.randrange(s, e)
                hits.append((hs, min(e, hs + rng.randint(1, 3)), rng.choice(codes)))
            status = [m for m in st_marks if rng.random() < 0.7]
            scope = [m for m in sc_marks if rng.random() < 0.7]
            for _ in range(rng.randint(0, 2)):
                status.append((rng.randrange(s, e), rng.choice(statuses)))
                scope.append((rng.randrange(s, e), rng.choice(scopes)))
            status.sort()
            scope.sort()
            lead_value = rng.choice([None, (rng.choice(statuses), rng.choice(scopes)), (ss.UNKNOWN, ss.PILOT)])
            follow_value = rng.choice([None, (rng.choice(statuses), ss.UNKNOWN)])
            args = ((lowers, forms, is_word, clause), s, e, hits, status, scope, lambda: lead_value,
                    lambda: follow_value)
            old, new = _readers(ref, *args), _readers(ss, *args)
            for hs, he, _c in hits:
                for need in ((True, True), (True, False), (False, True)):
                    assert new.values(hs, he, *need) == old.values(hs, he, *need), (s, e, hs, he, need)
                    values += 1
            # a hit outside any word (the nearest word decides) and a fresh reader per reading
            assert (_readers(ss, *args).values(s, s + 1) == _readers(ref, *args).values(s, s + 1))
            assert _state(_readers(ss, *args), hits) == _state(_readers(ref, *args), hits), (s, e)
            compared += 1
    assert compared > 800 and values > 5000


def test_reader_equals_the_reader_before_on_whole_sentences(token_lists):
    # the tagger's own segments are sentences: bounds at sentence ends, every word a possible hit
    rng = random.Random(3)
    for lowers, forms, is_word, clause, st_marks, sc_marks in token_lists[:120]:
        ends = [i + 1 for i, w in enumerate(lowers) if w in (".", "!", "?", ":")] + [len(lowers)]
        s = 0
        for e in ends:
            if e <= s:
                continue
            words = [i for i in range(s, e) if is_word[i]]
            hits = [(i, i + 1, rng.choice("xyz")) for i in rng.sample(words, min(3, len(words)))]
            args = ((lowers, forms, is_word, clause), s, e, hits, st_marks, sc_marks, None, None)
            old, new = _readers(ref, *args), _readers(ss, *args)
            for hs, he, _c in hits:
                assert new.values(hs, he) == old.values(hs, he), (s, e, hs)
            assert _state(_readers(ss, *args), hits) == _state(_readers(ref, *args), hits), (s, e)
            s = e


def test_quantity_cues_equal_the_reference():
    rng = random.Random(5)
    vocab = ["i", "på", "vid", "inom", "alla", "samtliga", "hela", "länet", "länets", "kommuner", "kommunerna",
             "av", "två", "tre", "fyra", "fem", "tio", "femton", "12", "3", "ett", "par", "fåtal", "några",
             "vårdcentraler", "boenden", "dem", "dessa", "personal", "patienter", "och", "som", "regionens",
             "ordinarie", "länsgemensamt", "i", "rss", "enheter", "80-åringar", "andra", "fall"]
    for _ in range(3000):
        w = [rng.choice(vocab) for _ in range(rng.randint(1, 9))]
        assert ss.quantity_cues(w, range(len(w))) == ref.quantity_cues(w, range(len(w))), w


def test_segment_words_sliced_from_the_text_equal_the_one_pass(token_lists):
    # the text's word arrays read once, sliced per segment: what the one pass over the segment's tokens gives
    rng = random.Random(8)
    for lowers, forms, is_word, clause, _st, _sc in token_lists:
        doc = ss._DocStructures(lowers, forms, is_word, clause)
        n = len(lowers)
        for _ in range(10):
            s = rng.randrange(0, n + 1)
            e = rng.randrange(s, n + 1)
            assert ss._segment_words(doc, s, e) == ss._load_words(lowers, forms, is_word, clause, s, e), (s, e)
        assert doc.words is not None  # read once, then sliced


def test_ongoing_phrase_test_equals_the_joined_words_test():
    # the pair-of-bits shortcut of _has_phrase against the reference's " "-joined search, words with a space too
    rng = random.Random(12)
    vocab = ["under", "uppbyggnad", "införande", "håller", "på", "i", "gång", "att", "uppstartsfasen", "x", "vi",
             "framtagande", "under uppbyggnad", "på i", "i gång", "", "utveckling"]
    hits = 0
    for _ in range(4000):
        words = [rng.choice(vocab) for _ in range(rng.randint(1, 8))]
        new = ss.SegmentReader.of_words(words, words)
        old = ref.SegmentReader.of_words(words, words)
        a = rng.randrange(0, len(words))
        b = rng.randrange(a, len(words) + 1)
        got = new._has_phrase(a, b, ss.ONGOING_PHRASES)
        assert got == old._has_phrase(list(range(a, b)), ref.ONGOING_PHRASES), (words, a, b)
        hits += got
    assert hits > 100
