"""Tagger.retag after a codebook edit gives exactly what tagging from scratch with the edited codebook gives.

Matching depends on the whole codebook: a single keyword of one code (``geriatriken``, lemma
``geriatrik``, long enough to count inside compounds) gives the compound ``geriatrikledningschef`` the
key ``geriatrik``, and that key is what lets another code's two-word keyword ``mobil geriatrik`` match
``mobil geriatrikledningschef``. A codebook holding only the edited code does not give that key, so
re-matching the edited code alone loses the hit; retag tags the affected texts with the whole codebook.
"""
from __future__ import annotations

import copy
import json

import pytest

from bench.corpus import generate
from nlp.codebook import Codebook, default_codebook
from nlp.tagger import Tagger

TEXT = "Kommunen har anställt en mobil geriatrikledningschef."


def _small_doc(codes: list[dict]) -> dict:
    doc = default_codebook().to_doc()
    doc["categories"] = [{"id": "k", "label": "K", "description": "", "questions": [], "codes": codes}]
    return doc


def _small(extra_mobile: tuple[str, ...] = (), with_other: bool = True) -> Codebook:
    codes = [{"id": "mobil", "label": "Mobil", "keywords": ["mobil geriatrik", *extra_mobile]}]
    if with_other:
        codes.append({"id": "geri", "label": "Geri", "keywords": ["geriatriken"]})
    return Codebook.from_doc(_small_doc(codes))


def _hits(results, code: str) -> list[str]:
    return [e.match for r in results for e in r.evidence if e.code == code]


def _dump(results) -> list[str]:
    return [json.dumps(r.to_json(), ensure_ascii=False, sort_keys=True) for r in results]


def test_a_hit_that_needs_another_codes_compound_keyword_survives_a_retag():
    """The premise (the edited code alone misses the hit, the whole codebook finds it) and the fix:
    retag after adding a keyword to the edited code keeps the hit, as tagging from scratch does."""
    assert _hits(Tagger(_small(with_other=False)).tag_texts([TEXT]), "mobil") == []
    assert _hits(Tagger(_small()).tag_texts([TEXT]), "mobil") == ["mobil geriatrikledningschef"]

    edited = _small(("kvällsteam",))
    t = Tagger(_small())
    t.tag_texts([TEXT, "Ett kvällsteam gör hembesök.", "Inget här."])
    got = t.retag(edited)
    assert _hits(got[:1], "mobil") == ["mobil geriatrikledningschef"]
    assert _hits(got[1:2], "mobil") == ["kvällsteam"]
    assert _dump(got) == _dump(Tagger(edited).tag_texts([TEXT, "Ett kvällsteam gör hembesök.", "Inget här."]))


def _edit(doc: dict, code_id: str, field: str, change) -> dict:
    out = copy.deepcopy(doc)
    for cat in out["categories"]:
        for code in cat["codes"]:
            if code["id"] == code_id:
                code[field] = change(list(code.get(field) or []))
    return out


@pytest.fixture(scope="module")
def texts() -> list[str]:
    extra = [TEXT, "Kvällsteamet och nattpatrullen gör hembesök; mobila team finns i två kommuner.",
             "Hemsjukvårdsteamet har inte startats, men SIP används.",
             "Vi arbetar med mobil geriatrik och ett mobilt närvårdsteam planeras."]
    return extra + [a.text for a in generate(0.02).answers[:160]]


def test_retag_equals_full_tagging_after_adding_removing_and_editing_keywords(texts):
    """Successive edits (add, remove, edit a keyword, a keyword of another code, a negative keyword,
    undoing an edit) on one kept Tagger: after each, retag equals a fresh Tagger with that codebook,
    and after a keyword edit only part of the texts is tagged again."""
    doc = default_codebook().to_doc()
    steps = [
        ("mobila_team", "keywords", lambda k: k + ["kvällsteam"]),
        ("mobila_team", "keywords", lambda k: [x for x in k if x != "mobila team"]),
        ("mobila_team", "keywords", lambda k: [("nattpatrull" if x == "hemsjukvårdsteam" else x) for x in k]),
        ("mobila_team", "keywords", lambda k: k + ["geriatrikledning"]),
        ("mobila_team", "negative_keywords", lambda k: k + ["kvällsteamet"]),
        ("mobila_team", "negative_keywords", lambda k: k[:-1]),
    ]
    first = next(c["id"] for cat in doc["categories"] for c in cat["codes"] if c["id"] != "mobila_team")
    steps.append((first, "keywords", lambda k: k + ["hembesök"]))
    t = Tagger(Codebook.from_doc(doc))
    t.tag_texts(texts)
    for code_id, field, change in steps:
        doc = _edit(doc, code_id, field, change)
        cb = Codebook.from_doc(doc)
        got = _dump(t.retag(cb))
        assert got == _dump(Tagger(cb).tag_texts(texts)), (code_id, field)
        assert t.touched is not None
        if field == "keywords":  # incremental: a keyword edit tags only the texts with its word forms again
            assert len(t.touched) < len(texts) / 2, (code_id, field, len(t.touched))


def test_retag_equals_full_tagging_after_removing_and_adding_a_code(texts):
    """A code removed (its hits go) and a new code whose single keyword also counts inside compounds."""
    doc = default_codebook().to_doc()
    t = Tagger(Codebook.from_doc(doc))
    t.tag_texts(texts)
    doc = copy.deepcopy(doc)
    cat = next(c for c in doc["categories"] if any(x["id"] == "mobila_team" for x in c["codes"]))
    cat["codes"] = [x for x in cat["codes"] if x["id"] != "mobila_team"]
    cb = Codebook.from_doc(doc)
    assert _dump(t.retag(cb)) == _dump(Tagger(cb).tag_texts(texts))
    cat["codes"].append({"id": "ny_kod", "label": "Ny kod", "keywords": ["geriatrik", "nattpatrull"]})
    cb = Codebook.from_doc(doc)
    got = _dump(t.retag(cb))
    assert got == _dump(Tagger(cb).tag_texts(texts))
    assert any('"ny_kod"' in r for r in got)


def test_retag_with_the_disposer_equals_full_tagging(texts):
    """With the bundled disposer the rule proposals of the texts tagged again are decided again."""
    from models.tagging import default_disposer

    doc = default_codebook().to_doc()
    t = Tagger(Codebook.from_doc(doc), disposer=default_disposer())
    t.tag_texts(texts)
    for kw in ("kvällsteam", "nattpatrull"):
        doc = _edit(doc, "mobila_team", "keywords", lambda k, kw=kw: k + [kw])
        cb = Codebook.from_doc(doc)
        assert _dump(t.retag(cb)) == _dump(Tagger(cb, disposer=default_disposer()).tag_texts(texts))


def test_a_label_edit_tags_nothing_again(texts):
    """A code's label and definition are not read by tagging: no text is tagged again."""
    doc = default_codebook().to_doc()
    t = Tagger(Codebook.from_doc(doc))
    before = _dump(t.tag_texts(texts))
    cb = Codebook.from_doc(_edit(doc, "mobila_team", "label", lambda _: "Mobila team (ny etikett)"))
    assert _dump(t.retag(cb)) == before and t.touched == []
