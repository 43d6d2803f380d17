"""Disposer variants measured on the shared dev gold left out of the training (real text: the annual report's
prose, "source": "report", and real answers, "source": "answer"):
``python tools/dev_gold_variants.py [--add SET]... [--extra FILE]... [--weight W] [--proposer] [--cache DIR] VARIANT...``

The training passages are ``training_files()`` without the shared dev gold, plus the ``--add`` eval sets
(the held-out sets refused) and the ``--extra`` training files (e.g. candidate data not yet under
data/training). Their rule results and out-of-fold text-model probabilities are computed once per file set
(cached in ``--cache``), then for every VARIANT the disposer is refit by the shipped recipe
(``nlp.disposer_training.fit_bundled``'s parameters) and the dev gold is tagged by ``Tagger(codebook,
disposer[, proposer])``. VARIANT: ``base`` or comma-separated knobs of ``nlp.disposer_features``
(``ev=log|ind|none``, ``def=log|bin|none``, ``lex=<scale>``) and ``drop=<prefix>+<prefix>`` (feature names
removed, e.g. ``drop=sugg_p+sugg_logit``: the passage's text-model features). ``--weight W``: the rows of the
``--extra`` files weigh W in the disposer fit. Prints micro P/R/F1 over all / answer / report passages.
With ``base`` and no options it reproduces ``fit_bundled(files=training_files() - dev gold)``.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))
from nlp.disposer_training import refuse_held_out  # noqa: E402


def file_set_key(files) -> str:
    """A short key of training files' names and bytes (for caches of what is computed once per file set)."""
    return hashlib.sha256("|".join(f"{f.name}:{hashlib.sha256(f.read_bytes()).hexdigest()}"
                                   for f in files).encode()).hexdigest()[:16]


def cached_text_rows(passages, res, code_ids, path: Path):
    """:func:`nlp.disposer_training.text_rows` of training passages and their rule results, read from ``path``
    when it exists, else computed and written there."""
    if path.exists():
        return pickle.loads(path.read_bytes())
    from nlp.disposer_training import text_rows

    got = text_rows(passages, res, code_ids)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(got))
    return got


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--add", action="append", default=[])
    ap.add_argument("--extra", action="append", default=[])
    ap.add_argument("--weight", type=float, default=1.0)
    ap.add_argument("--proposer", action="store_true", help="also the proposer (fitted on the same passages)")
    ap.add_argument("--cache", default="/tmp/dev_gold_variants")
    ap.add_argument("variants", nargs="*", default=["base"])
    a = ap.parse_args()
    import nlp.disposer_features as DF
    from nlp.codebook import default_codebook
    from nlp.disposer import Disposer
    from nlp.disposer_training import (EVAL_DIR, SENTENCE_TEXT, SHARED_GOLD, SHIPPED_THRESHOLD, code_questions,
                                       proposal_rows, rule_results, training_files, training_passages)
    from nlp.tagger import Tagger

    for n in a.add + a.extra:
        refuse_held_out(n)
    gold = [json.loads(line) for line in SHARED_GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    cb = default_codebook()
    files = [f for f in training_files() if f != SHARED_GOLD]
    k = max(i for i, f in enumerate(files) if f.parent == EVAL_DIR) + 1
    extra = [Path(s) for s in a.extra]
    files = files[:k] + [EVAL_DIR / (n if n.endswith(".jsonl") else n + ".jsonl") for n in a.add] + files[k:] + extra
    cache = Path(a.cache) / f"rows_{file_set_key(files)}.pkl"
    passages = training_passages(files)
    res = rule_results(passages, Tagger(cb))
    probs, sprobs, tm = cached_text_rows(passages, res, cb.code_ids, cache)
    pm = None
    if a.proposer:
        from train_proposer import fit_bundled as fit_proposer

        pm = fit_proposer(passages)
    extra_stems = tuple(f.stem + ":" for f in extra)

    def score(pred, src):
        tp = fp = fn = 0
        for gg, p in zip(gold, pred):
            if src and gg.get("source") != src:
                continue
            G = set(gg["codes"])
            tp, fp, fn = tp + len(G & p), fp + len(p - G), fn + len(G - p)
        P, R = tp / max(1, tp + fp), tp / max(1, tp + fn)
        return f"P {P:.3f} R {R:.3f} F1 {2 * P * R / max(1e-9, P + R):.3f}"

    saved = DF.EVIDENCE, DF.DEF_OVERLAP, DF.LEXICAL_SCALE
    for v in a.variants:
        DF.EVIDENCE, DF.DEF_OVERLAP, DF.LEXICAL_SCALE = saved
        drop: tuple = ()
        for part in filter(None, v.split(",")):
            if part == "base":
                continue
            kk, vv = part.split("=")
            if kk == "ev":
                DF.EVIDENCE = vv
            elif kk == "def":
                DF.DEF_OVERLAP = vv
            elif kk == "lex":
                DF.LEXICAL_SCALE = float(vv)
            elif kk == "drop":
                drop = tuple(vv.split("+"))

        class Variant(Disposer):
            def features(self, *args, **kw):
                props, X = super().features(*args, **kw)
                if drop:
                    for f in X:
                        for name in [n for n in f if n.startswith(drop)]:
                            del f[name]
                return props, X

        d = Variant(C=0.5, threshold=SHIPPED_THRESHOLD, context_words=False, sentence_text=SENTENCE_TEXT)
        d.code_questions = code_questions(cb)
        d.text_model_ = tm
        X, y, groups = proposal_rows(passages, None, d, text_probs=probs, sent_probs=sprobs, results=res)
        w = [a.weight if g.startswith(extra_stems) else 1.0 for g in groups] if extra_stems else None
        d.fit(X, y, groups=groups, sample_weight=w)
        got = [set(r.codes) for r in Tagger(cb, disposer=d, proposer=pm).tag_texts([g["text"] for g in gold])]
        print(f"{v:40s} " + " | ".join(f"{s or 'all'}: {score(got, s)}" for s in (None, "answer", "report")),
              flush=True)
    DF.EVIDENCE, DF.DEF_OVERLAP, DF.LEXICAL_SCALE = saved
    return 0


if __name__ == "__main__":
    sys.exit(main())
