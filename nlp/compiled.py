"""Optional compiled builds of the hot pure-Python tagging modules.

``python tools/build_compiled.py`` compiles the modules in :data:`MODULES` with Cython (no source change,
annotations not used as C types; a module's augmenting ``.pxd`` beside its ``.py``, when there is one, gives
C integer types to the positions of its hottest loops and may make a class an extension type) into
``nlp/_compiled/`` and writes beside each extension the SHA-256 of the source (``.py`` and ``.pxd``) it was built
from. :func:`install` (called by ``nlp/__init__.py``) puts a finder first on ``sys.meta_path`` that loads a
module's extension only when that hash equals the hash of its current source;
otherwise, without a build, or with ``SVARSANALYS_COMPILED=off``, Python imports the ``.py`` as usual.
The two give the same results (``tests/test_compiled.py`` compares ``cli.py tag`` outputs byte for byte).

No list, set or dict comprehension may run at module level in these modules (build such a value in a function):
Cython 3.3.1 (the version installed) keeps a module-level comprehension's loop variables as C globals and, on
leaving the comprehension, sets each back to ``None`` without taking a reference, so every later run of it (an
inner comprehension runs once per outer item) and the module's cleanup release a reference to ``None`` that
was never taken. On CPython 3.11 (``None`` not immortal) enough of them make ``None``'s count reach 0 and abort
the interpreter ("none_dealloc: deallocating None"). ``tests/test_compiled_import.py`` checks both the rule
and a clean exit of each built module imported alone.
"""
from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from pathlib import Path
from typing import Optional

__all__ = ["MODULES", "COMPILED_DIR", "source_hash", "source_path", "pxd_path", "compiled_path", "usable", "install",
           "status", "turned_off", "running_pure"]

MODULES = ("nlp.termmatch", "nlp.status_scope", "nlp.tagger", "nlp.disposer_features", "nlp.disposer",
           "nlp.disposer_text", "nlp.proposer", "nlp.normalise", "nlp.components", "nlp.lang_sv.compounds",
           "nlp.lang_sv.lemmas", "nlp.lang_sv.dictionary", "nlp.verbforms", "nlp.evidence")
NLP_DIR = Path(__file__).resolve().parent
ROOT = NLP_DIR.parent
COMPILED_DIR = NLP_DIR / "_compiled"


def source_hash(module: str) -> str:
    """SHA-256 of the module's ``.py`` source and, when there is one, of its augmenting ``.pxd`` (C types
    of some locals, used only by the build): a build is stale when either changed or the ``.pxd`` came
    or went."""
    h = hashlib.sha256(source_path(module).read_bytes())
    pxd = pxd_path(module)
    if pxd.exists():
        text = pxd.read_bytes()
        h.update(b"\0pxd\0")
        h.update(text)
        for dep in cimported(text):  # the shared C definitions it cimports (nlp/positions.pxd) are built in
            h.update(b"\0cimport\0" + dep.encode("ascii") + b"\0")
            h.update(pxd_path(dep).read_bytes())
    return h.hexdigest()


def cimported(pxd_text: bytes) -> list[str]:
    """The modules of this package whose ``.pxd`` an augmenting ``.pxd`` cimports (``from nlp.X cimport ...``):
    their C definitions are compiled into the module, so they are part of its source."""
    import re

    return sorted({m.decode("ascii") for m in re.findall(rb"^from\s+(nlp(?:\.\w+)+)\s+cimport\b", pxd_text, re.M)})


def source_path(module: str) -> Path:
    """The module's ``.py`` file."""
    return ROOT / (module.replace(".", "/") + ".py")


def pxd_path(module: str) -> Path:
    """The module's augmenting ``.pxd`` beside its ``.py`` (may not exist)."""
    return ROOT / (module.replace(".", "/") + ".pxd")


def compiled_path(module: str) -> Path:
    """Where the module's extension lies after a build (this interpreter's suffix)."""
    return COMPILED_DIR / (module + importlib.machinery.EXTENSION_SUFFIXES[0])


def stamp_path(module: str) -> Path:
    return COMPILED_DIR / (module + ".sha256")


def usable(module: str) -> bool:
    """Whether the module's extension exists and was built from its current source."""
    so, stamp = compiled_path(module), stamp_path(module)
    try:
        return so.exists() and stamp.read_text(encoding="ascii").strip() == source_hash(module)
    except OSError:
        return False


class _CompiledFinder(importlib.abc.MetaPathFinder):
    """Finds the compiled extension of a module of :data:`MODULES` when it is up to date."""

    def find_spec(self, fullname: str, path=None, target=None) -> Optional[importlib.machinery.ModuleSpec]:
        if fullname not in MODULES or not usable(fullname):
            return None
        return importlib.util.spec_from_file_location(fullname, compiled_path(fullname))


def turned_off() -> bool:
    """Whether ``SVARSANALYS_COMPILED=off`` asks for the pure-Python modules."""
    return os.environ.get("SVARSANALYS_COMPILED", "").strip().lower() == "off"


def running_pure() -> bool:
    """Whether some tagging module runs as Python because its build is missing or stale (Python asked for
    with ``SVARSANALYS_COMPILED=off`` does not count)."""
    return not turned_off() and not all(usable(m) for m in MODULES)


def status() -> str:
    """One Swedish line saying which build runs: ``"kompilerade (14 av 14)"``, ``"Python (avstängda)"`` or
    ``"Python (… saknar bygge: python tools/build_compiled.py)"``."""
    if turned_off():
        return "Python (SVARSANALYS_COMPILED=off)"
    built = sum(usable(m) for m in MODULES)
    if built == len(MODULES):
        return f"kompilerade ({built} av {len(MODULES)})"
    return (f"{'delvis kompilerade' if built else 'Python'} ({built} av {len(MODULES)} byggda; "
            "bygg med python tools/build_compiled.py)")


def install() -> None:
    """Put the finder first on ``sys.meta_path`` (once), unless ``SVARSANALYS_COMPILED=off``."""
    if turned_off():
        return
    if not any(isinstance(f, _CompiledFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _CompiledFinder())
