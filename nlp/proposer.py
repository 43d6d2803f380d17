"""The proposer: a learned text model that proposes the codes the codebook rules miss.

The rules find a code by its codebook words; an answer that describes a measure in other words
("läkaren åker ut till de äldre i hemmet tillsammans med kommunens sjuksköterskor") gets nothing.
The proposer reads the whole passage as a bag of features and gives every code a probability;
when the rules did not propose a code at all and its probability reaches the threshold, the code
is added (origin ``model``) with the passage's best sentence for the code as its evidence span.

Features (:func:`form_features`, memoised per word form): the content lemma (``w:``), the 6-letter
stem of longer lemmas (``s:``), bigrams of consecutive content lemmas within a sentence (``b:``) and the form's question
(``q:``) when known. One logistic regression per code over TF-IDF (sublinear tf, l2 norm) is fitted
with scikit-learn; the fitted model is plain arrays (vocabulary, idf, a sparse coefficient table)
stored as JSON, and prediction is one numpy product per batch.

The artifact ``data/models/proposer.json`` is rebuilt by ``python tools/train_proposer.py`` from the
disposer's training passages (never a blind set) together with the hash of its training data; its
parameters and the switch :data:`SHIPPED_ON` were chosen by cross-validation over passages of the whole
pipeline (rules + disposer + proposer against rules + disposer, ``tools/train_proposer.py --cv``).
"""
from __future__ import annotations

import json
import math
from array import array
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from nlp.compiled import ROOT as REPO_ROOT  # this module may run from nlp/_compiled/

__all__ = ["Proposer", "form_features", "form_tokens", "passage_features", "segment_features", "load_bundled_proposer",
           "PROPOSER_ARTIFACT", "FEATURES_VERSION", "SHIPPED_ON", "proposer_artifact_hash", "shipped_proposer"]

FEATURES_VERSION = "proposer-2"
# whether the default tagging uses the shipped proposer (SVARSANALYS_PROPOSER overrides): on only when the
# whole pipeline's cross-validated micro-F1 improves with precision still >= 0.90 (see README)
SHIPPED_ON = True
PROPOSER_ARTIFACT = REPO_ROOT / "data" / "models" / "proposer.json"
STEM_LEN = 6
COEF_SCALE = 1000
CHUNK = 65536  # non-zeros of the TF-IDF rows gathered at once in Proposer.decision


# 1 + log(tf) of the counts below 64 (the same doubles as computed per count in Proposer._column_rows)
def _tf_weights() -> list[float]:
    """0.0 and 1 + log(n) for n in 1..63 (built in a function, not by a module-level comprehension: see
    nlp/compiled.py on the compiled build)."""
    return [0.0] + [1.0 + math.log(n) for n in range(1, 64)]


_TF_WEIGHT = _tf_weights()

# per word form (orth hash): (feature tokens of the form, content lemma or None)
_FORMS: dict[int, tuple[tuple[str, ...], Optional[str]]] = {}


def _form_of(orth: int, lemma: int, strings) -> tuple[tuple[str, ...], Optional[str]]:
    got = _FORMS.get(orth)
    if got is None:
        got = form_features(strings[orth], strings[lemma])
        if len(_FORMS) > 500_000:
            _FORMS.clear()
        _FORMS[orth] = got
    return got


def form_tokens(orth: int, lemma: int, strings) -> tuple[str, ...]:
    """The feature tokens of one word form given by its orth and lemma hashes (memoised)."""
    return _form_of(orth, lemma, strings)[0]


_STOP_WORDS = None  # nlp.lang_sv.stop_words.STOP_WORDS, imported at the first form (not by a per-form import)


def _stop_words():
    global _STOP_WORDS
    from nlp.lang_sv.stop_words import STOP_WORDS

    _STOP_WORDS = STOP_WORDS
    return STOP_WORDS


