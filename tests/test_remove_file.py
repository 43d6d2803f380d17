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


# --- "Ångra borttagning" (qa33) -------------------------------------------------------------------------------------
_NOT_DATA = ("audit_log", "meta", "sqlite_sequence")


def _dump(store) -> dict:
    """Every row of every data table (not the audit log or meta), sorted."""
    with store.read() as con:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                  if r[0] not in _NOT_DATA]
        return {t: sorted((tuple(r) for r in con.execute(f"SELECT * FROM {t}")), key=repr) for t in tables}


def test_undo_of_a_removal_gives_back_every_coding_and_decision(sample_project, tmp_path):  # noqa: F811
    """On the sample project (suggestions, decisions, clusters), with a memo, a team coding and an assignment on
    the file's answers: removing the file and undoing it gives back every row as it was, ids included."""
    from models import clusters

    copy = tmp_path / "p.sqlite"
    shutil.copy(sample_project, copy)
    store = ProjectStore(copy)
    clusters.run_clustering(store, analyst="anna")
    target = max(store.source_files(), key=lambda f: store.file_decisions(f.id))
    ids = [a.id for a in store.answers() if a.source_file == target.name]
    coded = [c for c in store.codings(answer_ids=ids)]
    assert coded and any(c.decision == "suggested" for c in coded)
    store.add_manual_coding(ids[0], "mobila_team", 0, 5, "anna")
    store.assign(ids[:2], ["Cia"], blind=True)
    store.add_coder_codings([(ids[0], "Cia", "mobila_team", 0, 5)], analyst="Cia")
    coding = store.codings(answer_ids=[ids[0]])[0]
    store.set_memo("coding", str(coding.id), "Bra exempel", "anna")
    store.set_memo("answer", str(ids[1]), "Läs hela svaret", "anna")
    before = _dump(store)
    decided = store.file_decisions(target.id)
    assert decided >= 1

    result = store.remove_source_file(target.id, "anna")
    assert store.last_removed_file() == {"file_id": target.id, "name": target.name, "answers": len(ids),
                                         "decided": result["decided"], "analyst": "anna",
                                         "at": store.last_removed_file()["at"]}
    assert _dump(store) != before

    back = store.restore_removed_file("bo")
    assert back["answers"] == len(ids) and back["decided"] == decided and back["renumbered"] == 0
    assert _dump(store) == before  # every answer, coding, decision, memo, analysis and membership, same ids
    assert store.last_removed_file() is None
    row = store.audit(entity="source_file", limit=1)[0]
    assert row["action"] == "restore_file" and row["analyst"] == "bo" and row["after"]["decided"] == decided
    removal = next(r for r in store.audit(entity="source_file") if r["action"] == "remove_file")
    assert row["ref"] == removal["id"]
    with pytest.raises(StoreError, match="ingen borttagen fil"):
        store.restore_removed_file("bo")
    store.close()


def test_undo_after_another_import_gives_the_answers_new_ids_with_their_codings(store):
    first = _file_id(store, "dalarna.docx")
    mobila = next(a.id for a in store.answers() if a.text == "Vi har mobila team i hela länet.")
    store.add_manual_coding(mobila, "mobila_team", 0, 10, "anna")
    store.remove_source_file(first, "anna")
    store.import_parsed(ParsedFile("skane.docx", "docx", "sha-c", 10, [
        RawAnswer("Region Skåne", "13a", "Inga mobila team ännu."),
        RawAnswer("Region Skåne", "6", "Digitala besök."),
        RawAnswer("Malmö kommun", "6", "Vi har ett mobilt team.")]), _resolve)  # takes the freed ids
    back = store.restore_removed_file("anna")
    assert back["answers"] == 2 and back["renumbered"] >= 1
    texts = {a.id: a.text for a in store.answers()}
    manual = [c for c in store.codings() if c.decision == "manual"]
    assert [(texts[c.answer_id], c.code_id, c.analyst) for c in manual] == [
        ("Vi har mobila team i hela länet.", "mobila_team", "anna")]
    assert {r.name for r in store.respondents()} >= {"Falu kommun", "Region Skåne", "Malmö kommun"}
    assert sorted(f.name for f in store.source_files()) == ["dalarna.docx", "dalarna_kopia.docx", "skane.docx"]


def test_undo_is_refused_once_the_file_was_imported_again_and_only_the_last_removal_is_kept(store):
    store.remove_source_file(_file_id(store, "dalarna.docx"), "anna")
    store.remove_source_file(_file_id(store, "dalarna_kopia.docx"), "anna")
    assert store.last_removed_file()["name"] == "dalarna_kopia.docx"
    store.import_parsed(ParsedFile("igen.docx", "docx", "sha-b", 10, [
        RawAnswer("Region Dalarna", "13a", "Vi har mobila team i hela länet, nu också nattetid.")]), _resolve)
    with pytest.raises(StoreError, match="importerats på nytt"):
        store.restore_removed_file("anna")
    assert [f.name for f in store.source_files()] == ["igen.docx"]  # nothing half restored


def test_importera_offers_to_undo_the_last_removal(sample_project, tmp_path):  # noqa: F811
    copy = tmp_path / "p.sqlite"
    shutil.copy(sample_project, copy)
    store = ProjectStore(copy)
    target = store.source_files()[0]
    before = _dump(store)
    store.remove_source_file(target.id, "anna")
    store.close()
    at = _app(tmp_path, copy)
    at.run()
    at.switch_page("ui/pages/importera.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(t.value.startswith(f"Senast borttagen: {target.name}") for t in at.text)
    at.button(key="import_undo_remove").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(m.value == "Borttagningen är ångrad." for m in at.success)
    assert not [b for b in at.button if b.key == "import_undo_remove"]  # nothing left to undo
    store = ProjectStore(copy)
    assert _dump(store) == before
    store.close()
