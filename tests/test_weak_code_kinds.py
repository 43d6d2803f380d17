"""The error kinds of the weak codes on unseen answers (issue 13, blind_round17-19 diagnosed): the codebook's
words for them and the disposer's cues, on sentences written for these tests."""
from __future__ import annotations

import pytest

from nlp.disposer_features import sentence_markers
from tests.helpers.tagging import codes, tagger  # noqa: F401 (tagger is a fixture)


@pytest.mark.parametrize("text,code", [
    # a mobile team written as its abbreviation only
    ("Vårt MNT gör hembesök hos sköra äldre två dagar i veckan.", "mobila_team"),
    ("Startat i år:\n- MNT i södra länsdelen\n- ny rutin för läkemedelsgenomgångar", "mobila_team"),
    ("Regionens MPT tar nu emot remisser även från kommunens sjuksköterskor.", "mobila_team"),
    # a patient or disease association named as "X-föreningen" takes part in the development work
    ("Materialet har tagits fram tillsammans med Reumatikerföreningen.", "brukarmedverkan_invanardialog"),
    ("Parkinsonföreningen och Astmaföreningen deltar i arbetsgruppen.", "brukarmedverkan_invanardialog"),
    # the people taking part are parents or village associations; a panel of users
    ("Föräldrar har varit med och tagit fram öppettiderna.", "brukarmedverkan_invanardialog"),
    ("Tiderna för bussen bestämdes vid dialogmöten med byalagen.", "brukarmedverkan_invanardialog"),
    ("En brukarpanel granskar nu allt nytt informationsmaterial.", "brukarmedverkan_invanardialog"),
    # staff of both huvudmän working together where the vårdcentral is called hälsocentral
    ("Hälsocentralen och kommunens hemsjukvård delar nu expedition.", "samverkan_verksamhetsnara"),
    ("Hemsjukvården och hälsocentralerna har en arbetsgrupp som ses varje månad.", "samverkan_verksamhetsnara"),
    # shared premises are still premises
    ("Sedan i höstas delar vårdcentralen och hemsjukvården en gemensam lokal i centrum.", "resurser_ersattning"),
])
def test_the_words_of_the_weak_codes_propose_them(tagger, text, code):
    assert code in codes(tagger, text)


@pytest.mark.parametrize("text,code", [
    # "lokal" as the adjective of a local group or routine is not premises
    ("Kommunen och vårdcentralen har en gemensam lokal samverkansgrupp som träffas varje månad.",
     "resurser_ersattning"),
    ("I länet finns gemensamma lokala samverkansgrupper i alla kommuner.", "resurser_ersattning"),
    ("Region och kommun har tagit fram gemensamma lokala rutiner för hemsjukvården.", "resurser_ersattning"),
    # an association that is not of patients, users or relatives
    ("Bostadsrättsföreningen har bytt hiss under året.", "brukarmedverkan_invanardialog"),
    ("Idrottsföreningen har fått nya lokaler.", "brukarmedverkan_invanardialog"),
    # parents named without taking part in the work
    ("Föräldrar får information om vaccinationer vid besöket.", "brukarmedverkan_invanardialog"),
    # MNT inside another word or in lower case is no abbreviation
    ("Mntsystemet uppdaterades i maj.", "mobila_team"),
])
def test_the_new_words_stay_within_their_limits(tagger, text, code):
    assert code not in codes(tagger, text)


@pytest.mark.parametrize("sentence,marker", [
    # a measure that stood still: no work on it this year
    ("Mobila team finns i två kommuner, oförändrat sedan 2021.", "m_stop"),
    ("Mobilt team: oförändrat.", "m_stop"),
    ("Närvårdsteamet finns kvar men utan utveckling under året.", "m_stop"),
    ("Det har inte skett någon förändring, och ingen utveckling av äldremottagningen är planerad.", "m_stop"),
    # a measure only named as an area to develop
    ("Mobila team pekas ut som ett utvecklingsområde till 2025.", "m_discuss"),
])
def test_a_measure_that_stood_still_or_is_only_an_area_to_develop_is_read(sentence, marker):
    assert sentence_markers(sentence).get(marker) == 1.0


def test_a_measure_that_grew_is_not_read_as_stood_still():
    got = sentence_markers("Mobila team finns nu i två kommuner och har utvecklats under året.")
    assert "m_stop" not in got and "m_discuss" not in got
