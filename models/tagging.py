"""Tag a whole project: analyse answers (cached in the store), match the codebook, store suggestions.

``tag_project(store)`` reuses analysed text from ``store.get_analyses`` (keyed on the pipeline
version and the answer text), analyses only what is new, and replaces the machine suggestions
with ``store.replace_suggestions`` — codings an analyst decided on are never touched.
``train_from_decisions(store)`` fits the learned suggester on the bundled examples plus every
accepted/rejected/manual coding in the project.
"""
from __future__ import annotations

from typing import Optional

from nlp import pipeline
from nlp.codebook import Codebook, default_codebook
from nlp.disposer_training import code_questions, load_bundled
from nlp.pipeline import analyse
from nlp.tagger import AnalysedText, Tagger

__all__ = ["project_codebook", "analysed_answers", "tag_project", "train_from_decisions", "default_model",
           "default_disposer", "default_proposer", "suggestions_of", "USE_MODEL_BY_DEFAULT"]

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


def default_proposer(setting: Optional[str] = None):
    """The proposer of the default tagging (codes the rules miss): the shipped model in
    data/models/proposer.json when it is switched on — by ``nlp.proposer.SHIPPED_ON`` (chosen by
    cross-validation) or by ``setting`` / ``SVARSANALYS_PROPOSER`` ('on' / 'off'); None otherwise."""
    import config
    from nlp.proposer import shipped_proposer

    return shipped_proposer(config.PROPOSER if setting is None else setting)


def _bundled_model(codebook: Codebook):
    from nlp.suggest import CodeSuggester, examples_from_texts, load_training_examples  # (not for `cli.py tag`'s start)

    rows = load_training_examples()
    if not rows:
        return None
    docs = analyse([t for t, _ in rows])
    an = [AnalysedText.from_doc(d, t) for d, (t, _) in zip(docs, rows)]
    return CodeSuggester().fit_examples(examples_from_texts(an, [c for _, c in rows]), codebook.code_ids)


# Per open project: (answers fingerprint, [(Tagger with its analysed texts, its answers)] per batch,
# suggestions per answer).
_TAGGERS: dict = {}

# Answers analysed and tagged together by tag_project: bounds the analysed texts, rule proposals
# and word-form tables held at once (the results do not depend on it).
TAG_BATCH = 1000


def tag_project(store, codebook: Optional[Codebook] = None, *, progress=None, model=None,
                batch_size: Optional[int] = None) -> int:
    """Tag every stored answer and store the suggestions; returns how many were stored.

    Answers are loaded (or analysed), tagged and disposed ``batch_size`` at a time (default
    ``TAG_BATCH``; 0: all at once); the suggestions are written in one replace at the end. The
    Taggers of the last run are kept per project (keyed on the store path, the answers and the
    pipeline version); when only the codebook changed they re-match in memory, batch by batch,
    and only the answers whose suggestions changed are written back.
    """
    with pipeline.gc_paused():
        return _tag_project(store, codebook, progress=progress, model=model,
                            batch_size=TAG_BATCH if batch_size is None else batch_size)


_LAZY = {"analysed_answers": "models.analyses", "project_codebook": "models.analyses",
         "suggestions_of": "models.analyses", "project_disposer": "models.learning"}


def __getattr__(name: str):
    """The store-side helpers, imported on first use: `cli.py tag --in` needs only the defaults above."""
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(mod), name)
    globals()[name] = value
    return value


def _retag_kept(cb: Codebook, parts: list, before: dict) -> tuple[dict, list]:
    """Re-match the kept Taggers with an edited codebook: (suggestions per answer, changed answer ids)."""
    from models.analyses import suggestions_of

    after = dict(before)
    changed: list = []
    shared = None  # one compiled codebook for every batch, as when tagging (compiled by the first that needs it)
    for tagger, chunk in parts:
        results = tagger.retag(cb, compiled=shared)
        if shared is None:
            shared = tagger._compiled
        idx = range(len(chunk)) if tagger.touched is None else tagger.touched  # only these can differ
        fresh = suggestions_of([chunk[k] for k in idx], [results[k] for k in idx])
        after.update(fresh)
        changed += [aid for aid in fresh if fresh[aid] != before.get(aid)]
    return after, changed


