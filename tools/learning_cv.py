"""Choose how a project learns from its analyst by simulated review on passages the disposer has not
seen: ``python tools/learning_cv.py [--variants JSON] [--orders 3] [--exact] [--ceiling] [--cache DIR]``.

Sets: every ``data/training/disposer_errors4/5/6/9.jsonl`` with a disposer and a proposer fitted
WITHOUT that file (leave-one-file-out; the fits are cached in ``--cache``, keyed by the training data's
hash), and ``data/eval/blind_round9`` … ``blind_round16`` and ``blind_round18`` (spent as tagger checks); a blind set that is
training data of the shipped models (``nlp.disposer_training.TRAIN_BLIND_SETS``: all of them since 5 Dec 2026)
is likewise scored with a disposer and a proposer fitted without it, one that is not with the bundled
disposer and the shipped proposer. ``--lofo`` names other training files to leave out, ``--blind`` the blind
sets to use, ``--dev-gold`` adds the shared dev gold (real answers and report prose) scored with models fitted
without it. the held-out sets (``HELD_OUT``) are never read.

A variant is a JSON object of ``models.learning`` settings (``SETTINGS``: ``LAM_CODE``, ``LAM_FEAT``,
``THRESHOLD_PRIOR``, ``SUGGEST_THRESHOLD``, ``MIN_MANUAL``, ``LAM_PROP``, ``PROP_MIN_P``, ``SUGGEST_PRIOR``, …;
null turns the feature weights, the project threshold or the proposer's correction off); ``{}`` is the shipped setting. Per set and passage order (file order, then
``--orders``−1 shuffles) the first N passages are reviewed and the rest scored:

- default (fast): at the proposal level with the app's functions (:func:`models.learning.fit_project`
  over every rule proposal of the reviewed passages, labelled by the gold; the proposer's codes where
  the rules found nothing, with :func:`models.learning.fit_proposer_thresholds`; the missed-code
  suggester :func:`models.learning.missed_code_probs`), the tagging of each set cached in ``--cache``;
- ``--exact``: the whole of ``simulate-review`` (:func:`commands.simulate_review.simulate`: a
  temporary project, a decision at a time, retraining every ``config.LEARN_EVERY`` decisions) on the
  reordered set, the left-out file's disposer and proposer standing in for the shipped ones.

``--ceiling``: no learning; per set the micro-F1 of the remaining passages and two ceilings of what the
decisions can teach (every wrong suggestion removed; every miss of a code the analyst added by hand in the
reviewed passages recovered), with where those misses come from.

Prints per set and variant the mean change (after − before) of micro-F1 and precision, then the mean
over sets and the worst set.
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import pickle
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROOT = Path(__file__).resolve().parents[1]
LOFO = ("disposer_errors4", "disposer_errors5", "disposer_errors6", "disposer_errors9")
# blind_round4 … 13 and 17 … 22 are training data of the bundled disposer and proposer (TRAIN_BLIND_SETS):
# a blind set listed there is scored with models fitted without it (_lofo_disposer / _lofo_proposer)
BLIND = (("blind_round9.jsonl", 100), ("blind_round10.jsonl", 100), ("blind_round11.jsonl", 100),
         ("blind_round12.jsonl", 100), ("blind_round13.jsonl", 100), ("blind_round14.jsonl", 100),
         ("blind_round15.jsonl", 100), ("blind_round16.jsonl", 100), ("blind_round18.jsonl", 100))
from nlp.disposer_training import refuse_held_out  # noqa: E402
SETTINGS = ("LAM_CODE", "LAM_FEAT", "THRESHOLD_PRIOR", "THRESHOLD_FIT", "SUGGEST_THRESHOLD", "MIN_MANUAL", "LAM_PROP", "PROP_MIN_P",
            "PROP_MIN_THRESHOLD", "SUGGEST_PRIOR", "SUGGEST_C", "MIN_POSITIVES", "CV_FOLDS",
            "CV_MARGIN", "PRIOR_MIN_MANUAL", "PRIOR_LAM_CODE", "PRIOR_LAM_FEAT", "PRIOR_THRESHOLD",
            "THRESHOLD_Q", "N_BOOT", "CV_Q", "PROP_CV_Q", "THRESHOLD_K", "THRESHOLD_CONF", "SUGGEST_K", "SUGGEST_CONF", "THRESHOLD_ALONE",
            "LOWER_K", "LOWER_CONF", "LOWER_CODES", "LOWER_BAND", "LOWER_TARGET", "LOWER_CODE_CONF", "LOWER_GLOBAL", "PROP_LOWER_K",
            "PROP_LOWER_RATIO")
DEFAULT_VARIANTS = '[{"PRIOR_MIN_MANUAL": null}, {}]'


def _without(stem: str) -> tuple[list[Path], str]:
    """The training files without <stem>.jsonl and a short key of their training hash (for the cache)."""
    from nlp.disposer_training import training_files, training_hash

    files = [f for f in training_files() if f.stem != stem]
    return files, training_hash(files)[:12]


def _lofo_disposer(stem: str, cache: Path):
    """The bundled disposer's recipe fitted without <stem>.jsonl of the training files (cached as JSON)."""
    from nlp.disposer import Disposer
    from nlp.disposer_training import fit_bundled, load_bundled

    files, key = _without(stem)
    path = cache / f"disp_{stem}_{key}.json"
    if path.exists():
        return Disposer.from_json(json.loads(path.read_text(encoding="utf-8")))
    b = load_bundled()
    d, *_ = fit_bundled(C=b.C, threshold=b.threshold, context_words=b.context_words,
                        sentence_text=b.sentence_text, files=files)
    cache.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(d.to_json()), encoding="utf-8")
    return d


