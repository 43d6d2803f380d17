"""The status/scope reader with perf51's changes: word bits from one table of whole-word classes, a quantity scan
that skips prepositions not followed by a number or few word, binary searches as a typed loop
(first_at_least, nlp.positions).
Sentences written for these tests (kinds: several segments in one text, whitespace tokens between the words, words
first seen in a later segment, verbs, coordinators, quantities, pilot and breadth words); the reader must give what
the reference reader (tests/status_scope_reference.py) gives, and the slices what the one pass over a segment's
tokens gives."""
from __future__ import annotations

import random

from nlp import status_scope as ss
from nlp.markers import is_clause_boundary
from nlp.verbforms import verb_form
from tests import status_scope_reference as ref

TEXTS = [
    "Vi har infört trygg hemgång i alla kommuner. Mobila team planeras och ska starta nästa år.",
    "Arbetet med SIP pågår sedan 2021 , men det har inte spridits. Teamet drivs som pilotprojekt i två kommuner.",
    "Följande har införts : - samordnad vårdplanering - digitala möten - hemsjukvård i tre av fem kommuner",
    "Äldremottagningen startade som projekt och har sedan permanentats i hela länet . Den används av samtliga "
    "vårdcentraler.",
    "Kommunerna testar nu en ny modell , som startades efter en lyckad pilot . Ingen projektorganisation finns.",
    "Under hösten 2024 kommer regionen att utreda en gemensam mottagning. Den är under uppbyggnad.",
    "Läkarbilen körs på försök i en kommun och utvärderas under våren.",
    "",
    ". ,",
]
LEMMAS = {"infört": "införa", "planeras": "planera", "starta": "starta", "pågår": "pågå", "spridits": "sprida",
          "drivs": "driva", "införts": "införa", "startade": "starta", "permanentats": "permanenta",
          "används": "använda", "testar": "testa", "startades": "starta", "finns": "finnas", "kommer": "komma",
          "utreda": "utreda", "körs": "köra", "utvärderas": "utvärdera", "är": "vara", "har": "ha", "ska": "skola"}


def _token_lists(text: str) -> tuple:
    """(lowers, forms, is_word, clause) as the tagger passes them: a whitespace token after every word."""
    lowers: list = []
    is_word: list = []
    for w in text.split():
        lowers += [w.lower(), " "]
        is_word += [True, False]
    forms = [verb_form(w, LEMMAS.get(w, w)) if w.isalpha() and iw else None for w, iw in zip(lowers, is_word)]
    clause, c = [], 0
    for w in lowers:
        c += is_clause_boundary(w)
        clause.append(c)
    return lowers, forms, is_word, clause


def _segments(lowers: list) -> list:
    out, s = [], 0
    for i, w in enumerate(lowers):
        if w in (".", ":", "-"):
            out.append((s, i + 1))
            s = i + 1
    out.append((s, len(lowers)))
    return [(a, b) for a, b in out if b > a]


def test_segment_words_equal_the_one_pass_on_written_texts():
    for text in TEXTS:
        lowers, forms, is_word, clause = _token_lists(text)
        n = len(lowers)
        for first in (0, n):  # words first seen in the first or the last segment read
            ss._clear_word_classes()
            doc = ss._DocStructures(lowers, forms, is_word, clause)
            bounds = [(s, e) for s in range(n + 1) for e in range(s, n + 1)]
            if first:
                bounds.reverse()
            for s, e in bounds:
                assert ss._segment_words(doc, s, e) == ss._load_words(lowers, forms, is_word, clause, s, e), (text, s, e)


