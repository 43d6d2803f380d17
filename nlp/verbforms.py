"""Swedish verb forms from a word and its lemma: tense, voice and finiteness by suffix rules.

simplemma gives lemmas but no part of speech, so a form is read as a verb form when it is its
lemma's stem plus a verb suffix (``införa`` -> ``inför|s``, ``infört``, ``införde``; ``starta`` ->
``start|ade``, ``start|ats``), or one of the irregular forms below (``har``, ``finns``, ``gjorde``).

Forms (:func:`verb_form`):

- ``pres`` present (-r/-ar/-er; "har", "finns"), ``pres_pass`` present passive (-s: "används", "erbjuds");
- ``past`` past (-de/-te/-dde/-ade), ``past_pass`` (-des/-tes/-ades);
- ``sup`` supine / past participle (-t/-tt/-at, -ts/-ats, -d/-ad: "infört", "införts", "införd");
- ``inf`` infinitive (the lemma itself, -as passive); ``None``: not a verb form.

Pure functions; no spaCy objects.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

__all__ = ["verb_form", "is_finite", "MODAL_PLANNED", "IRREGULAR"]

# Irregular and short verbs: form -> (lemma, form class).
IRREGULAR: dict[str, tuple[str, str]] = {
    "är": ("vara", "pres"), "var": ("vara", "past"), "varit": ("vara", "sup"), "vara": ("vara", "inf"),
    "har": ("ha", "pres"), "hade": ("ha", "past"), "haft": ("ha", "sup"), "ha": ("ha", "inf"),
    "blir": ("bli", "pres"), "blev": ("bli", "past"), "blivit": ("bli", "sup"), "bli": ("bli", "inf"),
    "gör": ("göra", "pres"), "görs": ("göra", "pres_pass"), "gjorde": ("göra", "past"), "gjordes": ("göra", "past_pass"),
    "gjort": ("göra", "sup"), "gjorts": ("göra", "sup"),
    "går": ("gå", "pres"), "gick": ("gå", "past"), "gått": ("gå", "sup"),
    "får": ("få", "pres"), "fick": ("få", "past"), "fått": ("få", "sup"),
    "tar": ("ta", "pres"), "tas": ("ta", "pres_pass"), "tog": ("ta", "past"), "togs": ("ta", "past_pass"),
    "tagit": ("ta", "sup"), "tagits": ("ta", "sup"),
    "ger": ("ge", "pres"), "ges": ("ge", "pres_pass"), "gav": ("ge", "past"), "gavs": ("ge", "past_pass"),
    "gett": ("ge", "sup"), "givit": ("ge", "sup"), "getts": ("ge", "sup"), "givits": ("ge", "sup"),
    "ser": ("se", "pres"), "ses": ("se", "pres_pass"), "såg": ("se", "past"), "sett": ("se", "sup"),
    "står": ("stå", "pres"), "stod": ("stå", "past"), "stått": ("stå", "sup"),
    "finns": ("finnas", "pres"), "fanns": ("finnas", "past"), "funnits": ("finnas", "sup"),
    "kommer": ("komma", "pres"), "kom": ("komma", "past"), "kommit": ("komma", "sup"),
    "sker": ("ske", "pres"), "skedde": ("ske", "past"), "skett": ("ske", "sup"),
    "drev": ("driva", "past"), "drevs": ("driva", "past_pass"), "drivit": ("driva", "sup"), "drivits": ("driva", "sup"),
    "ingår": ("ingå", "pres"), "ingick": ("ingå", "past"), "pågår": ("pågå", "pres"), "pågick": ("pågå", "past"),
    "pågått": ("pågå", "sup"), "fortgår": ("fortgå", "pres"), "genomgår": ("genomgå", "pres"),
    "sprids": ("sprida", "pres_pass"), "spreds": ("sprida", "past_pass"), "spridits": ("sprida", "sup"),
    "spridit": ("sprida", "sup"), "sprider": ("sprida", "pres"),
    "ska": ("skola", "modal"), "skall": ("skola", "modal"), "skulle": ("skola", "modal_past"),
    "kan": ("kunna", "modal_pres"), "kunde": ("kunna", "modal_past"), "kunnat": ("kunna", "sup"),
    "vill": ("vilja", "modal_pres"), "ville": ("vilja", "modal_past"), "måste": ("måste", "modal_pres"),
    "bör": ("böra", "modal_pres"), "borde": ("böra", "modal_past"),
    "vet": ("veta", "pres"), "visste": ("veta", "past"),
    "bedrivs": ("bedriva", "pres_pass"), "drivs": ("driva", "pres_pass"), "hålls": ("hålla", "pres_pass"),
    "höll": ("hålla", "past"), "hållit": ("hålla", "sup"), "hölls": ("hålla", "past_pass"),
    "lade": ("lägga", "past"), "lades": ("lägga", "past_pass"), "lagt": ("lägga", "sup"), "lagts": ("lägga", "sup"),
    "satte": ("sätta", "past"), "sattes": ("sätta", "past_pass"), "satt": ("sätta", "sup"), "satts": ("sätta", "sup"),
    "skrev": ("skriva", "past"), "skrevs": ("skriva", "past_pass"), "skrivit": ("skriva", "sup"),
    "drog": ("dra", "past"), "drogs": ("dra", "past_pass"), "dragit": ("dra", "sup"), "drar": ("dra", "pres"),
    "valde": ("välja", "past"), "valdes": ("välja", "past_pass"), "valt": ("välja", "sup"), "valts": ("välja", "sup"),
    "bjöd": ("bjuda", "past"), "bjöds": ("bjuda", "past_pass"), "bjudit": ("bjuda", "sup"),
    "fanns": ("finnas", "past"), "såg": ("se", "past"), "sågs": ("se", "past_pass"),
    "gick": ("gå", "past"), "fick": ("få", "past"), "fått": ("få", "sup"),
    "antogs": ("anta", "past_pass"), "antog": ("anta", "past"), "antagit": ("anta", "sup"), "antagits": ("anta", "sup"),
    "infördes": ("införa", "past_pass"),
}

# Words never read as verbs even when the suffix rules would allow it (nouns and adverbs whose lemma
# ends in -a, e.g. "skolas" is genitive of "skola").
NOT_VERBS = frozenset({
    "enligt", "samt", "först", "sist", "mest", "minst", "bäst", "helt", "delvis", "tidigt", "sent", "nytt",
    "mycket", "litet", "lite", "gott", "fast", "ett", "annat", "något", "inget", "allt", "vart", "stort",
    "brett", "särskilt", "speciellt", "framför", "inför", "efter", "under", "över", "utanför", "mer", "fler",
    "hälsa", "vecka", "skola", "pilot", "projekt", "vård", "team", "plan", "stöd", "start", "test",
    "ordinarie", "gemensamt", "digitalt", "regionalt", "lokalt", "nationellt", "systematiskt", "löpande",
})
MODAL_PLANNED = frozenset({"ska", "skall"})

_SUFFIXES_A = (  # lemma ends in -a: stem = lemma[:-1]
    ("ades", "past_pass"), ("ats", "sup"), ("ade", "past"), ("as", "inf_pass"), ("ar", "pres"), ("at", "sup"),
    ("ad", "sup"), ("des", "past_pass"), ("tes", "past_pass"), ("dde", "past"), ("de", "past"), ("te", "past"),
    ("er", "pres"), ("ts", "sup"), ("tt", "sup"), ("es", "pres_pass"), ("s", "pres_pass"), ("r", "pres"),
    ("dda", "sup"), ("da", "sup"), ("ta", "sup"), ("ade", "past"),
    ("t", "sup"), ("d", "sup"), ("a", "inf"), ("e", "past"), ("", "pres"),
)
_SUFFIXES_VOWEL = (  # short verbs ending in another vowel (bo, tro, ske): stem = lemma
    ("ddes", "past_pass"), ("dde", "past"), ("tts", "sup"), ("tt", "sup"), ("r", "pres"), ("s", "pres_pass"),
    ("dd", "sup"), ("", "inf"),
)

# The suffix tables as dicts (a form's rest after the stem equals at most one suffix: the first entry of each
# suffix, as the tables are read in order; the vowel table without its empty suffix, which never matches).
_SUFFIX_A: dict[str, str] = {}
for _suf, _cls in _SUFFIXES_A:
    _SUFFIX_A.setdefault(_suf, _cls)
_SUFFIX_VOWEL: dict[str, str] = {}
for _suf, _cls in _SUFFIXES_VOWEL:
    if _suf:
        _SUFFIX_VOWEL.setdefault(_suf, _cls)
del _suf, _cls
_DEPONENT = {"as": "pres", "ades": "past", "ats": "sup"}  # deponent verbs: the rest after the lemma's stem


# The callers keep a form's value per batch or per word already (834 hits in 70,756 calls tagging the bench
# passages with 200,000 entries): a small memo keeps the frequent forms without holding every rare one.
@lru_cache(maxsize=8192)
def verb_form(form: str, lemma: str) -> Optional[tuple[str, str]]:
    """(lemma, form class) of a lower-case word when it reads as a verb form, else None."""
    if not form or not form.isalpha():
        return None
    got = IRREGULAR.get(form)
    if got is not None:
        return got
    if form in NOT_VERBS or len(form) < 3:
        return None
    lemma = (lemma or "").lower()
    if lemma.endswith("as") and len(lemma) > 4 and form.startswith(lemma[:-2]):
        # deponent verbs (lyckas, hoppas): lyckas / lyckades / lyckats
        cls = _DEPONENT.get(form[len(lemma) - 2:])
        return None if cls is None else (lemma, cls)
    if len(lemma) >= 3 and lemma.endswith("a"):
        stem = lemma[:-1]
        if not form.startswith(stem):
            return None
        rest = form[len(stem):]
        cls = _SUFFIX_A.get(rest)
        if cls is None:
            return None
        if rest == "" and not stem.endswith("r"):
            return None  # bare stem is a present form only for r-stems ("inför", "gör")
        if rest == "r" and stem.endswith("r"):
            return None
        if rest == "e" and not (stem.endswith("d") or stem.endswith("t")):
            return None
        return lemma, cls
    if 2 <= len(lemma) <= 4 and lemma[-1] in "eiouyåäö" and form.startswith(lemma):
        cls = _SUFFIX_VOWEL.get(form[len(lemma):])
        if cls is not None:
            return lemma, cls
    return None


def is_finite(cls: Optional[str]) -> bool:
    """True for tensed forms (present, past, their passives, modals)."""
    return cls is not None and (cls.startswith("pres") or cls.startswith("past") or cls.startswith("modal"))
