"""Swedish abbreviations that never end a sentence.

Dotted forms become single tokens (tokenizer special cases); spaced forms ("bl a", "t ex")
are two tokens without a full stop and need no special handling for segmentation.
"""
from __future__ import annotations

DOTTED: frozenset[str] = frozenset(
    """
    bl.a. bl.a t.ex. t.ex enl. m.m. m.m s.k. s.k ca. fr.o.m. fr.o.m t.o.m. t.o.m o.s.v. o.s.v osv. dvs. d.v.s.
    d.v.s etc. resp. inkl. exkl. p.g.a. p.g.a pga. m.fl. m.fl mfl. f.d. f.d kap. st. nr. jfr. ang. avd. tel.
    o.d. o.d s.a.s. fr.a. t.v. t.h. ev. obs. bl.annat m.a.o. m.a.o. f.n. f.ö. ung. ex. sk. tf. t.f. vs. kl. mkr.
    mnkr. tkr. milj. mdr. proc. ref. sid. s. forts. övers. äv. el. mm. bla. tex. e.d. i.o.m. i.s.f. dyl. d.ä. kungl.
    """.split()
)


def variants(abbrs: frozenset[str] = DOTTED) -> set[str]:
    """All casings used as tokenizer special cases: lower, Capitalised, UPPER."""
    out: set[str] = set()
    for a in abbrs:
        out.update({a, a[:1].upper() + a[1:], a.upper()})
    return out


# Codebook abbreviations whose lower-case form is no Swedish word (checked against the dictionary and
# by hand: "lov", "far", "lus", "pal", "gps", "pia", "emi", "rpm" are left out), so the term matcher may
# also match them written in lower case or Capitalised ("npö", "Usk", "bvc"): answers typed in a hurry.
# "sip" is left out too: in lower case it is also the telephony protocol ("sip-protokollet", "sip trunk";
# tests/test_tagger_matching.py).
CASE_SAFE: frozenset[str] = frozenset(
    """
    npö npo usk ssk bvc bup rss fou gpcc kpr kfr svp svpl iop kbt mvc bhv coc asih sfi vfu bbic mhfa kvå
    nll fyss
    """.split()
)
