"""Does a learned model beat the status/scope rules? 5-fold cross-validation over passages.

    python tools/status_scope_cv.py data/eval/status_scope.jsonl

For every (passage, code) that the tagger finds and the gold file labels: features = the rules' value
(one-hot) + the words of the code's excerpts (bag of words, lower case); a calibrated logistic
regression is trained on four folds of passages and predicts the fifth. Prints the rules' and the
model's accuracy per dimension on the same items.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(path: str) -> int:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from nlp.evaluate import fold_of, read_gold
    from nlp.tagger import Tagger

    gold = read_gold(path)
    results = Tagger().tag_texts([g.text for g in gold], ids=[g.id for g in gold])
    for dim, k in (("status", 0), ("scope", 1)):
        X, y, rule, folds = [], [], [], []
        for g, r in zip(gold, results):
            vals = r.code_values()[k]
            labels = getattr(g, dim) or {}
            for code, gv in labels.items():
                if code not in vals:
                    continue
                words = {f"w={w.lower()}": 1 for x in r.excerpts if any(e.code == code for e in x.evidence)
                         for w in x.text.split()}
                words[f"rule={vals[code]}"] = 3
                X.append(words)
                y.append(gv)
                rule.append(vals[code])
                folds.append(fold_of(g.id))
        pred = [None] * len(y)
        for f in range(5):
            tr = [i for i, x in enumerate(folds) if x != f]
            te = [i for i, x in enumerate(folds) if x == f]
            if not te or len({y[i] for i in tr}) < 2:
                continue
            vec = DictVectorizer()
            Xtr = vec.fit_transform([X[i] for i in tr])
            base = LogisticRegression(max_iter=2000, C=1.0)
            counts = {c: sum(1 for i in tr if y[i] == c) for c in set(y[i] for i in tr)}
            model = CalibratedClassifierCV(base, cv=min(3, min(counts.values()))) if min(counts.values()) >= 2 else base
            model.fit(Xtr, [y[i] for i in tr])
            for i, p in zip(te, model.predict(vec.transform([X[i] for i in te]))):
                pred[i] = p
        n = len(y)
        acc_rule = sum(a == b for a, b in zip(rule, y)) / n
        acc_model = sum(a == b for a, b in zip(pred, y)) / n
        print(f"{dim}: {n} värden; regler {acc_rule:.3f}, modell (5-faldig korsvalidering) {acc_model:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "data/eval/status_scope.jsonl"))
