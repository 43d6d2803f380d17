"""The tagger's shortcuts give exactly what the plain computation gives.

- ``SegmentReader._parts`` builds the parts of a segment from sparse events (clause changes,
  coordinators, finite verbs); it must give the parts of the word-by-word walk below.
- ``Tagger._segment_evidence`` skips reading status/scope for a present hit whose code already has a
  known passage value; the tagged output (with unified values) must equal tagging without the skip.
"""
from __future__ import annotations

import json

import pytest

from bench.corpus import generate
from nlp import status_scope as ss
from nlp.codebook import default_codebook
import nlp.tagger as tagger_module
from nlp.status_scope import COORD, SegmentReader
from nlp.tagger import Tagger

TEXTS = [
    "Vi har infört SIP och planerar att starta mobila team.",
    "SIP används i alla kommuner och mobila team planeras, men hälsosamtal har inte startats.",
    "Mobila team startades 2020 och har spridits till hela länet. Teamen arbetar med SIP och SIP-"
    "samordnare finns i tre kommuner samt en pilot med patientkontrakt pågår.",
    "Följande har införts i alla kommuner:\n- mobila team\n- SIP\n- fast vårdkontakt",
    "Patientkontrakt testas på två vårdcentraler och ska breddinföras 2025, och fast vårdkontakt erbjuds "
    "alla, och hälsosamtal eller levnadsvanesamtal genomförs.",
    "Nej. Mobila team och SIP och patientkontrakt och fast vårdkontakt och hälsosamtal planeras.",
]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    corpus = generate(0.02)
    return TEXTS + [a.text for a in corpus.answers[:150]]


def _parts_word_by_word(r: SegmentReader) -> list[int]:
    """The parts of a reader, walked word by word (the reference for the sparse construction)."""
    r._structure()  # built on first use: a reader that gave only a scope may not have it yet
    pos, low, fin = r.pos, r.low, r.fin
    part = [0] * len(pos)
    pid, cur, verb_before = 0, None, False
    for k, i in enumerate(pos):
        c = r.clause[i]
        if c != cur:
            pid, cur, verb_before = pid + 1, c, False
        elif low[i] in COORD and verb_before:
            j, has = k + 1, False
            while j < len(pos) and r.clause[pos[j]] == c and low[pos[j]] not in COORD:
                has = has or fin[j]
                j += 1
            if has:
                pid, verb_before = pid + 1, False
        part[k] = pid
        verb_before = verb_before or fin[k]
    return part


def test_sparse_parts_equal_word_by_word_walk(texts, monkeypatch):
    readers: list[SegmentReader] = []

    class Kept(SegmentReader):  # a subclass: the compiled SegmentReader is an extension type
        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            readers.append(self)

    monkeypatch.setattr(tagger_module, "SegmentReader", Kept)
    Tagger(default_codebook()).tag_texts(texts)
    assert len(readers) > 200
    split = 0
    for r in readers:
        ref = _parts_word_by_word(r)
        assert r.part == ref, [r.low[i] for i in r.pos]
        assert r.members == {q: [k for k, p in enumerate(ref) if p == q] for q in set(ref)}
        split += len(set(ref)) > len({r.clause[i] for i in r.pos})
    assert split > 0  # some segments were split at a coordinator


def test_quantity_cues_memo_matches_direct_tests(texts):
    words = [w.lower() for t in texts for w in t.split()] + ["3", "länsgemensamt", "projekttiden", "pilotfasen"]
    ss._classify_words(frozenset(words))
    for w in set(words):
        assert (w in ss._QUANTITY_OPEN) == (w in ss._QUANTITY_FIRST or ss._number(w) is not None
                                            or w.startswith(ss._QUANTITY_PREFIXES))
        assert (w in ss._COMPOUND_SCOPE_WORDS) == (ss._compound_scope(w) is not None)
    assert ss.quantity_cues(["i", "alla", "kommuner", "och", "på", "två", "vårdcentraler"], range(7)) == [
        (1, ss.BROAD), (4, ss.PILOT), (5, ss.PILOT)]
    # positions map back to the caller's (only the words at the positions given are read)
    assert ss.quantity_cues(["x", "i", "alla", "kommuner", "och", "på", "två", "vårdcentraler"],
                            [1, 2, 3, 5, 6, 7]) == [(2, ss.BROAD), (5, ss.PILOT), (6, ss.PILOT)]


