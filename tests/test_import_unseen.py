"""Answer files of kinds the other import tests do not build (QA pass qa18): each test fails without its fix."""
from __future__ import annotations

from importers.base import read_file


def _answers(data: bytes, name: str) -> dict[str, tuple[str, object]]:
    parsed = read_file(data, name)
    return {a.question: (a.text, a.choice) for a in parsed.answers}


def test_text_heading_going_back_in_form_order_with_abbreviated_wording_starts_its_question():
    # a sender answers 13a first, then "6) Beskriv digitalisering": the id goes backwards and the wording is
    # shortened; it was read as a list item of 13a's answer and question 6 was lost
    text = ("Region Norrbotten\n\n"
            "13a) Beskriv insatser kopplat till undvikbar slutenvård\n\n"
            "Mobila team planeras i Luleå under 2022.\n\n"
            "6) Beskriv digitalisering\n\n"
            "Distansmonitorering testas i Pajala.\n")
    got = _answers(text.encode(), "region_norrbotten.txt")
    assert got == {"13a": ("Mobila team planeras i Luleå under 2022.", None),
                   "6": ("Distansmonitorering testas i Pajala.", None)}


def test_numbered_list_inside_an_answer_stays_in_the_answer():
    # the guard of the fix above: "1. Vi har ..." items under 5a are the answer's list, not questions 1 and 2
    text = ("Region Norrbotten\n\n"
            "5a) Beskriv insatser, verksamheter och målgrupper som prioriterats\n\n"
            "Följande har gjorts:\n"
            "1. Vi har infört mobila team i Luleå.\n"
            "2. Handlingsplan för äldre beslutad i regionen.\n")
    got = _answers(text.encode(), "region_norrbotten.txt")
    assert list(got) == ["5a"]
    assert "Handlingsplan för äldre" in got["5a"][0]
