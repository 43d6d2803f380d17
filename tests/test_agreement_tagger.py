"""Taggaren against an analyst (qa20, item 9): a negated suggestion ("inga mobila team ännu") is no use of the
code, and the table on Överensstämmelse says which codes the mean κ leaves out."""
from __future__ import annotations

from models import teamcoding
from tests.helpers.apptest import open_page
from tests.test_export_support import DOC, build_project


def test_a_negated_suggestion_is_not_the_taggers_use_of_the_code(tmp_path):
    store = build_project(tmp_path / "p.sqlite")
    # Bo accepted mobila team for Dalarnas kommuner and SIP for Region Skåne, whose answer the tagger read as
    # "Inga mobila team ännu" (negated): the tagger and Bo agree on mobila team there
    result = teamcoding.compare(store, "taggaren", "Bo").result
    assert (result.codes["mobila_team"].a, result.codes["mobila_team"].b) == (1, 1)
    assert result.codes["mobila_team"].kappa == 1.0 and result.mean_kappa == 1.0
    assert all(store.TAGGER != c for c in store.coders())
    store.close()


def test_tagger_table_names_the_codes_left_out_of_the_mean(tmp_path):
    path = tmp_path / "p.sqlite"
    build_project(path).close()
    at = open_page(path, "overensstammelse", analyst="Anna")
    [table] = [d.value for d in at.dataframe if "Koder i medelvärdet" in d.value.columns]
    bo = table.set_index("Analytiker").loc["Bo"]
    used = {"mobila_team", "sip"}
    labels = {c["id"]: c["label"] for cat in DOC["categories"] for c in cat["codes"]}
    left_out = sorted(label for code, label in labels.items() if code not in used)
    assert bo["Koder i medelvärdet"] == 2
    assert bo["Utelämnade: ingen av dem använde koden"] == f"{len(left_out)}: " + ", ".join(left_out)
    assert bo["Medel-κ"] == "1,00"
