"""models.coverage.compute (column-wise over integer-coded arrays) gives exactly what the per-row reference
(`tests/coverage_reference.py`, the code before) gives: every field, every name list and every dict in the
same order, on random projects with regions, RSS/län answers, kommuner (Gotland among them), unplaced
respondents, rounds, statuses/scopes and every decision."""
from __future__ import annotations

import random

import pytest

from models import coverage as cv
from models.records import CodingSuggestion, ParsedFile, RawAnswer
from models.store import ProjectStore
from reference.registry import resolve_raw
from tests.coverage_reference import reference_compute

STATUSES = (None, "", "okänd", "genomförd", "planerad", "Planerat", "pågår", "planerad ")
SCOPES = (None, "", "okänd", "breddinförd", "Bredd", "projekt/pilot", "pilot", "enstaka")
FILLER = ("Vi har mobila team.", "Samverkan sker i hela länet.", "Region {r} och {l} samverkar.",
          "Kommunerna i {k} arbetar med SIP.", "Arbetet är planerat.", "")


def _respondents(rng: random.Random, places: cv.Places) -> list[tuple]:
    """(rid, name, type, lan, lan_code, kommun_code) covering every way a respondent is placed or not."""
    out: list[tuple] = []
    lans = list(places.lans)
    kommuner = list(places.kommuner)

    def add(name, rtype, lan, lan_code, kommun_code):
        out.append((len(out) + 1, name, rtype, lan, lan_code, kommun_code))

    for code in rng.sample(list(places.regions), k=min(len(places.regions), rng.randint(3, 12))):
        if rng.random() < 0.3:  # placed by the län name only
            add(places.regions[code], "region", places.lans.get(code), None, None)
        else:
            add(places.regions[code], "region", None, code, None)
    if "09" in places.regions:
        add(places.regions["09"], "region", None, "09", None)  # Gotland (maybe twice: two files)
    for code in rng.sample(kommuner, k=min(len(kommuner), rng.randint(5, 40))):
        name, short, lan = places.kommuner[code]
        r = rng.random()
        if r < 0.2:  # found by its short name, no code stored
            add(short, "kommun", None, None, None)
        elif r < 0.3:  # a second respondent for the same kommun
            add(name, "kommun", None, None, code)
            add(name + " (socialtjänsten)", "kommun", None, None, code)
        else:
            add(name, "kommun", places.lans.get(lan), lan, code)
    for code in [k for k, v in places.kommuner.items() if v[2] in places.not_relevant_lans]:
        add(places.kommuner[code][0], "kommun", None, "09", code)  # Gotland filed as a kommun
    for code in rng.sample(lans, k=min(len(lans), rng.randint(2, 8))) + ["09"]:
        if code in places.lans:
            add(f"Kommunerna i {places.lans[code]}", "rss", places.lans[code] if rng.random() < 0.5 else None,
                code if rng.random() < 0.7 else None, None)
    add("Kommunerna i okänt län", "rss", "Okänt län", None, None)
    add("Okänd kommun", "kommun", None, None, None)
    add("Region Okänd", "region", None, "99", None)
    add("Förbundet", None, None, None, None)
    add("Länsstyrelsen", "annan", "Dalarnas län", "20", None)
    rng.shuffle(out)
    return out


def _text(rng: random.Random, places: cv.Places, lan_code) -> str:
    kommuner = [v for v in places.kommuner.values() if v[2] == lan_code] or list(places.kommuner.values())
    parts = []
    for _ in range(rng.randint(0, 6)):
        name, short, _ = rng.choice(kommuner)
        pick = rng.random()
        if pick < 0.3:
            parts.append(f"I {short} finns mobila team.")
        elif pick < 0.5:
            parts.append(f"{name} har SIP.")
        elif pick < 0.6:
            parts.append(f"Region {short} och {short}s län samverkar.")
        else:
            parts.append(rng.choice(FILLER).format(r=short, l=places.lans.get(lan_code, ""), k=short))
    return " ".join(parts)


