"""The bench's nlp+tag step (bench.run.streamed_tagging) tags as `cli.py tag --in` does: batches of
commands.tag.BATCH answers, each released; the same codes and evidence as the command's output."""
from __future__ import annotations

import argparse
import json

import commands.tag as tag_cmd
from bench.corpus import iter_passages
from bench.run import streamed_tagging


def _cli_output(tmp_path, rows: list[dict], batch: int, monkeypatch) -> list[dict]:
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    monkeypatch.setattr(tag_cmd, "BATCH", batch)
    args = argparse.Namespace(inp=str(inp), out=str(out), db=None, codebook=None, jobs=1)
    assert tag_cmd.run(args) == 0
    return [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]


def test_streamed_tagging_gives_the_codes_and_evidence_of_cli_tag(tmp_path, monkeypatch):
    rows = list(iter_passages(words=6000))
    texts = [r["text"] for r in rows]
    batch = 9  # several batches, the last one short
    assert len(texts) > 2 * batch and len(texts) % batch
    run = streamed_tagging(batch=batch)
    got = run(texts, keep_results=True)
    assert got["batches"] == -(-len(texts) // batch)
    mine = [r.to_json() for r in got["results"]]
    cli = _cli_output(tmp_path, rows, batch, monkeypatch)
    assert len(mine) == len(cli) == len(texts)
    for m, c in zip(mine, cli):
        assert m["codes"] == c["codes"]
        assert m["evidence"] == c["evidence"]
    assert got["suggested_codes"] == sum(len({e["code"] for e in c["evidence"]}) for c in cli) > 0
    assert got["evidence"] == sum(len(c["evidence"]) for c in cli)
    assert got["nlp_cpu"] > 0 and got["tag_cpu"] > 0


def test_the_batches_do_not_change_what_is_suggested():
    texts = [r["text"] for r in iter_passages(words=3000)]
    one = streamed_tagging(batch=len(texts))(texts, keep_results=True)
    many = streamed_tagging(batch=4)(texts, keep_results=True)
    assert one["batches"] == 1 and many["batches"] > 1
    assert [r.to_json() for r in one["results"]] == [r.to_json() for r in many["results"]]
