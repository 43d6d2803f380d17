"""Question wording per round: a 2021 answer's question is the 2021 form's, not the 2022 form's.

The project's `questions` table holds one wording per question id: the current forms' (data/forms/*.yaml, 2022).
An earlier round's form (data/forms/2021/*.yaml) numbers its questions differently: 2021's 5 asked what
2022's 5a and 5b ask, and 2021's 7 is not 2022's 7. So a round's answers are labelled with the wording of the
earlier form of the round's year when there is one (data/forms/<year>/); the project's own wording (the current
forms', as stored in the questions table) for an id that form lacks, for the current round and for a round
without a year or form.
"""
from __future__ import annotations

import re
from typing import Iterable, Mapping, Optional

from models.rounds import sort_rounds

_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")


def _forms_texts(year: int) -> dict[str, str]:
    try:
        from reference.forms import forms_of_year

        forms = forms_of_year(year, current=False)  # the current forms' wording is the questions table
    except Exception:  # noqa: BLE001 - wording is a convenience: an unreadable form leaves the current one
        return {}
    out: dict[str, str] = {}
    for form in forms:
        for q in form.questions:
            out.setdefault(q.id, " ".join(q.text.split()))
    return out


def round_wordings(current: Mapping[str, str], rounds: Iterable[str]) -> dict[str, dict[str, str]]:
    """Round label -> {question id: wording}; `current` is the project's questions table (id -> text)."""
    now = {str(k): " ".join(str(v or "").split()) for k, v in current.items()}
    out: dict[str, dict[str, str]] = {}
    for label in rounds:
        label = str(label or "")
        m = _YEAR.search(label)
        of_year = _forms_texts(int(m.group(1))) if m else {}
        out[label] = {**now, **{k: v for k, v in of_year.items() if v}}
    return out


def wording(wordings: Mapping[str, Mapping[str, str]], current: Mapping[str, str], round_label: Optional[str],
            qid: str) -> str:
    """The wording of question `qid` as asked in round `round_label`."""
    qid = str(qid)
    texts = wordings.get(str(round_label or ""))
    if texts is not None and texts.get(qid):
        return texts[qid]
    return " ".join(str(current.get(qid) or "").split())


def combine(rows: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """Question id -> label text from (round, question id, that round's wording) rows, for a list of questions
    (filters, pickers) over answers of several rounds: the one wording when every round asked the question alike,
    else each round's wording, newest round first ("2022: … · 2021: …")."""
    by_q: dict[str, dict[str, str]] = {}
    for r, q, t in rows:
        text = " ".join(str(t or "").split())
        if text:
            by_q.setdefault(str(q), {}).setdefault(str(r or ""), text)
    out: dict[str, str] = {}
    for q, per_round in by_q.items():
        found: list[tuple[str, str]] = []
        for r in reversed(sort_rounds(per_round)):
            if per_round[r] not in [t for _, t in found]:
                found.append((r, per_round[r]))
        out[q] = found[0][1] if len(found) == 1 else " · ".join(f"{r or '(ingen omgång)'}: {t}" for r, t in found)
    return out


def question_texts(current: Mapping[str, str], asked: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Question id -> label text (`combine`) for the (round, question id) pairs present; ids not asked keep the
    current wording."""
    pairs = {(str(r or ""), str(q)) for r, q in asked}
    wordings = round_wordings(current, {r for r, _ in pairs})
    out = {str(k): " ".join(str(v or "").split()) for k, v in current.items()}
    out.update(combine((r, q, wording(wordings, current, r, q)) for r, q in pairs))
    return out
