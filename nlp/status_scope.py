"""Status and scope of a measure from the clause that carries it.

Status (planerad / pågående / genomförd / okänd) comes from the verb chain that governs the code's
words: the nearest finite verb before the words in their part of the clause, else the nearest
after ("Vi har infört SIP och planerar att starta mobila team": SIP genomförd, mobila team planerad).
A clause is split into parts at "och"/"samt"/"eller" when the part after the coordinator has its
own finite verb ("SIP används i alla kommuner och mobila team planeras").

- "ska", "skall", "kommer att", planning verbs (planera, avse, utreda, besluta att ...) -> planerad;
- "pågår", "håller på att", "under uppbyggnad", process verbs in the present ("testas", "införs",
  "byggs upp", "utvecklar", "arbetar med att"), "har påbörjat", "har inlett" -> pågående;
- perfect and past ("har införts", "startade", "genomfördes"), and the present of a running measure
  ("vi har", "finns", "används", "erbjuds") -> genomförd; a measure run as a pilot in the present
  ("testas", "prövas" with a pilot word) stays pågående;
- a start verb in the present ("startar", "öppnar") or a present verb with a planned time marker
  ("nästa år") -> planerad.

Scope (projekt/pilot / breddinförd / okänd) comes from marker words and quantities in the same part
(its continuation after "och" and a relative clause right after the words count too), else the
clause, else a clause of the sentence that carries no other code:

- breddinförd: "breddinförd", "ordinarie verksamhet", "permanentats", "i alla/samtliga kommuner",
  "hela länet", "de flesta vårdcentraler", and a count "k av n" units with k >= n/2;
- projekt/pilot: "projekt", "pilot", "försök", "testas", "i en/två/tre/fyra kommuner", "på en
  vårdcentral", and a count "k av n" with k < n/2.

A pilot word after "efter" ("breddinförts efter en lyckad pilot") or negated ("ingen
projektorganisation") does not count; words in a planned part ("ska nu spridas till hela länet")
count only when no current word is there; project and breadth words of the current parts: the
project word wins unless it lies in a past-tense part and the breadth word does not ("startade som
projekt och har permanentats i hela regionen" -> breddinförd).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Iterable, Optional, Sequence

from nlp import markers as mk
from nlp.positions import *  # noqa: F401,F403 - first_at_least (C inline in the compiled build: nlp/positions.pxd)
from nlp.verbforms import is_finite, verb_form

__all__ = ["passage_values", "SegmentReader", "quantity_cues", "NUMBER_WORDS", "ANAPHORS"]

PLANNED, ONGOING, DONE, UNKNOWN = "planerad", "pågående", "genomförd", mk.UNKNOWN
PILOT, BROAD = "projekt/pilot", "breddinförd"

PLAN_VERBS = frozenset({"planera", "avse", "tänka", "överväga", "utreda", "undersöka", "förbereda", "sikta",
                        "projektera", "diskutera"})
PROCESS_VERBS = frozenset({"pågå", "fortgå", "testa", "pröva", "prova", "utveckla", "bygga", "implementera",
                           "fortsätta", "utöka", "sprida", "upphandla", "påbörja", "inleda", "införa",
                           "initiera", "pilottesta", "utvärdera", "ta", "arbeta", "jobba"})
# verbs that talk about the text, or a need, not the measure: "X nämns i rapporten", "X behövs"
REPORT_VERBS = frozenset({"nämna", "omnämna", "beskriva", "lyfta", "redovisa", "framhålla", "efterfråga",
                          "behöva", "efterlysa", "önska", "nämnas", "beskrivas", "omnämnas", "kommentera"})
BEGIN_VERBS = frozenset({"påbörja", "inleda", "initiera", "börja"})
START_VERBS = frozenset({"starta", "öppna", "börja"})
TEST_VERBS = frozenset({"testa", "pröva", "prova", "pilottesta"})
WORK_VERBS = frozenset({"arbeta", "jobba"})
# words after which a past form is an adjective, not a verb ("de planerade insatserna")
ATTRIBUTIVE_BEFORE = frozenset({"en", "ett", "de", "den", "det", "dessa", "denna", "detta", "alla", "samtliga",
                                "för", "med", "i", "av", "till", "om", "på", "vid", "inom", "nya", "flera", "fler",
                                "våra", "vår", "vårt", "sina", "sin", "sitt", "deras", "dess", "många", "några",
                                "regionens", "kommunens", "länets", "särskilt", "särskilda", "mer", "mest", "mycket"})
RELATIVE_REACH = 7  # words after a measure within which a relative clause ("som ...") describes it
SOFT_BOUNDARIES = frozenset({"sedan", "även", "dessutom", "dock", "samtidigt", "emellertid", "däremot", "istället",
                             "trots"})
# words that open a sentence about the measure just named ("Arbetet drivs som pilotprojekt.")
ANAPHORS = frozenset({"arbetet", "teamet", "teamen", "verksamheten", "projektet", "satsningen", "insatsen",
                      "modellen", "arbetssättet", "mottagningen", "mottagningarna", "tjänsten", "detta", "dessa",
                      "metoden", "konceptet", "samarbetet", "piloten", "försöket", "testet", "enheten",
                      "programmet", "initiativet", "arbetsformen", "uppdraget"})
MONTHS = frozenset({"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
                    "oktober", "november", "december"})
SEASONS = frozenset({"hösten", "våren", "sommaren", "vintern", "höst", "vår", "sommar"})
# supine forms that alone are nearly always adjectives ("fortsatt stöd", "utökat ansvar")
ADJECTIVE_SUPINES = frozenset({"fortsatt", "utökat", "förstärkt", "ökat", "minskat", "samordnat", "riktat",
                               "utvecklat", "förbättrat", "specialiserat", "förlängt", "anpassat", "integrerat"})
SUBORDINATORS = frozenset({"när", "om", "då", "innan", "tills", "ifall", "förrän"})
# verbs of change: after "ska" they make a plan ("ska införas", "ska starta")
CHANGE_VERBS = frozenset({"införa", "starta", "öppna", "påbörja", "inrätta", "anställa", "utöka", "ta", "bygga",
                          "etablera", "utveckla", "breddinföra", "implementera", "genomföra", "testa", "pröva",
                          "upphandla", "utbilda", "sprida", "permanenta", "börja", "inleda", "skapa", "tillsätta",
                          "planera", "utreda", "utvärdera", "ersätta", "byta", "flytta", "avveckla", "bli",
                          "komma", "tas", "införas", "startas", "öppnas", "spridas", "vara"})
# words of a routine: "ska hållas inom 30 dagar", "ska alltid erbjudas", "ska vid behov"
NORMATIVE_CUES = frozenset({"inom", "alltid", "varje", "vid", "senast", "samtliga", "alla", "rutin", "rutinen",
                            "enligt"})
COORD = frozenset({"och", "samt", "eller"})
ONGOING_PHRASES = (("under", "uppbyggnad"), ("under", "införande"), ("under", "implementering"),
                   ("under", "utveckling"), ("under", "utbyggnad"), ("håller", "på"), ("i", "uppstartsfasen"),
                   ("i", "uppstartsfas"), ("under", "framtagande"), ("i", "gång", "att"))
_ONGOING_JOINED = tuple(" " + " ".join(ph) + " " for ph in ONGOING_PHRASES)  # as found in " "-joined words
PROJECTISH = ("projekt", "pilot", "försök", "arbetet", "testperiod", "förstudie", "utvecklingsarbete")

NUMBER_WORDS = {"en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8,
                "nio": 9, "tio": 10, "elva": 11, "tolv": 12, "tretton": 13, "fjorton": 14, "femton": 15,
                "sexton": 16, "sjutton": 17, "arton": 18, "nitton": 19, "tjugo": 20, "tjugoen": 21, "tjugoett": 21,
                "trettio": 30, "fyrtio": 40, "femtio": 50}
FEW_WORDS = frozenset({"några", "par", "fåtal", "enstaka", "ytterligare"})
UNIT_STEMS = ("kommun", "vårdcentral", "hälsocentral", "enhet", "boende", "skol", "område", "grupp", "mottagning",
              "distrikt", "länsdel", "kommundel", "avdelning", "klinik", "sjukhus", "verksamhet", "vårdenhet",
              "arbetsplats", "hemtjänst", "hemsjukvård", "förvaltning", "stadsdel", "region", "kontor",
              "mottagningar", "parter", "huvudmän", "boenden", "säbo", "vc", "hc")
UNIT_WORDS = frozenset({"län", "länen", "länet", "dem", "dessa"})
PEOPLE_ENDINGS = ("åringar", "patienter", "brukare", "invånare", "medarbetare", "sjuksköterskor", "elever",
                  "personal", "personalen", "anställda", "chefer", "läkare", "vårdtagare", "boende", "familjer")
PEOPLE_WORDS = frozenset({"personal", "äldre", "nyanlända", "barn", "unga"})
WHOLE_WORDS = frozenset({"länet", "regionen", "kommunen", "landstinget", "organisationen", "förvaltningen",
                         "verksamheten", "staden", "sverige", "landet", "hemtjänsten", "hemsjukvården", "länets"})
ALL_WORDS = frozenset({"alla", "samtliga", "varje", "all", "flertalet", "majoriteten", "flesta"})
_DIGITS = re.compile(r"^\d{1,3}$")


_QUANTITY_TRIGGERS = frozenset(ALL_WORDS | {"hela", "länets", "regionens", "kommunerna", "vårdcentralerna",
                                             "hälsocentralerna"} | set(NUMBER_WORDS) | FEW_WORDS)
_QUANTITY_PREFIXES = ("länsgemensam", "länsövergripande", "regiongemensam", "ordinarie")


_NO = object()  # a memo's "not computed yet" (None is a value of _number)
_NUMBER_MEMO: dict = {}  # _number per word seen (emptied with the word classes, as the memos below)
_MEMO_BOUND = 1 << 16  # a memo that reaches it is emptied (the lru_cache bound these memos replace)
_UNIT_MEMO: dict = {}
_PEOPLE_MEMO: dict = {}


def _number(low: str) -> Optional[int]:
    """The number a word spells ("tre", "12"; at most three digits), else None (memoised per word)."""
    got = _NUMBER_MEMO.get(low, _NO)
    if got is _NO:
        if len(_NUMBER_MEMO) >= _MEMO_BOUND:
            _NUMBER_MEMO.clear()
        got = _NUMBER_MEMO[low] = int(low) if _DIGITS.match(low) else NUMBER_WORDS.get(low)
    return got


def _pilotish(w: str) -> bool:
    """True for a word that says pilot or trial ("pilotprojekt", "försöket", "testperiod"), not "provtagning"."""
    return w.startswith(("pilot", "försöksverksamhet", "testbädd", "testperiod", "testverksamhet")) or w in (
        "försök", "försöket", "försöken", "test", "testet", "tester", "prov", "provet", "provperiod")


def _is_people(low: str) -> bool:
    got = _PEOPLE_MEMO.get(low)
    if got is None:
        if len(_PEOPLE_MEMO) >= _MEMO_BOUND:
            _PEOPLE_MEMO.clear()
        got = _PEOPLE_MEMO[low] = low.endswith(PEOPLE_ENDINGS) or low in PEOPLE_WORDS
    return got


def _is_unit(low: str) -> bool:
    got = _UNIT_MEMO.get(low)
    if got is None:
        got = low in UNIT_WORDS
        if not got:
            for u in UNIT_STEMS:
                if u in low:
                    got = True
                    break
        if len(_UNIT_MEMO) >= _MEMO_BOUND:
            _UNIT_MEMO.clear()
        _UNIT_MEMO[low] = got
    return got


# words that can open a quantity (besides numbers and the prefixes): every other word is skipped
_QUANTITY_FIRST = frozenset(ALL_WORDS | {"hela", "länets", "regionens", "kommunerna", "vårdcentralerna",
                                         "hälsocentralerna", "i", "på", "vid", "inom"})


@lru_cache(maxsize=1 << 16)
def _quantity_word(w: str) -> bool:
    """True for a word that may make a segment hold a quantity (a digit first, or a breadth prefix)."""
    return w[:1].isdigit() or w.startswith(_QUANTITY_PREFIXES)


_PILOT_COMPOUND_PREFIXES = ("projekt", "pilot", "försöksverksamhet", "testperiod", "testbädd")
_COMPOUND_PREFIXES = _PILOT_COMPOUND_PREFIXES + ("breddinför", "permanentat")  # words _compound_scope gives a scope


@lru_cache(maxsize=1 << 16)
def _compound_scope(w: str) -> Optional[str]:
    """Scope of a compound the marker list does not hold ("projekttiden", "pilotfasen", "breddinföras")."""
    if w.startswith(_PILOT_COMPOUND_PREFIXES):
        return PILOT
    if w.startswith("breddinför") or w.startswith("permanentat"):
        return BROAD
    return None


def quantity_cues(lowers: Sequence[str], positions: Sequence[int]) -> list[tuple[int, str]]:
    """(position, scope) for quantities of breadth among the word positions given (in order):
    "alla/samtliga (N) kommuner", "hela länet", "k av n kommuner" by its ratio, "i en/tre kommuner"."""
    w = [lowers[p] for p in positions]
    _classify_words(frozenset(w))
    opens = [k for k, low in enumerate(w) if low in _QUANTITY_OPEN]
    return [(positions[k], v) for k, v in _quantity_cues_in(w, opens)]


def _quantity_cues_in(w: list[str], opens: list) -> list[tuple[int, str]]:
    """:func:`quantity_cues` over a list of lower-case words: (word index, scope). ``opens`` lists, in
    order, (at least) every index of a word of ``w`` that can open a quantity (see :func:`_classify_words`)."""
    out: list[tuple[int, str]] = []
    for k in opens:  # no branch below can start at other words
        low = w[k]
        nxt = w[k + 1:k + 5]
        if low in _PREPOSITIONS:  # of the branches below only the last can take "i", "på", "vid", "inom"
            if nxt:
                _few_units(w, k, nxt, out)
            continue
        if low in ALL_WORDS:
            # alla (länets) (sju) kommunerna / samtliga vårdcentraler / alla 80-åringar / all personal
            ahead = []
            for x in nxt[:3]:
                if x in ("som", "utan", "med", "men", ","):
                    break
                ahead.append(x)
            found = False
            for x in ahead:
                if _is_unit(x) or _is_people(x):
                    found = True
                    break
            if found or (
                    low in ("alla", "samtliga") and k > 0 and w[k - 1] in ("i", "på", "vid", "av", "inom", "för")
                    and (not nxt or nxt[0] not in ("andra", "som", "fall", "tider"))):
                out.append((k, BROAD))
            continue
        if low == "hela" and nxt and nxt[0] in WHOLE_WORDS:
            out.append((k, BROAD))
            continue
        if low.startswith(("länsgemensam", "länsövergripande", "regiongemensam", "ordinarie")):
            out.append((k, BROAD))  # "ett länsgemensamt avtal", "i ordinarie vård"
            continue
        if low in ("länets", "regionens") and nxt and _is_unit(nxt[0]) and nxt[0].endswith(("er", "erna", "ar", "arna")) and not (
                k > 0 and (_number(w[k - 1]) or w[k - 1] in ("av", "några", "flera", "vissa"))):
            out.append((k, BROAD))  # "i länets kommuner" = all of them
            continue
        if low in ("kommunerna", "vårdcentralerna", "hälsocentralerna") and nxt[:1] == ["i"] and len(nxt) > 1 and (
                nxt[1] in ("länet", "regionen", "rss") or nxt[1].startswith("rss")) and not (
                k > 0 and (_number(w[k - 1]) or w[k - 1] in ("av", "några", "flera", "vissa"))):
            out.append((k, BROAD))
            continue
        num = _number(low)
        if num is not None and len(nxt) >= 3 and _is_unit(nxt[0]) and nxt[1] == "av" and _number(nxt[2]):
            tot = _number(nxt[2])  # fem kommuner av femton
            if num <= tot:
                out.append((k, BROAD if num * 2 >= tot else PILOT))
                continue
        if num is not None and len(nxt) >= 2 and nxt[0] == "av":
            # k av (länets) n (kommuner) / k av dem
            tot = _number(nxt[1]) if len(nxt) > 1 else None
            if tot is None and len(nxt) > 2:
                tot = _number(nxt[2])
            if tot and num <= tot:
                unit = False
                for x in nxt[1:4]:
                    if _is_unit(x):
                        unit = True
                        break
                if unit or k > 0 and w[k - 1] in ("i", "på", "vid"):
                    out.append((k, BROAD if num * 2 >= tot else PILOT))
                    continue
            if tot is None and nxt[1] in ("dem", "dessa"):
                out.append((k, PILOT))
                continue
        if num is not None and 2 <= num <= 4 and nxt and _is_unit(nxt[0]) and not (k > 0 and w[k - 1] in ALL_WORDS):
            out.append((k, PILOT))  # "Två kommuner har börjat ..."
            continue
    return out


# words that take away a pilot word within the three words before it ("efter en pilot", "ingen pilot")
_PILOT_CANCELLERS = frozenset({"efter", "ingen", "inget", "inga", "någon", "något", "utan"})
_PREPOSITIONS = frozenset({"i", "på", "vid", "inom"})
_FEW_NOT_MORE = FEW_WORDS - {"ytterligare"}


def _few_units(w: list[str], k: int, nxt: list[str], out: list) -> None:
    """A pilot cue at k for "i/på/vid/inom" + a few units ("i två kommuner", "på ett par vårdcentraler")."""
    j = 0
    if nxt[0] == "ett" and len(nxt) > 1 and nxt[1] in ("par", "fåtal"):
        j = 2
    elif nxt[0] in _FEW_NOT_MORE or (_number(nxt[0]) or 99) <= 4:
        j = 1
    if j and len(nxt) > j and nxt[j] != "av":  # "på fyra av sex boenden" is a ratio (below)
        rest = nxt[j:j + 2]
        if _is_unit(rest[0]) or (len(rest) > 1 and _is_unit(rest[1]) and not rest[0].isdigit()):
            out.append((k, PILOT))


# per distinct lower-case word (filled by _classify_words): words that make a segment worth a
# quantity scan, words that can open a quantity, compounds with a scope of their own
_SEEN_WORDS: set[str] = set()
_QUANTITY_TRIGGER_WORDS: set[str] = set()
_QUANTITY_OPEN: set[str] = set()
_COMPOUND_SCOPE_WORDS: set[str] = set()


def _classify_words(words: frozenset) -> None:
    """Sort the words not seen before into the per-word sets above (each word is tested once)."""
    new = words - _SEEN_WORDS
    if not new:
        return
    for w in new:
        # the tests of _quantity_word, _number and _compound_scope, inline (each word is new here: no memo
        # of those functions would answer); a digit string of _DIGITS starts with a digit
        digit = w[:1].isdigit()
        if w in _QUANTITY_TRIGGERS or digit or w.startswith(_QUANTITY_PREFIXES):
            _QUANTITY_TRIGGER_WORDS.add(w)
        if (w in _QUANTITY_FIRST or w in NUMBER_WORDS or (digit and _DIGITS.match(w) is not None)
                or w.startswith(_QUANTITY_PREFIXES)):
            _QUANTITY_OPEN.add(w)
        if w.startswith(_COMPOUND_PREFIXES):
            _COMPOUND_SCOPE_WORDS.add(w)
    _SEEN_WORDS.update(new)


def _clear_word_classes() -> None:
    """Forget the per-word classes (a cold start, as for the lru caches)."""
    for s in (_SEEN_WORDS, _QUANTITY_TRIGGER_WORDS, _QUANTITY_OPEN, _COMPOUND_SCOPE_WORDS, _WORD_BITS,
              _NUMBER_MEMO, _UNIT_MEMO, _PEOPLE_MEMO):
        s.clear()


_classify_words.cache_clear = _clear_word_classes  # type: ignore[attr-defined]


_PHRASE_STARTS = frozenset(ph[0] for ph in ONGOING_PHRASES)  # first words of the ongoing phrases
_PHRASE_SECONDS = frozenset(ph[1] for ph in ONGOING_PHRASES)  # their second words
_FINITE_CLASS: dict = {}  # verb form class -> is_finite(class) (a handful of classes)


def _finite_class(cls: str) -> bool:
    got = _FINITE_CLASS.get(cls)
    if got is None:
        got = _FINITE_CLASS[cls] = is_finite(cls)
    return got


# Word classes the reader tests, as bits of one int per distinct lower-case word (computed once per word, see
# _word_bits): a segment's words become a list of ints, and a class test is a bit test, not a string lookup.
_B_COORD = 1  # COORD: "och", "samt", "eller"
_B_NOT_FIN = 2  # "att" or ATTRIBUTIVE_BEFORE: a verb form right after it is no finite verb (see _finite)
_B_ATTR = 4  # ATTRIBUTIVE_BEFORE
_B_SOFT = 8  # SOFT_BOUNDARIES
_B_SOM = 16  # "som"
_B_REL = 32  # "som", "där": opens a relative clause
_B_ADJ_SUP = 64  # ADJECTIVE_SUPINES
_B_PHRASE = 128  # first word of an ongoing phrase (_PHRASE_STARTS)
_B_QTRIG = 256  # may make a segment hold a quantity (see _classify_words)
_B_QOPEN = 512  # may open a quantity
_B_COMPOUND = 1024  # a compound with a scope of its own (_compound_scope)
_B_CANCEL = 2048  # _PILOT_CANCELLERS
_B_SKA = 4096  # "ska", "skall"
_B_PILOT = 8192  # _pilotish: a word that says pilot or trial
_B_PHRASE2 = 16384  # second word of an ongoing phrase (_PHRASE_SECONDS)
_B_SPACE = 32768  # a word holding a space (the " "-joined words of _has_phrase are not then whole words)
_WORD_BITS: dict = {}  # lower-case word -> its bits (emptied with the word classes)
_BITS = {"coord": _B_COORD, "not_fin": _B_NOT_FIN, "attr": _B_ATTR, "soft": _B_SOFT, "som": _B_SOM, "rel": _B_REL,
         "adj_sup": _B_ADJ_SUP, "phrase": _B_PHRASE, "qtrig": _B_QTRIG, "qopen": _B_QOPEN, "compound": _B_COMPOUND,
         "cancel": _B_CANCEL, "ska": _B_SKA, "pilot": _B_PILOT, "phrase2": _B_PHRASE2, "space": _B_SPACE}  # the bits by name (for tests: the C constants of a build are not attributes)


_B_PREP = 65536  # _PREPOSITIONS: "i", "på", "vid", "inom" (a quantity opened by one needs a number or few word next)
_B_FEW = 131072  # _FEW_NOT_MORE: "några", "par", "fåtal", "enstaka"
_BITS["prep"] = _B_PREP
_BITS["few"] = _B_FEW

# the bits of the classes that are sets of whole words, per word of those sets (one dict lookup per new word)
_EXACT_BITS: dict = {}
for _words, _b in ((COORD, _B_COORD), (ATTRIBUTIVE_BEFORE, _B_ATTR | _B_NOT_FIN), (("att",), _B_NOT_FIN),
                   (SOFT_BOUNDARIES, _B_SOFT), (("som",), _B_SOM | _B_REL), (("där",), _B_REL),
                   (ADJECTIVE_SUPINES, _B_ADJ_SUP), (_PHRASE_STARTS, _B_PHRASE), (_PHRASE_SECONDS, _B_PHRASE2),
                   (("ska", "skall"), _B_SKA), (_PILOT_CANCELLERS, _B_CANCEL), (_QUANTITY_TRIGGERS, _B_QTRIG),
                   (_QUANTITY_FIRST, _B_QOPEN), (tuple(NUMBER_WORDS), _B_QOPEN), (_PREPOSITIONS, _B_PREP),
                   (_FEW_NOT_MORE, _B_FEW)):
    for _w in _words:
        _EXACT_BITS[_w] = _EXACT_BITS.get(_w, 0) | _b
del _words, _b, _w
# first letters of the prefixes tested below (a word starting otherwise has none of them)
_QUANTITY_PREFIX_FIRST = frozenset(x[0] for x in _QUANTITY_PREFIXES)
_COMPOUND_PREFIX_FIRST = frozenset(x[0] for x in _COMPOUND_PREFIXES)


def _word_bits(w: str) -> int:
    """The word-class bits of a lower-case word (memoised in _WORD_BITS)."""
    got = _EXACT_BITS.get(w)
    b = 0 if got is None else got
    if " " in w:
        b |= _B_SPACE
    c = w[:1]
    digit = c.isdigit()
    prefix = c in _QUANTITY_PREFIX_FIRST and w.startswith(_QUANTITY_PREFIXES)
    # the tests of _classify_words (the same classes as its three sets; the whole words are in _EXACT_BITS)
    if digit or prefix:
        b |= _B_QTRIG
    if (digit and _DIGITS.match(w) is not None) or prefix:
        b |= _B_QOPEN
    if c in _COMPOUND_PREFIX_FIRST and w.startswith(_COMPOUND_PREFIXES):
        b |= _B_COMPOUND
    if c in ("p", "f", "t") and _pilotish(w):  # every word _pilotish accepts starts so
        b |= _B_PILOT
    _WORD_BITS[w] = b
    return b


def _load_words(lowers: Sequence[str], forms: Sequence, is_word: Sequence[bool], clause: Sequence[int],
                s: int, e: int) -> tuple:
    """One pass over the tokens [s, e) of a text: per word (in order) its token position, lower-case form,
    verb form, clause id and word-class bits; the word indices with a verb form; the bits of all words or'ed."""
    pos: list = []
    lw: list = []
    fw: list = []
    rc: list = []
    wb: list = []
    vk: list = []
    bits = _WORD_BITS
    seg = 0
    k = 0
    for i in range(s, e):
        if is_word[i]:
            w = lowers[i]
            got = bits.get(w)
            if got is None:
                b = _word_bits(w)
            else:
                b = got
            f = forms[i]
            pos.append(i)
            lw.append(w)
            fw.append(f)
            rc.append(clause[i])
            wb.append(b)
            seg |= b
            if f is not None:
                vk.append(k)
            k += 1
    return pos, lw, fw, rc, wb, vk, seg


