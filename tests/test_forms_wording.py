"""Question ids in headings and recognising form text (never answers)."""
from __future__ import annotations

import pytest

from reference.forms import is_question_wording, normalise_question_id


@pytest.mark.parametrize(
    "heading, qid",
    [
        ("5a.", "5a"),
        ("5a.\t", "5a"),
        ("5a.\tBeskriv insatser", "5a"),
        ("5 a)", "5a"),
        ("5 A)", "5a"),
        ("Fråga 8 a)", "8a"),
        ("Fråga 14:", "14"),
        ("fraga 14", "14"),
        ("5A", "5a"),
        ("5a Personcentrerat förhållningssätt", "5a"),
        ("14. Här finns möjlighet", "14"),
        ("10b) Resultat", "10b"),
        ("## 13a Beskriv", "13a"),
        ("**16b.** Beskriv", "16b"),
        ("Q5a", "5a"),
        ("7\tBeskriv", "7"),
        ("3 Beskriv hur systemledningen", "3"),
    ],
)
def test_heading_variants(heading, qid):
    assert normalise_question_id(heading) == qid


@pytest.mark.parametrize(
    "text",
    ["", "2022", "2022 startade vi", "3 mobila team har startats", "1,5 miljoner kronor", "1.5 tjänster",
     "99 luftballonger", "0.", "Vi har", "5 a mobila team", "SIP 5a"],
)
def test_not_question_ids(text):
    assert normalise_question_id(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "5a. Beskriv insatser, verksamheter och målgrupper som prioriterats under året kopplat till det",
        "Beskriv kortfattat det arbete som genomförts under året för att stimulera vidareutbildning av sjuksköterskor.",
        "Har kommunerna i länet en kommunspecifik handlingsplan kopplat till målbil-den?",
        "Från Överenskommelsen: Regioner och kommuner ska arbeta för att utveckla samverkan",
        "Från överenskommelsen:",
        "Hälso- och sjukvården ska så långt som möjligt utformas och genomföras i samråd med patienten.",
        "Samverkan mellan regioner och kommuner",
        "Klicka eller tryck här för att ange text.",
        "Lämna gärna en kommentar här:",
        "Tack för dina svar!",
        "• Stärka förutsättningarna för ledarskapet.",
        "Utbilda vårdens framtida medarbetare",
        "Fråga 14:",
        "Slutredovisning av kommunernas arbete inom ramen för god och nära vård 2022",
    ],
)
def test_form_text_is_recognised(text):
    assert is_question_wording(text)


@pytest.mark.parametrize(
    "text",
    [
        "Vi har infört mobila team i hela länet.",
        "Ja",
        "Kommunerna har arbetat med utveckling av goda förutsättningar för vårdens medarbetare genom "
        "introduktionsprogram för undersköterskor.",
        "Samverkan mellan regioner och kommuner har utvecklats genom ett gemensamt ledningsforum.",
        "3 mobila team har startats under året.",
        "5a. Vi har prioriterat äldre med omfattande behov.",
    ],
)
def test_answers_are_not_form_text(text):
    assert not is_question_wording(text)


def test_wording_of_a_given_form_only(tmp_path):
    from reference.forms import load_form

    p = tmp_path / "liten.yaml"
    p.write_text("id: liten-2030\nsections:\n  - area: Område\n    questions:\n"
                 "      - {id: '1', text: 'Beskriv hur ni arbetar med framtidens digitala hälsocentraler.'}\n",
                 encoding="utf-8")
    form = load_form(p)
    assert is_question_wording("Beskriv hur ni arbetar med framtidens digitala hälsocentraler.", [form])
    assert not is_question_wording("Beskriv hur ni arbetar med framtidens digitala hälsocentraler.")
    assert not is_question_wording("Tack för dina svar!", [form])


@pytest.mark.parametrize("template", ["{id}.", "{id}.\t", "{n} {l})", "Fråga {n} {l})", "Fråga {id}:", "{ID}",
                                      "{id} {text}", "{id}. {text}", "## {id} {text}"])
def test_every_form_id_in_every_heading_style(template):
    from reference.forms import default_forms

    for form in default_forms():
        for q in form.questions:
            n = "".join(ch for ch in q.id if ch.isdigit())
            heading = template.format(id=q.id, ID=q.id.upper(), n=n, l=q.id[len(n):], text=q.text)
            assert normalise_question_id(heading) == q.id, heading
            assert is_question_wording(heading) or "{text}" not in template, heading
