"""The evidence type: one code found in a text, with the words that triggered it."""
from __future__ import annotations

from dataclasses import dataclass

from nlp import markers as mk

__all__ = ["Evidence", "IMPLIED_PREFIX", "implied_rule"]

# the rule of the evidence of a code the codebook implies ("följer av familjecentral")
IMPLIED_PREFIX = "följer av "


def implied_rule(source_code: str) -> str:
    """The rule of an implied code's evidence: it follows from ``source_code``."""
    return IMPLIED_PREFIX + source_code


@dataclass(slots=True, init=False)
class Evidence:
    """One code found in an excerpt, with the words that triggered it (slots: a national round's re-tag
    state holds ~150,000 of them). A dataclass whose constructor (the one the dataclass would make: the
    fields in this order, the same defaults) is written out, so that the compiled build compiles it."""

    code: str
    start: int
    end: int
    match: str
    negated: bool = False
    status: str = mk.UNKNOWN
    scope: str = mk.UNKNOWN
    confidence: float = 0.9
    origin: str = "rule"
    rule: str = ""
    excerpt_start: int = 0
    excerpt_end: int = 0

    def __init__(self, code: str, start: int, end: int, match: str, negated: bool = False, status: str = mk.UNKNOWN,
                 scope: str = mk.UNKNOWN, confidence: float = 0.9, origin: str = "rule", rule: str = "",
                 excerpt_start: int = 0, excerpt_end: int = 0):
        self.code = code
        self.start = start
        self.end = end
        self.match = match
        self.negated = negated
        self.status = status
        self.scope = scope
        self.confidence = confidence
        self.origin = origin
        self.rule = rule
        self.excerpt_start = excerpt_start
        self.excerpt_end = excerpt_end

    def to_json(self) -> dict:
        """The CLI's evidence object."""
        return {"code": self.code, "start": self.start, "end": self.end, "match": self.match,
                "negated": self.negated, "status": self.status, "scope": self.scope,
                "confidence": round(float(self.confidence), 3)}
