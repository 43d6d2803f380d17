"""Project membership and roles: the store, the läsare guard where decisions are written, and the CLI."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from models.members import READER, may_edit, may_manage, may_view, role_in_file
from models.schema import SCHEMA_V1
from models.store import ProjectStore, StoreError
from tests.browser.projects import build_project

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def project(tmp_path):
    store = build_project(tmp_path / "p.sqlite")
    yield store
    store.close()


def test_add_change_list_and_remove_members_are_audited(project):
    project.add_member(" Anna.A@Region.SE ", "ägare", "cli")
    project.add_member("bo@region.se", "läsare", "anna.a@region.se")
    project.add_member("cilla@region.se", "analytiker", "anna.a@region.se")
    assert [(m["email"], m["role"]) for m in project.members()] == [
        ("anna.a@region.se", "ägare"), ("cilla@region.se", "analytiker"), ("bo@region.se", "läsare")]
    assert project.member_role("ANNA.A@region.se") == "ägare"
    project.add_member("bo@region.se", "analytiker", "anna.a@region.se")
    assert project.member_role("bo@region.se") == "analytiker"
    assert project.remove_member("bo@region.se", "anna.a@region.se") is True
    assert project.remove_member("bo@region.se", "anna.a@region.se") is False
    assert project.member_role("bo@region.se") is None
    log = [(r["analyst"], r["action"], r["entity_id"], r["before"], r["after"])
           for r in project.audit(entity="member")]
    assert ("anna.a@region.se", "member", "bo@region.se", "läsare", "analytiker") in log
    assert ("anna.a@region.se", "remove_member", "bo@region.se", "analytiker", None) in log


@pytest.mark.parametrize("email, role", [("inte-en-adress", "läsare"), ("", "ägare"), ("a@b.se", "admin")])
def test_bad_address_or_role_is_refused_in_swedish(project, email, role):
    with pytest.raises(StoreError, match="(?i)e-postadress|roll"):
        project.add_member(email, role)
    assert project.members() == []


def test_role_permissions():
    assert [may_view(r) for r in ("ägare", "analytiker", "läsare", None)] == [True, True, True, False]
    assert [may_edit(r) for r in ("ägare", "analytiker", "läsare", None)] == [True, True, False, False]
    assert [may_manage(r) for r in ("ägare", "analytiker", "läsare", None)] == [True, False, False, False]


def test_reader_cannot_decide_code_memo_or_undo_in_the_store(project):
    project.add_member("las@region.se", READER)
    project.add_member("ana@region.se", "analytiker")
    coding = project.codings(decisions=["suggested"])[0]
    answer = project.answers()[0]
    before = project.data_version
    for attempt in (lambda: project.decide(coding.id, "accepted", "las@region.se"),
                    lambda: project.add_manual_coding(answer.id, "sip", 0, 3, "LAS@region.se"),
                    lambda: project.set_memo("code", "sip", "text", "las@region.se"),
                    lambda: project.save_codebook_doc({"codes": []}, "las@region.se"),
                    lambda: project.undo_last("las@region.se")):
        with pytest.raises(StoreError, match="läsare"):
            attempt()
    assert project.data_version == before
    assert project.coding(coding.id).decision == "suggested"
    # an analytiker and a typed name (one analyst without sign-in) may decide
    assert project.decide(coding.id, "accepted", "ana@region.se").analyst == "ana@region.se"
    assert project.decide(coding.id, "rejected", "Anna Analytiker").decision == "rejected"


def test_role_in_file_reads_without_changing_the_file(project, tmp_path):
    project.add_member("anna@region.se", "analytiker")
    project.close()
    path = project.path
    data = path.read_bytes()
    assert role_in_file(path, "Anna@Region.se") == "analytiker"
    assert role_in_file(path, "okand@region.se") is None
    assert role_in_file(path, "") is None
    assert role_in_file(tmp_path / "finns-inte.sqlite", "anna@region.se") is None
    assert not (tmp_path / "finns-inte.sqlite").exists()
    assert path.read_bytes() == data
    old = tmp_path / "gammal.sqlite"  # a project from before membership: nobody is a member
    con = sqlite3.connect(old)
    for statement in SCHEMA_V1:
        con.execute(statement)
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    assert role_in_file(old, "anna@region.se") is None


def test_older_project_gains_an_empty_members_table_on_open(tmp_path):
    old = tmp_path / "gammal.sqlite"
    con = sqlite3.connect(old)
    for statement in SCHEMA_V1:
        con.execute(statement)
    con.executemany("INSERT INTO meta(key, value) VALUES (?, ?)", [("name", "Gammal"), ("data_version", "0")])
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    store = ProjectStore(old, create=False)
    assert store.members() == []
    store.add_member("anna@region.se", "ägare")
    assert store.member_role("anna@region.se") == "ägare"
    store.close()


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "cli.py", "members", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_cli_members_add_list_remove_and_exit_codes(project):
    db = str(project.path)
    project.close()
    assert _cli("--db", db, "--add", "Anna@Region.se", "--role", "ägare").returncode == 0
    assert _cli("--db", db, "--add", "bo@region.se", "--role", "läsare").returncode == 0
    listed = _cli("--db", db, "--list")
    assert listed.returncode == 0
    lines = [line.split() for line in listed.stdout.splitlines()]
    assert lines == [["anna@region.se", "ägare"], ["bo@region.se", "läsare"]]
    as_json = json.loads(_cli("--db", db, "--list", "--json").stdout)
    assert [(m["email"], m["role"]) for m in as_json] == [("anna@region.se", "ägare"), ("bo@region.se", "läsare")]
    assert _cli("--db", db, "--remove", "bo@region.se").returncode == 0
    missing = _cli("--db", db, "--remove", "bo@region.se")
    assert missing.returncode == 1 and "inte medlem" in missing.stderr
    bad = _cli("--db", db, "--add", "inte-en-adress", "--role", "läsare")  # a bad option value: usage (qa24)
    assert bad.returncode == 2 and "--add" in bad.stderr and "e-postadress" in bad.stderr
    nofile = _cli("--db", db + ".saknas", "--list")
    assert nofile.returncode == 1 and "finns inte" in nofile.stderr
    for usage in (["--db", db], ["--db", db, "--add", "x@y.se"], ["--db", db, "--add", "x@y.se", "--role", "chef"],
                  ["--db", db, "--list", "--remove", "x@y.se"], ["--add", "x@y.se", "--role", "läsare"]):
        assert _cli(*usage).returncode == 2, usage
    assert _cli("--db", db, "--list").stdout.split() == ["anna@region.se", "ägare"]


def test_cli_warns_when_a_change_leaves_no_owner(project):
    """Removing or demoting the last ägare was silent: nobody could manage the members in the app."""
    db = str(project.path)
    project.close()
    assert _cli("--db", db, "--add", "anna@region.se", "--role", "ägare").returncode == 0
    added = _cli("--db", db, "--add", "bo@region.se", "--role", "analytiker")
    assert added.returncode == 0 and "VARNING" not in added.stderr
    demoted = _cli("--db", db, "--add", "anna@region.se", "--role", "läsare")
    assert demoted.returncode == 0
    assert "ingen ägare kvar" in demoted.stderr and "--role ägare" in demoted.stderr
    assert _cli("--db", db, "--add", "anna@region.se", "--role", "ägare").returncode == 0
    removed = _cli("--db", db, "--remove", "anna@region.se")
    assert removed.returncode == 0 and "ingen ägare kvar" in removed.stderr
    assert _cli("--db", db, "--remove", "bo@region.se").stderr == ""  # no members at all: nobody sees it anyway
