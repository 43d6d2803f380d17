"""Analyst decisions for the reliability tests: seed a project, apply and verify decisions.

Used in-process by the tests and as a subprocess writer:

    python tests/helpers/decision_writer.py --db P.sqlite --analyst anna --first 0 --count 1000
        [--shared-every N --process-number P] [--wait-go]

The writer prints `READY`, (with --wait-go waits for a line on stdin), then for each
decision `ACK <index>` - only after the store call returned, i.e. after COMMIT - or
`ERR <index> <exception type> <message>` if the store raised; finally `DONE <acks> <errs>`.

Decision `i` is a pure function of `i` and the seeded project, so a test can check
afterwards exactly which decisions are in the file.
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from models.records import CodingSuggestion, ParsedFile, RawAnswer, Respondent  # noqa: E402
from models.store import ProjectStore, StoreError  # noqa: E402

KINDS = ("accept", "reject", "recode", "manual", "memo", "correct")
CODES = ("mobila_team", "sip", "patientkontrakt", "egenmonitorering")
SPAN = 24  # each answer holds len(CODES) excerpts of SPAN characters
SHARED_CODINGS = 10  # extra codings that several writers decide on (concurrency test)
MEMO_PAYLOAD = "Tveksamt – <b>kolla</b> =SUM(A1) :red[x] ✓"


def _resolve(a: RawAnswer) -> Respondent:
    return Respondent(a.respondent, "kommun", "Testlän")


def seed_project(path: Path, decisions: int = 1000) -> None:
    """A project with enough suggested codings that every decision has its own target,
    plus SHARED_CODINGS codings kept apart for writers that decide on the same excerpt."""
    n_codings = decisions + SHARED_CODINGS
    n_answers = -(-n_codings // len(CODES))
    text = "".join(f"Mening nummer {k} om vård. "[:SPAN].ljust(SPAN) for k in range(len(CODES)))
    answers = [RawAnswer(f"Kommun {i // 25}", f"{5 + i % 25}", f"{text}(svar {i})", position=i)
               for i in range(n_answers)]
    store = ProjectStore(path)
    try:
        store.import_parsed(ParsedFile("seed.txt", "txt", f"seed-{path.name}", 1, answers), _resolve)
        ids = [a.id for a in store.answers()]
        store.replace_suggestions(
            CodingSuggestion(aid, code, k * SPAN, (k + 1) * SPAN, k * SPAN, k * SPAN + 6, confidence=0.5)
            for aid in ids for k, code in enumerate(CODES)
        )
    finally:
        store.close()


@dataclass(frozen=True)
class Targets:
    """Ids in the seeded project, in a fixed order."""

    codings: list[int]
    answers: list[int]
    shared: list[int]

    @classmethod
    def of(cls, store: ProjectStore, decisions: int = 1000) -> "Targets":
        with store.read() as con:
            codings = [r[0] for r in con.execute(
                "SELECT id FROM codings WHERE origin = 'rule' ORDER BY id")]
            answers = [r[0] for r in con.execute("SELECT id FROM answers ORDER BY id")]
        return cls(codings[:decisions], answers, codings[decisions:decisions + SHARED_CODINGS])


@dataclass(frozen=True)
class Decision:
    index: int
    kind: str
    coding_id: Optional[int]
    answer_id: Optional[int]
    code_id: Optional[str] = None
    decision: Optional[str] = None
    memo: Optional[str] = None


def plan(i: int, t: Targets) -> Decision:
    """Decision number i on its own target (no two decisions touch the same row)."""
    kind = KINDS[i % len(KINDS)]
    if kind == "accept":
        return Decision(i, kind, t.codings[i], None, decision="accepted")
    if kind == "reject":
        return Decision(i, kind, t.codings[i], None, decision="rejected")
    if kind == "recode":
        return Decision(i, kind, t.codings[i], None, code_id=f"omkodad_{i}", decision="accepted")
    if kind == "manual":
        return Decision(i, kind, None, t.answers[i % len(t.answers)], code_id=f"manuell_{i}")
    if kind == "correct":  # the analyst corrects which question an answer belongs to
        return Decision(i, kind, None, t.answers[(i // len(KINDS)) % len(t.answers)], code_id=f"k{i}")
    return Decision(i, kind, t.codings[i], None, memo=f"{MEMO_PAYLOAD} #{i}")


def plan_shared(process_number: int, k: int, t: Targets) -> Decision:
    """Decision of writer `process_number` on shared coding k (all writers hit every shared coding)."""
    verdict = "accepted" if (process_number + k) % 2 == 0 else "rejected"
    return Decision(-1 - k, "shared", t.shared[k], None, decision=verdict)


def apply(store: ProjectStore, d: Decision, analyst: str) -> None:
    """Record one decision through the store's public API."""
    if d.kind in ("accept", "reject", "shared"):
        store.decide(d.coding_id, d.decision, analyst)
    elif d.kind == "recode":
        store.decide(d.coding_id, d.decision, analyst, code_id=d.code_id)
    elif d.kind == "manual":
        store.add_manual_coding(d.answer_id, d.code_id, 0, SPAN, analyst)
    elif d.kind == "memo":
        store.set_memo("coding", d.coding_id, d.memo, analyst)
    elif d.kind == "correct":
        store.update_answer(d.answer_id, question=d.code_id, analyst=analyst)
    else:  # pragma: no cover
        raise ValueError(d.kind)