def _has_letter(text: str) -> bool:
    """``any(c.isalpha() for c in text)`` without a generator per word form (a loop over C characters in the compiled
    build, nlp/proposer.pxd, where ``c.isalpha()`` is ``Py_UNICODE_ISALPHA``: what ``str.isalpha`` of one character
    tests)."""
    for c in text:
        if c.isalpha():
            return True
    return False


def form_features(orth: str, lemma: str) -> tuple[tuple[str, ...], Optional[str]]:
    """(feature tokens, content lemma) of one word form: ``w:lemma`` and ``s:stem`` of a lemma longer than
    6 letters (a new compound shares its first element's stem); ((), None) for stop words, numbers and
    punctuation. Compound parts are not features: out-of-fold they added nothing the stems do not give,
    and splitting every new word form costs ~60 µs a type."""
    STOP_WORDS = _STOP_WORDS or _stop_words()
    low = lemma.lower()
    if len(low) < 2 or low in STOP_WORDS or orth.lower() in STOP_WORDS or not _has_letter(low):
        return (), None
    if len(low) > STEM_LEN:
        return ("w:" + low, "s:" + low[:STEM_LEN]), low
    return ("w:" + low,), low


def _token_features(orth: list, lem: list, space: list, strings, s: int, e: int, bigrams: bool,
                    out: list) -> None:
    prev = None
    form = _FORMS.get
    for i in range(s, e):
        if space[i]:
            continue
        o = orth[i]
        got = form(o)
        if got is None:
            got = _form_of(o, lem[i], strings)
        toks, low = got
        if low is None:
            prev = None
            continue
        out.extend(toks)
        if bigrams and prev is not None:
            out.append("b:" + prev + "_" + low)
        prev = low


def _segment_columns(orth: list, lem: list, space: list, s: int, e: int, memo: dict, pairs: dict, get, strings,
                     bigrams: bool, out: list) -> int:
    """Add to ``out`` the vocabulary columns (``get``: the vocabulary's ``get``) of the feature tokens of the tokens
    [s, e) of an analysed text, in token order (``memo``: word form -> (its columns, content lemma or None), and
    ``pairs``: (lemma, next lemma) -> the column of their bigram or -1, both filled as forms and pairs are met); the
    number of content words."""
    n = 0
    prev = None
    for i in range(s, e):
        if space[i]:
            continue
        o = orth[i]
        got = memo.get(o)
        if got is None:
            toks, low = _form_of(o, lem[i], strings)
            got = memo[o] = (tuple([j for j in map(get, toks) if j is not None]), low)
        cols, low = got
        if low is None:
            prev = None
            continue
        n += 1
        out.extend(cols)
        if bigrams and prev is not None:
            key = (prev, low)
            j = pairs.get(key)
            if j is None:
                j = get("b:" + prev + "_" + low)
                j = pairs[key] = -1 if j is None else j
            if j >= 0:
                out.append(j)
        prev = low
    return n


def _column_values(column_lists, idf: list, tf: list, cols_all: list, vals_all: list, offs: list) -> None:
    """:meth:`Proposer._column_rows`' rows, added to ``cols_all``, ``vals_all`` and ``offs`` (``tf``: 1 + log of the
    small counts); the squares of a row's weights summed in order from 0.0, as ``sum`` of their list."""
    n_tf = len(tf)
    log, sqrt = math.log, math.sqrt
    for cols in column_lists:
        if cols:
            counts: dict = {}  # insertion order = first occurrence (as Counter(cols))
            get = counts.get
            for j in cols:
                counts[j] = get(j, 0) + 1
            w: list = []
            ss = 0.0
            for j, c in counts.items():
                v = (tf[c] if c < n_tf else 1.0 + log(c)) * idf[j]
                w.append(v)
                ss += v * v
            norm = sqrt(ss) or 1.0
            cols_all.extend(counts)
            for v in w:
                vals_all.append(v / norm)
        offs.append(len(cols_all))


