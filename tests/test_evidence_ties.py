"""The rule an evidence names when several terms of one code cover the same words: the strongest kind, then the
longest (most specific) term, then a fixed order, never the order of the codebook's terms."""
from __future__ import annotations

import copy

import pytest

from nlp.codebook import Codebook, default_codebook
from nlp.tagger import Tagger, _hit_order

SENTENCES = [
    "Vardagsrehabilitering har införts i hemtjänsten.",
    "Antalet SIP:ar ökade under hösten.",
    "Alla över 75 år erbjuds nu en fast läkarkontakt.",
    "Fler patienter är utskrivningsklara tidigare än förut.",
    "Hemrehabiliteringen har utökats under året.",
]


def _small(keywords: list[str]) -> Codebook:
    doc = default_codebook().to_doc()
    doc["categories"] = [{"id": "k", "label": "K", "description": "", "questions": [],
                          "codes": [{"id": "rehab", "label": "Rehab", "keywords": keywords}]}]
    return Codebook.from_doc(doc)


def _reversed_terms(doc: dict) -> dict:
    doc = copy.deepcopy(doc)
    for cat in doc["categories"]:
        for code in cat["codes"]:
            for key in ("keywords", "abbreviations"):
                if code.get(key):
                    code[key] = list(reversed(code[key]))
    return doc


def _evidence(tagger: Tagger, texts: list[str]) -> list[list[tuple]]:
    return [[(e.code, e.start, e.end, e.match, e.negated, e.rule) for e in r.evidence]
            for r in tagger.tag_texts(texts)]


@pytest.mark.parametrize("keywords", [["rehabilitering", "vardagsrehabilitering"],
                                      ["vardagsrehabilitering", "rehabilitering"]])
def test_the_longest_of_two_keywords_on_the_same_words_names_the_evidence(keywords):
    ev = [e for e in Tagger(_small(keywords)).tag_texts([SENTENCES[0]])[0].evidence if e.code == "rehab"]
    assert [(e.match, e.rule) for e in ev] == [("Vardagsrehabilitering", "keyword:vardagsrehabilitering")]


def test_evidence_rules_do_not_depend_on_the_order_of_the_codebooks_terms():
    doc = default_codebook().to_doc()
    forward = _evidence(Tagger(Codebook.from_doc(doc)), SENTENCES)
    backward = _evidence(Tagger(Codebook.from_doc(_reversed_terms(doc))), SENTENCES)
    assert forward == backward
    # the longest of the terms on the same words, inflected duplicates of one keyword ("fast läkarkontakt",
    # "fasta läkarkontakten") and abbreviations of one base ("SIP", "SIP:ar", "SIP:arna") included
    assert [[r for (*_, r) in sent] for sent in forward] == [
        ["keyword:vardagsrehabilitering"], ["abbreviation:SIP:arna"], ["keyword:fasta läkarkontakten"],
        ["keyword:utskrivningsklara"], ["keyword:hemrehabilitering"]]


def test_hit_order_prefers_start_then_span_then_kind_then_longest_rule():
    hits = [(3, 4, "keyword", "rehabilitering"), (3, 4, "compound", "team + mobil*"),
            (3, 4, "keyword", "vardagsrehabilitering"), (2, 4, "weak", ""), (3, 5, "cooccurrence", "samförekomst 1"),
            (3, 4, "keyword", "habilitering")]
    assert sorted(hits, key=_hit_order) == [
        (2, 4, "weak", ""), (3, 5, "cooccurrence", "samförekomst 1"),
        (3, 4, "keyword", "vardagsrehabilitering"), (3, 4, "keyword", "rehabilitering"),
        (3, 4, "keyword", "habilitering"), (3, 4, "compound", "team + mobil*")]
    same_length = [(0, 1, "abbreviation", "SIP:en"), (0, 1, "abbreviation", "SIP:ar")]
    assert sorted(same_length, key=_hit_order) == sorted(reversed(same_length), key=_hit_order)