def found_in_file(store: ProjectStore, decisions: Iterable[Decision], analyst_of) -> tuple[set[int], set[int]]:
    """(indices whose effect is in the project, indices that have their audit row)."""
    with store.read() as con:
        codings = {r["id"]: dict(r) for r in con.execute("SELECT * FROM codings")}
        manual = {(r["answer_id"], r["code_id"]): dict(r)
                  for r in con.execute("SELECT * FROM codings WHERE decision = 'manual'")}
        memos = {r["target_id"]: dict(r) for r in con.execute("SELECT * FROM memos WHERE target_type = 'coding'")}
        audit = {(r["analyst"], r["action"], r["entity_id"]) for r in con.execute(
            "SELECT analyst, action, entity_id FROM audit_log WHERE entity IN ('coding', 'answer')")}
        questions = {r["id"]: r["question_id"] for r in con.execute("SELECT id, question_id FROM answers")}
    effect, audited = set(), set()
    for d in decisions:
        who = analyst_of(d)
        if d.kind in ("accept", "reject"):
            c = codings.get(d.coding_id)
            ok = c is not None and c["decision"] == d.decision and c["analyst"] == who
            action = d.decision
        elif d.kind == "recode":
            c = codings.get(d.coding_id)
            ok = c is not None and c["code_id"] == d.code_id and c["decision"] == "accepted" and c["analyst"] == who
            action = "recode"
        elif d.kind == "manual":
            c = manual.get((d.answer_id, d.code_id))
            ok = c is not None and c["analyst"] == who and (c["start"], c["end"]) == (0, SPAN)
            action = "manual"
        elif d.kind == "correct":
            ok = questions.get(d.answer_id) == d.code_id
            c = {"id": d.answer_id}
            action = "correct_answer"
        else:
            m = memos.get(str(d.coding_id))
            ok = m is not None and m["text"] == d.memo and m["analyst"] == who
            c = {"id": d.coding_id}
            action = "memo"
        if ok:
            effect.add(d.index)
        if c is not None and (who, action, str(c["id"])) in audit:
            audited.add(d.index)
    return effect, audited


def main(argv: Optional[list[str]] = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--analyst", required=True)
    p.add_argument("--first", type=int, default=0)
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--decisions", type=int, default=1000, help="size of the seeded decision pool")
    p.add_argument("--shared-every", type=int, default=0)
    p.add_argument("--process-number", type=int, default=0)
    p.add_argument("--wait-go", action="store_true")
    args = p.parse_args(argv)

    store = ProjectStore(args.db, create=False)
    targets = Targets.of(store, args.decisions)
    todo: list[Decision] = []
    shared_k = 0
    for j in range(args.count):
        if args.shared_every and j % args.shared_every == 0 and shared_k < len(targets.shared):
            todo.append(plan_shared(args.process_number, shared_k, targets))
            shared_k += 1
        else:
            todo.append(plan(args.first + j, targets))
    print("READY", flush=True)
    if args.wait_go:
        sys.stdin.readline()
    acks = errs = 0
    slowest = 0.0
    for d in todo:
        t0 = time.perf_counter()
        try:
            apply(store, d, args.analyst)
        except (StoreError, sqlite3.Error) as exc:  # what a user would see
            errs += 1
            print(f"ERR {d.index} {type(exc).__name__} {exc}", flush=True)
            continue
        slowest = max(slowest, time.perf_counter() - t0)
        acks += 1
        print(f"ACK {d.index}", flush=True)
    store.close()
    print(f"DONE {acks} {errs} {slowest:.4f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
