"""Per-code leave-one-file-out figures and the errors of chosen codes, with the disposer's probabilities:
``python tools/lofo_codes.py [--sets NAME...] [--extra FILE]... [--knob NAME=VALUE]... [--codes CODE...]
[--cache DIR] [--proposer-cache DIR] [--json OUT] [--list] [--compare BEFORE.json]``.

For every set S of ``--sets`` (names under data/eval, or ``dev_gold`` for the shared dev gold; the held-out sets
refused) the disposer is fitted by the shipped recipe (``nlp.disposer_training.fit_bundled``'s parameters) on
``training_files()`` without S plus the ``--extra`` files, and S is tagged by ``Tagger(codebook, disposer,
proposer)`` without question ids (as ``cli.py eval``). The proposer is the one ``tools/lofo_sets.py`` fitted
without S on the shipped files (read from its ``--cache``, keyed by the training hash at the shipped
FEATURES_VERSION; none for ``dev_gold``), so only the disposer changes between runs: this measures disposer
features and disposer data. The rule results are computed once per run and the out-of-fold text-model
probabilities once per file set (cached in ``--cache``), so a run over the eleven spent sets takes minutes.
``--knob NAME=VALUE`` sets a module setting of ``nlp.disposer_features`` (a Python literal) for the run.

Prints per set micro P/R/F1, the mean over the sets (``dev_gold`` apart), and per code of ``--codes`` the
true/false positives and misses summed over the sets with P/R/F1; ``--list`` also prints every false positive
and miss of those codes (set, id, disposer probability or "-" when the rules did not propose it or the code
came from the proposer, the gold codes of the passage, the mentions' sentences). ``--compare BEFORE.json`` (the
``--json`` of an earlier run over the same sets and codes): per set the change of micro P and F1, and every listed
(set, id, code) whose kind changed (e.g. FP -> TN) with its probability before and after. blind_round14 and 15 are
not training data: the fit without them is the fit on all training files (the shipped recipe's).
"""
from __future__ import annotations

