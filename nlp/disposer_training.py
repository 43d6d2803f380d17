"""Training data of the bundled disposer and the shipped model artifact.

Training passages: the error-rich passages written for the disposer (``data/training/disposer_*.jsonl``),
the bundled examples (``data/training/examples.jsonl``), the older evaluation sets that are no longer
blind (``data/eval/holdout.jsonl``, ``fresh_round2.jsonl``, ``fresh_round3.jsonl``) and the shared dev
gold. The round-4 blind set (``data/eval/blind_round4.jsonl``) is never used. A proposal's label is
1 when its code is among the passage's gold codes.

The fitted disposer is shipped as ``data/models/disposer.json`` together with the hash of its training
data (:func:`training_hash`); ``tools/train_disposer.py`` rebuilds it deterministically.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

ROOT = Path(__file__).resolve().parents[1]
TRAINING_DIR = ROOT / "data" / "training"
EVAL_DIR = ROOT / "data" / "eval"
SHARED_GOLD = ROOT.parent / "shared" / "data" / "dev_gold.jsonl"
ARTIFACT = ROOT / "data" / "models" / "disposer.json"
BLIND_SETS = ("blind_round4.jsonl", "blind_round5.jsonl")
TRAIN_EVAL_SETS = ("holdout.jsonl", "fresh_round2.jsonl", "fresh_round3.jsonl")

__all__ = ["training_files", "training_passages", "training_hash", "proposal_rows", "load_bundled",
           "ARTIFACT", "BLIND_SETS"]


def training_files() -> list[Path]:
    """The files the bundled disposer learns from (the shared dev gold when present)."""
    files = sorted(TRAINING_DIR.glob("disposer_*.jsonl")) + [TRAINING_DIR / "examples.jsonl"]
    files += [EVAL_DIR / n for n in TRAIN_EVAL_SETS]
    if SHARED_GOLD.exists():
        files.append(SHARED_GOLD)
    return [f for f in files if f.exists() and f.name not in BLIND_SETS]


def training_passages(files: Optional[Sequence[Path]] = None) -> list[tuple[str, str, tuple[str, ...], Optional[str]]]:
    """(group id, text, gold codes, question) of every training passage."""
    out = []
    for f in (files if files is not None else training_files()):
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            obj = json.loads(line)
            pid = f"{f.stem}:{obj.get('id', n)}"
            out.append((pid, obj["text"], tuple(obj.get("codes") or ()), obj.get("question")))
    return out


def training_hash(files: Optional[Sequence[Path]] = None) -> str:
    """SHA-256 over the training files' names and bytes, the codebook and the feature version."""
    from nlp.disposer_features import FEATURES_VERSION

    h = hashlib.sha256(FEATURES_VERSION.encode())
    for f in (files if files is not None else training_files()):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    h.update((ROOT / "data" / "codebook.yaml").read_bytes())
    return h.hexdigest()


def code_questions(codebook) -> dict[str, frozenset]:
    """Code id -> the form questions of its category (lower-case)."""
    out = {}
    doc = codebook.to_doc()
    for cat in doc.get("categories", []):
        qs = frozenset(str(q).lower() for q in (cat.get("questions") or []))
        for c in cat.get("codes", []):
            out[c["id"]] = qs
    return out


def proposal_rows(passages, tagger, disposer):
    """(feature dicts, labels, groups) of the rule proposals over passages (tagger without disposer)."""
    saved = tagger.disposer
    tagger.disposer = None
    try:
        res = tagger.tag_texts([p[1] for p in passages], ids=[p[0] for p in passages])
    finally:
        tagger.disposer = saved
    props, X = disposer.features(res, [p[3] for p in passages])
    y = [1 if pr.code in passages[pr.index][2] else 0 for pr in props]
    groups = [passages[pr.index][0] for pr in props]
    return X, y, groups


@lru_cache(maxsize=4)
def _load(path: str, mtime: float):
    from nlp.disposer import Disposer

    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    return Disposer.from_json(doc["model"]), doc.get("training_hash", "")


def load_bundled(path: Path = ARTIFACT):
    """The shipped disposer (None when the artifact is absent)."""
    if not path.exists():
        return None
    return _load(str(path), path.stat().st_mtime)[0]


def artifact_hash(path: Path = ARTIFACT) -> str:
    if not path.exists():
        return ""
    return _load(str(path), path.stat().st_mtime)[1]


def fit_bundled(C: float = 1.0, threshold: float = 0.55, context_words: bool = False):
    """Fit the bundled disposer on the training passages (deterministic)."""
    from nlp.codebook import default_codebook
    from nlp.disposer import Disposer
    from nlp.tagger import Tagger

    cb = default_codebook()
    d = Disposer(C=C, threshold=threshold, context_words=context_words)
    d.code_questions = code_questions(cb)
    X, y, g = proposal_rows(training_passages(), Tagger(cb), d)
    return d.fit(X, y, groups=g)


def write_artifact(d, path: Path = ARTIFACT) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"training_hash": training_hash(), "model": d.to_json()}
    path.write_text(json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=0) + "\n", encoding="utf-8")
