"""The per-form features kept on disk beside the compiled codebook (nlp.codebook_cache.features): a second
process tagging with the same codebook reads them instead of computing them, and tags the same; a damaged or
truncated file is ignored and written again; a form whose lemma differs is computed. Also the re-tag's
per-edit work (nlp.tagger._edit_of, the pattern words memo)."""
from __future__ import annotations

import copy

import pytest

from nlp import codebook_cache, termmatch, tagger as tg
from nlp.codebook import Codebook, default_codebook

# sentences written for these tests (kinds: keywords, a compound, a misspelling without diacritics, a hyphen)
TEXTS = [
    "De mobila teamen har inte införts i kommunen.",
    "Vi har SIP-möten och samverkan vid utskrivning från sjukhuset.",
    "Personcentrerad vard och hemsjukvard fungerar bra, men kvallsbesok saknas.",
    "Nattpatrullen och hemtjänsten samarbetar med vårdcentralen varje vecka.",
    "Ingen digital tillsyn ännu; planeras till hösten.",
]


def _dump(results) -> list:
    return [r.to_json() for r in results]


def _new_process() -> None:
    """What a new process starts without: the per-process memos of the tagger and the read feature stores."""
    codebook_cache.reset_features()
    tg._MARKERS.clear()
    tg._H2P.clear()
    tg._H2E.clear()
    tg._H2P_ALL.clear()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SVARSANALYS_CACHE_DIR", str(tmp_path))
    if codebook_cache.code_version() is None:
        pytest.skip("simplemma's dictionary file is not found: nothing is cached")
    _new_process()
    yield tmp_path
    _new_process()


def _count_compute(monkeypatch) -> dict:
    calls = {"n": 0}
    orig = termmatch.TermIndex._compute

    def counted(self, orth, lemma):
        calls["n"] += 1
        return orig(self, orth, lemma)

    monkeypatch.setattr(termmatch.TermIndex, "_compute", counted)
    return calls


def _features_file(cache):
    files = list(cache.glob("features-*.marshal"))
    assert len(files) == 1
    return files[0]


