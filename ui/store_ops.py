"""Small store operations the app needs that the store does not offer (yet).

They go through `store.write` (one transaction, audited where it is an analyst change).
"""
from __future__ import annotations

import json
import sqlite3

from models.records import Respondent
from models.store import ProjectStore, now_iso


def ensure_respondent(store: ProjectStore, r: Respondent) -> int:
    """The id of respondent (name, type), inserting the registry entry when the project lacks it."""

    def op(con: sqlite3.Connection) -> int:
        row = con.execute("SELECT id FROM respondents WHERE name = ? AND type IS ?", (r.name, r.type)).fetchone()
        if row:
            return int(row[0])
        cur = con.execute(
            "INSERT INTO respondents(name, type, lan, lan_code, kommun_code, resolved, raw_name) "
            "VALUES (?,?,?,?,?,1,NULL)",
            (r.name, r.type, r.lan, r.lan_code, r.kommun_code),
        )
        con.execute(
            "INSERT INTO audit_log(at, analyst, action, entity, entity_id, before, after) VALUES (?,?,?,?,?,?,?)",
            (now_iso(), None, "add_respondent", "respondent", str(cur.lastrowid), None,
             json.dumps({"name": r.name, "type": r.type}, ensure_ascii=False)),
        )
        return int(cur.lastrowid)

    return store.write(op)
