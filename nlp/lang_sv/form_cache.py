"""Lemmas per word form, kept on disk so that a form is lemmatised once across processes.

The lemma of a surface form depends only on the form, the lemmatiser's code and data and
simplemma's dictionary, so :func:`nlp.lang_sv.lemmas.lemma` results are stored as one
``marshal``-ed ``{form: lemma}`` dict in the cache folder of :mod:`nlp.lang_sv.lemma_cache`
(``$SVARSANALYS_CACHE_DIR``; ``off`` disables it; off under pytest unless set). The file name
carries a fingerprint of the lemmatiser's source files and of the dictionary, so any change to
them starts a new file. The file is read on the first look-up of a process and rewritten
atomically (never half-written) when enough new forms have been lemmatised, and at exit.
A missing, unreadable or foreign file only means lemmatising again.
"""
from __future__ import annotations

import atexit
import hashlib
import marshal
from pathlib import Path
from typing import Optional

from nlp.lang_sv import lemma_cache
from nlp.lang_sv.lemmas import lemma

__all__ = ["cached_lemma", "flush", "reset", "cache_path", "hold", "take_new", "add_forms", "FLUSH_EVERY",
           "MAX_FORMS"]

FLUSH_EVERY = 2_000  # new forms before :func:`flush` rewrites the file from an analysis batch
MAX_FORMS = 300_000  # a larger file starts again from the forms of this process

_SOURCES = ("lemmas.py", "compounds.py", "dictionary.py", "lemma_exceptions.py", "stop_words.py")

_LEMMA_UNCACHED = lemma.__wrapped__
_known: Optional[dict] = None  # forms read from disk plus those computed in this process
_new: dict = {}  # computed in this process, not yet written
_path: Optional[Path] = None
_atexit = False
_held = False  # a worker process of `cli.py tag --jobs`: its new forms go to its parent, which writes them


def cache_path() -> Optional[Path]:
    """The cache file of the current lemmatiser, or None when caching is off."""
    folder = lemma_cache.cache_dir()
    if folder is None:
        return None
    dict_file = lemma_cache.dictionary_cache_file(folder)
    if dict_file is None:
        return None
    h = hashlib.sha1(dict_file.name.encode())
    here = Path(__file__).resolve().parent
    for name in _SOURCES:
        try:
            h.update((here / name).read_bytes())
        except OSError:
            return None
    return folder / f"lemmas-{h.hexdigest()[:16]}.marshal"


def _load() -> dict:
    global _known, _path, _atexit
    _path = cache_path()
    data: dict = {}
    if _path is not None and _path.exists():
        try:
            got = marshal.loads(_path.read_bytes())
            if isinstance(got, dict) and all(type(k) is str and type(v) is str for k, v in got.items()):
                data = got
        except (OSError, ValueError, EOFError, TypeError):
            data = {}
    _known = data
    if _path is not None and not _atexit:
        atexit.register(flush)
        _atexit = True
    return data


def cached_lemma(form: str) -> str:
    """:func:`~nlp.lang_sv.lemmas.lemma` of ``form``, from the on-disk cache when it was seen before."""
    known = _known if _known is not None else _load()
    if _path is None:  # caching off: nothing to share
        return lemma(form)
    got = known.get(form)
    if got is None:
        # this dict is the form's memo: lemma()'s own memo is left to the heads it looks up meanwhile
        got = known[form] = _new[form] = _LEMMA_UNCACHED(form)
    return got


def flush(min_new: int = 1) -> None:
    """Write the forms lemmatised since the last write when there are at least ``min_new``."""
    global _known
    if _held or _path is None or _known is None or len(_new) < min_new:
        return
    data = _known
    if len(data) > MAX_FORMS:
        data = _known = dict(_new)
    if not lemma_cache.write_marshal(_path, data):
        return  # read-only home etc.: just no cache
    _new.clear()


def hold(on: bool = True) -> None:
    """With ``on``, this process writes nothing to the cache file (:func:`flush` does nothing); the forms
    it lemmatises stay in :func:`take_new` for another process to write. One writer per cache file."""
    global _held
    _held = bool(on)


def take_new() -> dict:
    """The forms lemmatised since the last write or the last call, as ``{form: lemma}``; they are no
    longer this process's to write."""
    got = dict(_new)
    _new.clear()
    return got


def add_forms(forms: dict) -> None:
    """Take lemmas computed by another process (:func:`take_new` of a held worker) as if lemmatised here:
    they are written by the next :func:`flush` (at exit at the latest)."""
    if not forms:
        return
    known = _known if _known is not None else _load()
    if _path is None:
        return
    for form, lem in forms.items():
        if form not in known:
            known[form] = _new[form] = lem


def reset() -> None:
    """Forget what this process read or computed (the next look-up reads the file again)."""
    global _known, _path
    _known = None
    _path = None
    _new.clear()
