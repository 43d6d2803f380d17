"""The disposer and the proposer run with Python's cyclic garbage collector paused (perf42).

``Disposer.dispose`` pauses the collector around what it did before (now ``Disposer._dispose``), and
``dispose_and_propose`` around the disposer and the proposer, as ``nlp.pipeline.gc_paused`` does for the rules.
Checked on generated passages (sentences written for the test, combined at random): the new path gives the same
results as the old one run with the collector on, the collector is off while they run and on again afterwards
(also after an error), and a collector that was off stays off.
"""
from __future__ import annotations

import gc

import pytest

from tests.helpers.passages import combined


def _passages(seed: int, n: int = 24) -> list[str]:
    return combined(seed, n, 5)


@pytest.fixture(scope="module")
def setup():
    from models.tagging import default_disposer, default_proposer
    from nlp.codebook import default_codebook
    from nlp.tagger import Tagger

    cb = default_codebook()
    disposer = default_disposer(cb)
    if disposer is None:
        pytest.skip("no shipped disposer")
    return Tagger(cb), disposer, default_proposer()


def _raw(tagger, seed):
    from nlp.tagger import _copy_result

    texts = _passages(seed)
    results = tagger.tag_texts(texts, ids=[f"p{k}" for k in range(len(texts))])
    return [_copy_result(r) for r in results], [_copy_result(r) for r in results]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_dispose_gives_the_old_results_with_the_collector_paused(setup, seed, monkeypatch):
    tagger, disposer, _ = setup
    new, old = _raw(tagger, seed)
    assert gc.isenabled()
    disposer._dispose(old, None)  # the old path: the collector on throughout
    seen = []
    real = type(disposer).features

    def spy(self, *a, **k):
        seen.append(gc.isenabled())
        return real(self, *a, **k)

    monkeypatch.setattr(type(disposer), "features", spy)
    disposer.dispose(new, None)
    assert seen == [False]
    assert gc.isenabled()
    assert [r.to_json() for r in new] == [r.to_json() for r in old]


def test_the_collector_is_switched_back_on_after_an_error_and_left_off_when_it_was(setup, monkeypatch):
    tagger, disposer, _ = setup
    new, _ = _raw(tagger, 3)

    def boom(self, *a, **k):
        raise RuntimeError("x")

    with monkeypatch.context() as m:
        m.setattr(type(disposer), "features", boom)
        with pytest.raises(RuntimeError):
            disposer.dispose(new, None)
    assert gc.isenabled()
    gc.disable()
    try:
        disposer.dispose(new, None)
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("seed", [4, 5])
def test_dispose_and_propose_give_the_old_results_with_the_collector_paused(setup, seed, monkeypatch):
    from nlp.tagger import Tagger, dispose_and_propose, rule_codes

    tagger, disposer, proposer = setup
    if proposer is None:
        pytest.skip("no shipped proposer")
    new, old = _raw(tagger, seed)
    # the old sequence, the collector on
    ruled = rule_codes(old)
    disposer._dispose(old, None)
    tagger.proposer = proposer
    try:
        tagger.propose(old, ruled, None)
    finally:
        tagger.proposer = None
    seen = []
    real = Tagger.propose

    def spy(self, *a, **k):
        seen.append(gc.isenabled())
        return real(self, *a, **k)

    monkeypatch.setattr(Tagger, "propose", spy)
    dispose_and_propose(tagger, new, disposer, proposer, [None] * len(new))
    assert seen == [False]
    assert gc.isenabled()
    assert [r.to_json() for r in new] == [r.to_json() for r in old]
