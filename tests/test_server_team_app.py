"""The app on a team server (an [auth] section in the secrets), driven with AppTest.

Anonymous visitors see only "Logga in"; a signed-in non-member sees no project; a member sees
it; the signed-in e-mail is the analyst on decisions and in the audit log; a läsare cannot
decide or import; an ägare manages the members. Without [auth] see test_app_*.py.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import config
from tests.browser.projects import build_project
from tests.helpers.apptest import shown

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGES = ["projekt", "importera", "svar", "teman", "oversikt", "granska", "kluster", "kodbok", "exportera"]
AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 40, "client_id": "svarsanalys",
        "client_secret": "hemligt", "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
OWNER, ANALYST, READER, OUTSIDER = "agare@region.se", "analytiker@region.se", "lasare@region.se", "ute@region.se"
# pieces of the answers that show unmarked wherever an answer or excerpt is shown
ANSWER_SNIPPETS = ["i hela länet sedan 2021", "på alla vårdcentraler", "prövas i ett pilotprojekt", "under 2023",
                   "anna.andersson@falun.se", "alert(1)"]


@pytest.fixture()
def team(tmp_path, monkeypatch):
    """A projects folder with one project (members: ägare, analytiker, läsare) as the server's folder."""
    monkeypatch.setattr(config, "PROJECTS_DIR", tmp_path)
    store = build_project(tmp_path / "Team.sqlite")
    store.add_member(OWNER, "ägare", "cli")
    store.add_member(ANALYST, "analytiker", OWNER)
    store.add_member(READER, "läsare", OWNER)
    yield store
    store.close()


