"""Status and scope of a code in a passage: one value per code from the values of its evidence."""
from __future__ import annotations

from typing import Iterable

from nlp import markers as mk

__all__ = ["passage_values"]


def passage_values(evidence: Iterable) -> tuple[dict, dict]:
    """({code: status}, {code: scope}) over the present (not negated) evidence, in order of first
    evidence: per code the first known value of its evidence, else okänd."""
    status: dict = {}
    scope: dict = {}
    for e in evidence:
        if e.negated:
            continue
        if status.get(e.code, mk.UNKNOWN) == mk.UNKNOWN:
            status[e.code] = e.status
        if scope.get(e.code, mk.UNKNOWN) == mk.UNKNOWN:
            scope[e.code] = e.scope
    return status, scope
