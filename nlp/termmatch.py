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

__all__ = ["Term", "TermIndex", "WordFeatures", "INFLECTIONS", "stems"]

# Swedish inflectional endings (nouns, adjectives, participles), longest first.
INFLECTIONS = (
    "ernas", "arnas", "ornas", "erna", "arna", "orna", "ens", "ets", "ers", "ars", "ors",
    "nas", "en", "et", "er", "ar", "or", "na", "ns", "ts", "es", "n", "t", "s", "a", "e", "r",
)
_LINKS = ("s", "e", "a", "-", "")
MIN_COMPOUND = 6  # single keywords this long (in letters) also match inside compounds


def stems(w: str) -> list[str]:
    """Candidate base forms of a lower-case word: the word, minus an inflection, plus -a/-e."""
    out = [w]
    n = len(w)
    for suf in INFLECTIONS:
        if n - len(suf) >= 3 and w.endswith(suf):
            base = w[: n - len(suf)]
            out.append(base)
            out.append(base + "a")
            out.append(base + "e")
    return out


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


@dataclass
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
        self._frozen = False

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
        single = len(words) == 1
        letters = sum(c.isalpha() for c in words[0])
        compound = (single and not exact and allow_compound and letters >= MIN_COMPOUND
                    and not words[0].endswith("*"))
        term = Term(words=keys, kind=kind, payload=payload, text=phrase, compound=compound, exact=exact)
        return self._add(term)

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
                    self._contain_end.setdefault(k[-3:], []).append(k)
                    self._contain_start.setdefault(k[:4], []).append(k)
        return tid

    # ------------------------------------------------------------ word features
    def features(self, orth: str, lemma: str) -> WordFeatures:
        """Features of one word form (cached per form)."""
        f = self._cache.get(orth)
        if f is None:
            f = self._compute(orth, lemma)
            self._cache[orth] = f
        return f

    def _compute(self, orth: str, lemma: str) -> WordFeatures:
        low = orth.lower()
        lem = (lemma or low).lower()
        if not _lemma_plausible(low, lem):
            lem = low
        keys = {low, lem}
        first: list[int] = []
        alpha = any(c.isalpha() for c in low)
        heads: list[int] = []
        full: list[int] = []
        mods: list[int] = []
        if alpha:
            st_all = stems(low)
            all_keys = self._all_keys
            for s in st_all:
                if s in all_keys:
                    keys.add(s)
            # stems without the -a/-e restorations, for compound tests
            st = [x for k, x in enumerate(st_all) if k == 0 or k % 3 == 1]
            if lem != low:
                st.append(lem)
            # compounds: a keyword as head (last part) or as first part
            if len(low) >= MIN_COMPOUND + 2:
                cend = self._contain_end
                for s in st:
                    for k in cend.get(s[-3:], ()):
                        if s.endswith(k) and len(s) - len(k) >= 2:
                            keys.add(k)
                for k in self._contain_start.get(low[:4], ()):
                    if low.startswith(k) and len(low) - len(k) >= 3:
                        keys.add(k)
                if "-" in low:
                    for part in low.split("-"):
                        for s in stems(part):
                            if s in all_keys:
                                keys.add(s)
            # head rules
            if self._head_end:
                for s in st:
                    for rid in self._head_end.get(s[-3:], ()):
                        rule = self.head_rules[rid]
                        for hk in (rule.head,):
                            if not s.endswith(hk):
                                continue
                            if rid not in heads:
                                heads.append(rid)
                            mod_surface = s[: len(s) - len(hk)]
                            if mod_surface and self._mod_ok(rule, mod_surface) and rid not in full:
                                full.append(rid)
            for k in list(keys):
                for rid in self._mod_keys.get(k, ()):
                    if rid not in mods:
                        mods.append(rid)
            for p, rid in self._mod_prefix.get(low[:3], ()):
                if low.startswith(p) and rid not in mods:
                    mods.append(rid)
            mods = [rid for rid in mods if any(low.startswith(p) for p in self.head_rules[rid].prefixes)]
            for k in keys:
                first.extend(self._first.get(k, ()))
            for p, tid in self._first_prefix.get(low[:3], ()):
                if low.startswith(p):
                    keys.add(p + "*")
                    first.append(tid)
        if orth[:1].isupper() or orth[:1].isdigit():
            base = orth
            for sep in (":", "-"):
                if sep in base[1:]:
                    base = base.split(sep, 1)[0]
            first.extend(self._first_abbr.get(base, ()))
        return WordFeatures(keys=frozenset(keys), lower=low, first=tuple(dict.fromkeys(first)), heads=tuple(heads),
                            full_heads=tuple(full), mods=tuple(mods))

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
    def match(self, feats: Sequence[WordFeatures], is_word: Sequence[bool]) -> list[tuple[int, int, int]]:
        """All (term_id, start_token, end_token) hits in one token sequence.

        ``feats[i]`` are the features of token i; ``is_word[i]`` False for spaces.
        Head rules are reported with term id ``-1 - rule_id``.
        """
        hits: list[tuple[int, int, int]] = []
        n = len(feats)
        terms = self.terms
        for i in range(n):
            f = feats[i]
            if f.first:
                for tid in f.first:
                    t = terms[tid]
                    if len(t.words) == 1:
                        hits.append((tid, i, i + 1))
                        continue
                    j = i + 1
                    ok = True
                    for wk in t.words[1:]:
                        while j < n and not is_word[j]:
                            j += 1
                        if j >= n or not _word_ok(wk, feats[j].keys):
                            ok = False
                            break
                        j += 1
                    if ok:
                        hits.append((tid, i, j))
            if f.heads:
                for rid in f.heads:
                    if rid in f.full_heads:
                        hits.append((-1 - rid, i, i + 1))
                        continue
                    # phrase: a prefix modifier ('mobil*') in one of the two preceding words
                    if not self.head_rules[rid].prefixes:
                        continue
                    k, seen = i - 1, 0
                    while k >= 0 and seen < 2:
                        if is_word[k]:
                            seen += 1
                            if rid in feats[k].mods:
                                hits.append((-1 - rid, k, i + 1))
                                break
                        k -= 1
        return hits


def _lemma_plausible(form: str, lem: str) -> bool:
    """Use a lemma only when it shares its stem with the form ('ska' is not 'skola')."""
    if lem == form:
        return True
    n = 0
    for a, b in zip(form, lem):
        if a != b:
            break
        n += 1
    return n >= 3 and n >= len(lem) - 2


def _word_ok(wk: frozenset, keys: frozenset) -> bool:
    if not wk.isdisjoint(keys):
        return True
    for k in wk:
        if k.endswith("*"):
            p = k[:-1]
            for key in keys:
                if key.startswith(p):
                    return True
    return False
