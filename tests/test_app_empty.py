"""First start and empty states: sample data is named as such; empty pages lead to Importera."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from models.store import ProjectStore

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")


def _app(folder: Path, project: Path | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["projects_dir"] = str(folder)
    at.session_state["analyst"] = "Testanalytiker"
    if project is not None:
        at.session_state["project_path"] = str(project)
    return at


def _links(at: AppTest) -> list[str]:
    return [str(e.proto.page) for e in at.get("page_link")]


@pytest.mark.parametrize("page", ["teman", "granska", "kluster", "exportera", "oversikt", "svar", "forandring",
                                  "overensstammelse"])
def test_empty_project_page_leads_to_importera(tmp_path, page):
    empty = tmp_path / "tomt.sqlite"
    ProjectStore(empty, name="Tomt").close()
    at = _app(tmp_path, empty)
    at.run()
    at.switch_page(f"ui/pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("importera" in link for link in _links(at)), _links(at)
    assert any("inga svar ännu" in m.value for m in at.markdown)
    assert not at.metric  # no zeros


def test_sample_project_says_it_is_sample_data_and_offers_a_new_project(tmp_path):
    sample = tmp_path / "Exempelprojekt.sqlite"
    store = ProjectStore(sample, name="Exempelprojekt")
    store.set_meta("is_sample", "1")
    store.close()
    at = _app(tmp_path, sample)
    at.run()
    assert not at.exception
    assert any("exempeldata" in m.value for m in at.markdown)
    at.text_input(key="sample_create_name_teman").set_value("Mitt projekt")
    at.button(key="sample_create_btn_teman").click().run()
    assert not at.exception, [e.value for e in at.exception]
    opened = Path(at.session_state["project_path"])
    assert opened != sample and ProjectStore(opened).name == "Mitt projekt"
    assert at.title[0].value == "Importera"


def test_forandring_counts_a_projects_rounds_in_swedish(tmp_path):
    # qa22: an empty project read "Projektet har 0 namngiven omgång" (and had no way on to Importera)
    from tests.browser.projects import build_project

    build_project(tmp_path / "utan_omgang.sqlite").close()  # answers, none of them in a named round
    at = _app(tmp_path, tmp_path / "utan_omgang.sqlite")
    at.run()
    at.switch_page("ui/pages/forandring.py").run()
    assert not at.exception, [e.value for e in at.exception]
    text = " ".join(i.value for i in at.info)
    assert "Projektet har ingen namngiven omgång." in text and "0 namngiven" not in text, text
