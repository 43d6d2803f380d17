"""Every audited action, driven through the store, leaves exactly the audit row it is specified to leave.

The rows are compared as stored: action, entity, entity_id and the before/after JSON text (key order included).
"""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from models import clusters as C
from models.imported_rows import ensure_respondent, insert_imported_codings
from models.records import CodingSuggestion, ParsedFile, RawAnswer, Respondent
from models.store import ProjectStore
from tests.test_cluster_review import RESPONDENTS, _import

STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")


def _resolve(a: RawAnswer) -> Respondent:
    return Respondent(a.respondent, "region", None)


def drive_every_audited_action(path: Path) -> ProjectStore:
    """A project on which every audited action of the store has run once (some twice)."""
    store = ProjectStore(path)
    _import(store, "a", RESPONDENTS[:4])
    store.set_meta("project_name", "Uppföljning", "anna")
    a0 = store.answers()[0]
    with store.read() as con:
        respondent, source_file = con.execute(
            "SELECT respondent_id, source_file_id FROM answers WHERE id = ?", (a0.id,)).fetchone()
    store.correct_respondent(respondent, Respondent("Region Skåne", "region", "Skåne län"), "anna")
    store.update_answer(a0.id, question="6", analyst="anna")
    store.save_codebook_doc(store.codebook_doc(), "anna")
    store.replace_suggestions([CodingSuggestion(a0.id, "mobila_team", 0, 5, 0, 3, confidence=0.4),
                               CodingSuggestion(a0.id, "sip", 0, 5, 0, 3, confidence=0.4),
                               CodingSuggestion(a0.id, "egenmonitorering", 0, 5, 0, 3, confidence=0.4)])
    ids = {c.code_id: c.id for c in store.codings()}
    store.decide(ids["mobila_team"], "accepted", "anna")
    store.decide(ids["sip"], "rejected", "anna")
    store.decide(ids["sip"], "accepted", "anna", code_id="egenmonitorering")  # recode with merged_away
    manual = store.add_manual_coding(a0.id, "sip", 1, 4, "anna")
    store.set_memo("coding", manual, "Bra exempel", "anna")
    store.set_coding_status_scope(ids["mobila_team"], "anna", status="planerad")
    store.undo_last("anna")
    store.add_member("Bertil@Example.se", "analytiker", "anna")
    store.add_member("bertil@example.se", "läsare", "anna")
    store.remove_member("bertil@example.se", "anna")
    store.add_coder_codings([(a0.id, "bertil", "sip", 0, 5)], analyst="anna")
    coder_id = store.coder_codings()[0]["id"]
    store.remove_coder_coding(coder_id, "anna")
    store.assign([a0.id], ["bertil"], sample="s1", blind=True, analyst="anna")
    store.set_assignment_done(a0.id, "bertil")
    store.set_file_round(source_file, "2023", "anna")
    ensure_respondent(store, Respondent("Region Gotland", "region", "Gotlands län"))
    insert_imported_codings(store, [(a0.id, "sip", 0, 3, "bertil", None, "memo")], "team.qdpx")
    C.run_clustering(store, analyst="anna")
    views = C.clusters(store)
    C.rename(store, views[0].id, "Hembesök", "anna")
    C.move_excerpt(store, views[1].members[0]["id"], views[0].id, "anna")
    C.exclude_excerpt(store, views[0].members[0]["id"], "anna")
    C.exclude_excerpt(store, views[0].members[0]["id"], "anna", excluded=False)
    C.map_to_code(store, views[0].id, "mobila_team", "anna")
    C.create_code(store, views[1].id, "anna", label="Ny insatstyp")
    target = C.merge(store, [views[0].id, views[1].id], "anna", name="Sammanslaget")
    C.split(store, target, "anna")
    return store


def audit_rows(path: Path) -> list[tuple]:
    """(analyst, action, entity, entity_id, before, after, ref) of every audit row, timestamps masked."""
    con = sqlite3.connect(path)
    try:
        rows = con.execute(
            "SELECT analyst, action, entity, entity_id, before, after, ref FROM audit_log ORDER BY id").fetchall()
    finally:
        con.close()
    return [tuple(STAMP.sub("<t>", v) if isinstance(v, str) else v for v in r) for r in rows]


@pytest.fixture()
def driven(tmp_path):
    path = tmp_path / "p.sqlite"
    drive_every_audited_action(path).close()
    return path


def _first(rows: list[tuple], action: str) -> tuple:
    found = [r for r in rows if r[1] == action]
    assert found, action
    return found[0]


def test_every_audited_action_leaves_a_row(driven):
    actions = {r[1] for r in audit_rows(driven)}
    assert actions == {
        "import", "set_meta", "correct_respondent", "correct_answer", "save_codebook", "accepted", "rejected",
        "merged_away", "recode", "manual", "memo", "set_status_scope", "undo", "member", "remove_member",
        "coder_codings", "remove_coder_coding", "assign", "assignment_done", "set_round", "add_respondent",
        "import_codings", "cluster_run", "cluster_rename", "cluster_move", "cluster_exclude", "cluster_include",
        "cluster_map", "cluster_create_code", "cluster_merge", "cluster_split",
    }


