"""Tests for nlp.pipeline: normalisation, lemmas, compounds, segments, serialisation."""
from __future__ import annotations

import re

import pytest

from nlp import normalise as N
from nlp import pipeline as P
from nlp.lang_sv import compounds, lemmas


def _seg_texts(text: str) -> list[str]:
    doc = P.analyse([text])[0]
    return [text[s:e] for s, e in P.segments(doc)]


# ----------------------------------------------------------------------------- lemmas

@pytest.mark.parametrize("word,expected", [
    ("har", "ha"), ("med", "med"), ("för", "för"), ("äldre", "äldre"), ("äldres", "äldre"),
    ("boende", "boende"), ("boendet", "boende"), ("SIP", "SIP"), ("SIP:ar", "SIP"),
    ("teamen", "team"), ("mobila", "mobil"), ("mobilt", "mobil"), ("planer", "plan"),
    ("patientkontraktet", "patientkontrakt"), ("hemsjukvårdsteamet", "hemsjukvårdsteam"),
    ("egenmonitoreringen", "egenmonitorering"), ("SIP-samordnarna", "SIP-samordnare"),
    ("vårdcentralens", "vårdcentral"), ("kommunerna", "kommun"),
])
def test_lemma(word, expected):
    assert P.lemma(word) == expected


@pytest.mark.parametrize("word,expected", [
    # -ing nouns the dictionary lacks, in every inflection: the lemma is the stem with "-ing" (read as compounds
    # their ending was split off as a head: "egenmonitore|ring" -> "egenmonitoreringa", "…ringa|rna" -> "…RNA")
    ("egenmonitorering", "egenmonitorering"), ("egenmonitoreringar", "egenmonitorering"),
    ("egenmonitoreringarna", "egenmonitorering"), ("egenmonitoreringens", "egenmonitorering"),
    ("Distansmonitorering", "distansmonitorering"), ("hemmonitoreringarnas", "hemmonitorering"),
    ("levnadsvanemottagningarna", "levnadsvanemottagning"), ("digitaliseringarna", "digitalisering"),
    ("egenmonitoreringslösningar", "egenmonitoreringslösning"), ("vigselringar", "vigselring"),
])
def test_lemma_of_unknown_ing_nouns(word, expected):
    assert P.lemma(word) == expected


def test_lemmas_set_on_tokens_for_matcher():
    doc = P.get_nlp()("Regionen har mobila team för äldre på boendet.")
    lemmas = [t.lemma_ for t in doc]
    assert lemmas == ["region", "ha", "mobil", "team", "för", "äldre", "på", "boende", "."]


# ----------------------------------------------------------------------------- compounds

@pytest.mark.parametrize("word,parts", [
    ("hemsjukvårdsteam", ["hemsjukvård", "team"]),
    ("hemsjukvårdsteamet", ["hemsjukvård", "team"]),
    ("egenmonitoreringslösning", ["egenmonitorering", "lösning"]),
    ("närsjukvårdsteam", ["närsjukvård", "team"]),
    ("SIP-samordnare", ["SIP", "samordnare"]),
    ("trygghetsteamet", ["trygghet", "team"]),
    ("bedömningsbilen", ["bedömning", "bil"]),
    ("mobilteamen", ["mobil", "team"]),
    ("patientkontraktet", ["patient", "kontrakt"]),
    ("balansövningar", ["balans", "övning"]),  # an -ing noun as head: kept
    ("viktökning", ["vikt", "ökning"]),
])
def test_split_compound(word, parts):
    assert P.split_compound(word) == parts


@pytest.mark.parametrize("word", ["planeringen", "individuella", "samordnare", "team", "och", "SIP", "2022",
                                  # the ending of an -ing noun is no head ("egenmonitore|ring", "medicine|ring")
                                  "egenmonitorering", "egenmonitoreringen", "egenmonitoreringarna", "medicinering",
                                  "ingenting"])
def test_non_compounds_are_not_split(word):
    assert P.split_compound(word) == []


