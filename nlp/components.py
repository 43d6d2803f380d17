"""The spaCy side of the Swedish pipeline: ``spacy.blank("sv")`` with two components.

- ``sv_lemmatizer``: ``token.lemma_`` from :func:`nlp.lang_sv.lemmas.lemma` (exceptions,
  simplemma, compound fallback), cached per surface form (orth id).
- ``sv_segmenter``: sentence and list-item starts (``token.is_sent_start``); abbreviations
  ("bl.a.", "t.ex.") never end a sentence; a newline in the normalised text starts a segment.

:func:`annotate` does what both components do for a whole batch of tokenised docs at once.
``Token._.parts`` gives the lemma plus its compound parts. Bump :data:`PIPELINE_VERSION` whenever
tokens, lemmas, segments or normalisation change: stored analyses are keyed on it.
"""
from __future__ import annotations

import hashlib
import unicodedata
from functools import lru_cache, partial
from operator import itemgetter
from typing import Iterable, Iterator, Optional

import numpy
import spacy
from spacy.attrs import (IS_ALPHA, IS_ASCII, IS_BRACKET, IS_CURRENCY, IS_DIGIT, IS_LEFT_PUNCT, IS_LOWER, IS_PUNCT,
                         IS_QUOTE, IS_RIGHT_PUNCT, IS_SPACE, IS_STOP, IS_TITLE, IS_UPPER, LANG, LEMMA, LIKE_EMAIL,
                         LIKE_NUM, LIKE_URL, LOWER, NORM, ORTH, PREFIX, SENT_START, SHAPE, SUFFIX)
from spacy import util as spacy_util
from spacy.lang import lex_attrs as spacy_lex_attrs
from spacy.lang.sv import lex_attrs as spacy_sv_lex_attrs
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Token

from nlp.lang_sv.abbreviations import variants
from nlp.lang_sv import form_cache
from nlp.lang_sv.form_cache import cached_lemma
from nlp.lang_sv.lemmas import split_compound

__all__ = ["PIPELINE_VERSION", "SwedishLemmatizer", "SwedishSegmenter", "get_nlp", "annotate", "sent_starts"]

PIPELINE_VERSION = "sv-1.2"


def _parts_getter(token: Token) -> list[str]:
    lem = token.lemma_ or token.lower_
    if token.is_space or token.is_punct:
        return [lem]
    return [lem] + [p for p in split_compound(token.text) if p != lem]


_TERMINALS = frozenset({".", "!", "?", "…", "...", "?!", "!!", "??"})
# separators of answers pasted from spreadsheets or forms, or typed without sentence punctuation
# ("… varannan vecka; läkaren gör …"): the next word starts a segment whatever its case
_SEPARATORS = frozenset({";"})
RUN_ON_TOKENS = 40  # a segment longer than this (tokens, punctuation included) is split at its semicolons
_CLOSERS = frozenset({'"', "”", "’", "'", ")", "»"})


def _batched(stream: Iterable[Doc], size: int) -> Iterator[list[Doc]]:
    batch: list[Doc] = []
    for doc in stream:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class _OrthMapped:
    """Base of components that map each surface form (orth id) to a cached value.

    ``pipe`` works on whole batches: the distinct forms of a batch are looked up once
    (numpy.unique), so the Python work is per distinct form, not per token.
    """

    dtype = "uint64"

    def __init__(self, nlp: Language):
        self.strings = nlp.vocab.strings
        self.cache: dict[int, int] = {}

    def _value(self, text: str) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    def _values(self, orths: numpy.ndarray) -> numpy.ndarray:
        uniq, inv = numpy.unique(orths, return_inverse=True)
        return self.values_of(uniq.tolist())[inv.reshape(-1)]

    def values_of(self, uniq: list[int]) -> numpy.ndarray:
        """The values of distinct orth ids (computed once per form, then cached)."""
        cache = self.cache
        get = cache.get
        vals = [get(o) for o in uniq]
        if None in vals:
            value, strings = self._value, self.strings
            for k, v in enumerate(vals):
                if v is None:
                    o = uniq[k]
                    v = vals[k] = cache[o] = value(strings[o])
        return numpy.asarray(vals, dtype=self.dtype)

    def _apply(self, doc: Doc, values: numpy.ndarray) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def __call__(self, doc: Doc) -> Doc:
        if len(doc):
            self._apply(doc, self._values(doc.to_array(ORTH)))
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        for batch in _batched(stream, batch_size):
            arrays = [d.to_array(ORTH) for d in batch]
            sizes = [len(a) for a in arrays]
            if sum(sizes):
                values = self._values(numpy.concatenate(arrays))
                pos = 0
                for d, n in zip(batch, sizes):
                    if n:
                        self._apply(d, values[pos:pos + n])
                    pos += n
            yield from batch


