"""NLP pipeline speed against a bare spaCy tokenizer (issue 8: NLP+tagging ≤ 3× `blank("sv")`).

    python bench/nlp_speed.py [--words 1000000] [--tag] [--cache DIR] [--json]

On ~1 M words of benchmark passages (`bench.corpus.iter_passages`) it times, in one process:
the bare `spacy.blank("sv")` `nlp.pipe` (median of 3, each on a new vocabulary), `get_nlp()` loading, `analyse` cold (fresh
lemma/compound caches) and warm (second pass), `normalise` alone, `to_bytes`/`from_bytes` of all
docs, and the long-answer cases (100,000 chars: 7,000 bullet lines; one huge token). `--tag` adds
`Tagger.tag_docs` with the default codebook. Prints CPU seconds (process time; wall seconds in the
JSON) and CPU ratios to the tokenizer, then one JSON line.

The lemma cache on disk starts EMPTY (a new round: every form is lemmatised and split), in a
temporary folder that links the machine-level caches of the normal cache folder (simplemma's
decoded dictionary, the reversed-forms trie) when they are there; ``--cache DIR`` uses DIR as it
is instead (run twice with the same DIR for a warm lemma cache).
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


WALL: dict[str, float] = {}


def _timed(fn, repeat: int = 1, name: str = "") -> tuple[float, object]:
    """Median CPU seconds (process time) of ``fn`` over ``repeat`` runs and its last result;
    the median wall seconds go to :data:`WALL` under ``name``."""
    runs, walls = [], []
    out = None
    for _ in range(repeat):
        gc.collect()
        w, t = time.perf_counter(), time.process_time()
        out = fn()
        runs.append(time.process_time() - t)
        walls.append(time.perf_counter() - w)
    if name:
        WALL[name] = statistics.median(walls)
    return statistics.median(runs), out


def empty_lemma_cache() -> Path:
    """Point the lemma cache (``SVARSANALYS_CACHE_DIR``) at a new empty folder holding links to the
    machine-level files of the normal cache folder (simplemma's decoded dictionary and its
    tries), so that every word form is new, as in a new round on a set-up machine."""
    from nlp.lang_sv import form_cache, lemma_cache

    normal = lemma_cache.cache_dir()
    if normal is not None and not list(normal.glob("simplemma-*-lemmas.marisa.check")):
        # set the machine up first (decoded dictionary, trie) in another process: not measured
        subprocess.run([sys.executable, "-c", "from nlp.lang_sv import dictionary; dictionary.ending_forms()"],
                       cwd=ROOT, check=False)
    folder = Path(tempfile.mkdtemp(prefix="svarsanalys-lemmas-"))
    if normal is not None and normal.is_dir():
        for f in normal.glob("simplemma-*"):
            if not f.name.endswith(".tmp"):
                (folder / f.name).symlink_to(f.resolve())
    os.environ["SVARSANALYS_CACHE_DIR"] = str(folder)
    form_cache.reset()
    return folder


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=1_000_000)
    ap.add_argument("--tag", action="store_true", help="time the tagger on the analysed docs too")
    ap.add_argument("--cache", help="lemma cache folder to use as it is (default: a new empty one)")
    ap.add_argument("--json", action="store_true", help="print only the JSON line")
    args = ap.parse_args(argv)
    if args.cache:
        os.environ["SVARSANALYS_CACHE_DIR"] = args.cache
        fresh = None
    else:
        fresh = empty_lemma_cache()

    from bench.corpus import iter_passages

    texts = [p["text"] for p in iter_passages(args.words)]
    res: dict[str, float] = {"texts": len(texts), "words": sum(len(t.split()) for t in texts)}

    import spacy

    fresh_blanks = iter([spacy.blank("sv") for _ in range(3)])  # a new vocabulary per run, like a new process
    res["tokenizer"], _ = _timed(lambda: list(next(fresh_blanks).pipe(texts)), repeat=3, name="tokenizer")

    from nlp import pipeline as P

    res["nlp_load"], _ = _timed(P.get_nlp, name="nlp_load")
    res["normalise"], _ = _timed(lambda: [P.normalise_breaks(t) for t in texts], name="normalise")  # what analyse runs
    res["analyse_cold"], docs = _timed(lambda: P.analyse(texts), name="analyse_cold")
    res["analyse_warm"], docs = _timed(lambda: P.analyse(texts), name="analyse_warm")
    res["to_bytes"], blobs = _timed(lambda: [P.doc_to_bytes(d) for d in docs], name="to_bytes")
    res["from_bytes"], _ = _timed(lambda: [P.doc_from_bytes(b) for b in blobs], name="from_bytes")
    res["long_bullets_100k"], _ = _timed(lambda: P.segments(P.analyse(["• mobila team\n" * 7000])[0]))
    res["long_token_100k"], _ = _timed(lambda: P.analyse(["patientkontrakt" * 6667]))
    if args.tag:
        from nlp.tagger import Tagger, default_codebook

        tagger = Tagger(default_codebook())
        res["tag"], _ = _timed(lambda: tagger.tag_docs(docs))
        res["nlp_cold+tag"] = res["analyse_cold"] + res["tag"]

    from nlp.lang_sv import form_cache

    form_cache.flush()
    tok = res["tokenizer"]
    if not args.json:
        print(f"{res['texts']} texts, {res['words']} words; lemma cache: "
              f"{'empty (new round)' if fresh is not None else args.cache}")
        for k, v in res.items():
            if k in ("texts", "words"):
                continue
            print(f"  {k:<20} {v:8.3f} CPU s   {v / tok:5.2f}× tokenizer")
    print(json.dumps({"bench": "nlp_speed", "cpu_seconds": True, "lemma_cache": "empty" if fresh is not None else "given",
                      **{k: round(v, 4) if isinstance(v, float) else v for k, v in res.items()},
                      "ratios": {k: round(v / tok, 3) for k, v in res.items()
                                 if isinstance(v, float) and k != "tokenizer"},
                      "wall_seconds": {k: round(v, 4) for k, v in WALL.items()}}))
    if fresh is not None:
        form_cache.reset()
        shutil.rmtree(fresh, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
