"""The recall kinds and traps of the weak codes that each tagging round fixed in the codebook (issue 13), on sentences
written for these tests (tests/weak_kinds/roundNN.py; no sentence of an evaluation set or of the training passages)."""
from __future__ import annotations

from importlib import import_module

import pytest

from tests.helpers.tagging import codes, tagger  # noqa: F401 (tagger is a fixture)

ROUNDS = ("round33", "round35", "round37", "round39", "round40", "round41")
_MODULES = {name: import_module(f"tests.weak_kinds.{name}") for name in ROUNDS}


def _cases(kind: str) -> list:
    return [pytest.param(text, code, id=f"{name}-{i}")
            for name, module in _MODULES.items() for i, (text, code) in enumerate(getattr(module, kind, []))]


@pytest.mark.parametrize("text,code", _cases("POSITIVES"))
def test_the_kinds_propose_the_code(tagger, text, code):
    assert code in codes(tagger, text)


@pytest.mark.parametrize("text,code", _cases("NEGATIVES"))
def test_the_traps_do_not(tagger, text, code):
    assert code not in codes(tagger, text)