def _any_true(flags: list, a: int, b: int) -> bool:
    """``any(flags[a:b])`` for 0 <= a and b <= len(flags), without the slice."""
    for j in range(a, b):
        if flags[j]:
            return True
    return False


def _cancelled(wb: list, k: int) -> bool:
    """True when one of the three words before word k takes away a pilot word ("efter en pilot")."""
    for j in range(max(0, k - 3), k):
        b = wb[j]
        if b & _B_CANCEL:
            return True
    return False


class _DocStructures:
    """The structure of each segment of one text read so far (see :meth:`SegmentReader._structure`),
    by (start, end): the readers of one segment (its code hits, the follow-up sentence of the segment
    before it, a list's lead-in check) build it once. ``words`` are the text's word arrays (see
    :func:`_text_words`), read once for all its segments."""

    __slots__ = ("src", "structures", "words")

    def __init__(self, lowers: Sequence[str], forms: Sequence, is_word: Sequence[bool], clause: Sequence[int]):
        self.src = (lowers, forms, is_word, clause, len(is_word))
        self.structures: dict = {}
        self.words: Optional[tuple] = None


def _text_words(doc: _DocStructures) -> tuple:
    """(token position, lower-case form, verb form, clause id) of every word of the text, in order, as four
    lists: read once per text, each segment's reader takes a slice of them."""
    got = doc.words
    if got is None:
        lowers, forms, is_word, clause, n = doc.src
        tpos: list = []
        tlw: list = []
        tfw: list = []
        trc: list = []
        for i in range(n):  # typed in the build: C indices, no boxing
            if is_word[i]:
                tpos.append(i)
                tlw.append(lowers[i])
                tfw.append(forms[i])
                trc.append(clause[i])
        got = doc.words = (tlw, tfw, trc, tpos)
    return got


