"""Rule-tagging speed on analysed text (issue 17): CPU seconds of `Tagger.tag_docs` only.

    python bench/tag_speed.py [--in PASSAGES.jsonl | --words 1200000] [--repeat 2] [--dump OUT.jsonl] [--json]

The texts (a passages JSONL file, or `bench.corpus.iter_passages`) are analysed once (not timed); then
a rules-only `Tagger()` tags the docs ``--repeat`` times, each time with a fresh `Tagger` (the first run
has cold per-form caches, later ones warm). CPU seconds are process time. ``--dump`` writes every
result of the first run (evidence with rule, excerpt span and confidence; the passage values) as JSONL,
to compare two versions of the tagger byte for byte. Run it with a fixed ``PYTHONHASHSEED``.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _texts(path: str | None, words: int) -> list[str]:
    if path:
        with open(path, encoding="utf-8-sig") as fh:
            return [json.loads(line)["text"] for line in fh if line.strip()]
    from bench.corpus import iter_passages

    return [p["text"] for p in iter_passages(words)]


def _dump_line(r) -> str:
    status, scope = r.code_values()
    ev = [{**e.to_json(), "rule": e.rule, "origin": e.origin, "conf": repr(e.confidence),
           "x": [e.excerpt_start, e.excerpt_end]} for e in r.evidence]
    xs = [[x.start, x.end] for x in r.excerpts]
    return json.dumps({"codes": r.codes, "evidence": ev, "excerpts": xs, "status": status, "scope": scope},
                      ensure_ascii=False)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--in", dest="inp", help="passages JSONL (default: bench passages)")
    ap.add_argument("--words", type=int, default=1_200_000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--dump", help="write the first run's results here (JSONL)")
    ap.add_argument("--json", action="store_true", help="print only the JSON line")
    args = ap.parse_args(argv)

    texts = _texts(args.inp, args.words)
    from nlp.pipeline import analyse, gc_paused
    from nlp.tagger import Tagger

    with gc_paused():
        docs = analyse(texts)
    runs = []
    for k in range(max(1, args.repeat)):
        tagger = Tagger()
        c0, w0 = time.process_time(), time.perf_counter()
        results = tagger.tag_docs(docs, texts=texts)
        runs.append((time.process_time() - c0, time.perf_counter() - w0))
        if k == 0 and args.dump:
            with open(args.dump, "w", encoding="utf-8") as fh:
                fh.writelines(_dump_line(r) + "\n" for r in results)
        del results, tagger
    out = {"texts": len(texts), "evidence_runs": len(runs), "cpu": [round(c, 3) for c, _ in runs],
           "wall": [round(w, 3) for _, w in runs]}
    if not args.json:
        for k, (c, w) in enumerate(runs):
            print(f"run {k + 1}: {c:.2f} CPU s, {w:.2f} s wall{' (cold caches)' if k == 0 else ''}")
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
