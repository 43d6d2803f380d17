"""Audit log, undo, excerpt history, backups before migrations, newer projects, download/re-open.

"""
from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

import models.store as store_module
from models.records import CodingSuggestion, ParsedFile, RawAnswer, Respondent
from models.schema import MIGRATIONS, SCHEMA_VERSION
from models.store import NewerProjectError, ProjectStore, StoreError

TEXTS = {
    "5a": "Vi har mobila team i hela länet. SIP används för alla patienter.",
    "6": "Egenmonitorering i hemmet planeras 2023. Patientkontrakt finns.",
    "8a": "Ingen fast vårdkontakt ännu.",
}


def resolve(a: RawAnswer) -> Respondent:
    return Respondent(a.respondent, "region", "Dalarnas län")


def make_project(path: Path) -> ProjectStore:
    store = ProjectStore(path)
    answers = [RawAnswer("Region Dalarna", q, t, position=i) for i, (q, t) in enumerate(TEXTS.items())]
    store.import_parsed(ParsedFile("dalarna.docx", "docx", "sha-1", 10, answers), resolve)
    suggestions = []
    for a in store.answers():
        first = a.text.index(".") + 1
        for code in ("mobila_team", "sip", "egenmonitorering"):
            suggestions.append(CodingSuggestion(a.id, code, 0, first, 0, 3, confidence=0.4))
        suggestions.append(CodingSuggestion(a.id, "patientkontrakt", first + 1, len(a.text), first + 1, first + 4))
    store.replace_suggestions(suggestions)
    return store


def state(store: ProjectStore) -> tuple:
    """Everything an analyst's decision can change: codings and memos."""
    with store.read() as con:
        codings = con.execute(
            'SELECT id, answer_id, code_id, start, "end", decision, analyst, decided_at FROM codings ORDER BY id'
        ).fetchall()
        memos = con.execute("SELECT target_type, target_id, text FROM memos ORDER BY 1, 2").fetchall()
    return tuple(map(tuple, codings)), tuple(map(tuple, memos))


def table_dump(path: Path) -> dict[str, list]:
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables}
    finally:
        con.close()


@pytest.fixture()
def store(tmp_path):
    s = make_project(tmp_path / "projekt.sqlite")
    yield s
    s.close()


def by_code(store: ProjectStore) -> dict[tuple[int, str], int]:
    return {(c.answer_id, c.code_id): c.id for c in store.codings()}


# ------------------------------------------------------------- append-only
def test_audit_log_refuses_update_and_delete_from_every_connection(store, tmp_path):
    coding = store.codings()[0]
    store.decide(coding.id, "accepted", "anna")
    rows_before = table_dump(store.path)["audit_log"]
    attempts = refused = 0
    other = sqlite3.connect(store.path)
    try:
        for con in (other,):
            for sql in ("UPDATE audit_log SET analyst = 'mallory'", "DELETE FROM audit_log",
                        "UPDATE audit_log SET after = NULL WHERE action = 'accepted'",
                        "DELETE FROM audit_log WHERE action = 'accepted'"):
                attempts += 1
                with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                    con.execute(sql)
                refused += 1
            con.rollback()
    finally:
        other.close()

    # through the store: the whole transaction is rolled back, the decision in it too
    def tamper(con):
        con.execute("UPDATE codings SET decision = 'rejected' WHERE id = ?", (coding.id,))
        con.execute("DELETE FROM audit_log")

    attempts += 1
    with pytest.raises(sqlite3.DatabaseError):
        store.write(tamper)
    refused += 1
    assert store.coding(coding.id).decision == "accepted"
    assert table_dump(store.path)["audit_log"] == rows_before
    print(f"\naudit log tamper attempts {attempts}, refused {refused}, rows unchanged {len(rows_before)}")


