"""Excel export: sheets "Kodade utdrag", "Matris", "Täckning" and "Kodbok" (openpyxl).

Every text cell is typed as a string and neutralised (export.safety), so no cell can
start a formula; header rows are frozen and filtered, columns sized and text wrapped.
"""
from __future__ import annotations

import io
import math
from copy import copy
from typing import Any, Optional

import pandas as pd

from export import tables
from export.safety import excel_text
from export.selection import Selection

# Width (characters) of columns holding long text; others fit their content up to 30.
_WIDE = {"Utdrag": 70, "Frågetext": 40, "Belägg": 30, "Memo": 40, "Definition": 60, "Nyckelord": 60,
         "Regioner": 50, "Kommuner": 60, "Län": 40, "Sammanfattning": 60, "Kategori": 30, "Kod": 30,
         "Regioner: svarade men nämner inte": 40, "Regioner: har inte svarat": 40,
         "Län: svarade men nämner inte": 40, "Län: har inte svarat": 40,
         "Kommuner: svarade men nämner inte": 50, "Kommuner: har inte svarat": 60,
         "Kommuner: besvaras av regionen": 40,
         "Kommuner nämnda i länets svar": 40}


def _cell_value(value: Any) -> Any:
    if value is None or (isinstance(value, str) and value == ""):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    return value


def write_sheet(wb, title: str, df: pd.DataFrame) -> None:
    """Stream one sheet (write-only mode): bold wrapped header, typed cells, widths, filter, freeze."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    columns = [str(c) for c in df.columns]
    for j, name in enumerate(columns, start=1):
        if name in _WIDE:
            width = _WIDE[name]
        else:
            sample = [len(str(v)) for v in df.iloc[:200, j - 1] if _cell_value(v) is not None]
            width = min(max(8, max([len(name)] + sample) + 2), 30)
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "A2"
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(df) + 1)}"

    # Style templates: copying a cell's style array is far cheaper than assigning styles per cell.
    header_tpl = WriteOnlyCell(ws, value="")
    header_tpl.font = Font(bold=True)
    header_tpl.alignment = Alignment(wrap_text=True, vertical="top")
    text_tpl = WriteOnlyCell(ws, value="")
    text_tpl.alignment = Alignment(wrap_text=True, vertical="top")

    def text_cell(value: str, template) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws)
        cell._value = excel_text(value)
        cell.data_type = "s"  # never a formula, whatever the text
        cell._style = copy(template._style)
        return cell

    from openpyxl.cell.cell import ERROR_CODES

    wrapped = [name in _WIDE for name in columns]

    def plain_text(value: str):
        # excel_text never starts with "=", so openpyxl stores a plain str as a string cell;
        # strings equal to an Excel error code ("#N/A") are typed explicitly.
        text = excel_text(value)
        if text in ERROR_CODES:
            cell = WriteOnlyCell(ws)
            cell._value = text
            cell.data_type = "s"
            return cell
        return text

    ws.append([text_cell(name, header_tpl) for name in columns])
    for row in df.itertuples(index=False, name=None):
        out = []
        for raw, wrap in zip(row, wrapped):
            value = _cell_value(raw)
            if value is None:
                out.append(None)
            elif isinstance(value, bool):
                out.append("ja" if value else "nej")
            elif isinstance(value, str):
                out.append(text_cell(value, text_tpl) if wrap else plain_text(value))
            else:
                out.append(value)
        ws.append(out)


def to_xlsx(store, selection: Optional[Selection] = None, *, reg=None) -> bytes:
    """The selection as an Excel workbook (bytes)."""
    from openpyxl import Workbook

    sel = selection or Selection()
    wb = Workbook(write_only=True)
    write_sheet(wb, "Kodade utdrag", tables.excerpt_table(store, sel))
    write_sheet(wb, "Matris", tables.matrix_table(store, sel))
    write_sheet(wb, "Täckning", tables.coverage_sheet(store, sel, reg=reg))
    write_sheet(wb, "Kodbok", tables.codebook_table(store, mask_personal_data=sel.mask_personal_data))
    wb.properties.creator = "Svarsanalys"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
