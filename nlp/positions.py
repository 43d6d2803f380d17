"""Binary searches over an ascending list of ints (token or character positions), shared by :mod:`nlp.tagger`,
:mod:`nlp.status_scope` and :mod:`nlp.disposer_features`.

Those modules take these names with ``from nlp.positions import *``: without a build (or with
``SVARSANALYS_COMPILED=off``) they call these functions. In the compiled build each module's augmenting ``.pxd``
cimports the C versions from ``nlp/positions.pxd`` instead (``cdef inline``: a loop over C integers inside the
caller, no call of Python); the star import then only binds these Python functions as module attributes, which
the compiled code does not use. The two versions must stay the same (tests/test_positions.py). This module is
not compiled itself (its ``.pxd`` is not an augmenting one: it holds the C definitions).
"""
from __future__ import annotations

__all__ = ["first_at_least", "first_after"]


def first_at_least(a: list, x: int, lo: int) -> int:
    """``bisect_left(a, x, lo)`` for a list of ints ascending, ``lo >= 0``: the first index >= lo whose value
    is >= x."""
    hi = len(a)
    while lo < hi:
        mid = (lo + hi) >> 1
        v = a[mid]
        if v < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def first_after(a: list, x: int, lo: int) -> int:
    """``bisect_right(a, x, lo)`` for a list of ints ascending, ``lo >= 0``: the first index >= lo whose value
    is > x."""
    hi = len(a)
    while lo < hi:
        mid = (lo + hi) >> 1
        v = a[mid]
        if x < v:
            hi = mid
        else:
            lo = mid + 1
    return lo
