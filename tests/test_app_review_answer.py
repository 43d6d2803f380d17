"""Granska one answer at a time: chips, status/scope, adding a code by marking text, progress, language."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.browser.projects import HOSTILE, build_project
from ui import highlight, texts

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")


@pytest.fixture()
def project(tmp_path):
    store = build_project(tmp_path / "test.sqlite")
    yield store
    store.close()


def _granska(store) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["projects_dir"] = str(store.path.parent)
    at.session_state["project_path"] = str(store.path)
    at.session_state["analyst"] = "Anna Analytiker"
    at.run()
    at.switch_page("ui/pages/granska.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _messages(at: AppTest) -> str:
    """The page's messages as the analyst reads them (Markdown escapes of quoted answer text removed)."""
    import re

    text = "\n".join(str(e.value) for kind in ("success", "info", "warning", "error") for e in getattr(at, kind))
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text).replace("\u2060", "")


def test_progress_and_next_answer_by_uncertainty(project):
    at = _granska(project)
    order = [a for a, _, _ in project.review_answers()]
    assert any("0 av 4 svar granskade" in str(p.proto.text) for p in at.get("progress"))
    seen = [at.session_state["granska_current"]]
    for _ in range(3):
        at.button(key="granska_next").click().run()
        seen.append(at.session_state["granska_current"])
    assert seen == order  # least certain first
    at.button(key="granska_prev").click().run()
    assert at.session_state["granska_current"] == order[2]


def test_status_and_scope_are_correctable_and_undoable(project):
    at = _granska(project)
    first = min(project.codings(decisions=["suggested"]), key=lambda c: c.confidence)
    at.selectbox(key=f"status_{first.id}").set_value("planerad").run()
    at.selectbox(key=f"scope_{first.id}").set_value("projekt/pilot").run()
    stored = project.coding(first.id)
    assert (stored.status, stored.scope, stored.decision) == ("planerad", "projekt/pilot", "suggested")
    log = project.audit(entity="coding", entity_id=first.id)
    assert [r["action"] for r in log[:2]] == ["set_status_scope", "set_status_scope"]
    assert log[0]["analyst"] == "Anna Analytiker"
    at.button(key="undo").click().run()
    assert project.coding(first.id).scope == "breddinförd"
    message = _messages(at)
    assert "Ångrade: du ändrade status/omfattning på Mobila team »mobila team«" in message, message
    assert "coding" not in message and "kodning " not in message


def test_add_a_code_by_choosing_sentences_or_typing_the_passage(project):
    at = _granska(project)
    answer_id = at.session_state["granska_current"]
    answer = project.answers([answer_id])[0]
    at.selectbox(key=f"add_code_{answer_id}").set_value("sip").run()
    at.text_input(key=f"add_span_{answer_id}").set_value("MOBILA  team i hela")
    at.button(key=f"add_btn_{answer_id}").click().run()
    manual = project.codings(decisions=["manual"])
    assert [(c.code_id, c.text) for c in manual] == [("sip", "mobila team i hela")]
    assert "Tillagd: Sip »mobila team i hela«" in _messages(at) or "Tillagd:" in _messages(at)
    # by sentences: from the first to the last sentence of the answer
    last = len(at.selectbox(key=f"add_to_{answer_id}").options) - 1
    at.selectbox(key=f"add_from_{answer_id}").set_value(0).run()
    at.selectbox(key=f"add_to_{answer_id}").set_value(last).run()
    at.selectbox(key=f"add_code_{answer_id}").set_value("patientkontrakt").run()
    at.button(key=f"add_btn_{answer_id}").click().run()
    added = [c for c in project.codings(decisions=["manual"]) if c.code_id == "patientkontrakt"]
    assert len(added) == 1 and added[0].text.strip() and added[0].text in answer.text
    # a passage that is not in the answer is refused with a message
    at.text_input(key=f"add_span_{answer_id}").set_value("finns inte alls här")
    at.button(key=f"add_btn_{answer_id}").click().run()
    assert "finns inte i svaret" in _messages(at)
    assert len(project.codings(decisions=["manual"])) == 2


def test_history_speaks_labels_and_local_time(project):
    at = _granska(project)
    first = min(project.codings(decisions=["suggested"]), key=lambda c: c.confidence)
    at.button(key=f"acc_{first.id}").click().run()
    assert "Godkänd: Mobila team »mobila team«" in _messages(at)
    frames = [df.value for df in at.dataframe]
    cells = " ".join(str(v) for f in frames for v in f.astype(str).values.ravel())
    assert "godkände Mobila team »mobila team«" in cells
    assert "coding" not in cells and "mobila_team" not in cells and "+00:00" not in cells