def test_reader_equals_the_reference_on_written_texts():
    for text in TEXTS:
        lowers, forms, is_word, clause = _token_lists(text)
        segs = _segments(lowers)
        for k, (s, e) in enumerate(reversed(segs)):  # the later segments of a text first
            ss._clear_word_classes()
            words = [i for i in range(s, e) if is_word[i]]
            hits = [(i, i + 1, "abc"[j % 3]) for j, i in enumerate(words[::2])]
            scope = [(i, ss.PILOT) for i in words if lowers[i].startswith("pilot")]
            status = [(i, ss.ONGOING) for i in words if lowers[i] == "pågår"]
            args = (lowers, forms, is_word, clause, s, e, hits, status, scope, lambda: (ss.DONE, ss.BROAD), None)
            new, old = ss.SegmentReader(*args), ref.SegmentReader(*args)
            for hs, he, _c in hits + [(s, s + 1, "x"), (max(s, e - 3), e, "y")]:
                for need in ((True, True), (True, False), (False, True)):
                    assert new.values(hs, he, *need) == old.values(hs, he, *need), (text, s, e, hs, he, need)
            new, old = ss.SegmentReader(*args), ref.SegmentReader(*args)
            assert (new.chains, new.scope_cues, new.summary(), new.opening(), new.fin, new.part, new.low,
                    new.forms) == (old.chains, old.scope_cues, old.summary(), old.opening(), old.fin, old.part,
                                   old.low, old.forms), (text, s, e)




def _word_bits_before(w: str) -> int:
    """_word_bits as it was before perf51 (a test per class), without the perf51 bits "prep" and "few"."""
    B = ss._BITS
    b = 0
    if w in ss.COORD:
        b |= B["coord"]
    if w in ss.ATTRIBUTIVE_BEFORE:
        b |= B["attr"] | B["not_fin"]
    elif w == "att":
        b |= B["not_fin"]
    if w in ss.SOFT_BOUNDARIES:
        b |= B["soft"]
    if w == "som":
        b |= B["som"] | B["rel"]
    elif w == "där":
        b |= B["rel"]
    if w in ss.ADJECTIVE_SUPINES:
        b |= B["adj_sup"]
    if w in ss._PHRASE_STARTS:
        b |= B["phrase"]
    if w in ss._PHRASE_SECONDS:
        b |= B["phrase2"]
    if " " in w:
        b |= B["space"]
    if w in ("ska", "skall"):
        b |= B["ska"]
    if w in ss._PILOT_CANCELLERS:
        b |= B["cancel"]
    digit = w[:1].isdigit()
    prefix = w.startswith(ss._QUANTITY_PREFIXES)
    if w in ss._QUANTITY_TRIGGERS or digit or prefix:
        b |= B["qtrig"]
    if w in ss._QUANTITY_FIRST or w in ss.NUMBER_WORDS or (digit and ss._DIGITS.match(w) is not None) or prefix:
        b |= B["qopen"]
    if w.startswith(ss._COMPOUND_PREFIXES):
        b |= B["compound"]
    if w[:1] in ("p", "f", "t") and ss._pilotish(w):
        b |= B["pilot"]
    return b


def test_word_bits_equal_the_tests_per_class():
    B = ss._BITS
    words = set(ss.COORD | ss.ATTRIBUTIVE_BEFORE | ss.SOFT_BOUNDARIES | ss.ADJECTIVE_SUPINES | ss._PHRASE_STARTS
                | ss._PHRASE_SECONDS | ss._PILOT_CANCELLERS | ss._QUANTITY_TRIGGERS | ss._QUANTITY_FIRST
                | set(ss.NUMBER_WORDS) | ss.FEW_WORDS | ss.ALL_WORDS)
    words |= {"att", "som", "där", "ska", "skall", "", " ", "i dag", "12", "1234", "3a", "80-åringar", "²",
              "länsgemensamt", "ordinarie", "regiongemensamma", "projekttiden", "pilotfasen", "breddinföras",
              "permanentats", "försöket", "testperiod", "provet", "tester", "pilot", "förstudie", "boende",
              "kommuner", "vårdcentral", "och", "inom", "på", "vid", "några", "ytterligare", "Ska", "ATT"}
    words |= {p + x for p in ss._QUANTITY_PREFIXES + ss._COMPOUND_PREFIXES for x in ("", "en", "a")}
    rng = random.Random(7)
    letters = "abdefiklmnoprstuvåäö1 "
    words |= {"".join(rng.choice(letters) for _ in range(rng.randint(1, 9))) for _ in range(3000)}
    for w in sorted(words):
        got = ss._word_bits(w)
        assert got & ~(B["prep"] | B["few"]) == _word_bits_before(w), w
        assert bool(got & B["prep"]) == (w in ss._PREPOSITIONS), w
        assert bool(got & B["few"]) == (w in ss._FEW_NOT_MORE), w
