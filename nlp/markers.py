"""Markers for negation, status and scope, and the rules that apply them to a code hit.

Marker phrases come from the codebook's ``markers`` section (status, scope, negation) plus the
built-in Swedish cue lists below, so an analyst can add e.g. "under uppbyggnad" to a status in
the YAML. All phrases are matched like keywords (forms and lemmas, see ``nlp/termmatch.py``).

- Negation is limited to the clause: a cue ("inte", "ej", "inget", "saknas", "ännu inte") counts
  for a hit when no clause boundary (",", ";", "men", "utan", "som", "där"...) lies between
  them; a cue before the hit reaches up to 12 words, a cue after it up to 6 ("Mobila team
  saknas"). "inte bara", "inte minst" (also as the end of a longer cue: "har inte bara") are not
  negations, nor is a double negation ("saknar inte", "SIP saknar vi inte"). A cue inside a relative
  clause ("som inte har hemtjänst") reaches only a few words forward. A topicalised measure (V2 order,
  the measure first: "Mobila team har vi däremot inte startat") is negated by a cue after a sentence
  adverb in the middle field ("däremot", "dock"), which otherwise opens a clause. A measure governed
  by "utan" is not negated by a cue after it ("Utan SIP hade vi inte klarat …"). Cancellation cues ("lades ned", "valt att inte",
  "bedöms inte aktuellt") after a term cancel it anywhere later in the same sentence. Delay cues
  ("har skjutits upp", "pausades") leave a rule hit to the disposer; a code the proposer would add from a
  sentence holding one is not added. ``nlp.tagger.read_markers`` is the one reading of all these kinds.
- Status (planerad / pågående / genomförd) and scope (projekt/pilot / breddinförd) are decided in
  ``nlp/status_scope.py`` from the verb chain and the quantities of the clause that carries a code;
  the status and scope phrases here are its marker words (and its fallback when a clause has no verb).
"""
from __future__ import annotations

from typing import Iterable, Optional, Sequence

__all__ = [
    "STATUS_VALUES", "SCOPE_VALUES", "UNKNOWN", "NEGATION_CUES", "CLAUSE_WORDS", "CLAUSE_PUNCT",
    "NOT_NEGATION", "CANCEL_CUES", "DELAY_CUES", "marker_phrases", "clause_numbers", "is_clause_boundary", "is_list_comma", "joins_clauses",
]

UNKNOWN = "okänd"
STATUS_VALUES = ("planerad", "pågående", "genomförd", UNKNOWN)
SCOPE_VALUES = ("projekt/pilot", "breddinförd", UNKNOWN)

# Codebook marker group -> value reported.
_STATUS_GROUPS = {"planerat": "planerad", "pagaende": "pågående", "paborjat": "pågående", "genomfort": "genomförd"}
_SCOPE_GROUPS = {"projekt": "projekt/pilot", "pilot": "projekt/pilot", "breddinfort": "breddinförd"}

