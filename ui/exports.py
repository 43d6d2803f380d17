"""Adapter from the Exportera and Kodbok pages to the export functions in `export/`.

The export module is built in parallel; `formats()` lists what has landed, the rest shows
"inte tillgängligt ännu".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

import yaml

from ui import adapters

FORMATS: dict[str, tuple[str, str, str]] = {
    # format: (Swedish label, file suffix, mime type)
    "xlsx": ("Excel (.xlsx)", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": ("CSV (.csv, semikolon)", "csv", "text/csv"),
    "docx": ("Word-rapport (.docx)", "docx",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "qdpx": ("REFI-QDA-projekt (.qdpx)", "qdpx", "application/zip"),
    "qdc": ("REFI-QDA-kodbok (.qdc)", "qdc", "application/xml"),
}


@dataclass
class Selection:
    """What to export: None = everything."""

    code_ids: Optional[list[str]] = None
    respondent_ids: Optional[list[int]] = None
    decisions: Optional[list[str]] = None
    include_suggestions: bool = False
    mask_pii: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _exporter(fmt: str):
    return None


def formats() -> dict[str, bool]:
    """Format -> whether its export function has landed."""
    return {fmt: _exporter(fmt) is not None for fmt in FORMATS}


def export_bytes(store, fmt: str, selection: Selection) -> bytes:
    """The export as bytes (raises adapters.Unavailable when the format has not landed)."""
    fn = _exporter(fmt)
    if fn is None:
        raise adapters.Unavailable(f"Export till {FORMATS[fmt][0]} är {adapters.NOT_YET}.")
    return fn(store, selection)


def codebook_qdc(store) -> Optional[bytes]:
    fn = _exporter("qdc")
    return fn(store, Selection()) if fn is not None else None


def read_codebook(name: str, data: bytes) -> tuple[Optional[dict], Optional[str]]:
    """A codebook document from an uploaded YAML or .qdc file, or (None, Swedish message)."""
    lower = name.lower()
    if lower.endswith(".qdc"):
        return None, f"{name}: import av REFI-QDA-kodbok är {adapters.NOT_YET}."
    try:
        doc = yaml.safe_load(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        return None, f"{name} kunde inte läsas som YAML ({exc.__class__.__name__})."
    if not isinstance(doc, dict) or not isinstance(doc.get("categories"), list):
        return None, f"{name} är ingen kodbok: listan 'categories' saknas."
    try:
        adapters.codebook_from_doc(doc)
    except adapters.Unavailable:
        pass
    except ValueError as exc:
        return None, f"{name}: {exc}"
    return doc, None
