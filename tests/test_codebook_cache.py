"""The on-disk cache of compiled codebooks (nlp/codebook_cache.py): a process that finds the compiled form
of its codebook reads it instead of compiling; what it reads is what compiling gives; a changed codebook,
another code version or a damaged file is never served."""
from __future__ import annotations

import copy

import pytest

from nlp import codebook_cache, tagger as tg
from nlp.codebook import Codebook, default_codebook


def _state(ix) -> dict:
    return {k: v for k, v in vars(ix).items() if k not in ("_lemma", "_tokenize")}


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SVARSANALYS_CACHE_DIR", str(tmp_path))
    if codebook_cache.code_version() is None:
        pytest.skip("simplemma's dictionary file is not found: nothing is cached")
    tg._MARKERS.clear()  # every CompiledCodebook below builds (or loads) its own marker index
    yield tmp_path
    tg._MARKERS.clear()


def _compiled(codebook: Codebook, monkeypatch=None, forbid_compile: bool = False) -> tg.CompiledCodebook:
    """A new CompiledCodebook of ``codebook`` (as in a new process: no shared marker index); with
    ``forbid_compile`` an AssertionError if it compiles anything instead of reading the cache."""
    tg._MARKERS.clear()
    with pytest.MonkeyPatch.context() as mp:
        if forbid_compile:
            def boom(*a, **k):
                raise AssertionError("compiled although the cache holds this codebook")
            mp.setattr(tg, "_compile_codes", boom)
            mp.setattr(tg, "_compile_markers", boom)
        return tg.CompiledCodebook(codebook)


def test_a_second_process_reads_what_the_first_compiled(cache, monkeypatch):
    cb = default_codebook()
    fresh = _compiled(cb, monkeypatch)
    files = list(cache.glob("codebook-*.marshal"))
    assert len(files) == 1
    loaded = _compiled(cb, monkeypatch, forbid_compile=True)
    for a, b in ((fresh.index, loaded.index), (fresh.context, loaded.context), (fresh.markers, loaded.markers)):
        assert a is not b
        assert _state(a) == _state(b)
        assert [type(t) for t in b.terms] == [type(t) for t in a.terms]
    # and it tags the same
    texts = ["De mobila teamen har inte införts.", "Vi har SIP-möten och samverkan vid utskrivning."]
    ta, tb = tg.Tagger(cb), tg.Tagger(cb)
    ta.set_codebook(cb, fresh)
    tb.set_codebook(cb, loaded)
    ra, rb = ta.tag_texts(texts), tb.tag_texts(texts)
    assert [r.to_json() for r in ra] == [r.to_json() for r in rb]
    assert any(r.codes for r in ra)


def test_a_changed_codebook_is_compiled_again(cache, monkeypatch):
    cb = default_codebook()
    _compiled(cb, monkeypatch)
    doc = copy.deepcopy(cb.to_doc())
    code = doc["categories"][0]["codes"][0]
    code["keywords"] = list(code["keywords"]) + ["hoppsansaförening"]
    changed = Codebook.from_doc(doc)
    with pytest.raises(AssertionError, match="compiled although"):
        _compiled(changed, monkeypatch, forbid_compile=True)
    cc = _compiled(changed, monkeypatch)
    assert any(t.text == "hoppsansaförening" for t in cc.index.terms)
    assert len(list(cache.glob("codebook-*.marshal"))) == 2
    # changed markers too
    doc2 = copy.deepcopy(cb.to_doc())
    doc2["markers"] = dict(doc2.get("markers") or {}, negation=["aldrigsomaldrig"])
    assert codebook_cache.cache_key(Codebook.from_doc(doc2), "x") != codebook_cache.cache_key(cb, "y")


def test_another_code_version_or_a_damaged_file_is_not_served(cache, monkeypatch):
    cb = default_codebook()
    _compiled(cb, monkeypatch)
    (path,) = cache.glob("codebook-*.marshal")
    # a damaged file: compiled again, and rewritten whole
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(AssertionError, match="compiled although"):
        _compiled(cb, monkeypatch, forbid_compile=True)
    _compiled(cb, monkeypatch)
    _compiled(cb, monkeypatch, forbid_compile=True)  # read again
    # another code version gives another key (the file of the old version is not read)
    key = codebook_cache.cache_key(cb, "m")
    monkeypatch.setattr(codebook_cache, "_code_version", "another version")
    assert codebook_cache.cache_key(cb, "m") != key
    with pytest.raises(AssertionError, match="compiled although"):
        _compiled(cb, forbid_compile=True)


def test_off_without_a_cache_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("SVARSANALYS_CACHE_DIR", "off")
    assert codebook_cache.cache_key(default_codebook(), "m") is None or \
        codebook_cache.load(codebook_cache.cache_key(default_codebook(), "m"), None, None) is None
    assert codebook_cache.store(None, ()) is False


def test_the_parts_retagging_compiles_are_not_cached(cache):
    cb = default_codebook()
    part = tg._only_codes(cb, {cb.codes[0].id, cb.codes[1].id})
    assert part is not None and part.code_ids == [cb.codes[0].id, cb.codes[1].id]
    assert not list(cache.glob("codebook-*.marshal"))
