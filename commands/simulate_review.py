"""`python cli.py simulate-review --gold FILE.jsonl --reviews N [--seed S]`.

A simulated analyst reviews the first N passages of the gold file (file order) in a temporary
project: every suggestion is accepted when its code is in the passage's gold codes and rejected
otherwise, and the gold codes nobody suggested are added as manual codes. The project learns
exactly as in the app (``models.learning.after_decision`` after every decision, retraining every
``config.LEARN_EVERY`` decisions, then once more for the decisions since the last training). The
remaining passages are scored before (as first tagged, without any review) and after learning.

Prints a per-code table of the remaining passages after learning, and as its last line one JSON
object {"reviewed", "scored", "micro_f1_before", "micro_f1_after", "precision_before",
"precision_after", "recall_before", "recall_after"}. Exit 1 with a Swedish message on bad input.
"""
from __future__ import annotations

import json
import random
import sys
import tempfile
from pathlib import Path


def _codes_by_answer(store, answer_ids) -> dict[int, set]:
    out: dict[int, set] = {a: set() for a in answer_ids}
    for c in store.codings(answer_ids=answer_ids):
        if c.decision == "rejected" or c.negated:
            continue
        out[c.answer_id].add(c.code_id)
    return out


def tagged_gold_project(store, gold) -> tuple[list, object]:
    """Import the gold passages into ``store`` as one file (one respondent per passage, its question kept) and tag
    them with the project's codebook; returns the stored answers in file order and that codebook."""
    from models.records import ParsedFile, RawAnswer, Respondent
    from models.store import sha256_bytes
    from models.tagging import project_codebook, tag_project

    raw = [RawAnswer(respondent=f"Passage {i + 1}", question=(g.question or ""), text=g.text, position=i)
           for i, g in enumerate(gold)]
    blob = json.dumps([g.id for g in gold]).encode()
    parsed = ParsedFile(name="guld.jsonl", format="jsonl", sha256=sha256_bytes(blob), size=len(blob), answers=raw)
    store.import_parsed(parsed, lambda a: Respondent(name=a.respondent, type=None))
    cb = project_codebook(store)
    tag_project(store, cb)
    return store.answers(), cb


def simulate(gold, reviews: int, seed: int = 0, workdir: str | None = None) -> tuple[dict, object]:
    """Run the simulation; returns (the JSON summary, the after-learning Scores)."""
    from models.importing import resolver  # noqa: F401  (import side effects of the store layer)
    from models.learning import after_decision, retrain, learned_from
    from models.store import ProjectStore
    from nlp.evaluate import score

    rng = random.Random(seed)
    if workdir is None and Path("/dev/shm").is_dir():
        workdir = "/dev/shm"  # a project in memory: the simulation writes one transaction per decision
    tmp = tempfile.TemporaryDirectory(dir=workdir)
    try:
        store = ProjectStore(Path(tmp.name) / "simulering.sqlite", name="simulering")
        answers, cb = tagged_gold_project(store, gold)
        n = max(0, min(reviews, len(answers)))
        reviewed, rest = answers[:n], answers[n:]
        gold_of = {a.id: set(g.codes) for a, g in zip(answers, gold)}
        before = _codes_by_answer(store, [a.id for a in rest])
        # the analyst works through the answers in order; the suggestions of one answer in random order
        for a in reviewed:
            sugg = [c for c in store.codings(answer_ids=[a.id]) if c.decision == "suggested" and not c.negated]
            rng.shuffle(sugg)
            for c in sugg:
                store.decide(c.id, "accepted" if c.code_id in gold_of[a.id] else "rejected", "simulering")
                after_decision(store, background=False)
            have = {c.code_id for c in sugg}
            for code in sorted(gold_of[a.id] - have):
                if code in cb.code_ids and a.text:
                    store.add_manual_coding(a.id, code, 0, len(a.text), "simulering")
                    after_decision(store, background=False)
        if store.decision_count() > learned_from(store):
            retrain(store, cb)
        after = _codes_by_answer(store, [a.id for a in rest])
        G = [gold_of[a.id] for a in rest]
        s0 = score(G, [before[a.id] for a in rest], cb.code_ids)
        s1 = score(G, [after[a.id] for a in rest], cb.code_ids)
        store.close()
    finally:
        tmp.cleanup()
    summary = {"reviewed": n, "scored": len(rest), "micro_f1_before": round(s0.micro_f1, 4),
               "micro_f1_after": round(s1.micro_f1, 4), "precision_before": round(s0.micro_p, 4),
               "precision_after": round(s1.micro_p, 4), "recall_before": round(s0.micro_r, 4),
               "recall_after": round(s1.micro_r, 4)}
    return summary, (s0, s1)


def run(args) -> int:
    from nlp.evaluate import GoldError, format_table, read_gold

    if args.reviews < 0:
        print("FEL: --reviews ska vara ett icke-negativt heltal.", file=sys.stderr)
        return 2
    try:
        gold = read_gold(args.gold)
    except GoldError as e:
        print(f"FEL: {e}", file=sys.stderr)
        return 1
    summary, (s0, s1) = simulate(gold, args.reviews, args.seed or 0)
    print(f"Simulerad granskning: {summary['reviewed']} passager granskade, {summary['scored']} återstående "
          f"passager poängsatta ({args.gold})")
    print(format_table(s0, title="Före granskningen (samma återstående passager)"))
    print()
    print(format_table(s1, title="Efter inlärningen av analytikerns beslut"))
    print(json.dumps(summary, ensure_ascii=False))
    return 0
