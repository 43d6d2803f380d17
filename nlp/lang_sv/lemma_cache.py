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
from typing import Iterator, Mapping, Optional

__all__ = ["cache_dir", "dictionary_cache_file", "sv_dictionary", "fallback_lemmatizer", "write_marshal",
           "reversed_forms_trie"]

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


def _data_folder() -> Path:
    """simplemma's dictionary folder, found without importing simplemma (whose import compiles its
    rules: ~0.2 s that a process with every form in the lemma cache never needs)."""
    import importlib.util

    spec = importlib.util.find_spec("simplemma")
    locations = list(spec.submodule_search_locations or ()) if spec is not None else []
    if locations:
        folder = Path(locations[0]) / "strategies" / "dictionaries" / "data"
        if folder.is_dir():
            return folder
    from simplemma.strategies.dictionaries import dictionary_factory as f

    return f.DATA_FOLDER


def dictionary_cache_file(folder: Path) -> Optional[Path]:
    """The cache file of the decoded dictionary of the installed simplemma in ``folder``, or None."""
    try:
        from importlib.metadata import version

        st = (_data_folder() / f"{_LANG}.plzma").stat()
        ver = version("simplemma")
    except Exception:  # noqa: BLE001 - unknown layout: no cache
        return None
    return folder / f"simplemma-{ver}-{_LANG}-{st.st_size}-{int(st.st_mtime)}.marshal"


def _load_raw() -> dict:
    """The decoded bytes->bytes dict (from the cache when possible)."""
    folder = cache_dir()
    path = dictionary_cache_file(folder) if folder is not None else None
    if path is not None and path.exists():
        try:
            raw = marshal.loads(path.read_bytes())
            if isinstance(raw, dict) and raw:
                return raw
        except (OSError, ValueError, EOFError, TypeError):
            pass
    from simplemma.strategies.dictionaries import dictionary_factory as f

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


def _reversed_forms(raw: Mapping[bytes, bytes]) -> Iterator[str]:
    """Every key of ``raw`` as text written backwards (a key that is not UTF-8 can match no word)."""
    for k in raw:
        try:
            yield k.decode()[::-1]
        except UnicodeDecodeError:
            continue


def reversed_forms_trie(raw: Mapping[bytes, bytes]):
    """A ``marisa_trie.Trie`` of every dictionary form written backwards, or None.

    ``trie.prefixes(word[::-1])`` then lists, in one compiled call, every form that ends ``word``
    (the candidate heads of a compound), shortest first. Built from ``raw`` (the decoded
    bytes->bytes dictionary) once and kept next to its cache file (memory-mapped on later
    starts); None when marisa-trie is missing or caching is off (then the compound splitter
    tests each suffix in the dictionary itself, with the same result).
    """
    try:
        import marisa_trie
    except ImportError:
        return None
    folder = cache_dir()
    dict_file = dictionary_cache_file(folder) if folder is not None else None
    if dict_file is None:
        return None
    path = dict_file.with_name(dict_file.stem + "-reversed.marisa")
    trie = marisa_trie.Trie()
    if path.exists():
        try:
            return trie.mmap(str(path))
        except Exception:  # noqa: BLE001 - unreadable or foreign file: build it again
            pass
    trie = marisa_trie.Trie(_reversed_forms(raw))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        os.close(fd)
        try:
            trie.save(tmp)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, RuntimeError):  # marisa reports its I/O errors as RuntimeError
        pass  # read-only folder: the in-memory trie still serves this process
    return trie


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
