"""One entry point for every export format: bytes, file name suffix and MIME type.

`export_bytes(store, "xlsx", selection)` is what the Exportera page and the CLI call.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from export.selection import Selection
from models import views


@dataclass(frozen=True)
class ExportFormat:
    key: str
    label: str  # Swedish, for the UI
    suffix: str
    mime: str


FORMATS: dict[str, ExportFormat] = {
    "xlsx": ExportFormat("xlsx", "Excel (.xlsx)", ".xlsx",
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": ExportFormat("csv", "CSV (semikolon, UTF-8)", ".csv", "text/csv"),
    "docx": ExportFormat("docx", "Word-rapport (.docx)", ".docx",
                         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "qdpx": ExportFormat("qdpx", "REFI-QDA-projekt (.qdpx)", ".qdpx", "application/zip"),
    "qdc": ExportFormat("qdc", "REFI-QDA-kodbok (.qdc)", ".qdc", "application/xml"),
    "yaml": ExportFormat("yaml", "Kodbok (YAML)", ".yaml", "application/x-yaml"),
}


def export_bytes(store, fmt: str, selection: Optional[Selection] = None, *, csv_delimiter: str = ";") -> bytes:
    """The project (filtered by `selection`) in format `fmt` (a key of FORMATS)."""
    sel = selection or Selection()
    makers: dict[str, Callable[[], bytes]] = {
        "xlsx": lambda: __import__("export.xlsx", fromlist=["to_xlsx"]).to_xlsx(store, sel),
        "csv": lambda: __import__("export.csv_export", fromlist=["to_csv"]).to_csv(store, sel,
                                                                                  delimiter=csv_delimiter),
        "docx": lambda: __import__("export.docx_report", fromlist=["to_docx"]).to_docx(store, sel),
        "qdpx": lambda: __import__("export.refi", fromlist=["to_qdpx"]).to_qdpx(store, sel),
        "qdc": lambda: __import__("export.codebook_io", fromlist=["to_qdc"]).to_qdc(views.codebook_doc(store)),
        "yaml": lambda: __import__("export.codebook_io", fromlist=["to_yaml"]).to_yaml(views.codebook_doc(store)),
    }
    if fmt not in makers:
        raise ValueError(f"Okänt exportformat: {fmt}")
    return makers[fmt]()


def file_name(project_name: str, fmt: str) -> str:
    """A download file name like "Svarsanalys-projekt_kodade-utdrag.xlsx"."""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in project_name).strip("_") or "projekt"
    kind = "kodbok" if fmt in ("qdc", "yaml") else ("rapport" if fmt == "docx" else "kodade-utdrag")
    if fmt == "qdpx":
        kind = "refi-projekt"
    return f"{safe}_{kind}{FORMATS[fmt].suffix}"
