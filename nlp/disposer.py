"""The disposer: a calibrated classifier that keeps or drops the codes the rules propose.

Usage::

    disp = Disposer().fit(feature_dicts, labels, groups=passage_ids)   # scikit-learn at fit time
    p = disp.predict_proba_dicts(feature_dicts)                          # numpy only
    disp.dispose(results)                # drop proposals below the threshold; p becomes confidence

Fitting uses scikit-learn (DictVectorizer + LogisticRegression, calibrated with a sigmoid on
cross-validated scores, as ``CalibratedClassifierCV(ensemble=False)``). The fitted model is
exported to plain arrays (``vocabulary_``, ``coef_``, ``intercept_``, ``calib_``) so that
prediction — one sparse dot product per batch — needs numpy only and the tag command does not
import scikit-learn. :meth:`to_json` / :meth:`from_json` store it as a JSON document.

An optional text model (:class:`nlp.disposer_text.TextModel`, ``text_model_``) adds the probability
that the whole passage is about the proposed code as features (``sugg_p``, ``sugg_logit``) and, with
``sentence_text``, the highest probability over the sentences holding the code's mentions
(``sugg_sent_p``, ``sugg_sent_logit``): a true mention keeps its own evidence next to a sentence about
something else (a negated measure). When fitting, out-of-fold probabilities are passed in
(``text_probs``, ``sent_probs``) instead of the model's own.
"""
from __future__ import annotations

import json
from typing import Optional, Sequence

import numpy as np

from nlp.evidence import IMPLIED_PREFIX
from nlp.gc_pause import gc_paused
from nlp.disposer_features import FEATURES_VERSION, MAX_MENTIONS, dict_scores, proposal_features, proposals_of

__all__ = ["Disposer", "add_text_features", "add_sentence_text_features", "mention_sentences", "sentence_pairs",
           "fit_correction",
           "apply_correction"]

# default priors of a correction: L2 penalty of the per-code offsets; a and b held at the identity
# (None). Chosen by simulate-review on data/eval/blind_round4/5 (see models/learning.py).
CORRECTION_PRIOR = {"lam_a": None, "lam_b": None, "lam_code": 0.15}
# Cues that may raise a proposal's probability but never lower it: the form's question (``q_match``: the
# question belongs to the code's category; ``q_mismatch``: it does not). Both are fitted, so that the other
# weights are estimated with the question's effect set apart, and then a negative weight of the fitted model
# is set to 0 (after the calibration, so that a passage without a question id is scored as before): the
# training passages' out-of-category proposals are mostly traps written for the disposer, while real answers
# (an "Övrigt" answer, a question-6 answer listing many measures) name true measures of other categories,
# and the learned penalty cost recall on unseen text (tools/question_prior.py). A known question therefore
# never costs a code that the same passage keeps without it.
POSITIVE_ONLY = frozenset({"q_match", "q_mismatch"})


def apply_correction(corr: dict, z: np.ndarray, codes: Sequence[str],
                     X: Optional[Sequence[dict]] = None) -> np.ndarray:
    """a·z + b + b_code (+ Σ δ_f·x_f over the correction's feature weights, with the proposals'
    feature dicts ``X``) of a correction (unknown codes and features: 0)."""
    off = np.asarray([corr["codes"].get(c, 0.0) for c in codes], dtype=float)
    out = corr["a"] * np.asarray(z, dtype=float) + corr["b"] + off
    feats = corr.get("features")
    if feats and X is not None:
        get = feats.get
        out = out + np.asarray([sum([get(k, 0.0) * v for k, v in f.items()]) for f in X], dtype=float)
    return out


