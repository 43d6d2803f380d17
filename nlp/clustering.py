"""Clustering of excerpts (sentences / list items describing measures) for analyst review.

scikit-learn estimators (parameters in ``__init__``, ``fit``/``transform``/``fit_predict``,
fitted attributes with a trailing underscore):

- :class:`CodebookKeywordView`: per excerpt, how many keywords/abbreviations of each code of the
  codebook it holds (lemma-aware, compound-aware). The codebook is the product's own knowledge;
  it anchors clusters to known measure types while the TF-IDF view finds new ones.
- :class:`ExcerptFeatures`: TF-IDF over lemmas + compound parts (curated stop list) reduced by
  LSA, concatenated with the codebook view; rows L2-normalised.
- :class:`ExcerptClusterer`: agglomerative clustering (Ward; average-linkage cosine optional) over
  those features; the number of clusters is chosen by the (sampled) silhouette unless
  ``n_clusters`` is given. Chosen by measurement on the dev gold (see ``bench/cluster_quality.py``).
  Large inputs (> ``direct_max`` excerpts) are first reduced to k-means micro-clusters.

:func:`describe` makes clusters readable: a label from class-based TF-IDF top terms (whole
lemmas, compounds intact), size, coverage per respondent type and the most representative
excerpts. Inputs ``X`` are texts (str) or already analysed spaCy ``Doc``/``Span`` objects.
Deterministic: fixed seeds everywhere.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence, Union

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin
from sklearn.preprocessing import normalize

__all__ = ["CodebookKeywordView", "ExcerptFeatures", "ExcerptClusterer", "ClusterInfo", "describe",
           "as_spans", "cluster_texts"]

Excerpt = Any  # str | spacy Doc | spacy Span


def as_spans(X: Sequence[Excerpt]) -> list:
    """Texts -> analysed Docs (via nlp.pipeline.analyse); Docs/Spans pass through."""
    from nlp.pipeline import analyse

    todo = [i for i, x in enumerate(X) if isinstance(x, str)]
    if not todo:
        return list(X)
    out = list(X)
    for i, doc in zip(todo, analyse([X[i] for i in todo])):
        out[i] = doc
    return out


def _token_cache(spans: Sequence) -> list[list[str]]:
    from nlp.pipeline import content_lemmas

    return [content_lemmas(s) for s in spans]


# --------------------------------------------------------------------------- codebook view


def _codebook(codebook: Any):
    """Codebook object, document (dict) or path -> Codebook; None -> the default codebook."""
    from nlp.codebook import Codebook, default_codebook, load_codebook

    if codebook is None:
        return default_codebook()
    if isinstance(codebook, Codebook):
        return codebook
    if isinstance(codebook, dict):
        return Codebook.from_doc(codebook)
    return load_codebook(codebook)


_WORD = re.compile(r"[\wåäöÅÄÖéü]+")


class CodebookKeywordView(BaseEstimator, TransformerMixin):
    """Excerpts -> matrix (n, n_codes) of keyword hits per code of a codebook.

    Keywords are matched on lemma sequences ("mobila teamen" ~ "mobilt team") and single-word
    keywords also on compound parts ("patientkontraktsarbetet"); abbreviations case-sensitively.
    ``codebook``: a Codebook, its document, a path, or None for the default codebook.
    """

    def __init__(self, codebook: Any = None, include_labels: bool = True):
        self.codebook = codebook
        self.include_labels = include_labels

    def fit(self, X: Sequence[Excerpt] = (), y: Any = None) -> "CodebookKeywordView":
        from nlp.pipeline import lemma

        cb = _codebook(self.codebook)
        self.code_ids_ = [c.id for c in cb.codes]
        index: dict[str, set] = {}
        abbr: dict[str, set] = {}
        for ci, c in enumerate(cb.codes):
            phrases = list(c.keywords)
            if self.include_labels:
                phrases.append(c.label)
            for kw in phrases:
                ws = [lemma(w).lower() for w in _WORD.findall(str(kw).replace("*", ""))]
                ws = [w for w in ws if w]
                if ws:
                    index.setdefault(ws[0], set()).add((ci, tuple(ws)))
            for ab in c.abbreviations:
                abbr.setdefault(str(ab), set()).add(ci)
        self.index_ = {k: sorted(v) for k, v in index.items()}
        self.abbreviations_ = {k: sorted(v) for k, v in abbr.items()}
        self.n_features_out_ = len(self.code_ids_)
        return self

    def _hits(self, t) -> tuple:
        """Keyword candidates starting at this token (cached per surface form)."""
        from nlp.pipeline import split_compound

        cache = self.__dict__.setdefault("_hit_cache", {})
        got = cache.get(t.orth)
        if got is not None:
            return got
        hits: list = []
        if not (t.is_punct or t.is_space):
            cands = {t.lemma_.lower()}
            cands.update(p.lower() for p in split_compound(t.text))
            for c0 in sorted(cands):
                hits.extend(self.index_.get(c0, ()))
            if self.abbreviations_:
                base = re.split(r"[-:]", t.text, maxsplit=1)[0]
                hits.extend((ci, None) for ci in self.abbreviations_.get(base, ()))
        res = tuple(hits)
        cache[t.orth] = res
        return res

    def transform(self, X: Sequence[Excerpt]) -> np.ndarray:
        from spacy.attrs import ORTH

        spans = as_spans(X)
        K = np.zeros((len(spans), len(self.code_ids_)), dtype=np.float64)
        cache = self.__dict__.setdefault("_hit_cache", {})
        for di, sp in enumerate(spans):
            doc = getattr(sp, "doc", sp)
            start = getattr(sp, "start", 0)
            orths = doc.to_array(ORTH)[start:start + len(sp)].tolist()
            lem = None
            for i, o in enumerate(orths):
                hits = cache.get(o)
                if hits is None:
                    hits = self._hits(doc[start + i])
                for ci, seq in hits:
                    if seq is None or len(seq) == 1:
                        K[di, ci] += 1.0
                    else:
                        if lem is None:
                            lem = [x.lemma_.lower() for x in sp]
                        if tuple(lem[i:i + len(seq)]) == seq:
                            K[di, ci] += 1.0
        return K

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.asarray(self.code_ids_, dtype=object)


# --------------------------------------------------------------------------- features


def _identity(x):
    return x


class ExcerptFeatures(BaseEstimator, TransformerMixin):
    """TF-IDF (lemmas + compound parts) -> LSA, plus the codebook view; rows L2-normalised.

    ``codebook_weight`` 0 switches the codebook view off (plain text features). ``min_df`` None:
    1 below 1,000 excerpts, else 2.
    """

    def __init__(self, n_components: int = 100, codebook: Any = None, codebook_weight: float = 1.0,
                 min_df: Optional[int] = None, sublinear_tf: bool = True, random_state: int = 0):
        self.n_components = n_components
        self.codebook = codebook
        self.codebook_weight = codebook_weight
        self.min_df = min_df
        self.sublinear_tf = sublinear_tf
        self.random_state = random_state

    def _tokens(self, spans: Sequence) -> list[list[str]]:
        return _token_cache(spans)

    def fit(self, X: Sequence[Excerpt], y: Any = None) -> "ExcerptFeatures":
        self.fit_transform(X)
        return self

    def fit_transform(self, X: Sequence[Excerpt], y: Any = None) -> np.ndarray:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        spans = as_spans(X)
        toks = self._tokens(spans)
        # None: keep every term for small inputs, drop one-off terms from large ones
        min_df = self.min_df if self.min_df is not None else (2 if len(spans) >= 1000 else 1)
        self.tfidf_ = TfidfVectorizer(analyzer=_identity, lowercase=False, min_df=min_df,
                                      sublinear_tf=self.sublinear_tf)
        try:
            T = self.tfidf_.fit_transform(toks)
        except ValueError:  # empty vocabulary (no content words at all)
            self.tfidf_ = None
            T = None
        self.svd_ = None
        if T is not None and T.shape[1] > 2 and T.shape[0] > 2:
            n_comp = max(1, min(self.n_components, T.shape[1] - 1, T.shape[0] - 1))
            self.svd_ = TruncatedSVD(n_comp, random_state=self.random_state)
            Z = self.svd_.fit_transform(T)
        else:
            Z = T.toarray() if T is not None else np.zeros((len(spans), 0))
        self.view_ = None
        if self.codebook_weight:
            self.view_ = CodebookKeywordView(self.codebook).fit()
        return self._combine(Z, spans)

    def transform(self, X: Sequence[Excerpt]) -> np.ndarray:
        spans = as_spans(X)
        if self.tfidf_ is None:
            Z = np.zeros((len(spans), 0))
        else:
            T = self.tfidf_.transform(self._tokens(spans))
            Z = self.svd_.transform(T) if self.svd_ is not None else T.toarray()
        return self._combine(Z, spans)

    def _combine(self, Z: np.ndarray, spans: Sequence) -> np.ndarray:
        parts = [normalize(Z)] if Z.shape[1] else []
        if self.view_ is not None:
            parts.append(self.codebook_weight * normalize(self.view_.transform(spans)))
        # a small constant column: excerpts without any content words end up together
        parts.append(np.full((len(spans), 1), 1e-3))
        F = np.hstack(parts) if parts else np.zeros((len(spans), 1))
        return normalize(F)


# --------------------------------------------------------------------------- clusterer


def _cosine_condensed(F: np.ndarray) -> np.ndarray:
    """Condensed cosine distances of L2-normalised rows (BLAS; much faster than pdist)."""
    from scipy.spatial.distance import squareform

    F32 = F.astype(np.float32, copy=False)
    D = 1.0 - F32 @ F32.T
    np.clip(D, 0.0, 2.0, out=D)
    np.fill_diagonal(D, 0.0)
    cond = squareform(D, checks=False).astype(np.float64)
    del D
    return cond


def _sample_distances(Fs: np.ndarray) -> np.ndarray:
    """Cosine distances within the silhouette sample (rows L2-normalised)."""
    D = 1.0 - Fs @ Fs.T
    np.clip(D, 0.0, 2.0, out=D)
    np.fill_diagonal(D, 0.0)
    return D


def _silhouette(D: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette from a precomputed distance matrix (vectorised: one matmul per k)."""
    lab = np.unique(labels, return_inverse=True)[1]
    k = int(lab.max()) + 1 if len(lab) else 0
    n = len(lab)
    if k < 2 or k >= n:
        return -1.0
    onehot = np.zeros((n, k), dtype=D.dtype)
    onehot[np.arange(n), lab] = 1.0
    sums = D @ onehot  # (n, k): summed distance to each cluster
    counts = onehot.sum(axis=0)
    own = counts[lab]
    a = sums[np.arange(n), lab] / np.maximum(own - 1, 1)
    other = sums / counts
    other[np.arange(n), lab] = np.inf
    b = other.min(axis=1)
    s = (b - a) / np.maximum(np.maximum(a, b), 1e-12)
    s[own <= 1] = 0.0  # sklearn's convention for singletons
    return float(s.mean())


