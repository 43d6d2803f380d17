"""Status and scope per code and passage, on sentences written for these tests."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from models.records import ParsedFile, RawAnswer, Respondent
from models.store import ProjectStore
from models.tagging import tag_project
from nlp.codebook import default_codebook
from nlp.status_scope import quantity_cues
from nlp.tagger import Tagger
from nlp.verbforms import verb_form

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(default_codebook())


def values(tagger, text):
    res = tagger.tag_texts([text])[0]
    return res.code_values()


@pytest.mark.parametrize("form,lemma,expected", [
    ("införts", "införa", ("införa", "sup")),
    ("införde", "införa", ("införa", "past")),
    ("införs", "införa", ("införa", "pres_pass")),
    ("används", "använda", ("använda", "pres_pass")),
    ("använde", "använda", ("använda", "past")),
    ("startade", "starta", ("starta", "past")),
    ("startar", "starta", ("starta", "pres")),
    ("startat", "starta", ("starta", "sup")),
    ("planeras", "planera", ("planera", "inf_pass")),
    ("finns", "finnas", ("finnas", "pres")),
    ("har", "ha", ("ha", "pres")),
    ("sker", "ske", ("ske", "pres")),
    ("skedde", "ske", ("ske", "past")),
    ("införda", "införa", ("införa", "sup")),
    ("kommuner", "kommun", None),
    ("skolor", "skola", None),
    ("patienter", "patient", None),
])
def test_verb_forms_by_suffix(form, lemma, expected):
    assert verb_form(form, lemma) == expected


@pytest.mark.parametrize("text,code,status", [
    # present tense of a running measure: in place
    ("Vi har en äldremottagning på hälsocentralen i Ånge.", "aldremottagning", "genomförd"),
    ("Videobesök används av distriktssköterskorna varje vecka.", "digitala_vardbesok", "genomförd"),
    ("Hälsosamtal erbjuds alla som fyller 50 år.", "halsosamtal", "genomförd"),
    # perfect and past: done
    ("Kommunen har infört fast vårdkontakt i hemsjukvården.", "fast_kontakt", "genomförd"),
    ("Ett mobilt team startade i Boden förra året.", "mobila_team", "genomförd"),
    ("SIP-utbildningen genomfördes i maj.", "sip", "genomförd"),
    # planned
    ("Regionen ska införa patientkontrakt under året.", "patientkontrakt", "planerad"),
    ("Vi kommer att starta en familjecentral i Boxholm.", "familjecentral", "planerad"),
    ("Kommunen planerar att erbjuda digital tillsyn.", "valfardsteknik", "planerad"),
    ("En familjecentral öppnar i Vimmerby till hösten.", "familjecentral", "planerad"),
    # ongoing
    ("Egenmonitorering testas med tio patienter.", "egenmonitorering", "pågående"),
    ("Vi håller på att bygga upp ett mobilt team.", "mobila_team", "pågående"),
    ("Arbetet med att införa SIP i skolan pågår.", "sip", "pågående"),
    ("Äldremottagningen är under uppbyggnad.", "aldremottagning", "pågående"),
    ("Vi har påbörjat införandet av patientkontrakt.", "patientkontrakt", "pågående"),
    ("Patientkontrakt: införda i sju kommuner.", "patientkontrakt", "genomförd"),
    ("Under våren kommer ett mobilt team att starta i Orsa.", "mobila_team", "planerad"),
    ("En pilot med egenmonitorering har startat i Leksand.", "egenmonitorering", "pågående"),
    # "ska" of a routine in place is no plan; "provtagning" is no trial
    ("Vid inskrivning ska en SIP alltid hållas inom två veckor.", "sip", "genomförd"),
    ("Alla 60-åringar får en kallelse till hälsosamtal med provtagning.", "halsosamtal", "genomförd"),
    # nothing said about the measure itself
    ("Patientkontrakt nämns i den regionala handlingsplanen.", "patientkontrakt", "okänd"),
])
def test_status_from_the_verb_governing_the_measure(tagger, text, code, status):
    st, _ = values(tagger, text)
    assert st.get(code) == status, (text, st)


@pytest.mark.parametrize("text,code,scope", [
    ("Mobila team finns i alla kommuner i Norrbotten.", "mobila_team", "breddinförd"),
    ("Patientkontrakt används i 11 av länets 13 kommuner.", "patientkontrakt", "breddinförd"),
    ("Patientkontrakt används i 3 av länets 13 kommuner.", "patientkontrakt", "projekt/pilot"),
    ("Fast vårdkontakt finns vid samtliga hälsocentraler.", "fast_kontakt", "breddinförd"),
    ("Digitala vårdbesök erbjuds i hela länet.", "digitala_vardbesok", "breddinförd"),
    ("Hälsosamtalen har blivit ordinarie verksamhet.", "halsosamtal", "breddinförd"),
    ("Äldremottagning finns på en vårdcentral.", "aldremottagning", "projekt/pilot"),
    ("Egenmonitorering erbjuds i två kommuner.", "egenmonitorering", "projekt/pilot"),
    ("Egenmonitorering drivs som ett försök med hjärtsviktspatienter.", "egenmonitorering", "projekt/pilot"),
    ("Mobila team har införts i sex kommuner av åtta.", "mobila_team", "breddinförd"),
    ("Vi har en äldremottagning.", "aldremottagning", "okänd"),
    ("Äldremottagning finns på fyra av kommunens sex vårdcentraler.", "aldremottagning", "breddinförd"),
    ("Hälsosamtal ingår i ordinarie arbete på mottagningen.", "halsosamtal", "breddinförd"),
    ("Trygg hemgång gäller enligt ett länsgemensamt avtal.", "utskrivning", "breddinförd"),
    # a pilot in the past and breadth now: breddinförd; a pilot word after "efter" does not count
    ("SIP-mallen prövades som pilot 2020 och har sedan dess breddinförts.", "sip", "breddinförd"),
    ("Patientkontrakt har spridits till hela regionen efter en pilot i Kiruna.", "patientkontrakt", "breddinförd"),
    # breadth that is only planned does not outweigh the pilot running now
    ("Egenmonitorering testas i en pilot och ska spridas till hela länet.", "egenmonitorering", "projekt/pilot"),
])
def test_scope_from_markers_and_quantities(tagger, text, code, scope):
    _, sc = values(tagger, text)
    assert sc.get(code) == scope, (text, sc)


def test_quantity_rule_is_a_ratio():
    words = "i 7 av 12 kommuner och i 2 av 12 kommuner".split()
    cues = quantity_cues(words, list(range(len(words))))
    assert [v for _, v in cues] == ["breddinförd", "projekt/pilot"]


@pytest.mark.parametrize("text,expected_status,expected_scope", [
    ("Vi har infört fast vårdkontakt och planerar att starta mobila team.",
     {"fast_kontakt": "genomförd", "mobila_team": "planerad"}, {}),
    ("SIP används i samtliga kommuner och patientkontrakt testas på en vårdcentral.",
     {"sip": "genomförd", "patientkontrakt": "pågående"},
     {"sip": "breddinförd", "patientkontrakt": "projekt/pilot"}),
    ("Hälsosamtal har breddinförts i hela regionen, medan egenmonitorering fortfarande är en pilot.",
     {"halsosamtal": "genomförd"}, {"halsosamtal": "breddinförd", "egenmonitorering": "projekt/pilot"}),
])
def test_two_measures_of_one_sentence_keep_their_own_values(tagger, text, expected_status, expected_scope):
    st, sc = values(tagger, text)
    for code, v in expected_status.items():
        assert st.get(code) == v, (code, st)
    for code, v in expected_scope.items():
        assert sc.get(code) == v, (code, sc)


def test_a_list_shares_the_verb_and_the_breadth_of_its_clause(tagger):
    st, sc = values(tagger, "I alla kommuner har vi infört SIP, fast vårdkontakt och trygg hemgång.")
    for code in ("sip", "fast_kontakt"):
        assert st[code] == "genomförd"
        assert sc[code] == "breddinförd"


def test_list_items_take_the_lead_in_sentence(tagger):
    text = "Följande planeras under nästa år:\n• patientkontrakt\n• egenmonitorering för KOL"
    st, _ = values(tagger, text)
    assert st.get("patientkontrakt") == "planerad"
    assert st.get("egenmonitorering") == "planerad"


def test_bulleted_items_with_their_own_values(tagger):
    text = "Insatser 2022: • Mobila team (infört i hela länet) • Patientkontrakt (pilot) • Äldremottagning (planeras)"
    st, sc = values(tagger, text)
    assert (st["mobila_team"], sc["mobila_team"]) == ("genomförd", "breddinförd")
    assert sc["patientkontrakt"] == "projekt/pilot"
    assert st["aldremottagning"] == "planerad"


def test_negated_measure_is_not_reported(tagger):
    st, sc = values(tagger, "Vi har inte infört mobila team men fast vårdkontakt finns i alla kommuner.")
    assert "mobila_team" not in st
    assert (st["fast_kontakt"], sc["fast_kontakt"]) == ("genomförd", "breddinförd")


def test_relative_clause_after_the_subject_is_not_its_main_verb(tagger):
    st, sc = values(tagger, "Familjecentralen som startade som försök 2020 har blivit permanent.")
    assert (st["familjecentral"], sc["familjecentral"]) == ("genomförd", "breddinförd")


def test_following_sentence_about_the_measure(tagger):
    st, sc = values(tagger, "Sedan 2021 finns ett mobilt team i Luleå. Verksamheten drivs som projekt till 2024.")
    assert sc["mobila_team"] == "projekt/pilot"


def test_every_evidence_of_a_code_shows_the_passage_value(tagger):
    text = "Mobila team startade som pilot i Piteå. I dag finns mobila team i hela länet."
    res = tagger.tag_texts([text])[0]
    st, sc = res.code_values()
    ev = [e for e in res.evidence if e.code == "mobila_team"]
    assert len(ev) == 2
    assert {(e.status, e.scope) for e in ev} == {(st["mobila_team"], sc["mobila_team"])}


def _resolve(a: RawAnswer) -> Respondent:
    return Respondent(name=a.respondent, type="kommun")


def test_stored_codings_carry_the_value_tag_reports(tmp_path):
    texts = ["SIP används i samtliga kommuner och patientkontrakt testas på en vårdcentral.",
             "Vi ska starta mobila team nästa år. Mobila team ska finnas i alla kommuner."]
    store = ProjectStore(tmp_path / "p.sqlite")
    store.import_parsed(ParsedFile("svar.txt", "txt", "sha-status-test", 1,
                                   [RawAnswer(f"Kommun {i}", "13a", t) for i, t in enumerate(texts)]), _resolve)
    tag_project(store)
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_text("".join(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n"
                           for i, t in enumerate(texts)), encoding="utf-8")
    r = subprocess.run([sys.executable, "cli.py", "tag", "--in", str(inp), "--out", str(out)], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["status"]["patientkontrakt"] == "pågående"
    assert rows[1]["status"]["mobila_team"] == "planerad"
    for row in rows:
        assert set(row["status"]) == set(row["codes"]) == set(row["scope"])
    answers = {a.text: a.id for a in store.answers()}
    for t, row in zip(texts, rows):
        stored = [c for c in store.codings() if c.answer_id == answers[t] and not c.negated]
        assert stored
        for c in stored:
            assert (c.status, c.scope) == (row["status"][c.code_id], row["scope"][c.code_id])
    store.close()


def test_eval_prints_status_and_scope_figures(tmp_path):
    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps({"id": "x", "text": "Mobila team finns i alla kommuner.", "codes": ["mobila_team"],
                                "status": {"mobila_team": "genomförd"}, "scope": {"mobila_team": "projekt/pilot"}},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "cli.py", "eval", "--gold", str(gold)], cwd=ROOT, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "Status: träffsäkerhet 1.000 (1 av 1" in r.stdout
    assert "Omfattning: träffsäkerhet 0.000 (0 av 1" in r.stdout
    assert "micro: P=1.000" in r.stdout


def test_eval_rejects_unknown_values(tmp_path):
    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps({"id": "x", "text": "t", "codes": [], "status": {"sip": "klar"}}) + "\n",
                    encoding="utf-8")
    r = subprocess.run([sys.executable, "cli.py", "eval", "--gold", str(gold)], cwd=ROOT, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 1
    assert "g.jsonl, rad 1" in r.stderr and "klar" in r.stderr


@pytest.mark.parametrize("text,codes,expected", [
    # the following sentence opened by "Arbetet" gives its scope to every measure of the sentence before
    ("Vi har startat mobila team och SIP. Arbetet drivs som pilotprojekt.", ("mobila_team", "sip"),
     ("genomförd", "projekt/pilot")),
    # the lead-in before a list gives its values to every measure of an item
    ("Följande har införts i alla kommuner:\n- mobila team\n- SIP och patientkontrakt",
     ("mobila_team", "sip", "patientkontrakt"), ("genomförd", "breddinförd")),
])
def test_lead_in_and_follow_apply_to_every_hit_of_a_segment(tagger, text, codes, expected):
    """A segment reads its lead-in / following sentence once and shares it by all its hits."""
    status, scope = values(tagger, text)
    for c in codes:
        assert (status[c], scope[c]) == expected


def test_lead_in_is_read_per_segment_not_shared_between_segments(tagger):
    """Only the items after the lead-in take its scope; a later sentence keeps its own."""
    text = ("Följande har införts i alla kommuner:\n- mobila team\n\n"
            "SIP testas som pilot i en kommun.")
    status, scope = values(tagger, text)
    assert scope["mobila_team"] == "breddinförd"
    assert scope["sip"] == "projekt/pilot"
