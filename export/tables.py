"""The export tables with Swedish headers, shared by the Excel and CSV exports."""
from __future__ import annotations

from typing import Optional

import pandas as pd

from export.safety import mask_personal_data as mask
from export.selection import Selection, excerpts
from models import queries, views
from models.clock import local_time
from models.store import question_sort_key

# Column of excerpt_frame -> Swedish header, in the order of the "Kodade utdrag" sheet.
EXCERPT_HEADERS: dict[str, str] = {
    "respondent": "Respondent",
    "respondent_type": "Respondenttyp",
    "lan": "Län",
    "kommun_code": "Kommunkod",
    "question_id": "Fråga",
    "question_text": "Frågetext",
    "category_label": "Kategori",
    "code_id": "Kod-id",
    "code_label": "Kod",
    "excerpt": "Utdrag",
    "start": "Start",
    "end": "Slut",
    "evidence": "Belägg",
    "status": "Status",
    "scope": "Omfattning",
    "negated": "Negerad",
    "confidence": "Konfidens",
    "decision_sv": "Beslut",
    "analyst": "Analytiker",
    "decided_at": "Tidpunkt",
    "memo": "Memo",
    "coding_id": "Kodnings-id",
    "answer_id": "Svars-id",
    "round": "Omgång",
}


def excerpt_table(store, selection: Optional[Selection] = None) -> pd.DataFrame:
    """One row per coded excerpt with Swedish headers (the "Kodade utdrag" sheet / CSV)."""
    df = excerpts(store, selection)
    out = df[list(EXCERPT_HEADERS)].copy()
    out["respondent_type"] = out["respondent_type"].map(views.RESPONDENT_TYPE_LABELS_SV).fillna(
        out["respondent_type"])
    out["negated"] = out["negated"].map({True: "ja", False: "nej"})
    out["confidence"] = out["confidence"].astype(float).round(3)
    out["decided_at"] = out["decided_at"].map(local_time)  # Swedish local time, as the pages show it
    return out.rename(columns=EXCERPT_HEADERS)


def matrix_table(store, selection: Optional[Selection] = None) -> pd.DataFrame:
    """Respondent × code counts of the selected excerpts, with respondent type and län first."""
    df = excerpts(store, selection)
    if df.empty:
        return pd.DataFrame(columns=["Respondent", "Respondenttyp", "Län"])
    counts = df.pivot_table(index="respondent", columns="code_id", values="coding_id", aggfunc="count",
                            fill_value=0)
    order = [c for c in views.code_frame(store)["code_id"] if c in counts.columns]
    order += sorted(set(counts.columns) - set(order))
    labels = dict(zip(df["code_id"], df["code_label"]))
    counts = counts[order].astype(int)
    counts.columns = [labels.get(c, c) for c in order]
    info = df.drop_duplicates("respondent").set_index("respondent")[["respondent_type", "lan"]]
    info["respondent_type"] = info["respondent_type"].map(views.RESPONDENT_TYPE_LABELS_SV).fillna(
        info["respondent_type"])
    table = info.join(counts, how="right")
    table = table.loc[views.sv_sorted(list(table.index))]
    table = table.reset_index().rename(columns={"respondent": "Respondent", "respondent_type": "Respondenttyp",
                                                "lan": "Län"})
    return table


COVERAGE_HEADERS: dict[str, str] = {
    "category_label": "Kategori", "code_id": "Kod-id", "code_label": "Kod",
    "n_regions": "Regioner som nämner", "n_regions_answered": "Regioner som svarat",
    "n_regions_total": "Regioner totalt", "regions": "Regioner",
    "regions_not_mentioning": "Regioner: svarade men nämner inte", "regions_not_answered": "Regioner: har inte svarat",
    "regions_split": "Regioner: status och omfattning",
    "n_lan": "Län som nämner", "n_lan_answered": "Län där kommunerna svarat", "n_lan_total": "Län totalt",
    "lan": "Län", "lan_not_mentioning": "Län: svarade men nämner inte", "lan_not_answered": "Län: har inte svarat",
    "lan_split": "Län: status och omfattning",
    "n_kommuner": "Kommuner som nämner", "n_kommuner_answered": "Kommuner som svarat själva",
    "n_kommuner_total": "Kommuner totalt", "kommuner": "Kommuner",
    "kommuner_not_mentioning": "Kommuner: svarade men nämner inte",
    "kommuner_not_answered": "Kommuner: har inte svarat",
    "kommuner_by_region": "Kommuner: besvaras av regionen", "kommuner_split": "Kommuner: status och omfattning",
    "kommuner_named": "Kommuner nämnda i länets svar",
    "n_respondents": "Antal respondenter", "n_excerpts": "Antal utdrag", "sentence": "Sammanfattning",
}


def _coverage_table(store, sel: Selection, reg=None) -> pd.DataFrame:
    """`views.coverage_table` of the selection's decisions, within its rounds when it names some."""
    rounds = list(sel.rounds) if sel.rounds else None
    return views.coverage_table(store, decisions=sel.effective_decisions, reg=reg, round_label=rounds)


def coverage_sheet(store, selection: Optional[Selection] = None, reg=None) -> pd.DataFrame:
    """Per code, at the three levels of `models.coverage` (regions, län with kommun answers,
    kommuner that answered on their own): how many mention it among those who answered, the
    total, who mentions it, who answered without mentioning it, who did not answer, and the
    status/scope split."""
    sel = selection or Selection()
    table = _coverage_table(store, sel, reg)
    if sel.code_ids is not None:
        table = table[table["code_id"].isin(list(sel.code_ids))]
    if sel.category_ids is not None:
        table = table[table["category_id"].isin(list(sel.category_ids))]
    return table[list(COVERAGE_HEADERS)].rename(columns=COVERAGE_HEADERS)


def codebook_table(store=None, doc: Optional[dict] = None, *, mask_personal_data: bool = False) -> pd.DataFrame:
    """The codebook as a table: category, code, definition, keywords, abbreviations, code memo."""
    doc = doc if doc is not None else views.codebook_doc(store)
    memos: dict[str, str] = {}
    if store is not None:
        memos = queries.code_memos(store)
        if mask_personal_data:
            memos = {k: mask(v) for k, v in memos.items()}
    rows = []
    for cat in doc.get("categories") or []:
        for code in cat.get("codes") or []:
            rows.append({
                "Kategori-id": cat.get("id", ""), "Kategori": cat.get("label", ""),
                "Kod-id": code.get("id", ""), "Kod": code.get("label", ""),
                "Definition": code.get("definition", "") or "",
                "Nyckelord": ", ".join(map(str, code.get("keywords") or [])),
                "Förkortningar": ", ".join(map(str, code.get("abbreviations") or [])),
                "Frågor": ", ".join(sorted(map(str, code.get("questions") or []), key=question_sort_key)),
                "Memo": memos.get(str(code.get("id", "")), ""),
            })
    return pd.DataFrame(rows, columns=["Kategori-id", "Kategori", "Kod-id", "Kod", "Definition", "Nyckelord",
                                       "Förkortningar", "Frågor", "Memo"])