class ExcerptClusterer(BaseEstimator, ClusterMixin):
    """Agglomerative (Ward on L2-normalised features) clustering of excerpts with automatic k.

    Parameters
    ----------
    n_clusters: fixed number of clusters; None = choose by silhouette between ``k_min`` and
        ``k_max`` (default ``min(60, n - 1)``).
    codebook, codebook_weight, n_components: see :class:`ExcerptFeatures`.
    direct_max: above this many excerpts, k-means micro-clusters (``n_micro``) are linked instead
        of the excerpts themselves (keeps 8,000 excerpts within seconds).
    silhouette_sample: excerpts sampled (fixed seed) to score each candidate k.
    n_threads: BLAS/OpenMP threads while fitting (None: library default).

    Fitted attributes: ``labels_`` (0 = largest cluster), ``n_clusters_``, ``features_``,
    ``silhouette_`` ({k: score}), ``features_model_``.
    """

    def __init__(self, n_clusters: Optional[int] = None, k_min: int = 2, k_max: Optional[int] = None,
                 linkage: str = "ward", codebook: Any = None, codebook_weight: float = 1.0,
                 n_components: int = 100, direct_max: int = 2500, n_micro: int = 400,
                 silhouette_sample: int = 1500, n_threads: Optional[int] = 1, random_state: int = 0):
        self.n_clusters = n_clusters
        self.k_min = k_min
        self.k_max = k_max
        self.linkage = linkage
        self.codebook = codebook
        self.codebook_weight = codebook_weight
        self.n_components = n_components
        self.direct_max = direct_max
        self.n_micro = n_micro
        self.silhouette_sample = silhouette_sample
        self.n_threads = n_threads
        self.random_state = random_state

    def fit(self, X: Sequence[Excerpt], y: Any = None) -> "ExcerptClusterer":
        spans = as_spans(X)
        if self.n_threads is None:
            return self._fit(spans)
        from threadpoolctl import threadpool_limits

        # one BLAS/OpenMP thread: measured 3-5x faster on the shared 2-core machine (no spin-waiting)
        with threadpool_limits(limits=self.n_threads):
            return self._fit(spans)

    def _fit(self, spans: list) -> "ExcerptClusterer":
        n = len(spans)
        self.spans_ = spans
        self.silhouette_ = {}
        if n == 0:
            self.labels_ = np.zeros(0, dtype=int)
            self.n_clusters_ = 0
            self.features_ = np.zeros((0, 1))
            return self
        self.features_model_ = ExcerptFeatures(
            n_components=self.n_components, codebook=self.codebook, codebook_weight=self.codebook_weight,
            random_state=self.random_state)
        F = self.features_model_.fit_transform(spans)
        self.features_ = F
        if n < 3:
            k = 1 if self.n_clusters is None else max(1, min(self.n_clusters, n))
            labels = np.arange(n) if k == n else np.zeros(n, dtype=int)
            self._finish(labels)
            return self
        tree, assign = self._tree(F)
        labels = self._choose(F, tree, assign)
        self._finish(labels)
        return self

    def _tree(self, F: np.ndarray):
        """Linkage over excerpts, or over k-means micro-clusters for large inputs."""
        from scipy.cluster.hierarchy import linkage as scipy_linkage

        n = F.shape[0]
        method = self.linkage
        if n <= self.direct_max:
            if method == "ward":
                return scipy_linkage(F, "ward"), None
            return scipy_linkage(_cosine_condensed(F), method), None
        from sklearn.cluster import MiniBatchKMeans

        m = min(self.n_micro, n)
        km = MiniBatchKMeans(n_clusters=m, init="random", random_state=self.random_state, n_init=1,
                             batch_size=4096, max_iter=30)
        assign = km.fit_predict(F)
        C = normalize(km.cluster_centers_)
        used = np.unique(assign)
        remap = -np.ones(m, dtype=int)
        remap[used] = np.arange(len(used))
        C = C[used]
        assign = remap[assign]
        if method == "ward":
            return scipy_linkage(C, "ward"), assign
        return scipy_linkage(_cosine_condensed(C), method), assign

    def _choose(self, F: np.ndarray, tree: np.ndarray, assign: Optional[np.ndarray]) -> np.ndarray:
        from scipy.cluster.hierarchy import fcluster

        n = F.shape[0]
        leaves = tree.shape[0] + 1

        def cut(k: int) -> np.ndarray:
            lab = fcluster(tree, k, criterion="maxclust") - 1
            return lab[assign] if assign is not None else lab

        if self.n_clusters is not None:
            return cut(max(1, min(int(self.n_clusters), leaves)))
        k_max = self.k_max if self.k_max is not None else reviewable_k(n)
        k_max = max(2, min(k_max, n - 1, leaves))
        k_min = max(2, min(self.k_min, k_max))
        rng = np.random.RandomState(self.random_state)
        idx = np.arange(n) if n <= self.silhouette_sample else np.sort(
            rng.choice(n, self.silhouette_sample, replace=False))
        D = _sample_distances(F[idx].astype(np.float64))
        # all k up to 60: cheap (fcluster + silhouette on the sample)
        best_k, best_s, best_lab = k_min, -2.0, None
        for k in range(k_min, k_max + 1):
            lab = cut(k)
            s = _silhouette(D, lab[idx])
            self.silhouette_[k] = s
            if s > best_s + 1e-9:
                best_k, best_s, best_lab = k, s, lab
        return best_lab if best_lab is not None else cut(best_k)

    def _finish(self, labels: np.ndarray) -> None:
        """Renumber clusters by size (largest = 0), ties by first occurrence: deterministic."""
        labels = np.asarray(labels, dtype=int)
        counts = Counter(labels.tolist())
        first = {}
        for i, lab in enumerate(labels.tolist()):
            first.setdefault(lab, i)
        order = sorted(counts, key=lambda c: (-counts[c], first[c]))
        mapping = {c: i for i, c in enumerate(order)}
        self.labels_ = np.asarray([mapping[c] for c in labels.tolist()], dtype=int)
        self.n_clusters_ = len(order)

    def fit_predict(self, X: Sequence[Excerpt], y: Any = None) -> np.ndarray:
        return self.fit(X).labels_


