"""The memos that bound a national round's memory give what the plain computation gives.

- the disposer's per-sentence memos hold at most ``SENTENCE_MEMO`` entries and a small memo gives the
  same features as no memo at all;
- a word's compound split is memoised by ``split()`` only, not again in ``_split_plain``'s memo;
- a new form's lemma is memoised in the form cache's dict, not again in ``lemma()``'s memo;
- a copied ``Evidence`` (slots) equals its original field for field and is a new object;
- ``verb_form``'s memo is small and gives the unmemoised values.
"""
from __future__ import annotations

import dataclasses

from nlp import disposer_features as df
from nlp.evidence import Evidence
from nlp.lang_sv import compounds, form_cache
from nlp.lang_sv.lemmas import lemma
from nlp.tagger import Tagger, _copy_evidence

TEXTS = [
    "Vi har infört SIP och planerar att starta mobila team i hemsjukvårdsteamen.",
    "Mobila team startades 2020 men hälsosamtal har ännu inte påbörjats i kommunen.",
    "Patientkontrakt testas på två vårdcentraler och ska breddinföras 2025; levnadsvanesamtalen pågår.",
    "Fast vårdkontakt erbjuds alla. Egenmonitorering diskuteras men saknar finansiering.",
]


def _clear_sentence_memos() -> None:
    for name in ("_cue_scan", "_sentence_markers", "_clause_markers", "_mention_cues", "_sentence_stems",
                 "_mention_role", "_mention_extra", "_clause_window", "_sentence_parts"):
        getattr(df, name).cache_clear()


def test_sentence_memos_are_bounded():
    for name in ("_cue_scan", "_sentence_markers", "_clause_markers", "_mention_cues", "_sentence_stems",
                 "_sentence_parts"):
        assert getattr(df, name).cache_info().maxsize == df.SENTENCE_MEMO
    assert df.SENTENCE_MEMO <= 8192


def test_evicting_sentence_memos_changes_no_feature(monkeypatch):
    texts = TEXTS * 3
    _clear_sentence_memos()
    plain = [df.sentence_markers(s) for s in texts] + [df.clause_window(s, 8, 14) for s in texts]
    # a memo of one entry evicts on nearly every call: the values must not depend on what it holds
    import functools

    for name in ("_cue_scan", "_sentence_markers", "_sentence_stems", "_sentence_parts"):
        monkeypatch.setattr(df, name, functools.lru_cache(maxsize=1)(getattr(df, name).__wrapped__))
    tiny = [df.sentence_markers(s) for s in texts] + [df.clause_window(s, 8, 14) for s in texts]
    assert tiny == plain


def test_split_is_memoised_once_per_word():
    word = "hjärtsviktssäkerhetsrutinerna"
    compounds.split.cache_clear()
    compounds._split_plain.cache_clear()
    got = compounds.split(word)
    assert got is not None
    strict = compounds.known(word)
    assert got == compounds._split_plain.__wrapped__(word, strict=strict)
    misses = compounds._split_plain.cache_info().misses
    compounds._split_plain(word, strict=strict)  # the word itself was not put in the parts' memo
    assert compounds._split_plain.cache_info().misses == misses + 1
    assert compounds.split(word) == got


def test_form_cache_lemma_equals_lemma(tmp_path, monkeypatch):
    monkeypatch.setenv("SVARSANALYS_CACHE_DIR", str(tmp_path))
    form_cache.reset()
    try:
        forms = ["hemsjukvårdsteamen", "levnadsvanesamtalen", "SIP-samordnarna", "patientkontraktet", "införts"]
        lemma.cache_clear()
        got = [form_cache.cached_lemma(f) for f in forms]
        assert lemma.cache_info().currsize < len(forms) or form_cache._path is None
        lemma.cache_clear()
        assert got == [lemma(f) for f in forms]
    finally:
        form_cache.reset()


def test_copied_evidence_equals_its_original():
    e = Evidence(code="sip", start=3, end=6, match="SIP", negated=True, status="planerad", scope="projekt/pilot",
                 confidence=0.73, origin="model", rule="nyckelord", excerpt_start=1, excerpt_end=40)
    c = _copy_evidence(e)
    assert c is not e
    assert [getattr(c, f.name) for f in dataclasses.fields(Evidence)] == \
        [getattr(e, f.name) for f in dataclasses.fields(Evidence)]
    c.confidence = 0.1
    assert e.confidence == 0.73


def test_verb_form_memo_is_small_and_exact():
    from nlp.verbforms import verb_form

    assert verb_form.cache_info().maxsize <= 8192
    pairs = [("införts", "införa"), ("planeras", "planera"), ("startade", "starta"), ("hemsjukvården", "hemsjukvård"),
             ("lyckades", "lyckas"), ("gör", "göra")]
    verb_form.cache_clear()
    assert [verb_form(f, lem) for f, lem in pairs] == [verb_form.__wrapped__(f, lem) for f, lem in pairs]


def test_form_info_memo_is_bounded_and_exact(monkeypatch):
    from nlp import termmatch

    monkeypatch.setattr(termmatch, "FORM_INFO_MAX", 3)
    monkeypatch.setattr(termmatch, "_FORM_INFO", {})
    first = termmatch.form_info("hemsjukvården", "hemsjukvård")
    for w in ("mobila", "teamet", "läkare", "sjuksköterskor"):
        termmatch.form_info(w, w)
        assert len(termmatch._FORM_INFO) <= 3
    again = termmatch.form_info("hemsjukvården", "hemsjukvård")  # evicted, computed again: the same record
    assert again is not first
    assert (again.low, again.lem) == (first.low, first.lem)
