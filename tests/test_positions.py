"""The binary searches over ascending positions (nlp.positions) are defined once: nlp.tagger, nlp.status_scope and
nlp.disposer_features take them from there (in the compiled build as C inline functions cimported from
nlp/positions.pxd, whose source is part of each of those modules' build stamp)."""
from __future__ import annotations

import random
import re
from bisect import bisect_left, bisect_right
from pathlib import Path

from nlp import compiled, positions

NLP = Path(positions.__file__).resolve().parent
USERS = ("nlp.tagger", "nlp.status_scope", "nlp.disposer_features")


def test_they_are_bisect():
    rng = random.Random(53)
    for _ in range(3000):
        a = sorted(rng.randrange(0, 40) for _ in range(rng.randrange(0, 14)))
        x = rng.randrange(-3, 44)
        lo = rng.randrange(0, len(a) + 2)
        assert positions.first_at_least(a, x, lo) == bisect_left(a, x, lo), (a, x, lo)
        assert positions.first_after(a, x, lo) == bisect_right(a, x, lo), (a, x, lo)


def test_one_definition():
    import importlib

    for name in USERS:
        mod = importlib.import_module(name)
        src = compiled.source_path(name).read_text(encoding="utf-8")
        assert "from nlp.positions import *" in src
        assert not re.search(r"^def (_first_at_least|_after|_from|first_at_least|first_after)\(", src, re.M), name
        pxd = compiled.pxd_path(name).read_text(encoding="utf-8")
        assert re.search(r"^from nlp\.positions cimport ", pxd, re.M), name
        assert "first_at_least" in vars(mod)


def test_the_c_versions_mirror_the_python_ones():
    """nlp/positions.pxd holds the same loops as nlp/positions.py (compared line by line, types aside)."""
    py = (NLP / "positions.py").read_text(encoding="utf-8")
    pxd = (NLP / "positions.pxd").read_text(encoding="utf-8")
    for name in positions.__all__:
        body_py = re.search(rf"^def {name}\(.*?\n    hi = len\(a\)\n(.*?)\n    return lo\n", py, re.M | re.S).group(1)
        body_c = re.search(rf"^cdef inline Py_ssize_t {name}\(.*?\n    cdef Py_ssize_t hi = len\(a\), mid, v\n(.*?)\n"
                           rf"    return lo\n", pxd, re.M | re.S).group(1)
        assert body_py == body_c, name


def test_the_shared_pxd_is_part_of_the_build_stamp(tmp_path, monkeypatch):
    for name in USERS:
        assert compiled.cimported(compiled.pxd_path(name).read_bytes()) == ["nlp.positions"]
    before = compiled.source_hash("nlp.tagger")
    real = compiled.pxd_path

    def other(module):
        if module == "nlp.positions":
            p = tmp_path / "positions.pxd"
            p.write_bytes(real(module).read_bytes() + b"\n# changed\n")
            return p
        return real(module)

    monkeypatch.setattr(compiled, "pxd_path", other)
    assert compiled.source_hash("nlp.tagger") != before