class _Never(set):
    """A set that never holds anything: every hit reads its own status and scope."""

    def __contains__(self, item) -> bool:
        return False

    def add(self, item) -> None:
        pass


def test_skipping_known_values_gives_the_same_output(texts, monkeypatch):
    reads = {"n": 0}

    class Counted(SegmentReader):  # a subclass: the compiled SegmentReader is an extension type
        def values(self, hs, he, *need):
            reads["n"] += 1
            return super().values(hs, he, *need)

    monkeypatch.setattr(tagger_module, "SegmentReader", Counted)
    fast = [json.dumps(r.to_json(), ensure_ascii=False) for r in Tagger(default_codebook()).tag_texts(texts)]
    fast_reads, reads["n"] = reads["n"], 0
    calls = {"n": 0}
    orig = Tagger._segment_evidence

    def every_hit(self, a, s, e, hits, dv, comp, known=None, **kw):
        calls["n"] += 1
        return orig(self, a, s, e, hits, dv, comp, (_Never(), _Never()), **kw)

    monkeypatch.setattr(Tagger, "_segment_evidence", every_hit)
    slow = [json.dumps(r.to_json(), ensure_ascii=False) for r in Tagger(default_codebook()).tag_texts(texts)]
    assert calls["n"] > 0
    assert slow == fast
    assert fast_reads < reads["n"]  # the skip was taken (and changed nothing)


def test_cold_caches_forgets_the_word_classes(texts):
    from bench.run import cold_caches

    tagger = Tagger(default_codebook())
    warm = [r.to_json() for r in tagger.tag_texts(texts[:40])]
    assert ss._WORD_BITS
    ss.quantity_cues(["i", "alla", "kommuner"], range(3))
    assert ss._SEEN_WORDS
    cold_caches()
    assert not ss._SEEN_WORDS and not ss._QUANTITY_OPEN and not ss._COMPOUND_SCOPE_WORDS and not ss._WORD_BITS
    assert not ss._NUMBER_MEMO and not ss._UNIT_MEMO and not ss._PEOPLE_MEMO
    assert [r.to_json() for r in Tagger(default_codebook()).tag_texts(texts[:40])] == warm


def _soft_clauses_word_by_word(r: SegmentReader, raw: list) -> list[int]:
    """Soft clause id per word, walked word by word from the negation clause ids ``raw``."""
    out, cur = [], 0
    for k, w in enumerate(r._lw):
        if k > 0 and raw[k] != raw[k - 1] and w not in ss.SOFT_BOUNDARIES and not (
                w == "som" and r._fw[k - 1] is not None):
            cur += 1
        out.append(cur)
    return out


def test_word_index_lookups_equal_plain_scans(texts, monkeypatch):
    """Soft clauses from the clause changes and hit spans found by bisect equal plain scans."""
    seen: list[tuple[SegmentReader, list]] = []

    class Kept(SegmentReader):  # a subclass: the compiled SegmentReader is an extension type
        def __init__(self, lowers, forms, is_word, clause, s, e, *a, **kw):
            super().__init__(lowers, forms, is_word, clause, s, e, *a, **kw)
            seen.append((self, [clause[i] for i in range(s, e) if is_word[i]]))

    monkeypatch.setattr(tagger_module, "SegmentReader", Kept)
    Tagger(default_codebook()).tag_texts(texts)
    assert len(seen) > 200
    multi = 0
    for r, raw in seen:
        r._structure()  # built on first use
        assert r._cl == _soft_clauses_word_by_word(r, raw)
        multi += len(set(r._cl)) > 1
        index = {p: k for k, p in enumerate(r.pos)}
        for hs, he, _ in r.hits:
            ks = [index[p] for p in range(hs, he) if p in index]
            if ks:
                assert r._hit_index(hs, he) == (ks[0], ks[-1])
    assert multi > 0
