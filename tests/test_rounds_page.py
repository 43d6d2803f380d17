"""Förändring (AppTest) on the sample project's two rounds (2021 and 2022)."""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from models.store import ProjectStore
from tests.helpers.apptest import open_page
from tests.helpers.apptest import shown as as_read


@pytest.fixture(scope="module")
def sample_project(tmp_path_factory) -> Path:
    from ui.project import ensure_sample_project

    return ensure_sample_project(tmp_path_factory.mktemp("sample_rounds"))


def _page(folder: Path, project: Path) -> AppTest:
    return open_page(project, "forandring", folder=folder)


def test_sample_project_has_two_rounds(sample_project):
    from models import round_views

    store = ProjectStore(sample_project)
    assert round_views.round_labels(store) == ["2021", "2022"]
    assert {r.label: r.n_respondents for r in round_views.rounds(store)}["2021"] == 4


def test_page_compares_the_sample_rounds(sample_project, tmp_path):
    copy = tmp_path / "p.sqlite"
    shutil.copy(sample_project, copy)
    at = _page(tmp_path, copy)
    assert at.title[0].value == "Förändring"
    assert at.selectbox(key="forandring_fran").value == "2021"
    assert at.selectbox(key="forandring_till").value == "2022"
    metrics = {m.label: int(m.value) for m in at.metric}
    assert metrics["Har gått framåt"] > 0 and metrics["Ny"] > 0 and metrics["Nämns inte längre"] > 0
    table = at.dataframe[0].value
    # default: only respondents who answered in both rounds (the four of 2021)
    assert set(table["respondent"]) == {"Kommunerna i Dalarnas län", "Kommunerna i Västerbottens län",
                                        "Region Dalarna", "Region Kalmar län"}

    at.selectbox(key="forandring_kod").set_value("mobila_team").run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    vb = table[table["respondent"] == "Kommunerna i Västerbottens län"].iloc[0]
    assert vb["förändring"] == "har gått framåt"
    assert (vb["omfattning 2021"], vb["omfattning 2022"]) == ("projekt/pilot", "breddinförd")
    # the two rounds' excerpts side by side
    pick = at.selectbox(key="forandring_rad")
    pick.select_index(next(i for i, o in enumerate(pick.options) if "Västerbottens" in o)).run()
    texts = [t.value for t in at.text]
    assert any("startat som ett projekt i Umeå" in t for t in texts)  # 2021's excerpt
    assert any("Mobilt team i Umeå har breddinförts" in t for t in texts)  # 2022's excerpt

    at.toggle(key="forandring_bada").set_value(False).run()
    everyone = at.dataframe[0].value
    assert len(everyone) > len(table) and "ny" in set(everyone["förändring"])

    at.button(key="forandring_excel").click().run()
    assert not at.exception, [e.value for e in at.exception]
    data = at.session_state["forandring_xlsx"][1]
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Förändring", "Täckning per omgång"]
    rows = list(wb["Förändring"].values)
    assert "Utdrag (2021)" in rows[0] and "Utdrag (2022)" in rows[0]
    assert {r[3] for r in rows[1:]} == {"mobila_team"}


def test_page_explains_when_there_is_one_round(tmp_path):
    from models.importing import import_bytes

    project = tmp_path / "en.sqlite"
    store = ProjectStore(project, name="En")
    text = "Svar från: Region Dalarna\n\nFråga 6. Digitalisering\n\nDigitala vårdbesök erbjuds.\n".encode()
    assert import_bytes(store, "a.txt", text, round_label="2022").ok
    store.close()
    at = _page(tmp_path, project)
    assert any("två omgångar" in i.value for i in at.info)