def test_parts_extension_keeps_whole_word():
    doc = P.get_nlp()("Hemsjukvårdsteamet åker ut.")
    assert doc[0]._.parts == ["hemsjukvårdsteam", "hemsjukvård", "team"]
    assert doc[1]._.parts == [doc[1].lemma_]


# ----------------------------------------------------------------------------- stop words

def test_stop_words_curated():
    for w in ("är", "samt", "och", "att"):
        assert w in P.STOP_WORDS
    for w in ("beslut", "viktig", "ska", "stor", "del", "gäller"):
        assert w not in P.STOP_WORDS


def test_content_lemmas():
    doc = P.analyse(["Vi har samt är hemsjukvårdsteamet och bl.a. beslut om mobila team 2022."])[0]
    got = P.content_lemmas(doc)
    assert "hemsjukvårdsteam" in got and "team" in got and "hemsjukvård" in got
    assert "beslut" in got and "mobil" in got
    for w in ("ha", "samt", "vara", "och", "2022", ".", "bl.a.", "bland_annat"):
        assert w not in got


# ----------------------------------------------------------------------------- segmentation

def test_abbreviations_never_end_a_sentence():
    text = ("Vi har bl.a. mobila team. Det gäller t.ex. SIP m.m. Enl. avtal deltar ca. 100 personer "
            "fr.o.m. 2022 o.s.v. Vidare finns s.k. Patientkontrakt, dvs. Avtal. Slut!")
    assert _seg_texts(text) == [
        "Vi har bl.a. mobila team.",
        "Det gäller t.ex. SIP m.m. Enl. avtal deltar ca. 100 personer fr.o.m. 2022 o.s.v. Vidare finns "
        "s.k. Patientkontrakt, dvs. Avtal.",
        "Slut!",
    ]


def test_spaced_abbreviations():
    assert _seg_texts("Vi har bl a mobila team och t ex SIP. Nästa mening.") == [
        "Vi har bl a mobila team och t ex SIP.", "Nästa mening."]


def test_bullets_start_segments():
    text = "Insatser:\n• mobila team\n• SIP\n- patientkontrakt\n* hembesök\n– appar\n1. digitala möten\na) egenvård"
    assert _seg_texts(text) == ["Insatser:", "mobila team", "SIP", "patientkontrakt", "hembesök", "appar",
                                "digitala möten", "egenvård"]


def test_inline_bullets_and_dash_in_sentence():
    assert _seg_texts("Vi har • mobila team • SIP") == ["Vi har", "mobila team", "SIP"]
    # a dash inside a sentence is not a bullet
    assert _seg_texts("Mötesforum – ett digitalt forum för alla län.") == [
        "Mötesforum – ett digitalt forum för alla län."]


def test_wrapped_line_continues_sentence_but_heading_does_not():
    assert _seg_texts("Vi har startat mobila\nteam i länet.") == ["Vi har startat mobila\nteam i länet."]
    assert _seg_texts("Mobila team\nVi har startat.") == ["Mobila team", "Vi har startat."]


# ----------------------------------------------------------------------------- normalisation

def test_hyphen_repair():
    assert P.normalise("egenmonito-\nrering")[0] == "egenmonitorering"
    assert P.normalise("SIP-\nsamordnare")[0] == "SIP-samordnare"
    assert P.normalise("hälso-\noch sjukvård")[0] == "hälso- och sjukvård"
    assert P.normalise("hälso- och sjukvård")[0] == "hälso- och sjukvård"


def test_glued_footnote_digits_dropped_other_numbers_kept():
    assert P.normalise("Patientkontrakt16 och regelböcker21.")[0] == "Patientkontrakt och regelböcker."
    assert P.normalise("Vi har SIP (SIP).18 Nästa")[0] == "Vi har SIP (SIP). Nästa"
    kept = "År 2022 deltog 100 personer, kl. 10.30, covid-19 och 1177."
    assert P.normalise(kept)[0] == kept


