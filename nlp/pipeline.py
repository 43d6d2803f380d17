"""Swedish NLP pipeline for answer texts: normalise, tokenise, lemmatise, segment.

:func:`analyse` normalises each text (:mod:`nlp.normalise`), tokenises it with the cached
``spacy.blank("sv")`` pipeline (:mod:`nlp.components`) and sets lemmas and segment starts; each Doc
keeps its offset map, so :func:`segments` and :func:`original_span` report offsets into the
ORIGINAL text. Lemmas and compounds: :mod:`nlp.lang_sv`; stored analyses: :mod:`nlp.docbin`.
This module re-exports the public API of those modules. No Streamlit here; all functions are pure
(module-level caches only).
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator, Optional, Union

from spacy.attrs import ORTH
from spacy.tokens import Doc, Span, Token

from nlp.components import PIPELINE_VERSION, annotate, get_nlp
from nlp.docbin import doc_from_bytes, doc_to_bytes, from_bytes, to_bytes
from nlp.gc_pause import gc_paused
from nlp.lang_sv.abbreviations import DOTTED
from nlp.lang_sv.form_cache import cached_lemma
from nlp.lang_sv.lemmas import split_compound
from nlp.lang_sv.stop_words import STOP_WORDS
from nlp.normalise import normalise, normalise_breaks, offset_at

__all__ = [
    "PIPELINE_VERSION", "STOP_WORDS", "normalise", "normalise_breaks", "get_nlp", "analyse", "segments",
    "segment_spans", "original_span", "original_offset", "lemma", "split_compound", "content_lemmas",
    "to_bytes", "from_bytes", "doc_to_bytes", "doc_from_bytes", "gc_paused",
]


def lemma(word: str) -> str:
    """Lemma of one word (:func:`nlp.lang_sv.lemmas.lemma`: exceptions, simplemma, compound fallback),
    read from the on-disk form cache when the form was lemmatised before (:mod:`nlp.lang_sv.form_cache`)."""
    return cached_lemma(word)


def analyse(texts: Iterable[str], batch_size: int = 256, token_arrays: Optional[list] = None,
            set_docs: bool = True, forms: Optional[list] = None) -> list[Doc]:
    """Normalise and analyse texts; each Doc keeps its offset map (see :func:`original_span`). With
    ``token_arrays`` (a list), each Doc's token arrays are appended to it (see :func:`nlp.components.annotate`;
    nothing when no text has a token); ``set_docs=False`` (only with ``token_arrays``) leaves the lemmas and
    sentence starts out of the Docs (their tokens and offsets only), for a caller that reads the arrays; with
    ``forms`` (a list), the batch's distinct forms are appended to it (:func:`nlp.components.annotate`)."""
    nlp = get_nlp()
    with gc_paused():
        normed: list[tuple[str, list[int]]] = []
        for text in texts:
            normed.append(normalise_breaks(text or ""))
        docs = list(nlp.tokenizer.pipe((t for t, _ in normed), batch_size=batch_size))
        annotate(nlp, docs, token_arrays, set_docs or token_arrays is None, forms)
        for doc, (_, breaks) in zip(docs, normed):
            if breaks:
                doc.user_data["offsets"] = breaks
    return docs


def original_offset(doc: Doc, i: int) -> int:
    """Index in the original text of normalised character index ``i`` of ``doc``."""
    return offset_at(doc.user_data.get("offsets", ()), i)


def original_span(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Map a char span of the normalised ``doc.text`` to the original text."""
    breaks = doc.user_data.get("offsets", ())
    if end <= start:
        s = offset_at(breaks, start)
        return s, s
    return offset_at(breaks, start), offset_at(breaks, end - 1) + 1


def segment_spans(doc: Doc) -> list[Span]:
    """Sentences and list items as Spans (whitespace trimmed; empty ones dropped)."""
    out: list[Span] = []
    for sent in doc.sents:
        s, e = sent.start, sent.end
        while s < e and doc[s].is_space:
            s += 1
        while e > s and doc[e - 1].is_space:
            e -= 1
        if e > s:
            out.append(doc[s:e])
    return out


def segments(doc: Doc) -> list[tuple[int, int]]:
    """Sentences / list items as (start, end) character spans in the ORIGINAL text."""
    return [original_span(doc, sp.start_char, sp.end_char) for sp in segment_spans(doc)]


_CONTENT_CACHE: dict[int, tuple[str, ...]] = {}


# Markup, URLs and code fragments ("alert(1)</script", "www.x.se/a") are not terms an analyst reads.
_NOT_A_WORD = re.compile(r"[<>(){}\[\]/\\=@#|]")


def _content_of(t: Token) -> tuple[str, ...]:
    """Content lemma + compound parts of one token; depends only on its text (cached per orth)."""
    got = _CONTENT_CACHE.get(t.orth)
    if got is not None:
        return got
    out: list[str] = []
    if not (t.is_space or t.is_punct or t.like_num):
        lem = t.lemma_
        low = lem.lower()
        if not (len(low) < 2 or low in STOP_WORDS or t.lower_ in STOP_WORDS or t.lower_ in DOTTED
                or not any(c.isalpha() for c in low) or _NOT_A_WORD.search(t.text)):
            out.append(lem)
            for p in split_compound(t.text):
                pl = p.lower()
                if p != lem and len(pl) >= 3 and pl not in STOP_WORDS:
                    out.append(p)
    res = tuple(out)
    if len(_CONTENT_CACHE) > 500_000:
        _CONTENT_CACHE.clear()
    _CONTENT_CACHE[t.orth] = res
    return res


def _content(tokens: Iterable[Token]) -> Iterator[str]:
    for t in tokens:
        yield from _content_of(t)


def content_lemmas(doc_or_span: Union[Doc, Span]) -> list[str]:
    """Lemmas plus compound parts, minus stop words, punctuation and numbers (for TF-IDF)."""
    if isinstance(doc_or_span, Span):
        doc, start, end = doc_or_span.doc, doc_or_span.start, doc_or_span.end
    else:
        doc, start, end = doc_or_span, 0, len(doc_or_span)
    if end <= start:
        return []
    orths = doc.to_array(ORTH)[start:end].tolist()
    cache = _CONTENT_CACHE
    out: list[str] = []
    for i, o in enumerate(orths):
        got = cache.get(o)
        if got is None:
            got = _content_of(doc[start + i])
        out.extend(got)
    return out
