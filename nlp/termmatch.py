"""Compile codebook patterns and match them over analysed text, fast.

Patterns are compiled once per codebook into a term index keyed on word forms and lemmas.
All per-word work (lemma keys, compound parts, abbreviation and prefix tests) is done once
per distinct word form (spaCy ORTH hash) of the corpus, so matching 1 M words touches only the
tokens whose form can start a term. This is what lets the app re-tag a national corpus after a
codebook edit in well under a second: the analysed text (:class:`AnalysedText`) is kept and
only this module runs again.

Matching semantics (what an analyst writes in ``data/codebook.yaml``):

- a phrase matches when each of its words matches consecutive tokens by lower-case form or by
  lemma ("mobila teamen" ~ "mobilt team"); ``ord*`` is a prefix;
- a single word of 6+ letters also matches inside a compound, as its last part (head, with
  inflection: "hemsjukvårdsteamet" ~ "hemsjukvårdsteam") or first part ("patientkontraktsarbetet");
  ``=ord`` turns that off;
- abbreviations match case-sensitively as whole tokens, also with a "-" or ":" suffix
  ("SIP-samordnare", "SIP:ar");
- head+modifier rules match a compound ("trygghetsteam") or a phrase whose last word has the
  head and one of the two words before it a modifier ("mobilt palliativt team");
- abbreviations whose lower-case form is no Swedish word (``CASE_SAFE`` in
  :mod:`nlp.lang_sv.abbreviations`: "sip", "npö", "usk") also match lower-case or Capitalised;
- fall-back for messy text (:meth:`TermIndex.fallback`): a form the Swedish dictionary does not know
  and that matches nothing is read as the codebook word it is a misspelling of, when there is one:
  diacritics restored ("aldre" ~ "äldre", "hemsjukvardsteamet" ~ "hemsjukvårdsteamet") or, for forms
  of 8+ letters, one typo corrected against a term, compound part or head of 6+ letters
  ("egenmonitorring" ~ "egenmonitorering"). A known word is never read as another ("vard", "far", "mal").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

import numpy as np

try:  # one C pass finds every folded codebook word inside a form
    import ahocorasick as _ahocorasick
except ImportError:  # pragma: no cover - the seg loop below gives the same candidates
    _ahocorasick = None

from nlp.lang_sv.abbreviations import CASE_SAFE as _CASE_SAFE
from nlp.lang_sv.compounds import LINKS as _LINKS
from nlp.lang_sv.compounds import MAX_COMPOUND_CHARS as _MAX_WORD
from nlp.lang_sv.compounds import split as _split
from nlp.lang_sv.dictionary import known as _known
from nlp.lang_sv.lemma_exceptions import LEMMA_EXCEPTIONS as _LEMMA_EXC

__all__ = ["Term", "TermIndex", "WordFeatures", "INFLECTIONS", "stems", "fold", "fallback_eligible", "better_reading",
           "word_automaton"]

# Swedish inflectional endings (nouns, adjectives, participles), longest first.
INFLECTIONS = (
    "ernas", "arnas", "ornas", "erna", "arna", "orna", "ens", "ets", "ers", "ars", "ors",
    "nas", "en", "et", "er", "ar", "or", "na", "ns", "ts", "es", "n", "t", "s", "a", "e", "r",
)
MIN_COMPOUND = 6  # single keywords this long (in letters) also match inside compounds


_INFL_SET = frozenset(INFLECTIONS)


def _lengths(words) -> list[int]:
    """The distinct lengths of the words, longest first (built in a function, not by a module-level
    comprehension: see nlp/compiled.py on the compiled build)."""
    return sorted({len(x) for x in words}, reverse=True)


_INFL_LENS = _lengths(INFLECTIONS)


def stems(w: str) -> list[str]:
    """Candidate base forms of a lower-case word: the word, minus an inflection, plus -a/-e."""
    out = [w]
    n = len(w)
    for k in _INFL_LENS:
        if n - k >= 3 and w[n - k:] in _INFL_SET:
            base = w[: n - k]
            out.append(base)
            out.append(base + "a")
            out.append(base + "e")
    return out


_STEMS: dict[str, list[str]] = {}


def _stems(w: str) -> list[str]:
    """:func:`stems`, memoised per word (the list is shared: do not change it)."""
    got = _STEMS.get(w)
    if got is None:
        got = _STEMS[w] = stems(w)
    return got


# ------------------------------------------------------------------ fall-back for messy text
_FOLD = str.maketrans("åäöéèáàüÅÄÖÉÈÁÀÜ", "aaoeeaauAAOEEAAU")
FALLBACK_MIN_TYPO = 8  # a form this long (letters) may have one typo corrected
# One-typo correction is off by default: on a national vocabulary (most compound types new) it costs about as
# much as the rest of the tagging (bench/README.md); diacritic restoration stays on.
FALLBACK_TYPOS = False
FALLBACK_MIN_KEY = 6  # ... against a codebook word (term, compound part, head) this long
FALLBACK_MIN_PART = 4  # a compound part restored by its diacritics alone is this long
_FALLBACK_TRIES = 8  # corrected forms computed at most per form


# (_FOLD as pairs: one str.replace per diacritic the text holds)
_FOLD_PAIRS = tuple(zip("åäöéèáàüÅÄÖÉÈÁÀÜ", "aaoeeaauAAOEEAAU"))


def fold(s: str) -> str:
    """``s`` without diacritics (å, ä → a, ö → o, é → e ...): what ``s.translate(_FOLD)`` gives. _FOLD maps
    only non-ASCII letters, each to an ASCII one, so an ASCII text is its own folding and the others take
    one ``str.replace`` per letter of _FOLD they hold (str.translate looks every character up in the table
    dict, one call of the fall-back readings costing ~7,600 instructions per word)."""
    if s.isascii():
        return s
    for a, b in _FOLD_PAIRS:
        if a in s:
            s = s.replace(a, b)
    return s


def fallback_eligible(low: str) -> bool:
    """Whether a lower-case form may be read as a misspelt codebook word: 3+ letters, letters only, and
    neither a form of the Swedish dictionary nor a domain exception (a few dict look-ups; callers keep
    the features they compute per form)."""
    return len(low) >= 3 and low.isalpha() and low not in _LEMMA_EXC and not _known(low)


def _dl1(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance of a and b is at most 1 (one deletion, insertion, substitution or
    swap of two neighbours)."""
    la, lb = len(a), len(b)
    if a == b:
        return True
    if abs(la - lb) > 1:
        return False
    i = 0
    m = min(la, lb)
    while i < m and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1:] == b[i + 1:]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]
    if la > lb:
        return a[i + 1:] == b[i:]
    return a[i:] == b[i + 1:]


