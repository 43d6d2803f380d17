"""The re-tag's per-edit work: the edit's tests worked out once for every kept batch (nlp.tagger._edit_of) and
let go with the old compiled codebook; the pattern words memoised (nlp.tagger._tokenize_pattern) and kept in
the compiled codebook's cache file, so compiling an edited codebook tokenises only its new patterns; both
memos bounded."""
from __future__ import annotations

import copy
import gc
import weakref

import pytest

from nlp import codebook_cache, pipeline, tagger as tg
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


def _edited(cb: Codebook, word: str) -> Codebook:
    doc = copy.deepcopy(cb.to_doc())
    for cat in doc["categories"]:
        for c in cat["codes"]:
            if c["id"] == "mobila_team":
                c["keywords"] = list(c["keywords"]) + [word]
    return Codebook.from_doc(doc)


def _new_process() -> None:
    """What a new process starts without: the per-process memos of the tagger."""
    tg._MARKERS.clear()
    tg._H2P.clear()
    tg._H2E.clear()
    tg._H2P_ALL.clear()
    tg._PATTERN_WORDS.clear()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SVARSANALYS_CACHE_DIR", str(tmp_path))
    if codebook_cache.code_version() is None:
        pytest.skip("simplemma's dictionary file is not found: nothing is cached")
    _new_process()
    yield tmp_path
    _new_process()


def _kept_batches(cb: Codebook, n: int = 3) -> tuple:
    """``n`` Taggers sharing one compiled codebook, as tag_project keeps a project's batches."""
    old_cc = tg.CompiledCodebook(cb, cache=False)
    taggers = []
    for k in range(n):
        t = tg.Tagger(cb)
        t.set_codebook(cb, old_cc)
        t.tag_texts([TEXTS[k], "Kvällsteamet startar i vår.", TEXTS[k + 1]])
        taggers.append(t)
    return old_cc, taggers


def test_the_edit_is_worked_out_once_for_every_batch(monkeypatch):
    """Tagger._affected of several batches with the same old and new compiled codebook: the changed codes are
    compiled alone once (old and new), not once per batch; each batch's result is a fresh tagging's."""
    cb = default_codebook()
    edited = _edited(cb, "kvällsteam")
    old_cc, taggers = _kept_batches(cb)
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
    assert len(old_cc._edits) == 1 and not shared._edits  # kept on the old codebook, the new one holds none


def test_the_old_codebook_and_its_edit_are_let_go():
    """Nothing holds a chain of compiled codebooks across edits: once every batch is re-tagged, the old
    compiled codebook (and the edit kept on it) is freed at once, with the garbage collector off (the edit
    makes no reference cycle: a cycle would keep it, with its per-form caches, until a later collection);
    a second edit from the new one does the same."""
    cb = default_codebook()
    old_cc, taggers = _kept_batches(cb)
    gone = weakref.ref(old_cc)
    del old_cc
    first = _edited(cb, "kvällsteam")
    second = _edited(first, "nattteam")
    was = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        shared = None
        for t in taggers:
            t.retag(first, compiled=shared)
            shared = t._compiled
        assert gone() is None
        gone = weakref.ref(shared)
        shared = None
        for t in taggers:
            t.retag(second, compiled=shared)
            shared = t._compiled
        assert gone() is None
    finally:
        if was:
            gc.enable()
    for t in taggers:
        assert _dump(t.results) == _dump(tg.Tagger(second).tag_texts([a.text for a in t.analysed]))


def test_edits_from_one_codebook_are_bounded(monkeypatch):
    monkeypatch.setattr(tg, "MAX_EDITS", 2)
    cb = default_codebook()
    old_cc = tg.CompiledCodebook(cb, cache=False)
    for word in ("kvällsteam", "nattteam", "jourteam", "helgteam"):
        t = tg.Tagger(cb)
        t.set_codebook(cb, old_cc)
        t.tag_texts(TEXTS[:2] + [f"Ett {word} finns."])
        ed = _edited(cb, word)
        assert _dump(t.retag(ed)) == _dump(tg.Tagger(ed).tag_texts(TEXTS[:2] + [f"Ett {word} finns."]))
        assert len(old_cc._edits) <= 2


def test_compiling_an_edited_codebook_tokenises_only_its_new_patterns(cache, monkeypatch):
    cb = default_codebook()
    tg.CompiledCodebook(cb)  # compiled and stored, with its patterns' words
    _new_process()
    tg.CompiledCodebook(cb)  # read from the cache: its pattern words too
    assert tg._PATTERN_WORDS
    calls = {"n": 0}
    nlp = pipeline.get_nlp()
    orig = nlp.tokenizer

    class Counting:
        def __call__(self, text):
            calls["n"] += 1
            return orig(text)

    monkeypatch.setattr(nlp, "tokenizer", Counting())
    cc = tg.CompiledCodebook(_edited(cb, "hoppsansaförening"))
    assert calls["n"] == 1
    assert any(t.text == "hoppsansaförening" for t in cc.index.terms)
    monkeypatch.setattr(nlp, "tokenizer", orig)
    first = tg._tokenize_pattern("hemsjukvård* i hemmet")
    assert first == ["hemsjukvård*", "i", "hemmet"]
    again = tg._tokenize_pattern("hemsjukvård* i hemmet")
    assert again == first and again is not first  # (a new list each time: the memo holds a tuple)


def test_a_damaged_word_list_in_the_cache_file_means_compiling_again(cache):
    import marshal

    cb = default_codebook()
    fresh = tg.CompiledCodebook(cb)
    (path,) = cache.glob("codebook-*.marshal")
    data = marshal.loads(path.read_bytes())
    path.write_bytes(marshal.dumps(data[:3] + ({"mobila team": ["mobila", "team"]},)))  # a list, not a tuple
    _new_process()
    assert codebook_cache.load(data[1], None, tg._tokenize_pattern, tg.pattern_words()) is None
    again = tg.CompiledCodebook(cb)
    assert [t.text for t in again.index.terms] == [t.text for t in fresh.index.terms]


def test_the_pattern_words_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(tg, "MAX_PATTERN_WORDS", 3)
    tg._PATTERN_WORDS.clear()
    try:
        for k, text in enumerate(["mobila team", "hemsjukvård* i hemmet", "sip-möte", "nattpatrull", "kvällsteam"]):
            assert tg._tokenize_pattern(text) == tg._tokenize_pattern(text)
            assert len(tg._PATTERN_WORDS) <= 3
        assert tg._tokenize_pattern("hemsjukvård* i hemmet") == ["hemsjukvård*", "i", "hemmet"]
    finally:
        tg._PATTERN_WORDS.clear()