def _segment_words(doc: _DocStructures, s: int, e: int) -> tuple:
    """What :func:`_load_words` gives for the tokens [s, e) of the text, sliced from the text's word arrays:
    per word its token position, lower-case form, verb form, clause id and word-class bits; the word indices
    with a verb form; the bits of all the segment's words or'ed."""
    tlw, tfw, trc, tpos = _text_words(doc)
    w0 = first_at_least(tpos, s, 0)
    w1 = first_at_least(tpos, e, w0)
    lw = tlw[w0:w1]
    fw = tfw[w0:w1]
    wb: list = []
    vk: list = []
    bits = _WORD_BITS
    seg = 0
    for k in range(w1 - w0):
        w = lw[k]
        got = bits.get(w)
        if got is None:
            got = _word_bits(w)
        b = got
        wb.append(got)
        seg |= b
        if fw[k] is not None:
            vk.append(k)
    return tpos[w0:w1], lw, fw, trc[w0:w1], wb, vk, seg


_LAST_DOC: list = [None]  # the _DocStructures of the last text read (its token lists held: never a stale id)


def _doc_structures(lowers: Sequence[str], forms: Sequence, is_word: Sequence[bool],
                    clause: Sequence[int]) -> _DocStructures:
    """The segment structures of the text whose token lists these are: the last text's when they are the
    very same list objects (the tagger passes one text's cached lists to all its segments' readers), else
    a new, empty store. The token lists of a text are never changed once read."""
    doc = _LAST_DOC[0]
    if doc is not None:
        src = doc.src
        if src[2] is is_word and src[0] is lowers and src[1] is forms and src[3] is clause and src[4] == len(is_word):
            return doc
    doc = _LAST_DOC[0] = _DocStructures(lowers, forms, is_word, clause)
    return doc


