"""Clusters an analyst can review: a reviewable number, a phrase from the excerpts, a proposed code."""
from __future__ import annotations

from models.clusters import ClusterView, propose_codes
from nlp.clustering import ExcerptClusterer, phrase_label, reviewable_k
from tests.browser.projects import build_project


def test_reviewable_number_of_clusters():
    assert reviewable_k(300) == 20 and reviewable_k(213) == 18 and reviewable_k(8000) == 20
    assert reviewable_k(9) == 4 and reviewable_k(1) == 2
    places = ["Borås", "Falun", "Mora", "Kiruna", "Lund", "Ystad", "Visby", "Umeå", "Luleå", "Gävle",
              "Sandviken", "Hudiksvall", "Ludvika", "Avesta", "Nyköping", "Motala", "Eksjö", "Växjö", "Kalmar", "Piteå"]
    texts = [f"Mobila närvårdsteam för sköra äldre besöker patienter hemma i {p}." for p in places] + \
            [f"Patientkontrakt med fast vårdkontakt införs på vårdcentralen i {p}." for p in places]
    est = ExcerptClusterer().fit(texts)
    assert 2 <= est.n_clusters_ <= reviewable_k(len(texts))
    assert ExcerptClusterer(n_clusters=7).fit(texts).n_clusters_ == 7  # an explicit k is honoured


def test_phrase_label_is_taken_from_the_excerpts():
    texts = ["Vi har startat mobila närvårdsteam för sköra äldre i två kommuner.",
             "Mobila närvårdsteam för sköra äldre finns nu i hela länet.",
             "Satsningen på mobila närvårdsteam för sköra äldre fortsätter.",
             "Teamen samverkar med hemtjänsten."]
    label = phrase_label(texts, ["närvårdsteam", "äldre", "mobil"])
    assert label == "Mobila närvårdsteam för sköra äldre"
    assert label.lower() in texts[1].lower()
    assert phrase_label(["Ett ord.", "Annat helt."], ["ord"]) is None


def test_proposed_code_is_the_majority_of_tagged_codes_else_keywords(tmp_path):
    store = build_project(tmp_path / "p.sqlite")
    answers = {a.question: a for a in store.answers()}
    tagged = [answers["5a"], answers["13a"]]  # both carry a mobila_team suggestion
    members = [{"answer_id": a.id, "start": 0, "end": len(a.text)} for a in tagged]
    by_tags = ClusterView(1, 1, 0, "x", None, None, ["team"], 2, {}, members)
    untagged = answers["14"]
    by_words = ClusterView(2, 1, 1, "y", None, None, ["patientkontrakt", "avtal"], 1, {},
                           [{"answer_id": untagged.id, "start": 0, "end": len(untagged.text)}])
    doc = {"categories": [{"id": "k", "codes": [
        {"id": "mobila_team", "label": "Mobila team", "keywords": ["mobila team"]},
        {"id": "patientkontrakt", "label": "Patientkontrakt", "keywords": ["patientkontrakt"]}]}]}
    got = propose_codes(store, [by_tags, by_words], doc)
    assert got[1].code_id == "mobila_team" and got[1].reason.startswith("2 av 2 utdrag")
    assert got[2].code_id == "patientkontrakt" and "patientkontrakt" in got[2].reason
    store.close()


def test_typical_words_leave_out_who_answers_and_generic_verbs():
    """A cluster whose answers all say "Kommunen har …" is not described by "kommun" or "ha"."""
    from nlp.clustering import GENERIC_TERMS, cluster_texts

    texts = [f"Kommunen har infört nattpatrull med sjuksköterskor i {p}." for p in
             ("Ljusdal", "Bollnäs", "Söderhamn", "Hudiksvall", "Ockelbo")] + \
            [f"Regionen erbjuder hälsosamtal för 40-åringar på vårdcentralen i {p}." for p in
             ("Gävle", "Sandviken", "Hofors", "Ovanåker", "Nordanstig")]
    _, infos = cluster_texts(texts, k=2)
    terms = [t.lower() for info in infos for t in info.top_terms]
    assert terms and not set(terms) & GENERIC_TERMS, terms
    assert any("nattpatrull" in t for t in terms) and any("hälsosamtal" in t for t in terms), terms
