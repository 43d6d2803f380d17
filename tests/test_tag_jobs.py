"""`cli.py tag --in --jobs N`: batches tagged in forked processes give the same output bytes and the
same lemma cache as one process; the workers never write the cache file themselves."""
from __future__ import annotations

import argparse
import json
import marshal

import pytest

import commands.tag as tag_cmd
from nlp.lang_sv import form_cache


def _passages(shared_dir, n: int) -> list[dict]:
    rows = [json.loads(x) for x in (shared_dir / "data" / "dev_gold.jsonl").read_text(encoding="utf-8").splitlines()
            if x.strip()][:n]
    # a question on some lines (the disposer and proposer read it)
    return [{"id": r["id"], "text": r["text"], **({"question": "13a"} if k % 3 == 0 else {})}
            for k, r in enumerate(rows)]


def _tag(tmp_path, name: str, inp, jobs: int, monkeypatch) -> tuple[bytes, dict]:
    """Run the tag command in this process with its own empty lemma cache folder: (output bytes,
    the lemma cache file's forms after the run)."""
    from nlp.components import get_nlp

    folder = tmp_path / f"cache_{name}"
    folder.mkdir()
    monkeypatch.setenv("SVARSANALYS_CACHE_DIR", str(folder))
    form_cache.reset()
    get_nlp.cache_clear()  # a fresh pipeline: no lemma memo of an earlier run in this process
    out = tmp_path / f"{name}.jsonl"
    args = argparse.Namespace(inp=str(inp), out=str(out), db=None, codebook=None, jobs=jobs)
    assert tag_cmd.run(args) == 0
    form_cache.flush()  # what the process writes at exit
    files = list(folder.glob("lemmas-*.marshal"))
    forms = marshal.loads(files[0].read_bytes()) if files else {}
    form_cache.reset()
    return out.read_bytes(), forms


def test_jobs_give_the_same_bytes_and_lemma_cache(tmp_path, shared_dir, monkeypatch):
    rows = _passages(shared_dir, 45)
    inp = tmp_path / "in.jsonl"
    inp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    monkeypatch.setattr(tag_cmd, "BATCH", 8)  # one batch of 8 here, then 10 of 4 in the workers
    try:
        three, forms_three = _tag(tmp_path, "three", inp, 3, monkeypatch)
        one, forms_one = _tag(tmp_path, "one", inp, 1, monkeypatch)
    finally:
        monkeypatch.delenv("SVARSANALYS_CACHE_DIR")
        form_cache.reset()
    assert one == three
    assert len(one.splitlines()) == len(rows)
    # the parent wrote every form its workers lemmatised: all the forms of the one-process run (which
    # lemmatises every form of the passages again: fresh pipeline, empty cache folder), with the same lemmas;
    # the parallel run, first in this process, may also hold a form that later runs find in a memo
    assert len(forms_one) > 1000 and forms_one.items() <= forms_three.items()
    assert len(forms_three) - len(forms_one) < 10


def test_resolve_jobs():
    b = tag_cmd.BATCH
    assert tag_cmd.resolve_jobs(1, 10 * b) == 1
    assert tag_cmd.resolve_jobs(4, b) == 1  # one batch: this process alone
    assert tag_cmd.resolve_jobs(3, b + 1) == 3
    assert tag_cmd.resolve_jobs(0, 4 * b) == tag_cmd.usable_cpus()
    assert tag_cmd.resolve_jobs(None, 5 * b) == 1


def test_held_worker_hands_its_forms_to_the_writer(tmp_path, monkeypatch):
    monkeypatch.setenv("SVARSANALYS_CACHE_DIR", str(tmp_path))
    form_cache.reset()
    try:
        form_cache.hold()
        lem = form_cache.cached_lemma("hemsjukvårdsteamen")
        form_cache.flush()
        assert not list(tmp_path.glob("lemmas-*.marshal"))  # a held process writes nothing
        got = form_cache.take_new()
        assert got == {"hemsjukvårdsteamen": lem} and form_cache.take_new() == {}
        form_cache.hold(False)
        form_cache.reset()
        form_cache.add_forms(got)
        form_cache.flush()
        (path,) = tmp_path.glob("lemmas-*.marshal")
        assert marshal.loads(path.read_bytes()) == got
    finally:
        form_cache.hold(False)
        form_cache.reset()


@pytest.mark.parametrize("jobs", ["0", "2"])
def test_jobs_option_parses(jobs):
    from cli import build_parser

    args = build_parser().parse_args(["tag", "--in", "a.jsonl", "--out", "b.jsonl", "--jobs", jobs])
    assert args.jobs == int(jobs)
