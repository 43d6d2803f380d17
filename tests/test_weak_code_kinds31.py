"""The error kinds of the weak codes on blind_round17-20 (issue 13, round tag31): the codebook's words for them, on
sentences written for these tests (no sentence of an evaluation set)."""
from __future__ import annotations

import pytest

from tests.helpers.tagging import codes, tagger  # noqa: F401 (tagger is a fixture)


@pytest.mark.parametrize("text,code", [
    # a partner organisation named beside another measure: the joint launch is that measure's
    ("Kommunen har tillsammans med vårdcentralen öppnat en träffpunkt för äldre i Björkby.",
     "samverkan_verksamhetsnara"),
    ("Hemtjänsten har tillsammans med hälsocentralerna infört digital tillsyn nattetid.",
     "samverkan_verksamhetsnara"),
    # a post shared or co-funded by the two principals is resourcing, not a collaboration structure
    ("Från mars finns en gemensam tjänst som dietist i kommunens hemsjukvård och på vårdcentralen.",
     "samverkan_verksamhetsnara"),
    ("Kommunerna har inrättat två gemensamt finansierade tjänster som hjälpmedelskonsulent.",
     "samverkan_verksamhetsnara"),
    ("Logopeden har en tjänst delad mellan kommunen och hälsocentralen.", "samverkan_verksamhetsnara"),
    # home visits by the staff of another measure are not a mobile team
    ("Diabetessjuksköterskan gör hembesök hos brukare med insulin en gång i månaden.", "mobila_team"),
    ("Rehabpersonalen gör hembesök för att träna förflyttningar med brukaren.", "mobila_team"),
    # a nurse where home care is given is not a team going out
    ("Kommunens sjuksköterskor har fått utbildning i vård av döende i hemmet.", "mobila_team"),
    # state money named as the funding of another measure
    ("Hälsokommunikatörerna i Gottsunda finansieras med statliga medel under två år.", "resurser_ersattning"),
])
def test_the_kinds_no_longer_propose_the_code(tagger, text, code):
    assert code not in codes(tagger, text)


@pytest.mark.parametrize("text,code", [
    # staff of both principals working together still count
    ("Kommunens sjuksköterskor sitter tillsammans med vårdcentralens distriktssköterskor två dagar i veckan.",
     "samverkan_verksamhetsnara"),
    # a shared post is still resourcing
    ("Kommunen och regionen har inrättat en gemensam tjänst som arbetsterapeut.", "resurser_ersattning"),
    # a team or a doctor at the patient's home, nurses and doctors making home visits: still a mobile team
    ("Patienterna följs upp i hemmet av ett team med läkare och sjuksköterskor.", "mobila_team"),
    ("Läkare och sjuksköterska från vårdcentralen gör hembesök hos de mest sjuka äldre.", "mobila_team"),
    # state money moved or added is still resourcing
    ("Regionen har tillfört statliga medel till hemsjukvården i glesbygden.", "resurser_ersattning"),
])
def test_the_code_is_still_proposed_where_it_applies(tagger, text, code):
    assert code in codes(tagger, text)