def _fingerprint(keys, learned) -> int:
    """What the kept Taggers of a project were made from: every answer's (id, text, question) and the learned disposer."""
    return hash((tuple((i, t or "", q) for i, t, q in keys), learned[1:] if learned else None))


def _tag_project(store, codebook: Optional[Codebook], *, progress, model, batch_size: int) -> int:
    from models.analyses import analysed_answers, project_codebook, suggestions_of
    from models.learning import project_disposer, project_proposer

    cb = codebook or project_codebook(store)
    mdl = model if model is not None else default_model(cb)
    key = (str(store.path.resolve()), pipeline.PIPELINE_VERSION)
    learned = store.project_model("disposer")
    # the answers' ids, texts and questions decide whether the kept Taggers can re-match (read without
    # building an Answer record per answer: a re-tag after a codebook edit needs no more)
    fp = _fingerprint(store.answer_keys(), learned)
    cached = _TAGGERS.get(key)
    if mdl is None and cached is not None and cached[0] == fp:
        _, parts, before, counts = cached
        after, changed = _retag_kept(cb, parts, before)
        counts = dict(counts)
        for aid in changed:
            counts[aid] = _stored_of(after[aid])
        _TAGGERS[key] = (fp, parts, after, counts)
        if progress:
            progress(1.0, "Sparar förslag")
        if changed:
            store.replace_suggestions([s for aid in changed for s in after[aid]], answer_ids=changed)
        return sum(counts.values())
    answers = store.answers()
    disposer = project_disposer(store)
    proposer = project_proposer(store)
    _TAGGERS.clear()  # the kept Taggers of an earlier run are stale: release them before tagging
    step = batch_size if batch_size and batch_size > 0 else max(1, len(answers))
    after: dict = {}
    parts: list = []
    compiled = None
    for k in range(0, len(answers), step):
        chunk = answers[k:k + step]

        def chunk_progress(frac: float, label: str, _k: int = k, _n: int = len(chunk)) -> None:
            progress((_k + frac * _n) / max(1, len(answers)), label)

        analysed = analysed_answers(store, chunk, chunk_progress if progress else None)
        tagger = Tagger(cb, model=mdl, disposer=disposer, proposer=proposer)
        if compiled is not None:
            tagger._compiled = compiled  # one compiled codebook (and its per-form caches) for all batches
        tagger.questions = [a.question for a in chunk]
        ids = [str(a.id) for a in chunk]
        tagger.analysed, tagger.ids = analysed, ids  # first, so the tagger keeps this batch's forms for retag
        results = tagger.tag_analysed(analysed, ids)
        compiled = tagger.compiled
        after.update(suggestions_of(chunk, results))
        if mdl is None:
            tagger._remember(results)
            parts.append((tagger, chunk))
        del analysed, results, tagger
    counts = {aid: _stored_of(v) for aid, v in after.items()}
    if mdl is None:
        _TAGGERS[key] = (fp, parts, after, counts)
    if progress:
        progress(1.0, "Sparar förslag")
    store.replace_suggestions([s for v in after.values() for s in v])
    return sum(counts.values())


def _stored(after: dict) -> int:
    """How many suggestions the project holds after a tagging: one per answer, code and span (the store keeps the
    first of several suggestions of one code on one span, e.g. a code found by two terms of one sentence)."""
    return len({(s.answer_id, s.code_id, s.start, s.end) for v in after.values() for s in v})


def _stored_of(suggestions: list) -> int:
    """:func:`_stored` of one answer's suggestions (the answer id is part of what is counted, so the counts of the
    answers add up to the project's; a re-tag recounts only the answers it changed)."""
    return len({(s.code_id, s.start, s.end) for s in suggestions})


def train_from_decisions(store, codebook: Optional[Codebook] = None):
    """Fit a CodeSuggester on the bundled examples plus the project's analyst decisions.

    Accepted and manual codings are positives for their excerpt; a rejected coding makes
    its excerpt a negative (no code) unless another decision on it is positive.
    """
    from models.analyses import project_codebook
    from nlp.suggest import CodeSuggester, examples_from_texts, load_training_examples

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
