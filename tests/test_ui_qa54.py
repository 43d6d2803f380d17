"""qa54: figures an analyst publishes from Översikt (closed questions per level), the word cloud's verbs, and a
legacy form field's label-like text. Each test builds its own input."""
from __future__ import annotations

import pytest

from models.records import ParsedFile, Question, RawAnswer, Respondent
from models.store import ProjectStore

_RESP = {
    "Region Dalarna": Respondent("Region Dalarna", "region", "Dalarnas län", "20"),
    "Kommunerna i Dalarnas län": Respondent("Kommunerna i Dalarnas län", "rss", "Dalarnas län", "20"),
    "Falu kommun": Respondent("Falu kommun", "kommun", "Dalarnas län", "20", "2080"),
    "Borlänge kommun": Respondent("Borlänge kommun", "kommun", "Dalarnas län", "20", "2081"),
    "Region Skåne": Respondent("Region Skåne", "region", "Skåne län", "12"),
    "Gotlands kommun": Respondent("Gotlands kommun", "kommun", "Gotlands län", "09", "0980"),
}


def _closed_project(path) -> ProjectStore:
    store = ProjectStore(path)
    store.upsert_questions([Question("1", "Finns en beslutad länsgemensam målbild?", closed=True,
                                     options=("Ja", "Ja, men arbete pågår med att revidera målbilden", "Nej"))])
    answers = [("Region Dalarna", "Ja"), ("Kommunerna i Dalarnas län", "Ja"), ("Falu kommun", "Nej"),
               ("Borlänge kommun", "Ja"), ("Region Skåne", "Ja, men arbete pågår med att revidera målbilden"),
               ("Gotlands kommun", "Nej")]
    store.import_parsed(ParsedFile("slutna.xlsx", "xlsx", "sha-qa54-closed", 10, [
        RawAnswer(r, "1", "", choice=c, position=i) for i, (r, c) in enumerate(answers)]), lambda a: _RESP[a.respondent])
    return store


def test_closed_question_choices_count_regions_rss_and_kommuner_apart(tmp_path):
    from models import views
    store = _closed_project(tmp_path / "slutna.sqlite")
    cc = views.closed_question_choices(store, "1")
    # Dalarnas län before: "Ja 3, Nej 1" (region + RSS + a kommun together); now each on its own level
    assert cc.chosen["regions"]["Ja"] == ("Region Dalarna",)
    assert cc.chosen["regions"]["Nej"] == ("Region Gotland",)  # Gotlands kommun answers as the region
    assert cc.chosen["rss"]["Ja"] == ("Dalarnas län",)
    assert cc.chosen["kommuner"] == {"Ja": ("Borlänge kommun",), "Nej": ("Falu kommun",)}
    assert cc.answered_figure("regions") == "3 av 21 regioner"
    assert cc.answered_figure("rss") == "1 av 20 län"
    assert cc.answered_figure("kommuner") == "2 av 290 kommuner"  # the RSS answer never counts as kommuner
    assert [r for r in cc.rows if r[0] == "Dalarnas län"] == [
        ("Dalarnas län", "regions", "Region Dalarna", "Ja"), ("Dalarnas län", "rss", "Kommunerna i Dalarnas län", "Ja"),
        ("Dalarnas län", "kommuner", "Borlänge kommun", "Ja"), ("Dalarnas län", "kommuner", "Falu kommun", "Nej")]
    store.close()