def random_rows(seed: int, places: cv.Places, n_codes: int = 12) -> tuple[list, list, list]:
    """(answer_rows, coding_rows, codes) as `ProjectStore.coverage_answers` / `coverage_codings` give them."""
    rng = random.Random(seed)
    answer_rows = []
    aid = rng.randint(1, 50)
    for rid, name, rtype, lan, lan_code, kommun_code in _respondents(rng, places):
        for _ in range(rng.randint(1, 5)):
            aid += rng.randint(1, 3)
            text = _text(rng, places, lan_code) if rng.random() < 0.85 else ""
            answered = 1 if text.strip() or rng.random() < 0.2 else 0
            answer_rows.append((rid, name, rtype, lan, lan_code, kommun_code, aid, answered,
                                text if rtype == "rss" else ""))
    rng.shuffle(answer_rows)
    code_pool = [f"kod_{i:02d}" for i in range(n_codes)]
    codes = [(c, f"Kod {c}", f"kat_{i % 3}", f"Kategori {i % 3}") for i, c in enumerate(code_pool[:-2])]
    coding_rows = []
    texts = {row[6]: row[8] for row in answer_rows}
    cids = rng.sample(range(1, 100_000), k=rng.randint(200, 1500))
    for cid in cids:
        a = rng.choice(answer_rows)[6] if rng.random() < 0.95 else aid + rng.randint(1, 9)  # some outside
        text = texts.get(a, "") or "x" * 40
        start = rng.randint(0, max(0, len(text) - 1))
        end = rng.randint(start, len(text))
        if rng.random() < 0.3:
            start, end = 0, len(text)
        coding_rows.append((cid, a, rng.choice(code_pool), start, end, rng.choice(STATUSES), rng.choice(SCOPES)))
    return answer_rows, coding_rows, codes


def _small_places() -> cv.Places:
    """A test registry from frames: län names default to their codes, two kommuner share a län."""
    import pandas as pd

    regions = pd.DataFrame({"lan_code": ["20", "12", "09"], "name": ["Region Dalarna", "Region Skåne", "Region Gotland"]})
    kommuner = pd.DataFrame({"kommun_code": ["2080", "2062", "1280", "0980"],
                             "name": ["Falun", "Mora", "Malmö", "Gotland"], "lan_code": ["20", "20", "12", "09"]})
    return cv.places_from_frames(regions, kommuner, {"20": "Dalarnas län"})


def assert_same(got: cv.ProjectCoverage, want: cv.ProjectCoverage) -> None:
    # repr shows every field and every dict in its order, so equal reprs are the same result, item by item
    assert list(got.codes) == list(want.codes)
    for code in want.codes:
        assert repr(got.codes[code]) == repr(want.codes[code]), code
    assert repr(got.answered) == repr(want.answered)
    assert repr(got) == repr(want)
    assert got == want


@pytest.mark.parametrize("seed", range(12))
def test_compute_equals_the_reference_on_random_projects(seed):
    places = cv.default_places() if seed % 4 else _small_places()
    answer_rows, coding_rows, codes = random_rows(seed, places)
    outside = {"kod_10": "Gammal kod"} if seed % 2 else None
    for dec in (cv.DEFAULT_DECISIONS, cv.WITH_SUGGESTIONS):
        want = reference_compute(answer_rows, coding_rows, places, codes, decisions=dec, round_label="2025",
                                 outside_labels=outside)
        got = cv.compute(iter(answer_rows), iter(coding_rows), places, codes, decisions=dec, round_label="2025",
                         outside_labels=outside)
        assert_same(got, want)
    # the kommuner RSS answers' files list (some of another län, some unknown, some repeated)
    rng = random.Random(seed)
    names = [v[0] for v in places.kommuner.values()] + ["Okänd ort"]
    speaks = [(row[6], rng.choice(names)) for row in answer_rows if row[2] == "rss" for _ in range(rng.randint(0, 3))]
    speaks += [(10 ** 9, names[0])]  # an answer outside the rows
    for dec in (cv.DEFAULT_DECISIONS, cv.WITH_SUGGESTIONS):
        want = reference_compute(answer_rows, coding_rows, places, codes, decisions=dec, speaks_for_rows=speaks)
        got = cv.compute(iter(answer_rows), iter(coding_rows), places, codes, decisions=dec,
                         speaks_for_rows=iter(speaks))
        assert_same(got, want)
        if speaks[:-1]:
            assert any(c.named_kommuner for c in got.codes.values()) or not coding_rows
    # a few codes only, and the codings in another order
    some = codes[:3]
    rows = [r for r in coding_rows if r[2] in {c[0] for c in some}][::-1]
    assert_same(cv.compute(answer_rows, rows, places, some), reference_compute(answer_rows, rows, places, some))