def test_nfc_soft_hyphen_whitespace():
    # (a table: in a text of several lines tabs are columns, a space; in one line a boundary)
    decomposed = "a\u0308ldre  vård\u00adcentral\t\tteam\nRad två"
    norm, omap = P.normalise(decomposed)
    assert norm == "äldre vårdcentral team\nRad två"
    assert len(omap) == len(norm) + 1 and omap[-1] == len(decomposed)
    assert P.normalise("vårdcentral\t\tteam")[0] == "vårdcentral\nteam"


@pytest.mark.parametrize("text", [
    "egenmonito-\nrering och SIP-\nsamordnare",
    "Insatser:\n\n  • mobila   team\n• SIP\u00ad-ar",
    "a\u0308ldre\u00a0boende  \r\n\r\n 1. Patientkontrakt16 finns.",
    "",
    "   ",
])
def test_offset_map_points_into_original(text):
    norm, omap = P.normalise(text)
    assert len(omap) == len(norm) + 1
    assert omap == sorted(omap)
    for i, ch in enumerate(norm):
        src = text[omap[i]]
        # each kept letter comes from the same letter (modulo NFC composition)
        if ch.isalpha():
            assert src.lower() == ch.lower() or src == ch[0] or ch == "ä" and src in "aä"


def test_segment_offsets_are_original_offsets():
    text = "Vi har  egenmonito-\nrering.\n\n• SIP-\nsamordnare finns"
    doc = P.analyse([text])[0]
    spans = P.segments(doc)
    assert [text[s:e] for s, e in spans] == ["Vi har  egenmonito-\nrering.", "SIP-\nsamordnare finns"]
    tok = [t for t in doc if t.text == "egenmonitorering"][0]
    s, e = P.original_span(doc, tok.idx, tok.idx + len(tok))
    assert text[s:e] == "egenmonito-\nrering"


# ----------------------------------------------------------------------------- serialisation

def test_round_trip_bytes_keeps_lemmas_segments_offsets():
    texts = ["Vi har  mobila team.\n• SIP-\nsamordnare", "Äldre på boendet har patientkontrakt."]
    docs = P.analyse(texts)
    back = P.from_bytes(P.to_bytes(docs))
    assert [d.text for d in back] == [d.text for d in docs]
    assert [[t.lemma_ for t in d] for d in back] == [[t.lemma_ for t in d] for d in docs]
    assert [P.segments(d) for d in back] == [P.segments(d) for d in docs]
    one = P.doc_from_bytes(P.doc_to_bytes(docs[0]))
    assert P.segments(one) == P.segments(docs[0])
    assert isinstance(P.PIPELINE_VERSION, str) and P.PIPELINE_VERSION


# ----------------------------------------------------------------------------- property: offset map

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_ALPHABET = list("abcåäö SIPoch-\n\r\t•*–1.)") + ["\u00ad", "\u00a0", "  ", "-\n", "\n• ", "1. ", "eller"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET), max_size=40).map("".join))
def test_offset_map_invariants(text):
    norm, omap = P.normalise(text)
    assert len(omap) == len(norm) + 1
    assert all(a < b for a, b in zip(omap[:-1], omap[1:]))  # strictly increasing
    assert omap[-1] <= len(text)
    for i, ch in enumerate(norm):
        if ch.isalnum():
            assert text[omap[i]] == ch
    doc = P.analyse([text])[0]
    for s, e in P.segments(doc):
        assert 0 <= s < e <= len(text) and text[s:e].strip()


