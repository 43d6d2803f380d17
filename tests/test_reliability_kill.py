"""Decisions are never lost: SIGKILL a writer at a random point, every acknowledged decision survives.

A subprocess records 1,000 analyst decisions (accept, reject, recode, manual code, memo,
correction of an answer's question) and
prints `ACK i` only after the store call returned. The test kills it with SIGKILL at a random
acknowledgement count (plus a random sub-millisecond delay, so the kill often lands inside a
transaction), reopens the project and checks every acknowledged decision and the database.
Seed: $RELIABILITY_SEED, else random; it is printed so a failure can be replayed.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path


from models.store import ProjectStore
from tests.helpers.decision_writer import Targets, plan, found_in_file, seed_project

WRITER = Path(__file__).resolve().parent / "helpers" / "decision_writer.py"
DECISIONS = 1000
ROUNDS = 3


def _seed() -> int:
    env = os.environ.get("RELIABILITY_SEED")
    return int(env) if env else random.SystemRandom().randrange(2**32)


def _kill_round(tmp_path: Path, rng: random.Random, number: int) -> dict:
    db = tmp_path / f"kill{number}.sqlite"
    seed_project(db, DECISIONS)
    kill_after = rng.randrange(1, DECISIONS)
    extra_delay = rng.uniform(0, 0.002)
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), "--db", str(db), "--analyst", "anna", "--count", str(DECISIONS)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1,
    )
    acked: list[int] = []
    errors: list[str] = []
    done = False
    try:
        assert proc.stdout.readline().strip() == "READY"
        while len(acked) < kill_after:
            line = proc.stdout.readline()
            if not line:
                break
            if line.startswith("ACK "):
                acked.append(int(line.split()[1]))
            elif line.startswith("ERR "):
                errors.append(line.strip())
            elif line.startswith("DONE"):
                done = True
                break
        time.sleep(extra_delay)
        proc.send_signal(signal.SIGKILL)
    finally:
        # Read through the same text wrapper (communicate() would skip what it has already buffered).
        rest = proc.stdout.read()
        stderr = proc.stderr.read()
        proc.wait(timeout=60)
    # Acknowledgements already in the pipe were printed after commit too: they count.
    for line in rest.splitlines():
        if line.startswith("ACK "):
            acked.append(int(line.split()[1]))
        elif line.startswith("ERR "):
            errors.append(line.strip())
        elif line.startswith("DONE"):
            done = True
    assert not errors, errors
    assert proc.returncode == -signal.SIGKILL or done, (proc.returncode, stderr)

    store = ProjectStore(db, create=False)  # reopening recovers the WAL
    try:
        with store.read() as con:
            integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
            fk_problems = con.execute("PRAGMA foreign_key_check").fetchall()
        targets = Targets.of(store, DECISIONS)
        everything = [plan(i, targets) for i in range(DECISIONS)]
        effect, audited = found_in_file(store, everything, lambda d: "anna")
    finally:
        store.close()
    acked_set = set(acked)
    lost = sorted(acked_set - effect)
    figures = {
        "round": number, "kill_after_acks": kill_after, "written(in file)": len(effect),
        "acknowledged": len(acked_set), "recovered": len(acked_set & effect), "lost": len(lost),
        "committed_not_yet_acknowledged": len(effect - acked_set), "integrity_check": integrity,
        "writer_exit": proc.returncode,
    }
    print(f"kill round {figures}")
    assert integrity == "ok"
    assert fk_problems == []
    assert lost == [], f"acknowledged decisions lost: {lost[:20]}"
    # Each decision is atomic: its effect and its audit row are both there or both absent.
    assert effect == audited, (sorted(effect ^ audited)[:20])
    # Decisions are applied in order: what is in the file is a prefix 0..n-1.
    assert effect == set(range(len(effect)))
    # Nothing more than the one in flight can be committed but unacknowledged.
    assert len(effect - acked_set) <= 1
    return figures


def test_sigkill_during_1000_decisions_loses_no_acknowledged_decision(tmp_path):
    seed = _seed()
    print(f"\nRELIABILITY_SEED={seed}")
    rng = random.Random(seed)
    rounds = [_kill_round(tmp_path, rng, n) for n in range(ROUNDS)]
    total = {k: sum(r[k] for r in rounds) for k in ("written(in file)", "acknowledged", "recovered", "lost")}
    print(f"kill test total over {ROUNDS} rounds (seed {seed}): {total}")
    assert total["lost"] == 0


def test_writer_completes_all_1000_decisions_when_not_killed(tmp_path):
    """Control run: the same writer without a kill ends with all 1,000 decisions in the file."""
    db = tmp_path / "full.sqlite"
    seed_project(db, DECISIONS)
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, str(WRITER), "--db", str(db), "--analyst", "anna", "--count", str(DECISIONS)],
        capture_output=True, text=True, timeout=120,
    )
    elapsed = time.perf_counter() - started
    assert out.returncode == 0, out.stderr
    acked = {int(line.split()[1]) for line in out.stdout.splitlines() if line.startswith("ACK ")}
    store = ProjectStore(db, create=False)
    try:
        targets = Targets.of(store, DECISIONS)
        effect, audited = found_in_file(store, [plan(i, targets) for i in range(DECISIONS)], lambda d: "anna")
    finally:
        store.close()
    print(f"\ncontrol: decisions written {len(effect)}, acknowledged {len(acked)}, audited {len(audited)}, "
          f"{elapsed:.1f} s incl. process start")
    assert acked == effect == audited == set(range(DECISIONS))