def test_compute_equals_the_reference_without_rows():
    places = cv.default_places()
    codes = [("a", "A", "k", "K")]
    assert_same(cv.compute([], [], places, codes), reference_compute([], [], places, codes))
    answer_rows, coding_rows, _ = random_rows(99, places)
    assert_same(cv.compute(answer_rows, [], places, codes), reference_compute(answer_rows, [], places, codes))
    assert_same(cv.compute(answer_rows, coding_rows, places, []), reference_compute(answer_rows, coding_rows, places, []))


# (respondent as written, type, question, round, text)
STORE_ANSWERS = [
    ("Region Dalarna", "region", "13a", "2024", "Vi har mobila team i hela länet som är breddinförda."),
    ("Region Dalarna", "region", "13a", "2025", "Mobila team finns nu i ett projekt."),
    ("Region Gotland", "region", "13a", "2025", "Mobila team finns i ett projekt på norra Gotland."),
    ("Region Skåne", "region", "13a", "2025", ""),
    ("Kommunerna i Uppsala län", "rss", "13a", "2025",
     "I Östhammar och i Tierps kommun finns mobila team. Region Uppsala och Uppsala län samverkar."),
    ("Kommunerna i Uppsala län", "rss", "5a", "2024", "Alla kommuner arbetar med SIP, även Enköping."),
    ("Falu kommun", "kommun", "13a", "2025", "Vi planerar mobila team."),
    ("Mora kommun", "kommun", "5a", "2025", "Inga mobila team. Vi använder SIP."),
    ("Gotlands kommun", "kommun", "5a", "2025", "SIP används."),
    ("Kommunerna i Gotlands län", "rss", "13a", "2025", "Se regionens svar om mobila team."),
    ("Vårdförbundet", None, "13a", "2025", "Mobila team behövs."),
]


class _Rows(list):
    """The store's coding rows as the code before read them (codes named by the rows)."""

    def code_set(self) -> set:
        return {row[2] for row in self}


def _old_project_coverage(store, monkeypatch, **kw) -> cv.ProjectCoverage:
    """`project_coverage` as before: the per-row reference over `ProjectStore.coverage_codings` rows."""
    with monkeypatch.context() as m:
        m.setattr(cv, "compute", reference_compute)
        m.setattr(cv, "_coding_columns", lambda store, dec, negated, codes: _Rows(
            store.coverage_codings(dec, include_negated=negated, code_ids=codes)))
        return cv.project_coverage(store, **kw)


