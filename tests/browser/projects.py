"""Small, deterministic projects for the app tests, built through the store's public API.

They do not depend on the importers or the tagger, so the page tests check the app's own
behaviour (the sample project test covers the real import + tag path).
"""
from __future__ import annotations

from pathlib import Path

from models.records import CodingSuggestion, ParsedFile, Question, RawAnswer, Respondent
from models.store import ProjectStore

HOSTILE = "<script>alert(1)</script> **fet** :red[x] [länk](http://example.com)"
MOBILA = "Vi har mobila team i hela länet sedan 2021."
ANSWERS = [
    ("Region Dalarna", "region", "Dalarnas län", "5a", f"{HOSTILE} {MOBILA}"),
    ("Region Dalarna", "region", "Dalarnas län", "8a", "Patientkontrakt används på alla vårdcentraler."),
    ("Falu kommun", "kommun", "Dalarnas län", "13a", "Kommunen planerar att starta mobila team under 2023."),
    ("Okänd Ort XYZ", None, None, "6", "Egenmonitorering prövas i ett pilotprojekt med blodtrycksmätning."),
    ("Falu kommun", "kommun", "Dalarnas län", "14", "Frågor: anna.andersson@falun.se eller 070-123 45 67."),
]


def _resolve(a: RawAnswer) -> Respondent:
    if a.respondent_type is None:
        return Respondent(a.respondent, None, resolved=False, raw_name=a.respondent)
    lan_code = "20"
    return Respondent(a.respondent, a.respondent_type, a.lan, lan_code,
                      "2080" if a.respondent_type == "kommun" else None, True, a.respondent)


def build_project(path: Path) -> ProjectStore:
    """A project with four answers (one hostile), one closed question and four suggestions."""
    store = ProjectStore(path, name="Testprojekt")
    raw = [RawAnswer(n, q, t, position=i, respondent_type=typ, lan=lan) for i, (n, typ, lan, q, t) in enumerate(ANSWERS)]
    raw.append(RawAnswer("Falu kommun", "1", "", choice="Ja", position=9, respondent_type="kommun",
                         lan="Dalarnas län"))
    store.import_parsed(ParsedFile("svar.txt", "txt", "0" * 64, 100, raw), _resolve)
    store.upsert_questions([Question("1", "Beslutad målbild", closed=True, options=("Ja", "Nej")),
                            Question("5a", "Personcentrerat"), Question("8a", "Delaktighet")])
    answers = {a.question: a for a in store.answers()}
    sugg = []
    for qid, code, word, conf in (("5a", "mobila_team", "mobila team", 0.55), ("8a", "patientkontrakt",
                                  "Patientkontrakt", 0.9), ("13a", "mobila_team", "mobila team", 0.7),
                                  ("6", "egenmonitorering", "Egenmonitorering", 0.8)):
        a = answers[qid]
        s = a.text.index(word)
        start = 0
        sugg.append(CodingSuggestion(a.id, code, start, len(a.text), s, s + len(word), confidence=conf,
                                     status="pågående", scope="breddinförd"))
    store.replace_suggestions(sugg)
    return store
