"""A .qdpx of Svarsanalys imported again keeps what the project knew (qa20, item 2).

Each answer's round (the source variable omgång) and each coding's status and scope (a Note the Coding
refers to: REFI-QDA has no element for them) come back; a source is matched only to an answer of its own
round; the file stays valid against the REFI-QDA schema.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
import xmlschema

from export import refi
from models.importing import import_bytes
from models.records import ParsedFile, RawAnswer
from models.store import ProjectStore
from tests.test_export_support import DOC, resolve

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TEXT = "Vi har mobila team i hela länet."


def _two_rounds(path: Path) -> tuple[ProjectStore, dict]:
    """Region Dalarna answers 13a with the same text in 2022 and 2023; each answer coded with its own status."""
    store = ProjectStore(path)
    store.save_codebook_doc(DOC)
    for label, sha in (("2022", "sha-2022"), ("2023", "sha-2023")):
        store.import_parsed(ParsedFile(f"dalarna_{label}.docx", "docx", sha, 100,
                                       [RawAnswer("Region Dalarna", "13a", TEXT, position=0)]), resolve,
                            round_label=label)
    ids = {}
    for answer, (label, _at) in zip(store.answers(), [("2022", 0), ("2023", 0)]):
        start = TEXT.index("mobila team")
        cid = store.add_manual_coding(answer.id, "mobila_team", start, start + len("mobila team"), "Anna")
        status, scope = ("planerad", "projekt/pilot") if label == "2022" else ("genomförd", "breddinförd")
        store.set_coding_status_scope(cid, "Anna", status=status, scope=scope)
        ids[label] = answer.id
    return store, ids


def _rounds_of(store) -> dict[int, str]:
    return {aid: label or "" for aid, (_at, label) in store.answer_origins().items()}


def test_reimported_qdpx_keeps_rounds_and_status_scope_and_stays_valid(tmp_path):
    xsd = SHARED / "refi" / "Project-mrt2019.xsd"
    if not xsd.exists():
        pytest.skip("../shared/refi/Project-mrt2019.xsd saknas")
    store, _ = _two_rounds(tmp_path / "p.sqlite")
    data = refi.to_qdpx(store)
    qde = zipfile.ZipFile(io.BytesIO(data)).read("project.qde").decode("utf-8")
    xmlschema.XMLSchema(str(xsd)).validate(qde)
    guids = re.findall(r'<TextSource guid="([^"]+)"', qde)
    assert len(guids) == len(set(guids)) == 2  # the two rounds' equal answers are two sources

    target = ProjectStore(tmp_path / "ny.sqlite")
    report = import_bytes(target, "export.qdpx", data)
    assert report.ok and report.answers == 2, report.message
    rounds = _rounds_of(target)
    got = sorted((rounds[c.answer_id], c.status, c.scope) for c in target.codings())
    assert got == [("2022", "planerad", "projekt/pilot"), ("2023", "genomförd", "breddinförd")]
    assert any("omgång ur filen" in n for n in report.notes)
    store.close()
    target.close()


def test_source_is_matched_to_the_answer_of_its_own_round(tmp_path):
    store, ids = _two_rounds(tmp_path / "p.sqlite")
    # a double-coding sample of the 2023 answer coded by Bo in another tool, imported back
    data = refi.to_qdpx(store, answer_ids={ids["2023"]})
    qde = zipfile.ZipFile(io.BytesIO(data)).read("project.qde").decode("utf-8").replace('name="Anna"', 'name="Bo"')
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(buf, "w") as zout:
        for name in zin.namelist():
            zout.writestr(name, qde if name == "project.qde" else zin.read(name))
    result = refi.import_qdpx(store, buf.getvalue(), file_name="bo.qdpx")
    assert (result.matched, result.answers) == (1, 0)
    assert {(c["answer_id"], c["coder"]) for c in store.coder_codings()} == {(ids["2023"], "Bo")}
    store.close()


def test_source_of_a_round_the_project_lacks_is_a_new_answer_in_that_round(tmp_path):
    store, ids = _two_rounds(tmp_path / "p.sqlite")
    data = refi.to_qdpx(store, answer_ids={ids["2023"]})
    target, _ = _two_rounds(tmp_path / "b.sqlite")
    with target.read() as con:  # the target has the same text only in 2022
        con.execute("DELETE FROM answers WHERE round_label = '2023'")
    result = refi.import_qdpx(target, data, file_name="prov.qdpx")
    assert (result.matched, result.answers) == (0, 1)
    assert sorted(_rounds_of(target).values()) == ["2022", "2023"]
    store.close()
    target.close()


def test_sources_without_omgang_take_the_round_of_the_import(tmp_path):
    store = ProjectStore(tmp_path / "p.sqlite")
    store.save_codebook_doc(DOC)
    store.import_parsed(ParsedFile("a.docx", "docx", "sha-a", 100, [RawAnswer("Region Dalarna", "13a", TEXT)]), resolve)
    data = refi.to_qdpx(store)  # no answer has a round: no omgång variable in the file
    assert "omgång" not in zipfile.ZipFile(io.BytesIO(data)).read("project.qde").decode("utf-8")
    target = ProjectStore(tmp_path / "ny.sqlite")
    report = import_bytes(target, "export.qdpx", data, round_label="2024-del")
    assert report.ok and set(_rounds_of(target).values()) == {"2024-del"}
    store.close()
    target.close()


def test_cli_prints_the_qdpx_summary_as_info_and_only_problems_as_varning(tmp_path):
    # README: "the INFO line on stderr splits them"; the summary was printed as a VARNING line
    import subprocess
    import sys

    store, _ = _two_rounds(tmp_path / "p.sqlite")
    path = tmp_path / "export.qdpx"
    path.write_bytes(refi.to_qdpx(store))
    store.close()
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, str(root / "cli.py"), "import", str(path), "--db", str(tmp_path / "ny.sqlite"),
                          "--no-analyse"], capture_output=True, text=True, cwd=root, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = out.stderr.splitlines()
    assert f"OK {path}: 2 svar" in out.stdout
    assert any(ln.startswith(f"INFO {path}: svaren är filens textkällor: 2 nya svar") for ln in lines), lines
    assert not any(ln.startswith("VARNING") for ln in lines), lines
