"""Team coding over the store: stratified sample, assignments, comparison and resolution."""
from __future__ import annotations

import math
from collections import Counter

import pytest

from models import teamcoding
from nlp.sampling import stratified_sample
from tests.test_export_support import build_project


def test_stratified_sample_takes_a_share_of_every_stratum_reproducibly():
    items = [(i, ("5a" if i % 2 else "13a", "region" if i < 60 else "kommun")) for i in range(100)]
    first = stratified_sample(items, 0.1, seed=3)
    assert first == stratified_sample(items, 0.1, seed=3)
    sizes = Counter(s for _, s in items)
    drawn = Counter(dict(items)[i] for i in first)
    assert drawn == {s: math.ceil(0.1 * n) for s, n in sizes.items()}
    assert stratified_sample([(1, "a"), (2, "b")], 0.01) == [1, 2]  # at least one per stratum
    with pytest.raises(ValueError):
        stratified_sample(items, 0)


def test_draw_sample_assigns_every_coder_and_needs_two(tmp_path):
    store = build_project(tmp_path / "p.sqlite")
    with pytest.raises(ValueError):
        teamcoding.draw_sample(store, 0.5, ["Anna"])
    ids = teamcoding.draw_sample(store, 0.1, ["Cecilia", "Dag"], blind=True)
    with_text = {a.id for a in store.answers() if a.text.strip()}
    assert set(ids) <= with_text
    strata = {(a.question, a.respondent.type) for a in store.answers() if a.id in with_text}
    assert len(ids) == len(strata)  # 10 % of a small project: one answer per question and type
    assert {r["answer_id"] for r in store.assignments(coder="Dag")} == set(ids)
    assert teamcoding.draw_sample(store, 0.1, ["Cecilia", "Dag"]) == ids  # same draw again
    assert len(store.assignments()) == 2 * len(ids)
    store.close()


def test_compare_counts_spans_and_resolution_writes_the_final_coding(tmp_path):
    store = build_project(tmp_path / "p.sqlite")
    a = next(x for x in store.answers() if x.respondent.name == "Region Dalarna" and x.question == "13a")
    i = a.text.index("mobila team")
    store.add_coder_codings([(a.id, "Cecilia", "mobila_team", i, i + 11), (a.id, "Cecilia", "sip", 0, 5),
                             (a.id, "Dag", "mobila_team", i, i + 6)])
    comparison = teamcoding.compare(store, "Cecilia", "Dag")
    assert comparison.result.passages == 1
    assert comparison.overlap["mobila_team"] == pytest.approx(6 / 11)
    assert comparison.disagreements == [(a.id, ["sip"], [])]
    # the table's column names are Swedish (qa45: "Spanöverlapp" was half English)
    assert list(comparison.rows()[0]) == ["Kod", "Överensstämmelse", "Cohens κ", "Krippendorffs α", "Cecilia", "Dag",
                                          "Textöverlapp"]
    written = teamcoding.resolve(store, comparison, a.id, ["mobila_team"], "Eva")
    assert written == 1
    final = [(c.code_id, c.start, c.end, c.analyst) for c in store.codings(answer_ids=[a.id]) if c.analyst == "Eva"]
    assert final == [("mobila_team", i, i + 11, "Eva")]
    store.close()