def test_long_answer_bounded_work(monkeypatch):
    """A 100,000-char answer (one huge token + 7,000 bullet lines) stays linear: the compound
    splitter is not tried on giant tokens and offsets map correctly at the far end."""
    calls = []
    real = compounds._split_pass
    monkeypatch.setattr(compounds, "_split_pass", lambda w, strict: calls.append(len(w)) or real(w, strict))
    compounds.split.cache_clear()
    compounds._split_plain.cache_clear()
    lemmas.lemma.cache_clear()
    giant = "patientkontrakt" * 6667
    doc = P.analyse([giant])[0]
    assert len(doc) == 1 and doc[0].lemma_
    assert not [n for n in calls if n > compounds.MAX_COMPOUND_CHARS]
    text = "• mobila team\n" * 7000
    doc = P.analyse([text])[0]
    segs = P.segments(doc)
    assert len(segs) == 7000
    s, e = segs[-1]
    assert text[s:e] == "mobila team"


def test_offset_binary_search_matches_linear_scan():
    breaks = [0, 1, 5, 3, 9, 2, 20, 7]

    def linear(i):
        d = 0
        for k in range(0, len(breaks), 2):
            if breaks[k] > i:
                break
            d = breaks[k + 1]
        return i + d

    assert [N.offset_at(breaks, i) for i in range(30)] == [linear(i) for i in range(30)]
    assert N.offset_at([3, 2], 1) == 1 and N.offset_at([], 7) == 7


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET), max_size=40).map("".join),
       st.sampled_from([N._SPACES, N._NEWLINES, N._BULLET_INLINE, N._SPECIAL_CHARS]))
def test_edit_breakpoints_compose_like_per_char_maps(text, pattern):
    """Offset maps are kept as breakpoints (work per edit): same result as per-char maps."""
    first, br1 = N._edit(text, N._SPACES, " ")
    second, br2 = N._edit(first, pattern, "\n\n" if pattern is N._BULLET_INLINE else " ")
    m1 = N.expand_breaks(N._canonical(br1), len(first))
    m2 = N.expand_breaks(N._canonical(br2), len(second))
    composed = N.expand_breaks(N._canonical(N._compose(br2 or [0, 0], N._canonical(br1))), len(second))
    assert composed == [m1[j] for j in m2]
    assert all(N.offset_at(N._canonical(br2), i) == m2[i] for i in range(len(second) + 1))


_LIST_ALPHABET = [" ", " ", "\n", "\n", "a", "B", "1", "12", ".", ")", "(", "-", "•", "*", "–", "x", "\t"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_LIST_ALPHABET), max_size=30).map("".join))
def test_list_lines_and_line_breaks_match_as_the_single_patterns(text):
    """The list lines found at the text's start and after its line breaks (``_ListLines``), and the line
    breaks of ``_NEWLINES``, are the matches of the single patterns they are written for."""
    bullet = r"(?:[•●○◦▪▫■□➢➤►▶✓✔·*\-–—]|\(?\d{1,2}[.)]|\(?[a-zA-Z][)])(?=[ ]+\S)[ ]*"
    spans = lambda ms: [m.span() for m in ms]  # noqa: E731
    assert spans(N._ListLines.finditer(text)) == spans(re.finditer(r"(?:^|\n)[ ]*" + bullet, text))
    assert spans(N._NEWLINES.finditer(text)) == spans(re.finditer(r"[ ]?\n[ \n]*", text))
    for t in (text, "1. " + text, " - " + text, "\n" + text):
        assert N.normalise_breaks(t) == _normalise_with_single_patterns(t)


def _normalise_with_single_patterns(text: str):
    """``normalise_breaks`` with the list lines and line breaks read by the single patterns."""
    import unittest.mock

    single = re.compile(r"(?:^|\n)[ ]*(?:[•●○◦▪▫■□➢➤►▶✓✔·*\-–—]|\(?\d{1,2}[.)]|\(?[a-zA-Z][)])(?=[ ]+\S)[ ]*")
    with unittest.mock.patch.object(N, "_ListLines", single), \
            unittest.mock.patch.object(N, "_NEWLINES", re.compile(r"[ ]?\n[ \n]*")):
        return N.normalise_breaks(text)


