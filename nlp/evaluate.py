"""Evaluate passage-level tagging against a gold standard.

Gold: JSON lines ``{"id", "text", "codes": [...]}``. A passage's predicted set is the codes
present and not negated. Per code: gold count, precision, recall, F1 and Cohen's kappa (the
code as a yes/no judgement per passage); then micro-F1 over all decisions and macro-F1 over the
codes that have gold support.

Where a learned model is involved, predictions come from k-fold cross-validation
(:func:`cross_validated_predictions`): each passage is predicted by a model that never saw it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence

from errors import SvarsanalysError

__all__ = ["GoldError", "GoldPassage", "CodeScore", "Scores", "read_gold", "score", "format_table",
           "rule_predictions", "cross_validated_predictions", "fold_of", "ValueScores", "value_scores",
           "format_value_scores", "has_value_labels"]


class GoldError(SvarsanalysError):
    """A gold file that cannot be read; Swedish message naming file and line."""


@dataclass(frozen=True)
class GoldPassage:
    id: str
    text: str
    codes: tuple[str, ...]
    source: str = ""
    # labelled status / scope per code (None: the file has no such labels for this passage)
    status: Optional[dict] = field(default=None, compare=False, hash=False)
    scope: Optional[dict] = field(default=None, compare=False, hash=False)
    question: str = ""  # the form's question, when the gold line names one


@dataclass
class CodeScore:
    code: str
    gold: int
    predicted: int
    tp: int
    precision: float
    recall: float
    f1: float
    kappa: float


@dataclass
class Scores:
    per_code: list[CodeScore]
    micro_p: float
    micro_r: float
    micro_f1: float
    macro_f1: float
    n: int

    def to_json(self) -> dict:
        return {"n": self.n, "micro_precision": self.micro_p, "micro_recall": self.micro_r,
                "micro_f1": self.micro_f1, "macro_f1": self.macro_f1,
                "per_code": [vars(c) for c in self.per_code]}


def read_gold(path: str | Path) -> list[GoldPassage]:
    """Read a gold JSONL file (GoldError with a Swedish message on bad input)."""
    from jsonl_input import json_lines

    p = Path(path)
    out: list[GoldPassage] = []
    seen: set[str] = set()
    for n, obj in json_lines(p, GoldError, label=f"Guldfilen {p.name}"):
        if not isinstance(obj, dict):
            raise GoldError(f"Guldfilen {p.name}, rad {n}: raden ska vara ett JSON-objekt.")
        pid, txt, codes = obj.get("id"), obj.get("text"), obj.get("codes")
        if not isinstance(txt, str):
            raise GoldError(f"Guldfilen {p.name}, rad {n}: fältet 'text' saknas eller är inte text.")
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise GoldError(f"Guldfilen {p.name}, rad {n}: fältet 'codes' ska vara en lista med kod-id.")
        pid = str(pid) if pid is not None else f"rad{n}"
        if pid in seen:
            raise GoldError(f"Guldfilen {p.name}, rad {n}: id '{pid}' förekommer två gånger.")
        seen.add(pid)
        labels = {}
        for dim in ("status", "scope"):
            labels[dim] = _value_labels(obj.get(dim), dim, p.name, n)
        q = obj.get("question")
        out.append(GoldPassage(pid, txt, tuple(codes), str(obj.get("source") or ""),
                               question=str(q).strip().lower() if isinstance(q, (str, int)) else "", **labels))
    if not out:
        raise GoldError(f"Guldfilen {p.name} innehåller inga passager.")
    return out


def _value_labels(raw, dim: str, name: str, n: int) -> Optional[dict]:
    """The {code: value} labels of one dimension of a gold line (None when absent)."""
    from nlp.markers import SCOPE_VALUES, STATUS_VALUES

    if raw is None:
        return None
    allowed = STATUS_VALUES if dim == "status" else SCOPE_VALUES
    if not isinstance(raw, dict) or not all(isinstance(k, str) for k in raw):
        raise GoldError(f"Guldfilen {name}, rad {n}: fältet '{dim}' ska vara ett objekt {{kod: värde}}.")
    for k, v in raw.items():
        if v not in allowed:
            raise GoldError(f"Guldfilen {name}, rad {n}: okänt värde '{v}' i '{dim}' för {k} "
                            f"(tillåtna: {', '.join(allowed)}).")
    return dict(raw)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _kappa(tp: int, fp: int, fn: int, tn: int) -> float:
    n = tp + fp + fn + tn
    if not n:
        return 0.0
    po = (tp + tn) / n
    pe = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / (n * n)
    if pe >= 1.0:
        return 1.0 if po >= 1.0 else 0.0
    return (po - pe) / (1 - pe)


def micro_prf(gold: Sequence[set], predicted: Sequence[set]) -> tuple[float, float, float]:
    """Micro precision, recall and F1 of predicted code sets against gold code sets (every code counted)."""
    tp = sum(len(g & p) for g, p in zip(gold, predicted))
    fp = sum(len(p - g) for g, p in zip(gold, predicted))
    fn = sum(len(g - p) for g, p in zip(gold, predicted))
    P = tp / (tp + fp) if tp + fp else 0.0
    R = tp / (tp + fn) if tp + fn else 0.0
    return P, R, _f1(P, R)


def score(gold: Sequence[Iterable[str]], predicted: Sequence[Iterable[str]], codes: Sequence[str]) -> Scores:
    """Per-code and micro/macro scores of predicted code sets against gold code sets."""
    G = [set(g) for g in gold]
    P = [set(p) for p in predicted]
    n = len(G)
    per: list[CodeScore] = []
    TP = FP = FN = 0
    all_codes = list(codes) + sorted({c for g in G for c in g} - set(codes))
    for c in all_codes:
        tp = sum(1 for g, p in zip(G, P) if c in g and c in p)
        fp = sum(1 for g, p in zip(G, P) if c not in g and c in p)
        fn = sum(1 for g, p in zip(G, P) if c in g and c not in p)
        tn = n - tp - fp - fn
        TP, FP, FN = TP + tp, FP + fp, FN + fn
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        per.append(CodeScore(c, tp + fn, tp + fp, tp, prec, rec, _f1(prec, rec), _kappa(tp, fp, fn, tn)))
    mp = TP / (TP + FP) if TP + FP else 0.0
    mr = TP / (TP + FN) if TP + FN else 0.0
    supported = [c.f1 for c in per if c.gold > 0]
    macro = sum(supported) / len(supported) if supported else 0.0
    return Scores(per, mp, mr, _f1(mp, mr), macro, n)


def format_table(s: Scores, labels: Optional[dict] = None, title: str = "") -> str:
    """Plain-text table: per code gold/pred/P/R/F1/kappa, then micro and macro."""
    lines = []
    if title:
        lines.append(title)
    w = max([len(c.code) for c in s.per_code] + [4])
    lines.append(f"{'kod':<{w}}  {'guld':>4}  {'pred':>4}  {'P':>5}  {'R':>5}  {'F1':>5}  {'kappa':>5}")
    for c in s.per_code:
        lines.append(f"{c.code:<{w}}  {c.gold:>4}  {c.predicted:>4}  {c.precision:5.2f}  {c.recall:5.2f}  "
                     f"{c.f1:5.2f}  {c.kappa:5.2f}")
    lines.append(f"micro: P={s.micro_p:.3f} R={s.micro_r:.3f} F1={s.micro_f1:.3f}")
    lines.append(f"macro-F1 ({sum(1 for c in s.per_code if c.gold)} koder med guldstöd): {s.macro_f1:.3f}")
    return "\n".join(lines)


def fold_of(pid: str, k: int = 5) -> int:
    """Deterministic fold of a passage id (stable across runs and machines)."""
    import hashlib

    return int(hashlib.md5(pid.encode("utf-8")).hexdigest(), 16) % k


def rule_predictions(passages: Sequence[GoldPassage], tagger) -> list[list[str]]:
    """Predicted code sets from the rule tagger."""
    res = tagger.tag_texts([p.text for p in passages], ids=[p.id for p in passages])
    return [r.codes for r in res]


def cross_validated_predictions(passages: Sequence[GoldPassage], tagger, *, k: int = 5,
                                mode: str = "combined", base_examples=None) -> list[list[str]]:
    """k-fold CV predictions: a model trained on the other folds (+ bundled examples) per fold.

    mode 'model' = model only, 'combined' = rules + model.
    """
    from nlp.suggest import CodeSuggester, examples_from_texts

    texts = [p.text for p in passages]
    rule_res = tagger.tag_texts(texts, ids=[p.id for p in passages])
    analysed = list(tagger.analysed)
    folds = [fold_of(p.id, k) for p in passages]
    out: list[list[str]] = [[] for _ in passages]
    base = list(base_examples or [])
    for f in range(k):
        train_idx = [i for i, x in enumerate(folds) if x != f]
        test_idx = [i for i, x in enumerate(folds) if x == f]
        if not test_idx:
            continue
        ex = base + examples_from_texts([analysed[i] for i in train_idx], [passages[i].codes for i in train_idx])
        model = CodeSuggester().fit_examples(ex, tagger.codebook.code_ids)
        for i in test_idx:
            probs = model.predict_analysed([analysed[i]])[0]
            rules = set(rule_res[i].codes)
            if mode == "model":
                out[i] = sorted(c for c, p in probs.items() if p >= model.threshold_for(c))
            else:
                out[i] = sorted(rules | {c for c, p in probs.items() if p >= model.threshold_for(c)})
    return out


@dataclass
class ValueScores:
    """Accuracy and per-value recall of one dimension (status or scope) over the labelled codes the
    tagger found: ``per_value[value] = (gold count, correctly predicted)``."""

    dim: str
    n: int
    correct: int
    per_value: dict
    confusion: dict  # (gold, predicted) -> count

    @property
    def accuracy(self) -> float:
        return self.correct / self.n if self.n else 0.0

    def recall(self, value: str) -> float:
        g, ok = self.per_value.get(value, (0, 0))
        return ok / g if g else 0.0


def has_value_labels(gold: Sequence[GoldPassage]) -> bool:
    """True when any passage carries status or scope labels."""
    return any(g.status or g.scope for g in gold)


def value_scores(gold: Sequence[GoldPassage], predicted: Sequence[dict], dim: str) -> ValueScores:
    """Score predicted {code: value} maps of one dimension against the gold labels; only codes that
    are both predicted (found by the tagger) and labelled count."""
    from nlp.markers import SCOPE_VALUES, STATUS_VALUES

    values = STATUS_VALUES if dim == "status" else SCOPE_VALUES
    per = {v: [0, 0] for v in values}
    conf: dict = {}
    n = correct = 0
    for g, pred in zip(gold, predicted):
        labels = getattr(g, dim) or {}
        for code, gv in labels.items():
            if code not in pred:
                continue
            pv = pred[code]
            n += 1
            per.setdefault(gv, [0, 0])[0] += 1
            conf[(gv, pv)] = conf.get((gv, pv), 0) + 1
            if pv == gv:
                correct += 1
                per[gv][1] += 1
    return ValueScores(dim, n, correct, {k: tuple(v) for k, v in per.items()}, conf)


def format_value_scores(s: ValueScores) -> str:
    """Lines: accuracy, then recall per value (gold count), e.g. for status and scope."""
    name = "Status" if s.dim == "status" else "Omfattning"
    lines = [f"{name}: träffsäkerhet {s.accuracy:.3f} ({s.correct} av {s.n} koder som både hittats och har guldvärde)"]
    for v, (g, ok) in s.per_value.items():
        rec = f"{ok / g:.2f}" if g else "  - "
        lines.append(f"  {name.lower()} {v:<14} guld {g:>4}  rätt {ok:>4}  recall {rec}")
    return "\n".join(lines)
