"""NLP pipeline speed against a bare spaCy tokenizer (issue 8: NLP+tagging ≤ 3× `blank("sv")`).

    python bench/nlp_speed.py [--words 1000000] [--tag] [--json]

On ~1 M words of benchmark passages (`bench.corpus.iter_passages`) it times, in one process:
the bare `spacy.blank("sv")` `nlp.pipe` (median of 3), `get_nlp()` loading, `analyse` cold (fresh
lemma/compound caches) and warm (second pass), `normalise` alone, `to_bytes`/`from_bytes` of all
docs, and the long-answer cases (100,000 chars: 7,000 bullet lines; one huge token). `--tag` adds
`Tagger.tag_docs` with the default codebook. Prints seconds and ratios to the tokenizer, then one
JSON line.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _timed(fn, repeat: int = 1) -> tuple[float, object]:
    runs = []
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=1_000_000)
    ap.add_argument("--tag", action="store_true", help="time the tagger on the analysed docs too")
    ap.add_argument("--json", action="store_true", help="print only the JSON line")
    args = ap.parse_args(argv)

    from bench.corpus import iter_passages

    texts = [p["text"] for p in iter_passages(args.words)]
    res: dict[str, float] = {"texts": len(texts), "words": sum(len(t.split()) for t in texts)}

    import spacy

    bare = spacy.blank("sv")
    res["tokenizer"], _ = _timed(lambda: list(bare.pipe(texts)), repeat=3)

    from nlp import pipeline as P

    res["nlp_load"], _ = _timed(P.get_nlp)
    res["normalise"], _ = _timed(lambda: [P.normalise_breaks(t) for t in texts])  # what analyse runs
    res["analyse_cold"], docs = _timed(lambda: P.analyse(texts))
    res["analyse_warm"], docs = _timed(lambda: P.analyse(texts))
    res["to_bytes"], blobs = _timed(lambda: [P.doc_to_bytes(d) for d in docs])
    res["from_bytes"], _ = _timed(lambda: [P.doc_from_bytes(b) for b in blobs])
    res["long_bullets_100k"], _ = _timed(lambda: P.segments(P.analyse(["• mobila team\n" * 7000])[0]))
    res["long_token_100k"], _ = _timed(lambda: P.analyse(["patientkontrakt" * 6667]))
    if args.tag:
        from nlp.tagger import Tagger, default_codebook

        tagger = Tagger(default_codebook())
        res["tag"], _ = _timed(lambda: tagger.tag_docs(docs))
        res["nlp_cold+tag"] = res["analyse_cold"] + res["tag"]

    tok = res["tokenizer"]
    if not args.json:
        print(f"{res['texts']} texts, {res['words']} words")
        for k, v in res.items():
            if k in ("texts", "words"):
                continue
            print(f"  {k:<20} {v:8.3f} s   {v / tok:5.2f}× tokenizer")
    print(json.dumps({"bench": "nlp_speed", **{k: round(v, 4) if isinstance(v, float) else v for k, v in res.items()},
                      "ratios": {k: round(v / tok, 3) for k, v in res.items()
                                 if isinstance(v, float) and k != "tokenizer"}}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
