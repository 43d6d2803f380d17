"""Audited writes of rows that come from outside the analyst's editing: a registry
respondent the project lacks, and codings read from a REFI-QDA project file."""
from __future__ import annotations

import dataclasses
import sqlite3
from typing import Optional

from models.records import Respondent
from models import audit
from models.store import ProjectStore, append_audit, now_iso, respondent_id


def ensure_respondent(store: ProjectStore, r: Respondent) -> int:
    """The id of respondent (name, type), inserting the registry entry when the project lacks it."""

    entry = dataclasses.replace(r, resolved=True, raw_name=None)

    def op(con: sqlite3.Connection) -> int:
        rid, inserted = respondent_id(con, entry)
        if inserted:
            append_audit(con, audit.respondent_added(rid, r))
        return rid

    return store.write(op)


def insert_imported_codings(store: ProjectStore, items: list[tuple], file_name: str,
                            suggestions: Optional[list[tuple]] = None) -> int:
    """Store imported codings (answer, code, start, end, user, date, memo[, status, scope]) as manual decisions
    (origin "import"), and ``suggestions`` (the same shape: the tagger's suggestions nobody reviewed in the
    exporting project) as suggestions still to review; a span and code coded by hand as well stays the analyst's.
    Status and scope default to 'okänd' (a file from another tool has none)."""
    suggestions = suggestions or []
    if not items and not suggestions:
        return 0
    at = now_iso()

    def status_scope(item: tuple) -> tuple[str, str]:
        return (item[7] or "okänd", item[8] or "okänd") if len(item) >= 9 else ("okänd", "okänd")

    def op(con: sqlite3.Connection) -> int:
        con.executemany(
            'INSERT INTO codings(answer_id, code_id, start, "end", evidence_start, evidence_end, confidence, '
            "origin, decision, status, scope) VALUES (?,?,?,?,?,?,1.0,'import','suggested',?,?) "
            'ON CONFLICT(answer_id, code_id, start, "end") DO NOTHING',
            [(i[0], i[1], i[2], i[3], i[2], i[3], *status_scope(i)) for i in suggestions],
        )
        con.executemany(
            'INSERT INTO codings(answer_id, code_id, start, "end", evidence_start, evidence_end, confidence, '
            "origin, decision, analyst, decided_at, status, scope) VALUES (?,?,?,?,?,?,1.0,'import','manual',?,?,?,?) "
            'ON CONFLICT(answer_id, code_id, start, "end") DO UPDATE SET decision = \'manual\', '
            "analyst = excluded.analyst, decided_at = excluded.decided_at, status = excluded.status, "
            "scope = excluded.scope",
            [(i[0], i[1], i[2], i[3], i[2], i[3], i[4], i[5] or at, *status_scope(i)) for i in items],
        )
        n = len({(a, c, s, e) for a, c, s, e, *_ in items + suggestions})  # one project coding per span and code
        for a, c, s, e, who, when, memo, *_ in items:
            if memo:
                row = con.execute('SELECT id FROM codings WHERE answer_id=? AND code_id=? AND start=? AND "end"=?',
                                  (a, c, s, e)).fetchone()
                con.execute("INSERT INTO memos(target_type, target_id, text, analyst, at) VALUES ('coding',?,?,?,?) "
                            "ON CONFLICT(target_type, target_id) DO UPDATE SET text = excluded.text",
                            (str(row[0]), memo, who, when or at))
        append_audit(con, audit.codings_imported(file_name, n))
        return n

    return store.write(op)