def _lofo_proposer(stem: str, cache: Path):
    """The shipped proposer's recipe fitted without <stem>.jsonl of the training files (cached as JSON)."""
    from nlp.disposer_training import training_passages
    from nlp.proposer import Proposer
    from tools.train_proposer import fit_bundled

    files, key = _without(stem)
    path = cache / f"prop_{stem}_{key}.json"
    if path.exists():
        return Proposer.from_json(json.loads(path.read_text(encoding="utf-8")))
    m = fit_bundled(training_passages(files))
    cache.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(m.to_json()), encoding="utf-8")
    return Proposer.from_json(m.to_json())


def _prepare(path: Path, d, cb, cache: Path, pm=None) -> dict:
    """Rule proposals of a gold set with their feature dicts and the disposer's logits, the texts'
    tokens and text-model priors (cached per set and disposer)."""
    from nlp.evaluate import read_gold
    from nlp.suggest import features_of
    from nlp.tagger import Tagger

    key = hashlib.sha256((path.read_text(encoding="utf-8") + d.dumps() + json.dumps(cb.to_doc(), sort_keys=True,
                                                                                    default=str)
                          + (json.dumps(pm.to_json()) if pm is not None else "")).encode())
    got = cache / f"set_{path.stem}_{key.hexdigest()[:12]}.pickle"
    if got.exists():
        return pickle.loads(got.read_bytes())
    gold = read_gold(path)
    t = Tagger(cb)
    qs = [g.question or None for g in gold]
    res = t.tag_texts([g.text for g in gold], ids=[g.id for g in gold], questions=qs)
    props, X = d.features(res, qs)
    texts = [g.text for g in gold]
    S = {"gold": [set(g.codes) for g in gold], "pidx": [p.index for p in props],
         "pcode": [p.code for p in props], "X": X, "z": d.logit_dicts(X),
         "toks": [features_of(a) for a in t.analysed], "prior": d.text_model_.predict_proba(texts)}
    if pm is not None:
        from models.learning import proposer_probs
        from nlp.tagger import rule_codes

        S["pP"] = proposer_probs(pm, t.analysed, qs)
        S["ruled"] = rule_codes(res)
    cache.mkdir(parents=True, exist_ok=True)
    got.write_bytes(pickle.dumps(S))
    return S


@contextlib.contextmanager
def _settings(variant: dict):
    """models.learning's settings replaced by a variant's for the duration."""
    from models import learning

    saved = {k: getattr(learning, k) for k in SETTINGS}
    for k, v in variant.items():
        if k not in SETTINGS:
            raise SystemExit(f"okänd inställning: {k}")
        setattr(learning, k, v)
    try:
        yield
    finally:
        for k, v in saved.items():
            setattr(learning, k, v)


def _proposer_adds(S: dict, pm, rows, thresholds: dict, out: dict) -> None:
    """Add to ``out`` (row -> codes) the codes the proposer adds on ``rows`` with per-code ``thresholds``."""
    import numpy as np

    th = np.asarray([thresholds.get(c, pm.threshold_for(c)) for c in pm.codes_])
    for i in rows:
        for j in np.flatnonzero(S["pP"][i] >= th).tolist():
            c = pm.codes_[j]
            if c not in S["ruled"][i]:
                out.setdefault(i, set()).add(c)


