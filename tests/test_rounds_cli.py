"""`cli.py import --round` and `cli.py compare`: the round of every answer, re-imports, and the JSON contract."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import cli
from models.records import CodingSuggestion
from models.store import ProjectStore, StoreError

ROOT = Path(__file__).resolve().parents[1]
KEYS = ["respondent", "respondent_type", "lan", "code", "from", "to", "change"]


def _run(*argv: str) -> int:
    try:
        return cli.main(list(argv))
    except SystemExit as exc:
        return int(exc.code)


def _write(folder: Path, name: str, respondent: str, answers: dict[str, str]) -> Path:
    body = f"Svar från: {respondent}\n\n" + "".join(f"Fråga {q}. Beskriv.\n\n{t}\n\n" for q, t in answers.items())
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


@pytest.fixture()
def files(tmp_path) -> dict[str, Path]:
    return {
        "dal21": _write(tmp_path, "dalarna_2021.txt", "Region Dalarna", {"5": "Mobila team i projektform."}),
        "dal22": _write(tmp_path, "dalarna_2022.txt", "Region Dalarna", {"5a": "Mobila team breddinförda."}),
        "hal22": _write(tmp_path, "halland_2022.txt", "Region Halland", {"6": "Digitala vårdbesök planeras."}),
    }


def _answer_ids(db: Path) -> dict[tuple[str, str], int]:
    """(respondent, round) -> answer id (one answer per file in these tests)."""
    frame = ProjectStore(db).answer_frame()
    return {(r, rnd): int(a) for r, rnd, a in zip(frame["respondent"], frame["round"], frame["answer_id"])}


def _code(store: ProjectStore, answer_id: int, code: str, status: str, scope: str, *, start: int = 0,
          accept: bool = True, negated: bool = False) -> None:
    """A coding with a known status and scope (accepted unless `accept=False`)."""
    store.replace_suggestions([CodingSuggestion(answer_id, code, start, start + 5, start, start + 5, negated,
                                                status, scope)], answer_ids=[])
    if accept:
        cid = next(c.id for c in store.codings(answer_ids=[answer_id], code_ids=[code]) if c.start == start)
        store.decide(cid, "accepted", "Testanalytiker")


def _mobile_teams_by_round(tmp_path: Path, rounds: tuple[tuple[str, str], ...]) -> Path:
    """A project of one answer per (round label, respondent), each with an accepted mobila_team coding."""
    db = tmp_path / "p.sqlite"
    for label, name in rounds:
        folder = tmp_path / label
        folder.mkdir()
        path = _write(folder, "svar.txt", name, {"6": f"Mobila team i {label}."})
        assert _run("import", str(path), "--db", str(db), "--round", label) == 0
    store = ProjectStore(db)
    for answer in _answer_ids(db).values():
        _code(store, answer, "mobila_team", "pågående", "okänd")
    store.close()
    return db


def test_import_sets_the_round_and_keeps_the_output_contract(tmp_path, files, capsys):
    db = tmp_path / "p.sqlite"
    assert _run("import", str(files["dal21"]), "--db", str(db), "--round", "2021") == 0
    assert _run("import", str(files["dal22"]), str(files["hal22"]), "--db", str(db), "--round", "2022") == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [f"OK {files['dal21']}: 1 svar", f"OK {files['dal22']}: 1 svar", f"OK {files['hal22']}: 1 svar"]
    assert set(_answer_ids(db)) == {("Region Dalarna", "2021"), ("Region Dalarna", "2022"),
                                    ("Region Halland", "2022")}


def test_a_file_in_the_wrong_round_is_moved_and_the_same_file_can_be_in_two_rounds(tmp_path, files, capsys):
    db = tmp_path / "p.sqlite"
    assert _run("import", str(files["dal21"]), "--db", str(db), "--round", "2022") == 0  # a mistake
    store = ProjectStore(db)
    answer = _answer_ids(db)[("Region Dalarna", "2022")]
    _code(store, answer, "mobila_team", "pågående", "projekt/pilot")
    # the analyst moves the file to its round (Importera): same answer, codings kept, audited
    file_id = store.source_files()[0].id
    assert store.set_file_round(file_id, "2021", "Testanalytiker") == 1
    assert _answer_ids(db) == {("Region Dalarna", "2021"): answer}
    assert [c.decision for c in store.codings(answer_ids=[answer]) if c.code_id == "mobila_team"
            and c.decision != "suggested"] == ["accepted"]
    assert store.audit(entity="source_file")[0]["action"] == "set_round"
    # the same file again without --round, or with its round: nothing changes
    capsys.readouterr()
    version = store.data_version
    assert _run("import", str(files["dal21"]), "--db", str(db)) == 0
    assert _run("import", str(files["dal21"]), "--db", str(db), "--round", "2021") == 0
    assert "redan importerad med samma innehåll" in capsys.readouterr().err
    assert store.data_version == version
    # the same text sent in another round as well: it counts in both rounds
    assert _run("import", str(files["dal21"]), "--db", str(db), "--round", "2022") == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == f"OK {files['dal21']}: 1 svar"
    assert "svaren finns nu även i omgång 2022" in captured.err
    ids = _answer_ids(db)
    assert set(ids) == {("Region Dalarna", "2021"), ("Region Dalarna", "2022")} and ids[("Region Dalarna", "2021")] == answer
    # a file in two rounds cannot be moved to one
    with pytest.raises(StoreError, match="flera omgångar"):
        store.set_file_round(file_id, "2023")


def test_same_file_name_in_another_round_does_not_replace_the_earlier_round(tmp_path):
    a, b = tmp_path / "r1", tmp_path / "r2"
    a.mkdir(), b.mkdir()
    first = _write(a, "svar.txt", "Region Dalarna", {"6": "Digitala vårdbesök planeras."})
    second = _write(b, "svar.txt", "Region Dalarna", {"6": "Digitala vårdbesök erbjuds nu överallt."})
    db = tmp_path / "p.sqlite"
    assert _run("import", str(first), "--db", str(db), "--round", "2021") == 0
    assert _run("import", str(second), "--db", str(db), "--round", "2022") == 0
    assert set(_answer_ids(db)) == {("Region Dalarna", "2021"), ("Region Dalarna", "2022")}
    # a corrected file in the same round still replaces that round's answers
    second.write_text(second.read_text(encoding="utf-8").replace("överallt", "i hela länet"), encoding="utf-8")
    assert _run("import", str(second), "--db", str(db), "--round", "2022") == 0
    assert len(ProjectStore(db).answers()) == 2
    # corrected again, imported without --round: replaces its earlier version and stays in that round
    second.write_text(second.read_text(encoding="utf-8").replace("i hela länet", "i länet"), encoding="utf-8")
    assert _run("import", str(second), "--db", str(db)) == 0
    frame = ProjectStore(db).answer_frame()
    assert sorted(zip(frame["round"], frame["text"])) == [("2021", "Digitala vårdbesök planeras."),
                                                          ("2022", "Digitala vårdbesök erbjuds nu i länet.")]


def test_import_without_round_hints_at_the_round_in_the_file_name(tmp_path, files, capsys):
    db = tmp_path / "p.sqlite"
    assert _run("import", str(files["dal21"]), "--db", str(db)) == 0
    assert "omgång 2021 (ange --round 2021)" in capsys.readouterr().err
    assert set(_answer_ids(db)) == {("Region Dalarna", "")}


@pytest.fixture()
def project(tmp_path, files) -> Path:
    """Two rounds with planted changes (accepted codings unless noted)."""
    db = tmp_path / "p.sqlite"  # imported without tagging: the codings are the ones set below
    assert _run("import", str(files["dal21"]), "--db", str(db), "--round", "2021", "--no-analyse") == 0
    assert _run("import", str(files["dal22"]), str(files["hal22"]), "--db", str(db), "--round", "2022",
                "--no-analyse") == 0
    ids, store = _answer_ids(db), ProjectStore(db)
    d21, d22, h22 = ids[("Region Dalarna", "2021")], ids[("Region Dalarna", "2022")], ids[("Region Halland", "2022")]
    _code(store, d21, "mobila_team", "pågående", "projekt/pilot")
    _code(store, d22, "mobila_team", "pågående", "breddinförd")  # scope forward: advanced
    _code(store, d22, "mobila_team", "planerad", "okänd", start=6)  # a second coding: the most advanced counts
    _code(store, d21, "sip", "genomförd", "okänd")
    _code(store, d22, "sip", "planerad", "okänd")  # status back: regressed
    _code(store, d21, "fast_kontakt", "okänd", "okänd")
    _code(store, d22, "fast_kontakt", "genomförd", "okänd")  # from okänd: no position, unchanged
    _code(store, d21, "egenmonitorering", "planerad", "okänd")  # only 2021: no longer mentioned
    _code(store, d22, "egenmonitorering", "genomförd", "okänd", negated=True)  # negated: not a mention
    _code(store, h22, "digitala_vardbesok", "planerad", "okänd")  # Halland only answered 2022: new
    _code(store, h22, "valfardsteknik", "pågående", "okänd", accept=False)  # a suggestion only
    store.close()
    return db


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_compare_writes_one_line_per_respondent_and_code(project, tmp_path, capsys):
    out = tmp_path / "c.jsonl"
    assert _run("compare", "--db", str(project), "--from", "2021", "--to", "2022", "--out", str(out)) == 0
    captured = capsys.readouterr()
    assert "Skrev" in captured.out
    assert "3 svar i omgångarna har aldrig taggats" in captured.err  # codings set by hand in this test
    rows = _lines(out)
    assert all(list(r) == KEYS for r in rows)
    got = {(r["respondent"], r["code"]): r for r in rows}
    assert {k: r["change"] for k, r in got.items()} == {
        ("Region Dalarna", "mobila_team"): "advanced",
        ("Region Dalarna", "sip"): "regressed",
        ("Region Dalarna", "fast_kontakt"): "unchanged",
        ("Region Dalarna", "egenmonitorering"): "no_longer_mentioned",
        ("Region Halland", "digitala_vardbesok"): "new",
    }
    mobila = got[("Region Dalarna", "mobila_team")]
    assert mobila["from"] == {"present": True, "status": "pågående", "scope": "projekt/pilot"}
    assert mobila["to"] == {"present": True, "status": "pågående", "scope": "breddinförd"}
    assert (mobila["respondent_type"], mobila["lan"]) == ("region", "Dalarnas län")
    assert got[("Region Dalarna", "egenmonitorering")]["to"] == {"present": False, "status": None, "scope": None}


def test_compare_with_suggestions_and_one_code(project, tmp_path):
    out = tmp_path / "c.jsonl"
    assert _run("compare", "--db", str(project), "--from", "2021", "--to", "2022", "--include-suggestions",
                "--out", str(out)) == 0
    assert ("Region Halland", "valfardsteknik", "new") in {(r["respondent"], r["code"], r["change"])
                                                          for r in _lines(out)}
    assert _run("compare", "--db", str(project), "--from", "2021", "--to", "2022", "--code", "sip",
                "--out", str(out)) == 0
    assert [(r["code"], r["change"]) for r in _lines(out)] == [("sip", "regressed")]
    # the other way round
    assert _run("compare", "--db", str(project), "--from", "2022", "--to", "2021", "--code", "sip",
                "--out", str(out)) == 0
    assert [r["change"] for r in _lines(out)] == ["advanced"]


def test_compare_errors_are_swedish_with_exit_codes(project, tmp_path, capsys):
    out = tmp_path / "c.jsonl"
    assert _run("compare", "--db", str(project), "--from", "2020", "--to", "2022", "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert "omgången '2020' finns inte" in err and "2021, 2022" in err and "Traceback" not in err
    assert not out.exists()
    assert _run("compare", "--db", str(tmp_path / "saknas.sqlite"), "--from", "2021", "--to", "2022",
                "--out", str(out)) == 1
    assert _run("compare", "--db", str(project), "--from", "2021", "--out", str(out)) == 2


def test_compare_as_a_process(project, tmp_path):
    out = tmp_path / "c.jsonl"
    proc = subprocess.run([sys.executable, "cli.py", "compare", "--db", str(project), "--from", "2021", "--to",
                           "2022", "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert len(_lines(out)) == 5


def test_compare_after_tagging_two_rounds_of_real_text(tmp_path):
    """The whole path: import two rounds, tag the project, compare the suggestions."""
    first = _write(tmp_path, "dalarna_2021.txt", "Region Dalarna", {
        "5a": "Mobila team för sköra äldre startade som ett projekt i två kommuner under året.",
        "6": "Egenmonitorering i hemmet pågår i ett pilotprojekt."})
    second = _write(tmp_path, "dalarna_2022.txt", "Region Dalarna", {
        "5a": "Mobila team för sköra äldre är nu breddinförda i hela länet.",
        "6": "Vi har infört fast vårdkontakt för alla med hemsjukvård."})
    db, out = tmp_path / "p.sqlite", tmp_path / "c.jsonl"
    assert _run("import", str(first), "--db", str(db), "--round", "2021") == 0
    assert _run("import", str(second), "--db", str(db), "--round", "2022") == 0
    assert _run("tag", "--db", str(db)) == 0
    assert _run("compare", "--db", str(db), "--from", "2021", "--to", "2022", "--out", str(out)) == 0
    assert _lines(out) == []  # nothing accepted yet
    assert _run("compare", "--db", str(db), "--from", "2021", "--to", "2022", "--include-suggestions",
                "--out", str(out)) == 0
    got = {r["code"]: r for r in _lines(out)}
    assert got["mobila_team"]["change"] == "advanced"
    assert got["mobila_team"]["from"]["scope"] == "projekt/pilot" and got["mobila_team"]["to"]["scope"] == "breddinförd"
    assert got["egenmonitorering"]["change"] == "no_longer_mentioned"
    assert got["fast_kontakt"]["change"] == "new"


def test_compare_refuses_an_unknown_code_and_says_when_suggestions_are_not_counted(project, tmp_path, capsys):
    """A misspelt --code used to write an empty file with exit 0; unreviewed suggestions were left out silently."""
    out = tmp_path / "c.jsonl"
    assert _run("compare", "--db", str(project), "--from", "2021", "--to", "2022", "--code", "mobila_teams",
                "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert "koden 'mobila_teams' finns inte i projektets kodbok" in err and not out.exists()
    assert _run("compare", "--db", str(project), "--from", "2021", "--to", "2022", "--out", str(out)) == 0
    assert "1 förslag i omgångarna har inte granskats och räknas inte" in capsys.readouterr().err
    assert _run("compare", "--db", str(project), "--from", "2021", "--to", "2022", "--include-suggestions",
                "--out", str(out)) == 0
    assert "har inte granskats" not in capsys.readouterr().err
