"""What "Ta bort filen" took out of a project, kept so that "Ångra borttagning" can put it back exactly.

The last removal only (a new removal replaces it; a restore clears it), kept in the project file itself (table
`meta`, key ``SNAPSHOT_KEY``), so the undo survives a reload and reaches every analyst of a shared project. The
snapshot holds every row that went with the file: the source file, its answers, their codings (suggestions and
decisions), memos, analyses, cluster memberships, team codings and assignments, the kommuner its RSS answers
speak for, and the respondents left without any answer. A restore writes them back with their own ids; an id
taken in the meantime (a later import) gets a new one, with every reference to it moved along.
"""
from __future__ import annotations

import base64
import json
import sqlite3
import zlib
from typing import Any, Optional

SNAPSHOT_KEY = "removed_file"

# (table, primary-key column or None). Restored in this order (a row's references come first).
TABLES = ("source_files", "respondents", "answers", "codings", "memos", "analyses", "cluster_members",
          "coder_codings", "coder_assignments", "respondent_kommuner")


def _rows(con: sqlite3.Connection, sql: str, params) -> list[dict]:
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _in(column: str, values) -> str:
    return f"{column} IN ({','.join('?' * len(values))})"


def _chunks(values: list, n: int = 900):
    for i in range(0, len(values), n):
        yield values[i:i + n]


def take(con: sqlite3.Connection, file_id: int, answer_ids: list[int], gone_respondents: list[int],
         *, analyst: Optional[str], at: str, audit_id: Optional[int] = None) -> dict:
    """Every row that goes with source file `file_id` (call before deleting them)."""
    snap: dict[str, list[dict]] = {t: [] for t in TABLES}
    snap["source_files"] = _rows(con, "SELECT * FROM source_files WHERE id = ?", [file_id])
    snap["respondents"] = [r for part in _chunks(sorted(gone_respondents))
                           for r in _rows(con, f"SELECT * FROM respondents WHERE {_in('id', part)}", part)]
    snap["answers"] = _rows(con, "SELECT * FROM answers WHERE source_file_id = ? ORDER BY id", [file_id])
    snap["respondent_kommuner"] = _rows(con, "SELECT * FROM respondent_kommuner WHERE source_file_id = ?", [file_id])
    for part in _chunks(answer_ids):
        for table in ("codings", "analyses", "cluster_members", "coder_codings", "coder_assignments"):
            snap[table] += _rows(con, f"SELECT * FROM {table} WHERE {_in('answer_id', part)}", part)
        snap["memos"] += _rows(con, f"SELECT * FROM memos WHERE target_type = 'answer' AND "
                                    f"{_in('target_id', part)}", [str(i) for i in part])
    coding_ids = [str(c["id"]) for c in snap["codings"]]
    for part in _chunks(coding_ids):
        snap["memos"] += _rows(con, f"SELECT * FROM memos WHERE target_type = 'coding' AND "
                                    f"{_in('target_id', part)}", part)
    name = snap["source_files"][0]["name"] if snap["source_files"] else ""
    decided = sum(1 for c in snap["codings"] if c["decision"] in ("accepted", "rejected", "manual"))
    return {"file_id": int(file_id), "name": name, "analyst": analyst, "at": at, "audit_id": audit_id,
            "answers": len(snap["answers"]), "decided": decided, "rows": snap}


def _encode(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"__b64__": base64.b64encode(bytes(value)).decode("ascii")}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "__b64__" in value:
        return base64.b64decode(value["__b64__"])
    return value


def dumps(snapshot: dict) -> str:
    """The snapshot as text for `meta` (JSON, compressed; blobs as base64)."""
    rows = {t: [{k: _encode(v) for k, v in r.items()} for r in rs] for t, rs in snapshot["rows"].items()}
    raw = json.dumps({**snapshot, "rows": rows}, ensure_ascii=False).encode("utf-8")
    return "z1:" + base64.b64encode(zlib.compress(raw, 6)).decode("ascii")


def loads(text: Optional[str]) -> Optional[dict]:
    if not text or not text.startswith("z1:"):
        return None
    data = json.loads(zlib.decompress(base64.b64decode(text[3:])).decode("utf-8"))
    data["rows"] = {t: [{k: _decode(v) for k, v in r.items()} for r in rs] for t, rs in data["rows"].items()}
    return data


def summary(snapshot: Optional[dict]) -> Optional[dict]:
    """{"name", "answers", "decided", "analyst", "at", "file_id"} of a snapshot (None for none)."""
    if not snapshot:
        return None
    return {k: snapshot.get(k) for k in ("file_id", "name", "answers", "decided", "analyst", "at")}


def _insert(con: sqlite3.Connection, table: str, row: dict) -> None:
    cols = list(row)
    con.execute(f"INSERT INTO {table}({','.join(chr(34) + c + chr(34) for c in cols)}) "
                f"VALUES ({','.join('?' * len(cols))})", [row[c] for c in cols])


