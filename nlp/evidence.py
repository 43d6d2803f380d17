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


@dataclass(slots=True)
class Evidence:
    """One code found in an excerpt, with the words that triggered it (slots: a national round's re-tag
    state holds ~150,000 of them)."""

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

    def to_json(self) -> dict:
        """The CLI's evidence object."""
        return {"code": self.code, "start": self.start, "end": self.end, "match": self.match,
                "negated": self.negated, "status": self.status, "scope": self.scope,
                "confidence": round(float(self.confidence), 3)}
