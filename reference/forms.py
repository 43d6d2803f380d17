"""Questionnaire definitions, stored as data in ``data/forms/*.yaml``.

A form file has ``id``, ``name``, ``year``, ``respondent_types``, ``reconstructed``,
``placeholder``, ``comment_prompt``, ``boilerplate`` (title, instructions) and
``sections`` (``key``, ``area``, optional ``intro``/``intro_items`` and ``questions``
with ``id``, ``text``, optional ``closed``/``options``/``items``). A new form or next
year's form is a new file, not new code.

API:
    load_form(path) -> Form
    default_forms() -> list[Form]        (every form in data/forms, kommun form first)
    form_by_id("kommun-2022") -> Form
    normalise_question_id("Fråga 8 a)") -> "8a"  (None when the text is no question id)
    is_question_wording(text) -> bool   (question wording, section titles and
                                          "Från Överenskommelsen: ..." introductions,
                                          instructions and placeholders: never answers)
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional, Sequence

import yaml

import config
from errors import SvarsanalysError
from reference.records import Question

__all__ = [
    "Form",
    "Section",
    "FormError",
    "load_form",
    "default_forms",
    "forms_of_year",
    "form_by_id",
    "form_for_type",
    "normalise_question_id",
    "question_sort_key",
    "is_question_wording",
    "fold",
]

PLACEHOLDER = "Klicka eller tryck här för att ange text."
COMMENT_PROMPT = "Lämna gärna en kommentar här:"

# "5a" "5a." "5a.\t" "5 a)" "5A" "Fråga 8 a)" "Fråga 14:" "## 5a" "**5a.**" "Q5a" "10b) ..."
_QID = re.compile(
    r"""^\s*(?:\#{1,6}\s*)?(?:\*\*|__)?\s*
        (?:(?P<prefix>fr[aå]ga|fr\.|question|q)\s*(?:nr\.?\s*)?)?
        (?P<num>\d{1,2})(?![\d,])
        (?:
            (?P<let>[a-h])(?![\wåäö])              # 5a, 5A
          | \s(?P<slet>[a-h])(?=\s*[.):]|\s*$)     # 5 a)  5 a.  5 A
        )?
        \s*(?:\*\*|__)?
        (?P<after>.*)$""",
    re.X | re.S | re.I,
)


class FormError(SvarsanalysError):
    """A form definition file is invalid; the message (Swedish) names the file and the problem."""


@dataclass(frozen=True)
class Section:
    """An area of a form: title, optional "Från Överenskommelsen" introduction and its question ids."""

    key: str
    area: str
    intro: str = ""
    intro_items: tuple[str, ...] = ()
    question_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Form:
    """A questionnaire: its questions (in order), sections and fixed texts."""

    id: str
    name: str
    questions: list[Question]
    sections: list[Section] = field(default_factory=list)
    year: Optional[int] = None
    respondent_types: tuple[str, ...] = ()
    reconstructed: bool = False
    placeholder: str = PLACEHOLDER
    comment_prompt: str = COMMENT_PROMPT
    boilerplate: tuple[str, ...] = ()
    items: dict[str, tuple[str, ...]] = field(default_factory=dict)
    path: Optional[str] = None

    @property
    def ids(self) -> list[str]:
        """Question ids in form order."""
        return [q.id for q in self.questions]

    def question(self, qid: str) -> Optional[Question]:
        """The question with this id ("5a", also "5 a)" or "Fråga 5a"), or None."""
        norm = normalise_question_id(qid) if qid else None
        for q in self.questions:
            if q.id == (norm or str(qid).strip().lower()):
                return q
        return None

    def match_option(self, qid: str, text: str) -> Optional[str]:
        """The exact option text of closed question `qid` that `text` names ("☒ ja" -> "Ja"), else None."""
        q = self.question(qid)
        if q is None or not q.options:
            return None
        f = fold(re.sub(r"[\u2610\u2611\u2612\u25a1\u25a0]|\[[ xX]\]", " ", text or ""))
        if not f:
            return None
        for opt in q.options:
            if fold(opt) == f:
                return opt
        starts = [opt for opt in q.options if fold(opt).startswith(f) and len(f) >= 8]
        return starts[0] if len(starts) == 1 else None

    def fixed_texts(self) -> list[str]:
        """Every text the form itself prints (wording, titles, intros, instructions), never an answer."""
        out = [self.name, self.placeholder, self.comment_prompt, *self.boilerplate]
        for s in self.sections:
            out += [s.area, s.intro, *s.intro_items]
        for q in self.questions:
            out.append(q.text)
            out += list(self.items.get(q.id, ()))
        return [t for t in out if t]


def fold(text: str) -> str:
    """Comparison key: NFC, lower case, soft hyphens and line-wrap hyphens removed, punctuation to spaces."""
    t = unicodedata.normalize("NFC", text or "").replace("\u00ad", "")
    t = re.sub(r"(\w)-\s*(?=[a-zåäö])", r"\1", t)  # "målbil- den", "målbil-den" -> "målbilden"
    t = re.sub(r"[^\w%/]+", " ", t.lower())
    return " ".join(t.split())


def normalise_question_id(text: str) -> Optional[str]:
    """The question id a heading or column header starts with, lower-case without punctuation.

    "5a." "5a.\\t" "5 a)" "Fråga 8 a)" "Fråga 14:" "5A" "5a Personcentrerat ..." -> "5a"/"8a"/"14".
    None when the text does not start with a question id ("2022", "3 mobila team startade",
    "1,5 miljoner", "1.5").
    """
    if not text:
        return None
    m = _QID.match(str(text))
    if not m:
        return None
    num = int(m.group("num"))
    if num == 0:
        return None
    letter = (m.group("let") or m.group("slet") or "").lower()
    after = m.group("after")
    if not letter and not m.group("prefix"):
        # a bare number must be followed by a delimiter, the end, or a capitalised word
        rest = after.lstrip(" ")
        if rest and not (
            rest[0] in ".):\t–-" and not re.match(r"[.):]\d", rest)
            or rest[0].isupper()
            or after.startswith("\t")
        ):
            return None
        if rest[:1] == "." and re.match(r"\.\d", rest):
            return None
    elif letter and m.group("let") and after[:1] == "." and re.match(r"\.\d", after):
        return None
    return f"{num}{letter}"


def question_sort_key(qid: str) -> tuple[int, str]:
    """Order "2" < "5a" < "5b" < "10a" (numeric, then letter)."""
    digits = "".join(ch for ch in qid if ch.isdigit())
    return (int(digits) if digits else 10_000, qid[len(digits):])


def _text(value, file: str, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)):
        raise FormError(f"{file}: {where} ska vara text.")
    return re.sub(r"\s+", " ", str(value)).strip()


def load_form(path: str | Path) -> Form:
    """Read and check one form definition (YAML). Raises FormError with a Swedish message."""
    path = Path(path)
    name = path.name
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise FormError(f"{name}: filen kunde inte läsas ({exc.__class__.__name__}).") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (rad {mark.line + 1})" if mark else ""
        raise FormError(f"{name}: ogiltig YAML{where}.") from None
    if not isinstance(doc, dict):
        raise FormError(f"{name}: formulärfilen ska vara en YAML-mappning med id, name och sections.")
    form_id = _text(doc.get("id"), name, "id")
    if not form_id:
        raise FormError(f"{name}: formuläret saknar id.")
    sections_raw = doc.get("sections")
    if not isinstance(sections_raw, list) or not sections_raw:
        raise FormError(f"{name}: formuläret saknar avsnitt (sections).")
    questions: list[Question] = []
    sections: list[Section] = []
    items: dict[str, tuple[str, ...]] = {}
    seen: set[str] = set()
    for i, sec in enumerate(sections_raw, 1):
        if not isinstance(sec, dict):
            raise FormError(f"{name}: avsnitt {i} ska vara en mappning.")
        area = _text(sec.get("area"), name, f"avsnitt {i}: area")
        ids: list[str] = []
        for j, q in enumerate(sec.get("questions") or [], 1):
            if not isinstance(q, dict):
                raise FormError(f"{name}: avsnitt {i}, fråga {j} ska vara en mappning.")
            raw_id = _text(q.get("id"), name, f"avsnitt {i}, fråga {j}: id")
            qid = normalise_question_id(raw_id)
            if qid is None or qid != raw_id.lower():
                raise FormError(f"{name}: ogiltigt fråge-id {raw_id!r} (ska vara t.ex. 5a eller 14).")
            if qid in seen:
                raise FormError(f"{name}: fråga {qid} förekommer två gånger.")
            seen.add(qid)
            text = _text(q.get("text"), name, f"fråga {qid}: text")
            if not text:
                raise FormError(f"{name}: fråga {qid} saknar text.")
            options = tuple(_text(o, name, f"fråga {qid}: svarsalternativ") for o in q.get("options") or [])
            closed = bool(q.get("closed", bool(options)))
            if closed and not options:
                raise FormError(f"{name}: fråga {qid} är sluten men saknar svarsalternativ.")
            questions.append(Question(qid, text, area, closed, options, form_id))
            if q.get("items"):
                items[qid] = tuple(_text(x, name, f"fråga {qid}: items") for x in q["items"])
            ids.append(qid)
        sections.append(Section(
            key=_text(sec.get("key"), name, "key") or f"avsnitt{i}",
            area=area,
            intro=_text(sec.get("intro"), name, "intro"),
            intro_items=tuple(_text(x, name, "intro_items") for x in sec.get("intro_items") or []),
            question_ids=tuple(ids),
        ))
    if not questions:
        raise FormError(f"{name}: formuläret har inga frågor.")
    year = doc.get("year")
    return Form(
        id=form_id,
        name=_text(doc.get("name"), name, "name") or form_id,
        questions=questions,
        sections=sections,
        year=int(year) if isinstance(year, int) else None,
        respondent_types=tuple(str(t) for t in doc.get("respondent_types") or ()),
        reconstructed=bool(doc.get("reconstructed", False)),
        placeholder=_text(doc.get("placeholder"), name, "placeholder") or PLACEHOLDER,
        comment_prompt=_text(doc.get("comment_prompt"), name, "comment_prompt") or COMMENT_PROMPT,
        boilerplate=tuple(_text(b, name, "boilerplate") for b in doc.get("boilerplate") or ()),
        items=items,
        path=str(path),
    )


@lru_cache(maxsize=4)
def _load_dir(directory: str) -> tuple[Form, ...]:
    forms = [load_form(p) for p in sorted(Path(directory).glob("*.yaml"))]
    # kommun forms first: they are the reference wording when ids are shared
    forms.sort(key=lambda f: (0 if "kommun" in f.id else 1, f.id))
    return tuple(forms)


def default_forms(directory: str | Path = config.FORMS_DIR) -> list[Form]:
    """Every form in data/forms (kommun form first)."""
    return list(_load_dir(str(directory)))


def forms_of_year(year: int, directory: str | Path = config.FORMS_DIR, *, current: bool = True) -> list[Form]:
    """The forms of one round's year: the current forms (data/forms/*.yaml; left out with current=False) and
    earlier rounds' forms (in a subfolder per year, data/forms/2021/*.yaml) whose `year` is `year`, kommun forms
    first."""
    now = _load_dir(str(directory)) if current else ()
    return [f for f in (*now, *_load_year_dirs(str(directory))) if f.year == int(year)]


@lru_cache(maxsize=4)
def _load_year_dirs(directory: str) -> tuple[Form, ...]:
    forms = [load_form(p) for p in sorted(Path(directory).glob("[0-9][0-9][0-9][0-9]/*.yaml"))]
    forms.sort(key=lambda f: (0 if "kommun" in f.id else 1, f.id))
    return tuple(forms)


def form_by_id(form_id: str, directory: str | Path = config.FORMS_DIR) -> Form:
    """The form with this id ("kommun-2022", "region-2022"); KeyError if unknown."""
    for f in default_forms(directory):
        if f.id == form_id:
            return f
    raise KeyError(form_id)


def form_for_type(respondent_type: Optional[str], year: int = 2022) -> Form:
    """The form a respondent type answers: 'region' -> the region form, else the kommun form."""
    forms = [f for f in default_forms() if f.year in (year, None)] or default_forms()
    for f in forms:
        if respondent_type and respondent_type in f.respondent_types:
            return f
    return forms[0]


_WORDING_CACHE: dict[tuple, tuple[str, frozenset[str], dict[str, list[str]]]] = {}


def _wording_index(forms: Sequence[Form]) -> tuple[str, frozenset[str], dict[str, list[str]]]:
    key = tuple((f.id, f.path) for f in forms)
    cached = _WORDING_CACHE.get(key)
    if cached is not None:
        return cached
    texts = [t for f in forms for t in f.fixed_texts()]
    joined = " | ".join(fold(t) for t in texts)
    exact = frozenset(fold(t) for t in texts)
    by_id: dict[str, list[str]] = {}
    for f in forms:
        for q in f.questions:
            by_id.setdefault(q.id, []).append(fold(q.text))
    if len(_WORDING_CACHE) > 16:
        _WORDING_CACHE.clear()
    _WORDING_CACHE[key] = (joined, exact, by_id)
    return joined, exact, by_id


def is_question_wording(text: str, forms: Optional[Sequence[Form]] = None) -> bool:
    """True when `text` is printed by the form itself and so is never an answer.

    Covers question wording with or without its id ("5a. Beskriv insatser ..."), pieces
    of it at least a few words long, section titles, "Från Överenskommelsen: ..."
    introductions and their bullet lists, the title, the instructions, the comment prompt
    and the placeholder. Option labels alone ("Ja") are not covered: use Form.match_option.
    """
    f = fold(text)
    if not f:
        return False
    if f.startswith("från överenskommelsen"):
        return True
    joined, exact, by_id = _wording_index(list(forms) if forms is not None else default_forms())
    if f in exact:
        return True
    qid = normalise_question_id(text)
    if qid is not None:
        rest = fold(_QID.match(text).group("after"))  # type: ignore[union-attr]
        if not rest:
            return True  # a bare heading ("5a.", "Fråga 14:")
        for w in by_id.get(qid, ()):
            if w.startswith(rest[:60]) and len(rest) >= 12 or rest.startswith(w):
                return True
        f = rest
    return len(f) >= 25 and f in joined