def _word_like(part: str) -> bool:
    """A compound part left as written beside a corrected one: a known word, also after a linking
    morpheme ("distrikts", "sjukvårds"); a remainder may also be a compound of known words."""
    if _known(part) or part in _LEMMA_EXC:
        return True
    for link in ("s", "e", "a"):
        if part.endswith(link) and len(part) > 3 and _known(part[:-1]):
            return True
    return False


def _no_compound(low: str) -> bool:
    """Whether the compound splitter leaves ``low`` unexplained: no split, or only a weak one that cuts
    a short head (4 letters or less) off a modifier the dictionary does not know ("egenmonitor|ring",
    "sjukskoter|ska"). A split into known parts ("läkar|medverkan", "vakans|läge") means a real word,
    which the typo correction never touches."""
    sp = _split(low)
    if sp is None:
        return True
    mod, surface, head = sp
    return len(head) <= 4 and not _word_like(surface.lower()) and not _word_like(mod.lower())


def _parts_ok(low: str, a: int, b: int, ends: list) -> bool:
    """A correction of low[a:b] keeps the compound's other part as a word: the modifier before a
    corrected head, the rest after a corrected first part ("aldre|omsorg", "distrikts|skoterskan"; not
    "tredag|arskurs")."""
    if a > 0 and not _word_like(low[:a]):
        return False
    if b not in ends:
        rest = low[b:]
        if rest[:1] in ("s", "e", "a") and _known(rest[1:]):
            return True
        return _known(rest) or rest in _LEMMA_EXC or _split(rest) is not None
    return True



def better_reading(f: "WordFeatures", fb: Optional["WordFeatures"]) -> "WordFeatures":
    """``fb`` (the fall-back reading of a form) when it offers the matcher everything ``f`` (the form as
    written) does and more ("halsosamtal" matches "samtal" as a head; "hälsosamtal" that and the
    keyword), else ``f``."""
    if fb is None:
        return f
    if not (f.first or f.heads or f.mods):
        return fb
    if (set(fb.first) >= set(f.first) and set(fb.heads) >= set(f.heads) and set(fb.full_heads) >= set(f.full_heads)
            and set(fb.mods) >= set(f.mods) and (len(set(fb.first)) > len(set(f.first))
                                                 or len(set(fb.full_heads)) > len(set(f.full_heads)))):
        return fb
    return f


def word_automaton(words: Iterable[str], values: Optional[dict] = None):
    """An Aho-Corasick automaton whose ``iter(text)`` yields (end, value) for every one of ``words`` inside a
    text (each word its own value, or ``values[word]`` when given; added in the order given); None when the
    library is not installed."""
    if _ahocorasick is None:
        return None
    auto = _ahocorasick.Automaton()
    for w in words:
        auto.add_word(w, w if values is None else values[w])
    auto.make_automaton()
    return auto


_PROBES: dict[str, tuple] = {}
_AFFIXES: dict[str, str] = {}  # one string object per distinct affix (held by many forms' probes)


def probes(orth: str, low: str, lem: str) -> tuple:
    """Strings an index may look up for a word form (distinct, in no particular order): forms,
    stems, 3/4/5-letter affixes, abbreviation. A tuple, memoised per form: test it with
    ``index.probe_set.isdisjoint(probes(...))``."""
    p = _PROBES.get(orth)
    if p is None:
        st = _stems(low)
        bases = [x for k, x in enumerate(st) if k == 0 or k % 3 == 1] + [lem]
        out = set(st)
        out.add(lem)
        aff = _AFFIXES  # (a typed dict in the compiled build: setdefault a direct C call, not a bound method's)
        for x in bases:
            a = x[-5:]
            out.add(aff.setdefault(a, a))
            a = x[-3:]
            out.add(aff.setdefault(a, a))
        a = low[:4]
        out.add(aff.setdefault(a, a))
        a = low[:3]
        out.add(aff.setdefault(a, a))
        base = orth
        for sep in (":", "-"):
            if sep in base[1:]:
                base = base.split(sep, 1)[0]
        out.add("A:" + base)
        p = _PROBES[orth] = tuple(out)
    return p


@dataclass(frozen=True)
class Term:
    """One compiled pattern: a sequence of word matchers plus what it signals.

    ``words`` holds, per word, a frozenset of accepted keys (lower forms and lemmas); a key
    ending in '*' is a prefix. ``abbr`` is set for an abbreviation (case-sensitive, one token).
    ``kind`` is e.g. 'kw', 'weak', 'req', 'neg', 'cc', 'marker'; ``payload`` says for what.
    """

    words: tuple[frozenset, ...]
    kind: str
    payload: tuple
    text: str
    abbr: Optional[str] = None
    compound: bool = False
    exact: bool = False


class WordFeatures:
    """What one distinct word form offers to the matcher.

    A plain class with slots (what ``@dataclass(slots=True)`` gave: the same constructor, ``==`` over the six
    fields, no hash, the same repr), written out so that the compiled build can make it an extension type
    (nlp/termmatch.pxd) whose fields its typed users read as C struct slots."""

    __slots__ = ("keys", "lower", "first", "heads", "full_heads", "mods")

    def __init__(self, keys: frozenset, lower: str, first: tuple, heads: tuple = (), full_heads: tuple = (),
                 mods: tuple = ()):
        self.keys = keys
        self.lower = lower
        self.first = first  # ids of terms whose FIRST word this form matches
        self.heads = heads  # head-rule ids whose head this form carries
        self.full_heads = full_heads  # head-rule ids fully satisfied inside this one word
        self.mods = mods  # head-rule ids whose modifier this form is

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return ((self.keys, self.lower, self.first, self.heads, self.full_heads, self.mods)
                == (other.keys, other.lower, other.first, other.heads, other.full_heads, other.mods))

    __hash__ = None  # mutable, compared by value (as the dataclass)

    def __repr__(self) -> str:
        return (f"WordFeatures(keys={self.keys!r}, lower={self.lower!r}, first={self.first!r}, "
                f"heads={self.heads!r}, full_heads={self.full_heads!r}, mods={self.mods!r})")


@dataclass
class HeadRule:
    head: str
    modifiers: frozenset
    prefixes: tuple[str, ...]
    kind: str
    payload: tuple
    text: str