class SegmentReader:
    """Status and scope for code words of one segment (sentence or list item).

    ``lowers[i]`` is the lower-case form of token i (positions of the whole text), ``forms[i]`` its
    verb form (:func:`nlp.verbforms.verb_form`, or None), ``is_word[i]`` tells words from whitespace, ``clause[i]`` is the clause id used for negation,
    [s, e) is the segment, ``hits`` the (start, end, code) of every code hit in it, ``status_marks`` and
    ``scope_marks`` the (position, value) of marker phrases (codebook + built in). ``lead_in`` gives
    the (status, scope) of a lead-in sentence ending in ':' before the segment, if any.
    """

    def __init__(self, lowers: Sequence[str], forms: Sequence[Optional[tuple[str, str]]], is_word: Sequence[bool],
                 clause: Sequence[int], s: int, e: int, hits: Iterable[tuple[int, int, str]] = (),
                 status_marks: Sequence[tuple[int, str]] = (), scope_marks: Sequence[tuple[int, str]] = (),
                 lead_in: Optional[Callable[[], Optional[tuple[str, str]]]] = None,
                 follow: Optional[Callable[[], Optional[tuple[str, str]]]] = None):
        self.s, self.e = s, e
        if not hits:
            self.hits = []
        elif type(hits) is list and len(hits) == 1:
            self.hits = [hits[0]]  # what sorted(set(hits)) gives for one hit
        else:
            self.hits = sorted(set(hits))
        self._lead_in = lead_in
        self._follow = follow
        self._hit_memo: dict = {}
        # per word index: token position, lower-case form, verb form (or None), negation clause id, word-class
        # bits; the word indices with a verb form; the bits of all the segment's words
        self._doc = _doc_structures(lowers, forms, is_word, clause)
        (self.pos, self._lw, self._fw, self._raw_clause, self._wb, self._vk,
         self._seg) = _segment_words(self._doc, s, e)
        self._built = False  # see _structure
        self.status_marks = [(p, v) for p, v in status_marks if s <= p < e]
        self._scope_marks = scope_marks
        self._cues: Optional[list] = None

    def _structure(self) -> None:
        """Soft clauses, parts and verb chains of the segment, built on first use: a reader whose code
        words need only a scope and that holds no scope word never needs them."""
        if self._built:
            return
        self._built = True
        # the structure depends on the segment's words only: the readers of one segment of a text (its
        # code hits, the follow-up sentence of the segment before it, a list's lead-in check) share it
        key = (self.s, self.e)
        got = self._doc.structures.get(key)
        if got is not None:
            (self._cl, self._cl_starts, self.fin, self.part, self._edges, self.part_clause, self._words_of,
             self._ongoing_part, self._chain_list, self._chains_of) = got
            return
        self._cl, self._cl_starts = _soft_clauses(self._wb, self._fw, self._raw_clause)
        self._parts()
        self._chains()
        self._doc.structures[key] = (self._cl, self._cl_starts, self.fin, self.part, self._edges, self.part_clause,
                                     self._words_of, self._ongoing_part, self._chain_list, self._chains_of)

    @property
    def chains(self) -> list[tuple[int, str]]:
        """(word index, status) of every verb chain of the segment, in word order."""
        self._structure()
        return self._chain_list

    @property
    def members(self) -> dict[int, list[int]]:
        """Part -> its word indices (for tests and reading; the reader itself uses the part edges)."""
        self._structure()
        edges = self._edges
        return {q: list(range(edges[q - 1], edges[q])) for q in range(1, len(edges))}

    @property
    def low(self) -> dict[int, str]:
        """Lower-case form by token position (the words of the segment)."""
        return dict(zip(self.pos, self._lw))

    @property
    def clause(self) -> dict[int, int]:
        """Clause id by token position (see :func:`_soft_clauses`)."""
        self._structure()
        return dict(zip(self.pos, self._cl))

    @property
    def forms(self) -> dict[int, tuple[str, str]]:
        """Verb form by token position, for the words that have one."""
        return {self.pos[k]: self._fw[k] for k in self._vk}

    def _word_at(self, p: int) -> Optional[int]:
        """Word index of token position p, or None when p is no word of the segment."""
        pos = self.pos
        k = first_at_least(pos, p, 0)
        return k if k < len(pos) and pos[k] == p else None

    @classmethod
    def of_words(cls, words: Sequence[str], lemmas: Sequence[str], **kw) -> "SegmentReader":
        """A reader over a plain list of words (one clause per punctuation mark / clause word)."""
        from nlp.markers import is_clause_boundary

        lowers = [w.lower() for w in words]
        forms = [verb_form(w, l) if w.isalpha() else None for w, l in zip(lowers, lemmas)]
        clause, c = [], 0
        for w in lowers:
            c += is_clause_boundary(w)
            clause.append(c)
        return cls(lowers, forms, [True] * len(words), clause, 0, len(words), **kw)

    @property
    def scope_cues(self) -> list[tuple[int, str]]:
        """(word index, scope) of the scope words of the segment (computed on first use)."""
        return self._all_cues()

    def _all_cues(self) -> list:
        """:attr:`scope_cues` (a method: the reader's own calls are C calls in the build, not attribute reads)."""
        got = self._cues
        if got is None:
            got = self._cues = self._scope_cues(self._scope_marks)
        return got

    # ------------------------------------------------------------------ structure
    def _finite(self, k: int) -> bool:
        """True when the word at index k (of self.pos) is a finite verb in its context."""
        fw = self._fw
        vf = fw[k]
        if vf is None:
            return False
        cls = vf[1]
        if cls == "inf_pass":
            for p in self._lw[max(0, k - 3):k]:
                if p in ("att", "ska", "skall", "kan", "kommer", "måste", "bör", "skulle", "vill", "får"):
                    return False
            return True
        if k > 0 and cls not in ("modal", "modal_pres", "modal_past"):
            b = self._wb[k - 1]
            if b & _B_NOT_FIN:  # "att" or ATTRIBUTIVE_BEFORE
                return False  # "att införa", "de planerade insatserna", "för riktade hälsosamtal"
            pv = fw[k - 1]
            if cls.startswith("past") and pv is not None and pv[1] in ("inf", "sup"):
                return False  # "genomföra riktade hälsosamtal"
        return _finite_class(cls)

    def _parts(self) -> None:
        """Part id per word index: clauses split at coordinators whose part has a finite verb.

        Parts are runs of consecutive words: a new part starts where the clause changes and at a
        coordinator when the part so far and the stretch after it (to the next coordinator or the
        clause's end) each hold a finite verb. Part q (1, 2, ...) is the words [edges[q - 1], edges[q])."""
        lw = self._lw
        n = len(lw)
        fin = [False] * n
        vk = self._vk
        any_fin = False
        for i in range(len(vk)):  # a word without a verb form is never finite: no call for it
            k = vk[i]
            if self._finite(k):
                fin[k] = True
                any_fin = True
        self.fin = fin
        cl = self._cl  # clause id per word index
        starts = self._cl_starts  # word indices where the clause changes (increasing, in [1, n))
        if any_fin and self._seg & _B_COORD:
            wb = self._wb
            coords = []
            for k in range(n):
                b = wb[k]
                if b & _B_COORD:
                    coords.append(k)
            # coordinators that open a part of their own (same walk as word by word, on the sparse events)
            extra = []
            nstarts = len(starts)
            part_start = 0
            r_i = 0  # the clause holding k starts at run_start (0, then starts[r_i - 1])
            run_start = 0
            ncoords = len(coords)
            for ci in range(ncoords):
                k = coords[ci]
                # the part holding k starts at the latest of its clause start and the last split
                while r_i < nstarts and starts[r_i] <= k:
                    run_start = starts[r_i]
                    r_i += 1
                if run_start > part_start:
                    part_start = run_start
                if k == run_start:
                    continue  # the first word of a clause starts a part anyway
                if not _any_true(fin, part_start, k):
                    continue
                stop = starts[r_i] if r_i < nstarts else n  # the end of k's clause
                if ci + 1 < ncoords and coords[ci + 1] < stop:
                    stop = coords[ci + 1]
                if _any_true(fin, k + 1, stop):
                    extra.append(k)
                    part_start = k
            if extra:
                starts = sorted(starts + extra)
        part: list = []
        part_clause: dict = {}
        if not starts and n:  # one part: the whole segment
            part = [1] * n
            edges = [0, n]
            part_clause[1] = cl[0]
        elif n:
            edges = [0] + starts
            edges.append(n)
            lo = 0
            for q in range(1, len(edges)):  # no part is empty: the starts increase within [1, n)
                hi = edges[q]
                part.extend([q] * (hi - lo))
                part_clause[q] = cl[lo]
                lo = hi
        else:
            edges = [0]
        self.part = part
        self._edges = edges  # part q is the word indices [edges[q - 1], edges[q])
        self.part_clause = part_clause  # part -> clause id (its keys are the parts)
        self._words_of: dict[int, list[str]] = {}
        self._ongoing_part: dict[int, bool] = {}  # part -> holds an ongoing phrase ("under uppbyggnad")

    def _chains(self) -> None:
        """(word index, status) of every verb chain: a finite verb with its auxiliaries' complements,
        and a bare supine ("som införts", "(infört i alla kommuner)")."""
        lw, fw, part, fin, wb = self._lw, self._fw, self.part, self.fin, self._wb
        chains: list[tuple[int, str]] = []
        used: set[int] = set()
        for k in self._vk:  # only words with a verb form can open a chain (in word order)
            if k in used:
                continue
            if fin[k]:
                st, took = self._chain_status(k)
                used.update(took)
                if st == PLANNED and wb[k] & _B_SKA and self._in_subordinate(k):
                    continue  # "... när patienten ska skrivas ut": a circumstance, not a plan
                chains.append((k, st))
            elif (fw[k][1] == "sup" and not wb[k] & _B_ADJ_SUP
                  and not (k > 0 and (wb[k - 1] & _B_ATTR
                                      or (fw[k - 1] or ("", ""))[1] in ("inf", "sup")))):
                chains.append((k, self._supine_status(k, fw[k][0])))
        self._chain_list = chains
        by_part: dict[int, list[tuple[int, str]]] = {}
        for c in chains:
            by_part.setdefault(part[c[0]], []).append(c)
        self._chains_of = by_part  # part -> its chains, in word order

    def _in_subordinate(self, k: int) -> bool:
        """True when word k lies in a clause opened by "när", "om", "då", "innan", "tills", "ifall"."""
        cl, lw = self._cl, self._lw
        c = cl[k]
        j = k
        while j > 0 and cl[j - 1] == c:
            j -= 1
        first = lw[j]
        if first in (",", "och") and j + 1 < len(lw):
            first = lw[j + 1]
        return first in SUBORDINATORS

    def _ahead_end(self, k: int, n: int) -> int:
        """The end j of the word indices [k + 1, j) after k in the same part (at most n of them)."""
        part = self.part
        q = part[k]
        stop = len(part)
        if k + 1 + n < stop:
            stop = k + 1 + n
        j = k + 1
        while j < stop and part[j] == q:
            j += 1
        return j

    def _ahead(self, k: int, n: int) -> list[int]:
        """Word indices after k in the same part (at most n)."""
        return list(range(k + 1, self._ahead_end(k, n)))

    def _part_words_after(self, k: int, n: int) -> list[str]:
        return self._lw[k + 1:self._ahead_end(k, n)]

    def _part_words(self, k: int) -> list[str]:
        p = self.part[k]
        got = self._words_of.get(p)
        if got is None:
            edges = self._edges
            got = self._words_of[p] = self._lw[edges[p - 1]:edges[p]]
        return got

    def _projectish(self, k: int) -> bool:
        for w in self._part_words(k):
            if w.startswith(PROJECTISH):
                return True
        return False

    def _supine_status(self, k: int, lem: str) -> str:
        if lem in BEGIN_VERBS or lem in ("fortsätta",):
            return ONGOING
        if lem in PLAN_VERBS or lem == "besluta" and self._next_is(k, ("att", "om")):
            return PLANNED
        if lem == "starta" and self._projectish(k):
            return ONGOING
        return DONE

    def _next_is(self, k: int, words: tuple) -> bool:
        return self._ahead_end(k, 1) > k + 1 and self._lw[k + 1] in words

    def _chain_status(self, k: int) -> tuple[str, set]:
        """Status of the chain whose finite verb is word k, and the word indices it took."""
        lw, fw = self._lw, self._fw
        w = lw[k]
        lem, cls = fw[k]
        je = self._ahead_end(k, 4)  # the words [k + 1, je) ahead in the part
        aw = lw[k + 1:je]
        if w in ("ska", "skall"):
            # "ska införas" is a plan; "en SIP ska hållas inom 30 dagar" is a routine in place
            nxt_verbs = [fw[j][0] for j in range(k + 1, je) if fw[j] is not None]
            if nxt_verbs and nxt_verbs[0] not in CHANGE_VERBS and not self._future_time(k):
                for x in self._part_words(k):
                    if x in NORMATIVE_CUES:
                        return DONE, {k}
            return PLANNED, {k}
        if w == "skulle" or lem in REPORT_VERBS:
            return UNKNOWN, {k}
        if lem == "komma" and "att" in self._part_words_after(k, 6):
            return PLANNED, {k}  # "kommer att", "kommer ett försök ... att starta"
        if lem == "hålla" and aw[:1] == ["på"]:
            return ONGOING, {k}
        if lem in PLAN_VERBS:
            return PLANNED, {k}
        if lem == "besluta" and aw[:1] in (["att"], ["om"]):
            return PLANNED, {k}
        if lem in ("ha",) or (lem in ("vara", "bli") and not cls.startswith("past")):
            # perfect: har/hade + supine within the next words (V2: "har regionen infört")
            for j in range(k + 1, je):
                vf = fw[j]
                if vf is None:
                    continue
                if vf[1] == "sup" or (lem in ("vara", "bli") and vf[1] == "past" and j == k + 1):
                    if lem == "ha":
                        if vf[0] == "besluta" and self._next_is(j, ("att", "om")):
                            return PLANNED, {k, j}
                        if vf[0] in PLAN_VERBS:
                            return PLANNED, {k, j}
                        if vf[0] == "börja":
                            return ONGOING, {k, j}
                        return self._supine_status(j, vf[0]), {k, j}
                    # är/blir + participle: "är införd", "är planerad", "är påbörjat"
                    return self._supine_status(j, vf[0]), {k, j}
                if _finite_class(vf[1]):
                    break
            if lem in ("vara", "bli"):
                if self._has_phrase(k + 1, je, ONGOING_PHRASES):
                    return ONGOING, {k}
                return DONE, {k}
            return DONE, {k}
        if lem in ("vara", "bli"):
            return DONE, {k}
        if lem in WORK_VERBS:
            # "arbetar med X" is work in progress (the codebook's pågående marker); "arbetar som", "arbetar i" not
            if aw[:1] in (["med"], ["vidare"], ["på"]) or aw[:2] in (["fortfarande", "med"], ["nu", "med"]):
                return ONGOING, {k}
            return DONE, {k}
        present = cls.startswith("pres") or cls == "inf_pass"
        if lem in START_VERBS:
            if present:
                # "startar i januari": a start in the present speaks of the future when a time is given;
                # "planeringen startar vid inskrivning" is a routine in place
                return (PLANNED if self._future_time(k) else DONE), {k}
            if lem == "börja" or self._projectish(k):
                return ONGOING, {k}  # "en pilot har startat", "arbetet startade": under way, not said to be over
            return DONE, {k}
        if lem in BEGIN_VERBS:
            return ONGOING, {k}
        if present and lem in PROCESS_VERBS:
            if lem == "ta" and "fram" not in aw[:2]:
                return DONE, {k}
            return ONGOING, {k}
        if present and lem not in ("ha", "finnas") and self._pilot_in_part(k):
            return ONGOING, {k}
        return DONE, {k}

    def _future_time(self, k: int) -> bool:
        """True when the part of word k names a time ahead: a month, a season, "nästa år", a year."""
        words = self._part_words(k)
        for a, w in enumerate(words):
            if w in MONTHS or w in ("nästa", "snart", "kort", "årsskiftet") or (
                    w in SEASONS and a > 0 and words[a - 1] in ("till", "under", "i", "efter")):
                return True
            if w.isdigit() and len(w) == 4 and a > 0 and words[a - 1] in ("i", "under", "till", "inför", "från", "år"):
                return True
        return False

    def _pilot_in_part(self, k: int) -> bool:
        """True when a word of word k's part says pilot or trial (see _pilotish)."""
        if not self._seg & _B_PILOT:
            return False
        wb, edges = self._wb, self._edges
        p = self.part[k]
        for j in range(edges[p - 1], edges[p]):
            b = wb[j]
            if b & _B_PILOT:
                return True
        return False

    def _has_phrase(self, a: int, b: int, phrases) -> bool:
        """True when the words [a, b) hold one of the phrases."""
        seg = self._seg
        if not seg & _B_PHRASE:
            return False
        if phrases is ONGOING_PHRASES and not seg & _B_SPACE:
            # no word holds a space: a phrase found in the joined words is a run of whole words, so its
            # first two words stand side by side in [a, b)
            wb = self._wb
            lo = a
            hi = b
            pair = False
            while lo + 1 < hi:
                if wb[lo] & _B_PHRASE and wb[lo + 1] & _B_PHRASE2:
                    pair = True
                    break
                lo += 1
            if not pair:
                return False
        joined = " " + " ".join(self._lw[a:b]) + " "
        wanted = _ONGOING_JOINED if phrases is ONGOING_PHRASES else [" " + " ".join(ph) + " " for ph in phrases]
        for ph in wanted:
            if ph in joined:
                return True
        return False

    # ------------------------------------------------------------------ scope cues
    def _scope_cues(self, scope_marks) -> list[tuple[int, str]]:
        """(word index, scope) of every scope cue that counts: markers plus quantities, minus pilot
        words after "efter" or under a negation."""
        cues: dict[int, str] = {}
        s, e = self.s, self.e
        for p, v in scope_marks:
            k = self._word_at(p) if s <= p < e else None
            if k is not None:
                cues.setdefault(k, v)
        lw, wb, seg = self._lw, self._wb, self._seg
        if seg & _B_QTRIG:
            opens = []  # the words that can open a quantity
            if seg & _B_QOPEN:
                n = len(wb)
                for i in range(n):
                    b = wb[i]
                    if b & _B_QOPEN:
                        # "i/på/vid/inom" opens a quantity only before a number or a few word (see _few_units)
                        if b & _B_PREP and (i + 1 >= n or not wb[i + 1] & (_B_QOPEN | _B_FEW)):
                            continue
                        opens.append(i)
            for k, v in _quantity_cues_in(lw, opens):
                if cues.get(k) != BROAD:
                    cues[k] = v
        # compounds the marker list does not hold ("projekttiden", "pilotfasen", "breddinföras")
        if seg & _B_COMPOUND:
            for i in range(len(wb)):
                b = wb[i]
                if b & _B_COMPOUND and i not in cues:
                    cues[i] = _compound_scope(lw[i])
        out = []
        for k, v in sorted(cues.items()):
            if v == PILOT and seg & _B_CANCEL and _cancelled(wb, k):
                continue
            out.append((k, v))
        return out

    # ------------------------------------------------------------------ decisions
    def _hit_index(self, hs: int, he: int) -> tuple[int, int]:
        """(first, last) word index of the words in token positions [hs, he) (memoised); without a
        word there, the word nearest hs."""
        got = self._hit_memo.get((hs, he))
        if got is not None:
            return got
        pos = self.pos  # every word lies in [s, e): no clipping of [hs, he) needed
        k0 = first_at_least(pos, hs, 0)
        k1 = first_at_least(pos, he, k0) - 1
        if k1 >= k0:
            got = (k0, k1)
        else:
            k = 0  # the first word at the least distance from hs (as min() picks it)
            if pos:
                best = abs(pos[0] - hs)
                for j in range(1, len(pos)):
                    d = abs(pos[j] - hs)
                    if d < best:
                        k, best = j, d
            got = (k, k)
        self._hit_memo[(hs, he)] = got
        return got

    def _other_hit_parts(self, hs: int, he: int) -> set:
        """Parts holding words of another code than the one at [hs, he)."""
        out = set()
        hits = self.hits
        if len(hits) == 1 and hits[0][0] == hs and hits[0][1] == he:
            return out  # the only hit is this one
        mine = {c for a, b, c in hits if a == hs and b == he}
        for a, b, c in hits:
            if c in mine or (a < he and hs < b):
                continue
            ka, _ = self._hit_index(a, b)
            out.add(self.part[ka])
        return out

    def _clause_of(self, k: int):
        return self._cl[k]

    def _status_of_part(self, p: int, anchor: int) -> Optional[str]:
        """Status of the chain governing word ``anchor`` in part p: nearest before, else after."""
        cands = self._chains_of.get(p)
        if not cands:
            return None
        before = [c for c in cands if c[0] <= anchor]
        k, st = before[-1] if before else cands[0]
        if st == DONE:
            # a present chain with a planned / ongoing phrase in the part ("startar nästa år",
            # "är under uppbyggnad") takes that phrase's value
            over = self._phrase_override(p, k)
            if over is not None:
                return over
        return st

    def _phrase_override(self, p: int, k: int) -> Optional[str]:
        has = self._ongoing_part.get(p)
        if has is None:
            has = self._ongoing_part[p] = self._has_phrase(self._edges[p - 1], self._edges[p], ONGOING_PHRASES)
        if has:
            return ONGOING
        fw, lw, part = self._fw, self._lw, self.part
        vf = fw[k]
        present = vf is not None and (vf[1].startswith("pres") or vf[1] == "inf_pass") and vf[0] not in ("ha", "vara")
        for pos_, v in self.status_marks:
            j = self._word_at(pos_)
            if (j is None or part[j] != p or j in (k,) or fw[j] is not None
                    or lw[j] in ADJECTIVE_SUPINES):
                continue
            if v == PLANNED and present:
                return PLANNED
            if v == ONGOING:
                return ONGOING
        return None

    def values(self, hs: int, he: int, need_status: bool = True, need_scope: bool = True) -> tuple[str, str]:
        """(status, scope) of the code words [hs, he) of this segment. With ``need_status`` (``need_scope``)
        False that value is not read and comes back okänd (the caller takes it from elsewhere)."""
        if not self.pos or not (need_status or need_scope):
            return UNKNOWN, UNKNOWN
        if need_status or self._all_cues():
            status, scope = self._own_values(hs, he, need_status, need_scope)
        else:
            status = scope = UNKNOWN  # no scope word in the segment: no parts or verb chains needed
        if (need_status and status in (None, UNKNOWN)) or (need_scope and scope == UNKNOWN):
            lead = self._lead_in() if self._lead_in is not None and self._is_list_item() else None
            if lead is not None:
                if need_status and status in (None, UNKNOWN):
                    status = lead[0]
                if need_scope and scope == UNKNOWN:
                    scope = lead[1]
        if ((need_status and status in (None, UNKNOWN)) or (need_scope and scope == UNKNOWN)) \
                and self._follow is not None:
            # "... har mobila team startats. Arbetet drivs som pilotprojekt.": the next sentence
            # speaks of the same measure when it opens with a word pointing back to it
            nxt = self._follow()
            if nxt is not None:
                if need_status and status in (None, UNKNOWN):
                    status = nxt[0]
                if need_scope and scope == UNKNOWN:
                    scope = nxt[1]
        return (status or UNKNOWN) if need_status else UNKNOWN, scope if need_scope else UNKNOWN

    def _own_values(self, hs: int, he: int, need_status: bool, need_scope: bool) -> tuple[Optional[str], str]:
        """(status or None, scope) of the code words [hs, he) from the segment itself (its parts, verb
        chains and scope cues), before a lead-in or the next sentence is consulted."""
        self._structure()
        k0, k1 = self._hit_index(hs, he)
        part, edges, fin, lw, wb = self.part, self._edges, self.fin, self._lw, self._wb
        n = len(lw)
        p = part[k0]
        others = self._other_hit_parts(hs, he)
        others.discard(p)
        status = self._status_of_part(p, k0) if need_status else UNKNOWN
        parts_here = [p]
        cont: list[int] = []  # continuation parts of the words as subject (for status)
        # the subject's own continuation: "X startades 2020 och har spridits till hela länet"
        subject = not _any_true(fin, edges[p - 1], k0)
        if subject:
            q = p + 1
            c0 = self._cl[k0]
            part_clause = self.part_clause
            while q in part_clause and part_clause[q] == c0:
                first = edges[q - 1]
                nxt = first + 1 if wb[first] & _B_COORD else first
                if nxt < n and fin[nxt]:  # "och har därefter spridits": no subject of its own
                    cont.append(q)
                    if q not in others:
                        parts_here.append(q)
                    q += 1
                else:
                    break
        # a relative clause right after the words ("team som tar emot remisser från hela länet")
        for j in range(k1 + 1, min(n, k1 + 1 + RELATIVE_REACH)):
            if wb[j] & _B_REL:  # "som", "där"
                parts_here.append(part[j])
                break
            if part[j] in others and part[j] != p:
                break
        if need_status:
            if status is None:
                status = self._fallback_status(k0, p, others, [p] + cont)
            elif status == DONE:
                # "X startades i våras och pågår fortfarande": the ongoing state the subject is in now
                for q in cont:
                    if self._status_of_part(q, k0) == ONGOING:
                        status = ONGOING
                        break
            elif status == ONGOING and self._part_past(p):
                # "X startade som projekt 2019 och har sedan permanentats": the later, present state
                for q in cont:
                    st = self._status_of_part(q, k0)
                    if st == DONE and not self._part_past(q):
                        status = DONE
        scope = self._scope_for(parts_here, k0, others) if need_scope else UNKNOWN
        return status, scope

    def opening(self) -> Optional[tuple[str, str]]:
        """(status, scope) of a segment that opens with a word pointing back ("Arbetet", "Teamet",
        "Verksamheten"): its first verb chain and its scope words; None for other segments."""
        if not self.pos or self._lw[0] not in ANAPHORS:
            return None
        self._structure()
        st = self.chains[0][1] if self.chains else UNKNOWN
        if st == DONE and self.chains:
            st = self._phrase_override(self.part[self.chains[0][0]], self.chains[0][0]) or st
        cues = self._all_cues()
        scope = self._pick_scope(cues) if cues else UNKNOWN
        return st, scope

    def _is_list_item(self) -> bool:
        return len(self.pos) <= 12 or self._lw[0] in ("•", "-", "–")

    def _fallback_status(self, k0: int, p: int, others: set, parts_here: list) -> Optional[str]:
        """No verb in the words' part: the other parts of the clause, then clauses of the sentence
        that hold no other code (nearest first), then the marker words of the clause/sentence."""
        c = self._clause_of(k0)
        for q in parts_here[1:]:
            st = self._other_part_status(q, k0)
            if st is not None:
                return st
        # nearest first; a tie keeps the set's order, as a stable sort by key would (the index i decides)
        same = sorted([(abs(q - p), i, q) for i, q in
                       enumerate({q for q, qc in self.part_clause.items() if qc == c} - {p} - others)])
        for _, _, q in same:
            st = self._other_part_status(q, k0)
            if st is not None:
                return st
        rest = sorted([(abs(q - p), -q, q) for q in {q for q, qc in self.part_clause.items() if qc != c} - others])
        for _, _, q in rest:
            st = self._other_part_status(q, k0)
            if st is not None:
                return st
        if self.status_marks:
            return mk.nearest(self.status_marks, self.pos[k0])
        if "ja" in self._lw[k0:k0 + 6]:
            return DONE  # a closed answer "Äldremottagning: ja"
        return None

    def _other_part_status(self, q: int, k0: int) -> Optional[str]:
        """Status of part q for words outside it; a relative clause right after them with two verb
        chains ("Mottagningen som startade som försök har blivit permanent") holds the words' own
        main verb as its second chain."""
        chains = self._chains_of.get(q, ())
        if len(chains) >= 2 and q == self.part[k0] + 1 and self._lw[self._edges[q - 1]] in ("som", "där"):
            return chains[1][1]
        return self._status_of_part(q, k0)

    def _part_past(self, q: int) -> bool:
        """True when the first verb chain of part q is in the past tense."""
        chains = self._chains_of.get(q)
        if not chains:
            return False
        vf = self._fw[chains[0][0]]
        return vf is not None and vf[1].startswith("past")

    def _governing_chain(self, k: int) -> Optional[tuple[int, str]]:
        """The chain of word k's part nearest before it, else the part's first chain."""
        cands = self._chains_of.get(self.part[k])
        if not cands:
            return None
        before = [c for c in cands if c[0] <= k]
        return before[-1] if before else cands[0]

    def _cue_status(self, k: int) -> Optional[str]:
        ch = self._governing_chain(k)
        return ch[1] if ch else None

    def _cue_past(self, k: int) -> bool:
        ch = self._governing_chain(k)
        if ch is None:
            return False
        vf = self._fw[ch[0]]
        return vf is not None and vf[1].startswith("past")

    def _scope_for(self, parts_here: list, k0: int, others: set) -> str:
        """Scope from the cues of the words' parts, else of their clause, else of the segment's parts
        that hold no other code (the first group with a cue decides)."""
        all_cues = self._all_cues()
        if not all_cues:
            return UNKNOWN
        part = self.part
        cue_parts = [(part[k], k, v) for k, v in all_cues]
        g: set = set(parts_here)
        cues = [(k, v) for q, k, v in cue_parts if q in g]
        if not cues:
            c = self._clause_of(k0)
            g = {q for q, qc in self.part_clause.items() if qc == c} - others
            cues = [(k, v) for q, k, v in cue_parts if q in g]
            if not cues:
                cues = [(k, v) for q, k, v in cue_parts if q not in others]  # every part is a member
        return self._pick_scope(cues) if cues else UNKNOWN

    def _pick_scope(self, cues: list) -> str:
        current = [(k, v) for k, v in cues if self._cue_status(k) != PLANNED]
        use = current or cues
        vals = {v for _, v in use}
        if len(vals) == 1:
            return vals.pop()
        pilots = [k for k, v in use if v == PILOT]
        broads = [k for k, v in use if v == BROAD]
        for k in pilots:
            if not self._cue_past(k):
                return PILOT
        for k in broads:
            if not self._cue_past(k):
                return BROAD
        return PILOT

    def summary(self) -> Optional[tuple[str, str]]:
        """(status, scope) of the whole segment read as a lead-in ("Följande har införts i alla kommuner:")."""
        self._structure()
        if not self.chains:
            return None
        k, st = self.chains[-1]
        cues = self._all_cues()
        scope = self._pick_scope(cues) if cues else UNKNOWN
        return st, scope


