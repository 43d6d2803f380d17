"""Tag a whole project: analyse answers (cached in the store), match the codebook, store suggestions.

``tag_project(store)`` reuses analysed text from ``store.get_analyses`` (keyed on the pipeline
version and the answer text), analyses only what is new, and replaces the machine suggestions
with ``store.replace_suggestions`` — codings an analyst decided on are never touched.
``train_from_decisions(store)`` fits the learned suggester on the bundled examples plus every
accepted/rejected/manual coding in the project.
"""
from __future__ import annotations

from typing import Optional

from models.analyses import analysed_answers, project_codebook, suggestions_of
from models.learning import project_disposer
from nlp import pipeline
from nlp.codebook import Codebook, default_codebook
from nlp.disposer_training import code_questions, load_bundled
from nlp.pipeline import analyse
from nlp.suggest import CodeSuggester, examples_from_texts, load_training_examples
from nlp.tagger import AnalysedText, Tagger

__all__ = ["project_codebook", "analysed_answers", "tag_project", "train_from_decisions", "default_model",
           "default_disposer", "suggestions_of", "USE_MODEL_BY_DEFAULT"]

# Measured on dev_gold, 5-fold CV (micro/macro F1): rules 0.888/0.896; model only 0.527/0.370
# (0.662/0.605 with the bundled examples); rules+model 0.881/0.893. The rules alone are the best
# combination, so the model is off in the default `cli.py tag` (and sklearn is never imported).
USE_MODEL_BY_DEFAULT = False


def default_model(codebook: Optional[Codebook] = None):
    """The model used by the default tag command (None: rules only, as measured best)."""
    if not USE_MODEL_BY_DEFAULT:
        return None
    return _bundled_model(codebook or default_codebook())


def default_disposer(codebook: Optional[Codebook] = None):
    """The disposer of the default tagging (rules propose, the disposer keeps or drops): the shipped
    model in data/models/disposer.json (None when absent: rules only)."""
    d = load_bundled()
    if d is not None and codebook is not None and not d.code_questions:
        d.code_questions = code_questions(codebook)
    return d


def _bundled_model(codebook: Codebook):
    rows = load_training_examples()
    if not rows:
        return None
    docs = analyse([t for t, _ in rows])
    an = [AnalysedText.from_doc(d, t) for d, (t, _) in zip(docs, rows)]
    return CodeSuggester().fit_examples(examples_from_texts(an, [c for _, c in rows]), codebook.code_ids)


# Per open project: (answers fingerprint, Tagger with its analysed texts, suggestions per answer).
_TAGGERS: dict = {}


def tag_project(store, codebook: Optional[Codebook] = None, *, progress=None, model=None) -> int:
    """Tag every stored answer and store the suggestions; returns how many were stored.

    The Tagger of the last run is kept per project (keyed on the store path, the answers and the
    pipeline version); when only the codebook changed it re-matches in memory and writes back only
    the answers whose suggestions changed.
    """
    with pipeline.gc_paused():
        return _tag_project(store, codebook, progress=progress, model=model)


def _tag_project(store, codebook: Optional[Codebook], *, progress, model) -> int:
    cb = codebook or project_codebook(store)
    answers = store.answers()
    mdl = model if model is not None else default_model(cb)
    disposer = project_disposer(store)
    key = (str(store.path.resolve()), pipeline.PIPELINE_VERSION)
    learned = store.project_model("disposer")
    fp = hash((tuple((a.id, a.text or "", a.question) for a in answers), learned[1:] if learned else None))
    cached = _TAGGERS.get(key)
    if mdl is None and cached is not None and cached[0] == fp:
        _, tagger, before = cached
        results = tagger.retag(cb)
        touched = tagger.touched
        if touched is None:
            after = suggestions_of(answers, results)
            changed = [aid for aid in after if after[aid] != before.get(aid)]
        else:
            # only the touched answers can differ: rebuild their suggestions, share the rest
            after = dict(before)
            fresh = suggestions_of([answers[k] for k in touched], [results[k] for k in touched])
            after.update(fresh)
            changed = [aid for aid in fresh if fresh[aid] != before.get(aid)]
        _TAGGERS[key] = (fp, tagger, after)
        if progress:
            progress(1.0, "Sparar förslag")
        if changed:
            store.replace_suggestions([s for aid in changed for s in after[aid]], answer_ids=changed)
        return sum(len(v) for v in after.values())
    analysed = analysed_answers(store, answers, progress)
    tagger = Tagger(cb, model=mdl, disposer=disposer)
    tagger.questions = [a.question for a in answers]
    ids = [str(a.id) for a in answers]
    tagger.analysed, tagger.ids = analysed, ids  # first, so the tagger keeps this batch's forms for retag
    results = tagger.tag_analysed(analysed, ids)
    after = suggestions_of(answers, results)
    if mdl is None:
        tagger._remember(results)
        _TAGGERS.clear()
        _TAGGERS[key] = (fp, tagger, after)
    else:
        _TAGGERS.pop(key, None)
    if progress:
        progress(1.0, "Sparar förslag")
    store.replace_suggestions([s for v in after.values() for s in v])
    return sum(len(v) for v in after.values())


def train_from_decisions(store, codebook: Optional[Codebook] = None):
    """Fit a CodeSuggester on the bundled examples plus the project's analyst decisions.

    Accepted and manual codings are positives for their excerpt; a rejected coding makes
    its excerpt a negative (no code) unless another decision on it is positive.
    """
    cb = codebook or project_codebook(store)
    rows = [(t, tuple(c)) for t, c in load_training_examples()]
    excerpts: dict[tuple[int, int, int], set] = {}
    texts: dict[tuple[int, int, int], str] = {}
    for c in store.codings(decisions=["accepted", "rejected", "manual"]):
        key = (c.answer_id, c.start, c.end)
        excerpts.setdefault(key, set())
        texts[key] = (c.text or "")[c.start:c.end] if c.text else ""
        if c.decision in ("accepted", "manual"):
            excerpts[key].add(c.code_id)
    rows += [(texts[k], tuple(sorted(v))) for k, v in excerpts.items() if texts[k].strip()]
    if not rows:
        return None
    docs = analyse([t for t, _ in rows])
    an = [AnalysedText.from_doc(d, t) for d, (t, _) in zip(docs, rows)]
    return CodeSuggester().fit_examples(examples_from_texts(an, [c for _, c in rows]), cb.code_ids)
