"""The bench's whole-process steps: every run gets the environment ``prepare`` gives it, and the median
of the runs is recorded."""
from __future__ import annotations

import os
import sys

from bench.run import Bench, _subprocess_step


def test_each_run_gets_its_own_environment_and_the_median_is_recorded(tmp_path):
    log = tmp_path / "runs.txt"
    code = "import os; open(os.environ['RUNS_LOG'], 'a').write(os.environ['RUN_NO'] + chr(10))"
    b = Bench(quiet=True)

    def prepare(k: int) -> dict:
        return dict(os.environ, RUNS_LOG=str(log), RUN_NO=str(k))

    got = _subprocess_step(b, "p", [sys.executable, "-c", code], "test", repeat=3, prepare=prepare)
    assert log.read_text().split() == ["0", "1", "2"]
    assert got is b.steps["p"]
    assert len(got["runs"]) == 3 and sorted(got["runs"])[1] == got["seconds"]


def test_a_failing_run_is_reported_not_recorded(tmp_path):
    b = Bench(quiet=True)
    got = _subprocess_step(b, "bad", [sys.executable, "-c", "raise SystemExit(3)"], "test", repeat=2)
    assert got is None
    assert b.steps["bad"]["seconds"] is None and "exit 3" in b.steps["bad"]["error"]
