"""nlp.clustering: estimators, automatic k, determinism, readable descriptions."""
from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from nlp.clustering import (CodebookKeywordView, ExcerptClusterer, ExcerptFeatures, class_tfidf_terms,
                            describe)
from tests.test_cluster_data import themed


@pytest.fixture(scope="module")
def docs():
    from nlp.clustering import as_spans

    texts, labels = themed()
    return as_spans(texts), labels


def test_automatic_k_recovers_themes(docs):
    spans, labels = docs
    est = ExcerptClusterer().fit(spans)
    assert 3 <= est.n_clusters_ <= 5
    assert adjusted_rand_score(labels, est.labels_) > 0.6
    # every cluster holds one theme only
    for c in range(est.n_clusters_):
        assert len({labels[i] for i in np.flatnonzero(est.labels_ == c)}) == 1
    assert max(est.silhouette_, key=est.silhouette_.get) == est.n_clusters_


def test_without_codebook_view_text_alone_still_separates(docs):
    spans, labels = docs
    est = ExcerptClusterer(codebook_weight=0).fit(spans)
    assert adjusted_rand_score(labels, est.labels_) > 0.5


def test_adjustable_k_and_largest_cluster_first(docs):
    spans, _ = docs
    est = ExcerptClusterer(n_clusters=5).fit(spans)
    assert est.n_clusters_ == 5
    sizes = np.bincount(est.labels_)
    assert list(sizes) == sorted(sizes, reverse=True)


def test_deterministic(docs):
    spans, _ = docs
    a = ExcerptClusterer().fit_predict(spans)
    b = ExcerptClusterer().fit_predict(list(spans))
    assert a.tolist() == b.tolist()


def test_large_input_path_via_micro_clusters(docs):
    spans, labels = docs
    est = ExcerptClusterer(direct_max=5, n_micro=12).fit(spans)
    assert adjusted_rand_score(labels, est.labels_) > 0.6


def test_describe_labels_sizes_coverage_and_representatives(docs):
    spans, labels = docs
    est = ExcerptClusterer().fit(spans)
    resp = [("region" if i % 2 else "kommun", f"R{i % 4}") for i in range(len(spans))]
    infos = describe(est, resp)
    assert sum(i.size for i in infos) == len(spans)
    by_theme = {}
    for info in infos:
        themes = {labels[m] for m in info.members}
        assert len(themes) == 1
        theme = themes.pop()
        if theme not in by_theme or info.size > by_theme[theme].size:
            by_theme[theme] = info
        assert len(info.representatives) == min(3, info.size)
        assert set(info.representatives) <= set(info.members)
        assert sum(info.coverage.values()) >= 1 and set(info.coverage) <= {"region", "kommun"}
    assert "egenmonitorering" in by_theme["egen"].top_terms or "app" in by_theme["egen"].top_terms
    assert "hembesök" in by_theme["mobil"].top_terms
    # compounds stay intact in labels, stop words never appear
    assert any(t.startswith("kompetensförsörjning") for t in by_theme["kompetens"].top_terms)
    for info in infos:
        assert not {"och", "är", "samt", "i", "en"} & set(info.top_terms)


def test_class_tfidf_prefers_distinctive_terms():
    terms = class_tfidf_terms([["team", "vård"], ["team", "vård"], ["app", "vård"], ["app", "vård"]], [0, 0, 1, 1], 1)
    assert terms == {0: ["team"], 1: ["app"]}


def test_codebook_view_counts_lemmas_compounds_and_abbreviations():
    from nlp.clustering import as_spans

    cb = {"name": "t", "categories": [{"id": "c", "label": "C", "codes": [
        {"id": "mobila_team", "label": "Mobila team", "keywords": ["mobilt team", "hembesök"]},
        {"id": "sip", "label": "Samordnad individuell plan", "keywords": ["samordnad individuell plan"],
         "abbreviations": ["SIP"]}]}]}
    view = CodebookKeywordView(cb, include_labels=False).fit()
    K = view.transform(as_spans(["De mobila teamen gör hembesöken.", "SIP:ar och SIP-samordnare.", "Inget här."]))
    assert view.get_feature_names_out().tolist() == ["mobila_team", "sip"]
    assert K.tolist() == [[2.0, 0.0], [0.0, 2.0], [0.0, 0.0]]


def test_features_are_normalised_and_handle_empty_texts():
    F = ExcerptFeatures().fit_transform(["Mobila team gör hembesök.", "Ja.", "", "Appen för mätvärden."])
    assert np.allclose(np.linalg.norm(F, axis=1), 1.0)
    est = ExcerptClusterer().fit(["Ja.", "", "Nej."])
    assert len(est.labels_) == 3


def test_tiny_inputs():
    assert ExcerptClusterer().fit([]).labels_.tolist() == []
    assert ExcerptClusterer().fit(["Mobila team."]).labels_.tolist() == [0]
    assert ExcerptClusterer(n_clusters=2).fit(["Mobila team.", "Appen."]).n_clusters_ == 2
