"""The kommuner an RSS answer speaks for ("Svaret avser: Arboga, Köping och Västerås stad"): read by the
importers, kept in the store with the file's answers, listed as named in the län's answer in coverage and
its exports, never counted as kommuner that answered."""
from __future__ import annotations

import io
import json
import sqlite3

import openpyxl

from importers.base import read_file
from models import importing
from models.coverage import project_coverage
from models.schema import SCHEMA_VERSION
from models.store import ProjectStore
from tests.helpers.files import form_wording as _wording

FOUR = ["Arboga kommun", "Köpings kommun", "Kungsörs kommun", "Västerås kommun"]
ANSWER = "Vi har mobila team i alla kommuner."


def _rss_file(avser: str) -> bytes:
    return (f"Kommunerna i Västmanlands län (RSS Västmanland)\n\n{avser}\n\n"
            f"5a. {_wording('5a')}\n{ANSWER}\n").encode("utf-8")


LINE = "Svaret avser: Arboga, Köping, Kungsör och Västerås stad"


def _coded_project(tmp_path, data: bytes, name: str = "rss_vastmanland.txt") -> ProjectStore:
    store = ProjectStore(tmp_path / "p.sqlite", name="RSS")
    report = importing.import_bytes(store, name, data)
    assert report.ok, report.message
    (answer,) = store.answers()
    start = answer.text.index("mobila team")
    store.add_manual_coding(answer.id, "mobila_team", 0, len(answer.text), "Anna", )
    assert start >= 0
    return store


def test_the_importer_keeps_the_kommuner_an_rss_file_lists():
    parsed = read_file(_rss_file(LINE), "rss_vastmanland.txt")
    assert list(parsed.speaks_for.values()) == [FOUR]
    assert "sparas med RSS-svaret" in parsed.warnings[0]


def test_a_bulleted_kommun_list_after_its_introducing_line_is_read_as_one_list():
    parsed = read_file(_rss_file("Svaret avser följande kommuner:\n• Arboga\n• Köping\n• Kungsör\n• Västerås stad"),
                       "rss_vastmanland.txt")
    assert list(parsed.speaks_for.values()) == [FOUR]
    assert [a.text for a in parsed.answers] == [ANSWER]
    assert not any("togs inte med" in w for w in parsed.warnings)


def test_a_kommun_file_naming_neighbours_keeps_no_list():
    text = (f"Köpings kommun\n\nVi samarbetar med Arboga, Kungsör och Västerås i hela länet sedan flera år.\n\n"
            f"5a. {_wording('5a')}\nMobila team.\n").encode("utf-8")
    assert read_file(text, "koping.txt").speaks_for == {}


def test_the_list_survives_the_store_round_trip(tmp_path):
    store = _coded_project(tmp_path, _rss_file(LINE))
    store.close()
    again = ProjectStore(tmp_path / "p.sqlite", create=False)
    try:
        assert again.speaks_for() == {"Kommunerna i Västmanlands län": FOUR}
    finally:
        again.close()


def test_listed_kommuner_are_named_in_the_lans_answer_never_counted(tmp_path):
    with_list = _coded_project(tmp_path, _rss_file(LINE))
    (tmp_path / "b").mkdir()
    without = _coded_project(tmp_path / "b", _rss_file(""))
    a, b = (project_coverage(s) for s in (with_list, without))
    for level in ("regions", "lan", "kommuner"):
        assert a.answered.level(level) == b.answered.level(level)
        assert a.codes["mobila_team"].level(level).n == b.codes["mobila_team"].level(level).n
    assert a.answered.kommuner == () and a.codes["mobila_team"].kommuner.n == 0
    assert {k for k, _ in a.answered.named_kommuner} == set(FOUR)
    assert {k for k, _ in a.codes["mobila_team"].named_kommuner} == set(FOUR)
    assert b.answered.named_kommuner == () and b.codes["mobila_team"].named_kommuner == ()
    assert set(a.to_json()) == set(b.to_json())
    assert set(a.to_json()["codes"]["mobila_team"]) == set(b.to_json()["codes"]["mobila_team"])
    assert set(a.to_json()["codes"]["mobila_team"]["kommuner_named"]) == set(FOUR)


def test_a_re_import_of_a_changed_file_replaces_the_list(tmp_path):
    store = _coded_project(tmp_path, _rss_file(LINE))
    report = importing.import_bytes(store, "rss_vastmanland.txt", _rss_file("Svaret avser: Arboga och Köping"))
    assert report.ok
    assert store.speaks_for() == {"Kommunerna i Västmanlands län": ["Arboga kommun", "Köpings kommun"]}


