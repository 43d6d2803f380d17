"""The importers' view of the questionnaire definitions in `reference.forms`.

`reference.forms` (forms as data in data/forms/) is the source of truth; this module only
adapts it to what the readers need: every known question by id, the kommun form for the
form writer, section titles, and "is this text printed by the form itself?". Everything
returns `reference.records.Question` records. If the definitions cannot be loaded, the
readers still work with generic heading rules (no wording or option matching).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from reference.forms import COMMENT_PROMPT, PLACEHOLDER, default_forms, is_question_wording
from reference.records import Question

KOMMUN_FORM_ID = "kommun-2022"
FORM_TITLE = "Slutredovisning av kommunernas arbete inom ramen för god och nära vård 2022"


@lru_cache(maxsize=1)
def _forms() -> tuple:
    try:
        return tuple(default_forms())
    except Exception:  # definitions unreadable: generic rules only
        return ()


@lru_cache(maxsize=1)
def all_questions() -> tuple[Question, ...]:
    """Every question of every known form, in form order."""
    return tuple(q for form in _forms() for q in form.questions)


def kommun_form() -> list[Question]:
    """The 2022 kommun form's questions in order (the form writer's default)."""
    for form in _forms():
        if form.id == KOMMUN_FORM_ID:
            return list(form.questions)
    return list(_forms()[0].questions) if _forms() else []


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
    titles = {q.area for q in all_questions() if q.area}
    titles |= {s.area for form in _forms() for s in getattr(form, "sections", ()) if getattr(s, "area", "")}
    return frozenset(fold(t) for t in titles)


def is_form_text(text: str) -> bool:
    """True when reference.forms says the form itself prints `text` (wording, intros, their bullet items)."""
    try:
        return bool(is_question_wording(text))
    except Exception:
        return False
