"""A corrected version of a file (same name, new content) keeps what the analyst decided (qa21).

Found by qa21: re-importing a corrected Word form in which one answer had a sentence added dropped every
decision on that respondent's answers from the file, also on the answers whose text had not changed, and
the import said only "ersatte 8 svar från en tidigare version av filen".
"""
from __future__ import annotations

import hashlib

from models.importing import import_uploads
from models.records import CodingSuggestion, ParsedFile, RawAnswer
from models.store import ProjectStore
from tests.browser.projects import _resolve

SAME = "Mobila team finns i hela länet sedan 2021."
GROWN = "Patientkontrakt används på alla vårdcentraler."
GONE = "Egenmonitorering prövas i ett pilotprojekt."


def _file(texts: dict[str, str]) -> ParsedFile:
    raw = [RawAnswer("Region Dalarna", q, t, position=i, respondent_type="region", lan="Dalarnas län")
           for i, (q, t) in enumerate(texts.items())]
    body = repr(sorted(texts.items())).encode()
    return ParsedFile("Region_Dalarna.docx", "docx", hashlib.sha256(body).hexdigest(), len(body), raw)


def _decide_all(store: ProjectStore) -> dict[str, int]:
    by_q = {a.question: a for a in store.answers()}
    sugg = [CodingSuggestion(by_q["5a"].id, "mobila_team", 0, len(SAME), 0, 12, confidence=0.8),
            CodingSuggestion(by_q["5a"].id, "palliativ_vard", 0, len(SAME), 0, 12, confidence=0.4),
            CodingSuggestion(by_q["8a"].id, "patientkontrakt", 0, len(GROWN), 0, 15, confidence=0.8),
            CodingSuggestion(by_q["6"].id, "egenmonitorering", 0, len(GONE), 0, 16, confidence=0.8)]
    store.replace_suggestions(sugg)
    ids = {}
    for c in store.codings():
        decision = "rejected" if c.code_id == "palliativ_vard" else "accepted"
        store.decide(c.id, decision, "Anna")
        ids[c.code_id] = c.id
    return ids


def test_a_corrected_file_keeps_the_decisions_on_unchanged_and_still_present_text(tmp_path):
    store = ProjectStore(tmp_path / "p.sqlite")
    store.import_parsed(_file({"5a": SAME, "8a": GROWN, "6": GONE}), _resolve, round_label="2022")
    ids = _decide_all(store)
    before = {a.question: a.id for a in store.answers()}
    grown = GROWN + " Även SIP används i samband med kontraktet."
    outcome = store.import_parsed(_file({"5a": SAME, "8a": "Nytt: " + grown, "6": "Inget om detta i år."}),
                                  _resolve, round_label="2022")
    assert outcome.status == "replaced" and outcome.replaced_answers == 3
    after = {a.question: a for a in store.answers()}
    assert len(after) == 3
    # the unchanged answer is the same answer: its decisions (an acceptance, a rejection) are untouched
    assert after["5a"].id == before["5a"]
    assert store.coding(ids["mobila_team"]).decision == "accepted"
    assert store.coding(ids["palliativ_vard"]).decision == "rejected"
    # the grown answer: the accepted passage is still there, a few characters further on
    moved = store.codings(answer_ids=[after["8a"].id])
    assert [(c.code_id, c.decision, c.analyst, c.text) for c in moved] == [("patientkontrakt", "accepted", "Anna",
                                                                           GROWN)]
    assert after["8a"].text[moved[0].evidence_start:moved[0].evidence_end] == "Patientkontrakt"
    # the rewritten answer: the passage is gone, and the outcome says so
    assert store.codings(answer_ids=[after["6"].id]) == []
    assert (outcome.kept_decisions, outcome.lost_decisions) == (3, 1)
    store.close()


def test_the_import_report_warns_about_decisions_that_could_not_be_kept(tmp_path):
    store = ProjectStore(tmp_path / "p.sqlite")
    first = "1. Fråga ett\n\nVi har mobila team.\n\n6. Digitalisering\n\nEgenmonitorering prövas.\n"
    import_uploads(store, [("Region_Dalarna_2022.txt", first.encode())], round_label="2022")
    store.replace_suggestions([CodingSuggestion(a.id, "mobila_team", 0, len(a.text), 0, 5, confidence=0.8)
                               for a in store.answers()])
    for c in store.codings(decisions=["suggested"]):
        store.decide(c.id, "accepted", "Anna")
    decided = len(store.codings(decisions=["accepted"]))
    assert decided == 2
    second = first.replace("Egenmonitorering prövas.", "Inget nytt.").replace("Vi har mobila team.", "Inget.")
    report = import_uploads(store, [("Region_Dalarna_2022.txt", second.encode())], round_label="2022")[0]
    assert report.ok and report.status == "replaced"
    assert any(f"{decided} granskade kodningar" in w or f"{decided} granskad kodning" in w for w in report.warnings), \
        report.warnings
    store.close()
