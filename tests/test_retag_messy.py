"""Re-tag after a codebook edit on messy text (answers typed without diacritics).

The fall-back reading (nlp.termmatch: ``TermIndex.messy``) reads an all-ASCII form as a codebook word
restored with its diacritics ("kvallsbesok" as "kvällsbesök"), so an edit can change the reading of a
form that shares no probe string with the edited pattern. ``Tagger.retag`` must tag such a text again
(re-tag = tagging from scratch, always), and leave alone the texts whose forms the fall-back reads as
other codebook words ("vardcentralen": "vård…"), which is what keeps a re-tag fast on a national corpus.
"""
from __future__ import annotations

import copy
import json

import pytest

from bench.corpus import generate
from nlp.codebook import Codebook, default_codebook
from nlp.termmatch import fold
from nlp.tagger import Tagger, _edit_probes, _messy_touch, _only_codes

MESSY = ["Ett kvallsbesok gjordes i går.", "Vi ringer till vardcentralen varje vecka.", "Inget här.",
         "Mobila team gör kvällsbesök hos äldre."]


def _dump(results) -> list[str]:
    return [json.dumps(r.to_json(), ensure_ascii=False, sort_keys=True) for r in results]


def _with_keyword(doc: dict, code_id: str, keyword: str) -> dict:
    doc = copy.deepcopy(doc)
    for cat in doc["categories"]:
        for code in cat["codes"]:
            if code["id"] == code_id:
                code["keywords"] = list(code.get("keywords") or []) + [keyword]
    return doc


def _without_keyword(doc: dict, code_id: str, keyword: str) -> dict:
    doc = copy.deepcopy(doc)
    for cat in doc["categories"]:
        for code in cat["codes"]:
            if code["id"] == code_id:
                code["keywords"] = [k for k in code.get("keywords") or [] if k != keyword]
    return doc


def test_a_text_the_fallback_reads_as_the_new_keyword_is_tagged_again_and_only_it():
    doc = default_codebook().to_doc()
    t = Tagger(Codebook.from_doc(doc))
    before = t.tag_texts(MESSY)
    assert not any(e.code == "mobila_team" for e in before[0].evidence)
    # the premise: "vardcentralen" is messy text the fall-back reads (a folded codebook word in it)
    assert t.compiled.index.fallback_forms("vardcentralen")
    cb = Codebook.from_doc(_with_keyword(doc, "mobila_team", "kvällsbesök"))
    got = t.retag(cb)
    assert _dump(got) == _dump(Tagger(cb).tag_texts(MESSY))
    assert [e.match for e in got[0].evidence if e.code == "mobila_team"] == ["kvallsbesok"]
    assert 0 in t.touched and 1 not in t.touched and 2 not in t.touched
    # and back: removing the keyword tags the text again, and the hit goes
    cb = Codebook.from_doc(doc)
    got = t.retag(cb)
    assert _dump(got) == _dump(Tagger(cb).tag_texts(MESSY))
    assert 0 in t.touched and 1 not in t.touched
    assert not any(e.code == "mobila_team" for e in got[0].evidence)


def test_the_messy_text_test_counts_only_forms_whose_reading_can_change():
    """``_messy_touch``: a form holding a folded word whose restorations the edit changes counts; one
    whose fall-back reading only involves other codebook words does not; nor does a form typed with
    its diacritics (read as written)."""
    doc = default_codebook().to_doc()
    old = Tagger(Codebook.from_doc(doc)).compiled
    new = Tagger(Codebook.from_doc(_with_keyword(doc, "mobila_team", "kvällsbesök"))).compiled
    delta = _edit_probes(_only_codes(old.codebook, {"mobila_team"}), _only_codes(new.codebook, {"mobila_team"}),
                         set())
    assert "kvällsbesök" in delta and "kvallsbesok" not in delta
    restored = {k for k in set(old.index._fallback_vocab()[0]) | set(new.index._fallback_vocab()[0])
                if old.index._fallback_vocab()[0].get(k) != new.index._fallback_vocab()[0].get(k)}
    assert restored == {"kvallsbesok"}
    touch = _messy_touch(old, new, delta, restored)
    assert touch("kvallsbesok") and touch("kvallsbesoken")
    assert not touch("vardcentralen") and not touch("kvällsbesöken") and not touch("hemsjukvard")
    # each of the two reasons alone: a restoration the edit changes ("kvallsbesok" -> "kvällsbesök"
    # is new), and a corrected form with a probe string of the edit (with "besök" already a codebook
    # word, "kvallsbesok" is read as "kvallsbesök", which ends in the new compound part "besök")
    assert _messy_touch(old, new, set(), restored)("kvallsbesok")
    assert _messy_touch(old, new, {"besök"}, set())("kvallsbesok")
    assert not _messy_touch(old, new, set(), set())("kvallsbesok")


@pytest.fixture(scope="module")
def messy_texts() -> list[str]:
    extra = ["Kvallsteamet och nattpatrullen gor hembesok; mobila team finns i tva kommuner.",
             "Hemsjukvardsteamet har inte startats, men SIP anvands.",
             "Vi har en vardcentral och ett narvardsteam som gor kvallsbesok."]
    return extra + [fold(a.text) for a in generate(0.02).answers[:160]]


def test_retag_equals_full_tagging_on_text_without_diacritics(messy_texts):
    """Successive edits on one kept Tagger over answers typed without diacritics: a keyword with
    diacritics added and removed, one whose word another code already has, a compound keyword, a
    negative keyword (a wide edit): after each, retag equals a fresh Tagger with that codebook."""
    doc = default_codebook().to_doc()
    other = next(c["id"] for cat in doc["categories"] for c in cat["codes"] if c["id"] != "mobila_team")
    steps = [
        lambda d: _with_keyword(d, "mobila_team", "kvällsbesök"),
        lambda d: _with_keyword(d, "mobila_team", "närvårdsteam"),
        lambda d: _without_keyword(d, "mobila_team", "kvällsbesök"),
        lambda d: _with_keyword(d, other, "vårdcentral"),
        lambda d: _with_keyword(d, "mobila_team", "hembesök"),
    ]
    t = Tagger(Codebook.from_doc(doc))
    t.tag_texts(messy_texts)
    for k, step in enumerate(steps):
        doc = step(doc)
        cb = Codebook.from_doc(doc)
        assert _dump(t.retag(cb)) == _dump(Tagger(cb).tag_texts(messy_texts)), k
        assert t.touched is not None and len(t.touched) < len(messy_texts) / 2, (k, len(t.touched))
    for cat in doc["categories"]:
        for code in cat["codes"]:
            if code["id"] == "mobila_team":
                code["negative_keywords"] = list(code.get("negative_keywords") or []) + ["kvallsteamet"]
    cb = Codebook.from_doc(doc)
    assert _dump(t.retag(cb)) == _dump(Tagger(cb).tag_texts(messy_texts))