def _dump(results) -> list[str]:
    return [json.dumps(r.to_json(), ensure_ascii=False) for r in results]


def test_batches_through_one_tagger_with_release_equal_one_batch(texts):
    """Streaming texts through one Tagger in batches, dropping each batch's analysed state with
    ``release()`` (what ``cli.py tag`` does), gives the results of tagging them all at once."""
    whole = _dump(Tagger().tag_texts(texts))
    tagger = Tagger()
    streamed: list[str] = []
    for k in range(0, len(texts), 40):
        streamed += _dump(tagger.tag_texts(texts[k:k + 40]))
        assert len(tagger.analysed) == len(texts[k:k + 40]) and tagger.results is not None
        tagger.release()
        assert tagger.analysed == [] and tagger.results is None and tagger._batch is None
    assert streamed == whole


def test_probe_strings_are_distinct_and_cover_the_forms_affixes():
    """``probes`` lists each string once: the form, its stems, lemma, 3/4/5-letter affixes and the
    abbreviation key; an index tests it with ``probe_set.isdisjoint``."""
    from nlp.termmatch import probes, stems

    p = probes("Hemsjukvårdsteamen", "hemsjukvårdsteamen", "hemsjukvårdsteam")
    assert isinstance(p, tuple) and len(p) == len(set(p))
    assert set(stems("hemsjukvårdsteamen")) <= set(p)
    assert {"hemsjukvårdsteam", "hem", "hems", "men", "eamen", "A:Hemsjukvårdsteamen"} <= set(p)
    assert not frozenset({"team"}).isdisjoint(probes("teamen", "teamen", "team"))
    assert frozenset({"xyz"}).isdisjoint(p)


def test_plain_features_are_shared_and_equal_to_the_computed_fields():
    """A form that starts no term and carries no head or modifier gets one shared WordFeatures per
    (lower form, keys), whichever index computed it; its fields are those of the computation."""
    from nlp.termmatch import TermIndex, WordFeatures

    def lem(w: str) -> str:
        return {"bilarna": "bil"}.get(w.lower(), w.lower())

    def tok(t: str) -> list[str]:
        return t.split()

    a, b = TermIndex(lem, tok), TermIndex(lem, tok)
    a.add_phrase("mobila team", "kw", ("mobila_team", "keyword"))
    b.add_phrase("hälsosamtal", "kw", ("halsosamtal", "keyword"))
    fa, fb = a._compute("Bilarna", "bil"), b._compute("Bilarna", "bil")
    assert fa is fb
    assert fa == WordFeatures(keys=frozenset({"bilarna", "bil"}), lower="bilarna", first=())
    hit = a._compute("mobila", "mobil")
    assert hit.first and hit is not b._compute("mobila", "mobil")


def test_reading_one_value_equals_reading_both(texts, monkeypatch):
    """values() asked for only the status (only the scope) gives the status (scope) of a full read,
    also for a reader whose clause structure was never built."""
    seen: list[tuple[SegmentReader, int, int]] = []
    recording = [True]

    class Kept(SegmentReader):  # a subclass: the compiled SegmentReader is an extension type
        def values(self, hs, he, *need):
            if recording[0]:
                seen.append((self, hs, he))
            return super().values(hs, he, *need)

    monkeypatch.setattr(tagger_module, "SegmentReader", Kept)
    Tagger(default_codebook()).tag_texts(texts)
    recording[0] = False
    assert len(seen) > 200
    lazy = 0
    for r, hs, he in seen:
        if not r._built:
            lazy += 1
            scope_only = r.values(hs, he, False, True)
            assert not r._built or r.scope_cues  # no scope word: no structure needed
        else:
            scope_only = r.values(hs, he, False, True)
        status_only = r.values(hs, he, True, False)
        both = r.values(hs, he)
        assert scope_only == (ss.UNKNOWN, both[1])
        assert status_only == (both[0], ss.UNKNOWN)
    assert lazy > 0  # some readers gave only a scope without building their structure



