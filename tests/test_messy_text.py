"""Tagging messy answer text (issue 13, robustness): missing diacritics, typos in long words, lower-case
abbreviations, run-on text from spreadsheets and forms (own sentences)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp import pipeline as P
from nlp.codebook import default_codebook
from nlp.tagger import Tagger
from nlp import termmatch
from nlp.termmatch import fallback_eligible, fold
from tests.helpers.tagging import codes, tagger  # noqa: F401 (tagger is a fixture)

ROOT = Path(__file__).resolve().parents[1]


def _seg_texts(text: str) -> list[str]:
    doc = P.analyse([text])[0]
    return [text[s:e] for s, e in P.segments(doc)]


# ----------------------------------------------------------------------------- diacritics

@pytest.mark.parametrize("text,code", [
    ("Vi erbjuder halsosamtal till alla 70-aringar.", "halsosamtal"),
    ("Sjukskoterskan ringer upp de mest sjuka aldre efter varje inlaggning.", "proaktiv_vard_skora_aldre"),
    ("Kommunens hemsjukvardsteam och vardcentralens lakare gor gemensamma hembesok.", "mobila_team"),
    ("Patienterna far en fast vardkontakt pa vardcentralen.", "fast_kontakt"),
])
def test_missing_diacritics_are_restored_from_the_codebook(tagger, text, code):
    assert code in codes(tagger, text)
    # the same sentence with its diacritics gives the code as well (the fall-back adds nothing new)
    assert code in codes(tagger, text.replace("halsosamtal", "hälsosamtal"))


def test_a_known_word_is_never_read_as_its_diacritic_twin(tagger):
    # vard (hearth), far (father), mal (moth), for (lined), ar: Swedish words; never read as vård/får/mål/för/år
    for w in ("vard", "far", "mal", "for", "ar", "gar"):
        assert not fallback_eligible(w)
    ix = tagger.compiled.index
    assert ix.fallback("vard") is None
    assert ix.fallback("mal") is None
    assert fold("målbild") == "malbild"


def test_a_known_word_continues_a_phrase_as_its_twin_but_never_starts_one(tagger):
    assert "personcentrerat_arbetssatt" in codes(tagger, "Vi arbetar med personcentrerad vard i hela kommunen.")
    assert codes(tagger, "Elden brann i vard och spis.") == []
    f = tagger.compiled.index.features("vard", "vard")
    assert "vård" in f.keys and not f.first and not f.heads


def test_restoration_keeps_the_compound_parts_real_words(tagger):
    ix = tagger.compiled.index
    # "årskurs" would only fit if "tredag" were a word: no reading
    assert ix.fallback("tredagarskurs") is None
    got = ix.fallback("aldreomsorgen")
    assert got is not None and got.lower == "äldreomsorgen"


# ----------------------------------------------------------------------------- typos

@pytest.mark.parametrize("text,code", [
    ("Vi arbetar med egenmonitorring av blodtryck i hemmet.", "egenmonitorering"),
    ("Varje vårdcentral har en vårdkordinator för de mest sjuka.", "vardkoordinator_samordnare"),
    ("Det mobila paliativa teamet tar emot remisser.", "palliativ_vard"),
])
def test_one_typo_in_a_long_word_is_corrected(monkeypatch, text, code):
    monkeypatch.setattr(termmatch, "FALLBACK_TYPOS", True)
    assert code in codes(Tagger(default_codebook()), text)


def test_typo_correction_is_off_by_default(tagger):
    assert termmatch.FALLBACK_TYPOS is False
    assert tagger.compiled.index.fallback("egenmonitorring") is None
    assert "egenmonitorering" not in codes(tagger, "Vi arbetar med egenmonitorring av blodtryck i hemmet.")


def test_typo_correction_only_for_long_unknown_forms(monkeypatch):
    monkeypatch.setattr(termmatch, "FALLBACK_TYPOS", True)
    ix = Tagger(default_codebook()).compiled.index
    # a compound of known words ("läkar|medverkan", "vakans|läge") is never corrected to a term
    assert ix.fallback("vakansläge") is None
    assert ix.fallback("mötesformer") is None
    # short forms get no typo correction ("tema" is not "team")
    assert ix.fallback("teem") is None


# ----------------------------------------------------------------------------- abbreviations

def test_case_safe_abbreviations_match_in_lower_case(tagger):
    assert "informationsoverforing" in codes(tagger, "Vi använder npö för att läsa journalen.")
    assert "informationsoverforing" in codes(tagger, "Vi använder npo för att läsa journalen.")
    assert codes(tagger, "Vi använder npö för att läsa journalen.") == codes(
        tagger, "Vi använder NPÖ för att läsa journalen.")


def test_abbreviations_that_are_words_in_lower_case_stay_case_sensitive(tagger):
    from nlp.lang_sv.abbreviations import CASE_SAFE
    from nlp.lang_sv.dictionary import known

    for w in ("lov", "far", "lus", "sip", "gps"):
        assert w not in CASE_SAFE
    for w in CASE_SAFE - {"usk"}:  # "usk" is in the dictionary only as the abbreviation itself
        assert not known(w), w
    assert "sip" not in codes(tagger, "Telefonin bygger på sip-protokollet och en sip trunk.")


# ----------------------------------------------------------------------------- run-on text

def test_semicolons_end_segments_in_run_on_text():
    words = " ".join(["ord"] * 25)
    text = f"Vi startade ett mobilt team {words}; läkaren gör rond varannan vecka {words}; sedan hembesök"
    segs = _seg_texts(text)
    assert len(segs) == 3 and segs[1].startswith("läkaren") and segs[2] == "sedan hembesök"
    # before a capital letter a semicolon ends the sentence whatever its length
    assert _seg_texts("Vi har fast läkare; Alla får ett brev.") == ["Vi har fast läkare;", "Alla får ett brev."]


def test_a_semicolon_inside_an_ordinary_sentence_does_not_split_it():
    text = "Hälsocentralen deltar i projektet med fast läkarkontakt; alla patienter får ett brev."
    assert _seg_texts(text) == [text]
    assert _seg_texts("Vi har fast läkare; 46 % vet om det.") == ["Vi har fast läkare; 46 % vet om det."]


def test_glued_semicolons_and_one_line_tabs_are_boundaries():
    assert P.normalise("rond;sedan")[0] == "rond; sedan"
    assert _seg_texts("Kommentar:\tVi har mobila team\tläkaren gör rond") == [
        "Kommentar:", "Vi har mobila team", "läkaren gör rond"]
    # a table (several lines): its tabs are columns, the row stays one segment
    table = "Insats\tStatus\nHälsosamtal 50 år\tej startat"
    assert _seg_texts(table) == ["Insats\tStatus", "Hälsosamtal 50 år\tej startat"]


def test_checkbox_form_answer_is_tagged(tagger):
    text = "☒ Ja ☐ Nej Kommentar: Vi har infort hembesok av mobila team ; lakaren ar med varannan vecka"
    assert "mobila_team" in codes(tagger, text)


# ----------------------------------------------------------------------------- PDF page lines

def test_a_page_footer_on_its_own_line_is_dropped():
    text = "Sjuksköterskan ringer upp de patienter som\nSida 3 av 12\nskrivits ut från sjukhuset."
    assert P.normalise(text)[0] == "Sjuksköterskan ringer upp de patienter som skrivits ut från sjukhuset."
    assert P.normalise("Vi har öppnat en mottagning\n2 (7)\nför äldre.")[0] == (
        "Vi har öppnat en mottagning för äldre.")
    # a number inside a sentence or a line with more on it stays
    assert P.normalise("Vi har sida 3 av rapporten klar.")[0] == "Vi har sida 3 av rapporten klar."
    assert P.normalise("Mål:\nSida 3 av planen beskriver teamet.")[0] == "Mål:\nSida 3 av planen beskriver teamet."


@pytest.mark.parametrize("text,code", [
    ("Två case managers har anställts i kommunen.", "vardkoordinator_samordnare"),
    ("Regionen erbjuder remote monitoring av vikt och blodtryck för patienter med hjärtsvikt.", "egenmonitorering"),
    ("Vårdcentralen erbjuder health checks för alla 50-åringar.", "halsosamtal"),
    ("Alla patienter med hjärtsvikt får en named care contact på vårdcentralen.", "fast_kontakt"),
])
def test_measures_named_in_english_are_tagged(tagger, text, code):
    assert code in codes(tagger, text)


# ----------------------------------------------------------------------------- clean text unchanged

def test_clean_text_gives_the_same_tags_without_the_fall_back():
    """On clean answers (fresh_round2, a spent set) the fall-back changes no tag or evidence."""
    rows = [json.loads(x) for x in (ROOT / "data" / "eval" / "fresh_round2.jsonl").read_text(encoding="utf-8").splitlines()
            if x.strip()]
    texts = [r["text"] for r in rows]
    tagger = Tagger(default_codebook())
    cc = tagger.compiled
    indexes = (cc.index, cc.context, cc.markers)  # (the marker index is shared by compiled codebooks)

    def clear():
        for cache in (cc._feat_cache, cc._ctx_cache, cc._mark_cache, cc._sig_cache):
            cache.clear()
        for ix in indexes:
            ix._cache.clear()

    a = [r.to_json() for r in tagger.tag_texts(texts)]
    try:
        for ix in indexes:
            ix.fallback = lambda orth: None  # instance attribute: no form is read as another
        clear()
        b = [r.to_json() for r in tagger.tag_texts(texts)]
    finally:
        for ix in indexes:
            ix.__dict__.pop("fallback", None)
        clear()
    assert a == b


def test_the_automaton_finds_the_same_readings_as_the_loop_over_parts():
    """The Aho-Corasick pass over a form gives the candidates the loop over its parts gives."""
    forms = ["aldre", "hemsjukvardsteamet", "halsosamtal", "sjukskoterskan", "vardcentralens", "aldreomsorgen",
             "distriktsskoterskan", "forebyggande", "tredagarskurs", "lakarmedverkan", "vardkontakt", "fallprevention"]
    a = Tagger(default_codebook()).compiled.index
    b = Tagger(default_codebook()).compiled.index
    a._fallback_vocab()
    b._fallback_vocab()
    b._fb_auto = None
    found = 0
    for form in forms:
        fa, fb = a.fallback(form), b.fallback(form)
        assert (fa is None) == (fb is None), form
        if fa is not None:
            found += 1
            assert (fa.keys, fa.first, fa.heads, fa.full_heads, fa.mods) == (fb.keys, fb.first, fb.heads,
                                                                             fb.full_heads, fb.mods), form
    assert found >= 5
