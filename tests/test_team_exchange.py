"""Exchange details: users and dates on sources and codings, colours per category, variables on
sources (and the round when recorded), duplicate labels refused, CSV (Taguette) codebooks."""
from __future__ import annotations

import colorsys
import copy
import io
import zipfile
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from export import codebook_io, refi
from export.selection import Selection
from models.store import ProjectStore
from tests.test_export_support import DOC, build_project

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
NS = {"q": refi.NS_PROJECT}


@pytest.fixture(scope="module")
def schema():
    xsd = SHARED / "refi" / "Project-mrt2019.xsd"
    if not xsd.exists():
        pytest.skip("../shared/refi/Project-mrt2019.xsd saknas")
    return xmlschema.XMLSchema(str(xsd))


def _qde(data: bytes):
    zf = zipfile.ZipFile(io.BytesIO(data))
    return zf.read("project.qde"), etree.fromstring(zf.read("project.qde"))


def _hue(rgb: str) -> float:
    r, g, b = (int(rgb[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hls(r, g, b)[0]


def test_sources_and_codings_carry_user_and_date_also_for_suggestions(tmp_path, schema):
    store = build_project(tmp_path / "p.sqlite")
    raw, root = _qde(refi.to_qdpx(store, Selection(include_suggestions=True)))
    schema.validate(raw.decode("utf-8"))
    users = {u.get("guid"): u.get("name") for u in root.findall("q:Users/q:User", NS)}
    sources = root.findall("q:Sources/q:TextSource", NS)
    assert sources and all(users.get(s.get("creatingUser")) == "Svarsanalys" and s.get("creationDateTime")
                           for s in sources)
    codings = root.findall(".//q:Coding", NS)
    suggested = [c for c in codings if users[c.get("creatingUser")] == "Svarsanalys"]
    assert suggested, "the suggestions are exported as the tagger's (Svarsanalys) codings"
    assert all(c.get("creatingUser") in users and c.get("creationDateTime") for c in codings)
    store.close()


def test_codes_have_fixed_colours_by_category(tmp_path, schema):
    store = build_project(tmp_path / "p.sqlite")
    first = _qde(refi.to_qdpx(store))[1]
    second = _qde(refi.to_qdpx(store))[1]
    colour = lambda root: {c.get("name"): c.get("color") for c in root.iter(f"{{{refi.NS_PROJECT}}}Code")}  # noqa: E731
    assert colour(first) == colour(second)
    cats = first.findall("q:CodeBook/q:Codes/q:Code", NS)
    for cat in cats:
        hues = {round(_hue(c.get("color")), 2) for c in cat.findall("q:Code", NS)} | {round(_hue(cat.get("color")), 2)}
        assert len(hues) == 1, cat.get("name")
    assert len({round(_hue(c.get("color")), 2) for c in cats}) == len(cats)
    codes = [c.get("color") for cat in cats for c in cat.findall("q:Code", NS)]
    assert len(set(codes)) == len(codes)
    store.close()


def test_variables_on_every_source_and_round_when_recorded(tmp_path, schema):
    store = build_project(tmp_path / "p.sqlite")
    raw, root = _qde(refi.to_qdpx(store))
    names = {v.get("guid"): v.get("name") for v in root.findall("q:Variables/q:Variable", NS)}
    assert "omgång" not in names.values()
    for src in root.findall("q:Sources/q:TextSource", NS):
        values = {names[v.find("q:VariableRef", NS).get("targetGUID")]: v.findtext("q:TextValue", namespaces=NS)
                  for v in src.findall("q:VariableValue", NS)}
        assert set(values) == {"respondent", "respondenttyp", "län", "kommunkod", "fråga"}
        assert src.get("name") == f"{values['respondent']} – fråga {values['fråga']}"
        if values["respondent"] == "Malmö":
            assert (values["respondenttyp"], values["län"], values["kommunkod"]) == ("kommun", "Skåne län", "1280")
    # a project whose answers record their round
    with store.read() as con:
        con.execute("UPDATE answers SET round_label = '2025'")
    raw, root = _qde(refi.to_qdpx(store))
    schema.validate(raw.decode("utf-8"))
    names = {v.get("guid"): v.get("name") for v in root.findall("q:Variables/q:Variable", NS)}
    rounds = [v.findtext("q:TextValue", namespaces=NS) for v in root.iter(f"{{{refi.NS_PROJECT}}}VariableValue")
              if names.get(v.find("q:VariableRef", NS).get("targetGUID")) == "omgång"]
    assert rounds and set(rounds) == {"2025"}
    # variables on sources are read back when a file has no cases (QualCoder drops them)
    target = ProjectStore(tmp_path / "ny.sqlite")
    zf = zipfile.ZipFile(io.BytesIO(refi.to_qdpx(store)))
    qde = etree.fromstring(zf.read("project.qde"))
    for cases in qde.findall("q:Cases", NS):
        qde.remove(cases)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        out.writestr("project.qde", etree.tostring(qde, xml_declaration=True, encoding="utf-8"))
        for name in zf.namelist()[1:]:
            out.writestr(name, zf.read(name))
    refi.import_qdpx(target, buf.getvalue(), file_name="utan_fall.qdpx")
    resp = {r.name: r for r in target.respondents()}
    assert set(resp) >= {"Malmö", "Region Dalarna"} and resp["Malmö"].type == "kommun"
    target.close()
    store.close()


def test_duplicate_labels_are_refused_or_joined():
    dup = copy.deepcopy(DOC)
    dup["categories"][1]["codes"].append({"id": "mobila_team_2", "label": "mobila  Team", "keywords": []})
    with pytest.raises(codebook_io.CodebookExchangeError, match="samma namn"):
        codebook_io.from_yaml(codebook_io.to_yaml(dup), file_name="dubbel.yaml")
    from nlp.codebook import Codebook, CodebookError, check_unique_labels

    with pytest.raises(CodebookError, match="samma namn"):
        check_unique_labels(dup)
    assert Codebook.from_doc(dup).labels()["mobila_team_2"]  # a stored older project codebook still loads
    qdc = ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
           '<Code guid="12345678-1234-4234-8234-000000000001" name="Ny kod" isCodable="true"/>'
           '<Code guid="12345678-1234-4234-8234-000000000002" name="ny  KOD" isCodable="true"/>'
           '<Code guid="12345678-1234-4234-8234-000000000003" name="MOBILA TEAM" isCodable="true"/>'
           "</Codes></CodeBook>").encode("utf-8")
    doc = codebook_io.from_qdc(qdc, DOC, file_name="t.qdc")
    labels = [" ".join(c["label"].split()).casefold() for cat in doc["categories"] for c in cat["codes"]]
    assert len(labels) == len(set(labels)) and labels.count("ny kod") == 1
    assert labels.count("mobila team") == 1


def test_csv_codebook_round_trip_and_taguette_import():
    doc = copy.deepcopy(DOC)
    doc["categories"][0]["codes"][1]["definition"] = "=SUM(1) är ingen formel"
    data = codebook_io.to_csv(doc)
    lines = data.decode("utf-8").splitlines()
    assert lines[0] == "tag,description,category"
    assert "'=SUM(1)" in data.decode("utf-8")  # a spreadsheet shows it as text
    fresh = codebook_io.from_csv(data, None, file_name="k.csv")
    got = [(cat["label"], c["label"], c["definition"]) for cat in fresh["categories"] for c in cat["codes"]]
    want = [(cat["label"], c["label"], c["definition"]) for cat in doc["categories"] for c in cat["codes"]]
    assert got == want
    taguette = "tag,description,number\nMobila team,Team hemma,3\nDigitala vårdbesök,Video,1\n".encode("utf-8")
    merged = codebook_io.from_csv(taguette, DOC, file_name="taguette.csv")
    ids = [c["id"] for cat in merged["categories"] for c in cat["codes"]]
    assert ids.count("mobila_team") == 1 and "mobila_team_2" not in ids and "digitala_vardbesok" in ids
    mobila = next(c for cat in merged["categories"] for c in cat["codes"] if c["id"] == "mobila_team")
    assert mobila["definition"] == "Team hemma" and mobila["keywords"] == ["mobila team", "mobilt team"]
    name_col = codebook_io.from_csv("name;description\nNy kod;x\n".encode("utf-8"), DOC, file_name="n.csv")
    assert any(c["label"] == "Ny kod" for cat in name_col["categories"] for c in cat["codes"])
    with pytest.raises(codebook_io.CodebookExchangeError, match="rad 3"):
        codebook_io.from_csv("tag\nA\na \n".encode("utf-8"), None, file_name="dubbel.csv")
    with pytest.raises(codebook_io.CodebookExchangeError, match="'tag'"):
        codebook_io.from_csv("kolumn\nA\n".encode("utf-8"), None, file_name="fel.csv")


def test_codebook_editor_refuses_a_duplicate_label(tmp_path):
    from streamlit.testing.v1 import AppTest

    from models import views

    path = tmp_path / "p.sqlite"
    store = build_project(path)
    before = views.codebook_doc(store)
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=180)
    at.session_state["projects_dir"] = str(tmp_path)
    at.session_state["project_path"] = str(path)
    at.session_state["analyst"] = "Anna"
    at.run()
    at.switch_page("ui/pages/kodbok.py").run()
    draft = copy.deepcopy(before)
    draft["categories"][1]["codes"][0]["label"] = "MOBILA team"
    at.session_state[f"kodbok_draft::{path}"] = draft
    at.run()
    at.button(key="kodbok_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("samma namn" in e.value for e in at.error)
    assert views.codebook_doc(store) == before
    store.close()


def test_an_older_codebook_with_a_shared_label_exports_unique_code_names(tmp_path, schema):
    store = build_project(tmp_path / "p.sqlite")
    dup = copy.deepcopy(DOC)
    dup["categories"][1]["codes"].append({"id": "mobila_team_2", "label": "Mobila team", "keywords": []})
    store.save_codebook_doc(dup)  # stored before labels were checked
    a = store.answers()[0]
    store.add_manual_coding(a.id, "mobila_team_2", 0, 5, "Anna")
    raw, root = _qde(refi.to_qdpx(store))
    schema.validate(raw.decode("utf-8"))
    names = [c.get("name") for c in root.iter(f"{{{refi.NS_PROJECT}}}Code") if c.get("isCodable") == "true"]
    assert len({" ".join(n.split()).casefold() for n in names}) == len(names)
    assert "Mobila team (mobila_team_2)" in names
    target = ProjectStore(tmp_path / "ny.sqlite")
    report = refi.import_qdpx(target, refi.to_qdpx(store), file_name="x.qdpx")
    assert report.codings == len(store.codings(decisions=["accepted", "manual"]))
    target.close()
    store.close()


def test_sample_with_every_analysts_codings_for_other_tools(tmp_path, schema):
    from models import teamcoding

    store = build_project(tmp_path / "p.sqlite")
    ids = teamcoding.draw_sample(store, 1.0, ["Cecilia", "Dag"])
    a = next(x for x in store.answers() if x.respondent.name == "Region Dalarna" and x.question == "13a")
    i = a.text.index("mobila team")
    store.add_coder_codings([(a.id, "Cecilia", "mobila_team", i, i + 11), (a.id, "Dag", "mobila_team", i, i + 11),
                             (a.id, "Dag", "palliativ_vard", 0, 5)])
    raw, root = _qde(refi.to_qdpx(store, answer_ids=set(ids), with_codings=False, with_coders=True))
    schema.validate(raw.decode("utf-8"))
    users = {u.get("guid"): u.get("name") for u in root.findall("q:Users/q:User", NS)}
    codings = root.findall(".//q:Coding", NS)
    assert sorted(users[c.get("creatingUser")] for c in codings) == ["Cecilia", "Dag", "Dag"]
    guids = root.xpath("//@guid")
    assert len(guids) == len(set(guids))
    target = ProjectStore(tmp_path / "ny.sqlite")
    report = refi.import_qdpx(target, refi.to_qdpx(store, answer_ids=set(ids), with_codings=False, with_coders=True))
    assert report.codings == 2  # the project keeps one coding per span and code …
    assert sorted(c.code_id for c in target.codings()) == ["mobila_team", "palliativ_vard"]
    assert sorted((r["coder"], r["code_id"]) for r in target.coder_codings()) == [  # … and every user's own
        ("Cecilia", "mobila_team"), ("Dag", "mobila_team"), ("Dag", "palliativ_vard")]
    target.close()
    store.close()


def test_unreviewed_suggestions_come_back_as_suggestions_not_as_reviewed_codings(tmp_path):
    from models import views

    store = build_project(tmp_path / "p.sqlite")
    decided = {(c.answer_id, c.code_id) for c in store.codings() if c.decision in ("accepted", "manual")}
    pending = [c for c in store.codings() if c.decision == "suggested" and not c.negated]
    assert decided and pending
    data = refi.to_qdpx(store, Selection(include_suggestions=True))
    target = ProjectStore(tmp_path / "ny.sqlite")
    report = refi.import_qdpx(target, data, file_name="med_forslag.qdpx")
    got = target.codings()
    assert report.suggestions == len({(c.answer_id, c.code_id, c.start, c.end) for c in pending})
    assert sum(c.decision == "suggested" for c in got) == report.suggestions
    assert sum(c.decision == "manual" for c in got) == report.codings - report.suggestions
    # what counts as reviewed is what was reviewed in the exporting project, and the tagger is nobody's coder
    assert len(views.excerpt_frame(target)) == len(views.excerpt_frame(store))
    assert "Svarsanalys" not in {r["coder"] for r in target.coder_codings()}
    assert all(c.analyst != "Svarsanalys" for c in got)
    store.close()
    target.close()


def test_suggestions_on_answers_already_here_are_named_when_left_out(tmp_path):
    """qa25: a .qdpx of this app, with its unreviewed suggestions, imported into a project that already has the
    answers (the same project, or a copy) reported '0 kodningar sparade' and nothing about the suggestions it left
    out. They are still left out (a suggestion is nobody's coding), but the report says how many and why."""
    from models.importing import import_paths

    store = build_project(tmp_path / "p.sqlite")
    pending = {(c.answer_id, c.code_id, c.start, c.end) for c in store.codings()
               if c.decision == "suggested" and not c.negated}
    assert pending
    path = tmp_path / "med_forslag.qdpx"
    path.write_bytes(refi.to_qdpx(store, Selection(include_suggestions=True)))
    [report] = import_paths(store, [path])
    assert report.ok
    note = " ".join(report.notes)
    assert f"{len(pending)} förslag som inte granskats i det exporterade projektet" in note, note
    assert "togs inte med" in note and "ingen kodares kodning" in note
    assert "Svarsanalys" not in {r["coder"] for r in store.coder_codings()}  # still nobody's coding
    store.close()
