"""The labelling decisions of data/training/README.md, in the training data and in the shipped tagging (rules,
disposer and proposer), on sentences written for the tests: a rehabilitation measure only dated by discharge is
rehabilitation, not utskrivning; co-location of two organisations' staff is resurser_ersattning; task shifting
written without the codebook's words is found as resurser_ersattning."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.tagging import default_disposer, default_proposer
from nlp.codebook import default_codebook
from nlp.tagger import Tagger

TRAINING = Path(__file__).resolve().parents[1] / "data" / "training"


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    cb = default_codebook()
    return Tagger(cb, disposer=default_disposer(cb), proposer=default_proposer())


def _codes(tagger: Tagger, text: str) -> set[str]:
    return set(tagger.tag_texts([text])[0].codes)


@pytest.mark.parametrize("text", [
    "Vardagsrehabilitering i hemmet startar nu direkt efter utskrivningen för alla som fått nytt behov av hemtjänst.",
    "Efter utskrivningen erbjuds alla med höftfraktur träning hemma med kommunens rehabpersonal.",
])
def test_rehabilitation_only_dated_by_discharge_is_not_utskrivning(tagger, text):
    codes = _codes(tagger, text)
    assert "rehabilitering_habilitering" in codes
    assert "utskrivning" not in codes


def test_the_discharge_process_itself_stays_utskrivning(tagger):
    text = "Utskrivningsklara patienter hämtas nu hem samma dag av kommunens hemgångsteam."
    assert "utskrivning" in _codes(tagger, text)


def test_co_location_of_two_organisations_staff_is_resurser(tagger):
    text = ("I Ödeshög har kommunens sjuksköterskor och vårdcentralens distriktssköterskor flyttat in i samma hus "
            "under hösten.")
    assert {"resurser_ersattning", "samverkan_verksamhetsnara"} <= _codes(tagger, text)


def test_task_shifting_without_the_codebooks_words_is_resurser(tagger):
    text = "Sjuksköterskorna har avlastats genom att vårdadministratörer tagit över journalskrivning och bokning."
    assert "resurser_ersattning" in _codes(tagger, text)


def _training() -> dict[str, list[str]]:
    out = {}
    for f in sorted(TRAINING.glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                out[d.get("id") or d["text"]] = d["codes"]
    return out


def test_training_passages_follow_the_decisions():
    got = _training()
    for pid in ("dt4_095", "dt4_224", "dt5_070", "dt7c_231", "Hemrehabilitering erbjuds direkt efter utskrivning från sjukhuset."):
        assert "rehabilitering_habilitering" in got[pid] and "utskrivning" not in got[pid], pid
    for pid in ("dt7c_355", "dt5_224"):  # handover before discharge, a call that follows up the discharge
        assert "utskrivning" in got[pid], pid
    for pid in ("pr16_002", "d11_0076", "d10_0056", "g13_0013"):
        assert "resurser_ersattning" in got[pid], pid
