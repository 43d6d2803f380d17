"""The proposer: codes the rules miss, added with the best sentence as evidence; its artifact and CV tool."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from nlp.proposer import Proposer, form_features, load_bundled_proposer
from nlp.proposer_training import training_hash

ROOT = Path(__file__).resolve().parents[1]

# Written for this test (no sentence of any evaluation set): local joint work of a health centre and the
# kommun's elderly care, told without the codebook's words for it, after a sentence about nothing.
# a paraphrase of samverkan the codebook's words do not reach ("de patienter de delar" became a codebook word on
# 7 Dec 2026, round train40)
PARAPHRASE = ("Se bilaga. Hälsocentralen och äldreomsorgen i kommunen har bildat en gemensam grupp som ses varje "
              "månad för att lösa praktiska frågor kring de patienter som båda har ansvar för.")
PARAPHRASE_CODE = "samverkan_verksamhetsnara"
NOTHING = "Vi har inget särskilt att rapportera för perioden. Frågan besvaras nästa år."

TRAIN = [
    ("Vi ringer upp äldre med många läkemedel och stort vårdbehov för att fånga försämring tidigt.",
     ("proaktiv",)),
    ("Sköra äldre kontaktas i förväg av sjuksköterskan innan de hinner söka akut.", ("proaktiv",)),
    ("Sjuksköterskan kontaktar de mest sjuka äldre i förväg och följer upp deras hälsa.", ("proaktiv",)),
    ("Vi har infört ett nytt journalsystem i hela regionen.", ("it",)),
    ("Journalsystemet byttes ut och alla enheter använder det nya systemet.", ("it",)),
    ("Det nya journalsystemet används nu av både region och kommun.", ("it",)),
    ("Budgeten för året har fastställts av nämnden.", ()),
    ("Nämnden har haft fyra sammanträden under året.", ()),
]


def _analysed(texts):
    from nlp.tagger import Tagger

    t = Tagger()
    t.tag_texts(texts)
    return t.analysed


def _tokens(texts):
    from nlp.pipeline import get_nlp
    from nlp.proposer import passage_features

    strings = get_nlp().vocab.strings
    return [passage_features(a, strings) for a in _analysed(texts)]


def test_form_features_are_lemma_and_stem_without_stop_words():
    toks, low = form_features("hemsjukvårdsteamet", "hemsjukvårdsteam")
    assert low == "hemsjukvårdsteam"
    assert toks == ("w:hemsjukvårdsteam", "s:hemsju")
    assert form_features("Team", "team") == (("w:team",), "team")
    assert form_features("och", "och") == ((), None)
    assert form_features("2024", "2024") == ((), None)


def test_passage_features_join_bigrams_within_a_sentence_and_add_the_question():
    toks = _tokens(["Mobila team startade. Läkare deltar."])[0]
    assert "b:mobil_team" in toks
    bigrams = [t for t in toks if t.startswith("b:")]
    assert not any(t.endswith("_läkare") for t in bigrams), "a bigram never crosses a sentence"
    from nlp.pipeline import get_nlp
    from nlp.proposer import passage_features

    a = _analysed(["Mobila team startade."])[0]
    assert passage_features(a, get_nlp().vocab.strings, "13A")[-1] == "q:13a"


def test_fit_predict_and_json_round_trip_give_the_same_probabilities():
    texts = [t for t, _ in TRAIN]
    toks = _tokens(texts)
    m = Proposer(C=10.0, min_df=1).fit(toks, [c for _, c in TRAIN], ["proaktiv", "it", "okänd"])
    assert m.codes_ == ["proaktiv", "it"], "a code with fewer than two positives is not learned"
    new = _tokens(["Sjuksköterskan ringer upp sköra äldre innan de behöver söka akut.",
                   "Alla använder nu det nya journalsystemet."])
    P = m.predict_proba(new)
    assert P[0, 0] > P[0, 1] and P[1, 1] > P[1, 0]
    m2 = Proposer.from_json(json.loads(json.dumps(m.to_json())))
    assert np.allclose(m2.predict_proba(new), P, atol=2e-3)
    # one product over the batch equals row by row, and an empty row is the intercept alone
    rows = np.vstack([m.predict_proba([t]) for t in new + [[]]])
    assert np.allclose(m.predict_proba(new + [[]]), rows)
    assert np.allclose(m.decision([[]])[0], m.intercept_)


def test_decision_in_small_blocks_equals_one_block(monkeypatch):
    import nlp.proposer as proposer

    toks = _tokens([t for t, _ in TRAIN])
    m = Proposer(C=10.0, min_df=1).fit(toks, [c for _, c in TRAIN], ["proaktiv", "it"])
    batch = toks + [[]] + toks[:3]
    whole = m.decision(batch)
    monkeypatch.setattr(proposer, "CHUNK", 5)
    assert np.array_equal(m.decision(batch), whole)


def test_shipped_artifact_matches_its_training_data(shared_dir):
    from nlp.proposer import proposer_artifact_hash

    assert load_bundled_proposer() is not None, "data/models/proposer.json saknas: kör python tools/train_proposer.py"
    assert proposer_artifact_hash() == training_hash(), \
        "proposer.json är inaktuell: kör python tools/train_proposer.py"


@pytest.fixture(scope="module")
def bundled():
    m = load_bundled_proposer()
    if m is None:
        pytest.skip("no shipped proposer")
    return m


@pytest.fixture(scope="module")
def eager(bundled):
    """The shipped proposer at threshold 0.8: the mechanism tests need a paraphrase it adds, and the
    shipped threshold (0.7, chosen on unseen text) is a separate choice from how an added code is built."""
    import copy

    m = copy.copy(bundled)
    m.threshold, m.thresholds = 0.8, {}
    return m


def _tag(texts, proposer, questions=None):
    from models.tagging import default_disposer
    from nlp.tagger import Tagger

    return Tagger(disposer=default_disposer(), proposer=proposer).tag_texts(texts, questions=questions)


def test_a_paraphrase_the_rules_miss_gets_the_code_when_the_proposer_is_on(eager):
    off = _tag([PARAPHRASE], None)[0]
    assert off.codes == [], "the rules alone miss the paraphrase"
    on = _tag([PARAPHRASE], eager)[0]
    assert on.codes == [PARAPHRASE_CODE]
    ev = on.evidence[0]
    assert ev.origin == "model" and not ev.negated
    # the evidence span is the passage's best sentence, its status read there ("har bildat")
    assert PARAPHRASE[ev.start:ev.end] == ev.match and ev.match.startswith("Hälsocentralen")
    assert ev.start == PARAPHRASE.index("Hälsocentralen") and ev.match.endswith("ansvar för.")
    assert eager.threshold_for(ev.code) <= ev.confidence <= 1.0
    assert on.to_json()["status"][PARAPHRASE_CODE] == "genomförd"


def test_a_passage_without_any_measure_gets_nothing(eager):
    res = _tag([NOTHING, ""], eager)
    assert res[0].codes == [] and res[0].evidence == []
    assert res[1].codes == []


def test_the_proposer_adds_nothing_when_its_best_sentence_is_negated(eager):
    text = ("Hälsocentralen och äldreomsorgen i kommunen har inte bildat någon gemensam grupp som ses varje "
            "månad för att lösa praktiska frågor kring de patienter som båda har ansvar för.")
    res = _tag([text], eager)[0]
    assert PARAPHRASE_CODE not in res.codes, "the best sentence negates the measure"


def test_default_proposer_follows_the_artifact_and_the_setting(bundled):
    from errors import ConfigError
    from models.tagging import default_proposer

    assert default_proposer("off") is None
    assert default_proposer("on") is bundled
    from nlp.proposer import SHIPPED_ON

    assert (default_proposer("") is not None) == SHIPPED_ON
    with pytest.raises(ConfigError, match="SVARSANALYS_PROPOSER"):
        default_proposer("kanske")


def test_cross_validation_tool_runs_on_a_small_set():
    sys.path.insert(0, str(ROOT / "tools"))
    import train_proposer
    from nlp.disposer_training import training_passages

    passages = training_passages()[::40]
    lines: list[str] = []
    figures = train_proposer.cross_validate(passages, Cs=(4.0,), thresholds=(0.5, 0.9), k=3, out=lines.append)
    base = ("base", train_proposer.DISPOSER_THRESHOLD)
    low, high = (train_proposer.DISPOSER_THRESHOLD, 4.0, 0.5), (train_proposer.DISPOSER_THRESHOLD, 4.0, 0.9)
    assert set(figures) == {base, low, high}
    for P, R, F in figures.values():
        assert 0.0 <= P <= 1.0 and 0.0 <= R <= 1.0 and 0.0 <= F <= 1.0
    # adding codes never lowers recall; a higher threshold never adds more
    assert figures[low][1] >= figures[base][1] - 1e-9
    assert figures[high][1] <= figures[low][1] + 1e-9
    assert any(line.startswith("best F1 with P >= 0.90 with the proposer") for line in lines)
    assert lines[0].startswith(f"{len(passages)} passages")


def test_the_proposer_never_adds_a_code_the_rules_found(eager):
    from nlp.tagger import TagResult, Tagger

    t = Tagger(proposer=eager)
    t.tag_texts([PARAPHRASE, PARAPHRASE])
    fresh = [TagResult(id=str(k), text=PARAPHRASE, _analysed=a) for k, a in enumerate(t.analysed)]
    t.propose(fresh, [{PARAPHRASE_CODE}, set()])
    assert fresh[0].codes == [] and fresh[1].codes == [PARAPHRASE_CODE]


def _with_keyword(doc: dict, code_id: str, keyword: str) -> dict:
    import copy

    out = copy.deepcopy(doc)
    for cat in out["categories"]:
        for code in cat["codes"]:
            if code["id"] == code_id:
                code["keywords"] = list(code["keywords"]) + [keyword]
    return out


def test_retag_after_a_codebook_edit_equals_tagging_from_scratch_with_the_proposer(eager):
    """A keyword that lets the rules find the paraphrase's code replaces the proposer's evidence by the
    rule's; removing it again brings the proposer's back: retag equals a fresh Tagger each time."""
    from models.tagging import default_disposer
    from nlp.codebook import Codebook, default_codebook
    from nlp.tagger import Tagger

    texts = [PARAPHRASE, "Regionen har infört mobila team i hela länet."]
    base = default_codebook()
    edited = Codebook.from_doc(_with_keyword(base.to_doc(), PARAPHRASE_CODE, "gemensam grupp"))

    def fresh(cb):
        return [r.to_json() for r in Tagger(cb, disposer=default_disposer(), proposer=eager).tag_texts(texts)]

    t = Tagger(base, disposer=default_disposer(), proposer=eager)
    first = [r.to_json() for r in t.tag_texts(texts)]
    assert first == fresh(base)
    origins = {e.code: e.origin for e in t.results[0].evidence}
    assert origins == {PARAPHRASE_CODE: "model"}
    after = [r.to_json() for r in t.retag(edited)]
    assert after == fresh(edited)
    assert {e.origin for e in t.results[0].evidence if e.code == PARAPHRASE_CODE} == {"rule"}
    back = [r.to_json() for r in t.retag(base)]
    assert back == first
