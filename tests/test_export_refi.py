"""REFI-QDA: .qdpx valid against the schema, stable GUIDs, round trip, .qdc and YAML codebooks."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from export import codebook_io, refi
from export.selection import Selection
from models import views
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


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = build_project(tmp_path_factory.mktemp("refi") / "p.sqlite")
    yield s
    s.close()


def _open(data: bytes):
    zf = zipfile.ZipFile(io.BytesIO(data))
    return zf, etree.fromstring(zf.read("project.qde"))


def test_qdpx_is_valid_and_complete(store, schema):
    data = refi.to_qdpx(store)
    zf, root = _open(data)
    schema.validate(zf.read("project.qde").decode("utf-8"))
    names = zf.namelist()
    assert names[0] == "project.qde" and all(n.startswith("sources/") for n in names[1:])
    # categories are non-codable parents of the codes
    top = root.findall("q:CodeBook/q:Codes/q:Code", NS)
    assert [(c.get("name"), c.get("isCodable")) for c in top] == [("Proaktivt arbete", "false"),
                                                                   ("Delaktighet", "false")]
    assert [c.get("name") for c in top[0].findall("q:Code", NS)] == ["Mobila team", "Palliativ vård"]
    assert {v.get("name") for v in root.findall("q:Variables/q:Variable", NS)} >= {"respondenttyp", "län",
                                                                                   "kommunkod"}
    cases = {c.get("name"): c for c in root.findall("q:Cases/q:Case", NS)}
    assert set(cases) == {"Region Dalarna", "Region Skåne", "Malmö", "Dalarnas kommuner"}
    malmo_values = [v.findtext("q:TextValue", namespaces=NS) for v in cases["Malmö"].findall("q:VariableValue", NS)]
    assert malmo_values == ["kommun", "Skåne län", "1280"]
    assert {u.get("name") for u in root.findall("q:Users/q:User", NS)} >= {"Anna", "Bo"}
    # one coding per accepted/manual coding of the project, none for suggestions or rejections
    codings = root.findall(".//q:PlainTextSelection/q:Coding", NS)
    assert len(codings) == len(views.excerpt_frame(store))


def test_qdpx_offsets_are_code_points_over_lf_text(store):
    zf, root = _open(refi.to_qdpx(store))
    code_names = {c.get("guid"): c.get("name") for c in root.iter(f"{{{refi.NS_PROJECT}}}Code")}
    found = set()
    for src in root.findall("q:Sources/q:TextSource", NS):
        text = zf.read("sources/" + src.get("plainTextPath").removeprefix("internal://")).decode("utf-8")
        assert "\r" not in text
        for sel in src.findall("q:PlainTextSelection", NS):
            span = text[int(sel.get("startPosition")):int(sel.get("endPosition"))]
            for c in sel.findall("q:Coding", NS):
                found.add((span, code_names[c.find("q:CodeRef", NS).get("targetGUID")]))
    assert ("Vi har mobila team i hela länet.", "Mobila team") in found
    assert ("mobilt team kvällstid", "Mobila team") in found  # after an emoji: code points, not UTF-16


def test_crlf_before_a_span_shifts_offsets(tmp_path, schema):
    from models.records import ParsedFile, RawAnswer
    from tests.test_export_support import RESPONDENTS

    s = ProjectStore(tmp_path / "crlf.sqlite")
    s.save_codebook_doc(DOC)
    text = "Rad ett.\r\nRad två.\r\nVi har mobila team."
    s.import_parsed(ParsedFile("a.txt", "txt", "sha-crlf", 1, [RawAnswer("Malmö", "13a", text)]),
                    lambda a: RESPONDENTS["Malmö"])
    a = s.answers()[0]
    i = text.index("mobila team")
    s.add_manual_coding(a.id, "mobila_team", i, i + len("mobila team"), "Anna")
    zf, root = _open(refi.to_qdpx(s))
    schema.validate(zf.read("project.qde").decode("utf-8"))
    sel = root.find(".//q:PlainTextSelection", NS)
    lf = text.replace("\r\n", "\n")
    assert (int(sel.get("startPosition")), int(sel.get("endPosition"))) == (lf.index("mobila team"),
                                                                            lf.index("mobila team") + 11)
    s.close()


def test_same_project_exported_twice_gives_identical_guids(store, tmp_path):
    first, second = refi.to_qdpx(store), refi.to_qdpx(store)
    guids = lambda data: sorted(_open(data)[1].xpath("//@guid"))  # noqa: E731
    assert guids(first) == guids(second)
    assert len(set(guids(first))) == len(guids(first))  # and unique
    assert first == second  # byte-identical, fixed zip timestamps
    store.backup(tmp_path / "copy.sqlite")  # a copy of the project gives the same GUIDs too
    again = ProjectStore(tmp_path / "copy.sqlite")
    assert guids(refi.to_qdpx(again)) == guids(first)
    again.close()


def test_qdpx_round_trip_gives_the_same_codings(store, tmp_path):
    data = refi.to_qdpx(store)
    target = ProjectStore(tmp_path / "imported.sqlite")
    report = refi.import_qdpx(target, data, file_name="export.qdpx")
    assert report.status == "imported" and report.respondents == 4
    key = lambda df: sorted(  # noqa: E731
        zip(df["respondent"], df["question_id"], df["code_id"], df["excerpt"].str.replace("\r\n", "\n")
            .str.replace("\r", "\n")))
    assert key(views.excerpt_frame(target)) == key(views.excerpt_frame(store))
    assert report.codings == len(views.excerpt_frame(store))
    choices = {(a.respondent.name, a.question): a.choice for a in target.answers()}
    assert choices[("Region Dalarna", "1")] == "Ja"  # closed-question choice travels in the description
    resp = {r.name: r for r in target.respondents()}
    assert (resp["Malmö"].type, resp["Malmö"].kommun_code) == ("kommun", "1280")
    assert resp["Dalarnas kommuner"].type == "rss"
    again = refi.import_qdpx(target, data, file_name="export.qdpx")
    assert again.status == "unchanged"
    assert len(views.excerpt_frame(target)) == report.codings
    # re-exported, the imported project has the same codes and spans
    re_root = _open(refi.to_qdpx(target))[1]
    assert len(re_root.findall(".//q:PlainTextSelection/q:Coding", NS)) == report.codings
    target.close()


def test_import_foreign_qdpx_with_hierarchy_and_inline_text(tmp_path):
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{refi.NS_PROJECT}" name="NVivo-projekt">
  <Users><User guid="11111111-1111-1111-1111-111111111111" name="Eva"/></Users>
  <CodeBook><Codes>
    <Code guid="22222222-2222-2222-2222-222222222222" name="Vårdformer" isCodable="true">
      <Code guid="33333333-3333-3333-3333-333333333333" name="Hemsjukvård i team" isCodable="true">
        <Description>Team som åker hem.</Description>
      </Code>
    </Code>
    <Code guid="44444444-4444-4444-4444-444444444444" name="Övrigt" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="55555555-5555-5555-5555-555555555555" name="Intervju 1">
      <PlainTextContent>Vi startade hemsjukvård i team förra året.</PlainTextContent>
      <PlainTextSelection guid="66666666-6666-6666-6666-666666666666" startPosition="12" endPosition="30"
          creatingUser="11111111-1111-1111-1111-111111111111">
        <Coding guid="77777777-7777-7777-7777-777777777777"><CodeRef targetGUID="33333333-3333-3333-3333-333333333333"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <TextSource guid="88888888-8888-8888-8888-888888888888" name="Bild" plainTextPath="relative://x.txt"/>
  </Sources>
</Project>"""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("project.qde", qde)
    s = ProjectStore(tmp_path / "p.sqlite")
    s.save_codebook_doc(DOC)
    report = refi.import_qdpx(s, buf.getvalue(), file_name="nvivo.qdpx")
    assert report.answers == 1 and report.codings == 1
    assert set(report.new_codes) == {"vardformer", "hemsjukvard_i_team", "ovrigt"}
    assert any("utanför projektet" in w for w in report.warnings)
    df = views.excerpt_frame(s)
    assert list(df["excerpt"]) == ["hemsjukvård i team"]
    assert list(df["analyst"]) == ["Eva"] and list(df["category_label"]) == ["Vårdformer"]
    assert list(df["code_label"]) == ["Hemsjukvård i team"]
    s.close()