def segment_features(a, strings, s: int, e: int, bigrams: bool = True) -> list[str]:
    """Feature tokens of the tokens [s, e) of an analysed text (content words, compound parts, stems
    and, with ``bigrams``, pairs of consecutive content lemmas)."""
    out: list[str] = []
    _token_features(a.orth.tolist(), a.lemma.tolist(), a.space.tolist(), strings, s, e, bigrams, out)
    return out


def passage_features(a, strings, question: Optional[str] = None, bigrams: bool = True) -> list[str]:
    """Feature tokens of a whole analysed text: those of its segments (bigrams never cross a
    segment) and ``q:question`` when the form's question is known."""
    out: list[str] = []
    orth, lem, space = a.orth.tolist(), a.lemma.tolist(), a.space.tolist()
    for s, e in a.segments:
        _token_features(orth, lem, space, strings, s, e, bigrams, out)
    if question:
        out.append("q:" + str(question).strip().lower())
    return out


def _identity(x):
    return x


class Proposer:
    """Per-code probability that a passage holds the code, from its feature tokens.

    Parameters: ``C`` (inverse L2 strength of each code's logistic regression), ``threshold`` (a code
    the rules did not propose is added when its probability reaches it; ``thresholds`` per code
    override it), ``min_df`` (a feature must occur in this many training passages), ``bigrams``,
    ``class_weight`` (as LogisticRegression), ``min_words`` (a passage with fewer content words gets no
    code: one or two words weigh everything after the l2 norm).
    Fitted attributes: ``codes_``, ``vocabulary_`` (token -> column), ``idf_``, ``coef_`` (vocabulary x
    codes), ``intercept_``.
    """

    def __init__(self, C: float = 4.0, threshold: float = 0.7, min_df: int = 2, bigrams: bool = True,
                 class_weight=None, min_words: int = 0):
        self.C = C
        self.min_words = min_words
        self.threshold = threshold
        self.thresholds: dict[str, float] = {}
        self.min_df = min_df
        self.bigrams = bigrams
        self.class_weight = class_weight

    # ------------------------------------------------------------------ fit
    def fit(self, token_lists: Sequence[Sequence[str]], gold: Sequence[Sequence[str]],
            codes: Sequence[str]) -> "Proposer":
        """One logistic regression per code with at least two positive passages (scikit-learn)."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        vec = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=self.min_df)
        A = vec.fit_transform([list(t) for t in token_lists])
        gold_sets = [set(g) for g in gold]
        self.codes_ = [c for c in codes if 2 <= sum(c in g for g in gold_sets) < len(gold_sets)]
        self.vocabulary_ = {k: int(v) for k, v in vec.vocabulary_.items()}
        self.idf_ = vec.idf_.astype(float)
        coef = np.zeros((A.shape[1], len(self.codes_)))
        icpt = np.zeros(len(self.codes_))
        for j, c in enumerate(self.codes_):
            y = np.array([1 if c in g else 0 for g in gold_sets])
            m = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=3000).fit(A, y)
            coef[:, j], icpt[j] = m.coef_[0], m.intercept_[0]
        self.coef_, self.intercept_ = coef, icpt
        return self

    # ------------------------------------------------------------------ predict
    def _rows(self, token_lists: Sequence[Sequence[str]]):
        """(columns, tf-idf values, row start offsets) of the token lists (sublinear tf, l2 norm)."""
        get = self.vocabulary_.get
        return self._column_rows([[j for j in map(get, toks) if j is not None] for toks in token_lists])

    def _column_rows(self, column_lists: Sequence[Sequence[int]]):
        """(columns, tf-idf values, row start offsets) of rows given as the vocabulary columns of their
        tokens in token order (tokens outside the vocabulary left out): a row's columns in order of first
        occurrence, weight (1 + log tf)·idf, l2-normed with the sum of squares taken in that order."""
        cols_all: list[int] = []
        vals_all: list[float] = []
        offs = [0]
        _column_values(column_lists, self._idf_list(), _TF_WEIGHT, cols_all, vals_all, offs)
        # the values through a C array of doubles (the same doubles; numpy's conversion of a list reads each float
        # through its generic element packing)
        return (np.asarray(cols_all, dtype=np.int64), np.frombuffer(array("d", vals_all), dtype=float),
                np.asarray(offs))

    def _idf_list(self) -> list:
        """``idf_`` as Python floats (the same doubles), rebuilt when ``idf_`` is replaced."""
        got = self.__dict__.get("_idf_cache")
        if got is None or got[0] is not self.idf_:
            got = self.__dict__["_idf_cache"] = (self.idf_, np.asarray(self.idf_, dtype=float).tolist())
        return got[1]

    def _form_columns(self) -> tuple[dict, dict]:
        """Memos of this model's vocabulary: word form (orth hash) -> (columns of the form's feature tokens,
        content lemma or None), and (lemma, next lemma) -> the column of their bigram (-1: none); started afresh
        when the vocabulary is replaced or they grow too large."""
        got = self.__dict__.get("_form_cols")
        if got is None or got[0] is not self.vocabulary_ or len(got[1]) > 500_000 or len(got[2]) > 500_000:
            got = self.__dict__["_form_cols"] = (self.vocabulary_, {}, {})
        return got[1], got[2]

    def passage_columns(self, a, strings, question: Optional[str] = None,
                        bigrams: bool = True) -> tuple[list[int], int]:
        """(the vocabulary columns of :func:`passage_features` of an analysed text, in token order, tokens
        outside the vocabulary left out; its number of content words, i.e. of ``w:`` tokens) without
        building the token strings of single words (their columns are memoised per word form)."""
        get = self.vocabulary_.get
        memo, pairs = self._form_columns()
        orth, lem, space = a.orth.tolist(), a.lemma.tolist(), a.space.tolist()
        out: list[int] = []
        n = 0
        for s, e in a.segments:
            n += _segment_columns(orth, lem, space, s, e, memo, pairs, get, strings, bool(bigrams), out)
        if question:
            j = get("q:" + str(question).strip().lower())
            if j is not None:
                out.append(j)
        return out, n

    def decision(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """Linear score per (token list, code): one product over the whole batch."""
        return self._decision(len(token_lists), lambda: self._rows(token_lists))

    def decision_columns(self, column_lists: Sequence[Sequence[int]]) -> np.ndarray:
        """:meth:`decision` of rows given as vocabulary columns (:meth:`passage_columns`): the same scores."""
        return self._decision(len(column_lists), lambda: self._column_rows(column_lists))

    def _decision(self, n: int, rows) -> np.ndarray:
        k = len(self.codes_)
        out = np.tile(self.intercept_, (n, 1)) if n else np.zeros((0, k))
        if not n or not k:
            return out
        cols, vals, offs = rows()
        if not len(cols):
            return out
        nonempty = np.flatnonzero(offs[1:] > offs[:-1])
        # rows in blocks of about CHUNK non-zeros: the gathered coefficients stay a few MB per block
        lo = 0
        while lo < len(nonempty):
            hi = int(np.searchsorted(offs[nonempty], offs[nonempty[lo]] + CHUNK, side="left"))
            hi = max(hi, lo + 1)
            rows_ = nonempty[lo:hi]
            a, b = int(offs[rows_[0]]), int(offs[rows_[-1] + 1])
            contrib = self.coef_[cols[a:b]] * vals[a:b, None]
            out[rows_] += np.add.reduceat(contrib, offs[rows_] - a, axis=0)
            lo = hi
        return out

    def predict_proba(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """Probability per (token list, code) (columns in ``codes_`` order)."""
        return self._proba(self.decision(token_lists))

    def predict_proba_columns(self, column_lists: Sequence[Sequence[int]]) -> np.ndarray:
        """:meth:`predict_proba` of rows given as vocabulary columns (:meth:`passage_columns`)."""
        return self._proba(self.decision_columns(column_lists))

    @staticmethod
    def _proba(z: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))

    def threshold_for(self, code: str) -> float:
        return self.thresholds.get(code, self.threshold)

    # ------------------------------------------------------------------ storage
    def to_json(self) -> dict:
        voc = sorted(self.vocabulary_, key=self.vocabulary_.get)
        # the coefficients as integers in thousandths, one row per code (a third of the text of decimals)
        q = np.rint(self.coef_.T * COEF_SCALE).astype(np.int64)
        return {"features_version": FEATURES_VERSION,
                "params": {"C": self.C, "threshold": self.threshold,
                           "thresholds": dict(sorted(self.thresholds.items())),
                           "min_df": self.min_df, "bigrams": self.bigrams, "class_weight": self.class_weight,
                           "min_words": self.min_words},
                "codes": list(self.codes_), "vocabulary": voc, "idf": [round(float(v), 5) for v in self.idf_],
                "coef_scale": COEF_SCALE,
                "coef": q.tolist(),
                "intercept": [round(float(v), 5) for v in self.intercept_]}

    @classmethod
    def from_json(cls, doc: dict) -> "Proposer":
        p = doc.get("params", {})
        m = cls(C=p.get("C", 4.0), threshold=p.get("threshold", 0.7), min_df=p.get("min_df", 2),
                bigrams=p.get("bigrams", True), class_weight=p.get("class_weight"), min_words=p.get("min_words", 0))
        m.thresholds = {str(k): float(v) for k, v in (p.get("thresholds") or {}).items()}
        m.codes_ = list(doc["codes"])
        m.vocabulary_ = {k: i for i, k in enumerate(doc["vocabulary"])}
        m.idf_ = np.asarray(doc["idf"], dtype=float)
        coef = np.asarray(doc["coef"], dtype=float).reshape(len(m.codes_), len(m.vocabulary_))
        m.coef_ = np.ascontiguousarray(coef.T / float(doc.get("coef_scale", 1)))
        m.intercept_ = np.asarray(doc["intercept"], dtype=float)
        return m


@lru_cache(maxsize=4)
def _load(path: str, mtime: float):
    from nlp.model_cache import json_parts

    # json.loads of the file, marshal-ed in the cache folder; the coefficients and idf as numpy arrays of the same
    # numbers, stored as raw bytes (from_json's np.asarray(..., dtype=float) gives the same doubles as from lists)
    doc = json_parts(path, ("model", "training_hash"), arrays=True)
    return Proposer.from_json(doc["model"]), doc.get("training_hash", "")


def load_bundled_proposer(path: Path = PROPOSER_ARTIFACT) -> Optional[Proposer]:
    """The shipped proposer (None when the artifact is absent)."""
    if not path.exists():
        return None
    return _load(str(path), path.stat().st_mtime)[0]


def proposer_artifact_hash(path: Path = PROPOSER_ARTIFACT) -> str:
    """The training hash stored with the shipped proposer ('' when absent)."""
    if not path.exists():
        return ""
    return _load(str(path), path.stat().st_mtime)[1]


def shipped_proposer(setting: str = "") -> Optional[Proposer]:
    """The proposer of the default tagging: the shipped model when switched on by :data:`SHIPPED_ON` or by
    ``setting`` ('on' / 'off'; '' follows SHIPPED_ON), else None (nothing is loaded). ConfigError (Swedish)
    for another value of SVARSANALYS_PROPOSER."""
    from errors import ConfigError

    want = (setting or "").strip().lower()
    if want not in ("", "on", "off"):
        raise ConfigError(f"Miljövariabeln SVARSANALYS_PROPOSER har värdet '{want}'; ange 'on', 'off' eller "
                          "lämna den tom (förslagsmodellen för koder som reglerna missar).")
    if want == "off" or (want == "" and not SHIPPED_ON):
        return None
    return load_bundled_proposer()
