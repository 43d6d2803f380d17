"""Word classes read off simplemma's Swedish form dictionary (which has no parts of speech, but lists the
inflected forms of a lemma): whether a lemma inflects as an adjective or as a noun, and whether a word is a
function word. Used to tell which words written apart may be one compound (nlp.termmatch.TermIndex.joined).
"""
from __future__ import annotations

from functools import lru_cache

from nlp.lang_sv.compounds import split
from nlp.lang_sv.dictionary import dict_get, known
from nlp.lang_sv.stop_words import STOP_WORDS

__all__ = ["is_adjective", "is_noun", "is_function_word", "is_possessive", "POSSESSIVES"]


def _maps_to(form: str, lem: str) -> bool:
    return form != lem and dict_get(form) == lem


@lru_cache(maxsize=100_000)
def is_adjective(lem: str) -> bool:
    """Whether the lower-case lemma ``lem`` inflects as an adjective in the dictionary: it has a neuter form
    in -t ("särskilt", "nytt", "eget"; a lemma in -t is its own neuter) and a definite/plural form in -a/-e
    ("särskilda", "nya", "egna", "gemensamma") or a comparative ("fastare")."""
    n = len(lem)
    if n < 2 or not lem.isalpha():
        return False
    if lem.endswith("t"):
        neuter = True
    else:
        neuter = _maps_to(lem + "t", lem) or _maps_to(lem + "tt", lem)
        if not neuter and lem[-1] in "dn" and n >= 3:
            # "särskild" -> "särskilt", "god" -> "gott", "egen" -> "eget"
            neuter = _maps_to(lem[:-1] + "t", lem) or _maps_to(lem[:-1] + "tt", lem)
    if not neuter:
        return False
    if _maps_to(lem + "are", lem) or _maps_to(lem + "ast", lem):
        return True
    if _maps_to(lem + "a", lem) or _maps_to(lem + "e", lem) or _maps_to(lem + lem[-1] + "a", lem):
        return True
    # a lemma in -en/-el/-er drops its vowel before -a ("egen" -> "egna", "enkel" -> "enkla")
    return n >= 4 and lem[-2] == "e" and lem[-1] in "nlr" and _maps_to(lem[:-2] + lem[-1] + "a", lem)


_NOUN_ENDS = ("en", "et", "n", "ar", "er", "or", "r", "na")


@lru_cache(maxsize=100_000)
def is_noun(lem: str, _depth: int = 0) -> bool:
    """Whether the lower-case lemma ``lem`` inflects as a noun in the dictionary (a definite or plural form:
    "vården", "teamet", "hälsan", "dagar", "hemmet", "läkemedlet", "flickor"; a lemma in -a only by its
    definite -n or plural -or form, its -ar/-r forms being a verb's present tense: "kontaktar"); a lemma the
    dictionary lacks counts by the head of its compound split ("närsjukvård" by "sjukvård"), and one it
    cannot split as a noun (an unknown word)."""
    if len(lem) < 2 or not lem.isalpha():
        return False
    if lem[-1] == "a":
        if _maps_to(lem + "n", lem) or _maps_to(lem[:-1] + "or", lem):
            return True
    else:
        for e in _NOUN_ENDS:
            if _maps_to(lem + e, lem):
                return True
        if _maps_to(lem + lem[-1] + "en", lem) or _maps_to(lem + lem[-1] + "et", lem):
            return True
        if len(lem) >= 4 and lem[-2] == "e" and lem[-1] in "lnr" and (
                _maps_to(lem[:-2] + lem[-1] + "et", lem) or _maps_to(lem[:-2] + lem[-1] + "en", lem)):
            return True
    if known(lem):
        return False
    if _depth == 0:
        sp = split(lem)
        if sp is not None:
            head = sp[2]
            return is_noun(dict_get(head) or head, 1)
    return True


@lru_cache(maxsize=100_000)
def is_function_word(low: str) -> bool:
    """Whether the lower-case word ``low`` is a function word (a preposition, conjunction, pronoun, article,
    auxiliary, adverb of the stop list: "om", "för", "en", "att", "när", "det"): a stop word that does not
    inflect as an adjective ("egen", "egna" are adjectives)."""
    if low not in STOP_WORDS:
        return False
    lem = dict_get(low) or low
    return not is_adjective(lem)


# possessive pronouns (a closed class): an adjective after one is attributive ("sin egen vårdcentral")
POSSESSIVES = frozenset("min mitt mina din ditt dina sin sitt sina vår vårt våra er ert era hans hennes dess deras".split())


def is_possessive(low: str, lem: str) -> bool:
    """Whether a word form (lower case, with its lemma lower case) is a possessive: a possessive pronoun or a
    noun in the genitive ("kommunernas", "patientens": the noun's lemma with more, ending in -s)."""
    if low in POSSESSIVES:
        return True
    return len(low) >= 4 and low.endswith("s") and lem != low and low.startswith(lem[:max(2, len(lem) - 1)]) \
        and is_noun(lem)
