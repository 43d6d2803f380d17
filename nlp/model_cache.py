"""The parsed JSON of a shipped model (data/models/disposer.json, proposer.json), kept on disk with ``marshal``.

Parsing the two JSON artifacts (5.3 MB, mostly numbers) cost ~0.1 CPU s at every `cli.py tag` start; the
parts a model is built from are stored once in the cache folder of :mod:`nlp.lang_sv.lemma_cache`
(``$SVARSANALYS_CACHE_DIR``; ``off`` disables it; off under pytest unless set) under a digest of the file's
bytes, the keys asked for and the Python version (marshal's format), and read back with ``marshal`` (binary
numbers: the same values, several times faster). A missing, unreadable or foreign file only means parsing
the JSON again; a changed artifact has another digest.
"""
from __future__ import annotations

import hashlib
import json
import marshal
import sys
from pathlib import Path
from typing import Any, Optional

__all__ = ["json_parts", "FORMAT"]

FORMAT = 1  # bump when the stored layout changes
_PREFIX = "model-"


def _path(raw: bytes, keys: tuple) -> Optional[Path]:
    from nlp.lang_sv import lemma_cache

    folder = lemma_cache.cache_dir()
    if folder is None:
        return None
    h = hashlib.sha256(f"{FORMAT}\0{sys.version_info[:2]}\0{keys!r}\0".encode())
    h.update(raw)
    return folder / f"{_PREFIX}{h.hexdigest()[:32]}.marshal"


def json_parts(path: str, keys: tuple) -> dict[str, Any]:
    """``{k: doc[k]}`` for every ``k`` of ``keys`` present in the JSON object in the file ``path`` (UTF-8), from
    the cache folder when the same bytes were parsed before; errors of reading or parsing are raised as by
    ``json.loads(Path(path).read_text(encoding="utf-8"))``."""
    raw = Path(path).read_bytes()
    keys = tuple(keys)
    where = _path(raw, keys)
    if where is not None:
        try:
            got = marshal.loads(where.read_bytes())
            if type(got) is tuple and len(got) == 2 and got[0] == where.name and type(got[1]) is dict:
                return got[1]
        except (OSError, ValueError, EOFError, TypeError):
            pass
    doc = json.loads(raw.decode("utf-8"))
    parts = {k: doc[k] for k in keys if k in doc}
    if where is not None:
        from nlp.lang_sv import lemma_cache

        try:
            lemma_cache.write_marshal(where, (where.name, parts))
        except ValueError:  # a value marshal cannot hold: no cache
            pass
    return parts
