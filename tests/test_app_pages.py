"""Every page renders without an exception on the sample project and on an empty project."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from models.store import ProjectStore
from tests.helpers.apptest import selectbox

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGES = ["projekt", "importera", "svar", "teman", "oversikt", "forandring", "granska", "kluster", "kodbok",
         "exportera", "overensstammelse"]


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


def _clustered(sample_project, tmp_path):
    """The app on a copy of the sample project, clustered on the Kluster page: (app, copy, first cluster id)."""
    copy = tmp_path / "kluster.sqlite"
    shutil.copy(sample_project, copy)
    at = _app(tmp_path, copy)
    at.run()
    at.switch_page("ui/pages/kluster.py").run()
    at.button(key="kluster_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at, copy, next(b for b in at.selectbox if b.label == "Kluster").value


def test_kluster_run_rename_exclude_and_map_to_code(sample_project, tmp_path):
    clusters = pytest.importorskip("models.clusters")
    at, copy, first = _clustered(sample_project, tmp_path)
    store = ProjectStore(copy)
    views = clusters.clusters(store)
    assert views
    at.text_input(key=f"kl_name_{first}").set_value("Mina mobila team").run()
    at.button(key=f"kl_rename_{first}").click().run()
    assert clusters.cluster(store, first).name == "Mina mobila team"

    member = clusters.cluster(store, first).members[0]["id"]
    at.multiselect(key=f"kl_members_{first}").set_value([member]).run()
    at.button(key=f"kl_exclude_{first}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    excluded = [m for m in clusters.cluster(store, first, include_excluded=True).members if m["id"] == member]
    assert excluded and excluded[0]["excluded"]

    selectbox(at, f"kl_code_{first}").set_value("mobila_team").run()
    at.button(key=f"kl_map_{first}").click().run()
    assert clusters.cluster(store, first).code_id == "mobila_team"
    spans = {(m["answer_id"], m["start"], m["end"])
             for m in clusters.cluster(store, first, include_excluded=False).members}
    coded = {(c.answer_id, c.start, c.end): c for c in store.codings(code_ids=["mobila_team"], decisions=["manual"])}
    assert spans and spans <= set(coded)
    assert all(coded[s].analyst == "Testanalytiker" for s in spans)
    store.close()


def test_kluster_undo_button_takes_back_a_move_of_several_excerpts(sample_project, tmp_path):
    """"Ångra min senaste ändring" names what it takes back and restores every excerpt of one move."""
    clusters = pytest.importorskip("models.clusters")
    at, copy, first = _clustered(sample_project, tmp_path)
    assert at.button(key="kl_undo").disabled
    store = ProjectStore(copy)
    before = {v.id: v.size for v in clusters.clusters(store)}
    members = [m["id"] for m in clusters.cluster(store, first).members[:2]]
    at.multiselect(key=f"kl_members_{first}").set_value(members).run()
    at.button(key=f"kl_move_{first}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    moved = {v.id: v.size for v in clusters.clusters(store)}
    assert moved[first] == before[first] - 2
    undo = at.button(key="kl_undo")
    assert not undo.disabled and undo.label == "Ångra min senaste ändring (flytten av utdrag)"
    undo.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert {v.id: v.size for v in clusters.clusters(store)} == before
    assert any("Ångrade flytten av utdrag." in t.value for t in at.text)
    assert at.button(key="kl_undo").disabled
    store.close()


def test_overview_respondent_types_read_in_swedish(sample_project, tmp_path):
    """The heatmap's type filter offers "RSS", as every other page does, not the stored id "rss"."""
    copy = tmp_path / "Exempelprojekt.sqlite"
    shutil.copy(sample_project, copy)
    at = _app(tmp_path, copy)
    at.run()
    at.switch_page("ui/pages/oversikt.py").run()
    assert not at.exception, [e.value for e in at.exception]
    types = at.multiselect(key="oversikt_typ")
    assert types.options == ["region", "kommun", "RSS"], types.options
    assert sorted(types.value) == ["kommun", "region", "rss"]