def test_messy_test_once_per_form_for_the_three_indexes(texts, monkeypatch):
    """The messy-text test (``_may_read_messy``) runs once per new form, not once per index: the code,
    context and marker features of a batch share its answer, and the output is that of testing each
    form in each index."""
    calls = {"n": 0}
    orig = tagger_module._may_read_messy

    def counted(touch, low):
        calls["n"] += 1
        return orig(touch, low)

    monkeypatch.setattr(tagger_module, "_may_read_messy", counted)
    tagger = Tagger(default_codebook())
    once = _dump(tagger.tag_texts(texts))
    forms = len(tagger._batch[1])  # distinct forms of the batch, all new to this tagger's code index
    assert calls["n"] == forms
    plain = tagger_module.CompiledCodebook._feats

    def per_index(cache, mx, orths, lemmas, strings, touch=None, may_messy=None, bit=7):
        return plain(cache, mx, orths, lemmas, strings, touch, {}, bit)  # a fresh memo: the test per index

    monkeypatch.setattr(tagger_module.CompiledCodebook, "_feats", staticmethod(per_index))
    calls["n"] = 0
    assert _dump(Tagger(default_codebook()).tag_texts(texts)) == once
    assert calls["n"] >= 2 * forms  # codes and context (the marker features of the forms are shared, warm)


def test_word_classes_inline_tests_match_the_functions(texts):
    # _classify_words tests a new word inline; the sets must hold what the memoised functions say
    words = [w.lower() for t in texts for w in t.split()] + [
        "12", "123", "1234", "2025", "12a", "²", "٣", "٣٤", "1", "tre", "tjugoett", "ordinarie", "ordinarien",
        "projekt", "projektet", "pilot", "testbädden", "breddinförs", "permanentats", "försöksverksamheten", ""]
    ss._classify_words(frozenset(words))
    for w in set(words):
        assert (w in ss._QUANTITY_TRIGGER_WORDS) == (w in ss._QUANTITY_TRIGGERS or ss._quantity_word(w)), w
        assert (w in ss._QUANTITY_OPEN) == (w in ss._QUANTITY_FIRST or ss._number(w) is not None
                                            or w.startswith(ss._QUANTITY_PREFIXES)), w
        assert (w in ss._COMPOUND_SCOPE_WORDS) == (ss._compound_scope(w) is not None), w


