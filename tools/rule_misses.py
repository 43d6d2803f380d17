"""List what the codebook rules alone miss on the training passages: ``python tools/rule_misses.py``.

Prints rules-only proposal recall and precision (a proposal is a (passage, code) the rules
propose, before the disposer), per code, and with ``--show CODE...`` the passages whose gold
code the rules never propose (and with ``--wrong`` the passages where they propose it wrongly;
with ``--new-since OLD.yaml`` only the wrong proposals OLD.yaml does not make). ``--codebook`` measures
another codebook file. Only files under data/training/ are listed passage by passage; ``--all``
measures every training passage the disposer learns from (never the blind sets), in totals only.
"""
from __future__ import annotations

import argparse
import signal
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    if hasattr(signal, "SIGPIPE"):  # quiet when piped into head
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    ap = argparse.ArgumentParser()
    ap.add_argument("--all", action="store_true", help="measure every disposer training passage")
    ap.add_argument("--show", nargs="*", default=[], help="codes whose missed passages to print")
    ap.add_argument("--wrong", action="store_true", help="with --show: print wrong proposals too")
    ap.add_argument("--codebook", help="a codebook YAML other than data/codebook.yaml")
    ap.add_argument("--new-since", metavar="YAML", help="with --show: print only proposals this codebook does not make")
    a = ap.parse_args()
    if a.all and a.show:
        ap.error("--show lists passages of data/training/ only; leave out --all")
    from nlp.codebook import default_codebook, load_codebook
    from nlp.disposer_features import proposals_of
    from nlp.disposer_training import TRAINING_DIR, training_files, training_passages
    from nlp.tagger import Tagger

    files = training_files() if a.all else sorted(TRAINING_DIR.glob("*.jsonl"))
    passages = training_passages(files)
    def proposed(cb) -> list[set]:
        res = Tagger(cb).tag_texts([p[1] for p in passages], ids=[p[0] for p in passages])
        out = [set() for _ in passages]
        for pr in proposals_of(res):
            out[pr.index].add(pr.code)
        return out

    prop = proposed(load_codebook(a.codebook) if a.codebook else default_codebook())
    old = proposed(load_codebook(a.new_since)) if a.new_since else [set() for _ in passages]
    gold = [set(p[2]) for p in passages]
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in zip(gold, prop):
        tp.update(g & p)
        fp.update(p - g)
        fn.update(g - p)
    T, F, N = sum(tp.values()), sum(fp.values()), sum(fn.values())
    print(f"{len(passages)} passages, {T + F} proposals: rules-only recall {T / (T + N):.3f} "
          f"precision {T / (T + F):.3f} (tp {T}, wrong {F}, missed {N})")
    print(f"  {'code':40s} {'tp':>4s} {'wrong':>6s} {'missed':>7s} {'recall':>7s} {'prec':>6s}")
    for c in sorted(set(tp) | set(fp) | set(fn), key=lambda c: -fn[c]):
        r = tp[c] / (tp[c] + fn[c]) if tp[c] + fn[c] else 0.0
        p = tp[c] / (tp[c] + fp[c]) if tp[c] + fp[c] else 0.0
        print(f"  {c:40s} {tp[c]:4d} {fp[c]:6d} {fn[c]:7d} {r:7.3f} {p:6.3f}")
    for code in a.show:
        print(f"\n== {code}: gold, not proposed")
        for (pid, text, *_), g, p in zip(passages, gold, prop):
            if code in g and code not in p and not a.new_since:
                print(f"- [{pid}] {text}")
        if a.wrong:
            print(f"\n== {code}: proposed, not gold")
            for (pid, text, *_), g, p, o in zip(passages, gold, prop, old):
                if code in p and code not in g and code not in o:
                    print(f"- [{pid}] {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
