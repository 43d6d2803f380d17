"""Rounds: the pure change rules, round labels and detection, and question mappings between forms."""
from __future__ import annotations

import pytest

from models.change import ABSENT, RoundState, classify, compare, most_advanced, state_of, STATUS_ORDER
from models.rounds import (MappingError, detect_round, label_problem, load_mapping, mapping_between,
                           round_forms, sort_rounds, text_head)


def S(status="okänd", scope="okänd") -> RoundState:
    return RoundState(True, status, scope)


@pytest.mark.parametrize("before, after, expected", [
    (ABSENT, S("pågående"), "new"),
    (S("genomförd"), ABSENT, "no_longer_mentioned"),
    (S("planerad"), S("pågående"), "advanced"),
    (S("pågående", "projekt/pilot"), S("pågående", "breddinförd"), "advanced"),
    (S("planerad", "projekt/pilot"), S("genomförd", "breddinförd"), "advanced"),
    (S("genomförd"), S("planerad"), "regressed"),
    (S("genomförd", "breddinförd"), S("genomförd", "projekt/pilot"), "regressed"),
    # one moved forward, the other back: regressed
    (S("planerad", "breddinförd"), S("genomförd", "projekt/pilot"), "regressed"),
    (S("pågående", "projekt/pilot"), S("pågående", "projekt/pilot"), "unchanged"),
    # 'okänd' has no position: no move either way
    (S("okänd", "projekt/pilot"), S("genomförd", "projekt/pilot"), "unchanged"),
    (S("genomförd", "okänd"), S("okänd", "breddinförd"), "unchanged"),
    (S("okänd", "okänd"), S("okänd", "okänd"), "unchanged"),
    # projekt and pilot are the same position
    (S("pågående", "pilot"), S("pågående", "projekt"), "unchanged"),
])
def test_classify_every_change_kind(before, after, expected):
    assert classify(before, after) == expected


def test_absent_in_both_is_no_row():
    assert classify(ABSENT, ABSENT) is None


def test_several_codings_take_the_most_advanced_status_and_scope_each():
    state = state_of([("planerad", "breddinförd"), ("genomförd", "okänd"), ("okänd", "projekt/pilot")])
    assert state == RoundState(True, "genomförd", "breddinförd")
    assert state_of([("okänd", "okänd")]) == RoundState(True, "okänd", "okänd")
    assert state_of([]) == ABSENT
    assert most_advanced(["okänd", None], STATUS_ORDER) == "okänd"


def test_compare_rows_with_a_respondent_in_only_one_round():
    people = {1: ("Region Dalarna", "region", "Dalarnas län"), 2: ("Region Halland", "region", "Hallands län")}
    before = [(1, "mobila_team", "pågående", "projekt/pilot"), (1, "sip", "genomförd", "okänd")]
    after = [(1, "mobila_team", "genomförd", "okänd"), (2, "mobila_team", "planerad", "okänd")]
    rows = {(r.respondent, r.code): r for r in compare(before, after, people)}
    assert set(rows) == {("Region Dalarna", "mobila_team"), ("Region Dalarna", "sip"),
                         ("Region Halland", "mobila_team")}
    assert rows[("Region Dalarna", "mobila_team")].change == "advanced"
    assert rows[("Region Dalarna", "sip")].change == "no_longer_mentioned"
    only_after = rows[("Region Halland", "mobila_team")]
    assert only_after.change == "new"
    assert only_after.record() == {
        "respondent": "Region Halland", "respondent_type": "region", "lan": "Hallands län", "code": "mobila_team",
        "from": {"present": False, "status": None, "scope": None},
        "to": {"present": True, "status": "planerad", "scope": "okänd"}, "change": "new"}


# ------------------------------------------------------------------ labels
def test_round_labels_sort_chronologically_and_are_detected():
    assert sort_rounds(["2022", "2021", "2022-del", "2023-del", "extra"]) == \
        ["2021", "2022-del", "2022", "2023-del", "extra"]
    assert detect_round("RSS_Jamtland_Harjedalen_slutredovisning_2022.pdf") == "2022-slut"
    assert detect_round("region_x_delredovisning_2023.docx") == "2023-del"
    assert detect_round("Region_Dalarna_2022.docx") == "2022"
    # a year in the name and the form's title in the text: the title says del/slut (same year only)
    title = "Region Uppsala Slutredovisning av kommunernas arbete inom ramen för god och nära vård 2022"
    assert detect_round("Region_Uppsala_2022.docx", title) == "2022-slut"
    assert detect_round("Region_Uppsala_2023.docx", title) == "2023"
    assert detect_round("Region_Uppsala_2022.docx", "Region Uppsala, svar 2022") == "2022"
    fpdf = pytest.importorskip("fpdf")
    doc = fpdf.FPDF()
    doc.add_page()
    doc.set_font("Helvetica", size=11)
    doc.cell(0, 6, "Region Halland - Slutredovisning 2022", new_x="LMARGIN", new_y="NEXT")
    pdf = bytes(doc.output())
    assert detect_round("Region_Halland_2022.pdf", text_head("Region_Halland_2022.pdf", pdf)) == "2022-slut"
    assert text_head("trasig.pdf", b"%PDF-1.4 trasig") == ""
    assert detect_round("svar.txt", "Delredovisning av kommunernas arbete 2023\n...") == "2023-del"
    assert detect_round("svar.txt", "inga årtal här") is None
    assert detect_round("svar.txt", "Redovisning av kommunernas arbete inom ramen för god och nära vård 2021") == "2021"
    # "del" and years in answer text are ordinary words, not a round
    assert detect_round("svar.txt", "En del av arbetet startade 2021 och till stor del 2022.") is None
    assert label_problem("2022-del") is None and label_problem("x" * 41)


# ------------------------------------------------------------------ mappings
def test_shipped_mapping_splits_2021_question_5_into_5a_and_5b():
    m = mapping_between("2021", "2022")
    assert m is not None and (m.from_form, m.to_form) == ("kommun-2021", "kommun-2022")
    assert m.forward("5") == ("5a", "5b")
    assert m.backward("5b") == ("5",) and m.backward("5a") == ("5",)
    assert m.splits()["5"] == ("5a", "5b")
    assert m.forward("12") == ("14",)  # renumbered
    assert m.backward("7") == ()  # new in 2022
    assert m.related("5b", "2022") == ({"5"}, {"5a", "5b"})
    back = mapping_between("2022", "2021")
    assert back.forward("5a") == ("5",) and back.forward("5b") == ("5",)
    # half-year rounds fall back to their year's forms
    assert mapping_between("2021", "2022-del").forward("5") == ("5a", "5b")
    assert mapping_between("2019", "2020") is None


def test_every_mapped_question_exists_in_its_form():
    forms = {f.id: f for f in round_forms()}
    m = mapping_between("2021", "2022")
    assert set(m.pairs) == set(forms["kommun-2021"].ids)
    assert {t for tos in m.pairs.values() for t in tos} <= set(forms["kommun-2022"].ids)


def test_a_mapping_naming_an_unknown_question_is_refused(tmp_path):
    bad = tmp_path / "fel.yaml"
    bad.write_text('from: {round: "2021", form: kommun-2021}\nto: {round: "2022", form: kommun-2022}\n'
                   'questions:\n  "5": [5a, 5x]\n', encoding="utf-8")
    forms = {f.id: f for f in round_forms()}
    with pytest.raises(MappingError, match="fel.yaml.*5x"):
        load_mapping(bad, forms)
    bad.write_text("questions: {}\n", encoding="utf-8")
    with pytest.raises(MappingError, match="fel.yaml"):
        load_mapping(bad)
