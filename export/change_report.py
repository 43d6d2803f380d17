"""Förändring between two rounds as an Excel workbook and as a section of the Word report.

Sheets: "Förändring" (one row per respondent and code: state in each round, the change and
the two rounds' excerpts side by side) and "Täckning per omgång" (regions and kommuner per
code and round). Text cells go through export.xlsx, so no cell can start a formula.
"""
from __future__ import annotations

import io
from typing import Iterable, Optional

import pandas as pd

from export.safety import xml_safe
from export.tables import COVERAGE_HEADERS
from export.xlsx import write_sheet
from models import round_views, views
from models.change import CHANGES, CHANGE_LABELS_SV

MAX_EXCERPTS_CHARS = 3000

CHANGE_HEADERS: dict[str, str] = {
    "respondent": "Respondent",
    "respondent_type": "Respondenttyp",
    "lan": "Län",
    "code_id": "Kod-id",
    "code_label": "Kod",
    "change_sv": "Förändring",
    "from_status": "Status (från)",
    "from_scope": "Omfattning (från)",
    "to_status": "Status (till)",
    "to_scope": "Omfattning (till)",
    "from_text": "Utdrag (från)",
    "to_text": "Utdrag (till)",
    "answered_from": "Svarade (från)",
    "answered_to": "Svarade (till)",
    "change": "Förändring-id",
}


def _joined(excerpts: list[str]) -> str:
    text = "\n\n".join(" ".join(str(e).split()) for e in excerpts)
    return text if len(text) <= MAX_EXCERPTS_CHARS else text[:MAX_EXCERPTS_CHARS].rstrip() + " …"


def change_sheet(table: pd.DataFrame, from_round: str, to_round: str) -> pd.DataFrame:
    """A `round_views.change_table` with Swedish headers naming the rounds."""
    df = table.copy()
    df["from_text"] = [_joined(x) for x in df.get("from_excerpts", pd.Series([[]] * len(df)))]
    df["to_text"] = [_joined(x) for x in df.get("to_excerpts", pd.Series([[]] * len(df)))]
    df["respondent_type"] = df["respondent_type"].map(views.RESPONDENT_TYPE_LABELS_SV).fillna(df["respondent_type"])
    for col in ("answered_from", "answered_to"):
        if col not in df:
            df[col] = True
    headers = {k: v.replace("(från)", f"({from_round})").replace("(till)", f"({to_round})")
               for k, v in CHANGE_HEADERS.items()}
    return df[list(headers)].rename(columns=headers)


def trend_sheet(trend: pd.DataFrame) -> pd.DataFrame:
    """`round_views.coverage_by_round` with Swedish headers."""
    headers = {"round": "Omgång", "code_id": "Kod-id", "code_label": "Kod",
               **{k: COVERAGE_HEADERS[k] for k in ("n_regions", "n_regions_answered", "n_regions_total", "n_lan",
                                                   "n_lan_answered", "n_kommuner", "n_kommuner_answered",
                                                   "n_kommuner_total")},
               "n_respondents": "Antal respondenter", "n_excerpts": "Antal utdrag"}
    return trend.rename(columns=headers)


def to_xlsx(store, from_round: str, to_round: str, *, decisions: Optional[Iterable[str]] = None,
            code_ids: Optional[Iterable[str]] = None, table: Optional[pd.DataFrame] = None,
            trend: Optional[pd.DataFrame] = None) -> bytes:
    """The change from `from_round` to `to_round` (and coverage per round) as an Excel workbook."""
    from openpyxl import Workbook

    decisions = tuple(decisions) if decisions is not None else views.DEFAULT_DECISIONS
    if table is None:
        table = round_views.change_table(store, from_round, to_round, decisions=decisions, code_ids=code_ids)
    if trend is None:
        trend = round_views.coverage_by_round(store, decisions=decisions, code_ids=code_ids)
    wb = Workbook(write_only=True)
    write_sheet(wb, "Förändring", change_sheet(table, from_round, to_round))
    write_sheet(wb, "Täckning per omgång", trend_sheet(trend))
    wb.properties.creator = "Svarsanalys"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def add_docx_section(doc, store, decisions: Iterable[str], code_ids: Optional[Iterable[str]] = None, *,
                     add_table=None, available_cm: float = 25.7) -> bool:
    """Append "Förändring mellan omgångar" (the last two rounds) to a python-docx Document.

    One table row per code: how many respondents are new, advanced, unchanged, regressed and
    no longer mention it, among the respondents who answered in both rounds (as on Förändring by
    default: one who answered only once is not a change). Returns False (nothing added) when the project has fewer than two rounds.
    `add_table(doc, header, rows, available_cm)` (the Word report's) sets the columns' widths and repeats the
    header on every page; without it a plain grid is written.
    """
    labels = round_views.round_labels(store)
    if len(labels) < 2:
        return False
    a, b = labels[-2], labels[-1]
    table = round_views.change_frame(
        round_views.compare_rounds(store, a, b, decisions=tuple(decisions), code_ids=code_ids),
        views.code_frame(store))
    both = round_views.respondents_in_round(store, a) & round_views.respondents_in_round(store, b)
    table = table[table["respondent_id"].isin(both)]
    doc.add_heading(xml_safe(f"Förändring mellan omgångarna {a} och {b}"), level=1)
    doc.add_paragraph(xml_safe(
        "Per kod: antal respondenter vars omnämnande är nytt, har gått framåt (status eller omfattning), "
        "är oförändrat, har gått bakåt eller inte längre nämns. Bara de "
        f"{len(both)} respondenter som svarade i båda omgångarna räknas."))
    counts = table.groupby(["code_label", "change"]).size().unstack(fill_value=0) if len(table) else None
    header = ["Kod"] + [CHANGE_LABELS_SV[c] for c in CHANGES]
    if add_table is not None:
        rows = [] if counts is None else [[xml_safe(str(label))] + [str(int(row.get(c, 0))) for c in CHANGES]
                                          for label, row in counts.iterrows()]
        add_table(doc, header, rows, available_cm)
        return True
    grid = doc.add_table(rows=1, cols=1 + len(CHANGES))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, header):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    if counts is not None:
        for label, row in counts.iterrows():
            cells = grid.add_row().cells
            cells[0].text = xml_safe(str(label))
            for cell, c in zip(cells[1:], CHANGES):
                cell.text = str(int(row.get(c, 0)))
    return True
