"""CPU seconds of the disposer's feature extraction per 10,000 rule proposals:
``python bench/disposer_features_speed.py``.

Tags the training passages once (rules only), then extracts the proposals' features five times
over with every feature cache cleared before each pass (the passages are new text each time):
role features alone, and role features plus the text model's probabilities (what
``Disposer.features`` does in every ``cli.py tag``). Prints one JSON line.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _clear_caches() -> None:
    import nlp.disposer_features as F

    for name in dir(F):
        fn = getattr(F, name)
        if hasattr(fn, "cache_clear") and name != "default_code_terms":
            fn.cache_clear()


def main(repeats: int = 5) -> dict:
    from nlp.disposer_features import proposal_features, proposals_of
    from nlp.disposer_training import load_bundled, training_passages
    from nlp.tagger import Tagger

    d = load_bundled()
    passages = training_passages()
    res = Tagger().tag_texts([p[1] for p in passages])
    props = proposals_of(res)
    proposal_features(res[:5], proposals_of(res[:5]), code_questions=d.code_questions)  # imports, codebook terms
    roles = full = 0.0
    for _ in range(repeats):
        _clear_caches()
        t = time.process_time()
        proposal_features(res, props, code_questions=d.code_questions, context_words=d.context_words,
                          clause_words=d.clause_words)
        roles += time.process_time() - t
        _clear_caches()
        t = time.process_time()
        _, X = d.features(res)
        d.predict_proba_dicts(X)
        full += time.process_time() - t
    n = len(props) * repeats
    out = {"proposals": n, "role_features_cpu_s_per_10k": round(roles * 10000 / n, 3),
           "features_and_predict_cpu_s_per_10k": round(full * 10000 / n, 3)}
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
