"""Negation (clause-scoped), status and scope on sentences written for the tests."""
from __future__ import annotations

import pytest

from nlp.codebook import default_codebook
from nlp.tagger import Tagger


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(default_codebook())


def first(tagger, text, code):
    res = tagger.tag_texts([text])[0]
    hits = [e for e in res.evidence if e.code == code]
    assert hits, f"{code} hittades inte i: {text}"
    return res, hits[0]


@pytest.mark.parametrize("text,code", [
    ("Kommunen har inte infört mobila team.", "mobila_team"),
    ("Patientkontrakt saknas fortfarande i regionen.", "patientkontrakt"),
    ("Det finns inget arbete med egenmonitorering i dag.", "egenmonitorering"),
    ("Arbetet med SIP är ej påbörjat.", "sip"),
    ("Någon äldremottagning har ännu inte öppnats.", "aldremottagning"),
])
def test_negated_mentions_do_not_count(tagger, text, code):
    res, ev = first(tagger, text, code)
    assert ev.negated
    assert code not in res.codes


def test_negation_is_limited_to_its_clause(tagger):
    text = "Vi har ingen egen handlingsplan, men mobila team finns i hela kommunen."
    res, ev = first(tagger, text, "mobila_team")
    assert not ev.negated
    assert "mobila_team" in res.codes
    assert "malbild_handlingsplan" not in res.codes


def test_relative_clause_does_not_negate(tagger):
    text = "Läkare och sjuksköterska åker ut till patienter som inte själva kan ta sig till mottagningen."
    res, ev = first(tagger, text, "mobila_team")
    assert not ev.negated


def test_not_only_is_not_a_negation(tagger):
    res, ev = first(tagger, "Inte bara familjecentralen utan även skolan deltar.", "familjecentral")
    assert not ev.negated


@pytest.mark.parametrize("text,status", [
    ("Ett mobilt team planeras 2024 i kommunen.", "planerad"),
    ("Arbetet med mobila team har startat.", "pågående"),
    ("Mobila team har införts i kommunen.", "genomförd"),
    ("Mobila team nämns i rapporten.", "okänd"),
])
def test_status(tagger, text, status):
    _, ev = first(tagger, text, "mobila_team")
    assert ev.status == status


@pytest.mark.parametrize("text,scope", [
    ("Mobila team testas som pilotprojekt på två orter.", "projekt/pilot"),
    ("Mobila team drivs i projektform.", "projekt/pilot"),
    ("Mobila team har breddinförts i hela länet.", "breddinförd"),
    ("Mobila team ingår i ordinarie verksamhet.", "breddinförd"),
    ("Mobila team finns.", "okänd"),
])
def test_scope(tagger, text, scope):
    _, ev = first(tagger, text, "mobila_team")
    assert ev.scope == scope


@pytest.mark.parametrize("text,code", [
    ("Frågan om mobila team har tagits upp men bedöms inte aktuell i år.", "mobila_team"),
    ("Patientkontrakt var tänkt att prövas, men projektet lades ned efter ett halvår.", "patientkontrakt"),
    ("Egenmonitorering har utretts men nämnden har valt att inte gå vidare.", "egenmonitorering"),
])
def test_cancellation_after_the_term_negates_it(tagger, text, code):
    res, ev = first(tagger, text, code)
    assert ev.negated and code not in res.codes


def test_negation_in_relative_clause_stays_there(tagger):
    text = "Personer som inte har hemtjänst och fyller 80 år får ett förebyggande hembesök."
    res = tagger.tag_texts([text])[0]
    assert "forebyggande_aldre_fallprevention" in res.codes
    res2 = tagger.tag_texts(["Brukare som inte har något trygghetslarm erbjuds ett samtal."])[0]
    assert all(e.negated for e in res2.evidence if e.code == "valfardsteknik")


def test_weak_keyword_does_not_satisfy_its_own_requirement(tagger):
    res = tagger.tag_texts(["Förvaltningen arbetar proaktivt med sin budget."])[0]
    assert "proaktiv_vard_skora_aldre" not in res.codes


@pytest.mark.parametrize("text,code,status", [
    ("Kommunen avser att införa hälsosamtal för 70-åringar.", "halsosamtal", "planerad"),
    ("Regionen har beslutat att genomföra riktade hälsosamtal.", "halsosamtal", "planerad"),
    ("Vi testar mobila team i två kommundelar.", "mobila_team", "pågående"),
    ("Arbetet med SIP fortgår.", "sip", "pågående"),
])
def test_intent_and_trial_status(tagger, text, code, status):
    _, ev = first(tagger, text, code)
    assert ev.status == status


@pytest.mark.parametrize("text,negated_codes", [
    # a negation before a coordinated list reaches every item
    ("Kommunen har inte infört patientkontrakt, mobila team eller egenmonitorering.",
     {"patientkontrakt", "mobila_team", "egenmonitorering"}),
    ("Vi har ännu inte kommit igång med SIP, fast vårdkontakt och hälsosamtal.",
     {"sip", "fast_kontakt", "halsosamtal"}),
    # ... and so does one after it
    ("Patientkontrakt, mobila team och egenmonitorering saknas i kommunen.",
     {"patientkontrakt", "mobila_team", "egenmonitorering"}),
])
def test_negation_reaches_every_item_of_a_list(tagger, text, negated_codes):
    res = tagger.tag_texts([text])[0]
    assert {e.code for e in res.evidence} >= negated_codes
    assert all(e.negated for e in res.evidence if e.code in negated_codes)
    assert not negated_codes & set(res.codes)


def test_a_comma_before_a_new_clause_still_ends_the_negation(tagger):
    res = tagger.tag_texts(["Kommunen har inte fattat något beslut, mobila team finns dock i hela länet."])[0]
    assert "mobila_team" in res.codes


@pytest.mark.parametrize("text,code", [
    ("Egenmonitorering har diskuterats men inget beslut har fattats.", "egenmonitorering"),
    ("Mobila team har diskuterats i styrgruppen, men kommunen har inte fattat något beslut.", "mobila_team"),
    ("Förslaget om en äldremottagning avslogs av nämnden.", "aldremottagning"),
])
def test_only_discussed_or_rejected_measures_do_not_count(tagger, text, code):
    res, ev = first(tagger, text, code)
    assert ev.negated
    assert code not in res.codes


@pytest.mark.parametrize("text,present,negated", [
    ("Mobila team: nej", set(), {"mobila_team"}),
    ("Mobila team: ja. Patientkontrakt: nej.", {"mobila_team"}, {"patientkontrakt"}),
    # "Nej" before a measure answers something else
    ("Nej, men vi har mobila team i hela kommunen.", {"mobila_team"}, set()),
])
def test_closed_answer_nej_negates_the_measure_before_it(tagger, text, present, negated):
    res = tagger.tag_texts([text])[0]
    assert set(res.codes) == present
    assert {e.code for e in res.evidence if e.negated} == negated
