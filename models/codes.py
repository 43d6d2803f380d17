"""The codebook as pages and exports list it: categories and codes in codebook order, Swedish sorting."""
from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from typing import Any, Optional, Sequence

from nlp.codebook import default_codebook

__all__ = ["CategoryInfo", "CodeInfo", "categories", "categories_from_doc", "codebook_doc",
           "default_codebook_doc", "sv_key", "sv_sorted"]


@dataclass(frozen=True)
class CodeInfo:
    """A code of the codebook with its category."""

    id: str
    label: str
    category_id: str
    category_label: str
    definition: str = ""


@dataclass(frozen=True)
class CategoryInfo:
    """A category (not codable itself) and its codes in codebook order."""

    id: str
    label: str
    description: str = ""
    codes: tuple[CodeInfo, ...] = ()


def default_codebook_doc() -> dict:
    """The bundled default codebook document (data/codebook.yaml); a fresh copy."""
    return copy.deepcopy(_default_codebook_doc())


@functools.lru_cache(maxsize=1)
def _default_codebook_doc() -> dict:
    return default_codebook().to_doc()


def codebook_doc(store) -> dict:
    """The project's codebook document, or the default one if the project has none."""
    doc = store.codebook_doc() if store is not None else None
    return doc if isinstance(doc, dict) and doc.get("categories") is not None else default_codebook_doc()


def categories_from_doc(doc: dict) -> list[CategoryInfo]:
    """Categories and codes (id, label, definition) of a codebook document."""
    out = []
    for cat in doc.get("categories") or []:
        cid, clabel = str(cat.get("id", "")), str(cat.get("label") or cat.get("id", ""))
        codes = tuple(
            CodeInfo(str(c.get("id", "")), str(c.get("label") or c.get("id", "")), cid, clabel,
                     str(c.get("definition") or ""))
            for c in cat.get("codes") or []
        )
        out.append(CategoryInfo(cid, clabel, str(cat.get("description") or ""), codes))
    return out


def categories(store) -> list[CategoryInfo]:
    """The project's categories with their codes, in codebook order."""
    return categories_from_doc(codebook_doc(store))


_SV_TRANSLATE = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}", "é": "e", "è": "e", "ü": "y"})


@functools.lru_cache(maxsize=16384)
def sv_key(value: Any) -> str:
    """Sort key in Swedish alphabetical order (å, ä, ö after z), case-insensitive."""
    return str(value).lower().translate(_SV_TRANSLATE)


def sv_sorted(values: Sequence[Any]) -> list:
    """Values sorted the Swedish way."""
    return sorted(values, key=sv_key)