class SwedishLemmatizer(_OrthMapped):
    """spaCy component: token.lemma_ from :func:`~nlp.lang_sv.lemmas.lemma`, cached per surface form (orth id) and,
    across processes, on disk (:mod:`nlp.lang_sv.form_cache`)."""

    def _value(self, text: str) -> int:
        return self.strings.add(cached_lemma(text) if not text.isspace() else text)

    def _apply(self, doc: Doc, values: numpy.ndarray) -> None:
        doc.from_array([LEMMA], values.reshape(-1, 1))


class SwedishSegmenter(_OrthMapped):
    """spaCy component: sentence / list-item starts (token.is_sent_start).

    A token starts a segment when a newline (list item, paragraph, bullet; a tab is one after
    normalisation) lies between it and the previous word, when the previous word is . ! ? (possibly
    followed by a closing quote or parenthesis) and the token starts with a capital, a digit or a
    quote. After a semicolon a token starts a segment when it starts with a capital letter, or when
    the segment it would otherwise be in is longer than :data:`RUN_ON_TOKENS` tokens: text typed or
    exported without sentence punctuation ("… varannan vecka; läkaren gör …"), where the semicolons
    stand for full stops. (A semicolon inside an ordinary sentence joins clauses that are read together.)
    Abbreviations are single tokens ("bl.a.") and so never end a segment.
    """

    # classes: 0 plain, 1 terminal punctuation, 2 newline whitespace, 3 other whitespace,
    # 4 closer (quote/parenthesis), 5 separator (;); bit 8 set when the token may start a sentence
    # (Upper/digit), bit 16 when it starts with an upper-case letter
    dtype = "int64"

    def _value(self, text: str) -> int:
        if text.isspace():
            return 2 if "\n" in text else 3
        if text in _TERMINALS:
            return 1
        if text in _SEPARATORS:
            return 5
        if text in _CLOSERS:
            return 4
        c = text[0]
        return (8 if (c.isupper() or c.isdigit() or c in "\"”»'(–-•") else 0) | (16 if c.isupper() else 0)

    def _apply(self, doc: Doc, c: numpy.ndarray) -> None:
        out = sent_starts(c, numpy.zeros(1, dtype=numpy.int64))
        doc.from_array([SENT_START], out.reshape(-1, 1))


