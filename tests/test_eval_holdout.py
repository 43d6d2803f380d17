"""Generalisation check: the default tagger on the independent held-out set data/eval/holdout.jsonl.

The held-out passages were written and labelled from the codebook definitions without looking at
the tagger's output (see data/eval/README.md). The floors are loose (about 0.1 below what was
measured when the set was made: micro-F1 0.871, macro-F1 0.880) so that only a real regression in
generalisation fails, not ordinary tuning noise. The figures are printed (pytest -rP shows them).
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HOLDOUT = ROOT / "data" / "eval" / "holdout.jsonl"

MICRO_F1_FLOOR = 0.77
MACRO_F1_FLOOR = 0.78
MIN_PASSAGES = 200
MIN_PER_CODE = 4


def _holdout() -> list[dict]:
    return [json.loads(line) for line in HOLDOUT.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_holdout_file_is_well_formed_and_covers_every_code():
    from nlp.codebook import default_codebook

    rows = _holdout()
    ids = [r["id"] for r in rows]
    assert len(rows) >= MIN_PASSAGES
    assert len(set(ids)) == len(ids), "dubbla id i holdout.jsonl"
    code_ids = set(default_codebook().code_ids)
    counts: Counter[str] = Counter()
    for r in rows:
        assert isinstance(r["text"], str) and r["text"].strip(), r["id"]
        assert r["source"] in {"answer", "report"}, r["id"]
        assert len(set(r["codes"])) == len(r["codes"]), r["id"]
        unknown = set(r["codes"]) - code_ids
        assert not unknown, f"{r['id']}: okända koder {unknown}"
        counts.update(r["codes"])
    thin = {c: counts[c] for c in code_ids if counts[c] < MIN_PER_CODE}
    assert not thin, f"koder med för få exempel: {thin}"
    empty = sum(1 for r in rows if not r["codes"])
    assert 0.05 * len(rows) <= empty <= 0.25 * len(rows)


def test_tagger_generalises_to_holdout():
    proc = subprocess.run([sys.executable, "cli.py", "eval", "--gold", str(HOLDOUT.relative_to(ROOT))],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    print(proc.stdout)
    assert proc.returncode == 0, proc.stderr
    assert f"{len(_holdout())} passager" in proc.stdout
    micro = re.search(r"^micro: P=([\d.]+) R=([\d.]+) F1=([\d.]+)", proc.stdout, re.M)
    macro = re.search(r"^macro-F1 \(\d+ koder med guldstöd\): ([\d.]+)", proc.stdout, re.M)
    if not (micro and macro):
        pytest.fail(f"eval-utskriften saknar micro/macro-rader:\n{proc.stdout}")
    p, r, f1 = (float(x) for x in micro.groups())
    macro_f1 = float(macro.group(1))
    print(f"HOLDOUT micro P={p:.3f} R={r:.3f} F1={f1:.3f} macro-F1={macro_f1:.3f} "
          f"(golv: micro {MICRO_F1_FLOOR}, macro {MACRO_F1_FLOOR})")
    assert f1 >= MICRO_F1_FLOOR, f"micro-F1 {f1:.3f} < {MICRO_F1_FLOOR} på holdout"
    assert macro_f1 >= MACRO_F1_FLOOR, f"macro-F1 {macro_f1:.3f} < {MACRO_F1_FLOOR} på holdout"
