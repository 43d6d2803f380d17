"""The disposer's text model: how much a whole passage reads like each code (bag of words).

One logistic regression per code over TF-IDF of the passage's words and their 6-letter prefix stems
(an inflection-tolerant bag of words). Its probability for a proposed code is a feature of the
disposer (``sugg_p``): the rules say a code's words occur, the text model says whether the passage
as a whole is about the code. Fitting uses scikit-learn; the fitted model is plain arrays
(vocabulary, idf, one coefficient row per code) stored as JSON, and prediction is numpy only.

:meth:`TextModel.code_proba` reads one code on a short text (the sentence holding a mention), so a
true mention keeps its own evidence in a passage that is mostly about something else.

:func:`oof_text_probs` gives out-of-fold probabilities (GroupKFold over passages) for training
rows, so that the disposer learns how far to trust the text model on passages it has not seen;
:func:`oof_text_and_sentence_probs` gives the same of the proposals' mention sentences.
"""
from __future__ import annotations

import math
import re
import threading
from bisect import bisect_left, bisect_right
from typing import Optional, Sequence

import numpy as np

__all__ = ["TextModel", "text_tokens", "folded_lower", "FOLD", "oof_text_probs", "oof_text_and_sentence_probs"]

_WORD = re.compile(r"[0-9a-zåäöéü]+")
STEM_LEN = 6
MIN_DF = 2
TEXT_C = 10.0
COEF_SCALE = 1000
# Distinct words a model remembers the columns of (a national round has ~80,000).
MAX_MEMO_WORDS = 400_000
# Texts whose TF-IDF rows are computed together.
MATRIX_CHUNK = 500


# å/ä/ö/é/ü read as a/a/o/e/u: a passage typed without the Swedish letters reads as one typed with them (a
# one-to-one map, so a folded text keeps the positions of its lower-cased text)
FOLD = str.maketrans("åäöéü", "aaoeu")
# (FOLD as pairs: one str.replace per letter the text holds)
_FOLD_PAIRS = tuple(zip("åäöéü", "aaoeu"))


def _latin1_folded_table() -> bytes:
    """:func:`folded_lower` of each Latin-1 character as a ``bytes.translate`` table: each lower-cases to one Latin-1
    character (checked here), which FOLD maps to one."""
    out = bytearray()
    for i in range(256):
        lo = chr(i).lower().translate(FOLD)
        if len(lo) != 1 or ord(lo) > 255:
            raise ValueError(f"{chr(i)!r} lower-cases outside Latin-1")
        out.append(ord(lo))
    return bytes(out)


_LATIN1_FOLDED = _latin1_folded_table()


def folded_lower(text: str) -> str:
    """The text lower-cased with the Swedish letters folded (:data:`FOLD`): what the text model reads.
    ``text.lower().translate(FOLD)``: a non-ASCII text whose characters are all Latin-1 by one ``bytes.translate``
    of its Latin-1 bytes (:data:`_LATIN1_FOLDED`; str.lower maps a Latin-1 text character by character, its only
    context-dependent rule, the final sigma, being outside Latin-1), a C loop over a 256-byte table instead of
    str.lower's full case mapping (~45 instructions per character); other texts by one ``str.replace`` per letter
    of FOLD the text holds (an ASCII text is its own folding): str.translate looks every character of a non-ASCII
    text up in the table dict, raising and clearing a KeyError for each character it does not map, ~640
    instructions per character."""
    if text.isascii():
        return text.lower()
    b = text.encode("latin-1", "ignore")  # (the "ignore" handler drops the other characters without an exception)
    if len(b) == len(text):
        return b.translate(_LATIN1_FOLDED).decode("latin-1")
    low = text.lower()
    if low.isascii():
        return low
    for a, b in _FOLD_PAIRS:
        if a in low:
            low = low.replace(a, b)
    return low


def text_tokens(text: str) -> list[str]:
    """Lower-case words of 3+ letters (Swedish letters folded, :func:`folded_lower`) and the 6-letter stems
    (``stem~``) of the longer ones."""
    ws = [w for w in _WORD.findall(folded_lower(text)) if len(w) > 2]
    return ws + [w[:STEM_LEN] + "~" for w in ws if len(w) > STEM_LEN]


