"""Negation, delay, wishes and conditions: the tagger's certain negation (evidence.negated) and the
disposer's cues for the uncertain kinds, each kind in both directions, on sentences written for the tests."""
from __future__ import annotations

import pytest

from nlp.codebook import default_codebook
from nlp.disposer_features import _mention_extra, sentence_markers
from nlp.tagger import Tagger


@pytest.fixture(scope="module")
def rules() -> Tagger:
    """The codebook rules without the disposer: evidence and its negation flag only."""
    return Tagger(default_codebook())


def _negated(tagger: Tagger, text: str, code: str) -> bool:
    res = tagger.tag_texts([text])[0]
    hits = [e for e in res.evidence if e.code == code]
    assert hits, f"{code} hittades inte i: {text}"
    return all(e.negated for e in hits)


def _span(sentence: str, words: str) -> tuple[int, int]:
    s = sentence.index(words)
    return s, s + len(words)


# ------------------------------------------------------------------ certain negation in the tagger

@pytest.mark.parametrize("text,code", [
    # topicalised measure (V2: object first), negation after a middle-field adverb
    ("Mobila team har vi däremot inte startat.", "mobila_team"),
    ("Hälsosamtal för äldre erbjuder vi dock inte i dagsläget.", "halsosamtal"),
    ("Patientkontrakt har regionen emellertid inte infört på någon vårdcentral.", "patientkontrakt"),
    ("Något mobilt team har vi däremot aldrig haft.", "mobila_team"),
    # topicalised measure, negation after verb and subject
    ("Någon fast vårdkontakt har ännu inte utsetts.", "fast_kontakt"),
    ("Patientkontrakt är det ingen kommun som använder.", "patientkontrakt"),
    ("SIP-samordnare saknar vi fortfarande.", "vardkoordinator_samordnare"),
    ("Egenmonitorering har vi inte kommit igång med.", "egenmonitorering"),
    # no longer, stopped
    ("Vi har inte längre något mobilt team i kommunen.", "mobila_team"),
    ("Det mobila teamet har upphört.", "mobila_team"),
    ("Den mobila närsjukvården lades ned förra året.", "mobila_team"),
    ("Vi har inte heller mobila team.", "mobila_team"),
    ("Patientkontrakt saknas.", "patientkontrakt"),
])
def test_negated_in_the_tagger(rules, text, code):
    assert _negated(rules, text, code)


@pytest.mark.parametrize("text,code", [
    # the topicalised measure is affirmed; the adverb's negation belongs to another clause or is absent
    ("Mobila team har vi dock haft i flera år.", "mobila_team"),
    ("Äldremottagning har kommunen däremot öppnat tillsammans med vårdcentralen.", "aldremottagning"),
    ("Mobila team har vi startat, däremot inte någon äldremottagning.", "mobila_team"),
    # a measure that is not the clause's topic keeps "däremot" as the start of a new clause
    ("Vi har startat mobila team i två kommuner däremot inte i den tredje.", "mobila_team"),
    # "dock" after a participle and an adverbial is a new contrast, not the middle field
    ("Mobila team har vi haft länge dock inte på helgerna.", "mobila_team"),
    # "inte bara" also as the end of a longer cue ("har inte")
    ("Vi har inte bara mobila team utan även en äldremottagning.", "mobila_team"),
    ("Vi har inte bara infört SIP utan också följt upp dem.", "sip"),
    ("Regionen har inte endast digitala vårdbesök utan även egenmonitorering.", "digitala_vardbesok"),
    # double negation says the measure is there
    ("SIP saknar vi inte, den används i alla ärenden.", "sip"),
    ("Patientkontrakt saknas inte på någon av våra vårdcentraler.", "patientkontrakt"),
    # counterfactual: without X we would not have … (X is in use)
    ("Utan SIP hade vi inte klarat samordningen kring de mest sjuka.", "sip"),
    ("Utan det mobila teamet skulle fler inte kunna vårdas hemma.", "mobila_team"),
    # a negation in a relative clause about something else
    ("SIP, som inte fanns tidigare, används nu i alla ärenden.", "sip"),
    ("Det mobila teamet, som inte ingår i primärvården, gör hembesök dagligen.", "mobila_team"),
    # a need the measure takes away: "… så att X inte behöver …" is the measure's purpose, not its absence
    ("Bussen kör mellan byarna så att de äldre inte behöver åka fem mil till hälsocentralen.", "glesbygd"),
    ("Tandhygienisten besöker byarna så att ingen behöver resa långa avstånd för en kontroll.", "glesbygd"),
    # "inte längre behöver": the measure took a need away
    ("Digitala lås gör att personalen inte längre behöver hämta nycklar på kontoret.", "valfardsteknik"),
    # a form's unchecked option is not the answer
    ("☒ Ja, men handlingsplanen revideras just nu ☐ Nej", "malbild_handlingsplan"),
    ("☐ Alla ☒ Mer än hälften ☐ Ingen Kommentar: sju kommuner har kommunspecifika handlingsplaner", "malbild_handlingsplan"),
    # a keyword whose own words hold the negation word ("inte talar svenska") is not negated by them
    ("Träffarna vänder sig till föräldrar som inte talar svenska.", "socioekonomiskt_utsatta"),
])
def test_not_negated_in_the_tagger(rules, text, code):
    assert not _negated(rules, text, code)


