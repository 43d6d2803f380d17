"""Excel export: sheets "Kodade utdrag", "Matris", "Täckning" and "Kodbok" (openpyxl).

Every text cell is typed as a string and neutralised (export.safety), so no cell can
start a formula; header rows are frozen and filtered, columns sized and text wrapped.
"""
from __future__ import annotations

import io
import math
from typing import Any, Optional

import pandas as pd

from export import tables
from export.safety import excel_text
from export.selection import Selection

# Width (characters) of columns holding long text; others fit their content up to 30.
_WIDE = {"Utdrag": 70, "Frågetext": 40, "Belägg": 30, "Memo": 40, "Definition": 60, "Nyckelord": 60,
         "Regioner": 50, "Regioner som saknas": 50, "Kommuner": 60, "Kommuner som saknas": 60,
         "Sammanfattning": 60, "Kategori": 30, "Kod": 30}


def _cell_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    return value


def _write_sheet(wb, title: str, df: pd.DataFrame) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    columns = [str(c) for c in df.columns]
    for j, name in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=j)
        cell.value = excel_text(name)
        cell.data_type = "s"
        cell.font = bold
        cell.alignment = wrap
    for i, row in enumerate(df.itertuples(index=False, name=None), start=2):
        for j, raw in enumerate(row, start=1):
            value = _cell_value(raw)
            if value is None:
                continue
            cell = ws.cell(row=i, column=j)
            if isinstance(value, str):
                cell.value = excel_text(value)
                cell.data_type = "s"  # never a formula, whatever the text
                cell.alignment = wrap
            elif isinstance(value, bool):
                cell.value = "ja" if value else "nej"
                cell.data_type = "s"
            else:
                cell.value = value
    for j, name in enumerate(columns, start=1):
        if name in _WIDE:
            width = _WIDE[name]
        else:
            longest = max([len(name)] + [len(str(v)) for v in df.iloc[:200, j - 1] if _cell_value(v) is not None])
            width = min(max(8, longest + 2), 30)
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "A2"
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(df) + 1)}"


def to_xlsx(store, selection: Optional[Selection] = None, *, reg=None) -> bytes:
    """The selection as an Excel workbook (bytes)."""
    from openpyxl import Workbook

    sel = selection or Selection()
    wb = Workbook()
    wb.remove(wb.active)
    _write_sheet(wb, "Kodade utdrag", tables.excerpt_table(store, sel))
    _write_sheet(wb, "Matris", tables.matrix_table(store, sel))
    _write_sheet(wb, "Täckning", tables.coverage_sheet(store, sel, reg=reg))
    _write_sheet(wb, "Kodbok", tables.codebook_table(store))
    wb.properties.creator = "Svarsanalys"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
