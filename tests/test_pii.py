"""Personal data detection (nlp/pii.py): each pattern, its variants, and near misses."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp.pii import KINDS, find_pii, luhn_ok, mask


def kinds_and_texts(text: str) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in find_pii(text)]


def with_check_digit(nine: str) -> str:
    """Append the Luhn check digit to nine digits (YYMMDDNNN)."""
    for d in "0123456789":
        if luhn_ok(nine + d):
            return nine + d
    raise AssertionError("unreachable")


# --------------------------------------------------------------- e-mail
@pytest.mark.parametrize("email", [
    "anna.svensson@regionvasterbotten.se",
    "registrator@orebro.se",
    "first+tag@sub.domain.example.org",
    "Karin_Öberg@kommun.se",
    "sip-samordnare@rss-jamtland.nu",
])
def test_email_found_in_sentence(email):
    text = f"Kontakta {email}. Tack!"
    assert kinds_and_texts(text) == [("email", email)]
    assert mask(text) == "Kontakta [e-post]. Tack!"


@pytest.mark.parametrize("text", [
    "Följ oss på @regionen och #godochnaravard",
    "adressen info@ saknas",
    "x@y och a.b@c",
    "foo@bar.",
])
def test_email_near_misses(text):
    assert find_pii(text, ["email"]) == []


# --------------------------------------------------------------- phone
@pytest.mark.parametrize("phone", [
    "070-123 45 67",
    "0701234567",
    "070 123 45 67",
    "073-1234567",
    "073 - 123 45 67",
    "070–123 45 67",
    "+46 70 123 45 67",
    "+46701234567",
    "0046 70 123 45 67",
    "+46 (0)8 123 456 78",
    "08-123 456 78",
    "08-12 34 56",
    "(08) 123 45 67",
    "031-12 34 56",
    "031-123 45 67",
    "0910-123 45",
    "0771-11 77 77",
])
def test_swedish_phone_formats(phone):
    text = f"Ring {phone} under kontorstid."
    assert kinds_and_texts(text) == [("phone", phone)]
    assert mask(text) == "Ring [telefon] under kontorstid."


@pytest.mark.parametrize("text,expected", [
    ("tel:070-123 45 67", "070-123 45 67"),
    ("Tel.070-123 45 67", "070-123 45 67"),
    ("Tfn 08-123 456 78.", "08-123 456 78"),
    ("pnr:811218-9876", "811218-9876"),
])
def test_numbers_glued_to_a_label(text, expected):
    assert [s.text for s in find_pii(text)] == [expected]


def test_long_answer_with_many_numbers_is_scanned_fully():
    filler = "Under 2019–2023 ökade antalet besök med 12 345 (dnr 2021-00456). " * 400
    text = filler + "Kontakt: 070-123 45 67, pnr 811218-9876." + filler
    assert [s.kind for s in find_pii(text)] == ["phone", "personnummer"]


def test_phone_followed_by_a_year_keeps_only_the_number():
    assert kinds_and_texts("tel 0771-11 77 77 2022") == [("phone", "0771-11 77 77")]
    assert kinds_and_texts("ring 08-123 456 78, alt. 08-765 432 10.") == [
        ("phone", "08-123 456 78"), ("phone", "08-765 432 10")]


@pytest.mark.parametrize("text", [
    "Beslut 2022-03-15 om mobila team",
    "Datum 15-03-2022 och 01-03-2022",
    "Dnr RS 2019-00123 och S2022/01234 samt 05-2021-00123",
    "Arbetet pågår 2019–2023, se 2019-2023",
    "Kommunkoder 0180 0181 och 0180-0182, 1480",
    "Ring 1177 eller 112",
    "Öppet 08-16 vardagar, kl 08.00-17.00, kl. 10:0812345",
    "Budget 3 500 000 kr, varav 0,5 mkr",
    "SE-851 86 Sundsvall",
    "Version 1.2.3, ISBN 978-91-7000-123-4, version 1.2.0701234567",
    "Diarienummer 2022-0345 och avtal 03-0456-789",
    "070-123",  # too short
    "070-123 45 67 89",  # too long for a mobile number
])
def test_phone_near_misses(text):
    assert find_pii(text) == []


# --------------------------------------------------------- personnummer
@pytest.mark.parametrize("pnr", [
    "811218-9876",
    "19811218-9876",
    "198112189876",
    "8112189876",
    "811218+9876",  # over 100 years old
])
def test_personnummer_formats_with_luhn(pnr):
    text = f"Patienten ({pnr}) fick en SIP."
    assert kinds_and_texts(text) == [("personnummer", pnr)]
    assert mask(text) == "Patienten ([personnummer]) fick en SIP."


def test_samordningsnummer_day_plus_60():
    samnr = with_check_digit("701063" + "239")
    assert kinds_and_texts(f"samordningsnummer {samnr[:6]}-{samnr[6:]}") == [
        ("samordningsnummer", f"{samnr[:6]}-{samnr[6:]}")]
    assert mask(f"nr {samnr[:6]}-{samnr[6:]}") == "nr [personnummer]"


@pytest.mark.parametrize("text", [
    "811218-9875",      # wrong check digit
    "19811218-9875",
    "811318-9876",      # month 13
    "810230-1234",      # 30 February
    "20220315",         # a date, no serial
    "Org.nr 232100-0016 och 212000-0142",  # organisationsnummer (month 20+)
    "701093-2391",      # samordningsnummer day 33
    "12345678901234",   # long digit run
])
def test_personnummer_near_misses(text):
    assert find_pii(text, ["personnummer", "samordningsnummer"]) == []


def test_luhn_rejects_every_wrong_check_digit():
    base = "811218987"
    good = with_check_digit(base)
    for d in "0123456789":
        pnr = f"{base[:6]}-{base[6:]}{d}"
        assert bool(find_pii(pnr)) == (base + d == good)


# -------------------------------------------------------------- mixed text
def test_mixed_answer_masks_everything_and_keeps_the_rest():
    text = ("Kontaktperson Anna (anna.s@region.se, 070-123 45 67) samordnar SIP för "
            "patient 19811218-9876 sedan 2022-03-15; ring 1177 vid frågor. Dnr RS 2019-00123.")
    found = find_pii(text)
    assert [s.kind for s in found] == ["email", "phone", "personnummer"]
    for s in found:
        assert text[s.start:s.end] == s.text
    assert mask(text) == ("Kontaktperson Anna ([e-post], [telefon]) samordnar SIP för "
                          "patient [personnummer] sedan 2022-03-15; ring 1177 vid frågor. Dnr RS 2019-00123.")
    assert mask(text, kinds=["email"]).startswith("Kontaktperson Anna ([e-post], 070-123 45 67)")


def test_unknown_kind_is_an_error_and_empty_text_is_fine():
    with pytest.raises(ValueError):
        find_pii("x", ["namn"])
    assert find_pii("") == [] and mask("") == ""


# ------------------------------------------------------------- properties
@st.composite
def valid_pnr(draw):
    born = draw(st.dates(min_value=date(1910, 1, 1), max_value=date(2023, 12, 31)))
    serial = draw(st.integers(0, 999))
    coordination = draw(st.booleans())
    day = born.day + (60 if coordination else 0)
    nine = f"{born:%y%m}{day:02d}{serial:03d}"
    ten = with_check_digit(nine)
    style = draw(st.sampled_from(["dash", "long", "longdash"]))
    if style == "dash":
        shown = f"{ten[:6]}-{ten[6:]}"
    elif style == "long":
        shown = f"{born.year // 100}{ten}"
    else:
        shown = f"{born.year // 100}{ten[:6]}-{ten[6:]}"
    return shown, "samordningsnummer" if coordination else "personnummer"


COUNTS = {"valid_pnr": 0, "wrong_luhn": 0, "dates": 0, "phones": 0}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_pnr(), st.integers(1, 9))
def test_every_valid_number_is_found_and_every_wrong_check_digit_is_not(item, delta):
    shown, kind = item
    COUNTS["valid_pnr"] += 1
    assert kinds_and_texts(f"Nr: {shown}.") == [(kind, shown)]
    wrong = shown[:-1] + str((int(shown[-1]) + delta) % 10)
    COUNTS["wrong_luhn"] += 1
    assert find_pii(f"Nr: {wrong}.") == []


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 31)),
       st.sampled_from(["{d:%Y-%m-%d}", "{d:%d-%m-%Y}", "{d:%Y%m%d}", "{d:%d/%m/%Y}", "{d:%Y}–{e:%Y}",
                        "{d:%Y-%m-%d} {d:%H:%M}"]))
def test_dates_and_years_are_never_personal_data(d, fmt):
    COUNTS["dates"] += 1
    text = "Beslutades " + fmt.format(d=d, e=d + timedelta(days=800)) + " i nämnden."
    assert find_pii(text) == []


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["70", "72", "73", "76", "79"]), st.integers(1_000_000, 9_999_999),  # subscriber numbers never start with 0
      
       st.sampled_from(["0{a}-{b3} {b2} {b2b}", "0{a}{b7}", "+46 {a} {b3} {b2} {b2b}", "0{a} {b3} {b2} {b2b}"]))
def test_generated_mobile_numbers_are_found(area, number, fmt):
    COUNTS["phones"] += 1
    b7 = f"{number:07d}"
    shown = fmt.format(a=area, b7=b7, b3=b7[:3], b2=b7[3:5], b2b=b7[5:])
    assert kinds_and_texts(f"Mobil {shown}, dagtid.") == [("phone", shown)]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_mask_never_leaves_a_detection_and_spans_are_ordered(text):
    spans = find_pii(text)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
    assert all(s.kind in KINDS and text[s.start:s.end] == s.text for s in spans)
    masked = mask(text)
    for s in find_pii(masked):
        assert s.text not in [x.text for x in spans]


def test_zz_print_figures():
    print(f"\nPII property inputs tried: {COUNTS}")
