"""The per-form features computed from a shared :class:`~nlp.termmatch.FormInfo` (one pass per form for the
three indexes, refined candidate dicts, tuple tests of head-rule modifiers) and the table look-ups of
``verb_form`` give exactly what the earlier definitions below gave (copied from before the change), on the
forms of generated answers and on compounds built from the codebook's own words."""
from __future__ import annotations

import random

import pytest

import nlp.termmatch as tm
from bench.corpus import generate
from nlp.codebook import default_codebook
from nlp.lang_sv.compounds import LINKS
from nlp.tagger import Tagger
from nlp.verbforms import IRREGULAR, NOT_VERBS, _SUFFIXES_A, _SUFFIXES_VOWEL, verb_form


# ----------------------------------------------------------------------------- the earlier definitions
def _old_mod_ok(rule, mod_surface: str) -> bool:
    cands = {mod_surface}
    for link in LINKS:
        if link and mod_surface.endswith(link) and len(mod_surface) > len(link) + 1:
            cands.add(mod_surface[: -len(link)])
    for c in cands:
        if c in rule.modifiers:
            return True
        for p in rule.prefixes:
            if c.startswith(p):
                return True
        for m in rule.modifiers:
            if len(m) >= 4 and c.endswith(m):
                return True
    return False


def _old_compute(ix, orth: str, lemma: str):
    low = orth.lower()
    lem = (lemma or low).lower()
    if not tm._lemma_plausible(low, lem):
        lem = low
    keys = {low, lem}
    first: list = []
    alpha = low.isalpha() or any(c.isalpha() for c in low)
    heads: list = []
    full: list = []
    mods: list = []
    if alpha:
        all_keys = ix._all_keys
        st_all = tm._stems(low) if (all_keys or ix._head_end) else [low]
        if all_keys:
            for s in st_all:
                if s in all_keys:
                    keys.add(s)
        st = [st_all[0]]
        st += st_all[1::3]
        if lem != low:
            st.append(lem)
        if len(low) >= tm.MIN_COMPOUND + 2:
            cend = ix._contain_end
            if cend:
                for s in st:
                    for k in cend.get(s[-5:], ()):
                        if s.endswith(k) and len(s) - len(k) >= 2:
                            keys.add(k)
            for k in ix._contain_start.get(low[:4], ()):
                if low.startswith(k) and len(low) - len(k) >= 3:
                    keys.add(k)
            if "-" in low:
                for part in low.split("-"):
                    for s in tm._stems(part):
                        if s in all_keys:
                            keys.add(s)
        head_end = ix._head_end
        if head_end:
            for s in st:
                for rid in head_end.get(s[-3:], ()):
                    rule = ix.head_rules[rid]
                    hk = rule.head
                    if not s.endswith(hk):
                        continue
                    if rid not in heads:
                        heads.append(rid)
                    mod_surface = s[: len(s) - len(hk)]
                    if mod_surface and _old_mod_ok(rule, mod_surface) and rid not in full:
                        full.append(rid)
        mod_keys = ix._mod_keys
        if mod_keys:
            for k in list(keys):
                for rid in mod_keys.get(k, ()):
                    if rid not in mods:
                        mods.append(rid)
        for p, rid in ix._mod_prefix.get(low[:3], ()):
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
        for p, tid in ix._first_prefix.get(low[:3], ()):
            if low.startswith(p):
                keys.add(p + "*")
                first.append(tid)
    c0 = orth[:1]
    if c0.isupper() or c0.isdigit() or ix._abbr_fold:
        base = orth
        for sep in (":", "-"):
            if sep in base[1:]:
                base = base.split(sep, 1)[0]
        got = ix._first_abbr.get(base)
        if got:
            first.extend(got)
        elif ix._abbr_fold:
            bl = base.lower()
            if base == bl or base == bl.capitalize():
                first.extend(ix._abbr_fold.get(bl, ()))
    return tm.WordFeatures(keys=frozenset(keys), lower=low, first=tuple(dict.fromkeys(first)) if first else (),
                           heads=tuple(heads), full_heads=tuple(full), mods=tuple(mods))


def _old_verb_form(form: str, lemma: str):
    if not form or not form.isalpha():
        return None
    got = IRREGULAR.get(form)
    if got is not None:
        return got
    if form in NOT_VERBS or len(form) < 3:
        return None
    lemma = (lemma or "").lower()
    if lemma.endswith("as") and len(lemma) > 4 and form.startswith(lemma[:-2]):
        rest = form[len(lemma) - 2:]
        return {"as": (lemma, "pres"), "ades": (lemma, "past"), "ats": (lemma, "sup")}.get(rest)
    if len(lemma) >= 3 and lemma.endswith("a"):
        stem = lemma[:-1]
        if not form.startswith(stem):
            return None
        rest = form[len(stem):]
        for suf, cls in _SUFFIXES_A:
            if rest == suf:
                if suf == "" and not stem.endswith("r"):
                    return None
                if suf in ("r", "s") and stem.endswith(("r",)) and suf == "r":
                    return None
                if suf == "e" and not stem.endswith(("d", "t")):
                    return None
                return lemma, cls
        return None
    if 2 <= len(lemma) <= 4 and lemma[-1] in "eiouyåäö" and form.startswith(lemma):
        rest = form[len(lemma):]
        for suf, cls in _SUFFIXES_VOWEL:
            if rest == suf and suf:
                return lemma, cls
    return None


