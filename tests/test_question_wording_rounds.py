"""A 2021 round's answers are labelled with the 2021 form's question wording (data/forms/2021), not with the
2022 form's (which numbers its questions differently) nor left without any (qa33)."""
from __future__ import annotations

import shutil

import pytest

from models import question_texts as qt
from models.store import ProjectStore
from reference.forms import forms_of_year
from tests.helpers.apptest import open_page
from tests.test_app_pages import sample_project  # noqa: F401


def _form_2021() -> dict[str, str]:
    (form,) = forms_of_year(2021, current=False)
    return {q.id: " ".join(q.text.split()) for q in form.questions}


def test_a_round_gets_its_years_form_wording_and_the_current_round_the_projects():
    w2021 = _form_2021()
    current = {"5a": "Femte a", "7": "Sjunde 2022", "1": "Första"}
    wordings = qt.round_wordings(current, ["2021", "2022", ""])
    assert qt.wording(wordings, current, "2021", "5") == w2021["5"]  # not in the 2022 form at all
    assert qt.wording(wordings, current, "2021", "7") == w2021["7"] != "Sjunde 2022"  # same id, other question
    assert qt.wording(wordings, current, "2022", "7") == "Sjunde 2022"
    assert qt.wording(wordings, current, "", "7") == "Sjunde 2022"  # no round: the project's wording
    assert qt.wording(wordings, current, "2021", "5a") == "Femte a"  # an id the 2021 form lacks
    labels = qt.question_texts(current, [("2021", "5"), ("2021", "7"), ("2022", "7"), ("2022", "5a")])
    assert labels["5"] == w2021["5"] and labels["5a"] == "Femte a"
    assert labels["7"] == f"2022: Sjunde 2022 · 2021: {w2021['7']}"


def test_a_question_asked_alike_in_both_rounds_has_one_label():
    assert qt.combine([("2021", "1", "Samma"), ("2022", "1", "Samma"), ("2022", "2", "Två")]) == {
        "1": "Samma", "2": "Två"}


def test_question_label_cuts_each_rounds_wording():
    from ui.texts import question_label

    label = question_label("7", {"7": "2022: " + "a" * 80 + " · 2021: " + "b" * 80}, 50)
    assert label.startswith("fråga 7 – 2022: aaa") and " · 2021: bbb" in label and len(label) < 80


@pytest.fixture()
def project(sample_project, tmp_path):  # noqa: F811
    copy = tmp_path / "p.sqlite"
    shutil.copy(sample_project, copy)
    return copy


def test_excerpts_and_answers_of_2021_show_the_2021_wording(project, tmp_path):
    from models import views

    w2021 = _form_2021()
    store = ProjectStore(project)
    frame = views.excerpt_frame(store, decisions=None)
    asked_2021 = {a for a, r in zip(store.answer_frame()["question"], store.answer_frame()["round"]) if r == "2021"}
    store.close()
    assert {"5", "7"} <= asked_2021  # the sample has 2021 answers to questions numbered the 2021 way
    old = frame[frame["round"] == "2021"]
    assert len(old) and all(t == w2021[q] for q, t in zip(old["question_id"], old["question_text"]))

    at = open_page(project, "svar", folder=tmp_path)
    table = at.dataframe[0].value
    old = table[table["omgång"] == "2021"]
    assert len(old) and all(t == w2021[q] for q, t in zip(old["fråga"], old["frågetext"])), old[["fråga", "frågetext"]]
    new = table[(table["omgång"] == "2022") & (table["fråga"] == "7")]
    assert len(new) and all(t != w2021["7"] for t in new["frågetext"])
    box = next(m for m in at.multiselect if m.label == "Fråga")
    assert any(o.startswith("fråga 5 – Beskriv insatser och målgrupper") for o in box.options), box.options
    assert any(o.startswith("fråga 7 – 2022: ") and " · 2021: " in o for o in box.options), box.options
