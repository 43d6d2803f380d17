"""The compound splitter's cheaper candidate search (perf45) computes what the earlier code computed.

``ing_stem`` finds an -ing noun's ending with one search instead of a test per ending, and the candidate search
keeps whether a dictionary form may head a compound in a table (``_HEAD_OK``) instead of asking the lemma memo and
the stop words each time. The earlier code is kept here as the reference and both are run on generated words
(compounds of dictionary words with and without linking letters, inflected, with å/ä/ö, short, odd), with and
without the reversed-forms trie, compiled or not (whichever build the test process imports).
"""
from __future__ import annotations

import random
from typing import Optional

import pytest

from nlp.lang_sv import compounds, dictionary, lemmas
from nlp.lang_sv.compounds import ING_ENDINGS, MIN_PART, _LINK_SUFFIXES
from nlp.lang_sv.dictionary import known, raw_dict, simple_lemma
from nlp.lang_sv.stop_words import STOP_WORDS


def _old_ing_stem(w: str) -> Optional[str]:
    if not w.endswith(("g", "s", "n", "r", "a")):
        return None
    for end in ING_ENDINGS:
        if w.endswith(end) and len(w) - len(end) >= MIN_PART:
            return w[:len(w) - len(end) + 3]
    return None


def _old_ing_cut(w: str) -> int:
    stem = _old_ing_stem(w)
    return len(w) if stem is None else len(stem) - 3 - compounds._ING_HEAD_MIN


def _old_head_starts(w: str, min_part: int) -> list[int]:
    n = len(w)
    trie = compounds.ending_forms()
    if trie is not None:
        hi = n - min_part
        return [n - k for k in map(len, trie.prefixes(w[::-1])) if min_part <= k <= hi]
    return [i for i in range(n - min_part, min_part - 1, -1) if known(w[i:])]


def _old_split_pass(w: str, strict: bool):
    """The candidate search as it was before perf45 (recursing into itself instead of the memoised splitter)."""
    min_part = 4 if strict else MIN_PART
    best = None
    deferred = []
    raw = raw_dict()
    links_after = compounds._STRICT_LINKS_AFTER if strict else compounds._LINKS_AFTER
    cut = _old_ing_cut(w)
    for i in _old_head_starts(w, min_part):
        if i > cut:
            continue
        head = w[i:]
        head_lemma = simple_lemma(head)
        if head_lemma in STOP_WORDS or len(head_lemma) < 3:
            continue
        mod_surface = w[:i]
        for link in links_after.get(w[i - 1], compounds._NO_LINK):
            m = i - 1 if link else i
            if m < min_part:
                continue
            mod = w[:m] if link else mod_surface
            if strict:
                ok = 0 if known(mod) and simple_lemma(mod) == mod else -1
            elif (mod.encode() in raw) if raw is not None else known(mod):
                ok = 0
            elif m >= 6 and mod.endswith(_LINK_SUFFIXES):
                ok = 1
            else:
                ok = -1
            if ok < 0:
                if not strict and m >= 7:
                    deferred.append((1 if link in ("e", "a") else 0, mod, mod_surface, head))
                continue
            penalty = 1 if link in ("e", "a") else 0
            if penalty == 0 and ok == 0:
                return mod, mod_surface, head
            score = (penalty, ok, len(head))
            if best is None or score < best[0]:
                best = (score, (mod, mod_surface, head))
    if best is None and deferred:
        for want in (0, 1):
            for penalty, mod, mod_surface, head in deferred:
                if penalty == want and _old_split_pass(mod, False) is not None:
                    return mod, mod_surface, head
    return best[1] if best else None


_PARTS = ["hem", "sjukvård", "team", "vård", "plan", "patient", "kontrakt", "egen", "monitorering", "hälsa",
          "samtal", "levnad", "vana", "hjärt", "svikt", "säkerhet", "rutin", "äldre", "boende", "trygghet", "larm",
          "kväll", "natt", "digital", "besök", "mottagning", "utbildning", "provtagning", "fysioterapeut", "dag",
          "nätverk", "smitta", "kompetens", "region", "kommun", "läkemedel", "övning", "åring", "köping", "ring",
          "ing", "data", "stöd", "app", "insats", "mål", "sip", "ab", "och", "för", "ö", "å"]
_LINKS = ["", "", "s", "e", "a", "o", "-"]
_ENDS = ["", "", "en", "et", "er", "erna", "ar", "arna", "s", "ens", "ing", "ingen", "ingarna", "ingars", "ings",
         "ingens", "ingar", "ingarnas", "na", "n", "t"]


def _words(n: int, seed: int = 17) -> list[str]:
    rng = random.Random(seed)
    out = ["", "a", "ing", "ring", "inga", "ringen", "tinget", "sätting", "ingarnas", "xingarnas", "xxxingarnas",
           "kringgående", "betingelser", "ingenting", "ingenstans", "ingsingen", "ingingen", "fingrarnas"]
    for _ in range(n):
        k = rng.choice((1, 2, 2, 3, 3, 4))
        w = "".join(rng.choice(_PARTS) + (rng.choice(_LINKS) if j < k - 1 else "") for j in range(k))
        w += rng.choice(_ENDS)
        if rng.random() < 0.1:
            w = w[:rng.randrange(len(w) + 1)]
        out.append(w)
    return out


def test_ing_stem_equals_the_earlier_ending_loop():
    for w in _words(4000, seed=3):
        assert compounds.ing_stem(w) == _old_ing_stem(w), w
        assert compounds._ing_cut(w) == _old_ing_cut(w), w


@pytest.mark.parametrize("with_trie", [False, True])
def test_split_pass_equals_the_earlier_candidate_search(tmp_path, monkeypatch, with_trie):
    if with_trie:
        pytest.importorskip("marisa_trie")
        from nlp.lang_sv import lemma_cache

        monkeypatch.setenv("SVARSANALYS_CACHE_DIR", str(tmp_path / "c"))
        trie = lemma_cache.reversed_forms_trie(dictionary.raw_dict())
        assert trie is not None
        monkeypatch.setattr(compounds, "ending_forms", lambda: trie)
    else:
        monkeypatch.setattr(compounds, "ending_forms", lambda: None)
    compounds._split_plain.cache_clear()
    compounds.split.cache_clear()
    words = [w for w in _words(1500) if "-" not in w]
    for w in words:
        for strict in (False, True):
            assert compounds._split_pass(w, strict) == _old_split_pass(w, strict), (w, strict)
    compounds._split_plain.cache_clear()
    compounds.split.cache_clear()


def test_lemma_and_split_of_generated_words_are_unchanged_by_the_head_table():
    """The head table only memoises: emptied or filled, the lemmas and splits are the same."""
    words = _words(800, seed=5)
    lemmas.lemma.cache_clear()
    compounds.split.cache_clear()
    compounds._split_plain.cache_clear()
    compounds._HEAD_OK.clear()
    first = [(lemmas.lemma(w), lemmas.split_compound(w)) for w in words]
    lemmas.lemma.cache_clear()
    compounds.split.cache_clear()
    compounds._split_plain.cache_clear()
    assert compounds._HEAD_OK  # filled by the first pass
    assert [(lemmas.lemma(w), lemmas.split_compound(w)) for w in words] == first