def test_oversikt_closed_question_tables_split_levels_and_stay_narrow(tmp_path):
    from tests.helpers.apptest import open_page
    store = _closed_project(tmp_path / "slutna.sqlite")
    at = open_page(store.path, "oversikt", analyst="Anna Analytiker")
    assert not at.exception, [e.value for e in at.exception]
    frames = [d.value for d in at.dataframe]
    levels = next(f for f in frames if "Svarsalternativ" in f.columns)
    per_lan = next(f for f in frames if "Län" in f.columns)
    # one row per option (not a column per option: the long option names made the old table wider than its frame)
    assert list(levels.columns) == ["Svarsalternativ", "Regioner", "Län (RSS)", "Kommuner"]
    rows = levels.set_index("Svarsalternativ")
    assert rows.loc["Ja"].tolist() == ["1", "1", "1"]
    assert rows.loc["Nej"].tolist() == ["1", "0", "1"]
    assert rows.loc["Har svarat på frågan"].tolist() == ["3 av 21", "1 av 20", "2 av 290"]
    assert list(per_lan.columns) == ["Län", "Nivå", "Respondent", "Val"]
    assert per_lan[per_lan["Län"] == "Dalarnas län"][["Nivå", "Respondent", "Val"]].values.tolist() == [
        ["Region", "Region Dalarna", "Ja"], ["RSS (kommunerna)", "Kommunerna i Dalarnas län", "Ja"],
        ["Kommun (eget svar)", "Borlänge kommun", "Ja"], ["Kommun (eget svar)", "Falu kommun", "Nej"]]
    texts = " ".join(t.value for t in at.text)
    assert "länets gemensamma kommunsvar (RSS) som ett svar för länets kommuner" in texts
    store.close()


# ---------------------------------------------------------------- a legacy field showing a label, not an answer

def _legacy_doc(results: dict) -> bytes:
    import io

    import docx

    from tests.test_import_qa47 import _legacy_field

    d = docx.Document()
    d.add_paragraph("Slutredovisning 2022. Svar från: Region Dalarna")
    for q, result in results.items():
        d.add_paragraph(q)
        _legacy_field(d.add_paragraph(), "FORMTEXT", result=result, default=None)  # no default saved (as a .doc)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("label", ["Svar", "Text", "Ert svar", "[fyll i]", "Ange antal", "<text>"])
def test_a_legacy_field_showing_a_label_is_unanswered_and_named_in_the_report(label):
    # before: 'Svar', 'Text', '[fyll i]', 'Ange antal' were stored as the answer to 7 without a word
    from importers.base import read_file
    from tests.test_import_qa53 import Q3, Q6, Q7, Q8

    parsed = read_file(_legacy_doc({Q3: "Ja", Q7: label, Q6: "12", Q8: "(ej aktuellt)"}), "Region_Dalarna_2022.docx")
    got = {a.question: a.text for a in parsed.answers}
    # real short answers stay answers
    assert got == {"3": "Ja", "6": "12", "8a": "(ej aktuellt)"}, got
    line = [w for w in parsed.warnings if "etikett eller platshållare" in w]
    # qa55: the report names the question the field stands under, then Word's name for the field
    assert len(line) == 1 and f"fråga 7 (fältet Text1): '{label}'" in line[0] \
        and "fältet lästes som obesvarat" in line[0], parsed.warnings


# ---------------------------------------------------------------- a choice that fits several options

def test_a_choice_that_begins_several_options_is_kept_as_written_and_reported():
    # qa54 walk: an export's 'Nej' became 'Nej, och inget förslag finns framtaget' (the first of the two 'Nej, …'
    # options) without a word, though the respondent's comment said a proposal was waiting for a decision
    import io

    import openpyxl

    from importers.base import read_file

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Svar"
    ws.append(["Respondent", "Typ", "Län", "1 Målbild (val)", "1 kommentar"])
    ws.append(["Region Gävleborg", "Region", "Gävleborgs län", "Nej", "Ett förslag väntar på beslut."])
    ws.append(["Region Uppsala", "Region", "Uppsala län", "Ja, men arbete pågår", None])
    buf = io.BytesIO()
    wb.save(buf)
    parsed = read_file(buf.getvalue(), "export.xlsx")
    got = {a.respondent: a.choice for a in parsed.answers}
    assert got == {"Region Gävleborg": "Nej", "Region Uppsala": "Ja, men arbete pågår med att revidera målbilden"}
    assert ("blad 'Svar', cell D2 (kolumn '1 Målbild (val)'): valet 'Nej' (Region Gävleborg, fråga 1) passar flera "
            "av formulärets alternativ ('Nej, och inget förslag finns framtaget'; 'Nej, men förslag finns framtaget "
            "men är inte ännu beslutad av alla berörda parter'); det lästes som det är skrivet och räknas för sig — "
            "kontrollera vilket alternativ som menas") in parsed.warnings, parsed.warnings
    # long layout (CSV) too
    data = ("Respondent;Fråga;Svar;Val\nRegion Västerbotten;1;;Nej\n").encode("utf-8")
    parsed = read_file(data, "svar.csv")
    assert [a.choice for a in parsed.answers] == ["Nej"]
    assert any("rad 2, kolumn 'Val': valet 'Nej' (Region Västerbotten, fråga 1) passar flera" in w
               for w in parsed.warnings), parsed.warnings