def fit_correction(z: Sequence[float], codes: Sequence[str], y: Sequence[int],
                   sample_weight: Optional[Sequence[float]] = None, lam_a: Optional[float] = None,
                   lam_b: Optional[float] = None, lam_code: Optional[float] = None,
                   X: Optional[Sequence[dict]] = None, lam_feat: Optional[float] = None,
                   feature_filter=None) -> dict:
    """Maximum a posteriori (a, b, b_code, δ) of p = sigmoid(a·z + b + b_code + Σ δ_f·x_f) given
    logits ``z`` of a fixed model, 0/1 labels and weights, with Gaussian priors a ~ 1, b ~ 0,
    b_code ~ 0, δ ~ 0 (penalties ``lam_*``·(θ − prior)²; ``None``: held at the prior): with few
    decisions the correction stays near the identity. With ``X`` (the proposals' feature dicts) and
    ``lam_feat``, every feature the decisions show (those ``feature_filter(name)`` accepts) gets a
    weight δ_f added to the fixed model's: the same as refitting the model with its own weights as the
    prior mean, so the words of a clause crossed with a code are corrected, not only the code."""
    from scipy.optimize import minimize

    prior = dict(CORRECTION_PRIOR)
    prior.update({k: v for k, v in (("lam_a", lam_a), ("lam_b", lam_b), ("lam_code", lam_code)) if v is not None})
    free_a, free_b = prior["lam_a"] is not None, prior["lam_b"] is not None
    lam_a, lam_b, lam_code = prior["lam_a"] or 0.0, prior["lam_b"] or 0.0, float(prior["lam_code"])
    z = np.asarray(z, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    names = sorted(set(codes))
    col = {c: i for i, c in enumerate(names)}
    ci = np.asarray([col[c] for c in codes], dtype=int)
    k = len(names)
    fnames: list[str] = []
    M = None
    if X is not None and lam_feat is not None and len(y):
        from scipy.sparse import csr_matrix

        fcol: dict[str, int] = {}
        rows, cols, vals = [], [], []
        for r, f in enumerate(X):
            for name, v in f.items():
                if v == 0.0 or (feature_filter is not None and not feature_filter(name)):
                    continue
                j = fcol.setdefault(name, len(fcol))
                rows.append(r)
                cols.append(j)
                vals.append(float(v))
        fnames = list(fcol)
        M = csr_matrix((vals, (rows, cols)), shape=(len(y), len(fnames)))
    nf = len(fnames)
    lam_f = float(lam_feat or 0.0)

    def loss(th: np.ndarray):
        a, b, bc, df = th[0], th[1], th[2:2 + k], th[2 + k:]
        s = a * z + b + (bc[ci] if k else 0.0)
        if nf:
            s = s + M @ df
        p = 1.0 / (1.0 + np.exp(-np.clip(s, -50, 50)))
        ll = np.sum(w * (np.logaddexp(0.0, s) - y * s))
        r = p - y
        g_s = w * r
        grad = np.empty_like(th)
        grad[0] = np.dot(g_s, z) + 2 * lam_a * (a - 1.0) if free_a else 0.0
        grad[1] = g_s.sum() + 2 * lam_b * b if free_b else 0.0
        if k:
            grad[2:2 + k] = np.bincount(ci, weights=g_s, minlength=k) + 2 * lam_code * bc
        pen = lam_a * (a - 1.0) ** 2 + lam_b * b ** 2 + lam_code * float(np.dot(bc, bc))
        if nf:
            grad[2 + k:] = M.T @ g_s + 2 * lam_f * df
            pen += lam_f * float(np.dot(df, df))
        return ll + pen, grad

    th0 = np.concatenate([[1.0, 0.0], np.zeros(k + nf)])
    if len(y):
        th0 = minimize(loss, th0, jac=True, method="L-BFGS-B").x
    out = {"a": round(float(th0[0]), 6), "b": round(float(th0[1]), 6),
           "codes": {c: round(float(th0[2 + i]), 6) for i, c in enumerate(names)}, "n": int(len(y))}
    if nf:
        feats = {n: round(float(v), 6) for n, v in zip(fnames, th0[2 + k:].tolist())}
        out["features"] = {n: v for n, v in feats.items() if v != 0.0}
    return out


def add_text_features(f: dict, prob: Optional[float]) -> None:
    """The text model's probability of the proposal's code as features (absent: the model does not
    know the code)."""
    if prob is None:
        f["sugg_unknown"] = 1.0
        return
    f["sugg_p"] = float(prob)
    f["sugg_logit"] = _scaled_logit(prob)


def add_sentence_text_features(f: dict, prob: Optional[float]) -> None:
    """The text model's highest probability of the proposal's code over its mentions' sentences as
    features (nothing when the model does not know the code)."""
    if prob is None:
        return
    f["sugg_sent_p"] = float(prob)
    f["sugg_sent_logit"] = _scaled_logit(prob)


def _scaled_logit(prob: float) -> float:
    """The smoothed logit of a text-model probability, scaled to the range of the other features."""
    return float(np.log((prob + 1e-3) / (1.0 - prob + 1e-3))) / 4.0


def mention_sentences(result, proposal) -> list[str]:
    """The distinct sentences holding the proposal's mentions (the first ``MAX_MENTIONS``)."""
    text = result.text
    out: dict[str, None] = {}
    for e in proposal.evidence[:MAX_MENTIONS]:
        xs, xe = e.excerpt_start, e.excerpt_end
        if xe <= xs:
            xs, xe = e.start, e.end
        out[text[xs:xe]] = None
    return list(out)


def mention_spans(result, proposal) -> list[tuple[int, int]]:
    """The (start, end) in the passage of each of :func:`mention_sentences` (the first span of each text)."""
    text = result.text
    out: dict[str, tuple[int, int]] = {}
    for e in proposal.evidence[:MAX_MENTIONS]:
        xs, xe = e.excerpt_start, e.excerpt_end
        if xe <= xs:
            xs, xe = e.start, e.end
        s = text[xs:xe]
        if s not in out:
            out[s] = (xs, xe)
    return list(out.values())


def sentence_pairs(results: Sequence, props: Sequence) -> list[list[tuple[str, str]]]:
    """Per result, the (sentence, code) pairs of its proposals' mentions."""
    pairs: list[list[tuple[str, str]]] = [[] for _ in results]
    for p in props:
        pairs[p.index].extend((s, p.code) for s in mention_sentences(results[p.index], p))
    return pairs


def follow_implied(props: Sequence, P: np.ndarray) -> np.ndarray:
    """``P`` with each proposal whose evidence follows from another code ("följer av X") raised to the
    probability of X's proposal in the same passage, when that is higher."""
    # (k, the codes its evidence follows from) of each proposal with such evidence: one loop over the evidence,
    # without a set per proposal (most have none)
    implied = []
    n = len(IMPLIED_PREFIX)
    k = 0
    for p in props:
        src = None
        for e in p.evidence:
            r = e.rule
            if r.startswith(IMPLIED_PREFIX):
                if src is None:
                    src = set()
                src.add(r[n:])
        if src:
            implied.append((k, src))
        k += 1
    if not implied:
        return P
    at = {(p.index, p.code): k for k, p in enumerate(props)}
    P = np.array(P, dtype=float, copy=True)
    for k, src in implied:
        for c in src:
            j = at.get((props[k].index, c))
            if j is not None and P[j] > P[k]:
                P[k] = P[j]
    return P


def _positive_only(coef: np.ndarray, vocabulary: dict) -> np.ndarray:
    """``coef`` with the negative weights of the :data:`POSITIVE_ONLY` features set to 0 (in place)."""
    for name in POSITIVE_ONLY:
        j = vocabulary.get(name)
        if j is not None and coef[j] < 0:
            coef[j] = 0.0
    return coef


class Disposer:
    """Keep/drop classifier over proposal features.

    Parameters: ``C`` (inverse L2 strength), ``threshold`` (keep when probability >= threshold),
    ``class_weight`` (as LogisticRegression), ``context_words`` (use words around mentions),
    ``clause_words`` (the words of each mention's clause by side, see ``clause_window``),
    ``calib_folds`` (folds for the sigmoid calibration), ``seed``, ``sentence_text`` (the text model
    also reads the mentions' sentences).
    Fitted attributes: ``vocabulary_`` (feature name -> column), ``coef_``, ``intercept_``,
    ``calib_`` ((a, b) of p = 1 / (1 + exp(a * score + b))), ``n_train_``.
    """

    def __init__(self, C: float = 0.5, threshold: float = 0.5, class_weight=None, context_words: bool = True,
                 calib_folds: int = 5, seed: int = 0, clause_words: bool = True, sentence_text: bool = False):
        self.C = C
        self.sentence_text = sentence_text
        self.clause_words = clause_words
        self.threshold = threshold
        self.class_weight = class_weight
        self.context_words = context_words
        self.calib_folds = calib_folds
        self.seed = seed
        self.code_questions: dict[str, frozenset] = {}
        self.text_model_ = None  # optional nlp.disposer_text.TextModel: the passage's bag-of-words prior
        self.correction_: Optional[dict] = None  # a project's correction of the calibrated logit (fit_correction)

    # ------------------------------------------------------------------ fit
    def fit(self, X: Sequence[dict], y: Sequence[int], groups: Optional[Sequence] = None,
            sample_weight: Optional[Sequence[float]] = None) -> "Disposer":
        """Fit on feature dicts and 0/1 labels; groups keep one passage's proposals in one fold."""
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import GroupKFold, KFold

        y = np.asarray(y, dtype=int)
        w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        vec = DictVectorizer(sort=True)
        M = vec.fit_transform(list(X))
        # cross-validated scores for the sigmoid calibration
        scores = np.zeros(len(y))
        k = min(self.calib_folds, len(set(groups)) if groups is not None else len(y))
        if k >= 2 and len(set(y.tolist())) == 2:
            splitter = GroupKFold(n_splits=k) if groups is not None else KFold(k, shuffle=True, random_state=self.seed)
            for tr, te in splitter.split(M, y, groups):
                if len(set(y[tr].tolist())) < 2:
                    continue
                m = self._lr().fit(M[tr], y[tr], sample_weight=w[tr])
                scores[te] = m.decision_function(M[te])
            cal = LogisticRegression(C=1e6, max_iter=1000).fit(scores.reshape(-1, 1), y, sample_weight=w)
            a, b = -float(cal.coef_[0, 0]), -float(cal.intercept_[0])
        else:
            a, b = -1.0, 0.0
        if len(set(y.tolist())) == 2:
            base = self._lr().fit(M, y, sample_weight=w)
            coef, icpt = _positive_only(base.coef_[0].astype(float), vec.vocabulary_), float(base.intercept_[0])
        else:
            coef, icpt = np.zeros(M.shape[1]), (10.0 if y.size and y[0] == 1 else -10.0)
        self.vocabulary_ = dict(vec.vocabulary_)
        self.coef_ = coef
        self.intercept_ = icpt
        self.calib_ = (a, b)
        self.n_train_ = int(len(y))
        self.correction_ = None  # a correction belongs to the model it was fitted on
        return self

    def _lr(self):
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=3000)

    # ------------------------------------------------------------------ predict
    def decision_dicts(self, X: Sequence[dict]) -> np.ndarray:
        """Linear score per feature dict (one sparse dot product, summed in each dict's order)."""
        s = dict_scores(X, self._weights())
        return np.asarray(s, dtype=float) + self.intercept_

    def _weights(self) -> dict:
        """Feature name -> weight as Python floats (the same doubles as ``coef_``), rebuilt when
        ``vocabulary_`` or ``coef_`` is replaced."""
        got = self.__dict__.get("_weights_cache")
        if got is None or got[0] is not self.vocabulary_ or got[1] is not self.coef_:
            coef = np.asarray(self.coef_, dtype=float).tolist()
            weights = {k: coef[j] for k, j in self.vocabulary_.items()}
            got = self.__dict__["_weights_cache"] = (self.vocabulary_, self.coef_, weights)
        return got[2]

    def logit_dicts(self, X: Sequence[dict]) -> np.ndarray:
        """Calibrated logit (before any project correction) per feature dict."""
        a, b = self.calib_
        return -(a * self.decision_dicts(X) + b)

    def predict_proba_dicts(self, X: Sequence[dict], codes: Optional[Sequence[str]] = None) -> np.ndarray:
        """Calibrated probability that each proposal is right; with ``codes`` (the proposals' codes)
        the project's correction, when fitted, is applied."""
        if not len(X):
            return np.zeros(0)
        z = self.logit_dicts(X)
        if self.correction_ is not None and codes is not None:
            z = apply_correction(self.correction_, z, codes, X)
        return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))

    def fit_correction(self, X: Sequence[dict], codes: Sequence[str], y: Sequence[int],
                       sample_weight: Optional[Sequence[float]] = None, **prior) -> "Disposer":
        """Learn a small correction of this (fixed) disposer from labelled proposals:
        logit' = a·z + b + b_code, shrunk toward the identity (see :func:`fit_correction`)."""
        z = self.logit_dicts(X) if len(X) else np.zeros(0)
        if prior.get("lam_feat") is not None:
            prior.setdefault("X", X)
        self.correction_ = fit_correction(z, codes, y, sample_weight, **prior)
        return self

    def features(self, results: Sequence, questions: Optional[Sequence[Optional[str]]] = None,
                 text_probs: Optional[Sequence[dict]] = None, sent_probs: Optional[Sequence[dict]] = None):
        """(proposals, feature dicts) of tag results. ``text_probs`` (per result, code -> probability)
        and ``sent_probs`` (per result, code -> highest probability over its mentions' sentences)
        replace the text model's own probabilities (out-of-fold values when fitting)."""
        props = proposals_of(results)
        X = proposal_features(results, props, questions=questions, code_questions=self.code_questions,
                              context_words=self.context_words, clause_words=self.clause_words)
        if (text_probs is None and sent_probs is None and self.sentence_text and self.text_model_ is not None
                and props):
            text_probs, sent_probs = self._text_and_sentence_probs(results, props)
        if text_probs is None and self.text_model_ is not None and props:
            idx = sorted({p.index for p in props})
            got = self.text_model_.predict_proba([results[i].text for i in idx])
            by_index = dict(zip(idx, got))
            text_probs = [by_index.get(i, {}) for i in range(len(results))]
        if text_probs is not None:
            for p, f in zip(props, X):
                add_text_features(f, text_probs[p.index].get(p.code))
        if self.sentence_text:
            if sent_probs is None and self.text_model_ is not None and props:
                sent_probs = self.sentence_probs(results, props)
            if sent_probs is not None:
                for p, f in zip(props, X):
                    add_sentence_text_features(f, sent_probs[p.index].get(p.code))
        return props, X

    def _text_and_sentence_probs(self, results: Sequence, props: Sequence) -> tuple[list[dict], list[dict]]:
        """(per result, code -> the text model's probability of the passage; :meth:`sentence_probs`): the same
        values, with each passage scanned once for both (``TextModel.proba_and_span_proba``)."""
        idx = sorted({p.index for p in props})
        at = {i: k for k, i in enumerate(idx)}
        want = [(p, mention_spans(results[p.index], p)) for p in props]
        got_p, got_s = self.text_model_.proba_and_span_proba(
            [results[i].text for i in idx], [(at[p.index], a, b, p.code) for p, ss in want for a, b in ss])
        by_index = dict(zip(idx, got_p))
        text_probs = [by_index.get(i, {}) for i in range(len(results))]
        return text_probs, _highest_per_code(len(results), want, got_s)

    def sentence_probs(self, results: Sequence, props: Sequence) -> list[dict]:
        """Per result, code -> the text model's highest probability of the code over the sentences
        holding its mentions (one prediction per distinct sentence)."""
        want = [(p, mention_sentences(results[p.index], p)) for p in props]
        got = self.text_model_.code_proba([(s, p.code) for p, ss in want for s in ss])
        return _highest_per_code(len(results), want, got)

    def proposal_proba(self, props: Sequence, X: Sequence[dict]) -> np.ndarray:
        """The probability of each proposal (``predict_proba_dicts`` with the proposals' codes) where a
        code the codebook implies ("följer av familjecentral") is at least as likely as the code that
        implies it in the same passage: a kept familjecentral keeps its barn_unga_elevhalsa."""
        P = self.predict_proba_dicts(X, [p.code for p in props])
        return follow_implied(props, P)

    def dispose(self, results: Sequence, questions: Optional[Sequence[Optional[str]]] = None) -> None:
        """Drop the rule proposals below the threshold (their evidence is removed); the probability of
        a kept proposal becomes the confidence of its evidence.

        Python's cyclic garbage collector is paused meanwhile (:func:`nlp.gc_pause.gc_paused`, as for the rules):
        the features allocate hundreds of thousands of small acyclic objects, and collections rescanning the
        batch's heap were ~14 % of the instructions of dispose + propose on the bench passages."""
        with gc_paused():
            self._dispose(results, questions)

    def _dispose(self, results: Sequence, questions: Optional[Sequence[Optional[str]]]) -> None:
        """:meth:`dispose` with the collector paused."""
        props, X = self.features(results, questions)
        if not props:
            return
        P = self.proposal_proba(props, X)
        drop: dict[int, set] = {}
        for p, pr in zip(props, P.tolist()):
            if pr < self.threshold:
                drop.setdefault(p.index, set()).add(p.code)
            else:
                for e in p.evidence:
                    e.confidence = round(float(pr), 3)
        for i, codes in drop.items():
            res = results[i]
            kept = []
            for x in res.excerpts:
                x.evidence = [e for e in x.evidence if not (e.code in codes and e.origin == "rule")]
                if x.evidence:
                    kept.append(x)
            res.excerpts = kept

    # ------------------------------------------------------------------ storage
    def to_json(self) -> dict:
        voc = sorted(self.vocabulary_, key=self.vocabulary_.get)
        return {"features_version": FEATURES_VERSION, "params": {
            "C": self.C, "threshold": self.threshold, "context_words": self.context_words,
            "clause_words": self.clause_words, "sentence_text": self.sentence_text,
            "calib_folds": self.calib_folds, "seed": self.seed},
            "features": voc, "coef": [round(float(self.coef_[self.vocabulary_[k]]), 6) for k in voc],
            "intercept": round(float(self.intercept_), 6), "calib": [round(float(v), 6) for v in self.calib_],
            "n_train": self.n_train_, "code_questions": {k: sorted(v) for k, v in self.code_questions.items()},
            "text_model": self.text_model_.to_json() if self.text_model_ is not None else None,
            "correction": self.correction_}

    @classmethod
    def from_json(cls, doc: dict) -> "Disposer":
        p = doc.get("params", {})
        d = cls(C=p.get("C", 0.5), threshold=p.get("threshold", 0.5), context_words=p.get("context_words", True),
                calib_folds=p.get("calib_folds", 5), seed=p.get("seed", 0),
                clause_words=p.get("clause_words", False), sentence_text=p.get("sentence_text", False))
        d.vocabulary_ = {k: i for i, k in enumerate(doc["features"])}
        d.coef_ = np.asarray(doc["coef"], dtype=float)
        d.intercept_ = float(doc["intercept"])
        d.calib_ = tuple(doc["calib"])
        d.n_train_ = int(doc.get("n_train", 0))
        d.code_questions = {k: frozenset(v) for k, v in (doc.get("code_questions") or {}).items()}
        corr = doc.get("correction")
        if corr is not None:
            d.correction_ = {"a": float(corr["a"]), "b": float(corr["b"]),
                             "codes": {str(k): float(v) for k, v in (corr.get("codes") or {}).items()},
                             "n": int(corr.get("n", 0))}
            if corr.get("features"):
                d.correction_["features"] = {str(k): float(v) for k, v in corr["features"].items()}
        if doc.get("text_model"):
            from nlp.disposer_text import TextModel

            d.text_model_ = TextModel.from_json(doc["text_model"])
        return d

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def loads(cls, text: str) -> "Disposer":
        return cls.from_json(json.loads(text))


def _highest_per_code(n: int, want: Sequence, got: Sequence) -> list[dict]:
    """Per result (``n`` of them), code -> the highest of the probabilities ``got`` of a proposal's spans, read in
    ``want``'s order ((proposal, spans) pairs; None is no probability)."""
    out: list[dict] = [{} for _ in range(n)]
    k = 0
    for p, ss in want:
        vals = [v for v in got[k:k + len(ss)] if v is not None]
        k += len(ss)
        if vals:
            out[p.index][p.code] = max(vals)
    return out
