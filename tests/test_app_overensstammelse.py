"""Överensstämmelse page: draw a sample, two analysts code it (blind), compare, resolve into the final coding."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from models import teamcoding
from models.store import ProjectStore
from tests.helpers.apptest import open_page
from tests.helpers.apptest import shown as rendered
from tests.test_export_support import build_project


def _app(folder: Path, project: Path, analyst: str) -> AppTest:
    return open_page(project, "overensstammelse", analyst=analyst, folder=folder)


def _answer_box(at: AppTest):
    """Koda urvalet's answer selectbox (keyed by the done marks, so found by its label)."""
    return next(b for b in at.selectbox if b.label == "Svar")


def _code_all(at: AppTest, store: ProjectStore, analyst: str, choose) -> None:
    for r in store.assignments(coder=analyst):
        _answer_box(at).set_value(r["answer_id"]).run()
        at.multiselect(key=f"ov_codes_{analyst}_{r['answer_id']}").set_value(choose(r["answer_id"])).run()
        at.button(key="ov_save").click().run()
        assert not at.exception, [e.value for e in at.exception]


def test_two_analysts_code_the_sample_and_resolve(tmp_path):
    path = tmp_path / "p.sqlite"
    store = build_project(path)
    at = _app(tmp_path, path, "Anna")
    at.slider(key="ov_percent").set_value(100).run()
    at.text_input(key="ov_coders").set_value("Cecilia, Dag").run()
    at.button(key="ov_draw").click().run()
    assert not at.exception
    drawn = {r["answer_id"] for r in store.assignments(coder="Cecilia")}
    with_text = {a.id for a in store.answers() if a.text.strip()}
    assert drawn == with_text and {r["answer_id"] for r in store.assignments(coder="Dag")} == drawn
    assert all(r["blind"] for r in store.assignments())
    at.button(key="ov_make_qdpx").click().run()
    assert at.session_state["ov_qdpx"].startswith(b"PK")  # the blank sample for another QDA tool

    first = min(drawn)
    at_c = _app(tmp_path, path, "Cecilia")
    _code_all(at_c, store, "Cecilia", lambda aid: ["mobila_team"] if aid == first else ["sip"])
    at_d = _app(tmp_path, path, "Dag")
    # blind: Dag does not see Cecilia's codes
    assert not any("Cecilia" in c.value for c in at_d.caption)
    _code_all(at_d, store, "Dag", lambda aid: ["sip"])
    assert all(r["done"] for r in store.assignments())
    assert any("hela ditt urval" in m.value for m in at_d.success)

    comparison = teamcoding.compare(store, "Cecilia", "Dag")
    assert comparison.result.passages == len(drawn)
    assert [d[0] for d in comparison.disagreements] == [first]
    at_a = _app(tmp_path, path, "Anna")
    at_a.selectbox(key="ov_a").set_value("Cecilia").run()
    at_a.selectbox(key="ov_b").set_value("Dag").run()
    assert not at_a.exception
    assert any(m.value == str(len(drawn)) for m in at_a.metric)
    at_a.button(key="ov_make_coders_qdpx").click().run()  # the double coding for NVivo / MAXQDA
    assert at_a.session_state["ov_coders_qdpx"].startswith(b"PK")
    key = f"ov_final_Cecilia_Dag_{first}"
    at_a.multiselect(key=key).set_value(["sip"]).run()
    at_a.button(key=f"ov_resolve_Cecilia_Dag_{first}").click().run()
    assert not at_a.exception
    final = [(c.code_id, c.analyst, c.decision) for c in store.codings(answer_ids=[first]) if c.analyst == "Anna"]
    assert ("sip", "Anna", "manual") in final
    store.close()


def test_an_analyst_codes_one_sentence_of_an_answer(tmp_path):
    path = tmp_path / "p.sqlite"
    store = build_project(path)
    a = next(x for x in store.answers() if x.respondent.name == "Region Dalarna" and x.question == "13a")
    store.assign([a.id], ["Eva", "Fia"])
    at = _app(tmp_path, path, "Eva")
    _answer_box(at).set_value(a.id).run()
    at.multiselect(key=f"ov_codes_Eva_{a.id}").set_value(["palliativ_vard"]).run()
    segments = at.multiselect(key=f"ov_seg_Eva_{a.id}_palliativ_vard")
    assert len(segments.options) == 2  # two sentences
    segments.set_value([1]).run()
    at.button(key="ov_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    rows = store.coder_codings(coder="Eva")
    assert [(r["code_id"], r["text"]) for r in rows] == [("palliativ_vard", "De når äldre i hemmet, även palliativ vård.")]
    store.close()


# --- names are data (qa33): a code or coder named like Markdown or HTML shows as typed ------------------------------

CODE_NAME = "**Fet** [länk](http://x.se) <b>kod</b> _x_"
CODER_A = "[Eva](http://eva.se)"
CODER_B = "<i>Fia</i> **B**"


def _odd_project(tmp_path):
    import copy

    from tests.test_export_support import DOC

    path = tmp_path / "p.sqlite"
    store = build_project(path)
    doc = copy.deepcopy(DOC)
    doc["categories"][0]["codes"][1]["label"] = CODE_NAME  # palliativ_vard
    store.save_codebook_doc(doc)
    return path, store


def test_code_and_coder_names_show_as_typed(tmp_path):
    path, store = _odd_project(tmp_path)
    a = next(x for x in store.answers() if x.respondent.name == "Region Dalarna" and x.question == "13a")
    # drawing a sample names the coders in its message
    at = _app(tmp_path, path, "Anna")
    at.slider(key="ov_percent").set_value(100).run()
    at.text_input(key="ov_coders").set_value(f"{CODER_A}, {CODER_B}").run()
    at.button(key="ov_draw").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(rendered(m.value).endswith(f"tilldelade {', '.join(sorted([CODER_A, CODER_B]))}. Sparat.") for m in at.success), \
        [m.value for m in at.success]
    # an analyst with nothing assigned is named in the hint
    at_n = _app(tmp_path, path, "<u>Ulf</u>")
    assert any(rendered(m.value).startswith("Inga svar är tilldelade <u>Ulf</u>.") for m in at_n.info)
    # the sentence picker's label names the code; a coder's codes (not blind) name the coder and the code
    store.close()
    (tmp_path / "b").mkdir()
    path, store = _odd_project(tmp_path / "b")
    a = next(x for x in store.answers() if x.respondent.name == "Region Dalarna" and x.question == "13a")
    store.assign([a.id], [CODER_A, CODER_B], blind=False)
    store.add_coder_codings([(a.id, CODER_B, "palliativ_vard", 0, len(a.text))], analyst=CODER_B)
    at_e = _app(tmp_path / "b", path, CODER_A)
    _answer_box(at_e).set_value(a.id).run()
    at_e.multiselect(key=f"ov_codes_{CODER_A}_{a.id}").set_value(["palliativ_vard"]).run()
    assert not at_e.exception, [e.value for e in at_e.exception]
    label = at_e.multiselect(key=f"ov_seg_{CODER_A}_{a.id}_palliativ_vard").label
    assert rendered(label) == f"Var i svaret gäller {CODE_NAME}?", label
    assert f"{CODER_B}: {CODE_NAME}" in [rendered(c.value) for c in at_e.caption], [c.value for c in at_e.caption]
    store.close()


def test_md_renders_data_as_typed():
    from ui.safe import md

    for text in (CODE_NAME, CODER_A, CODER_B, "# Koden :red[x] $x$", "- a@b.se www.x.se ~~s~~ `k` 1. \\*"):
        assert rendered(md(text)) == text, (text, md(text))
