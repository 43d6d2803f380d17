"""Every page renders without an exception on the sample project and on an empty project."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from models.store import ProjectStore

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGES = ["projekt", "importera", "svar", "teman", "oversikt", "granska", "kluster", "kodbok", "exportera"]


@pytest.fixture(scope="module")
def sample_project(tmp_path_factory) -> Path:
    """The bundled sample project, created once the way the app creates it on first start."""
    from ui.project import ensure_sample_project

    return ensure_sample_project(tmp_path_factory.mktemp("sample"))


def _app(folder: Path, project: Path | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["projects_dir"] = str(folder)
    at.session_state["analyst"] = "Testanalytiker"
    if project is not None:
        at.session_state["project_path"] = str(project)
    return at


def _render_all(at: AppTest) -> None:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    for page in PAGES:
        at.switch_page(f"ui/pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.title and at.title[0].value, page


def test_every_page_renders_on_sample_project(sample_project, tmp_path):
    copy = tmp_path / "Exempelprojekt.sqlite"
    shutil.copy(sample_project, copy)
    _render_all(_app(tmp_path, copy))


def test_every_page_renders_on_empty_project(tmp_path):
    empty = tmp_path / "tomt.sqlite"
    ProjectStore(empty, name="Tomt").close()
    at = _app(tmp_path, empty)
    _render_all(at)


def test_first_start_creates_and_opens_sample_project(tmp_path):
    at = _app(tmp_path, None)
    at.run()
    assert not at.exception
    assert (tmp_path / "Exempelprojekt.sqlite").exists()
    assert at.session_state["project_path"] == str(tmp_path / "Exempelprojekt.sqlite")
