"""The FormInfo memo of nlp.termmatch: bounded, drops its oldest forms when full (not all of them), and
gives the FormInfo a fresh build would give (random calls against the definition)."""
from __future__ import annotations

import random

import pytest

import nlp.termmatch as tm

FIELDS = ("lemma", "low", "lem", "pre3", "pre6", "abbr", "abbr_low", "alpha", "is_long", "abbr_case", "st_all",
          "st", "end6", "end3", "st0", "end60", "end30", "hyphen")


def _value(fi) -> tuple:
    return tuple(getattr(fi, f) for f in FIELDS)


@pytest.fixture
def small_memo(monkeypatch):
    saved = dict(tm._FORM_INFO)
    tm._FORM_INFO.clear()
    monkeypatch.setattr(tm, "FORM_INFO_MAX", 64)
    monkeypatch.setattr(tm, "FORM_INFO_DROP", 8)
    yield
    tm._FORM_INFO.clear()
    tm._FORM_INFO.update(saved)


def test_random_calls_give_what_a_fresh_build_gives_and_the_memo_stays_bounded(small_memo):
    rng = random.Random(17)
    words = ["hemsjukvårdsteamet", "vård", "Vård", "SIP", "npö", "e-hälsa", "team-arbete", "2022", "Region",
             "kvällsteam", "patientkontrakten", "för", "x", "mobila", "Mobilt"]
    words += [f"ord{i}sam" for i in range(200)]
    lemmas = [None, "vård", "team", "ord", "mobil", "kontrakt"]
    for _ in range(5000):
        orth = rng.choice(words)
        lemma = rng.choice(lemmas) if rng.random() < 0.3 else orth.lower()
        got = tm.form_info(orth, lemma)
        assert _value(got) == _value(tm.FormInfo(orth, lemma))
        assert len(tm._FORM_INFO) <= 64


def test_a_full_memo_drops_its_oldest_forms_and_keeps_the_recent_ones(small_memo):
    first = {f"form{i}": tm.form_info(f"form{i}", f"form{i}") for i in range(64)}
    assert len(tm._FORM_INFO) == 64
    tm.form_info("one_more", "one_more")
    # the 64 // 8 = 8 forms stored first are gone, the other 56 are the same objects (not built again)
    assert len(tm._FORM_INFO) == 64 - 8 + 1
    for i in range(8):
        assert f"form{i}" not in tm._FORM_INFO
    for i in range(8, 64):
        assert tm.form_info(f"form{i}", f"form{i}") is first[f"form{i}"]


def test_a_form_read_with_another_lemma_is_built_again_in_place(small_memo):
    a = tm.form_info("vården", "vård")
    b = tm.form_info("vården", "vårda")
    assert b is not a and b.lemma == "vårda" and tm.form_info("vården", "vårda") is b
    assert len(tm._FORM_INFO) == 1
