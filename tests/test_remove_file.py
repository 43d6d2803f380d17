"""Taking an imported file out of a project: its answers, codings, memos and orphaned respondents go in one
audited step whose audit row keeps what was removed; the other files' answers and decisions stay."""
from __future__ import annotations

import shutil

import pytest

from models.records import ParsedFile, RawAnswer, Respondent
from models.store import ProjectStore, StoreError
from tests.test_app_pages import _app, sample_project  # noqa: F401


def _resolve(a: RawAnswer) -> Respondent:
    return Respondent(a.respondent, "region" if a.respondent.startswith("Region") else "kommun", None)


@pytest.fixture()
def store(tmp_path):
    s = ProjectStore(tmp_path / "p.sqlite")
    s.import_parsed(ParsedFile("dalarna.docx", "docx", "sha-a", 10, [
        RawAnswer("Region Dalarna", "13a", "Vi har mobila team i hela länet."),
        RawAnswer("Falu kommun", "6", "Digitala vårdbesök erbjuds sedan 2021.")]), _resolve)
    s.import_parsed(ParsedFile("dalarna_kopia.docx", "docx", "sha-b", 10, [
        RawAnswer("Region Dalarna", "13a", "Vi har mobila team i hela länet, nu också nattetid.")]), _resolve)
    yield s
    s.close()


def _file_id(store, name: str) -> int:
    return next(f.id for f in store.source_files() if f.name == name)


def test_removing_a_file_takes_its_answers_decisions_and_orphans_and_keeps_the_rest(store):
    first, copy = _file_id(store, "dalarna.docx"), _file_id(store, "dalarna_kopia.docx")
    answers = {a.id: a for a in store.answers()}
    by_text = {a.text: a.id for a in answers.values()}
    mobila = by_text["Vi har mobila team i hela länet."]
    kept = by_text["Vi har mobila team i hela länet, nu också nattetid."]
    store.add_manual_coding(mobila, "mobila_team", 0, 10, "anna")
    store.add_manual_coding(kept, "mobila_team", 0, 10, "anna")
    assert store.file_decisions(first) == 1 and store.file_decisions(copy) == 1

    result = store.remove_source_file(first, "anna")

    assert result == {"name": "dalarna.docx", "answers": 2, "decided": 1}
    assert [f.name for f in store.source_files()] == ["dalarna_kopia.docx"]
    assert [a.id for a in store.answers()] == [kept]
    assert {c.answer_id for c in store.codings()} == {kept}
    assert {r.name for r in store.respondents()} == {"Region Dalarna"}  # Falu kommun answered only there
    row = store.audit(entity="source_file", limit=1)[0]
    assert row["action"] == "remove_file" and row["analyst"] == "anna"
    assert {a["text"] for a in row["before"]["answers"]} == {"Vi har mobila team i hela länet.",
                                                               "Digitala vårdbesök erbjuds sedan 2021."}
    assert [c["code_id"] for c in row["before"]["decided"]] == ["mobila_team"]
    with pytest.raises(StoreError, match="finns inte"):
        store.remove_source_file(first, "anna")


def test_a_removed_file_can_be_imported_again(store):
    store.remove_source_file(_file_id(store, "dalarna.docx"), "anna")
    report = store.import_parsed(ParsedFile("dalarna.docx", "docx", "sha-a", 10, [
        RawAnswer("Region Dalarna", "13a", "Vi har mobila team i hela länet.")]), _resolve)
    assert report is not None
    assert sorted(f.name for f in store.source_files()) == ["dalarna.docx", "dalarna_kopia.docx"]


def test_importera_removes_a_file_only_after_the_confirmation(sample_project, tmp_path):  # noqa: F811
    copy = tmp_path / "p.sqlite"
    shutil.copy(sample_project, copy)
    store = ProjectStore(copy)
    files = store.source_files()
    before = len(store.answers())
    store.close()
    at = _app(tmp_path, copy)
    at.run()
    at.switch_page("ui/pages/importera.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.button(key="import_remove_btn").disabled  # not before the box is ticked
    target = files[0]
    sure = next(c for c in at.checkbox if c.key == f"import_remove_sure_{target.id}")
    sure.check().run()
    at.button(key="import_remove_btn").click().run()
    assert not at.exception, [e.value for e in at.exception]
    store = ProjectStore(copy)
    assert [f.id for f in store.source_files()] == [f.id for f in files[1:]]
    assert len(store.answers()) < before
    store.close()
    assert any(f"{target.name}:" in t.value and "togs bort" in t.value for t in at.text)