def test_every_change_is_audited_with_who_when_what_before_after(store):
    ids = by_code(store)
    a1, a2, a3 = [a.id for a in store.answers()]
    store.decide(ids[(a1, "mobila_team")], "accepted", "anna")
    store.decide(ids[(a1, "sip")], "rejected", "anna")
    store.decide(ids[(a2, "sip")], "accepted", "bo", code_id="egenmonitorering_v2")
    manual = store.add_manual_coding(a3, "fast_kontakt", 0, 5, "bo")
    store.set_memo("coding", manual, "Oklart om det gäller hela länet", "bo")
    respondent = store.respondents()[0]
    store.correct_respondent(respondent.id, Respondent("Region Dalarna", "region", "Dalarnas län"), "anna")
    store.update_answer(a3, question="8b", analyst="anna")
    log = store.audit()
    actions = [(r["action"], r["analyst"]) for r in reversed(log) if r["analyst"]]
    assert actions == [("accepted", "anna"), ("rejected", "anna"), ("recode", "bo"), ("manual", "bo"),
                       ("memo", "bo"), ("correct_respondent", "anna"), ("correct_answer", "anna")]
    for row in log:
        assert datetime.fromisoformat(row["at"]).tzinfo is not None
        assert row["entity"] and row["action"]
    recode = next(r for r in log if r["action"] == "recode")
    assert (recode["before"]["code_id"], recode["after"]["code_id"]) == ("sip", "egenmonitorering_v2")
    assert (recode["before"]["decision"], recode["after"]["decision"]) == ("suggested", "accepted")
    memo = next(r for r in log if r["action"] == "memo")
    assert (memo["before"], memo["after"], memo["entity_id"]) == (None, "Oklart om det gäller hela länet", str(manual))
    moved = next(r for r in log if r["action"] == "correct_answer")
    assert (moved["before"]["question_id"], moved["after"]["question_id"]) == ("8a", "8b")
    print(f"\naudited changes: {len(actions)} analyst changes + {len(log) - len(actions)} system rows")


# -------------------------------------------------------------------- undo
def test_undo_one_by_one_restores_each_earlier_state_and_leaves_others_alone(store):
    ids = by_code(store)
    a1, a2, a3 = [a.id for a in store.answers()]
    snapshots = [state(store)]
    anna_steps = [
        lambda: store.decide(ids[(a1, "mobila_team")], "accepted", "anna"),
        lambda: store.decide(ids[(a1, "sip")], "rejected", "anna"),
        lambda: store.decide(ids[(a2, "sip")], "accepted", "anna", code_id="sip_ny"),
        lambda: store.add_manual_coding(a3, "fast_kontakt", 0, 5, "anna"),
        lambda: store.set_memo("coding", ids[(a1, "mobila_team")], "Första memo", "anna"),
        lambda: store.set_memo("coding", ids[(a1, "mobila_team")], "Ändrat memo", "anna"),
        lambda: store.decide(ids[(a1, "mobila_team")], "rejected", "anna"),  # changes its mind
        lambda: store.add_manual_coding(a1, "mobila_team", 0, 32, "anna"),  # manual on an existing coding
    ]
    bo_target = ids[(a3, "egenmonitorering")]
    for n, step in enumerate(anna_steps):
        step()
        if n == 3:  # bo decides in between on another excerpt
            store.decide(bo_target, "accepted", "bo")
        snapshots.append(state(store))
    bo_state = store.coding(bo_target)

    undone = []
    for expected in reversed(snapshots[:-1]):
        row = store.undo_last("anna")
        assert row is not None
        undone.append(row["action"])
        got_codings, got_memos = state(store)
        exp_codings, exp_memos = expected
        # bo's decision stays whatever anna undoes
        bo_now = store.coding(bo_target)
        assert (bo_now.decision, bo_now.analyst) == ("accepted", "bo")
        # compare without bo's row (bo decided after snapshot 4)
        strip = lambda rows: tuple(r for r in rows if r[0] != bo_target)  # noqa: E731
        assert strip(got_codings) == strip(exp_codings)
        assert got_memos == exp_memos
    assert store.undo_last("anna") is None
    assert store.coding(bo_target) == bo_state
    print(f"\nundo one by one: {len(undone)} of anna's decisions undone in order {undone}; bo's decision kept")
    assert undone == ["manual", "rejected", "memo", "memo", "manual", "recode", "rejected", "accepted"]


