"""What an export contains: the analyst's current selection and options.

Every exporter takes a `Selection`; the default exports accepted and manual codings of
every code and respondent. `include_suggestions=True` adds the machine suggestions that
are still undecided; rejected codings are exported only if `decisions` names them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import pandas as pd

from export.safety import mask_personal_data
from models import views


@dataclass(frozen=True)
class Selection:
    """Filters and options shared by all exports (None = no filter)."""

    code_ids: Optional[Sequence[str]] = None
    category_ids: Optional[Sequence[str]] = None
    respondent_ids: Optional[Sequence[int]] = None
    questions: Optional[Sequence[str]] = None
    lans: Optional[Sequence[str]] = None
    respondent_types: Optional[Sequence[str]] = None
    decisions: Optional[Sequence[str]] = None
    include_suggestions: bool = False
    mask_personal_data: bool = False
    rounds: Optional[Sequence[str]] = None

    @property
    def effective_decisions(self) -> tuple[str, ...]:
        """`decisions` if given, else accepted + manual (+ suggested with include_suggestions)."""
        if self.decisions is not None:
            return tuple(self.decisions)
        return views.decisions_for(self.include_suggestions)


def excerpts(store, selection: Optional[Selection] = None, *, with_answer_text: bool = False) -> pd.DataFrame:
    """The coded excerpts of the selection (see `models.views.excerpt_frame`), PII-masked if asked."""
    sel = selection or Selection()
    df = views.excerpt_frame(
        store, decisions=sel.effective_decisions, code_ids=sel.code_ids, category_ids=sel.category_ids,
        respondent_ids=sel.respondent_ids, questions=sel.questions, lans=sel.lans,
        respondent_types=sel.respondent_types, with_answer_text=with_answer_text, rounds=sel.rounds,
    )
    if sel.mask_personal_data and not df.empty:
        for col in ("excerpt", "evidence", "memo") + (("answer_text",) if with_answer_text else ()):
            df[col] = [mask_personal_data(t) if isinstance(t, str) else t for t in df[col]]
    return df