def _simulate_fast(S: dict, d, order: list, n_rev: int, cb, pm=None):
    """(Scores before, Scores after) on the passages after the first ``n_rev`` of ``order``, every
    reviewed passage fully reviewed (a proposal is right when its code is gold)."""
    import numpy as np

    from models import learning
    from nlp.evaluate import score

    rev, rest = order[:n_rev], order[n_rev:]
    revset = set(rev)
    p0 = d.predict_proba_dicts(S["X"])
    shown: dict[int, set] = {}
    for k, (i, c) in enumerate(zip(S["pidx"], S["pcode"])):
        if p0[k] >= d.threshold:
            shown.setdefault(i, set()).add(c)
    if pm is not None:
        _proposer_adds(S, pm, order, {}, shown)
    pos = {i: set(S["gold"][i]) for i in rev}  # accepted and added by hand
    ks = [k for k, i in enumerate(S["pidx"]) if i in revset]
    y = [1 if S["pcode"][k] in pos[S["pidx"][k]] else 0 for k in ks]
    unproposed = sum(len(pos[i]) for i in rev) - sum(y)
    dp = learning.fit_project(d, [S["X"][k] for k in ks], [S["pcode"][k] for k in ks], y, unproposed,
                              lam_code=learning.LAM_CODE, lam_feat=learning.LAM_FEAT,
                              threshold_prior=learning.THRESHOLD_PRIOR, groups=[S["pidx"][k] for k in ks])
    p1 = dp.predict_proba_dicts(S["X"], S["pcode"])
    after: dict[int, set] = {}
    for k, (i, c) in enumerate(zip(S["pidx"], S["pcode"])):
        if p1[k] >= dp.threshold:
            after.setdefault(i, set()).add(c)
    if pm is not None:
        th = learning.fit_proposer_thresholds(pm, S["pP"][rev], [S["ruled"][i] for i in rev], [pos[i] for i in rev],
                                              [set() for _ in rev], [True for _ in rev])
        _proposer_adds(S, pm, rest, th, after)
    manual: dict[str, int] = {}
    for i in rev:
        for c in S["gold"][i] - shown.get(i, set()):
            manual[c] = manual.get(c, 0) + 1
    missed = sorted(c for c, m in manual.items() if m >= learning.MIN_MANUAL)
    sugg: dict[int, set] = {}  # the suggesters' additions (checked by learning.suggestion_confirmed)
    pairs = []
    if missed and len(rev) >= 5:
        prior = S["prior"]
        if learning.SUGGEST_PRIOR == "proposer" and pm is not None:
            prior = learning.proposer_prior(pm, S["pP"])
        probs = learning.missed_code_probs([S["toks"][i] for i in rev], [pos[i] & set(missed) for i in rev],
                                            missed, [S["toks"][i] for i in rest], [prior[i] for i in rev],
                                            [prior[i] for i in rest])
        for i, pr in zip(rest, probs):
            new = {c for c, p in pr.items() if p >= learning.SUGGEST_THRESHOLD} - after.get(i, set())
            if new:
                sugg.setdefault(i, set()).update(new)
    strong = sorted(c for c, m in manual.items()
                    if learning.PRIOR_MIN_MANUAL is not None and m >= learning.PRIOR_MIN_MANUAL)
    if strong and len(rev) >= 5:
        disp: dict[int, dict] = {}
        for k, (i, c) in enumerate(zip(S["pidx"], S["pcode"])):
            disp.setdefault(i, {})[c] = max(disp.get(i, {}).get(c, 0.0), float(p1[k]))
        col = {c: j for j, c in enumerate(pm.codes_)} if pm is not None else {}

        def z(i, c) -> float:
            return learning.bundled_logit(S["prior"][i].get(c, 0.0), float(S["pP"][i][col[c]]) if c in col else 0.0,
                                          disp.get(i, {}).get(c))

        tr = [(i, c) for i in rev for c in strong if c not in shown.get(i, set())]
        te = [(i, c) for i in rest for c in strong if c not in after.get(i, set()) | sugg.get(i, set())]
        y_tr = [int(c in S["gold"][i]) for i, c in tr]
        rpos = {i: k for k, i in enumerate(rev)}
        pairs = [(rpos[i], z(i, c), c, yy, S["toks"][i]) for (i, c), yy in zip(tr, y_tr)]
        if sum(y_tr) and te:
            P = learning.prior_code_probs([z(i, c) for i, c in tr], [c for _, c in tr], y_tr,
                                          [S["toks"][i] for i, _ in tr], [z(i, c) for i, c in te],
                                          [c for _, c in te], [S["toks"][i] for i, _ in te])
            for (i, c), p in zip(te, P.tolist()):
                if p >= learning.PRIOR_THRESHOLD:
                    sugg.setdefault(i, set()).add(c)
    if sugg and learning.SUGGEST_K is not None:
        shown_tr = [shown.get(i, set()) for i in rev]
        ev = learning.suggestion_evidence([S["toks"][i] for i in rev], [pos[i] for i in rev],
                                          [pos[i] - shown.get(i, set()) for i in rev], shown_tr, set(missed),
                                          [S["prior"][i] for i in rev], pairs or None)
        if ev is not None:
            even = learning.break_even(shown_tr, [pos[i] for i in rev])
            ok = {c for v in sugg.values() for c in v if learning.suggestion_confirmed(*ev.get(c, (0, 0)), even)}
            sugg = {i: v & ok for i, v in sugg.items()}
    for i, v in sugg.items():
        after.setdefault(i, set()).update(v)
    G = [S["gold"][i] for i in rest]
    return (score(G, [shown.get(i, set()) for i in rest], cb.code_ids),
            score(G, [after.get(i, set()) for i in rest], cb.code_ids))