import argparse
import ast
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from nlp.disposer_training import refuse_held_out  # noqa: E402
SPENT = [f"blind_round{k}" for k in range(4, 16)]
FOCUS = ["systemledning_uppfoljning", "samverkan_verksamhetsnara", "proaktiv_vard_skora_aldre",
         "utbildning_kommunikation_omstallning"]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", nargs="+", default=SPENT + ["dev_gold"])
    ap.add_argument("--extra", action="append", default=[])
    ap.add_argument("--knob", action="append", default=[])
    ap.add_argument("--codes", nargs="+", default=FOCUS)
    ap.add_argument("--cache", default="/tmp/lofo_codes")
    ap.add_argument("--proposer-cache", default="/tmp/lofo_sets", help="tools/lofo_sets.py --cache")
    ap.add_argument("--json")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--compare", help="--json of an earlier run: per-set deltas and the errors that changed kind")
    a = ap.parse_args()
    for n in a.sets + a.extra:
        refuse_held_out(n)
    import nlp.disposer_features as DF
    for kv in a.knob:
        k, v = kv.split("=", 1)
        if not hasattr(DF, k):
            raise SystemExit(f"nlp.disposer_features has no setting {k}")
        setattr(DF, k, ast.literal_eval(v))
    from dev_gold_variants import cached_text_rows, file_set_key
    from lofo_sets import _name, files_with
    from nlp.codebook import default_codebook
    from nlp.disposer import Disposer, mention_sentences
    from nlp.disposer_training import (EVAL_DIR, SENTENCE_TEXT, SHARED_GOLD, SHIPPED_THRESHOLD, code_questions,
                                       proposal_rows, rule_results, training_hash, training_passages)
    from nlp.evaluate import read_gold, score
    from nlp.proposer import Proposer
    from nlp.tagger import Tagger

    cb = default_codebook()
    cache = Path(a.cache)
    cache.mkdir(parents=True, exist_ok=True)
    extra = [Path(s) for s in a.extra]
    rules = Tagger(cb)
    out: dict = {"sets": {}, "items": [], "codes": list(a.codes)}
    for n in a.sets:
        t0 = time.perf_counter()
        if n == "dev_gold":
            files, gpath = [f for f in files_with([]) if f != SHARED_GOLD], SHARED_GOLD
        else:
            name = _name(n)
            files, gpath = [f for f in files_with([]) if f.name != name], EVAL_DIR / name
        pm = None
        pp = Path(a.proposer_cache) / f"lofo_{training_hash(files)[:16]}.json"
        if pp.exists():
            pm = Proposer.from_json(json.loads(pp.read_text(encoding="utf-8"))["proposer"])
        files = files + extra
        passages = training_passages(files)
        res = rule_results(passages, rules)
        probs, sprobs, tm = cached_text_rows(passages, res, cb.code_ids, cache / f"text_{file_set_key(files)}.pkl")
        d = Disposer(C=0.5, threshold=SHIPPED_THRESHOLD, context_words=False, sentence_text=SENTENCE_TEXT)
        d.code_questions = code_questions(cb)
        d.text_model_ = tm
        X, y, groups = proposal_rows(passages, None, d, text_probs=probs, sent_probs=sprobs, results=res)
        d.fit(X, y, groups=groups)
        gold = read_gold(gpath)
        t = Tagger(cb, disposer=d, proposer=pm)
        got = t.tag_texts([g.text for g in gold], ids=[g.id for g in gold], questions=None)
        raw = t.raw_results
        props, XX = d.features(raw, None)
        prob = {(p.index, p.code): (float(v), p) for p, v in zip(props, d.proposal_proba(props, XX).tolist())}
        s = score([g.codes for g in gold], [r.codes for r in got], cb.code_ids)
        per: dict = {}
        for i, (g, r) in enumerate(zip(gold, got)):
            G, R = set(g.codes), set(r.codes)
            for c in G | R:
                st = per.setdefault(c, [0, 0, 0])
                st[0 if c in G and c in R else 1 if c in R else 2] += 1
            for c in a.codes:
                if (c in G) != (c in R) or (i, c) in prob:
                    v, p = prob.get((i, c), (None, None))
                    out["items"].append({"set": n, "id": g.id, "code": c, "question": g.question,
                                         "gold": sorted(G),
                                         "kind": "TP" if c in G and c in R else "FP" if c in R else
                                         "FN" if c in G else "TN", "prob": v,
                                         "sentences": mention_sentences(raw[i], p) if p else []})
        out["sets"][n] = {"micro": [s.micro_p, s.micro_r, s.micro_f1], "per_code": per}
        print("%-14s P=%.3f R=%.3f F1=%.4f   (%.0fs%s)" % (n, s.micro_p, s.micro_r, s.micro_f1,
                                                         time.perf_counter() - t0, "" if pm else ", no proposer"),
              flush=True)
    sets = [n for n in a.sets if n != "dev_gold"]
    if sets:
        print("mean over %d sets: F1=%.4f" % (len(sets), sum(out["sets"][n]["micro"][2] for n in sets) / len(sets)))
    for c in a.codes:
        tp, fp, fn = (sum(out["sets"][n]["per_code"].get(c, [0, 0, 0])[k] for n in sets) for k in range(3))
        P, R = tp / max(1, tp + fp), tp / max(1, tp + fn)
        print(f"{c:40s} tp {tp:3d} fp {fp:3d} fn {fn:3d}  P {P:.3f} R {R:.3f} F1 {2 * P * R / max(1e-9, P + R):.3f}")
    if a.list:
        for it in out["items"]:
            if it["kind"] in ("FP", "FN"):
                pv = "-" if it["prob"] is None else "%.3f" % it["prob"]
                print(f"[{it['kind']}] {it['code']} {it['set']} {it['id']} q={it['question'] or '-'} p={pv} "
                      f"gold={','.join(it.get('gold', [])) or '-'}")
                for snt in it["sentences"]:
                    print("      " + snt)
    if a.compare:
        compare(json.loads(Path(a.compare).read_text(encoding="utf-8")), out)
    if a.json:
        Path(a.json).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def compare(before: dict, after: dict) -> None:
    """Print per set the change of micro P and F1 from ``before`` to ``after`` (two ``--json`` documents) and
    every (set, id, code) of their items whose kind changed, with the disposer probabilities (only the sets and
    codes both runs scored)."""
    for n, s in after["sets"].items():
        if n in before["sets"]:
            b = before["sets"][n]["micro"]
            print("%-14s dP=%+.4f dF1=%+.4f" % (n, s["micro"][0] - b[0], s["micro"][2] - b[2]))
    key = lambda it: (it["set"], it["id"], it["code"])  # noqa: E731
    sets = set(before["sets"]) & set(after["sets"])
    codes = set(before.get("codes") or [it["code"] for it in before["items"]]) & set(after["codes"])
    old = {key(it): it for it in before["items"] if it["set"] in sets and it["code"] in codes}
    new = {key(it): it for it in after["items"] if it["set"] in sets and it["code"] in codes}
    fmt = lambda it: "-" if it is None or it["prob"] is None else "%.3f" % it["prob"]  # noqa: E731
    for k in sorted(set(old) | set(new)):
        x, y = old.get(k), new.get(k)
        kx, ky = (x["kind"] if x else "TN"), (y["kind"] if y else "TN")
        if kx != ky:
            print(f"  {k[0]} {k[1]} {k[2]}: {kx} -> {ky}  p {fmt(x)} -> {fmt(y)}")


if __name__ == "__main__":
    sys.exit(main())
