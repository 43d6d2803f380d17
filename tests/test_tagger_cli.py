"""Codebook loading errors and the tag/eval command contracts."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nlp.codebook import Codebook, CodebookError, default_codebook, load_codebook

ROOT = Path(__file__).resolve().parents[1]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "cli.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_codebook_round_trips_through_json():
    cb = default_codebook()
    assert len(cb.codes) == 35
    again = Codebook.from_doc(json.loads(json.dumps(cb.to_doc())))
    assert again.code_ids == cb.code_ids
    assert again.code("mobila_team").compounds == cb.code("mobila_team").compounds


def test_bad_yaml_gives_swedish_message(tmp_path):
    p = tmp_path / "kodbok.yaml"
    p.write_text("categories: [\n  - id: a\n", encoding="utf-8")
    with pytest.raises(CodebookError, match="kodbok.yaml är inte giltig YAML på rad"):
        load_codebook(p)


def test_invalid_cooccurrence_rule_is_named(tmp_path):
    p = tmp_path / "k.yaml"
    p.write_text("categories:\n- id: a\n  codes:\n  - id: x\n    cooccurrence:\n    - all: [[läkare]]\n",
                 encoding="utf-8")
    with pytest.raises(CodebookError, match="koden 'x'.*samförekomstregel 1"):
        load_codebook(p)


def test_tag_cli_contract(tmp_path):
    inp = tmp_path / "in.jsonl"
    out = tmp_path / "out.jsonl"
    texts = [("b", "Patientkontrakten har breddinförts."), ("a", "Inget här."),
             ("c", "Vi har inte infört SIP.")]
    inp.write_text("".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in texts),
                   encoding="utf-8")
    r = cli("tag", "--in", str(inp), "--out", str(out))
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in rows] == ["b", "a", "c"]
    assert rows[0]["codes"] == ["patientkontrakt"]
    assert rows[1]["codes"] == [] and "sip" not in rows[2]["codes"]  # nothing, and a negated measure
    for ev in rows[0]["evidence"]:
        assert texts[0][1][ev["start"]:ev["end"]] == ev["match"]
        assert set(ev) == {"code", "start", "end", "match", "negated", "status", "scope", "confidence"}
    assert any(ev["code"] == "sip" and ev["negated"] for ev in rows[2]["evidence"])
    # one status and one scope per present code: the value of its evidence
    assert rows[0]["status"] == {"patientkontrakt": "genomförd"}
    assert rows[0]["scope"] == {"patientkontrakt": "breddinförd"}
    assert all(ev["status"] == "genomförd" for ev in rows[0]["evidence"] if ev["code"] == "patientkontrakt")
    assert rows[1] == {"id": "a", "codes": [], "evidence": [], "status": {}, "scope": {}}


def test_tag_cli_equals_the_tagger_with_its_disposer(tmp_path, shared_dir):
    """The command applies the disposer after the rules itself: the same lines as a Tagger that
    disposes (and proposes, with the default proposer) inside tag_texts (which also keeps the rule
    proposals for retag)."""
    from models.tagging import default_disposer, default_proposer
    from nlp.tagger import Tagger

    rows = [json.loads(x) for x in (shared_dir / "data" / "dev_gold.jsonl").read_text(encoding="utf-8").splitlines()
            if x.strip()][:60]
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_text("".join(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n" for r in rows),
                   encoding="utf-8")
    r = cli("tag", "--in", str(inp), "--out", str(out))
    assert r.returncode == 0, r.stderr
    cb = default_codebook()
    tagger = Tagger(cb, disposer=default_disposer(cb), proposer=default_proposer())
    results = tagger.tag_texts([r["text"] for r in rows], ids=[r["id"] for r in rows], questions=[None] * len(rows))
    assert tagger.raw_results is not None  # the in-Tagger path: proposals kept, disposer applied
    want = "".join(json.dumps(x.to_json(), ensure_ascii=False) + "\n" for x in results)
    assert out.read_text(encoding="utf-8") == want
    assert any(x.evidence for x in results)


def test_tag_cli_errors(tmp_path):
    r = cli("tag")
    assert r.returncode == 2 and "FEL" in r.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1", "text": "ok"}\n{"id": "2"}\n', encoding="utf-8")
    r = cli("tag", "--in", str(bad), "--out", str(tmp_path / "o.jsonl"))
    assert r.returncode == 1
    assert "bad.jsonl, rad 2" in r.stderr and "Traceback" not in r.stderr
    r = cli("tag", "--in", str(tmp_path / "saknas.jsonl"), "--out", str(tmp_path / "o.jsonl"))
    assert r.returncode == 1 and "finns inte" in r.stderr


def test_eval_cli_prints_scores(tmp_path):
    gold = tmp_path / "gold.jsonl"
    rows = [{"id": "1", "text": "Mobila team har startats.", "codes": ["mobila_team"]},
            {"id": "2", "text": "Vi har inte infört SIP.", "codes": []},
            {"id": "3", "text": "Familjecentralen öppnade.", "codes": ["familjecentral", "barn_unga_elevhalsa"]}]
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    r = cli("eval", "--gold", str(gold))
    assert r.returncode == 0, r.stderr
    assert "micro: P=1.000 R=1.000 F1=1.000" in r.stdout
    assert "mobila_team" in r.stdout and "kappa" in r.stdout


def test_eval_cli_reports_several_gold_files_each_as_alone(tmp_path):
    first, second, bad = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "trasig.jsonl"
    first.write_text(json.dumps({"id": "1", "text": "Mobila team har startats i hela länet.",
                                 "codes": ["mobila_team"]}, ensure_ascii=False) + "\n", encoding="utf-8")
    second.write_text(json.dumps({"id": "1", "text": "Vi erbjuder hälsosamtal till alla 75-åringar.",
                                  "codes": ["mobila_team"]}, ensure_ascii=False) + "\n", encoding="utf-8")
    bad.write_text('{"id": "1", "text": \n', encoding="utf-8")
    alone = [cli("eval", "--gold", str(p)) for p in (first, second)]
    both = cli("eval", "--gold", str(first), str(second))
    assert both.returncode == 0, both.stderr
    assert both.stdout == alone[0].stdout + "\n" + alone[1].stdout
    assert "från " + str(first) in both.stdout and "från " + str(second) in both.stdout
    # a file that cannot be read is named, the others are still evaluated, and the exit code says so
    mixed = cli("eval", "--gold", str(bad), str(first))
    assert mixed.returncode == 1
    assert "trasig.jsonl" in mixed.stderr and "Traceback" not in mixed.stderr
    assert mixed.stdout == alone[0].stdout
