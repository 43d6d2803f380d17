"""The compiled form of a codebook (its three term indexes), kept on disk so that a process compiles it once.

Compiling a codebook (:class:`nlp.tagger.CompiledCodebook`) tokenises every pattern with spaCy and
lemmatises its words: about 0.1 s at every process start (`cli.py tag`). The result depends only on the
codebook's patterns and markers and on the code and data that read them (the tokenizer, the lemmatiser and
its dictionary, the index itself), so the indexes' state is stored with ``marshal`` (no code is run when
reading it, unlike pickle) in the cache folder of :mod:`nlp.lang_sv.lemma_cache` (``$SVARSANALYS_CACHE_DIR``;
``off`` disables it; off under pytest unless set). The file name is a digest of all of these: a changed
codebook, a new version of the code, of spaCy or of simplemma's dictionary gives another file, never the old
one. A missing, unreadable, foreign or malformed file only means compiling again; so does a state that
marshal cannot hold (then nothing is written). Beside the indexes the file keeps the words of every pattern
tokenised so far in the writing process (pattern text -> words, what :func:`nlp.tagger._tokenize_pattern` gives):
a process that reads it and then compiles an edited codebook tokenises only the new patterns.
"""
from __future__ import annotations

import hashlib
import json
import marshal
import sys
from dataclasses import fields
from pathlib import Path
from typing import Optional

from nlp.lang_sv import lemma_cache
from nlp.termmatch import HeadRule, Term, TermIndex

__all__ = ["cache_key", "load", "store", "code_version", "MAX_FILES", "FORMAT"]

FORMAT = 2  # bump when the stored layout changes
MAX_FILES = 16  # a write removes the oldest compiled codebooks beyond this many
_PREFIX = "codebook-"
_SKIP = ("_lemma", "_tokenize")  # the index's callables: given again when loading
_TERM_FIELDS = tuple(f.name for f in fields(Term))
_RULE_FIELDS = tuple(f.name for f in fields(HeadRule))
_NLP_DIR = Path(__file__).resolve().parent
_code_version: Optional[str] = None


def code_version() -> Optional[str]:
    """A digest of what compiling a codebook depends on besides the codebook: every source file of ``nlp/``
    (tokenizer, lemmatiser, markers, term index, tagger), spaCy's version, simplemma's decoded dictionary
    (its cache file name names its version and data file) and the Python version (marshal's format).
    None when one of them cannot be read (then nothing is cached)."""
    global _code_version
    if _code_version is None:
        try:
            import spacy

            folder = lemma_cache.cache_dir()
            dict_file = lemma_cache.dictionary_cache_file(folder) if folder is not None else None
            if dict_file is None:
                return None
            h = hashlib.sha256(f"{FORMAT}\0{sys.version_info[:2]}\0{spacy.__version__}\0{dict_file.name}".encode())
            for path in sorted(_NLP_DIR.rglob("*.py")) + sorted(_NLP_DIR.rglob("*.pxd")):
                if "_compiled" in path.parts:
                    continue
                h.update(b"\0" + str(path.relative_to(_NLP_DIR)).encode() + b"\0")
                h.update(path.read_bytes())
        except Exception:  # noqa: BLE001 - an unknown layout: no cache
            return None
        _code_version = h.hexdigest()
    return _code_version


def cache_key(codebook, markers_key: str) -> Optional[str]:
    """The digest naming the compiled form of ``codebook`` (every pattern field the compiler reads, in
    order, and its markers as ``markers_key``) with the current code (:func:`code_version`); None when
    caching is off or the code version cannot be told."""
    version = code_version()
    if version is None:
        return None
    parts = [[c.id, c.keywords, c.abbreviations, c.compounds, c.weak_keywords, c.weak_requires,
              c.negative_keywords, c.cooccurrence, c.implies] for c in codebook.codes]
    doc = json.dumps([version, parts, markers_key], ensure_ascii=False, default=str)
    return hashlib.sha256(doc.encode()).hexdigest()


def _path(key: str) -> Optional[Path]:
    folder = lemma_cache.cache_dir()
    return None if folder is None else folder / f"{_PREFIX}{key[:32]}.marshal"


def _state(ix: TermIndex) -> dict:
    state = {k: v for k, v in vars(ix).items() if k not in _SKIP}
    state["terms"] = [tuple([getattr(t, n) for n in _TERM_FIELDS]) for t in ix.terms]
    state["head_rules"] = [tuple([getattr(r, n) for n in _RULE_FIELDS]) for r in ix.head_rules]
    return state


def _index(state: dict, lemma, tokenize) -> TermIndex:
    ix = TermIndex(lemma, tokenize)
    have = vars(ix)
    if set(state) != set(have) - set(_SKIP):
        raise ValueError("another index layout")
    for k, v in state.items():
        if k == "terms":
            v = [Term(*t) for t in v]
        elif k == "head_rules":
            v = [HeadRule(*r) for r in v]
        elif v is not None and have[k] is not None and type(v) is not type(have[k]):
            raise ValueError(f"{k}: {type(v).__name__}")
        have[k] = v
    return ix


def _words(got) -> dict:
    """The stored pattern words as {text: tuple of words}, or ValueError."""
    if type(got) is not dict:
        raise ValueError("pattern words")
    for k, v in got.items():
        if type(k) is not str or type(v) is not tuple or not all(type(w) is str for w in v):
            raise ValueError("pattern words")
    return got


def load(key: Optional[str], lemma, tokenize, words: Optional[dict] = None) -> Optional[tuple]:
    """The three indexes (codes, context, markers) stored under ``key``, given ``lemma`` and ``tokenize``
    (the callables a fresh index gets), or None when there is no usable file. ``words``: the memo of pattern
    words to add the stored ones to (those it lacks)."""
    path = _path(key) if key else None
    if path is None:
        return None
    try:
        data = marshal.loads(path.read_bytes())
        if not (type(data) is tuple and len(data) == 4 and data[0] == FORMAT and data[1] == key):
            return None
        got = tuple(_index(s, lemma, tokenize) for s in data[2])
        stored = _words(data[3])
        if words is not None:
            for k, v in stored.items():
                words.setdefault(k, v)
        return got
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - unreadable, truncated or foreign: compile again
        return None


def store(key: Optional[str], indexes: tuple, words: Optional[dict] = None) -> bool:
    """Write the freshly built indexes under ``key`` (atomically), with the pattern words ``words`` (text ->
    tuple of words); False when nothing was written."""
    path = _path(key) if key else None
    if path is None:
        return False
    try:
        data = (FORMAT, key, tuple(_state(ix) for ix in indexes), dict(words or {}))
        if not lemma_cache.write_marshal(path, data):
            return False
    except ValueError:  # a value marshal cannot hold: no cache (write_marshal left no file)
        return False
    try:
        old = sorted(path.parent.glob(f"{_PREFIX}*.marshal"), key=lambda p: p.stat().st_mtime, reverse=True)
        for p in old[MAX_FILES:]:
            p.unlink(missing_ok=True)
    except OSError:
        pass
    return True