def test_word_bits_are_the_word_classes_the_reader_tests(texts):
    # one int per word: each bit must say what the word-class test it replaces says
    words = [w.lower() for t in texts for w in t.split()] + [
        "12", "123", "1234", "2025", "12a", "²", "٣", "٣٤", "1", "tre", "tjugoett", "ordinarie", "ordinarien",
        "projekt", "projektet", "pilot", "testbädden", "breddinförs", "permanentats", "försöksverksamheten", "",
        "och", "samt", "eller", "att", "de", "sedan", "även", "som", "där", "fortsatt", "under", "håller", "ska",
        "skall", "efter", "ingen", "utan", "hela", "alla", "i", "på", "länsgemensamt", "pilotprojekt", "försöket",
        "testperioden", "provet", "provtagning", "test", "tester", "testbäddar", "uppbyggnad", "gång", "a b",
        "under uppbyggnad"]
    words += sorted(ss.ATTRIBUTIVE_BEFORE | ss.SOFT_BOUNDARIES | ss.ADJECTIVE_SUPINES | ss._QUANTITY_FIRST
                    | ss._QUANTITY_TRIGGERS | ss._PILOT_CANCELLERS | ss.COORD)
    ss._classify_words(frozenset(words))
    B = ss._BITS
    assert len(set(B.values())) == len(B) and all(v & (v - 1) == 0 for v in B.values())  # distinct single bits
    for w in set(words):
        got = {name for name, bit in B.items() if ss._word_bits(w) & bit}
        want = {name for name, has in (
            ("coord", w in COORD), ("not_fin", w == "att" or w in ss.ATTRIBUTIVE_BEFORE),
            ("attr", w in ss.ATTRIBUTIVE_BEFORE), ("soft", w in ss.SOFT_BOUNDARIES), ("som", w == "som"),
            ("rel", w in ("som", "där")), ("adj_sup", w in ss.ADJECTIVE_SUPINES), ("phrase", w in ss._PHRASE_STARTS),
            ("qtrig", w in ss._QUANTITY_TRIGGER_WORDS), ("qopen", w in ss._QUANTITY_OPEN),
            ("compound", w in ss._COMPOUND_SCOPE_WORDS), ("cancel", w in ss._PILOT_CANCELLERS),
            ("ska", w in ("ska", "skall")), ("pilot", ss._pilotish(w)), ("phrase2", w in ss._PHRASE_SECONDS),
            ("space", " " in w), ("prep", w in ss._PREPOSITIONS), ("few", w in ss._FEW_NOT_MORE)) if has}
        assert got == want, w
        assert ss._WORD_BITS[w] == ss._word_bits(w)


def test_word_arrays_of_one_pass_equal_the_compressed_lists():
    # _load_words (one pass over the tokens) against the lists the reader built before, on random stretches
    import random
    from itertools import compress

    rng = random.Random(33)
    vocab = ["och", "som", "har", "införts", "i", "alla", "kommuner", " ", "\n", ",", "ska", "pilot", "3", "där"]
    for _ in range(300):
        n = rng.randrange(0, 30)
        lowers = [rng.choice(vocab) for _ in range(n)]
        is_word = [w.strip() != "" for w in lowers]
        forms = [(w, "pres") if w in ("har", "ska") else None for w in lowers]
        clause = [rng.randrange(3) for _ in range(n)]
        s = rng.randrange(n + 1)
        e = rng.randrange(s, n + 1)
        pos, lw, fw, rc, wb, vk, seg = ss._load_words(lowers, forms, is_word, clause, s, e)
        m = is_word[s:e]
        assert pos == list(compress(range(s, e), m)) and lw == list(compress(lowers[s:e], m))
        assert fw == list(compress(forms[s:e], m)) and rc == list(compress(clause[s:e], m))
        assert wb == [ss._word_bits(w) for w in lw] and vk == [k for k, f in enumerate(fw) if f is not None]
        x = 0
        for b in wb:
            x |= b
        assert seg == x


def _alone(lowers, forms, is_word, clause, s, e, hits, status, scope) -> SegmentReader:
    """A reader over fresh copies of the tokens of [s, e) only (positions from 0): no word arrays or
    segment structures shared with any other reader."""
    return SegmentReader(list(lowers[s:e]), list(forms[s:e]), list(is_word[s:e]), list(clause[s:e]), 0, e - s,
                         [(a - s, b - s, c) for a, b, c in hits], [(p - s, v) for p, v in status],
                         [(p - s, v) for p, v in scope])


