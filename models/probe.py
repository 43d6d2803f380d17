"""Looks at a SQLite file before it is opened as a project; never modifies it.

Both functions raise ``sqlite3.DatabaseError`` when the file is no SQLite database.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path


def version_and_tables(db: Path) -> tuple[int, set[str]]:
    """(PRAGMA user_version, table names) of `db`, opened read-only."""
    con = sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True)
    try:
        version = con.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        con.close()
    return version, tables


def tables_and_integrity(path: Path) -> tuple[set[str], str]:
    """(table names, result of PRAGMA integrity_check) of the database at `path`."""
    con = sqlite3.connect(str(path))
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    ok = con.execute("PRAGMA integrity_check").fetchone()[0]
    con.close()
    return tables, ok
