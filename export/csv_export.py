"""CSV export of the coded excerpts: UTF-8 with BOM, `;` by default (Swedish Excel), or `,`.

Text that could start a formula is neutralised (export.safety). With `;` decimals are
written with a comma, as Swedish Excel expects.
"""
from __future__ import annotations

import csv
import io
import math
from typing import Optional

import pandas as pd

from export import tables
from export.safety import neutralise, xml_safe
from export.selection import Selection


def _cell(value, decimal: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        text = repr(round(value, 6)) if not value.is_integer() else str(int(value))
        return text.replace(".", decimal)
    if hasattr(value, "item") and not isinstance(value, str):
        return _cell(value.item(), decimal)
    return neutralise(xml_safe(str(value)))


def to_csv(store, selection: Optional[Selection] = None, *, delimiter: str = ";",
           decimal: Optional[str] = None) -> bytes:
    """The "Kodade utdrag" table as CSV bytes (UTF-8 with BOM)."""
    return frame_to_csv(tables.excerpt_table(store, selection), delimiter=delimiter, decimal=decimal)


def frame_to_csv(df: pd.DataFrame, *, delimiter: str = ";", decimal: Optional[str] = None) -> bytes:
    """Any table (Swedish headers) as CSV bytes (UTF-8 with BOM) whose cells cannot start a formula: the app's
    own downloads of uploaded text (Streamlit's table download leaves `=HYPERLINK(…)` live; it is hidden)."""
    if delimiter not in (";", ","):
        raise ValueError("Avgränsaren måste vara ; eller ,")
    decimal = decimal or ("," if delimiter == ";" else ".")
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([neutralise(str(c)) for c in df.columns])
    for row in df.itertuples(index=False, name=None):
        writer.writerow([_cell(v, decimal) for v in row])
    return buf.getvalue().encode("utf-8-sig")
