"""One pause of Python's cyclic garbage collector for a batch step (no other imports, so that any module of
``nlp`` may use it without loading spaCy)."""
from __future__ import annotations

import gc
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused():
    """Pause Python's cyclic garbage collector for a batch step (analysis, matching, disposing).

    These steps allocate millions of small acyclic objects (tuples, lists, features); every
    allocation threshold crossed would otherwise trigger collections that rescan the whole,
    large heap (1-2 s of a national corpus). Nothing here creates reference cycles that must
    be freed early; the collector is switched back on afterwards (if it was on), also after an error.
    """
    was = gc.isenabled()
    if was:
        gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
