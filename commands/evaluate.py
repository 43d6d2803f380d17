"""`python cli.py eval --gold FILE.jsonl [FILE.jsonl ...] [--codebook PATH]`: per-code P/R/F1/kappa, micro and macro F1.

Evaluates the default tagging: the codebook rules propose, the disposer keeps or drops
(models/tagging.py default_disposer). Passages of the gold file that are among the disposer's
training data are scored in-sample; tools/train_disposer.py --cv gives out-of-fold figures. When the default includes the learned model, its figures are 5-fold
cross-validated so no passage is predicted by a model that saw it.

Several gold files are evaluated one after the other with one tagger (one start-up); each gets its own report.
A file that cannot be read is named on stderr, the others are still evaluated, and the exit code is 1.
"""
from __future__ import annotations

import sys


def run(args) -> int:
    from nlp.codebook import CodebookError, default_codebook, load_codebook
    from nlp.evaluate import GoldError, read_gold

    try:
        codebook = load_codebook(args.codebook) if getattr(args, "codebook", None) else default_codebook()
    except CodebookError as e:
        print(f"FEL: {e}", file=sys.stderr)
        return 1
    paths = args.gold if isinstance(args.gold, list) else [args.gold]
    golds = []
    failed = False
    for path in paths:
        try:
            golds.append((path, read_gold(path)))
        except GoldError as e:
            print(f"FEL: {e}", file=sys.stderr)
            failed = True
    if not golds:
        return 1
    tagger = _default_tagger(codebook)
    for k, (path, gold) in enumerate(golds):
        if k:
            print()
        _report(path, gold, tagger, codebook)
    return 1 if failed else 0


def _default_tagger(codebook):
    """The tagger `cli.py tag` uses: the codebook rules, the shipped disposer and proposer."""
    from models.tagging import default_disposer, default_proposer
    from nlp.tagger import Tagger

    return Tagger(codebook, disposer=default_disposer(codebook), proposer=default_proposer())


def _report(path: str, gold: list, tagger, codebook) -> None:
    """Prints the per-code table, micro and macro F1 (and status/scope where labelled) of one gold file."""
    from models.tagging import USE_MODEL_BY_DEFAULT
    from nlp.evaluate import (cross_validated_predictions, format_table, format_value_scores, has_value_labels,
                              rule_predictions, score, value_scores)

    if USE_MODEL_BY_DEFAULT:
        pred = cross_validated_predictions(gold, tagger, mode="combined")
        title = "Regler + modell (5-faldig korsvalidering)"
    else:
        pred = rule_predictions(gold, tagger)
        title = ("Regler + beslutsmodell (kodboken föreslår, beslutsmodellen behåller eller stryker)"
                 + (" + förslagsmodell (koder som reglerna missar)" if tagger.proposer is not None else "")
                 if tagger.disposer is not None else "Regler (kodboken; ingen inlärd modell i standardtaggningen)")
    s = score([g.codes for g in gold], pred, codebook.code_ids)
    print(f"{title}, {len(gold)} passager från {path}")
    print(format_table(s))
    if has_value_labels(gold):
        # status / scope per code as `cli.py tag` reports them (rules; the codes the tagger finds)
        results = tagger.tag_texts([g.text for g in gold], ids=[g.id for g in gold])
        values = [r.code_values() for r in results]
        for k, dim in enumerate(("status", "scope")):
            print(format_value_scores(value_scores(gold, [v[k] for v in values], dim)))
