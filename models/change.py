"""Change of a measure between two rounds, per respondent and code (pure; no SQL, no Streamlit).

Per round a respondent's state of a code is: present (at least one counted coding of the
code in that round's answers), and its status and scope. When a respondent has several
codings of one code in a round, the state takes the most advanced status and the most
advanced scope found among them (each on its own; 'okänd' only when none is known), so
"one unit still plans, another has done it" reads as done.

Change from round A to round B:
- `new`: present only in B; `no_longer_mentioned`: present only in A;
- `advanced`: present in both, status or scope moved forward and neither moved back;
- `regressed`: present in both and status or scope moved back;
- `unchanged`: present in both with no move either way (same values, or a value 'okänd').
Orders: status planerad < pågående < genomförd; scope projekt/pilot < breddinförd
('projekt' and 'pilot' alone count as projekt/pilot). 'okänd' has no position: no move.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from models.views import sv_key

UNKNOWN = "okänd"
STATUS_ORDER: dict[str, int] = {"planerad": 0, "pågående": 1, "genomförd": 2}
SCOPE_ORDER: dict[str, int] = {"projekt/pilot": 0, "projekt": 0, "pilot": 0, "breddinförd": 1}
CHANGES: tuple[str, ...] = ("new", "advanced", "unchanged", "regressed", "no_longer_mentioned")
CHANGE_LABELS_SV: dict[str, str] = {
    "new": "ny",
    "advanced": "har gått framåt",
    "unchanged": "oförändrad",
    "regressed": "har gått bakåt",
    "no_longer_mentioned": "nämns inte längre",
}


@dataclass(frozen=True)
class RoundState:
    """A respondent's state of one code in one round."""

    present: bool
    status: Optional[str] = None
    scope: Optional[str] = None

    def as_dict(self) -> dict:
        return {"present": self.present, "status": self.status, "scope": self.scope}


ABSENT = RoundState(False, None, None)


def most_advanced(values: Iterable[Optional[str]], order: dict[str, int]) -> str:
    """The furthest value along `order` ('okänd' when no value has a position)."""
    best, rank = UNKNOWN, -1
    for v in values:
        r = order.get(v or "", -1)
        if r > rank:
            best, rank = str(v), r
    return best


def state_of(codings: Iterable[tuple[Optional[str], Optional[str]]]) -> RoundState:
    """The state from a respondent's counted (status, scope) codings of one code in one round."""
    items = list(codings)
    if not items:
        return ABSENT
    return RoundState(True, most_advanced((s for s, _ in items), STATUS_ORDER),
                      most_advanced((c for _, c in items), SCOPE_ORDER))


def _move(a: Optional[str], b: Optional[str], order: dict[str, int]) -> int:
    """+1 forward, -1 back, 0 no move (equal, or either without a position)."""
    ra, rb = order.get(a or ""), order.get(b or "")
    if ra is None or rb is None or ra == rb:
        return 0
    return 1 if rb > ra else -1


def classify(before: RoundState, after: RoundState) -> Optional[str]:
    """The change from `before` to `after` (one of CHANGES), or None when absent in both."""
    if not before.present and not after.present:
        return None
    if not before.present:
        return "new"
    if not after.present:
        return "no_longer_mentioned"
    moves = (_move(before.status, after.status, STATUS_ORDER), _move(before.scope, after.scope, SCOPE_ORDER))
    if -1 in moves:
        return "regressed"
    if 1 in moves:
        return "advanced"
    return "unchanged"


@dataclass(frozen=True)
class ChangeRow:
    """One (respondent, code) pair present in either round, with its change."""

    respondent_id: int
    respondent: str
    respondent_type: Optional[str]
    lan: Optional[str]
    code: str
    before: RoundState
    after: RoundState
    change: str

    def record(self) -> dict:
        """The `cli.py compare` JSON object."""
        return {"respondent": self.respondent, "respondent_type": self.respondent_type, "lan": self.lan,
                "code": self.code, "from": self.before.as_dict(), "to": self.after.as_dict(),
                "change": self.change}


def compare(codings_before: Iterable[tuple], codings_after: Iterable[tuple],
            respondents: dict[int, tuple[str, Optional[str], Optional[str]]]) -> list[ChangeRow]:
    """Change rows from two rounds' counted codings.

    `codings_*` are (respondent_id, code_id, status, scope) tuples of one round each;
    `respondents` maps respondent_id -> (name, type, län). Rows are ordered by respondent
    name (Swedish order), then code id.
    """
    def group(rows: Iterable[tuple]) -> dict[tuple[int, str], list[tuple]]:
        out: dict[tuple[int, str], list[tuple]] = {}
        for rid, code, status, scope in rows:
            out.setdefault((int(rid), str(code)), []).append((status, scope))
        return out

    a, b = group(codings_before), group(codings_after)
    rows = []
    for key in set(a) | set(b):
        rid, code = key
        before, after = state_of(a.get(key, ())), state_of(b.get(key, ()))
        name, rtype, lan = respondents.get(rid, (str(rid), None, None))
        rows.append(ChangeRow(rid, name, rtype, lan, code, before, after, classify(before, after) or "unchanged"))
    rows.sort(key=lambda r: (sv_key(r.respondent), r.respondent_type or "", r.code))
    return rows