def _ceilings(S: dict, d, order: list, n_rev: int, cb, pm=None) -> dict:
    """Micro-F1 on the passages after the first ``n_rev`` of ``order`` before any learning and two ceilings
    of what the decisions could teach: (a) every wrong suggestion removed, (b) every missed code recovered
    whose code the analyst added by hand at least once in the reviewed passages; with the sources of the
    misses of (b): a rule proposal the disposer dropped, the proposer below its threshold, nothing."""
    from nlp.evaluate import score

    rev, rest = order[:n_rev], order[n_rev:]
    p0 = d.predict_proba_dicts(S["X"])
    shown: dict[int, set] = {}
    proposed: dict[int, set] = {}
    for k, (i, c) in enumerate(zip(S["pidx"], S["pcode"])):
        proposed.setdefault(i, set()).add(c)
        if p0[k] >= d.threshold:
            shown.setdefault(i, set()).add(c)
    if pm is not None:
        _proposer_adds(S, pm, order, {}, shown)
    manual = {c for i in rev for c in S["gold"][i] - shown.get(i, set())}
    G = [S["gold"][i] for i in rest]
    before = [shown.get(i, set()) for i in rest]
    ca = [b & g for b, g in zip(before, G)]
    cb_ = [b | (g & manual) for b, g in zip(before, G)]
    src = {"dropped": 0, "none": 0}
    for i, b, g in zip(rest, before, G):
        for c in (g & manual) - b:
            src["dropped" if c in proposed.get(i, set()) else "none"] += 1
    s0 = score(G, before, cb.code_ids)
    return {"f1": s0.micro_f1, "a": score(G, ca, cb.code_ids).micro_f1 - s0.micro_f1,
            "b": score(G, cb_, cb.code_ids).micro_f1 - s0.micro_f1,
            "fp": sum(len(b - g) for b, g in zip(before, G)), "fn": sum(len(g - b) for b, g in zip(before, G)),
            "fn_b": sum(len((g & manual) - b) for b, g in zip(before, G)), **src}


@contextlib.contextmanager
def _bundled(d, pm=None):
    """The app's bundled disposer replaced by ``d`` (a left-out file's) and, with ``pm``, the shipped
    proposer by ``pm`` for the duration."""
    from models import learning, tagging

    saved = (learning.load_bundled, tagging.load_bundled, tagging.default_proposer)
    learning.load_bundled = tagging.load_bundled = lambda *a, **k: d
    if pm is not None:
        tagging.default_proposer = lambda *a, **k: pm
    try:
        yield
    finally:
        learning.load_bundled, tagging.load_bundled, tagging.default_proposer = saved


def _simulate_exact(path: Path, d, order: list, n_rev: int, pm=None):
    """(Scores before, Scores after) of simulate-review itself on the set in ``order``."""
    from commands.simulate_review import simulate
    from nlp.evaluate import read_gold

    gold = read_gold(path)
    with _bundled(d, pm):
        _, (s0, s1) = simulate([gold[i] for i in order], n_rev)
    return s0, s1