NEGATION_CUES = (
    "inte", "ej", "icke", "aldrig", "inget", "ingen", "inga", "saknas", "saknar", "saknades", "saknats",
    "varken", "ännu inte", "inte ännu", "inte längre", "avvecklat", "avvecklats", "lagts ned", "lagts ner",
    "nej", "upphört", "uteblivit", "inte påbörjat", "ej påbörjat", "inget arbete med", "har inte", "avstått",
    # reports: "X nämns sällan i regelböckerna" says the measure is mostly absent
    "nämns sällan", "sällan nämns", "omnämns sällan", "förekommer sällan", "sällan förekommer",
    "beskrivs sällan", "sällan beskrivs", "lyfts sällan", "sällan lyfts", "redovisas sällan",
)
# Cancellation / rejection: such a cue AFTER a term in the same sentence cancels it even across a
# clause boundary ("X har diskuterats men bedöms inte aktuellt", "X var planerad, men projektet lades ned").
CANCEL_CUES = (
    "avbröts", "avbrutits", "avbrutit", "lades ned", "lades ner", "lagts ned", "lagts ner", "lagt ned", "lagt ner",
    "avvecklades", "avvecklats", "valt att inte", "valde att inte", "beslutat att inte", "beslutade att inte",
    "inte gå vidare", "inte går vidare", "bedöms inte aktuell", "bedöms inte aktuellt", "bedömts inte aktuellt",
    "inte aktuell", "inte aktuellt", "ej aktuellt", "ej aktuell", "inte blev av", "blev aldrig av",
    "inte kommit till stånd", "stoppades", "har stoppats", "inte prioriterats", "prioriterades bort",
    "prioriterats bort", "föll bort", "har strukits", "ströks",
    "avslogs", "avslagits", "har avslagits", "fick avslag", "röstades ned", "röstades ner", "röstats ned",
    "röstats ner", "föll i fullmäktige",
    # only talked about: "X har diskuterats men inget beslut har fattats"
    "diskuterats men", "diskuterat men", "diskuterats, men", "diskuterat, men", "inget beslut har fattats",
    "inget beslut är fattat", "något beslut har inte fattats", "har ännu inte beslutats", "inte fattat något beslut",
    "inte fattat beslut", "inte har fattat något beslut",
)
# Delay / pause: the measure was put off ("starten har skjutits upp", "pausades", "ligger vilande"). A rule
# hit keeps its reading (the disposer weighs the sentence's delay cues); a code the proposer would add from a
# sentence holding one is not added (``nlp.tagger.SegmentMarkers.withholds``). Exact forms; none begins
# with a negation or status word, so no other marker is shadowed.
DELAY_CUES = (
    "skjutits upp", "sköts upp", "skjuts upp", "skjutit upp", "skjutas upp", "senarelagts", "senarelagt",
    "senarelades", "försenats", "försenat", "försenades", "försenad", "försenade", "försenas", "försening",
    "förseningar", "pausats", "pausat", "pausades", "pausad", "pausas", "vilande", "på is", "på vänt",
    "avvaktar", "avvaktas", "avvaktat", "avvaktan", "ställts in", "ställdes in",
)
# Relative clauses ("som inte har hemtjänst ...") keep a negation short: it reaches at most this many
# words forward, so it does not negate the main clause that follows without a comma.
RELATIVE_WORDS = frozenset({"som", "där", "vilka", "vilket"})
RELATIVE_NEG_WINDOW = 3

# Cue words followed by these are not negations of the clause ("inte bara", "inte minst"); nor is a need
# that the measure takes away ("… så att invånarna inte behöver resa till sjukhuset", "ingen behöver åka").
NEED_WORDS = ("behöver", "behövt", "behöva", "behövde")
NOT_NEGATION = {"inte": ("bara", "minst", "endast", "enbart", "heller") + NEED_WORDS,
                "ingen": ("tvekan",) + NEED_WORDS, "inga": ("större",)}
NOT_NEGATION_BEFORE = {"inte": ("om",)}  # "om inte" = unless
# A cue of several words ending in "inte" ("har inte bara infört") followed by these is no negation either.
NOT_NEGATION_PHRASE_END = {"inte": frozenset({"bara", "minst", "endast", "enbart"}),
                           "längre": frozenset(NEED_WORDS)}  # "… inte längre behöver hämta nycklar"
# Double negation: a lack-word next to a negation word ("saknar inte", "saknas inte", "SIP saknar vi inte")
# says the thing is there; neither word negates. A subject pronoun may stand between them (V2 order).
LACK_WORDS = frozenset({"saknar", "saknas", "saknade", "saknades", "saknat", "saknats"})
LACK_NEGATORS = frozenset({"inte", "ej", "icke"})
SUBJECT_PRONOUNS = frozenset({"vi", "de", "dom", "man", "det", "den", "ni", "jag", "hon", "han"})
# Sentence adverbs that open a clause ("…, däremot saknas X") but also stand in the middle field of a
# topicalised clause ("Mobila team har vi däremot inte startat"): there they do not end the clause.
MIDFIELD_ADVERBS = frozenset({"däremot", "dock", "emellertid", "dessutom"})
# Words that may stand before a topicalised measure at the start of its clause ("Någon fast vårdkontakt
# har ännu inte utsetts", "Något mobilt team har vi däremot inte").
TOPIC_FILLERS = frozenset({
    "någon", "något", "några", "den", "det", "de", "en", "ett", "vår", "vårt", "våra", "egen", "eget", "egna",
    "ny", "nytt", "nya", "gemensam", "gemensamt", "gemensamma", "särskild", "särskilt", "särskilda",
})
# The preposition of a counterfactual: "Utan SIP hade vi inte klarat …" says SIP is in use; a negation
# after a measure governed by it does not negate the measure.
COUNTERFACTUAL_PREPS = frozenset({"utan"})
# A form's unchecked box: the option after it ("☐ Nej", "☐ Ingen") is not the answer, so it negates nothing.
UNCHECKED_BOXES = frozenset({"☐", "□", "❏", "❐"})
# Cues that negate only a measure before them: "Mobila team: nej" (a closed answer), never "Nej, men ...".
AFTER_ONLY_CUES = frozenset({"nej"})