def sent_starts(c: numpy.ndarray, doc_starts: numpy.ndarray) -> numpy.ndarray:
    """SENT_START values (1 / -1 as uint64) from the segmenter classes of the tokens of one or
    more docs laid end to end; ``doc_starts`` holds the index of each doc's first token."""
    n = len(c)
    kind = (c & 7).astype(numpy.int8)
    upper = (c & 16).astype(bool)
    starter = (c & 8).astype(bool)
    is_space = (kind == 2) | (kind == 3)
    acc = numpy.maximum.accumulate(numpy.where(is_space, -1, numpy.arange(n, dtype=numpy.int64)))
    if len(doc_starts) > 1:  # index of the token's doc's first token (0 for the first doc)
        marks = numpy.array(doc_starts, dtype=numpy.int64)
        marks[0] = 0
        first = numpy.repeat(marks, numpy.diff(numpy.append(marks, n)))
    else:
        first = numpy.zeros(n, dtype=numpy.int64)
    prev = numpy.empty(n, dtype=numpy.int64)  # previous non-space token of the same doc, -1 if none
    prev[0] = -1
    prev[1:] = acc[:-1]
    prev[prev < first] = -1
    has_prev = prev >= 0
    pidx = numpy.where(has_prev, prev, 0)
    nlc = numpy.cumsum(kind == 2, dtype=numpy.int64)
    nl_before = numpy.zeros(n, dtype=bool)
    if n > 1:
        # newline tokens between the previous word (or the doc start) and the token
        base = numpy.where(has_prev, nlc[pidx], numpy.where(first > 0, nlc[first - 1], 0))
        nl_before[1:] = (nlc[:-1] - base[1:]) > 0
    is_term = kind == 1
    # terminal state after a token: it is . ! ? or a closer right after one ('."', '.)')
    term_state = is_term | ((kind == 4) & has_prev & is_term[pidx])
    after_term = has_prev & term_state[pidx]
    start = ~is_space & (nl_before | (after_term & starter))
    start[doc_starts] = True
    after_sep = ~is_space & has_prev & (kind == 5)[pidx]
    if after_sep.any():
        # run-on text: a semicolon ends a sentence before a capital, or inside an over-long segment
        seg = numpy.cumsum(start) - 1
        size = numpy.bincount(seg, weights=~is_space)
        start |= after_sep & (upper | (size[seg] > RUN_ON_TOKENS))
    out = numpy.full(n, numpy.iinfo(numpy.uint64).max, dtype=numpy.uint64)  # -1 as uint64
    out[start] = 1
    return out


@Language.factory("sv_lemmatizer")
def _make_lemmatizer(nlp: Language, name: str) -> SwedishLemmatizer:
    return SwedishLemmatizer(nlp)


@Language.factory("sv_segmenter")
def _make_segmenter(nlp: Language, name: str) -> SwedishSegmenter:
    return SwedishSegmenter(nlp)


if not Token.has_extension("parts"):
    Token.set_extension("parts", getter=_parts_getter)


def _like_url(text: str) -> bool:
    """spaCy's ``like_url`` with its answer for words without a dot up front (most words): such a
    word is a URL only when it starts with http:// or https://; the rest goes to spaCy's test."""
    if text and "." not in text and not text.startswith(("http://", "https://")):
        return False
    return spacy_lex_attrs.like_url(text)


def _is_punct(text: str) -> bool:
    """spaCy's ``is_punct`` (the same code, compiled with this module)."""
    for char in text:
        if not unicodedata.category(char).startswith("P"):
            return False
    return True


def _is_currency(text: str) -> bool:
    """spaCy's ``is_currency`` (the same code, compiled with this module)."""
    for char in text:
        if unicodedata.category(char) != "Sc":
            return False
    return True


def _word_shape(text: str) -> str:
    """spaCy's ``word_shape`` (the same code, compiled with this module)."""
    if len(text) >= 100:
        return "LONG"
    shape = []
    last = ""
    shape_char = ""
    seq = 0
    for char in text:
        if char.isalpha():
            if char.isupper():
                shape_char = "X"
            else:
                shape_char = "x"
        elif char.isdigit():
            shape_char = "d"
        else:
            shape_char = char
        if shape_char == last:
            seq += 1
        else:
            seq = 0
            last = shape_char
        if seq < 4:
            shape.append(shape_char)
    return "".join(shape)


