"""Curated Swedish stop list for keywords and clustering.

Starts from spaCy's Swedish list, adds what it lacks (är, samt, abbreviations, frequent
report filler) and removes words that carry meaning in this domain (beslut, viktig, ska ...).
"""
from __future__ import annotations

from spacy.lang.sv.stop_words import STOP_WORDS as _SPACY

ADDED = set(
    """
    är samt vara varit blivit bli blir också även både eller samt sådan sådana sådant detta dessa denna
    vilken vilket vilka vars hos åt via per cirka ca ca. bl bl.a. bland_annat t.ex. t ex m.m. mm s.k. osv o.s.v.
    dvs d.v.s. etc etc. resp inkl inkl. exkl pga p.g.a. m.fl. enl enl. a ex st nr
    sker ske skett skedde görs gjordes gjorts genomförs finnas fanns funnits ha hade haft har kunna kan kunde
    skulle bör borde få får fick fått göra gör gjorde gjort
    samtliga övriga övrigt vissa visst viss något några någon inget ingen inga alla allt andra annat annan
    egen eget egna mm därtill därmed därutöver härutöver dessutom emellertid således respektive
    kring runt utifrån gällande avseende angående inklusive exklusive
    år året åren års
    """.split()
)

# Meaningful in measure descriptions ("beslut om handlingsplan", "stor del av länets kommuner").
REMOVED = set(
    """
    beslut beslutat beslutit ska skall viktig viktiga viktigt viktigare viktigast stor stora stort större störst
    del delen gäller gälla gällt god goda gott bättre nummer hög högre högst tidig tidigt tidigare senare
    mindre små liten tillsammans möjlig möjligt nödvändig
    """.split()
)

STOP_WORDS: frozenset[str] = frozenset((set(_SPACY) | ADDED) - REMOVED)
