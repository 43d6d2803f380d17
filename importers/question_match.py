"""Question recognition for column headers: numbering variants and wording without a number.

`qid_of("Fråga 5a: ...")`, `"5 a)"`, `"5A"`, `"F5a"`, `"Q5a"`, `"5a."` → ("5a", rest). A header
with no number is compared with the wording of every question in data/forms/ (difflib ratio
on folded text, also against the start of the wording so truncated headers "…" match). A
match below `THRESHOLD` is no match; two different questions within `AMBIGUITY_MARGIN` of
each other make the match ambiguous, which the caller reports as a warning.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from importers.forms_compat import fold, questions_by_id
from importers.headings import order_key

THRESHOLD = 0.86
AMBIGUITY_MARGIN = 0.03
MIN_CHARS = 20
MAX_CHARS = 600  # longer than any question's wording: answer text, not a header

_QHEAD = re.compile(
    r"^\s*(?:(?:fr[aå]ga|question)\s*(?:nr\.?\s*)?|[fq](?=\s?\d))?\s*(\d{1,2})(?!\d)\s?([a-hA-H])?"
    r"(?![A-Za-zÅÄÖåäö0-9])\s*[.):\-–]?\s*(.*)$", re.S | re.I)


_DECIMAL = re.compile(r"^\s*\d+[.,]\d")  # "1.5", "3,5": a number, not question 1 or 3


def qid_of(text: str) -> Optional[tuple[str, str]]:
    """(question id, rest of the text) when `text` starts with a question number in any usual variant."""
    m = _QHEAD.match(text or "")
    if not m or _DECIMAL.match(text):
        return None
    num = int(m.group(1))
    if num == 0 or num > 60:
        return None
    return f"{num}{(m.group(2) or '').lower()}", m.group(3) or ""


@dataclass(frozen=True)
class WordingMatch:
    """The question a wording matched, its score, and the runner-up ids when ambiguous."""

    qid: str
    score: float
    ambiguous_with: tuple[str, ...] = ()


def _key(text: str) -> str:
    return fold(text.replace("…", " ").replace("...", " "))


@lru_cache(maxsize=1)
def _wordings() -> tuple[tuple[str, str, frozenset, difflib.SequenceMatcher], ...]:
    """(qid, folded wording, its words, a matcher with the wording as its cached second sequence)."""
    return tuple((qid, w, frozenset(w.split()), difflib.SequenceMatcher(None, "", w, autojunk=False))
                 for qid, qs in questions_by_id().items() for q in qs if q.text for w in [_key(q.text)])


def _score(header: str, words: frozenset, wording: str, wording_words: frozenset,
           matcher: difflib.SequenceMatcher) -> float:
    if len(words & wording_words) < 0.6 * len(words):  # most words of a wording header are the wording's
        return 0.0
    whole = 0.0
    if len(header) <= len(wording) * 1.3 + 10:  # much longer text is never this question's wording
        matcher.set_seq1(header)
        if matcher.real_quick_ratio() >= THRESHOLD and matcher.quick_ratio() >= THRESHOLD:
            whole = matcher.ratio()
    if len(header) < len(wording):  # a truncated header: compare with the wording's start
        m = difflib.SequenceMatcher(None, header, wording[:len(header)], autojunk=False)
        if m.quick_ratio() >= THRESHOLD * 0.97:
            start = m.ratio()
            whole = max(whole, start if len(header) >= 40 else start * 0.97)
    return whole


@lru_cache(maxsize=2048)
def match_wording(text: str) -> Optional[WordingMatch]:
    """The form question whose wording `text` is (fuzzy), or None below the threshold."""
    header = _key(text)
    if len(header) < MIN_CHARS or len(header) > MAX_CHARS:
        return None
    best: dict[str, float] = {}
    words = frozenset(header.split())
    for qid, wording, wording_words, matcher in _wordings():
        s = _score(header, words, wording, wording_words, matcher)
        if s > best.get(qid, 0.0):
            best[qid] = s
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], order_key(kv[0])))
    if not ranked or ranked[0][1] < THRESHOLD:
        return None
    top_id, top = ranked[0]
    rivals = tuple(q for q, s in ranked[1:] if s >= THRESHOLD and top - s <= AMBIGUITY_MARGIN)
    return WordingMatch(top_id, round(top, 3), rivals)


_UNCERTAIN = re.compile(r"^(?:.*?: )?kolumn '(?P<col>.*)' tolkad som fråga (?P<qid>\w+) .*?OSÄKER: kan också vara fråga "
                        r"(?P<others>[\w ,]+?) —")


def parse_uncertain(warning: str) -> Optional[tuple[str, str, list[str]]]:
    """(column, question chosen, other candidates) of an import warning about an ambiguous question text."""
    m = _UNCERTAIN.match(warning or "")
    if not m:
        return None
    return m.group("col"), m.group("qid"), [q.strip() for q in m.group("others").split(",") if q.strip()]
