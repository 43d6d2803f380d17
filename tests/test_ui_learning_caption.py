"""Granska's learning caption in Swedish grammar (qa25: 'Förslagen lär sig av 0 beslut. 1 nya beslut väntar')."""
from __future__ import annotations

import pytest

import config
from ui import learning as ui_learning


class _Store:
    def __init__(self, decided: int):
        self.decided = decided

    def decision_count(self) -> int:
        return self.decided


@pytest.mark.parametrize("decided, learn_every, expected", [
    (1, 20, "Förslagen lär sig av 0 beslut. 1 nytt beslut väntar; nästa inlärning efter 19 till."),
    (2, 20, "Förslagen lär sig av 0 beslut. 2 nya beslut väntar; nästa inlärning efter 18 till."),
    (1, 1, "Förslagen lär sig av 0 beslut. 1 nytt beslut lärs in nu."),
])
def test_one_new_decision_is_singular(monkeypatch, decided, learn_every, expected):
    monkeypatch.setattr(config, "LEARN_EVERY", learn_every)
    monkeypatch.setattr(ui_learning, "learned_from", lambda store: 0)
    assert ui_learning.caption(_Store(decided)) == expected