def test_project_coverage_equals_the_reference_over_the_stores_rows(tmp_path, monkeypatch):
    store = ProjectStore(tmp_path / "p.sqlite", name="Täckning")
    try:
        for round_label in ("2024", "2025"):
            raw = [RawAnswer(n, q, t, position=i, respondent_type=typ)
                   for i, (n, typ, q, r, t) in enumerate(STORE_ANSWERS) if r == round_label]
            store.import_parsed(ParsedFile(f"svar{round_label}.txt", "txt", round_label * 16, 100, raw), resolve_raw,
                                round_label=round_label)
        sugg = []
        for a in store.answers():
            for code, word in (("mobila_team", "obila team"), ("sip", "SIP"), ("palliativ_vard", "Gotland")):
                if word in a.text:
                    s = a.text.index(word)
                    sugg.append(CodingSuggestion(a.id, code, 0, len(a.text), s, s + len(word),
                                                 negated=a.text.startswith("Inga"),
                                                 status="planerad" if "planerar" in a.text else "okänd",
                                                 scope="projekt" if "projekt" in a.text else "okänd"))
        store.replace_suggestions(sugg)
        codings = store.codings()
        assert len(codings) >= 10
        store.decide(codings[0].id, "accepted", "Anna")
        store.decide(codings[1].id, "rejected", "Anna")
        store.decide(codings[2].id, "accepted", "Bo")
        first = store.answers()[0]
        store.add_manual_coding(first.id, "sip", 0, 5, "Anna")
        places = cv.default_places()
        doc_codes = [(c.id, c.label, c.category_id, c.category_label) for cat in cv.categories(store) for c in cat.codes]
        store.add_manual_coding(first.id, "okand_kod", 0, 5, "Anna")  # a code outside the codebook
        checked = 0
        for dec in (cv.DEFAULT_DECISIONS, cv.WITH_SUGGESTIONS, ("rejected",), ("suggested", "rejected"), ()):
            for rounds in (None, "2025", ["2024", "2025"], "2023"):
                for negated in (False, True):
                    for code_ids in (None, ["mobila_team", "okand_kod", "finns_inte"], []):
                        args = dict(decisions=dec, round_label=rounds, include_negated=negated, code_ids=code_ids)
                        got = cv.project_coverage(store, **args)
                        assert_same(got, _old_project_coverage(store, monkeypatch, **args))
                        checked += sum(c.regions.n + c.lan.n + c.kommuner.n for c in got.codes.values())
        assert checked > 20  # the comparisons saw real mentions at every level
        pc = cv.project_coverage(store, decisions=cv.WITH_SUGGESTIONS, round_label="2025")
        assert pc.codes["mobila_team"].regions.mentioned == ("Region Dalarna", "Region Gotland")
        assert pc.codes["mobila_team"].other == ("Vårdförbundet",)
    finally:
        store.close()


def test_packed_codings_are_the_rows_as_columns_and_fall_back_to_rows(tmp_path, monkeypatch):
    """The store's packed read gives the same columns as its rows; too many labels, or a value written between
    reading the labels and the codings, falls back to the rows (same result)."""
    store = ProjectStore(tmp_path / "p.sqlite", name="Täckning")
    try:
        raw = [RawAnswer(n, q, t, position=i, respondent_type=typ) for i, (n, typ, q, r, t) in enumerate(STORE_ANSWERS)]
        store.import_parsed(ParsedFile("svar.txt", "txt", "a" * 64, 100, raw), resolve_raw)
        sugg = [CodingSuggestion(a.id, code, 0, len(a.text), 0, 1, status=status, scope=scope)
                for k, a in enumerate(store.answers()) if a.text
                for code, status, scope in (("mobila_team", "planerad", "okänd"), ("sip", "genomförd", ("bredd", "")[k % 2]))]
        store.replace_suggestions(sugg)
        dec = cv.WITH_SUGGESTIONS
        rows = store.coverage_codings(dec)
        packed = cv.packed_columns(store.coverage_codings_packed(dec))
        want = cv.coding_columns(rows)
        assert len(packed) == len(rows) > 10
        assert packed.ids.tolist() == want.ids.tolist() and packed.answer_ids.tolist() == want.answer_ids.tolist()
        assert [packed.code_labels[i] for i in packed.codes] == [r[2] for r in rows]
        assert [packed.status_labels[i] for i in packed.statuses] == [r[5] for r in rows]
        assert [packed.scope_labels[i] for i in packed.scopes] == [r[6] for r in rows]
        assert list(packed.starts) == [r[3] for r in rows] and list(packed.ends) == [r[4] for r in rows]
        assert store.coverage_codings_packed(dec, max_codes=1) is None  # too many codes for one CASE
        assert len(cv.packed_columns(store.coverage_codings_packed([]))) == 0
        stale = store.coverage_codings_packed(dec)
        assert cv.packed_columns((stale[0][:1], stale[1], stale[2], stale[3])) is not None
        late = store.coverage_codings_packed(dec)
        texts = list(late[3])
        texts[2] = texts[2].replace("0", "-1", 1)  # a code the labels did not have yet
        assert cv.packed_columns((late[0], late[1], late[2], tuple(texts))) is None
        want_pc = cv.project_coverage(store, decisions=dec)
        monkeypatch.setattr(store, "coverage_codings_packed", lambda *a, **k: None)
        assert_same(cv.project_coverage(store, decisions=dec), want_pc)
    finally:
        store.close()
