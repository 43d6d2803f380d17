"""Edits of the Svar table (question and respondent of an answer) turned into audited store changes."""
from __future__ import annotations

import pandas as pd

from models.imported_rows import ensure_respondent

TYPE_SV = {"region": "region", "kommun": "kommun", "rss": "RSS"}


def respondent_label(name: str, rtype: str | None) -> str:
    """How the Svar table shows a respondent: "Region Dalarna (region)"."""
    return f"{name} ({TYPE_SV.get(rtype or '', 'okänd typ')})"


def apply_table_edits(store, before: pd.DataFrame, after: pd.DataFrame, registry_labels: dict, raw: pd.DataFrame,
                      analyst: str) -> int:
    """Store the Svar table's edited questions and respondents (audited); how many answers changed.

    `registry_labels` maps a label to a registry Respondent the project may lack; `raw` is the
    project's answer frame (respondent_id, respondent, respondent_type).
    """
    by_label = {}
    for rid, name, rtype in zip(raw["respondent_id"], raw["respondent"], raw["respondent_type"]):
        by_label[respondent_label(name, rtype)] = int(rid)
    n = 0
    for (_, old), (_, new) in zip(before.iterrows(), after.iterrows()):
        answer_id = int(old["svars-id"])
        question = new["fråga"] if new["fråga"] != old["fråga"] and new["fråga"] else None
        respondent_id = None
        if new["respondent"] != old["respondent"] and new["respondent"]:
            respondent_id = by_label.get(new["respondent"])
            if respondent_id is None and new["respondent"] in registry_labels:
                respondent_id = ensure_respondent(store, registry_labels[new["respondent"]])
        if question is not None or respondent_id is not None:
            store.update_answer(answer_id, question=question, respondent_id=respondent_id, analyst=analyst)
            n += 1
    return n