def test_oversikt_level_table_says_who_answered_in_its_headers_and_stays_narrow(tmp_path):
    # qa54 walk: each cell said "8 av 11 regioner som svarat (21 totalt)" and the table ran past its frame
    from tests.helpers.apptest import open_page
    from tests.test_coverage_model import _project

    store, _ = _project(tmp_path / "tackning.sqlite")
    at = open_page(store.path, "oversikt", analyst="Anna Analytiker")
    assert not at.exception, [e.value for e in at.exception]
    table = next(d.value for d in at.dataframe if "kod" in d.value.columns)
    heads = list(table.columns)
    import re
    assert re.fullmatch(r"Regioner \(\d+ av 21\)", heads[1]), heads
    assert re.fullmatch(r"Län \(\d+ av 20\)", heads[2]), heads
    assert re.fullmatch(r"Kommuner \(\d+ av 290\)", heads[3]), heads
    assert heads[4] == "Nämnda i RSS-svar", heads
    assert all(re.fullmatch(r"\d+ av \d+", v) for col in heads[1:4] for v in table[col]), table
    store.close()


# ---------------------------------------------------------------- a kommun both counted and "named, not counted"

def test_a_kommun_counted_by_its_own_answer_is_not_also_listed_as_named_in_the_lans_answer(tmp_path):
    # qa54 walk: Teman said Mobila team "3 av 5 kommuner" (Tierps kommun among them, by its own answer) and listed
    # Tierps kommun under "Nämnda i länets svar … (räknas inte som egna kommunsvar)" too
    from models import coverage as cv
    from models.records import CodingSuggestion

    store = ProjectStore(tmp_path / "p.sqlite")
    resp = {"Kommunerna i Uppsala län": Respondent("Kommunerna i Uppsala län", "rss", "Uppsala län", "03"),
            "Tierps kommun": Respondent("Tierps kommun", "kommun", "Uppsala län", "03", "0360"),
            "Heby kommun": Respondent("Heby kommun", "kommun", "Uppsala län", "03", "0331")}
    texts = [("Kommunerna i Uppsala län", "Mobila team finns i Tierp och Östhammar."),
             ("Tierps kommun", "Kommunens mobila team besöker äldre efter utskrivning."),
             ("Heby kommun", "Hemsjukvården samarbetar med vårdcentralen.")]
    store.import_parsed(ParsedFile("u.txt", "txt", "sha-qa54-named", 10, [
        RawAnswer(r, "13a", t, position=i) for i, (r, t) in enumerate(texts)]), lambda a: resp[a.respondent])
    ids = {a.respondent.name: a for a in store.answers()}
    store.replace_suggestions([
        CodingSuggestion(ids["Kommunerna i Uppsala län"].id, "mobila_team", 0, 40, 0, 11),
        CodingSuggestion(ids["Tierps kommun"].id, "mobila_team", 0, 55, 10, 21)])
    cov = cv.project_coverage(store, include_suggestions=True).codes["mobila_team"]
    assert cov.kommuner.mentioned == ("Tierps kommun",)
    assert [k for k, _ in cov.named_kommuner] == ["Östhammars kommun"]  # before: Tierps kommun too
    assert set(cov.named_codings) == {"Östhammars kommun"}
    store.close()