# --------------------------------------------------------------------------- description
# A person reviews 10-20 groups in minutes: the automatic k grows with the square root of the
# number of excerpts and stops at REVIEWABLE_K_MAX (an explicit k is honoured as given).
REVIEWABLE_K_MAX = 20


def reviewable_k(n: int) -> int:
    """Largest automatic number of clusters for n excerpts (18 for 213, 20 from about 260 on)."""
    return max(2, min(REVIEWABLE_K_MAX, int(round(1.25 * math.sqrt(max(n, 1))))))


_PHRASE_WORD = re.compile(r"[^\W\d_][\w-]*", re.UNICODE)


def phrase_label(texts: Sequence[str], top_terms: Sequence[str], max_words: int = 6) -> Optional[str]:
    """A phrase taken from the excerpts that names their theme ("mobila närvårdsteam för sköra äldre").

    Candidates are word sequences (2 to ``max_words`` words, within one clause, not starting or
    ending with a stop word) that contain a top term; the phrase found in the most excerpts wins,
    longer phrases slightly preferred (first among phrases in 15 % of the excerpts, then in two). A
    single word of the excerpts is the last resort; None when not even that occurs in two excerpts.
    """
    from nlp.pipeline import STOP_WORDS

    terms = [t.lower() for t in top_terms if t]
    if not terms or len(texts) < 2:
        return None
    stems = [t if len(t) < 6 else t[:-2] for t in terms]

    def has_term(word: str) -> int:
        for rank, stem in enumerate(stems):
            if word.startswith(stem) or (len(stem) >= 5 and stem in word):
                return len(stems) - rank
        return 0

    df: Counter = Counter()
    surface: dict[tuple, str] = {}
    for text in texts:
        seen = set()
        for clause in re.split(r"[.;:!?()\n•–]|, (?=och|men|samt)", str(text)):
            words = _PHRASE_WORD.findall(clause)
            low = [w.lower() for w in words]
            for i in range(len(low)):
                if low[i] in STOP_WORDS or len(low[i]) < 3:
                    continue
                for n in range(1, max_words + 1):
                    j = i + n
                    if j > len(low):
                        break
                    if low[j - 1] in STOP_WORDS or len(low[j - 1]) < 3:
                        continue
                    gram = tuple(low[i:j])
                    if gram in seen or not any(has_term(w) for w in gram):
                        continue
                    seen.add(gram)
                    surface.setdefault(gram, " ".join(words[i:j]))
        df.update(seen)
    best = None
    # the most distinctive term first; a phrase in 15 % of the excerpts, else in at least two
    # and a single word of the excerpts only when no phrase of two or more words is shared
    for min_df, sizes in ((max(2, math.ceil(0.15 * len(texts))), range(2, max_words + 1)),
                          (2, range(2, max_words + 1)), (2, (1,))):
        for rank in range(len(stems)):
            wanted = len(stems) - rank
            best_score = 0.0
            for gram, count in df.items():
                if count < min_df or len(gram) not in sizes or not any(has_term(w) == wanted for w in gram):
                    continue
                content = sum(1 for w in gram if w not in STOP_WORDS)
                score = count * (1 + 0.2 * (content - 1))
                if score > best_score or (score == best_score and best is not None and gram < best):
                    best, best_score = gram, score
            if best is not None:
                break
        if best is not None:
            break
    if best is None:
        return None
    phrase = surface[best]
    return phrase[0].upper() + phrase[1:] if phrase[:1].islower() and not phrase[:2].isupper() else phrase