def test_readers_sharing_a_texts_words_read_as_readers_of_the_segment_alone(texts, monkeypatch):
    # the readers of one text share each segment's structure (built once per text and segment);
    # in any order, over the tagger's segments and over random stretches with random hits, every answer
    # equals that of a reader built from the segment's tokens alone
    import random

    made = []

    class Kept(SegmentReader):  # a subclass: the compiled SegmentReader is an extension type
        def __init__(self, lowers, forms, is_word, clause, s, e, hits=(), status_marks=(), scope_marks=(), *a, **kw):
            super().__init__(lowers, forms, is_word, clause, s, e, hits, status_marks, scope_marks, *a, **kw)
            made.append((lowers, forms, is_word, clause, s, e, list(self.hits), list(status_marks),
                         list(scope_marks)))

    monkeypatch.setattr(tagger_module, "SegmentReader", Kept)
    Tagger(default_codebook()).tag_texts(texts)
    monkeypatch.undo()
    assert len(made) > 200
    rng = random.Random(28)
    cases = list(made)
    for lowers, forms, is_word, clause, s, e, hits, st, sc in made[::3]:  # random stretches of the same texts
        n = len(is_word)
        a = rng.randrange(n)
        b = rng.randrange(a + 1, n + 1)
        spans = []
        for _ in range(rng.randrange(1, 4)):
            hs = rng.randrange(a, b)
            spans.append((hs, rng.randrange(hs + 1, min(b, hs + 3) + 1), rng.choice(("x", "y", "z"))))
        if not any(is_word[a:b]):  # a stretch of punctuation only: the tagger never reads one (hits are words)
            continue
        cases.append((lowers, forms, is_word, clause, a, b, spans, st, sc))
    cases += rng.sample(cases, len(cases) // 2)  # the same segments again: their structure is shared
    rng.shuffle(cases)
    by_text: dict = {}
    for case in cases:
        by_text.setdefault(id(case[2]), []).append(case)
    shared_structures = 0
    for group in by_text.values():
        # one text's readers one after the other (as the tagger makes them), then the readers alone
        readers = []
        for lowers, forms, is_word, clause, s, e, hits, st, sc in group:
            r = SegmentReader(lowers, forms, is_word, clause, s, e, hits, st, sc)
            shared_structures += (s, e) in r._doc.structures
            r._structure()
            readers.append(r)
        assert len({id(r._doc) for r in readers}) == 1
        for case, r in zip(group, readers):
            lowers, forms, is_word, clause, s, e, hits, st, sc = case
            ref = _alone(*case)
            assert r._lw == ref._lw and [p - s for p in r.pos] == ref.pos
            for hs, he, _ in hits:
                need = (rng.random() < 0.8, rng.random() < 0.8)
                assert r._own_values(hs, he, *need) == ref._own_values(hs - s, he - s, *need)
            assert r.scope_cues == ref.scope_cues
            assert r.opening() == ref.opening() and r.summary() == ref.summary()
            assert r.chains == ref.chains and r.part == ref.part and r.fin == ref.fin
    assert shared_structures > 100


def test_messy_bits_are_each_indexs_own_test(texts, monkeypatch):
    """``_may_read_messy`` gives a bit per index (1 codes, 2 context, 4 markers): exactly the indexes whose
    ``fallback_touch`` holds for the form, by the one automaton over their folded words and without it; an
    index reads by ``messy`` only the forms with its bit, and the output equals reading every form that
    touches any index (the earlier one-answer test)."""
    tagger = Tagger(default_codebook())
    once = _dump(tagger.tag_texts(texts))
    cc = tagger.compiled
    ixs = (cc.index, cc.context, cc.markers)
    auto = cc.messy_test()
    assert auto is not None and auto is not False
    lows = {f.lower for f in cc._feat_cache.values()}
    lows |= {"kvallsbesok", "vardplan", "forebyggande", "lakemedel", "samordnad", "hemtjanst", "x", "år"}
    mixed = 0
    for low in sorted(lows):
        want = sum(bit for bit, ix in zip((1, 2, 4), ixs) if ix.fallback_touch(low))
        assert tagger_module._may_read_messy(auto, low) == want, low
        assert tagger_module._may_read_messy(ixs, low) == want, low  # without the automaton library
        mixed += want not in (0, 7)
    assert mixed > 0  # some forms touch only some of the indexes

    def any_index(touch, low):  # the earlier test: one answer for the three indexes
        return 7 if orig(touch, low) else 0

    orig = tagger_module._may_read_messy
    monkeypatch.setattr(tagger_module, "_may_read_messy", any_index)
    assert _dump(Tagger(default_codebook()).tag_texts(texts)) == once
