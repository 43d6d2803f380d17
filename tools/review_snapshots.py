"""Simulated review as ``simulate-review`` does it, split in two so that learning variants can be compared
quickly: ``python tools/review_snapshots.py prepare SET... [--reviews 100] [--order K]`` imports a gold set in a
temporary project, tags it, records the suggestions before learning and applies the simulated analyst's
decisions to the first N passages (accept/reject every suggestion, add every missed gold code by hand) WITHOUT
the intermediate retrainings, and keeps the project file; ``python tools/review_snapshots.py score SET...
[--variant JSON]`` copies the kept project, runs ``models.learning.retrain`` once (the last retraining of
``simulate-review``, which alone decides the scored passages: every retraining refits from all the decisions)
with the variant's settings, and prints before/after micro-F1, precision, recall per set and the mean gain.
``--order K`` > 0 reviews a seeded shuffle of the set instead of file order (a spread over which passages are
reviewed). The held-out sets are refused.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import os

CACHE = Path(os.environ.get("REVIEW_SNAPSHOTS", "/tmp/review_snapshots"))


def _key(path: str, reviews: int, order: int) -> Path:
    return CACHE / f"{Path(path).stem}_r{reviews}_o{order}"


def _gold(path: str, order: int):
    from nlp.disposer_training import refuse_held_out
    from nlp.evaluate import read_gold

    refuse_held_out(path)
    gold = read_gold(path)
    if order:
        random.Random(order).shuffle(gold)
    return gold


def prepare(path: str, reviews: int, order: int) -> None:
    from commands.simulate_review import tagged_gold_project
    from models.importing import resolver  # noqa: F401
    from models.store import ProjectStore

    gold = _gold(path, order)
    out = _key(path, reviews, order)
    out.mkdir(parents=True, exist_ok=True)
    db = out / "project.sqlite"
    if db.exists():
        db.unlink()
    store = ProjectStore(db, name="simulering")
    answers, cb = tagged_gold_project(store, gold)
    n = max(0, min(reviews, len(answers)))
    reviewed, rest = answers[:n], answers[n:]
    gold_of = {a.id: sorted(g.codes) for a, g in zip(answers, gold)}
    before = _codes(store, [a.id for a in rest])
    for a in reviewed:
        sugg = [c for c in store.codings(answer_ids=[a.id]) if c.decision == "suggested" and not c.negated]
        for c in sugg:
            store.decide(c.id, "accepted" if c.code_id in gold_of[a.id] else "rejected", "simulering")
        have = {c.code_id for c in sugg}
        for code in sorted(set(gold_of[a.id]) - have):
            if code in cb.code_ids and a.text:
                store.add_manual_coding(a.id, code, 0, len(a.text), "simulering")
    store.close()
    (out / "meta.json").write_text(json.dumps({"rest": [a.id for a in rest], "gold": {str(k): v for k, v in gold_of.items()},
                                               "before": {str(k): sorted(v) for k, v in before.items()}}))


def _codes(store, ids) -> dict:
    out = {a: set() for a in ids}
    for c in store.codings(answer_ids=ids):
        if c.decision == "rejected" or c.negated:
            continue
        out[c.answer_id].add(c.code_id)
    return out


def score(path: str, reviews: int, order: int, variant: dict, detail: bool = False) -> dict:
    import tempfile

    from models import learning
    from models.store import ProjectStore
    from models.tagging import project_codebook
    from nlp.evaluate import score as f1score

    src = _key(path, reviews, order)
    meta = json.loads((src / "meta.json").read_text())
    saved = {k: getattr(learning, k) for k in variant}
    for k, v in variant.items():
        setattr(learning, k, v)
    try:
        with tempfile.TemporaryDirectory(dir="/dev/shm") as tmp:
            db = Path(tmp) / "p.sqlite"
            shutil.copy(src / "project.sqlite", db)
            store = ProjectStore(db, create=False)
            cb = project_codebook(store)
            t0 = time.process_time()
            learning.retrain(store, cb)
            cpu = time.process_time() - t0
            rest = meta["rest"]
            after = _codes(store, rest)
            origin = {}
            for c in store.codings(answer_ids=rest):
                if c.decision != "rejected" and not c.negated:
                    origin[(c.answer_id, c.code_id)] = getattr(c, "origin", None)
            store.close()
    finally:
        for k, v in saved.items():
            setattr(learning, k, v)
    G = [set(meta["gold"][str(a)]) for a in rest]
    B = [set(meta["before"][str(a)]) for a in rest]
    A = [after[a] for a in rest]
    s0 = f1score(G, B, cb.code_ids)
    s1 = f1score(G, A, cb.code_ids)
    r = {"set": Path(path).stem, "order": order, "f1_0": round(s0.micro_f1, 4), "f1_1": round(s1.micro_f1, 4),
         "p_0": round(s0.micro_p, 4), "p_1": round(s1.micro_p, 4), "r_0": round(s0.micro_r, 4),
         "r_1": round(s1.micro_r, 4), "gain": round(s1.micro_f1 - s0.micro_f1, 4), "cpu": round(cpu, 2)}
    if detail:
        added = [(a, c, c in g) for a, g, b, s in zip(rest, G, B, A) for c in sorted(s - b)]
        dropped = [(a, c, c in g) for a, g, b, s in zip(rest, G, B, A) for c in sorted(b - s)]
        r["added_right"] = sum(1 for x in added if x[2])
        r["added_wrong"] = sum(1 for x in added if not x[2])
        r["dropped_right"] = sum(1 for x in dropped if x[2])
        r["dropped_wrong"] = sum(1 for x in dropped if not x[2])
        r["added_codes"] = [f"{c}{'+' if ok else '-'}" for _, c, ok in added]
        r["dropped_codes"] = [f"{c}{'+' if ok else '-'}" for _, c, ok in dropped]
    return r


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=("prepare", "score"))
    ap.add_argument("sets", nargs="+")
    ap.add_argument("--reviews", type=int, default=100)
    ap.add_argument("--order", type=int, nargs="+", default=[0])
    ap.add_argument("--variant", default="{}", help="a JSON object of models.learning settings, or a list of them")
    ap.add_argument("--detail", action="store_true")
    a = ap.parse_args(argv)
    variants = json.loads(a.variant)
    if isinstance(variants, dict):
        variants = [variants]
    rows: dict = {}
    for s in a.sets:
        for o in a.order:
            if a.cmd == "prepare":
                prepare(s, a.reviews, o)
                print("prepared", s, o, flush=True)
                continue
            for k, v in enumerate(variants):
                r = score(s, a.reviews, o, v, a.detail)
                r["variant"] = k
                rows.setdefault(k, []).append(r)
                print(json.dumps(r, ensure_ascii=False), flush=True)
    for k, rs in rows.items():
        g = [r["gain"] for r in rs]
        dp = [r["p_1"] - r["p_0"] for r in rs]
        print(json.dumps({"variant": variants[k], "n": len(g), "mean_gain": round(sum(g) / len(g), 4),
                          "min_gain": min(g), "max_gain": max(g), "min_dp": round(min(dp), 4)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
