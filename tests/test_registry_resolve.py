"""Respondent registry: counts, official codes, naming variants and no silent guessing."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from reference import registry
from models.records import RawAnswer

ROOT = Path(__file__).resolve().parents[1]


def test_counts_21_regions_21_lan_290_kommuner():
    assert len(registry.regions()) == 21
    assert len(registry.lans()) == 21
    assert len(registry.kommuner()) == 290
    assert len(registry.rss()) == 21
    assert len({r.name for r in registry.regions()}) == 21
    assert len({k.kommun_code for k in registry.kommuner()}) == 290
    assert len({k.name for k in registry.kommuner()}) == 290


def test_lan_codes_are_the_official_ones():
    codes = [lan.lan_code for lan in registry.lans()]
    assert codes == ["01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14",
                     "17", "18", "19", "20", "21", "22", "23", "24", "25"]
    assert registry.lan_name("01") == "Stockholms län"
    assert registry.lan_name("25") == "Norrbottens län"
    assert registry.lan_name("02") is None


def test_kommuner_per_lan():
    per_lan: dict[str, int] = {}
    for k in registry.kommuner():
        per_lan[k.lan_code] = per_lan.get(k.lan_code, 0) + 1
        assert k.kommun_code[:2] == k.lan_code
    expected = {"01": 26, "03": 8, "04": 9, "05": 13, "06": 13, "07": 8, "08": 12, "09": 1, "10": 5,
                "12": 33, "13": 6, "14": 49, "17": 16, "18": 12, "19": 10, "20": 15, "21": 10, "22": 7,
                "23": 8, "24": 15, "25": 14}
    assert per_lan == expected


@pytest.mark.parametrize(
    "code, name, lan",
    [
        ("0180", "Stockholms kommun", "Stockholms län"),
        ("0380", "Uppsala kommun", "Uppsala län"),
        ("0114", "Upplands Väsby kommun", "Stockholms län"),
        ("0580", "Linköpings kommun", "Östergötlands län"),
        ("0680", "Jönköpings kommun", "Jönköpings län"),
        ("0880", "Kalmar kommun", "Kalmar län"),
        ("0980", "Gotlands kommun", "Gotlands län"),
        ("1280", "Malmö kommun", "Skåne län"),
        ("1256", "Östra Göinge kommun", "Skåne län"),
        ("1480", "Göteborgs kommun", "Västra Götalands län"),
        ("1463", "Marks kommun", "Västra Götalands län"),
        ("1880", "Örebro kommun", "Örebro län"),
        ("2023", "Malung-Sälens kommun", "Dalarnas län"),
        ("2080", "Falu kommun", "Dalarnas län"),
        ("2361", "Härjedalens kommun", "Jämtlands län"),
        ("2380", "Östersunds kommun", "Jämtlands län"),
        ("2584", "Kiruna kommun", "Norrbottens län"),
    ],
)
def test_sample_of_kommun_codes(code, name, lan):
    by_code = {k.kommun_code: k for k in registry.kommuner()}
    assert by_code[code].name == name
    assert by_code[code].lan == lan
    assert registry.resolve(code).name == name


@pytest.mark.parametrize(
    "written, name, rtype, lan",
    [
        ("Region Jämtland Härjedalen", "Region Jämtland Härjedalen", "region", "Jämtlands län"),
        ("jamtland", "Region Jämtland Härjedalen", "region", "Jämtlands län"),
        ("REGION JÄMTLAND", "Region Jämtland Härjedalen", "region", "Jämtlands län"),
        ("Jämtlands län", "Kommunerna i Jämtlands län", "rss", "Jämtlands län"),
        ("RSS Jämtland Härjedalen", "Kommunerna i Jämtlands län", "rss", "Jämtlands län"),
        ("Örebro kommun", "Örebro kommun", "kommun", "Örebro län"),
        ("orebro kommun", "Örebro kommun", "kommun", "Örebro län"),
        ("Örebro läns kommuner", "Kommunerna i Örebro län", "rss", "Örebro län"),
        ("Region Örebro läns kommuner", "Kommunerna i Örebro län", "rss", "Örebro län"),
        ("Region Örebro län", "Region Örebro län", "region", "Örebro län"),
        ("Kommunerna i Kalmar län", "Kommunerna i Kalmar län", "rss", "Kalmar län"),
        ("Region och kommuner i Västerbotten", "Kommunerna i Västerbottens län", "rss", "Västerbottens län"),
        ("VGK", "Kommunerna i Västra Götalands län", "rss", "Västra Götalands län"),
        ("VästKom", "Kommunerna i Västra Götalands län", "rss", "Västra Götalands län"),
        ("Storsthlm", "Kommunerna i Stockholms län", "rss", "Stockholms län"),
        ("Kommunförbundet Skåne", "Kommunerna i Skåne län", "rss", "Skåne län"),
        ("VGR", "Västra Götalandsregionen", "region", "Västra Götalands län"),
        ("Region Västra Götaland", "Västra Götalandsregionen", "region", "Västra Götalands län"),
        ("Region Sthlm", "Region Stockholm", "region", "Stockholms län"),
        ("Sthlms stad", "Stockholms kommun", "kommun", "Stockholms län"),
        ("Göteborgs Stad", "Göteborgs kommun", "kommun", "Västra Götalands län"),
        ("Göteborg kommun", "Göteborgs kommun", "kommun", "Västra Götalands län"),
        ("Falun", "Falu kommun", "kommun", "Dalarnas län"),
        ("Faluns kommun", "Falu kommun", "kommun", "Dalarnas län"),
        ("malung salen", "Malung-Sälens kommun", "kommun", "Dalarnas län"),
        ("Sörmland", "Region Sörmland", "region", "Södermanlands län"),
        ("Gotland", "Region Gotland", "region", "Gotlands län"),
        ("  Region   Dalarna ", "Region Dalarna", "region", "Dalarnas län"),
        ("Falun 2080", "Falu kommun", "kommun", "Dalarnas län"),
    ],
)
def test_variants_resolve_to_canonical(written, name, rtype, lan):
    r = registry.resolve(written)
    assert (r.name, r.type, r.lan, r.resolved) == (name, rtype, lan, True)
    assert r.raw_name == written.strip()


def test_type_hint_chooses_between_candidates():
    assert registry.resolve("Stockholm", type_hint="region").name == "Region Stockholm"
    assert registry.resolve("Stockholm", type_hint="kommun").name == "Stockholms kommun"
    assert registry.resolve("Stockholm", type_hint="RSS").name == "Kommunerna i Stockholms län"
    assert registry.resolve("Dalarna", type_hint="rss").name == "Kommunerna i Dalarnas län"
    assert registry.resolve("Jämtlands län", type_hint="region").name == "Region Jämtland Härjedalen"
    assert registry.resolve("Region Gotland", type_hint="kommun").name == "Gotlands kommun"
    # An explicit name is not overruled by a contradicting hint.
    assert registry.resolve("Region Dalarna", type_hint="kommun").name == "Region Dalarna"


def test_generic_rss_names_need_a_lan():
    r = registry.resolve("Länets kommuner", lan_hint="Dalarnas län")
    assert (r.name, r.type, r.lan_code, r.resolved) == ("Kommunerna i Dalarnas län", "rss", "20", True)
    assert registry.resolve("RSS", lan_hint="20").name == "Kommunerna i Dalarnas län"
    assert registry.resolve("Kommunerna i länet", lan_hint="W").name == "Kommunerna i Dalarnas län"
    r = registry.resolve("Länets kommuner")
    assert (r.resolved, r.type, r.name) == (False, "rss", "Länets kommuner")


def test_ambiguous_bare_names_are_flagged_not_guessed():
    for name in ("Örebro", "Orebro", "Uppsala", "Kalmar", "Jönköping", "Sthlm"):
        r = registry.resolve(name)
        assert not r.resolved, name
        assert r.name == name
        assert r.type is None
    # the län is certain, so it is kept for the analyst
    assert registry.resolve("Örebro").lan == "Örebro län"
    kinds = {c.type for c in registry.candidates("Uppsala")}
    assert kinds == {"region", "kommun", "rss"}


@pytest.mark.parametrize("name", ["Foo kommun", "Region Atlantis", "Kommunerna i Narnia län", "Göteborgsregionen",
                                  "Stockholm Malmö", "", "   "])
def test_unknown_names_kept_as_written_and_flagged(name):
    r = registry.resolve(name, type_hint="kommun", lan_hint="Skåne")
    assert r.resolved is False
    assert r.name == name.strip()
    assert r.type == "kommun"
    assert r.lan == "Skåne län"
    assert r.kommun_code is None


def test_no_fuzzy_guessing_but_suggestions():
    r = registry.resolve("Region Dalrna")
    assert not r.resolved
    assert registry.suggest("Region Dalrna")[0].name == "Region Dalarna"


def test_resolve_raw_uses_answer_hints():
    raw = RawAnswer(respondent="Länets kommuner", question="5a", text="x", respondent_type="rss", lan="Kalmar län")
    assert registry.resolve_raw(raw).name == "Kommunerna i Kalmar län"


def test_lookup_helpers():
    assert registry.rss_for_lan("08").name == "Kommunerna i Kalmar län"
    assert registry.rss_for_lan("Kalmar län").lan_code == "08"
    assert registry.region_for_lan("14").name == "Västra Götalandsregionen"
    assert registry.resolve_lan("Dalarna").code == "20"
    assert registry.resolve_lan("W").code == "20"
    assert registry.resolve_lan("Region Jämtland Härjedalen").code == "23"
    assert registry.resolve_lan("Atlantis") is None
    with pytest.raises(KeyError):
        registry.rss_for_lan("02")


def test_regions_have_official_names():
    names = {r.name for r in registry.regions()}
    for n in ("Region Stockholm", "Region Uppsala", "Region Sörmland", "Västra Götalandsregionen",
              "Region Gotland", "Region Jämtland Härjedalen", "Region Västernorrland", "Region Örebro län",
              "Region Jönköpings län", "Region Kalmar län", "Region Dalarna"):
        assert n in names


def test_registry_files_are_consistent():
    with open(ROOT / "data" / "registry" / "kommuner.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 290
    assert all(len(r["kommunkod"]) == 4 and r["kommunkod"].isdigit() for r in rows)
    assert all(r["kommun"].endswith(" kommun") for r in rows)


@pytest.mark.parametrize(
    "written, name",
    [
        ("Mora kommun, Dalarnas län", "Mora kommun"),
        ("Svar från Region Dalarna", "Region Dalarna"),
        ("Kommunerna i Kalmar län (RSS)", "Kommunerna i Kalmar län"),
        ("Göteborgs Stad, Västra Götalands län", "Göteborgs kommun"),
    ],
)
def test_explicit_name_inside_a_longer_string(written, name):
    r = registry.resolve(written)
    assert r.resolved and r.name == name


@pytest.mark.parametrize("written", ["Mora kommun, Kalmar län", "Region Dalarna och Region Gävleborg", "Sverige"])
def test_conflicting_or_no_names_inside_stay_unresolved(written):
    r = registry.resolve(written)
    assert not r.resolved and r.name == written


def _strip(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def test_every_entry_resolves_from_its_own_name_and_plain_spellings():
    for entry in registry.regions() + registry.rss() + registry.kommuner():
        plain = _strip(entry.name).lower()
        if entry.name == "Håbo kommun":
            plain = "habo kommun"
            assert registry.resolve(plain).name == "Habo kommun"  # the other kommun's exact spelling
            continue
        for written in (entry.name, entry.name.upper(), plain):
            r = registry.resolve(written)
            assert (r.name, r.type, r.lan_code, r.resolved) == (entry.name, entry.type, entry.lan_code, True), written


def test_every_kommun_resolves_from_short_name_kommun_and_stad_forms():
    reg = registry.default_registry()
    both = {"Stockholm", "Uppsala", "Jönköping", "Kalmar", "Örebro"}  # also a region's short name
    for k in reg.kommuner.values():
        for written in (f"{k.short} kommun", f"{k.short} stad", k.code):
            assert registry.resolve(written).kommun_code == k.code, written
        bare = registry.resolve(k.short)
        if k.short in both:
            assert not bare.resolved and registry.resolve(k.short, type_hint="kommun").kommun_code == k.code
        elif k.short == "Gotland":
            assert bare.name == "Region Gotland"
        else:
            assert bare.kommun_code == k.code, k.short


def test_every_lan_resolves_to_its_rss_and_with_hint_to_its_region():
    for lan in registry.lans():
        assert registry.resolve(lan.name).name == registry.rss_for_lan(lan.lan_code).name
        assert registry.resolve(lan.name, type_hint="region").name == registry.region_for_lan(lan.lan_code).name
        assert registry.resolve_lan(lan.lan_code).name == lan.name


def test_names_differing_only_in_diacritics_are_kept_apart():
    assert registry.resolve("Håbo kommun").kommun_code == "0305"
    assert registry.resolve("Habo kommun").kommun_code == "0643"
    assert registry.resolve("HÅBO").kommun_code == "0305"
    assert registry.find_in_text("Svar från Håbo kommun").kommun_code == "0305"
    assert registry.find_in_text("Svar från Habo kommun").kommun_code == "0643"


@pytest.mark.parametrize("written", ["Region Västerbotten (RSS)", "Region Västerbotten RSS", "Västerbotten (RSS)",
                                     "Region Västerbotten – kommunerna", "Västerbotten (kommunerna)",
                                     "Regional samverkans- och stödstruktur Västerbotten"])
def test_a_region_or_lan_name_that_says_rss_or_kommunerna_is_the_lans_rss(written):
    r = registry.resolve(written)
    assert (r.name, r.type, r.resolved) == ("Kommunerna i Västerbottens län", "rss", True)
    if written.startswith("Region "):  # a type given with the name (a "typ" column) still decides
        assert registry.resolve(written, type_hint="region").type == "region"


def test_rss_words_do_not_turn_a_kommun_or_a_plain_region_into_an_rss():
    assert registry.resolve("Umeå kommun (RSS)").type == "kommun"
    assert registry.resolve("Region Västerbotten").type == "region"
    assert not registry.resolve("Kommunerna").resolved  # which län's: unknown without a hint
