"""Deterministic generator of a national-scale answer corpus for the benchmark.

A national round is 21 regions and 290 kommuner answering the form's free-text questions
(and the comments of its closed questions): about 8,000 answers and over a million words.
The text is built from Swedish sentence templates and phrase banks about nära vård measures
(mobila team, SIP, patientkontrakt, egenmonitorering, ...), with negations, status and scope,
and a realistic vocabulary: place and organisation names, numbers, dates, inflected verbs,
and a long tail of compounds built from domain morphemes with linking -s-/-e- (hemsjukvårds|
team, trygghets|larmet, levnadsvane|samtalen), so that no cache is flattered by repeated text.

Everything is seeded: the same seed and scale give the same answers, files and passages.
Each answer has its own random stream (keyed by seed, round, respondent and question), so a
smaller scale is a prefix of a larger one.

API
---
    respondents() -> list[BenchRespondent]              every region and kommun (registry if present)
    free_questions() -> list[Question]                  questions answered with text (+ closed ones)
    generate(scale=1.0, seed=SEED) -> Corpus            answers in memory
    write_files(corpus, folder) -> list[Path]           docx (Word form), xlsx (wide), csv (long)
    write_passages(path, words=1_200_000, seed=...) -> dict   PASSAGES.jsonl for `cli.py tag --in`
    vocabulary(texts) -> Counter                        word types (lower-case) of texts

Command line: `python -m bench.corpus OUT_DIR [--scale N] [--seed S] [--passages]`.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import random
import re
import sys
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from models.records import Question  # noqa: E402

SEED = 2022
FIRST_YEAR = 2022
MIN_WORDS, MAX_WORDS = 50, 400
# Share of compounds coined afresh (uniform parts, nearly all unique): with it ×1 holds >= 70,000 word types,
# most of them compounds seen once, like a national round (measured 76,823 types on 1.2 M words).
NEW_COMPOUND_SHARE = 0.7
MEASURE_WHERE_SHARE = 0.4  # a measure named with the unit it runs in ("... inom hemsjukvårdsteamen")
MEDIAN_WORDS = 128          # lognormal median of an answer's length
SIGMA_WORDS = 0.55

# (län, region, number of kommuner): fallback when reference.registry is not there yet.
LANS: list[tuple[str, str, int]] = [
    ("Stockholms län", "Region Stockholm", 26), ("Uppsala län", "Region Uppsala", 8),
    ("Södermanlands län", "Region Sörmland", 9), ("Östergötlands län", "Region Östergötland", 13),
    ("Jönköpings län", "Region Jönköpings län", 13), ("Kronobergs län", "Region Kronoberg", 8),
    ("Kalmar län", "Region Kalmar län", 12), ("Gotlands län", "Region Gotland", 1),
    ("Blekinge län", "Region Blekinge", 5), ("Skåne län", "Region Skåne", 33),
    ("Hallands län", "Region Halland", 6), ("Västra Götalands län", "Västra Götalandsregionen", 49),
    ("Värmlands län", "Region Värmland", 16), ("Örebro län", "Region Örebro län", 12),
    ("Västmanlands län", "Region Västmanland", 10), ("Dalarnas län", "Region Dalarna", 15),
    ("Gävleborgs län", "Region Gävleborg", 10), ("Västernorrlands län", "Region Västernorrland", 7),
    ("Jämtlands län", "Region Jämtland Härjedalen", 8), ("Västerbottens län", "Region Västerbotten", 15),
    ("Norrbottens län", "Region Norrbotten", 14),
]


# --------------------------------------------------------------------------- respondents
@dataclass(frozen=True)
class BenchRespondent:
    """A respondent of the generated corpus: its canonical name, type and län."""

    name: str
    type: str  # "region" | "kommun"
    lan: str


def _get(obj, *names):
    for n in names:
        if isinstance(obj, dict) and obj.get(n):
            return obj[n]
        if getattr(obj, n, None):
            return getattr(obj, n)
    return None


def _from_registry() -> Optional[list[BenchRespondent]]:
    try:
        from reference import registry  # type: ignore
    except Exception:
        return None
    try:
        lan_names: dict[str, str] = {}
        try:
            for lan in registry.lans():
                code, name = _get(lan, "code", "lan_code"), _get(lan, "name")
                if code and name:
                    lan_names[str(code)] = str(name)
        except Exception:
            pass

        def lan_of(x) -> str:
            lan = _get(x, "lan", "lan_name")
            if isinstance(lan, str) and lan:
                return lan
            code = _get(x, "lan_code")
            return lan_names.get(str(code), str(code or ""))

        regions = [BenchRespondent(str(_get(r, "name")), "region", lan_of(r)) for r in registry.regions()]
        kommuner = [BenchRespondent(str(_get(k, "name")), "kommun", lan_of(k)) for k in registry.kommuner()]
    except Exception:
        return None
    if len(regions) != 21 or len(kommuner) != 290 or not all(r.lan for r in regions + kommuner):
        return None
    return regions + kommuner


def _fallback_respondents() -> list[BenchRespondent]:
    out = [BenchRespondent(region, "region", lan) for lan, region, _ in LANS]
    for li, (lan, _, n) in enumerate(LANS):
        for k in range(n):
            out.append(BenchRespondent(f"{_place(li * 100 + k, 0)} kommun", "kommun", lan))
    return out


def respondents() -> list[BenchRespondent]:
    """Every region (21) and kommun (290): from `reference.registry` when it is there, else built in.

    Ordered so that any prefix mixes regions and kommuner of many län (a small scale is a prefix).
    """
    people = _from_registry() or _fallback_respondents()
    rng = random.Random(SEED)
    regions = [p for p in people if p.type == "region"]
    kommuner = [p for p in people if p.type == "kommun"]
    rng.shuffle(regions)
    rng.shuffle(kommuner)
    out: list[BenchRespondent] = []
    step = max(1, round(len(kommuner) / max(1, len(regions))))
    ki = 0
    for r in regions:
        out.append(r)
        out.extend(kommuner[ki:ki + step])
        ki += step
    out.extend(kommuner[ki:])
    return out


def free_questions() -> list[Question]:
    """Questions of the kommun form (from reference.forms when present): all are answered with text;
    closed questions get a checked option and a comment."""
    from importers.forms_compat import kommun_form

    return list(kommun_form())


# --------------------------------------------------------------------------- phrase banks
# Measure descriptions (noun phrases, as an official would write them), by measure type.
MEASURES: dict[str, list[str]] = {
    "mobila_team": ["mobila team", "ett mobilt närvårdsteam", "mobila hemsjukvårdsteam", "ett mobilt läkarteam",
                    "mobil närsjukvård", "ett gemensamt mobilt team med regionen", "mobila geriatriska team",
                    "ett trygghetsteam som åker hem till patienten", "hembesök av läkare och distriktssköterska tillsammans",
                    "mobil hemsjukvårdsläkare dygnet runt"],
    "sip": ["samordnad individuell plan (SIP)", "fler SIP:ar", "SIP-möten på distans", "samordnade individuella planer",
            "en SIP-samordnare i varje kommun", "digitala SIP-möten", "utbildning i SIP för biståndshandläggare",
            "gemensamma planeringsmöten där kommun och region gör en plan med den enskilde"],
    "patientkontrakt": ["patientkontrakt", "ett patientkontrakt för personer med många kontakter",
                        "gemensam planering med patienten i form av patientkontrakt",
                        "överenskommelser med patienten om vem som gör vad",
                        "en sammanhållen plan som patienten själv äger", "patientkontraktet i 1177"],
    "egenmonitorering": ["egenmonitorering", "digital egenmonitorering för patienter med hjärtsvikt",
                         "egenmätning av blodtryck i hemmet", "egenmonitorering med surfplatta och mätutrustning",
                         "en lösning där patienterna själva registrerar sina mätvärden i en app",
                         "distansmonitorering av syremättnad"],
    "fast_kontakt": ["fast vårdkontakt", "fast läkarkontakt", "en namngiven fast omsorgskontakt",
                     "fast kontaktperson i hemtjänsten", "fasta vårdkontakter för multisjuka äldre",
                     "en fast läkare på varje särskilt boende"],
    "digitala_vardbesok": ["digitala vårdbesök", "videobesök", "digitala vårdmöten", "distansbesök via surfplatta",
                           "digitala läkarbesök på särskilt boende", "chattfunktion i 1177", "digitala ronder"],
    "halsosamtal": ["hälsosamtal", "hälsosamtal för 75-åringar", "hälsosamtal för 40-, 50- och 60-åringar",
                    "förebyggande hembesök hos äldre", "hälsofrämjande samtal om levnadsvanor"],
    "fallprevention": ["fallprevention", "fallförebyggande arbete", "balansträning i grupp",
                       "fallriskbedömningar vid inskrivning", "fallförebyggande hembesök",
                       "Fysisk aktivitet på recept (FaR)", "styrke- och balansträning för äldre"],
    "lakemedel": ["läkemedelsgenomgångar", "fördjupade läkemedelsgenomgångar", "läkemedelsrobotar i hemtjänsten",
                  "en gemensam rutin för läkemedelshantering", "farmaceutstöd till sjuksköterskorna"],
    "utskrivning": ["trygg och effektiv utskrivning", "samordnad utskrivningsplanering", "trygg hemgång",
                    "ett hemgångsteam", "en gemensam rutin för utskrivning från slutenvården",
                    "förstärkt hemgång med extra stöd de första dygnen"],
    "valfardsteknik": ["välfärdsteknik", "digital tillsyn nattetid", "trygghetslarm med GPS",
                       "digitala signeringslistor", "läkemedelsautomater", "sensorer i hemmet", "kameratillsyn",
                       "digitala nyckelfria lås"],
    "palliativ": ["palliativ vård i hemmet", "ett palliativt team", "palliativa ombud", "brytpunktssamtal",
                  "utbildning i palliativ vård", "ett palliativt konsultteam"],
    "demens": ["ett demensteam", "ett demensteam med specialistsjuksköterska", "anhörigstöd vid demenssjukdom",
               "BPSD-registrering", "registrering i Svenskt demensregister", "minnesmottagningar"],
    "proaktiv": ["proaktiva arbetssätt för de mest sjuka äldre", "riskbedömning med prediktionsverktyg",
                 "uppsökande arbete mot personer med hög vårdkonsumtion", "en äldremottagning",
                 "strukturerade vårdplaner för multisjuka", "tidiga insatser för sköra äldre"],
    "samverkan": ["en länsgemensam ledningsgrupp", "gemensamma samverkansforum på lokal nivå",
                  "en ny samverkansöverenskommelse", "gemensamma utbildningsdagar för region och kommun",
                  "verksamhetsnära samverkan", "lokala närvårdsråd", "gemensamma arbetsgrupper per vårdcentral"],
    "psykisk": ["första linjens psykiatri", "stöd vid psykisk ohälsa", "suicidpreventivt arbete",
                "samverkan kring samsjuklighet", "utbildningar i första hjälpen till psykisk hälsa"],
    "barn_unga": ["en familjecentral", "samverkan med elevhälsan", "BUP-konsultationer på vårdcentralen",
                  "tidiga insatser för barn och unga", "en ungdomsmottagning på nätet"],
    "glesbygd": ["vårdpunkter i glesbygd", "en mobil vårdenhet", "hälsokiosker på landsbygden", "digitala vårdrum",
                 "distriktssköterskemottagningar i mindre orter", "en vårdbuss som besöker byarna"],
    "utsatta": ["hälsokommunikatörer", "hälsoinformatörer i utsatta områden", "uppsökande verksamhet på flera språk",
                "samhällsorientering om vården", "tolkstöd vid vårdbesök"],
    "kompetens": ["kompetensutveckling", "specialistsjuksköterskeutbildning med bibehållen lön",
                  "en gemensam introduktion för nyanställda", "kliniska utbildningsavdelningar",
                  "vidareutbildning av undersköterskor", "karriärvägar för sjuksköterskor",
                  "handledning av studenter", "en utbildningsanställning för undersköterskor"],
    "arbetsmiljo": ["ledarskapsutbildning för första linjens chefer", "ett arbetsmiljöprojekt", "heltid som norm",
                    "schemaläggning med större inflytande", "färre medarbetare per chef"],
    "resurser": ["en ny ersättningsmodell", "gemensam finansiering av tjänster",
                 "omfördelning av resurser till hemsjukvården", "en resursfördelningsmodell",
                 "utökade tjänster för sjuksköterskor nattetid"],
    "uppfoljning": ["gemensamma indikatorer", "en uppföljningsmodell", "brukarundersökningar",
                    "mätningar av undvikbar slutenvård", "en årlig enkät till kommunerna", "en baslinjemätning"],
    "malbild": ["en länsgemensam målbild", "en gemensam handlingsplan", "en färdplan för nära vård",
                "lokala handlingsplaner", "en kommunspecifik handlingsplan"],
    "info": ["sammanhållen journalföring", "Nationell patientöversikt (NPÖ)", "ett gemensamt IT-stöd för vårdplanering",
             "gemensam journalföring", "digital informationsöverföring vid in- och utskrivning"],
    "egenvard": ["patientutbildning", "egenvårdsstöd", "diabetesskola", "KOL-skola", "digitala egenvårdsprogram"],
    "brukar": ["brukarråd", "invånardialoger", "patientföreträdare i arbetsgrupper",
               "samverkan med pensionärsorganisationer", "fokusgrupper med anhöriga"],
    "ambulans": ["en bedömningsbil", "ambulanssjuksköterskor som bedömer i hemmet",
                 "alternativa vårdnivåer för ambulansen", "en akutbil med sjuksköterska"],
}
MEASURE_KEYS = sorted(MEASURES)

# Question id → the measure types its answers usually describe.
QUESTION_THEMES: dict[str, list[str]] = {
    "1": ["malbild", "samverkan"], "2": ["malbild", "uppfoljning"], "3": ["uppfoljning", "malbild", "samverkan"],
    "4": ["malbild"], "5a": ["sip", "fast_kontakt", "patientkontrakt", "mobila_team", "demens"],
    "5b": ["uppfoljning", "sip", "fast_kontakt"], "6": ["egenmonitorering", "digitala_vardbesok", "valfardsteknik", "info"],
    "7": ["glesbygd", "utsatta", "digitala_vardbesok"], "8a": ["patientkontrakt", "fast_kontakt", "sip", "egenvard"],
    "8b": ["uppfoljning", "patientkontrakt"], "9a": ["brukar"], "9b": ["brukar", "egenvard"],
    "10a": ["samverkan", "utskrivning", "info", "mobila_team"], "10b": ["samverkan", "uppfoljning"],
    "11a": ["halsosamtal", "fallprevention", "psykisk", "barn_unga", "egenvard"],
    "11b": ["uppfoljning", "fallprevention", "halsosamtal"], "12a": ["resurser", "mobila_team", "lakemedel"],
    "12b": ["resurser", "uppfoljning"], "13a": ["proaktiv", "mobila_team", "palliativ", "ambulans", "utskrivning"],
    "13b": ["uppfoljning", "proaktiv"], "14": MEASURE_KEYS, "15a": ["kompetens", "arbetsmiljo"],
    "15b": ["kompetens", "uppfoljning"], "16a": ["kompetens"], "16b": ["kompetens", "uppfoljning"],
}

TARGETS = [
    "äldre med omfattande behov", "de mest sjuka äldre", "personer med kroniska sjukdomar", "multisjuka äldre",
    "barn och unga", "personer med psykisk ohälsa", "personer med demenssjukdom", "patienter med hjärtsvikt",
    "patienter med KOL", "personer med diabetes", "personer med funktionsnedsättning", "invånare i glesbygd",
    "nyanlända", "personer i socioekonomiskt utsatta områden", "personer med beroendeproblematik", "anhöriga",
    "personer i livets slutskede", "patienter inskrivna i hemsjukvården", "boende på särskilt boende",
    "personer som ofta söker akutmottagningen", "unga vuxna", "personer med långvarig smärta",
]
ACTORS = [
    "Kommunen", "Regionen", "Vi", "Länets kommuner", "Hemsjukvården", "Socialförvaltningen",
    "Vård- och omsorgsförvaltningen", "Primärvården", "Äldreomsorgen", "Den kommunala hälso- och sjukvården",
    "Förvaltningen", "Arbetsgruppen för nära vård", "Ledningsgruppen", "Medicinskt ansvarig sjuksköterska",
    "Närvårdssamverkan", "Socialnämnden", "Regionens närsjukvårdsområde", "Vårdcentralerna",
]
PARTNERS = [
    "regionen", "länets kommuner", "vårdcentralerna", "hemtjänsten", "elevhälsan", "ambulanssjukvården",
    "slutenvården", "psykiatrin", "civilsamhället", "pensionärsorganisationerna", "FoU-enheten",
    "Länsstyrelsen", "Försäkringskassan", "Arbetsförmedlingen", "frivilligorganisationer", "tandvården",
]
EVIDENCE = [
    "statistik från Kolada", "data ur journalsystemet", "en enkät till medarbetarna", "intervjuer med patienter",
    "registreringar i Senior alert", "en journalgranskning", "Öppna jämförelser", "Nationell patientenkät",
    "egen uppföljning i verksamhetssystemet", "en extern utvärdering", "fokusgrupper med brukare",
    "månadsvisa avvikelserapporter", "uppgifter från regionens beslutsstöd",
]
OUTCOMES = [
    "antalet återinskrivningar inom 30 dagar", "antalet undvikbara slutenvårdstillfällen",
    "antalet besök på akutmottagningen", "väntetiden till vårdcentralen", "andelen patienter med SIP",
    "andelen nöjda brukare", "antalet fallolyckor", "personalomsättningen", "sjukfrånvaron",
    "antalet hembesök", "antalet utskrivningsklara dagar", "andelen med fast vårdkontakt",
    "antalet ambulansuppdrag", "andelen genomförda läkemedelsgenomgångar", "antalet trycksår",
]
FREQ = ["varje månad", "kvartalsvis", "två gånger per år", "en gång per år", "löpande", "varje vecka",
        "i samband med delårsbokslutet", "i den årliga verksamhetsberättelsen"]
PERIODS = ["våren {y}", "hösten {y}", "första kvartalet {y}", "andra halvåret {y}", "{y}", "{y}–{y2}",
           "under {y}", "från och med {m} {y}"]
MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december"]
ADVERBS = ["successivt", "gradvis", "systematiskt", "tydligt", "kontinuerligt", "i stor utsträckning",
           "i viss mån", "fortsatt", "aktivt", "strukturerat", "långsiktigt", "delvis", "huvudsakligen"]
CONNECTORS = ["Dessutom", "Vidare", "Parallellt med detta", "Under året", "Samtidigt", "Utöver detta",
              "I linje med detta", "Som ett led i omställningen", "Inom ramen för överenskommelsen",
              "Sammantaget", "Därtill", "Framöver", "I nuläget", "Under hösten", "Under våren"]
REASONS = ["resurserna inte räcker", "det saknas sjuksköterskor", "frågan har inte prioriterats",
           "IT-stödet inte är på plats", "avtalet med regionen inte är klart", "pandemin försenade arbetet",
           "finansieringen är oklar", "ansvarsfördelningen behöver utredas vidare"]

# Verbs: infinitive, present, past, supine, passive infinitive, passive present, passive past, passive supine.
_IRREGULAR = {
    "införa": ("införa", "inför", "införde", "infört", "införas", "införs", "infördes", "införts"),
    "breddinföra": ("breddinföra", "breddinför", "breddinförde", "breddinfört", "breddinföras", "breddinförs",
                    "breddinfördes", "breddinförts"),
    "genomföra": ("genomföra", "genomför", "genomförde", "genomfört", "genomföras", "genomförs", "genomfördes",
                  "genomförts"),
    "erbjuda": ("erbjuda", "erbjuder", "erbjöd", "erbjudit", "erbjudas", "erbjuds", "erbjöds", "erbjudits"),
    "använda": ("använda", "använder", "använde", "använt", "användas", "används", "användes", "använts"),
    "förstärka": ("förstärka", "förstärker", "förstärkte", "förstärkt", "förstärkas", "förstärks", "förstärktes",
                  "förstärkts"),
    "sprida": ("sprida", "sprider", "spred", "spridit", "spridas", "sprids", "spreds", "spridits"),
    "kartlägga": ("kartlägga", "kartlägger", "kartlade", "kartlagt", "kartläggas", "kartläggs", "kartlades",
                  "kartlagts"),
    "driva": ("driva", "driver", "drev", "drivit", "drivas", "drivs", "drevs", "drivits"),
    "stärka": ("stärka", "stärker", "stärkte", "stärkt", "stärkas", "stärks", "stärktes", "stärkts"),
    "tillsätta": ("tillsätta", "tillsätter", "tillsatte", "tillsatt", "tillsättas", "tillsätts", "tillsattes",
                  "tillsatts"),
    "bygga": ("bygga", "bygger", "byggde", "byggt", "byggas", "byggs", "byggdes", "byggts"),
    "påbörja": ("påbörja", "påbörjar", "påbörjade", "påbörjat", "påbörjas", "påbörjas", "påbörjades", "påbörjats"),
    "utöka": ("utöka", "utökar", "utökade", "utökat", "utökas", "utökas", "utökades", "utökats"),
    "inleda": ("inleda", "inleder", "inledde", "inlett", "inledas", "inleds", "inleddes", "inletts"),
    "besluta": ("besluta", "beslutar", "beslutade", "beslutat", "beslutas", "beslutas", "beslutades", "beslutats"),
    "ta fram": ("ta fram", "tar fram", "tog fram", "tagit fram", "tas fram", "tas fram", "togs fram", "tagits fram"),
    "följa upp": ("följa upp", "följer upp", "följde upp", "följt upp", "följas upp", "följs upp", "följdes upp",
                  "följts upp"),
}
_REGULAR_A = ["starta", "utveckla", "etablera", "implementera", "planera", "utvärdera", "testa", "pröva", "skapa",
              "anpassa", "samordna", "organisera", "formalisera", "förankra", "rekrytera", "utbilda", "finansiera",
              "permanenta", "pilottesta", "dokumentera", "analysera", "strukturera", "initiera", "förbereda",
              "kvalitetssäkra", "digitalisera", "vidareutveckla", "revidera", "uppdatera", "arrangera"]


def _regular(inf: str) -> tuple[str, ...]:
    return (inf, inf + "r", inf + "de", inf + "t", inf + "s", inf + "s", inf + "des", inf + "ts")


VERBS: dict[str, tuple[str, ...]] = {**_IRREGULAR, **{v: _regular(v) for v in _REGULAR_A}}
VERB_KEYS = sorted(VERBS)
INF, PRES, PAST, SUP, INF_P, PRES_P, PAST_P, SUP_P = range(8)

# Adjectives: common, neuter, plural/definite.
ADJECTIVES = [
    ("gemensam", "gemensamt", "gemensamma"), ("digital", "digitalt", "digitala"), ("mobil", "mobilt", "mobila"),
    ("strukturerad", "strukturerat", "strukturerade"), ("personcentrerad", "personcentrerat", "personcentrerade"),
    ("hälsofrämjande", "hälsofrämjande", "hälsofrämjande"), ("förebyggande", "förebyggande", "förebyggande"),
    ("proaktiv", "proaktivt", "proaktiva"), ("samordnad", "samordnat", "samordnade"),
    ("regional", "regionalt", "regionala"), ("kommunal", "kommunalt", "kommunala"), ("lokal", "lokalt", "lokala"),
    ("länsgemensam", "länsgemensamt", "länsgemensamma"), ("tvärprofessionell", "tvärprofessionellt", "tvärprofessionella"),
    ("systematisk", "systematiskt", "systematiska"), ("långsiktig", "långsiktigt", "långsiktiga"),
    ("ny", "nytt", "nya"), ("befintlig", "befintligt", "befintliga"), ("tydlig", "tydligt", "tydliga"),
    ("utökad", "utökat", "utökade"), ("förstärkt", "förstärkt", "förstärkta"), ("tillfällig", "tillfälligt", "tillfälliga"),
    ("permanent", "permanent", "permanenta"), ("nationell", "nationellt", "nationella"),
    ("sammanhållen", "sammanhållet", "sammanhållna"), ("flexibel", "flexibelt", "flexibla"),
]

# Compound morphemes: modifiers in their linking form (-s-, -e-, -o-, bare) and heads with paradigms.
MODIFIERS = """
hemsjukvårds vård omsorgs hälso patient brukar äldre kommun regions läkemedels rehabiliterings trygghets demens
kvalitets kompetens samverkans utvecklings uppföljnings närvårds primärvårds bistånds sjuksköterske läkar familje
barn ungdoms skol arbets lednings styrnings distans video telefon mottagnings natt dag helg kvälls jour akut
hemtjänst boende korttids fall nutritions kost motions balans levnadsvane glesbygds landsbygds projekt pilot
nätverks planerings utskrivnings inskrivnings samordnings informations kommunikations journal signerings larm
tillsyns sensor mät blodtrycks vikt diabetes hjärtsvikts KOL- SIP- IT- psykiatri missbruks beroende ekonomi budget
personal chefs medarbetar student handlednings introduktions rekryterings schema bemannings löne invånar medborgar
anhörig förenings läns special bas habiliterings arbetsterapeut fysioterapeut undersköterske dietist kurator
psykolog ambulans slutenvårds öppenvårds geriatrik vårdplanerings hembesöks egenvårds livsstils friskvårds
folkhälso tand munhälso syn hörsel minnes smärt sår stroke cancer astma sömn ensamhets gemenskaps aktivitets
fritids kultur idrotts ledarskaps verksamhets process förbättrings avvikelse risk säkerhets hygien smitt vaccinations
provtagnings labb röntgen remiss konsultations rådgivnings stöd tolk språk integrations bostads arbetsmarknads
försörjnings skuld våld missbruksvård LSS- socialpsykiatri omsorgsboende träffpunkts dagverksamhets avlösnings
""".split()

# (singular indefinite, singular definite, plural indefinite, plural definite, gender 'en'/'ett')
HEADS: list[tuple[str, str, str, str, str]] = [
    ("team", "teamet", "team", "teamen", "ett"), ("plan", "planen", "planer", "planerna", "en"),
    ("arbete", "arbetet", "arbeten", "arbetena", "ett"), ("modell", "modellen", "modeller", "modellerna", "en"),
    ("rutin", "rutinen", "rutiner", "rutinerna", "en"), ("insats", "insatsen", "insatser", "insatserna", "en"),
    ("stöd", "stödet", "stöd", "stöden", "ett"), ("besök", "besöket", "besök", "besöken", "ett"),
    ("samtal", "samtalet", "samtal", "samtalen", "ett"), ("grupp", "gruppen", "grupper", "grupperna", "en"),
    ("projekt", "projektet", "projekt", "projekten", "ett"), ("nätverk", "nätverket", "nätverk", "nätverken", "ett"),
    ("forum", "forumet", "forum", "forumen", "ett"), ("råd", "rådet", "råd", "råden", "ett"),
    ("mottagning", "mottagningen", "mottagningar", "mottagningarna", "en"),
    ("enhet", "enheten", "enheter", "enheterna", "en"), ("funktion", "funktionen", "funktioner", "funktionerna", "en"),
    ("samordnare", "samordnaren", "samordnare", "samordnarna", "en"),
    ("sjuksköterska", "sjuksköterskan", "sjuksköterskor", "sjuksköterskorna", "en"),
    ("lösning", "lösningen", "lösningar", "lösningarna", "en"), ("verktyg", "verktyget", "verktyg", "verktygen", "ett"),
    ("utbildning", "utbildningen", "utbildningar", "utbildningarna", "en"),
    ("överenskommelse", "överenskommelsen", "överenskommelser", "överenskommelserna", "en"),
    ("avtal", "avtalet", "avtal", "avtalen", "ett"), ("uppdrag", "uppdraget", "uppdrag", "uppdragen", "ett"),
    ("process", "processen", "processer", "processerna", "en"), ("flöde", "flödet", "flöden", "flödena", "ett"),
    ("kedja", "kedjan", "kedjor", "kedjorna", "en"), ("satsning", "satsningen", "satsningar", "satsningarna", "en"),
    ("struktur", "strukturen", "strukturer", "strukturerna", "en"), ("ledare", "ledaren", "ledare", "ledarna", "en"),
    ("chef", "chefen", "chefer", "cheferna", "en"), ("tjänst", "tjänsten", "tjänster", "tjänsterna", "en"),
    ("app", "appen", "appar", "apparna", "en"), ("plattform", "plattformen", "plattformar", "plattformarna", "en"),
    ("system", "systemet", "system", "systemen", "ett"), ("mätning", "mätningen", "mätningar", "mätningarna", "en"),
    ("enkät", "enkäten", "enkäter", "enkäterna", "en"), ("indikator", "indikatorn", "indikatorer", "indikatorerna", "en"),
    ("rapport", "rapporten", "rapporter", "rapporterna", "en"), ("möte", "mötet", "möten", "mötena", "ett"),
    ("dialog", "dialogen", "dialoger", "dialogerna", "en"), ("läkare", "läkaren", "läkare", "läkarna", "en"),
    ("ombud", "ombudet", "ombud", "ombuden", "ett"), ("konferens", "konferensen", "konferenser", "konferenserna", "en"),
    ("dag", "dagen", "dagar", "dagarna", "en"), ("program", "programmet", "program", "programmen", "ett"),
    ("kartläggning", "kartläggningen", "kartläggningar", "kartläggningarna", "en"),
    ("bedömning", "bedömningen", "bedömningar", "bedömningarna", "en"),
    ("riktlinje", "riktlinjen", "riktlinjer", "riktlinjerna", "en"),
    ("handbok", "handboken", "handböcker", "handböckerna", "en"),
    ("organisation", "organisationen", "organisationer", "organisationerna", "en"),
    ("resurs", "resursen", "resurser", "resurserna", "en"), ("tid", "tiden", "tider", "tiderna", "en"),
    ("plats", "platsen", "platser", "platserna", "en"), ("område", "området", "områden", "områdena", "ett"),
    ("verksamhet", "verksamheten", "verksamheter", "verksamheterna", "en"),
    ("kontakt", "kontakten", "kontakter", "kontakterna", "en"), ("rond", "ronden", "ronder", "ronderna", "en"),
    ("träff", "träffen", "träffar", "träffarna", "en"), ("kurs", "kursen", "kurser", "kurserna", "en"),
    ("mall", "mallen", "mallar", "mallarna", "en"), ("register", "registret", "register", "registren", "ett"),
    ("statistik", "statistiken", "statistik", "statistiken", "en"), ("policy", "policyn", "policyer", "policyerna", "en"),
    ("checklista", "checklistan", "checklistor", "checklistorna", "en"), ("ansvar", "ansvaret", "ansvar", "ansvaren", "ett"),
]

PLACE_PREFIX = """Björk Gran Tall Ek Lind Ask Sjö Berg Norr Sunds Malm Kvarn Hög Lång Stor Lill Väster Öster Söder
Ny Hag Mo Bro Hammar Sand Sten Ros Löv Al Rönn Asp Vik Bäck Hult Mark Fors Ljung Myr Kul Mal Tor Hed Ås Lid Ängs
Karl Gustavs Olofs Eriks Fridh Sol Hav Klint Kärr Mos Ulls Ved Hjort Falk Örn Tran Svan""".split()
PLACE_SUFFIX = """by sjö berg dal dalen holm vik torp näs åsen hult ö forsen bo stad köping hamn backen lunda fors
strand mo ryd tuna sta inge hed lid ängen mark fält vallen""".split()
ORG_FORMS = ["Vårdcentralen {P}", "Hälsocentralen {P}", "Äldreboendet {P}", "{P}gården", "Familjecentralen i {P}",
             "Rehabenheten i {P}", "Hemtjänsten i {P}", "Korttidsboendet {P}", "Närvårdsenheten {P}",
             "{P} vårdcentral", "Träffpunkt {P}", "Servicehuset {P}", "Hemsjukvården i {P}", "Region {L}s närvårdsteam"]


def _place(i: int, salt: int) -> str:
    """A deterministic Swedish-looking place name (e.g. 'Björkdalen')."""
    h = zlib.crc32(f"{i}:{salt}".encode())
    name = PLACE_PREFIX[h % len(PLACE_PREFIX)] + PLACE_SUFFIX[(h >> 8) % len(PLACE_SUFFIX)]
    return name[0].upper() + name[1:].lower()


# --------------------------------------------------------------------------- text generator
def _zipf_index(rng: random.Random, n: int, s: float = 1.05) -> int:
    """An index in [0, n) drawn with probability ∝ 1/(rank+1)^s (inverse-CDF on the continuous
    approximation, so it is O(1))."""
    u = rng.random()
    if abs(s - 1.0) < 1e-9:
        x = math.exp(u * math.log(n + 1)) - 1
    else:
        a = 1 - s
        x = ((u * ((n + 1) ** a - 1)) + 1) ** (1 / a) - 1
    return min(n - 1, int(x))


class TextGenerator:
    """Builds Swedish answer text from templates; one instance per random stream."""

    def __init__(self, rng: random.Random, respondent: Optional[BenchRespondent] = None, year: int = FIRST_YEAR):
        self.rng = rng
        self.resp = respondent
        self.year = year

    # ---- small pieces
    def pick(self, seq: Sequence[str]) -> str:
        return seq[self.rng.randrange(len(seq))]

    def place(self) -> str:
        return _place(_zipf_index(self.rng, 1500, 0.8), 1)

    def org(self) -> str:
        form = self.pick(ORG_FORMS)
        lan = (self.resp.lan if self.resp else "Dalarnas län").split()[0].rstrip("s")
        return form.replace("{P}", self.place()).replace("{L}", lan)

    def year_(self) -> str:
        """A year of the round or before it (plans use period(), which may look ahead)."""
        return str(self.year - self.rng.choice((0, 0, 0, 1, 1, 2, 3)))

    def period(self) -> str:
        y = int(self.year_()) + self.rng.choice((0, 0, 1, 1, 2))
        return self.pick(PERIODS).format(y=y, y2=y + 1 + self.rng.randrange(2), m=self.pick(MONTHS))

    def date(self) -> str:
        r = self.rng.random()
        y, m, d = int(self.year_()), self.rng.randrange(1, 13), self.rng.randrange(1, 29)
        if r < 0.35:
            return f"den {d} {MONTHS[m - 1]} {y}"
        if r < 0.6:
            return f"{y}-{m:02d}-{d:02d}"
        if r < 0.8:
            return f"vecka {self.rng.randrange(1, 53)} {y}"
        return f"{MONTHS[m - 1]} {y}"

    def number(self) -> str:
        r = self.rng.random()
        if r < 0.5:
            return str(self.rng.randrange(2, 40))
        if r < 0.8:
            return str(self.rng.randrange(40, 1000))
        return f"{self.rng.randrange(1, 30)} {self.rng.randrange(0, 1000):03d}"

    def percent(self) -> str:
        r = self.rng.random()
        if r < 0.5:
            return f"{self.rng.randrange(2, 95)} procent"
        if r < 0.8:
            return f"{self.rng.randrange(1, 60)},{self.rng.randrange(10)} procent"
        return f"{self.rng.randrange(2, 95)} %"

    def verb(self, form: int) -> str:
        return VERBS[VERB_KEYS[_zipf_index(self.rng, len(VERB_KEYS), 0.9)]][form]

    def adj(self, form: int) -> str:
        return ADJECTIVES[_zipf_index(self.rng, len(ADJECTIVES), 0.9)][form]

    def compound(self, form: int) -> tuple[str, str]:
        """A domain compound in one of its forms (0 sg, 1 sg def, 2 pl, 3 pl def), and its gender."""
        if self.rng.random() < NEW_COMPOUND_SHARE:
            # a compound coined for this answer: parts drawn uniformly (~10 M combinations), so that
            # nearly every one is a new word type, as Heaps' law predicts for Swedish
            head = HEADS[self.rng.randrange(len(HEADS))]
            first, mod = MODIFIERS[self.rng.randrange(len(MODIFIERS))], MODIFIERS[self.rng.randrange(len(MODIFIERS))]
            if first != mod:
                mod = first.rstrip("-") + (mod.lower() if not mod.endswith("-") else mod)
            return mod + head[form], head[4]
        head = HEADS[_zipf_index(self.rng, len(HEADS), 0.9)]
        mod = MODIFIERS[_zipf_index(self.rng, len(MODIFIERS), 0.85)]
        if self.rng.random() < 0.28:  # three-part compounds make the long tail
            first = MODIFIERS[_zipf_index(self.rng, len(MODIFIERS), 0.7)]
            if first != mod:
                mod = first.rstrip("-") + (mod.lower() if not mod.endswith("-") else mod)
        word = head[form]
        if mod.endswith("-"):
            text = mod + word
        else:
            text = mod + (word if not mod[-1:] == word[:1] == "s" else word)
        return text, head[4]

    def np_indef(self) -> str:
        """'en gemensam hälsoplan', 'nya trygghetsteam', 'ett utvecklingsarbete'."""
        if self.rng.random() < 0.5:
            word, g = self.compound(0)
            art = "ett" if g == "ett" else "en"
            if self.rng.random() < 0.4:
                return f"{art} {self.adj(1 if g == 'ett' else 0)} {word}"
            return f"{art} {word}"
        word, _ = self.compound(2)
        if self.rng.random() < 0.4:
            return f"{self.adj(2)} {word}"
        return word

    def np_def(self) -> str:
        word, g = self.compound(self.rng.choice((1, 1, 3)))
        return word

    def measure(self, qid: str) -> str:
        themes = QUESTION_THEMES.get(qid) or MEASURE_KEYS
        key = self.pick(themes) if self.rng.random() < 0.7 else self.pick(MEASURE_KEYS)
        m = self.pick(MEASURES[key])
        if self.rng.random() < MEASURE_WHERE_SHARE:
            return f"{m} inom {self.np_def()}"  # "mobila team inom hemsjukvårdsverksamheten"
        return m

    def actor(self) -> str:
        r = self.rng.random()
        if r < 0.12:
            return self.org()
        if r < 0.2 and self.resp:
            return self.resp.name
        return self.pick(ACTORS)

    def scope(self) -> str:
        n = self.rng.randrange(2, 12)
        return self.pick([
            "i projektform", "som ett pilotprojekt", f"som pilot i {n} kommuner", "inom ramen för ett tvåårigt projekt",
            "i hela länet", "i samtliga kommuner", "i ordinarie verksamhet", "i delar av verksamheten",
            f"på {n} av länets vårdcentraler", f"i {self.place()} och {self.place()}",
            f"på prov under {self.period()}", "breddinfört i hela regionen", f"på {n} särskilda boenden",
            "som en del av ordinarie drift", "i ett mindre upptagningsområde",
        ])

    # ---- sentences
    def s_measure(self, qid: str) -> str:
        r = self.rng.random()
        m, a = self.measure(qid), self.actor()
        if r < 0.16:
            return f"{a} har under {self.year_()} {self.verb(SUP)} {m} för {self.pick(TARGETS)} {self.scope()}."
        if r < 0.28:
            return f"{_cap(m)} har {self.verb(SUP_P)} {self.scope()} och omfattar {self.pick(TARGETS)}."
        if r < 0.38:
            return f"Arbetet med {m} pågår och {self.verb(PRES_P)} {self.pick(ADVERBS)} tillsammans med {self.pick(PARTNERS)}."
        if r < 0.47:
            return f"{a} planerar att {self.verb(INF)} {m} under {self.period()}."
        if r < 0.55:
            return (f"Inom ramen för {self.np_def()} har {a.lower() if a in ACTORS and a != 'Vi' else a} "
                    f"{self.verb(SUP)} {m} tillsammans med {self.pick(PARTNERS)}.")
        if r < 0.63:
            return f"{_cap(m)} {self.verb(PAST_P)} {self.date()} och ingår nu i {self.np_def()}."
        if r < 0.70:
            return f"Sedan {self.year_()} finns {m} {self.scope()}, bl.a. för {self.pick(TARGETS)}."
        if r < 0.76:
            return f"{a} har startat {m} med fokus på {self.pick(TARGETS)}, t.ex. genom {self.np_indef()}."
        if r < 0.84:
            return self.s_negated(qid)
        if r < 0.92:
            return (f"{self.pick(CONNECTORS)} har {a.lower() if a in ACTORS and a != 'Vi' else a} "
                    f"{self.pick(ADVERBS)} {self.verb(SUP)} {m} {self.scope()}.")
        return f"{_cap(m)} ska {self.verb(INF_P)} {self.scope()} under {self.period()}."

    def s_negated(self, qid: str) -> str:
        m, a = self.measure(qid), self.actor()
        return self.pick([
            f"{a} har ännu inte {self.verb(SUP)} {m}, men frågan diskuteras i {self.np_def()}.",
            f"Något arbete med {m} har inte påbörjats eftersom {self.pick(REASONS)}.",
            f"{_cap(m)} saknas i dagsläget {self.scope()}.",
            f"Det finns ännu inget beslut om {m}.",
            f"{a} har valt att inte {self.verb(INF)} {m} eftersom {self.pick(REASONS)}.",
            f"Inget arbete med {m} har startats under {self.year_()}.",
            f"{_cap(m)} har ej påbörjats, då {self.pick(REASONS)}.",
        ])

    def s_result(self) -> str:
        r = self.rng.random()
        trend = self.pick(["minskat", "ökat", "halverats", "fördubblats", "legat stilla", "förbättrats"])
        if r < 0.25:
            return f"Uppföljningen visar att {self.pick(OUTCOMES)} har {trend} med {self.percent()} sedan {self.year_()}."
        if r < 0.45:
            return (f"Andelen {self.pick(TARGETS)} som har {self.np_indef()} har ökat från {self.percent()} "
                    f"till {self.percent()}.")
        if r < 0.6:
            return f"Resultatbeskrivningen bygger på {self.pick(EVIDENCE)} och {self.pick(EVIDENCE)}."
        if r < 0.75:
            return (f"Under perioden {self.date()} till {self.date()} genomfördes {self.number()} "
                    f"{self.compound(2)[0]} i {self.place()}.")
        if r < 0.88:
            return f"Någon systematisk utvärdering av {self.np_def()} har inte gjorts, men {self.pick(EVIDENCE)} pekar på att {self.pick(OUTCOMES)} har {trend}."
        return f"Kostnaden för {self.np_def()} var {self.number()} tkr under {self.year_()}, s.k. utvecklingsmedel."

    def s_filler(self) -> str:
        r = self.rng.random()
        if r < 0.2:
            return f"Arbetet med {self.np_def()} leds av {self.org()} och följs upp {self.pick(FREQ)}."
        if r < 0.35:
            return f"{_cap(self.np_indef())} har {self.verb(SUP_P)} tillsammans med {self.pick(PARTNERS)}."
        if r < 0.5:
            return f"Vi ser ett fortsatt behov av {self.np_indef()} och av {self.np_indef()}."
        if r < 0.62:
            return (f"Inom {self.np_def()} har {self.number()} medarbetare {self.verb(SUP_P)} under perioden "
                    f"{self.date()}–{self.date()}.")
        if r < 0.74:
            return f"{_cap(self.np_def())} {self.verb(PRES_P)} {self.pick(FREQ)} i {self.np_def()} m.m."
        if r < 0.86:
            return (f"{self.pick(CONNECTORS)} {self.verb(PRES_P)} {self.np_indef()} i {self.place()}, "
                    f"där {self.org()} ansvarar för {self.np_def()}.")
        return f"Mer information finns i {self.np_def()} (dnr {self.year_()}/{self.rng.randrange(10, 3000)})."

    def bullets(self, qid: str) -> list[str]:
        out = []
        for _ in range(self.rng.randrange(3, 7)):
            m = self.measure(qid)
            if self.rng.random() < 0.5:
                out.append(f"- {_cap(m)} {self.scope()}")
            else:
                out.append(f"- {_cap(self.np_indef())}, {self.verb(SUP_P)} {self.period()}")
        return out

    def answer(self, qid: str, target_words: int) -> str:
        """An answer of about target_words words (at least MIN_WORDS, at most MAX_WORDS)."""
        results_q = qid.endswith("b") and qid != "9b"
        paras: list[list[str]] = [[]]
        words = 0
        intro = f"Under {self.year_()} har arbetet fokuserat på {self.measure(qid)} och {self.measure(qid)}."
        if self.rng.random() < 0.6:
            paras[-1].append(intro)
            words += len(intro.split())
        while words < target_words:
            r = self.rng.random()
            if r < 0.06 and words > 20:
                lines = self.bullets(qid)
                paras.append(lines)
                paras.append([])
                words += sum(len(x.split()) for x in lines)
                continue
            if r < 0.1 and paras[-1]:
                paras.append([])
            if results_q:
                s = self.s_result() if r < 0.55 else (self.s_measure(qid) if r < 0.8 else self.s_filler())
            else:
                s = self.s_measure(qid) if r < 0.62 else (self.s_result() if r < 0.72 else self.s_filler())
            s = self.typos(s)
            paras[-1].append(s)
            words += len(s.split())
        text_paras = []
        for p in paras:
            if not p:
                continue
            text_paras.append("\n".join(p) if p[0].startswith("- ") else " ".join(p))
        text = "\n".join(text_paras)
        w = text.split(" ")
        if len(text.split()) > MAX_WORDS:  # trim to the cap on a sentence end where possible
            text = " ".join(w[:MAX_WORDS])
            cut = text.rfind(". ")
            if cut > len(text) // 2:
                text = text[:cut + 1]
        return text

    def typos(self, sentence: str) -> str:
        """Now and then a typing error in a long word (real answers have them)."""
        if self.rng.random() > 0.04:
            return sentence
        words = sentence.split(" ")
        i = self.rng.randrange(len(words))
        w = words[i]
        if len(w) > 6 and w.isalpha():
            j = self.rng.randrange(1, len(w) - 2)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
        return " ".join(words)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _stream(seed: int, *key: object) -> random.Random:
    """An independent, reproducible random stream for one (seed, key...) (not Python's salted hash)."""
    return random.Random(zlib.crc32(repr((seed, *key)).encode("utf-8")) ^ (seed * 0x9E3779B1 & 0xFFFFFFFF))


def answer_length(rng: random.Random) -> int:
    """An answer length in words: lognormal around MEDIAN_WORDS, clipped to [MIN_WORDS, MAX_WORDS]."""
    n = int(rng.lognormvariate(math.log(MEDIAN_WORDS), SIGMA_WORDS))
    return max(MIN_WORDS, min(MAX_WORDS, n))


# --------------------------------------------------------------------------- corpus
@dataclass(frozen=True)
class CorpusAnswer:
    """One generated answer."""

    respondent: BenchRespondent
    year: int
    question: str
    text: str
    choice: Optional[str] = None


@dataclass
class Corpus:
    """A generated corpus: answers grouped by round (year) and respondent."""

    scale: float
    seed: int
    questions: list[Question]
    respondents: list[tuple[int, BenchRespondent]] = field(default_factory=list)  # (year, respondent)
    answers: list[CorpusAnswer] = field(default_factory=list)

    @property
    def words(self) -> int:
        return sum(len(a.text.split()) for a in self.answers)

    def texts(self) -> list[str]:
        return [a.text for a in self.answers]


def plan(scale: float = 1.0) -> list[tuple[int, BenchRespondent]]:
    """(round year, respondent) pairs for a scale: ×1 every respondent once, ×5 five yearly rounds."""
    if scale <= 0:
        raise ValueError("scale måste vara större än 0")
    people = respondents()
    total = max(1, round(len(people) * scale))
    return [(FIRST_YEAR + i // len(people), people[i % len(people)]) for i in range(total)]


def generate(scale: float = 1.0, seed: int = SEED, questions: Optional[Sequence[Question]] = None) -> Corpus:
    """The corpus for `scale` national rounds: ×1 = every region and kommun once (round 2022),
    ×5 = five yearly rounds; a fraction takes that share of the respondents of one round."""
    qs = list(questions) if questions is not None else free_questions()
    corpus = Corpus(scale, seed, qs)
    for year, resp in plan(scale):
        corpus.respondents.append((year, resp))
        for q in qs:
            rng = _stream(seed, year, resp.name, resp.type, q.id)
            gen = TextGenerator(rng, resp, year)
            choice = None
            if q.closed and q.options:
                choice = q.options[_zipf_index(rng, len(q.options), 1.0)]
            text = gen.answer(q.id, answer_length(rng))
            corpus.answers.append(CorpusAnswer(resp, year, q.id, text, choice))
    return corpus


# --------------------------------------------------------------------------- files
def _slug(text: str) -> str:
    t = text.lower()
    for a, b in (("å", "a"), ("ä", "a"), ("ö", "o"), ("é", "e")):
        t = t.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "_", t).strip("_")


def file_format(year: int, resp: BenchRespondent, seed: int = SEED) -> str:
    """Which file format a respondent's answers come in: docx (Word form), xlsx (wide) or csv (long)."""
    h = zlib.crc32(f"{seed}:{year}:{resp.name}:{resp.type}".encode()) % 100
    if resp.type == "region":
        return "docx" if h < 70 else "xlsx"
    return "docx" if h < 55 else ("xlsx" if h < 82 else "csv")


def _question_header(q: Question) -> str:
    return f"{q.id}. {q.text}"


def write_files(corpus: Corpus, folder: str | Path) -> list[Path]:
    """Write the corpus as real answer files: one Word form per docx respondent, one wide xlsx and
    one long csv per län and round. Returns the paths in a stable order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    by_key: dict[tuple[int, BenchRespondent], list[CorpusAnswer]] = {}
    for a in corpus.answers:
        by_key.setdefault((a.year, a.respondent), []).append(a)
    paths: list[Path] = []
    wide: dict[tuple[int, str], list[tuple[BenchRespondent, list[CorpusAnswer]]]] = {}
    long: dict[tuple[int, str], list[tuple[BenchRespondent, list[CorpusAnswer]]]] = {}
    for (year, resp), answers in by_key.items():
        fmt = file_format(year, resp, corpus.seed)
        if fmt == "docx":
            paths.append(_write_docx(folder, year, resp, answers, corpus))
        elif fmt == "xlsx":
            wide.setdefault((year, resp.lan), []).append((resp, answers))
        else:
            long.setdefault((year, resp.lan), []).append((resp, answers))
    for (year, lan), rows in sorted(wide.items()):
        paths.append(_write_xlsx(folder / f"{year}_{_slug(lan)}_svar.xlsx", rows, corpus.questions))
    for (year, lan), rows in sorted(long.items()):
        paths.append(_write_csv(folder / f"{year}_{_slug(lan)}_svar_lang.csv", rows))
    return sorted(paths)


def _write_docx(folder: Path, year: int, resp: BenchRespondent, answers: list[CorpusAnswer], corpus: Corpus) -> Path:
    from tools.docx_forms import write_form

    path = folder / f"{year}_{_slug(resp.name)}.docx"
    h = zlib.crc32(f"{corpus.seed}:{year}:{resp.name}:docx".encode())
    placement = "cell" if h % 5 == 0 else "block"
    heading = ["{id}. {text}", "{id}. {text}", "{id}.\t{text}", "Fråga {id}: {text}"][(h >> 4) % 4]
    header = f"{resp.name}, {resp.lan}"
    write_form(path, header, {a.question: a.text for a in answers},
               {a.question: a.choice for a in answers if a.choice}, questions=corpus.questions,
               placement=placement, heading=heading)
    return path


def _safe_cell(text: str) -> str:
    """Text is data: never let a cell start like a formula."""
    return "'" + text if text[:1] in ("=", "+", "@") else text


def _write_xlsx(path: Path, rows: list[tuple[BenchRespondent, list[CorpusAnswer]]], questions: list[Question]) -> Path:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Svar")
    header = ["Respondent", "Typ", "Län"]
    for q in questions:
        if q.closed:
            header += [_question_header(q), f"{q.id} Kommentar"]
        else:
            header.append(_question_header(q))
    ws.append(header)
    for resp, answers in rows:
        by_q = {a.question: a for a in answers}
        row = [resp.name, resp.type, resp.lan]
        for q in questions:
            a = by_q.get(q.id)
            if q.closed:
                row += [a.choice if a else None, _safe_cell(a.text) if a else None]
            else:
                row.append(_safe_cell(a.text) if a else None)
        ws.append(row)
    wb.save(path)
    return path


def _write_csv(path: Path, rows: list[tuple[BenchRespondent, list[CorpusAnswer]]]) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["Respondent", "Typ", "Län", "Fråga", "Svar", "Val"])
        for resp, answers in rows:
            for a in answers:
                w.writerow([resp.name, resp.type, resp.lan, a.question, _safe_cell(a.text), a.choice or ""])
    return path


# --------------------------------------------------------------------------- passages
def iter_passages(words: int = 1_200_000, seed: int = SEED + 1) -> Iterable[dict]:
    """`{"id", "text"}` passages (whole answers) until about `words` words; a different seed than the
    corpus so the text differs while the vocabulary is of the same kind."""
    people = respondents()
    qs = [q.id for q in free_questions()]
    total = i = 0
    while total < words:
        resp = people[i % len(people)]
        qid = qs[(i // len(people)) % len(qs)]
        rng = _stream(seed, "passage", i)
        text = TextGenerator(rng, resp, FIRST_YEAR + (i % 3)).answer(qid, answer_length(rng))
        total += len(text.split())
        yield {"id": f"p{i:06d}", "text": text}
        i += 1


def write_passages(path: str | Path, words: int = 1_200_000, seed: int = SEED + 1) -> dict:
    """Write PASSAGES.jsonl for `cli.py tag --in`; returns {'passages', 'words', 'types'}."""
    n = w = 0
    types: set[str] = set()
    with open(path, "w", encoding="utf-8") as fh:
        for p in iter_passages(words, seed):
            fh.write(json.dumps(p, ensure_ascii=False) + "\n")
            n += 1
            toks = p["text"].split()
            w += len(toks)
            types.update(t.lower() for t in toks)
    return {"passages": n, "words": w, "types": len(types)}


_WORD = re.compile(r"[^\W\d_](?:[\w:-]*\w)?", re.UNICODE)


def vocabulary(texts: Iterable[str]) -> Counter:
    """Word types (lower-case, letters first) and their counts."""
    c: Counter = Counter()
    for t in texts:
        c.update(m.group(0).lower() for m in _WORD.finditer(t))
    return c


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description="Bygg benchmark-korpusen (deterministisk).")
    ap.add_argument("out", type=Path)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--passages", action="store_true", help="skriv även PASSAGES.jsonl (1,2 miljoner ord)")
    args = ap.parse_args(argv)
    corpus = generate(args.scale, args.seed)
    paths = write_files(corpus, args.out)
    voc = vocabulary(corpus.texts())
    print(f"{len(corpus.respondents)} respondenter, {len(corpus.answers)} svar, {corpus.words} ord, "
          f"{len(voc)} ordtyper, {len(paths)} filer i {args.out}")
    if args.passages:
        stats = write_passages(args.out / "PASSAGES.jsonl")
        print(f"PASSAGES.jsonl: {stats}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