def _words_of(low: str) -> list:
    """``_WORD.findall(low)``: the runs of _WORD's characters, by one pass over the characters (the compiled build
    types the characters and positions, nlp/disposer_text.pxd: the character test is a C switch, a fraction of the
    regex scan)."""
    out: list = []
    i = 0
    j = -1  # the start of the run being read (-1: none)
    for c in low:
        if c in "0123456789abcdefghijklmnopqrstuvwxyzåäöéü":
            if j < 0:
                j = i
        elif j >= 0:
            out.append(low[j:i])
            j = -1
        i += 1
    if j >= 0:
        out.append(low[j:i])
    return out


def _word_ids(low: str, index: dict, add) -> list:
    """``[index[w] for w in _words_of(low)]``, a word missing from ``index`` given its id by ``add(w)`` (which
    enters it), in the same pass as :func:`_words_of`'s."""
    ids: list = []
    i = 0
    j = -1
    for c in low:
        if c in "0123456789abcdefghijklmnopqrstuvwxyzåäöéü":
            if j < 0:
                j = i
        elif j >= 0:
            w = low[j:i]
            k = index.get(w)
            ids.append(add(w) if k is None else k)
            j = -1
        i += 1
    if j >= 0:
        w = low[j:i]
        k = index.get(w)
        ids.append(add(w) if k is None else k)
    return ids


def _scan_ids(low: str, index: dict, add) -> tuple:
    """(ids, starts, ends) of the runs of _WORD's characters in ``low`` (``_words_of(low)``'s words, in order):
    ``index[word]`` of each (``add(word)`` for a word not in ``index``) and its bounds (the compiled build types
    the scan as :func:`_words_of`'s)."""
    ids: list = []
    starts: list = []
    ends: list = []
    i = 0
    j = -1  # the start of the run being read (-1: none)
    for c in low:  # one pass over the characters (a C loop over a typed str in the compiled build)
        if c in "0123456789abcdefghijklmnopqrstuvwxyzåäöéü":
            if j < 0:
                j = i
        elif j >= 0:
            w = low[j:i]
            k = index.get(w)
            ids.append(add(w) if k is None else k)
            starts.append(j)
            ends.append(i)
            j = -1
        i += 1
    if j >= 0:
        w = low[j:i]
        k = index.get(w)
        ids.append(add(w) if k is None else k)
        starts.append(j)
        ends.append(i)
    return ids, starts, ends


def _span_ids(scan: tuple, low: str, a: int, b: int, index: dict, add) -> list:
    """The word ids of ``low[a:b]`` (0 <= a <= b <= len(low)) from the scan of ``low`` (:func:`_scan_ids`): a
    run of word characters inside the span is a whole run of ``low`` or the part of one that the span cuts."""
    if a >= b:
        return []
    ids, starts, ends = scan
    i = bisect_right(ends, a)  # the first run ending after a
    j = bisect_left(starts, b, i)  # runs[i:j] start before b
    if i >= j:
        return []
    out = ids[i:j]
    if starts[i] < a:
        w = low[a:min(ends[i], b)]
        k = index.get(w)
        out[0] = add(w) if k is None else k
    if ends[j - 1] > b:
        w = low[max(starts[j - 1], a):b]
        k = index.get(w)
        out[-1] = add(w) if k is None else k
    return out


def _identity(x):
    return x


def _row_dots(a: np.ndarray, vals: np.ndarray, starts: np.ndarray, lens: np.ndarray, which: np.ndarray,
              cols: Optional[np.ndarray] = None) -> np.ndarray:
    """Per row k (starting at ``starts[k]``, ``lens[k]`` values of ``vals``): the dot product of
    ``vals[s:s + len]`` with ``a[s:s + len]`` (``cols`` None: ``a`` is a flat array like ``vals``) or with
    ``a[which[k]].take(cols[s:s + len])`` (``a`` a matrix), as numpy's BLAS ``dot`` of the two contiguous
    vectors: the rows of one length are stacked as (1, len) and (len, 1) matrices and given to one ``np.matmul``,
    whose loop calls that ``dot`` for each stacked pair (a 1 x 1 result), as ``x @ y`` does for two 1-D arrays and
    ``x.dot(y)`` for two of two or more values. A row of no values is 0.0."""
    out = np.zeros(len(lens))
    live = np.flatnonzero(lens > 0)
    if not len(live):
        return out
    order = live[np.argsort(lens[live], kind="stable")]
    cut = np.flatnonzero(np.diff(lens[order])) + 1
    for grp in np.split(order, cut):
        ln = int(lens[grp[0]])
        at = starts[grp][:, None] + np.arange(ln, dtype=np.intp)
        if cols is None:
            left = a[at]
        else:
            left = a[which[grp][:, None], cols[at]]
        out[grp] = np.matmul(left[:, None, :], vals[at][:, :, None])[:, 0, 0]
    return out