def test_a_second_process_reads_the_features_and_tags_the_same(cache, monkeypatch):
    cb = default_codebook()
    first = _dump(tg.Tagger(cb).tag_texts(TEXTS))
    codebook_cache.flush_features()
    path = _features_file(cache)
    stored = codebook_cache._read_features(path, path.name[len("features-"):-len(".marshal")])
    assert stored is not None and all(stored)  # codes, context and markers
    _new_process()
    calls = _count_compute(monkeypatch)
    second = _dump(tg.Tagger(cb).tag_texts(TEXTS))
    assert second == first
    assert calls["n"] == 0  # every form's features read, none computed
    # the probe strings a re-tag tests came with them
    t = tg.Tagger(cb)
    t.tag_texts(TEXTS)
    assert tg._H2P
    # and a re-tag after an edit gives what tagging from scratch gives
    doc = copy.deepcopy(cb.to_doc())
    for cat in doc["categories"]:
        for c in cat["codes"]:
            if c["id"] == "mobila_team":
                c["keywords"] = list(c["keywords"]) + ["kvällsbesök"]
    edited = Codebook.from_doc(doc)
    assert _dump(t.retag(edited)) == _dump(tg.Tagger(edited).tag_texts(TEXTS))


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_a_damaged_feature_file_is_ignored_and_written_again(cache, monkeypatch, damage):
    cb = default_codebook()
    first = _dump(tg.Tagger(cb).tag_texts(TEXTS))
    codebook_cache.flush_features()
    path = _features_file(cache)
    raw = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(raw[: len(raw) // 2])
    elif damage == "flip":  # same size, one byte of the payload changed: the CRC tells
        k = len(raw) - 10
        path.write_bytes(raw[:k] + bytes([raw[k] ^ 0x55]) + raw[k + 1:])
    else:
        path.write_bytes(b"not marshal at all")
    _new_process()
    calls = _count_compute(monkeypatch)
    assert _dump(tg.Tagger(cb).tag_texts(TEXTS)) == first
    assert calls["n"] > 0  # computed again
    codebook_cache.flush_features()
    fkey = path.name[len("features-"):-len(".marshal")]
    assert codebook_cache._read_features(path, fkey) is not None  # whole again
    _new_process()
    calls["n"] = 0
    assert _dump(tg.Tagger(cb).tag_texts(TEXTS)) == first
    assert calls["n"] == 0


def test_a_form_with_another_lemma_is_computed(cache, monkeypatch):
    cb = default_codebook()
    tg.Tagger(cb).tag_texts(TEXTS)
    codebook_cache.flush_features()
    path = _features_file(cache)
    fkey = path.name[len("features-"):-len(".marshal")]
    stored = codebook_cache._read_features(path, fkey)
    _new_process()
    cc = tg.CompiledCodebook(cb)
    from nlp.pipeline import get_nlp

    strings = get_nlp().vocab.strings
    o = next(o for o in stored[0] if len(stored[0].get(o)) == 8)  # a form some pattern uses (entries decoded on get)
    orth = strings[o]
    calls = _count_compute(monkeypatch)
    other = strings.add(orth + "xyz")  # another lemma hash for the same form
    got = cc.code_features([o], [other], strings)[0]
    assert calls["n"] >= 1
    assert got == tg.CompiledCodebook(cb, cache=False).code_features([o], [other], strings)[0]
    assert cc.code_features([o], [other], strings)[0] is got  # (memoised as before)


def test_the_typo_switch_has_its_own_store(cache, monkeypatch):
    cb = default_codebook()
    key = codebook_cache.cache_key(cb, "m")
    assert codebook_cache.feature_key(key, False) != codebook_cache.feature_key(key, True)
    assert codebook_cache.feature_key(None, False) is None


def test_off_without_a_cache_folder(monkeypatch):
    monkeypatch.setenv("SVARSANALYS_CACHE_DIR", "off")
    assert codebook_cache.features("x" * 34) is None


def test_compiling_an_edited_codebook_tokenises_only_its_new_patterns(cache, monkeypatch):
    cb = default_codebook()
    tg.CompiledCodebook(cb)  # compiled and stored, with its patterns' words
    tg._PATTERN_WORDS.clear()
    _new_process()
    tg.CompiledCodebook(cb)  # read from the cache: its pattern words too
    assert tg._PATTERN_WORDS
    from nlp import pipeline

    calls = {"n": 0}
    nlp = pipeline.get_nlp()
    orig = nlp.tokenizer

    class Counting:
        def __call__(self, text):
            calls["n"] += 1
            return orig(text)

    monkeypatch.setattr(nlp, "tokenizer", Counting())
    doc = copy.deepcopy(cb.to_doc())
    doc["categories"][0]["codes"][0]["keywords"] = list(doc["categories"][0]["codes"][0]["keywords"]) + [
        "hoppsansaförening"]
    cc = tg.CompiledCodebook(Codebook.from_doc(doc))
    assert calls["n"] == 1
    assert any(t.text == "hoppsansaförening" for t in cc.index.terms)
    monkeypatch.setattr(nlp, "tokenizer", orig)
    first = tg._tokenize_pattern("hemsjukvård* i hemmet")
    assert first == ["hemsjukvård*", "i", "hemmet"]
    again = tg._tokenize_pattern("hemsjukvård* i hemmet")
    assert again == first and again is not first  # (a new list each time: the memo holds a tuple)


def test_the_edit_is_worked_out_once_for_every_batch(monkeypatch):
    """Tagger._affected of several batches (a project's kept Taggers) with the same old and new compiled
    codebook: the changed codes are compiled alone once, not once per batch; the result is a fresh tagging's."""
    cb = default_codebook()
    doc = copy.deepcopy(cb.to_doc())
    for cat in doc["categories"]:
        for c in cat["codes"]:
            if c["id"] == "mobila_team":
                c["keywords"] = list(c["keywords"]) + ["kvällsteam"]
    edited = Codebook.from_doc(doc)
    old_cc = tg.CompiledCodebook(cb, cache=False)
    taggers = []
    for k in range(3):
        t = tg.Tagger(cb)
        t.set_codebook(cb, old_cc)
        t.tag_texts([TEXTS[k], "Kvällsteamet startar i vår.", TEXTS[k + 1]])
        taggers.append(t)
    calls = {"n": 0}
    orig = tg._only_codes

    def counted(codebook, ids):
        calls["n"] += 1
        return orig(codebook, ids)

    monkeypatch.setattr(tg, "_only_codes", counted)
    shared = None
    for t in taggers:
        got = t.retag(edited, compiled=shared)
        shared = t._compiled
        assert _dump(got) == _dump(tg.Tagger(edited).tag_texts([a.text for a in t.analysed]))
        assert 1 in t.touched
    assert calls["n"] == 2  # old and new, once
