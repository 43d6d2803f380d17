"""simplemma's Swedish form -> lemma dictionary, with a local on-disk cache of the decoded data.

simplemma ships its dictionaries front-coded and lzma-compressed; decoding the Swedish one takes
about a second at every process start (`cli.py tag`). The decoded bytes->bytes dict is written
once with `marshal` (loads ~3× faster) to ``$SVARSANALYS_CACHE_DIR`` (default
``$XDG_CACHE_HOME/svarsanalys`` or ``~/.cache/svarsanalys``), keyed by simplemma's version and
the size/mtime of its data file, written atomically. Nothing is downloaded; any problem with the
cache falls back to simplemma's own loader. Set ``SVARSANALYS_CACHE_DIR=off`` to disable it.
Under pytest the cache is off unless ``SVARSANALYS_CACHE_DIR`` is set explicitly.

Look-ups do not decode it at all (perf47): :func:`sv_tries` opens two ``marisa-trie`` files kept beside it,
memory-mapped — the forms written backwards (membership, compound heads) and form -> lemma (simplemma's own
``BytesTrie`` form of the same dictionary) —, built once per machine from the decoded dictionary and each
written with a check (size, CRC-32, number of keys) that is verified before marisa reads the file. Loading
the decoded dict cost ~1 G instructions per process, also when every form was in the lemma cache; the tries
cost a few pages read and ~0.5 µs more per look-up. A missing, damaged or unchecked file is built again
(with a log line when it was there).
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
           "reversed_forms_trie", "lemma_trie", "sv_tries", "sv_lookup"]

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


def _forms_and_lemmas(raw: Mapping[bytes, bytes]) -> Iterator[tuple[str, bytes]]:
    """Every (form as text, lemma bytes) of ``raw`` (a key that is not UTF-8 can match no word)."""
    for k, v in raw.items():
        try:
            yield k.decode(), v
        except UnicodeDecodeError:
            continue


def _warn(message: str) -> None:
    """One log line on stderr (logging's last-resort handler when the process configured none)."""
    import logging

    logging.getLogger("svarsanalys.lemma_cache").warning(message)


def _check_file(path: Path) -> Path:
    """The file beside ``path`` holding its check: (size, crc32, keys), marshal-ed."""
    return path.with_name(path.name + ".check")


def _file_check(path: Path) -> Optional[tuple[int, int]]:
    """(size, crc32) of the file at ``path``, read through a memory map (no copy), or None."""
    import mmap
    import zlib

    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size == 0:
                return 0, 0
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as m:
                return size, zlib.crc32(m)
    except (OSError, ValueError):
        return None


def _open_trie(path: Path, cls):
    """The ``marisa_trie`` ``cls`` memory-mapped from ``path`` when the file is whole: its size, CRC-32 and
    number of keys equal those written beside it when it was saved (a file that is not, or has no check, is
    never handed to marisa, whose reader trusts the file). None when there is no file; None with a log line
    when it is damaged or unchecked (the caller builds it again)."""
    if not path.exists():
        return None
    why = "saknar kontrollfil"
    try:
        want = marshal.loads(_check_file(path).read_bytes())
    except FileNotFoundError:
        want = None
    except (OSError, ValueError, EOFError, TypeError):
        want, why = None, "har en oläslig kontrollfil"
    if isinstance(want, tuple) and len(want) == 3:
        got = _file_check(path)
        if got is not None and got == tuple(want[:2]):
            try:
                trie = cls()
                trie.mmap(str(path))
                if len(trie) == want[2]:
                    return trie
            except Exception:  # noqa: BLE001 - unreadable or foreign file: build it again
                pass
        why = "stämmer inte med sin kontrollsumma"
    elif want is not None:
        why = "har en oläslig kontrollfil"
    _warn(f"lemma-cache: {path.name} {why}; byggs om från simplemmas ordlista")
    return None


def _save_trie(path: Path, trie) -> bool:
    """Write ``trie`` to ``path`` atomically, then its check (size, CRC-32, keys) beside it; False when the
    folder cannot be written (the in-memory trie still serves this process)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        os.close(fd)
        try:
            trie.save(tmp)
            got = _file_check(Path(tmp))
            if got is None:
                raise OSError("unreadable after writing")
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, RuntimeError):  # marisa reports its I/O errors as RuntimeError
        return False
    return write_marshal(_check_file(path), (got[0], got[1], len(trie)))


def _trie_path(kind: str) -> Optional[Path]:
    """Where the trie ``kind`` of the installed dictionary is kept, or None (caching off, unknown layout)."""
    folder = cache_dir()
    dict_file = dictionary_cache_file(folder) if folder is not None else None
    if dict_file is None:
        return None
    return dict_file.with_name(f"{dict_file.stem}-{kind}.marisa")


def _trie(kind: str, cls_name: str, pairs, source):
    """The trie ``kind`` (``marisa_trie.<cls_name>``) from its whole file, else built from ``pairs(source())``
    (``source`` gives the decoded dictionary; called only to build) and saved; None without marisa-trie or
    with caching off."""
    try:
        import marisa_trie
    except ImportError:
        return None
    path = _trie_path(kind)
    if path is None:
        return None
    cls = getattr(marisa_trie, cls_name)
    trie = _open_trie(path, cls)
    if trie is not None:
        return trie
    trie = cls(pairs(source()))
    _save_trie(path, trie)  # a read-only folder: the in-memory trie still serves this process
    return trie


def reversed_forms_trie(raw: Optional[Mapping[bytes, bytes]] = None):
    """A ``marisa_trie.Trie`` of every dictionary form written backwards, or None.

    ``trie.prefixes(word[::-1])`` then lists, in one compiled call, every form that ends ``word``
    (the candidate heads of a compound), shortest first; ``word[::-1] in trie`` is the dictionary's
    membership test. Built from ``raw`` (the decoded bytes->bytes dictionary; :func:`_load_raw` when None,
    decoded only when there is no whole file) once and kept next to its cache file with a check
    (memory-mapped on later starts); None when marisa-trie is missing or caching is off (then the
    compound splitter tests each suffix in the dictionary itself, with the same result).
    """
    return _trie("reversed", "Trie", _reversed_forms, (lambda: raw) if raw is not None else _load_raw)


def lemma_trie(raw: Optional[Mapping[bytes, bytes]] = None):
    """A ``marisa_trie.BytesTrie`` of the dictionary: form -> [its lemma as UTF-8], or None.

    simplemma's own trie form of the same dictionary (its ``TrieDictionaryFactory`` builds the same
    pairs): ``trie.get(form)`` is ``[raw[form.encode()]]`` or None. Built from ``raw`` (:func:`_load_raw`
    when None, decoded only when there is no whole file) once per machine and kept beside the decoded
    dictionary with a check, memory-mapped on later starts; None when marisa-trie is missing or caching
    is off.
    """
    return _trie("lemmas", "BytesTrie", _forms_and_lemmas, (lambda: raw) if raw is not None else _load_raw)


@lru_cache(maxsize=1)
def sv_tries() -> Optional[tuple]:
    """(:func:`reversed_forms_trie`, :func:`lemma_trie`): simplemma's Swedish dictionary answered from two
    memory-mapped files without decoding it, or None (caching off, no marisa-trie: the decoded dict
    serves). A missing or damaged file is built again, decoding the dictionary once for both."""
    memo: list = []

    def decoded() -> Mapping[bytes, bytes]:
        if not memo:
            memo.append(_load_raw())
        return memo[0]

    rev = _trie("reversed", "Trie", _reversed_forms, decoded)
    lem = _trie("lemmas", "BytesTrie", _forms_and_lemmas, decoded) if rev is not None else None
    if rev is None or lem is None:
        return None
    return rev, lem


@lru_cache(maxsize=1)
def sv_lookup() -> Mapping[str, str]:
    """simplemma's Swedish dictionary for look-ups (``get``, ``in``): a view of :func:`lemma_trie` (simplemma's
    own ``TrieWrapDict``: the same answers, nothing decoded) when :func:`sv_tries` has the files, else
    :func:`sv_dictionary`. Iteration order differs from :func:`sv_dictionary`'s: iterate that one."""
    tries = sv_tries()
    if tries is not None:
        try:
            from simplemma.strategies.dictionaries.trie_dictionary_factory import TrieWrapDict

            return TrieWrapDict(tries[1])
        except ImportError:  # pragma: no cover - other simplemma layouts
            pass
    return sv_dictionary()


class _Factory:
    """A simplemma DictionaryFactory serving the (cached) Swedish dictionary."""

    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        if lang != _LANG:
            raise ValueError(f"Unsupported language: {lang}")
        return sv_lookup()


@lru_cache(maxsize=1)
def fallback_lemmatizer():
    """simplemma Lemmatizer (affix rules for unknown words) reading the dictionary through :func:`sv_lookup`."""
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy

    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=_Factory()))
