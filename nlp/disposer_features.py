"""Features of a proposed (passage, code): the role its mention plays in the passage.

The codebook rules propose codes with evidence spans (:class:`nlp.tagger.TagResult`). For every
code proposed in a passage (present, not negated), :func:`proposal_features` describes how the
code's words are used, as a sparse dict of named features:

- evidence: number and kinds of rule hits (keyword, abbreviation, compound, co-occurrence, weak
  keyword, implied by another code), the best rule confidence, status and scope markers;
- role of each mention: inside a place/beneficiary phrase ("i/på/hos/inom/för/vid + setting"),
  first noun phrase (topic) of its sentence, modifier or head of a compound, a measure verb in the
  same clause, a number in the sentence;
- the sentence's markers: negation, hypothetical/uncertainty, delay/stop (also "återstår", "inte längre"),
  only discussed, indicator, missing, a wish or a condition ("skulle vilja", "på sikt", "om medel beviljas"),
  another place than the respondent ("grannkommunen"); after "men", whether the contrast only limits the
  measure's reach ("men inte i alla") or takes it from the respondent ("men inte hos oss");
- other codes in the same sentence (a mobile team explains "läkare + sjuksköterska + hembesök");
- the passage: length, number of sentences and codes; the form's question when known
  (does the question belong to the code's category; a cue that may only raise a proposal's
  probability, never lower it: ``nlp.disposer.POSITIVE_ONLY``);
- the code itself and code x role interactions, and the words around the mention;
- the words of the mention's clause by side (:func:`clause_window`: up to three words before it and
  three after it inside its clause, as 6-letter stems), shared by all codes and crossed with the code:
  one model learns "på X", "nya X", "X planeras", "antal X" across codes.

Pure functions over strings: no model, no Streamlit.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from operator import itemgetter
from typing import Iterable, Optional, Sequence

from nlp.evidence import IMPLIED_PREFIX
from nlp.positions import *  # noqa: F401,F403 - first_at_least, first_after (C inline when compiled)

__all__ = ["FEATURES_VERSION", "Proposal", "proposals_of", "proposal_features", "mention_role", "sentence_markers",
           "clause_window"]

# 11: "oförändrat" / "utan utveckling" read as a stop, "utvecklingsområde" as only discussed;
# 10: the text model reads å/ä/ö folded (nlp.disposer_text.FOLD); 9: positive-only question cues
FEATURES_VERSION = "11"
# How the evidence is counted (experiment knobs; the defaults are the shipped features). ``EVIDENCE``:
# "log" (log1p of the number of hits and of sentences with a hit, and the share of sentences) or "ind"
# (indicators of two or more hits / sentences, no share). ``DEF_OVERLAP``: "log" (log1p of the definition's
# words in the mention's sentence), "bin" (any / none) or "none". ``LEXICAL_SCALE``: the value of the per-code
# lexical features (code|m=, code|L=, code|R=, code|w=); below 1 regularises them more (L2 on value x weight).
# Set by tools/dev_gold_variants.py only; shipping another setting means bumping FEATURES_VERSION.
EVIDENCE = "log"
DEF_OVERLAP = "log"
LEXICAL_SCALE = 1.0

# Roles and markers are read from at most this many mentions of a code in a passage (the first ones):
# a long answer naming a measure twenty times costs no more than one naming it four times.
MAX_MENTIONS = 4

_WORD = re.compile(r"[0-9A-Za-zÅÄÖåäöÉéÜü]+(?:[-:][0-9A-Za-zÅÄÖåäöÉéÜü]+)*")
# The letters of a word (_WORD's characters but the digits): a letter next to a mention makes it part of a compound.
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzÅÄÖåäöÉéÜü")

# Prepositions that make a setting the place or the beneficiary of something else.
PLACE_PREPS = frozenset({"i", "på", "hos", "inom", "för", "vid", "bland", "från", "till", "mellan", "inne", "ute"})
# Entries of each per-sentence / per-mention memo below. A sentence's proposals are read one after the
# other, so the hits come from the same text: 4,096 entries keep 97-99 % of the hits of 65,536 on the bench
# passages while holding ~130 MB less at national scale (sentence strings and their results).
SENTENCE_MEMO = 4096
# Words that may stand between the preposition and the setting ("i den kommunala hemsjukvården").
_NP_FILLERS = frozenset({
    "den", "det", "de", "en", "ett", "alla", "samtliga", "vår", "vårt", "våra", "sin", "sitt", "sina", "deras",
    "kommunens", "regionens", "kommunernas", "regionernas", "länets", "egna", "eget", "egen", "nya", "ny", "nytt",
    "kommunala", "kommunal", "kommunalt", "regionala", "särskilda", "särskilt", "ordinärt", "ordinära", "gemensamma",
    "gemensam", "befintliga", "olika", "flera", "vissa", "många", "hela", "två", "tre", "fyra", "fem", "mobila",
})
# Verbs (stems of their forms) that make a clause describe a measure taken.
_MEASURE_STEMS = (
    "inför", "start", "erbjud", "erbjöd", "arbetar med", "arbetat med", "jobbar med", "test", "pilot", "inrätta",
    "etabler", "bygg", "implementer", "genomför", "påbörja", "permanent", "breddinför", "utök", "anställ",
    "öppna", "tagit fram", "ta fram", "tas fram", "togs fram", "utveckl", "stärk", "förstärk", "använd",
    "bildat", "bildats", "skapat", "skapats", "tecknat", "tecknats", "antagit", "antagits", "beslutat om",
    "finns", "har fått", "får", "ges", "gör", "görs", "sker",
)
_DELAY = ("försen", "skjutits upp", "skjuts upp", "skjutit upp", "senarelagt", "senarelagts", "pausat", "pausats",
          "vilande", "på is", "i väntan på", "avvakt", "tidigast", "dröjt", "dröjer", "skjutet", "skjuten",
          "uppskjut", "framskjut", "väntar på", "inte kommit igång", "ställts in", "ställdes in",
          # still to be done: "det återstår att starta X", "kvarstår att införa X", "vänta med X"
          "återstår", "kvarstår", "vänta med", "väntar med", "pausad", "på vänt")
_STOP = ("avbröt", "avbrut", "avslut", "lades ned", "lades ner", "lagts ned", "lagts ner", "upphört", "upphörde",
         "stoppa", "avveckl", "prioriterats bort", "inte prioriter", "drogs in", "dragits in",
         "inte längre", "upphör", "lagt ned", "lagt ner", "nedlagd", "inte kvar", "stängdes", "har stängt",
         # no work on it this year: "X finns, oförändrat sedan 2021 och utan utveckling", "X: oförändrat"
         "oförändr", "utan utveckling", "ingen utveckling")
_DISCUSS = ("diskuter", "övervä", "utreds", "utreda", "utredning", "frågan om", "väckts", "samtal om möjlighet",
            "inget beslut", "inte beslut", "idé", "tankar på", "funderar", "önskemål", "möjligheten att",
            # only named as an area to develop: "X pekas ut som ett utvecklingsområde"
            "utvecklingsområde")
_INDICATOR = ("indikator", "nyckeltal", "mått", "andel", "antal", "statistik", "mäts", "mäter", "följs som",
              "följer vi", "register", "kolada", "scb", "enkät", "undersökning", "procent")
_HYPO = ("skulle", "kan komma", "eventuell", "om möjligt", "kanske", "oklart", "osäker", "bör", "behöver", "behov av",
         "önskvärt", "vore")
_NEG = ("inte", "ej", "ingen", "inget", "inga", "saknas", "saknar", "aldrig", "varken")
# Wishes and conditions: the measure is wanted or depends on money or a decision not yet made
# ("vi skulle vilja införa X", "på sikt", "om medel beviljas startar vi X", "förutsatt att").
_WISH = ("skulle vilja", "vill gärna", "hade gärna", "gärna se", "önskar", "önskan", "hoppas", "drömmer",
         "skulle vi vilja", "skulle vi gärna", "vill vi gärna", "hade vi gärna", "vill vi på sikt",
         "på sikt", "på längre sikt", "i framtiden", "vore bra", "vore värdefullt", "skulle behöva", "skulle kunna",
         "vision", "ambition")
_COND = ("förutsatt att", "under förutsättning", "i mån av", "om medel", "om finansiering", "om vi får", "om pengar",
         "beviljas", "om ansökan", "ifall", "i så fall", "beroende på om", "om beslut", "om det blir", "om politiken",
         "om nämnden", "om budget")
# After "men": the contrast limits the measure's reach ("infört, men inte i alla verksamheter") and
# leaves it in place, or puts it somewhere else than the respondent ("finns i grannkommunen men inte hos oss").
_PARTIAL = (" i alla ", " alla ", " samtliga", " överallt", " fullt ut", " helt ", " de övriga", " resten", " hela ",
            " full skala", " alla delar", " ännu i ")
_US = (" hos oss", " för oss", " i vår ", " i vårt ", " här ", " hos vår", " i egen regi", " i vår.",
       " i vårt.")
_ELSEWHERE = ("grannkommun", "grannregion", "andra kommuner", "annan kommun", "andra regioner", "annan region",
              "på annat håll", "andra län", "annat län", "andra håll", "den andra kommunen", "övriga kommuner",
              "övriga regioner")
_PLAN = ("planer", "ska ", "avser", "kommer att", "under 202", "nästa år", "till hösten", "till våren")
# Verbs that report, locate or describe something rather than take a measure ("named in passing").
_PASSING = ("informer", "redovisa", "redovisn", "deltog", "deltagit", "deltar i", "flyttat", "flyttade", "bytt ",
            "bytte ", "hölls", "hålls i", "ligger ", "låg ", "nämns", "nämnt", "lyfts", "lyfte", "visar att", "visade",
            "upplever", "efterfråga", "presenter", "sammanträd", "gått i pension", "har fått nya", "fått ny", "besökte",
            "bjudits in", "bjöd in", "tagits upp", "togs upp", "ställer krav", "står för", "har svårt", "är svårt",
            "utmaning", "hämtats", "kommer från", "avser ")
_FUTURE_STATUS = {"planerad"}


class Proposal:
    """One proposed (passage, code): index of the passage in its batch, code and its evidence."""

    __slots__ = ("index", "code", "evidence")

    def __init__(self, index: int, code: str, evidence: list):
        self.index, self.code, self.evidence = index, code, evidence


def proposals_of(results: Sequence) -> list[Proposal]:
    """Every (passage, code) the rules propose (present, not negated), in passage and code order."""
    out: list[Proposal] = []
    for i, res in enumerate(results):
        by_code: dict[str, list] = {}
        for e in res.evidence:
            if e.origin != "rule":
                continue
            by_code.setdefault(e.code, []).append(e)
        for code, evs in by_code.items():
            live = [e for e in evs if not e.negated]
            if live:
                out.append(Proposal(i, code, live))
    return out


def _words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0).lower()) for m in _WORD.finditer(text)]


_START, _END = itemgetter(0), itemgetter(1)


def _context_words(ctx: set, sentence: str, ms: int, me: int) -> None:
    """Add to ``ctx`` the words (longer than two letters) of the sentence among the four last ending
    before the mention sentence[ms:me] and the four first starting after it, in the sentence's order.
    The words ending by ``ms`` are a prefix of the ordered, non-overlapping words and those starting
    from ``me`` a suffix: the four next to the mention are a slice of each."""
    ws = _words(sentence)
    if ms > me:  # not a span: count the words on each side one by one (as the slices assume ms <= me)
        for k2, (s0, e0, w) in enumerate(ws):
            if e0 <= ms and len(w) > 2:
                if sum(1 for x in ws[k2 + 1:] if x[1] <= ms) < 4:
                    ctx.add(w)
            elif s0 >= me and len(w) > 2:
                if sum(1 for x in ws[:k2] if x[0] >= me) < 4:
                    ctx.add(w)
        return
    a = bisect_right(ws, ms, key=_END)  # ws[:a] end by ms
    b = bisect_left(ws, me, a, key=_START)  # ws[b:] start from me (b >= a: ws[:a] start before ms)
    for x in ws[max(0, a - 4):a]:
        if len(x[2]) > 2:
            ctx.add(x[2])
    for x in ws[b:b + 4]:
        if len(x[2]) > 2:
            ctx.add(x[2])


def _context_words_in(ctx: set, parts: tuple, sentence: str, ms: int, me: int) -> None:
    """:func:`_context_words` read from the sentence's words (:func:`_sentence_parts`: ``_WORD.finditer``'s
    matches, lower-cased) instead of scanning the sentence again."""
    if ms > me:
        _context_words(ctx, sentence, ms, me)
        return
    starts, ends, words = parts[0], parts[1], parts[2]
    a = first_after(ends, ms, 0)  # words[:a] end by ms
    b = first_at_least(starts, me, a)  # words[b:] start from me
    for w in words[max(0, a - 4):a]:
        if len(w) > 2:
            ctx.add(w)
    for w in words[b:b + 4]:
        if len(w) > 2:
            ctx.add(w)


def _trie_pattern(words: Iterable[str]) -> str:
    """A regular expression matching exactly the given literals, shaped as a prefix tree
    ("inför|införa|inte" -> "in(?:för(?:a)?|te)"): the regex engine tries each first letter once
    instead of every alternative at every position."""
    trie: dict = {}
    for w in set(words):
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict) -> str:
        end = "" in node
        alts = [re.escape(ch) + walk(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and len(alts[0]) == 1 else "(?:" + "|".join(alts) + ")"
        if len(alts) == 1 and not end:
            return alts[0]
        return body + "?" if end else body

    return walk(trie)


def _first_letters(words: Iterable[str]) -> dict[str, list[str]]:
    """First letter -> the rests of the words that begin with it."""
    out: dict[str, list[str]] = {}
    for w in set(words):
        out.setdefault(w[0], []).append(w[1:])
    return out


# A negation word not inside a longer word: every word of _NEG begins and ends with a letter, so
# "not preceded / followed by a word character" is a word boundary on each side.
# "inte bara", "inte minst", "inte endast" add to what is said and negate nothing.
# Written as one branch per first letter with the word boundary before it read after that letter (a look
# back: no word character before the letter), so that the pattern opens with a character set and the regex
# engine skips to those letters instead of trying the boundary at every position; the same matches as
# r"\b" + _trie_pattern(_NEG) + ...
_NEG_RX = re.compile("(?:" + "|".join(re.escape(ch) + r"(?<!\w.)" + _trie_pattern(sufs) for ch, sufs in
                                      sorted(_first_letters(_NEG).items()))
                     + r")\b(?!\s+(?:bara|minst|endast|enbart)\b)")
_DIGIT = re.compile(r"\d")
_MARKER_LISTS = (("m_passing", _PASSING), ("m_delay", _DELAY), ("m_stop", _STOP), ("m_discuss", _DISCUSS), ("m_indicator", _INDICATOR),
                 ("m_hypo", _HYPO), ("m_plan", _PLAN), ("m_measure_verb", _MEASURE_STEMS), ("m_wish", _WISH),
                 ("m_cond", _COND), ("m_elsewhere", _ELSEWHERE))
# Without pyahocorasick (:data:`_CUE_AUTOMATON` None) the cues are found by a regex (:func:`_cue_regex`); it and
# its table are built on first use: with the automaton (the usual case) a process never needs them, and building
# them (two prefix-tree regexes compiled by Python's ``re``, two quadratic prefix tables) was ~0.2 G instructions
# of every `cli.py tag` process's start.
_FALLBACK: dict = {}


def _own_masks() -> dict[str, int]:
    """Cue -> bit mask of the lists holding it (bit i: ``_MARKER_LISTS[i]``)."""
    own: dict[str, int] = {}
    for i, (_, stems) in enumerate(_MARKER_LISTS):
        for w in stems:
            own[w] = own.get(w, 0) | (1 << i)
    return own


def _prefix_masks(own: dict[str, int]) -> dict[str, int]:
    """Cue -> bit mask of the lists holding the cue or a prefix of it."""
    out = {}
    for w in own:
        mask = 0
        for c, m in own.items():
            if w.startswith(c):
                mask |= m
        out[w] = mask
    return out


def _cue_regex() -> tuple:
    """(regex, cue -> prefix mask) of the fallback scan: at every position where a cue of any list starts
    (zero-width, so overlapping cues are all found), the longest cue starting there (the prefix tree tries one
    branch per letter and its optional ends are greedy, so every other cue starting at that position is a prefix
    of the captured one), and :func:`_prefix_masks` of the cues. Built on first use."""
    got = _FALLBACK.get("cue")
    if got is None:
        rx = re.compile("(?=(" + _trie_pattern(w for _, stems in _MARKER_LISTS for w in stems) + "))")
        got = _FALLBACK["cue"] = (rx, _prefix_masks(_own_masks()))
    return got


def _list_bits() -> dict[str, int]:
    """Cue list name -> its bit (bit i: ``_MARKER_LISTS[i]``; built in a function, not by a module-level
    comprehension: see nlp/compiled.py on the compiled build)."""
    return {name: 1 << i for i, (name, _) in enumerate(_MARKER_LISTS)}


_BIT = _list_bits()
_MASK_NAMES: dict[int, tuple] = {}
_DELAY_STOP = _BIT["m_delay"] | _BIT["m_stop"]
_DELAY_STOP_DISCUSS = _DELAY_STOP | _BIT["m_discuss"]
_WISH_BIT = _BIT["m_wish"]


def _cue_automaton():
    """An Aho-Corasick automaton of every cue (value: its own list mask), or None without
    pyahocorasick (then the regex of :func:`_cue_regex` finds the cues, with the same result)."""
    try:
        import ahocorasick
    except ImportError:
        return None
    auto = ahocorasick.Automaton()
    for w, m in _own_masks().items():
        auto.add_word(w, m)
    auto.make_automaton()
    return auto


_CUE_AUTOMATON = _cue_automaton()


def _lists_mask(low: str) -> int:
    """Bit mask of the cue lists (``_MARKER_LISTS``) with a cue anywhere in the lower-case text: every
    occurrence of every cue in one pass of the automaton, or one regex scan giving the longest cue at
    every position where a cue starts (whose prefix mask names every list with a cue there)."""
    mask = 0
    if _CUE_AUTOMATON is not None:
        for _, m in _CUE_AUTOMATON.iter(low):
            mask |= m
        return mask
    rx, cue_mask = _cue_regex()
    for cue in rx.findall(low):
        mask |= cue_mask[cue]
    return mask


def _mask_names(mask: int) -> tuple:
    """Names of the lists in a bit mask, in ``_MARKER_LISTS`` order."""
    got = _MASK_NAMES.get(mask)
    if got is None:
        got = _MASK_NAMES[mask] = tuple(name for i, (name, _) in enumerate(_MARKER_LISTS) if mask >> i & 1)
    return got


def _lists_found(low: str) -> tuple:
    """Names of the cue lists (``_MARKER_LISTS``) with a cue in the lower-case text."""
    return _mask_names(_lists_mask(low))


# The cue index of a sentence (:func:`_sentence_cues`): every occurrence in the lower-cased sentence of a key
# below, found once per sentence, so that the cues of any stretch of it (a mention's clause, list item, header)
# are read from the occurrences inside the stretch instead of scanning its lower-cased copy again. A stretch
# is read as " " + stretch + " " (what _lists_mask and _NEG_RX are given), so a cue may also use one of those
# two spaces: a cue opening with a space counts when the rest of it opens the stretch, one closing with a space
# when the rest closes it. The keys and their values (bit fields of _SPAN_BITS bits, each a mask of
# _MARKER_LISTS as in _lists_mask):
# - every cue: its lists, and _NEG_BIT for a negation word (which _NEG_RX may only match when it lies inside
#   the stretch; :func:`_negates_at` reads the characters around it as _NEG_RX's look-arounds do);
# - a cue opening with a space, without it: its lists shifted by _SPAN_BITS (counted when it opens the stretch);
# - a cue closing with a space, without it: shifted by 2 * _SPAN_BITS (counted when it closes the stretch);
# - a cue opening and closing with a space, without both: shifted by 3 * _SPAN_BITS (the whole stretch).
_SPAN_BITS = 12
_SPAN_FIELD = (1 << _SPAN_BITS) - 1
_NEG_BIT = 1 << len(_MARKER_LISTS)
_LISTS_FIELD = _NEG_BIT - 1


def _span_keys() -> dict[str, int]:
    keys: dict[str, int] = {}

    def add(k: str, v: int) -> None:
        keys[k] = keys.get(k, 0) | v

    for w, m in _own_masks().items():
        if not w.strip():
            raise ValueError(f"en markörlista har en tom markör: {w!r}")
        add(w, m)
        lead, trail = w[0] == " ", w[-1] == " "
        if lead:
            add(w[1:], m << _SPAN_BITS)
        if trail:
            add(w[:-1], m << 2 * _SPAN_BITS)
        if lead and trail and len(w) > 2:
            add(w[1:-1], m << 3 * _SPAN_BITS)
    for w in _NEG:
        add(w, _NEG_BIT)
    assert len(_MARKER_LISTS) < _SPAN_BITS
    return keys


_SPAN_KEYS = _span_keys()


def _span_automaton():
    """An Aho-Corasick automaton of the span keys (value: (length, bit fields)), or None without pyahocorasick."""
    if _CUE_AUTOMATON is None:
        return None
    import ahocorasick

    auto = ahocorasick.Automaton()
    for w, v in _SPAN_KEYS.items():
        auto.add_word(w, (len(w), v))
    auto.make_automaton()
    return auto


_SPAN_AUTOMATON = _span_automaton()


def _key_prefixes(keys: dict[str, int]) -> dict[str, list[tuple[int, int]]]:
    """Key -> (length, value) of every key that is a prefix of it, in the keys' order (built in a function, not
    by a module-level comprehension: see nlp/compiled.py on the compiled build)."""
    return {w: [(len(k), keys[k]) for k in keys if w.startswith(k)] for w in keys}


def _key_regex() -> tuple:
    """(regex, key -> prefixes) of the fallback scan without the automaton: the longest key at every position (as
    :func:`_cue_regex`'s) and :func:`_key_prefixes` of the keys (every key starting there). Built on first use."""
    got = _FALLBACK.get("key")
    if got is None:
        rx = re.compile("(?=(" + _trie_pattern(_SPAN_KEYS) + "))")
        got = _FALLBACK["key"] = (rx, _key_prefixes(_SPAN_KEYS))
    return got


def _key_occurrences(low: str) -> tuple[list, list, list]:
    """(starts, ends, values) of every occurrence of a span key in the text, by start (then end). The automaton
    gives the occurrences by end (an occurrence is found where it ends), so a stable sort by start puts them in
    that order: when the starts do not already rise, sorted by the integer ``start * m + i`` (``i``: the
    automaton's order, ``m``: the number of occurrences), without a tuple per occurrence."""
    if _SPAN_AUTOMATON is None or _CUE_AUTOMATON is None:
        occ = []
        rx, prefixes = _key_regex()
        for mt in rx.finditer(low):
            s = mt.start()
            for n, v in prefixes[mt.group(1)]:
                occ.append((s, s + n, v))
        occ.sort()
        return [o[0] for o in occ], [o[1] for o in occ], [o[2] for o in occ]
    starts: list = []
    ends: list = []
    vals: list = []
    rising = True
    prev = 0
    for last, nv in _SPAN_AUTOMATON.iter(low):
        e = last + 1
        s = e - nv[0]
        if s < prev:
            rising = False
        prev = s
        starts.append(s)
        ends.append(e)
        vals.append(nv[1])
    if rising:
        return starts, ends, vals
    m = len(starts)
    keys = [starts[i] * m + i for i in range(m)]
    keys.sort()
    order = [k % m for k in keys]
    return [starts[i] for i in order], [ends[i] for i in order], [vals[i] for i in order]


@lru_cache(maxsize=SENTENCE_MEMO)
def _sentence_cues(sentence: str) -> tuple:
    """(the lower-cased sentence, starts, ends and values of its span keys' occurrences), or (None, ...) when
    the lower-cased sentence is not the lower-cased characters one by one (a character whose lower case is
    longer, or a capital sigma, whose lower case depends on its neighbours): then a stretch's lower-cased copy
    is made and scanned as before."""
    low = _sentence_parts(sentence)[10]
    if low is None:
        return None, [], [], []
    return (low, *_key_occurrences(low))


def _span_scan(cues: tuple, sentence: str, a: int, b: int) -> tuple[int, bool]:
    """(``_lists_mask(t)``, ``_NEG_RX.search(t) is not None``) of t = " " + sentence[a:b].lower() + " ", read
    from the sentence's cue index ``cues`` (:func:`_sentence_cues`)."""
    low = cues[0]
    if low is None:
        t = " " + sentence[a:b].lower() + " "
        return _lists_mask(t), _NEG_RX.search(t) is not None
    n = len(low)
    # sentence[a:b]'s bounds
    if a < 0:
        a = max(a + n, 0)
    elif a > n:
        a = n
    if b < 0:
        b = max(b + n, 0)
    elif b > n:
        b = n
    if b < a:
        b = a
    starts, ends, vals = cues[1], cues[2], cues[3]
    sb = _SPAN_BITS
    k = first_at_least(starts, a, 0)
    m = len(starts)
    mask = 0
    neg = False
    while k < m:
        s = starts[k]
        if s >= b:
            break
        e = ends[k]
        if e <= b:
            v = vals[k]
            mask |= v
            if s == a:
                mask |= v >> sb
                if e == b:
                    mask |= v >> 3 * sb
            if e == b:
                mask |= v >> 2 * sb
            if v & _NEG_BIT and not neg:
                neg = _negates_at(low, a, b, s, e)
        k += 1
    return mask & _LISTS_FIELD, neg


_NOT_NEGATING_AFTER = ("bara", "minst", "endast", "enbart")  # (_NEG_RX's look-ahead)


def _negates_at(low: str, a: int, b: int, s: int, e: int) -> bool:
    """Whether _NEG_RX matches the negation word low[s:e] (a <= s < e <= b) in " " + low[a:b] + " ": no word
    character (``\\w``: alphanumeric or "_") just before it or just after it, and not followed by white space and
    one of "bara", "minst", "endast", "enbart" as a whole word. Every negation word begins and ends with a
    letter and no negation word begins another one, so the word at ``s`` is the only one the regex can try
    there; the stretch's two padding spaces are white space and no word character."""
    if s > a:
        c = low[s - 1]
        if c.isalnum() or c == "_":
            return False
    if e < b:
        c = low[e]
        if c.isalnum() or c == "_":
            return False
        j = e
        while j < b and low[j].isspace():
            j += 1
        if e < j < b:
            for w in _NOT_NEGATING_AFTER:
                k = j + len(w)
                if k <= b and low.startswith(w, j, k):
                    if k == b:
                        return False
                    c = low[k]
                    if not (c.isalnum() or c == "_"):
                        return False
    return True


@lru_cache(maxsize=SENTENCE_MEMO)
def _cue_scan(text: str) -> tuple[tuple, bool]:
    """(names of the cue lists with a cue in the lower-case text, whether it holds a negation word),
    read from " " + text.lower() + " ": cached per text, so a clause that is its whole sentence is
    scanned once."""
    low = " " + text.lower() + " "
    return _lists_found(low), _NEG_RX.search(low) is not None


@lru_cache(maxsize=SENTENCE_MEMO)
def _sentence_markers(sentence: str) -> tuple:
    # _cue_scan(sentence), read from the sentence's cue index, which its mentions' cues read too
    return _markers_of(sentence, _sentence_cues(sentence))


def _markers_of(sentence: str, cues: tuple, digit=None) -> tuple:
    """:func:`_sentence_markers` from the sentence's cue index (:func:`_sentence_cues`); ``digit``: whether the
    sentence holds a decimal digit (its :func:`_sentence_parts`' last item) when the caller has it."""
    mask, neg = _span_scan(cues, sentence, 0, len(sentence))
    out = list(_mask_names(mask))
    if neg:
        out.append("m_neg")
    if (_DIGIT.search(sentence) is not None) if digit is None else digit:
        out.append("m_number")
    return tuple(out)


def sentence_markers(sentence: str) -> dict[str, float]:
    """Marker flags of a sentence (lower-cased search for cue stems)."""
    return dict.fromkeys(_sentence_markers(sentence), 1.0)


def mention_role(sentence: str, start: int, end: int) -> dict[str, float]:
    """Role of the mention sentence[start:end] in its sentence: place phrase, topic, compound part, verb."""
    return dict.fromkeys(_mention_role(sentence, start, end), 1.0)


@lru_cache(maxsize=SENTENCE_MEMO)
def _mention_role(sentence: str, start: int, end: int, parts: Optional[tuple] = None,
                  cues: Optional[tuple] = None) -> tuple:
    """(``parts``, ``cues``: the sentence's :func:`_sentence_parts` and :func:`_sentence_cues` when the
    caller has them.)"""
    if parts is None:
        parts = _sentence_parts(sentence)
    if cues is None:
        cues = _sentence_cues(sentence)
    return _role_in(sentence, start, end, parts, cues)


def _role_in(sentence: str, start: int, end: int, parts: tuple, cues: tuple) -> tuple:
    """:func:`_mention_role` uncached, from the sentence's parts and cue index (typed in the compiled build)."""
    out: list[str] = []
    # the words before the mention (the last few suffice), skipping determiners and adjectives
    lo0 = max(0, start - 80)
    words = _words_in(parts, sentence, lo0, start)
    if lo0 and words:
        words = words[1:]  # the first may be cut
        if not words:
            words = [""]
    # (_LETTERS' characters, written out: a C switch over the character in the compiled build)
    if words and start > 0:
        if sentence[start - 1] in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzÅÄÖåäöÉéÜü":
            words = words[:-1]  # the mention is the head of a compound: its modifier is no word before it
    k = len(words)
    j = k - 1
    while j >= 0 and words[j] in _NP_FILLERS:
        j -= 1
    if j >= 0 and words[j] in PLACE_PREPS:
        out.append("r_place")
    elif j < 0:
        out.append("r_first_np")  # nothing but determiners/adjectives before it: the sentence's topic
    if end < len(sentence) and sentence[end] in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzÅÄÖåäöÉéÜü":
        if not sentence[end - 1:end] == "-":
            out.append("r_modifier")
    if start > 0 and sentence[start - 1] in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzÅÄÖåäöÉéÜü":
        out.append("r_head")
    # a measure verb in the same clause (the stretch between commas / clause words around the mention):
    # lo = max(sentence.rfind(",", 0, start), sentence.rfind(";", 0, start), sentence.rfind(":", 0, start)),
    # hi = the first "," or ";" from ``end`` (the sentence's length without one)
    n = len(sentence)
    lo = _rfind(parts[5], n, start)
    hi = _find(parts[6], n, end, n)
    if hi < 0:
        hi = n
    # the clause's cue names differ from the role names above and from each other
    mask, neg = _span_scan(cues, sentence, lo + 1, hi)
    return (*out, *_clause_names(mask, neg))


_PREV_WORDS = PLACE_PREPS | frozenset({"med", "om", "av", "kring", "genom", "via", "efter", "under", "utan", "och",
                                       "eller", "inte", "ej", "ingen", "inget", "inga"})
_GENITIVE_ENDS = ("ens", "ets", "arnas", "ernas", "ornas", "nas", "ns", "ts")
_LIST_HEAD = re.compile(r"[:;]")


def _clause_bounds(sentence: str, start: int, end: int, parts: Optional[tuple] = None) -> tuple[int, int]:
    """(start, end) of the clause holding sentence[start:end]: the end of the last clause edge
    (:data:`_CLAUSE_EDGE`) before ``start`` (0 without one) and the start of the first edge from ``end``
    (the sentence's length without one), read from the sentence's edges (:func:`_sentence_parts`, given
    as ``parts`` when the caller has them)."""
    if parts is None:
        parts = _sentence_parts(sentence)
    e_starts, e_ends = parts[3], parts[4]
    k = first_after(e_ends, start, 0)
    lo = e_ends[k - 1] if k else 0
    # the first edge from ``end``: the first of finditer's edges starting there, or one starting at the
    # last space of an edge that finditer took before ``end`` and that reaches past it (" och som "):
    # every other position inside an edge is a letter, where no edge starts
    k = first_at_least(e_starts, end, k)
    if k and e_ends[k - 1] - 1 >= end and _CLAUSE_EDGE.match(sentence, e_ends[k - 1] - 1):
        return lo, e_ends[k - 1] - 1
    return lo, (e_starts[k] if k < len(e_starts) else len(sentence))


@lru_cache(maxsize=SENTENCE_MEMO)
def _mention_extra(sentence: str, start: int, end: int, bounds: Optional[tuple[int, int]] = None,
                   parts: Optional[tuple] = None, cues: Optional[tuple] = None) -> tuple:
    """Further role cues of a mention: the preposition governing it, genitive (the mention owns
    something else: "teamets lokaler"), a list after a header whose words negate, delay or stop it,
    the mention inside parentheses or a list item that carries its own stop/delay cue, a wish in the
    mention's own clause, and a contrast after "men" that negates it, limits its reach or takes it
    from the respondent. ``bounds``: :func:`_clause_bounds` of the mention when the caller has it (and
    ``parts``, ``cues``: the sentence's :func:`_sentence_parts` and :func:`_sentence_cues`)."""
    if parts is None:
        parts = _sentence_parts(sentence)
    if cues is None:
        cues = _sentence_cues(sentence)
    return _extra_in(sentence, start, end, bounds, parts, cues)


def _extra_in(sentence: str, start: int, end: int, bounds: Optional[tuple], parts: tuple, cues: tuple) -> tuple:
    """:func:`_mention_extra` uncached, from the sentence's parts and cue index (typed in the compiled build)."""
    out: list[str] = []
    # the whole word holding the mention
    ws = start
    # (_LETTERS' characters, and "-", written out: C switches over the character in the compiled build)
    while ws > 0 and sentence[ws - 1] in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzÅÄÖåäöÉéÜü":
        ws -= 1
    we = end
    n = len(sentence)
    while we < n and sentence[we] in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzÅÄÖåäöÉéÜü-":
        we += 1
    low = parts[10]
    word = sentence[ws:we].lower() if low is None else low[ws:we]
    if len(word) > 4 and word.endswith(_GENITIVE_ENDS) and not sentence[we:we + 1] in (".", ",", ";", ":"):
        nxt = _words_in(parts, sentence, we, we + 30)
        if nxt and nxt[0] not in PLACE_PREPS and nxt[0] not in ("och", "eller", "som", "har", "är", "ska"):
            out.append("r_genitive")
    before = _words_in(parts, sentence, max(0, ws - 60), ws)
    j = len(before) - 1
    while j >= 0 and before[j] in _NP_FILLERS:
        j -= 1
    if j >= 0 and before[j] in _PREV_WORDS:
        out.append("prev=" + before[j])
    # header before a colon: "Detta har inte gjorts: a, b och c"
    n = len(sentence)
    head_end = _rfind(parts[8], n, ws)  # sentence.rfind(":", 0, ws)
    if head_end > 0:
        mask, neg = _span_scan(cues, sentence, 0, head_end)  # of " " + sentence[:head_end].lower() + " "
        if neg or mask & _DELAY_STOP_DISCUSS:
            out.append("r_header_neg")
        out.append("r_after_colon")
    # the list item holding the mention (between , ; and parentheses closing it)
    # lo: the last ",", ";" or ":" before ws (head_end is such a ":"), hi: the first ",", ";" or "." from we
    lo = _rfind(parts[5], n, ws)
    hi = _find(parts[7], n, we, n)
    if hi < 0:
        hi = n
    if _find(parts[9], n, lo + 1, hi) >= 0:  # a "(": lower-casing neither makes nor removes a parenthesis
        mask, neg = _span_scan(cues, sentence, lo + 1, hi)  # of " " + sentence[lo + 1:hi].lower() + " "
        if mask & _DELAY_STOP or neg:
            out.append("r_item_paren_neg")
    # a wish in the mention's own clause ("skulle vilja införa X", "X skulle vi vilja ha"), not in the next one
    # ("har infört X och skulle vilja sprida det")
    # The clause of the whole word is the mention's: [ws, start) holds letters and [end, we) letters and
    # hyphens, and every clause edge holds punctuation or a space, so no edge ends in (ws, start] or
    # starts in [end, we).
    clo, chi = _clause_bounds(sentence, ws, we, parts) if bounds is None else bounds
    if _span_scan(cues, sentence, clo, chi)[0] & _WISH_BIT:
        out.append("r_wish_clause")
    # after the mention in the same sentence: "men ... inte/lades ned/diskuterats"; the tail " " + rest + " "
    # holds " men " only if the lower-cased rest holds "men " or ends with "men"
    if low is not None and low.find("men ", we) < 0 and not low.endswith("men", we):
        return tuple(out)
    tail = " " + sentence[we:].lower() + " "
    k = tail.find(" men ")
    if k >= 0:
        t2 = tail[k:]
        if _NEG_RX.search(t2) or _lists_mask(t2) & _DELAY_STOP:
            out.append("r_men_neg_after")
            if _holds_any(t2, _PARTIAL):
                out.append("r_men_neg_partial")  # "infört, men inte i alla verksamheter"
            if _holds_any(t2, _US):
                out.append("r_men_neg_us")  # "finns i grannkommunen men inte hos oss"
            if _holds_any(t2, _ELSEWHERE):
                out.append("r_men_neg_elsewhere")  # "finns hos oss men inte i grannkommunen"
    return tuple(out)


def _holds_any(text: str, words: tuple) -> bool:
    """``any(w in text for w in words)`` (without a generator: :func:`_extra_in` is a typed function in the
    compiled build)."""
    for w in words:
        if w in text:
            return True
    return False


_CLAUSE_NAMES: dict[tuple[int, bool], tuple] = {}


def _clause_names(mask: int, neg: bool) -> tuple:
    """:func:`_clause_markers` of a clause whose ``_cue_scan`` is (the lists of ``mask``, ``neg``)."""
    memo = _CLAUSE_NAMES  # (a typed dict in the compiled build: its look-up a direct call)
    key = (mask, neg)
    got = memo.get(key)
    if got is None:
        got = memo[key] = _clause_markers_of(_mask_names(mask), neg)
    return got


@lru_cache(maxsize=SENTENCE_MEMO)
def _clause_markers(clause: str) -> tuple:
    """Measure verb, delay/stop, discussed and negation cues of a clause (cached per clause text:
    the codes of one clause share it)."""
    return _clause_markers_of(*_cue_scan(clause))


def _clause_markers_of(found: tuple, neg: bool) -> tuple:
    out = []
    if "m_measure_verb" in found:
        out.append("r_verb_clause")
    if "m_delay" in found or "m_stop" in found:
        out.append("r_stop_clause")
    if "m_discuss" in found:
        out.append("r_discuss_clause")
    if "m_passing" in found:
        out.append("r_passing_clause")
    if "m_elsewhere" in found:
        out.append("r_elsewhere_clause")
    if neg:
        out.append("r_neg_clause")
    return tuple(out)


_STEM_LEN = 6
# A clause ends at punctuation and before a conjunction or relative word that opens another one: the
# matches of r"[,;:()]|\s(?:men|som|där|eftersom|då|och)\s", written to open with one character set (the
# punctuation or the space, told apart by a look back at it) so that the regex engine skips to the
# characters of that set instead of trying both branches at every position.
_CLAUSE_EDGE = re.compile(r"[,;:()\s](?:(?<=[,;:()])|(?<=\s)(?:men|som|där|eftersom|då|och)\s)")


@lru_cache(maxsize=SENTENCE_MEMO)
def _sentence_parts(sentence: str) -> tuple:
    """What the cues of every mention of a sentence read from it, computed once per sentence:
    (starts, ends and lower-cased texts of its words (:data:`_WORD`), the starts and ends of its clause
    edges as ``_CLAUSE_EDGE.finditer`` gives them, the positions of ",;:", ",;", ",;.", ":" and "(" (by
    :func:`_scan_parts`; read by :func:`_rfind` and :func:`_find`), and the lower-cased sentence when
    it lower-cases character by character, else None: no character whose lower case is longer ("İ"), so that
    the positions are the sentence's, and no capital sigma, whose lower case depends on its neighbours, so that
    a stretch's lower case is the lower-cased sentence's stretch)."""
    low = _lower(sentence)
    if len(low) != len(sentence) or "Σ" in sentence:
        low = None
    return _scan_parts(sentence, low)


def _latin1_lower_table() -> bytes:
    """The lower case of each Latin-1 character as a ``bytes.translate`` table: every one of them lower-cases to one
    Latin-1 character (checked here), so ``str.lower`` of a Latin-1 text is this map character by character (its
    only context-dependent rule, the final sigma, is outside Latin-1)."""
    out = bytearray()
    for i in range(256):
        lo = chr(i).lower()
        if len(lo) != 1 or ord(lo) > 255:
            raise ValueError(f"{chr(i)!r} lower-cases outside Latin-1")
        out.append(ord(lo))
    return bytes(out)


_LATIN1_LOWER = _latin1_lower_table()


def _lower(text: str) -> str:
    """``text.lower()``: for a non-ASCII text whose characters are all Latin-1 (å, ä, ö, é, ...) by one
    ``bytes.translate`` of its Latin-1 bytes (:data:`_LATIN1_LOWER`), a C loop over a 256-byte table, instead of
    ``str.lower``'s full case mapping per character (~45 instructions each); other texts by ``str.lower``."""
    if text.isascii():
        return text.lower()
    b = text.encode("latin-1", "ignore")  # (the "ignore" handler drops the other characters without an exception)
    if len(b) == len(text):
        return b.translate(_LATIN1_LOWER).decode("latin-1")
    return text.lower()


def _scan_parts(sentence: str, low: Optional[str] = None) -> tuple:
    """:func:`_sentence_parts` uncached (``low`` and whether a decimal digit, ``\\d``, occurs are its last two
    items): one pass over the characters for the words and one for the edges and
    punctuation, the matches of ``_WORD.finditer`` and ``_CLAUSE_EDGE.finditer`` (a word's lower case is read
    from ``low``, the lower-cased sentence, when given: a word's characters lower-case one by one):

    - a word is a run of _WORD's characters, extended by a "-" or ":" and a further run as long as there is
      one (the regex's greedy ``(?:[-:]X+)*``, which never needs to backtrack); the next word is looked for
      from its end;
    - an edge is one of ``,;:()``, or a white-space character, one of the six words and a white-space
      character (``\\s`` of a ``str`` pattern is ``str.isspace``), the next one looked for from its end (so
      the space closing " och " does not open " som ").

    The compiled build types the characters and positions (nlp/disposer_features.pxd): the character tests
    are C switches, about a tenth of the two regex ``split`` scans this replaces."""
    n = len(sentence)
    lw = low  # (a str in the compiled build: its slices are direct substrings)
    starts: list = []
    ends: list = []
    words: list = []
    e_starts: list = []
    e_ends: list = []
    csc: list = []  # ",;:"
    cs: list = []  # ",;"
    csp: list = []  # ",;."
    colons: list = []
    opens: list = []
    # One pass over the characters (a C loop over a typed str in the compiled build). A word: ``j`` its start
    # (-1: none), ``k`` the position of a "-" or ":" right after a run of it (-1: none), which continues the
    # word when a word character follows and else ends it there. An edge word is looked for after a white-space
    # character from ``skip`` on (the space closing an edge word opens none).
    i = 0
    j = -1
    k = -1
    skip = 0
    digit = False  # a character that _DIGIT (r"\d": str.isdecimal) matches
    for c in sentence:
        if c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzÅÄÖåäöÉéÜü":
            if j < 0:
                j = i
            k = -1
            if c in "0123456789":
                digit = True
        else:
            if not digit and c.isdecimal():  # a non-ASCII decimal digit ("٣")
                digit = True
            if j >= 0:
                if k < 0 and (c == "-" or c == ":"):
                    k = i
                else:
                    e = i if k < 0 else k
                    starts.append(j)
                    ends.append(e)
                    words.append(sentence[j:e].lower() if lw is None else lw[j:e])
                    j = -1
                    k = -1
            if c in ",;:()":
                e_starts.append(i)
                e_ends.append(i + 1)
                if c == "(":
                    opens.append(i)
                elif c != ")":
                    csc.append(i)
                    if c == ":":
                        colons.append(i)
                    else:
                        cs.append(i)
                        csp.append(i)
            elif c == ".":
                csp.append(i)
            elif i >= skip and c.isspace() and i + 1 < n and sentence[i + 1] in "demos":
                # no edge word begins elsewhere (_EDGE_WORDS' first letters)
                for w in _EDGE_WORDS:
                    m = i + 1 + len(w)
                    if m < n and sentence[m].isspace() and sentence.startswith(w, i + 1):
                        e_starts.append(i)
                        e_ends.append(m + 1)
                        skip = m + 1
                        break
        i += 1
    if j >= 0:
        e = i if k < 0 else k
        starts.append(j)
        ends.append(e)
        words.append(sentence[j:e].lower() if lw is None else lw[j:e])
    return starts, ends, words, e_starts, e_ends, csc, cs, csp, colons, opens, low, digit


def _rfind(pos: list, n: int, end: int) -> int:
    """``s.rfind(c, 0, end)`` of a one-character c in a string s of length ``n`` where c stands at the sorted
    positions ``pos``: the last of them before ``end`` (as a slice's end), or -1."""
    if end < 0:
        end = max(end + n, 0)
    k = first_at_least(pos, end, 0)
    return pos[k - 1] if k else -1


def _find(pos: list, n: int, start: int, end: int) -> int:
    """``s.find(c, start, end)`` of a one-character c in a string s of length ``n`` where c stands at the
    sorted positions ``pos``: the first of them from ``start`` and before ``end`` (as a slice's bounds), or -1."""
    if start < 0:
        start = max(start + n, 0)
    if end < 0:
        end = max(end + n, 0)
    k = first_at_least(pos, start, 0)
    if k < len(pos) and pos[k] < end:
        return pos[k]
    return -1


_EDGE_WORDS = ("men", "som", "där", "eftersom", "då", "och")  # (_CLAUSE_EDGE's words)


def _words_in(parts: tuple, sentence: str, lo: int, hi: int) -> list[str]:
    """``_WORD.findall(sentence, lo, hi)``, lower-cased, from the sentence's words (:func:`_sentence_parts`).
    _WORD has no look-around, so the scan of sentence[lo:hi] finds the sentence's words inside it; a word
    that the window cuts (starting before ``lo`` or ending after ``hi``) is read again by the regex from the
    window's edge to the word's."""
    starts, ends, words = parts[0], parts[1], parts[2]
    i = first_after(ends, lo, 0)  # the first word ending after lo
    j = first_at_least(starts, hi, i)  # words[i:j] start before hi
    if i >= j:
        return []
    if starts[i] >= lo and ends[j - 1] <= hi:
        return words[i:j]
    if i == j - 1:
        return list(map(str.lower, _WORD.findall(sentence, lo, hi)))
    out = list(map(str.lower, _WORD.findall(sentence, lo, ends[i]))) if starts[i] < lo else [words[i]]
    out += words[i + 1:j - 1]
    out += list(map(str.lower, _WORD.findall(sentence, starts[j - 1], hi))) if ends[j - 1] > hi else [words[j - 1]]
    return out


CLAUSE_WINDOW = 3


@lru_cache(maxsize=SENTENCE_MEMO)
def _clause_window(sentence: str, start: int, end: int, bounds: Optional[tuple[int, int]] = None,
                   parts: Optional[tuple] = None) -> tuple:
    if parts is None:
        parts = _sentence_parts(sentence)
    return _window_in(sentence, start, end, bounds, parts)


def _window_in(sentence: str, start: int, end: int, bounds: Optional[tuple], parts: tuple) -> tuple:
    """:func:`_clause_window` uncached, from the sentence's parts (typed in the compiled build)."""
    lo, hi = _clause_bounds(sentence, start, end, parts) if bounds is None else bounds
    left = _words_in(parts, sentence, lo, start)[-CLAUSE_WINDOW:]
    right = _words_in(parts, sentence, end, hi)[:CLAUSE_WINDOW]
    # the words are lower-cased: lower-casing a word's letters (_WORD's) keeps its length, so the stem of the
    # lower-cased word is the lower-cased stem; the keys in order, each once (as dict.fromkeys gives them)
    out: list = []
    side = _SIDE_KEYS
    for w in left:
        got = side.get(w)
        k = (_side_keys(w) if got is None else got)[0]
        if k not in out:
            out.append(k)
    for w in right:
        got = side.get(w)
        k = (_side_keys(w) if got is None else got)[1]
        if k not in out:
            out.append(k)
    return tuple(out)


# Lower-cased word -> its clause-window keys ("L=" + stem, "R=" + stem), filled as words are met; emptied when
# it reaches _STEM_MEMO words.
_SIDE_KEYS: dict[str, tuple[str, str]] = {}


def _side_keys(w: str) -> tuple[str, str]:
    got = _SIDE_KEYS.get(w)
    if got is None:
        if len(_SIDE_KEYS) >= _STEM_MEMO:
            _SIDE_KEYS.clear()
        stem = w[:_STEM_LEN]
        got = _SIDE_KEYS[w] = ("L=" + stem, "R=" + stem)
    return got


_ROLE_OF, _EXTRA_OF, _WINDOW_OF = _mention_role.__wrapped__, _mention_extra.__wrapped__, _clause_window.__wrapped__
_PARTS_OF = _sentence_parts.__wrapped__


@lru_cache(maxsize=SENTENCE_MEMO)
def _mention_cues(sentence: str, start: int, end: int, window: bool) -> tuple[tuple, tuple]:
    """(:func:`_mention_role` + :func:`_mention_extra`, and :func:`_clause_window` when ``window``)
    of the mention sentence[start:end]: one cached call per mention."""
    # the sentence's scan and cue index, looked up once for the three
    return _mention_cues_in(sentence, start, end, window, _sentence_parts(sentence), _sentence_cues(sentence))


def _mention_cues_in(sentence: str, start: int, end: int, window: bool, parts: tuple, cues: tuple) -> tuple:
    """:func:`_mention_cues` from the sentence's :func:`_sentence_parts` and :func:`_sentence_cues`, uncached."""
    bounds = _clause_bounds(sentence, start, end, parts)  # shared by the two (see _mention_extra)
    return (_role_in(sentence, start, end, parts, cues) + _extra_in(sentence, start, end, bounds, parts, cues),
            _window_in(sentence, start, end, bounds, parts) if window else ())


def clause_window(sentence: str, start: int, end: int) -> tuple[str, ...]:
    """The words next to the mention sentence[start:end] inside its clause (the stretch between
    punctuation and the words that open another clause: men, som, där, eftersom, då, och): up to three
    before it (``L=``) and three after it (``R=``), as lower-case 6-letter stems."""
    return _clause_window(sentence, start, end)

_STOPWORDS = frozenset({
    "och", "eller", "samt", "för", "med", "som", "till", "från", "inom", "mellan", "även", "inte", "både", "deras",
    "detta", "denna", "dessa", "andra", "annat", "olika", "särskilt", "särskild", "arbetet", "arbete", "insatser",
    "insats", "region", "regionen", "kommun", "kommunen", "kommuner", "kommunerna", "regioner", "vården", "vård",
    "omsorg", "omsorgen", "utveckling", "utveckla", "arbetssätt", "t.ex.", "inkl.", "också", "ofta", "genom",
})


# Word as written -> its stem in :func:`_stems` ("" when it has none: short, a stop word or a number), filled
# as words are met; emptied when it reaches _STEM_MEMO words.
_STEM_OF: dict[str, str] = {}
_STEM_MEMO = 65_536


def _word_stem(w: str) -> str:
    w = w.lower()
    return w[:_STEM_LEN] if len(w) >= 4 and w not in _STOPWORDS and not w.isdigit() else ""


def _stems(text: str) -> frozenset:
    """Prefix stems of the content words of a text (a crude, inflection-tolerant bag of words)."""
    return _stems_of(_WORD.findall(text))


def _stems_of(words: list[str]) -> frozenset:
    """:func:`_stems` of the text whose words (as written or lower-cased: a stem is read from the lower-cased
    word) these are."""
    got = set(map(_STEM_OF.get, words))
    if None in got:  # a word not met before
        if len(_STEM_OF) >= _STEM_MEMO:
            _STEM_OF.clear()
        for w in words:
            if w not in _STEM_OF:
                _STEM_OF[w] = _word_stem(w)
        got = set(map(_STEM_OF.get, words))
    got.discard("")
    return frozenset(got)


@lru_cache(maxsize=1)
def default_code_terms() -> dict[str, frozenset]:
    """Code id -> stems of its label and definition in the bundled codebook."""
    from nlp.codebook import default_document

    out: dict[str, frozenset] = {}
    for cat in default_document().get("categories", []):
        for c in cat.get("codes", []):
            out[c["id"]] = _stems(f"{c.get('label') or ''} {c.get('definition') or ''}")
    return out


@lru_cache(maxsize=SENTENCE_MEMO)
def _sentence_stems(sentence: str) -> frozenset:
    # the sentence's lower-cased words, which its mentions' cues read too (:func:`_sentence_parts`)
    return _lower_stems(_sentence_parts(sentence)[2])


@lru_cache(maxsize=SENTENCE_MEMO)
def _sentence_info(sentence: str) -> tuple:
    """Everything the proposals of a sentence read from it, in one pass and one memo entry: (the sentence,
    its :func:`_sentence_parts`, :func:`_sentence_cues`, :func:`_sentence_stems` and :func:`_sentence_markers`),
    the same values as those functions give; a mention's cues are then read from the parts and cues by position
    (:func:`_mention_cues_in`)."""
    parts = _PARTS_OF(sentence)
    low = parts[10]
    cues = (None, [], [], []) if low is None else (low, *_key_occurrences(low))
    return sentence, parts, cues, _lower_stems(parts[2]), _markers_of(sentence, cues, parts[11])


# A match (the words a rule matched) -> :func:`_sentence_stems` of it; emptied when it reaches _STEM_MEMO matches.
_MATCH_STEMS: dict[str, frozenset] = {}


def _match_stems(match: str) -> frozenset:
    memo = _MATCH_STEMS  # (a typed dict in the compiled build: its look-up a direct call)
    got = memo.get(match)
    if got is None:
        if len(memo) >= _STEM_MEMO:
            memo.clear()
        got = memo[match] = _lower_stems(_PARTS_OF(match)[2])
    return got


def _lower_stems(words: list) -> frozenset:
    """:func:`_stems_of` of lower-cased words: a word shorter than four letters has no stem (:func:`_word_stem`),
    so it is passed over without a look-up in the memo."""
    got = set()
    stem_of = _STEM_OF
    for w in words:
        if len(w) >= 4:
            st = stem_of.get(w)
            if st is None:
                if len(stem_of) >= _STEM_MEMO:
                    stem_of.clear()
                st = stem_of[w] = _word_stem(w)
            if st:
                got.add(st)
    return frozenset(got)


@lru_cache(maxsize=8192)
def _kind(rule: str) -> str:
    if rule.startswith(IMPLIED_PREFIX):
        return "implied"
    return rule.split(":", 1)[0] or "keyword"


def _segment_count(res) -> int:
    """Number of segments of a tag result: the analysed text's segments (what ``res.segments()``
    lists, without building its excerpts), else its excerpts."""
    a = getattr(res, "_analysed", None)
    return len(a.segments) if a is not None else len(res.segments())


# Feature names built from a prefix and a word (``_named``: "w=" + word, "kind=" + kind, ...), kept between calls
# so that a proposal's keys are looked up, not built and hashed again; each table is emptied when it reaches
# _STEM_MEMO entries. A code's crossed names (``_crossed``: code + "|" + name) are kept per call of
# :func:`proposal_features` (one table per code: kept between calls, they could hold _STEM_MEMO names per code).
_NAMED: dict[str, dict[str, str]] = {}


def _name_table(prefix: str) -> dict:
    got = _NAMED.get(prefix)
    if got is None:
        got = _NAMED[prefix] = {}
    return got


def _named(table: dict, prefix: str, w: str) -> str:
    """``prefix + w`` from ``table`` (:func:`_name_table` of the prefix)."""
    got = table.get(w)
    if got is None:
        if len(table) >= _STEM_MEMO:
            table.clear()
        got = table[w] = prefix + w
    return got


def _crossed(table: dict, c_bar: str, k: str) -> str:
    """``c_bar + k`` from ``table`` (the code's table of crossed names)."""
    got = table.get(k)
    if got is None:
        if len(table) >= _STEM_MEMO:
            table.clear()
        got = table[k] = c_bar + k
    return got


_W_NAMES = _name_table("w=")
_KIND_NAMES = _name_table("kind=")
_STATUS_NAMES = _name_table("status=")
_SCOPE_NAMES = _name_table("scope=")
_ANY_NAMES = _name_table("any_")
_ALL_NAMES = _name_table("all_")
_WITH_NAMES = _name_table("with=")
_CODE_NAMES = _name_table("code=")
_M_NAMES: dict[str, str] = {}  # a rule's match -> "m=" + its lower case (its first 30 characters), "" when empty


def _m_name(match: str) -> str:
    got = _M_NAMES.get(match)
    if got is None:
        if len(_M_NAMES) >= _STEM_MEMO:
            _M_NAMES.clear()
        m_low = match.lower()[:30]
        got = _M_NAMES[match] = "m=" + m_low if m_low else ""
    return got


# math.log1p of the counts a proposal's features take it of (hits, sentences, codes, segments, the passage's length)
_LOG1P_N = 4096


def _log1p_table() -> list:
    """``[math.log1p(n) for n in range(_LOG1P_N)]`` (a loop in a function: see :func:`_list_bits`)."""
    out = []
    for n in range(_LOG1P_N):
        out.append(math.log1p(n))
    return out


_LOG1P = _log1p_table()


def _log1p(n: int) -> float:
    """``math.log1p(n)`` of an integer, the same double, read from :data:`_LOG1P` when ``0 <= n < _LOG1P_N`` (a list
    item instead of a call of the math module through Python's calling convention, ~55,000 per 1,000 passages)."""
    if 0 <= n < _LOG1P_N:
        return _LOG1P[n]
    return math.log1p(n)


def proposal_features(results: Sequence, props: Sequence[Proposal], *,
                      questions: Optional[Sequence[Optional[str]]] = None,
                      code_questions: Optional[dict[str, frozenset]] = None,
                      context_words: bool = True,
                      code_terms: Optional[dict[str, frozenset]] = None,
                      clause_words: bool = True) -> list[dict[str, float]]:
    """Feature dicts of the proposals (same order). ``code_terms`` (code -> stems of its label and
    definition; the bundled codebook's by default) gives how much of the code's meaning a mention's
    sentence speaks about beyond the matched words; ``clause_words`` adds the words of each mention's
    clause (:func:`clause_window`), alone and crossed with the code, weighted by the share of mentions.
    The feature names are looked up in the name tables (:func:`_named`, :func:`_crossed`): the same strings,
    inserted in the same order, as building them per proposal."""
    return _proposal_features(results, props, questions, code_questions, context_words, code_terms, clause_words)


def _proposal_features(results, props, questions, code_questions, context_words, code_terms, clause_words) -> list:
    """:func:`proposal_features` (its arguments by position: a typed loop in the compiled build)."""
    if code_terms is None:
        code_terms = default_code_terms()
    clause_words = bool(clause_words)
    codes_per_passage: dict[int, set] = {}
    sent_codes: dict[tuple[int, int], set] = {}
    for p in props:
        codes_per_passage.setdefault(p.index, set()).add(p.code)
        for e in p.evidence:
            sent_codes.setdefault((p.index, e.excerpt_start), set()).add(p.code)
    seg_count: dict[int, int] = {}
    leads: dict[int, int] = {}
    sent_of: dict[tuple[int, int], tuple] = {}
    sent_index = -1
    crossed: dict[str, dict[str, str]] = {}  # code -> {name: code + "|" + name} (this call's)
    w_names, kind_names, any_names, all_names = _W_NAMES, _KIND_NAMES, _ANY_NAMES, _ALL_NAMES
    out = []
    for p in props:
        res = results[p.index]
        text = res.text
        if p.index != sent_index:  # (xs, xe) -> _sentence_info(text[xs:xe]) of this passage's sentences
            sent_index, sent_of = p.index, {}
        if p.index not in seg_count:
            seg_count[p.index] = max(1, _segment_count(res))
            leads[p.index] = len(text) - len(text.lstrip())  # text[:xs] is blank exactly when xs <= lead
        lead = leads[p.index]
        c = p.code
        c_bar = c + "|"
        c_keys = crossed.get(c)
        if c_keys is None:
            c_keys = crossed[c] = {}
        f: dict[str, float] = {"bias": 1.0, _named(_CODE_NAMES, "code=", c): 1.0}
        evidence = p.evidence
        kinds = set([_kind(e.rule) for e in evidence])
        for kd in kinds:
            k = _named(kind_names, "kind=", kd)
            f[k] = 1.0
            f[_crossed(c_keys, c_bar, k)] = 1.0
        if len(kinds) == 1:  # every kind the same (a proposal has evidence)
            if "weak" in kinds:
                f["only_weak"] = 1.0
            elif "implied" in kinds:
                f["only_implied"] = 1.0
        only_cooc = True  # (all(...) of a generator, written out: this is a typed function in the compiled build)
        for k in kinds:
            if not k.startswith("cooccurrence"):
                only_cooc = False
                break
        if only_cooc:
            f["only_cooc"] = 1.0
        n_ev = len(evidence)
        sents = {e.excerpt_start for e in evidence}
        if EVIDENCE == "log":
            f["n_evidence"] = _log1p(n_ev)
            f["frac_sentences"] = len(sents) / seg_count[p.index]
            f["n_sentences_with"] = _log1p(len(sents))
        elif EVIDENCE == "ind":
            if n_ev >= 2:
                f["evidence_2plus"] = 1.0
            if len(sents) >= 2:
                f["sentences_2plus"] = 1.0
        f["max_conf"] = max([float(e.confidence) for e in evidence])
        # roles: how many mentions have each role (all / any)
        role_counts: dict[str, int] = {}
        mark_counts: dict[str, int] = {}
        ctx: set[str] = set()
        others: set[str] = set()
        looked = evidence[:MAX_MENTIONS]
        share = 1.0 / len(looked)
        def_hits = -1
        terms = code_terms.get(c)
        f_get = f.get
        for e in looked:
            xs, xe = e.excerpt_start, e.excerpt_end
            if xe <= xs:
                xs, xe = e.start, e.end
            si = sent_of.get((xs, xe))
            if si is None:
                si = sent_of[(xs, xe)] = _sentence_info(text[xs:xe])
            sentence, parts, cues, s_stems, s_marks = si
            match = e.match or ""
            if terms:
                hits = len((s_stems & terms) - _match_stems(match))
                if hits > def_hits:
                    def_hits = hits
            ms, me = e.start - xs, e.end - xs
            roles, window = _mention_cues_in(sentence, ms, me, clause_words, parts, cues)
            for k in roles:
                role_counts[k] = role_counts.get(k, 0) + 1
            if match:
                k = _m_name(match)
                if k:
                    f[_crossed(c_keys, c_bar, k)] = 1.0
            if xs <= lead:
                f["in_first_sentence"] = 1.0
            for k in s_marks:
                mark_counts[k] = mark_counts.get(k, 0) + 1
            st = e.status
            if st and st != "okänd":
                f[_named(_STATUS_NAMES, "status=", st)] = 1.0
            sc = e.scope
            if sc and sc != "okänd":
                f[_named(_SCOPE_NAMES, "scope=", sc)] = 1.0
            sc_codes = sent_codes.get((p.index, e.excerpt_start))
            if sc_codes:
                others |= sc_codes
            if clause_words:
                for k in window:
                    f[k] = f_get(k, 0.0) + share
                    ck = _crossed(c_keys, c_bar, k)
                    f[ck] = f_get(ck, 0.0) + share
            if context_words:
                _context_words_in(ctx, parts, sentence, ms, me)  # the words within 4 before and after the mention
        n_looked = len(looked)
        if def_hits >= 0 and DEF_OVERLAP != "none":
            if DEF_OVERLAP == "log":
                f["def_overlap"] = _log1p(def_hits)
            if def_hits == 0:
                f["def_overlap_none"] = 1.0
                f[_crossed(c_keys, c_bar, "def_overlap_none")] = 1.0
        for k, n in role_counts.items():
            f[_named(any_names, "any_", k)] = 1.0
            if n == n_looked:
                k = _named(all_names, "all_", k)
                f[k] = 1.0
                f[_crossed(c_keys, c_bar, k)] = 1.0
        for k, n in mark_counts.items():
            f[k] = f[_crossed(c_keys, c_bar, k)] = n / n_looked
        others.discard(c)
        f["n_other_codes_sentence"] = _log1p(len(others))
        for o in others:
            f[_crossed(c_keys, c_bar, _named(_WITH_NAMES, "with=", o))] = 1.0
        f["n_codes_passage"] = _log1p(len(codes_per_passage.get(p.index, ())) - 1)
        f["len_log"] = _log1p(len(text)) / 8.0
        f["n_segments"] = _log1p(seg_count[p.index])
        q = questions[p.index] if questions is not None else None
        if q:
            cq = (code_questions or {}).get(c)
            if cq:
                if str(q).lower() in cq:
                    f["q_match"] = 1.0
                else:
                    f["q_mismatch"] = 1.0
        for w in ctx:
            k = _named(w_names, "w=", w)
            f[k] = 1.0
            f[_crossed(c_keys, c_bar, k)] = 0.5
        if LEXICAL_SCALE != 1.0:
            for k in [k for k in f if k.startswith(c_bar) and k[len(c_bar):len(c_bar) + 2] in ("m=", "L=", "R=", "w=")]:
                f[k] *= LEXICAL_SCALE
        out.append(f)
    return out


def dict_scores(X: Sequence[dict], weights: dict) -> list:
    """Per feature dict, ``sum([weights.get(k, 0.0) * v for k, v in f.items()])``: the same double (a sum from
    int 0 adds as one from 0.0, in the dict's order; each product and addition one double operation, typed as C
    doubles in the compiled build), without the list of products."""
    out = []
    for f in X:
        s = 0.0
        for k, v in f.items():
            w = weights.get(k)
            wd = 0.0 if w is None else w
            s += wd * v
        out.append(s)
    return out