@dataclass
class ClusterInfo:
    """A readable cluster: label from top terms, size, coverage, representative excerpts."""

    number: int
    label: str
    top_terms: list[str]
    size: int
    members: list[int]
    representatives: list[int]
    coverage: dict[str, int] = field(default_factory=dict)


_LABEL_CACHE: dict[int, Optional[str]] = {}

# Lemmas that say who answers or what every answer does: never a cluster's typical words (they would name
# every cluster) nor keywords of a code made from one (models.clusters.create_code).
GENERIC_TERMS = frozenset({
    "region", "kommun", "län", "landsting", "stad", "rss", "regionen", "kommunen", "länet",
    "primärvård", "vård", "verksamhet", "arbete", "arbeta", "arbetssätt", "insats", "år",
    "använda", "finnas", "göra", "genomföra", "införa", "erbjuda", "ske", "få", "ha",
})


def _label_term(t) -> Optional[str]:
    from nlp.pipeline import STOP_WORDS

    if t.is_space or t.is_punct or t.like_num:
        return None
    lem = t.lemma_
    low = lem.lower()
    if len(low) < 3 or low in STOP_WORDS or t.lower_ in STOP_WORDS or "_" in low or "." in low:
        return None
    if low in GENERIC_TERMS or t.lower_ in GENERIC_TERMS:
        return None
    if not any(c.isalpha() for c in low):
        return None
    return lem