def _modifier_ends(modifiers: frozenset) -> tuple:
    """The modifiers a compound modifier may end in (4+ letters: "hemsjukvårds" ends in "sjukvårds")."""
    return tuple(m for m in modifiers if len(m) >= 4)


def _modifier_ok(mod_surface: str, modifiers: frozenset, prefixes: tuple, ends: tuple) -> bool:
    """Whether ``mod_surface``, or it without a linking morpheme (``_LINKS``: "trygghets" -> "trygghet"), is a
    modifier of a head rule: one of ``modifiers``, starting with one of ``prefixes`` or (a compound modifier
    "hemsjukvårds") ending in one of ``ends`` (:func:`_modifier_ends`). str.startswith/endswith test a tuple
    in one call."""
    c = mod_surface
    if c in modifiers or c.startswith(prefixes) or c.endswith(ends):
        return True
    n = len(mod_surface)
    for link in _LINKS:
        if link and mod_surface.endswith(link) and n > len(link) + 1:
            c = mod_surface[: n - len(link)]
            if c in modifiers or c.startswith(prefixes) or c.endswith(ends):
                return True
    return False


class TermIndex:
    """A compiled set of terms with per-word-form caches.

    ``lemma`` is the lemmatiser (pipeline.lemma) and ``tokenize`` splits a pattern into words
    the same way the analysed text was tokenised.
    """

    def __init__(self, lemma, tokenize):
        self._lemma = lemma
        self._tokenize = tokenize
        self.terms: list[Term] = []
        self.head_rules: list[HeadRule] = []
        self._first: dict[str, list[int]] = {}
        self._first_prefix: dict[str, list[tuple[str, int]]] = {}
        self._first_abbr: dict[str, list[int]] = {}
        self._contain_end: dict[str, list[str]] = {}
        self._contain_start: dict[str, list[str]] = {}
        self._contain_all: set[str] = set()
        # the compound keywords again by their last and first 6 letters (all have 6+): the candidates the features
        # of a form test, fewer than under the 5/4-letter keys above (those stay the probe strings)
        self._contain_end6: dict[str, list[str]] = {}
        self._contain_start6: dict[str, list[str]] = {}
        self._all_keys: set[str] = set()
        self._head_end: dict[str, list[int]] = {}
        # as _head_end, with what the features test of each rule: (rid, head, modifiers, prefixes, modifier ends)
        self._head_cands: dict[str, list[tuple]] = {}
        self._mod_keys: dict[str, list[int]] = {}
        self._mod_prefix: dict[str, list[tuple[str, int]]] = {}
        self._cache: dict[str, WordFeatures] = {}
        self._sigs: dict[tuple, int] = {}
        self._rest_cache: Optional[list] = None
        self._plans: dict[tuple, Optional[tuple]] = {}
        self._probe_set: Optional[frozenset] = None
        self._probe_n = (0, 0)
        self._abbr_fold: dict[str, list[int]] = {}  # lower-case CASE_SAFE abbreviation -> term ids
        self._twins: dict[str, Optional[frozenset]] = {}  # known lower form -> its diacritic twins' keys
        self._fb_vocab: Optional[tuple] = None
        self._fb_auto = None  # Aho-Corasick automaton over the restore map's folded words
        self._fb_n = (0, 0)

    # ---------------------------------------------------------------- compile
    def _word_keys(self, word: str, exact: bool = False) -> frozenset:
        w = word.lower()
        if exact or (w.endswith("*") and len(w) > 1):
            return frozenset({w})
        keys = {w}
        lem = self._lemma(word).lower()
        if lem and _lemma_plausible(w, lem):
            keys.add(lem)
        return frozenset(keys)

    def add_phrase(self, phrase: str, kind: str, payload: tuple, allow_compound: bool = True) -> Optional[int]:
        """Add an analyst phrase ('mobila team', 'mobil*', '=skola'); returns the term id."""
        text = phrase.strip()
        exact = text.startswith("=")
        if exact:
            text = text[1:].strip()
        if not text:
            return None
        words = [w for w in self._tokenize(text) if w.strip()]
        if not words:
            return None
        keys = tuple(self._word_keys(w, exact) for w in words)
        sig = (kind, payload, exact, tuple(w.lower() if exact else self._lemma(w).lower() for w in words))
        old = self._sigs.get(sig)
        if old is not None:
            # an inflected duplicate ("mobila teamen" beside "mobilt team"): widen the old term; its text (the
            # rule an evidence names) is the longest of the phrases, then the first in alphabetical order, so
            # it does not depend on the order of the codebook's terms
            t = self.terms[old]
            merged = tuple(a | b for a, b in zip(t.words, keys))
            name = min(t.text, phrase, key=lambda x: (-len(x), x))
            self.terms[old] = Term(words=merged, kind=t.kind, payload=t.payload, text=name, abbr=t.abbr,
                                   compound=t.compound, exact=t.exact)
            for k in merged[0] - t.words[0]:
                if not k.endswith("*"):
                    self._first.setdefault(k, []).append(old)
            if not exact:
                for wk in merged:
                    self._all_keys.update(wk)
            return old
        single = len(words) == 1
        letters = sum(c.isalpha() for c in words[0])
        compound = (single and not exact and allow_compound and letters >= MIN_COMPOUND
                    and not words[0].endswith("*"))
        term = Term(words=keys, kind=kind, payload=payload, text=phrase, compound=compound, exact=exact)
        tid = self._add(term)
        self._sigs[sig] = tid
        return tid

    def add_abbreviation(self, abbr: str, kind: str, payload: tuple) -> Optional[int]:
        """Add a case-sensitive abbreviation ('SIP', 'SIP:ar' -> base 'SIP')."""
        a = abbr.strip()
        for sep in (":", "-"):
            if sep in a[1:]:
                a = a.split(sep, 1)[0]
        if not a:
            return None
        return self._add(Term(words=(frozenset(),), kind=kind, payload=payload, text=abbr, abbr=a))

    def add_head_rule(self, head: str, modifiers: Sequence[str], kind: str, payload: tuple, text: str) -> None:
        """head + modifiers rule (compound or phrase)."""
        h = head.strip().lower()
        mods, prefixes = set(), []
        for m in modifiers:
            m = m.strip().lower()
            if m.endswith("*"):
                prefixes.append(m[:-1])
            elif m:
                mods.add(m)
                mods.add(self._lemma(m).lower())
        rid = len(self.head_rules)
        self.head_rules.append(HeadRule(h, frozenset(mods), tuple(prefixes), kind, payload, text))
        cand = (rid, h, frozenset(mods), tuple(prefixes), _modifier_ends(frozenset(mods)))
        for hk in {h, self._lemma(h).lower()}:
            self._head_end.setdefault(hk[-3:], []).append(rid)
            self._head_cands.setdefault(hk[-3:], []).append(cand)
        for m in mods:
            self._mod_keys.setdefault(m, []).append(rid)
        for p in prefixes:
            self._mod_prefix.setdefault(p[:3], []).append((p, rid))

    def _add(self, term: Term) -> int:
        tid = len(self.terms)
        self.terms.append(term)
        if term.abbr is not None:
            self._first_abbr.setdefault(term.abbr, []).append(tid)
            low = term.abbr.lower()
            for v in {low, fold(low)}:
                if v in _CASE_SAFE and v != term.abbr:
                    self._abbr_fold.setdefault(v, []).append(tid)
            return tid
        for k in term.words[0]:
            if k.endswith("*"):
                self._first_prefix.setdefault(k[:3], []).append((k[:-1], tid))
            else:
                self._first.setdefault(k, []).append(tid)
        if not term.exact:
            for wk in term.words:
                self._all_keys.update(wk)
        if term.compound:
            for k in term.words[0]:
                if len(k) >= MIN_COMPOUND and k not in self._contain_all:
                    self._contain_all.add(k)
                    self._contain_end.setdefault(k[-5:], []).append(k)
                    self._contain_start.setdefault(k[:4], []).append(k)
                    self._contain_end6.setdefault(k[-6:], []).append(k)
                    self._contain_start6.setdefault(k[:6], []).append(k)
        return tid

    @property
    def _rest(self) -> list:
        """Per term: None for one word, else (second word keys, any prefix, later words)."""
        if self._rest_cache is None or len(self._rest_cache) != len(self.terms):
            out = []
            for t in self.terms:
                if len(t.words) == 1:
                    out.append(None)
                else:
                    star = any(k.endswith("*") for wk in t.words for k in wk)
                    # verb + particle ('åker ut', 'skicka in'): the particle may come a few words later
                    # ('åker sedan våren ut', 'skickar varje dag in')
                    particle = len(t.words) == 2 and not t.words[1].isdisjoint(PARTICLES)
                    out.append((t.words[1], star, t.words[2:], particle))
            self._rest_cache = out
            self._plans = {}
        return self._rest_cache

    def _plan(self, first: tuple) -> Optional[tuple]:
        """For the term ids a form starts (``first``): None when none is a plain multi-word term, else
        (the union of the plain multi-word terms' second-word keys, ``first`` without those terms).
        A plain multi-word term (no prefix key, no verb particle) can only match when its second-word
        keys meet the next word's keys, so when the union misses them every plain term gives nothing
        and only the reduced tuple needs trying (in the same order: the same hits)."""
        rest = self._rest
        plain = [tid for tid in first if rest[tid] is not None and not rest[tid][1] and not rest[tid][3]]
        if not plain:
            got = None
        else:
            skip = set(plain)
            got = (frozenset().union(*(rest[tid][0] for tid in plain)),
                   tuple(tid for tid in first if tid not in skip))
        self._plans[first] = got
        return got

    # ------------------------------------------------------------ word features
    def features(self, orth: str, lemma: str) -> WordFeatures:
        """Features of one word form (cached per form).

        A form none of whose probe strings (forms, stems, affixes) occurs in the index gets the
        shared empty features without further work: re-tagging after an edit costs one set
        test per distinct word form.
        """
        f = self._cache.get(orth)
        if f is None:
            low = orth.lower()
            if "-" in low or not self.probe_set.isdisjoint(probes(orth, low, (lemma or low).lower())):
                f = self._compute(orth, lemma)
            else:
                f = WordFeatures(keys=frozenset((low,)), lower=low, first=())
            f = self.messy(f, orth, low)
            self._cache[orth] = f
        return f

    def messy(self, f: WordFeatures, orth: str, low: str) -> WordFeatures:
        """The features ``f`` of a form, read as messy text may need: an unknown form by its fall-back
        reading (:meth:`fallback`); a known word whose diacritic twin is a codebook word ("vard" /
        "vård", "for" / "för") with the twin's keys added, so that it continues a phrase the words
        before it started ("personcentrerad vard") but never starts a term or matches alone.
        Whether a form is a known word is asked last, only of forms that have a candidate reading
        (the Swedish dictionary stays unloaded when a re-tag finds none)."""
        if not 2 <= len(low) <= _MAX_WORD or not low.isalpha():  # (a longer "word" is garbage: linear time)
            return f
        if not (FALLBACK_TYPOS or low.isascii()):  # a word typed with its diacritics is read as written
            return f
        fb = self.fallback(orth)
        if fb is not None:
            return better_reading(f, fb)
        extra = self.twin_keys(low)
        if extra is None or extra <= f.keys:
            return f
        return WordFeatures(keys=f.keys | extra, lower=f.lower, first=f.first, heads=f.heads,
                            full_heads=f.full_heads, mods=f.mods)

    def fallback_touch(self, low: str) -> bool:
        """Whether this index may read the lower-case form ``low`` other than as written (:meth:`messy`): with
        the typo correction off, only an all-ASCII form holding a folded codebook word can be read as
        another (its fall-back reading or its diacritic twin); with it on, any form the dictionary does
        not know."""
        if not 2 <= len(low) <= _MAX_WORD or not low.isalpha():
            return False
        if FALLBACK_TYPOS:
            return fallback_eligible(low)
        if not low.isascii():
            return False
        restore, _ = self._fallback_vocab()
        if not restore:
            return False
        auto = self._fb_auto
        if auto is None:
            f = fold(low)
            return any(f[a:b] in restore for a in range(len(f)) for b in range(a + 3, len(f) + 1))
        for _ in auto.iter(low):
            return True
        return False

    def fallback_forms(self, low: str) -> Optional[list]:
        """The corrected forms :meth:`messy` may compute for the lower-case form ``low``, as (folded codebook
        word, corrected form) pairs: a codebook word restored with its diacritics at a place where
        :meth:`_fallback` (the whole form minus an inflection, a compound's head, its first part) or
        :meth:`twin_keys` (the whole form minus an inflection) looks. The reading of ``low`` depends on
        this index only through these pairs' words and the corrected forms' features (a superset: the
        dictionary checks of the fall-back are left out). None with the typo correction on (any
        form the dictionary does not know may then be read as another)."""
        if FALLBACK_TYPOS:
            return None
        n = len(low)
        if not 3 <= n <= _MAX_WORD or not low.isalpha() or not low.isascii():
            return []
        restore, _ = self._fallback_vocab()
        if not restore:
            return []
        # (an all-ASCII form is its own fold); inflections as twin_keys sets them aside (the fall-back's
        # are a subset: it keeps 3+ letters)
        ends = [n] + [n - k for k in _INFL_LENS if n - k >= 2 and low[n - k:] in _INFL_SET]
        auto = self._fb_auto
        if auto is not None:
            occ = [(last + 1 - len(seg), last + 1, seg) for last, seg in auto.iter(low)]
        else:
            occ = [(a, b, low[a:b]) for a in range(n) for b in range(a + 3, n + 1) if low[a:b] in restore]
        out = []
        for a, b, seg in occ:
            if not (a == 0 and b in ends) and (len(seg) < FALLBACK_MIN_PART
                                               or not ((b in ends and a >= 2) or (a == 0 and b < n - 2))):
                continue
            for w in restore[seg]:
                out.append((seg, low[:a] + w + low[b:]))
        return out

    def twin_keys(self, low: str) -> Optional[frozenset]:
        """Keys of the codebook words a known form is without its diacritics (whole word, after an
        inflection is set aside), or None. A few dict look-ups per form; found twins are memoised."""
        restore, _ = self._fallback_vocab()
        if not restore or not low.isalpha() or len(low) > _MAX_WORD:
            return None
        got = self._twins.get(low)
        if got is not None:
            return got
        f = fold(low)
        n = len(f)
        keys: set = set()
        for e in [n] + [n - k for k in _INFL_LENS if n - k >= 2 and f[n - k:] in _INFL_SET]:
            for w in restore.get(f[:e], ()):
                fixed = w + low[e:]
                if fixed != low:
                    keys |= self._compute(fixed, self._lemma(fixed)).keys
        keys.discard(low)
        if not keys or not (low in _LEMMA_EXC or _known(low)):  # (an unknown form has its fall-back)
            return None
        got = self._twins[low] = frozenset(keys)
        return got

    @property
    def probe_set(self) -> frozenset:
        """Every string _compute may look up (see :func:`probes`)."""
        if self._probe_set is None or self._probe_n != (len(self.terms), len(self.head_rules)):
            ps: set[str] = set(self._all_keys) | set(self._first)
            ps |= set(self._contain_end) | set(self._contain_start) | set(self._head_end) | set(self._mod_keys)
            ps |= set(self._mod_prefix) | set(self._first_prefix)
            ps |= {"A:" + a for a in self._first_abbr}
            ps |= {"A:" + a for a in self._abbr_fold} | {"A:" + a.capitalize() for a in self._abbr_fold}
            self._probe_set = frozenset(ps)
            self._probe_n = (len(self.terms), len(self.head_rules))
        return self._probe_set

    def _compute(self, orth: str, lemma: str) -> WordFeatures:
        """Features of one word form, uncached (:func:`_compute_features`)."""
        return _compute_features(self, orth, lemma)

    # ---------------------------------------------------------------- fall-back
    def _fallback_vocab(self) -> tuple:
        """(folded word -> real words with diacritics, (first or last (length - 1) // 2 letters, length, 0 or 1) of a
        folded word of FALLBACK_MIN_KEY+ letters -> (folded word, real word) pairs): the index's words (terms' words, prefix keys without '*', head-rule
        heads and modifiers; a word ending in -a/-e also without it, so "sjukskoterskor" finds
        "sjukskötersk|a"). Built once per set of terms."""
        n = (len(self.terms), len(self.head_rules))
        if self._fb_vocab is not None and self._fb_n == n:
            return self._fb_vocab
        words: set[str] = set()
        for t in self.terms:
            if t.abbr is not None:
                continue
            for wk in t.words:
                for k in wk:
                    words.add(k[:-1] if k.endswith("*") else k)
        for r in self.head_rules:
            words.add(r.head)
            words.update(r.modifiers)
            words.update(r.prefixes)
        more = {w[:-1] for w in words if len(w) >= 5 and w[-1] in "ae"}
        words |= more
        restore: dict[str, set] = {}
        ends: dict[tuple, set] = {}
        for w in words:
            if not w.isalpha() or len(w) < 3:
                continue
            fw = fold(w)
            if fw != w:
                restore.setdefault(fw, set()).add(w)
            if len(w) >= FALLBACK_MIN_KEY:
                # one edit (deletion, insertion, substitution, swap) leaves a word its first or its last
                # (length - 1) // 2 letters
                h = (len(fw) - 1) // 2
                ends.setdefault((fw[:h], len(fw), 0), set()).add((fw, w))
                ends.setdefault((fw[-h:], len(fw), 1), set()).add((fw, w))
        restore_t = {k: tuple(sorted(v)) for k, v in restore.items()}
        self._fb_vocab = (restore_t, {k: tuple(sorted(v)) for k, v in ends.items()})
        self._fb_auto = None
        if restore_t:
            self._fb_auto = word_automaton(restore_t)
        self._fb_n = n
        self._twins = {}
        return self._fb_vocab

    def fallback(self, orth: str) -> Optional[WordFeatures]:
        """Features of the codebook word an unknown, unmatched form is a misspelling of, or None.

        Only for forms :func:`fallback_eligible` accepts (not a Swedish word form). Candidates, best
        first: a part of the folded form (the whole form minus an inflection, a compound's head, a
        compound's first part) that is a codebook word without its diacritics; then, for forms of
        FALLBACK_MIN_TYPO+ letters, a part one edit away from a codebook word of FALLBACK_MIN_KEY+
        letters (also without diacritics). The corrected form (the part replaced by the real word) is
        lemmatised and matched as usual; the first correction that matches wins, unless an equally good
        one matches differently (then none). Whether the form is a known word is asked only when it has
        a candidate. (Callers keep the features they compute per form.)"""
        low = orth.lower()
        restore, edits = self._fallback_vocab()
        if not 3 <= len(low) <= _MAX_WORD or not low.isalpha() or low in _LEMMA_EXC or not (restore or edits):
            return None
        return self._fallback(low, restore, edits)

    def _fallback(self, low: str, restore: dict, edits: dict) -> Optional[WordFeatures]:
        f = fold(low)
        n = len(f)
        ends = [n] + [n - k for k in _INFL_LENS if n - k >= 3 and f[n - k:] in _INFL_SET]
        auto = self._fb_auto
        segs: list = []
        if auto is None or (FALLBACK_TYPOS and n >= FALLBACK_MIN_TYPO):
            segs = [(0, e) for e in ends]  # the whole form (minus an inflection)
            segs += [(i, e) for e in ends for i in range(2, e - FALLBACK_MIN_PART + 1)]  # a compound's head
            segs += [(0, j) for j in range(FALLBACK_MIN_PART, n - 2)]  # a compound's first part
        cands: set[tuple] = set()
        if auto is not None:  # the same candidates as the loop below, found in one pass
            for last, seg in auto.iter(f):
                b = last + 1
                a = b - len(seg)
                if a == 0 and b in ends:
                    pass  # the whole form (minus an inflection)
                elif len(seg) < FALLBACK_MIN_PART or not ((b in ends and a >= 2) or (a == 0 and b < n - 2)):
                    continue
                for w in restore[seg]:
                    cands.add((0, -len(w), a, b, w))
        else:
            for a, b in segs:
                seg = f[a:b]
                whole = a == 0 and b in ends
                if not whole and len(seg) < FALLBACK_MIN_PART:
                    continue
                for w in restore.get(seg, ()):
                    cands.add((0, -len(w), a, b, w))
        typos: set[tuple] = set()
        if FALLBACK_TYPOS and n >= FALLBACK_MIN_TYPO:
            for a, b in segs:
                seg = f[a:b]
                if len(seg) < FALLBACK_MIN_KEY - 1:
                    continue
                ls = len(seg)
                for m in (ls - 1, ls, ls + 1):
                    h = (m - 1) // 2
                    for fw, w in edits.get((seg[:h], m, 0), ()) + edits.get((seg[-h:], m, 1), ()):
                        if fw != seg and _dl1(seg, fw):
                            typos.add((1, -len(w), a, b, w))
        if not (cands or typos) or not fallback_eligible(low):
            return None
        if typos and _no_compound(low):  # a compound of known words has no typo
            cands |= typos
        if not cands:
            return None
        best = None
        best_rank = None
        tries = 0
        for c in sorted(cands):
            rank = c[:2]
            if best is not None and rank != best_rank:
                break
            ed, _, a, b, w = c
            fixed = low[:a] + w + low[b:]
            if fixed == low or not _parts_ok(low, a, b, ends):
                continue
            tries += 1
            if tries > _FALLBACK_TRIES:
                break
            feats = self._compute(fixed, self._lemma(fixed))
            if not (feats.first or feats.heads or feats.mods) or not self._uses(feats, w):
                continue
            if best is None:
                best, best_rank = feats, rank
            elif (set(feats.first), set(feats.heads), set(feats.full_heads)) != (
                    set(best.first), set(best.heads), set(best.full_heads)):
                return None  # two equally good readings that match differently
        return best

    def _uses(self, feats: WordFeatures, w: str) -> bool:
        """Whether the corrected word ``w`` itself is what the features match (a key, or a head rule's
        head or modifier), not some other part of the corrected form."""
        for k in feats.keys:
            if k == w or (k.startswith(w) and len(k) - len(w) <= 1) or (w.startswith(k) and len(w) - len(k) <= 1
                                                                       and len(k) >= FALLBACK_MIN_PART):
                return True
        for rid in feats.heads + feats.full_heads + feats.mods:
            r = self.head_rules[rid]
            if w.startswith(r.head) or r.head.startswith(w) or w in r.modifiers or any(w.startswith(p) for p in r.prefixes):
                return True
        return False

    def _mod_ok(self, rule: HeadRule, mod_surface: str) -> bool:
        """Whether ``mod_surface`` (a compound's part before the rule's head) is one of the rule's modifiers
        (:func:`_modifier_ok`)."""
        return _modifier_ok(mod_surface, rule.modifiers, rule.prefixes, _modifier_ends(rule.modifiers))

    # ---------------------------------------------------------------- matching
    def match(self, feats: Sequence[WordFeatures], is_word: Sequence[bool],
              positions: Optional[Iterable[int]] = None, start: int = 0,
              end: Optional[int] = None) -> list[tuple[int, int, int]]:
        """All (term_id, start_token, end_token) hits in the token sequence [start, end).

        ``feats[i]`` are the features of token i; ``is_word[i]`` False for spaces;
        ``positions`` (optional) the only tokens where a term may start or a head lie (within
        [start, end)). No hit reaches outside [start, end) (default: the whole sequence), so a
        segment of a longer text is matched in place. Head rules are reported with term id
        ``-1 - rule_id``.
        """
        n = len(feats) if end is None else end
        return _match_hits(self, feats, is_word, range(start, n) if positions is None else positions, start, n)


