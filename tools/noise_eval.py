"""Noise harness (issue 13, robustness): how the default tagging holds on messy answer text.

    python tools/noise_eval.py [--sets NAME ...] [--kinds KIND ...] [--seed 12] [--write DIR] [--json OUT]

Takes the spent evaluation sets (blind_round4 … blind_round12, holdout, fresh_round2/3 and the shared
dev gold; never the held-out sets) and makes deterministic noisy copies with the gold codes unchanged. All of
these sets are training data of the shipped disposer and proposer (blind_round9 … 13 since 5 Dec 2026), so the
clean figures are in-sample: what the harness measures is the drop from clean to noisy text.

- ``diacritics``: å/ä→a, ö→o, é→e in a share (60 %) of the words that carry them (foreign keyboards,
  bad encodings);
- ``typos``: one-character typo (deletion, doubling, substitution by a keyboard neighbour, swap of
  two letters) in a share (40 %) of the words of 8+ letters;
- ``abbrev``: every upper-case abbreviation lower-cased ("SIP" → "sip", "NPÖ" → "npö");
- ``runon``: sentence ends replaced by "; " or a tab, the next sentence starting in lower case and the
  final full stop dropped (Excel/form export);
- ``form``: a checkbox line before the answer ("☒ Ja ☐ Nej Kommentar: ") and its sentences joined by
  " ; " (form export);
- ``all``: all of the above, in that order.

Scores are those of ``cli.py eval`` (the same default tagger: rules, disposer, proposer; the same
``nlp.evaluate.rule_predictions`` and ``score``), computed in one process. ``--write DIR`` also writes
the noisy copies as JSONL (``DIR/<set>.<kind>.jsonl``) so any figure can be checked with
``python cli.py eval --gold DIR/<set>.<kind>.jsonl``.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SETS = {
    **{f"blind_round{k}": ROOT / "data" / "eval" / f"blind_round{k}.jsonl" for k in range(4, 13)},
    "holdout": ROOT / "data" / "eval" / "holdout.jsonl",
    "fresh_round2": ROOT / "data" / "eval" / "fresh_round2.jsonl",
    "fresh_round3": ROOT / "data" / "eval" / "fresh_round3.jsonl",
    "dev_gold": Path("/work/shared/data/dev_gold.jsonl"),
}
KINDS = ("clean", "diacritics", "typos", "abbrev", "runon", "form", "all")
from nlp.disposer_training import refuse_held_out  # noqa: E402

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "Å": "A", "Ä": "A", "Ö": "O", "É": "E"})
_WORD = re.compile(r"[^\W\d_]+(?:[-:][^\W\d_]+)*")
_NEIGH = {  # Swedish keyboard neighbours (lower-case letters)
    "q": "wa", "w": "qes", "e": "wrd", "r": "etf", "t": "ryg", "y": "tuh", "u": "yij", "i": "uok", "o": "ipl",
    "p": "oå", "å": "pä", "a": "qsz", "s": "adw", "d": "sfe", "f": "dgr", "g": "fht", "h": "gjy", "j": "hku",
    "k": "jli", "l": "kö", "ö": "lä", "ä": "öå", "z": "xa", "x": "zc", "c": "xv", "v": "cb", "b": "vn",
    "n": "bm", "m": "n",
}


def _rng(seed: int, kind: str, pid: str) -> random.Random:
    """One generator per (seed, kind, passage): the same copy whatever sets or kinds are run."""
    h = hashlib.sha256(f"{seed}|{kind}|{pid}".encode()).hexdigest()
    return random.Random(int(h[:16], 16))


def strip_diacritics(text: str, rng: random.Random, share: float = 0.6) -> str:
    def sub(m):
        w = m.group(0)
        if w != w.translate(_FOLD) and rng.random() < share:
            return w.translate(_FOLD)
        return w
    return _WORD.sub(sub, text)


def typo(word: str, rng: random.Random) -> str:
    """One one-character typo inside the word (never its first letter)."""
    n = len(word)
    i = rng.randrange(1, n - 1)
    op = rng.choice(("del", "dup", "sub", "swap"))
    if op == "del":
        return word[:i] + word[i + 1:]
    if op == "dup":
        return word[:i] + word[i] + word[i:]
    if op == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    c = word[i]
    nb = _NEIGH.get(c.lower())
    if not nb:
        return word[:i] + word[i + 1:]
    r = rng.choice(nb)
    return word[:i] + (r.upper() if c.isupper() else r) + word[i + 1:]


def add_typos(text: str, rng: random.Random, share: float = 0.4) -> str:
    def sub(m):
        w = m.group(0)
        if len(w) >= 8 and w.isalpha() and rng.random() < share:
            return typo(w, rng)
        return w
    return _WORD.sub(sub, text)


_ABBR = re.compile(r"\b[A-ZÅÄÖ][A-ZÅÄÖa-zåäö0-9]*[A-ZÅÄÖ][A-ZÅÄÖ0-9]*\b")


def lower_abbreviations(text: str, rng: random.Random) -> str:
    """Lower-case every token with two or more capitals ("SIP" → "sip", "NPÖ" → "npö", "FoU" → "fou")."""
    return _ABBR.sub(lambda m: m.group(0).lower(), text)


_SENT_END = re.compile(r"([.!?])(\s+)(\S)")


def run_on(text: str, rng: random.Random) -> str:
    def sub(m):
        sep = rng.choice(("; ", ";", "\t", " ; "))
        nxt = m.group(3)
        return sep + (nxt.lower() if rng.random() < 0.7 else nxt)
    out = _SENT_END.sub(sub, text)
    return out.rstrip().rstrip(".")


def form_export(text: str, rng: random.Random) -> str:
    box = rng.choice(("☒ Ja ☐ Nej Kommentar: ", "[X] Ja [ ] Nej\tKommentar:\t", "☑ Ja ☐ Nej ☐ Vet ej; "))
    body = _SENT_END.sub(lambda m: " ; " + m.group(3), text)
    return box + body


NOISE = {"diacritics": strip_diacritics, "typos": add_typos, "abbrev": lower_abbreviations,
         "runon": run_on, "form": form_export}


def noisy(text: str, kind: str, seed: int, pid: str) -> str:
    if kind == "clean":
        return text
    if kind == "all":
        for k in ("abbrev", "typos", "diacritics", "runon", "form"):
            text = NOISE[k](text, _rng(seed, k, pid))
        return text
    return NOISE[kind](text, _rng(seed, kind, pid))


def read(path: Path) -> list[dict]:
    refuse_held_out(path.name)
    return [json.loads(x) for x in path.read_text(encoding="utf-8-sig").splitlines() if x.strip()]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", nargs="*", default=list(SETS))
    ap.add_argument("--kinds", nargs="*", default=list(KINDS))
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--write", metavar="DIR")
    ap.add_argument("--json", metavar="OUT")
    ap.add_argument("--tags", metavar="DIR", help="also write the predicted codes per passage (for diffs)")
    a = ap.parse_args()

    from models.tagging import default_disposer, default_proposer
    from nlp.codebook import default_codebook
    from nlp.evaluate import GoldPassage, rule_predictions, score
    from nlp.tagger import Tagger

    codebook = default_codebook()
    disposer = default_disposer(codebook)
    proposer = default_proposer()
    results = {}
    tot = {k: [[], []] for k in a.kinds}
    for name in a.sets:
        rows = read(SETS[name])
        for kind in a.kinds:
            tagger = Tagger(codebook, disposer=disposer, proposer=proposer)
            gold = _gold(rows, kind, a.seed, GoldPassage)
            if a.write:
                d = Path(a.write)
                d.mkdir(parents=True, exist_ok=True)
                with open(d / f"{name}.{kind}.jsonl", "w", encoding="utf-8") as f:
                    for g in gold:
                        f.write(json.dumps({"id": g.id, "text": g.text, "codes": g.codes}, ensure_ascii=False) + "\n")
            pred = rule_predictions(gold, tagger)
            if a.tags:
                d = Path(a.tags)
                d.mkdir(parents=True, exist_ok=True)
                with open(d / f"{name}.{kind}.tags", "w", encoding="utf-8") as f:
                    for g, p in zip(gold, pred):
                        f.write(f"{g.id}\t{' '.join(sorted(p))}\n")
            s = score([g.codes for g in gold], pred, codebook.code_ids)
            results[(name, kind)] = (s.micro_p, s.micro_r, s.micro_f1)
            tot[kind][0].extend(g.codes for g in gold)
            tot[kind][1].extend(pred)
            print(f"{name:14s} {kind:11s} P={s.micro_p:.3f} R={s.micro_r:.3f} F1={s.micro_f1:.3f}", flush=True)
    print()
    print("micro F1 per set (columns: noise kind)")
    print(f"{'set':14s} " + " ".join(f"{k:>10s}" for k in a.kinds))
    for name in a.sets:
        print(f"{name:14s} " + " ".join(f"{results[(name, k)][2]:10.3f}" for k in a.kinds))
    pooled = {}
    for k in a.kinds:
        s = score(tot[k][0], tot[k][1], codebook.code_ids)
        pooled[k] = (s.micro_p, s.micro_r, s.micro_f1)
    print(f"{'POOLED F1':14s} " + " ".join(f"{pooled[k][2]:10.3f}" for k in a.kinds))
    print(f"{'POOLED P':14s} " + " ".join(f"{pooled[k][0]:10.3f}" for k in a.kinds))
    print(f"{'POOLED R':14s} " + " ".join(f"{pooled[k][1]:10.3f}" for k in a.kinds))
    if a.json:
        Path(a.json).write_text(json.dumps({"sets": {f"{n}|{k}": v for (n, k), v in results.items()},
                                            "pooled": pooled}, indent=1), encoding="utf-8")
    return 0


def _gold(rows, kind, seed, GoldPassage):
    return [GoldPassage(id=str(r["id"]), text=noisy(r["text"], kind, seed, str(r["id"])), codes=tuple(r["codes"]))
            for r in rows]


if __name__ == "__main__":
    raise SystemExit(main())