# ----------------------------------------------------------------------------- cases
@pytest.fixture(scope="module")
def indexes():
    cc = Tagger(default_codebook()).compiled
    return [cc.index, cc.context, cc.markers]


def _forms(indexes) -> list[str]:
    rng = random.Random(17)
    words: set[str] = set()
    for a in generate(0.02).answers[:300]:
        words.update(w.strip(".,:;!?()\"'") for w in a.text.split())
    vocab = sorted({k.rstrip("*") for ix in indexes for wk in (t.words for t in ix.terms) for w in wk for k in w
                    if len(k) >= 3} | {r.head for ix in indexes for r in ix.head_rules}
                   | {m for ix in indexes for r in ix.head_rules for m in r.modifiers})
    ends = ["", "en", "et", "er", "erna", "arnas", "s", "a", "e", "t", "ar", "na", "ens"]
    starts = ["", "hem", "sjukvårds", "trygghets", "mobil", "vård", "a", "ny"]
    links = ["", "s", "e", "-"]
    for _ in range(4000):  # compounds of the codebook's own words, inflected, some hyphenated or capitalised
        w = rng.choice(starts) + rng.choice(links) + rng.choice(vocab) + rng.choice(ends)
        if rng.random() < 0.3:
            w = rng.choice(vocab) + rng.choice(links) + w
        if rng.random() < 0.15:
            w = w.capitalize() if rng.random() < 0.5 else w.upper()
        words.add(w)
    words.update(["SIP", "SIP-samordnare", "SIP:ar", "sip", "Npö", "2025", "x", "", "-", "a-b", "Ä", "ÅÄÖ-team"])
    return sorted(w for w in words if w is not None)


def test_features_equal_the_earlier_definition(indexes):
    forms = _forms(indexes)
    assert len(forms) > 3000
    lemma = indexes[0]._lemma
    n = 0
    for orth in forms:
        for lem in (lemma(orth) if orth else orth, orth.lower(), None):
            for ix in indexes:
                assert tm._compute_features(ix, orth, lem) == _old_compute(ix, orth, lem), (orth, lem)
                n += 1
    assert sum(1 for o in forms for ix in indexes[:1] if tm._compute_features(ix, o, lemma(o) if o else o).heads) > 50


def test_modifier_test_equals_the_earlier_loop(indexes):
    rng = random.Random(3)
    rules = [r for ix in indexes for r in ix.head_rules]
    assert rules
    pool = sorted({m for r in rules for m in r.modifiers} | {p for r in rules for p in r.prefixes})
    for _ in range(20000):
        rule = rng.choice(rules)
        s = rng.choice(["", "hem", "sjuk", "x"]) + rng.choice(pool + ["", "ab"]) + rng.choice(LINKS + ("ss", "es"))
        s = s[: rng.randint(0, len(s))] if rng.random() < 0.2 else s
        assert tm.TermIndex._mod_ok(None, rule, s) == _old_mod_ok(rule, s), (rule.head, s)


def test_verb_form_equals_the_earlier_loop():
    rng = random.Random(5)
    lemmas = ["införa", "starta", "lyckas", "hoppas", "bo", "tro", "ske", "göra", "använda", "leda", "köra",
              "sy", "nå", "", None, "Arbeta", "ARBETAS", "erbjuda"]
    sufs = sorted({s for s, _ in _SUFFIXES_A} | {s for s, _ in _SUFFIXES_VOWEL} | {"as", "ades", "ats", "x", "arna"})
    cases = []
    for lem in lemmas:
        lo = (lem or "").lower()
        for stem in {lo, lo[:-1], lo[:-2], lo + "r"}:
            for suf in sufs:
                cases += [(stem + suf, lem), ((stem + suf).upper(), lem), (stem + suf + "1", lem)]
    letters = "abdeorståäö"
    for _ in range(50000):
        lem = "".join(rng.choice(letters) for _ in range(rng.randint(0, 7)))
        cases.append((lem[: rng.randint(0, len(lem))] + "".join(rng.choice(letters) for _ in range(rng.randint(0, 5))),
                      lem))
    cases += [(f, "x") for f in list(IRREGULAR) + sorted(NOT_VERBS)]
    for form, lem in cases:
        assert verb_form.__wrapped__(form, lem) == _old_verb_form(form, lem), (form, lem)
