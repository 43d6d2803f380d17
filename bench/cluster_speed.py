"""Clustering speed on 8,000 excerpts (target: under 10 s on the 2-core machine).

    python bench/cluster_speed.py [--n 8000] [--json]

Excerpts are built deterministically from the sample/gold sentences with varied vocabulary
(word swaps from simplemma's Swedish word list, new compounds), analysed once; the clustering
itself (features, tree, automatic k, descriptions) is timed separately from the NLP.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _seed_sentences() -> list[str]:
    gold = ROOT.parent / "shared" / "data" / "dev_gold.jsonl"
    out: list[str] = []
    if gold.is_file():
        for line in gold.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line)["text"])
    if not out:
        from tests.test_cluster_data import THEMES

        out = [s for v in THEMES.values() for s in v]
    return out


def make_excerpts(n: int, seed: int = 1) -> list[str]:
    """n varied excerpts (one or two sentences each)."""
    from nlp.lang_sv.dictionary import lemma_dict

    rng = random.Random(seed)
    words = [k for k, _ in zip(lemma_dict().keys(), range(400_000)) if k.isalpha() and len(k) > 4]
    words = rng.sample(words, 20_000)
    seeds = []
    for text in _seed_sentences():
        seeds.extend(s.strip() for s in text.replace("\n", " ").split(". ") if len(s.split()) > 4)
    out = []
    for _ in range(n):
        toks = rng.choice(seeds).split()
        for i in range(len(toks)):
            r = rng.random()
            if r < 0.08:
                toks[i] = rng.choice(words)
            elif r < 0.11:
                toks[i] = rng.choice(words) + "s" + rng.choice(words)
        out.append(" ".join(toks[:60]) + ".")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=8000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    from nlp.clustering import ExcerptClusterer, as_spans, describe

    texts = make_excerpts(args.n)
    t0 = time.perf_counter()
    spans = as_spans(texts)
    t_nlp = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    est = ExcerptClusterer().fit(spans)
    t_fit, c_fit = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    infos = describe(est)
    t_desc, c_desc = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    ExcerptClusterer(n_clusters=20).fit(spans)
    t_k = time.perf_counter() - t0
    res = {"excerpts": len(texts), "nlp_s": round(t_nlp, 2), "cluster_s": round(t_fit + t_desc, 2),
           "fit_s": round(t_fit, 2), "describe_s": round(t_desc, 2),
           "cluster_cpu_s": round(c_fit + c_desc, 2), "fixed_k_s": round(t_k, 2),
           "n_clusters": est.n_clusters_, "largest": infos[0].size if infos else 0}
    print(f"{len(texts)} utdrag: NLP {t_nlp:.2f} s (görs en gång, sparas i projektet); "
          f"klustring {t_fit:.2f} s + beskrivning {t_desc:.2f} s = {t_fit + t_desc:.2f} s "
          f"(mål < 10 s; CPU-tid {c_fit + c_desc:.2f} s); {est.n_clusters_} kluster; fast k=20: {t_k:.2f} s")
    if args.json:
        print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
