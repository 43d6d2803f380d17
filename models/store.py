"""The project store: one SQLite file per project.

WAL mode, foreign keys on, a busy timeout and retries so that several analysts
(processes) can write at once. Every write is one short transaction
(`BEGIN IMMEDIATE ... COMMIT`) that returns only after commit, so what the UI
shows as done is on disk. Every analyst change is also appended to `audit_log`
in the same transaction.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence, Union

import config
from errors import SvarsanalysError
from models import audit, removed_files
from models.members import READER, ROLES, email_problem, normalize_email, role_problem
from models.records import Answer, Coding, CodingSuggestion, ParsedFile, Question, RawAnswer, Respondent, SourceFile
from models.schema import MIGRATIONS, SCHEMA_VERSION


class StoreError(SvarsanalysError):
    """A problem with the project file, with a Swedish message for the analyst."""


class NewerProjectError(StoreError):
    """The project was written by a newer version of Svarsanalys."""


def now_iso() -> str:
    """Current UTC time as ISO 8601 with seconds."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class ImportOutcome:
    """What storing one parsed file did."""

    file_name: str
    status: str  # "imported" | "unchanged" | "replaced"
    answers: int = 0
    replaced_answers: int = 0
    unresolved: list[str] = field(default_factory=list)
    message: str = ""
    # a corrected version: decisions (accepted, rejected, coded by hand) kept on unchanged answers or moved to
    # the passage's words in the corrected answer, and those whose words are gone (removed with the old answer)
    kept_decisions: int = 0
    lost_decisions: int = 0
    same_as: str = ""  # unchanged: the name the identical file was imported under (when it is another name)


Resolver = Callable[[RawAnswer], Respondent]

_CODING_COLUMNS = (
    'c.id, c.answer_id, c.code_id, c.start, c."end", c.evidence_start, c.evidence_end, '
    "c.negated, c.status, c.scope, c.confidence, c.origin, c.decision, c.analyst, c.decided_at"
)


