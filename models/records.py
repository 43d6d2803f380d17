"""Typed records of the domain: what importers produce and what the store returns.

These are plain dataclasses with no behaviour beyond validation, so that `nlp/`,
`importers/`, `export/` and the UI can share them without importing the store. `Respondent`
and `Question` are the reference records of `reference.records`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Optional

from reference.records import Question, Respondent

__all__ = ["Answer", "Coding", "CodingSuggestion", "DECISION_LABELS_SV", "Decision", "Origin", "ParsedFile", "Project",
           "Question", "RawAnswer", "Respondent", "RespondentType", "SourceFile"]

RespondentType = Literal["region", "kommun", "rss"]
Decision = Literal["suggested", "accepted", "rejected", "manual"]
Origin = Literal["rule", "model", "manual", "cluster", "import"]

DECISION_LABELS_SV: dict[str, str] = {
    "suggested": "förslag",
    "accepted": "godkänd",
    "rejected": "avvisad",
    "manual": "manuell",
}


@dataclass(frozen=True)
class Project:
    """A project: one SQLite file holding answers, codebook and analyst work."""

    path: str
    name: str
    schema_version: int
    created_at: str


@dataclass(frozen=True)
class SourceFile:
    """An imported file, identified by its content hash."""

    id: int
    name: str
    format: str
    sha256: str
    size: int
    imported_at: str


@dataclass(frozen=True)
class RawAnswer:
    """One answer as an importer read it, before the respondent is resolved.

    `respondent` is the name as written in the file (or derived from the file
    name); `respondent_type` and `lan` are hints when the file states them.
    `question` is normalised: lower-case, no punctuation ('5a').
    """

    respondent: str
    question: str
    text: str
    choice: Optional[str] = None
    position: int = 0
    respondent_type: Optional[str] = None
    lan: Optional[str] = None
    ocr_confidence: Optional[float] = None  # 0-100 when the text was read by OCR from a scanned page
    round_label: Optional[str] = None  # the round the file itself states for this answer (a REFI-QDA source's
    # "omgång"); None: the round of the import


@dataclass
class ParsedFile:
    """What a reader returns for one file."""

    name: str
    format: str
    sha256: str
    size: int
    answers: list[RawAnswer] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # the kommuner an RSS answer speaks for, as the file lists them ("Svaret avser: Arboga, Köping och
    # Västerås stad"): respondent as written -> kommun names (registry names, in the order written)
    speaks_for: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    """A stored answer with its respondent, question and source."""

    id: int
    respondent: Respondent
    question: str
    text: str
    choice: Optional[str]
    source_file: str
    position: int


@dataclass(frozen=True)
class CodingSuggestion:
    """A code proposed for a span of an answer (by rules, a model or a cluster).

    Offsets are character offsets into the answer text: [start, end) is the
    excerpt (sentence or list item), [evidence_start, evidence_end) the words
    that triggered the code.
    """

    answer_id: int
    code_id: str
    start: int
    end: int
    evidence_start: int
    evidence_end: int
    negated: bool = False
    status: str = "okänd"
    scope: str = "okänd"
    confidence: float = 1.0
    origin: str = "rule"


@dataclass(frozen=True)
class Coding:
    """A stored coding: a suggestion or an analyst's decision on an excerpt."""

    id: int
    answer_id: int
    code_id: str
    start: int
    end: int
    evidence_start: int
    evidence_end: int
    negated: bool
    status: str
    scope: str
    confidence: float
    origin: str
    decision: str
    analyst: Optional[str]
    decided_at: Optional[str]
    memo: Optional[str]
    text: str = ""