def _disjoint(a, b) -> bool:
    """``a.isdisjoint(b)`` for the matcher's key sets (frozensets of strings: a term word's keys, a form's keys):
    the smaller set's items looked up in the larger, as ``frozenset.isdisjoint`` does, without a method call
    per test (a typed loop in the compiled build, nlp/termmatch.pxd). Anything but two frozensets goes to
    ``isdisjoint`` itself."""
    if type(a) is not frozenset or type(b) is not frozenset:
        return a.isdisjoint(b)
    fa: frozenset = a
    fb: frozenset = b
    if len(fa) > len(fb):
        fa, fb = fb, fa
    for x in fa:
        if x in fb:
            return False
    return True


def _match_hits(ix: "TermIndex", feats, is_word, positions, start: int, n: int) -> list:
    """The hits of :meth:`TermIndex.match` of the index ``ix`` in tokens [start, n), a term starting or a
    head lying only at ``positions`` (ascending, in [start, n)). A module function so that the compiled
    build can give its positions C integer types (nlp/termmatch.pxd); the same code either way."""
    hits: list[tuple[int, int, int]] = []
    append = hits.append
    rest = ix._rest_cache  # (the _rest property, without its call when the cache is current)
    if rest is None or len(rest) != len(ix.terms):
        rest = ix._rest  # first: it may reset the plans
    plans = ix._plans
    for i in positions:
        f = feats[i]
        first = f.first
        if first:
            nxt = -1
            nk = None
            plan = plans.get(first, _NO_PLAN)
            if plan is _NO_PLAN:
                plan = ix._plan(first)
            if plan is not None:
                # the next word decides whether the plain multi-word terms can match at all
                nxt = i + 1
                while nxt < n and not is_word[nxt]:
                    nxt += 1
                if nxt < n:
                    g = feats[nxt]
                    nk = g.keys
                    if _disjoint(plan[0], nk):
                        first = plan[1]
                else:
                    first = plan[1]
            for tid in first:
                r = rest[tid]
                if r is None:
                    append((tid, i, i + 1))
                    continue
                if nxt < 0:
                    nxt = i + 1
                    while nxt < n and not is_word[nxt]:
                        nxt += 1
                    if nxt < n:
                        g = feats[nxt]
                        nk = g.keys
                if nxt >= n:
                    continue
                wk0, star = r[0], r[1]
                if _disjoint(wk0, nk) and (not star or not _word_ok(wk0, nk)):
                    if r[3]:
                        stop = _particle_after(wk0, feats, is_word, nxt, n)
                        if stop:
                            append((tid, i, stop))
                    continue
                j = nxt + 1
                ok = True
                for wk in r[2]:
                    while j < n and not is_word[j]:
                        j += 1
                    if j >= n:
                        ok = False
                        break
                    g = feats[j]
                    if _disjoint(wk, g.keys) and (not star or not _word_ok(wk, g.keys)):
                        ok = False
                        break
                    j += 1
                if ok:
                    append((tid, i, j))
        if f.heads:
            for rid in f.heads:
                if rid in f.full_heads:
                    append((-1 - rid, i, i + 1))
                    continue
                # phrase: a prefix modifier ('mobil*') in one of the two preceding words
                if not ix.head_rules[rid].prefixes:
                    continue
                k, seen = i - 1, 0
                while k >= start and seen < 2:
                    if is_word[k]:
                        seen += 1
                        g = feats[k]
                        if rid in g.mods:
                            append((-1 - rid, k, i + 1))
                            break
                    k -= 1
    return hits