def _switch(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"ui/pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_svar_teman_oversikt_and_exportera_filter_by_round(sample_project, tmp_path):
    copy = tmp_path / "p.sqlite"
    shutil.copy(sample_project, copy)
    at = _page(tmp_path, copy)

    _switch(at, "svar")
    at.multiselect(key="svar_omgang").set_value(["2021"]).run()
    assert not at.exception
    frame = ProjectStore(copy).answer_frame()
    expected = f"{(frame['round'] == '2021').sum()} av {len(frame)} svar"
    assert any(expected in c.value for c in at.caption), [c.value for c in at.caption]

    _switch(at, "teman")
    from models import views

    codes = views.code_frame()
    at.selectbox(key="teman_kat").set_value(codes.loc[codes["code_id"] == "mobila_team", "category_id"].iloc[0]).run()
    at.selectbox(key="teman_kod").set_value("mobila_team").run()
    at.multiselect(key="teman_omgang").set_value(["2021"]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("(omgång 2021)" in m.value for m in at.markdown)
    cards = [t.value for t in at.text if " · fråga " in t.value]
    assert cards and all("omgång 2021" in t for t in cards)

    _switch(at, "oversikt")
    at.selectbox(key="oversikt_omgang").set_value("2021").run()
    assert not at.exception, [e.value for e in at.exception]

    _switch(at, "granska")
    at.radio(key="granska_mode").set_value(at.radio(key="granska_mode").options[1]).run()
    at.selectbox(key="granska_omgang").set_value("2021").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(h.value.startswith("Förslag att granska") for h in at.subheader)
    store = ProjectStore(copy)
    in_2021 = set(store.answer_frame().query("round == '2021'")["answer_id"])
    open_2021 = [c for c in store.codings(decisions=["suggested"]) if c.answer_id in in_2021]
    assert any(h.value == f"Förslag att granska ({len(open_2021)})" for h in at.subheader)

    _switch(at, "exportera")
    at.multiselect(key="export_rounds").set_value(["2021"]).run()
    assert not at.exception, [e.value for e in at.exception]


def test_importera_detects_the_round_and_imports_into_the_confirmed_one(tmp_path):
    project = tmp_path / "import.sqlite"
    ProjectStore(project, name="Import").close()
    at = _page(tmp_path, project)
    _switch(at, "importera")
    body = "Svar från: Region Dalarna\n\nFråga 6. Digitalisering\n\nDigitala vårdbesök erbjuds.\n".encode()
    at.file_uploader(key="answer_files").set_value([("region_dalarna_delredovisning_2023.txt", body, "text/plain"),
                                                    ("utan_artal.txt", body.replace(b"Dalarna", b"Halland"),
                                                     "text/plain")]).run()
    assert not at.exception, [e.value for e in at.exception]
    at.button(key="do_import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    report = {r["name"]: r for r in at.session_state["import_report"]}
    assert report["region_dalarna_delredovisning_2023.txt"]["round_label"] == "2023-del"
    # a file without a year of its own takes the upload's round (it was left without one)
    assert report["utan_artal.txt"]["round_label"] == "2023-del"
    frame = ProjectStore(project).answer_frame()
    assert dict(zip(frame["respondent"], frame["round"])) == {"Region Dalarna": "2023-del",
                                                              "Region Halland": "2023-del"}
    # one round for every file: the same files are added to round 2024 (and stay in their first rounds)
    at.text_input(key="import_round").set_value("2024").run()
    at.button(key="do_import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    frame = ProjectStore(project).answer_frame()
    assert sorted(frame["round"]) == ["2023-del", "2023-del", "2024", "2024"]
    report = {r["name"]: r for r in at.session_state["import_report"]}
    # the file whose name says 2023-del went into 2024 as chosen, and its report line says so
    assert any("omgång 2023-del" in w and "inte till omgång 2024" in w
               for w in report["region_dalarna_delredovisning_2023.txt"]["warnings"])
    assert not any("omgång" in w for w in report["utan_artal.txt"]["warnings"])
    assert any(h.value == "Importerade filer och omgångar" for h in at.subheader)


def test_files_uploaded_together_get_one_round_and_a_disagreeing_file_is_named(tmp_path):
    """A Word form names its year (form title), the .csv and .xlsx of the same upload do not: all three go to
    the round read from the form, said before the import; a file named for another year keeps its own round
    and is named before the import and in its report line."""
    from reference.forms import default_forms
    from tools.make_sample_data import Respondent, write_csv_long, write_docx, write_xlsx

    form = {f.id: f for f in default_forms()}["kommun-2022"]
    def resp(name, lan):
        return Respondent(name, name, name, "kommun", lan, form, {}, {"6": f"Digitala besök erbjuds i {name}."})
    write_docx(tmp_path / "Ovanaker.docx", resp("Ovanåkers kommun", "Gävleborgs län"))
    write_csv_long(tmp_path / "vetlanda.csv", [resp("Vetlanda kommun", "Jönköpings län")])
    write_xlsx(tmp_path / "karlstad.xlsx", [("Kommuner", [resp("Karlstads kommun", "Värmlands län")])])
    (tmp_path / "Arboga_2021.txt").write_text("Arboga kommun\n\n6) Digitalisering\nDigitala besök.\n",
                                              encoding="utf-8")
    names = ["Ovanaker.docx", "vetlanda.csv", "karlstad.xlsx", "Arboga_2021.txt"]
    project = tmp_path / "import.sqlite"
    ProjectStore(project, name="Import").close()
    at = _page(tmp_path, project)
    _switch(at, "importera")
    at.file_uploader(key="answer_files").set_value(
        [(n, (tmp_path / n).read_bytes(), "application/octet-stream") for n in names]).run()
    assert not at.exception, [e.value for e in at.exception]
    said = [as_read(m.value) for m in at.markdown if "Importens omgång" in m.value]
    assert said and said[0].startswith("Importens omgång: 2022-slut (tolkad ur filen Ovanaker.docx)"), said
    warned = [as_read(w.value) for w in at.warning if "eget årtal" in w.value]
    assert warned and "Arboga_2021.txt (2021)" in warned[0] and "behåller sin egen omgång" in warned[0], warned
    at.button(key="do_import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    report = {r["name"]: r for r in at.session_state["import_report"]}
    assert {n: report[n]["round_label"] for n in names} == {
        "Ovanaker.docx": "2022-slut", "vetlanda.csv": "2022-slut", "karlstad.xlsx": "2022-slut",
        "Arboga_2021.txt": "2021"}
    assert [w for w in report["Arboga_2021.txt"]["warnings"] if "omgång" in w] == []  # it is in its own round
    frame = ProjectStore(project).answer_frame()
    assert set(frame.query("respondent != 'Arboga kommun'")["round"]) == {"2022-slut"}


def test_upload_rounds_rules():
    from models.rounds import disagreement_note, upload_rounds

    plan = upload_rounds(["2022-slut", None, "2022", None])
    assert (plan.batch, plan.source, plan.rounds, plan.disagree) == ("2022-slut", "tolkad", ["2022-slut"] * 4, [])
    plan = upload_rounds(["2022-slut", None, "2021-slut"])
    assert (plan.rounds, plan.disagree) == (["2022-slut", "2022-slut", "2021-slut"], [2])
    plan = upload_rounds(["2022-slut", None, "2021-slut"], " 2022-slut ")
    assert (plan.source, plan.rounds, plan.disagree) == ("vald", ["2022-slut"] * 3, [2])
    assert upload_rounds([None, None]).rounds == ["", ""]
    assert upload_rounds(["2022-del", "2022-slut", "2022-slut"]).batch == "2022-slut"
    assert disagreement_note("2022", "2022-slut") is None and disagreement_note(None, "2022") is None
    assert "utan omgång" in disagreement_note("2022-slut", "")
    assert "inte till omgång 2022-slut" in disagreement_note("2021", "2022-slut")


def test_empty_because_no_one_answered_both_rounds_says_so(tmp_path):
    """Two rounds with different respondents: the page names the switch that hides the mentions."""
    from tests.test_rounds_cli import _mobile_teams_by_round

    db = _mobile_teams_by_round(tmp_path, (("2022", "Region Dalarna"), ("2022-slut", "Region Halland")))
    at = _page(tmp_path, db)
    shown = [as_read(i.value) for i in at.info]  # round labels are the analyst's: escaped, read as shown
    assert any("Ingen respondent som svarade i både 2022 och 2022-slut" in m for m in shown), shown
    at.toggle(key="forandring_bada").set_value(False).run()
    assert not at.exception
    assert not any("Ingen respondent" in i.value for i in at.info)
    assert {m.value for m in at.metric if m.label == "Ny"} == {"1"}


def test_trend_draws_only_codes_someone_mentions(tmp_path):
    """With fewer than ten codes mentioned in the last round, the trend filled up with codes nobody mentions
    ("De 10 koder som nämns av flest …" drew "Målbild, handlingsplan och färdplan" at 0 %)."""
    from tests.test_rounds_cli import _answer_ids, _code, _run, _write

    db = tmp_path / "p.sqlite"
    for label in ("2022-del", "2023-slut"):
        folder = tmp_path / label
        folder.mkdir()
        path = _write(folder, "svar.txt", "Region Dalarna", {"6": f"Mobila team och SIP i {label}."})
        assert _run("import", str(path), "--db", str(db), "--round", label, "--no-analyse") == 0
    store = ProjectStore(db)
    for answer in _answer_ids(db).values():
        _code(store, answer, "mobila_team", "pågående", "okänd")
        _code(store, answer, "sip", "pågående", "okänd", start=6)
    store.close()
    at = _page(tmp_path, db)
    captions = [as_read(c.value) for c in at.caption if "koder som nämns av flest" in c.value]
    assert captions and captions[0].startswith("De 2 koder som nämns av flest respondenter i 2023-slut"), captions


def _chart_data(at: AppTest) -> pd.DataFrame:
    """The data of the page's one Altair chart (sent as Arrow bytes)."""
    import pyarrow as pa

    chart = at.get("vega_lite_chart")[0].proto
    return pa.ipc.open_stream(chart.datasets[0].data.data).read_all().to_pandas()


def test_trend_of_one_code_is_a_share_of_those_who_answered_per_level(tmp_path):
    """With one code chosen, the trend divided by all 21 regions and 290 kommuner (a flat 19 % and 0 % on a
    project where 4 of 5 and then 4 of 6 regions that answered mention it) and left out the län level."""
    from tests.test_rounds_cli import _answer_ids, _code, _run, _write

    db = tmp_path / "p.sqlite"
    for label, regions in (("2022-del", ("Region Dalarna", "Region Halland")), ("2023-slut", ("Region Dalarna",))):
        folder = tmp_path / label
        folder.mkdir()
        for name in regions:
            path = _write(folder, f"{name}.txt", name, {"6": f"Mobila team i {label}."})
            assert _run("import", str(path), "--db", str(db), "--round", label, "--no-analyse") == 0
    store = ProjectStore(db)
    ids = _answer_ids(db)
    _code(store, ids[("Region Dalarna", "2022-del")], "mobila_team", "pågående", "okänd")
    _code(store, ids[("Region Dalarna", "2023-slut")], "mobila_team", "pågående", "okänd")
    store.close()
    at = _page(tmp_path, db)
    at.selectbox(key="forandring_kod").set_value("mobila_team").run()
    assert not at.exception, [e.value for e in at.exception]
    data = _chart_data(at)
    regions = data[data["grupp"] == "regioner"].set_index("omgång")
    assert list(regions["andel"]) == [0.5, 1.0], data
    assert list(regions["antal"]) == ["1 av 2 som svarat (21 totalt)", "1 av 1 som svarat (21 totalt)"]
    assert any("av dem som svarade i omgången" in c.value for c in at.caption)