# spaCy's tuples in is_bracket, is_quote, is_left_punct, is_right_punct (a string is in a tuple of strings exactly when
# it is in the set of them; tests/test_nlp_pipeline.py compares every character and pair of them)
_BRACKETS = frozenset(("(", ")", "[", "]", "{", "}", "<", ">"))
_QUOTES = frozenset(('"', "'", "`", "«", "»", "‘", "’", "‚", "‛", "“", "”", "„", "‟", "‹", "›", "❮", "❯", "''", "``"))
_LEFT_PUNCT = frozenset(("(", "[", "{", "<", '"', "'", "«", "‘", "‚", "‛", "“", "„", "‟", "‹", "❮", "``"))
_RIGHT_PUNCT = frozenset((")", "]", "}", ">", '"', "'", "»", "’", "”", "›", "❯", "''"))
# spaCy's Swedish number words (spacy.lang.sv.lex_attrs._num_words, a list) as a set
_SV_NUM_WORDS = frozenset(spacy_sv_lex_attrs._num_words)


def _like_email(text: str) -> bool:
    """spaCy's ``like_email``: its pattern needs an "@", so a word without one is answered at once."""
    if "@" not in text:
        return False
    return spacy_lex_attrs.like_email(text)


def _like_num_sv(text: str) -> bool:
    """spaCy's Swedish ``like_num`` (the same code, compiled with this module; the number words as a set). A word of
    letters only (most) can only be a number word: no sign, separator, digit or slash to look at."""
    if text.isalpha():
        return text.lower() in _SV_NUM_WORDS
    if text.startswith(("+", "-", "±", "~")):
        text = text[1:]
    text = text.replace(",", "").replace(".", "")
    if text.isdigit():
        return True
    if text.count("/") == 1:
        num, denom = text.split("/")
        if num.isdigit() and denom.isdigit():
            return True
    if text.lower() in _SV_NUM_WORDS:
        return True
    return False


def _norm_unless_lookup(lookups: tuple, string: str):
    """spaCy's NORM getter ``_get_attr_unless_lookup(lower, lookups, string)`` with its default, ``lower``, inlined."""
    for lookup in lookups:
        if string in lookup:
            return lookup[string]
    return string.lower()


def _is_stop_in(stops, string: str) -> bool:
    """spaCy's ``is_stop(string, stops)``."""
    return string.lower() in stops


def _constant(value, string: str):
    """spaCy's ``get_lang(string, lang=value)``: the language whatever the word."""
    return value


# Lexeme attributes computed per new word form, where a built-in gives spaCy's answer for less
# (spaCy's functions are Python functions around a string method, or loop over the characters in Python);
# only replaced while spaCy uses its own. Every new form of a national round runs all of them.
_FAST_LEX_ATTRS = {
    IS_ASCII: (spacy_lex_attrs.is_ascii, str.isascii),
    LIKE_URL: (spacy_lex_attrs.like_url, _like_url),
    LOWER: (spacy_lex_attrs.lower, str.lower),
    PREFIX: (spacy_lex_attrs.prefix, itemgetter(0)),
    SUFFIX: (spacy_lex_attrs.suffix, itemgetter(slice(-3, None))),
    IS_ALPHA: (spacy_lex_attrs.is_alpha, str.isalpha),
    IS_DIGIT: (spacy_lex_attrs.is_digit, str.isdigit),
    IS_LOWER: (spacy_lex_attrs.is_lower, str.islower),
    IS_SPACE: (spacy_lex_attrs.is_space, str.isspace),
    IS_TITLE: (spacy_lex_attrs.is_title, str.istitle),
    IS_UPPER: (spacy_lex_attrs.is_upper, str.isupper),
    IS_PUNCT: (spacy_lex_attrs.is_punct, _is_punct),
    IS_CURRENCY: (spacy_lex_attrs.is_currency, _is_currency),
    SHAPE: (spacy_lex_attrs.word_shape, _word_shape),
    IS_BRACKET: (spacy_lex_attrs.is_bracket, _BRACKETS.__contains__),
    IS_QUOTE: (spacy_lex_attrs.is_quote, _QUOTES.__contains__),
    IS_LEFT_PUNCT: (spacy_lex_attrs.is_left_punct, _LEFT_PUNCT.__contains__),
    IS_RIGHT_PUNCT: (spacy_lex_attrs.is_right_punct, _RIGHT_PUNCT.__contains__),
    LIKE_EMAIL: (spacy_lex_attrs.like_email, _like_email),
    LIKE_NUM: (spacy_sv_lex_attrs.like_num, _like_num_sv),
}


