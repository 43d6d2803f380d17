"""Figures of the default tagging per labelled set, and the operating-point curve on the dev sets:
``python tools/operating_point.py [--sets NAME...] [--disposer-threshold T...] [--proposer-threshold T...]``.

Every set is tagged ONCE by the rules; the shipped disposer's probability of every rule proposal and the
shipped proposer's probability of every code it would add (``Tagger.propose`` with a low threshold: the
rules' codes skipped, a negated best sentence dropped) are kept, so that any pair (disposer threshold,
proposer threshold) is scored without tagging again; at the shipped thresholds the figures are those of
``python cli.py eval --gold FILE`` (no question ids, as eval).

Default sets: the shared dev gold, holdout, fresh_round2/3 and the spent blind sets blind_round4 … 13
(the held-out sets, ``HELD_OUT`` of nlp/disposer_training.py, are never read: refused by name). Every one of
them is training data of the shipped models since 5 Dec 2026 (``TRAIN_BLIND_SETS``), so their figures here
are in-sample (regression figures only). Prints per set and threshold pair micro P/R/F1, then per pair the
mean F1 over the dev sets (``--dev``: sets no model scoring them was fitted on; by default the ``--lofo``
sets) and the lowest precision of the ``--precision-sets`` among them (default blind_round9 … 13).

``--lofo CACHE``: every spent blind set that is training data (``TRAIN_BLIND_SETS``: blind_round4 … 13, 17 … 22) scored
by a disposer and a proposer fitted without it (leave-one-file-out, the shipped recipes; the fitted
probabilities are cached in CACHE; ``tools/lofo_sets.py --op-cache`` writes the same rows), as the unseen
sets of the curve (named ``<set>-lofo``). This is how the operating point is chosen
(nlp/disposer_training.SHIPPED_THRESHOLD).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from nlp.evaluate import micro_prf  # noqa: E402

from nlp.disposer_training import refuse_held_out  # noqa: E402
DEFAULT_SETS = ("dev_gold", "holdout", "fresh_round2", "fresh_round3") + tuple(
    f"blind_round{k}" for k in range(4, 14))
DEV = ()  # every spent blind set is training data: the dev sets are the --lofo ones
PRECISION_SETS = ("blind_round9", "blind_round10", "blind_round11", "blind_round12", "blind_round13")


def set_path(name: str) -> Path:
    refuse_held_out(name)
    if name == "dev_gold":
        return ROOT.parent / "shared" / "data" / "dev_gold.jsonl"
    p = Path(name)
    return p if p.suffix == ".jsonl" else ROOT / "data" / "eval" / f"{name}.jsonl"


def read_set(path: Path) -> list[tuple[str, str, set]]:
    import json

    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            obj = json.loads(line)
            out.append((str(obj.get("id", n)), obj["text"], set(obj.get("codes") or ())))
    return out


def score_set(passages, disposer, proposer, codebook):
    """(gold code sets, per passage the rule codes with their disposer probability (code -> p; codes the
    disposer does not decide: 1.0), per passage the proposer's added codes -> probability)."""
    import copy

    from nlp.tagger import Tagger
    from train_proposer import proposed_codes, rule_codes

    res = Tagger(codebook).tag_texts([p[1] for p in passages], ids=[p[0] for p in passages])
    ruled = rule_codes(res)
    rule_p = [{c: 1.0 for c in r.codes} for r in res]
    if disposer is not None:
        props, X = disposer.features(res, None)
        if props:
            P = disposer.proposal_proba(props, X)
            for pr, p in zip(props, P.tolist()):
                if pr.code in rule_p[pr.index]:
                    rule_p[pr.index][pr.code] = float(p)
    added = [{} for _ in passages]
    if proposer is not None:
        pm = copy.copy(proposer)
        pm.threshold, pm.thresholds = 0.05, {}
        added = proposed_codes(pm, res, ruled, [None] * len(passages), codebook)
    return [p[2] for p in passages], rule_p, added


def lofo_sets(cache: Path, codebook) -> dict:
    """Set name -> score_set of every TRAIN_BLIND_SETS file with models fitted without it (cached)."""
    import pickle

    from nlp.disposer_training import EVAL_DIR, TRAIN_BLIND_SETS, fit_bundled, training_files, training_passages
    from train_proposer import fit_bundled as fit_proposer

    got = pickle.loads(cache.read_bytes()) if cache.exists() else {}
    for name in TRAIN_BLIND_SETS:
        key = name.split(".")[0] + "-lofo"
        if key in got:
            continue
        files = [f for f in training_files() if f.name != name]
        d, *_ = fit_bundled(files=files)
        pm = fit_proposer(passages=training_passages(files))
        got[key] = (score_set(read_set(EVAL_DIR / name), d, pm, codebook), pm.threshold, dict(pm.thresholds))
        cache.write_bytes(pickle.dumps(got))
        print(f"fitted without {name}", file=sys.stderr)
    return got


def predict(rule_p, added, dt: float, pt: float, proposer=None) -> list[set]:
    """Codes kept at disposer threshold ``dt`` and added at proposer threshold ``pt`` (per-code
    thresholds of ``proposer`` shifted by the same amount as its global one)."""
    shift = (pt - proposer.threshold) if proposer is not None else 0.0
    out = []
    for rp, ad in zip(rule_p, added):
        s = {c for c, p in rp.items() if p >= dt}
        for c, p in ad.items():
            th = (proposer.threshold_for(c) + shift) if proposer is not None else pt
            if p >= th:
                s.add(c)
        out.append(s)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", nargs="*", default=list(DEFAULT_SETS))
    ap.add_argument("--dev", nargs="*", default=list(DEV))
    ap.add_argument("--disposer-threshold", type=float, nargs="*", default=None,
                    help="default: the shipped disposer's threshold")
    ap.add_argument("--proposer-threshold", type=float, nargs="*", default=None,
                    help="default: the shipped proposer's threshold")
    ap.add_argument("--min-precision", type=float, default=0.93)
    ap.add_argument("--precision-sets", nargs="*", default=list(PRECISION_SETS),
                    help="dev sets (or their -lofo) whose precision must reach --min-precision")
    ap.add_argument("--lofo", metavar="CACHE", help="also the training blind sets, left out one at a time")
    a = ap.parse_args()
    from models.tagging import default_disposer, default_proposer
    from nlp.codebook import default_codebook

    cb = default_codebook()
    d, pm = default_disposer(cb), default_proposer()
    dts = a.disposer_threshold or [d.threshold if d is not None else 0.5]
    pts = a.proposer_threshold or [pm.threshold if pm is not None else 1.0]
    got = {}
    for name in a.sets:
        got[name] = score_set(read_set(set_path(name)), d, pm, cb)
    pairs = [(dt, pt) for dt in dts for pt in pts]
    fig = {}
    for name, (gold, rp, ad) in got.items():
        for dt, pt in pairs:
            fig[(name, dt, pt)] = micro_prf(gold, predict(rp, ad, dt, pt, pm))
    if a.lofo:
        import copy

        for name, ((gold, rp, ad), th, ths) in lofo_sets(Path(a.lofo), cb).items():
            got[name] = None
            a.dev.append(name)
            m = copy.copy(pm)
            m.threshold, m.thresholds = th, ths
            for dt, pt in pairs:
                fig[(name, dt, pt)] = micro_prf(gold, predict(rp, ad, dt, pt, m))
    for dt, pt in pairs:
        print(f"disposer {dt:.2f} proposer {pt:.2f}")
        for name in got:
            print("  %-14s P=%.3f R=%.3f F1=%.3f" % ((name,) + fig[(name, dt, pt)]))
    dev = [n for n in a.dev if n in got]
    if dev:
        pset = [n for n in dev if n.removesuffix("-lofo") in a.precision_sets] or dev
        print(f"\nmean over {', '.join(dev)} (min P of {', '.join(pset)} must be >= {a.min_precision}):")
        best = None
        for dt, pt in pairs:
            Ps = [fig[(n, dt, pt)][0] for n in pset]
            mP = sum(fig[(n, dt, pt)][0] for n in dev) / len(dev)
            mR = sum(fig[(n, dt, pt)][1] for n in dev) / len(dev)
            mF = sum(fig[(n, dt, pt)][2] for n in dev) / len(dev)
            ok = min(Ps) >= a.min_precision
            print("  disposer %.2f proposer %.2f: mean P=%.3f R=%.3f F1=%.4f  min P=%.3f %s"
                  % (dt, pt, mP, mR, mF, min(Ps), "" if ok else "(P too low)"))
            if ok and (best is None or mF > best[0]):
                best = (mF, dt, pt)
        if best:
            print("best: disposer %.2f proposer %.2f mean F1=%.4f" % (best[1], best[2], best[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