class _TokenColumns:
    """Word -> (column of the word, column of its ``stem~``) in a vocabulary (-1: not in it; both
    -1 for words :func:`text_tokens` drops), each distinct word looked up once: ``index`` (a plain ``dict``)
    maps a word met before to its row of :meth:`arrays`; :meth:`_add` enters a word met the first time."""

    def __init__(self, vocabulary: dict):
        self.vocabulary = vocabulary
        self._word: list[int] = []
        self._stem: list[int] = []
        self._arrays = None
        self._lock = threading.Lock()
        self.index: dict[str, int] = {}

    def _add(self, w: str) -> int:
        # (an extension type in the compiled build, nlp/disposer_text.pxd: its attributes are C fields, the vocabulary
        # and the index typed dicts; ~12,000 new words per 1,000 bench passages come here)
        voc = self.vocabulary
        wc, sc = -1, -1
        if len(w) > 2:
            wc = voc.get(w, -1)
            sc = voc.get(w[:STEM_LEN] + "~", -1) if len(w) > STEM_LEN else -1
        lock = self._lock
        lock.acquire()  # the app may read one model from two threads: both lists grow together
        try:
            index = self.index
            k = index.get(w)
            if k is None:
                k = len(self._word)
                self._word.append(wc)
                self._stem.append(sc)
                index[w] = k
        finally:
            lock.release()
        return k

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(word column, stem column) per word index. The two lists only grow (a word's columns never change), so
        arrays made before new words came are extended by the new words' columns alone (the same numbers as
        converting the whole lists, which a batch's text chunks would otherwise do once each)."""
        with self._lock:
            got = self._arrays
            n = len(self._word)
            if got is None or len(got[0]) > n:
                got = self._arrays = (np.asarray(self._word, dtype=np.intp), np.asarray(self._stem, dtype=np.intp))
            elif len(got[0]) < n:
                m = len(got[0])
                got = self._arrays = (np.concatenate((got[0], np.asarray(self._word[m:], dtype=np.intp))),
                                      np.concatenate((got[1], np.asarray(self._stem[m:], dtype=np.intp))))
        return got


class TextModel:
    """Per-code probability that a passage is about the code. Fitted attributes: ``codes_``,
    ``vocabulary_`` (token -> column), ``idf_``, ``coef_`` (codes x vocabulary), ``intercept_``."""

    def __init__(self, C: float = TEXT_C, min_df: int = MIN_DF):
        self.C = C
        self.min_df = min_df

    def fit(self, texts: Sequence[str], gold: Sequence[Sequence[str]], codes: Sequence[str]) -> "TextModel":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        vec = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=self.min_df)
        A = vec.fit_transform([text_tokens(t) for t in texts])
        gold_sets = [set(g) for g in gold]
        self.codes_ = [c for c in codes if 2 <= sum(c in g for g in gold_sets) < len(gold_sets)]
        self.vocabulary_ = {k: int(v) for k, v in vec.vocabulary_.items()}
        self.idf_ = vec.idf_.astype(float)
        coef = np.zeros((len(self.codes_), A.shape[1]))
        icpt = np.zeros(len(self.codes_))
        for j, c in enumerate(self.codes_):
            yy = np.array([1 if c in g else 0 for g in gold_sets])
            m = LogisticRegression(C=self.C, max_iter=2000).fit(A, yy)
            coef[j], icpt[j] = m.coef_[0], m.intercept_[0]
        self.coef_, self.intercept_ = coef, icpt
        return self

    def _token_columns(self) -> "_TokenColumns":
        """The model's memo of word -> its (word, stem) columns (started afresh when the model's
        vocabulary is replaced or the memo holds :data:`MAX_MEMO_WORDS` words)."""
        got = self.__dict__.get("_columns")
        if got is None or got.vocabulary is not self.vocabulary_ or len(got.index) > MAX_MEMO_WORDS:
            got = self.__dict__["_columns"] = _TokenColumns(self.vocabulary_)
        return got

    def _matrix(self, texts: Sequence[str]):
        """TF-IDF rows (sublinear tf, l2 norm) as a scipy-free list of (columns, values), read
        :data:`MATRIX_CHUNK` texts at a time (each row depends on its text alone; the chunks bound
        the batch's temporary arrays)."""
        if len(texts) <= MATRIX_CHUNK:
            return self._matrix_chunk(texts)
        out = []
        for k in range(0, len(texts), MATRIX_CHUNK):
            out.extend(self._matrix_chunk(texts[k:k + MATRIX_CHUNK]))
        return out

    def _matrix_chunk(self, texts: Sequence[str]):
        """TF-IDF rows (sublinear tf, l2 norm) as a scipy-free list of (columns, values); a row's
        columns are in the order their tokens first occur in :func:`text_tokens`.

        Every distinct word is looked up in the vocabulary once (:class:`_TokenColumns`); the counts
        of all texts come from one ``numpy.unique`` over (text, column) keys, and only the l2 norm is
        taken per row (the same dot product over the same values in the same order as one row alone)."""
        cols_of = self._token_columns()
        index, add = cols_of.index, cols_of._add
        ids: list[int] = []
        lens: list[int] = []
        for t in texts:
            got = _word_ids(folded_lower(t), index, add)
            ids.extend(got)
            lens.append(len(got))
        return self._id_rows(cols_of, ids, lens)

    def _id_rows(self, cols_of: "_TokenColumns", ids: list, lens: list):
        """:meth:`_matrix_chunk`'s rows of texts whose word ids (``cols_of.index``) are ``ids``, text after text,
        ``lens`` of them per text (:meth:`_raw_rows`, each row divided by its l2 norm)."""
        u_col, vals, bounds = self._raw_rows(cols_of, ids, lens)
        if not len(u_col):
            return [(np.zeros(0, dtype=int), np.zeros(0)) for _ in range(len(lens))]
        u_row = np.repeat(np.arange(len(lens), dtype=np.intp), np.diff(bounds))
        # the l2 norm of each row: the dot product of the row's values alone, as for one row
        norms = np.asarray([(math.sqrt(float(vals[s:e] @ vals[s:e])) or 1.0) if e > s else 1.0
                            for s, e in zip(bounds, bounds[1:])])
        vals /= norms[u_row]
        empty = (np.zeros(0, dtype=int), np.zeros(0))
        return [(u_col[s:e], vals[s:e]) if e > s else empty for s, e in zip(bounds, bounds[1:])]

    def predict_proba(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Per text, code -> probability."""
        return self._row_proba(self._matrix(texts))

    def _row_proba(self, rows: list) -> list[dict[str, float]]:
        if not rows:
            return []
        coef, icpt = self.coef_, self.intercept_
        Z = np.empty((len(rows), len(icpt)))
        for r, (cols, vals) in enumerate(rows):
            Z[r] = icpt + (coef[:, cols] @ vals if len(cols) else 0.0)
        P = 1.0 / (1.0 + np.exp(-np.clip(Z, -50, 50)))
        codes = self.codes_
        return [dict(zip(codes, p)) for p in P.tolist()]

    def code_proba(self, pairs: Sequence[tuple[str, str]]) -> list[Optional[float]]:
        """Probability of each (text, code) pair (None when the model does not know the code); each
        distinct text is read once."""
        texts = list(dict.fromkeys(t for t, _ in pairs))
        return self._pair_proba(pairs, dict(zip(texts, self._matrix(texts))))

    def _pair_proba(self, pairs: Sequence[tuple[str, str]], rows: dict) -> list[Optional[float]]:
        """:meth:`code_proba` of the pairs whose texts' rows are ``rows`` (text -> row)."""
        col = {c: j for j, c in enumerate(self.codes_)}
        coef_rows, icpt = list(self.coef_), self.intercept_.tolist()
        exp = math.exp
        out: list[Optional[float]] = []
        for t, c in pairs:
            j = col.get(c)
            if j is None:
                out.append(None)
                continue
            cols, vals = rows[t]
            z = icpt[j] + (float(coef_rows[j].take(cols).dot(vals)) if len(cols) else 0.0)
            out.append(1.0 / (1.0 + exp(-max(-50.0, min(50.0, z)))))
        return out

    def proba_and_span_proba(self, texts: Sequence[str], spans: Sequence[tuple[int, int, int, str]]):
        """(``predict_proba(texts)``, ``code_proba([(texts[i][a:b], code) for i, a, b, code in spans])``): the
        same values, with each text scanned once. A span's words are read from its text's scan by position when
        the text lower-cases character by character (then ``folded_lower(texts[i][a:b])`` is the folded text's
        slice) and the span lies inside the text; else the span's text is scanned as in :meth:`code_proba`.

        The rows are built for the whole batch at once (:meth:`_flat_rows`) and their dot products taken a group
        of rows of one length at a time (:func:`_row_dots`, :meth:`_flat_row_proba`, :meth:`_flat_pair_proba`):
        each product is still the one numpy function on the same numbers as the per-row path (a stacked
        ``np.matmul`` calls numpy's BLAS ``dot`` per stacked (1, n) x (n, 1) pair as ``a @ b`` does for two 1-D
        arrays, and its ``gemv`` per stacked matrix and column as ``M @ v`` does), so the probabilities are the
        same doubles (tests/test_disposer_batched.py)."""
        cols_of = self._token_columns()
        index, add = cols_of.index, cols_of._add
        lows: list = []
        scans: list = []
        ids: list = []
        lens: list = []
        for t in texts:
            low = folded_lower(t)
            lows.append(low)
            sc = _scan_ids(low, index, add)
            scans.append(sc)
            ids.extend(sc[0])
            lens.append(len(sc[0]))
        probs = self._flat_row_proba(self._flat_rows(cols_of, ids, lens))
        # each distinct span text once, at its first span (as code_proba reads its pairs' distinct texts)
        first: dict = {}
        pair_rows: list = []
        pair_codes: list = []
        ids = []
        lens = []
        for i, a, b, c in spans:
            st = texts[i][a:b]
            r = first.get(st)
            if r is None:
                r = first[st] = len(lens)
                t, low = texts[i], lows[i]
                if 0 <= a <= b <= len(t) and len(low) == len(t) and "Σ" not in t:
                    got = _span_ids(scans[i], low, a, b, index, add)
                else:
                    got = _word_ids(folded_lower(st), index, add)
                ids.extend(got)
                lens.append(len(got))
            pair_rows.append(r)
            pair_codes.append(c)
        return probs, self._flat_pair_proba(self._flat_rows(cols_of, ids, lens), pair_rows, pair_codes)

    def _flat_rows(self, cols_of: "_TokenColumns", ids: list, lens: list) -> tuple:
        """The rows of :meth:`_id_rows` as flat arrays (columns, values, bounds: row r is
        ``columns[bounds[r]:bounds[r + 1]]``, a list), the same numbers: the columns and counts of each
        :data:`MATRIX_CHUNK` texts as :meth:`_id_rows` reads them, and the l2 norms of all rows at once by
        :func:`_row_dots` (each row's dot product with itself, the same call as ``vals[s:e] @ vals[s:e]``)."""
        n = len(lens)
        cols_parts: list = []
        vals_parts: list = []
        bounds: list = [0]
        k = 0
        for c0 in range(0, n, MATRIX_CHUNK):
            c1 = min(n, c0 + MATRIX_CHUNK)
            m = sum(lens[c0:c1])
            u_col, vals, b = self._raw_rows(cols_of, ids[k:k + m], lens[c0:c1])
            k += m
            base = bounds[-1]
            bounds.extend([base + x for x in b[1:]])
            cols_parts.append(u_col)
            vals_parts.append(vals)
        if not cols_parts:
            return np.zeros(0, dtype=np.intp), np.zeros(0), bounds
        cols = cols_parts[0] if len(cols_parts) == 1 else np.concatenate(cols_parts)
        vals = vals_parts[0] if len(vals_parts) == 1 else np.concatenate(vals_parts)
        b_arr = np.asarray(bounds, dtype=np.intp)
        sq = _row_dots(vals, vals, b_arr[:-1], np.diff(b_arr), np.arange(n, dtype=np.intp))
        norms = np.sqrt(sq)
        norms[norms == 0.0] = 1.0  # (math.sqrt(...) or 1.0; an empty row: 1.0)
        vals /= np.repeat(norms, np.diff(b_arr))
        return cols, vals, bounds

    def _raw_rows(self, cols_of: "_TokenColumns", ids: list, lens: list) -> tuple:
        """The TF-IDF rows (sublinear tf, before the l2 norm) of texts whose word ids (``cols_of.index``) are
        ``ids``, text after text, ``lens`` of them per text, as flat arrays (columns, values, bounds: row r is
        ``columns[bounds[r]:bounds[r + 1]]``, ``bounds`` a list); a row's columns are in the order their tokens
        first occur in :func:`text_tokens`.

        The counts of all texts come from one ``numpy.unique`` over (text, column) keys."""
        idf = self.idf_
        n = len(lens)
        if not ids:
            return np.zeros(0, dtype=np.intp), np.zeros(0), [0] * (n + 1)
        word_col, stem_col = cols_of.arrays()
        tok = np.asarray(ids, dtype=np.intp)
        lens_a = np.asarray(lens, dtype=np.intp)
        row = np.repeat(np.arange(n, dtype=np.intp), lens_a)
        # text r's tokens laid out in order: its words (slots 2·start + k), then their stems
        # (slots 2·start + len + k); start = the text's first word in ``tok``
        starts = np.cumsum(lens_a) - lens_a
        slot = np.arange(len(tok), dtype=np.intp) + starts[row]
        col = np.empty(2 * len(tok), dtype=np.intp)
        col[slot] = word_col[tok]
        col[slot + lens_a[row]] = stem_col[tok]
        rows2 = np.repeat(np.arange(n, dtype=np.intp), 2 * lens_a)
        keep = col >= 0
        width = len(idf) + 1
        key = rows2[keep] * width + col[keep]
        uniq, first, counts = np.unique(key, return_index=True, return_counts=True)
        by_first = np.argsort(first, kind="stable")  # each row's columns in first-occurrence order
        uniq, counts = uniq[by_first], counts[by_first]
        u_row, u_col = uniq // width, uniq % width
        vals = (1.0 + np.log(counts.astype(float))) * idf[u_col]
        bounds = np.searchsorted(u_row, np.arange(n + 1)).tolist()
        return u_col, vals, bounds

    def _flat_row_proba(self, flat: tuple) -> list[dict[str, float]]:
        """:meth:`_row_proba` of the rows ``flat`` (:meth:`_flat_rows`): ``coef[:, cols] @ vals`` of the rows of
        one length (two or more columns) as one ``np.matmul`` of the stacked matrices and columns (numpy's ``gemv``
        per matrix, as ``@`` of a matrix and a 1-D array calls it; a row of one column as before)."""
        cols, vals, bounds = flat
        n = len(bounds) - 1
        if not n:
            return []
        coef, icpt = self.coef_, self.intercept_
        Z = np.empty((n, len(icpt)))
        b_arr = np.asarray(bounds, dtype=np.intp)
        lens = np.diff(b_arr)
        Z[lens == 0] = icpt + 0.0
        for r in np.flatnonzero(lens == 1).tolist():
            s = bounds[r]
            Z[r] = icpt + coef[:, cols[s:s + 1]] @ vals[s:s + 1]
        many = np.flatnonzero(lens > 1)
        if len(many):
            order = many[np.argsort(lens[many], kind="stable")]
            ls = lens[order]
            cut = np.flatnonzero(np.diff(ls)) + 1
            for grp in np.split(order, cut):
                ln = int(lens[grp[0]])
                at = b_arr[grp][:, None] + np.arange(ln, dtype=np.intp)
                # matrix k: coef[:, cols of row k], laid out as that fancy index gives it alone (a column-major
                # matrix: its strides, and so the BLAS call, are the per-row path's)
                M = coef[:, cols[at]].transpose(1, 0, 2)
                Z[grp] = icpt + np.matmul(M, vals[at][:, :, None])[:, :, 0]
        P = 1.0 / (1.0 + np.exp(-np.clip(Z, -50, 50)))
        codes = self.codes_
        return [dict(zip(codes, p)) for p in P.tolist()]

    def _flat_pair_proba(self, flat: tuple, pair_rows: list, pair_codes: list) -> list[Optional[float]]:
        """:meth:`_pair_proba` of pairs given as (row of ``flat``, code): ``coef[j].take(cols).dot(vals)`` of the
        pairs whose rows have one length (two or more columns) by :func:`_row_dots` (numpy's BLAS ``dot`` per
        pair, as ``.dot`` calls it); a row of one column is the product of its two numbers (as ``.dot`` of two
        one-element arrays gives it)."""
        cols, vals, bounds = flat
        col = {c: j for j, c in enumerate(self.codes_)}
        icpt = self.intercept_.tolist()
        known = [k for k, c in enumerate(pair_codes) if c in col]
        dots = [0.0] * len(pair_codes)
        if known:
            coef = self.coef_
            b_arr = np.asarray(bounds, dtype=np.intp)
            rows = np.asarray([pair_rows[k] for k in known], dtype=np.intp)
            js = np.asarray([col[pair_codes[k]] for k in known], dtype=np.intp)
            lens = b_arr[rows + 1] - b_arr[rows]
            got = np.zeros(len(known))
            one = np.flatnonzero(lens == 1)
            if len(one):
                s = b_arr[rows[one]]
                got[one] = coef[js[one], cols[s]] * vals[s]
            many = np.flatnonzero(lens > 1)
            if len(many):
                got[many] = _row_dots(coef, vals, b_arr[rows[many]], lens[many], js[many], cols)
            for k, d in zip(known, got.tolist()):
                dots[k] = d
        exp = math.exp
        out: list[Optional[float]] = []
        for k, c in enumerate(pair_codes):
            j = col.get(c)
            if j is None:
                out.append(None)
                continue
            z = icpt[j] + dots[k]
            out.append(1.0 / (1.0 + exp(-max(-50.0, min(50.0, z)))))
        return out

    def to_json(self) -> dict:
        voc = sorted(self.vocabulary_, key=self.vocabulary_.get)
        return {"C": self.C, "min_df": self.min_df, "codes": list(self.codes_), "vocabulary": voc,
                "idf": [round(float(v), 5) for v in self.idf_],
                # coefficients as integers in thousandths (a third of the text of decimal numbers)
                "coef_scale": COEF_SCALE,
                "coef": [[int(round(float(v) * COEF_SCALE)) for v in row] for row in self.coef_],
                "intercept": [round(float(v), 5) for v in self.intercept_]}

    @classmethod
    def from_json(cls, doc: dict) -> "TextModel":
        m = cls(C=doc.get("C", TEXT_C), min_df=doc.get("min_df", MIN_DF))
        m.codes_ = list(doc["codes"])
        m.vocabulary_ = {k: i for i, k in enumerate(doc["vocabulary"])}
        m.idf_ = np.asarray(doc["idf"], dtype=float)
        m.coef_ = (np.asarray(doc["coef"], dtype=float) / float(doc.get("coef_scale", 1))).reshape(
            len(m.codes_), len(m.vocabulary_))
        m.intercept_ = np.asarray(doc["intercept"], dtype=float)
        return m


def oof_text_probs(texts: Sequence[str], gold: Sequence[Sequence[str]], codes: Sequence[str],
                   groups: Optional[Sequence] = None, k: int = 5, C: float = TEXT_C) -> list[dict[str, float]]:
    """Out-of-fold text-model probabilities per passage (GroupKFold over ``groups``, one group per
    passage by default)."""
    return oof_text_and_sentence_probs(texts, gold, codes, groups=groups, k=k, C=C)[0]


def oof_text_and_sentence_probs(texts: Sequence[str], gold: Sequence[Sequence[str]], codes: Sequence[str],
                                groups: Optional[Sequence] = None, k: int = 5, C: float = TEXT_C,
                                sentence_pairs: Optional[Sequence[Sequence[tuple[str, str]]]] = None):
    """Out-of-fold probabilities per passage, as :func:`oof_text_probs`, and with ``sentence_pairs``
    (per passage, the (sentence, code) pairs of its proposals' mentions) per passage code -> the
    highest probability of the code over its sentences, read by the same fold's model."""
    from sklearn.model_selection import GroupKFold

    n = len(texts)
    groups = list(range(n)) if groups is None else list(groups)
    out: list[dict[str, float]] = [{} for _ in range(n)]
    sent: list[dict[str, float]] = [{} for _ in range(n)]
    k = min(k, len(set(groups)))
    if k < 2:
        return out, sent
    for tr, te in GroupKFold(n_splits=k).split(np.zeros(n), groups=groups):
        m = TextModel(C=C).fit([texts[i] for i in tr], [gold[i] for i in tr], codes)
        for i, p in zip(te, m.predict_proba([texts[i] for i in te])):
            out[i] = p
        if sentence_pairs is not None:
            pairs = [(i, s, c) for i in te for s, c in sentence_pairs[i]]
            for (i, _, c), v in zip(pairs, m.code_proba([(s, c) for _, s, c in pairs])):
                if v is not None and v > sent[i].get(c, -1.0):
                    sent[i][c] = v
    return out, sent
