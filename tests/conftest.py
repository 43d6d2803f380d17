"""Shared test set-up: the repo root on sys.path and the path to ../shared."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """`../shared` beside the repo (form, codebook, gold data, REFI schema)."""
    if not SHARED.exists():
        pytest.skip("../shared saknas bredvid repot")
    return SHARED
