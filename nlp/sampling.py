"""Drawing a double-coding sample: stratified, reproducible (pure functions, no I/O)."""
from __future__ import annotations

import math
import random
from typing import Hashable, Iterable, Sequence


def stratified_sample(items: Iterable[tuple[int, Hashable]], fraction: float, *, seed: int = 0,
                      minimum: int = 1) -> list[int]:
    """Ids drawn from (id, stratum) pairs: ceil(fraction · size) per stratum, at least `minimum`.

    The same items, fraction and seed always give the same sample; the result is sorted.
    """
    if not 0 < fraction <= 1:
        raise ValueError("fraction must be in (0, 1]")
    strata: dict[Hashable, list[int]] = {}
    for item_id, stratum in items:
        strata.setdefault(stratum, []).append(int(item_id))
    rng = random.Random(seed)
    chosen: list[int] = []
    for stratum in sorted(strata, key=repr):
        ids = sorted(strata[stratum])
        k = min(len(ids), max(minimum, math.ceil(fraction * len(ids))))
        chosen += rng.sample(ids, k)
    return sorted(chosen)


def strata_of(rows: Sequence[dict], keys: Sequence[str]) -> list[tuple[int, tuple]]:
    """(answer_id, stratum) pairs, the stratum being the values of `keys` in each row."""
    return [(int(r["answer_id"]), tuple(r.get(k) for k in keys)) for r in rows]
