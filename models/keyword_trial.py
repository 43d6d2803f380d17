"""Trying a keyword on the project's answers before it is saved: which excerpts it would add to a code."""
from __future__ import annotations

import copy
import threading

from models.analyses import analysed_answers
from nlp.codebook import Codebook
from nlp.tagger import Tagger

_TAGGER_LOCK = threading.Lock()

Hit = tuple[str, int, int, str]


def corpus_tagger(store) -> Tagger:
    """A Tagger holding the analysed text of every answer (the project's stored analyses)."""
    answers = store.answers()
    tagger = Tagger()
    tagger.analysed = analysed_answers(store, answers)
    tagger.ids = [str(a.id) for a in answers]
    return tagger


def _hits(results, code_id: str) -> dict[tuple[str, int, int], Hit]:
    out = {}
    for res in results:
        for ex in res.excerpts:
            for ev in ex.evidence:
                if ev.code == code_id and not ev.negated:
                    out[(res.id, ex.start, ex.end)] = (ex.text, ev.start - ex.start, ev.end - ex.start, res.id)
    return out


def keyword_test(tagger: Tagger, doc: dict, code_id: str, keyword: str) -> tuple[int, int, list[Hit]]:
    """(hits now, hits with the keyword, new hits as (excerpt, evidence start, evidence end, answer id)).

    Only the tested code is matched: the rules of one code do not depend on the others.
    """
    only = copy.deepcopy(doc)
    only["categories"] = [
        {**cat, "codes": [c for c in cat.get("codes") or [] if c.get("id") == code_id]}
        for cat in only.get("categories") or [] if any(c.get("id") == code_id for c in cat.get("codes") or [])
    ]
    trial = copy.deepcopy(only)
    for cat in trial["categories"]:
        for code in cat["codes"]:
            code.setdefault("keywords", []).append(keyword)
    with _TAGGER_LOCK:
        before = _hits(tagger.retag(Codebook.from_doc(only)), code_id)
        after = _hits(tagger.retag(Codebook.from_doc(trial)), code_id)
    new = [after[k] for k in after if k not in before]
    return len(before), len(after), new