def _label_terms(span) -> list[str]:
    """Whole content lemmas (compounds intact) for labels; acronyms keep their case."""
    from spacy.attrs import ORTH

    doc = getattr(span, "doc", span)
    start = getattr(span, "start", 0)
    orths = doc.to_array(ORTH)[start:start + len(span)].tolist()
    out = []
    for i, o in enumerate(orths):
        if o in _LABEL_CACHE:
            term = _LABEL_CACHE[o]
        else:
            term = _label_term(doc[start + i])
            if len(_LABEL_CACHE) > 500_000:
                _LABEL_CACHE.clear()
            _LABEL_CACHE[o] = term
        if term is not None:
            out.append(term)
    return out


def class_tfidf_terms(term_lists: Sequence[Sequence[str]], labels: Sequence[int],
                      n_terms: int = 5) -> dict[int, list[str]]:
    """Top terms per cluster by class-based TF-IDF (tf per class x log(1 + A / tf over all))."""
    per: dict[int, Counter] = {}
    for terms, lab in zip(term_lists, labels):
        per.setdefault(int(lab), Counter()).update(terms)
    total = Counter()
    for c in per.values():
        total.update(c)
    if not per:
        return {}
    avg = sum(sum(c.values()) for c in per.values()) / len(per)
    out: dict[int, list[str]] = {}
    for lab, cnt in per.items():
        size = sum(cnt.values()) or 1
        scored = sorted(((cnt[t] / size) * math.log(1 + avg / total[t]), t) for t in cnt)
        scored.sort(key=lambda st: (-st[0], st[1]))
        out[lab] = [t for _, t in scored[:n_terms]]
    return out