class ProjectStore:
    """Access to one project file. Safe to share between threads."""

    def __init__(self, path: str | Path, *, create: bool = True, name: Optional[str] = None):
        self.path = Path(path)
        if not self.path.exists() and not create:
            raise StoreError(f"Projektfilen {self.path.name} finns inte.")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._con = self._connect()
        self._migrate(name or self.path.stem)

    # ------------------------------------------------------------------ setup
    def _connect(self) -> sqlite3.Connection:
        try:
            con = sqlite3.connect(
                str(self.path),
                timeout=config.SQLITE_BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
            con.row_factory = sqlite3.Row
            con.execute(f"PRAGMA busy_timeout = {config.SQLITE_BUSY_TIMEOUT_MS}")
            con.execute("PRAGMA foreign_keys = ON")
            # FULL: a committed decision survives a power cut too, at one fsync per transaction.
            con.execute("PRAGMA synchronous = FULL")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path.name} är ingen giltig projektfil ({exc}).") from exc
        return con

    def _version(self) -> int:
        return int(self._con.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self, name: str) -> None:
        try:
            version = self._version()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path.name} är ingen giltig projektfil ({exc}).") from exc
        if version > SCHEMA_VERSION:
            self._con.close()
            raise NewerProjectError(
                f"Projektet {self.path.name} är skapat med en nyare version av Svarsanalys "
                f"(schemaversion {version}, den här versionen kan läsa {SCHEMA_VERSION}). "
                "Inget har ändrats; uppdatera programmet för att öppna det."
            )
        # Only now, when the file is known to be ours and not newer, may its header change.
        self._use_wal()
        if version == SCHEMA_VERSION:
            return
        if version > 0:
            self.backup(self.path.with_name(f"{self.path.stem}.v{version}.backup.sqlite"))
        with self._lock:
            self._con.execute("BEGIN IMMEDIATE")
            try:
                current = self._version()
                for step in range(current, SCHEMA_VERSION):
                    for statement in MIGRATIONS[step]:
                        self._con.execute(statement)
                if current == 0:
                    self._con.executemany(
                        "INSERT INTO meta(key, value) VALUES (?, ?)",
                        [("name", name), ("created_at", now_iso()), ("data_version", "0")],
                    )
                self._con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                self._con.execute("COMMIT")
            except BaseException:
                self._con.execute("ROLLBACK")
                raise

    def _use_wal(self) -> None:
        """Switch the file to WAL; another process opening the same new file at the same moment holds
        the lock briefly (SQLite answers "locked" at once here, without its busy handler), so retry."""
        delay = 0.05
        for attempt in range(config.SQLITE_WRITE_RETRIES + 1):
            try:
                self._con.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if ("locked" not in str(exc) and "busy" not in str(exc)) or attempt == config.SQLITE_WRITE_RETRIES:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 1.0)

    def close(self) -> None:
        with self._lock:
            self._con.close()

    def backup(self, target: str | Path) -> Path:
        """Write a consistent copy of the project file (safe while in use)."""
        target = Path(target)
        with self._lock:
            dst = sqlite3.connect(str(target))
            try:
                self._con.backup(dst)
            finally:
                dst.close()
        return target

    def to_bytes(self) -> bytes:
        """The whole project as one self-contained SQLite file (for download)."""
        with tempfile.TemporaryDirectory() as tmp:
            copy = self.backup(Path(tmp) / "project.sqlite")
            con = sqlite3.connect(str(copy))
            con.execute("PRAGMA journal_mode = DELETE")
            con.close()
            return copy.read_bytes()

    # ------------------------------------------------------------ transactions
    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self._con

    def write(self, fn: Callable[[sqlite3.Connection], Any], *, bump: bool = True) -> Any:
        """Run `fn(con)` in one IMMEDIATE transaction, retrying while the file is locked.

        Returns only after COMMIT; when fn changed anything (and `bump`), the data version is
        bumped in the same transaction.
        """
        delay = 0.05
        for attempt in range(config.SQLITE_WRITE_RETRIES + 1):
            with self._lock:
                try:
                    self._con.execute("BEGIN IMMEDIATE")
                except sqlite3.OperationalError as exc:
                    if "locked" in str(exc) or "busy" in str(exc):
                        if attempt == config.SQLITE_WRITE_RETRIES:
                            raise StoreError(
                                "Projektet är upptaget av en annan användare just nu; försök igen om en stund."
                            ) from exc
                        time.sleep(delay)
                        delay = min(delay * 2, 1.0)
                        continue
                    raise
                try:
                    changes_before = self._con.total_changes
                    result = fn(self._con)
                    if bump and self._con.total_changes != changes_before:
                        self._con.execute(
                            "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'"
                        )
                    self._con.execute("COMMIT")
                    return result
                except BaseException:
                    if self._con.in_transaction:
                        self._con.execute("ROLLBACK")
                    raise
        raise StoreError("Projektet är upptaget; försök igen.")  # pragma: no cover

    # ------------------------------------------------------------------ meta
    def meta(self, key: str, default: Optional[str] = None) -> Optional[str]:
        with self.read() as con:
            row = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str, analyst: Optional[str] = None) -> None:
        def op(con: sqlite3.Connection) -> None:
            before = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            con.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
            append_audit(con, audit.meta_set(analyst, key, before[0] if before else None, value))

        self.write(op)

    @property
    def name(self) -> str:
        return self.meta("name", self.path.stem) or self.path.stem

    def rename(self, new_name: str, analyst: Optional[str] = None) -> None:
        self.set_meta("name", new_name, analyst)

    @property
    def data_version(self) -> int:
        """Increases with every committed write; use it as a cache key."""
        return int(self.meta("data_version", "0") or 0)

    def schema_version(self) -> int:
        with self.read():
            return self._version()

    # ------------------------------------------------------------- questions
    def upsert_questions(self, questions: Iterable[Question]) -> None:
        rows = [
            (q.id, q.text, q.area, int(q.closed), json.dumps(list(q.options), ensure_ascii=False), q.form)
            for q in questions
        ]

        def op(con: sqlite3.Connection) -> None:
            con.executemany(
                "INSERT INTO questions(id, text, area, closed, options, form) VALUES (?,?,?,?,?,?) "
                "ON CONFLICT(id) DO UPDATE SET text=excluded.text, area=excluded.area, "
                "closed=excluded.closed, options=excluded.options, form=excluded.form",
                rows,
            )

        self.write(op)

    def questions(self) -> list[Question]:
        with self.read() as con:
            rows = con.execute("SELECT * FROM questions").fetchall()
        out = [
            Question(r["id"], r["text"], r["area"], bool(r["closed"]), tuple(json.loads(r["options"])), r["form"])
            for r in rows
        ]
        return sorted(out, key=lambda q: question_sort_key(q.id))

    # ----------------------------------------------------------- respondents
    def respondents(self) -> list[Respondent]:
        with self.read() as con:
            rows = con.execute("SELECT * FROM respondents ORDER BY name").fetchall()
        return [_respondent(r) for r in rows]

    def correct_respondent(self, respondent_id: int, corrected: Respondent, analyst: Optional[str] = None) -> None:
        """Replace a respondent's identity (e.g. an unresolved name) with a registry entry.

        If the corrected respondent already exists, the answers move to it.
        """

        def op(con: sqlite3.Connection) -> None:
            before = con.execute("SELECT * FROM respondents WHERE id = ?", (respondent_id,)).fetchone()
            if before is None:
                raise StoreError("Respondenten finns inte längre.")
            target = con.execute(
                "SELECT id FROM respondents WHERE name = ? AND type IS ? AND id != ?",
                (corrected.name, corrected.type, respondent_id),
            ).fetchone()
            if target:
                con.execute("UPDATE answers SET respondent_id = ? WHERE respondent_id = ?", (target[0], respondent_id))
                con.execute("UPDATE OR IGNORE respondent_kommuner SET respondent_id = ? WHERE respondent_id = ?",
                            (target[0], respondent_id))
                con.execute("DELETE FROM respondents WHERE id = ?", (respondent_id,))
            else:
                con.execute(
                    "UPDATE respondents SET name=?, type=?, lan=?, lan_code=?, kommun_code=?, resolved=1 WHERE id=?",
                    (corrected.name, corrected.type, corrected.lan, corrected.lan_code, corrected.kommun_code,
                     respondent_id),
                )
            append_audit(con, audit.respondent_corrected(analyst, respondent_id, before, corrected))

        self.write(op)

    # ---------------------------------------------------------------- import
    def import_parsed(self, parsed: ParsedFile, resolve: Resolver, *, round_label: Optional[str] = None) -> ImportOutcome:
        """Store one parsed file in one transaction, its answers in round `round_label` ('' = none).

        Same sha256 as an earlier import: nothing changes, unless a round is given that the file
        has no answers in yet: then its answers are added to that round as well (status
        "added_round"; a respondent may send the same text in two rounds). Same file name with new
        content in the same round: the respondents' answers from the earlier version are replaced
        (a same-named file of another round is left alone); without a round (None) the latest
        earlier version is replaced and the new one takes its round. `set_file_round` moves a
        file that was imported into the wrong round. An answer whose `round_label` the file states
        (a REFI-QDA source's omgång) is stored in that round. What the analyst decided on a replaced
        answer is kept: an unchanged answer stays the same answer (its codings, memos and history with it),
        and a decided coding of a changed answer moves to the same words in the corrected answer of the
        same question; only one whose words are gone goes (counted in `lost_decisions`).
        """
        resolved = [(a, resolve(a)) for a in parsed.answers]
        label = (round_label or "").strip()

        def op(con: sqlite3.Connection) -> ImportOutcome:
            known = con.execute("SELECT id, name FROM source_files WHERE sha256 = ?", (parsed.sha256,)).fetchone()
            if known and (round_label is None or con.execute(
                    "SELECT 1 FROM answers WHERE source_file_id = ? AND round_label = ?", (known[0], label)
            ).fetchone() or not resolved):
                message = "redan importerad, inget ändrat"
                if parsed.speaks_for and not con.execute(
                        "SELECT 1 FROM respondent_kommuner WHERE source_file_id = ?", (known[0],)).fetchone():
                    # a file imported before the project kept RSS kommun lists: its list is added now
                    for written, kommuner in parsed.speaks_for.items():
                        r = next((r for a, r in resolved if a.respondent == written and r.type == "rss"), None)
                        row = r and con.execute("SELECT r.id FROM respondents r WHERE r.name = ? AND r.type = 'rss' "
                                                "AND EXISTS (SELECT 1 FROM answers a WHERE a.respondent_id = r.id "
                                                "AND a.source_file_id = ?)", (r.name, known[0])).fetchone()
                        if row:
                            con.executemany(
                                "INSERT OR IGNORE INTO respondent_kommuner(source_file_id, respondent_id, kommun, "
                                "position) VALUES (?,?,?,?)", [(known[0], row[0], k, i) for i, k in enumerate(kommuner)])
                            message = "redan importerad; kommunerna som RSS-svaret avser sparades"
                stored = str(known[1] or "")
                return ImportOutcome(parsed.name, "unchanged", message=message,
                                     same_as=stored if stored and stored != parsed.name else "")
            respondent_ids = {}
            for _, r in resolved:
                key = (r.name, r.type)
                if key not in respondent_ids:
                    respondent_ids[key] = respondent_id(con, r)[0]
            replaced = 0
            # the same content in another round: the file's answers are added to that round too
            previous = [] if known else con.execute(
                "SELECT id FROM source_files WHERE lower(name) = lower(?)", (parsed.name,)
            ).fetchall()
            ids = list(respondent_ids.values())
            marks = ",".join("?" * len(ids))
            new_label = label
            if round_label is None and previous and ids:
                # no round given: a corrected file replaces its latest earlier version and stays in its round
                latest = con.execute(
                    f"SELECT round_label FROM answers WHERE source_file_id IN ({','.join('?' * len(previous))}) "
                    f"AND respondent_id IN ({marks}) ORDER BY source_file_id DESC LIMIT 1",
                    [p[0] for p in previous] + ids).fetchone()
                new_label = latest[0] if latest else ""
            old_rows = []
            for (prev_id,) in previous:
                if ids:
                    old_rows += con.execute(
                        f"SELECT id, respondent_id, question_id, text, choice FROM answers WHERE source_file_id = ? "
                        f"AND respondent_id IN ({marks}) AND round_label = ? ORDER BY id",
                        [prev_id, *ids, new_label],
                    ).fetchall()
            replaced = len(old_rows)
            # an answer the corrected version did not change stays the same answer (decisions, memos, history)
            unchanged: dict[tuple, list[int]] = {}
            for row in old_rows:
                unchanged.setdefault((row["respondent_id"], row["question_id"], row["text"], row["choice"]),
                                     []).append(int(row["id"]))
            stays: dict[int, int] = {}  # index into resolved -> the earlier answer it is
            for i, (a, r) in enumerate(resolved):
                if a.round_label is not None and a.round_label.strip() != new_label:
                    continue  # the file puts this answer in another round (a REFI-QDA source's omgång)
                same = unchanged.get((respondent_ids[(r.name, r.type)], a.question, a.text, a.choice))
                if same:
                    stays[i] = same.pop(0)
            gone = [row for row in old_rows if int(row["id"]) not in set(stays.values())]
            decided = _decided_codings(con, [int(row["id"]) for row in gone])
            kept = _count_decided(con, list(stays.values()))
            if known:
                file_id = int(known[0])
            else:
                file_id = con.execute(
                    "INSERT INTO source_files(name, format, sha256, size, imported_at) VALUES (?,?,?,?,?)",
                    (parsed.name, parsed.format, parsed.sha256, parsed.size, now_iso()),
                ).lastrowid
            for i, old_id in stays.items():
                a = resolved[i][0]
                con.execute("UPDATE answers SET source_file_id = ?, position = ?, ocr_confidence = ? WHERE id = ?",
                            (file_id, a.position, a.ocr_confidence, old_id))
            con.executemany("DELETE FROM answers WHERE id = ?", [(int(row["id"]),) for row in gone])
            for (prev_id,) in previous:
                if not con.execute("SELECT 1 FROM answers WHERE source_file_id = ?", (prev_id,)).fetchone():
                    con.execute("DELETE FROM source_files WHERE id = ?", (prev_id,))
            new_ids: dict[tuple, list[tuple[int, str]]] = {}  # (respondent, question) -> the corrected answers
            for i, (a, r) in enumerate(resolved):
                if i in stays:
                    continue
                rid = respondent_ids[(r.name, r.type)]
                new_id = con.execute(
                    "INSERT INTO answers(respondent_id, question_id, text, choice, source_file_id, position, "
                    "round_label, ocr_confidence) VALUES (?,?,?,?,?,?,?,?)",
                    (rid, a.question, a.text, a.choice, file_id, a.position,
                     new_label if a.round_label is None else a.round_label.strip(), a.ocr_confidence),
                ).lastrowid
                new_ids.setdefault((rid, a.question), []).append((int(new_id), a.text))
            old_of = {int(row["id"]): row for row in gone}
            moved = 0
            for coding, old_text in decided:
                row = old_of[int(coding["answer_id"])]
                moved += _move_decided_coding(con, coding, old_text,
                                              new_ids.get((row["respondent_id"], row["question_id"]), []))
            # the kommuner an RSS answer speaks for, as the file lists them (this version of the file only)
            con.execute("DELETE FROM respondent_kommuner WHERE source_file_id = ?", (file_id,))
            for written, kommuner in parsed.speaks_for.items():
                rid = next((respondent_ids[(r.name, r.type)] for a, r in resolved
                            if a.respondent == written and r.type == "rss"), None)
                if rid is not None:
                    con.executemany(
                        "INSERT OR IGNORE INTO respondent_kommuner(source_file_id, respondent_id, kommun, position) "
                        "VALUES (?,?,?,?)", [(file_id, rid, k, i) for i, k in enumerate(kommuner)])
            unresolved = sorted({r.name for _, r in resolved if not r.resolved})
            append_audit(con, audit.file_imported(file_id, parsed.name, len(resolved), replaced, new_label))
            status = "replaced" if replaced else ("added_round" if known else "imported")
            kept_decisions, lost_decisions = kept + moved, len(decided) - moved
            msg = f"{len(resolved)} svar"
            if known:
                msg += f"; samma innehåll som en redan importerad fil, svaren finns nu även i omgång {label or '(ingen)'}"
            if replaced:
                msg += f"; ersatte {replaced} svar från en tidigare version av filen"
            return ImportOutcome(parsed.name, status, len(resolved), replaced, unresolved, msg,
                                 kept_decisions, lost_decisions)

        return self.write(op)

    def source_files(self) -> list[SourceFile]:
        with self.read() as con:
            rows = con.execute("SELECT * FROM source_files ORDER BY id").fetchall()
        return [SourceFile(r["id"], r["name"], r["format"], r["sha256"], r["size"], r["imported_at"]) for r in rows]

    def file_decisions(self, file_id: int) -> int:
        """How many codings of the file's answers an analyst decided on (what removing the file takes away)."""
        with self.read() as con:
            ids = [int(r[0]) for r in con.execute("SELECT id FROM answers WHERE source_file_id = ?", (file_id,))]
            return _count_decided(con, ids)

    def remove_source_file(self, file_id: int, analyst: Optional[str] = None) -> dict:
        """Take a source file out of the project: its answers, their codings, memos and cluster excerpts, and
        respondents left without any answer. One audited step whose audit row keeps the answers and the
        decided codings in full. Returns {"name", "answers", "decided"}."""

        def op(con: sqlite3.Connection) -> dict:
            _refuse_reader(con, analyst)
            row = con.execute("SELECT * FROM source_files WHERE id = ?", (int(file_id),)).fetchone()
            if row is None:
                raise StoreError("Filen finns inte i projektet.")
            answers = [dict(r) for r in con.execute(
                "SELECT a.id, a.question_id, a.text, a.choice, a.round_label, r.name AS respondent "
                "FROM answers a JOIN respondents r ON r.id = a.respondent_id WHERE a.source_file_id = ? "
                "ORDER BY a.id", (int(file_id),))]
            ids = [int(a["id"]) for a in answers]
            decided = [coding for coding, _ in _decided_codings(con, ids)]
            respondents = {int(r[0]) for r in con.execute(
                "SELECT DISTINCT respondent_id FROM answers WHERE source_file_id = ?", (int(file_id),))}
            speaks_for: dict[str, list[str]] = {}  # the file's RSS kommun lists go with it (ON DELETE CASCADE)
            for name, kommun in con.execute(
                    "SELECT r.name, k.kommun FROM respondent_kommuner k JOIN respondents r ON r.id = k.respondent_id "
                    "WHERE k.source_file_id = ? ORDER BY r.name, k.position", (int(file_id),)):
                speaks_for.setdefault(str(name), []).append(kommun)
            gone = [rid for rid in sorted(respondents) if not con.execute(
                "SELECT 1 FROM answers WHERE respondent_id = ? AND source_file_id != ? LIMIT 1",
                (rid, int(file_id))).fetchone()]
            # everything that goes, kept for "Ångra borttagning" (the last removal only)
            snapshot = removed_files.take(con, int(file_id), ids, gone, analyst=analyst, at=now_iso())
            for chunk in range(0, len(ids), 900):
                part = ids[chunk:chunk + 900]
                marks = ",".join("?" * len(part))
                keys = [str(i) for i in part]
                con.execute(f"DELETE FROM memos WHERE target_type = 'coding' AND target_id IN "
                            f"(SELECT CAST(id AS TEXT) FROM codings WHERE answer_id IN ({marks}))", part)
                con.execute(f"DELETE FROM memos WHERE target_type = 'answer' AND target_id IN ({marks})", keys)
            con.execute("DELETE FROM answers WHERE source_file_id = ?", (int(file_id),))
            con.execute("DELETE FROM source_files WHERE id = ?", (int(file_id),))
            for rid in respondents:
                if not con.execute("SELECT 1 FROM answers WHERE respondent_id = ? LIMIT 1", (rid,)).fetchone():
                    con.execute("DELETE FROM respondents WHERE id = ?", (rid,))
            append_audit(con, audit.file_removed(analyst, int(file_id), row["name"], answers, decided, speaks_for))
            snapshot["audit_id"] = int(con.execute("SELECT MAX(id) FROM audit_log").fetchone()[0])
            con.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = "
                        "excluded.value", (removed_files.SNAPSHOT_KEY, removed_files.dumps(snapshot)))
            return {"name": row["name"], "answers": len(answers), "decided": len(decided)}

        return self.write(op)

    def last_removed_file(self) -> Optional[dict]:
        """The last removal that "Ångra borttagning" can take back: {"file_id", "name", "answers", "decided",
        "analyst", "at"}, or None (nothing removed, or already restored)."""
        return removed_files.summary(removed_files.loads(self.meta(removed_files.SNAPSHOT_KEY)))

    def restore_removed_file(self, analyst: Optional[str] = None) -> dict:
        """Undo the last `remove_source_file`: its file, answers, codings (suggestions and decisions), memos,
        analyses, cluster memberships, team codings, assignments, speaks-for lists and respondents come back as
        they were. One audited step ("restore_file"). Returns {"name", "answers", "codings", "decided",
        "renumbered", "file_id"}; StoreError when there is nothing to restore or the file was imported again."""

        def op(con: sqlite3.Connection) -> dict:
            _refuse_reader(con, analyst)
            row = con.execute("SELECT value FROM meta WHERE key = ?", (removed_files.SNAPSHOT_KEY,)).fetchone()
            snapshot = removed_files.loads(row[0] if row else None)
            if snapshot is None:
                raise StoreError("Det finns ingen borttagen fil att ta tillbaka.")
            try:
                result = removed_files.put_back(con, snapshot)
            except ValueError as exc:
                raise StoreError(str(exc)) from None
            con.execute("DELETE FROM meta WHERE key = ?", (removed_files.SNAPSHOT_KEY,))
            result["name"] = snapshot["name"]
            append_audit(con, audit.file_restored(analyst, result["file_id"], snapshot["name"], result,
                                                  snapshot.get("audit_id")))
            return result

        return self.write(op)

    # --------------------------------------------------------------- answers
    def answer_keys(self) -> list[tuple]:
        """(id, text, question id) of every answer :meth:`answers` returns, in its order (the same rows; no
        respondent or file read into records): what a tagging of the project depends on."""
        with self.read() as con:
            cur = con.cursor()
            cur.row_factory = None
            return cur.execute(
                "SELECT a.id, a.text, a.question_id FROM answers a JOIN respondents r ON r.id = a.respondent_id "
                "JOIN source_files s ON s.id = a.source_file_id ORDER BY a.id").fetchall()

    def answers(self, answer_ids: Optional[Iterable[int]] = None) -> list[Answer]:
        sql = (
            "SELECT a.id, a.question_id, a.text, a.choice, a.position, s.name AS file, "
            "r.id AS rid, r.name, r.type, r.lan, r.lan_code, r.kommun_code, r.resolved, r.raw_name "
            "FROM answers a JOIN respondents r ON r.id = a.respondent_id "
            "JOIN source_files s ON s.id = a.source_file_id"
        )
        params: list[Any] = []
        if answer_ids is not None:
            ids = list(answer_ids)
            if not ids:
                return []
            sql += f" WHERE a.id IN ({','.join('?' * len(ids))})"
            params = ids
        sql += " ORDER BY a.id"
        with self.read() as con:
            rows = con.execute(sql, params).fetchall()
        return [
            Answer(
                r["id"],
                Respondent(r["name"], r["type"], r["lan"], r["lan_code"], r["kommun_code"], bool(r["resolved"]),
                           r["raw_name"], r["rid"]),
                r["question_id"], r["text"], r["choice"], r["file"], r["position"],
            )
            for r in rows
        ]

    def answer_frame(self):
        """All answers as a pandas DataFrame (one row per answer)."""
        import pandas as pd

        with self.read() as con:
            return pd.read_sql_query(
                "SELECT a.id AS answer_id, r.id AS respondent_id, r.name AS respondent, r.type AS respondent_type, "
                "r.lan, r.kommun_code, r.resolved, a.question_id AS question, a.text, a.choice, "
                "s.name AS file, a.position, a.round_label AS round FROM answers a "
                "JOIN respondents r ON r.id = a.respondent_id "
                "JOIN source_files s ON s.id = a.source_file_id ORDER BY a.id",
                con,
            )

    def update_answer(self, answer_id: int, *, question: Optional[str] = None,
                      respondent_id: Optional[int] = None, analyst: Optional[str] = None) -> None:
        """Correct the question or the respondent of one answer (audited)."""

        def op(con: sqlite3.Connection) -> None:
            before = con.execute(
                "SELECT question_id, respondent_id FROM answers WHERE id = ?", (answer_id,)
            ).fetchone()
            if before is None:
                raise StoreError("Svaret finns inte längre.")
            if question is not None:
                con.execute("UPDATE answers SET question_id = ? WHERE id = ?", (question, answer_id))
            if respondent_id is not None:
                con.execute("UPDATE answers SET respondent_id = ? WHERE id = ?", (respondent_id, answer_id))
            append_audit(con, audit.answer_corrected(analyst, answer_id, before, question, respondent_id))

        self.write(op)

    # --------------------------------------------------------------- codebook
    def former_code_labels(self) -> dict[str, str]:
        """Every code's label in the newest codebook version that has it (a code taken out of the codebook keeps
        its name where its reviewed codings still show)."""
        with self.read() as con:
            rows = con.execute("SELECT doc FROM codebooks ORDER BY version").fetchall()
        labels: dict[str, str] = {}
        for (text,) in rows:
            try:
                doc = json.loads(text)
            except (TypeError, ValueError):
                continue
            for cat in (doc.get("categories") or []) if isinstance(doc, dict) else []:
                for code in cat.get("codes") or []:
                    if isinstance(code, dict) and code.get("id"):
                        labels[str(code["id"])] = str(code.get("label") or code["id"])
        return labels

    def codebook_doc(self) -> Optional[dict]:
        """The project's current codebook document, or None if none was saved."""
        with self.read() as con:
            row = con.execute("SELECT doc FROM codebooks ORDER BY version DESC LIMIT 1").fetchone()
        return json.loads(row[0]) if row else None

    def save_codebook_doc(self, doc: dict, analyst: Optional[str] = None) -> int:
        text = json.dumps(doc, ensure_ascii=False)

        def op(con: sqlite3.Connection) -> int:
            _refuse_reader(con, analyst)
            cur = con.execute(
                "INSERT INTO codebooks(doc, saved_at, analyst) VALUES (?,?,?)", (text, now_iso(), analyst)
            )
            append_audit(con, audit.codebook_saved(analyst, cur.lastrowid))
            return int(cur.lastrowid)

        return self.write(op)

    # ---------------------------------------------------------------- codings
    def replace_suggestions(self, suggestions: Iterable[CodingSuggestion],
                            answer_ids: Optional[Iterable[int]] = None) -> int:
        """Replace machine suggestions (rule/model) for the given answers (default: all).

        Codings the analyst decided on (accepted, rejected, manual) are never touched;
        a new suggestion on exactly the same span and code as a decided coding is dropped, and so is
        one of the code a coding was recoded away from on that span (the analyst said it was wrong there).
        For given answers a suggestion that stays (same code and span) keeps its row id, so a
        suggestion the analyst has open survives a background re-decision; only its confidence,
        evidence and status change. Returns the number of rows inserted or updated.
        """
        items = list(suggestions)
        rows = [
            (s.answer_id, s.code_id, s.start, s.end, s.evidence_start, s.evidence_end, int(s.negated),
             s.status, s.scope, float(s.confidence), s.origin)
            for s in items
        ]
        rows = list({(r[0], r[1], r[2], r[3]): r for r in reversed(rows)}.values())[::-1]  # first of a span wins

        def op(con: sqlite3.Connection) -> int:
            nonlocal rows
            recoded = set(_recoded_away(con, spans=True))
            if recoded:
                rows = [r for r in rows if (r[0], r[1], r[2], r[3]) not in recoded]
            if answer_ids is None:
                con.execute("DELETE FROM codings WHERE decision = 'suggested' AND origin IN ('rule', 'model')")
                cur = con.executemany(
                    'INSERT OR IGNORE INTO codings(answer_id, code_id, start, "end", evidence_start, evidence_end, '
                    "negated, status, scope, confidence, origin, decision) VALUES (?,?,?,?,?,?,?,?,?,?,?, 'suggested')",
                    rows,
                )
                return cur.rowcount
            ids = list(answer_ids)
            keep = {(r[0], r[1], r[2], r[3]) for r in rows}
            gone = []
            for i in ids:
                # "+decision" steers SQLite to the answer_id index; on the decision index every query
                # scans all suggestions of the project (~10 ms per answer at national scale)
                for cid, aid, code, start, end in con.execute(
                        'SELECT id, answer_id, code_id, start, "end" FROM codings '
                        "WHERE +decision = 'suggested' AND origin IN ('rule','model') AND answer_id = ?", (i,)):
                    if (aid, code, start, end) not in keep:
                        gone.append((cid,))
            con.executemany("DELETE FROM codings WHERE id = ?", gone)
            cur = con.executemany(
                'INSERT INTO codings(answer_id, code_id, start, "end", evidence_start, evidence_end, '
                "negated, status, scope, confidence, origin, decision) VALUES (?,?,?,?,?,?,?,?,?,?,?, 'suggested') "
                'ON CONFLICT(answer_id, code_id, start, "end") DO UPDATE SET '
                "evidence_start = excluded.evidence_start, evidence_end = excluded.evidence_end, "
                "negated = excluded.negated, status = excluded.status, scope = excluded.scope, "
                "confidence = excluded.confidence, origin = excluded.origin "
                "WHERE codings.decision = 'suggested' AND codings.origin IN ('rule', 'model')",
                rows,
            )
            return cur.rowcount

        return self.write(op)

    def codings(self, *, decisions: Optional[Iterable[str]] = None, code_ids: Optional[Iterable[str]] = None,
                answer_ids: Optional[Iterable[int]] = None) -> list[Coding]:
        """Stored codings with their excerpt text and memo, filtered."""
        where, params = [], []
        for column, values in (("c.decision", decisions), ("c.code_id", code_ids), ("c.answer_id", answer_ids)):
            if values is not None:
                vals = list(values)
                if not vals:
                    return []
                where.append(f"{column} IN ({','.join('?' * len(vals))})")
                params += vals
        sql = (
            f"SELECT {_CODING_COLUMNS}, a.text AS answer_text, m.text AS memo FROM codings c "
            "JOIN answers a ON a.id = c.answer_id "
            "LEFT JOIN memos m ON m.target_type = 'coding' AND m.target_id = CAST(c.id AS TEXT)"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY c.answer_id, c.start, c.code_id"
        with self.read() as con:
            rows = con.execute(sql, params).fetchall()
        return [_coding(r) for r in rows]

    def coding(self, coding_id: int) -> Optional[Coding]:
        with self.read() as con:
            row = con.execute(
                f"SELECT {_CODING_COLUMNS}, a.text AS answer_text, m.text AS memo FROM codings c "
                "JOIN answers a ON a.id = c.answer_id LEFT JOIN memos m ON m.target_type = 'coding' "
                "AND m.target_id = CAST(c.id AS TEXT) WHERE c.id = ?",
                (coding_id,),
            ).fetchone()
        return _coding(row) if row else None

    def decide(self, coding_id: int, decision: str, analyst: str, *, code_id: Optional[str] = None) -> Coding:
        """Accept or reject a coding, or change its code. Last writer wins; all is audited."""
        if decision not in ("accepted", "rejected", "suggested", "manual"):
            raise ValueError(decision)

        def op(con: sqlite3.Connection) -> None:
            _refuse_reader(con, analyst)
            before = con.execute("SELECT * FROM codings WHERE id = ?", (coding_id,)).fetchone()
            if before is None:
                raise StoreError("Kodningen finns inte längre (svaret kan ha ersatts vid en ny import).")
            new_code = code_id or before["code_id"]
            replaced = None
            if new_code != before["code_id"]:
                clash = con.execute(
                    'SELECT * FROM codings WHERE answer_id=? AND code_id=? AND start=? AND "end"=? AND id != ?',
                    (before["answer_id"], new_code, before["start"], before["end"], coding_id),
                ).fetchone()
                if clash:
                    # The same code on the same span exists already: this coding takes its place.
                    # The removed row is audited and kept in the recode's log row so undo restores it.
                    replaced = dict(clash)
                    con.execute("DELETE FROM codings WHERE id = ?", (clash["id"],))
                    append_audit(con, audit.coding_merged_away(analyst, replaced))
            con.execute(
                "UPDATE codings SET decision = ?, code_id = ?, analyst = ?, decided_at = ? WHERE id = ?",
                (decision, new_code, analyst, now_iso(), coding_id),
            )
            after = con.execute("SELECT * FROM codings WHERE id = ?", (coding_id,)).fetchone()
            append_audit(con, audit.coding_decided(analyst, coding_id, before, after, decision, replaced))

        self.write(op)
        return self.coding(coding_id)  # type: ignore[return-value]

    def add_manual_coding(self, answer_id: int, code_id: str, start: int, end: int, analyst: str,
                          *, origin: str = "manual", batch: Optional[int] = None) -> int:
        """Code a span of an answer by hand (or from a cluster: `batch` is the audit row id of the cluster
        action, so that one undo takes back all its codings). Returns the coding id."""

        def op(con: sqlite3.Connection) -> int:
            _refuse_reader(con, analyst)
            row = con.execute("SELECT length(text) FROM answers WHERE id = ?", (answer_id,)).fetchone()
            if row is None:
                raise StoreError("Svaret finns inte längre.")
            if not (0 <= start < end <= row[0]):
                raise StoreError("Markeringen ligger utanför svarets text.")
            existing = con.execute(
                'SELECT * FROM codings WHERE answer_id=? AND code_id=? AND start=? AND "end"=?',
                (answer_id, code_id, start, end),
            ).fetchone()
            if existing:
                con.execute(
                    "UPDATE codings SET decision='manual', analyst=?, decided_at=? WHERE id=?",
                    (analyst, now_iso(), existing["id"]),
                )
                coding_id = int(existing["id"])
                before = dict(existing)
            else:
                cur = con.execute(
                    'INSERT INTO codings(answer_id, code_id, start, "end", evidence_start, evidence_end, '
                    "confidence, origin, decision, analyst, decided_at) VALUES (?,?,?,?,?,?,1.0,?,'manual',?,?)",
                    (answer_id, code_id, start, end, start, end, origin, analyst, now_iso()),
                )
                coding_id = int(cur.lastrowid)
                before = None
            after = con.execute("SELECT * FROM codings WHERE id = ?", (coding_id,)).fetchone()
            append_audit(con, audit.coding_manual(analyst, coding_id, before, after, batch))
            return coding_id

        return self.write(op)

    def set_memo(self, target_type: str, target_id: str | int, text: str, analyst: Optional[str] = None) -> None:
        """Write (or clear, with empty text) the memo on a coding, code or answer."""
        key = str(target_id)

        def op(con: sqlite3.Connection) -> None:
            _refuse_reader(con, analyst)
            before = con.execute(
                "SELECT text FROM memos WHERE target_type = ? AND target_id = ?", (target_type, key)
            ).fetchone()
            if text.strip():
                con.execute(
                    "INSERT INTO memos(target_type, target_id, text, analyst, at) VALUES (?,?,?,?,?) "
                    "ON CONFLICT(target_type, target_id) DO UPDATE SET text=excluded.text, "
                    "analyst=excluded.analyst, at=excluded.at",
                    (target_type, key, text, analyst, now_iso()),
                )
            else:
                con.execute("DELETE FROM memos WHERE target_type = ? AND target_id = ?", (target_type, key))
            append_audit(con, audit.memo_set(analyst, target_type, key, before[0] if before else None, text))

        self.write(op)

    def memo(self, target_type: str, target_id: str | int) -> Optional[str]:
        with self.read() as con:
            row = con.execute(
                "SELECT text FROM memos WHERE target_type = ? AND target_id = ?", (target_type, str(target_id))
            ).fetchone()
        return row[0] if row else None

    # ---------------------------------------------------------- audit & undo
    def audit(self, *, entity: Optional[str] = None, entity_id: Optional[str | int] = None,
              limit: Optional[int] = None) -> list[dict]:
        """Audit rows, newest first, optionally for one entity (e.g. an excerpt's history)."""
        sql, params = "SELECT * FROM audit_log", []
        if entity is not None:
            sql += " WHERE entity = ?"
            params.append(entity)
            if entity_id is not None:
                sql += " AND entity_id = ?"
                params.append(str(entity_id))
        sql += " ORDER BY id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        with self.read() as con:
            rows = con.execute(sql, params).fetchall()
        return [
            {**dict(r), "before": _loads(r["before"]), "after": _loads(r["after"])} for r in rows
        ]

    def undo_last(self, analyst: str, cluster_action: Optional[int] = None) -> Optional[dict]:
        """Undo the analyst's most recent not-yet-undone decision. Returns its audit row or None.

        With `cluster_action` (the audit row id of the analyst's "Skapa kod av klustret" or "Koppla till
        koden"), that action is undone with its codings instead, as Kluster's "Ångra" does.

        The undo is itself logged on the same excerpt (action 'undo', `ref` = the undone row).
        If someone else changed the excerpt afterwards, nothing is overwritten: a StoreError
        says so. The codings a cluster action made ("Skapa kod av klustret", "Koppla till koden" with
        its excerpts; audit rows 'manual' whose `ref` is the action's row) are undone together with the
        action in one step: the codings go, the cluster's code mapping is restored and a code created
        from the cluster leaves the codebook. The row returned is then the cluster action's, with
        `undone_codings` = how many codings were taken back.
        """

        def restore(con: sqlite3.Connection, row: sqlite3.Row) -> None:
            later = con.execute(
                "SELECT analyst FROM audit_log WHERE entity = ? AND entity_id = ? AND id > ? "
                "AND action != 'undo' AND (analyst IS NOT ? ) ORDER BY id DESC LIMIT 1",
                (row["entity"], row["entity_id"], row["id"], analyst),
            ).fetchone()
            if later is not None:
                raise StoreError(
                    f"Ditt senaste beslut kan inte ångras: {later[0] or 'någon annan'} har ändrat samma "
                    "utdrag efteråt. Ändra det i stället direkt."
                )
            before, after = _loads(row["before"]), _loads(row["after"])
            if row["action"] == "memo":
                if before:
                    con.execute(
                        "INSERT INTO memos(target_type, target_id, text, analyst, at) VALUES (?,?,?,?,?) "
                        "ON CONFLICT(target_type, target_id) DO UPDATE SET text=excluded.text",
                        (row["entity"], row["entity_id"], before, analyst, now_iso()),
                    )
                else:
                    con.execute("DELETE FROM memos WHERE target_type=? AND target_id=?",
                                (row["entity"], row["entity_id"]))
            elif before is None:
                con.execute("DELETE FROM codings WHERE id = ?", (int(row["entity_id"]),))
            else:
                _clear_suggestion_in_the_way(con, before, keep_id=before["id"])
                con.execute(
                    "UPDATE codings SET code_id=?, decision=?, analyst=?, decided_at=? WHERE id=?",
                    (before["code_id"], before["decision"], before["analyst"], before["decided_at"], before["id"]),
                )
                if "status" in before and "scope" in before:
                    con.execute("UPDATE codings SET status=?, scope=? WHERE id=?",
                                (before["status"], before["scope"], before["id"]))
                replaced = (after or {}).get("replaced") if isinstance(after, dict) else None
                if replaced:
                    _clear_suggestion_in_the_way(con, replaced, keep_id=None)
                    columns = [k for k in replaced]
                    con.execute(
                        f"INSERT INTO codings({','.join(chr(34) + c + chr(34) for c in columns)}) "
                        f"VALUES ({','.join('?' * len(columns))})",
                        [replaced[c] for c in columns],
                    )
            append_audit(con, audit.undo(analyst, row, before, after))

        def op(con: sqlite3.Connection) -> Optional[dict]:
            _refuse_reader(con, analyst)
            marks = ",".join("?" * len(audit.UNDOABLE))
            undone = "id NOT IN (SELECT ref FROM audit_log WHERE action = 'undo' AND ref IS NOT NULL)"
            if cluster_action is not None:
                row = con.execute(
                    f"SELECT * FROM audit_log WHERE id = ? AND analyst = ? AND action IN "
                    f"({','.join('?' * len(audit.CLUSTER_BATCHES))}) AND {undone}",
                    (int(cluster_action), analyst, *audit.CLUSTER_BATCHES)).fetchone()
            else:
                row = con.execute(
                    f"SELECT * FROM audit_log WHERE analyst = ? AND action IN ({marks}) AND {undone} "
                    "ORDER BY id DESC LIMIT 1",
                    (analyst, *audit.UNDOABLE),
                ).fetchone()
            if row is None:
                return None
            head = row if cluster_action is not None else None
            if row["action"] == "manual" and row["ref"] is not None:
                head = con.execute(
                    f"SELECT * FROM audit_log WHERE id = ? AND action IN ({','.join('?' * len(audit.CLUSTER_BATCHES))})",
                    (row["ref"], *audit.CLUSTER_BATCHES),
                ).fetchone()
            if head is None:
                restore(con, row)
                return dict(row)
            batch = con.execute(
                f"SELECT * FROM audit_log WHERE ref = ? AND action = 'manual' AND analyst = ? AND {undone} "
                "ORDER BY id DESC", (head["id"], analyst)).fetchall()
            for coding_row in batch:
                restore(con, coding_row)
            before, after = _loads(head["before"]) or {}, _loads(head["after"]) or {}
            con.execute("UPDATE clusters SET code_id = ? WHERE id = ?", (before.get("code_id"), int(head["entity_id"])))
            removed = head["action"] == "cluster_create_code" and self._remove_created_code(
                con, str(after.get("code_id")), analyst)
            append_audit(con, audit.undo(analyst, head, before, after))
            return {**dict(head), "undone_codings": len(batch), "code_removed": removed}

        return self.write(op)

    def _remove_created_code(self, con: sqlite3.Connection, code_id: str, analyst: str) -> bool:
        """Take a code made from a cluster out of the codebook again (a new codebook version, audited),
        unless something is coded with it since (then it stays). True when it was taken out."""
        if con.execute("SELECT 1 FROM codings WHERE code_id = ? LIMIT 1", (code_id,)).fetchone():
            return False
        row = con.execute("SELECT doc FROM codebooks ORDER BY version DESC LIMIT 1").fetchone()
        if row is None:
            return False
        doc = json.loads(row[0])
        changed = False
        for cat in doc.get("categories") or []:
            codes = cat.get("codes") or []
            kept = [c for c in codes if str(c.get("id")) != code_id]
            if len(kept) != len(codes):
                cat["codes"], changed = kept, True
        if changed:
            cur = con.execute("INSERT INTO codebooks(doc, saved_at, analyst) VALUES (?,?,?)",
                              (json.dumps(doc, ensure_ascii=False), now_iso(), analyst))
            append_audit(con, audit.codebook_saved(analyst, cur.lastrowid))
        return changed

    # -------------------------------------------------------------- analyses
    def get_analyses(self, answer_ids: Iterable[int], pipeline_version: str) -> dict[int, bytes]:
        """Stored analysed text for answers whose text and pipeline version still match."""
        ids = list(answer_ids)
        out: dict[int, bytes] = {}
        with self.read() as con:
            for chunk in range(0, len(ids), 900):
                part = ids[chunk:chunk + 900]
                rows = con.execute(
                    f"SELECT y.answer_id, y.data, y.text_sha, a.text FROM analyses y JOIN answers a ON a.id = y.answer_id "
                    f"WHERE y.pipeline_version = ? AND y.answer_id IN ({','.join('?' * len(part))})",
                    [pipeline_version, *part],
                ).fetchall()
                for r in rows:
                    if r["text_sha"] == sha256_bytes(r["text"].encode("utf-8")):
                        out[int(r["answer_id"])] = bytes(r["data"])
        return out

    def put_analyses(self, items: Iterable[tuple[int, str, bytes]], pipeline_version: str) -> None:
        """Store (answer_id, answer_text, data) analyses."""
        rows = [(i, sha256_bytes(t.encode("utf-8")), pipeline_version, d) for i, t, d in items]

        def op(con: sqlite3.Connection) -> None:
            con.executemany(
                "INSERT OR REPLACE INTO analyses(answer_id, text_sha, pipeline_version, data) VALUES (?,?,?,?)",
                rows,
            )

        self.write(op)

    # -------------------------------------------------------------- coverage
    def coverage_answers(self, round_label: Union[str, Sequence[str], None] = None) -> list[tuple]:
        """Respondents with their answers for coverage: (respondent_id, name, type, lan, lan_code,
        kommun_code, answer_id, answered, rss_text) per answer, of one round or several
        (answers.round_label) or all. `answered` is 1 when the answer has text or a choice;
        `rss_text` is the answer text for RSS respondents (to find kommuner named in it), else ''."""
        condition, params = _round_condition(round_label)
        where = f" WHERE {condition}" if condition else ""
        with self.read() as con:
            cur = con.cursor()
            cur.row_factory = None
            return cur.execute(
                "SELECT r.id, r.name, r.type, r.lan, r.lan_code, r.kommun_code, a.id, "
                "CASE WHEN TRIM(a.text) <> '' OR TRIM(COALESCE(a.choice, '')) <> '' THEN 1 ELSE 0 END, "
                "CASE WHEN r.type = 'rss' THEN a.text ELSE '' END "
                "FROM answers a JOIN respondents r ON r.id = a.respondent_id" + where, params).fetchall()

    def coverage_speaks_for(self, round_label: Union[str, Sequence[str], None] = None) -> list[tuple]:
        """The kommuner RSS answers speak for, as their files list them: (answer_id, kommun) per answer of an
        RSS respondent whose file lists kommuner (in the file's order), of one round or several or all."""
        condition, params = _round_condition(round_label)
        where = f" AND {condition}" if condition else ""
        with self.read() as con:
            cur = con.cursor()
            cur.row_factory = None
            return cur.execute(
                "SELECT a.id, k.kommun FROM answers a JOIN respondent_kommuner k "
                "ON k.source_file_id = a.source_file_id AND k.respondent_id = a.respondent_id "
                "JOIN respondents r ON r.id = a.respondent_id WHERE r.type = 'rss'" + where
                + " ORDER BY a.id, k.position", params).fetchall()

    def speaks_for(self) -> dict[str, list[str]]:
        """RSS respondent's name -> the kommuner its answers speak for (as its files list them, first file first)."""
        with self.read() as con:
            rows = con.execute("SELECT r.name, k.kommun FROM respondent_kommuner k JOIN respondents r "
                               "ON r.id = k.respondent_id WHERE r.type = 'rss' "
                               "ORDER BY r.name, k.source_file_id, k.position").fetchall()
        out: dict[str, list[str]] = {}
        for name, kommun in rows:
            have = out.setdefault(str(name), [])
            if kommun not in have:
                have.append(kommun)
        return out

    def coverage_codings(self, decisions: Iterable[str], include_negated: bool = False,
                         code_ids: Optional[Iterable[str]] = None) -> list[tuple]:
        """Counted codings for coverage: (coding_id, answer_id, code_id, start, end, status, scope)."""
        dec = list(decisions)
        codes = None if code_ids is None else list(code_ids)
        if not dec or codes == []:
            return []
        sql = ('SELECT id, answer_id, code_id, start, "end", status, scope FROM codings '
               f"WHERE +decision IN ({','.join('?' * len(dec))})" + ("" if include_negated else " AND negated = 0"))
        if codes is not None:
            sql += f" AND code_id IN ({','.join('?' * len(codes))})"
        with self.read() as con:
            cur = con.cursor()
            cur.row_factory = None
            return cur.execute(sql, dec + (codes or [])).fetchall()

    def coverage_codings_packed(self, decisions: Iterable[str], include_negated: bool = False,
                                code_ids: Optional[Iterable[str]] = None, max_codes: int = 128,
                                max_labels: int = 62) -> Optional[tuple[list, list, list, tuple]]:
        """`coverage_codings` packed for a large project: (code ids, statuses, scopes, columns), where columns
        are seven comma-separated lists in one row order: coding id, answer id, code (index into the code
        ids), start, end, status and scope (indices into their lists; -1 for a value written after the lists
        were read). One aggregate row instead of a Python tuple per coding: a fraction of the time. None when
        there are more than `max_codes` codes or `max_labels` statuses or scopes (use `coverage_codings`)."""
        dec = list(decisions)
        codes = None if code_ids is None else list(code_ids)
        if not dec or codes == []:
            return [], [], [], ("",) * 7
        where = (f"WHERE +decision IN ({','.join('?' * len(dec))})" + ("" if include_negated else " AND negated = 0")
                 + ("" if codes is None else f" AND code_id IN ({','.join('?' * len(codes))})"))
        with self.read() as con:
            cur = con.cursor()
            cur.row_factory = None
            names = [r[0] for r in cur.execute("SELECT DISTINCT code_id FROM codings")]  # the code index
            pairs = cur.execute("SELECT DISTINCT status, scope FROM codings").fetchall()
            statuses = list(dict.fromkeys(p[0] for p in pairs))
            scopes = list(dict.fromkeys(p[1] for p in pairs))
            if len(names) > max_codes or max(len(statuses), len(scopes)) > max_labels:
                return None

            def index(column: str, labels: list) -> str:
                return (f"CASE {column} " + " ".join(f"WHEN ? THEN {i}" for i in range(len(labels)))
                        + " ELSE -1 END") if labels else "-1"

            sql = (f"SELECT group_concat(id), group_concat(answer_id), group_concat({index('code_id', names)}), "
                   f'group_concat(start), group_concat("end"), group_concat({index("status", statuses)}), '
                   f"group_concat({index('scope', scopes)}) FROM codings " + where)
            row = cur.execute(sql, names + statuses + scopes + dec + (codes or [])).fetchone()
        return names, statuses, scopes, tuple(x or "" for x in row)


    # --------------------------------------------------------------- members
    def members(self) -> list[dict]:
        """The project's members (email, role, added_at, added_by), ägare first, then by e-mail."""
        with self.read() as con:
            rows = [dict(r) for r in con.execute("SELECT email, role, added_at, added_by FROM members")]
        return sorted(rows, key=lambda r: (ROLES.index(r["role"]) if r["role"] in ROLES else 9, r["email"]))

    def member_role(self, email: Optional[str]) -> Optional[str]:
        """The role of `email` in this project, or None when it is not a member."""
        with self.read() as con:
            row = con.execute("SELECT role FROM members WHERE email = ?", (normalize_email(email or ""),)).fetchone()
        return str(row[0]) if row else None

    def add_member(self, email: str, role: str, added_by: Optional[str] = None) -> None:
        """Add a member or change the role of one (audited). Swedish StoreError on a bad address or role."""
        problem = email_problem(email) or role_problem(role)
        if problem:
            raise StoreError(problem)
        address = normalize_email(email)

        def op(con: sqlite3.Connection) -> None:
            before = con.execute("SELECT role FROM members WHERE email = ?", (address,)).fetchone()
            if before and before[0] == role:
                return
            con.execute(
                "INSERT INTO members(email, role, added_at, added_by) VALUES (?,?,?,?) "
                "ON CONFLICT(email) DO UPDATE SET role = excluded.role",
                (address, role, now_iso(), added_by),
            )
            append_audit(con, audit.member_set(added_by, address, before[0] if before else None, role))

        self.write(op)

    def remove_member(self, email: str, removed_by: Optional[str] = None) -> bool:
        """Remove a member (audited). False when the address was not a member."""
        address = normalize_email(email)

        def op(con: sqlite3.Connection) -> bool:
            before = con.execute("SELECT role FROM members WHERE email = ?", (address,)).fetchone()
            if before is None:
                return False
            con.execute("DELETE FROM members WHERE email = ?", (address,))
            append_audit(con, audit.member_removed(removed_by, address, before[0]))
            return True

        return self.write(op)

    # ------------------------------------------------------- answer review
    def set_coding_status_scope(self, coding_id: int, analyst: str, *, status: Optional[str] = None,
                                scope: Optional[str] = None) -> Coding:
        """Correct a coding's status and/or scope (planerad/pågående/…, projekt/breddinförd/…); audited, undoable."""

        def op(con: sqlite3.Connection) -> None:
            _refuse_reader(con, analyst)
            before = con.execute("SELECT * FROM codings WHERE id = ?", (coding_id,)).fetchone()
            if before is None:
                raise StoreError("Kodningen finns inte längre (svaret kan ha ersatts vid en ny import).")
            new_status = status if status is not None else before["status"]
            new_scope = scope if scope is not None else before["scope"]
            if (new_status, new_scope) == (before["status"], before["scope"]):
                return
            con.execute("UPDATE codings SET status = ?, scope = ? WHERE id = ?", (new_status, new_scope, coding_id))
            after = con.execute("SELECT * FROM codings WHERE id = ?", (coding_id,)).fetchone()
            append_audit(con, audit.coding_status_scope(analyst, coding_id, before, after))

        self.write(op)
        return self.coding(coding_id)  # type: ignore[return-value]

    def review_answers(self, *, code_id: Optional[str] = None, include_negated: bool = True) -> list[tuple[int, float, int]]:
        """Answers with open suggestions as (answer_id, lowest confidence, open suggestions), least certain first."""
        where, params = ["decision = 'suggested'"], []
        if code_id:
            where.append("code_id = ?")
            params.append(code_id)
        if not include_negated:
            where.append("negated = 0")
        with self.read() as con:
            rows = con.execute(
                f"SELECT answer_id, MIN(confidence), COUNT(*) FROM codings WHERE {' AND '.join(where)} "
                "GROUP BY answer_id ORDER BY MIN(confidence), answer_id", params).fetchall()
        return [(int(r[0]), float(r[1] or 0.0), int(r[2])) for r in rows]

    def review_progress(self, *, code_id: Optional[str] = None) -> tuple[int, int]:
        """(answers with codings and no open suggestion, answers with codings), optionally for one code."""
        done, _started, total = self.review_counts(code_id=code_id)
        return done, total

    def review_counts(self, *, code_id: Optional[str] = None) -> tuple[int, int, int]:
        """(answers with codings and no open suggestion, answers begun: some decided and some still open,
        answers with codings), optionally for one code."""
        where, params = "", []
        if code_id:
            where, params = " WHERE code_id = ?", [code_id]
        with self.read() as con:
            row = con.execute(
                "SELECT COUNT(*), COALESCE(SUM(open = 0), 0), COALESCE(SUM(open > 0 AND open < n), 0) FROM "
                "(SELECT answer_id, SUM(decision = 'suggested') AS open, COUNT(*) AS n "
                f"FROM codings{where} GROUP BY answer_id)", params).fetchone()
        return int(row[1]), int(row[2]), int(row[0])

    # ---------------------------------------------------------------- rounds
    def set_file_round(self, file_id: int, round_label: str, analyst: Optional[str] = None) -> int:
        """Move the answers of an imported file (imported into the wrong round) to another round.

        Returns how many answers moved (codings stay with them). A file whose answers are in
        several rounds is refused with a Swedish StoreError (moving would merge the rounds).
        """

        def op(con: sqlite3.Connection) -> int:
            rounds = [r[0] for r in con.execute(
                "SELECT DISTINCT round_label FROM answers WHERE source_file_id = ?", (int(file_id),))]
            if len(rounds) > 1:
                raise StoreError("Filen finns i flera omgångar (" + ", ".join(r or "(ingen)" for r in rounds)
                                 + "); den kan inte flyttas till en enda omgång.")
            return _relabel_file(con, int(file_id), round_label.strip(), analyst)

        return self.write(op)


    # ------------------------------------------------------------ team coding
    TAGGER = "taggaren"

    def add_coder_codings(self, items: Iterable[tuple[int, str, str, int, int]], *, origin: str = "manual",
                          created_at: Optional[Iterable[Optional[str]]] = None,
                          analyst: Optional[str] = None) -> int:
        """Store (answer_id, coder, code_id, start, end) as that coder's own codings; returns how many are new.

        A coder's codings never touch the project's codings (the final coding); `created_at` gives
        each item's date (e.g. from an imported file), else now.
        """
        rows = list(items)
        dates = list(created_at) if created_at is not None else [None] * len(rows)
        at = now_iso()

        def op(con: sqlite3.Connection) -> int:
            before = con.total_changes
            con.executemany(
                'INSERT OR IGNORE INTO coder_codings(answer_id, coder, code_id, start, "end", origin, created_at) '
                "VALUES (?,?,?,?,?,?,?)",
                [(a, c, k, s, e, origin, d or at) for (a, c, k, s, e), d in zip(rows, dates)],
            )
            n = con.total_changes - before
            if n:
                append_audit(con, audit.coder_codings_added(analyst, n, origin))
            return n

        return self.write(op)

    def remove_coder_coding(self, coding_id: int, analyst: Optional[str] = None) -> None:
        """Delete one of a coder's own codings (audited)."""

        def op(con: sqlite3.Connection) -> None:
            row = con.execute("SELECT * FROM coder_codings WHERE id = ?", (coding_id,)).fetchone()
            if row is not None:
                con.execute("DELETE FROM coder_codings WHERE id = ?", (coding_id,))
                append_audit(con, audit.coder_coding_removed(analyst, coding_id, row))

        self.write(op)

    def coder_codings(self, coder: Optional[str] = None, answer_ids: Optional[Iterable[int]] = None) -> list[dict]:
        """Coders' own codings (id, answer_id, coder, code_id, start, end, origin, created_at, text)."""
        sql = ('SELECT c.id, c.answer_id, c.coder, c.code_id, c.start, c."end", c.origin, c.created_at, '
               "substr(a.text, c.start + 1, c.\"end\" - c.start) AS text FROM coder_codings c "
               "JOIN answers a ON a.id = c.answer_id")
        where, params = [], []
        if coder is not None:
            where.append("c.coder = ?")
            params.append(coder)
        if answer_ids is not None:
            ids = list(answer_ids)
            if not ids:
                return []
            where.append(f"c.answer_id IN ({','.join('?' * len(ids))})")
            params += ids
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY c.answer_id, c.start, c.code_id, c.coder"
        with self.read() as con:
            return [dict(r) for r in con.execute(sql, params).fetchall()]

    def assign(self, answer_ids: Iterable[int], coders: Iterable[str], *, sample: str = "",
               blind: bool = False, done: bool = False, analyst: Optional[str] = None) -> int:
        """Assign answers to coders for double coding; returns how many assignments were added or updated.

        `done=True` records answers the coders have already coded (e.g. from an imported file).
        """
        pairs = [(a, c) for a in answer_ids for c in coders]
        at = now_iso()

        def op(con: sqlite3.Connection) -> int:
            before = con.total_changes
            con.executemany(
                "INSERT INTO coder_assignments(answer_id, coder, sample, blind, done, assigned_at) "
                "VALUES (?,?,?,?,?,?) ON CONFLICT(answer_id, coder) DO UPDATE SET done = MAX(done, excluded.done)",
                [(a, c, sample, int(blind), int(done), at) for a, c in pairs])
            n = con.total_changes - before
            append_audit(con, audit.assigned(analyst, sample, n, blind))
            return n

        return self.write(op)

    def assignments(self, coder: Optional[str] = None) -> list[dict]:
        """Assignments (answer_id, coder, sample, blind, done, assigned_at), by answer."""
        sql, params = "SELECT * FROM coder_assignments", []
        if coder is not None:
            sql += " WHERE coder = ?"
            params.append(coder)
        with self.read() as con:
            return [dict(r) for r in con.execute(sql + " ORDER BY answer_id, coder", params).fetchall()]

    def set_assignment_done(self, answer_id: int, coder: str, done: bool = True) -> None:
        """Mark an assigned answer as coded by the coder (also when no code applies)."""

        def op(con: sqlite3.Connection) -> None:
            con.execute("UPDATE coder_assignments SET done = ? WHERE answer_id = ? AND coder = ?",
                        (int(done), answer_id, coder))
            append_audit(con, audit.assignment_done(coder, answer_id, done))

        self.write(op)

    def coders(self) -> list[str]:
        """Names of everyone with own codings, assignments or decided project codings."""
        with self.read() as con:
            rows = con.execute(
                "SELECT coder FROM coder_codings UNION SELECT coder FROM coder_assignments UNION "
                "SELECT analyst FROM codings WHERE analyst IS NOT NULL AND decision IN ('accepted','manual')"
            ).fetchall()
        return sorted({r[0] for r in rows if r[0]}, key=str.lower)

    def coder_spans(self, coder: str) -> dict[int, dict[str, list[tuple[int, int]]]]:
        """Answer id → code → spans the coder marked, over the answers the coder has coded.

        A coder's passages are the answers with their own codings, their assignments marked done
        and their accepted/manual project codings. `TAGGER` ("taggaren", also "tagger") is the
        automatic tagger: every answer, with the codes it suggested (whatever the decision; a negated
        suggestion, "inga mobila team", says the code is absent and is not a use of it).
        """
        out: dict[int, dict[str, list[tuple[int, int]]]] = {}

        def add(aid: int, code: str, start: int, end: int) -> None:
            spans = out.setdefault(int(aid), {}).setdefault(code, [])
            if (int(start), int(end)) not in spans:
                spans.append((int(start), int(end)))

        with self.read() as con:
            if coder.strip().lower() in (self.TAGGER, "tagger"):
                for (aid,) in con.execute("SELECT id FROM answers"):
                    out[int(aid)] = {}
                for row in con.execute('SELECT answer_id, code_id, start, "end" FROM codings '
                                       "WHERE origin IN ('rule', 'model') AND negated = 0"):
                    add(*row)
                return out
            for (aid,) in con.execute("SELECT answer_id FROM coder_assignments WHERE coder = ? AND done = 1", (coder,)):
                out.setdefault(int(aid), {})
            for row in con.execute('SELECT answer_id, code_id, start, "end" FROM coder_codings WHERE coder = ?',
                                   (coder,)):
                add(*row)
            for row in con.execute('SELECT answer_id, code_id, start, "end" FROM codings WHERE analyst = ? '
                                   "AND decision IN ('accepted','manual')", (coder,)):
                add(*row)
        return out

    def coder_presence(self, coder: str) -> dict[int, set[str]]:
        """Answer id → codes the coder used, over the answers the coder has coded (see `coder_spans`)."""
        return {aid: set(codes) for aid, codes in self.coder_spans(coder).items()}

    def answer_origins(self) -> dict[int, tuple[str, Optional[str]]]:
        """Answer id → (when its file was imported, its round label or None when rounds are not recorded)."""
        with self.read() as con:
            columns = {r[1] for r in con.execute("PRAGMA table_info(answers)")}
            round_col = "a.round_label" if "round_label" in columns else "NULL"
            rows = con.execute(f"SELECT a.id, s.imported_at, {round_col} FROM answers a "
                               "JOIN source_files s ON s.id = a.source_file_id").fetchall()
        return {int(r[0]): (r[1], r[2] if r[2] not in ("",) else None) for r in rows}

    # ---------------------------------------------------------------- learned models
    def decision_count(self) -> int:
        """How many codings the analysts decided on (accepted, rejected, recoded, manual)."""
        with self.read() as con:
            row = con.execute(
                "SELECT COUNT(*) FROM codings WHERE decision IN ('accepted', 'rejected', 'manual')").fetchone()
        return int(row[0])

    def save_project_model(self, kind: str, blob: bytes, n_decisions: int) -> None:
        """Store a newly trained project model of a kind (the latest row of a kind is the current one)."""

        def op(con: sqlite3.Connection) -> None:
            con.execute("INSERT INTO project_models(kind, blob, n_decisions, trained_at) VALUES (?,?,?,?)",
                        (kind, blob, int(n_decisions), now_iso()))
            # keep the three latest rows per kind
            con.execute("DELETE FROM project_models WHERE kind = ? AND id NOT IN "
                        "(SELECT id FROM project_models WHERE kind = ? ORDER BY id DESC LIMIT 3)", (kind, kind))

        self.write(op)

    def project_model(self, kind: str) -> Optional[tuple[bytes, int, str]]:
        """(blob, n_decisions, trained_at) of the current project model of a kind, or None."""
        with self.read() as con:
            row = con.execute("SELECT blob, n_decisions, trained_at FROM project_models WHERE kind = ? "
                              "ORDER BY id DESC LIMIT 1", (kind,)).fetchone()
        return (bytes(row[0]), int(row[1]), str(row[2])) if row else None

    def recoded_away(self) -> list[tuple[int, str]]:
        """(answer_id, former code) of every recode not undone: the analyst said the former code was wrong there."""
        with self.read() as con:
            return _recoded_away(con)
    # ---------------------------------------------------------- import reports
    def add_import_reports(self, batch: str, reports: Iterable[dict]) -> None:
        """Append the OK/FEL reports of one import batch (path, name, ok, status, answers, message, warnings).

        A report is history, not data: the data version is not bumped.
        """
        at = now_iso()
        rows = [(batch, at, str(r.get("path") or r.get("name") or ""), str(r.get("name") or ""),
                 int(bool(r.get("ok"))), str(r.get("status") or ""), int(r.get("answers") or 0),
                 str(r.get("message") or ""), json.dumps(list(r.get("warnings") or []), ensure_ascii=False))
                for r in reports]
        if not rows:
            return

        def op(con: sqlite3.Connection) -> None:
            con.executemany(
                "INSERT INTO import_reports(batch, at, path, name, ok, status, answers, message, warnings) "
                "VALUES (?,?,?,?,?,?,?,?,?)", rows)

        self.write(op, bump=False)

    def import_reports(self, limit: int = 1000) -> list[dict]:
        """Stored import reports, newest first: dicts with batch, at, path, name, ok, status, answers, message, warnings."""
        with self.read() as con:
            rows = con.execute("SELECT * FROM import_reports ORDER BY id DESC LIMIT ?", (int(limit),)).fetchall()
        return [{**dict(r), "ok": bool(r["ok"]), "warnings": json.loads(r["warnings"] or "[]")} for r in rows]

    def ocr_confidences(self) -> dict[int, float]:
        """answer id → OCR confidence (0-100) for answers read by OCR."""
        with self.read() as con:
            rows = con.execute("SELECT id, ocr_confidence FROM answers WHERE ocr_confidence IS NOT NULL").fetchall()
        return {int(r[0]): float(r[1]) for r in rows}


# ------------------------------------------------------------------ helpers
def _refuse_reader(con: sqlite3.Connection, analyst: Optional[str]) -> None:
    """Refuse a decision by a member whose role is läsare (browses and exports only)."""
    if not analyst:
        return
    row = con.execute("SELECT role FROM members WHERE email = ?", (normalize_email(analyst),)).fetchone()
    if row and row[0] == READER:
        raise StoreError(f"{analyst} har rollen läsare i projektet och får inte fatta beslut eller koda.")
def _relabel_file(con: sqlite3.Connection, file_id: int, label: str, analyst: Optional[str] = None) -> int:
    """Move every answer of one source file to round `label` (audited); returns how many moved."""
    before = [r[0] for r in con.execute(
        "SELECT DISTINCT round_label FROM answers WHERE source_file_id = ? AND round_label != ?", (file_id, label))]
    if not before:
        return 0
    moved = con.execute("UPDATE answers SET round_label = ? WHERE source_file_id = ? AND round_label != ?",
                        (label, file_id, label)).rowcount
    append_audit(con, audit.round_set(analyst, file_id, before, label, moved))
    return moved


def respondent_id(con: sqlite3.Connection, r: Respondent) -> tuple[int, bool]:
    """The id of respondent (name, type), inserting it when the project lacks it; True when inserted."""
    row = con.execute("SELECT id FROM respondents WHERE name = ? AND type IS ?", (r.name, r.type)).fetchone()
    if row:
        return int(row[0]), False
    cur = con.execute(
        "INSERT INTO respondents(name, type, lan, lan_code, kommun_code, resolved, raw_name) VALUES (?,?,?,?,?,?,?)",
        (r.name, r.type, r.lan, r.lan_code, r.kommun_code, int(r.resolved), r.raw_name),
    )
    return int(cur.lastrowid), True


def append_audit(con: sqlite3.Connection, record: audit.AuditRecord) -> None:
    """Write one audit record (built in `models.audit`) to the audit log, in the caller's transaction."""
    con.execute(
        "INSERT INTO audit_log(at, analyst, action, entity, entity_id, before, after, ref) VALUES (?,?,?,?,?,?,?,?)",
        (now_iso(), record.analyst, record.action, record.entity,
         None if record.entity_id is None else str(record.entity_id),
         None if record.before is None else json.dumps(record.before, ensure_ascii=False, default=str),
         None if record.after is None else json.dumps(record.after, ensure_ascii=False, default=str), record.ref),
    )


_DECIDED = "('accepted', 'rejected', 'manual')"


def _count_decided(con: sqlite3.Connection, answer_ids: list[int]) -> int:
    """How many codings of these answers an analyst decided on."""
    if not answer_ids:
        return 0
    return int(con.execute(f"SELECT COUNT(*) FROM codings WHERE decision IN {_DECIDED} AND answer_id IN "
                           f"({','.join('?' * len(answer_ids))})", answer_ids).fetchone()[0])


def _decided_codings(con: sqlite3.Connection, answer_ids: list[int]) -> list[tuple[dict, str]]:
    """(coding row, its answer's text) of every decided coding of these answers, oldest first."""
    if not answer_ids:
        return []
    rows = con.execute(
        f"SELECT c.*, a.text AS answer_text FROM codings c JOIN answers a ON a.id = c.answer_id "
        f"WHERE c.decision IN {_DECIDED} AND c.answer_id IN ({','.join('?' * len(answer_ids))}) ORDER BY c.id",
        answer_ids).fetchall()
    return [({k: r[k] for k in r.keys() if k != "answer_text"}, str(r["answer_text"])) for r in rows]


def _move_decided_coding(con: sqlite3.Connection, coding: dict, old_text: str,
                         candidates: list[tuple[int, str]]) -> int:
    """Put a decided coding of a replaced answer on the same words in a corrected answer of the same
    question (its evidence shifted with it); 1 when it found them, 0 when the words are gone."""
    start, end = int(coding["start"]), int(coding["end"])
    words = old_text[start:end]
    for answer_id, text in candidates:
        at = text.find(words) if words else -1
        if at < 0:
            continue
        shift = at - start
        moved = {**coding, "answer_id": answer_id, "start": at, "end": at + len(words),
                 "evidence_start": int(coding["evidence_start"]) + shift,
                 "evidence_end": int(coding["evidence_end"]) + shift}
        moved.pop("id", None)
        columns = list(moved)
        con.execute(f"INSERT OR IGNORE INTO codings({','.join(chr(34) + c + chr(34) for c in columns)}) "
                    f"VALUES ({','.join('?' * len(columns))})", [moved[c] for c in columns])
        return 1
    return 0


def _recoded_away(con: sqlite3.Connection, *, spans: bool = False) -> list[tuple]:
    """(answer_id, former code) of every recode that was not undone, with the coding's (start, end) when `spans`."""
    rows = con.execute(
        "SELECT before FROM audit_log WHERE action = 'recode' AND entity = 'coding' AND id NOT IN "
        "(SELECT ref FROM audit_log WHERE action = 'undo' AND ref IS NOT NULL)").fetchall()
    out: list[tuple] = []
    for (b,) in rows:
        before = _loads(b)
        if isinstance(before, dict) and "answer_id" in before and "code_id" in before:
            key: tuple = (int(before["answer_id"]), str(before["code_id"]))
            if spans:
                if before.get("start") is None or before.get("end") is None:
                    continue
                key += (int(before["start"]), int(before["end"]))
            out.append(key)
    return out


def _clear_suggestion_in_the_way(con: sqlite3.Connection, row: dict, keep_id: Optional[int]) -> None:
    """Before an undo restores `row`, remove a machine suggestion that took its place since.

    A re-tag may have suggested the same code on the same span (or been given the same id).
    Such a suggestion yields to the analyst's restored coding; a decided coding never does:
    then the undo is refused with a Swedish message.
    """
    occupants = con.execute(
        'SELECT id, decision FROM codings WHERE ((answer_id=? AND code_id=? AND start=? AND "end"=?) OR id=?) '
        "AND id IS NOT ?",
        (row["answer_id"], row["code_id"], row["start"], row["end"], row["id"], keep_id),
    ).fetchall()
    for occupant_id, decision in occupants:
        if decision != "suggested":
            raise StoreError(
                "Beslutet kan inte ångras: samma kod på samma utdrag har redan ett annat beslut. "
                "Ändra det i stället direkt."
            )
        con.execute("DELETE FROM codings WHERE id = ?", (occupant_id,))


def _loads(value: Optional[str]) -> Any:
    return None if value is None else json.loads(value)


def _respondent(r: sqlite3.Row) -> Respondent:
    return Respondent(r["name"], r["type"], r["lan"], r["lan_code"], r["kommun_code"], bool(r["resolved"]),
                      r["raw_name"], r["id"])


def _coding(r: sqlite3.Row) -> Coding:
    text = r["answer_text"][r["start"]:r["end"]]
    return Coding(
        r["id"], r["answer_id"], r["code_id"], r["start"], r["end"], r["evidence_start"], r["evidence_end"],
        bool(r["negated"]), r["status"], r["scope"], r["confidence"], r["origin"], r["decision"], r["analyst"],
        r["decided_at"], r["memo"], text,
    )


def question_sort_key(qid: str) -> tuple[int, str]:
    """Sort '2' < '5a' < '5b' < '10a' (numeric part first)."""
    digits = "".join(ch for ch in qid if ch.isdigit())
    return (int(digits) if digits else 10_000, qid)


def _round_condition(round_label: Union[str, Sequence[str], None]) -> tuple[str, list]:
    """The SQL condition on ``answers a`` for one round, several or all (``""``), and its parameters."""
    if isinstance(round_label, str):
        return "a.round_label = ?", [round_label]
    if round_label is None:
        return "", []
    labels = list(round_label)
    return f"a.round_label IN ({','.join('?' * len(labels))})", labels