def _fast_lex_attrs(nlp: Language) -> None:
    getters = nlp.vocab.lex_attr_getters
    for attr, (theirs, ours) in _FAST_LEX_ATTRS.items():
        if getters.get(attr) is theirs:
            getters[attr] = ours
    # spaCy's partially applied getters (built per pipeline): the same call with our compiled function
    f = getters.get(NORM)
    if (isinstance(f, partial) and f.func is spacy_util._get_attr_unless_lookup and len(f.args) == 2
            and not f.keywords and f.args[0] is spacy_lex_attrs.lower and isinstance(f.args[1], tuple)):
        getters[NORM] = partial(_norm_unless_lookup, f.args[1])
    f = getters.get(IS_STOP)
    if (isinstance(f, partial) and f.func is spacy_lex_attrs.is_stop and not f.args
            and list(f.keywords) == ["stops"]):
        getters[IS_STOP] = partial(_is_stop_in, f.keywords["stops"])
    f = getters.get(LANG)
    if isinstance(f, partial) and f.func is spacy_lex_attrs.get_lang and not f.args and list(f.keywords) == ["lang"]:
        getters[LANG] = partial(_constant, f.keywords["lang"])


# The tokenizer's affix and URL rules never match a chunk made of letters only (str.isalpha): each
# alternative of spaCy's Swedish prefix, suffix, infix and URL patterns needs a character or a look-around
# character that is not a letter, which tests/test_nlp_tokenizer_fast_path.py proves from the parsed
# patterns. Most chunks of a national round are such words and new to the tokenizer's cache, and spaCy
# would run each of its four large regular expressions over every one of them; the callbacks below answer
# "no match" for them at once and leave every other chunk to the patterns. This is the SHA-1 of the four
# patterns the proof holds for: with other patterns (another spaCy) the tokenizer keeps its own callbacks.
PROVEN_PATTERNS = "1c6a501385b57ec8a25334e661e50b895305c005"


def affix_patterns_digest(tokenizer: Tokenizer) -> Optional[str]:
    """SHA-1 of the tokenizer's prefix, suffix, infix and URL patterns (None if one is not a compiled pattern)."""
    return _patterns_digest((tokenizer.prefix_search, tokenizer.suffix_search, tokenizer.infix_finditer,
                             tokenizer.url_match))


