"""Thin adapters from the app to the other layers (importers, tagger, clustering, exports).

The other parts of Svarsanalys are built in parallel; every function here imports its
module lazily and returns `None` (or raises `Unavailable`) when the module or function is
not there yet, so that a page can show "inte tillgängligt ännu" instead of crashing.
No Streamlit import here: this module is plain Python and testable on its own.
"""
from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional

from errors import SvarsanalysError

NOT_YET = "inte tillgängligt ännu"


class Unavailable(SvarsanalysError):
    """A part of Svarsanalys that the app needs has not landed yet."""


def module(name: str) -> Optional[Any]:
    """Import a module by dotted name, or None when it does not exist (yet) or fails to import."""
    try:
        return importlib.import_module(name)
    except Exception:  # noqa: BLE001 - a half-written module must not break the app
        return None


def function(module_name: str, name: str) -> Optional[Callable]:
    """A function of a module, or None."""
    mod = module(module_name)
    fn = getattr(mod, name, None) if mod is not None else None
    return fn if callable(fn) else None


def _accepts(fn: Callable, param: str) -> bool:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return param in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


def field_of(item: Any, *names: str, default: Any = None) -> Any:
    """First present attribute/key of `item` among `names`."""
    for name in names:
        if isinstance(item, dict):
            if item.get(name) is not None:
                return item[name]
        else:
            value = getattr(item, name, None)
            if value is not None:
                return value
    return default


# ------------------------------------------------------------------ progress
ProgressFn = Callable[[float, str], None]


def progress_adapter(report: ProgressFn) -> Callable[..., None]:
    """Turn whatever a worker reports (fraction, (done, total), message) into report(fraction, text)."""

    def callback(*args: Any, **kwargs: Any) -> None:
        values = list(args) + list(kwargs.values())
        numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
        texts = [str(v) for v in values if isinstance(v, str)]
        fraction: Optional[float] = None
        if len(numbers) >= 2 and numbers[1]:
            fraction = numbers[0] / numbers[1]
        elif numbers:
            fraction = float(numbers[0])
            if fraction > 1:
                fraction = None
        try:
            report(max(0.0, min(1.0, fraction if fraction is not None else 0.0)) if fraction is not None else -1.0,
                   " ".join(texts))
        except Exception:  # noqa: BLE001 - a progress display must never stop the work
            pass

    return callback


# ------------------------------------------------------------------ import
@dataclass
class FileResult:
    """One line of the import report, whatever the importer's own report type looks like."""

    name: str
    ok: bool
    answers: int = 0
    message: str = ""
    unresolved: list[str] = field(default_factory=list)
    status: str = ""  # imported | replaced | unchanged | failed ("" when the importer does not say)
    round_label: str = ""
    warnings: list[str] = field(default_factory=list)


def _file_result(report: Any) -> FileResult:
    name = str(field_of(report, "name", "file_name", "path", "file", default="?"))
    error = field_of(report, "error", "error_message")
    status = str(field_of(report, "status", default="") or "")
    ok_value = field_of(report, "ok", "success")
    ok = bool(ok_value) if ok_value is not None else (not error and status not in ("error", "failed", "fel"))
    answers = field_of(report, "answers", "n_answers", "count", default=0)
    if isinstance(answers, (list, tuple)):
        answers = len(answers)
    message = str(error or field_of(report, "message", default="") or "")
    unresolved = list(field_of(report, "unresolved", default=[]) or [])
    round_label = str(field_of(report, "round_label", default="") or "")
    warnings = [str(w) for w in (field_of(report, "warnings", default=[]) or [])]
    return FileResult(name, ok, int(answers or 0), message, [str(u) for u in unresolved], status, round_label,
                      warnings)


def import_available() -> bool:
    return function("models.importing", "import_uploads") is not None


def import_uploads(store: Any, files: list[tuple[str, bytes]],
                   progress: Optional[ProgressFn] = None,
                   rounds: Optional[dict[str, str]] = None) -> list[FileResult]:
    """Import uploaded (name, bytes) files into the store; one FileResult per file.

    `rounds` maps a file name to the round its answers belong to.
    """
    fn = function("models.importing", "import_uploads")
    if fn is None:
        raise Unavailable("Import av filer är " + NOT_YET + ".")
    kwargs: dict[str, Any] = {"progress": progress_adapter(progress)} if progress and _accepts(fn, "progress") else {}
    if rounds and _accepts(fn, "rounds"):
        kwargs["rounds"] = rounds
    return [_file_result(r) for r in fn(store, files, **kwargs)]


def import_paths(store: Any, paths: Iterable[Any], progress: Optional[ProgressFn] = None,
                 round_label: Optional[str] = None) -> list[FileResult]:
    """Import files or folders from disk (the bundled sample), into round `round_label` when given."""
    fn = function("models.importing", "import_paths")
    if fn is None:
        raise Unavailable("Import av filer är " + NOT_YET + ".")
    kwargs: dict[str, Any] = {"progress": progress_adapter(progress)} if progress and _accepts(fn, "progress") else {}
    if round_label is not None and _accepts(fn, "round_label"):
        kwargs["round_label"] = round_label
    return [_file_result(r) for r in fn(store, list(paths), **kwargs)]


# ------------------------------------------------------------------ tagging
def tagging_available() -> bool:
    return function("models.tagging", "tag_project") is not None


def codebook_from_doc(doc: dict) -> Any:
    """A Codebook object from a codebook document (nlp.codebook), or Unavailable."""
    mod = module("nlp.codebook")
    cls = getattr(mod, "Codebook", None) if mod is not None else None
    if cls is None or not hasattr(cls, "from_doc"):
        raise Unavailable("Kodboken kan inte läsas: " + NOT_YET + ".")
    return cls.from_doc(doc)


def tag_project(store: Any, doc: Optional[dict] = None, progress: Optional[ProgressFn] = None) -> Any:
    """Tag every answer of the project with the given (or the project's) codebook."""
    fn = function("models.tagging", "tag_project")
    if fn is None:
        raise Unavailable("Taggning är " + NOT_YET + ".")
    kwargs: dict[str, Any] = {}
    if doc is not None:
        kwargs["codebook"] = codebook_from_doc(doc)
    if progress and _accepts(fn, "progress"):
        kwargs["progress"] = progress_adapter(progress)
    return fn(store, **kwargs)


# ------------------------------------------------------------------ registry
def registry_module() -> Optional[Any]:
    mod = module("models.registry")
    return mod if mod is not None and hasattr(mod, "all_respondents") else None


def registry_entries() -> list[Any]:
    """Every region, kommun and RSS of the registry (Respondent records), or []."""
    mod = registry_module()
    if mod is None:
        return []
    try:
        return list(mod.all_respondents())
    except Exception:  # noqa: BLE001
        return []


def registry_suggest(name: str, n: int = 5) -> list[Any]:
    mod = registry_module()
    fn = getattr(mod, "suggest", None) if mod is not None else None
    if fn is None:
        return []
    try:
        return list(fn(name, n))
    except Exception:  # noqa: BLE001
        return []