CLAUSE_PUNCT = frozenset({",", ";", ":", "(", ")", "–", "—", "?", "!", ".", "•"})
CLAUSE_WORDS = frozenset({
    "men", "utan", "medan", "däremot", "dock", "som", "där", "vilket", "vilka", "eftersom", "samtidigt",
    "emellertid", "trots", "istället", "i stället", "när", "sedan", "dessutom", "även",
})

_BUILTIN_STATUS = {
    "planerad": ("planera", "planerad", "planeras", "planerar", "avser", "avses", "ska införas", "kommer att",
                 "avser att införa", "planerar att införa", "ska införa", "ska genomföra", "avser att genomföra",
                 "är planerad", "nästa år", "framöver", "under 2024", "under 2025", "inför 2024", "från 2024",
                 "har beslutat att", "beslut om att", "förbereder", "förberedelse", "ska starta", "ska påbörjas",
                 "ska", "är på väg", "planeringsstadiet", "under uppbyggnad", "tas fram"),
    "pågående": ("pågå", "pågår", "pågående", "håller på att", "arbetar med", "arbetar vidare", "fortsätta",
                 "fortsätter", "fortsatt", "under införande", "under implementering", "startat", "startats",
                 "har startat", "påbörjat", "påbörjats", "inlett", "inletts", "initierat", "är igång",
                 "testas", "prövas", "utvecklas", "byggs upp", "införs", "implementeras", "sprids",
                 "testar", "prövar", "provar", "testar ut", "fortgår", "fortlöper", "påbörjades", "startade"),
    # infinitives ("införa", "genomföra") say nothing about status: "avser att införa" is planned
    "genomförd": ("genomfört", "genomförts", "genomfördes", "infört", "införts", "infördes",
                  "införde", "avslutat", "avslutats", "slutfört", "slutförts", "klart", "är på plats",
                  "finns", "har etablerats", "etablerades", "etablerat", "öppnade", "öppnat", "har tagits fram",
                  "togs fram", "antogs", "beslutades", "breddinfört", "breddinförts", "används", "erbjuds",
                  "har utökats", "utökades", "har inrättats", "inrättades", "trädde i kraft", "lanserades"),
}
_BUILTIN_SCOPE = {
    "projekt/pilot": ("projekt", "pilot", "pilotprojekt", "piloter", "pilotverksamhet", "i projektform", "testbädd",
                      "försök", "försöksverksamhet", "förstudie", "testas", "testat", "testats", "prövas",
                      "provas", "utvecklingsprojekt", "projektmedel", "på prov", "tidsbegränsat", "i liten skala"),
    "breddinförd": ("breddinförd", "breddinfört", "breddinförts", "breddinförande", "brett infört", "införts brett",
                    "i hela länet", "i hela regionen", "i alla kommuner", "i samtliga kommuner", "samtliga kommuner",
                    "alla vårdcentraler", "samtliga vårdcentraler", "samtliga hälsocentraler", "alla hälsocentraler",
                    "ordinarie verksamhet", "ordinarie uppdrag", "linjeverksamheten", "permanentats",
                    "permanent verksamhet", "ingår i grunduppdraget", "i hela kommunen", "i all hemtjänst",
                    "samtliga", "alla enheter", "hela länet", "permanent"),
}


def _flatten(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [str(k) for k in (value.get("keywords") or []) if isinstance(k, (str, int))]
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, (str, int))]
    return []