def test_plain_payloads_are_stored_as_specified(driven):
    rows = audit_rows(driven)
    assert _first(rows, "set_meta")[:6] == ("anna", "set_meta", "meta", "project_name", None, '"Uppföljning"')
    members = [r for r in rows if r[1] == "member"]
    assert members == [("anna", "member", "member", "bertil@example.se", None, '"analytiker"', None),
                       ("anna", "member", "member", "bertil@example.se", '"analytiker"', '"läsare"', None)]
    assert _first(rows, "remove_member") == ("anna", "remove_member", "member", "bertil@example.se",
                                             '"läsare"', None, None)
    codebook = _first(rows, "save_codebook")
    assert codebook[:3] == ("anna", "save_codebook", "codebook") and codebook[4:] == (None, None, None)
    assert _first(rows, "memo")[2:6] == ("coding", _first(rows, "manual")[3], None, '"Bra exempel"')
    assert _first(rows, "coder_codings")[2:6] == ("coder_coding", None, None, '{"added": 1, "origin": "manual"}')
    assert _first(rows, "assign")[:6] == ("anna", "assign", "sample", "s1", None, '{"assignments": 1, "blind": true}')
    assert _first(rows, "assignment_done")[:6] == ("bertil", "assignment_done", "answer", _first(rows, "correct_answer")[3],
                                                 None, '{"coder": "bertil", "done": true}')
    set_round = _first(rows, "set_round")
    assert set_round[4] == '{"rounds": [""]}' and set_round[5] == '{"round": "2023", "answers": 3}'
    assert _first(rows, "add_respondent")[:3] == (None, "add_respondent", "respondent")
    assert _first(rows, "add_respondent")[5] == '{"name": "Region Gotland", "type": "region"}'
    assert _first(rows, "import_codings") == (None, "import_codings", "source_file", "team.qdpx", None, '{"codings": 1}', None)
    imports = [r for r in rows if r[1] == "import"]
    assert len(imports) == 4 and all(r[0] is None and r[2] == "source_file" and r[4] is None for r in imports)
    assert json.loads(imports[0][5]) == {"name": "Region Dalarna.docx", "answers": 3, "replaced": False, "round": ""}
    assert list(json.loads(imports[0][5])) == ["name", "answers", "replaced", "round"]
    correct = json.loads(_first(rows, "correct_answer")[5])
    assert list(correct) == ["question_id", "respondent_id"] and correct["question_id"] == "6"
    assert list(json.loads(_first(rows, "correct_respondent")[5])) == ["name", "type", "lan"]


def test_coding_payloads_keep_the_row_and_undo_swaps_them(driven):
    rows = audit_rows(driven)
    con = sqlite3.connect(driven)
    columns = [r[1] for r in con.execute("PRAGMA table_info(codings)")]
    con.close()
    for action in ("accepted", "rejected", "recode", "set_status_scope"):
        for r in (r for r in rows if r[1] == action):
            assert list(json.loads(r[4])) == columns and list(json.loads(r[5]))[:len(columns)] == columns
    recode = _first(rows, "recode")
    assert list(json.loads(recode[5])) == columns + ["replaced"]
    assert json.loads(recode[5])["replaced"] == json.loads(_first(rows, "merged_away")[4])
    assert _first(rows, "merged_away")[5] is None
    assert _first(rows, "manual")[4] is None and list(json.loads(_first(rows, "manual")[5])) == columns
    undo = _first(rows, "undo")
    undone = next(r for r in rows if r[1] == "set_status_scope")
    assert undo[2:6] == (undone[2], undone[3], undone[5], undone[4])
    con = sqlite3.connect(driven)
    undone_id = con.execute("SELECT id FROM audit_log WHERE action = 'set_status_scope'").fetchone()[0]
    con.close()
    assert undo[6] == undone_id


def test_cluster_payloads_are_stored_as_specified(driven):
    rows = audit_rows(driven)
    rename = _first(rows, "cluster_rename")
    assert list(json.loads(rename[4])) == ["name"] and rename[5] == '{"name": "Hembesök"}'
    move = _first(rows, "cluster_move")
    assert (move[2], json.loads(move[5])["moved"]) == ("cluster_member", 1)
    assert list(json.loads(move[4])) == ["cluster_id", "moved"]
    assert _first(rows, "cluster_exclude")[4:6] == ('{"excluded": 0}', '{"excluded": 1}')
    assert _first(rows, "cluster_include")[4:6] == ('{"excluded": 1}', '{"excluded": 0}')
    assert _first(rows, "cluster_map")[4:6] == ('{"code_id": null}', '{"code_id": "mobila_team"}')
    create = json.loads(_first(rows, "cluster_create_code")[5])
    assert list(create) == ["code_id", "code"] and create["code"]["label"] == "Ny insatstyp"
    merge = _first(rows, "cluster_merge")
    assert list(json.loads(merge[4])) == ["clusters", "name", "top_terms"]
    assert list(json.loads(merge[5])) == ["into", "members", "name"] and json.loads(merge[5])["name"] == "Sammanslaget"
    split = _first(rows, "cluster_split")
    assert list(json.loads(split[4])) == ["label", "size", "top_terms"] and list(json.loads(split[5])) == ["parts", "moved_members"]
    run = _first(rows, "cluster_run")
    assert run[2] == "cluster_run" and run[4] is None and list(json.loads(run[5])) == ["params", "summary"]
