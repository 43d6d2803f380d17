"""Questionnaire definitions: the 2022 kommun form as data, the reconstructed region form, loading errors."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from reference import forms
from reference.forms import FormError, default_forms, form_by_id, form_for_type, load_form

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FORM_TXT = SHARED / "form" / "slutredovisning-kommuner-2022.txt"

KOMMUN_IDS = ["1", "2", "3", "4", "5a", "5b", "6", "7", "8a", "8b", "9a", "9b", "10a", "10b", "11a", "11b",
              "12a", "12b", "13a", "13b", "14", "15a", "15b", "16a", "16b"]


def _squash(text: str) -> str:
    """Letters only, so the form's line wrapping and hyphenation do not matter."""
    return re.sub(r"[^a-zåäöé0-9]", "", text.lower())


def test_kommun_form_has_questions_1_to_16b_in_order():
    form = form_by_id("kommun-2022")
    assert form.ids == KOMMUN_IDS
    assert all(q.form == "kommun-2022" for q in form.questions)
    assert not form.reconstructed


def test_closed_questions_and_their_options():
    form = form_by_id("kommun-2022")
    closed = [q.id for q in form.questions if q.closed]
    assert closed == ["1", "2", "4", "9a"]
    assert form.question("1").options == (
        "Ja",
        "Ja, men arbete pågår med att revidera målbilden",
        "Nej, och inget förslag finns framtaget",
        "Nej, men förslag finns framtaget men är inte ännu beslutad av alla berörda parter",
    )
    assert form.question("4").options[-1] == "Nej, ingen"
    assert form.question("9a").options[0] == "I alla länets kommuner"
    assert all(not q.options for q in form.questions if not q.closed)


def test_wording_and_options_appear_in_the_shared_form_text():
    if not FORM_TXT.exists():
        pytest.skip("../shared/form saknas")
    source = _squash(FORM_TXT.read_text(encoding="utf-8"))
    form = form_by_id("kommun-2022")
    for q in form.questions:
        assert _squash(q.text) in source, q.id
        for opt in q.options:
            assert _squash(opt) in source, (q.id, opt)
    for s in form.sections:
        assert _squash(s.area) in source, s.area
        if s.intro:
            assert _squash(s.intro) in source, s.key


def test_areas_of_questions():
    form = form_by_id("kommun-2022")
    assert form.question("6").area == "Generella insatser utifrån ett personcentrerat förhållningssätt"
    assert form.question("8a").area.startswith("Insatser för att öka delaktighet")
    assert form.question("13b").area == "Undvik slutenvård genom proaktiva arbetssätt"
    assert form.question("16a").area == "Goda förutsättningar för vårdens medarbetare"
    assert len(form.sections) == 9


def test_region_form_is_marked_reconstructed_and_has_region_only_questions():
    form = form_by_id("region-2022")
    assert form.reconstructed
    assert "region" in form.respondent_types
    assert "läkarkontakt" in form.question("8c").text
    assert "ambulanssjukvården" in form.question("13c").text
    kommun = form_by_id("kommun-2022")
    assert {s.area for s in form.sections} == {s.area for s in kommun.sections}


def test_default_forms_and_lookup_by_type():
    ids = [f.id for f in default_forms()]
    assert ids[0] == "kommun-2022" and "region-2022" in ids
    assert form_for_type("region").id == "region-2022"
    assert form_for_type("rss").id == "kommun-2022"
    assert form_for_type(None).id == "kommun-2022"
    with pytest.raises(KeyError):
        form_by_id("kommun-1999")


def test_question_lookup_accepts_heading_variants():
    form = form_by_id("kommun-2022")
    assert form.question("Fråga 9 a)").id == "9a"
    assert form.question("5A").id == "5a"
    assert form.question("17") is None


def test_match_option():
    form = form_by_id("kommun-2022")
    assert form.match_option("1", "☒ Ja") == "Ja"
    assert form.match_option("1", "ja, men arbete pågår") == "Ja, men arbete pågår med att revidera målbilden"
    assert form.match_option("1", "Nej") is None  # two options start with "Nej": not guessed
    assert form.match_option("5a", "Ja") is None


def test_new_form_is_a_new_file(tmp_path):
    p = tmp_path / "kommun_2023.yaml"
    p.write_text(
        "id: kommun-2023\nname: Test 2023\nyear: 2023\nrespondent_types: [kommun]\nsections:\n"
        "  - key: a\n    area: Område A\n    questions:\n"
        "      - {id: '1', text: 'Finns en plan?', options: [Ja, Nej]}\n"
        "      - {id: 2b, text: 'Beskriv planen.'}\n",
        encoding="utf-8",
    )
    form = load_form(p)
    assert form.ids == ["1", "2b"]
    assert form.question("1").closed and form.question("1").options == ("Ja", "Nej")
    assert not form.question("2b").closed


@pytest.mark.parametrize(
    "content, needle",
    [
        ("", "YAML-mappning"),
        ("id: x\nsections: [", "ogiltig YAML"),
        ("id: x\nname: y\n", "saknar avsnitt"),
        ("name: y\nsections: [{area: A, questions: [{id: '1', text: t}]}]\n", "saknar id"),
        ("id: x\nsections: [{area: A, questions: [{id: 'fem', text: t}]}]\n", "ogiltigt fråge-id"),
        ("id: x\nsections: [{area: A, questions: [{id: '1', text: t}, {id: '1', text: u}]}]\n", "två gånger"),
        ("id: x\nsections: [{area: A, questions: [{id: '1', text: t, closed: true}]}]\n", "saknar svarsalternativ"),
        ("id: x\nsections: [{area: A, questions: [{id: '1'}]}]\n", "saknar text"),
    ],
)
def test_invalid_form_files_give_swedish_messages(tmp_path, content, needle):
    p = tmp_path / "trasig.yaml"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(FormError) as err:
        load_form(p)
    assert "trasig.yaml" in str(err.value) and needle in str(err.value)


def test_question_sort_key_orders_numerically():
    assert sorted(["10a", "2", "5b", "5a", "16b", "1"], key=forms.question_sort_key) == [
        "1", "2", "5a", "5b", "10a", "16b"]