def test_decoded_dictionary_cache_is_written_once_and_reused(tmp_path, monkeypatch):
    from simplemma.strategies.dictionaries import dictionary_factory as f

    from nlp.lang_sv import lemma_cache

    small = {b"teamen": b"team", b"kontrakt": b"kontrakt"}
    loads = []
    monkeypatch.setattr(f, "_load_dictionary_from_disk", lambda lang: loads.append(lang) or dict(small))
    monkeypatch.setenv("SVARSANALYS_CACHE_DIR", str(tmp_path / "c"))
    assert lemma_cache._load_raw() == small and loads == ["sv"]
    files = list((tmp_path / "c").glob("simplemma-*-sv-*.marshal"))
    assert len(files) == 1 and not list((tmp_path / "c").glob("*.tmp"))
    assert lemma_cache._load_raw() == small and loads == ["sv"]  # second process start: from the cache
    files[0].write_bytes(b"\x00garbage")
    assert lemma_cache._load_raw() == small and loads == ["sv", "sv"]  # corrupt cache: rebuilt
    monkeypatch.setenv("SVARSANALYS_CACHE_DIR", "off")
    assert lemma_cache.cache_dir() is None


def test_one_set_of_linking_morphemes():
    """The compound splitter and the term matcher's modifier test use the same linking morphemes."""
    from nlp import termmatch

    assert compounds.LINKS == termmatch._LINKS
    assert P.split_compound("hemsjukvårdsteamet") == ["hemsjukvård", "team"]  # -s-
    assert P.split_compound("patientkontraktet") == ["patient", "kontrakt"]  # joined directly
    assert P.split_compound("SIP-samordnarna") == ["SIP", "samordnare"]  # hyphen


def test_lemmas_of_forms_are_shared_across_processes_through_the_disk_cache(tmp_path, monkeypatch):
    """A form lemmatised in one process is read from the cache file in the next (same lemma);
    a corrupt file only means lemmatising again; caching off writes nothing."""
    from nlp.components import SwedishLemmatizer
    from nlp.lang_sv import form_cache

    nlp = P.get_nlp()
    words = ["hemsjukvårdsteamen", "patientkontrakten", "kvällsteamets", "SIP:ar"]
    expected = [P.lemma(w) for w in words]

    def lemmas_in_new_process() -> list[str]:
        form_cache.reset()
        comp = SwedishLemmatizer(nlp)  # empty per-process cache, like a new process
        return [nlp.vocab.strings[h] for h in comp.values_of([nlp.vocab.strings.add(w) for w in words]).tolist()]

    monkeypatch.setenv("SVARSANALYS_CACHE_DIR", str(tmp_path / "c"))
    try:
        assert lemmas_in_new_process() == expected
        form_cache.flush()
        files = list((tmp_path / "c").glob("lemmas-*.marshal"))
        assert len(files) == 1 and not list((tmp_path / "c").glob("*.tmp"))

        def no_lemmatiser(form: str) -> str:
            raise AssertionError(f"{form} lemmatised again")

        monkeypatch.setattr(form_cache, "lemma", no_lemmatiser)
        assert lemmas_in_new_process() == expected  # all from the file
        monkeypatch.undo()
        monkeypatch.setenv("SVARSANALYS_CACHE_DIR", str(tmp_path / "c"))
        files[0].write_bytes(b"\x00garbage")
        assert lemmas_in_new_process() == expected  # corrupt file: lemmatised again
        import marshal

        files[0].write_bytes(marshal.dumps({w: 1 for w in words}))
        assert lemmas_in_new_process() == expected  # not a form -> lemma table: ignored
        form_cache.flush()
        assert len(form_cache.cache_path().read_bytes()) > 20
        monkeypatch.setenv("SVARSANALYS_CACHE_DIR", "off")
        assert lemmas_in_new_process() == expected and form_cache.cache_path() is None
        form_cache.flush()
        assert [f.name for f in (tmp_path / "c").iterdir()] == [files[0].name]
    finally:
        form_cache.reset()