def test_the_export_lists_them_in_the_coverage_sheet(tmp_path):
    from export.formats import export_bytes
    from export.selection import Selection

    store = _coded_project(tmp_path, _rss_file(LINE))
    wb = openpyxl.load_workbook(io.BytesIO(export_bytes(store, "xlsx", Selection())))
    ws = wb["Täckning"]
    header = [c.value for c in ws[1]]
    col = header.index("Kommuner nämnda i länets svar")
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if "mobila" in str(r).lower())
    assert all(k in str(row[col]) for k in FOUR)


def test_a_project_of_the_previous_schema_opens_and_gets_the_list_on_re_import(tmp_path):
    path = tmp_path / "p.sqlite"
    store = _coded_project(tmp_path, _rss_file(LINE))
    store.close()
    # the project as the previous version wrote it: no table for the lists
    con = sqlite3.connect(path)
    con.execute("DROP TABLE respondent_kommuner")
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    con.commit()
    con.close()
    old = ProjectStore(path, create=False)
    try:
        assert old.schema_version() == SCHEMA_VERSION
        assert [a.text for a in old.answers()] == [ANSWER]
        assert old.speaks_for() == {}
        assert project_coverage(old).answered.named_kommuner == ()
        report = importing.import_bytes(old, "rss_vastmanland.txt", _rss_file(LINE))
        assert report.ok and "kommunerna som RSS-svaret avser sparades" in report.message
        assert old.speaks_for() == {"Kommunerna i Västmanlands län": FOUR}
        assert len(old.answers()) == 1
    finally:
        old.close()


def test_cli_coverage_json_lists_them_under_kommuner_named(tmp_path, capsys):
    from cli import main

    store = _coded_project(tmp_path, _rss_file(LINE))
    store.close()
    assert main(["coverage", "--db", str(tmp_path / "p.sqlite"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["kommuner"]["answered"] == 0 and out["lan"]["answered"] == 1
    assert set(out["codes"]["mobila_team"]["kommuner_named"]) == set(FOUR)


def test_cli_import_says_the_list_was_added_to_an_earlier_import(tmp_path, capsys):
    from cli import main

    path = tmp_path / "p.sqlite"
    _coded_project(tmp_path, _rss_file(LINE)).close()
    con = sqlite3.connect(path)
    con.execute("DELETE FROM respondent_kommuner")
    con.commit()
    con.close()
    f = tmp_path / "rss_vastmanland.txt"
    f.write_bytes(_rss_file(LINE))
    assert main(["import", "--db", str(path), str(f)]) == 0
    got = capsys.readouterr()
    assert "kommunerna som RSS-svaret avser sparades" in got.out + got.err


def test_svar_and_oversikt_show_the_list_as_named_not_answered(tmp_path):
    from tests.helpers.apptest import open_page

    store = _coded_project(tmp_path, _rss_file(LINE))
    path = store.path
    store.close()
    at = open_page(path, "svar", analyst="Anna")
    texts = " ".join(t.value for t in at.text)
    assert "Kommunerna i Västmanlands län anger att svaret avser 4 kommuner: " + ", ".join(FOUR) in texts
    assert "räknas inte som kommuner som svarat" in texts
    at = open_page(path, "oversikt", analyst="Anna")
    texts = " ".join(t.value for t in at.text)
    assert "Kommuner nämnda i länets svar (4; räknas inte som kommuner som svarat): " in texts
    assert "Arboga kommun (Västmanlands län)" in texts


def test_an_rss_answer_with_only_a_choice_still_names_its_files_kommuner(tmp_path):
    """A file whose only answer is a checkbox (question 1) has no text to read names from: the file's list is
    what names the kommuner, on the population line "nämnd i länets svar" (never as answered)."""
    text = (f"Kommunerna i Västmanlands län (RSS Västmanland)\n\n{LINE}\n\n"
            f"1. {_wording('1')}\n☒ Ja ☐ Nej\n").encode("utf-8")
    store = ProjectStore(tmp_path / "p.sqlite", name="RSS")
    try:
        report = importing.import_bytes(store, "rss_vastmanland.txt", text)
        assert report.ok, report.message
        (answer,) = store.answers()
        assert answer.text.strip() == "" and answer.choice == "Ja"
        cov = project_coverage(store)
        assert cov.answered.lan and cov.answered.kommuner == ()
        assert {k for k, _ in cov.answered.named_kommuner} == set(FOUR)
    finally:
        store.close()


def test_removing_an_rss_file_keeps_its_kommun_list_in_the_history(tmp_path):
    store = _coded_project(tmp_path, _rss_file(LINE))
    try:
        (f,) = store.source_files()
        store.remove_source_file(f.id, "Anna")
        assert store.speaks_for() == {}
        row = store.audit(entity="source_file", limit=1)[0]
        assert row["action"] == "remove_file"
        assert row["before"]["speaks_for"] == {"Kommunerna i Västmanlands län": FOUR}
    finally:
        store.close()