def _app(email: str | None, page: str | None = None, project: Path | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = dict(AUTH)
    at.user = {"is_logged_in": False} if email is None else {"is_logged_in": True, "email": email, "name": "X"}
    if project is not None:
        at.session_state["project_path"] = str(project)  # as if a session tried to open it directly
    at.run()
    if page:
        at.switch_page(f"ui/pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _shown(at: AppTest) -> str:
    """Every text the run put on screen (main area and sidebar), tables included."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "text", "code", "caption", "info", "warning",
                 "error", "success", "metric"):
        for el in getattr(at, kind):
            value = str(getattr(el, "value", ""))
            # the Markdown source and what a reader sees of it (names are escaped: "Team\\.sqlite")
            parts.append(value + " " + shown(value) + " " + str(getattr(el, "label", "")))
    for frame in list(at.dataframe) + list(at.table):
        parts.append(frame.value.to_string())
    for box in at.selectbox:
        parts.append(" ".join(str(o) for o in box.options))
    return "\n".join(parts)


@pytest.mark.parametrize("page", [None, *PAGES])
def test_anonymous_sees_only_sign_in_on_every_page(team, page):
    at = _app(None, page, project=team.path)
    assert [b.label for b in at.button] == ["Logga in"]
    shown = _shown(at)
    assert "Teamprojekt" not in shown and "Testprojekt" not in shown
    for snippet in ANSWER_SNIPPETS:
        assert snippet not in shown
    assert not at.text_input  # no typed name in team mode


@pytest.mark.parametrize("page", PAGES)
def test_signed_in_non_member_never_sees_the_project(team, page):
    at = _app(OUTSIDER, page, project=team.path)
    shown = _shown(at)
    for snippet in ANSWER_SNIPPETS + ["Testprojekt", "Team.sqlite"]:
        assert snippet not in shown, (page, snippet)
    assert "Logga ut" in [b.label for b in at.sidebar.button]
    assert "project_path" not in at.session_state
    if page == "projekt":
        assert not [b for b in at.button if b.key in ("open_project", "open_sample")]
        assert not at.get("download_button")


def test_member_sees_the_project_and_the_signed_in_email(team):
    at = _app(READER, "svar")
    shown = _shown(at)
    assert "Testprojekt" in shown and "Falu kommun" in shown
    assert all(snippet in shown for snippet in ANSWER_SNIPPETS)  # what the other tests must not find
    assert READER in shown and "läsare" in shown
    assert "Logga ut" in [b.label for b in at.sidebar.button]
    assert "analyst" not in [t.key for t in at.text_input]


def test_decision_in_team_mode_carries_the_signed_in_email(team):
    at = _app(ANALYST.upper(), "granska")
    buttons = [b for b in at.button if b.key and b.key.startswith("acc_")]
    assert buttons and not buttons[0].disabled
    coding_id = int(buttons[0].key.split("_")[1])
    buttons[0].click().run()
    assert not at.exception
    at.switch_page("ui/pages/kluster.py").run()
    assert not at.exception and not at.button(key="kluster_run").disabled
    assert team.coding(coding_id).decision == "accepted"
    assert team.coding(coding_id).analyst == ANALYST
    log = team.audit(entity="coding", entity_id=coding_id)
    assert log[-1]["analyst"] == ANALYST and log[-1]["action"] == "accepted"


def test_reader_cannot_decide_or_import(team):
    at = _app(READER, "granska")
    decisions = [b for b in at.button if b.key and b.key.split("_")[0] in ("acc", "rej", "recode", "undo")]
    assert decisions and all(b.disabled for b in decisions)
    assert any("läsare" in i.value for i in at.info)
    at.switch_page("ui/pages/importera.py").run()
    assert not at.exception
    assert "do_import" not in [b.key for b in at.button]
    assert any("läsare" in i.value for i in at.info)
    at.switch_page("ui/pages/kluster.py").run()
    assert not at.exception and at.button(key="kluster_run").disabled
    at.switch_page("ui/pages/exportera.py").run()  # a läsare exports
    assert not at.exception and [b for b in at.button if "Excel" in b.label]


def test_owner_manages_members_others_only_see_them(team):
    at = _app(OWNER, "projekt")
    assert at.subheader and "Medlemmar" in [s.value for s in at.subheader]
    at.text_input(key="members_email").set_value("Ny@Region.se")
    at.selectbox(key="members_role").set_value("läsare")
    at.button(key="members_add_btn").click().run()
    assert not at.exception
    assert team.member_role("ny@region.se") == "läsare"
    assert team.audit(entity="member", entity_id="ny@region.se")[-1]["analyst"] == OWNER
    at.selectbox(key="members_remove_who").set_value("ny@region.se")
    at.button(key="members_remove_btn").click().run()
    assert team.member_role("ny@region.se") is None
    for email in (ANALYST, READER):
        other = _app(email, "projekt")
        assert "members_add_btn" not in [b.key for b in other.button]
        assert "rename_project_btn" not in [b.key for b in other.button]
        assert OWNER in _shown(other)  # members are listed to every member


def test_project_created_on_the_team_server_belongs_to_its_creator(team, tmp_path):
    at = _app(OUTSIDER, "projekt")
    at.text_input(key="new_project_name").set_value("Eget projekt")
    at.button(key="create_project").click().run()
    assert not at.exception
    from models.members import role_in_file

    created = tmp_path / "Eget_projekt.sqlite"
    assert role_in_file(created, OUTSIDER) == "ägare"
    assert role_in_file(created, OWNER) is None
    assert role_in_file(team.path, OUTSIDER) is None
    at.switch_page("ui/pages/projekt.py").run()
    assert "Eget projekt" in _shown(at) and "Testprojekt" not in _shown(at)


def test_project_without_members_is_seen_by_nobody(team, tmp_path):
    orphan = build_project(tmp_path / "Ingen.sqlite")
    orphan.set_meta("name", "Utan medlemmar")
    orphan.close()
    at = _app(OWNER, "projekt")
    assert "Utan medlemmar" not in _shown(at) and "Ingen" not in _shown(at)


def test_incomplete_sign_in_settings_are_named_in_swedish(team):
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = {k: v for k, v in AUTH.items() if k != "client_secret"}
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert not at.button
    assert any("saknar client_secret" in e.value for e in at.error)
    assert not [s for s in ANSWER_SNIPPETS if s in _shown(at)]


def test_members_table_shows_when_added_in_swedish_local_time(team):
    """The Medlemmar table showed the stored UTC ISO string ("2026-12-05T11:39:02+00:00")."""
    import re

    from models.clock import local_time

    at = _app(OWNER, "projekt")
    frame = next(f.value for f in at.dataframe if "tillagd" in f.value.columns)
    added = {r["email"]: r["added_at"] for r in team.members()}
    assert list(frame["tillagd"]) == [local_time(added[e]) for e in frame["e-post"]]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", v) for v in frame["tillagd"])


def test_projekt_does_not_show_the_server_folder_to_members(team):
    """A läsare read "Fil: Team.sqlite i /srv/…/projects" on Projekt: the server's folder layout."""
    for email in (READER, OWNER):
        shown = _shown(_app(email, "projekt"))
        assert "Fil: Team.sqlite" in shown
        assert str(team.path.parent) not in shown, email
