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
  head and one of the two words before it a modifier ("mobilt palliativt team").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

import numpy as np

from nlp.lang_sv.compounds import LINKS as _LINKS

__all__ = ["Term", "TermIndex", "WordFeatures", "INFLECTIONS", "stems"]

# Swedish inflectional endings (nouns, adjectives, participles), longest first.
INFLECTIONS = (
    "ernas", "arnas", "ornas", "erna", "arna", "orna", "ens", "ets", "ers", "ars", "ors",
    "nas", "en", "et", "er", "ar", "or", "na", "ns", "ts", "es", "n", "t", "s", "a", "e", "r",
)
MIN_COMPOUND = 6  # single keywords this long (in letters) also match inside compounds


_INFL_SET = frozenset(INFLECTIONS)
_INFL_LENS = sorted({len(x) for x in INFLECTIONS}, reverse=True)


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
        aff = _AFFIXES.setdefault
        for x in bases:
            a = x[-5:]
            out.add(aff(a, a))
            a = x[-3:]
            out.add(aff(a, a))
        a = low[:4]
        out.add(aff(a, a))
        a = low[:3]
        out.add(aff(a, a))
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


@dataclass(slots=True)
class WordFeatures:
    """What one distinct word form offers to the matcher."""

    keys: frozenset
    lower: str
    first: tuple[int, ...]  # ids of terms whose FIRST word this form matches
    heads: tuple[int, ...] = ()  # head-rule ids whose head this form carries
    full_heads: tuple[int, ...] = ()  # head-rule ids fully satisfied inside this one word
    mods: tuple[int, ...] = ()  # head-rule ids whose modifier this form is


