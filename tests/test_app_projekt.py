"""Projekt page: creating a project opens it with its own name in the rename field."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from models.store import ProjectStore
from tests.helpers.apptest import selectbox, shown

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")


def _projekt(folder: Path, project: Path) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["projects_dir"] = str(folder)
    at.session_state["project_path"] = str(project)
    at.session_state["analyst"] = "Testanalytiker"
    at.run()
    at.switch_page("ui/pages/projekt.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _rename_box(at: AppTest):
    boxes = [t for t in at.text_input if t.key and t.key.startswith("rename_project")]
    assert len(boxes) == 1
    return boxes[0]


def test_create_then_rename_keeps_the_new_project_name(tmp_path):
    old = tmp_path / "Exempelprojekt.sqlite"
    ProjectStore(old, name="Exempelprojekt").close()
    at = _projekt(tmp_path, old)
    assert _rename_box(at).value == "Exempelprojekt"
    at.text_input(key="new_project_name").set_value("Uppföljning 2024")
    at.button(key="create_project").click().run()
    assert not at.exception, [e.value for e in at.exception]
    new_path = Path(at.session_state["project_path"])
    assert new_path != old
    # The rename field belongs to the new project, and pressing "Byt namn" untouched renames nothing.
    assert _rename_box(at).value == "Uppföljning 2024"
    assert at.text_input(key="new_project_name").value == ""
    assert selectbox(at, "open_project_choice").value == new_path
    assert any("Uppföljning 2024" in s.value and "skapat" in s.value for s in at.success)
    at.button(key="rename_project_btn").click().run()
    assert not at.exception
    assert ProjectStore(new_path).name == "Uppföljning 2024"
    assert ProjectStore(old).name == "Exempelprojekt"


def test_project_list_shows_names_and_actions_are_confirmed(tmp_path):
    first = tmp_path / "a.sqlite"
    ProjectStore(first, name="Uppföljning 2023").close()
    at = _projekt(tmp_path, first)
    box = _rename_box(at)
    box.set_value("Uppföljning 2023 (regioner)")
    at.button(key="rename_project_btn").click().run()
    assert ProjectStore(first).name == "Uppföljning 2023 (regioner)"
    assert any("Uppföljning 2023 (regioner)" in shown(s.value) for s in at.success)
    options = selectbox(at, "open_project_choice").options
    assert any("Uppföljning 2023 (regioner)" in o for o in options)
    assert not any(o == "a" for o in options)
