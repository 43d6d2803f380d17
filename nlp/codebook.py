"""Codebook: categories -> codes -> patterns, loaded from YAML or a stored JSON document.

The document format is the one of ``data/codebook.yaml`` (see the comment at its top). This
module only loads, validates and converts; compiling the patterns for matching lives in
``nlp/termmatch.py``. Validation errors are raised as :class:`CodebookError` with a Swedish
message that names the file and the problem.
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

from errors import SvarsanalysError

__all__ = [
    "CodebookError", "Code", "Category", "Codebook", "load_codebook", "default_codebook",
    "DEFAULT_CODEBOOK_PATH", "yaml_document",
]

DEFAULT_CODEBOOK_PATH = Path(__file__).resolve().parents[1] / "data" / "codebook.yaml"

_LIST_FIELDS = ("keywords", "abbreviations", "weak_keywords", "weak_requires", "negative_keywords",
                "false_friends", "questions", "implies")


class CodebookError(SvarsanalysError):
    """A codebook that cannot be used; the message is Swedish and names the source."""


@dataclass
class Code:
    """One code (measure type) and its patterns."""

    id: str
    label: str
    category: str = ""
    definition: str = ""
    questions: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    abbreviations: list[str] = field(default_factory=list)
    compounds: list[dict] = field(default_factory=list)
    cooccurrence: list[dict] = field(default_factory=list)
    weak_keywords: list[str] = field(default_factory=list)
    weak_requires: list[str] = field(default_factory=list)
    negative_keywords: list[str] = field(default_factory=list)
    false_friends: list[str] = field(default_factory=list)
    notes: str = ""
    implies: list[str] = field(default_factory=list)  # codes that always apply with this one

    def to_doc(self) -> dict:
        """This code as a plain dict (the YAML/JSON shape)."""
        out: dict[str, Any] = {"id": self.id, "label": self.label, "definition": self.definition,
                               "questions": list(self.questions), "keywords": list(self.keywords),
                               "abbreviations": list(self.abbreviations)}
        if self.compounds:
            out["compounds"] = copy.deepcopy(self.compounds)
        if self.cooccurrence:
            out["cooccurrence"] = copy.deepcopy(self.cooccurrence)
        if self.weak_keywords:
            out["weak_keywords"] = list(self.weak_keywords)
            out["weak_requires"] = list(self.weak_requires)
        if self.implies:
            out["implies"] = list(self.implies)
        out["negative_keywords"] = list(self.negative_keywords)
        out["false_friends"] = list(self.false_friends)
        out["notes"] = self.notes
        return out


@dataclass
class Category:
    """A category grouping codes (an area of the questionnaire)."""

    id: str
    label: str
    description: str = ""
    questions: list[str] = field(default_factory=list)
    codes: list[Code] = field(default_factory=list)


@dataclass
class Codebook:
    """A whole codebook: categories with codes, plus markers (status, scope, negation...)."""

    name: str
    categories: list[Category]
    markers: dict = field(default_factory=dict)
    version: int = 1
    meta: dict = field(default_factory=dict)

    # ------------------------------------------------------------------ access
    @property
    def codes(self) -> list[Code]:
        """All codes in category order."""
        return [c for cat in self.categories for c in cat.codes]

    @property
    def code_ids(self) -> list[str]:
        return [c.id for c in self.codes]

    def code(self, code_id: str) -> Code:
        """The code with this id (KeyError if unknown)."""
        for c in self.codes:
            if c.id == code_id:
                return c
        raise KeyError(code_id)

    def labels(self) -> dict[str, str]:
        """code id -> label."""
        return {c.id: c.label for c in self.codes}

    # --------------------------------------------------------------- conversion
    @classmethod
    def from_doc(cls, doc: dict, source: str = "kodboken") -> "Codebook":
        """Build and validate a codebook from its document (parsed YAML or stored JSON)."""
        return _parse(doc, source)

    def to_doc(self) -> dict:
        """The codebook as a JSON-serialisable document (round-trips through from_doc)."""
        doc = dict(copy.deepcopy(self.meta))
        doc["name"] = self.name
        doc["version"] = self.version
        doc["categories"] = [
            {"id": cat.id, "label": cat.label, "description": cat.description,
             "questions": list(cat.questions), "codes": [c.to_doc() for c in cat.codes]}
            for cat in self.categories
        ]
        doc["markers"] = copy.deepcopy(self.markers)
        return doc

    def fingerprint(self) -> str:
        """A stable hash of the document (cache key for compiled matchers)."""
        import hashlib

        return hashlib.sha1(json.dumps(self.to_doc(), sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# --------------------------------------------------------------------------- parsing


def _str_list(value: Any, where: str, source: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise CodebookError(f"{source}: {where} ska vara en lista med ord eller fraser.")
    out = []
    for v in value:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            v = str(v)
        if not isinstance(v, str):
            raise CodebookError(f"{source}: {where} innehåller något som inte är text: {v!r}.")
        v = v.strip()
        if v:
            out.append(v)
    return out


def _parse_code(raw: Any, cat_id: str, source: str) -> Code:
    if not isinstance(raw, dict):
        raise CodebookError(f"{source}: en kod i kategorin '{cat_id}' är inte ett objekt med id och etikett.")
    cid = raw.get("id")
    if not isinstance(cid, str) or not cid.strip():
        raise CodebookError(f"{source}: en kod i kategorin '{cat_id}' saknar id.")
    cid = cid.strip()
    where = f"koden '{cid}'"
    label = raw.get("label") or cid
    if not isinstance(label, str):
        raise CodebookError(f"{source}: {where} har en etikett som inte är text.")
    lists = {f: _str_list(raw.get(f), f"{where}: fältet '{f}'", source) for f in _LIST_FIELDS}
    compounds = raw.get("compounds") or []
    if not isinstance(compounds, list):
        raise CodebookError(f"{source}: {where}: 'compounds' ska vara en lista med head/modifiers.")
    comp_out = []
    for c in compounds:
        if not isinstance(c, dict) or not isinstance(c.get("head"), str) or not c["head"].strip():
            raise CodebookError(f"{source}: {where}: varje sammansättningsregel behöver ett 'head' (efterled), t.ex. head: team.")
        mods = _str_list(c.get("modifiers"), f"{where}: 'modifiers' för efterledet '{c['head']}'", source)
        if not mods:
            raise CodebookError(f"{source}: {where}: efterledet '{c['head']}' behöver minst en förled i 'modifiers'.")
        comp_out.append({"head": c["head"].strip(), "modifiers": mods})
    cooc = raw.get("cooccurrence") or []
    if not isinstance(cooc, list):
        raise CodebookError(f"{source}: {where}: 'cooccurrence' ska vara en lista med regler.")
    cooc_out = []
    for i, rule in enumerate(cooc, 1):
        if not isinstance(rule, dict) or not isinstance(rule.get("all"), list):
            raise CodebookError(f"{source}: {where}: samförekomstregel {i} behöver 'all' med 2–3 begreppslistor.")
        lists_ = [_str_list(lst, f"{where}: samförekomstregel {i}", source) for lst in rule["all"]]
        if not 2 <= len(lists_) <= 3 or any(not lst for lst in lists_):
            raise CodebookError(f"{source}: {where}: samförekomstregel {i} ska ha 2 eller 3 icke-tomma begreppslistor.")
        cooc_out.append({"name": str(rule.get("name") or f"regel {i}"), "all": lists_})
    if lists["weak_keywords"] and not lists["weak_requires"]:
        raise CodebookError(f"{source}: {where}: svaga nyckelord kräver en lista 'weak_requires' med konkreta insatsord.")
    notes = raw.get("notes") or ""
    return Code(id=cid, label=label.strip(), category=cat_id, definition=str(raw.get("definition") or ""),
                questions=[str(q) for q in lists["questions"]], keywords=lists["keywords"],
                abbreviations=lists["abbreviations"], compounds=comp_out, cooccurrence=cooc_out,
                weak_keywords=lists["weak_keywords"], weak_requires=lists["weak_requires"],
                negative_keywords=lists["negative_keywords"], false_friends=lists["false_friends"],
                notes=str(notes), implies=lists["implies"])


def _parse(doc: Any, source: str) -> Codebook:
    if not isinstance(doc, dict):
        raise CodebookError(f"{source}: kodboken ska vara ett YAML-objekt med 'name' och 'categories'.")
    cats_raw = doc.get("categories")
    if not isinstance(cats_raw, list) or not cats_raw:
        raise CodebookError(f"{source}: kodboken saknar kategorier ('categories').")
    seen: set[str] = set()
    cats: list[Category] = []
    for raw in cats_raw:
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise CodebookError(f"{source}: en kategori saknar id.")
        cat_id = raw["id"].strip()
        codes_raw = raw.get("codes") or []
        if not isinstance(codes_raw, list):
            raise CodebookError(f"{source}: kategorin '{cat_id}': 'codes' ska vara en lista.")
        codes = []
        for c in codes_raw:
            code = _parse_code(c, cat_id, source)
            if code.id in seen:
                raise CodebookError(f"{source}: kod-id '{code.id}' förekommer mer än en gång.")
            seen.add(code.id)
            codes.append(code)
        cats.append(Category(id=cat_id, label=str(raw.get("label") or cat_id),
                             description=str(raw.get("description") or ""),
                             questions=[str(q) for q in (raw.get("questions") or [])], codes=codes))
    if not seen:
        raise CodebookError(f"{source}: kodboken innehåller inga koder.")
    for cat in cats:
        for code in cat.codes:
            for other in code.implies:
                if other not in seen:
                    raise CodebookError(f"{source}: koden '{code.id}' anger 'implies: {other}', men den koden finns inte.")
    markers = doc.get("markers") or {}
    if not isinstance(markers, dict):
        raise CodebookError(f"{source}: 'markers' ska vara ett objekt.")
    meta = {k: v for k, v in doc.items() if k not in ("name", "version", "categories", "markers")}
    try:
        version = int(doc.get("version") or 1)
    except (TypeError, ValueError):
        raise CodebookError(f"{source}: 'version' ska vara ett heltal.") from None
    return Codebook(name=str(doc.get("name") or "kodbok"), categories=cats, markers=markers,
                    version=version, meta=copy.deepcopy(meta))


def load_codebook(path: Union[str, Path]) -> Codebook:
    """Read and validate a codebook YAML (or JSON) file; CodebookError with a Swedish message."""
    p = Path(path)
    name = p.name
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise CodebookError(f"Kodboken {name} finns inte.") from None
    except OSError as e:
        raise CodebookError(f"Kodboken {name} kunde inte läsas ({e.strerror or e}).") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CodebookError(f"Kodboken {name} är inte UTF-8-kodad text.") from None
    doc = _stored_document(raw, text, f"Kodboken {name}")
    book = _parse(doc, f"Kodboken {name}")
    check_unique_labels(book.to_doc(), f"Kodboken {name}")
    return book


_DOC_FORMAT = 1  # bump when the stored layout changes
_DOC_PREFIX = "yamldoc-"  # not "codebook-*": nlp.codebook_cache keeps only its newest files of that name


def _document_file(raw: bytes) -> Optional[Path]:
    """Where the YAML document of a codebook file's bytes ``raw`` is kept (see :func:`_stored_document`), or None
    (caching off, PyYAML not found). The name is a digest of the bytes, this module's source (the loader and
    its checks), PyYAML's installed files and the Python version (marshal's format)."""
    import hashlib
    import importlib.util
    import sys

    from nlp.lang_sv import lemma_cache

    folder = lemma_cache.cache_dir()
    if folder is None:
        return None
    try:
        spec = importlib.util.find_spec("yaml")
        origin = Path(spec.origin) if spec is not None and spec.origin else None
        if origin is None:
            return None
        h = hashlib.sha256(f"{_DOC_FORMAT}\0{sys.version_info[:2]}\0".encode())
        for f in sorted(origin.parent.iterdir()):  # PyYAML's modules and its compiled loader
            if f.is_file():
                st = f.stat()
                h.update(f"{f.name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        h.update(Path(__file__).read_bytes())
        h.update(b"\0" + raw)
    except (OSError, ValueError, ImportError):
        return None
    return folder / f"{_DOC_PREFIX}{h.hexdigest()[:32]}.marshal"


def _stored_document(raw: bytes, text: str, source: str) -> Any:
    """:func:`yaml_document` of a codebook file's ``text`` (its bytes ``raw``), read from the cache folder of
    :mod:`nlp.lang_sv.lemma_cache` when the same bytes were read before by the same code: a `cli.py tag`
    process then neither imports PyYAML nor parses (~0.05 s). Only a valid document is kept (an invalid one
    raises as before); a missing, unreadable or foreign file, or a document marshal cannot hold (dates),
    only means parsing again."""
    import marshal

    path = _document_file(raw)
    if path is not None:
        try:
            got = marshal.loads(path.read_bytes())
            if type(got) is tuple and len(got) == 2 and got[0] == path.name:
                return got[1]
        except (OSError, ValueError, EOFError, TypeError):
            pass
    doc = yaml_document(text, source, CodebookError)
    if path is not None:
        from nlp.lang_sv import lemma_cache

        try:
            lemma_cache.write_marshal(path, (path.name, doc))
        except ValueError:  # a value marshal cannot hold: no cache (write_marshal left no file)
            pass
    return doc


class _DuplicateKey(CodebookError):
    """A key written twice in one YAML mapping (raised inside the loader, turned into the caller's error)."""

    def __init__(self, key, first: int, again: int):
        super().__init__(f"nyckeln '{key}' står två gånger (rad {first} och rad {again})")
        self.key, self.first, self.again = key, first, again


def _loader():
    """A safe YAML loader (the C one when PyYAML has it) that refuses a key written twice in one mapping:
    plain YAML keeps the last one and silently drops the first (a second ``abbreviations:`` under a code)."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def construct_mapping(loader, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:  # an unhashable key: the constructor below reports it
                continue
            if first is not None:
                raise _DuplicateKey(key, first, key_node.start_mark.line + 1)
            seen[key] = key_node.start_mark.line + 1
        return yaml.constructor.SafeConstructor.construct_mapping(loader, node, deep)

    loader = type("CodebookLoader", (base,), {})
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    return loader


_LOADER = None


def yaml_document(text: str, source: str, error: type = None) -> Any:
    """The YAML (or JSON) document of a codebook's text; ``error`` (default CodebookError) with a Swedish
    message naming ``source`` and the line on invalid YAML or on a key written twice in one mapping."""
    import yaml

    global _LOADER
    error = error or CodebookError
    if _LOADER is None:
        _LOADER = _loader()
    try:
        return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
    except _DuplicateKey as e:
        raise error(f"{source}: nyckeln '{e.key}' står två gånger i samma avsnitt (rad {e.first} och rad "
                    f"{e.again}); bara den sista skulle läsas. Slå ihop dem till en.") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" på rad {mark.line + 1}, kolumn {mark.column + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or "ogiltig syntax"
        raise error(f"{source} är inte giltig YAML{where}: {problem}.") from None


def check_unique_labels(doc: dict, source: str = "kodboken") -> None:
    """Refuse a codebook where two codes share a label (compared case- and whitespace-insensitively).

    Called where a codebook enters or is edited (file, import, editor); a stored project codebook
    still loads, so older projects keep working until the label is fixed.
    """
    labels: dict[str, str] = {}
    for cat in doc.get("categories") or []:
        for code in cat.get("codes") or []:
            label = str(code.get("label") or code.get("id") or "")
            key = " ".join(label.split()).casefold()
            if key in labels:
                raise CodebookError(f"{source}: koderna '{labels[key]}' och '{code.get('id')}' har samma namn "
                                    f"'{label.strip()}'; varje kod behöver ett eget namn.")
            labels[key] = str(code.get("id"))


_DEFAULT: Optional[dict] = None


def default_codebook() -> Codebook:
    """The bundled default codebook (data/codebook.yaml); the parsed document is cached."""
    return Codebook.from_doc(copy.deepcopy(default_document()), source="standardkodboken")


def default_document() -> dict:
    """The document of the bundled default codebook (``default_codebook().to_doc()``'s value), parsed once and
    shared: a caller only reads it (:func:`default_codebook` gives a copy to change)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_codebook(DEFAULT_CODEBOOK_PATH).to_doc()
    return _DEFAULT
