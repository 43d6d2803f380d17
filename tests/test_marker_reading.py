"""One reading of markers for a rule hit and for a code the proposer adds: negation, cancellation, delay,
status and scope are found by ``nlp.tagger.read_markers`` in both paths.

Every sentence here is written for this test (no sentence of any evaluation set): local joint work of a health
centre and the kommun's elderly care told without the codebook's words (the rules miss it, the proposer adds
it), and a mobile team named with the codebook's words (a rule hit)."""
from __future__ import annotations

import copy

import pytest

from nlp import markers as mk
from nlp.proposer import load_bundled_proposer

CODE = "samverkan_verksamhetsnara"
# the paraphrase of the proposer's tests, in the past tense, then one clause that turns it around
# ("de patienter de delar" became a codebook word on 7 Dec 2026, round train40: the paraphrase ends otherwise)
PARA = ("Hälsocentralen och äldreomsorgen i kommunen bildade en gemensam grupp som sågs varje månad för att lösa "
        "praktiska frågor kring de patienter som båda har ansvar för")
RULE = "Ett mobilt team startades i kommunen under våren"


@pytest.fixture(scope="module")
def tag():
    from models.tagging import default_disposer
    from nlp.tagger import Tagger

    m = load_bundled_proposer()
    if m is None:
        pytest.skip("no shipped proposer")
    eager = copy.copy(m)  # the mechanism needs a paraphrase it adds (see tests/test_proposer.py)
    eager.threshold, eager.thresholds = 0.8, {}
    t = Tagger(disposer=default_disposer(), proposer=eager)
    return lambda texts: t.tag_texts(texts)


def _model(res, code=CODE):
    return [e for e in res.evidence if e.code == code and e.origin == "model"]


def test_every_marker_kind_is_a_phrase_of_the_index():
    kinds = {k for _, k, _ in mk.marker_phrases({})}
    assert kinds == {"neg", "cancel", "delay", "status", "scope"}
    delays = {p for p, k, _ in mk.marker_phrases({}) if k == "delay"}
    assert {"skjutits upp", "pausades", "vilande"} <= delays
    # a delay cue never starts with a negation or status word (it would shadow that marker)
    first = {p.split()[0] for p, k, _ in mk.marker_phrases({}) if k in ("neg", "status")}
    assert not any(p.split()[0] in first for p in delays)


def test_the_proposer_adds_the_code_from_a_plain_sentence(tag):
    res = tag([PARA + "."])[0]
    assert CODE in res.codes and _model(res)[0].status == "genomförd"


@pytest.mark.parametrize("tail", [", men gruppen lades ned efter ett halvår.",
                                  ", men arbetet avbröts efter ett halvår.",
                                  ", men kommunen valde att inte gå vidare efter ett halvår."])
def test_a_cancelled_measure_loses_a_proposed_code_as_it_does_a_rule_code(tag, tail):
    para, rule = tag([PARA + tail, RULE + tail])
    assert CODE not in para.codes and not _model(para)
    # the rule hit of the same shape is negated by the same cue
    assert "mobila_team" not in rule.codes
    assert all(e.negated for e in rule.evidence if e.code == "mobila_team")


def test_a_negated_measure_loses_a_proposed_code(tag):
    res = tag([PARA.replace("bildade", "har aldrig bildat") + "."])[0]
    assert CODE not in res.codes


@pytest.mark.parametrize("tail", [", men gruppen har pausats sedan i höstas.",
                                  ", men starten har skjutits upp till nästa år.",
                                  ", men arbetet ligger vilande i väntan på nya pengar."])
def test_a_delayed_measure_loses_a_proposed_code_as_it_does_a_rule_code(tag, tail):
    para, rule = tag([PARA + tail, RULE + tail])
    assert CODE not in para.codes and not _model(para)
    assert "mobila_team" not in rule.codes  # the disposer drops the rule hit (its delay features)


def test_a_delay_cue_does_not_negate_a_rule_hit():
    """The rules read a delay cue as no negation: whether the hit stays is the disposer's decision."""
    from nlp.tagger import Tagger

    res = Tagger().tag_texts([RULE + ", men arbetet har pausats under sommaren."])[0]
    hits = [e for e in res.evidence if e.code == "mobila_team"]
    assert hits and not any(e.negated for e in hits)

