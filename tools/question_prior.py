"""Does the form's question id help on passages no model was tuned on?
``python tools/question_prior.py [--sets NAME...] [--lofo-cache FILE] [--detail]``.

Every set is tagged the way ``cli.py tag --in`` tags it (rules, then the disposer, then the proposer; the
same Tagger steps), once WITH the passages' ``"question"`` ids and once without, and both are scored
(micro P/R/F1 over the whole set and over the passages that carry a question id). Sets the shipped models
are trained on (blind_round6 … 8, the shared dev gold) are tagged by a disposer and a proposer fitted
without that file (leave-one-file-out, the shipped recipes; cached in ``--lofo-cache`` keyed by the
training hash, so a changed feature or training file refits). The dev sets (blind_round9 … 13) use the
shipped models. ``--detail``: per set the codes won and lost by giving the question id, with the question
and whether it belongs to the code's category.

The held-out sets (``HELD_OUT`` of nlp/disposer_training.py) are refused by name.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from nlp.evaluate import micro_prf  # noqa: E402

from nlp.disposer_training import refuse_held_out  # noqa: E402
DEV = tuple(f"blind_round{k}" for k in range(9, 14))
LOFO = ("blind_round6", "blind_round7", "blind_round8", "dev_gold")


def set_path(name: str) -> Path:
    refuse_held_out(name)
    if name == "dev_gold":
        return ROOT.parent / "shared" / "data" / "dev_gold.jsonl"
    return ROOT / "data" / "eval" / f"{name}.jsonl"


def read_set(path: Path):
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            o = json.loads(line)
            q = o.get("question")
            q = str(q).strip().lower() if isinstance(q, (str, int)) and str(q).strip() else None
            out.append((str(o.get("id", n)), o["text"], set(o.get("codes") or ()), q))
    return out


def tag(passages, disposer, proposer, codebook, with_q: bool) -> list[set]:
    """Codes of ``cli.py tag --in`` (no learned model: the disposer and proposer applied after the rules)."""
    from nlp.tagger import Tagger, rule_codes

    qs = [p[3] for p in passages] if with_q else [None] * len(passages)
    t = Tagger(codebook)
    res = t.tag_texts([p[1] for p in passages], ids=[p[0] for p in passages], questions=qs)
    ruled = rule_codes(res)
    if disposer is not None:
        disposer.dispose(res, qs)
    if proposer is not None:
        t.proposer = proposer
        t.propose(res, ruled, qs)
    return [set(r.codes) for r in res]


def lofo_models(name: str, cache: Path):
    """Disposer and proposer fitted on the training files without ``name`` (cached by training hash)."""
    import pickle

    from nlp.disposer_training import fit_bundled, training_files, training_hash, training_passages
    from train_proposer import fit_bundled as fit_proposer

    fname = set_path(name).name
    files = [f for f in training_files() if f.name != fname]
    key = (fname, training_hash(files))
    got = pickle.loads(cache.read_bytes()) if cache.exists() else {}
    if key not in got:
        d, *_ = fit_bundled(files=files)
        pm = fit_proposer(passages=training_passages(files))
        got[key] = (d, pm)
        cache.write_bytes(pickle.dumps(got))
        print(f"fitted without {fname}", file=sys.stderr)
    return got[key]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", nargs="*", default=list(DEV + LOFO))
    ap.add_argument("--lofo-cache", default="/tmp/question_prior_lofo.pkl")
    ap.add_argument("--detail", action="store_true")
    a = ap.parse_args()
    from nlp.codebook import default_codebook
    from nlp.disposer_training import code_questions

    from models.tagging import default_disposer, default_proposer

    cb = default_codebook()
    cq = code_questions(cb)
    rows = []
    for name in a.sets:
        ps = read_set(set_path(name))
        if name in LOFO:
            d, pm = lofo_models(name, Path(a.lofo_cache))
            label = name + "-lofo"
        else:
            d, pm = default_disposer(cb), default_proposer()
            label = name
        gold = [p[2] for p in ps]
        with_q = tag(ps, d, pm, cb, True)
        no_q = tag(ps, d, pm, cb, False)
        hasq = [k for k, p in enumerate(ps) if p[3]]
        f_no, f_q = micro_prf(gold, no_q), micro_prf(gold, with_q)
        s_no = micro_prf([gold[k] for k in hasq], [no_q[k] for k in hasq])
        s_q = micro_prf([gold[k] for k in hasq], [with_q[k] for k in hasq])
        rows.append((label, f_no, f_q))
        print(f"{label:18s} n={len(ps):3d} q={len(hasq):3d} | without q P {f_no[0]:.3f} R {f_no[1]:.3f} F1 {f_no[2]:.3f}"
              f" | with q P {f_q[0]:.3f} R {f_q[1]:.3f} F1 {f_q[2]:.3f} | dF1 {f_q[2] - f_no[2]:+.3f}"
              f" | q-subset dF1 {s_q[2] - s_no[2]:+.3f} (dR {s_q[1] - s_no[1]:+.3f} dP {s_q[0] - s_no[0]:+.3f})",
              flush=True)
        if a.detail:
            for k in hasq:
                q = ps[k][3]
                for c in sorted(with_q[k] ^ no_q[k]):
                    won = c in with_q[k]
                    right = c in gold[k]
                    inq = q in cq.get(c, ())
                    verdict = ("+" if won == right else "-")
                    print(f"   {verdict} {'added' if won else 'lost '} {c:36s} q={q:4s} {'in-cat' if inq else 'OUT-cat'}"
                          f" gold={'yes' if right else 'no'}  {ps[k][0]}")
    if rows:
        m_no = sum(r[1][2] for r in rows) / len(rows)
        m_q = sum(r[2][2] for r in rows) / len(rows)
        worst = min(r[2][2] - r[1][2] for r in rows)
        print(f"mean F1 without q {m_no:.4f}  with q {m_q:.4f}  mean dF1 {m_q - m_no:+.4f}  worst dF1 {worst:+.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
