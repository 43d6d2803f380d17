"""Builders for small coded projects used by the views and export tests (no tests here).

Projects are built straight through `ProjectStore` (import_parsed, replace_suggestions,
decide, add_manual_coding), with a small fake registry of 3 regions and 6 kommuner.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from models.records import CodingSuggestion, ParsedFile, Question, RawAnswer, Respondent
from models.store import ProjectStore
from models.views import Registry

DOC = {
    "name": "test",
    "version": 1,
    "questions": {"5a": "Personcentrerat förhållningssätt", "13a": "Undvikbar slutenvård", "1": "Målbild"},
    "categories": [
        {"id": "proaktivt", "label": "Proaktivt arbete", "description": "Proaktiva arbetssätt.",
         "codes": [
             {"id": "mobila_team", "label": "Mobila team", "definition": "Mobila team i hemmet.",
              "keywords": ["mobila team", "mobilt team"]},
             {"id": "palliativ_vard", "label": "Palliativ vård", "definition": "Vård i livets slut.",
              "keywords": ["palliativ"]},
         ]},
        {"id": "delaktighet", "label": "Delaktighet", "description": "",
         "codes": [
             {"id": "sip", "label": "SIP – samordnad individuell plan", "definition": "SIP.",
              "keywords": ["sip"], "abbreviations": ["SIP"]},
         ]},
    ],
}

REGISTRY = Registry(
    regions=pd.DataFrame([("20", "Region Dalarna"), ("12", "Region Skåne"), ("01", "Region Stockholm")],
                         columns=["lan_code", "name"]),
    kommuner=pd.DataFrame([
        ("2080", "Falun", "20"), ("2081", "Borlänge", "20"), ("2021", "Vansbro", "20"),
        ("1280", "Malmö", "12"), ("1281", "Lund", "12"), ("0180", "Stockholm", "01"),
    ], columns=["kommun_code", "name", "lan_code"]),
    complete=True,
)

RESPONDENTS = {
    "Region Dalarna": Respondent("Region Dalarna", "region", "Dalarnas län", "20"),
    "Region Skåne": Respondent("Region Skåne", "region", "Skåne län", "12"),
    "Malmö": Respondent("Malmö", "kommun", "Skåne län", "12", "1280"),
    "Dalarnas kommuner": Respondent("Dalarnas kommuner", "rss", "Dalarnas län", "20"),
}

INJECTIONS = [
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
]


def resolve(a: RawAnswer) -> Respondent:
    return RESPONDENTS.get(a.respondent, Respondent(a.respondent, "kommun", None, None, None, False))


def _span(text: str, phrase: str) -> tuple[int, int]:
    i = text.index(phrase)
    return i, i + len(phrase)


def build_project(path: Path, *, memo: str = "Bra exempel") -> ProjectStore:
    """A project with 4 respondents, 6 answers and codings in every decision state.

    Returns the store; `store.test_ids` maps names to coding ids.
    """
    store = ProjectStore(path)
    store.save_codebook_doc(DOC)
    store.upsert_questions([
        Question("5a", "Personcentrerat förhållningssätt: insatser"),
        Question("13a", "Undvikbar slutenvård genom proaktiva arbetssätt"),
        Question("1", "Beslutad länsgemensam målbild", closed=True,
                 options=("Ja", "Ja, men arbete pågår med att revidera", "Nej")),
    ])
    texts = [
        ("Region Dalarna", "13a", "Vi har mobila team i hela länet.\r\nDe når äldre i hemmet, även palliativ vård.", None),
        ("Region Dalarna", "1", "Målbilden är beslutad.", "Ja"),
        ("Region Skåne", "13a", "Inga mobila team ännu. Vi arbetar med SIP – samordnad individuell plan.", None),
        ("Region Skåne", "1", "", "Nej"),
        ("Malmö", "5a", "Vi använder SIP i alla ärenden 😀 och mobilt team kvällstid.", None),
        ("Malmö", "1", "Kommentar.", "Ja"),
        ("Dalarnas kommuner", "13a", "Kommunerna har ett gemensamt mobilt team med regionen. " + INJECTIONS[0], None),
        ("Dalarnas kommuner", "5a", " | ".join(INJECTIONS), None),
    ]
    parsed = ParsedFile("svar.xlsx", "xlsx", "sha-test-1", 1000, [
        RawAnswer(r, q, t, choice=c, position=i) for i, (r, q, t, c) in enumerate(texts)
    ])
    store.import_parsed(parsed, resolve)
    answers = {(a.respondent.name, a.question): a for a in store.answers()}
    sugg = []

    def add(resp: str, q: str, code: str, sentence: str, evidence: str, **kw) -> None:
        a = answers[(resp, q)]
        s, e = _span(a.text, sentence)
        es, ee = _span(a.text, evidence)
        sugg.append(CodingSuggestion(a.id, code, s, e, es, ee, **kw))

    add("Region Dalarna", "13a", "mobila_team", "Vi har mobila team i hela länet.", "mobila team",
        status="genomfört", scope="breddinförd", confidence=0.9)
    add("Region Dalarna", "13a", "palliativ_vard", "De når äldre i hemmet, även palliativ vård.", "palliativ",
        confidence=0.6)
    add("Region Skåne", "13a", "mobila_team", "Inga mobila team ännu.", "mobila team", negated=True,
        confidence=0.3)
    add("Region Skåne", "13a", "sip", "Vi arbetar med SIP – samordnad individuell plan.", "SIP", confidence=0.8)
    add("Malmö", "5a", "sip", "Vi använder SIP i alla ärenden 😀 och mobilt team kvällstid.", "SIP",
        confidence=0.7)
    add("Dalarnas kommuner", "13a", "mobila_team",
        "Kommunerna har ett gemensamt mobilt team med regionen.", "mobilt team", confidence=0.95,
        scope="projekt")
    store.replace_suggestions(sugg)
    by_key = {(c.answer_id, c.code_id): c.id for c in store.codings()}
    ids = {
        "dalarna_mobila": by_key[(answers[("Region Dalarna", "13a")].id, "mobila_team")],
        "dalarna_palliativ": by_key[(answers[("Region Dalarna", "13a")].id, "palliativ_vard")],
        "skane_mobila": by_key[(answers[("Region Skåne", "13a")].id, "mobila_team")],
        "skane_sip": by_key[(answers[("Region Skåne", "13a")].id, "sip")],
        "malmo_sip": by_key[(answers[("Malmö", "5a")].id, "sip")],
        "rss_mobila": by_key[(answers[("Dalarnas kommuner", "13a")].id, "mobila_team")],
    }
    store.decide(ids["dalarna_mobila"], "accepted", "Anna")
    store.decide(ids["skane_mobila"], "rejected", "Anna")
    store.decide(ids["skane_sip"], "accepted", "Bo")
    store.decide(ids["rss_mobila"], "accepted", "Bo")
    # malmo_sip and dalarna_palliativ stay suggestions
    malmo = answers[("Malmö", "5a")]
    s, e = _span(malmo.text, "mobilt team kvällstid")
    ids["malmo_manual"] = store.add_manual_coding(malmo.id, "mobila_team", s, e, "Anna")
    inj = answers[("Dalarnas kommuner", "5a")]
    ids["injection_manual"] = store.add_manual_coding(inj.id, "sip", 0, len(inj.text), "Anna")
    for k, payload in enumerate(INJECTIONS):  # one excerpt starting with each payload
        s, e = _span(inj.text, payload)
        ids[f"injection_{k}"] = store.add_manual_coding(inj.id, "mobila_team", s, e, "Anna")
    store.set_memo("coding", ids["injection_0"], "@SUM(1+1)", "Anna")
    store.set_memo("coding", ids["dalarna_mobila"], memo, "Anna")
    store.set_memo("code", "sip", "Kolla SIP-definitionen", "Bo")
    store.test_ids = ids  # type: ignore[attr-defined]
    store.test_answers = answers  # type: ignore[attr-defined]
    return store
