"""Team coding over the store: drawing a double-coding sample, comparing two coders, resolving.

Pure statistics live in nlp/agreement.py and nlp/sampling.py; SQL stays in models/store.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from nlp.agreement import Agreement, agreement, disagreements, segment_overlap
from nlp.sampling import stratified_sample


def draw_sample(store, fraction: float, coders: Iterable[str], *, blind: bool = True, seed: int = 18,
                analyst: Optional[str] = None, sample: str = "") -> list[int]:
    """Draw ceil(fraction · n) answers per question and respondent type and assign them to every coder.

    Only answers with text are drawn. Returns the drawn answer ids (already assigned ones included).
    """
    names = [c.strip() for c in coders if c and c.strip()]
    if len(set(names)) < 2:
        raise ValueError("Minst två analytiker behövs för dubbelkodning.")
    frame = store.answer_frame()
    frame = frame[frame["text"].fillna("").str.strip() != ""]
    items = [(int(r.answer_id), (r.question, r.respondent_type or "")) for r in frame.itertuples(index=False)]
    if not items:
        return []
    ids = stratified_sample(items, fraction, seed=seed)
    store.assign(ids, sorted(set(names)), sample=sample or f"urval {round(fraction * 100)} %", blind=blind,
                 analyst=analyst)
    return ids


@dataclass
class Comparison:
    """Two coders compared: passage-level agreement, segment overlap and the disagreements."""

    coder_a: str
    coder_b: str
    result: Agreement
    overlap: dict[str, Optional[float]]
    disagreements: list[tuple[int, list[str], list[str]]]  # (answer id, only a, only b)
    spans_a: dict
    spans_b: dict

    def rows(self, labels: Optional[dict[str, str]] = None) -> list[dict]:
        """One row per code for a table (Swedish column names)."""
        labels = labels or {}
        return [{"Kod": labels.get(code, code), "Överensstämmelse": c.agreement, "Cohens κ": c.kappa,
                 "Krippendorffs α": c.alpha, self.coder_a: c.a, self.coder_b: c.b,
                 "Textöverlapp": self.overlap.get(code)} for code, c in self.result.codes.items()]


def compare(store, coder_a: str, coder_b: str) -> Comparison:
    """Compare two coders (an analyst, or "taggaren") over the answers both have coded."""
    spans_a, spans_b = store.coder_spans(coder_a), store.coder_spans(coder_b)
    pres_a = {k: set(v) for k, v in spans_a.items()}
    pres_b = {k: set(v) for k, v in spans_b.items()}
    return Comparison(coder_a, coder_b, agreement(pres_a, pres_b), segment_overlap(spans_a, spans_b),
                      disagreements(pres_a, pres_b), spans_a, spans_b)


def resolve(store, comparison: Comparison, answer_id: int, codes: Iterable[str], analyst: str) -> int:
    """Store the final coding of a disputed answer: each chosen code on the coders' spans
    (coder a's when both marked it, else b's; the whole answer when neither did). Returns codings written."""
    text = next((a.text for a in store.answers([answer_id])), "")
    written = 0
    for code in codes:
        spans = comparison.spans_a.get(answer_id, {}).get(code) or comparison.spans_b.get(answer_id, {}).get(code) \
            or [(0, len(text))]
        for start, end in spans:
            if 0 <= start < end <= len(text):
                store.add_manual_coding(answer_id, code, start, end, analyst)
                written += 1
    return written
