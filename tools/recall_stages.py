"""Where does the default tagging lose gold codes? ``python tools/recall_stages.py SET... [--json FILE] [--misses]``.

For every gold set (names under data/eval or paths; the held-out sets refused) each gold code the default
tagging (rules + shipped disposer + shipped proposer, the path of ``cli.py eval``) misses is put in one stage:

- ``dropped``: the rules proposed it (present, not negated) and the disposer's probability was below its
  threshold (the probability is binned);
- ``negated``: the rules found it only negated or cancelled (the proposer never adds a code the rules found);
- ``proposer_low``: the rules found nothing and the proposer's passage probability was below its threshold
  (binned);
- ``proposer_withheld``: the rules found nothing, the proposer's probability reached its threshold but the code
  was not added (its best sentence negated / put off, or the passage too short);
- ``other``: anything else (should be 0).

Printed per set and pooled, and by passage density (gold codes per passage) and length (characters). With
``--misses`` each miss is listed as (set, passage id, code, stage, probability) — ids and codes only, never the
text. Reads nothing but the named sets; writes nothing but ``--json``.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.disposer_training import refuse_held_out  # noqa: E402

STAGES = ("dropped", "negated", "proposer_low", "proposer_withheld", "other")
P_BINS = (0.1, 0.3, 0.5, 0.6, 0.7, 1.01)


def _path(name: str) -> Path:
    refuse_held_out(name)
    p = Path(name)
    if p.exists():
        return p
    n = name if name.endswith(".jsonl") else name + ".jsonl"
    return ROOT / "data" / "eval" / n


def _bin(p: float) -> str:
    lo = 0.0
    for hi in P_BINS:
        if p < hi:
            return f"{lo:.1f}-{min(hi, 1.0):.1f}"
        lo = hi
    return "1.0"


def density_bin(n: int) -> str:
    return "1-2" if n <= 2 else "3-4" if n <= 4 else "5-6" if n <= 6 else "7+"


def length_bin(n: int) -> str:
    return "<300" if n < 300 else "300-599" if n < 600 else "600-899" if n < 900 else "900+"


def decompose(gold, tagger, disposer, proposer) -> list[dict]:
    """One row per gold code of ``gold`` (GoldPassage list): its stage ('' = found) and probability."""
    from nlp.disposer_features import proposals_of
    from nlp.pipeline import get_nlp
    from nlp.tagger import Tagger, _copy_result, rule_codes

    cb = tagger.codebook
    texts, ids = [g.text for g in gold], [g.id for g in gold]
    final = tagger.tag_texts(texts, ids=ids)
    raw = Tagger(cb).tag_texts(texts, ids=ids)
    ruled = rule_codes(raw)
    disp_p: list[dict] = [{} for _ in gold]
    if disposer is not None:
        work = [_copy_result(r) for r in raw]
        props, X = disposer.features(work, None)
        if props:
            P = disposer.proposal_proba(props, X)
            for pr, v in zip(props, P.tolist()):
                disp_p[pr.index][pr.code] = v
    prop_p: list[dict] = [{} for _ in gold]
    if proposer is not None:
        strings = get_nlp().vocab.strings
        got = [proposer.passage_columns(r._analysed, strings, None, proposer.bigrams) for r in raw]
        P = proposer.predict_proba_columns([c for c, _ in got])
        for i, row in enumerate(P.tolist()):
            prop_p[i] = {c: row[j] for j, c in enumerate(proposer.codes_)}
            prop_p[i]["__words"] = got[i][1]
    rows = []
    for i, g in enumerate(gold):
        pred = set(final[i].codes)
        live = {p.code for p in proposals_of([raw[i]])}
        for c in g.codes:
            row = {"id": g.id, "code": c, "n_gold": len(set(g.codes)), "chars": len(g.text), "stage": "", "p": None}
            if c not in pred:
                if c in live:
                    row["stage"], row["p"] = "dropped", disp_p[i].get(c)
                elif c in ruled[i]:
                    row["stage"] = "negated"
                elif proposer is not None and c in prop_p[i]:
                    pv = prop_p[i][c]
                    row["p"] = pv
                    row["stage"] = ("proposer_low" if pv < proposer.threshold_for(c) else "proposer_withheld")
                elif proposer is not None:
                    row["stage"] = "proposer_low"  # a code the proposer does not model
                    row["p"] = 0.0
                else:
                    row["stage"] = "other"
            row["fp"] = False
            rows.append(row)
        for c in pred - set(g.codes):
            rows.append({"id": g.id, "code": c, "n_gold": len(set(g.codes)), "chars": len(g.text), "stage": "fp",
                         "p": None, "fp": True})
    return rows


def summary(rows: list[dict], out=print) -> None:
    gold = [r for r in rows if not r["fp"]]
    miss = [r for r in gold if r["stage"]]
    fp = [r for r in rows if r["fp"]]
    n, m = len(gold), len(miss)
    tp = n - m
    P = tp / (tp + len(fp)) if tp + len(fp) else 0.0
    out(f"  gold {n}  found {tp}  missed {m}  false {len(fp)}   P={P:.3f} R={tp / n if n else 0:.3f}")
    st = Counter(r["stage"] for r in miss)
    out("  by stage: " + "  ".join(f"{s} {st[s]} ({st[s] / n:.1%} of gold)" for s in STAGES if st[s]))
    for s in ("dropped", "proposer_low"):
        b = Counter(_bin(r["p"] or 0.0) for r in miss if r["stage"] == s)
        if b:
            out(f"    {s} by probability: " + "  ".join(f"{k} {b[k]}" for k in sorted(b)))
    for name, key in (("codes/passage", lambda r: density_bin(r["n_gold"])), ("chars", lambda r: length_bin(r["chars"]))):
        tot, byst = Counter(), defaultdict(Counter)
        for r in gold:
            tot[key(r)] += 1
            if r["stage"]:
                byst[key(r)][r["stage"]] += 1
        out(f"  by {name}:")
        for k in sorted(tot, key=lambda x: (len(x), x)):
            ms = sum(byst[k].values())
            out(f"    {k:8s} gold {tot[k]:4d}  R={(tot[k] - ms) / tot[k]:.3f}  "
                + "  ".join(f"{s} {byst[k][s]}" for s in STAGES if byst[k][s]))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("sets", nargs="+")
    ap.add_argument("--json", help="write every row (id, code, stage, probability) to this file")
    ap.add_argument("--misses", action="store_true", help="list each miss (ids and codes only)")
    ap.add_argument("--disposer", help="a disposer artifact (default: the shipped data/models/disposer.json)")
    ap.add_argument("--proposer", help="a proposer artifact (default: the shipped one when switched on)")
    a = ap.parse_args()
    from models.tagging import default_disposer, default_proposer
    from nlp.codebook import default_codebook
    from nlp.evaluate import read_gold
    from nlp.tagger import Tagger

    cb = default_codebook()
    disposer, proposer = default_disposer(cb), default_proposer()
    if a.disposer:
        from nlp.disposer import Disposer
        from nlp.disposer_training import code_questions

        disposer = Disposer.from_json(json.loads(Path(a.disposer).read_text(encoding="utf-8"))["model"])
        disposer.code_questions = disposer.code_questions or code_questions(cb)
    if a.proposer:
        from nlp.proposer import Proposer

        proposer = Proposer.from_json(json.loads(Path(a.proposer).read_text(encoding="utf-8"))["model"])
    tagger = Tagger(cb, disposer=disposer, proposer=proposer)
    pooled: list[dict] = []
    doc = {}
    for name in a.sets:
        path = _path(name)
        rows = decompose(read_gold(path), tagger, disposer, proposer)
        print(path.stem)
        summary(rows)
        if a.misses:
            for r in rows:
                if r["stage"] and not r["fp"]:
                    print(f"    miss {r['id']}  {r['code']:38s} {r['stage']:18s} "
                          f"{'' if r['p'] is None else '%.3f' % r['p']}  n_gold={r['n_gold']}")
        pooled += rows
        doc[path.stem] = rows
    if len(a.sets) > 1:
        print("pooled")
        summary(pooled)
    if a.json:
        Path(a.json).write_text(json.dumps(doc), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