_NO_PLAN = object()  # TermIndex._plans: not yet computed


class FormInfo:
    """What the features of one word form start from in every index (:func:`_compute_features`), computed once
    per form and shared by the indexes (codes, context, markers) and by every compiled codebook: the lower-case
    form, the lemma used, the stems, the end and start slices looked up in the indexes' dicts (each slice one
    string object whose hash is computed once), the hyphen parts' stems and the abbreviation base.
    A plain class with slots, written out so that the compiled build can make it an extension type
    (nlp/termmatch.pxd). ``lemma`` is the lemma given (the memo's check: a form read with another lemma gets
    its own record)."""

    __slots__ = ("lemma", "low", "lem", "alpha", "st_all", "st", "end6", "end3", "st0", "end60", "end30", "pre3",
                 "pre6", "is_long", "hyphen", "abbr", "abbr_case", "abbr_low")

    def __init__(self, orth: str, lemma):
        _fill_form_info(self, orth, lemma)


def _fill_form_info(self: FormInfo, orth: str, lemma) -> None:
    """:class:`FormInfo`'s fields for the form ``orth`` read with ``lemma`` (a module function so that the
    compiled build can type its locals)."""
    self.lemma = lemma
    low = orth.lower()
    lem = (lemma or low).lower()
    if not _lemma_plausible(low, lem):
        lem = low
    self.low = low
    self.lem = lem
    alpha = low.isalpha()
    if not alpha:  # (loops, not generator expressions: a compiled function holds no closure)
        for c in low:
            if c.isalpha():
                alpha = True
                break
    self.alpha = alpha
    self.is_long = len(low) >= MIN_COMPOUND + 2
    self.pre3 = low[:3]
    self.pre6 = low[:6]
    if alpha:
        # the stems (an index with neither keys nor head rules reads the form alone), and the stems without
        # the -a/-e restorations for the compound and head tests, with their 6- and 3-letter ends
        st_all = _stems(low)
        st = [st_all[0]]
        st += st_all[1::3]
        st0 = [low]
        if lem != low:
            st.append(lem)
            st0.append(lem)
        end6 = []
        end3 = []
        for x in st:
            end6.append(x[-6:])
            end3.append(x[-3:])
        self.st_all = st_all
        self.st = st
        self.end6 = end6
        self.end3 = end3
        self.st0 = st0
        self.end60 = [end6[0], end6[len(end6) - 1]] if lem != low else [end6[0]]
        self.end30 = [end3[0], end3[len(end3) - 1]] if lem != low else [end3[0]]
        hyphen = None
        if "-" in low:
            hyphen = []
            for part in low.split("-"):
                hyphen += _stems(part)
        self.hyphen = hyphen
    else:
        self.st_all = self.st = self.end6 = self.end3 = self.st0 = self.end60 = self.end30 = None
        self.hyphen = None
    c0 = orth[:1]
    self.abbr_case = c0.isupper() or c0.isdigit()
    base = orth
    for sep in (":", "-"):
        if sep in base[1:]:
            base = base.split(sep, 1)[0]
    self.abbr = base
    bl = base.lower()
    # a case-safe abbreviation may be written in lower case or Capitalised ("sip", "Npö")
    self.abbr_low = bl if (base == bl or base == bl.capitalize()) else None


