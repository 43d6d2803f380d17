"""REFI-QDA import through `cli.py import` and the import service: round trip, merge as another
analyst's codings, files in the shapes QualCoder and MAXQDA write, and Taguette-style codebooks."""
from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

from export import refi
from models import views
from models.importing import import_uploads
from models.store import ProjectStore
from tests.test_export_support import DOC, build_project

ROOT = Path(__file__).resolve().parents[1]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def _excerpts(store) -> list[tuple]:
    df = views.excerpt_frame(store)
    return sorted(zip(df["respondent"], df["question_id"], df["code_id"],
                      df["excerpt"].str.replace("\r\n", "\n").str.replace("\r", "\n")))


def test_exported_qdpx_imports_back_through_the_cli_with_every_coding(tmp_path):
    src = build_project(tmp_path / "p.sqlite")
    expected = _excerpts(src)
    n_answers = sum(1 for a in src.answers() if a.text.strip())
    src.close()
    out = tmp_path / "export.qdpx"
    assert _cli("export", "--db", str(tmp_path / "p.sqlite"), "--format", "qdpx", "--out", str(out)).returncode == 0
    done = _cli("import", str(out), "--db", str(tmp_path / "ny.sqlite"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"OK {out}: {n_answers} svar"
    assert f"{n_answers} nya svar" in done.stderr
    target = ProjectStore(tmp_path / "ny.sqlite")
    assert _excerpts(target) == expected and len(expected) > 5
    target.close()
    again = _cli("import", str(out), "--db", str(tmp_path / "ny.sqlite"))
    assert again.returncode == 0 and again.stdout.strip() == f"OK {out}: {n_answers} svar"
    assert "redan importerad" in again.stderr


def test_qdpx_coded_by_another_analyst_merges_as_their_codings(tmp_path):
    store = build_project(tmp_path / "p.sqlite")
    coded = {(r.answer_id, r.code_id, r.start, r.end, r.analyst) for r in store.codings(decisions=["accepted", "manual"])}
    data = refi.to_qdpx(store)
    answers_before = len(store.answers())
    report = refi.import_qdpx(store, data, file_name="kollega.qdpx")
    assert report.answers == 0 and report.matched == answers_before - sum(1 for a in store.answers()
                                                                          if not a.text.strip())
    assert len(store.answers()) == answers_before  # no duplicate answers
    mine = {(r["answer_id"], r["code_id"], r["start"], r["end"], r["coder"]) for r in store.coder_codings()}
    assert mine == coded
    assert report.coder_codings == len(coded)
    assert {r["origin"] for r in store.coder_codings()} == {"import"}
    store.close()


def _qde_zip(qde: str, files: dict[str, bytes], *, bom: bool = False) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("project.qde", (b"\xef\xbb\xbf" if bom else b"") + qde.encode("utf-8"))
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


QUALCODER = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="qc" origin="QualCoder 3.5" creatingUserGUID="aaaaaaaa-0000-4000-8000-000000000001">
<Users><User guid="aaaaaaaa-0000-4000-8000-000000000001" name="default"/><User guid="aaaaaaaa-0000-4000-8000-000000000002" name="Cecilia"/></Users>
<CodeBook><Codes>
<Code guid="bbbbbbbb-0000-4000-8000-000000000001" name="Proaktivt arbete" isCodable="false" color="#FF0000">
<Code guid="bbbbbbbb-0000-4000-8000-000000000002" name="mobila  TEAM" isCodable="true" color="#00FF00"><Description>Team i hemmet</Description></Code>
</Code>
<Code guid="bbbbbbbb-0000-4000-8000-000000000003" name="Digitala vårdbesök" isCodable="true" color="#0000FF"/>
</Codes></CodeBook>
<Variables><Variable guid="cccccccc-0000-4000-8000-000000000001" name="respondenttyp" typeOfVariable="Text"/>
<Variable guid="cccccccc-0000-4000-8000-000000000002" name="fråga" typeOfVariable="Text"/></Variables>
<Sources>
<TextSource guid="dddddddd-0000-4000-8000-000000000001" name="Region Dalarna – fråga 13a" plainTextPath="internal://dddddddd-0000-4000-8000-000000000001.txt" creatingUser="aaaaaaaa-0000-4000-8000-000000000002">
<PlainTextSelection guid="eeeeeeee-0000-4000-8000-000000000001" startPosition="9" endPosition="20" creatingUser="aaaaaaaa-0000-4000-8000-000000000002" creationDateTime="2024-05-02T10:15:00Z">
<Coding guid="ffffffff-0000-4000-8000-000000000001" creatingUser="aaaaaaaa-0000-4000-8000-000000000002" creationDateTime="2024-05-02T10:15:00Z"><CodeRef targetGUID="bbbbbbbb-0000-4000-8000-000000000002"/></Coding>
<NoteRef targetGUID="99999999-0000-4000-8000-000000000001"/>
</PlainTextSelection>
<VariableValue><VariableRef targetGUID="cccccccc-0000-4000-8000-000000000001"/><TextValue>region</TextValue></VariableValue>
<VariableValue><VariableRef targetGUID="cccccccc-0000-4000-8000-000000000002"/><TextValue>13a</TextValue></VariableValue>
</TextSource>
<TextSource guid="dddddddd-0000-4000-8000-000000000002" name="Ny källa" plainTextPath="internal://dddddddd-0000-4000-8000-000000000002.txt">
<PlainTextSelection guid="eeeeeeee-0000-4000-8000-000000000002" startPosition="0" endPosition="18" creatingUser="aaaaaaaa-0000-4000-8000-000000000002">
<Coding guid="ffffffff-0000-4000-8000-000000000002" creatingUser="aaaaaaaa-0000-4000-8000-000000000002"><CodeRef targetGUID="bbbbbbbb-0000-4000-8000-000000000003"/></Coding>
</PlainTextSelection>
<Coding guid="ffffffff-0000-4000-8000-000000000003" creatingUser="aaaaaaaa-0000-4000-8000-000000000002"><CodeRef targetGUID="bbbbbbbb-0000-4000-8000-000000000002"/></Coding>
<NoteRef targetGUID="99999999-0000-4000-8000-000000000002"/>
<VariableValue><VariableRef targetGUID="cccccccc-0000-4000-8000-000000000002"/><TextValue>5a</TextValue></VariableValue>
</TextSource>
</Sources>
<Notes><Note guid="99999999-0000-4000-8000-000000000001" name="memo"><PlainTextContent>Tydligt exempel</PlainTextContent></Note>
<Note guid="99999999-0000-4000-8000-000000000002" name="källmemo"><PlainTextContent>Ring tillbaka</PlainTextContent></Note></Notes>
</Project>"""


def test_qualcoder_shaped_qdpx_with_bom_source_variables_and_notes(tmp_path):
    store = build_project(tmp_path / "p.sqlite")
    dalarna = next(a for a in store.answers() if a.respondent.name == "Region Dalarna" and a.question == "13a")
    assert dalarna.text.startswith("Vi har mobila team")
    data = _qde_zip(QUALCODER, {
        "sources/dddddddd-0000-4000-8000-000000000001.txt": ("  " + dalarna.text.replace("\r\n", "\n")
                                                              .replace("\n", "\r\n")).encode("utf-8"),
        "sources/dddddddd-0000-4000-8000-000000000002.txt": "\ufeffDigitala vårdbesök i hela länet.".encode("utf-8"),
    }, bom=True)
    reports = import_uploads(store, [("qualcoder.qdpx", data)])
    assert reports[0].ok, reports[0].message
    assert reports[0].answers == 2
    codes = [c for cat in views.codebook_doc(store)["categories"] for c in cat["codes"]]
    labels = [c["label"].casefold() for c in codes]
    assert len(labels) == len(set(labels))  # "mobila  TEAM" joined "Mobila team": no duplicate label
    assert "digitala vårdbesök" in labels
    theirs = store.coder_codings(coder="Cecilia")
    assert [(r["answer_id"], r["code_id"], r["text"]) for r in theirs] == [(dalarna.id, "mobila_team", "mobila team")]
    assert theirs[0]["created_at"].startswith("2024-05-02T10:15")
    assert store.memo("coder_coding", theirs[0]["id"]) == "Tydligt exempel"
    new = next(a for a in store.answers() if a.text.startswith("Digitala"))
    assert new.question == "5a"
    new_codings = store.codings(answer_ids=[new.id])
    assert sorted((c.code_id, c.analyst, c.text) for c in new_codings) == [
        ("digitala_vardbesok", "Cecilia", "Digitala vårdbesök"),
        ("mobila_team", "Cecilia", "Digitala vårdbesök i hela länet.")]  # the whole source coded
    assert store.memo("answer", new.id) == "Ring tillbaka"
    store.close()


MAXQDA = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="mx" origin="MAXQDA 2022">
<Users><User guid="{A1B2C3D4-0000-4000-8000-0000000000AA}" name="Dag"/></Users>
<CodeBook><Codes>
<Code guid="{B0000000-0000-4000-8000-000000000001}" name="Vårdformer" isCodable="true">
<Code guid="{B0000000-0000-4000-8000-000000000002}" name="Palliativ vård" isCodable="true"/>
<Code guid="{B0000000-0000-4000-8000-000000000003}" name="Palliativ Vård" isCodable="true"/>
</Code>
</Codes></CodeBook>
<Cases><Case guid="{C0000000-0000-4000-8000-000000000001}" name="Region Dalarna">
<SourceRef targetGUID="{D0000000-0000-4000-8000-000000000001}"/></Case></Cases>
<Sources>
<TextSource guid="{D0000000-0000-4000-8000-000000000001}" name="Dalarna 13a" plainTextPath="internal://d1.txt">
<PlainTextSelection guid="{E0000000-0000-4000-8000-000000000001}" startPosition="0" endPosition="5" creatingUser="{A1B2C3D4-0000-4000-8000-0000000000AA}">
<Coding guid="{F0000000-0000-4000-8000-000000000001}" creatingUser="{a1b2c3d4-0000-4000-8000-0000000000aa}"><CodeRef targetGUID="{B0000000-0000-4000-8000-000000000001}"/></Coding>
</PlainTextSelection>
<PlainTextSelection guid="{E0000000-0000-4000-8000-000000000002}" startPosition="50" endPosition="65" creatingUser="{A1B2C3D4-0000-4000-8000-0000000000AA}">
<Coding guid="{F0000000-0000-4000-8000-000000000002}" creatingUser="{A1B2C3D4-0000-4000-8000-0000000000AA}"><CodeRef targetGUID="{B0000000-0000-4000-8000-000000000003}"/></Coding>
</PlainTextSelection>
</TextSource>
</Sources>
</Project>"""


def test_maxqda_shaped_qdpx_codable_parents_braced_guids_and_bom_text(tmp_path):
    store = build_project(tmp_path / "p.sqlite")
    dalarna = next(a for a in store.answers() if a.respondent.name == "Region Dalarna" and a.question == "13a")
    assert "\r\n" in dalarna.text
    i = dalarna.text.index("palliativ vård")  # positions count the file's code points: CRLF is two
    qde = MAXQDA.replace('startPosition="50" endPosition="65"', f'startPosition="{i}" endPosition="{i + 14}"')
    path = tmp_path / "maxqda.qdpx"
    path.write_bytes(_qde_zip(qde, {"sources/d1.txt": b"\xef\xbb\xbf" + dalarna.text.encode("utf-8")}))
    store.close()
    done = _cli("import", str(path), "--db", str(tmp_path / "p.sqlite"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"OK {path}: 1 svar"
    assert "1 befintliga svar matchade" in done.stderr and "Dag" in done.stderr
    store = ProjectStore(tmp_path / "p.sqlite")
    doc = views.codebook_doc(store)
    all_codes = [c for cat in doc["categories"] for c in cat["codes"]]
    assert sum(1 for c in all_codes if c["label"].casefold() == "palliativ vård") == 1
    theirs = {(r["code_id"], r["text"]) for r in store.coder_codings(coder="Dag")}
    assert theirs == {("vardformer", dalarna.text[:5]), ("palliativ_vard", "palliativ vård")}
    agreement = _cli("agreement", "--db", str(tmp_path / "p.sqlite"), "--coder", "Anna", "--coder", "Dag", "--json")
    assert agreement.returncode == 0, agreement.stderr
    assert json.loads(agreement.stdout.strip().splitlines()[-1])["passages"] == 1
    store.close()


def test_taguette_style_qdc_matches_labels_and_bad_files_fail_alone(tmp_path):
    store = ProjectStore(tmp_path / "p.sqlite")
    store.save_codebook_doc(DOC)
    store.close()
    qdc = tmp_path / "taguette.qdc"
    qdc.write_text('<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                   '<Code guid="12345678-1234-4234-8234-123456789012" name="Mobila team" isCodable="true"/>'
                   '<Code guid="12345678-1234-4234-8234-123456789013" name="Ny kod" isCodable="true"/>'
                   "</Codes></CodeBook>", encoding="utf-8")
    bad = tmp_path / "trasig.qdpx"
    bad.write_bytes(b"PK\x03\x04 inte ett riktigt zip")
    done = _cli("import", str(bad), str(qdc), "--db", str(tmp_path / "p.sqlite"))
    assert done.returncode == 1
    assert f"FEL {bad}:" in done.stderr and f"OK {qdc}: 0 svar" in done.stdout
    store = ProjectStore(tmp_path / "p.sqlite")
    ids = [c["id"] for cat in views.codebook_doc(store)["categories"] for c in cat["codes"]]
    assert "mobila_team_2" not in ids and ids.count("mobila_team") == 1 and "ny_kod" in ids
    store.close()


def test_importera_page_accepts_qdpx_and_qdc(tmp_path):
    from streamlit.testing.v1 import AppTest

    src = build_project(tmp_path / "p.sqlite")
    qdpx = refi.to_qdpx(src)
    qdc = refi.to_qdc(views.codebook_doc(src))
    n_codings = len(views.excerpt_frame(src))
    src.close()
    project = tmp_path / "ny.sqlite"
    ProjectStore(project, name="Ny").close()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["projects_dir"] = str(tmp_path)
    at.session_state["project_path"] = str(project)
    at.session_state["analyst"] = "Anna"
    at.run()
    at.switch_page("ui/pages/importera.py").run()
    at.file_uploader(key="answer_files").set_value([("kollega.qdpx", qdpx, "application/zip"),
                                                    ("kodbok.qdc", qdc, "application/xml")]).run()
    at.button(key="do_import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    report = {r["name"]: r for r in at.session_state["import_report"]}
    assert report["kollega.qdpx"]["ok"] and report["kollega.qdpx"]["answers"] == 7
    assert "7 svar" in report["kollega.qdpx"]["message"]
    assert report["kodbok.qdc"]["ok"]
    store = ProjectStore(project)
    assert len(views.excerpt_frame(store)) == n_codings
    store.close()


def test_blank_sample_coded_elsewhere_comes_back_as_that_analysts_codings(tmp_path, monkeypatch):
    """The sample leaves without codings, is coded in another tool (simulated by editing the XML the
    way QualCoder adds a user and a coding) and returns as that analyst's own codings."""
    from lxml import etree

    from models import teamcoding

    store = build_project(tmp_path / "p.sqlite")
    ids = teamcoding.draw_sample(store, 1.0, ["Anna", "Gustav"])
    data = refi.to_qdpx(store, answer_ids=set(ids), with_codings=False)
    zf = zipfile.ZipFile(io.BytesIO(data))
    root = etree.fromstring(zf.read("project.qde"))
    ns = {"q": refi.NS_PROJECT}
    assert root.findall(".//q:Coding", ns) == [] and len(root.findall(".//q:TextSource", ns)) == len(ids)
    users = root.find("q:Users", ns)
    etree.SubElement(users, f"{{{refi.NS_PROJECT}}}User", guid="99999999-9999-4999-8999-999999999999", name="Gustav")
    mobila = next(c.get("guid") for c in root.iter(f"{{{refi.NS_PROJECT}}}Code") if c.get("name") == "Mobila team")
    src = next(s for s in root.findall(".//q:TextSource", ns)
               if "mobila team" in zf.read("sources/" + s.get("plainTextPath")[11:]).decode())
    text = zf.read("sources/" + src.get("plainTextPath")[11:]).decode()
    i = text.index("mobila team")
    sel = etree.Element(f"{{{refi.NS_PROJECT}}}PlainTextSelection", guid="99999999-9999-4999-8999-000000000001",
                        startPosition=str(i), endPosition=str(i + 11), creatingUser="99999999-9999-4999-8999-999999999999")
    coding = etree.SubElement(sel, f"{{{refi.NS_PROJECT}}}Coding", guid="99999999-9999-4999-8999-000000000002",
                              creatingUser="99999999-9999-4999-8999-999999999999")
    etree.SubElement(coding, f"{{{refi.NS_PROJECT}}}CodeRef", targetGUID=mobila)
    src.insert(1, sel)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        out.writestr("project.qde", etree.tostring(root, xml_declaration=True, encoding="utf-8"))
        for name in zf.namelist()[1:]:
            out.writestr(name, zf.read(name))
    report = refi.import_qdpx(store, buf.getvalue(), file_name="gustav.qdpx")
    assert report.matched == len(ids) and report.answers == 0
    assert [(r["code_id"], r["text"]) for r in store.coder_codings(coder="Gustav")] == [("mobila_team", "mobila team")]
    assert {r["answer_id"] for r in store.assignments(coder="Gustav") if r["done"]} == set(ids)
    presence = store.coder_presence("Gustav")
    assert set(presence) == set(ids) and sum(len(v) for v in presence.values()) == 1
    store.close()


def test_a_second_version_of_a_qdpx_keeps_the_answers_of_the_first(tmp_path):
    src = build_project(tmp_path / "p.sqlite")
    v1 = refi.to_qdpx(src)
    from models.records import ParsedFile, RawAnswer
    from tests.test_export_support import RESPONDENTS

    target = ProjectStore(tmp_path / "ny.sqlite")
    refi.import_qdpx(target, v1, file_name="kollega.qdpx")
    before = {a.text for a in target.answers()}
    codings_before = len(target.codings(decisions=["manual"]))
    src.import_parsed(ParsedFile("extra.txt", "txt", "sha-extra", 1, [RawAnswer("Malmö", "14", "Ett nytt svar.")]),
                      lambda a: RESPONDENTS["Malmö"])
    report = refi.import_qdpx(target, refi.to_qdpx(src), file_name="kollega.qdpx")
    assert report.answers == 1 and report.matched == len(before)
    assert {a.text for a in target.answers()} == before | {"Ett nytt svar."}
    assert len(target.codings(decisions=["manual"])) == codings_before
    target.close()
    src.close()


def test_two_analysts_files_give_agreement_over_every_answer_they_read(tmp_path):
    """Analyst A's file starts the project; analyst B's file of the same answers merges; uncoded
    answers count as read by each (one coding user per file) in `agreement --db`."""
    from lxml import etree

    src = build_project(tmp_path / "p.sqlite")
    base = refi.to_qdpx(src)
    src.close()

    def as_user(data: bytes, name: str, keep: int) -> bytes:
        zf = zipfile.ZipFile(io.BytesIO(data))
        root = etree.fromstring(zf.read("project.qde"))
        ns = {"q": refi.NS_PROJECT}
        ug = root.find("q:Users/q:User", ns).get("guid")
        root.find("q:Users/q:User", ns).set("name", name)
        for i, sel in enumerate(root.findall(".//q:PlainTextSelection", ns)):
            if i >= keep:
                sel.getparent().remove(sel)
                continue
            sel.set("creatingUser", ug)
            for c in sel.findall("q:Coding", ns):
                c.set("creatingUser", ug)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as out:
            out.writestr("project.qde", etree.tostring(root, xml_declaration=True, encoding="utf-8"))
            for n in zf.namelist()[1:]:
                out.writestr(n, zf.read(n))
        return buf.getvalue()

    a, b = tmp_path / "a.qdpx", tmp_path / "b.qdpx"
    a.write_bytes(as_user(base, "Ada", 3))
    b.write_bytes(as_user(base, "Bert", 2))
    db = str(tmp_path / "team.sqlite")
    assert _cli("import", str(a), "--db", db).returncode == 0
    assert _cli("import", str(b), "--db", db).returncode == 0
    done = _cli("agreement", "--db", db, "--coder", "Ada", "--coder", "Bert", "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    store = ProjectStore(db)
    assert out["passages"] == len(store.answers()) == 7
    assert sum(c["a"] for c in out["codes"].values()) >= sum(c["b"] for c in out["codes"].values())
    store.close()