def test_kluster_new_code_name_follows_a_rename(sample_project, tmp_path):
    """Renaming a cluster and then turning it into a code proposes the new name, not the stale phrase."""
    clusters = pytest.importorskip("models.clusters")
    at, copy, first = _clustered(sample_project, tmp_path)
    at.text_input(key=f"kl_name_{first}").set_value("Mobila team och hemgång").run()
    at.button(key=f"kl_rename_{first}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    new_code = [t for t in at.text_input if t.label == "Namn på den nya koden"]
    assert [t.value for t in new_code] == ["Mobila team och hemgång"]
    at.button(key=f"kl_create_{first}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    store = ProjectStore(copy)
    code_id = clusters.cluster(store, first).code_id
    doc = store.codebook_doc()
    store.close()
    labels = {c["id"]: c.get("label") for cat in doc["categories"] for c in cat.get("codes", [])}
    assert labels.get(code_id) == "Mobila team och hemgång", (code_id, labels.get(code_id))


def test_analyst_name_survives_a_reload(tmp_path):
    """A reload (a new session) keeps the name given before: the review buttons are not disabled again."""
    empty = tmp_path / "tomt.sqlite"
    ProjectStore(empty, name="Tomt").close()

    def fresh() -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        at.session_state["projects_dir"] = str(tmp_path)
        at.session_state["project_path"] = str(empty)
        return at

    at = fresh()
    at.run()
    assert any("Skriv ditt namn" in w.value for w in at.sidebar.warning)
    at.sidebar.text_input(key="analyst").set_value("Anna Analytiker").run()
    assert not at.exception, [e.value for e in at.exception]
    again = fresh()
    again.run()
    assert not again.exception, [e.value for e in again.exception]
    assert again.session_state["analyst"] == "Anna Analytiker"
    assert not any("Skriv ditt namn" in w.value for w in again.sidebar.warning)
    # a name cleared on purpose stays cleared in that session
    again.sidebar.text_input(key="analyst").set_value("").run()
    assert any("Skriv ditt namn" in w.value for w in again.sidebar.warning)


def test_two_tabs_keep_their_own_analyst_across_reloads(tmp_path):
    """qa21: the remembered name was the projects folder's, so a reload of Anna's tab after Bertil typed his name in
    another tab made her "Bertil" (her decisions saved in his name). The name is the tab's own now (in its address);
    the folder's last name is only where a new tab starts."""
    empty = tmp_path / "tomt.sqlite"
    ProjectStore(empty, name="Tomt").close()

    def tab(address: dict | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        at.session_state["projects_dir"] = str(tmp_path)
        at.session_state["project_path"] = str(empty)
        at.query_params.update(address or {})
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    anna = tab()
    anna.sidebar.text_input(key="analyst").set_value("Anna Analytiker").run()
    anna_address = dict(anna.query_params)
    bertil = tab()  # a new tab starts with the name given last on this machine
    assert bertil.session_state["analyst"] == "Anna Analytiker"
    bertil.sidebar.text_input(key="analyst").set_value("Bertil Kollega").run()
    bertil_address = dict(bertil.query_params)
    assert tab(anna_address).session_state["analyst"] == "Anna Analytiker"  # Anna reloads her tab
    assert tab(bertil_address).session_state["analyst"] == "Bertil Kollega"
    assert tab().session_state["analyst"] == "Bertil Kollega"  # a third, new tab: the last name given


def test_svar_downloads_its_answers_without_live_formulas(tmp_path, monkeypatch):
    # qa21: the table's own "Download as CSV" (Streamlit's) wrote an uploaded answer '=HYPERLINK(…)' as a live
    # formula; it is hidden (ui.streamlit_texts) and Svar offers its own download, whose cells cannot start one
    import csv
    import io

    from export import csv_export
    from models.records import ParsedFile, RawAnswer
    from tests.browser.projects import _resolve, build_project

    store = build_project(tmp_path / "svar.sqlite")
    formula = '=HYPERLINK("http://evil.example","klicka") Vi har mobila team.'
    store.import_parsed(ParsedFile("formel.txt", "txt", "2" * 64, len(formula),
                                   [RawAnswer("Okänd Ort XYZ", "13a", formula, position=0)]), _resolve)
    written: list[bytes] = []
    real = csv_export.frame_to_csv
    monkeypatch.setattr(csv_export, "frame_to_csv", lambda df, **kw: written.append(real(df, **kw)) or written[-1])
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["projects_dir"] = str(tmp_path)
    at.session_state["project_path"] = str(store.path)
    at.session_state["analyst"] = "Anna Analytiker"
    at.run()
    at.switch_page("ui/pages/svar.py").run()
    store.close()
    assert not at.exception, [e.value for e in at.exception]
    assert [b.label for b in at.get("download_button")] == ["Ladda ner svaren i urvalet (CSV)"]
    rows = list(csv.reader(io.StringIO(written[-1].decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["respondent", "typ", "län", "fråga"]
    cells = [c for row in rows for c in row]
    assert "'" + formula in cells and not [c for c in cells if c and c[0] in "=+-@\t\r"]


def test_no_select_box_keeps_streamlits_english_placeholder(sample_project, tmp_path):
    """qa27: every select box carried Streamlit's "Choose an option" (the field's placeholder, read by a screen
    reader and shown when the box is empty); the app sets its own on each, on every page."""
    import ast

    copy = tmp_path / "Exempelprojekt.sqlite"
    shutil.copy(sample_project, copy)
    at = _app(tmp_path, copy)
    at.run()
    seen = 0
    for page in PAGES:
        at.switch_page(f"ui/pages/{page}.py").run()
        for box in at.selectbox:
            assert box.proto.placeholder == "Välj", (page, box.label, box.proto.placeholder)
            seen += 1
    assert seen >= 8
    # and in the code: a select box drawn by a branch the sample project does not reach has one too
    for path in [ROOT / "app.py", *sorted((ROOT / "ui").rglob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "selectbox":
                words = {k.arg for k in node.keywords}
                assert "placeholder" in words or None in words, (path.name, node.lineno)


def test_svar_names_how_many_answers_its_full_text_toggle_shows(sample_project, tmp_path):
    """qa27: with one answer in the selection the toggle read "Visa urvalets svar med hela texten (de 1 första)"."""
    copy = tmp_path / "Exempelprojekt.sqlite"
    shutil.copy(sample_project, copy)
    at = _app(tmp_path, copy)
    at.run()
    at.switch_page("ui/pages/svar.py").run()
    total = int(at.caption[0].value.split(" av ")[1].split()[0])
    assert total > 50
    assert at.toggle(key="svar_all_full").label == f"Visa urvalets svar med hela texten (de 50 första av {total})"
    store = ProjectStore(copy)
    word = next(w for a in store.answers() for w in a.text.split()
                if len(w) > 12 and w.isalpha() and sum(w in b.text for b in store.answers()) == 1)
    store.close()
    at.text_input(key="svar_sok").set_value(word).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.caption[0].value.startswith("1 av ")
    assert at.toggle(key="svar_all_full").label == "Visa svaret med hela texten"


def test_kluster_new_code_keywords_are_proposed_and_editable(sample_project, tmp_path):
    """"Skapa kod av klustret" shows the distinctive typical words as an editable list; the code gets the list
    as the analyst left it (qa33)."""
    clusters = pytest.importorskip("models.clusters")
    at, copy, first = _clustered(sample_project, tmp_path)
    store = ProjectStore(copy)
    proposal = clusters.proposed_keywords(store, first)
    store.close()
    box = next(t for t in at.text_input if t.label.startswith("Nyckelord"))
    assert box.value == ", ".join(proposal.keywords) and proposal.keywords
    box.set_value("kvällsbesök, hembesök , SIP").run()
    at.button(key=f"kl_create_{first}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    store = ProjectStore(copy)
    code_id = clusters.cluster(store, first).code_id
    code = next(c for cat in store.codebook_doc()["categories"] for c in cat.get("codes", []) if c["id"] == code_id)
    store.close()
    assert code["keywords"] == ["kvällsbesök", "hembesök"] and code["abbreviations"] == ["SIP"], code
