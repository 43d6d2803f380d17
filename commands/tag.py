"""`python cli.py tag --in PASSAGES.jsonl --out TAGS.jsonl [--codebook PATH]` and `tag --db PROJECT.sqlite`.

Input lines: {"id": str, "text": str, "question": optional str (the form's question, e.g. "13a")}.
Rules propose codes, the disposer (data/models/disposer.json) keeps or drops them. Output: one line per input, same order:
{"id", "codes": [present, not negated], "evidence": [{"code", "start", "end", "match", "negated",
"status", "scope", "confidence"}]} with start/end = character offsets into the input text.
Bad input -> Swedish message and exit 1; usage errors (neither --in nor --db) -> exit 2.
``--jobs N`` (with --in; default 1, 0 = one per usable CPU): after the first batch of :data:`BATCH` passages,
the rest is tagged in N forked worker processes (same output bytes; see :func:`_run_parallel`).
"""
from __future__ import annotations

import gc
import json
import sys
from pathlib import Path
from typing import Optional

from errors import SvarsanalysError

BATCH = 2000


class InputError(SvarsanalysError):
    """Bad input file; the message is Swedish and names the file."""


def _err(msg: str) -> None:
    print(f"FEL: {msg}", file=sys.stderr)


def read_passages(path: str, questions: Optional[list] = None) -> list[tuple[str, str]]:
    """(id, text) pairs of a passages JSONL file; InputError on bad input. When ``questions`` is a
    list, the optional "question" of every line is appended to it (None when absent)."""
    from jsonl_input import json_lines

    name = Path(path).name or str(path)
    out: list[tuple[str, str]] = []
    for n, obj in json_lines(path, InputError):
        if not isinstance(obj, dict):
            raise InputError(f"{name}, rad {n}: raden ska vara ett JSON-objekt med 'id' och 'text'.")
        pid, txt = obj.get("id"), obj.get("text")
        if pid is None:
            raise InputError(f"{name}, rad {n}: fältet 'id' saknas.")
        if not isinstance(txt, str):
            raise InputError(f"{name}, rad {n}: fältet 'text' saknas eller är inte text.")
        if isinstance(pid, (dict, list)):
            raise InputError(f"{name}, rad {n}: fältet 'id' ska vara text.")
        out.append((str(pid) if not isinstance(pid, str) else pid, txt))
        if questions is not None:
            q = obj.get("question")
            questions.append(str(q).strip().lower() if isinstance(q, (str, int)) and str(q).strip() else None)
    return out


def note_pure_python() -> None:
    """Say on stderr when the tagging modules run as Python because their compiled build is missing or stale
    (not when ``SVARSANALYS_COMPILED=off`` asks for Python)."""
    from nlp import compiled

    if compiled.running_pure():
        print(f"obs: taggningsmodulerna körs som {compiled.status()}; det tar ungefär 1,5 gånger så lång tid.",
              file=sys.stderr)


def _load_codebook(path):
    from nlp.codebook import CodebookError, default_codebook, load_codebook

    try:
        return load_codebook(path) if path else default_codebook()
    except CodebookError as e:
        raise InputError(str(e)) from None


def run(args) -> int:
    """The tag command; Python's cyclic collector is paused for the whole batch (see :func:`_run`)."""
    # Imports, analysis, tagging and output allocate millions of small acyclic objects; every
    # threshold crossed would otherwise rescan the growing heap. Nothing here needs cycles freed early.
    was = gc.isenabled()
    gc.disable()
    try:
        return _run(args)
    finally:
        if was:
            gc.enable()


def _run(args) -> int:
    inp, out, db = getattr(args, "inp", None), getattr(args, "out", None), getattr(args, "db", None)
    if not inp and not db:
        _err("ange --in PASSAGER.jsonl --out TAGGAR.jsonl eller --db PROJEKT.sqlite.")
        return 2
    if inp and db:
        _err("ange antingen --in/--out eller --db, inte båda.")
        return 2
    if inp and not out:
        _err("--in kräver --out TAGGAR.jsonl.")
        return 2
    try:
        codebook = _load_codebook(getattr(args, "codebook", None))
        if db:
            return _run_db(db, codebook)
        questions: list = []
        passages = read_passages(inp, questions)
    except InputError as e:
        _err(str(e))
        return 1
    note_pure_python()
    from nlp.tagger import Tagger

    from models.tagging import default_disposer, default_proposer

    model, disposer = _default_model(codebook), default_disposer(codebook)
    proposer = default_proposer()
    # Without a model the disposer is applied here, after the rules: the same decisions as the
    # Tagger's own disposer step, without the copy of every rule proposal it keeps for retag().
    separate = model is None and disposer is not None
    tagger = Tagger(codebook, model=model, disposer=None if separate else disposer,
                    proposer=None if separate else proposer)
    try:
        fh = open(out, "w", encoding="utf-8", newline="\n")
    except OSError as e:
        _err(f"{Path(out).name}: kan inte skriva utfilen ({e.strerror or e}).")
        return 1
    global _STATE
    _STATE = (tagger, disposer if separate else None, proposer, passages, questions)
    n = len(passages)
    jobs = resolve_jobs(getattr(args, "jobs", 1), n)
    with fh:
        if jobs <= 1:
            for k in range(0, n, BATCH):
                fh.write(_tag_batch(k, min(k + BATCH, n)))
        else:
            _run_parallel(fh, n, jobs)
    _STATE = None
    return 0


