"""The Granska page's link to learning from the analyst: start background retraining after a
decision and say how many decisions the project's suggestions have learned from."""
from __future__ import annotations

import logging

import config
from models.learning import after_decision, learned_from


def note_decision(store) -> None:
    """After a decision: retrain the project's disposer in the background every config.LEARN_EVERY
    decisions (the page never waits; a failure leaves the last model in place)."""
    try:
        after_decision(store)
    except Exception:  # learning must never stop a decision from being saved
        logging.getLogger(__name__).exception("kunde inte starta inlärningen")


def caption(store) -> str:
    """'Förslagen lär sig av N beslut.' for the top of the Granska page, with when the next retraining comes."""
    learned, decided = learned_from(store), store.decision_count()
    text = f"Förslagen lär sig av {learned} beslut."
    waiting = decided - learned
    if waiting > 0:
        left = max(0, config.LEARN_EVERY - waiting)
        new = "nytt beslut" if waiting == 1 else "nya beslut"
        text += (f" {waiting} {new} väntar; nästa inlärning efter {left} till." if left
                 else f" {waiting} {new} lärs in nu.")
    return text
