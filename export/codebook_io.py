"""Codebook exchange: YAML (native, the document of nlp/codebook.py) and REFI-QDA .qdc."""
from __future__ import annotations

from typing import Optional

from export import refi


class CodebookExchangeError(ValueError):
    """A codebook file that cannot be used; Swedish message naming the file."""


def _validate(doc: object, source: str) -> dict:
    """Validate with nlp.codebook when available; returns the normalised document."""
    if not isinstance(doc, dict) or not isinstance(doc.get("categories"), list):
        raise CodebookExchangeError(f"{source}: filen är ingen kodbok (listan 'categories' saknas).")
    try:
        from nlp.codebook import Codebook, CodebookError  # type: ignore
    except Exception:  # noqa: BLE001 - tagger module missing: structural check only
        return doc
    try:
        return Codebook.from_doc(doc, source=source).to_doc()
    except CodebookError as exc:
        raise CodebookExchangeError(str(exc)) from exc


def to_yaml(doc: dict) -> bytes:
    """The codebook document as UTF-8 YAML (same shape as data/codebook.yaml)."""
    import yaml

    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100).encode("utf-8")


def from_yaml(data: bytes, *, file_name: str = "kodbok.yaml") -> dict:
    """Parse and validate a YAML (or JSON) codebook; CodebookExchangeError on bad input."""
    import yaml

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CodebookExchangeError(f"Kodboken {file_name} är inte UTF-8-kodad text.") from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" på rad {mark.line + 1}, kolumn {mark.column + 1}" if mark is not None else ""
        raise CodebookExchangeError(f"Kodboken {file_name} är inte giltig YAML{where}.") from None
    return _validate(doc, f"Kodboken {file_name}")


def to_qdc(doc: dict) -> bytes:
    """The codebook as a REFI-QDA codebook (.qdc)."""
    return refi.to_qdc(doc)


def from_qdc(data: bytes, base_doc: Optional[dict] = None, *, file_name: str = "kodbok.qdc") -> dict:
    """A .qdc merged into `base_doc` (existing codes keep their keywords); validated."""
    try:
        doc = refi.from_qdc(data, base_doc, file_name=file_name)
    except refi.RefiError as exc:
        raise CodebookExchangeError(str(exc)) from exc
    return _validate(doc, f"Kodboken {file_name}")
