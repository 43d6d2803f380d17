"""Batch-level shortcuts of rule matching give exactly what the plain per-segment computation gives.

- ``nlp.tagger._complete_rules`` finds, for a whole batch with numpy, the co-occurrence rules whose
  every list has a candidate word in a segment; it must equal the per-segment count over the words'
  signals.
- ``Tagger._segment_evidence`` passes over concept words of rules that cannot complete in the segment
  (``cc_ok``); tagging must equal tagging without that filter.
- ``nlp.tagger._cooccurrence_plan`` also tells, per candidate token, whether any rule of its signals is
  complete in its segment; ``Tagger._visit_segments`` does not match the tokens without one that anchor
  no hit. The mask must equal the per-token definition, and tagging must equal tagging without it.
- ``TermIndex.match`` skips a form's plain multi-word terms at once when the union of their second
  words misses the next word (``TermIndex._plan``); its hits must equal the term-by-term loop.
"""
from __future__ import annotations

import json
import random

import numpy as np
import pytest

from bench.corpus import generate
from nlp.codebook import default_codebook
import nlp.tagger as tagger_mod
from nlp.tagger import CompiledCodebook, Tagger, _complete_rules, _cooccurrence_plan
from nlp import termmatch

TEXTS = [
    "Vi har infört SIP och planerar att starta mobila team.",
    "Samverkan kring utskrivning från slutenvården sker med kommunen, och läkemedelsgenomgångar görs.",
    "Följande har införts i alla kommuner:\n- mobila team\n- SIP\n- fast vårdkontakt",
    "Digitala vårdbesök och egenmonitorering i hemmet har startats, samverkan vid utskrivning pågår.",
]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    corpus = generate(0.02)
    return TEXTS + [a.text for a in corpus.answers[:200]]


def _complete_by_segment(cand, k, inv, SIG, ncc) -> dict:
    """The plain definition: per segment, the (code, rule) keys with every list present."""
    got: dict[int, dict[tuple, set]] = {}
    for t, sg in zip(cand.tolist(), k.tolist()):
        for c_, r_, j_ in SIG[int(inv[t])][1]:
            got.setdefault(sg, {}).setdefault((c_, r_), set()).add(j_)
    out = {}
    for sg, rules in got.items():
        full = frozenset(key for key, js in rules.items() if len(js) == ncc[key[0]][key[1]])
        if full:
            out[sg] = full
    return out


def _random_case(rng: random.Random):
    """A random batch: candidate tokens, their segments, form ids, signals per form and rule sizes per code."""
    codes = [f"c{i}" for i in range(rng.randint(1, 6))]
    ncc = {c: [rng.randint(2, 3) for _ in range(rng.randint(1, 3))] for c in codes}
    triples = [(c, r, j) for c in codes for r, need in enumerate(ncc[c]) for j in range(need)]
    n_forms = rng.randint(1, 40)
    SIG = {u: (rng.random() < 0.5, frozenset(rng.sample(triples, rng.randint(0, min(4, len(triples))))))
           for u in range(n_forms)}
    n_tok = rng.randint(0, 300)
    inv = np.asarray([rng.randrange(n_forms) for _ in range(n_tok)], dtype=np.int64)
    cand = np.asarray(sorted(rng.sample(range(n_tok), rng.randint(0, n_tok))), dtype=np.int64)
    k = np.sort(np.asarray([rng.randrange(max(1, n_tok // 5)) for _ in range(cand.size)], dtype=np.int64))
    return cand, k, inv, SIG, ncc


@pytest.mark.parametrize("seed", range(25))
def test_complete_rules_equal_the_per_segment_count(seed):
    rng = random.Random(seed)
    cand, k, inv, SIG, ncc = _random_case(rng)
    assert _complete_rules(cand, k, inv, SIG, ncc) == _complete_by_segment(cand, k, inv, SIG, ncc)


def _useful_by_token(cand, k, inv, SIG, complete) -> list[bool]:
    """The plain definition: a token is useful when it has no signal or one of its rules is complete."""
    out = []
    for t, sg in zip(cand.tolist(), k.tolist()):
        lists = SIG[int(inv[t])][1]
        ok = complete.get(sg, frozenset())
        out.append(not lists or any((c_, r_) in ok for c_, r_, _ in lists))
    return out


@pytest.mark.parametrize("seed", range(40))
def test_useful_tokens_equal_the_per_token_definition(seed):
    rng = random.Random(1000 + seed)
    cand, k, inv, SIG, ncc = _random_case(rng)
    complete, useful = _cooccurrence_plan(cand, k, inv, SIG, ncc)
    assert complete == _complete_by_segment(cand, k, inv, SIG, ncc)
    plain = _useful_by_token(cand, k, inv, SIG, complete)
    if useful is None:
        assert all(plain)
    else:
        assert useful.tolist() == plain


def test_tagging_equals_tagging_without_the_useful_token_mask(texts, monkeypatch):
    fast = [json.dumps(r.to_json(), ensure_ascii=False) for r in Tagger(default_codebook()).tag_texts(texts)]
    seen = {"dropped": 0}
    orig = tagger_mod._cooccurrence_plan

    def every_token(*args):
        complete, useful = orig(*args)
        if useful is not None:
            seen["dropped"] += int((~useful).sum())
        return complete, None

    monkeypatch.setattr(tagger_mod, "_cooccurrence_plan", every_token)
    plain = [json.dumps(r.to_json(), ensure_ascii=False) for r in Tagger(default_codebook()).tag_texts(texts)]
    assert seen["dropped"] > 0  # the mask dropped tokens (not every one is an anchor)
    assert plain == fast


def test_tagging_equals_tagging_without_the_cooccurrence_filter(texts, monkeypatch):
    results = Tagger(default_codebook()).tag_texts(texts)
    fast = [json.dumps(r.to_json(), ensure_ascii=False) for r in results]
    rules = [e.rule for r in results for e in r.evidence]
    seen = {"filtered": 0}
    orig = Tagger._segment_evidence

    def unfiltered(self, *args, cc_ok=None, **kw):
        if cc_ok is not None:
            seen["filtered"] += 1
        return orig(self, *args, **kw)

    monkeypatch.setattr(Tagger, "_segment_evidence", unfiltered)
    plain = [json.dumps(r.to_json(), ensure_ascii=False) for r in Tagger(default_codebook()).tag_texts(texts)]
    assert seen["filtered"] > 0
    assert plain == fast
    assert any(rule.startswith("cooccurrence") for rule in rules)  # the filter kept completing rules


def test_match_plans_equal_the_term_by_term_loop(texts, monkeypatch):
    from nlp.pipeline import analyse, get_nlp
    from nlp.tagger import AnalysedText

    comp = CompiledCodebook(default_codebook())
    strings = get_nlp().vocab.strings
    feats_of_texts = []
    for doc in analyse(texts):
        a = AnalysedText.from_doc(doc)
        feats = comp.code_features(a.orth.tolist(), a.lemma.tolist(), strings)
        feats_of_texts.append((feats, a.is_word))
    ix = comp.index
    with_plans = [ix.match(f, w) for f, w in feats_of_texts]
    assert any(p is not None for p in ix._plans.values())  # some forms start plain multi-word terms
    monkeypatch.setattr(termmatch.TermIndex, "_plan", lambda self, first: None)
    ix._plans = {}
    without = [ix.match(f, w) for f, w in feats_of_texts]
    assert with_plans == without
    assert sum(map(len, without)) > 100