def test_sentence_adverb_still_opens_a_clause_after_a_comma(rules):
    res = rules.tag_texts(["Mobila team finns, däremot saknas patientkontrakt."])[0]
    by_code = {e.code: e.negated for e in res.evidence}
    assert by_code["mobila_team"] is False and by_code["patientkontrakt"] is True


def test_a_measure_after_utan_without_negation_is_not_affirmed_by_it(rules):
    # "utan" only lifts a later negation; the measure itself keeps whatever else negates it
    assert _negated(rules, "Vi har inte SIP utan arbetar med egna planer.", "sip")


# ------------------------------------------------------------------ uncertain kinds: disposer cues

@pytest.mark.parametrize("sentence,marker", [
    ("Vi skulle vilja införa patientkontrakt.", "m_wish"),
    ("På sikt kan egenmonitorering bli aktuellt.", "m_wish"),
    ("Vi hoppas kunna erbjuda digitala vårdbesök.", "m_wish"),
    ("Om projektmedel beviljas startar vi ett mobilt team under hösten.", "m_cond"),
    ("Förutsatt att finansieringen löser sig startar vi egenmonitorering.", "m_cond"),
    ("Det återstår att starta mobila team.", "m_delay"),
    ("Det kvarstår att införa patientkontrakt i kommunen.", "m_delay"),
    ("Kommunen har valt att avvakta med patientkontrakt.", "m_delay"),
    ("Arbetet med egenmonitorering är vilande sedan våren.", "m_delay"),
    ("Patientkontrakt används inte längre.", "m_stop"),
    ("Familjecentral finns i grannkommunen men inte hos oss.", "m_elsewhere"),
])
def test_uncertain_kind_markers(sentence, marker):
    assert sentence_markers(sentence).get(marker) == 1.0


def test_plain_measure_has_no_uncertain_kind_marker():
    got = sentence_markers("Kommunen har infört patientkontrakt på alla vårdcentraler.")
    assert not {"m_wish", "m_cond", "m_delay", "m_stop", "m_elsewhere", "m_neg"} & set(got)


def test_inte_bara_is_not_a_negation_marker():
    assert "m_neg" not in sentence_markers("Vi har inte bara mobila team utan även en äldremottagning.")
    assert "m_neg" in sentence_markers("Vi har inte mobila team.")


def test_wish_in_the_mentions_own_clause_only():
    wished = "Vi skulle vilja införa patientkontrakt."
    assert "r_wish_clause" in _mention_extra(wished, *_span(wished, "patientkontrakt"))
    topical = "Ett mobilt team skulle vi vilja ha."
    assert "r_wish_clause" in _mention_extra(topical, *_span(topical, "mobilt team"))
    done = "Vi har infört patientkontrakt och skulle vilja utveckla det vidare."
    assert "r_wish_clause" not in _mention_extra(done, *_span(done, "patientkontrakt"))


