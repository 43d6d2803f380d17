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

from nlp.lang_sv.dictionary import ending_forms, is_acronym, known, simple_lemma
from nlp.lang_sv.lemma_exceptions import LEMMA_EXCEPTIONS
from nlp.lang_sv.stop_words import STOP_WORDS

__all__ = ["LINKS", "MIN_PART", "MAX_COMPOUND_CHARS", "ING_ENDINGS", "ing_stem", "split"]

# Linking morphemes between modifier and head, most preferred first; "" = joined directly.
# A hyphen only links inside hyphenated words, which split() handles before the linking search.
LINKS = ("s", "e", "a", "-", "")
MIN_PART = 3
# Longer "words" (URLs, glued lists, garbage) are never split: keeps splitting linear in text size.
MAX_COMPOUND_CHARS = 48


_LINK_SUFFIXES = ("ing", "het", "tion", "else", "skap", "itet", "ande", "ende", "ism", "ment", "sion")
# The endings of a noun in -ing ("-ing", "-ingen", "-ingar", "-ingarna", their genitives): the inflections of the
# derivations "egenmonitorering", "digitalisering", "samordning".
ING_ENDINGS = ("ing", "ings", "ingen", "ingens", "ingar", "ingars", "ingarna", "ingarnas")
_ING_SET = frozenset(ING_ENDINGS)
# Letters before the "ing" of an -ing noun's ending that a compound head must hold: a head "ring…" or "ing…" is
# a piece of the derivation ("egenmonitore|ring", "egenmonitoreringa|rna"), not a word; "åring", "övning",
# "köping" are.
_ING_HEAD_MIN = 2


def ing_stem(w: str) -> Optional[str]:
    """The base form ("…ing") of a lower-case word that ends like an inflected -ing noun, else None."""
    # Every ending starts with the only "ing" it holds and none ends another, so a word ends with at most one:
    # the one from the last "ing" of its last 8 characters (one search instead of a test per ending).
    n = len(w)
    k = w.rfind("ing", n - 8 if n > 8 else 0)
    if k < MIN_PART or w[k:] not in _ING_SET:
        return None
    return w[:k + 3]


def _ing_cut(w: str) -> int:
    """The last index where a compound head of ``w`` may start: :data:`_ING_HEAD_MIN` letters before the
    "ing" of an -ing noun's ending, the word's length for other words."""
    stem = ing_stem(w)
    return len(w) if stem is None else len(stem) - 3 - _ING_HEAD_MIN


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


# The linking morphemes of LINKS (in their order) a modifier surface can end with, by its last
# character (every link is one character or none); strict splits link only with -s- or directly.
def _links_after() -> dict[str, tuple[str, str]]:
    """Each non-empty link -> (link, "") (built in a function, not by a module-level comprehension: see
    nlp/compiled.py on the compiled build)."""
    return {c: (c, "") for c in LINKS if c}


_LINKS_AFTER = _links_after()
_STRICT_LINKS_AFTER = {"s": ("s", "")}
_NO_LINK = ("",)


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
    return _scan(w, strict)


# Whether a dictionary form may be a compound's head (its lemma is not a function word and has 3+ letters), per
# form: heads recur across the words of a round, and a plain dict look-up is cheaper than the lemma's memo and
# the stop-word test each time. Bounded by the dictionary's forms.
_HEAD_OK: dict = {}


def _scan(w: str, strict: bool) -> Optional[tuple[str, str, str]]:
    """:func:`_split_pass` (compiled with C integer positions and typed strings, see compounds.pxd)."""
    min_part = 4 if strict else MIN_PART
    best: Optional[tuple[tuple[int, int, int], tuple[str, str, str]]] = None
    deferred: list[tuple[int, str, str, str]] = []  # modifiers that may themselves be compounds
    links_after = _STRICT_LINKS_AFTER if strict else _LINKS_AFTER
    cut = _ing_cut(w)
    head_table = _HEAD_OK
    for i in _head_starts(w, min_part):
        if i > cut:
            continue  # a piece of an -ing noun's ending ("egenmonitore|ring"): not a head
        head = w[i:]
        head_ok = head_table.get(head)
        if head_ok is None:
            head_lemma = simple_lemma(head)
            head_ok = head_table[head] = not (head_lemma in STOP_WORDS or len(head_lemma) < 3)
        if not head_ok:
            continue
        mod_surface = w[:i]
        for link in links_after.get(w[i - 1], _NO_LINK):
            m = i - 1 if link else i  # len(mod)
            if m < min_part:
                continue
            mod = w[:m] if link else mod_surface
            if strict:
                ok = _mod_ok(mod, True, False)
            elif known(mod):  # _mod_ok(mod, False, False)
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
                return mod, mod_surface, head  # best possible: heads are tried shortest first
            score = (penalty, ok, len(head))
            if best is None or score < best[0]:
                best = (score, (mod, mod_surface, head))
    if best is None and deferred:
        # the best deferred candidate is the first (in order) with the lowest (penalty, head length)
        # whose modifier splits: heads come shortest first, so that order is the penalty-0
        # candidates in order, then the penalty-1 ones; stop at the first whose modifier splits
        for want in (0, 1):
            for penalty, mod, mod_surface, head in deferred:
                if penalty == want and _split_plain(mod, False) is not None:
                    return mod, mod_surface, head
    return best[1] if best else None


def _head_starts(w: str, min_part: int) -> list[int]:
    """Indexes i, highest first (shortest head first), where the dictionary form ``w[i:]`` ends ``w``
    with at least ``min_part`` characters on either side."""
    n = len(w)
    trie = ending_forms()
    if trie is not None:  # one compiled look-up lists every form that ends w, shortest first
        hi = n - min_part
        out = []
        for f in trie.prefixes(w[::-1]):
            k = len(f)
            if min_part <= k <= hi:
                out.append(n - k)
        return out
    return [i for i in range(n - min_part, min_part - 1, -1) if known(w[i:])]


_SPLIT_UNCACHED = _split_plain.__wrapped__


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
    # split()'s own memo holds this word's result; _split_plain's memo is left to the parts it is asked
    # about while splitting (modifiers recur across words, whole new compounds do not)
    return _SPLIT_UNCACHED(w, strict=is_known)
