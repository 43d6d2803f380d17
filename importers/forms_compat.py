"""Question definitions for the importers, from `models.forms` when it is available.

`models.forms` (questionnaire definitions as data) is the source of truth. Until it
is importable this module keeps a small built-in copy of the 2022 kommun form so
that the importers and `tools/docx_forms.py` work on their own. Everything here
returns `models.records.Question` records.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable, Optional

from models.records import Question

FORM_ID = "kommun-2022"
FORM_TITLE = "Slutredovisning av kommunernas arbete inom ramen för god och nära vård 2022"
PLACEHOLDER = "Klicka eller tryck här för att ange text."
COMMENT_PROMPT = "Lämna gärna en kommentar här:"

_OPT_YES_NO = (
    "Nej, och inget förslag finns framtaget",
    "Nej, men förslag finns framtaget men är inte ännu beslutad av alla berörda parter",
)

# (id, area, wording, options) of the 2022 kommun form; fallback only.
_FALLBACK: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("1", "Målbild för omställningen till nära vård",
     "Finns det en beslutad länsgemensam målbild för omställningen till Nära vård i regionen och kommunerna?",
     ("Ja", "Ja, men arbete pågår med att revidera målbilden", *_OPT_YES_NO)),
    ("2", "Målbild för omställningen till nära vård",
     "Finns det en beslutad länsgemensam handlingsplan kopplat till målbilden?",
     ("Ja", "Ja, men arbete med att revidera handlingsplan pågår", *_OPT_YES_NO)),
    ("3", "Målbild för omställningen till nära vård",
     "Beskriv hur systemledningen i länet (region och kommuner) följer upp förflyttningen mot målbilden.", ()),
    ("4", "Målbild för omställningen till nära vård",
     "Har kommunerna i länet en kommunspecifik handlingsplan kopplat till målbilden?",
     ("Ja, alla länets kommuner", "Ja, mer än hälften av länets kommuner",
      "Ja, men färre än hälften av länets kommuner", "Nej, ingen")),
    ("5a", "Generella insatser utifrån ett personcentrerat förhållningssätt",
     "Beskriv insatser, verksamheter och målgrupper som prioriterats under året kopplat till det "
     "personcentrerade förhållningssättet, exempelvis mer samordnade stöd med personens/patientens fokus. "
     "Ange om arbetet genomförts i form av projekt eller är breddinförda helt eller delvis i berörda verksamheter.", ()),
    ("5b", "Generella insatser utifrån ett personcentrerat förhållningssätt",
     "Om möjligt, beskriv resultat och effekter som insatserna lett till ur ett verksamhets- respektive "
     "målgruppsperspektiv, de senaste åren. Ange vad resultatbeskrivningen bygger på, exempelvis om ni genomfört "
     "några uppföljningar eller utvärderingar av insatser kopplat till det personcentrerade förhållningssättet.", ()),
    ("6", "Generella insatser utifrån ett personcentrerat förhållningssätt",
     "Beskriv påbörjade eller genomförda nya initiativ och insatser under 2022 kopplat till digitalisering "
     "inklusive egenmonitorering och välfärdsteknik.", ()),
    ("7", "Generella insatser utifrån ett personcentrerat förhållningssätt",
     "Beskriv särskilt riktade insatser kopplat till invånare i glesbygd och / eller socioekonomiskt utsatta "
     "områden under 2022.", ()),
    ("8a", "Insatser för att öka delaktighet och medskapande – t ex. patientkontrakt",
     "Beskriv de insatser som påbörjats eller genomförts under året för att öka personens/patientens "
     "delaktighet, samskapande och fasta kontakter, exempelvis genom patientkontrakt. Ange om insatser "
     "genomförts i form av projekt eller är breddinförda helt eller delvis i berörda verksamheter.", ()),
    ("8b", "Insatser för att öka delaktighet och medskapande – t ex. patientkontrakt",
     "I den mån det är möjligt, beskriv resultat och effekter av insatserna för ökad delaktighet och "
     "medskapande de senaste åren. Ange vad resultatbeskrivningen bygger på, exempelvis om ni genomfört "
     "uppföljningar eller utvärderingar av insatser kopplat till delaktighet och kontinuitet.", ()),
    ("9a", "Insatser för att öka delaktighet och medskapande – t ex. patientkontrakt",
     "I vilken utsträckning förekommer en strukturerad och systematisk samverkan med invånare, patienter, "
     "brukare eller patient- och brukarföreningar i utvecklingsarbetet i länets kommuner kopplat till "
     "omställningen till en Nära vård?",
     ("I alla länets kommuner", "I mer än hälften men inte i alla av länets kommuner",
      "I hälften eller färre av länets kommuner", "Inga av länets kommuner")),
    ("9b", "Insatser för att öka delaktighet och medskapande – t ex. patientkontrakt",
     "För de kommuner som har en sådan samverkan, beskriv exempel på vilket sätt samverkan sker.", ()),
    ("10a", "Samverkan mellan regioner och kommuner",
     "Beskriv de insatser som genomförts under året för att utveckla samverkan dels mellan kommunerna dels "
     "mellan regionen och länets kommuner i omställningen till nära vård.", ()),
    ("10b", "Samverkan mellan regioner och kommuner",
     "Om möjligt, beskriv resultat och effekter av insatserna för utvecklad samverkan de senaste åren.", ()),
    ("11a", "Hälsofrämjande, förebyggande och rehabiliterande/ habiliterande arbetssätt",
     "Beskriv de insatser som genomförts under året kopplat till hälsofrämjande, förebyggande och "
     "rehabiliterande/habiliterande arbetssätt, och vilka målgrupper som prioriterats.", ()),
    ("11b", "Hälsofrämjande, förebyggande och rehabiliterande/ habiliterande arbetssätt",
     "I den mån det är möjligt beskriv utvecklingen av resultat och effekter av insatser och arbetssätt kopplat "
     "till hälsofrämjande, förebyggande och rehabiliterande/habiliterande arbetssätt.", ()),
    ("12a", "Ett ändamålsenligt resursutnyttjande för omställningen",
     "Beskriv de insatser som genomförts under året kopplat till ändamålsenlig och effektiv resurssättning "
     "av den kommunala primärvården.", ()),
    ("12b", "Ett ändamålsenligt resursutnyttjande för omställningen",
     "Om möjligt, beskriv resultat av de insatser som genomförts de senaste åren i syfte att skapa ett "
     "ändamålsenligt resursutnyttjande.", ()),
    ("13a", "Undvik slutenvård genom proaktiva arbetssätt",
     "Beskriv insatser som genomförts under året kopplat till undvikbar slutenvård genom proaktiva "
     "arbetssätt, och vilka målgrupper som prioriterats.", ()),
    ("13b", "Undvik slutenvård genom proaktiva arbetssätt",
     "Om möjligt, beskriv resultat och effekter dessa insatser fått för de målgrupper som insatserna "
     "fokuserat på, men också för berörda verksamheter.", ()),
    ("14", "Övrigt under Primärvården som nav",
     "Här finns möjlighet att berätta mer om kommunernas arbete med omställningen till nära vård med "
     "primärvården som nav, som kompletterar övriga svar.", ()),
    ("15a", "Goda förutsättningar för vårdens medarbetare",
     "Beskriv det arbete som genomförts under året kopplat till utveckling av goda förutsättningar för "
     "vårdens medarbetare utifrån följande områden:", ()),
    ("15b", "Goda förutsättningar för vårdens medarbetare",
     "Om möjligt, beskriv resultat och effekter för kompetensförsörjningen av de insatser som genomförts "
     "de senaste åren.", ()),
    ("16a", "Goda förutsättningar för vårdens medarbetare",
     "Beskriv kortfattat det arbete som genomförts under året för att stimulera vidareutbildning av "
     "sjuksköterskor.", ()),
    ("16b", "Goda förutsättningar för vårdens medarbetare",
     "Beskriv resultat och effekter dessa insatser fått för de målgrupper och verksamheter som insatserna "
     "fokuserat på de senaste åren.", ()),
]


def normalise_question_id(text: str) -> str:
    """'5 A)' → '5a'; 'Fråga 14:' → '14'. Uses models.forms when available."""
    try:
        from models.forms import normalise_question_id as real  # type: ignore

        return real(text)
    except Exception:  # models.forms missing or failed: same rule locally
        t = re.sub(r"(?i)^\s*fr[aå]ga\s*", "", text or "")
        return re.sub(r"[^0-9a-zåäö]", "", t.lower())


def _from_models() -> Optional[list[Question]]:
    try:
        from models import forms  # type: ignore
    except Exception:
        return None
    try:
        loaded = forms.default_forms()
    except Exception:
        return None
    items: Iterable = loaded.values() if isinstance(loaded, dict) else loaded
    out: list[Question] = []
    for form in items:
        questions = getattr(form, "questions", form)
        if isinstance(questions, dict):
            questions = questions.values()
        for q in questions:
            if isinstance(q, Question):
                out.append(q)
    return out or None


@lru_cache(maxsize=1)
def all_questions() -> tuple[Question, ...]:
    """Every question of every known form (models.forms, else the built-in kommun form)."""
    real = _from_models()
    if real:
        return tuple(real)
    return tuple(Question(qid, text, area, bool(opts), opts, FORM_ID) for qid, area, text, opts in _FALLBACK)


def kommun_form() -> list[Question]:
    """The 2022 kommun form's questions in order (for the form writer)."""
    qs = [q for q in all_questions() if "kommun" in (q.form or "")] or list(all_questions())
    seen: dict[str, Question] = {}
    for q in qs:
        seen.setdefault(q.id, q)
    return list(seen.values())


@lru_cache(maxsize=1)
def questions_by_id() -> dict[str, list[Question]]:
    """Question id → definitions (several forms may share an id)."""
    out: dict[str, list[Question]] = {}
    for q in all_questions():
        out.setdefault(q.id, []).append(q)
    return out


def fold(text: str) -> str:
    """Loose comparison key: lower case, no soft hyphens, hyphen-breaks joined, single spaces."""
    t = unicodedata.normalize("NFC", text or "").replace("\u00ad", "")
    t = re.sub(r"(\w)-\s+(?=[a-zåäö])", r"\1", t)  # "målbil- den" → "målbilden"
    t = re.sub(r"[^\w%/]+", " ", t.lower())
    return " ".join(t.split())


@lru_cache(maxsize=1)
def area_titles() -> frozenset[str]:
    """Folded section (area) titles of all known forms; these are never answers."""
    return frozenset(fold(q.area) for q in all_questions() if q.area)


def is_form_text(text: str) -> bool:
    """True when models.forms says the form itself prints `text` (wording, intros, their bullet items)."""
    try:
        from models.forms import is_question_wording  # type: ignore
    except Exception:
        return False
    try:
        return bool(is_question_wording(text))
    except Exception:
        return False