def test_contrast_after_men_limits_reach_or_takes_the_measure_away():
    partial = "Egenmonitorering har vi infört, men inte i alla verksamheter."
    got = _mention_extra(partial, *_span(partial, "Egenmonitorering"))
    assert "r_men_neg_partial" in got and "r_men_neg_us" not in got
    others = "Mobila team finns i fem av länets kommuner men inte i de övriga."
    assert "r_men_neg_partial" in _mention_extra(others, *_span(others, "Mobila team"))
    away = "Familjecentral finns i grannkommunen men inte hos oss."
    got = _mention_extra(away, *_span(away, "Familjecentral"))
    assert "r_men_neg_us" in got and "r_men_neg_partial" not in got
    ours = "Familjecentral finns hos oss men inte i grannkommunen."
    got = _mention_extra(ours, *_span(ours, "Familjecentral"))
    assert "r_men_neg_after" in got and "r_men_neg_us" not in got
    assert "r_men_neg_elsewhere" in got and "r_men_neg_elsewhere" not in _mention_extra(away, *_span(away, "Familjecentral"))
    rest = "Vi har hälsosamtal för 75-åringar, men inte de andra kommunerna i länet."
    assert "r_men_neg_elsewhere" in _mention_extra(rest, *_span(rest, "hälsosamtal"))


# ------------------------------------------------------------------ the bundled disposer decides

@pytest.fixture(scope="module")
def tagger() -> Tagger:
    from models.tagging import default_disposer

    cb = default_codebook()
    return Tagger(cb, disposer=default_disposer(cb))


@pytest.mark.parametrize("text,code", [
    ("Vi skulle vilja införa patientkontrakt.", "patientkontrakt"),
    ("Det återstår att starta mobila team.", "mobila_team"),
    ("Det kvarstår att införa patientkontrakt i kommunen.", "patientkontrakt"),
    ("Familjecentral finns i grannkommunen men inte hos oss.", "familjecentral"),
    ("Vi hoppas på sikt kunna erbjuda digitala vårdbesök.", "digitala_vardbesok"),
    ("Mobila team har vi däremot inte startat.", "mobila_team"),
])
def test_uncertain_kinds_are_dropped(tagger, text, code):
    assert code not in tagger.tag_texts([text])[0].codes


@pytest.mark.parametrize("text,code", [
    ("Egenmonitorering har vi infört, men inte i alla verksamheter.", "egenmonitorering"),
    ("Familjecentral finns hos oss men inte i grannkommunen.", "familjecentral"),
    ("Mobila team finns i fem av länets kommuner men inte i de övriga.", "mobila_team"),
    ("Vi har inte bara mobila team utan även en äldremottagning.", "mobila_team"),
    ("Utan SIP hade vi inte klarat samordningen kring de mest sjuka.", "sip"),
    ("Mobila team har vi haft sedan 2019 och det fungerar väl.", "mobila_team"),
])
def test_true_mentions_next_to_such_words_are_kept(tagger, text, code):
    assert code in tagger.tag_texts([text])[0].codes


def test_a_need_word_does_not_lift_a_real_negation(rules):
    """Only the need after the cue is lifted: the measure itself negated stays negated."""
    assert _negated(rules, "Vi har inte behövt starta något mobilt team, och det finns inte heller.", "mobila_team")
    assert _negated(rules, "Någon fast vårdkontakt har inte utsetts eftersom ingen har efterfrågat det.", "fast_kontakt")


def test_a_keyword_holding_a_cue_is_still_negated_by_a_cue_outside_it(rules):
    assert _negated(rules, "Stöd för dem som inte talar svenska har ännu inte startats.", "socioekonomiskt_utsatta")


def test_inte_langre_alone_and_a_checked_nej_still_negate(rules):
    assert _negated(rules, "Vi har inte längre något mobilt team.", "mobila_team")
    assert _negated(rules, "Mobila teamet finns inte längre.", "mobila_team")
    assert _negated(rules, "☐ Ja ☒ Nej Kommentar: någon handlingsplan finns inte", "malbild_handlingsplan")
