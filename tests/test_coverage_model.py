"""models.coverage and `cli.py coverage`: who answered and who mentions a code, at three levels."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from models import coverage as cv
from models.records import CodingSuggestion, ParsedFile, RawAnswer
from reference.registry import resolve_raw
from models.store import ProjectStore

ROOT = Path(__file__).resolve().parents[1]

# (respondent as a file writes it, type hint, län hint, question, text)
ANSWERS = [
    ("Region Dalarna", "region", None, "13a", "Vi har mobila team i hela länet som är breddinförda."),
    ("Region Gotland", "region", None, "13a", "Mobila team finns i ett projekt på norra Gotland."),
    ("Region Skåne", "region", None, "13a", ""),  # an empty answer: Skåne has not answered
    ("Kommunerna i Uppsala län", "rss", None, "13a",
     "I Östhammar och i Tierps kommun finns mobila team. Region Uppsala och Uppsala län samverkar."),
    ("Kommunerna i Uppsala län", "rss", None, "5a", "Alla kommuner arbetar med SIP."),
    ("Falu kommun", "kommun", None, "13a", "Vi planerar mobila team."),
    ("Mora kommun", "kommun", None, "5a", "Inga mobila team. Vi använder SIP."),
    ("Kommunerna i Gotlands län", "rss", None, "13a", "Se regionens svar om mobila team."),
]


def _project(path: Path) -> tuple[ProjectStore, dict]:
    store = ProjectStore(path, name="Täckningstest")
    raw = [RawAnswer(n, q, t, position=i, respondent_type=typ, lan=lan)
           for i, (n, typ, lan, q, t) in enumerate(ANSWERS)]
    store.import_parsed(ParsedFile("svar.txt", "txt", "1" * 64, 100, raw), resolve_raw)
    by = {(a.respondent.name, a.question): a for a in store.answers()}
    sugg = []

    def add(resp, q, code, phrase, **kw):
        a = by[(resp, q)]
        s = a.text.index(phrase)
        sugg.append(CodingSuggestion(a.id, code, 0, len(a.text.split(". ")[0]) + 1 if ". " in a.text else len(a.text),
                                     s, s + len(phrase), **kw))

    add("Region Dalarna", "13a", "mobila_team", "mobila team", scope="breddinförd", status="genomförd")
    add("Region Gotland", "13a", "mobila_team", "Mobila team", scope="projekt/pilot")
    add("Kommunerna i Uppsala län", "13a", "mobila_team", "mobila team")
    add("Kommunerna i Uppsala län", "5a", "sip", "SIP")
    add("Falu kommun", "13a", "mobila_team", "mobila team", status="planerad")
    add("Mora kommun", "5a", "mobila_team", "mobila team", negated=True)
    add("Mora kommun", "5a", "sip", "SIP")
    add("Kommunerna i Gotlands län", "13a", "mobila_team", "mobila team")
    store.replace_suggestions(sugg)
    ids = {(c.answer_id, c.code_id): c.id for c in store.codings()}
    return store, {"by": by, "ids": ids}


@pytest.fixture()
def project(tmp_path):
    store, info = _project(tmp_path / "t.sqlite")
    store.info = info  # type: ignore[attr-defined]
    yield store
    store.close()


def test_who_answered_per_level(project):
    a = cv.project_coverage(project).answered
    assert a.regions == ("Region Dalarna", "Region Gotland")  # Skåne's only answer is empty
    assert a.lan == ("Dalarnas län", "Uppsala län")  # Dalarna via its kommuner, Uppsala via the RSS; Gotland ej relevant
    assert a.kommuner == ("Falu kommun", "Mora kommun")
    assert a.totals == {"regions": 21, "lan": 20, "kommuner": 290}
    assert "Gotlands län" in a.not_relevant
    assert "Region Skåne" in a.not_answered["regions"] and len(a.not_answered["regions"]) == 19
    assert [k for k, _ in a.named_kommuner] == ["Tierps kommun", "Östhammars kommun"]
    assert a.lan_sources["Dalarnas län"] == ("Falu kommun", "Mora kommun")


def test_reviewed_only_by_default_suggestions_on_request(project):
    assert cv.project_coverage(project).codes["mobila_team"].regions.n == 0
    cov = cv.project_coverage(project, include_suggestions=True).codes["mobila_team"]
    assert cov.regions.mentioned == ("Region Dalarna", "Region Gotland")
    assert cov.regions.figure == "2 av 2 regioner som svarat (21 totalt)"
    assert cov.regions.split_text == "1 breddinförd, 1 projekt"
    # RSS Uppsala and Falun's own answer; Mora's mention is negated; Gotland is not a län here
    assert cov.lan.mentioned == ("Dalarnas län", "Uppsala län")
    assert cov.lan.figure == "2 av 2 län där kommunerna svarat (20 totalt)"
    # the RSS answer never counts as Uppsala's kommuner; Östhammar and Tierp are named, not counted
    assert cov.kommuner.mentioned == ("Falu kommun",)
    assert cov.kommuner.not_mentioning == ("Mora kommun",)
    assert cov.kommuner.split_text == "1 planerad"
    assert [k for k, _ in cov.named_kommuner] == ["Tierps kommun", "Östhammars kommun"]
    assert "Uppsala kommun" not in {k for k, _ in cov.named_kommuner}
    assert cov.sentence == ("Mobila team nämns av 2 av 2 regioner som svarat (21 totalt), i 2 av 2 län där "
                            "kommunerna svarat (20 totalt) och av 1 av 2 kommuner som svarat själva (290 totalt)")
    assert "Region Skåne" in cov.regions.not_answered and "Region Skåne" not in cov.regions.not_mentioning


def test_accepted_and_rejected_decisions(project):
    by, ids = project.info["by"], project.info["ids"]
    dalarna = ids[(by[("Region Dalarna", "13a")].id, "mobila_team")]
    falun = ids[(by[("Falu kommun", "13a")].id, "mobila_team")]
    project.decide(dalarna, "accepted", "Test")
    project.decide(falun, "rejected", "Test")
    cov = cv.project_coverage(project).codes["mobila_team"]
    assert cov.regions.mentioned == ("Region Dalarna",) and cov.regions.codings["Region Dalarna"] == (dalarna,)
    with_sugg = cv.project_coverage(project, include_suggestions=True).codes["mobila_team"]
    assert with_sugg.kommuner.n == 0  # a rejected coding never counts


def test_round_filter(project):
    falun = project.info["by"][("Falu kommun", "13a")].id
    project.write(lambda con: con.execute("UPDATE answers SET round_label = '2023' WHERE id = ?", (falun,)))
    pc = cv.project_coverage(project, include_suggestions=True, round_label="2023")
    assert (pc.answered.regions, pc.answered.lan, pc.answered.kommuner) == ((), ("Dalarnas län",), ("Falu kommun",))
    assert pc.codes["mobila_team"].kommuner.mentioned == ("Falu kommun",)
    rest = cv.project_coverage(project, include_suggestions=True, round_label="")
    assert "Falu kommun" not in rest.answered.kommuner and rest.codes["mobila_team"].kommuner.n == 0


@pytest.mark.parametrize("text, lan, want", [
    ("Uppsala kommun och Tierps kommun samverkar.", "03", ["0380", "0360"]),
    ("Region Uppsala och Uppsala län har en plan.", "03", []),
    ("Tierps och Östhammars arbete fortsätter.", "03", ["0360", "0382"]),
    ("Kommunerna i Uppsala har en plan.", "03", []),
    ("Tierp nämns, men Falun ligger i ett annat län.", "03", ["0360"]),
    ("Region Jämtland Härjedalen och kommunerna. I Härjedalen finns ett team.", "23", ["2361"]),
    ("Det kan vara bra. Mark kommun deltar.", "14", ["1463"]),
])
def test_kommun_names_in_rss_text(text, lan, want):
    assert cv.default_places().kommuner_named_in(text, lan) == want


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_cli_json_contract(project):
    project.close()
    db = str(project.path)
    res = _cli("coverage", "--db", db, "--include-suggestions", "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert {k: out[k] for k in ("regions", "lan", "kommuner")} == {
        "regions": {"answered": 2, "total": 21}, "lan": {"answered": 2, "total": 20},
        "kommuner": {"answered": 2, "total": 290}}
    codes = out["codes"]
    assert len(codes) >= 35 and codes["palliativ_vard"]["regions"] == 0  # every codebook code, 0 where none
    mt = codes["mobila_team"]
    assert (mt["regions"], mt["lan"], mt["kommuner"]) == (2, 2, 1)
    assert mt["kommuner_names"] == ["Falu kommun"] and mt["lan_names"] == ["Dalarnas län", "Uppsala län"]
    assert mt["kommuner_named"] == ["Tierps kommun", "Östhammars kommun"]
    for code in codes.values():
        for level in ("regions", "lan", "kommuner"):
            assert code[level] == len(code[f"{level}_names"]) <= out[level]["answered"]
    only = json.loads(_cli("coverage", "--db", db, "--code", "sip", "--json").stdout.strip().splitlines()[-1])
    assert list(only["codes"]) == ["sip"] and only["codes"]["sip"]["kommuner"] == 0  # reviewed only: none yet
    table = _cli("coverage", "--db", db, "--include-suggestions", "--code", "mobila_team")
    assert table.returncode == 0 and "1 av 2 kommuner som svarat själva (290 totalt)" in table.stdout
    assert "Nämnda i länets svar: Tierps kommun (Uppsala län)" in table.stdout
    bad = _cli("coverage", "--db", db, "--code", "finns_inte")
    assert bad.returncode == 1 and "finns_inte" in bad.stderr
    missing = _cli("coverage", "--db", db + ".saknas")
    assert missing.returncode == 1 and "finns inte" in missing.stderr


def test_cli_on_imported_and_tagged_sample(tmp_path):
    db = str(tmp_path / "s.sqlite")
    assert _cli("import", str(ROOT / "data" / "sample"), "--db", db).returncode == 0
    assert _cli("tag", "--db", db).returncode == 0
    out = json.loads(_cli("coverage", "--db", db, "--include-suggestions", "--json").stdout.splitlines()[-1])
    # regions: Dalarna, Jämtland Härjedalen, Kalmar, VGR, Halland, Örebro; kommuner on their own: Göteborg,
    # Borås, Örebro; län: the seven with an RSS answer (VGR and Örebro also through their kommuner)
    assert (out["regions"]["answered"], out["lan"]["answered"], out["kommuner"]["answered"]) == (6, 7, 3)
    for code in out["codes"].values():
        assert all(code[lvl] <= out[lvl]["answered"] for lvl in ("regions", "lan", "kommuner"))


def test_gotland_filed_as_kommun_counts_as_region_gotland_only():
    places = cv.default_places()
    rows = [(1, "Gotlands kommun", "kommun", "Gotlands län", "09", "0980", 10, 1, ""),
            (2, "Kommunerna i Gotlands län", "rss", "Gotlands län", "09", None, 11, 1, "Visby har ett team.")]
    codings = [(100, 10, "mobila_team", 0, 5, "okänd", "okänd"), (101, 11, "mobila_team", 0, 5, "okänd", "okänd")]
    pc = cv.compute(rows, codings, places, [("mobila_team", "Mobila team", "p", "P")])
    assert (pc.answered.regions, pc.answered.lan, pc.answered.kommuner) == (("Region Gotland",), (), ())
    assert pc.answered.not_relevant == ("Gotlands län",) and pc.answered.unplaced == ()
    cov = pc.codes["mobila_team"]
    assert (cov.regions.mentioned, cov.lan.n, cov.kommuner.n, cov.other) == (("Region Gotland",), 0, 0, ())


def test_gotlands_kommun_is_answered_by_region_gotland_not_missing(project):
    """Region Gotland answers for Gotland as kommun too: Gotlands kommun is "besvaras av Region Gotland",
    never "har inte svarat" (qa23); the kommun figure is unchanged (Gotland counts among the regions)."""
    pc = cv.project_coverage(project, include_suggestions=True)
    a = pc.answered
    assert a.kommuner_by_region == (("Gotlands kommun", "Region Gotland"),)
    assert "Gotlands kommun" not in a.not_answered["kommuner"]
    assert len(a.kommuner) + len(a.not_answered["kommuner"]) + len(a.kommuner_by_region) == 290
    lc = pc.codes["mobila_team"].kommuner
    assert "Gotlands kommun" not in lc.not_answered and lc.by_region == a.kommuner_by_region
    assert cv.by_region_sv(lc.by_region) == ("Gotlands kommun: besvaras av Region Gotland (både region och "
                                             "kommun; räknas bland regionerna)")
    # the JSON contract: the same keys and the same kommun count
    out = pc.to_json()
    assert out["kommuner"] == {"answered": 2, "total": 290}
    assert set(out["codes"]["mobila_team"]) == {"regions", "lan", "kommuner", "regions_names", "lan_names",
                                                "kommuner_names", "kommuner_named"}
    project.close()
    table = _cli("coverage", "--db", str(project.path), "--include-suggestions", "--code", "mobila_team")
    assert table.returncode == 0
    assert "Gotlands kommun: besvaras av Region Gotland (både region och kommun; räknas bland regionerna)." \
        in table.stdout.splitlines()
    # without an answer from Gotland, Gotlands kommun has not answered
    rows = [(1, "Falu kommun", "kommun", "Dalarnas län", "20", "2080", 10, 1, "")]
    other = cv.compute(rows, [], cv.default_places(), [("mobila_team", "Mobila team", "p", "P")])
    assert other.answered.kommuner_by_region == () and "Gotlands kommun" in other.answered.not_answered["kommuner"]


def test_xlsx_coverage_sheet_says_gotlands_kommun_is_answered_by_region_gotland(project):
    """The Täckning sheet had no word of Region Gotland answering for Gotlands kommun (qa24): the kommun simply
    vanished from "Kommuner: har inte svarat". A column of its own keeps the sheet one header row and one row per
    code, so the sheet still reads as a table; the kommun lists plus this one cover all 290."""
    import io

    import openpyxl

    from export.selection import Selection
    from export.xlsx import to_xlsx

    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(project, Selection(include_suggestions=True))))
    rows = list(wb["Täckning"].values)
    header, body = rows[0], rows[1:]
    assert "Kommuner: besvaras av regionen" in header
    col = header.index("Kommuner: besvaras av regionen")
    assert header[col - 1] == "Kommuner: har inte svarat"
    assert len(body) == len(pc_codes := cv.project_coverage(project, include_suggestions=True).codes)
    note = "Gotlands kommun: besvaras av Region Gotland (både region och kommun; räknas bland regionerna)"
    for row in body:
        assert row[col] == note
        named = [n for i in (header.index("Kommuner"), header.index("Kommuner: svarade men nämner inte"),
                             col - 1) for n in (row[i] or "").split(", ") if n]
        assert "Gotlands kommun" not in named and len(named) + 1 == 290
    assert {r[header.index("Kod-id")] for r in body} == set(pc_codes)


def test_gotland_filed_as_kommun_is_answered_by_region_gotland_too():
    rows = [(1, "Gotlands kommun", "kommun", "Gotlands län", "09", "0980", 10, 1, "")]
    pc = cv.compute(rows, [], cv.default_places(), [("mobila_team", "Mobila team", "p", "P")])
    assert pc.answered.kommuner == () and pc.answered.kommuner_by_region == (("Gotlands kommun", "Region Gotland"),)
    assert "Gotlands kommun" not in pc.codes["mobila_team"].kommuner.not_answered