def test_answer_markdown_is_escaped():
    md = highlight.markdown(HOSTILE + "\n    indrag $x$ :smile:", [(0, 8, "blue")])
    assert md.startswith(":blue-background[\\<script\\>]")
    plain = re.sub(r"\\(.)", r"\1", md.split("]", 1)[1].replace(highlight.SPLIT, ""))
    assert "**fet** :red[x] [länk](http://example.com)" in plain
    assert "**" not in md and "](" not in md.replace("\\](", "") and "    indrag" not in md
    assert highlight.locate("Vi har Mobila\nteam.", "mobila team") == (7, 18)


def test_times_and_numbers_are_swedish():
    assert texts.local_time("2024-07-01T10:00:00+00:00") == "2024-07-01 12:00"
    assert texts.local_time("2024-01-01T10:00:00+00:00") == "2024-01-01 11:00"
    assert texts.decimal(0.5) == "0,50"
    assert texts.question_label("13a", {"13a": "Mobila team"}) == "fråga 13a – Mobila team"


def _recent_events(at: AppTest) -> list[str]:
    """The "händelse" column of Historik's "Senaste beslut" (the page's last history table)."""
    frames = [df.value for df in at.dataframe if "händelse" in df.value.columns]
    return [str(v) for v in frames[-1]["händelse"]]


def test_a_code_made_from_a_cluster_is_one_history_line_and_one_undo(project):
    """"Skapa kod av klustret" listed one "kodade för hand" line per excerpt (33 in qa17's project) and
    "Ångra" took back only the last excerpt; now it is one line with the count, and one undo."""
    from models import clusters

    clusters.run_clustering(project, analyst="Anna Analytiker")
    view = max(clusters.clusters(project), key=lambda v: v.size)
    assert view.size >= 2
    new_id = clusters.create_code(project, view.id, "Anna Analytiker", label="Hemnära team")
    at = _granska(project)
    cells = _recent_events(at)
    assert cells[0] == f"skapade koden Hemnära team av klustret ({view.size} utdrag kodade)", cells
    assert not [c for c in cells if c.startswith("kodade för hand Hemnära team")], cells
    at.button(key="undo").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert (f"Ångrade: du skapade koden Hemnära team av klustret. Klustrets {view.size} kodningar är borttagna "
            "och koden är borttagen ur kodboken.") in _messages(at)
    assert project.codings(code_ids=[new_id]) == []
    cells = _recent_events(at)
    assert cells[0] == f"ångrade: skapade koden Hemnära team av klustret ({view.size} utdrag kodade)", cells


def test_deciding_over_a_colleagues_decision_says_so(project):
    # qa21: two analysts had the same answer open; Bertil accepted, then Anna (her page not yet redrawn) rejected
    # the same code and read only "Avvisad: … Sparat." – nothing said she had just overruled a colleague
    at = _granska(project)
    current = at.session_state["granska_current"]
    first = min((c for c in project.codings(answer_ids=[current]) if c.decision == "suggested"),
                key=lambda c: (c.confidence, c.id))
    project.decide(first.id, "accepted", "Bertil Kollega")  # in the other tab, after Anna's page was drawn
    at.button(key=f"rej_{first.id}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert project.coding(first.id).decision == "rejected"  # the last decision stands, as before
    warning = " ".join(str(w.value) for w in at.warning)
    assert "Bertil Kollega hade godkänt" in warning and "ersätter" in warning, _messages(at)
    at.button(key=f"acc_{first.id}").click().run()  # her own earlier decision: nothing to point out
    assert not any("hade" in str(w.value) for w in at.warning), _messages(at)


def test_history_and_undo_name_a_code_taken_out_of_the_codebook(project):
    # qa21: Granska's history said "godkände en kod »mobila team«" once the code was deleted on Kodbok (the views and
    # exports already named it by the label of the newest codebook version that had it)
    import copy

    from models.codes import codebook_doc

    doc = copy.deepcopy(codebook_doc(project))
    project.save_codebook_doc(doc, "Anna Analytiker")  # the codebook as it was, with the code
    mobila = next(c for c in project.codings(decisions=["suggested"]) if c.code_id == "mobila_team")
    project.decide(mobila.id, "accepted", "Anna Analytiker")
    for cat in doc["categories"]:
        cat["codes"] = [c for c in cat["codes"] if c["id"] != "mobila_team"]
    project.save_codebook_doc(doc, "Anna Analytiker")
    at = _granska(project)
    cells = _recent_events(at)
    assert cells[0].startswith("godkände Mobila team »"), cells
    assert not [c for c in cells if "en kod" in c], cells
    at.button(key="undo").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Ångrade: du godkände Mobila team »" in _messages(at), _messages(at)
