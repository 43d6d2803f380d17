"""Rebuild (or cross-validate) the bundled disposer: ``python tools/train_disposer.py [--cv]``.

Without options: fits the disposer on the training passages (see nlp/disposer_training.py) and
writes data/models/disposer.json with the training data hash. ``--cv``: GroupKFold over passages
(no passage's proposals in two folds) for a small grid of parameters; prints out-of-fold
passage-level micro P/R/F1 (rule misses count as misses), overall and per training file.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _prf(gold_sets, pred_sets):
    tp = sum(len(g & p) for g, p in zip(gold_sets, pred_sets))
    fp = sum(len(p - g) for g, p in zip(gold_sets, pred_sets))
    fn = sum(len(g - p) for g, p in zip(gold_sets, pred_sets))
    P = tp / (tp + fp) if tp + fp else 0.0
    R = tp / (tp + fn) if tp + fn else 0.0
    return P, R, (2 * P * R / (P + R) if P + R else 0.0)


def cross_validate(grid, k: int = 5) -> None:
    import numpy as np
    from sklearn.model_selection import GroupKFold

    from nlp.codebook import default_codebook
    from nlp.disposer import Disposer
    from nlp.disposer_features import proposals_of
    from nlp.disposer_training import code_questions, training_passages
    from nlp.tagger import Tagger

    cb = default_codebook()
    passages = training_passages()
    tagger = Tagger(cb)
    res = tagger.tag_texts([p[1] for p in passages], ids=[p[0] for p in passages])
    props = proposals_of(res)
    gold = [set(p[2]) for p in passages]
    y = np.array([1 if pr.code in gold[pr.index] else 0 for pr in props])
    groups = np.array([passages[pr.index][0] for pr in props])
    src = [p[0].split(":")[0] for p in passages]
    print(f"{len(passages)} passages, {len(props)} proposals, {int((y == 0).sum())} wrong")
    base_pred = [set() for _ in passages]
    for pr in props:
        base_pred[pr.index].add(pr.code)
    print("rules only: P=%.3f R=%.3f F1=%.3f" % _prf(gold, base_pred))
    for params in grid:
        d = Disposer(**{k2: v for k2, v in params.items() if k2 != "threshold"})
        d.code_questions = code_questions(cb)
        from nlp.disposer_features import proposal_features

        X = proposal_features(res, props, questions=[p[3] for p in passages], code_questions=d.code_questions,
                              context_words=d.context_words)
        oof = np.zeros(len(y))
        for tr, te in GroupKFold(n_splits=k).split(X, y, groups):
            m = Disposer(**{k2: v for k2, v in params.items() if k2 != "threshold"})
            m.fit([X[i] for i in tr], y[tr], groups=groups[tr])
            oof[te] = m.predict_proba_dicts([X[i] for i in te])
        for th in params.get("threshold", [0.5]):
            pred = [set() for _ in passages]
            for pr, p in zip(props, oof):
                if p >= th:
                    pred[pr.index].add(pr.code)
            P, R, F = _prf(gold, pred)
            per = []
            for s in sorted(set(src)):
                idx = [i for i, x in enumerate(src) if x == s]
                per.append("%s %.3f" % (s[:14], _prf([gold[i] for i in idx], [pred[i] for i in idx])[2]))
            print(f"{params} th={th}: P={P:.3f} R={R:.3f} F1={F:.3f} | " + ", ".join(per))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cv", action="store_true")
    a = ap.parse_args()
    if a.cv:
        grid = [
            {"C": C, "context_words": cw, "class_weight": cwt, "threshold": [0.45, 0.5, 0.55, 0.6, 0.65, 0.7]}
            for C in (0.3, 1.0, 3.0) for cw in (False,) for cwt in (None,)
        ]
        cross_validate(grid)
        return 0
    from nlp.disposer_training import ARTIFACT, fit_bundled, write_artifact

    d = fit_bundled()
    write_artifact(d)
    print(f"wrote {ARTIFACT} ({d.n_train_} proposals)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