_FORM_INFO: dict[str, FormInfo] = {}  # word form as written -> its FormInfo (the last lemma it was read with)
# about 1.4 kB per form: the memo holds at most this many forms (≈ 23 MB), so a national vocabulary (most
# compound types new, more with every round) cannot grow the process without bound
FORM_INFO_MAX = 16384
# When the memo is full, the FORM_INFO_MAX // FORM_INFO_DROP forms stored first are dropped (not all of them):
# a batch reads its new forms in three passes (the code, context and marker indexes, each computing a form's
# features once and keeping them), so a form's FormInfo is wanted again only by the next passes over the same
# batch, soon after it was stored. Emptying the whole memo when full threw away the forms the next pass was
# about to read: on the ×1 bench passages in batches of 2,000, 111,808 FormInfo builds for 73,148 distinct
# forms; dropping the oldest eighth, 91,137 (a replay of the recorded calls; a true LRU order: 90,105).
FORM_INFO_DROP = 8


def _forget_oldest(n: int) -> None:
    """Drop the ``n`` forms stored first in the FormInfo memo (a dict keeps insertion order)."""
    old = []
    for k in _FORM_INFO:
        if len(old) >= n:
            break
        old.append(k)
    for k in old:
        del _FORM_INFO[k]


def form_info(orth: str, lemma) -> FormInfo:
    """The :class:`FormInfo` of a form read with ``lemma``, memoised per form (at most :data:`FORM_INFO_MAX`;
    when full, the oldest :data:`FORM_INFO_MAX` // :data:`FORM_INFO_DROP` are dropped)."""
    fi = _FORM_INFO.get(orth)
    if fi is None or fi.lemma != lemma:
        if fi is None and len(_FORM_INFO) >= FORM_INFO_MAX:
            _forget_oldest(max(1, FORM_INFO_MAX // FORM_INFO_DROP))
        fi = _FORM_INFO[orth] = FormInfo(orth, lemma)
    return fi


def _compute_features(ix: "TermIndex", orth: str, lemma: str) -> WordFeatures:
    """:meth:`TermIndex._compute`: the features of one word form in the index ``ix``, uncached. What does not
    depend on the index (the lower-case form, stems, slices) comes from the form's :class:`FormInfo`, computed
    once for all indexes. A module function so that the compiled build can type its locals (str, dict, set,
    list: nlp/termmatch.pxd), which turns the string and dict method calls of every new form into direct C
    calls; the same code either way."""
    fi = form_info(orth, lemma)
    low = fi.low
    lem = fi.lem
    keys = {low, lem}
    first: list[int] = []
    heads: list[int] = []
    full: list[int] = []
    mods: list[int] = []
    if fi.alpha:
        all_keys = ix._all_keys
        head_end = ix._head_end
        if all_keys:
            for s in fi.st_all:
                if s in all_keys:
                    keys.add(s)
        # stems without the -a/-e restorations, for compound tests (the form alone, and its lemma, in an
        # index with neither keys nor head rules)
        if all_keys or head_end:
            st = fi.st
            end6 = fi.end6
            end3 = fi.end3
        else:
            st = fi.st0
            end6 = fi.end60
            end3 = fi.end30
        n = len(st)
        # compounds: a keyword as head (last part) or as first part
        if fi.is_long:
            cend = ix._contain_end6
            if cend:
                for i in range(n):
                    got = cend.get(end6[i])
                    if got:
                        s = st[i]
                        for k in got:
                            if s.endswith(k) and len(s) - len(k) >= 2:
                                keys.add(k)
            got = ix._contain_start6.get(fi.pre6)
            if got:
                for k in got:
                    if low.startswith(k) and len(low) - len(k) >= 3:
                        keys.add(k)
            hy = fi.hyphen
            if hy is not None:
                for s in hy:
                    if s in all_keys:
                        keys.add(s)
        # head rules
        if head_end:
            head_cands = ix._head_cands
            for i in range(n):
                got = head_cands.get(end3[i])
                if not got:
                    continue
                s = st[i]
                for rid, hk, mset, pre, ends in got:
                    if not s.endswith(hk):
                        continue
                    if rid not in heads:
                        heads.append(rid)
                    mod_surface = s[: len(s) - len(hk)]
                    if mod_surface and _modifier_ok(mod_surface, mset, pre, ends) and rid not in full:
                        full.append(rid)
        mod_keys = ix._mod_keys
        if mod_keys:
            for k in list(keys):
                got = mod_keys.get(k)
                if got:
                    for rid in got:
                        if rid not in mods:
                            mods.append(rid)
        got = ix._mod_prefix.get(fi.pre3)
        if got:
            for p, rid in got:
                if low.startswith(p) and rid not in mods:
                    mods.append(rid)
        if mods:
            kept = []
            for rid in mods:
                for p in ix.head_rules[rid].prefixes:
                    if low.startswith(p):
                        kept.append(rid)
                        break
            mods = kept
        fk = ix._first
        for k in keys:
            got = fk.get(k)
            if got:
                first.extend(got)
        got = ix._first_prefix.get(fi.pre3)
        if got:
            for p, tid in got:
                if low.startswith(p):
                    keys.add(p + "*")
                    first.append(tid)
    abbr_fold = ix._abbr_fold
    if fi.abbr_case or abbr_fold:
        got = ix._first_abbr.get(fi.abbr)
        if got:
            first.extend(got)
        elif abbr_fold:
            bl = fi.abbr_low
            if bl is not None:
                got = abbr_fold.get(bl)
                if got:
                    first.extend(got)
    if not (first or heads or full or mods):
        return _plain_features(low, frozenset(keys))
    return WordFeatures(keys=frozenset(keys), lower=low, first=tuple(dict.fromkeys(first)) if first else (),
                        heads=tuple(heads), full_heads=tuple(full), mods=tuple(mods))


_PLAIN: dict[tuple[str, frozenset], WordFeatures] = {}


def _plain_features(low: str, keys: frozenset) -> WordFeatures:
    """Features of a form that starts no term and carries no head or modifier: one shared object per
    (lower form, keys), whichever index or compiled codebook computed it (treat as read-only)."""
    k = (low, keys)
    f = _PLAIN.get(k)
    if f is None:
        f = _PLAIN[k] = WordFeatures(keys=keys, lower=low, first=())
    return f


PARTICLES = frozenset({"ut", "in", "hem", "upp", "av", "bort", "ner", "ned", "fram", "över", "tillbaka"})
PARTICLE_GAP = 3  # words allowed between a verb and its particle
_GAP_STOP = frozenset({",", ";", ":", ".", "!", "?", "(", ")", "–", "—", "•", "och", "eller", "men", "som", "att"})


def _particle_after(wk, feats, is_word, j: int, n: int) -> int:
    """End token of the particle ``wk`` found within PARTICLE_GAP words from token j, else 0."""
    seen = 0
    while j < n:
        if is_word[j]:
            f = feats[j]
            if not wk.isdisjoint(f.keys):
                return j + 1 if seen else 0
            if seen >= PARTICLE_GAP or f.lower in _GAP_STOP:
                return 0
            seen += 1
        j += 1
    return 0


_STAR_CACHE: dict[frozenset, bool] = {}


def _HAS_STAR(wk: frozenset) -> bool:
    v = _STAR_CACHE.get(wk)
    if v is None:
        v = _STAR_CACHE[wk] = any(k.endswith("*") for k in wk)
    return v


def _lemma_plausible(form: str, lem: str) -> bool:
    """Use a lemma only when it shares its stem with the form ('ska' is not 'skola')."""
    if lem == form:
        return True
    return len(lem) >= 3 and form.startswith(lem[: max(3, len(lem) - 2)])


def _word_ok(wk: frozenset, keys: frozenset) -> bool:
    if not wk.isdisjoint(keys):
        return True
    if not _HAS_STAR(wk):
        return False
    for k in wk:
        if k.endswith("*"):
            p = k[:-1]
            for key in keys:
                if key.startswith(p):
                    return True
    return False
