"""tools/review_snapshots.py scores a learning variant exactly as simulate-review does (one last retraining
decides the scored passages), and simulate-review's result does not depend on its seed."""
from __future__ import annotations

import json
from pathlib import Path


def _gold(path: Path, n: int) -> Path:
    lines = []
    for i in range(n):
        if i % 3 == 0:
            lines.append({"id": f"s{i}", "text": f"I område {i} åker ett mobilt team ut till de äldre i hemmet.",
                          "codes": ["mobila_team"]})
        elif i % 3 == 1:
            lines.append({"id": f"s{i}", "text": f"Område {i} har satt upp en gemensam plan för hur arbetet ska gå till.",
                          "codes": ["malbild_handlingsplan"]})
        else:
            lines.append({"id": f"s{i}", "text": f"Ingen förändring i område {i} under året.", "codes": []})
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    return path


def test_snapshot_scoring_equals_simulate_review(tmp_path, monkeypatch):
    from commands.simulate_review import simulate
    from nlp.evaluate import read_gold
    from tools import review_snapshots as rs

    gold_path = _gold(tmp_path / "guld.jsonl", 18)
    gold = read_gold(gold_path)
    summary, _ = simulate(gold, 12, seed=0)
    other, _ = simulate(gold, 12, seed=5)
    assert other == summary  # the order of one answer's decisions does not change the last retraining
    monkeypatch.setattr(rs, "CACHE", tmp_path / "cache")
    rs.prepare(str(gold_path), 12, 0)
    r = rs.score(str(gold_path), 12, 0, {})
    assert (r["f1_0"], r["f1_1"], r["p_0"], r["p_1"], r["r_0"], r["r_1"]) == (
        summary["micro_f1_before"], summary["micro_f1_after"], summary["precision_before"],
        summary["precision_after"], summary["recall_before"], summary["recall_after"])
    # a variant's settings apply for that scoring only
    from models import learning

    before = learning.SUGGEST_K
    rs.score(str(gold_path), 12, 0, {"SUGGEST_K": None})
    assert learning.SUGGEST_K == before