# An analysis stored by the pipeline before nlp.docbin existed (format 1, "sv-1.0"); text:
_STORED_TEXT = "Vi har infört mobila hemsjukvårdsteam bl.a. i\nnorra länet.\n• SIP-samordnarna  träffas varje vecka\u00ad."
_STORED_BLOB = (
    "eAFlzb9Kw0AYAPC0qdamWly6f5OTPRRctE8gXYRCwaXlS3Ih1+bu4LvznsAXUBDcJCV/BkFw8QXyFIIPI40u4vpbfvdVokmi7dSOkxFaVcZNztlZlX"
    "Ep0bxsndimWAuVNB+EpdShyN5TLs36buOakmJjOcrXMEMVr1AptLkolSbCImsKlbM8eJtf30wMSk2xQuK1paZIEiwd0pqXjkcbLGIdmYenz2ghIEWC"
    "n85C2yH8+yDMGDIQ0E6wm7hlwZ9IIfxOBtoK2op9ecee3x+NT07ZxeXVdDa/Xe6o0/V7e/v9g0EwPDwaDR694bPnTbszf9n7BgD4bwo="
)


def test_analyses_stored_before_the_module_split_read_back_and_rewrite_identically():
    """An analysis stored by an older pipeline version is refused (the text is re-analysed); apart from
    the version its bytes are what the pipeline writes now (this text has no run-on separators)."""
    import base64
    import zlib

    from srsly.msgpack import _packer, _unpacker

    old = base64.b64decode(_STORED_BLOB)
    with pytest.raises(ValueError):
        P.doc_from_bytes(old)
    payload = _unpacker.unpackb(zlib.decompress(old), raw=False)
    assert payload["version"] == "sv-1.0"
    payload["version"] = P.PIPELINE_VERSION
    blob = zlib.compress(_packer.Packer(use_bin_type=True).pack(payload), 1)
    doc = P.doc_from_bytes(blob)
    assert [t.text for t in doc][:5] == ["Vi", "har", "infört", "mobila", "hemsjukvårdsteam"]
    assert [t.lemma_ for t in doc][-5:] == ["SIP-samordnare", "träffa", "varje", "vecka", "."]
    assert P.segments(doc) == [(0, 58), (61, 99)]
    assert _STORED_TEXT[61:99] == "SIP-samordnarna  träffas varje vecka\u00ad."
    assert P.doc_to_bytes(doc) == blob  # same format, same bytes
    fresh = P.analyse([_STORED_TEXT])[0]
    assert P.doc_to_bytes(fresh) == blob
    with pytest.raises(ValueError):
        P.doc_from_bytes(blob[:-7])


