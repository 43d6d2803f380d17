"""The reference records: a respondent of the registry and a question of a form."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

__all__ = ["Question", "Respondent"]


@dataclass(frozen=True)
class Respondent:
    """A region, a kommun, or a län's kommuner answering together (RSS).

    `resolved` is False when the registry could not map the name; then `name`
    is kept exactly as the file wrote it and the analyst is asked to correct it.
    """

    name: str
    type: Optional[str]  # RespondentType or None when unknown
    lan: Optional[str] = None
    lan_code: Optional[str] = None
    kommun_code: Optional[str] = None
    resolved: bool = True
    raw_name: Optional[str] = None
    id: Optional[int] = None


@dataclass(frozen=True)
class Question:
    """A question of a form: id like '5a', its wording and the area it belongs to."""

    id: str
    text: str
    area: str = ""
    closed: bool = False
    options: tuple[str, ...] = ()
    form: str = ""
