"""Several analysts, one project: 5 processes x 200 decisions at once, none lost, no "locked" error.

Each writer process decides on its own excerpts, and every 20th decision is on one of 10
excerpts that all five writers decide on (accept or reject). Those resolve last-writer-wins:
the coding ends as the newest audit row says, and every writer's decision is in the audit log.
"""
from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from models.store import ProjectStore
from tests.helpers.decision_writer import (
    SHARED_CODINGS, Targets, apply, found_in_file, plan, plan_shared, seed_project,
)

WRITER = Path(__file__).resolve().parent / "helpers" / "decision_writer.py"
PROCESSES = 5
PER_PROCESS = 200
SHARED_EVERY = 20  # 200 / 20 = 10 shared decisions per process = one on each shared coding


def _own_decisions(targets: Targets) -> dict[str, list]:
    """What each analyst decided on its own excerpts (mirrors the writer's plan)."""
    out = {}
    for p in range(PROCESSES):
        own = [plan(p * PER_PROCESS + j, targets) for j in range(PER_PROCESS) if j % SHARED_EVERY != 0]
        out[f"analytiker{p}"] = own
    return out


def test_five_processes_200_decisions_each_lose_nothing_and_never_show_locked(tmp_path):
    db = tmp_path / "shared.sqlite"
    seed_project(db, PROCESSES * PER_PROCESS)
    procs = [
        subprocess.Popen(
            [sys.executable, str(WRITER), "--db", str(db), "--analyst", f"analytiker{p}",
             "--first", str(p * PER_PROCESS), "--count", str(PER_PROCESS),
             "--decisions", str(PROCESSES * PER_PROCESS), "--shared-every", str(SHARED_EVERY),
             "--process-number", str(p), "--wait-go"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1,
        )
        for p in range(PROCESSES)
    ]
    for proc in procs:  # all have opened the project and planned their work
        assert proc.stdout.readline().strip() == "READY"
    started = time.perf_counter()
    for proc in procs:  # then all start at once
        proc.stdin.write("GO\n")
        proc.stdin.flush()
    outputs = [proc.communicate(timeout=120) for proc in procs]
    elapsed = time.perf_counter() - started

    acks = errors = 0
    slowest = 0.0
    error_lines = []
    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, err
        lines = out.splitlines()
        acks += sum(1 for line in lines if line.startswith("ACK "))
        error_lines += [line for line in lines if line.startswith("ERR ")]
        done = [line for line in lines if line.startswith("DONE ")]
        assert done, out[-500:]
        _, _, n_err, slow = done[0].split()
        errors += int(n_err)
        slowest = max(slowest, float(slow))
        assert "database is locked" not in err

    store = ProjectStore(db, create=False)
    try:
        targets = Targets.of(store, PROCESSES * PER_PROCESS)
        own = _own_decisions(targets)
        lost = 0
        mismatched = []
        for analyst, decisions in own.items():
            effect, audited = found_in_file(store, decisions, lambda d, a=analyst: a)
            lost += len(decisions) - len(effect)
            if not effect == audited == {d.index for d in decisions}:
                mismatched.append(analyst)
        # Same excerpt, five writers: last writer wins and all five are in the audit log.
        print(f"concurrency: {PROCESSES} processes x {PER_PROCESS} decisions in {elapsed:.2f} s; acknowledged "
              f"{acks}, lost {lost}, StoreError/OperationalError seen by writers {errors}")
        assert errors == 0, error_lines[:5]
        assert lost == 0 and not mismatched, mismatched
        lww_ok = 0
        for k, coding_id in enumerate(targets.shared):
            history = store.audit(entity="coding", entity_id=coding_id)  # newest first
            assert sorted(h["analyst"] for h in history) == [f"analytiker{p}" for p in range(PROCESSES)]
            for h in history:
                p = int(h["analyst"].removeprefix("analytiker"))
                assert h["after"]["decision"] == plan_shared(p, k, targets).decision
            final = store.coding(coding_id)
            newest = history[0]
            assert (final.decision, final.analyst) == (newest["after"]["decision"], newest["analyst"])
            # each audit row's "before" is exactly the state the previous writer left
            for older, newer in zip(history[1:], history):
                assert newer["before"]["analyst"] == older["after"]["analyst"]
                assert newer["before"]["decision"] == older["after"]["decision"]
            lww_ok += 1
        with store.read() as con:
            integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
            audit_rows = con.execute("SELECT count(*) FROM audit_log WHERE entity IN ('coding', 'answer')").fetchone()[0]
    finally:
        store.close()

    total = PROCESSES * PER_PROCESS
    print(f"concurrency: {PROCESSES} processes x {PER_PROCESS} decisions = {total} written in {elapsed:.2f} s; "
          f"acknowledged {acks}, lost {lost}, StoreError/OperationalError seen by writers {errors}, "
          f"slowest single decision {slowest * 1000:.0f} ms; same-excerpt codings resolved LWW "
          f"{lww_ok}/{SHARED_CODINGS}; audit rows {audit_rows}; integrity {integrity}")
    assert errors == 0, error_lines[:5]
    assert acks == total
    assert lost == 0
    assert audit_rows == total
    assert integrity == "ok"


def test_threads_sharing_one_store_and_threads_with_own_stores(tmp_path):
    """One Streamlit server: sessions are threads, sharing one ProjectStore or each opening their own."""
    db = tmp_path / "threads.sqlite"
    seed_project(db, 400)
    shared_store = ProjectStore(db, create=False)
    errors: list[BaseException] = []

    def work(first: int, count: int, analyst: str, own: bool) -> None:
        store = ProjectStore(db, create=False) if own else shared_store
        try:
            targets = Targets.of(store, 400)
            for i in range(first, first + count):
                try:
                    apply(store, plan(i, targets), analyst)
                except BaseException as exc:  # noqa: BLE001 - counted and reported
                    errors.append(exc)
        finally:
            if own:
                store.close()

    threads = [threading.Thread(target=work, args=(t * 100, 100, f"tråd{t}", t % 2 == 0)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    targets = Targets.of(shared_store, 400)
    lost = 0
    for t in range(4):
        decisions = [plan(i, targets) for i in range(t * 100, t * 100 + 100)]
        effect, audited = found_in_file(shared_store, decisions, lambda d, a=f"tråd{t}": a)
        lost += 100 - len(effect)
        assert effect == audited
    shared_store.close()
    print(f"\nthreads: 4 x 100 decisions (2 on one shared store, 2 with own stores); lost {lost}, "
          f"exceptions {len(errors)}")
    assert not errors, errors[:3]
    assert lost == 0


OPENER = """
import sys, time
sys.path.insert(0, {root!r})
from models.store import ProjectStore
start = float(sys.argv[1])
while time.time() < start:
    time.sleep(0.001)
store = ProjectStore({db!r})
store.set_meta("opened_by_" + sys.argv[2], "1", "analytiker" + sys.argv[2])
print(store.schema_version())
store.close()
"""


def test_six_processes_creating_the_same_new_project_at_once(tmp_path):
    """Two analysts pressing "Nytt projekt" with the same name: one schema, every write kept."""
    db = tmp_path / "nytt.sqlite"
    code = OPENER.format(root=str(Path(__file__).resolve().parents[1]), db=str(db))
    start = time.time() + 1.0
    procs = [subprocess.Popen([sys.executable, "-c", code, str(start), str(n)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for n in range(6)]
    outs = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outs]
    store = ProjectStore(db, create=False)
    try:
        keys = {k for k in (f"opened_by_{n}" for n in range(6)) if store.meta(k) == "1"}
        with store.read() as con:
            integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
            meta_rows = con.execute("SELECT count(*) FROM meta WHERE key IN ('name', 'created_at')").fetchone()[0]
        versions = {out.strip() for out, _ in outs}
        print(f"\nsix processes created one project at once: schema versions seen {versions}, "
              f"writes kept {len(keys)}/6, integrity {integrity}")
        assert len(keys) == 6 and integrity == "ok" and meta_rows == 2
        assert versions == {str(store.schema_version())}
    finally:
        store.close()
