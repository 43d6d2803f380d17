"""The Swedish compound splitter: one modifier + head split of a word, with linking morphemes.

A compound is a known head (the last element, not a function word) after a modifier that is a
known word, a derivation ("-ing", "-het", ...) or itself a compound, joined directly or by a
linking morpheme of :data:`LINKS` ("hemsjukvårds|team", "äldre|boende", "SIP-|samordnare").
:func:`split` gives (modifier lemma, modifier surface incl. link, head surface); memoised.
The same :data:`LINKS` serve the term matcher's modifier tests.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from nlp.lang_sv.dictionary import is_acronym, known, raw_dict, simple_lemma
from nlp.lang_sv.lemma_exceptions import LEMMA_EXCEPTIONS
from nlp.lang_sv.stop_words import STOP_WORDS

__all__ = ["LINKS", "MIN_PART", "MAX_COMPOUND_CHARS", "split"]

# Linking morphemes between modifier and head, most preferred first; "" = joined directly.
# A hyphen only links inside hyphenated words, which split() handles before the linking search.
LINKS = ("s", "e", "a", "-", "")
MIN_PART = 3
# Longer "words" (URLs, glued lists, garbage) are never split: keeps splitting linear in text size.
MAX_COMPOUND_CHARS = 48


_LINK_SUFFIXES = ("ing", "het", "tion", "else", "skap", "itet", "ande", "ende", "ism", "ment", "sion")


def _mod_ok(mod: str, strict: bool, recurse: bool) -> int:
    """0 = known modifier, 1 = derivational suffix, 2 = itself a compound, -1 = not a modifier."""
    # (the compound case is normally evaluated lazily by _split_pass, with recurse=False)
    if strict:
        return 0 if known(mod) and simple_lemma(mod) == mod else -1
    if known(mod):
        return 0
    if len(mod) >= 6 and mod.endswith(_LINK_SUFFIXES):
        return 1
    if recurse and len(mod) >= 7 and _split_plain(mod, strict=False) is not None:
        return 2
    return -1


@lru_cache(maxsize=200_000)
def _split_plain(w: str, strict: bool) -> Optional[tuple[str, str, str]]:
    """Best split of a lower-case word (see :func:`_split_pass`); modifiers that are themselves
    compounds are only tried when no simpler split exists."""
    return _split_pass(w, strict)


def _split_pass(w: str, strict: bool) -> Optional[tuple[str, str, str]]:
    """Best (modifier_lemma, modifier_surface, head_surface) split of a lower-case word, or None.

    Candidates: a known head (not a function word) and a modifier that is a known word, with an
    optional linking morpheme -s-, -e-, -a-. Preference: no/s link over e/a link, known modifier
    over derived one, then the shortest head (the head is the last element of a compound).
    """
    n = len(w)
    min_part = 4 if strict else MIN_PART
    best: Optional[tuple[tuple[int, int, int], tuple[str, str, str]]] = None
    raw = raw_dict()
    wb = w.encode()
    ascii_ = len(wb) == n  # else the suffix is encoded on its own (å, ä, ö are two bytes in UTF-8)
    deferred: list[tuple[int, str, str, str]] = []  # modifiers that may themselves be compounds
    for i in range(n - min_part, min_part - 1, -1):
        if raw is not None:
            if (wb[i:] if ascii_ else w[i:].encode()) not in raw:
                continue
            head = w[i:]
        else:
            head = w[i:]
            if not known(head):
                continue
        head_lemma = simple_lemma(head)
        if head_lemma in STOP_WORDS or len(head_lemma) < 3:
            continue
        mod_surface = w[:i]
        for link in LINKS:
            if link:
                if (strict and link != "s") or not mod_surface.endswith(link):
                    continue
                mod = mod_surface[: -len(link)]
            else:
                mod = mod_surface
            if len(mod) < min_part:
                continue
            ok = _mod_ok(mod, strict, False)
            if ok < 0:
                if not strict and len(mod) >= 7:
                    deferred.append((1 if link in ("e", "a") else 0, mod, mod_surface, head))
                continue
            penalty = 1 if link in ("e", "a") else 0
            if penalty == 0 and ok == 0:
                return mod, mod_surface, head  # best possible: heads are tried shortest first
            score = (penalty, ok, len(head))
            if best is None or score < best[0]:
                best = (score, (mod, mod_surface, head))
    if best is None and deferred:
        # the best deferred candidate is the first (in order) with the lowest (penalty, head length)
        # whose modifier splits: try them in that order (stable sort) and stop at the first that does
        for penalty, mod, mod_surface, head in sorted(deferred, key=_deferred_order):
            if _split_plain(mod, False) is not None:
                return mod, mod_surface, head
    return best[1] if best else None


def _deferred_order(item: tuple[int, str, str, str]) -> tuple[int, int]:
    return item[0], len(item[3])


@lru_cache(maxsize=200_000)
def split(word: str) -> Optional[tuple[str, str, str]]:
    """Memoised compound split: (modifier lemma, modifier surface incl. link/hyphen, head surface)."""
    if len(word) < 6 or not word[:1].isalpha():
        return None
    if "-" in word.strip("-"):
        left, _, right = word.rpartition("-")
        if len(left) >= 2 and len(right) >= 2 and right[:1].isalpha():
            mod = left if is_acronym(left) else left.lower()
            return mod, left + "-", right
        return None
    if len(word) > MAX_COMPOUND_CHARS:
        return None
    w = word.lower()
    if w in LEMMA_EXCEPTIONS:
        return None
    is_known = known(w)
    if is_known and len(w) < 9:
        return None
    return _split_plain(w, strict=is_known)
