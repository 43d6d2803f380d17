"""The project store: import idempotence, replacement, decisions, audit, undo, versions."""
from __future__ import annotations

import sqlite3

import pytest

from models.records import CodingSuggestion, ParsedFile, RawAnswer, Respondent
from models.schema import SCHEMA_VERSION
from models.store import NewerProjectError, ProjectStore, StoreError


def resolve(a: RawAnswer) -> Respondent:
    return Respondent(a.respondent, "region", "Dalarnas län")


def parsed(sha: str, texts: dict[str, str], name: str = "dalarna.docx") -> ParsedFile:
    answers = [RawAnswer("Region Dalarna", q, t, position=i) for i, (q, t) in enumerate(texts.items())]
    return ParsedFile(name, "docx", sha, 100, answers)


@pytest.fixture()
def store(tmp_path):
    s = ProjectStore(tmp_path / "p.sqlite")
    yield s
    s.close()


def test_new_project_uses_wal_foreign_keys_and_current_schema(store):
    with store.read() as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.schema_version() == SCHEMA_VERSION


def test_reimport_same_file_changes_nothing(store):
    first = store.import_parsed(parsed("a1", {"5a": "Mobila team.", "6": "Egenmonitorering."}), resolve)
    version = store.data_version
    again = store.import_parsed(parsed("a1", {"5a": "Mobila team.", "6": "Egenmonitorering."}), resolve)
    assert (first.status, first.answers) == ("imported", 2)
    assert again.status == "unchanged"
    assert len(store.answers()) == 2
    assert store.data_version == version  # nothing changed, caches stay valid


def test_corrected_version_replaces_that_respondents_answers_and_says_so(store):
    store.import_parsed(parsed("a1", {"5a": "Gammal text.", "6": "Annat."}), resolve)
    outcome = store.import_parsed(parsed("a2", {"5a": "Rättad text."}), resolve)
    assert outcome.status == "replaced"
    assert outcome.replaced_answers == 2
    assert "ersatte 2 svar" in outcome.message
    assert [a.text for a in store.answers()] == ["Rättad text."]
    assert len(store.source_files()) == 1


def test_failed_write_leaves_previous_state(store):
    store.import_parsed(parsed("a1", {"5a": "Text."}), resolve)

    def boom(con):
        con.execute("DELETE FROM answers")
        raise RuntimeError("crash mid-write")

    with pytest.raises(RuntimeError):
        store.write(boom)
    assert len(store.answers()) == 1


def test_retag_never_overwrites_decisions_and_undo_restores(store):
    store.import_parsed(parsed("a1", {"5a": "Vi har mobila team i hela länet."}), resolve)
    answer = store.answers()[0]
    s = CodingSuggestion(answer.id, "mobila_team", 0, 32, 7, 18, confidence=0.6)
    store.replace_suggestions([s, CodingSuggestion(answer.id, "sip", 0, 32, 0, 2, confidence=0.3)])
    codings = {c.code_id: c for c in store.codings()}
    store.decide(codings["mobila_team"].id, "accepted", "anna")
    store.decide(codings["sip"].id, "rejected", "anna")
    store.replace_suggestions([s])  # re-tag
    decided = {c.code_id: c.decision for c in store.codings()}
    assert decided == {"mobila_team": "accepted", "sip": "rejected"}
    assert store.undo_last("anna")["action"] == "rejected"
    assert {c.code_id: c.decision for c in store.codings()}["sip"] == "suggested"
    history = store.audit(entity="coding", entity_id=codings["mobila_team"].id)
    assert [h["action"] for h in history] == ["accepted"]
    assert history[0]["before"]["decision"] == "suggested"


def test_re_deciding_answers_keeps_the_row_of_a_suggestion_that_stays(store):
    """A background re-decision changes confidence in place: a suggestion the analyst has open
    keeps its id; one the model drops is gone; a decided coding on the same span is untouched."""
    store.import_parsed(parsed("a1", {"5a": "Vi har mobila team och SIP i hela länet."}), resolve)
    answer = store.answers()[0]
    team = CodingSuggestion(answer.id, "mobila_team", 0, 38, 7, 18, confidence=0.6)
    sip = CodingSuggestion(answer.id, "sip", 0, 38, 24, 27, confidence=0.5)
    rule = CodingSuggestion(answer.id, "fast_kontakt", 0, 38, 0, 2, confidence=0.4)
    store.replace_suggestions([team, sip, rule], answer_ids=[answer.id])
    before = {c.code_id: c for c in store.codings()}
    store.decide(before["fast_kontakt"].id, "rejected", "anna")
    lower = CodingSuggestion(answer.id, "mobila_team", 0, 38, 7, 18, confidence=0.3)
    again = CodingSuggestion(answer.id, "fast_kontakt", 0, 38, 0, 2, confidence=0.9)
    store.replace_suggestions([lower, again], answer_ids=[answer.id])
    after = {c.code_id: c for c in store.codings()}
    assert set(after) == {"mobila_team", "fast_kontakt"}
    assert after["mobila_team"].id == before["mobila_team"].id
    assert after["mobila_team"].confidence == 0.3
    assert after["fast_kontakt"].decision == "rejected" and after["fast_kontakt"].confidence == 0.4
    assert store.decide(after["mobila_team"].id, "accepted", "anna").decision == "accepted"


def test_recode_and_manual_coding_and_memo(store):
    store.import_parsed(parsed("a1", {"8a": "Patientkontrakt infördes."}), resolve)
    answer = store.answers()[0]
    store.replace_suggestions([CodingSuggestion(answer.id, "sip", 0, 24, 0, 15)])
    coding = store.codings()[0]
    recoded = store.decide(coding.id, "accepted", "bo", code_id="patientkontrakt")
    assert (recoded.code_id, recoded.decision, recoded.analyst) == ("patientkontrakt", "accepted", "bo")
    manual = store.add_manual_coding(answer.id, "fast_kontakt", 0, 15, "bo")
    store.set_memo("coding", manual, "Tveksam", "bo")
    got = store.coding(manual)
    assert (got.decision, got.memo, got.text) == ("manual", "Tveksam", "Patientkontrakt")
    with pytest.raises(StoreError):
        store.add_manual_coding(answer.id, "sip", 0, 999, "bo")


def test_audit_log_is_append_only(store):
    store.set_meta("name", "Ny", "anna")
    with store.read() as con:
        with pytest.raises(sqlite3.DatabaseError):
            con.execute("DELETE FROM audit_log")


def test_newer_project_is_refused_and_left_unchanged(tmp_path):
    path = tmp_path / "new.sqlite"
    ProjectStore(path).close()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(NewerProjectError, match="nyare version"):
        ProjectStore(path)
    assert path.read_bytes() == before


def test_project_bytes_reopen_elsewhere(tmp_path, store):
    store.import_parsed(parsed("a1", {"5a": "Text."}), resolve)
    copy = tmp_path / "elsewhere" / "copy.sqlite"
    copy.parent.mkdir()
    copy.write_bytes(store.to_bytes())
    other = ProjectStore(copy, create=False)
    assert [a.text for a in other.answers()] == ["Text."]
    other.close()
