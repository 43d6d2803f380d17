"""The codebook as pages and exports list it: categories and codes in codebook order, Swedish sorting."""
from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from typing import Any, Optional, Sequence

from nlp.codebook import default_codebook

__all__ = ["CategoryInfo", "CodeInfo", "categories", "categories_from_doc", "codebook_doc",
           "default_codebook_doc", "dropped_codes_with_codings", "sv_key", "sv_sorted"]


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


def _code_labels(doc: dict) -> dict[str, str]:
    return {str(c.get("id")): str(c.get("label") or c.get("id"))
            for cat in doc.get("categories") or [] for c in cat.get("codes") or []}


def dropped_codes_with_codings(store, doc: dict) -> list[tuple[str, str, int]]:
    """(code id, label, number of codings) of each code of the saved codebook that `doc` no longer holds and
    that an analyst coded with (accepted or coded by hand): saving `doc` would leave those codings outside
    the codebook (kept, and exported, but no longer counted on Teman, Översikt or in the coverage)."""
    saved = _code_labels(codebook_doc(store))
    dropped = set(saved) - set(_code_labels(doc))
    if not dropped:
        return []
    counts: dict[str, int] = {}
    for c in store.codings(decisions=["accepted", "manual"], code_ids=sorted(dropped)):
        counts[c.code_id] = counts.get(c.code_id, 0) + 1
    return [(cid, saved[cid], n) for cid, n in sorted(counts.items(), key=lambda kv: sv_key(saved[kv[0]]))]


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
