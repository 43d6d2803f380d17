"""The parsed JSON of a shipped model (data/models/disposer.json, proposer.json), kept on disk with ``marshal``.

Parsing the two JSON artifacts (5.3 MB, mostly numbers) cost ~0.1 CPU s at every `cli.py tag` start; the
parts a model is built from are stored once in the cache folder of :mod:`nlp.lang_sv.lemma_cache`
(``$SVARSANALYS_CACHE_DIR``; ``off`` disables it; off under pytest unless set) under a digest of the file's
bytes, the keys asked for and the Python version (marshal's format), and read back with ``marshal`` (binary
numbers: the same values, several times faster). A missing, unreadable or foreign file only means parsing
the JSON again; a changed artifact has another digest.

With ``arrays=True`` (:func:`json_parts`) the long lists of numbers (the coefficients, idf: ~430,000 numbers of the
proposer) are given as numpy arrays of the same numbers and stored packed, as their raw machine bytes: reading them
back is a copy of bytes, where a list costs an int object per number to unmarshal and ``np.asarray`` a conversion
per number (together ~0.3 G instructions of a `cli.py tag` start for the proposer). A model built with
``np.asarray(x, dtype=float)`` of such an array holds the same doubles as from the list.
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
PACK_MIN = 1024  # (arrays=True) a list of at least this many numbers is given as a numpy array
_PACKED = "\0ndarray"  # the tag of a packed array in the cache file: (tag, dtype, shape, raw bytes)
_INT64 = (-(1 << 63), (1 << 63) - 1)


def _numeric_kind(xs: list) -> Optional[str]:
    """"q" when every item is an int (not a bool) within int64, "d" when every item is a float, else None."""
    if not xs:
        return None
    t = type(xs[0])
    if t is int:
        lo, hi = _INT64
        for v in xs:
            if type(v) is not int or not lo <= v <= hi:
                return None
        return "q"
    if t is float:
        for v in xs:
            if type(v) is not float:
                return None
        return "d"
    return None


def _pack(x: Any) -> Any:
    """``x`` with every list of at least :data:`PACK_MIN` numbers of one kind (see :func:`_numeric_kind`), and every
    list of equally long such rows, replaced by (:data:`_PACKED`, dtype, shape, its bytes); anything else as is."""
    import numpy as np

    if type(x) is dict:
        return {k: _pack(v) for k, v in x.items()}
    if type(x) is not list:
        return x
    kind = _numeric_kind(x)
    if kind is not None:
        if len(x) >= PACK_MIN:
            a = np.asarray(x, dtype=np.int64 if kind == "q" else np.float64)
            return (_PACKED, a.dtype.str, a.shape, a.tobytes())
        return x
    if x and all(type(r) is list for r in x):
        n = len(x[0])
        kinds = {_numeric_kind(r) if len(r) == n else None for r in x}
        if len(kinds) == 1 and None not in kinds and n * len(x) >= PACK_MIN:
            kind = kinds.pop()
            a = np.asarray(x, dtype=np.int64 if kind == "q" else np.float64)
            return (_PACKED, a.dtype.str, a.shape, a.tobytes())
    return [_pack(v) for v in x]


def _unpack(x: Any) -> Any:
    """:func:`_pack` undone to numpy arrays: each packed list an array (int64 or float64, its own writable copy)."""
    if type(x) is dict:
        return {k: _unpack(v) for k, v in x.items()}
    if type(x) is tuple and len(x) == 4 and x[0] == _PACKED:
        import numpy as np

        return np.frombuffer(x[3], dtype=np.dtype(x[1])).reshape(x[2]).copy()
    if type(x) is list:
        return [_unpack(v) for v in x]
    return x


def _path(raw: bytes, keys: tuple, arrays: bool = False) -> Optional[Path]:
    from nlp.lang_sv import lemma_cache

    folder = lemma_cache.cache_dir()
    if folder is None:
        return None
    h = hashlib.sha256(f"{FORMAT}\0{sys.version_info[:2]}\0{keys!r}\0{'arrays' if arrays else ''}".encode())
    h.update(raw)
    return folder / f"{_PREFIX}{h.hexdigest()[:32]}.marshal"


def json_parts(path: str, keys: tuple, arrays: bool = False) -> dict[str, Any]:
    """``{k: doc[k]}`` for every ``k`` of ``keys`` present in the JSON object in the file ``path`` (UTF-8), from
    the cache folder when the same bytes were parsed before; errors of reading or parsing are raised as by
    ``json.loads(Path(path).read_text(encoding="utf-8"))``. With ``arrays`` every list of at least
    :data:`PACK_MIN` numbers of one kind (all ints within int64, or all floats), and every list of equally long
    rows of such numbers, is a numpy array (int64 or float64) of the same numbers, stored packed (its own cache
    file)."""
    raw = Path(path).read_bytes()
    keys = tuple(keys)
    where = _path(raw, keys, arrays)
    if where is not None:
        try:
            got = marshal.loads(where.read_bytes())
            if type(got) is tuple and len(got) == 2 and got[0] == where.name and type(got[1]) is dict:
                return _unpack(got[1]) if arrays else got[1]
        except (OSError, ValueError, EOFError, TypeError):
            pass
    doc = json.loads(raw.decode("utf-8"))
    parts = {k: doc[k] for k in keys if k in doc}
    stored = _pack(parts) if arrays else parts
    if where is not None:
        from nlp.lang_sv import lemma_cache

        try:
            lemma_cache.write_marshal(where, (where.name, stored))
        except ValueError:  # a value marshal cannot hold: no cache
            pass
    return _unpack(stored) if arrays else parts
