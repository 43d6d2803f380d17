"""Tagging a stored project: suggestions stored, analyses cached, decisions never overwritten."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from models.records import ParsedFile, RawAnswer, Respondent
from models.store import ProjectStore
from models.tagging import tag_project
from nlp.pipeline import PIPELINE_VERSION

ROOT = Path(__file__).resolve().parents[1]


def _resolve(a: RawAnswer) -> Respondent:
    return Respondent(name=a.respondent, type="kommun")


def _store(path: Path) -> ProjectStore:
    store = ProjectStore(path)
    answers = [
        RawAnswer("Testkommun A", "13a", "De mobila teamen har breddinförts. Vi har inte infört SIP."),
        RawAnswer("Testkommun B", "8a", "Patientkontrakt testas som pilot på två vårdcentraler."),
        RawAnswer("Testkommun C", "14", "Inget särskilt att rapportera."),
    ]
    store.import_parsed(ParsedFile("svar.txt", "txt", "sha-tagger-test", 1, answers), _resolve)
    return store


def test_tag_project_stores_suggestions_and_keeps_decisions(tmp_path):
    store = _store(tmp_path / "p.sqlite")
    n = tag_project(store)
    assert n >= 3
    codings = store.codings()
    by_code = {c.code_id: c for c in codings}
    assert {"mobila_team", "sip", "patientkontrakt"} <= set(by_code)
    assert by_code["sip"].negated
    pk = by_code["patientkontrakt"]
    assert pk.scope == "projekt/pilot"
    assert pk.text[pk.evidence_start:pk.evidence_end].lower().startswith("patientkontrakt")
    # analyses are cached in the store
    ids = [a.id for a in store.answers()]
    assert set(store.get_analyses(ids, PIPELINE_VERSION)) == set(ids)
    # an analyst decision survives re-tagging
    store.decide(by_code["mobila_team"].id, "accepted", "anna")
    tag_project(store)
    accepted = store.codings(decisions=["accepted"])
    assert [c.code_id for c in accepted] == ["mobila_team"]
    assert len([c for c in store.codings() if c.code_id == "mobila_team"]) == 1
    store.close()


def test_tag_db_cli(tmp_path):
    path = tmp_path / "q.sqlite"
    _store(path).close()
    r = subprocess.run([sys.executable, "cli.py", "tag", "--db", str(path)], cwd=ROOT, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    store = ProjectStore(path, create=False)
    assert {c.code_id for c in store.codings()} >= {"mobila_team", "patientkontrakt"}
    store.close()
    r = subprocess.run([sys.executable, "cli.py", "tag", "--db", str(tmp_path / "saknas.sqlite")], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 1 and "finns inte" in r.stderr and "Traceback" not in r.stderr
