"""A code taken out of the codebook keeps its name where its reviewed codings still show (qa21).

Deleting a code whose codings an analyst reviewed is now possible on Kodbok (with a confirmation); the codings stay
in the project and in exports under "(utanför kodboken)". They showed by the code's id ("mobila_team") in Översikt's
heatmap, the Excel columns and the coverage; the name is in the earlier codebook versions.
"""
from __future__ import annotations

import copy

from models import coverage, round_views, views
from models.codes import codebook_doc
from tests.browser.projects import build_project


def _without_mobila_team(tmp_path):
    store = build_project(tmp_path / "p.sqlite")
    doc = copy.deepcopy(codebook_doc(store))
    store.save_codebook_doc(doc, "Anna")  # the codebook as it was, with the code
    mobila = next(c for c in store.codings(decisions=["suggested"]) if c.code_id == "mobila_team")
    store.decide(mobila.id, "accepted", "Anna")
    for cat in doc["categories"]:
        cat["codes"] = [c for c in cat["codes"] if c["id"] != "mobila_team"]
    store.save_codebook_doc(doc, "Anna")
    return store


def test_a_removed_code_keeps_its_name_in_frames_matrices_and_coverage(tmp_path):
    store = _without_mobila_team(tmp_path)
    frame = views.excerpt_frame(store)
    row = frame[frame["code_id"] == "mobila_team"].iloc[0]
    assert (row["code_label"], row["category_label"]) == ("Mobila team", "(utanför kodboken)")
    long = views.matrix_long(store)
    assert set(long.loc[long["code_id"] == "mobila_team", "code_label"]) == {"Mobila team"}
    assert "Mobila team" in views.matrix(store, labels=True).columns
    assert set(round_views.matrix_long_in_round(store, "").query("code_id == 'mobila_team'")["code_label"]) == \
        {"Mobila team"}
    cov = coverage.project_coverage(store).codes["mobila_team"]
    assert (cov.code_label, cov.category_label) == ("Mobila team", "(utanför kodboken)")
    assert coverage.project_coverage(store, code_ids=["mobila_team"]).codes["mobila_team"].code_label == \
        "Mobila team"
    store.close()