@dataclass
class HeadRule:
    head: str
    modifiers: frozenset
    prefixes: tuple[str, ...]
    kind: str
    payload: tuple
    text: str


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
        self._all_keys: set[str] = set()
        self._head_end: dict[str, list[int]] = {}
        self._mod_keys: dict[str, list[int]] = {}
        self._mod_prefix: dict[str, list[tuple[str, int]]] = {}
        self._cache: dict[str, WordFeatures] = {}
        self._sigs: dict[tuple, int] = {}
        self._rest_cache: Optional[list] = None
        self._plans: dict[tuple, Optional[tuple]] = {}
        self._probe_set: Optional[frozenset] = None
        self._probe_n = (0, 0)

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
            # an inflected duplicate ("mobila teamen" beside "mobilt team"): widen the old term
            t = self.terms[old]
            merged = tuple(a | b for a, b in zip(t.words, keys))
            self.terms[old] = Term(words=merged, kind=t.kind, payload=t.payload, text=t.text, abbr=t.abbr,
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
        for hk in {h, self._lemma(h).lower()}:
            self._head_end.setdefault(hk[-3:], []).append(rid)
        for m in mods:
            self._mod_keys.setdefault(m, []).append(rid)
        for p in prefixes:
            self._mod_prefix.setdefault(p[:3], []).append((p, rid))

    def _add(self, term: Term) -> int:
        tid = len(self.terms)
        self.terms.append(term)
        if term.abbr is not None:
            self._first_abbr.setdefault(term.abbr, []).append(tid)
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
            self._cache[orth] = f
        return f

    @property
    def probe_set(self) -> frozenset:
        """Every string _compute may look up (see :func:`probes`)."""
        if self._probe_set is None or self._probe_n != (len(self.terms), len(self.head_rules)):
            ps: set[str] = set(self._all_keys) | set(self._first)
            ps |= set(self._contain_end) | set(self._contain_start) | set(self._head_end) | set(self._mod_keys)
            ps |= set(self._mod_prefix) | set(self._first_prefix)
            ps |= {"A:" + a for a in self._first_abbr}
            self._probe_set = frozenset(ps)
            self._probe_n = (len(self.terms), len(self.head_rules))
        return self._probe_set

    def _compute(self, orth: str, lemma: str) -> WordFeatures:
        low = orth.lower()
        lem = (lemma or low).lower()
        if not _lemma_plausible(low, lem):
            lem = low
        keys = {low, lem}
        first: list[int] = []
        alpha = low.isalpha() or any(c.isalpha() for c in low)
        heads: list[int] = []
        full: list[int] = []
        mods: list[int] = []
        if alpha:
            all_keys = self._all_keys
            st_all = _stems(low) if (all_keys or self._head_end) else [low]
            if all_keys:
                for s in st_all:
                    if s in all_keys:
                        keys.add(s)
            # stems without the -a/-e restorations, for compound tests
            st = [st_all[0]]
            st += st_all[1::3]
            if lem != low:
                st.append(lem)
            # compounds: a keyword as head (last part) or as first part
            if len(low) >= MIN_COMPOUND + 2:
                cend = self._contain_end
                if cend:
                    for s in st:
                        for k in cend.get(s[-5:], ()):
                            if s.endswith(k) and len(s) - len(k) >= 2:
                                keys.add(k)
                for k in self._contain_start.get(low[:4], ()):
                    if low.startswith(k) and len(low) - len(k) >= 3:
                        keys.add(k)
                if "-" in low:
                    for part in low.split("-"):
                        for s in _stems(part):
                            if s in all_keys:
                                keys.add(s)
            # head rules
            head_end = self._head_end
            if head_end:
                for s in st:
                    for rid in head_end.get(s[-3:], ()):
                        rule = self.head_rules[rid]
                        hk = rule.head
                        if not s.endswith(hk):
                            continue
                        if rid not in heads:
                            heads.append(rid)
                        mod_surface = s[: len(s) - len(hk)]
                        if mod_surface and self._mod_ok(rule, mod_surface) and rid not in full:
                            full.append(rid)
            mod_keys = self._mod_keys
            if mod_keys:
                for k in list(keys):
                    for rid in mod_keys.get(k, ()):
                        if rid not in mods:
                            mods.append(rid)
            for p, rid in self._mod_prefix.get(low[:3], ()):
                if low.startswith(p) and rid not in mods:
                    mods.append(rid)
            if mods:
                mods = [rid for rid in mods if any(low.startswith(p) for p in self.head_rules[rid].prefixes)]
            fk = self._first
            for k in keys:
                got = fk.get(k)
                if got:
                    first.extend(got)
            for p, tid in self._first_prefix.get(low[:3], ()):
                if low.startswith(p):
                    keys.add(p + "*")
                    first.append(tid)
        c0 = orth[:1]
        if c0.isupper() or c0.isdigit():
            base = orth
            for sep in (":", "-"):
                if sep in base[1:]:
                    base = base.split(sep, 1)[0]
            first.extend(self._first_abbr.get(base, ()))
        if not (first or heads or full or mods):
            return _plain_features(low, frozenset(keys))
        return WordFeatures(keys=frozenset(keys), lower=low, first=tuple(dict.fromkeys(first)) if first else (),
                            heads=tuple(heads), full_heads=tuple(full), mods=tuple(mods))

    def _mod_ok(self, rule: HeadRule, mod_surface: str) -> bool:
        cands = {mod_surface}
        for link in _LINKS:
            if link and mod_surface.endswith(link) and len(mod_surface) > len(link) + 1:
                cands.add(mod_surface[: -len(link)])
        for c in cands:
            if c in rule.modifiers:
                return True
            for p in rule.prefixes:
                if c.startswith(p):
                    return True
            # the modifier may itself be a compound ending in a listed modifier ("hemsjukvårds")
            for m in rule.modifiers:
                if len(m) >= 4 and c.endswith(m):
                    return True
        return False

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
        hits: list[tuple[int, int, int]] = []
        append = hits.append
        n = len(feats) if end is None else end
        rest = self._rest
        plans = self._plans
        for i in (range(start, n) if positions is None else positions):
            f = feats[i]
            first = f.first
            if first:
                nxt = -1
                nk = None
                plan = plans.get(first, _NO_PLAN)
                if plan is _NO_PLAN:
                    plan = self._plan(first)
                if plan is not None:
                    # the next word decides whether the plain multi-word terms can match at all
                    nxt = i + 1
                    while nxt < n and not is_word[nxt]:
                        nxt += 1
                    if nxt < n:
                        nk = feats[nxt].keys
                        if plan[0].isdisjoint(nk):
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
                            nk = feats[nxt].keys
                    if nxt >= n:
                        continue
                    wk0, star = r[0], r[1]
                    if wk0.isdisjoint(nk) and (not star or not _word_ok(wk0, nk)):
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
                        if j >= n or (wk.isdisjoint(feats[j].keys) and (not star or not _word_ok(wk, feats[j].keys))):
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
                    if not self.head_rules[rid].prefixes:
                        continue
                    k, seen = i - 1, 0
                    while k >= start and seen < 2:
                        if is_word[k]:
                            seen += 1
                            if rid in feats[k].mods:
                                append((-1 - rid, k, i + 1))
                                break
                        k -= 1
        return hits


_NO_PLAN = object()  # TermIndex._plans: not yet computed
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