def describe(clusterer: ExcerptClusterer, respondents: Optional[Sequence[tuple[str, str]]] = None,
             n_terms: int = 5, n_examples: int = 3, label_terms: int = 3) -> list[ClusterInfo]:
    """Readable clusters of a fitted :class:`ExcerptClusterer`.

    ``respondents``: per excerpt (respondent type, respondent name), e.g. ("region", "Region
    Skåne"); coverage counts distinct names per type. Representatives are the members closest to
    the cluster centroid (cosine), ties by position.
    """
    labels = clusterer.labels_
    spans = clusterer.spans_
    F = clusterer.features_
    terms = class_tfidf_terms([_label_terms(s) for s in spans], labels, n_terms)
    infos = []
    for c in range(clusterer.n_clusters_):
        members = np.flatnonzero(labels == c)
        centroid = F[members].mean(axis=0)
        norm = np.linalg.norm(centroid)
        sims = F[members] @ (centroid / norm) if norm else np.zeros(len(members))
        order = sorted(range(len(members)), key=lambda j: (-round(float(sims[j]), 9), members[j]))
        reps = [int(members[j]) for j in order[:n_examples]]
        top = terms.get(c, [])
        phrase = phrase_label([_span_text(spans[m]) for m in members], top[:label_terms])
        label = phrase or (", ".join(top[:label_terms]) if top else "övrigt")
        coverage: dict[str, int] = {}
        if respondents is not None:
            seen: dict[str, set] = {}
            for m in members:
                rtype, name = respondents[m]
                seen.setdefault(rtype or "okänd", set()).add(name)
            coverage = {k: len(v) for k, v in sorted(seen.items())}
        infos.append(ClusterInfo(number=c, label=label, top_terms=list(top), size=int(len(members)),
                                 members=[int(m) for m in members], representatives=reps,
                                 coverage=coverage))
    return infos


def _span_text(span) -> str:
    return str(getattr(span, "text", span))


def cluster_texts(texts: Sequence[str], k: Optional[int] = None, codebook: Any = None
                  ) -> tuple[list[int], list[ClusterInfo]]:
    """Convenience: cluster raw texts -> (label per text, cluster descriptions)."""
    est = ExcerptClusterer(n_clusters=k, codebook=codebook).fit(list(texts))
    return est.labels_.tolist(), describe(est)