def test_history_of_an_excerpt_is_newest_first_with_a_consistent_chain(store):
    coding_id = store.codings()[0].id
    store.decide(coding_id, "accepted", "anna")
    store.decide(coding_id, "rejected", "bo")
    store.decide(coding_id, "accepted", "cecilia", code_id="sip_ny")
    store.set_memo("coding", coding_id, "Se även fråga 6", "anna")
    history = store.audit(entity="coding", entity_id=coding_id)
    assert [(h["action"], h["analyst"]) for h in history] == [
        ("memo", "anna"), ("recode", "cecilia"), ("rejected", "bo"), ("accepted", "anna")]
    decisions = [h for h in history if h["action"] != "memo"]
    for newer, older in zip(decisions, decisions[1:]):
        assert newer["before"]["decision"] == older["after"]["decision"]
        assert newer["before"]["analyst"] == older["after"]["analyst"]
    assert decisions[-1]["before"]["decision"] == "suggested"


def test_history_of_an_excerpt_shows_undo(store):
    coding_id = store.codings()[0].id
    store.decide(coding_id, "accepted", "anna")
    store.undo_last("anna")
    history = store.audit(entity="coding", entity_id=coding_id)
    assert [h["action"] for h in history] == ["undo", "accepted"]


def test_recode_onto_existing_coding_never_loses_the_other_decision(store):
    ids = by_code(store)
    a1 = store.answers()[0].id
    store.decide(ids[(a1, "mobila_team")], "accepted", "bo")
    store.decide(ids[(a1, "sip")], "accepted", "anna", code_id="mobila_team")
    deleted_audited = [h for h in store.audit(entity="coding", entity_id=ids[(a1, "mobila_team")])
                       if h["analyst"] == "anna"]
    store.undo_last("anna")
    after_undo = {(c.code_id, c.decision, c.analyst) for c in store.codings(answer_ids=[a1])}
    assert deleted_audited, "the removal of bo's coding is not in the audit log"
    assert ("mobila_team", "accepted", "bo") in after_undo


def test_undo_never_overwrites_a_later_decision_by_someone_else(store):
    coding_id = store.codings()[0].id
    store.decide(coding_id, "accepted", "anna")
    store.decide(coding_id, "rejected", "bo")
    try:
        store.undo_last("anna")
    except StoreError:
        pass  # refusing with a Swedish message is fine too
    now = store.coding(coding_id)
    assert (now.decision, now.analyst) == ("rejected", "bo")


@pytest.mark.parametrize("case", ["retag-suggests-the-old-code-again", "retag-reuses-the-replaced-id"])
def test_undo_of_a_recode_after_a_retag_undoes_or_refuses_cleanly(store, case):
    a1 = store.answers()[0].id
    first = store.answers()[0].text.index(".") + 1
    if case == "retag-suggests-the-old-code-again":
        target = by_code(store)[(a1, "sip")]
        store.decide(target, "accepted", "anna", code_id="omkodad")
        store.replace_suggestions([CodingSuggestion(a1, "sip", 0, first, 0, 3)], answer_ids=[a1])
    else:
        with store.read() as con:
            top = con.execute("SELECT max(id) FROM codings").fetchone()[0]
        bos = store.add_manual_coding(a1, "fast_kontakt", 0, first, "bo")  # newest row: its id is the max
        assert bos == top + 1
        # anna recodes sip onto bo's code and span: bo's coding is replaced (kept in the audit row)
        store.decide(by_code(store)[(a1, "sip")], "accepted", "anna", code_id="fast_kontakt")
        # a re-tag inserts a suggestion; coding ids are never reused (AUTOINCREMENT), so it gets a new id
        store.replace_suggestions([CodingSuggestion(a1, "sip_ny", 0, first, 0, 3)], answer_ids=[a1])
        assert by_code(store)[(a1, "sip_ny")] > bos
    before = state(store)
    try:
        store.undo_last("anna")
    except StoreError:
        assert state(store) == before  # refused with a Swedish message and nothing changed
        return
    with store.read() as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# --------------------------------------------------------- migrations, backup
PROBE_MIGRATION = ["CREATE TABLE reliability_probe (x INTEGER)", "INSERT INTO reliability_probe VALUES (42)"]


