"""Noise harness (issue 13, robustness): how the default tagging holds on messy answer text.

    python tools/noise_eval.py [--sets NAME ...] [--kinds KIND ...] [--seed 12] [--write DIR] [--json OUT]

Takes the spent evaluation sets (blind_round4 … blind_round27, holdout, fresh_round2/3 and the shared
dev gold; never the held-out set, refused by name) and makes deterministic noisy copies with the gold codes
unchanged. blind_round4 … 13 and 17 … 22, holdout, fresh_round2/3 and the dev gold are training data of the shipped disposer
and proposer, so their clean figures are in-sample; blind_round14 … 16 and 23 … 27 are not. What the harness measures is the
drop from clean to noisy text.

- ``diacritics``: å/ä→a, ö→o, é→e in a share (60 %) of the words that carry them (foreign keyboards,
  bad encodings);
- ``typos``: one-character typo (deletion, doubling, substitution by a keyboard neighbour, swap of
  two letters) in a share (40 %) of the words of 8+ letters;
- ``abbrev``: every upper-case abbreviation lower-cased ("SIP" → "sip", "NPÖ" → "npö");
- ``runon``: sentence ends replaced by "; " or a tab, the next sentence starting in lower case and the
  final full stop dropped (Excel/form export);
- ``form``: a checkbox line before the answer ("☒ Ja ☐ Nej Kommentar: ") and its sentences joined by
  " ; " (form export);
- ``pdflines``: text copied from a PDF: hard line breaks every 60–90 characters, a share (35 %) of the long
  words at a line end hyphenated across the break (at the compound boundary the project's splitter finds,
  "hem-\nsjukvård", else in the middle) and a page footer ("Sida 3 av 12") on a line of its own inside;
- ``splitcompounds``: a share (60 %) of the compounds of the codebook's domain (words the splitter splits whose
  whole form, head or modifier is a codebook word) written apart ("mobil team", "hemsjukvårds team") or
  hyphenated ("hem-sjukvård"); the modifier itself split again when it is a compound ("fast vård kontakt");
- ``caps``: the first one to three words of a share (30 %) of the sentences in capitals (headings) and one
  whole sentence in capitals;
- ``bullets``: the sentences as list items ("• ", "– ", "▪ ", "- ", "1) ") with no sentence ends, one a line
  (or, in a share of the passages, on one line);
- ``english``: measures named in English terms an analyst would count ("case manager", "hospital at home",
  "remote monitoring", "mobile team", …) in place of the Swedish ones (a fixed list of phrases);
- ``all``: diacritics, typos, abbrev, runon and form, in that order.

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
from functools import lru_cache
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SETS = {
    **{f"blind_round{k}": ROOT / "data" / "eval" / f"blind_round{k}.jsonl" for k in range(4, 28)},
    "holdout": ROOT / "data" / "eval" / "holdout.jsonl",
    "fresh_round2": ROOT / "data" / "eval" / "fresh_round2.jsonl",
    "fresh_round3": ROOT / "data" / "eval" / "fresh_round3.jsonl",
    "dev_gold": ROOT.parent / "shared" / "data" / "dev_gold.jsonl",
}
KINDS = ("clean", "diacritics", "typos", "abbrev", "runon", "form", "pdflines", "splitcompounds", "caps", "bullets",
         "english", "all")
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


def _hyphen_cut(word: str) -> int:
    """Where a word is hyphenated: the compound boundary the splitter finds, else the middle."""
    from nlp.lang_sv.compounds import split
    sp = split(word) if "-" not in word else None
    if sp is not None and (sp[1] + sp[2]).lower() == word.lower() and len(sp[1]) >= 2 and len(sp[2]) >= 2:
        return len(sp[1])
    return len(word) // 2


def pdf_lines(text: str, rng: random.Random, share: float = 0.35) -> str:
    words = text.split()
    lines: list[str] = []
    cur = ""
    width = rng.randint(60, 90)
    for w in words:
        if not cur:
            cur = w
            continue
        if len(cur) + 1 + len(w) <= width:
            cur += " " + w
            continue
        if len(w) >= 8 and w.isalpha() and rng.random() < share:
            cut = _hyphen_cut(w)
            lines.append(cur + " " + w[:cut] + "-")
            cur = w[cut:]
        else:
            lines.append(cur)
            cur = w
        width = rng.randint(60, 90)
    if cur:
        lines.append(cur)
    if len(lines) >= 2:
        n = rng.randint(2, 14)
        k = rng.randint(1, n)
        lines.insert(rng.randint(1, len(lines) - 1), rng.choice((f"Sida {k} av {n}", f"Sida {k}", f"{k} ({n})")))
    return "\n".join(lines)


@lru_cache(maxsize=1)
def _domain_words() -> frozenset:
    """The single words of the codebook's keywords, compounds and co-occurrence lists (lower case), without
    the English names of measures (a phrase with a word the Swedish lexicon does not know, all in ASCII): the
    copies stay the same when English synonyms are added to the codebook."""
    import yaml
    cb = yaml.safe_load((ROOT / "data" / "codebook.yaml").read_text(encoding="utf-8"))
    out: set[str] = set()

    from nlp.lang_sv.dictionary import known

    def walk(x):
        if isinstance(x, str):
            words = [w.lower().strip("*=") for w in re.findall(r"[^\W\d_][\w*=-]*", x)]
            if len(words) >= 2 and any(w.isascii() and not known(w) for w in words):
                return  # an English name of a measure ("named contact person"): its words are no Swedish domain
            out.update(words)
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    for cat in cb["categories"]:
        for code in cat["codes"]:
            for key in ("keywords", "compounds", "cooccurrence", "weak_keywords"):
                walk(code.get(key))
    return frozenset(w for w in out if len(w) >= 3)


def _split_apart(word: str, rng: random.Random, depth: int = 0) -> Optional[str]:
    from nlp.lang_sv import compounds
    sp = compounds.split(word)
    if sp is None and len(word) >= 6:  # a lexicalised compound ("hemsjukvård"): the splitter's non-strict pass
        from nlp.lang_sv.dictionary import simple_lemma
        from nlp.lang_sv.stop_words import STOP_WORDS
        sp = compounds._split_plain(word.lower(), False) if depth == 0 else None
        if sp is not None and (len(sp[2]) < 6 or sp[1] in STOP_WORDS or simple_lemma(sp[1]) != sp[1]):
            sp = None  # only a real word as the first part ("hem sjukvård", never "tills ammans")
        if sp is not None:
            sp = (sp[0], word[:len(sp[1])], word[len(sp[1]):])
    if sp is None or (sp[1] + sp[2]).lower() != word.lower() or sp[1].endswith("-"):
        return None
    mod, head = sp[1], sp[2]
    if depth == 0:
        dom = _domain_words()
        if not (word.lower() in dom or head.lower() in dom or sp[0] in dom):
            return None
    if depth == 0 and rng.random() < 0.35:
        return mod + "-" + head
    inner = _split_apart(mod, rng, depth + 1) if depth < 1 and len(mod) >= 6 and rng.random() < 0.6 else None
    return (inner or mod) + " " + head


def split_compounds(text: str, rng: random.Random, share: float = 0.6) -> str:
    def sub(m):
        w = m.group(0)
        if len(w) >= 7 and w.isalpha() and rng.random() < share:
            return _split_apart(w, rng) or w
        return w
    return _WORD.sub(sub, text)


_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def capitals(text: str, rng: random.Random, share: float = 0.3) -> str:
    sents = _sentences(text)
    if not sents:
        return text
    whole = rng.randrange(len(sents)) if len(sents) >= 2 or rng.random() < 0.3 else -1
    out = []
    for i, s in enumerate(sents):
        if i == whole:
            out.append(s.upper())
        elif rng.random() < share:
            parts = s.split(" ")
            k = rng.randint(1, 3)
            out.append(" ".join([p.upper() for p in parts[:k]] + parts[k:]))
        else:
            out.append(s)
    return " ".join(out)


def bullet_list(text: str, rng: random.Random) -> str:
    sents = [s.rstrip(".!?").strip() for s in _sentences(text)]
    sents = [s for s in sents if s]
    if not sents:
        return text
    mark = rng.choice(("• ", "– ", "▪ ", "- ", "num"))
    items = [(f"{i + 1}) " if mark == "num" else mark) + s for i, s in enumerate(sents)]
    if mark != "num" and mark != "- " and rng.random() < 0.3:
        return " ".join(items)
    return "\n".join(items)


# Swedish measure names -> the English terms an analyst would count as the same measure (lower case; the
# Swedish side is matched case-insensitively on whole words)
_ENGLISH = (
    (r"vårdkoordinator(?:n|er|erna)?|vårdsamordnare(?:n)?", "case manager"),
    (r"(?:avancerad )?sjukvård i hemmet|(?:ASIH|SAH)", "hospital at home"),
    (r"egenmonitorering(?:en)?|distansmonitorering(?:en)?|digital monitorering", "remote monitoring"),
    (r"mobil(?:a|t)? team(?:et|en)?", "mobile team"),
    (r"digitala vårdbesök(?:en)?|videobesök(?:en)?|digitala besök(?:en)?", "video consultations"),
    (r"fast vårdkontakt(?:en|er)?|fasta vårdkontakter", "named care contact"),
    (r"fallprevention(?:en)?|fallförebyggande arbete(?:t)?", "fall prevention"),
    (r"hälsosamtal(?:en)?", "health checks"),
    (r"personcentrerad vård(?:en)?", "person-centred care"),
    (r"palliativ vård(?:en)?", "palliative care"),
    (r"välfärdsteknik(?:en)?", "welfare technology"),
    (r"utskrivningsprocess(?:en)?|utskrivningsplanering(?:en)?", "discharge planning"),
    (r"kompetensförsörjning(?:en)?", "workforce planning"),
    (r"samordnad individuell plan|samordnade individuella planer", "coordinated care plan"),
    (r"patientkontrakt(?:et|en)?", "patient contract"),
)
_ENGLISH_RE = [(re.compile(r"(?<![\w-])(?:" + sv + r")(?![\w-])", re.IGNORECASE), en) for sv, en in _ENGLISH]


def english_terms(text: str, rng: random.Random) -> str:
    for pat, en in _ENGLISH_RE:
        text = pat.sub(en, text)
    return text


NOISE = {"diacritics": strip_diacritics, "typos": add_typos, "abbrev": lower_abbreviations,
         "runon": run_on, "form": form_export, "pdflines": pdf_lines, "splitcompounds": split_compounds,
         "caps": capitals, "bullets": bullet_list, "english": english_terms}


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

    if "splitcompounds" in a.kinds:
        _domain_words()  # read before anything else (a run that edits the codebook meanwhile gets the same copies)
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
