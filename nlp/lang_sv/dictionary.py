"""simplemma's Swedish form dictionary: membership and plain lemma look-ups (no compound logic)."""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from nlp.lang_sv.lemma_cache import sv_dictionary, sv_lookup, sv_tries
from nlp.lang_sv.lemma_exceptions import LEMMA_EXCEPTIONS

__all__ = ["lemma_dict", "raw_dict", "ending_forms", "known", "dict_get", "is_acronym", "simple_lemma", "reset"]


@lru_cache(maxsize=1)
def lemma_dict():
    """simplemma's Swedish form -> lemma dictionary, decoded (~1 M forms; decoded data cached on disk). For
    iterating it; look-ups go through :func:`known` and :func:`dict_get`, which do not decode it."""
    return sv_dictionary()


@lru_cache(maxsize=1)
def raw_dict() -> Optional[dict]:
    """The bytes->bytes dict behind simplemma's mapping (fast membership), if it has one (decodes it)."""
    raw = getattr(lemma_dict(), "_dict", None)
    return raw if isinstance(raw, dict) else None


@lru_cache(maxsize=1)
def ending_forms():
    """The dictionary's forms written backwards, as a trie (see
    :func:`~nlp.lang_sv.lemma_cache.reversed_forms_trie`), or None: ``ending_forms().prefixes(w[::-1])``
    lists every form that ``w`` ends with, shortest first."""
    tries = sv_tries()
    return tries[0] if tries is not None else None


# The look-up structures, set at the first look-up (:func:`_open`): the memory-mapped tries of
# :func:`~nlp.lang_sv.lemma_cache.sv_tries` (nothing decoded: a process whose forms are all in the lemma
# cache reads a few pages of them), else simplemma's decoded dict (caching off, no marisa-trie).
_REV = None  # marisa Trie of the forms written backwards: ``w[::-1] in _REV``
_LEMMAS = None  # marisa BytesTrie form -> [lemma bytes]
_RAW = None  # bytes -> bytes dict (only without the tries)


def _open() -> None:
    global _REV, _LEMMAS, _RAW
    tries = sv_tries()
    if tries is not None:
        _REV, _LEMMAS = tries
    else:
        _RAW = raw_dict()


def reset() -> None:
    """Forget the look-up structures and the plain lemmas (the next look-up opens them again, e.g. after the
    cache folder changed; for tests). The decoded dictionary, where it was decoded, stays."""
    global _REV, _LEMMAS, _RAW
    _REV = _LEMMAS = _RAW = None
    simple_lemma.cache_clear()
    for fn in (ending_forms, sv_tries, sv_lookup):
        fn.cache_clear()


def known(form: str) -> bool:
    """Whether ``form`` (lower-case) is a form in the dictionary."""
    rev = _REV
    if rev is not None:
        return form[::-1] in rev
    raw = _RAW
    if raw is not None:
        return form.encode() in raw
    _open()
    if _REV is None and _RAW is None:
        return form in lemma_dict()
    return known(form)


def dict_get(form: str) -> Optional[str]:
    """The dictionary lemma of ``form``, or None."""
    lemmas = _LEMMAS
    if lemmas is not None:
        got = lemmas.get(form)
        return got[0].decode() if got else None
    raw = _RAW
    if raw is not None:
        v = raw.get(form.encode())
        return v.decode() if v is not None else None
    _open()
    if _LEMMAS is None and _RAW is None:
        return lemma_dict().get(form)
    return dict_get(form)


def is_acronym(word: str) -> bool:
    """Two or more characters, all upper-case ("SIP", "RSS")."""
    return len(word) >= 2 and word.isupper()


@lru_cache(maxsize=400_000)
def simple_lemma(w: str) -> str:
    """simplemma lemma of a lower-case form, with exceptions (no compound fallback)."""
    exc = LEMMA_EXCEPTIONS.get(w)
    if exc is not None:
        return exc
    got = dict_get(w)
    if got is not None:
        return got.lower() if not is_acronym(got) else got
    return ""
