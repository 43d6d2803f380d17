"""models.views: excerpt table, coverage rule, matrix and closed-question tallies."""
from __future__ import annotations

import pytest

from models import views
from tests.test_export_support import REGISTRY, build_project


@pytest.fixture()
def store(tmp_path):
    s = build_project(tmp_path / "p.sqlite")
    yield s
    s.close()


def test_excerpt_frame_default_counts_accepted_and_manual_only(store):
    df = views.excerpt_frame(store)
    assert set(df["decision"]) == {"accepted", "manual"}
    assert set(df["decision_sv"]) == {"godkänd", "manuell"}
    ids = store.test_ids
    assert set(df["coding_id"]) == {ids["dalarna_mobila"], ids["skane_sip"], ids["rss_mobila"],
                                     ids["malmo_manual"], ids["injection_manual"]} | {
                                     ids[f"injection_{k}"] for k in range(6)}
    assert list(df.columns[:len(views.EXCERPT_COLUMNS)]) == list(views.EXCERPT_COLUMNS)


def test_excerpt_frame_row_content_and_offsets(store):
    df = views.excerpt_frame(store, decisions=None).set_index("coding_id")
    row = df.loc[store.test_ids["dalarna_mobila"]]
    assert row["excerpt"] == "Vi har mobila team i hela länet."
    assert row["evidence"] == "mobila team"
    assert (row["respondent"], row["respondent_type"], row["lan"]) == ("Region Dalarna", "region", "Dalarnas län")
    assert (row["code_label"], row["category_label"]) == ("Mobila team", "Proaktivt arbete")
    assert row["question_text"].startswith("Undvikbar slutenvård")
    assert (row["status"], row["scope"], row["analyst"], row["memo"]) == ("genomfört", "breddinförd", "Anna",
                                                                          "Bra exempel")
    # offsets are code points: an emoji before the span does not shift the excerpt
    malmo = df.loc[store.test_ids["malmo_manual"]]
    assert malmo["excerpt"] == "mobilt team kvällstid"
    assert malmo["kommun_code"] == "1280"
    assert bool(df.loc[store.test_ids["skane_mobila"], "negated"]) is True
    assert df.loc[store.test_ids["skane_mobila"], "decision_sv"] == "avvisad"


def test_excerpt_frame_filters(store):
    assert set(views.excerpt_frame(store, code_ids=["sip"])["code_id"]) == {"sip"}
    assert set(views.excerpt_frame(store, category_ids=["proaktivt"], decisions=None)["code_id"]) == {
        "mobila_team", "palliativ_vard"}
    assert set(views.excerpt_frame(store, respondent_types=["region"])["respondent"]) == {
        "Region Dalarna", "Region Skåne"}
    assert set(views.excerpt_frame(store, questions=["5a"], decisions=None)["question_id"]) == {"5a"}
    assert views.excerpt_frame(store, code_ids=[]).empty
    assert set(views.excerpt_frame(store, lans=["Skåne län"], decisions=None)["respondent"]) == {"Region Skåne", "Malmö"}
    assert list(views.excerpt_frame(store, statuses=["genomfört"])["coding_id"]) == [store.test_ids["dalarna_mobila"]]
    assert set(views.excerpt_frame(store, scopes=["projekt"])["respondent"]) == {"Dalarnas kommuner"}
    assert set(views.excerpt_frame(store, answer_ids=[store.test_answers[("Malmö", "5a")].id],
                                   decisions=None)["code_id"]) == {"sip", "mobila_team"}
    with_sugg = views.excerpt_frame(store, decisions=views.decisions_for(True))
    assert "suggested" in set(with_sugg["decision"]) and "rejected" not in set(with_sugg["decision"])
    full = views.excerpt_frame(store, code_ids=["mobila_team"], with_answer_text=True)
    assert all(t[s:e] == x for t, s, e, x in zip(full["answer_text"], full["start"], full["end"], full["excerpt"]))


def test_coverage_counts_three_levels_among_those_who_answered(store):
    cov = views.coverage(store, "mobila_team", reg=REGISTRY)
    assert cov.regions.mentioned == ("Region Dalarna",)          # Skåne's mention was rejected
    assert cov.regions.not_mentioning == ("Region Skåne",)       # answered, does not mention
    assert cov.regions.not_answered == ("Region Stockholm",)
    # län: Dalarna through its RSS answer, Skåne through Malmö's own answer; Stockholm did not answer
    assert cov.lan.mentioned == ("12", "20") and cov.lan.not_answered == ("01",)
    # only Malmö answered on its own; the RSS answer is not counted as Dalarna's three kommuner
    assert cov.kommuner.mentioned == ("Malmö",) and cov.kommuner.n_answered == 1
    assert cov.regions.split_text == "1 breddinförd"
    assert cov.sentence == ("Mobila team nämns av 1 av 2 regioner som svarat (3 totalt), i 2 av 2 län där "
                            "kommunerna svarat (3 totalt) och av 1 av 1 kommuner som svarat själva (6 totalt)")
    # Skåne's rejected coding is also negated ("Inga mobila team ännu"): counted only when asked
    everything = views.coverage(store, "mobila_team", reg=REGISTRY, decisions=views.ALL_DECISIONS)
    assert everything.regions.mentioned == ("Region Dalarna",)
    with_negated = views.coverage(store, "mobila_team", reg=REGISTRY, decisions=views.ALL_DECISIONS,
                                  include_negated=True)
    assert with_negated.regions.mentioned == ("Region Dalarna", "Region Skåne")


