"""Compact serialisation of analysed Docs (stored analyses of a project).

Own msgpack+zlib format (a few times faster than spaCy's DocBin here): per doc the text, token
start offsets, an index into a shared lemma table per token, the segment starts and the offset
breakpoints (see :mod:`nlp.normalise`). Data written by another :data:`PIPELINE_VERSION` is refused
(the caller re-analyses).
"""
from __future__ import annotations

import zlib
from typing import Sequence

import numpy
from spacy.attrs import IDX, LEMMA, SENT_START
from spacy.tokens import Doc
from srsly.msgpack import _packer, _unpacker  # direct: srsly.msgpack_dumps/loads scan entry points per call

from nlp.components import PIPELINE_VERSION, get_nlp

__all__ = ["to_bytes", "from_bytes", "doc_to_bytes", "doc_from_bytes"]

_FORMAT = 1


def to_bytes(docs: Sequence[Doc]) -> bytes:
    """Serialise analysed docs (text, tokens, lemmas, segments, offset maps) compactly.

    Own msgpack+zlib format (a few times faster than DocBin here): per doc the text, token
    start offsets, an index into a shared lemma table per token and the segment starts.
    """
    table: dict[str, int] = {}
    out_docs = []
    for doc in docs:
        starts: list[int] = []
        lem: list[int] = []
        sents: list[int] = []
        if len(doc):
            arr = doc.to_array([IDX, LEMMA, SENT_START])
            starts = arr[:, 0].tolist()
            # lemma table ids, assigned in order of first occurrence (once per distinct lemma)
            hashes = arr[:, 1].tolist()
            ids = dict.fromkeys(hashes)
            strings = doc.vocab.strings
            for h in ids:
                s_ = strings[h]
                k = table.get(s_)
                if k is None:
                    k = table[s_] = len(table)
                ids[h] = k
            lem = list(map(ids.__getitem__, hashes))
            sents = numpy.flatnonzero(arr[:, 2] == 1).tolist()
        out_docs.append([doc.text, starts, lem, sents, doc.user_data.get("offsets", [])])
    payload = {"format": _FORMAT, "version": PIPELINE_VERSION, "lemmas": list(table), "docs": out_docs}
    return zlib.compress(_packer.Packer(use_bin_type=True).pack(payload), 1)


def from_bytes(data: bytes) -> list[Doc]:
    """Inverse of :func:`to_bytes`; rebuilds Docs without running the pipeline.

    Raises ValueError if the data was written by another pipeline version (re-analyse then).
    """
    try:
        payload = _unpacker.unpackb(zlib.decompress(data), raw=False)
    except Exception as e:  # corrupt or foreign data: the caller re-analyses
        raise ValueError(f"analysed text cannot be read ({type(e).__name__})") from None
    if not isinstance(payload, dict) or payload.get("format") != _FORMAT or payload.get("version") != PIPELINE_VERSION:
        raise ValueError("analysed text was stored by another pipeline version")
    vocab = get_nlp().vocab
    add = vocab.strings.add
    hashes = [add(x) for x in payload["lemmas"]]
    docs: list[Doc] = []
    table = numpy.asarray(hashes, dtype="uint64")
    for text, starts, lem, sents, breaks in payload["docs"]:
        n = len(starts)
        if not n:
            docs.append(Doc(vocab, words=[], spaces=[]))
            if breaks:
                docs[-1].user_data["offsets"] = list(breaks)
            continue
        st = numpy.asarray(starts, dtype=numpy.int64)
        ends = numpy.empty(n, dtype=numpy.int64)
        ends[:-1] = st[1:]
        ends[-1] = len(text)
        # a token followed by one space (its trailing whitespace): the space is not part of the word
        chars = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)
        space = (ends > st + 1) & (chars[numpy.maximum(ends - 1, 0)] == 32)
        words = [text[a:b] for a, b in zip(starts, (ends - space).tolist())]
        doc = Doc(vocab, words=words, spaces=space.tolist())
        arr = numpy.empty((n, 2), dtype="uint64")
        arr[:, 0] = table[numpy.asarray(lem, dtype=numpy.int64)]
        ss = numpy.full(n, -1, dtype="int64")
        ss[sents] = 1
        arr[:, 1] = ss.astype("uint64")
        doc.from_array([LEMMA, SENT_START], arr)
        if breaks:
            doc.user_data["offsets"] = list(breaks)
        docs.append(doc)
    return docs


def doc_to_bytes(doc: Doc) -> bytes:
    """One doc (e.g. one answer for ``store.put_analyses``)."""
    return to_bytes([doc])


def doc_from_bytes(data: bytes) -> Doc:
    """Inverse of :func:`doc_to_bytes`."""
    return from_bytes(data)[0]
