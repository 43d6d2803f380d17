"""Inter-coder agreement of two coders on the same passages (pure functions, no I/O).

Passage level, per code, binary presence (the coder used the code on the passage or not),
over the passages both coders have:
- percent agreement  p_o = (both + neither) / N
- Cohen's κ          (p_o − p_e) / (1 − p_e), p_e = p_a·p_b + (1−p_a)(1−p_b)
- Krippendorff's α   nominal, two coders, no missing values:
                     α = 1 − (n − 1) · D / (n_0 · n_1), n = 2N values, D = passages where the
                     coders differ, n_0 / n_1 = how many of the 2N values are 0 / 1.
Codes neither coder used are left out. When every value is the same (both coders used the
code on every passage), p_e = 1 and n_0·n_1 = 0: κ and α are undefined and returned as None
(the two conditions coincide for binary data; percent agreement is then 1.0).

Segment level: character overlap of two coders' spans of one code (`span_overlap`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Optional


@dataclass(frozen=True)
class CodeAgreement:
    """Agreement on one code: the 2×2 table and the three coefficients."""

    code: str
    both: int
    only_a: int
    only_b: int
    neither: int
    agreement: float
    kappa: Optional[float]
    alpha: Optional[float]

    @property
    def a(self) -> int:
        """Passages where coder a used the code."""
        return self.both + self.only_a

    @property
    def b(self) -> int:
        """Passages where coder b used the code."""
        return self.both + self.only_b

    def as_json(self) -> dict:
        return {"agreement": self.agreement, "kappa": self.kappa, "alpha": self.alpha, "a": self.a, "b": self.b}


@dataclass(frozen=True)
class Agreement:
    """Agreement of two coders over their common passages."""

    passages: int
    codes: dict[str, CodeAgreement]

    @property
    def mean_kappa(self) -> Optional[float]:
        """Mean of the defined (non-null) κ values; None when there is none."""
        values = [c.kappa for c in self.codes.values() if c.kappa is not None]
        return sum(values) / len(values) if values else None

    def as_json(self) -> dict:
        return {"passages": self.passages, "codes": {k: v.as_json() for k, v in self.codes.items()},
                "mean_kappa": self.mean_kappa}


def cohen_kappa(both: int, only_a: int, only_b: int, neither: int) -> Optional[float]:
    """Cohen's κ of a 2×2 table; None when the expected agreement is 1 (or there are no units)."""
    n = both + only_a + only_b + neither
    if n == 0:
        return None
    p_o = (both + neither) / n
    p_a, p_b = (both + only_a) / n, (both + only_b) / n
    p_e = p_a * p_b + (1 - p_a) * (1 - p_b)
    if p_e >= 1.0:
        return None
    return (p_o - p_e) / (1 - p_e)


def krippendorff_alpha_binary(both: int, only_a: int, only_b: int, neither: int) -> Optional[float]:
    """Krippendorff's α (nominal, two coders, no missing values) of a 2×2 table; None when undefined."""
    units = both + only_a + only_b + neither
    n = 2 * units
    n_1 = 2 * both + only_a + only_b
    n_0 = n - n_1
    if units == 0 or n_0 * n_1 == 0:
        return None
    return 1 - (n - 1) * (only_a + only_b) / (n_0 * n_1)


def table(a: Iterable[bool], b: Iterable[bool]) -> tuple[int, int, int, int]:
    """(both, only_a, only_b, neither) of two parallel presence sequences."""
    both = only_a = only_b = neither = 0
    for x, y in zip(a, b, strict=True):
        if x and y:
            both += 1
        elif x:
            only_a += 1
        elif y:
            only_b += 1
        else:
            neither += 1
    return both, only_a, only_b, neither


def code_agreement(code: str, a: Iterable[bool], b: Iterable[bool]) -> CodeAgreement:
    """Agreement on one code from two parallel presence sequences."""
    both, only_a, only_b, neither = table(a, b)
    n = both + only_a + only_b + neither
    return CodeAgreement(code, both, only_a, only_b, neither, (both + neither) / n if n else 0.0,
                         cohen_kappa(both, only_a, only_b, neither),
                         krippendorff_alpha_binary(both, only_a, only_b, neither))


def agreement(a: Mapping[str, Iterable[str]], b: Mapping[str, Iterable[str]]) -> Agreement:
    """Per-code agreement of coder a and coder b: passage id → codes, over the ids both have."""
    common = sorted(set(a) & set(b))
    sets_a = {pid: set(a[pid]) for pid in common}
    sets_b = {pid: set(b[pid]) for pid in common}
    used = sorted(set().union(*sets_a.values(), *sets_b.values())) if common else []
    codes = {code: code_agreement(code, [code in sets_a[p] for p in common], [code in sets_b[p] for p in common])
             for code in used}
    return Agreement(len(common), codes)


def span_overlap(a: Iterable[tuple[int, int]], b: Iterable[tuple[int, int]]) -> Optional[float]:
    """Character overlap of two sets of spans (intersection / union of covered characters).

    1.0 when both coders marked exactly the same characters, 0.0 when they share none,
    None when neither marked anything.
    """
    chars_a = {i for s, e in a for i in range(s, e)}
    chars_b = {i for s, e in b for i in range(s, e)}
    union = chars_a | chars_b
    if not union:
        return None
    return len(chars_a & chars_b) / len(union)


def segment_overlap(a: Mapping[object, Mapping[str, Iterable[tuple[int, int]]]],
                    b: Mapping[object, Mapping[str, Iterable[tuple[int, int]]]]) -> dict[str, Optional[float]]:
    """Per code, the mean span overlap over the passages where both coders used the code.

    `a`, `b`: passage id → code → spans. None for a code no passage has from both coders.
    """
    sums: dict[str, list[float]] = {}
    for pid in set(a) & set(b):
        for code in set(a[pid]) | set(b[pid]):
            sums.setdefault(code, [])
            if code in a[pid] and code in b[pid]:
                value = span_overlap(a[pid][code], b[pid][code])
                if value is not None:
                    sums[code].append(value)
    return {code: (sum(v) / len(v) if v else None) for code, v in sorted(sums.items())}


def disagreements(a: Mapping[object, Iterable[str]], b: Mapping[object, Iterable[str]]) -> list[tuple]:
    """(passage id, codes only a used, codes only b used) for common passages where the coders differ."""
    out = []
    common = set(a) & set(b)
    try:
        ordered = sorted(common)
    except TypeError:  # mixed id types
        ordered = sorted(common, key=str)
    for pid in ordered:
        sa, sb = set(a[pid]), set(b[pid])
        if sa != sb:
            out.append((pid, sorted(sa - sb), sorted(sb - sa)))
    return out