def test_reversed_forms_trie_finds_the_heads_the_dictionary_scan_finds(tmp_path, monkeypatch):
    """The compound splitter's heads come from a trie of the dictionary's forms written backwards
    (built once, kept in the cache folder, memory-mapped later): same heads, same splits as testing
    every suffix of the word in the dictionary."""
    pytest.importorskip("marisa_trie")
    from nlp.lang_sv import dictionary, lemma_cache

    raw = dictionary.raw_dict()
    assert raw is not None
    monkeypatch.setenv("SVARSANALYS_CACHE_DIR", str(tmp_path / "c"))
    trie = lemma_cache.reversed_forms_trie(raw)
    files = list((tmp_path / "c").glob("simplemma-*-reversed.marisa"))
    assert trie is not None and len(files) == 1 and not list((tmp_path / "c").glob("*.tmp"))
    again = lemma_cache.reversed_forms_trie(raw)  # a later process: read from the file
    words = ["hemsjukvårdsteamet", "hjärtsviktssäkerhetsrutinerna", "egenmonitoreringslösning",
             "patientkontraktet", "levnadsvanesamtalen", "äldreboendeplatserna", "trygghetslarmet",
             "kvällsteam", "vårdplaneringsmötena", "sjukhusövergripande", "mobilateamet", "abc", "team"]
    for w in words:
        for min_part in (3, 4):
            scan = [i for i in range(len(w) - min_part, min_part - 1, -1) if w[i:].encode() in raw]
            got = [len(w) - len(f) for f in trie.prefixes(w[::-1]) if min_part <= len(f) <= len(w) - min_part]
            assert got == scan and [len(w) - len(f) for f in again.prefixes(w[::-1])
                                    if min_part <= len(f) <= len(w) - min_part] == scan

    def splits(with_trie: bool) -> list:
        monkeypatch.setattr(compounds, "ending_forms", (lambda: trie) if with_trie else (lambda: None))
        compounds._split_plain.cache_clear()
        return [(compounds._split_pass(w, False), compounds._split_pass(w, True)) for w in words]

    assert splits(True) == splits(False)
    assert splits(True)[0][0] == ("hemsjukvård", "hemsjukvårds", "teamet")
    compounds._split_plain.cache_clear()
    del again  # memory-mapped: the file is only ever replaced (a new file), never rewritten in place
    files[0].unlink()
    files[0].write_bytes(b"\x00garbage" * 8)
    rebuilt = lemma_cache.reversed_forms_trie(raw)  # a corrupt file is built again
    assert rebuilt is not None and rebuilt.prefixes("temaet") == trie.prefixes("temaet")
    assert files[0].stat().st_size > 1000


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ab.:/@wh tpsx-ÅÖ1é") + ["http://", "https://", "www.", ".se", "\n", "\t", "$", "€",
                                                          "kr", "AAAAA", "ååååå", "1111", "!", "?", "(", "»", "”", "'",
                                                          "²", "½", "٣", "ǅ", "ß", "😀", "_", "Ω", "ﬁ", "İ"]),
                min_size=1, max_size=12).map("".join))
def test_fast_lexeme_attributes_give_spacys_answers(text):
    """The pipeline's own getters for the lexeme attributes answer as spaCy's do."""
    from nlp.components import _FAST_LEX_ATTRS, get_nlp

    getters = get_nlp().vocab.lex_attr_getters
    words = [text, "www.1177.se", "http://x", "https://a", "example.com", "a.b", "ord", "sip:ar", "e@post.se", "x.",
             "Vården", "SIP", "Hej Hopp", " ", "\n\n", "...", "€", "$€", "2023", "3,5", "x" * 99, "y" * 100, "ab" * 70,
             "Hemsjukvårdsteamet", "AAAAAbbbbb11111", "a", ".", "(", "“", "£", "½"]
    for attr, (theirs, ours) in _FAST_LEX_ATTRS.items():
        assert getters[attr] is ours
        assert [ours(w) for w in words] == [theirs(w) for w in words]


def test_no_spacy_python_getter_for_string_methods_and_character_loops():
    """Every new form runs the lexeme getters: spaCy's Python wrappers of a string method or loops over
    the characters are replaced (by the built-in or the same code compiled with nlp.components)."""
    from spacy.lang import lex_attrs as L

    from nlp.components import get_nlp

    getters = set(get_nlp().vocab.lex_attr_getters.values())
    for theirs in (L.lower, L.prefix, L.suffix, L.is_alpha, L.is_digit, L.is_lower, L.is_space, L.is_title,
                   L.is_upper, L.is_punct, L.is_currency, L.word_shape, L.is_ascii, L.like_url, L.is_bracket,
                   L.is_quote, L.is_left_punct, L.is_right_punct, L.like_email):
        assert theirs not in getters, theirs.__name__


