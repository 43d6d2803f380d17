"""A failure reaches the analyst as a Swedish sentence saying what failed and what to do; the exception's own words
(English, a path, a library's message) only under a collapsed "Tekniska detaljer" or in the log (qa26: Exportera,
Kluster, Förändring, Kodbok, Projekt and the projects folder showed `{exc}` as it was)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.projects import build_project
from tests.helpers.apptest import open_page
from ui.highlight import escape

ENGLISH = "Something broke in the library"


@pytest.fixture()
def project(tmp_path):
    store = build_project(tmp_path / "fel.sqlite")
    store.close()
    return tmp_path / "fel.sqlite"


def _boom(*_args, **_kwargs):
    raise RuntimeError(ENGLISH)


def _details(at) -> list[str]:
    """The texts under every collapsed "Tekniska detaljer"."""
    boxes = [e for e in at.expander if e.label == "Tekniska detaljer"]
    assert boxes and all(not e.proto.expanded for e in boxes)
    return [c.value for e in boxes for c in e.code]


def _shown(at) -> list[str]:
    return [m.value for kind in (at.error, at.warning, at.caption) for m in kind]


def test_a_failed_clustering_is_explained_in_swedish(project, monkeypatch):
    from models import clusters

    monkeypatch.setattr(clusters, "run_clustering", _boom)
    at = open_page(project, "kluster", analyst="Anna Analytiker")
    at.button(key="kluster_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [
        "Klustringen kunde inte köras. Försök igen med ett annat urval eller antal kluster; om det inte går, skicka "
        "de tekniska detaljerna nedan till den som förvaltar Svarsanalys."]
    assert _details(at) == [f"RuntimeError: {ENGLISH}"]
    assert not any(ENGLISH in m for m in _shown(at))


def test_an_unreadable_question_mapping_is_explained_in_swedish(tmp_path, monkeypatch):
    import models.rounds
    from tests.test_rounds_cli import _mobile_teams_by_round

    db = _mobile_teams_by_round(tmp_path, (("2022", "Region Dalarna"), ("2023", "Region Dalarna")))
    monkeypatch.setattr(models.rounds, "mapping_between", _boom)
    at = open_page(db, "forandring", folder=tmp_path)
    assert [w.value for w in at.warning if "Frågemappningen" in w.value] == [
        "Frågemappningen mellan omgångarna 2022 och 2023 kunde inte läsas, så alla frågor jämförs. Kontrollera "
        "formulärfilerna (data/forms) eller skicka de tekniska detaljerna nedan till den som förvaltar Svarsanalys."]
    assert _details(at) == [f"RuntimeError: {ENGLISH}"]
    assert not any(ENGLISH in m for m in _shown(at))


def test_a_codebook_that_cannot_become_qdc_is_explained_in_swedish(project, monkeypatch):
    from export import codebook_io

    monkeypatch.setattr(codebook_io, "to_qdc", _boom)
    at = open_page(project, "kodbok", analyst="Anna Analytiker")
    assert "REFI-QDA-kodboken (.qdc) kan inte skapas av utkastet; YAML och CSV går att ladda ner." in [
        c.value for c in at.caption]
    assert _details(at) == [f"RuntimeError: {ENGLISH}"]
    assert not any(ENGLISH in m for m in _shown(at))


def test_a_folder_that_cannot_be_made_is_explained_in_swedish(project):
    blocker = project.parent / "fil.txt"
    blocker.write_text("ingen mapp", encoding="utf-8")
    at = open_page(project, "projekt")
    box = next(t for t in at.text_input if t.label == "Mapp där projekten sparas")
    box.set_value(str(blocker / "projekt"))  # a form: sent by its button
    next(b for b in at.button if b.label == "Byt mapp").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [
        f"Mappen {escape(str(blocker / 'projekt'))} kan inte användas: en del av sökvägen är ingen mapp. Välj en annan "
        "mapp."], [e.value for e in at.error] + [s.value for s in at.success]
    assert _details(at) == [f"NotADirectoryError: [Errno 20] Not a directory: '{blocker}/projekt'"]


def test_a_projects_folder_that_cannot_be_used_is_explained_in_swedish(tmp_path):
    from streamlit.testing.v1 import AppTest

    blocker = tmp_path / "fil.txt"
    blocker.write_text("ingen mapp", encoding="utf-8")
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=120)
    at.session_state["projects_dir"] = str(blocker / "projekt")
    at.session_state["analyst"] = "Anna Analytiker"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error][:1] == [
        f"Projektmappen {escape(str(blocker / 'projekt'))} kan inte användas: en del av sökvägen är ingen mapp. Välj "
        "en annan mapp på sidan Projekt."]
    assert any("Not a directory" in d for d in _details(at))
    assert not any("Not a directory" in m for m in _shown(at))


def test_a_broken_sqlite_file_is_named_in_swedish():
    from ui.project import validate_project_bytes

    problem = validate_project_bytes(b"SQLite format 3\x00" + b"\xff" * 200, "trasig.sqlite")
    assert problem == "trasig.sqlite kunde inte läsas som projektfil: filen är skadad eller ingen SQLite-databas."


def test_a_failed_tagging_of_the_sample_is_a_swedish_note(tmp_path, monkeypatch):
    import ui.project
    from models.store import ProjectStore

    monkeypatch.setattr(ui.project, "tag_project", _boom)
    store = ProjectStore(tmp_path / "exempel.sqlite", name="Exempel")
    try:
        notes = ui.project.load_sample(store)
    finally:
        store.close()
    assert ("Exempelsvaren är importerade men kunde inte taggas (teknisk orsak: RuntimeError); de har inga förslag "
            "än.") in notes
    assert not any(ENGLISH in n for n in notes)
