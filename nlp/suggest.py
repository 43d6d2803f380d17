"""Learned code suggestions: TF-IDF over lemmas and compound parts -> one-vs-rest logistic regression.

Trained on labelled excerpts: the bundled examples in ``data/training/*.jsonl`` (sentences
written for this purpose, not copies of any evaluation data) and then every analyst decision
in a project (accepted = positive, rejected = negative for that code). The model suggests
codes the rules missed, with a probability; :func:`merge_model_suggestions` adds them to rule
results with origin 'model' (low confidence first for the analyst to review).

scikit-learn is imported only here, so the rule tagger stays light when the model is off.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional, Sequence

__all__ = ["Example", "CodeSuggester", "features_of", "examples_from_texts", "load_training_examples",
           "merge_model_suggestions", "add_model_evidence", "TRAINING_DIR"]

TRAINING_DIR = Path(__file__).resolve().parents[1] / "data" / "training"


@dataclass(frozen=True)
class Example:
    """One labelled excerpt: feature tokens and the codes that apply ('' = none)."""

    tokens: tuple[str, ...]
    codes: tuple[str, ...]


_SPLIT_CACHE: dict[str, list[str]] = {}


def features_of(a) -> list[str]:
    """Feature tokens of an AnalysedText (or a token range of one): content lemmas + compound parts."""
    from nlp.pipeline import STOP_WORDS, get_nlp, split_compound

    strings = get_nlp().vocab.strings
    out: list[str] = []
    for o, l, sp in zip(a.orth.tolist(), a.lemma.tolist(), a.space.tolist()):
        if sp:
            continue
        lem = strings[l].lower()
        if len(lem) < 2 or lem in STOP_WORDS or not any(c.isalpha() for c in lem):
            continue
        out.append(lem)
        orth = strings[o]
        parts = _SPLIT_CACHE.get(orth)
        if parts is None:
            parts = [p.lower() for p in split_compound(orth) if len(p) >= 3]
            _SPLIT_CACHE[orth] = parts
        out.extend(p for p in parts if p != lem and p not in STOP_WORDS)
    return out


def examples_from_texts(analysed: Sequence, codes: Sequence[Sequence[str]]) -> list[Example]:
    """Examples from analysed texts and their code lists."""
    return [Example(tuple(features_of(a)), tuple(c)) for a, c in zip(analysed, codes)]


def load_training_examples(directory: Path = TRAINING_DIR) -> list[tuple[str, tuple[str, ...]]]:
    """(text, codes) of the bundled training sentences."""
    out = []
    if not directory.exists():
        return out
    for f in sorted(directory.glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                obj = json.loads(line)
                out.append((obj["text"], tuple(obj.get("codes") or ())))
    return out


class CodeSuggester:
    """One-vs-rest logistic regression over TF-IDF of lemma/compound tokens.

    Parameters follow scikit-learn conventions; fitted attributes end in '_'.
    """

    def __init__(self, C: float = 4.0, threshold: float = 0.5, min_df: int = 1):
        self.C = C
        self.threshold = threshold
        self.min_df = min_df

    def fit_examples(self, examples: Sequence[Example], code_ids: Sequence[str]) -> "CodeSuggester":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.pipeline import Pipeline
        from sklearn.preprocessing import MultiLabelBinarizer

        known = set(code_ids)
        Y = [[c for c in ex.codes if c in known] for ex in examples]
        present = sorted({c for y in Y for c in y})
        self.classes_ = present
        self.pipeline_ = None
        if not present or len(examples) < 2:
            return self
        mlb = MultiLabelBinarizer(classes=present)
        y = mlb.fit_transform(Y)
        # a class with only positives cannot be learned: drop such columns
        keep = [j for j in range(y.shape[1]) if 0 < y[:, j].sum() < len(examples)]
        self.classes_ = [present[j] for j in keep]
        if not keep:
            return self
        y = y[:, keep]
        self.pipeline_ = Pipeline([
            ("tfidf", TfidfVectorizer(analyzer=_identity, min_df=self.min_df, sublinear_tf=True)),
            ("clf", OneVsRestClassifier(LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000))),
        ])
        self.pipeline_.fit([list(ex.tokens) for ex in examples], y)
        return self

    def threshold_for(self, code: str) -> float:
        return self.threshold

    def predict_tokens(self, token_lists: Sequence[Sequence[str]]) -> list[dict[str, float]]:
        """Per input, code -> probability."""
        if self.pipeline_ is None or not token_lists:
            return [{} for _ in token_lists]
        P = self.pipeline_.predict_proba([list(t) for t in token_lists])
        return [{c: float(P[i, j]) for j, c in enumerate(self.classes_)} for i in range(len(token_lists))]

    def predict_analysed(self, analysed: Sequence) -> list[dict[str, float]]:
        return self.predict_tokens([features_of(a) for a in analysed])


def _identity(x):
    return x


def merge_model_suggestions(tagger, results, analysed) -> None:
    """Add model suggestions (origin 'model') for codes the rules did not find in a text.

    The evidence is the text's first excerpt (or segment), as :func:`add_model_evidence` places it.
    """
    model = tagger.model
    probs = model.predict_analysed(analysed)
    for res, a, pr in zip(results, analysed, probs):
        have = set(res.codes) | {e.code for e in res.evidence}
        for code, p in sorted(pr.items(), key=lambda x: -x[1]):
            if p < tagger.model_threshold or code in have:
                continue
            add_model_evidence(res, code, p, "modell")


def add_model_evidence(res, code: str, p: float, rule: str) -> bool:
    """Add a model's code to a tagged text with its first excerpt (or segment) as evidence, origin 'model'.

    Returns False when the text has no segment to hold the evidence.
    """
    from nlp.evidence import Evidence

    segs = res.excerpts or res.segments()
    if not segs:
        return False
    x = segs[0]
    if x not in res.excerpts:
        res.excerpts.insert(0, x)
    x.evidence.append(Evidence(code=code, start=x.start, end=x.end, match=x.text, confidence=round(p, 3),
                               origin="model", rule=rule, excerpt_start=x.start, excerpt_end=x.end))
    return True