def _sent_starts_reference(c: list[int], doc_starts: list[int]) -> list[int]:
    """The segment-start rule token by token (see SwedishSegmenter): 1 = starts a segment, -1 = not."""
    from nlp.components import RUN_ON_TOKENS

    n = len(c)
    out = [-1] * n
    for d, a in enumerate(doc_starts):
        b = doc_starts[d + 1] if d + 1 < len(doc_starts) else n
        prev_kind = prev_term = None  # kind / terminal state of the previous word of the doc
        newline = False
        after_sep = []  # words right after a semicolon
        for k in range(a, b):
            kind, starter = c[k] & 7, bool(c[k] & 8)
            if kind in (2, 3):
                newline = newline or kind == 2
            else:
                if newline or (prev_term and starter):
                    out[k] = 1
                if prev_kind == 5:
                    after_sep.append(k)
                term = kind == 1 or (kind == 4 and prev_kind == 1)
                prev_kind, prev_term, newline = kind, term, False
        out[a] = 1
        # semicolons: before a capital letter, or inside a segment of more than RUN_ON_TOKENS words
        size, seg_of, cur = {}, {}, a
        for k in range(a, b):
            if out[k] == 1:
                cur = k
            seg_of[k] = cur
            if c[k] & 7 not in (2, 3):
                size[cur] = size.get(cur, 0) + 1
        for k in after_sep:
            if c[k] & 16 or size[seg_of[k]] > RUN_ON_TOKENS:
                out[k] = 1
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([0, 1, 2, 3, 4, 5, 8, 9, 12, 24]), min_size=1, max_size=120),
       st.sets(st.integers(1, 119), max_size=6))
def test_sent_starts_follow_the_segment_rule_token_by_token(classes, cuts):
    """The numpy pass over docs laid end to end gives the per-token rule's segment starts."""
    import numpy

    from nlp.components import sent_starts

    doc_starts = [0] + sorted(x for x in cuts if x < len(classes))
    got = sent_starts(numpy.asarray(classes, dtype=numpy.int64), numpy.asarray(doc_starts, dtype=numpy.int64))
    assert got.dtype == numpy.uint64
    assert got.astype(numpy.int64).tolist() == _sent_starts_reference(classes, doc_starts)


def test_fast_lexeme_attributes_every_character_and_partial_getters():
    """The set-based punctuation getters answer as spaCy's tuples for every character and every pair of the
    characters in them; the partially applied getters (NORM, IS_STOP, LANG) are replaced by the same call and
    answer alike for every word of a sample and every character."""
    from functools import partial

    from spacy.attrs import IS_STOP, LANG, NORM
    from spacy.lang import lex_attrs as L
    from spacy.lang.sv import Swedish

    from nlp.components import _FAST_LEX_ATTRS, get_nlp

    theirs_getters = Swedish().vocab.lex_attr_getters
    ours_getters = get_nlp().vocab.lex_attr_getters
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    punct = sorted({c for t in (L.is_bracket, L.is_quote, L.is_left_punct, L.is_right_punct)
                    for c in "(){}[]<>\"'`«»‘’‚‛“”„‟‹›❮❯" if t(c)})
    pairs = [a + b for a in punct + ["x", " "] for b in punct + ["x", " "]]
    for attr in (L.is_bracket, L.is_quote, L.is_left_punct, L.is_right_punct):
        ours = next(o for t, o in _FAST_LEX_ATTRS.values() if t is attr)
        assert [ours(w) for w in chars] == [attr(w) for w in chars]
        assert [ours(w) for w in pairs] == [attr(w) for w in pairs]
    words = chars[:0x3000] + pairs + ["Hej", "SIP", "sip", "''", "``", "--", "—", "US$", "Mex$", "’S", "och", "Och", "OCH",
                                      "tjugo", "Tjugo", "3,5", "+12", "1/2", "a/b", "e@post.se", "x@y", "@", "å@ä.se",
                                      "tusen", "miljon", "2022-05", "±3", "~4", "1.000", "12/", "/12", "½", "٣"]
    for attr in (NORM, IS_STOP, LANG):
        assert isinstance(ours_getters[attr], partial) and ours_getters[attr] is not theirs_getters[attr]
        assert [ours_getters[attr](w) for w in words] == [theirs_getters[attr](w) for w in words], attr
    for theirs, ours in _FAST_LEX_ATTRS.values():
        assert [ours(w) for w in words] == [theirs(w) for w in words], theirs.__name__
