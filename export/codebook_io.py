"""Codebook exchange: YAML (native, the document of nlp/codebook.py), REFI-QDA .qdc and CSV.

The CSV codebook has the columns `tag`, `description`, `category` (Taguette reads `tag` and
`description`; `name` is accepted for `tag` on import, as are the Swedish `namn`/`kod`,
`beskrivning`, `kategori`).
"""
from __future__ import annotations

import copy
import csv
import io
from typing import Optional

import yaml

from errors import SvarsanalysError
from export import refi
from export.safety import neutralise
from nlp.codebook import Codebook, CodebookError, check_unique_labels, yaml_document


class CodebookExchangeError(SvarsanalysError):
    """A codebook file that cannot be used; Swedish message naming the file."""


def _validate(doc: object, source: str) -> dict:
    """Validate with nlp.codebook; returns the normalised document."""
    if not isinstance(doc, dict) or not isinstance(doc.get("categories"), list):
        raise CodebookExchangeError(f"{source}: filen är ingen kodbok (listan 'categories' saknas).")
    try:
        check_unique_labels(doc, source)
        return Codebook.from_doc(doc, source=source).to_doc()
    except CodebookError as exc:
        raise CodebookExchangeError(str(exc)) from exc


def to_yaml(doc: dict) -> bytes:
    """The codebook document as UTF-8 YAML (same shape as data/codebook.yaml)."""
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100).encode("utf-8")


def from_yaml(data: bytes, *, file_name: str = "kodbok.yaml") -> dict:
    """Parse and validate a YAML (or JSON) codebook; CodebookExchangeError on bad input."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CodebookExchangeError(f"Kodboken {file_name} är inte UTF-8-kodad text.") from None
    doc = yaml_document(text, f"Kodboken {file_name}", CodebookExchangeError)
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


CSV_COLUMNS = ("tag", "description", "category")
_TAG = ("tag", "name", "namn", "kod", "etikett", "label")
_DESCRIPTION = ("description", "beskrivning", "definition")
_CATEGORY = ("category", "kategori")


def to_csv(doc: dict) -> bytes:
    """The codebook as CSV (`tag`, `description`, `category`), UTF-8; no cell can start a formula."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for cat in doc.get("categories") or []:
        for code in cat.get("codes") or []:
            writer.writerow([neutralise(str(v or "")) for v in (code.get("label") or code.get("id"),
                                                                 code.get("definition"),
                                                                 cat.get("label") or cat.get("id"))])
    return buf.getvalue().encode("utf-8")


def _cell(value: object) -> str:
    text = " ".join(str(value or "").split()) if value is not None else ""
    # undo the apostrophe our export puts before formula-like text
    return text[1:] if text.startswith("'") and text[1:2] in ("=", "+", "-", "@") else text


def from_csv(data: bytes, base_doc: Optional[dict] = None, *, file_name: str = "kodbok.csv") -> dict:
    """A CSV codebook merged into `base_doc`: codes matched by label (case/whitespace-insensitive),
    categories by label; new codes get an id from their label. Refuses a file naming a code twice."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CodebookExchangeError(f"Kodboken {file_name} är inte UTF-8-kodad text.") from None
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise CodebookExchangeError(f"Kodboken {file_name} är tom.")
    header = [h.strip().lower() for h in rows[0]]
    col = {name: next((header.index(h) for h in options if h in header), None)
           for name, options in (("tag", _TAG), ("description", _DESCRIPTION), ("category", _CATEGORY))}
    if col["tag"] is None:
        raise CodebookExchangeError(f"Kodboken {file_name} saknar kolumnen 'tag' (eller 'name') med kodernas namn.")
    doc = copy.deepcopy(base_doc) if base_doc else {"name": "importerad", "version": 1, "categories": []}
    doc.setdefault("categories", [])
    cats_by_label = {refi.label_key(c.get("label") or c.get("id")): c for c in doc["categories"]}
    codes_by_label = {refi.label_key(c.get("label") or c.get("id")): c
                      for cat in doc["categories"] for c in cat.get("codes") or []}
    taken_ids = {c.get("id") for cat in doc["categories"] for c in cat.get("codes") or []}
    taken_ids |= {c.get("id") for c in doc["categories"]}
    seen: dict[str, int] = {}

    def new_id(label: str) -> str:
        base, n = refi.slug(label), 2
        cid = base
        while cid in taken_ids:
            cid, n = f"{base}_{n}", n + 1
        taken_ids.add(cid)
        return cid

    def get(row: list[str], name: str) -> str:
        i = col[name]
        return _cell(row[i]) if i is not None and i < len(row) else ""

    for number, row in enumerate(rows[1:], 2):
        label = get(row, "tag")
        if not label:
            continue
        key = refi.label_key(label)
        if key in seen:
            raise CodebookExchangeError(f"Kodboken {file_name}, rad {number}: koden '{label}' finns redan på rad "
                                        f"{seen[key]}; varje kod behöver ett eget namn.")
        seen[key] = number
        description = get(row, "description")
        existing = codes_by_label.get(key)
        if existing is not None:
            if description:
                existing["definition"] = description
            continue
        cat_label = get(row, "category") or "Importerade koder"
        cat = cats_by_label.get(refi.label_key(cat_label))
        if cat is None:
            cat = {"id": new_id(cat_label), "label": cat_label, "description": "", "codes": []}
            doc["categories"].append(cat)
            cats_by_label[refi.label_key(cat_label)] = cat
        code = {"id": new_id(label), "label": label, "definition": description, "keywords": []}
        cat.setdefault("codes", []).append(code)
        codes_by_label[key] = code
    if not seen:
        raise CodebookExchangeError(f"Kodboken {file_name} innehåller inga koder.")
    return _validate(doc, f"Kodboken {file_name}")
