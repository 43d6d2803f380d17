"""The shipped proposer's training hash and artifact writer (the data: nlp/disposer_training.training_files).

``python tools/train_proposer.py`` fits the proposer and calls :func:`write_artifact`; a test checks that
``data/models/proposer.json`` carries the :func:`training_hash` of the current training data.
"""
from __future__ import annotations

import json
from pathlib import Path

from nlp.disposer_training import training_files
from nlp.disposer_training import training_hash as disposer_training_hash
from nlp.proposer import FEATURES_VERSION, PROPOSER_ARTIFACT, Proposer

__all__ = ["training_hash", "write_artifact"]


def training_hash(files=None) -> str:
    """SHA-256 over the proposer's feature version, the training files' names and bytes and the codebook
    (the rules decide which codes the proposer may add)."""
    return disposer_training_hash(files, features_version=FEATURES_VERSION)


def write_artifact(m: Proposer, path: Path = PROPOSER_ARTIFACT) -> None:
    """Store a fitted proposer with the hash of its training data (sorted keys, compact: deterministic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"training_hash": training_hash(), "model": m.to_json()}
    path.write_text(json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
                    encoding="utf-8")
