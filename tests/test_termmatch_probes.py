"""probes (perf55): the affixes go through the affix memo with dict.setdefault (a direct call in the compiled
build); the probe strings are the ones the definition gives, and one string object per distinct affix is shared."""
from __future__ import annotations

from nlp import termmatch as tm


def _expected(orth: str, low: str, lem: str) -> set:
    st = tm.stems(low)
    bases = [x for k, x in enumerate(st) if k == 0 or k % 3 == 1] + [lem]
    out = set(st) | {lem, low[:4], low[:3]}
    for x in bases:
        out |= {x[-5:], x[-3:]}
    base = orth
    for sep in (":", "-"):
        if sep in base[1:]:
            base = base.split(sep, 1)[0]
    return out | {"A:" + base}


def test_probe_strings_are_the_definitions():
    for orth, lem in (("Hemsjukvårdens", "hemsjukvård"), ("SIP:ar", "sip"), ("e-hälsa", "e-hälsa"),
                      ("trygghetsteamen", "trygghetsteam"), ("Ab", "ab"), ("planerades", "planera")):
        got = tm.probes(orth, orth.lower(), lem)
        assert set(got) == _expected(orth, orth.lower(), lem)
        assert len(got) == len(set(got))  # distinct


def test_one_object_per_affix():
    a = tm.probes("Rehabiliteringsteamen", "rehabiliteringsteamen", "rehabiliteringsteam")
    b = tm.probes("Mobilteamen", "mobilteamen", "mobilteam")
    (ma,) = [s for s in a if s == "men"]
    (mb,) = [s for s in b if s == "men"]
    assert ma is mb is tm._AFFIXES["men"]  # the 3-letter end of both forms: one string object
    (ta,) = [s for s in a if s == "eam"]
    (tb,) = [s for s in b if s == "eam"]
    assert ta is tb