def _patterns_digest(fns) -> Optional[str]:
    """:func:`affix_patterns_digest` of the four callbacks (prefix, suffix, infix, URL)."""
    h = hashlib.sha1()
    for fn in fns:
        pattern = getattr(getattr(fn, "__self__", None), "pattern", None)
        if not isinstance(pattern, str):
            return None
        h.update(pattern.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


# Every alternative of the proven suffix pattern ends at the end of the text ("$") and takes at most
# SUFFIX_WIDTH characters, except the runs of one character in SUFFIX_RUNS ("\.\.+$"). So a match starts
# in the last SUFFIX_WIDTH characters or where the run of such a character ending the text starts, and
# searching from there finds the same match (look-behinds still see the text before that position) without
# trying every alternative at every earlier character. The test suite derives both from the parsed pattern.
SUFFIX_WIDTH = 5
SUFFIX_RUNS = "."


def _search_unless_letters(search, text: str):
    """``search(text)``, or None (no match) for a text of letters only."""
    if text.isalpha():
        return None
    return search(text)


def _suffix_search(search, text: str):
    """``search(text)`` of the proven suffix pattern (see SUFFIX_WIDTH): None for a text of letters only,
    else the search from the first position where a match can start."""
    if text.isalpha():
        return None
    pos = len(text) - SUFFIX_WIDTH
    if pos <= 0:
        return search(text)
    last = text[-1]
    if last == "\n":  # ("$" also matches before a final line break)
        return search(text)
    if last in SUFFIX_RUNS:
        pos = min(pos, len(text.rstrip(last)))
    return search(text, pos)


def _finditer_unless_letters(finditer, text: str):
    """``finditer(text)``, or no matches for a text of letters only."""
    if text.isalpha():
        return ()
    return finditer(text)


def _letters_fast_tokenizer(tokenizer: Tokenizer) -> Tokenizer:
    """The same tokenizer (rules, special cases, patterns) whose callbacks skip the patterns for chunks of
    letters only; the tokenizer itself when its patterns are not the proven ones (see PROVEN_PATTERNS)."""
    if affix_patterns_digest(tokenizer) != PROVEN_PATTERNS or tokenizer.token_match is not None:
        return tokenizer
    return _fast_tokenizer(tokenizer.vocab, tokenizer.rules, tokenizer.prefix_search, tokenizer.suffix_search,
                           tokenizer.infix_finditer, tokenizer.url_match, tokenizer.faster_heuristics,
                           tokenizer.max_cache_size)


def _fast_tokenizer(vocab, rules, prefix_search, suffix_search, infix_finditer, url_match,
                    faster_heuristics: bool = True, max_cache_size: int = 10000) -> Tokenizer:
    """A tokenizer with these rules whose callbacks are the proven patterns' fast ones (no token_match)."""
    return Tokenizer(
        vocab, rules=rules,
        prefix_search=_callback(_search_unless_letters, prefix_search),
        suffix_search=_callback(_suffix_search, suffix_search),
        infix_finditer=_callback(_finditer_unless_letters, infix_finditer),
        token_match=None,
        url_match=_callback(_search_unless_letters, url_match),
        faster_heuristics=faster_heuristics, max_cache_size=max_cache_size)


SV_TOKENIZER = "svarsanalys.sv_tokenizer.v1"


@spacy.registry.tokenizers(SV_TOKENIZER)
def create_sv_tokenizer():
    """The tokenizer factory of :func:`get_nlp`'s pipeline (:func:`sv_tokenizer`)."""
    return sv_tokenizer


def sv_tokenizer(nlp: Language) -> Tokenizer:
    """The tokenizer spaCy's own factory builds for ``nlp`` (its language's rules and affix, infix and URL
    patterns) with the abbreviations of :func:`nlp.lang_sv.abbreviations.variants` as special cases, each one
    token, and the fast callbacks of :func:`_letters_fast_tokenizer` for the proven patterns: the tokenizer
    ``spacy.blank("sv")`` + ``add_special_case`` per abbreviation + :func:`_letters_fast_tokenizer` gave (the
    same rules, loaded in the same sorted order; the same patterns and callbacks), built once instead of twice
    with 241 special cases added one by one in between (~0.27 G instructions of every process's start)."""
    d = nlp.Defaults
    prefix_search = spacy_util.compile_prefix_regex(d.prefixes).search if d.prefixes else None
    suffix_search = spacy_util.compile_suffix_regex(d.suffixes).search if d.suffixes else None
    infix_finditer = spacy_util.compile_infix_regex(d.infixes).finditer if d.infixes else None
    rules = dict(d.tokenizer_exceptions)
    for abbr in variants():
        rules[abbr] = [{ORTH: abbr}]
    if d.token_match is None and _patterns_digest((prefix_search, suffix_search, infix_finditer,
                                                   d.url_match)) == PROVEN_PATTERNS:
        return _fast_tokenizer(nlp.vocab, rules, prefix_search, suffix_search, infix_finditer, d.url_match)
    return Tokenizer(nlp.vocab, rules=rules, prefix_search=prefix_search, suffix_search=suffix_search,
                     infix_finditer=infix_finditer, token_match=d.token_match, url_match=d.url_match)


def _callback(fast, method) -> partial:
    """``fast(method, text)`` as a tokenizer callback. Its ``__self__`` is the method's compiled pattern, as
    for the bare method: spaCy serialises a tokenizer's callbacks as ``callback.__self__.pattern`` (and
    reads them back as the plain pattern's methods)."""
    call = partial(fast, method)
    call.__self__ = method.__self__
    return call


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The cached Swedish pipeline: spacy.blank("sv") with :func:`sv_tokenizer` + sv_lemmatizer + sv_segmenter."""
    nlp = spacy.blank("sv", config={"nlp": {"tokenizer": {"@tokenizers": SV_TOKENIZER}}})
    _fast_lex_attrs(nlp)
    nlp.add_pipe("sv_lemmatizer")
    nlp.add_pipe("sv_segmenter")
    return nlp


def annotate(nlp: Language, docs: list[Doc], token_arrays: Optional[list] = None, set_docs: bool = True,
             forms: Optional[list] = None) -> None:
    """What ``sv_lemmatizer`` and ``sv_segmenter`` do, for all docs at once: lemma and segment
    class looked up once per distinct form of the whole batch, sentence starts in one numpy pass.

    With ``token_arrays`` (a list), one tuple per doc is appended to it: the doc's ``to_array`` of ORTH, LEMMA,
    SENT_START, IS_SPACE and LENGTH as annotating leaves them (uint64 arrays; the lemmas and sentence starts
    as set, the space flag and length of each distinct form read from its lexeme once), so a caller need not
    read them back from the doc token by token (``nlp.tagger.AnalysedText.from_doc``). ``set_docs=False``
    leaves the lemmas and sentence starts out of the docs (for a caller that reads them only from
    ``token_arrays`` and drops the docs). With ``forms`` (a list), the batch's distinct forms are appended to it
    as one tuple: (the distinct ORTH values ascending, a list; the lemma of each, a list; the index of each token's
    form, laid end to end over the docs): ``numpy.unique`` of the docs' tokens, which the tagger would take
    again (``nlp.tagger.Tagger._forms_of``)."""
    arrays = [d.to_array(ORTH) for d in docs]
    sizes = numpy.fromiter((len(a) for a in arrays), dtype=numpy.int64, count=len(arrays))
    if not sizes.sum():
        return
    orths = numpy.concatenate(arrays)
    uniq, inv = numpy.unique(orths, return_inverse=True)
    inv = inv.reshape(-1)
    uniq_l = uniq.tolist()
    lemmas_u = nlp.get_pipe("sv_lemmatizer").values_of(uniq_l)
    lemmas = lemmas_u[inv]
    form_cache.flush(form_cache.FLUSH_EVERY)
    classes = nlp.get_pipe("sv_segmenter").values_of(uniq_l)[inv]
    bounds = numpy.zeros(len(sizes) + 1, dtype=numpy.int64)
    numpy.cumsum(sizes, out=bounds[1:])
    doc_starts = bounds[:-1][sizes > 0]
    arr = numpy.empty((len(orths), 2), dtype="uint64")
    arr[:, 0] = lemmas
    arr[:, 1] = sent_starts(classes, doc_starts)
    attrs = [LEMMA, SENT_START]
    for d, a, b in zip(docs, bounds[:-1].tolist(), bounds[1:].tolist()):
        if b > a and set_docs:
            d.from_array(attrs, arr[a:b])
    if token_arrays is not None:
        vocab = nlp.vocab
        space_u = numpy.empty(len(uniq_l), dtype="uint64")
        length_u = numpy.empty(len(uniq_l), dtype="uint64")
        k = 0
        for o in uniq_l:  # (the lexeme's IS_SPACE flag and LENGTH, as Doc.to_array reads them per token)
            lex = vocab[o]
            space_u[k] = 1 if lex.is_space else 0
            length_u[k] = len(lex.orth_)
            k += 1
        space = space_u[inv]
        length = length_u[inv]
        for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
            token_arrays.append((orths[a:b], arr[a:b, 0], arr[a:b, 1], space[a:b], length[a:b]))
    if forms is not None:  # (the lemmas as the uint64 values the docs' lemma arrays hold)
        forms.append((uniq_l, numpy.asarray(lemmas_u, dtype="uint64").tolist(), inv))