def test_backup_is_made_before_a_schema_migration(tmp_path, monkeypatch):
    path = tmp_path / "gammal.sqlite"
    make_project(path).close()
    old_dump = table_dump(path)
    assert old_dump["answers"]
    # Simulate the next release: one more migration appended to the real list.
    monkeypatch.setattr(store_module, "MIGRATIONS", [*MIGRATIONS, PROBE_MIGRATION])
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    upgraded = ProjectStore(path, create=False)
    try:
        assert upgraded.schema_version() == SCHEMA_VERSION + 1
        with upgraded.read() as con:
            assert con.execute("SELECT x FROM reliability_probe").fetchone()[0] == 42
        assert len(upgraded.answers()) == len(TEXTS)
    finally:
        upgraded.close()
    backups = sorted(tmp_path.glob("gammal.v*.backup.sqlite"))
    assert [b.name for b in backups] == [f"gammal.v{SCHEMA_VERSION}.backup.sqlite"]
    con = sqlite3.connect(backups[0])
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    assert table_dump(backups[0]) == old_dump
    print(f"\nmigration v{SCHEMA_VERSION}->v{SCHEMA_VERSION + 1}: backup {backups[0].name}, "
          f"{sum(len(v) for v in old_dump.values())} rows identical to the file before migrating")


def test_failed_migration_leaves_the_project_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "gammal.sqlite"
    make_project(path).close()
    old_dump = table_dump(path)
    broken = ["CREATE TABLE half_done (x INTEGER)", "ALTER TABLE no_such_table ADD COLUMN y TEXT"]
    monkeypatch.setattr(store_module, "MIGRATIONS", [*MIGRATIONS, broken])
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(sqlite3.DatabaseError):
        ProjectStore(path, create=False)
    monkeypatch.undo()
    assert table_dump(path) == old_dump  # no half_done table, same rows
    reopened = ProjectStore(path, create=False)
    assert reopened.schema_version() == SCHEMA_VERSION
    reopened.close()
    assert (tmp_path / f"gammal.v{SCHEMA_VERSION}.backup.sqlite").exists()


@pytest.mark.parametrize("journal_mode", [
    "wal",
    "delete",
])
def test_newer_project_gives_swedish_message_and_file_is_byte_for_byte_unchanged(tmp_path, journal_mode):
    path = tmp_path / "framtida.sqlite"
    make_project(path).close()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA journal_mode = {journal_mode}")
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    con.commit()
    con.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    listing = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(NewerProjectError) as err:
        ProjectStore(path, create=False)
    message = str(err.value)
    assert "framtida.sqlite" in message and "nyare version" in message and "Inget har ändrats" in message
    assert str(SCHEMA_VERSION + 5) in message
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing  # no backup, no stray files


@pytest.mark.parametrize("content", [b"MZ\x90\x00" + bytes(600), b"SQLite format 3\x00" + b"\xff" * 200,
                                     "Det här är ingen databas".encode()])
def test_a_file_that_is_no_project_gives_a_swedish_message(tmp_path, content):
    path = tmp_path / "trasig.sqlite"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="trasig.sqlite är ingen giltig projektfil"):
        ProjectStore(path, create=False)
    assert path.read_bytes() == content


# ------------------------------------------------------------ download/re-open
def test_to_bytes_reopens_elsewhere_with_the_same_data(tmp_path, store):
    ids = by_code(store)
    a1 = store.answers()[0].id
    store.decide(ids[(a1, "mobila_team")], "accepted", "anna")
    store.set_memo("coding", ids[(a1, "mobila_team")], "Memo med <b>html</b> och =1+1", "anna")
    # A write from a second connection that is still only in the WAL must be in the download.
    other = ProjectStore(store.path, create=False)
    other.decide(ids[(a1, "sip")], "rejected", "bo")
    data = store.to_bytes()
    other.close()
    assert data.startswith(b"SQLite format 3\x00")
    elsewhere = tmp_path / "annan_dator" / "kopia.sqlite"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(data)
    con = sqlite3.connect(elsewhere)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # self-contained, no -wal needed
    con.close()
    original = table_dump(store.path)
    assert table_dump(elsewhere) == original
    reopened = ProjectStore(elsewhere, create=False)
    try:
        assert state(reopened) == state(store)
        assert reopened.coding(ids[(a1, "sip")]).decision == "rejected"
        assert reopened.undo_last("bo")["action"] == "rejected"  # the history travels with the file
    finally:
        reopened.close()
    print(f"\nto_bytes: {len(data)} bytes, {sum(len(v) for v in original.values())} rows re-opened identical")
