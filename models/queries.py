"""Small read queries over a project that views and exports need, one function per answer."""
from __future__ import annotations

from typing import Iterable, Optional

from models.store import ProjectStore


def has_codings(store: ProjectStore, decisions: Optional[Iterable[str]] = None) -> bool:
    """Whether the project holds a coding with one of `decisions` (any decision when None)."""
    where, params = "", []
    if decisions is not None:
        decisions = list(decisions)
        where = f" WHERE decision IN ({','.join('?' * len(decisions))})"
        params = decisions
    with store.read() as con:
        return con.execute(f"SELECT 1 FROM codings{where} LIMIT 1", params).fetchone() is not None


def lowest_confidence_suggestions(store: ProjectStore, *, code_id: Optional[str], include_negated: bool,
                                  size: int, round_label: Optional[str] = None) -> tuple[int, list[tuple[int, int]]]:
    """(number of matching suggestions, up to `size` (coding id, answer id) pairs by confidence then id)."""
    where, params = ["decision = 'suggested'"], []
    if code_id:
        where.append("code_id = ?")
        params.append(code_id)
    if round_label is not None:
        where.append("answer_id IN (SELECT id FROM answers WHERE round_label = ?)")
        params.append(round_label)
    if not include_negated:
        where.append("negated = 0")
    sql_where = " AND ".join(where)
    with store.read() as con:  # straight from the index, not the whole table
        total = con.execute(f"SELECT COUNT(*) FROM codings WHERE {sql_where}", params).fetchone()[0]
        rows = con.execute(f"SELECT id, answer_id FROM codings WHERE {sql_where} ORDER BY confidence, id LIMIT ?",
                           [*params, size]).fetchall()
    return int(total), [(int(r[0]), int(r[1])) for r in rows]


def code_memos(store: ProjectStore) -> dict[str, str]:
    """Code id → memo text of every code that has a memo."""
    with store.read() as con:
        return {r[0]: r[1] for r in con.execute("SELECT target_id, text FROM memos WHERE target_type = 'code'")}


def has_source_file(store: ProjectStore, sha256: str) -> bool:
    """Whether a file with this content hash is already imported."""
    with store.read() as con:
        return con.execute("SELECT 1 FROM source_files WHERE sha256 = ?", (sha256,)).fetchone() is not None


def answer_ids_by_position(store: ProjectStore, sha256: str) -> dict[int, int]:
    """Position in the file → answer id, for the answers of the file with this content hash."""
    with store.read() as con:
        rows = con.execute(
            "SELECT a.id, a.position FROM answers a JOIN source_files s ON s.id = a.source_file_id "
            "WHERE s.sha256 = ?", (sha256,)).fetchall()
    return {int(r[1]): int(r[0]) for r in rows}
