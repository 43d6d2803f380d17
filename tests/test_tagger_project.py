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


# --------------------------------------------------------------------------- re-tag after a codebook edit

_EDIT_TEXTS = [
    ("Testkommun A", "13a", "Kommunen har startat ett kvällsteam som gör hembesök hos sköra äldre."),
    ("Testkommun B", "13a", "De mobila teamen har breddinförts i hela länet. Vi har inte infört SIP."),
    ("Testkommun C", "13a", "Nattpatrullen med sjuksköterskor testas som pilot; kvällsteamet planeras till hösten."),
    ("Testkommun D", "8a", "Patientkontrakt har införts på alla vårdcentraler."),
    ("Testkommun E", "14", "Inget särskilt att rapportera."),
]


def _edit_store(path: Path, doc: dict) -> ProjectStore:
    store = ProjectStore(path)
    answers = [RawAnswer(r, q, t) for r, q, t in _EDIT_TEXTS]
    store.import_parsed(ParsedFile("svar.txt", "txt", "sha-retag-" + path.stem, 1, answers), _resolve)
    store.save_codebook_doc(doc)
    return store


def _rule_rows(store: ProjectStore) -> list[tuple]:
    """Every rule coding and its evidence, keyed by answer text instead of ids (no ids, no timestamps)."""
    return sorted((c.text, c.code_id, c.start, c.end, c.evidence_start, c.evidence_end, c.negated, c.status,
                   c.scope, round(c.confidence, 6), c.origin, c.decision)
                  for c in store.codings() if c.origin == "rule")


def _with_keyword(doc: dict, code_id: str, keyword: str, add: bool) -> dict:
    import copy

    out = copy.deepcopy(doc)
    for cat in out["categories"]:
        for code in cat["codes"]:
            if code["id"] == code_id:
                kws = [k for k in code["keywords"] if k != keyword]
                code["keywords"] = kws + [keyword] if add else kws
    return out


def _retag_equals_fresh(tmp_path: Path, name: str, before_doc: dict, after_doc: dict) -> None:
    import models.tagging as tagging

    store = _edit_store(tmp_path / f"{name}.sqlite", before_doc)
    tag_project(store)
    key = (str(store.path.resolve()), PIPELINE_VERSION)
    assert key in tagging._TAGGERS  # the next run re-tags in memory and writes back only changed answers
    before = _rule_rows(store)
    store.save_codebook_doc(after_doc)
    tag_project(store)
    retagged = _rule_rows(store)
    store.close()

    fresh_store = _edit_store(tmp_path / f"{name}_fresh.sqlite", after_doc)
    tag_project(fresh_store)
    fresh = _rule_rows(fresh_store)
    fresh_store.close()

    assert fresh != before  # the edit matters, so a stale re-tag (nothing written back) would fail below
    assert retagged == fresh


def test_retag_after_codebook_edit_equals_tagging_from_scratch(tmp_path):
    """tag_project on a tagged project after a codebook edit (in-memory re-tag, only changed answers
    written back) leaves the same rule codings and evidence as tagging a fresh project with the
    edited codebook: once after adding a keyword to a code, once after removing one."""
    from nlp.codebook import default_codebook

    base = _with_keyword(default_codebook().to_doc(), "mobila_team", "kvällsteam", add=False)
    _retag_equals_fresh(tmp_path, "add", base, _with_keyword(base, "mobila_team", "kvällsteam", add=True))

    # removal of a keyword whose proposal the disposer keeps (a pilot "nattpatrull" is a borderline
    # proposal the disposer may drop, and then the edit would change nothing)
    base = _with_keyword(default_codebook().to_doc(), "mobila_team", "kvällsteam", add=True)
    _retag_equals_fresh(tmp_path, "remove", base, _with_keyword(base, "mobila_team", "kvällsteam", add=False))


# --------------------------------------------------------------------------- batches

_BATCH_TEXTS = _EDIT_TEXTS + [
    ("Testkommun F", "13a", "Vi har inte infört SIP men planerar mobila team nästa år."),
    ("Testkommun G", "8a", "Patientkontrakt testas som pilot på två vårdcentraler."),
    ("Testkommun H", "14", "Kvällsteamet gör hembesök; nattpatrullen är permanent sedan 2022."),
]


def _batch_store(path: Path, doc: dict) -> ProjectStore:
    store = ProjectStore(path)
    answers = [RawAnswer(r, q, t) for r, q, t in _BATCH_TEXTS]
    store.import_parsed(ParsedFile("svar.txt", "txt", "sha-batch-" + path.stem, 1, answers), _resolve)
    store.save_codebook_doc(doc)
    return store


def _all_rows(store: ProjectStore) -> list[tuple]:
    """Every coding in store order, with its answer id (same import order gives the same ids)."""
    return [(c.answer_id, c.code_id, c.start, c.end, c.evidence_start, c.evidence_end, c.negated, c.status,
             c.scope, c.confidence, c.origin, c.decision) for c in store.codings()]


def test_batched_tag_project_equals_one_batch_also_after_retag(tmp_path):
    """tag_project in batches of 3 answers (kept Taggers per batch) stores row for row the codings of
    one batch over the whole project: after tagging, after a re-tag in memory (keyword added), and
    after a re-tag whose changes are many (every code edited: full re-match per batch)."""
    import models.tagging as tagging
    from nlp.codebook import default_codebook

    base = _with_keyword(default_codebook().to_doc(), "mobila_team", "kvällsteam", add=False)
    added = _with_keyword(base, "mobila_team", "kvällsteam", add=True)
    many = added
    ids = [c["id"] for cat in added["categories"] for c in cat["codes"]]
    for cid in ids[:8]:  # more codes than Tagger.retag re-matches one by one
        many = _with_keyword(many, cid, "testord" + cid, add=True)
    rows: dict = {}
    for batch in (0, 3):
        tagging._TAGGERS.clear()
        store = _batch_store(tmp_path / f"b{batch}.sqlite", base)
        n = tagging.tag_project(store, batch_size=batch)
        got = [_all_rows(store)]
        parts = tagging._TAGGERS[(str(store.path.resolve()), PIPELINE_VERSION)][1]
        assert len(parts) == (1 if batch == 0 else 3)
        store.save_codebook_doc(added)
        tagging.tag_project(store, batch_size=batch)
        got.append(_all_rows(store))
        store.save_codebook_doc(many)
        tagging.tag_project(store, batch_size=batch)
        got.append(_all_rows(store))
        store.close()
        rows[batch] = (n, got)
    n, got = rows[0]
    assert n > 0 and got[0] and got[1] != got[0]  # the keyword edit changes what is stored
    assert rows[3] == rows[0]
    tagging._TAGGERS.clear()


def test_tag_project_counts_the_suggestions_it_stored(tmp_path):
    """A code found by two terms of one passage is one stored suggestion: `cli.py tag --db` said "65 förslag
    sparade" for a project that then held 51."""
    store = ProjectStore(tmp_path / "n.sqlite")
    text = "Levnadsvanor tas upp vid varje biståndsbedömning; ohälsosamma levnadsvanor följs upp."
    store.import_parsed(ParsedFile("n.txt", "txt", "sha-count", 1, [RawAnswer("Testkommun A", "11a", text)]), _resolve)
    n = tag_project(store)
    stored = store.codings(decisions=["suggested"])
    assert [c.code_id for c in stored].count("levnadsvanor") == 1
    assert n == len(stored)
    assert tag_project(store) == n  # the kept Taggers' path (nothing changed) counts the same way
    store.close()
