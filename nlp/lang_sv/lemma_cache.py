"""simplemma's Swedish form -> lemma dictionary, with a local on-disk cache of the decoded data.

simplemma ships its dictionaries front-coded and lzma-compressed; decoding the Swedish one takes
about a second at every process start (`cli.py tag`). The decoded bytes->bytes dict is written
once with `marshal` (loads ~3× faster) to ``$SVARSANALYS_CACHE_DIR`` (default
``$XDG_CACHE_HOME/svarsanalys`` or ``~/.cache/svarsanalys``), keyed by simplemma's version and
the size/mtime of its data file, written atomically. Nothing is downloaded; any problem with the
cache falls back to simplemma's own loader. Set ``SVARSANALYS_CACHE_DIR=off`` to disable it.
Under pytest the cache is off unless ``SVARSANALYS_CACHE_DIR`` is set explicitly.
"""
from __future__ import annotations

import marshal
import os
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Optional

__all__ = ["cache_dir", "dictionary_cache_file", "sv_dictionary", "fallback_lemmatizer", "write_marshal"]

_LANG = "sv"


def cache_dir() -> Optional[Path]:
    """Where decoded dictionaries are cached, or None when caching is off."""
    env = os.environ.get("SVARSANALYS_CACHE_DIR")
    if env is not None:
        return None if env.strip().lower() in ("", "off", "0", "none") else Path(env)
    if "pytest" in sys.modules:  # tests must not write outside the repo unless asked to
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "svarsanalys"


def dictionary_cache_file(folder: Path) -> Optional[Path]:
    """The cache file of the decoded dictionary of the installed simplemma in ``folder``, or None."""
    try:
        from importlib.metadata import version

        from simplemma.strategies.dictionaries import dictionary_factory as f

        st = (f.DATA_FOLDER / f"{_LANG}.plzma").stat()
        ver = version("simplemma")
    except Exception:  # noqa: BLE001 - unknown layout: no cache
        return None
    return folder / f"simplemma-{ver}-{_LANG}-{st.st_size}-{int(st.st_mtime)}.marshal"


def _load_raw() -> dict:
    """The decoded bytes->bytes dict (from the cache when possible)."""
    from simplemma.strategies.dictionaries import dictionary_factory as f

    folder = cache_dir()
    path = dictionary_cache_file(folder) if folder is not None else None
    if path is not None and path.exists():
        try:
            raw = marshal.loads(path.read_bytes())
            if isinstance(raw, dict) and raw:
                return raw
        except (OSError, ValueError, EOFError, TypeError):
            pass
    raw = f._load_dictionary_from_disk(_LANG)
    if path is not None:
        write_marshal(path, raw)
    return raw


def write_marshal(path: Path, data: object) -> bool:
    """Write ``data`` to ``path`` with marshal atomically (readers see the old file or the whole new one).

    Returns False when the folder cannot be written (read-only home etc.): then there is just no cache.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                marshal.dump(data, fh)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True


@lru_cache(maxsize=1)
def sv_dictionary() -> Mapping[str, str]:
    """simplemma's Swedish dictionary as its str->str mapping (bytes-backed, ``._dict``)."""
    try:
        from simplemma.strategies.dictionaries.dictionary_factory import MappingStrToByteString

        return MappingStrToByteString(_load_raw())
    except (ImportError, AttributeError):  # pragma: no cover - other simplemma layouts
        from simplemma.strategies.dictionaries import DefaultDictionaryFactory

        return DefaultDictionaryFactory().get_dictionary(_LANG)


class _Factory:
    """A simplemma DictionaryFactory serving the (cached) Swedish dictionary."""

    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        if lang != _LANG:
            raise ValueError(f"Unsupported language: {lang}")
        return sv_dictionary()


@lru_cache(maxsize=1)
def fallback_lemmatizer():
    """simplemma Lemmatizer (affix rules for unknown words) sharing :func:`sv_dictionary`."""
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy

    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=_Factory()))
