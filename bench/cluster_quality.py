"""Clustering quality on gold passages: NMI and ARI against each passage's first (primary) code.

    python bench/cluster_quality.py --gold ../shared/data/dev_gold.jsonl [--codebook PATH] [--quick]

Prints the chosen configuration (nlp.clustering.ExcerptClusterer defaults, k chosen
automatically) and a table of the alternatives measured on the same passages. The gold labels
are only used for scoring, never inside a model.
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


def load_gold(path: Path) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("codes"):
                texts.append(row["text"])
                labels.append(row["codes"][0])
    return texts, labels


def alternatives(docs, y, codebook) -> list[tuple[str, float, float, int]]:
    """Other algorithms and feature sets, each with k chosen automatically where it can be."""
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from sklearn.cluster import HDBSCAN, AgglomerativeClustering, KMeans, SpectralClustering
    from sklearn.decomposition import NMF, TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import adjusted_rand_score as ari
    from sklearn.metrics import normalized_mutual_info_score as nmi
    from sklearn.metrics import silhouette_score
    from sklearn.preprocessing import normalize

    from nlp.clustering import ExcerptClusterer, ExcerptFeatures, _token_cache

    rows = []

    def add(name, labels):
        rows.append((name, nmi(y, labels), ari(y, labels), len(set(labels))))

    toks = _token_cache(docs)
    T = TfidfVectorizer(analyzer=lambda x: x, lowercase=False, sublinear_tf=True).fit_transform(toks)
    Z = normalize(TruncatedSVD(100, random_state=0).fit_transform(T))
    F = ExcerptFeatures(codebook=codebook).fit_transform(docs)

    def sil_k(features, make, ks):
        best = None
        for k in ks:
            lab = make(k)
            s = silhouette_score(features, lab, metric="cosine")
            if best is None or s > best[0]:
                best = (s, lab)
        return best[1]

    ks = range(5, 61, 5)
    add("TF-IDF + k-means (k=35, fixed)", KMeans(35, n_init=10, random_state=0).fit_predict(T))
    add("TF-IDF + k-means (silhouette k)", sil_k(T, lambda k: KMeans(k, n_init=4, random_state=0).fit_predict(T), ks))
    add("LSA100 + k-means (silhouette k)", sil_k(Z, lambda k: KMeans(k, n_init=4, random_state=0).fit_predict(Z), ks))
    add("TF-IDF agglomerative cosine/average (silhouette k)",
        ExcerptClusterer(codebook_weight=0).fit_predict(docs))
    add("LSA100 ward (silhouette k)", sil_k(Z, lambda k: fcluster(linkage(Z, "ward"), k, "maxclust"), ks))
    add("TF-IDF spectral kNN (silhouette k)", sil_k(T, lambda k: SpectralClustering(
        k, affinity="nearest_neighbors", n_neighbors=10, random_state=0).fit_predict(T), ks))
    add("TF-IDF NMF argmax (k=35)", NMF(35, init="nndsvda", random_state=0, max_iter=400).fit_transform(T).argmax(1))
    add("HDBSCAN on LSA100 (auto)", HDBSCAN(min_cluster_size=3).fit_predict(Z))
    K = ExcerptFeatures(codebook=codebook).fit(docs).view_.transform(docs)
    add("codebook keyword argmax only", np.where(K.sum(1) > 0, K.argmax(1), -1))
    add("LSA+codebook k-means (silhouette k)", sil_k(F, lambda k: KMeans(k, n_init=4, random_state=0).fit_predict(F), ks))
    add("LSA+codebook agglomerative cosine/average (silhouette k)",
        ExcerptClusterer(codebook=codebook, linkage="average").fit_predict(docs))
    add("LSA+codebook ward, codebook weight 0.5",
        ExcerptClusterer(codebook=codebook, codebook_weight=0.5).fit_predict(docs))
    add("LSA+codebook ward, codebook weight 2.0",
        ExcerptClusterer(codebook=codebook, codebook_weight=2.0).fit_predict(docs))
    add("LSA+codebook ward via micro-clusters (large-n path)",
        ExcerptClusterer(codebook=codebook, direct_max=10, n_micro=120).fit_predict(docs))
    add("LSA+codebook ward, shared/codebook.yaml (starting codebook)",
        ExcerptClusterer(codebook=ROOT.parent / "shared" / "codebook.yaml").fit_predict(docs)
        if (ROOT.parent / "shared" / "codebook.yaml").is_file() else [0] * len(docs))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", required=True)
    ap.add_argument("--codebook", default=None, help="kodbok (standard: data/codebook.yaml)")
    ap.add_argument("--quick", action="store_true", help="only the chosen configuration")
    args = ap.parse_args(argv)
    path = Path(args.gold)
    if not path.is_file():
        print(f"FEL: guldfilen {path} finns inte.", file=sys.stderr)
        return 1
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from nlp.clustering import ExcerptClusterer, as_spans

    texts, y = load_gold(path)
    t0 = time.perf_counter()
    docs = as_spans(texts)
    est = ExcerptClusterer(codebook=args.codebook).fit(docs)
    dt = time.perf_counter() - t0
    nmi = normalized_mutual_info_score(y, est.labels_)
    ari = adjusted_rand_score(y, est.labels_)
    print(f"Passager med kod: {len(texts)}, guldkoder (primär): {len(set(y))}")
    print("Vald metod: TF-IDF (lemman + sammansättningsdelar) -> LSA 100 + kodbokens nyckelord; "
          "agglomerativ (Ward); k via silhuett")
    print(f"NMI={nmi:.3f} ARI={ari:.3f} kluster={est.n_clusters_} tid={dt:.2f}s")
    if not args.quick:
        print()
        print(f"{'alternativ':62s} {'NMI':>6s} {'ARI':>6s} {'k':>4s}")
        for name, a, b, k in alternatives(docs, y, args.codebook):
            print(f"{name:62s} {a:6.3f} {b:6.3f} {k:4d}")
    print(json.dumps({"nmi": round(nmi, 4), "ari": round(ari, 4), "n_clusters": int(est.n_clusters_),
                      "passages": len(texts)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
