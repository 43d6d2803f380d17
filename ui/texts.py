"""The analyst's language: Swedish times, numbers, question and coding descriptions for the UI.

Plain Python (no Streamlit): every page formats times, decimals, questions and audit rows
through these functions, so no raw id, English word or UTC ISO string reaches the screen.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from models.clock import local_time  # noqa: F401 - the pages read times through ui.texts

ACTION_SV = {
    "accepted": "godkände", "rejected": "avvisade", "recode": "bytte kod på", "manual": "kodade för hand",
    "memo": "skrev memo på", "suggested": "återställde", "undo": "ångrade", "merged_away": "slog ihop",
    "set_status_scope": "ändrade status/omfattning på", "set_meta": "ändrade", "add_respondent": "lade till",
    "cluster_rename": "bytte namn på", "cluster_merge": "slog ihop", "cluster_split": "delade",
    "cluster_move": "flyttade", "cluster_exclude": "uteslöt", "cluster_include": "tog tillbaka",
}
ENTITY_SV = {"coding": "utdraget", "code": "koden", "answer": "svaret", "respondent": "respondenten",
             "meta": "projektinställningen", "cluster": "klustret", "codebook": "kodboken",
             "cluster_member": "ett utdrag i ett kluster"}
META_SV = {"name": "projektnamnet"}


def decimal(value: Any, digits: int = 2) -> str:
    """A number with a decimal comma ("0,55")."""
    try:
        return f"{float(value):.{digits}f}".replace(".", ",")
    except (TypeError, ValueError):
        return ""


def percent(value: Any) -> str:
    """A fraction as a Swedish percentage ("55 %")."""
    try:
        return f"{float(value) * 100:.0f} %"
    except (TypeError, ValueError):
        return ""


def question_label(qid: Any, texts: Mapping[str, str], n: int = 60) -> str:
    """"fråga 13a – Mobila team i hemmet" (the short wording when the form has one)."""
    qid = str(qid or "")
    text = " ".join(str(texts.get(qid) or "").split())
    if not text:
        return f"fråga {qid}"
    parts = text.split(ROUND_SEPARATOR)  # "2022: … · 2021: …" (models.question_texts.combine): each round cut
    if len(parts) > 1 and all(_ROUND_PART.match(p) for p in parts):
        each = max(24, n // len(parts))
        return f"fråga {qid} – " + ROUND_SEPARATOR.join(_cut(p, each) for p in parts)
    return f"fråga {qid} – {_cut(text, n)}"


ROUND_SEPARATOR = " · "
_ROUND_PART = re.compile(r"^[^:·]{1,40}: ")


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def excerpt_of(state: Any, n: int = 60) -> str:
    """The quoted excerpt of a coding row (as stored in the audit log), "" when unknown."""
    if not isinstance(state, Mapping):
        return ""
    text = state.get("text")
    if not text:
        return ""
    one = " ".join(str(text).split())
    return "»" + (one if len(one) <= n else one[: n - 1] + "…") + "«"


def coding_phrase(label: str, excerpt: str) -> str:
    """"Mobila team »vi har mobila team …«" or just the label."""
    return f"{label} {excerpt}".strip()


def audit_phrase(row: Mapping[str, Any], labels: Mapping[str, str],
                 excerpts: Mapping[int, str] | None = None) -> str:
    """A Swedish sentence-part for one audit row: "godkände Mobila team »… mobila team i hela länet …«"."""
    action = str(row.get("action") or "")
    entity = str(row.get("entity") or "")
    verb = ACTION_SV.get(action, "ändrade")
    state = row.get("after") if isinstance(row.get("after"), Mapping) else row.get("before")
    if entity == "coding":
        code = (state or {}).get("code_id") if isinstance(state, Mapping) else None
        label = labels.get(code, "en kod") if code else "en kodning"
        excerpt = ""
        if excerpts is not None:
            try:
                excerpt = excerpts.get(int(row.get("entity_id")), "")
            except (TypeError, ValueError):
                excerpt = ""
        return f"{verb} {coding_phrase(label, excerpt)}"
    if entity == "cluster" and action in ("cluster_create_code", "cluster_map"):
        after = row.get("after") if isinstance(row.get("after"), Mapping) else {}
        code = after.get("code_id")
        label = (after.get("code") or {}).get("label") or labels.get(code, "en kod")
        return (f"skapade koden {label} av klustret" if action == "cluster_create_code"
                else f"kopplade klustret till koden {label}")
    if entity == "code":
        return f"{verb} koden {labels.get(str(row.get('entity_id')), 'i kodboken')}"
    if entity == "meta":
        return f"{verb} {META_SV.get(str(row.get('entity_id')), 'en projektinställning')}"
    return f"{verb} {ENTITY_SV.get(entity, 'ett objekt')}"
