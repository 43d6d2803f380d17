"""A project's codebook and analysed answers, and tag results as stored suggestions."""
from __future__ import annotations

from typing import Callable, Optional

from models.records import CodingSuggestion
from nlp import pipeline
from nlp.codebook import Codebook, default_codebook
from nlp.tagger import AnalysedText

__all__ = ["analysed_answers", "project_codebook", "suggestions_of"]


def project_codebook(store) -> Codebook:
    """The project's saved codebook, else the default one."""
    doc = store.codebook_doc()
    if doc:
        return Codebook.from_doc(doc, source="projektets kodbok")
    return default_codebook()


def analysed_answers(store, answers, progress: Optional[Callable[[float, str], None]] = None):
    """AnalysedText per answer, reusing and filling the store's analysis cache."""
    ids = [a.id for a in answers]
    cached = store.get_analyses(ids, pipeline.PIPELINE_VERSION)
    out = {}
    for a in answers:
        data = cached.get(a.id)
        if data is not None:
            try:
                out[a.id] = AnalysedText.from_doc(pipeline.doc_from_bytes(data), a.text)
            except ValueError:
                pass
    todo = [a for a in answers if a.id not in out]
    step = 500
    for k in range(0, len(todo), step):
        chunk = todo[k:k + step]
        docs = pipeline.analyse([a.text or "" for a in chunk])
        store.put_analyses([(a.id, a.text or "", pipeline.doc_to_bytes(d)) for a, d in zip(chunk, docs)],
                           pipeline.PIPELINE_VERSION)
        for a, d in zip(chunk, docs):
            out[a.id] = AnalysedText.from_doc(d, a.text or "")
        if progress:
            progress(min(1.0, (k + len(chunk)) / max(1, len(todo))), "Analyserar svar")
    return [out[a.id] for a in answers]


def suggestions_of(answers, results) -> dict:
    """CodingSuggestions per answer id from tag results (same order as answers)."""
    out: dict = {}
    for a, res in zip(answers, results):
        rows = out.setdefault(a.id, [])
        for x in res.excerpts:
            for e in x.evidence:
                rows.append(CodingSuggestion(answer_id=a.id, code_id=e.code, start=x.start, end=x.end,
                                             evidence_start=e.start, evidence_end=e.end, negated=e.negated,
                                             status=e.status, scope=e.scope, confidence=float(e.confidence),
                                             origin=e.origin))
    return out
