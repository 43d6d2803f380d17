"""simplemma's Swedish dictionary answered from two memory-mapped tries (perf47) instead of the decoded dict.

A `cli.py tag` process used to decode the whole dictionary (~1 M forms, ~1 G instructions) at its first look-up,
even when every form it met was in the lemma cache. Now :func:`nlp.lang_sv.lemma_cache.sv_tries` opens the
reversed-forms trie (membership, compound heads) and a form -> lemma ``BytesTrie`` (simplemma's own trie form),
built once from the decoded dictionary and kept with a check (size, CRC-32, keys). These tests: the answers equal
the decoded dict's; a later process opens the files without decoding; a missing, damaged or unchecked file is
built again with a log line and gives the same answers; caching off keeps the decoded dict.
"""
from __future__ import annotations

import logging

import pytest

pytest.importorskip("marisa_trie")

from nlp.lang_sv import compounds, dictionary, lemma_cache, lemmas  # noqa: E402

SMALL = {"teamen".encode(): b"team", b"kontrakt": b"kontrakt", "året".encode(): "år".encode(),
         "samordnarna".encode(): "samordnare".encode(), "vårdplanen".encode(): "vårdplan".encode()}
PROBES = ["teamen", "kontrakt", "året", "samordnarna", "vårdplanen", "team", "år", "kontrak", "kontrakts", "",
          "x", "åre", "vårdplanens", "TEAMEN"]


def _fresh():
    """As a new process: no look-up structure, no memo."""
    dictionary.reset()
    lemmas.lemma.cache_clear()
    compounds.split.cache_clear()
    compounds._split_plain.cache_clear()
    compounds._HEAD_OK.clear()


@pytest.fixture
def small(tmp_path, monkeypatch):
    """A cache folder and a five-form dictionary; ``decodes`` counts the decodings of the dictionary."""
    decodes: list = []
    monkeypatch.setattr(lemma_cache, "_load_raw", lambda: decodes.append(1) or dict(SMALL))
    monkeypatch.setenv("SVARSANALYS_CACHE_DIR", str(tmp_path / "c"))
    _fresh()
    yield tmp_path / "c", decodes
    _fresh()


def _answers() -> list:
    return [(dictionary.known(w), dictionary.dict_get(w)) for w in PROBES]


def _expected() -> list:
    return [(w.encode() in SMALL, SMALL[w.encode()].decode() if w.encode() in SMALL else None) for w in PROBES]


def _trie_files(folder):
    return sorted(p.name.split("-")[-1] for p in folder.glob("simplemma-*-*.marisa*"))


def test_tries_answer_as_the_decoded_dict_and_a_later_process_decodes_nothing(small):
    folder, decodes = small
    assert _answers() == _expected()
    assert dictionary._REV is not None and dictionary._RAW is None  # served by the tries
    assert decodes == [1]  # built once (both tries from one decoding)
    assert _trie_files(folder) == ["lemmas.marisa", "lemmas.marisa.check", "reversed.marisa",
                                   "reversed.marisa.check"]
    assert not list(folder.glob("*.tmp"))
    _fresh()  # a later process
    assert _answers() == _expected() and decodes == [1]
    assert dictionary.ending_forms().prefixes("nemaet") == ["nemaet"]
    assert dict(lemma_cache.sv_lookup().items()) == {k.decode(): v.decode() for k, v in SMALL.items()}


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage", "no_check", "bad_check", "missing"])
@pytest.mark.parametrize("kind", ["reversed", "lemmas"])
def test_a_damaged_or_unchecked_file_is_built_again_with_a_log_line(small, caplog, damage, kind):
    folder, decodes = small
    assert _answers() == _expected()
    path = next(folder.glob(f"simplemma-*-{kind}.marisa"))
    check = path.with_name(path.name + ".check")
    data = path.read_bytes()
    path.unlink()  # never rewritten in place (a running process may have it mapped): a new file
    if damage == "flip":
        mid = len(data) // 2
        path.write_bytes(data[:mid] + bytes([data[mid] ^ 0x55]) + data[mid + 1:])
    elif damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        path.write_bytes(b"\x00garbage" * 64)
    else:
        path.write_bytes(data)
        if damage == "no_check":
            check.unlink()
        elif damage == "bad_check":
            check.write_bytes(b"\x00not marshal")
        else:
            path.unlink()
    _fresh()
    with caplog.at_level(logging.WARNING, logger="svarsanalys.lemma_cache"):
        assert _answers() == _expected()
    assert decodes == [1, 1]  # decoded again to build it
    logged = [r.getMessage() for r in caplog.records if r.name == "svarsanalys.lemma_cache"]
    if damage == "missing":
        assert logged == []  # a first start: nothing to report
    else:
        assert len(logged) == 1 and path.name in logged[0] and "byggs om" in logged[0]
    assert lemma_cache._open_trie(path, type(dictionary._REV if kind == "reversed" else dictionary._LEMMAS)) \
        is not None  # whole again, with its check
    _fresh()
    assert _answers() == _expected() and decodes == [1, 1]


def test_caching_off_keeps_the_decoded_dict(monkeypatch):
    monkeypatch.setenv("SVARSANALYS_CACHE_DIR", "off")
    monkeypatch.setattr(lemma_cache, "_load_raw", lambda: dict(SMALL))
    monkeypatch.setattr(dictionary, "raw_dict", lambda: SMALL)
    _fresh()
    try:
        assert lemma_cache.sv_tries() is None
        assert _answers() == _expected()
        assert dictionary._REV is None and dictionary._RAW == SMALL
    finally:
        _fresh()


def test_a_read_only_folder_still_answers(small, monkeypatch):
    folder, decodes = small
    monkeypatch.setattr(lemma_cache, "_save_trie", lambda path, trie: False)
    assert _answers() == _expected()
    assert _trie_files(folder) == [] and decodes == [1]


def test_lemmas_and_splits_of_the_real_dictionary_equal_through_both_paths(tmp_path, monkeypatch):
    """The project's lemma and compound split of words of every kind (dictionary forms, compounds, -ing nouns,
    hyphens, unknown words for simplemma's affix rules): the same through the tries as through the decoded dict."""
    words = ["teamet", "hemsjukvårdsteamet", "egenmonitoreringslösningarna", "SIP-samordnarna", "patientkontraktet",
             "vårdplaneringsmötena", "äldreboendeplatserna", "trygghetslarmen", "digitaliseringarnas",
             "kvällsteamens", "sjukhusövergripande", "mobilateamet", "Region", "kommunerna", "hälsosamtal",
             "träffas", "veckovis", "xyzåäö", "blorpningarna", "fjärrmonitorerades", "omvårdnadsansvarigas",
             "levnadsvanesamtalen", "KOL-patienterna", "läkemedelsgenomgångarna", "ärenden", "gjorde", "bättre"]

    def run() -> list:
        _fresh()
        return [(lemmas.lemma(w), lemmas.split_compound(w), dictionary.known(w.lower()), dictionary.dict_get(w.lower()))
                for w in words]

    monkeypatch.setenv("SVARSANALYS_CACHE_DIR", "off")
    with_dict = run()
    assert dictionary._RAW is not None
    raw = dictionary.raw_dict()
    monkeypatch.setenv("SVARSANALYS_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setattr(lemma_cache, "_load_raw", lambda: raw)
    try:
        with_tries = run()
        assert dictionary._REV is not None and dictionary._RAW is None
        assert with_tries == with_dict
        _fresh()  # a later process: opened from the files
        assert run() == with_dict
    finally:
        _fresh()
