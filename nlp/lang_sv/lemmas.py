"""Lemmas of Swedish words: domain exceptions, simplemma's dictionary, then the compound fallback."""
from __future__ import annotations

from functools import lru_cache

from nlp.lang_sv.compounds import ing_stem, split
from nlp.lang_sv.dictionary import is_acronym, simple_lemma
from nlp.lang_sv.lemma_cache import fallback_lemmatizer
from nlp.lang_sv.lemma_exceptions import LEMMA_EXCEPTIONS

__all__ = ["lemma", "split_compound"]


def split_compound(word: str) -> list[str]:
    """Split a Swedish compound into [modifier, head] lemma parts; [] if it is not a compound.

    Uses simplemma's form dictionary as the word list and the linking morphemes -s-, -e-, -a-
    and a hyphen: "hemsjukvårdsteamet" -> ["hemsjukvård", "team"], "egenmonitoreringslösning" ->
    ["egenmonitorering", "lösning"], "SIP-samordnare" -> ["SIP", "samordnare"]. Memoised.
    """
    sp = split(word)
    if sp is None:
        return []
    mod, _, head = sp
    return [mod, lemma(head)]


@lru_cache(maxsize=400_000)
def lemma(word: str) -> str:
    """Lemma of one word: exceptions, then simplemma (Swedish), then compound fallback.

    Lower-case, except acronyms which keep their case ("SIP", "SIP:ar" -> "SIP").
    Hyphenated words keep the left part and lemmatise the right ("SIP-samordnarna" ->
    "SIP-samordnare"); unknown compounds lemmatise their head ("patientkontraktet" ->
    "patientkontrakt").
    """
    if not word or not (word.isalpha() or any(c.isalpha() for c in word)):
        return word
    if ":" in word[1:-1]:  # "SIP:ar", "SIP:en" -> "SIP"
        base = word.split(":", 1)[0]
        if is_acronym(base):
            return base
    if is_acronym(word):
        return word
    w = word.lower()
    exc = LEMMA_EXCEPTIONS.get(w)
    if exc is not None:
        return exc
    if ":" in w:  # "sip:ar" lower-case variants
        w = w.split(":", 1)[0]
    if "-" in w.strip("-"):
        sp = split(word)
        if sp is not None:
            left, left_surface, head = sp
            return left_surface + lemma(head) if is_acronym(left) else left_surface.lower() + lemma(head)
        return w
    got = simple_lemma(w)
    if got:
        return got
    # an -ing noun the dictionary lacks ("egenmonitoreringarna" -> "egenmonitorering"): its lemma is its stem
    # with "-ing" whatever it is compounded of, and read as a compound its ending would be split off as a
    # head ("ring" -> "ringa")
    stem = ing_stem(w)
    if stem is not None:
        return stem
    sp = split(w)
    if sp is not None:
        _, mod_surface, head = sp
        return mod_surface + lemma(head)
    try:
        out = fallback_lemmatizer().lemmatize(w, lang="sv")
    except Exception:  # pragma: no cover - simplemma is robust; stay safe on odd input
        out = w
    return out.lower() if out else w
