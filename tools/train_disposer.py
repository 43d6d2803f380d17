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

from nlp.evaluate import micro_prf  # noqa: E402


def cross_validate(grid, k: int = 5, text_model: bool = True, per_code: bool = False, clause_words: bool = True,
                   exclude: tuple = (), sentence_text: bool = True, unscored: tuple = (), passages=None,
                   quiet: bool = False) -> dict:
    """GroupKFold by passage; with ``text_model`` the text model is nested: inside every outer fold
    its out-of-fold probabilities over the training passages train the disposer, and a text model
    fitted on the training passages gives the test passages' probabilities (of the passage and, with
    ``sentence_text``, of the sentences holding each proposal's mentions). ``clause_words``: with the
    clause window features; ``exclude``: training files (by stem) left out of the passages;
    ``unscored``: training files (by stem) that train every fold but are left out of a second pooled
    score, so that sets of passages with and without a new file compare on the same passages; ``passages``:
    these (group id, text, codes, question) instead of the training passages. Returns (C, threshold) ->
    the out-of-fold kept codes per passage (the passages in order)."""
    import numpy as np
    from sklearn.model_selection import GroupKFold

    from nlp.codebook import default_codebook
    from nlp.disposer import Disposer, add_sentence_text_features, add_text_features, sentence_pairs
    from nlp.disposer_features import proposal_features, proposals_of
    from nlp.disposer_text import TextModel, oof_text_and_sentence_probs
    from nlp.disposer_training import code_questions, training_passages
    from nlp.tagger import Tagger

    cb = default_codebook()
    if passages is None:
        passages = [p for p in training_passages() if p[0].split(":")[0] not in exclude]
    say = (lambda *a: None) if quiet else print
    found: dict = {}
    tagger = Tagger(cb)
    res = tagger.tag_texts([p[1] for p in passages], ids=[p[0] for p in passages])
    props = proposals_of(res)
    gold = [set(p[2]) for p in passages]
    y = np.array([1 if pr.code in gold[pr.index] else 0 for pr in props])
    groups = np.array([passages[pr.index][0] for pr in props])
    src = [p[0].split(":")[0] for p in passages]
    say(f"{len(passages)} passages, {len(props)} proposals, {int((y == 0).sum())} wrong")
    base_pred = [set() for _ in passages]
    for pr in props:
        base_pred[pr.index].add(pr.code)
    say("rules only: P=%.3f R=%.3f F1=%.3f" % micro_prf(gold, base_pred))
    cq = code_questions(cb)
    X0 = proposal_features(res, props, questions=[p[3] for p in passages], code_questions=cq, context_words=False,
                            clause_words=clause_words)
    pid = np.array([p[0] for p in passages])
    texts = [p[1] for p in passages]
    pairs = sentence_pairs(res, props)  # per passage, the (sentence, code) pairs of its proposals' mentions
    folds = []  # (train rows, test rows, feature dicts of all rows for this fold)
    for ptr, pte in GroupKFold(n_splits=k).split(np.zeros(len(passages)), groups=pid):
        tr_set = set(pid[ptr].tolist())
        tr = np.array([i for i, g in enumerate(groups) if g in tr_set])
        te = np.array([i for i, g in enumerate(groups) if g not in tr_set])
        Xf = [dict(f) for f in X0]
        if text_model:
            probs: dict[int, dict] = {}
            sprobs: dict[int, dict] = {}
            inner, inner_s = oof_text_and_sentence_probs(
                [texts[i] for i in ptr], [passages[i][2] for i in ptr], cb.code_ids, groups=pid[ptr].tolist(),
                sentence_pairs=[pairs[i] for i in ptr] if sentence_text else None)
            probs.update(zip(ptr.tolist(), inner))
            sprobs.update(zip(ptr.tolist(), inner_s))
            tm = TextModel().fit([texts[i] for i in ptr], [passages[i][2] for i in ptr], cb.code_ids)
            probs.update(zip(pte.tolist(), tm.predict_proba([texts[i] for i in pte])))
            if sentence_text:
                for i in pte.tolist():
                    got: dict = {}
                    for (_, c), v in zip(pairs[i], tm.code_proba(pairs[i])):
                        if v is not None and v > got.get(c, -1.0):
                            got[c] = v
                    sprobs[i] = got
            for f, pr in zip(Xf, props):
                add_text_features(f, round(probs[pr.index].get(pr.code, -1.0), 4)
                                  if pr.code in probs[pr.index] else None)
                if sentence_text and pr.code in sprobs[pr.index]:
                    add_sentence_text_features(f, round(sprobs[pr.index][pr.code], 4))
        folds.append((tr, te, Xf))
    for params in grid:
        oof = np.zeros(len(y))
        for tr, te, Xf in folds:
            m = Disposer(**{k2: v for k2, v in params.items() if k2 != "threshold"})
            m.fit([Xf[i] for i in tr], y[tr], groups=groups[tr])
            oof[te] = m.predict_proba_dicts([Xf[i] for i in te])
        for th in params.get("threshold", [0.5]):
            pred = [set() for _ in passages]
            for pr, p in zip(props, oof):
                if p >= th:
                    pred[pr.index].add(pr.code)
            P, R, F = micro_prf(gold, pred)
            found[(params.get("C"), th)] = pred
            if quiet:
                continue
            per = []
            for s in sorted(set(src)):
                idx = [i for i, x in enumerate(src) if x == s]
                per.append("%s %.3f" % (s[-14:], micro_prf([gold[i] for i in idx], [pred[i] for i in idx])[2]))
            print(f"{params} th={th}: P={P:.3f} R={R:.3f} F1={F:.3f} | " + ", ".join(per))
            if unscored:
                idx = [i for i, x in enumerate(src) if x not in unscored]
                P2, R2, F2 = micro_prf([gold[i] for i in idx], [pred[i] for i in idx])
                print(f"  without {', '.join(unscored)}: P={P2:.3f} R={R2:.3f} F1={F2:.3f} ({len(idx)} passages)")
            if per_code:
                _per_code(gold, pred, base_pred)
    return found


