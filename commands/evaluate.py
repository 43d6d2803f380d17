"""`python cli.py eval --gold FILE.jsonl [--codebook PATH]`: per-code P/R/F1/kappa, micro and macro F1.

Evaluates the default tagging: the codebook rules propose, the disposer keeps or drops
(models/tagging.py default_disposer). Passages of the gold file that are among the disposer's
training data are scored in-sample; tools/train_disposer.py --cv gives out-of-fold figures. When the default includes the learned model, its figures are 5-fold
cross-validated so no passage is predicted by a model that saw it.
"""
from __future__ import annotations

import sys


def run(args) -> int:
    from nlp.codebook import CodebookError, default_codebook, load_codebook
    from nlp.evaluate import (GoldError, cross_validated_predictions, format_table, format_value_scores,
                              has_value_labels, read_gold, rule_predictions, score, value_scores)

    try:
        gold = read_gold(args.gold)
        codebook = load_codebook(args.codebook) if getattr(args, "codebook", None) else default_codebook()
    except (GoldError, CodebookError) as e:
        print(f"FEL: {e}", file=sys.stderr)
        return 1
    from models.tagging import USE_MODEL_BY_DEFAULT, default_disposer, default_proposer
    from nlp.tagger import Tagger

    disposer = default_disposer(codebook)
    proposer = default_proposer()
    tagger = Tagger(codebook, disposer=disposer, proposer=proposer)
    if USE_MODEL_BY_DEFAULT:
        pred = cross_validated_predictions(gold, tagger, mode="combined")
        title = "Regler + modell (5-faldig korsvalidering)"
    else:
        pred = rule_predictions(gold, tagger)
        title = ("Regler + beslutsmodell (kodboken föreslår, beslutsmodellen behåller eller stryker)"
                 + (" + förslagsmodell (koder som reglerna missar)" if proposer is not None else "")
                 if disposer is not None else "Regler (kodboken; ingen inlärd modell i standardtaggningen)")
    s = score([g.codes for g in gold], pred, codebook.code_ids)
    print(f"{title}, {len(gold)} passager från {args.gold}")
    print(format_table(s))
    if has_value_labels(gold):
        # status / scope per code as `cli.py tag` reports them (rules; the codes the tagger finds)
        results = tagger.tag_texts([g.text for g in gold], ids=[g.id for g in gold])
        values = [r.code_values() for r in results]
        for k, dim in enumerate(("status", "scope")):
            print(format_value_scores(value_scores(gold, [v[k] for v in values], dim)))
    return 0
