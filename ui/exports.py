"""Adapter from the Exportera and Kodbok pages to `export/` (formats, codebook exchange).

Everything is imported lazily so that a page shows "inte tillgängligt ännu" instead of
crashing when a format's module is missing or broken.
"""
from __future__ import annotations

from typing import Any, Optional

from errors import SvarsanalysError
from ui import adapters

ORDER = ("xlsx", "csv", "docx", "qdpx", "qdc")


def formats() -> dict[str, Any]:
    """Format key -> export.formats.ExportFormat (label, suffix, mime), or {} when absent."""
    mod = adapters.module("export.formats")
    found = getattr(mod, "FORMATS", None) if mod is not None else None
    return {k: found[k] for k in ORDER if found and k in found}


def selection(**kwargs: Any) -> Any:
    """An export.selection.Selection (raises adapters.Unavailable)."""
    mod = adapters.module("export.selection")
    if mod is None:
        raise adapters.Unavailable("Export är " + adapters.NOT_YET + ".")
    return mod.Selection(**kwargs)


def export_bytes(store: Any, fmt: str, sel: Any) -> bytes:
    fn = adapters.function("export.formats", "export_bytes")
    if fn is None:
        raise adapters.Unavailable("Export är " + adapters.NOT_YET + ".")
    return fn(store, fmt, sel)


def file_name(project_name: str, fmt: str) -> str:
    fn = adapters.function("export.formats", "file_name")
    return fn(project_name, fmt) if fn else f"{project_name}.{fmt}"


def codebook_yaml(doc: dict) -> bytes:
    fn = adapters.function("export.codebook_io", "to_yaml")
    if fn is not None:
        return fn(doc)
    import yaml

    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode("utf-8")


def codebook_qdc(doc: dict) -> Optional[bytes]:
    fn = adapters.function("export.codebook_io", "to_qdc")
    return fn(doc) if fn is not None else None


def codebook_csv(doc: dict) -> Optional[bytes]:
    fn = adapters.function("export.codebook_io", "to_csv")
    return fn(doc) if fn is not None else None


def read_codebook(name: str, data: bytes, base_doc: Optional[dict] = None) -> tuple[Optional[dict], Optional[str]]:
    """A codebook document from an uploaded YAML, .qdc or CSV file, or (None, Swedish message)."""
    mod = adapters.module("export.codebook_io")
    if mod is None:
        return None, f"{name}: import av kodböcker är {adapters.NOT_YET}."
    try:
        if name.lower().endswith(".qdc"):
            return mod.from_qdc(data, base_doc, file_name=name), None
        if name.lower().endswith(".csv"):
            return mod.from_csv(data, base_doc, file_name=name), None
        return mod.from_yaml(data, file_name=name), None
    except (SvarsanalysError, ValueError) as exc:  # CodebookExchangeError carries a Swedish message
        return None, str(exc)
