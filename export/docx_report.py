"""Word report (.docx): the draft an analyst edits into the yearly report.

A summary table first (one row per code: category, code, regions, kommuner, excerpts),
then per category and code: the coverage sentence, the respondents and up to three
representative quotes with respondent and question. Answer text is inserted as plain
runs (never interpreted), with XML-illegal control characters removed.
"""
from __future__ import annotations

import io
from typing import Optional

from export.safety import xml_safe
from export.selection import Selection, excerpts
from models import views

MAX_QUOTE_CHARS = 600


def _t(text: object) -> str:
    return xml_safe("" if text is None else str(text))


def to_docx(store, selection: Optional[Selection] = None, *, reg=None, quotes_per_code: int = 3,
            title: Optional[str] = None) -> bytes:
    """The selection as a Word report (bytes)."""
    from docx import Document
    from docx.shared import Pt

    sel = selection or Selection()
    df = excerpts(store, sel)
    from export.tables import _coverage_table

    table = _coverage_table(store, sel, reg)
    if sel.code_ids is not None:
        table = table[table["code_id"].isin(list(sel.code_ids))]
    if sel.category_ids is not None:
        table = table[table["category_id"].isin(list(sel.category_ids))]
    used = set(df["code_id"])
    if sel.respondent_ids is not None or sel.questions is not None or sel.lans is not None \
            or sel.respondent_types is not None:
        table = table[table["code_id"].isin(used)]  # a narrowed selection reports only what it contains

    doc = Document()
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading(_t(title or f"Kodade svar – {store.name}"), level=0)
    decided = ", ".join(views.DECISION_LABELS_SV.get(d, d) for d in sel.effective_decisions)
    doc.add_paragraph(_t(f"Underlaget omfattar {len(df)} kodade utdrag ({decided}) från "
                         f"{df['respondent'].nunique() if len(df) else 0} respondenter."))

    doc.add_heading("Sammanfattning", level=1)
    grid = doc.add_table(rows=1, cols=5)
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, ["Kategori", "Kod", "Regioner", "Kommuner", "Utdrag"]):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in table.itertuples(index=False):
        cells = grid.add_row().cells
        values = [row.category_label, row.code_label, f"{row.n_regions} av {row.n_regions_total}",
                  f"{row.n_kommuner} av {row.n_kommuner_total}", str(row.n_excerpts)]
        for cell, text in zip(cells, values):
            cell.text = _t(text)

    empty = []
    for cat_label, group in table.groupby("category_label", sort=False):
        with_excerpts = group[group["n_excerpts"] > 0]
        empty += list(group.loc[group["n_excerpts"] == 0, "code_label"])
        if with_excerpts.empty:
            continue
        doc.add_heading(_t(cat_label), level=1)
        for row in with_excerpts.itertuples(index=False):
            cov = row.coverage
            doc.add_heading(_t(row.code_label), level=2)
            doc.add_paragraph(_t(cov.sentence + "."))
            missing = []
            if cov.registry_complete and 0 < len(cov.missing_regions) <= 10:
                missing.append("Regioner som inte nämner koden: " + ", ".join(cov.missing_regions) + ".")
            if missing:
                doc.add_paragraph(_t(" ".join(missing)))
            p = doc.add_paragraph()
            p.add_run("Respondenter: ").bold = True
            p.add_run(_t(", ".join(cov.respondents) + "."))
            quotes = views.representative_quotes(df, row.code_id, n=quotes_per_code)
            for q in quotes.itertuples(index=False):
                text = q.excerpt.strip()
                if len(text) > MAX_QUOTE_CHARS:
                    text = text[:MAX_QUOTE_CHARS].rstrip() + " …"
                para = doc.add_paragraph(style="Quote")
                para.add_run(_t(f"”{text}”"))
                source = doc.add_paragraph()
                question = f"fråga {q.question_id}" + (f" ({q.question_text})" if q.question_text else "")
                source.add_run(_t(f"– {q.respondent}, {question}")).italic = True
    if empty:
        doc.add_heading("Koder utan kodade utdrag", level=1)
        doc.add_paragraph(_t(", ".join(empty) + "."))
    from export.change_report import add_docx_section

    add_docx_section(doc, store, sel.effective_decisions, sel.code_ids)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