def _soft_clauses(wb: list, fw: list, raw: list) -> tuple[list, list]:
    """(clause id per word index, word indices where it changes) from the negation clause ids ``raw``
    of the words, except that adverbs such as "sedan", "även", "dessutom", "dock" do not start a new
    clause here ("har sedan 2022 permanentats"), nor "som" right after a verb ("startade som projekt")."""
    n = len(raw)
    if not n or raw.count(raw[0]) == n:
        return [0] * n, []
    starts = []
    for k in range(1, n):
        # a soft boundary word ("sedan", "även", ...) or "som" right after a verb keeps the clause
        if raw[k] != raw[k - 1]:
            b = wb[k]
            if not b & _B_SOFT and not (b & _B_SOM and fw[k - 1] is not None):
                starts.append(k)
    if not starts:
        return [0] * n, starts
    out: list = []
    prev = 0
    for c, k in enumerate(starts):
        out.extend([c] * (k - prev))
        prev = k
    out.extend([len(starts)] * (n - prev))
    return out, starts


def passage_values(evidence: Iterable) -> tuple[dict, dict]:
    """({code: status}, {code: scope}) over the present (not negated) evidence, in order of first
    evidence: per code the first known value of its evidence, else okänd."""
    status: dict = {}
    scope: dict = {}
    for e in evidence:
        if e.negated:
            continue
        if status.get(e.code, mk.UNKNOWN) == mk.UNKNOWN:
            status[e.code] = e.status
        if scope.get(e.code, mk.UNKNOWN) == mk.UNKNOWN:
            scope[e.code] = e.scope
    return status, scope
