"""Choose the strength of the project's learning by simulated review on passages the disposer has not
seen: ``python tools/learning_cv.py [--lam 0.15 1 3 10] [--min-manual 1 2] [--orders 3]``.

Sets: every ``data/training/disposer_errors4/5/6.jsonl`` with a disposer fitted WITHOUT that file
(leave-one-file-out; the fits are cached in ``--cache``), and ``data/eval/blind_round4/5.jsonl`` with
the bundled disposer (never in its training data); ``--lofo`` names other training files to leave out. ``blind_round6`` (the held-out check of
``simulate-review``) and any later blind set are never read.

Per set and passage order (file order, then ``--orders``−1 shuffles) the first N passages are
reviewed as ``simulate-review`` does (every shown suggestion accepted or rejected by the gold, the
missed gold codes added by hand), the project learns with the app's functions
(:func:`nlp.disposer.fit_correction` over the reviewed answers' proposals, the missed-code suggester
:func:`models.learning.missed_code_probs`), and the remaining passages are scored at the proposal
level. Prints the mean change of micro-F1 (after − before) per set and over sets for every
(prior strength, manual codes needed) pair.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROOT = Path(__file__).resolve().parents[1]
LOFO = ("disposer_errors4", "disposer_errors5", "disposer_errors6")
BLIND = (("blind_round4.jsonl", 100), ("blind_round5.jsonl", 60))


def _lofo_disposer(stem: str, cache: Path):
    """The bundled disposer's recipe fitted without data/training/<stem>.jsonl (cached as JSON)."""
    from nlp.disposer import Disposer
    from nlp.disposer_training import fit_bundled, load_bundled, training_files

    path = cache / f"disp_{stem}.json"
    if path.exists():
        return Disposer.from_json(json.loads(path.read_text(encoding="utf-8")))
    b = load_bundled()
    d, *_ = fit_bundled(C=b.C, threshold=b.threshold, context_words=b.context_words,
                        sentence_text=b.sentence_text, files=[f for f in training_files() if f.stem != stem])
    cache.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(d.to_json()), encoding="utf-8")
    return d


def _prepare(path: Path, d, cb) -> dict:
    """Rule proposals of a gold set with the disposer's logits, the texts' tokens and text-model priors."""
    from nlp.evaluate import read_gold
    from nlp.suggest import features_of
    from nlp.tagger import Tagger

    gold = read_gold(path)
    t = Tagger(cb)
    qs = [g.question or None for g in gold]
    res = t.tag_texts([g.text for g in gold], ids=[g.id for g in gold], questions=qs)
    props, X = d.features(res, qs)
    texts = [g.text for g in gold]
    return {"gold": [set(g.codes) for g in gold], "pidx": [p.index for p in props],
            "pcode": [p.code for p in props], "X": X, "z": d.logit_dicts(X), "thr": d.threshold,
            "toks": [features_of(a) for a in t.analysed], "prior": d.text_model_.predict_proba(texts)}


def _simulate(S: dict, order: list, n_rev: int, lam: float, min_manual: int, cb):
    """(Scores before, Scores after) on the passages after the first ``n_rev`` of ``order``."""
    import numpy as np

    from models import learning
    from nlp.disposer import apply_correction, fit_correction
    from nlp.evaluate import score

    rev, rest = order[:n_rev], order[n_rev:]
    revset = set(rev)
    p0 = 1.0 / (1.0 + np.exp(-S["z"]))
    shown: dict[int, set] = {}
    for k, (i, c) in enumerate(zip(S["pidx"], S["pcode"])):
        if p0[k] >= S["thr"]:
            shown.setdefault(i, set()).add(c)
    pos = {i: set(S["gold"][i]) for i in rev}  # accepted and added by hand
    zs, codes, y = [], [], []
    for k, (i, c) in enumerate(zip(S["pidx"], S["pcode"])):
        if i in revset:  # every reviewed answer is fully reviewed: a proposal not kept is wrong
            zs.append(S["z"][k])
            codes.append(c)
            y.append(1 if c in pos[i] else 0)
    corr = fit_correction(zs, codes, y, lam_code=lam)
    p1 = 1.0 / (1.0 + np.exp(-apply_correction(corr, S["z"], S["pcode"])))
    after: dict[int, set] = {}
    for k, (i, c) in enumerate(zip(S["pidx"], S["pcode"])):
        if p1[k] >= S["thr"]:
            after.setdefault(i, set()).add(c)
    manual: dict[str, int] = {}
    for i in rev:
        for c in S["gold"][i] - shown.get(i, set()):
            manual[c] = manual.get(c, 0) + 1
    missed = sorted(c for c, m in manual.items() if m >= min_manual)
    if missed and len(rev) >= 5:
        probs = learning.missed_code_probs([S["toks"][i] for i in rev], [pos[i] & set(missed) for i in rev],
                                            missed, [S["toks"][i] for i in rest], [S["prior"][i] for i in rev],
                                            [S["prior"][i] for i in rest])
        for i, pr in zip(rest, probs):
            after.setdefault(i, set()).update(c for c, p in pr.items() if p >= learning.SUGGEST_THRESHOLD)
    G = [S["gold"][i] for i in rest]
    return (score(G, [shown.get(i, set()) for i in rest], cb.code_ids),
            score(G, [after.get(i, set()) for i in rest], cb.code_ids))


def main(argv=None) -> int:
    import numpy as np

    from nlp.codebook import default_codebook
    from nlp.disposer_training import load_bundled

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lam", type=float, nargs="*", default=[0.15, 1.0, 3.0, 10.0], help="per-code prior strengths")
    ap.add_argument("--min-manual", type=int, nargs="*", default=[1, 2], help="manual codes before suggesting")
    ap.add_argument("--orders", type=int, default=3, help="passage orders per set (file order + shuffles)")
    ap.add_argument("--reviews", type=int, default=100, help="reviewed passages of the training files")
    ap.add_argument("--lofo", nargs="*", default=list(LOFO), help="training files left out one at a time")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/svarsanalys_learning_cv"), help="LOFO disposers")
    a = ap.parse_args(argv)
    cb = default_codebook()
    sets = []
    for stem in a.lofo:
        path = ROOT / "data" / "training" / f"{stem}.jsonl"
        n_lines = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
        sets.append((f"{stem} (utan filen)", path, _lofo_disposer(stem, a.cache), min(a.reviews, n_lines // 2)))
    sets += [(name, ROOT / "data" / "eval" / name, load_bundled(), n) for name, n in BLIND]
    grid = [(lam, mm) for lam in a.lam for mm in a.min_manual]
    table: dict = {g: [] for g in grid}
    for label, path, d, n_rev in sets:
        S = _prepare(path, d, cb)
        n = len(S["gold"])
        orders = [list(range(n))] + [random.Random(s).sample(range(n), n) for s in range(1, a.orders)]
        cells = []
        for g in grid:
            deltas = []
            for o in orders:
                s0, s1 = _simulate(S, o, n_rev, g[0], g[1], cb)
                deltas.append(s1.micro_f1 - s0.micro_f1)
            table[g].append(float(np.mean(deltas)))
            cells.append(f"λ={g[0]:g},m={g[1]}: {np.mean(deltas):+.4f}")
        print(f"{label} (N={n_rev}): " + "  ".join(cells), flush=True)
    for g in grid:
        print(f"medel λ={g[0]:g} min_manual={g[1]}: {np.mean(table[g]):+.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
