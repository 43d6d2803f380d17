"""Sentences written for the tests that compare two paths of the disposer on generated passages
(tests/test_disposer_batched.py, tests/test_disposer_gc_paused.py), and passages combined from them at random."""
from __future__ import annotations

import random
from typing import Sequence

__all__ = ["EDGE_CASES", "SENTENCES", "combined"]

SENTENCES = [
    "Vi har infört mobila team med läkare och sjuksköterska som gör hembesök hos äldre.",
    "Familjecentralen i kommunen öppnade i maj och samverkar med elevhälsan.",
    "Arbetet med en gemensam journal har skjutits upp till nästa år.",
    "Hemsjukvården har inte utökats i år, men planer finns på sikt.",
    "Kommunen diskuterar läkemedelsautomater i hemtjänsten.",
    "Antal besök på vårdcentralen följs som nyckeltal: 1 204 besök 2022.",
    "En samordnad individuell plan upprättas för alla patienter som skrivs ut.",
    "Vi startade ett digitalt stöd för anhöriga under hösten.",
    "Grannkommunen har en äldrevårdscentral, men inte vi.",
    "Under året har en ny samverkansöverenskommelse tecknats mellan region och kommun.",
    "Inga förändringar.",
    "Rehabilitering i hemmet erbjuds efter sjukhusvistelse och trygg hemgång fungerar väl.",
]

# texts that test the edges of a text model's rows: repeated words, letters whose case changes the length, no
# word of the vocabulary, one word
EDGE_CASES = [
    "HEMBESÖK HEMBESÖK hembesök hembesöken",
    "ΣΑΜΟΣ och İstanbul-resan",  # a capital sigma; a letter whose lower case is longer
    "xq zzv",  # no word of the vocabulary
    "team",
]


def combined(seed: int, n: int, most: int, sentences: Sequence[str] = SENTENCES) -> list[str]:
    """`n` passages of 1 to `most` distinct sentences of `sentences` each, the same for the same seed."""
    rnd = random.Random(seed)
    return [" ".join(rnd.sample(list(sentences), rnd.randint(1, most))) for _ in range(n)]