def test_coverage_without_registry_uses_the_national_one(store):
    empty = views.Registry(REGISTRY.regions.iloc[0:0], REGISTRY.kommuner.iloc[0:0], False)
    cov = views.coverage(store, "mobila_team", reg=empty)
    assert (cov.regions.total, cov.lan.total, cov.kommuner.total) == (21, 20, 290)
    assert cov.kommuner.mentioned == ("Malmö kommun",)
    assert cov.lan.mentioned == ("Dalarnas län", "Skåne län")


def test_coverage_table_matches_single_coverage(store):
    table = views.coverage_table(store, reg=REGISTRY).set_index("code_id")
    assert list(table.index) == ["mobila_team", "palliativ_vard", "sip"]
    for code in table.index:
        single = views.coverage(store, code, reg=REGISTRY)
        assert table.loc[code, "coverage"] == single
        assert table.loc[code, "sentence"] == single.sentence
    assert table.loc["palliativ_vard", "n_excerpts"] == 0
    assert (table.loc["sip", "n_regions"], table.loc["sip", "n_lan"], table.loc["sip", "n_kommuner"]) == (1, 1, 0)
    assert table.loc["sip", "kommuner_not_mentioning"] == "Malmö"  # its SIP coding is still a suggestion


def test_matrix_counts(store):
    m = views.matrix(store)
    assert m.loc["Region Dalarna", "mobila_team"] == 1
    assert m.loc["Region Skåne", "mobila_team"] == 0
    assert m.loc["Dalarnas kommuner", "sip"] == 1
    assert "palliativ_vard" not in m.columns
    full = views.matrix(store, decisions=None, labels=True)
    assert full.loc["Region Dalarna", "Palliativ vård"] == 1
    by_lan = views.matrix(store, by="lan")
    assert by_lan.loc["Dalarnas län", "mobila_team"] == 2 + 6  # region, RSS and the 6 injection excerpts
    long = views.matrix_long(store)
    assert long["n"].sum() == m.values.sum()


def test_closed_question_tally_per_lan(store):
    t = views.closed_question_tally(store, "1")
    assert list(t.columns[:3]) == ["Ja", "Ja, men arbete pågår med att revidera", "Nej"]
    assert t.loc["Skåne län", "Ja"] == 1 and t.loc["Skåne län", "Nej"] == 1
    assert t.loc["Dalarnas län", "Totalt"] == 1


def test_representative_quotes_prefer_distinct_respondents(store):
    df = views.excerpt_frame(store, decisions=None)
    quotes = views.representative_quotes(df, "mobila_team", n=3)
    assert len(quotes) == 3
    assert quotes["respondent"].is_unique
    assert not quotes["negated"].any()


def test_swedish_sort_order():
    assert views.sv_sorted(["Örebro", "Ale", "Åre", "Älvdalen", "Borås"]) == [
        "Ale", "Borås", "Åre", "Älvdalen", "Örebro"]


def test_rss_without_lan_code_is_placed_by_lan_name(tmp_path):
    from dataclasses import replace

    from models.records import CodingSuggestion, ParsedFile, RawAnswer, Respondent

    from models.store import ProjectStore

    s = views_store = ProjectStore(tmp_path / "rss.sqlite")
    rss = Respondent("Kommunerna i Dalarnas län", "rss", "Dalarnas län", None)
    s.import_parsed(ParsedFile("r.txt", "txt", "sha-rss", 1, [RawAnswer(rss.name, "13a", "Mobila team finns.")]),
                    lambda a: rss)
    s.replace_suggestions([CodingSuggestion(s.answers()[0].id, "mobila_team", 0, 18, 0, 11)])
    reg = replace(REGISTRY, lan_codes={"Dalarnas län": "20", "Skåne län": "12"})
    cov = views.coverage(views_store, "mobila_team", reg=reg, decisions=views.ALL_DECISIONS)
    assert cov.lan.mentioned == ("Dalarnas län",)
    assert cov.kommuner.mentioned == () and cov.regions.mentioned == ()
    s.close()


def test_evidence_parts_split_and_clip():
    assert views.evidence_parts("Vi har mobila team.", 10, 17, 28) == ("Vi har ", "mobila team", ".")
    assert views.evidence_parts("abc", 10, 0, 5) == ("", "", "abc")
    assert views.evidence_parts("abc", 10, 11, 99) == ("a", "bc", "")


def test_views_and_exports_work_on_an_empty_project(tmp_path):
    from export.formats import export_bytes
    from export.selection import Selection
    from models import views
    from models.store import ProjectStore

    empty = ProjectStore(tmp_path / "tom.sqlite")
    assert views.excerpt_frame(empty).empty
    assert views.coverage_table(empty)["code_id"].nunique() >= 35
    for fmt in ("xlsx", "csv", "docx", "qdpx", "qdc"):
        assert export_bytes(empty, fmt, Selection())
    empty.close()