def main(argv=None) -> int:
    import numpy as np

    from nlp.codebook import default_codebook
    from models.tagging import default_proposer
    from nlp.disposer_training import TRAIN_BLIND_SETS, load_bundled

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variants", default=DEFAULT_VARIANTS, help="JSON list of models.learning settings")
    ap.add_argument("--orders", type=int, default=3, help="passage orders per set (file order + shuffles)")
    ap.add_argument("--reviews", type=int, default=100, help="reviewed passages of the training files")
    ap.add_argument("--lofo", nargs="*", default=list(LOFO), help="training files left out one at a time")
    ap.add_argument("--blind", nargs="*", default=[name.split(".")[0] for name, _ in BLIND],
                    help="blind sets (data/eval/<name>.jsonl) to use")
    ap.add_argument("--exact", action="store_true", help="run simulate-review itself (slow)")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/svarsanalys_learning_cv"),
                    help="left-out disposers and the tagging of the sets")
    ap.add_argument("--dev-gold", action="store_true",
                    help="also the shared dev gold (real text), scored with models fitted without it")
    ap.add_argument("--ceiling", action="store_true",
                    help="print the ceilings of what the decisions can teach per set (no learning)")
    a = ap.parse_args(argv)
    variants = json.loads(a.variants)
    cb = default_codebook()
    sets = []
    for stem in a.lofo:
        path = ROOT / "data" / "training" / f"{stem}.jsonl"
        n_lines = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
        sets.append((stem, path, lambda stem=stem: _lofo_disposer(stem, a.cache),
                     lambda stem=stem: _lofo_proposer(stem, a.cache), min(a.reviews, n_lines // 2)))
    for name, n in BLIND:
        stem = name.split(".")[0]
        if stem not in a.blind:
            continue
        if name in TRAIN_BLIND_SETS:  # training data of the shipped models: scored by models fitted without it
            sets.append((stem, ROOT / "data" / "eval" / name, lambda stem=stem: _lofo_disposer(stem, a.cache),
                         lambda stem=stem: _lofo_proposer(stem, a.cache), n))
        else:
            sets.append((stem, ROOT / "data" / "eval" / name, load_bundled, default_proposer, n))
    if a.dev_gold:  # real text of another style: the one labelled set not written for this project
        from nlp.disposer_training import SHARED_GOLD

        sets.append((SHARED_GOLD.stem, SHARED_GOLD, lambda: _lofo_disposer(SHARED_GOLD.stem, a.cache),
                     lambda: _lofo_proposer(SHARED_GOLD.stem, a.cache), a.reviews))
    for s in sets:
        refuse_held_out(s[1])
    table: list[list] = [[] for _ in variants]
    ceil: list[dict] = []
    for label, path, d, pm, n_rev in sets:
        d, pm = d(), pm()  # fitted (or read from the cache) when the set's turn comes: each set prints as it is done
        S = _prepare(path, d, cb, a.cache, pm)
        n = len(S["gold"])
        orders = [list(range(n))] + [random.Random(s).sample(range(n), n) for s in range(1, a.orders)]
        if a.ceiling:
            cs = [_ceilings(S, d, o, n_rev, cb, pm) for o in orders]
            m = {k: float(np.mean([c[k] for c in cs])) for k in cs[0]}
            ceil.append(m)
            print(f"{label} (N={n_rev}): F1 {m['f1']:.3f}  (a) no wrong suggestion {m['a']:+.4f} ({m['fp']:.1f} FP)  "
                  f"(b) misses of hand-added codes recovered {m['b']:+.4f} ({m['fn_b']:.1f} of {m['fn']:.1f} FN: "
                  f"disposer dropped {m['dropped']:.1f}, no rule proposal {m['none']:.1f})", flush=True)
            continue
        cells = []
        for vi, v in enumerate(variants):
            got = []
            with _settings(v):
                for o in orders:
                    s0, s1 = (_simulate_exact(path, d, o, n_rev, pm) if a.exact
                              else _simulate_fast(S, d, o, n_rev, cb, pm))
                    got.append((s1.micro_f1 - s0.micro_f1, s1.micro_p - s0.micro_p, s0.micro_f1, s1.micro_r - s0.micro_r))
            m = np.mean(got, axis=0)
            table[vi].append(m)
            cells.append(f"v{vi}: F1 {m[2]:.3f} {m[0]:+.4f} (P {m[1]:+.3f} R {m[3]:+.3f})")
        print(f"{label} (N={n_rev}): " + "  ".join(cells), flush=True)
    if a.ceiling:
        print(f"mean: (a) {np.mean([c['a'] for c in ceil]):+.4f}  (b) {np.mean([c['b'] for c in ceil]):+.4f}")
        return 0
    for vi, v in enumerate(variants):
        m = np.asarray(table[vi])
        print(f"v{vi} {json.dumps(v)}: medel ΔF1 {m[:, 0].mean():+.4f} ΔP {m[:, 1].mean():+.4f} ΔR {m[:, 3].mean():+.4f}"
              f"  sämsta {m[:, 0].min():+.4f}  per set "
              + " ".join(f"{x:+.3f}" for x in m[:, 0]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