@pytest.mark.parametrize("payload,needle", [
    (b"not a zip", "skadad"),
    ("zip-without-qde", "project.qde"),
    ("xxe", "DTD"),
    ("traversal", "otillåten sökväg"),
])
def test_import_rejects_bad_files_with_swedish_messages(tmp_path, payload, needle):
    if payload == "zip-without-qde":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("readme.txt", "hej")
        payload = buf.getvalue()
    elif payload == "xxe":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("project.qde", '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                       f'<Project xmlns="{refi.NS_PROJECT}" name="&x;"/>')
        payload = buf.getvalue()
    elif payload == "traversal":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("project.qde", f'<Project xmlns="{refi.NS_PROJECT}" name="x"/>')
            zf.writestr("../../evil.txt", "x")
        payload = buf.getvalue()
    s = ProjectStore(tmp_path / "p.sqlite")
    with pytest.raises(refi.RefiError) as err:
        refi.import_qdpx(s, payload, file_name="dålig.qdpx")
    assert "dålig.qdpx" in str(err.value) and needle in str(err.value)
    assert s.answers() == []
    s.close()


def test_qdc_and_yaml_codebook_round_trips(store):
    doc = views.codebook_doc(store)
    qdc = codebook_io.to_qdc(doc)
    root = etree.fromstring(qdc)
    assert root.tag == f"{{{refi.NS_CODEBOOK}}}CodeBook"
    cats = root.findall(f"{{{refi.NS_CODEBOOK}}}Codes/{{{refi.NS_CODEBOOK}}}Code")
    assert [c.get("isCodable") for c in cats] == ["false", "false"]
    assert codebook_io.from_qdc(qdc, doc) == codebook_io.from_yaml(codebook_io.to_yaml(doc))
    fresh = codebook_io.from_qdc(qdc, None)  # without a base: ids recovered, keywords empty
    assert [c["id"] for cat in fresh["categories"] for c in cat["codes"]] == ["mobila_team", "palliativ_vard", "sip"]
    assert [cat["id"] for cat in fresh["categories"]] == ["proaktivt", "delaktighet"]
    yaml_doc = codebook_io.from_yaml(codebook_io.to_yaml(doc))
    assert yaml_doc["categories"][0]["codes"][0]["keywords"] == ["mobila team", "mobilt team"]


def test_codebook_import_errors_are_swedish():
    with pytest.raises(codebook_io.CodebookExchangeError, match="inte giltig YAML"):
        codebook_io.from_yaml(b"a: [", file_name="k.yaml")
    with pytest.raises(codebook_io.CodebookExchangeError, match="k.yaml"):
        codebook_io.from_yaml(b"- bara en lista", file_name="k.yaml")
    with pytest.raises(codebook_io.CodebookExchangeError, match="k.qdc"):
        codebook_io.from_qdc(b"<Annat/>", file_name="k.qdc")


def test_qdpx_masks_personal_data_and_keeps_spans(tmp_path, schema):
    from models.records import ParsedFile, RawAnswer
    from tests.test_export_support import RESPONDENTS

    s = ProjectStore(tmp_path / "pii.sqlite")
    s.save_codebook_doc(DOC)
    text = "Ring 070-123 45 67 om mobila team."
    s.import_parsed(ParsedFile("a.txt", "txt", "sha-pii", 1, [RawAnswer("Malmö", "13a", text)]),
                    lambda a: RESPONDENTS["Malmö"])
    i = text.index("mobila team")
    s.add_manual_coding(s.answers()[0].id, "mobila_team", i, i + 11, "Anna")
    zf, root = _open(refi.to_qdpx(s, Selection(mask_personal_data=True)))
    schema.validate(zf.read("project.qde").decode("utf-8"))
    src = root.find(".//q:TextSource", NS)
    body = zf.read("sources/" + src.get("plainTextPath").removeprefix("internal://")).decode()
    assert "070-123" not in body and "[telefon]" in body
    sel = src.find("q:PlainTextSelection", NS)
    assert body[int(sel.get("startPosition")):int(sel.get("endPosition"))] == "mobila team"
    s.close()
