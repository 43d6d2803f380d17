"""Does a labelled set help as training data? Leave-one-file-out figures of the default tagging:
``python tools/lofo_sets.py --sets NAME... [--add NAME...] [--baseline] [--cache DIR] [--op-cache FILE]``.

For every set S of ``--sets`` (names under data/eval, the held-out sets refused): a disposer and a proposer
are fitted by the shipped recipes (``nlp.disposer_training.fit_bundled``, ``tools/train_proposer.fit_bundled``)
on ``training_files()`` plus the ``--add`` sets (inserted after the training blind sets, the order
``TRAIN_EVAL_SETS`` would give them), S left out, and S is tagged by the code path of ``cli.py eval``
(``Tagger(codebook, disposer, proposer).tag_texts``) without the question ids (as ``cli.py eval``) and with
them (``"question"`` of the gold lines). ``--baseline``: S is scored by the shipped models instead (no fit; for
sets that are not training data this is the same thing). Fits are cached in ``--cache`` (JSON, keyed by the
training hash of the files they were fitted on), so a rerun after the sets moved into ``TRAIN_BLIND_SETS``
reuses them. ``--op-cache FILE``: also writes ``tools/operating_point.py --lofo`` cache rows
(``<set>-lofo``: probabilities of every proposal and proposer code) for the fitted sets.

Prints per set micro P/R/F1 (no question / question) and the fit times, then the mean over the sets. ``--json``
also holds per set and code the [TP, FP, FN] of the tagging without question ids (key ``"codes"``).
"""
from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from nlp.disposer_training import refuse_held_out  # noqa: E402


def _name(n: str) -> str:
    refuse_held_out(n)
    return n if n.endswith(".jsonl") else n + ".jsonl"


def files_with(add: list[str]) -> list[Path]:
    """training_files() with the ``add`` sets inserted after the last training eval set."""
    from nlp.disposer_training import EVAL_DIR, training_files

    base = training_files()
    extra = [EVAL_DIR / n for n in add if EVAL_DIR / n not in base]
    k = max((i for i, f in enumerate(base) if f.parent == EVAL_DIR), default=len(base) - 1) + 1
    return base[:k] + extra + base[k:]


def fitted(files: list[Path], cache: Path):
    """(disposer, proposer, seconds of the disposer fit, seconds of the proposer fit) fitted on ``files``."""
    from nlp.disposer import Disposer
    from nlp.disposer_training import fit_bundled, training_hash, training_passages
    from nlp.proposer import Proposer
    from train_proposer import fit_bundled as fit_proposer

    key = training_hash(files)[:16]
    path = cache / f"lofo_{key}.json"
    if path.exists():
        doc = json.loads(path.read_text(encoding="utf-8"))
        return Disposer.from_json(doc["disposer"]), Proposer.from_json(doc["proposer"]), doc["td"], doc["tp"]
    t0 = time.perf_counter()
    d, *_ = fit_bundled(files=files)
    t1 = time.perf_counter()
    pm = fit_proposer(passages=training_passages(files))
    t2 = time.perf_counter()
    cache.mkdir(parents=True, exist_ok=True)
    doc = {"disposer": d.to_json(), "proposer": pm.to_json(), "td": t1 - t0, "tp": t2 - t1,
           "files": [f.name for f in files]}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return d, pm, t1 - t0, t2 - t1


def eval_set(path: Path, disposer, proposer, codebook) -> dict:
    """Micro P/R/F1 of the default tagging of a gold file without ("noq") and with ("q") question ids."""
    from nlp.evaluate import read_gold, score
    from nlp.tagger import Tagger

    gold = read_gold(path)
    if disposer is not None and not disposer.code_questions:
        from nlp.disposer_training import code_questions

        disposer.code_questions = code_questions(codebook)
    out = {}
    for tag, qs in (("noq", None), ("q", [g.question or None for g in gold])):
        t = Tagger(codebook, disposer=disposer, proposer=proposer)
        res = t.tag_texts([g.text for g in gold], ids=[g.id for g in gold], questions=qs)
        s = score([g.codes for g in gold], [r.codes for r in res], codebook.code_ids)
        out[tag] = (s.micro_p, s.micro_r, s.micro_f1)
        if tag == "noq":
            out["codes"] = {c.code: [c.tp, c.predicted - c.tp, c.gold - c.tp] for c in s.per_code}
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", nargs="+", required=True)
    ap.add_argument("--add", nargs="*", default=[])
    ap.add_argument("--baseline", action="store_true", help="score with the shipped models (no fit)")
    ap.add_argument("--cache", default="/tmp/lofo_sets")
    ap.add_argument("--op-cache", help="also write tools/operating_point.py --lofo rows to this pickle")
    ap.add_argument("--json", help="write the figures to this JSON file")
    a = ap.parse_args()
    from nlp.codebook import default_codebook
    from nlp.disposer_training import EVAL_DIR

    cb = default_codebook()
    sets = [_name(n) for n in a.sets]
    add = [_name(n) for n in a.add]
    figs = {}
    for name in sets:
        if a.baseline:
            from models.tagging import default_disposer, default_proposer

            d, pm, td, tp = default_disposer(cb), default_proposer(), 0.0, 0.0
        else:
            files = [f for f in files_with(add) if f.name != name]
            d, pm, td, tp = fitted(files, Path(a.cache))
        figs[name] = eval_set(EVAL_DIR / name, d, pm, cb)
        if a.op_cache and not a.baseline:
            from operating_point import read_set, score_set

            op = Path(a.op_cache)
            got = pickle.loads(op.read_bytes()) if op.exists() else {}
            got[name.split(".")[0] + "-lofo"] = (score_set(read_set(EVAL_DIR / name), d, pm, cb), pm.threshold,
                                                 dict(pm.thresholds))
            op.write_bytes(pickle.dumps(got))
        f = figs[name]
        print("%-20s no q: P=%.3f R=%.3f F1=%.4f   q: P=%.3f R=%.3f F1=%.4f   fit %.0fs + %.0fs"
              % ((name,) + f["noq"] + f["q"] + (td, tp)), flush=True)
    for tag in ("noq", "q"):
        m = [sum(figs[n][tag][i] for n in sets) / len(sets) for i in range(3)]
        print("mean (%s) over %d sets: P=%.3f R=%.3f F1=%.4f" % ((tag, len(sets)) + tuple(m)))
    if a.json:
        Path(a.json).write_text(json.dumps(figs, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