# (tagger, disposer applied after the rules or None, proposer, passages, questions) of the running command;
# a worker process of --jobs inherits it when it is forked
_STATE = None


def _tag_batch(k: int, end: int) -> str:
    """The output lines (JSON, one per passage) of the passages [k, end)."""
    from nlp.tagger import dispose_and_propose

    tagger, disposer, proposer, passages, questions = _STATE
    encode = json.JSONEncoder(ensure_ascii=False).encode  # = json.dumps(obj, ensure_ascii=False)
    chunk = passages[k:end]
    qs = questions[k:end]
    results = tagger.tag_texts([t for _, t in chunk], ids=[i for i, _ in chunk], questions=qs)
    if disposer is not None:
        dispose_and_propose(tagger, results, disposer, proposer, qs)
    text = "".join([encode(r.to_json()) + "\n" for r in results])
    del results
    tagger.release()  # this batch's analysed state is not needed for the next one
    return text


def resolve_jobs(jobs, passages: int) -> int:
    """How many worker processes tag the passages: ``jobs`` (1 = this process alone; 0 = one per usable
    CPU); one process when the input fits in one batch of :data:`BATCH` passages."""
    jobs = 1 if jobs is None else int(jobs)
    if jobs <= 0:
        jobs = usable_cpus()
    return 1 if passages <= BATCH else max(1, jobs)


def usable_cpus() -> int:
    import os

    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _worker_batch(span: tuple[int, int]) -> tuple[str, dict]:
    """In a forked worker: the output lines of passages [k, end) and the word forms it lemmatised (its
    parent writes them to the lemma cache: one writer per cache file)."""
    from nlp.lang_sv import form_cache

    form_cache.hold()
    text = _tag_batch(*span)
    return text, form_cache.take_new()


def _run_parallel(fh, n: int, jobs: int) -> None:
    """Tag the first batch here, then the rest in half-size batches in ``jobs`` forked processes, and
    write the lines in input order. The workers inherit the loaded codebook, rules and models and what the
    first batch put in the per-form memos (the common vocabulary is not worked out again in each worker),
    so they spend about the CPU time one process would. Each passage is tagged on its own (the per-form
    memos only save work), so the output does not depend on the batches: the same bytes as one process
    (tests/test_tag_jobs.py; `cmp` with batches of 2,000, 500 and 333 on the dev gold and eval sets)."""
    import multiprocessing

    from nlp.lang_sv import form_cache

    first = min(BATCH, n)
    fh.write(_tag_batch(0, first))
    size = max(1, BATCH // 2)
    spans = [(k, min(k + size, n)) for k in range(first, n, size)]
    if not spans:
        return
    ctx = multiprocessing.get_context("fork")
    pool = ctx.Pool(min(jobs, len(spans)))
    try:
        for text, forms in pool.imap(_worker_batch, spans):
            fh.write(text)
            form_cache.add_forms(forms)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()  # the workers are reaped: their CPU time counts in this process's children


def _default_model(codebook):
    """The learned model is part of the default tag only when it measured better (see README)."""
    from models.tagging import default_model

    return default_model(codebook)


def _run_db(db: str, codebook) -> int:
    if not Path(db).exists():
        raise InputError(f"{Path(db).name}: projektfilen finns inte.")
    try:
        from models.store import ProjectStore

        store = ProjectStore(db, create=False)
    except Exception as e:  # the store reports its own problem
        raise InputError(f"{Path(db).name}: projektfilen kan inte öppnas ({e}).") from None
    from models.tagging import tag_project

    try:
        n = tag_project(store, codebook if codebook is not None else None)
    finally:
        store.close()
    print(f"{n} förslag sparade i {Path(db).name}.", file=sys.stderr)
    return 0