def _free_id(con: sqlite3.Connection, table: str, wanted: int, taken_new: set[int]) -> int:
    """`wanted` when no row of `table` has it, else a new id past the largest."""
    if wanted not in taken_new and not con.execute(f"SELECT 1 FROM {table} WHERE id = ?", (wanted,)).fetchone():
        return wanted
    top = con.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0]
    new = max(int(top), max(taken_new, default=0)) + 1
    return new


def put_back(con: sqlite3.Connection, snapshot: dict) -> dict:
    """Write a snapshot's rows back (in the caller's transaction). Returns {"answers", "codings", "decided",
    "renumbered"}; raises ValueError (Swedish) when the file has been imported again since."""
    rows = snapshot["rows"]
    for f in rows["source_files"]:
        again = con.execute("SELECT name FROM source_files WHERE sha256 = ?", (f["sha256"],)).fetchone()
        if again:
            raise ValueError(f"Filen {f['name']} har importerats på nytt efter borttagningen (som {again[0]}), "
                             "så borttagningen kan inte ångras. Ta bort den nya importen först om du vill ha "
                             "tillbaka de gamla kodningarna och besluten.")
    renumbered = 0
    file_map: dict[int, int] = {}
    for f in rows["source_files"]:
        new = _free_id(con, "source_files", int(f["id"]), set())
        file_map[int(f["id"])] = new
        renumbered += new != int(f["id"])
        _insert(con, "source_files", {**f, "id": new})
    resp_map: dict[int, int] = {}
    for r in rows["respondents"]:
        same = con.execute("SELECT id FROM respondents WHERE name = ? AND type IS ?", (r["name"], r["type"])).fetchone()
        if same:  # imported again from another file since: the answers go back to that respondent
            resp_map[int(r["id"])] = int(same[0])
            continue
        new = _free_id(con, "respondents", int(r["id"]), set())
        resp_map[int(r["id"])] = new
        renumbered += new != int(r["id"])
        _insert(con, "respondents", {**r, "id": new})
    answer_map: dict[int, int] = {}
    used: set[int] = set()
    for a in rows["answers"]:
        new = _free_id(con, "answers", int(a["id"]), used)
        used.add(new)
        answer_map[int(a["id"])] = new
        renumbered += new != int(a["id"])
        rid = int(a["respondent_id"])
        _insert(con, "answers", {**a, "id": new, "respondent_id": resp_map.get(rid, rid),
                                 "source_file_id": file_map.get(int(a["source_file_id"]), a["source_file_id"])})
    for c in rows["codings"]:  # AUTOINCREMENT: a coding's id is never given to another, so its own comes back
        _insert(con, "codings", {**c, "answer_id": answer_map[int(c["answer_id"])]})
    for m in rows["memos"]:
        target = m["target_id"]
        if m["target_type"] == "answer" and target.isdigit():
            target = str(answer_map.get(int(target), int(target)))
        con.execute("INSERT OR REPLACE INTO memos(target_type, target_id, text, analyst, at) VALUES (?,?,?,?,?)",
                    (m["target_type"], target, m["text"], m["analyst"], m["at"]))
    for a in rows["analyses"]:
        _insert(con, "analyses", {**a, "answer_id": answer_map[int(a["answer_id"])]})
    clusters = {int(r[0]) for r in con.execute("SELECT id FROM clusters")}
    for m in rows["cluster_members"]:  # a clustering run again since has its own members
        if int(m["cluster_id"]) in clusters:
            taken = con.execute("SELECT 1 FROM cluster_members WHERE id = ?", (m["id"],)).fetchone()
            row = {**m, "answer_id": answer_map[int(m["answer_id"])]}
            if taken:
                row.pop("id")
            _insert(con, "cluster_members", row)
    for c in rows["coder_codings"]:
        _insert(con, "coder_codings", {**c, "answer_id": answer_map[int(c["answer_id"])]})
    for c in rows["coder_assignments"]:
        _insert(con, "coder_assignments", {**c, "answer_id": answer_map[int(c["answer_id"])]})
    for k in rows["respondent_kommuner"]:
        rid = int(k["respondent_id"])
        _insert(con, "respondent_kommuner", {**k, "source_file_id": file_map.get(int(k["source_file_id"]),
                                                                                 k["source_file_id"]),
                                             "respondent_id": resp_map.get(rid, rid)})
    decided = sum(1 for c in rows["codings"] if c["decision"] in ("accepted", "rejected", "manual"))
    return {"answers": len(rows["answers"]), "codings": len(rows["codings"]), "decided": decided,
            "renumbered": renumbered, "file_id": next(iter(file_map.values()), snapshot["file_id"])}
