"""Finding the respondent in a header, first paragraph or file name."""
from __future__ import annotations

import pytest

from reference.registry import find_in_text


@pytest.mark.parametrize(
    "text, name",
    [
        ("Svar från Region Dalarna", "Region Dalarna"),
        ("Kommunerna i Kalmar län – slutredovisning", "Kommunerna i Kalmar län"),
        ("region_dalarna_2022.docx", "Region Dalarna"),
        ("Falun.pdf", "Falu kommun"),
        ("svar_mora_2022_v2.docx", "Mora kommun"),
        ("dalarna.txt", "Region Dalarna"),
        ("Slutredovisning 2022 – RSS Jämtland Härjedalen", "Kommunerna i Jämtlands län"),
        ("Redovisning från Region Örebro läns kommuner, december 2022", "Kommunerna i Örebro län"),
        ("VGK_svar_slutredovisning.xlsx", "Kommunerna i Västra Götalands län"),
        ("Respondent: Göteborgs Stad\nKontaktperson: Anna", "Göteborgs kommun"),
        ("Mora kommun, Dalarnas län", "Mora kommun"),
    ],
)
def test_finds_named_respondent(text, name):
    r = find_in_text(text)
    assert r is not None and r.name == name


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Slutredovisning av kommunernas arbete inom ramen för god och nära vård 2022",
        "Vi har infört mobila team i hela länet och det ska vara kommunernas ansvar.",
        "Kalmar.pdf",  # Region Kalmar län or Kalmar kommun: not guessed
        "svar_2022.docx",
        "Inom hemsjukvården har vi sett att mark och berg påverkar restider.",
    ],
)
def test_finds_nothing_when_unclear(text):
    assert find_in_text(text) is None


@pytest.mark.parametrize(
    "text, raw",
    [
        ("Svar från Region Dalarna", "Region Dalarna"),
        ("region_dalarna_2022.docx", "region_dalarna"),
        ("Redovisning från Region Örebro läns kommuner, december 2022", "Region Örebro läns kommuner"),
        ("svar_mora_2022_v2.docx", "mora"),
        ("Svar från Sthlms stad", "Sthlms stad"),
    ],
)
def test_raw_name_is_the_span_as_written_and_resolves_again(text, raw):
    from reference.registry import resolve

    r = find_in_text(text)
    assert r.raw_name == raw
    assert resolve(r.raw_name, type_hint=r.type).name == r.name


@pytest.mark.parametrize("text", ["Region_Vasterbotten_RSS_2022.docx", "Region Västerbotten (RSS) – slutredovisning 2022",
                                  "vasterbotten_kommunerna_2022.pdf"])
def test_a_short_title_or_file_name_that_says_rss_is_the_lans_rss(text):
    from reference.registry import resolve

    r = find_in_text(text)
    assert (r.name, r.type) == ("Kommunerna i Västerbottens län", "rss")
    assert resolve(r.raw_name, type_hint=r.type).name == r.name


def test_rss_named_in_a_longer_text_leaves_the_region():
    text = "Svar från Region Västerbotten. Vi arbetar med RSS i länet kring mobila team, och kommunerna deltar."
    assert find_in_text(text).type == "region"
