"""simplemma's Swedish form dictionary: membership and plain lemma look-ups (no compound logic)."""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from nlp.lang_sv.lemma_cache import reversed_forms_trie, sv_dictionary
from nlp.lang_sv.lemma_exceptions import LEMMA_EXCEPTIONS

__all__ = ["lemma_dict", "raw_dict", "ending_forms", "known", "dict_get", "is_acronym", "simple_lemma"]


@lru_cache(maxsize=1)
def lemma_dict():
    """simplemma's Swedish form -> lemma dictionary (loaded once; ~1 M forms; decoded data cached on disk)."""
    return sv_dictionary()


@lru_cache(maxsize=1)
def raw_dict() -> Optional[dict]:
    """The bytes->bytes dict behind simplemma's mapping (fast membership), if it has one."""
    raw = getattr(lemma_dict(), "_dict", None)
    return raw if isinstance(raw, dict) else None


@lru_cache(maxsize=1)
def ending_forms():
    """The dictionary's forms written backwards, as a trie (see
    :func:`~nlp.lang_sv.lemma_cache.reversed_forms_trie`), or None: ``ending_forms().prefixes(w[::-1])``
    lists every form that ``w`` ends with, shortest first."""
    raw = raw_dict()
    return reversed_forms_trie(raw) if raw is not None else None


def known(form: str) -> bool:
    """Whether ``form`` (lower-case) is a form in the dictionary."""
    raw = raw_dict()
    if raw is not None:
        return form.encode() in raw
    return form in lemma_dict()


def dict_get(form: str) -> Optional[str]:
    """The dictionary lemma of ``form``, or None."""
    raw = raw_dict()
    if raw is not None:
        v = raw.get(form.encode())
        return v.decode() if v is not None else None
    return lemma_dict().get(form)


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