def marker_phrases(markers: dict) -> list[tuple[str, str, str]]:
    """(phrase, kind, value) for every marker phrase: kind 'neg', 'cancel', 'delay', 'status' or 'scope'."""
    out: list[tuple[str, str, str]] = []
    for p in NEGATION_CUES:
        out.append((p, "neg", "neg"))
    for p in CANCEL_CUES:
        out.append((p, "cancel", "cancel"))
    for p in DELAY_CUES:
        out.append((p, "delay", "delay"))
    for value, phrases in _BUILTIN_STATUS.items():
        out.extend((p, "status", value) for p in phrases)
    for value, phrases in _BUILTIN_SCOPE.items():
        out.extend((p, "scope", value) for p in phrases)
    status = (markers or {}).get("status") or {}
    if isinstance(status, dict):
        for group, body in status.items():
            if group == "negation":
                out.extend((p, "neg", "neg") for p in _flatten(body))
            elif group in _STATUS_GROUPS:
                out.extend((p, "status", _STATUS_GROUPS[group]) for p in _flatten(body))
    scope = (markers or {}).get("scope") or {}
    if isinstance(scope, dict):
        for group, body in scope.items():
            if group in _SCOPE_GROUPS:
                out.extend((p, "scope", _SCOPE_GROUPS[group]) for p in _flatten(body))
    neg = (markers or {}).get("negation")
    if neg:
        out.extend((p, "neg", "neg") for p in _flatten(neg))
    # 'ej' alone is a strong cue; the codebook's 'ej' duplicates are harmless
    seen = set()
    uniq = []
    for item in out:
        key = (item[0].lower(), item[1], item[2])
        if key not in seen:
            seen.add(key)
            uniq.append(item)
    return uniq


# Coordinated lists: "har inte infört patientkontrakt, mobila team eller egenmonitorering" negates all three,
# so a comma between short items that end in a coordinator is not a clause boundary.
COORDINATORS = frozenset({"och", "eller", "samt"})
LIST_ITEM_MAX_WORDS = 4


def clause_numbers(lowers: Sequence[str], is_word: Optional[Sequence[bool]] = None) -> list[int]:
    """Clause number of every token; boundary tokens start a new clause.

    A comma is a list comma, not a boundary, when every comma-separated chunk after it up to a coordinator
    ("och", "eller", "samt") holds 1-4 words and no other boundary: "A, B och C" is one clause.
    """
    if is_word is None:
        is_word = [any(ch.isalnum() for ch in low) for low in lowers]
    n = len(lowers)
    out = [0] * n
    clause = 0
    for i, low in enumerate(lowers):
        if is_clause_boundary(low) and not joins_clauses(lowers, is_word, i):
            clause += 1
        out[i] = clause
    return out


def joins_clauses(lowers: Sequence[str], is_word: Sequence[bool], i: int) -> bool:
    """True when the boundary token at ``i`` does not end the clause: a list comma ("A, B och C") or the
    colon of a closed answer ("Mobila team: nej")."""
    low = lowers[i]
    if low == ",":
        return is_list_comma(lowers, is_word, i)
    if low == ":":
        j = i + 1
        while j < len(lowers) and not is_word[j]:
            j += 1
        return j < len(lowers) and lowers[j] == "nej"
    return False


def is_list_comma(lowers: Sequence[str], is_word: Sequence[bool], i: int) -> bool:
    """True when the comma at ``i`` separates short coordinated items ("A, B och C")."""
    words = 0
    for j in range(i + 1, len(lowers)):
        low = lowers[j]
        if low in COORDINATORS:
            return 1 <= words <= LIST_ITEM_MAX_WORDS
        if low == ",":
            if not 1 <= words <= LIST_ITEM_MAX_WORDS:
                return False
            words = 0
            continue
        if is_clause_boundary(low):
            return False
        if is_word[j]:
            words += 1
            if words > LIST_ITEM_MAX_WORDS:
                return False
    return False


def is_clause_boundary(lower: str) -> bool:
    """True when a token (lower-case) ends/starts a clause for negation scope."""
    return lower in CLAUSE_PUNCT or lower in CLAUSE_WORDS


def nearest(values: Iterable[tuple[int, str]], pos: int) -> str:
    """The value whose token position is nearest to pos (ties: the later wins), or okänd."""
    best, best_d, best_p = UNKNOWN, None, None
    for p, v in values:
        d = abs(p - pos)
        if (best_d is None or d < best_d or (d == best_d and p > best_p)
                or (d == best_d and p == best_p and _TIE_RANK.get(v, 9) < _TIE_RANK.get(best, 9))):
            best, best_d, best_p = v, d, p
    return best


# Two markers at the same word ("införs": pågående by form, genomförd by lemma) resolve the same way in
# every process: the in-progress reading first, then planned, then done; pilot before breddinförd.
_TIE_RANK = {"pågående": 0, "planerad": 1, "genomförd": 2, "projekt/pilot": 0, "breddinförd": 1}
