"""Granska, Teman and Svar on a small project: decisions reach the store; answer text stays literal."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.browser.projects import HOSTILE, build_project
from tests.helpers.apptest import selectbox
from ui.highlight import SPLIT

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")


@pytest.fixture()
def project(tmp_path):
    store = build_project(tmp_path / "test.sqlite")
    yield store
    store.close()


def _app(store, page: str, analyst: str = "Anna Analytiker") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["projects_dir"] = str(store.path.parent)
    at.session_state["project_path"] = str(store.path)
    at.session_state["analyst"] = analyst
    at.run()
    at.switch_page(f"ui/pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _lowest_suggestion(store):
    return min(store.codings(decisions=["suggested"]), key=lambda c: (c.confidence, c.id))


def test_granska_accept_lowest_confidence_first(project):
    at = _app(project, "granska")
    first = _lowest_suggestion(project)
    buttons = [b for b in at.button if b.key and b.key.startswith("acc_")]
    assert buttons[0].key == f"acc_{first.id}"  # lowest confidence first
    buttons[0].click().run()
    assert not at.exception
    stored = project.coding(first.id)
    assert stored.decision == "accepted"
    assert stored.analyst == "Anna Analytiker"
    assert any("Godkänd" in s.value for s in at.success)
    assert at.button(key=f"acc_{first.id}").disabled  # the answer stays, its chip now accepted
    assert not any("kodning" in s.value or "coding" in s.value for s in at.success)
    at.button(key="granska_next").click().run()
    assert f"acc_{first.id}" not in [b.key for b in at.button]


def test_granska_reject_recode_and_undo(project):
    at = _app(project, "granska")
    first = _lowest_suggestion(project)
    at.button(key=f"rej_{first.id}").click().run()
    assert project.coding(first.id).decision == "rejected"
    second = _lowest_suggestion(project)
    at.button(key="granska_next").click().run()
    at.selectbox(key=f"code_{second.id}").set_value("sip").run()
    at.button(key=f"recode_{second.id}").click().run()
    recoded = project.coding(second.id)
    assert (recoded.code_id, recoded.decision) == ("sip", "accepted")
    at.button(key="undo").click().run()
    undone = project.coding(second.id)
    assert (undone.code_id, undone.decision) == (second.code_id, "suggested")
    assert project.coding(first.id).decision == "rejected"
    history = project.audit(entity="coding", entity_id=second.id)
    actions = [h["action"] for h in history]
    assert actions[0] == "undo" and "recode" in actions and "rejected" not in actions


def test_granska_manual_coding_of_pasted_span_and_memo(project):
    at = _app(project, "granska")
    at.selectbox(key="manual_resp").set_value("Falu kommun").run()
    answer = next(a for a in project.answers() if a.question == "13a")
    at.selectbox(key="manual_answer").set_value(answer.id).run()
    at.text_input(key=f"manual_span_{answer.id}").set_value("mobila team").run()
    at.selectbox(key="manual_code").set_value("mobila_team").run()
    at.button(key="manual_add").click().run()
    assert not at.exception
    manual = project.codings(decisions=["manual"])
    assert len(manual) == 1 and manual[0].text == "mobila team" and manual[0].analyst == "Anna Analytiker"
    at.selectbox(key="memo_code").set_value("sip").run()
    at.text_area(key="code_memo_sip").set_value("Avgränsa mot vårdplan.").run()
    at.button(key="code_memo_save").click().run()
    assert project.memo("code", "sip") == "Avgränsa mot vårdplan."


def test_granska_without_analyst_name_cannot_decide(project):
    at = _app(project, "granska", analyst="")
    assert all(b.disabled for b in at.button if b.key and b.key.startswith("acc_"))
    assert at.warning


def _all_markdown(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    for kind in ("success", "info", "warning", "error"):
        parts += [e.value for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", ["teman", "granska", "svar"])
def test_hostile_answer_text_is_shown_literally_never_as_markdown(project, page):
    at = _app(project, page)
    if page == "teman":
        at.selectbox(key="teman_kat").set_value("proaktivt_undvikbar_slutenvard").run()
        at.selectbox(key="teman_kod").set_value("mobila_team").run()
    if page == "svar":
        hostile_id = next(a.id for a in project.answers() if HOSTILE in a.text)
        selectbox(at, "svar_full").set_value(hostile_id).run()
    texts = [t.value for t in at.text] + [c.value for c in at.code]
    if page == "granska":  # the whole answer is escaped Markdown (for the colours): unescaped it is the text
        import re

        texts += [re.sub(r"\\(.)", r"\1", m.value.replace(SPLIT, "")) for m in at.markdown]
    assert any(HOSTILE in t for t in texts), page
    rendered_as_markdown = _all_markdown(at)
    assert "<script>" not in rendered_as_markdown and ":red[x]" not in rendered_as_markdown


def test_teman_coverage_and_filters(project):
    at = _app(project, "teman")
    at.selectbox(key="teman_kat").set_value("proaktivt_undvikbar_slutenvard").run()
    at.selectbox(key="teman_kod").set_value("mobila_team").run()
    assert any("nämns av 1 av 1 regioner som svarat (21 totalt), i 1 av 1 län där kommunerna svarat (20 totalt) "
               "och av 1 av 1 kommuner som svarat själva (290 totalt)" in t.value for t in at.text)
    at.multiselect(key="teman_typ").set_value(["kommun"]).run()
    assert not at.exception
    assert any(t.value.startswith("Falu kommun") for t in at.text)
    assert not any(t.value.startswith("Region Dalarna") for t in at.text)


def test_svar_edit_question_is_stored(project):
    at = _app(project, "svar")
    assert at.get("arrow_data_frame") or at.get("data_editor") or True
    answer = next(a for a in project.answers() if a.question == "8a")
    from models.answer_edits import apply_table_edits  # the page's change handler, fed as the data editor would
    import pandas as pd

    frame = project.answer_frame()
    before = pd.DataFrame({"svars-id": [answer.id], "respondent": ["Region Dalarna (region)"], "fråga": ["8a"]})
    after = before.assign(**{"fråga": ["8b"]})
    n = apply_table_edits(project, before, after, {}, frame, "Anna Analytiker")
    assert n == 1
    assert next(a for a in project.answers() if a.id == answer.id).question == "8b"
    assert project.audit(entity="answer", entity_id=answer.id)[0]["analyst"] == "Anna Analytiker"


def test_svar_shows_which_answers_hold_personal_data(project):
    at = _app(project, "svar")
    assert any("1 svar innehåller personuppgifter" in w.value for w in at.warning)
    at.toggle(key="svar_pii").set_value(True).run()
    assert not at.exception
    options = selectbox(at, "svar_full").options
    assert len(options) == 1 and "fråga 14" in options[0]


def test_granska_message_quotes_answer_text_literally(project):
    """The 'Tillagd' message quotes the marked passage; its Markdown is escaped, so it shows as typed."""
    from ui.review_answer import CURRENT

    hostile = next(a for a in project.answers() if HOSTILE in a.text)
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["projects_dir"] = str(project.path.parent)
    at.session_state["project_path"] = str(project.path)
    at.session_state["analyst"] = "Anna Analytiker"
    at.session_state[CURRENT] = hostile.id
    at.run()
    at.switch_page("ui/pages/granska.py").run()
    passage = "**fet** :red[x] [länk](http://example.com)"
    at.text_input(key=f"add_span_{hostile.id}").set_value(passage).run()
    at.button(key=f"add_btn_{hostile.id}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    message = next(s.value for s in at.success if "Tillagd" in s.value)
    for raw in ("**fet**", ":red[x]", "[länk](", "http://"):
        assert raw not in message, message
    shown = message.replace(SPLIT, "").replace("\\", "")
    assert f"»{passage}«" in shown, shown


def test_svar_says_an_edit_in_its_table_was_saved(project):
    """qa27: "n ändring(ar) sparade." was drawn just before st.rerun(), so the analyst never saw it; it is now
    shown on the run that draws the saved table, in the singular for one change."""
    at = _app(project, "svar")
    assert not project.audit(entity="answer")
    at.session_state[f"svar_editor_{project.data_version}"] = {"edited_rows": {0: {"fråga": "8b"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.success] == ["1 ändring sparad."]
    assert len(project.audit(entity="answer")) == 1  # the first row's question is changed, by Anna
    at.run()  # the next run: the message has been shown once
    assert not at.success