def _per_code(gold, pred, proposed) -> None:
    """Out-of-fold errors per code: kept wrong, dropped right, never proposed by the rules."""
    from collections import Counter

    fp, drop, miss, tp = Counter(), Counter(), Counter(), Counter()
    for g, p, r in zip(gold, pred, proposed):
        for c in p - g:
            fp[c] += 1
        for c in p & g:
            tp[c] += 1
        for c in (g & r) - p:
            drop[c] += 1
        for c in g - r:
            miss[c] += 1
    print("  code                                   tp  kept-wrong  dropped-right  rules-missed")
    for c in sorted(set(fp) | set(drop) | set(miss), key=lambda c: -(fp[c] + drop[c] + miss[c])):
        print(f"  {c:38s} {tp[c]:3d} {fp[c]:11d} {drop[c]:14d} {miss[c]:13d}")
    print(f"  total {sum(tp.values())} tp, {sum(fp.values())} kept wrong, {sum(drop.values())} dropped right, "
          f"{sum(miss.values())} rules missed")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cv", action="store_true")
    ap.add_argument("--no-text-model", action="store_true", help="CV without the text model feature")
    ap.add_argument("--per-code", action="store_true", help="CV: out-of-fold errors per code")
    ap.add_argument("--no-clause-words", action="store_true", help="CV without the clause window features")
    ap.add_argument("--no-sentence-text", action="store_true", help="CV without the text model of the mentions' sentences")
    ap.add_argument("--exclude", nargs="*", default=[], help="CV: training files (stem, e.g. disposer_errors7) left out")
    ap.add_argument("--unscored", nargs="*", default=[],
                    help="CV: training files (stem) kept in training but left out of a second pooled score")
    ap.add_argument("--C", type=float, nargs="*", default=[0.3, 1.0, 3.0], help="CV: values of C")
    ap.add_argument("--threshold", type=float, nargs="*", default=[0.45, 0.5, 0.55, 0.6, 0.65, 0.7],
                    help="CV: thresholds")
    a = ap.parse_args()
    if a.cv:
        grid = [
            {"C": C, "context_words": False, "class_weight": None, "threshold": list(a.threshold),
             "sentence_text": not a.no_sentence_text} for C in a.C
        ]
        cross_validate(grid, text_model=not a.no_text_model, per_code=a.per_code,
                       clause_words=not a.no_clause_words, exclude=tuple(a.exclude),
                       sentence_text=not a.no_sentence_text, unscored=tuple(a.unscored))
        return 0
    from nlp.disposer_training import ARTIFACT, fit_bundled, write_artifact

    d, oof_text, oof_sent = fit_bundled()
    write_artifact(d, oof_text=oof_text, oof_sent=oof_sent)
    print(f"wrote {ARTIFACT} ({d.n_train_} proposals)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
