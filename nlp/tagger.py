"""Codebook tagger: excerpts and codes with evidence, negation, status, scope and confidence.

Usage::

    tagger = Tagger(default_codebook())
    results = tagger.tag_texts(["De mobila teamen har breddinförts i hela länet."])
    results[0].codes            # ['mobila_team']
    results[0].evidence[0]      # Evidence(code='mobila_team', start=3, end=16, match='mobila teamen', ...)

The tagger keeps every analysed text (:class:`AnalysedText`: tokens, lemmas, segments, offset
map) so that :meth:`Tagger.retag` after a codebook edit re-runs only the matching. Evidence
offsets are character offsets into the ORIGINAL text.
"""
from __future__ import annotations

import json
from bisect import bisect_left, bisect_right

from dataclasses import asdict, dataclass, field
from typing import Iterable, Optional, Sequence

import numpy as np

from nlp import codebook_cache, markers as mk
from nlp.codebook import Codebook, default_codebook
from nlp.evidence import Evidence, implied_rule
from nlp.positions import *  # noqa: F401,F403 - first_at_least (C inline in the compiled build: nlp/positions.pxd)
from nlp.status_scope import ANAPHORS, SegmentReader
from nlp.verbforms import verb_form
from nlp import termmatch as _termmatch
from nlp.lang_sv.compounds import MAX_COMPOUND_CHARS as _MAX_WORD
from nlp.termmatch import TermIndex, WordFeatures, fold, probes, stems, word_automaton

__all__ = ["Evidence", "Excerpt", "TagResult", "AnalysedText", "CompiledCodebook", "Tagger", "RULE_CONFIDENCE"]

# Confidence of a rule hit by the kind of rule that fired.
RULE_CONFIDENCE = {"keyword": 0.9, "abbreviation": 0.85, "compound": 0.85, "cooccurrence3": 0.75,
                   "cooccurrence": 0.65, "weak": 0.6}
LIST_LOOKBACK = 30  # list items looked back over to find the lead-in sentence of a list
# hit kinds that are one written phrase: a negation word inside such a hit is the phrase's own word
PHRASE_KINDS = frozenset({"keyword"})
NEG_BEFORE_WINDOW = 12
NEG_AFTER_WINDOW = 6
# Co-occurrence: the concept words must lie within this many words (2 lists / 3 lists).
COOC_WINDOW = {2: 10, 3: 16}


_NEW_LIST = object()  # Excerpt's default evidence: a new list


@dataclass(init=False)
class Excerpt:
    """A sentence or list item (char offsets into the original text) and its codes (a dataclass whose
    constructor, the one the dataclass would make, is written out: the compiled build compiles it)."""

    start: int
    end: int
    text: str
    evidence: list[Evidence] = field(default_factory=list)

    def __init__(self, start: int, end: int, text: str, evidence=_NEW_LIST):
        self.start = start
        self.end = end
        self.text = text
        self.evidence = [] if evidence is _NEW_LIST else evidence

    @property
    def codes(self) -> list[str]:
        return list(dict.fromkeys(e.code for e in self.evidence if not e.negated))


@dataclass
class TagResult:
    """Tagging of one text."""

    id: Optional[str]
    text: str
    excerpts: list[Excerpt] = field(default_factory=list)  # excerpts that carry evidence
    _analysed: Optional["AnalysedText"] = field(default=None, repr=False, compare=False)

    def segments(self) -> list[Excerpt]:
        """Every sentence / list item of the text (with its evidence, if any)."""
        a = self._analysed
        if a is None:
            return list(self.excerpts)
        by_start = {(x.start, x.end): x for x in self.excerpts}
        out = []
        for s, e in a.segments:
            xs, xe = a.char_span(s, e)
            out.append(by_start.get((xs, xe)) or Excerpt(start=xs, end=xe, text=a.text[xs:xe]))
        return out

    @property
    def evidence(self) -> list[Evidence]:
        return [e for x in self.excerpts for e in x.evidence]

    @property
    def codes(self) -> list[str]:
        """Codes present and not negated, in order of first evidence."""
        return list(dict.fromkeys(e.code for e in self.evidence if not e.negated))

    def code_values(self) -> tuple[dict, dict]:
        """({code: status}, {code: scope}) for every present code: the value shown for the code in this
        text (see :func:`nlp.status_scope.passage_values`)."""
        from nlp.status_scope import passage_values

        return passage_values(self.evidence)

    def to_json(self) -> dict:
        ev = self.evidence
        status, scope = self.code_values()
        return {"id": self.id, "codes": list(dict.fromkeys(e.code for e in ev if not e.negated)),
                "evidence": [e.to_json() for e in ev], "status": status, "scope": scope}


# --------------------------------------------------------------------------- analysed text


@dataclass
class AnalysedText:
    """Compact analysed form of one text: what matching needs, nothing more."""

    text: str
    orth: np.ndarray  # uint64 hashes
    lemma: np.ndarray
    idx: np.ndarray  # char start in the normalised text
    length: np.ndarray
    space: np.ndarray  # bool
    segments: list[tuple[int, int]]  # token ranges
    breaks: tuple = ()

    @classmethod
    def from_doc(cls, doc, text: Optional[str] = None, token_arrays: Optional[tuple] = None) -> "AnalysedText":
        """The compact form of an analysed Doc. ``token_arrays``: the doc's (ORTH, LEMMA, SENT_START, IS_SPACE,
        LENGTH) arrays as ``nlp.components.annotate`` gives them (then only IDX is read from the doc)."""
        from spacy.attrs import IDX, IS_SPACE, LEMMA, LENGTH, ORTH, SENT_START

        n = len(doc)
        if n == 0:
            e = np.zeros(0, dtype="uint64")
            return cls(text if text is not None else doc.text, e, e, e.astype("int64"), e.astype("int64"),
                       e.astype(bool), [], tuple(doc.user_data.get("offsets", ()) or ()))
        if token_arrays is not None:
            orth_a, lemma_a, start_a, space_a, length_a = token_arrays
            orth = orth_a.copy()
            lemma = lemma_a.copy()
            idx = doc.to_array(IDX).astype("int64")
            length = length_a.astype("int64")
            starts = start_a.astype("int64") == 1
            space = space_a.astype(bool)
        else:
            arr = doc.to_array([ORTH, LEMMA, IDX, LENGTH, SENT_START, IS_SPACE])
            orth = arr[:, 0].copy()
            lemma = arr[:, 1].copy()
            idx = arr[:, 2].astype("int64")
            length = arr[:, 3].astype("int64")
            starts = arr[:, 4].astype("int64") == 1
            space = arr[:, 5].astype(bool)
        starts[0] = True
        bounds = np.flatnonzero(starts).tolist() + [n]
        segs = []
        for s, e in zip(bounds[:-1], bounds[1:]):
            while s < e and space[s]:
                s += 1
            while e > s and space[e - 1]:
                e -= 1
            if e > s:
                segs.append((s, e))
        breaks = tuple(doc.user_data.get("offsets", ()) or ())
        return cls(text if text is not None else doc.text, orth, lemma, idx, length, space, segs, breaks)

    @property
    def is_word(self) -> list:
        """Per token: False for whitespace tokens (cached list)."""
        w = self.__dict__.get("_is_word")
        if w is None:
            w = self.__dict__["_is_word"] = (~self.space).tolist()
        return w

    def original_span(self, norm_start: int, norm_end: int) -> tuple[int, int]:
        """Map a span of the normalised text to the original text (same result as
        ``pipeline.original_span``, but O(log n) per call with a bisect over the break points,
        so a long answer with thousands of hits stays linear)."""
        keys = self.__dict__.get("_break_keys")
        if keys is None:
            keys = self.__dict__["_break_keys"] = list(self.breaks[0::2])
            self.__dict__["_break_deltas"] = list(self.breaks[1::2])
        deltas = self.__dict__["_break_deltas"]
        # (no nested function: a closure per call is most of this method's cost in a compiled build)
        k = bisect_right(keys, norm_start)
        x = norm_start + (deltas[k - 1] if k else 0)
        if norm_end <= norm_start:
            return x, x
        j = norm_end - 1
        k = bisect_right(keys, j)
        return x, j + (deltas[k - 1] if k else 0) + 1

    def char_span(self, tok_start: int, tok_end: int) -> tuple[int, int]:
        """Original-text char span of tokens [tok_start, tok_end)."""
        s = int(self.idx[tok_start])
        e = int(self.idx[tok_end - 1] + self.length[tok_end - 1])
        if not self.breaks:
            return s, e
        return self.original_span(s, e)


# --------------------------------------------------------------------------- compiled codebook


class _Batch:
    """What the texts of one tag_analysed call share: forms, their features and per-form flags."""

    __slots__ = ("cc", "F", "F_obj", "uniq", "lem", "inv", "strings", "_kinds", "_bound", "_rows", "_vals")

    def __init__(self, cc: "CompiledCodebook", F: list, uniq: list, lem: list, inv: np.ndarray, strings):
        self.cc, self.F, self.uniq, self.lem, self.inv, self.strings = cc, F, uniq, lem, inv, strings
        self.F_obj = _object_array(F)
        self._kinds: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._bound: Optional[np.ndarray] = None
        self._rows: dict = {}
        self._vals: dict[str, list] = {"F": F}

    def values(self, key: str) -> list:
        """Per distinct form of the batch (a list): what :meth:`rows` gives per token for ``key`` (``'F'``,
        ``'ctx'``, ``'markers'``, ``'_vf'``, ``'_low'``). A text's view gathers its tokens' items from it
        (:func:`_gather`), so no per-token list of the whole batch is built."""
        got = self._vals.get(key)
        if got is None:
            if key == "_low":
                got = [f.lower for f in self.F]
            elif key == "_vf":
                self.verb_forms()
                got = self._vals["_vf"]
            else:
                self.kind(key)
                got = self._vals[key]
            self._vals[key] = got
        return got

    def rows(self, key: str) -> list:
        """Per token of the whole batch (every text, in order): its code-index features (``'F'``), its
        context or marker index features (``'ctx'``, ``'markers'``), its verb form (``'_vf'``), its lower-case
        form (``'_low'``). One numpy gather for all the texts on first use; a text's view (:class:`_DocView`)
        slices it."""
        got = self._rows.get(key)
        if got is None:
            if key == "F":
                vals = self.F_obj
            elif key == "_vf":
                vals = self.verb_forms()
            elif key == "_low":
                vals = _object_array([f.lower for f in self.F])
            else:
                vals = self.kind(key)[0]
            got = self._rows[key] = vals[self.inv].tolist()
        return got

    def starters(self, kind: str) -> list:
        """The token positions in the whole batch (ascending) whose form may start a term of the index ``kind``
        (:meth:`kind`), found for all the texts at once on first use."""
        key = ("pos", kind)
        got = self._rows.get(key)
        if got is None:
            _, has = self.kind(kind)
            got = self._rows[key] = np.flatnonzero(has[self.inv]).tolist()
        return got

    def kind(self, kind: str) -> tuple[np.ndarray, np.ndarray]:
        """(features per distinct form as an object array, may-start-a-term flag per form) of the
        context ('ctx') or marker ('markers') index; computed on first use (cached per form)."""
        got = self._kinds.get(kind)
        if got is None:
            fn = self.cc.context_features if kind == "ctx" else self.cc.marker_features
            vals = fn(self.uniq, self.lem, self.strings)
            has = np.fromiter((bool(f.first) for f in vals), dtype=bool, count=len(vals))
            self._vals[kind] = vals
            got = self._kinds[kind] = (_object_array(vals), has)
        return got

    def verb_forms(self) -> np.ndarray:
        """Per distinct form: its verb form (lemma, class) or None, as an object array."""
        vf = self._kinds.get("_vf")
        if vf is None:
            strings = self.strings
            vals = [verb_form(f.lower, strings[l]) if f.lower.isalpha() else None for f, l in zip(self.F, self.lem)]
            self._vals["_vf"] = vals
            vf = self._kinds["_vf"] = (_object_array(vals), None)
        return vf[0]

    def boundary(self) -> np.ndarray:
        """Per distinct form: 1 when it is a clause boundary (see markers.is_clause_boundary)."""
        if self._bound is None:
            isb = mk.is_clause_boundary
            self._bound = np.fromiter((isb(f.lower) for f in self.F), dtype=np.int64, count=len(self.F))
        return self._bound


class _DocView:
    """Per text: token features as a list, plus (built on first use) the positions and features of
    the context / marker indexes and the clause id of every token."""

    __slots__ = ("batch", "lo", "hi", "feats", "is_word", "_pos", "_fl", "_clause", "_lowers", "_vforms", "_starts",
                 "_ends", "_inv")

    def __init__(self, batch: _Batch, lo: int, hi: int, is_word: list):
        self.batch, self.lo, self.hi, self.is_word = batch, lo, hi, is_word
        # the distinct form of each of the text's tokens: its features, lower-case and verb forms are gathered
        # from the batch's per-form lists (what slicing the batch's per-token rows gave, item for item)
        self._inv = batch.inv[lo:hi].tolist()
        self.feats = _gather(batch.F, self._inv)
        self._pos: dict[str, list] = {}
        self._fl: dict[str, list] = {}
        self._clause: Optional[list] = None
        self._lowers: Optional[list] = None
        self._vforms: Optional[list] = None
        self._starts: Optional[list] = None
        self._ends: Optional[list] = None

    def char_span(self, a: "AnalysedText", tok_start: int, tok_end: int) -> tuple[int, int]:
        """``a.char_span(tok_start, tok_end)`` of the text ``a`` viewed, read from lists of the tokens' char
        starts and ends built on first use (not from numpy scalars)."""
        st = self._starts
        if st is None:
            st = self._starts = a.idx.tolist()
            self._ends = (a.idx + a.length).tolist()
        s = st[tok_start]
        e = self._ends[tok_end - 1]
        if not a.breaks:
            return s, e
        return a.original_span(s, e)

    def lowers(self) -> list:
        """Lower-case form per token."""
        if self._lowers is None:
            self._lowers = _gather(self.batch.values("_low"), self._inv)
        return self._lowers

    def verb_forms(self) -> list:
        """Verb form per token (nlp.verbforms.verb_form of its form and lemma, or None)."""
        if self._vforms is None:
            self._vforms = _gather(self.batch.values("_vf"), self._inv)
        return self._vforms

    def positions(self, kind: str, s: int, e: int) -> list:
        """Token positions in [s, e) whose form may start a term of the index ``kind``."""
        pos = self._pos.get(kind)
        if pos is None:
            lo, hi = self.lo, self.hi
            flat = self.batch.starters(kind)
            i0 = bisect_left(flat, lo)
            i1 = bisect_left(flat, hi, i0)
            pos = flat[i0:i1] if not lo else [p - lo for p in flat[i0:i1]]
            self._pos[kind] = pos
        if not pos:
            return pos
        i0 = first_at_least(pos, s, 0)
        return pos[i0:first_at_least(pos, e, i0)]

    def feats_of(self, kind: str) -> list:
        fl = self._fl.get(kind)
        if fl is None:
            fl = self._fl[kind] = _gather(self.batch.values(kind), self._inv)
        return fl

    def clauses(self) -> list:
        """Clause id per token: boundary tokens counted from the start of the text (inclusive), so
        two tokens of one segment share a clause exactly when no boundary token lies between them."""
        if self._clause is None:
            flags = self.batch.boundary()[self.batch.inv[self.lo:self.hi]]  # a copy
            lowers = self.lowers()
            joints = [i for i in np.flatnonzero(flags).tolist() if lowers[i] in (",", ":")]
            if joints:
                # "har inte infört A, B eller C" and "Mobila team: nej" stay one clause
                for i in joints:
                    if mk.joins_clauses(lowers, self.is_word, i):
                        flags[i] = 0
            self._clause = np.cumsum(flags).tolist()
        return self._clause


def _gather(vals: list, idx: list) -> list:
    """``[vals[i] for i in idx]``: the items of a batch's per-form list for a text's tokens (a typed loop in the
    compiled build, nlp/tagger.pxd: a list index per token, where a numpy gather of an object array and its
    ``tolist`` cost ~200 instructions per token)."""
    return [vals[i] for i in idx]


def _object_array(items: list) -> np.ndarray:
    """A 1-d numpy object array holding the items themselves (fast gathers by index). Filled by ``fromiter``:
    a slice assignment from the list first has numpy look into every item for a nested sequence (~1,000
    instructions per item), which ``fromiter`` with an object dtype does not (each item stored as it is)."""
    return np.fromiter(items, dtype=object, count=len(items))


def _segment_table(analysed: Sequence[AnalysedText], starts: np.ndarray) -> tuple:
    """Every segment of a batch: (start, end) as token positions in the batch, its text, its number."""
    nseg = [len(a.segments) for a in analysed]
    flat = [x for a in analysed for sg in a.segments for x in sg]
    if not flat:
        e = np.zeros(0, dtype=np.int64)
        return e, e, e, e
    se = np.asarray(flat, dtype=np.int64).reshape(-1, 2)
    doc = np.repeat(np.arange(len(analysed), dtype=np.int64), nseg)
    k = np.arange(len(doc), dtype=np.int64) - np.repeat(np.cumsum(nseg) - nseg, nseg)
    base = starts[:-1][doc]
    return se[:, 0] + base, se[:, 1] + base, doc, k


_NO_RULES: frozenset = frozenset()


def _unique_ints(a: np.ndarray) -> np.ndarray:
    """The distinct values of a 1-d integer array, ascending: ``np.unique(a)`` by a sort (numpy 2's
    hash-based ``np.unique`` without flags is several times slower on these arrays of 10⁵ keys)."""
    a = np.sort(a)
    if a.size > 1:
        a = a[np.concatenate(([True], a[1:] != a[:-1]))]
    return a


def _complete_rules(cand: np.ndarray, k: np.ndarray, inv: np.ndarray, SIG: dict, ncc: dict) -> dict:
    """Segment number -> the (code, rule) keys of the co-occurrence rules complete in it
    (:func:`_cooccurrence_plan`)."""
    return _cooccurrence_plan(cand, k, inv, SIG, ncc)[0]


def _cooccurrence_plan(cand: np.ndarray, k: np.ndarray, inv: np.ndarray, SIG: dict, ncc: dict) -> tuple:
    """(complete, useful) for a whole batch. ``complete``: segment number -> the (code, rule) keys of the co-occurrence rules every list of which has a
    candidate word in that segment (by the words' signals: a superset of the rules their hits
    complete), for the whole batch at once. ``cand`` are candidate token positions of the batch, ``k``
    the segment of each, ``inv`` the distinct form of every batch token, ``SIG`` the signals per form.

    ``useful``: per candidate token, False when the token's form has co-occurrence lists (signals) and none
    of their rules is complete in the token's segment (its hits as a concept word are then all passed over
    by ``_segment_evidence``), else True; None when every token is useful.

    The forms' co-occurrence signals are few distinct frozensets (:meth:`CompiledCodebook.signals`), so
    the tokens are first reduced to distinct (segment, signal) pairs and only those are expanded to
    their (rule, list) entries."""
    if not cand.size:
        return {}, None
    forms, tok_form = np.unique(inv[cand], return_inverse=True)
    sig_ids: dict[frozenset, int] = {}
    sig_of: list[int] = []
    for u in forms.tolist():
        lists = SIG[u][1]
        if lists:
            sid = sig_ids.get(lists)
            if sid is None:
                sid = sig_ids[lists] = len(sig_ids)
            sig_of.append(sid)
        else:
            sig_of.append(-1)
    if not sig_ids:
        return {}, None
    tok_sig = np.asarray(sig_of, dtype=np.int64)[tok_form.reshape(-1)]
    keep = tok_sig >= 0
    n_sig = len(sig_ids)
    tok_pair = k[keep].astype(np.int64) * n_sig + tok_sig[keep]
    pairs = _unique_ints(tok_pair)  # distinct (segment, signal)
    rule_ids: dict[tuple, int] = {}
    rules: list[tuple] = []
    flat_rule: list[int] = []
    flat_j: list[int] = []
    ptr = [0]
    for lists in sig_ids:  # in signal id order
        for c_, r_, j_ in lists:
            rid = rule_ids.get((c_, r_))
            if rid is None:
                rid = rule_ids[(c_, r_)] = len(rules)
                rules.append((c_, r_))
            flat_rule.append(rid)
            flat_j.append(j_)
        ptr.append(len(flat_rule))
    ptr_a = np.asarray(ptr, dtype=np.int64)
    p_sig = pairs % n_sig
    cnt = ptr_a[p_sig + 1] - ptr_a[p_sig]  # (rule, list) entries per pair
    total = int(cnt.sum())
    ends = np.cumsum(cnt)
    idx = np.repeat(ptr_a[p_sig] - (ends - cnt), cnt) + np.arange(total, dtype=np.int64)
    seg = np.repeat(pairs // n_sig, cnt)
    n_rules, n_lists = len(rules), max(flat_j) + 1
    seg_rule_e = seg * n_rules + np.asarray(flat_rule, dtype=np.int64)[idx]  # (segment, rule) per entry
    keys = _unique_ints(seg_rule_e * n_lists + np.asarray(flat_j, dtype=np.int64)[idx])
    sr = keys // n_lists  # ascending, as keys are
    first = np.flatnonzero(np.concatenate(([True], sr[1:] != sr[:-1])))
    seg_rule = sr[first]
    lists_n = np.diff(np.append(first, sr.size))  # distinct lists per (segment, rule)
    need = np.asarray([ncc[c_][r_] for c_, r_ in rules], dtype=np.int64)
    full = seg_rule[lists_n == need[seg_rule % n_rules]]
    out: dict[int, set] = {}
    for sg, rid in zip((full // n_rules).tolist(), (full % n_rules).tolist()):
        out.setdefault(sg, set()).add(rules[rid])
    # a pair is useful when one of its entries' (segment, rule) is complete; a token as its pair
    if full.size:
        at = np.minimum(np.searchsorted(full, seg_rule_e), full.size - 1)
        pair_ok = np.logical_or.reduceat(full[at] == seg_rule_e, ends - cnt)
        useful = ~keep
        useful[keep] = pair_ok[np.searchsorted(pairs, tok_pair)]
    else:
        useful = ~keep
    return {sg: frozenset(v) for sg, v in out.items()}, useful


# the strength of a hit's kind when two hits of one code cover the same words (stronger first)
KIND_RANK = {"keyword": 0, "abbreviation": 1, "compound": 2, "cooccurrence3": 3, "cooccurrence": 4, "weak": 5}


def _hit_order(h) -> tuple:
    """Order of a code's hits (start, end, kind, rule) in a segment: the first of overlapping hits is kept.
    By start, then the longest span; hits of the same words by the strength of their kind, then the longest
    rule (the most specific keyword: 'vardagsrehabilitering' before 'rehabilitering'), then the rule's text,
    so the evidence's rule never depends on the order of the codebook's terms."""
    return h[0], -(h[1] - h[0]), KIND_RANK.get(h[2], 6), -len(h[3]), h[3]


class SegmentMarkers:
    """The marker phrases found in segment [s, e): negation cues (start, end), cancellation and delay cues
    (start), status and scope words (start, value). One reading for a rule hit, a list item's follow-up
    sentence and a proposer's evidence (:func:`read_markers`). A plain class with slots (an extension type
    in the compiled build, nlp/tagger.pxd): five new lists, compared and shown as the dataclass it was."""

    __slots__ = ("negs", "cancels", "delays", "status", "scope")

    def __init__(self, negs=None, cancels=None, delays=None, status=None, scope=None):
        self.negs = [] if negs is None else negs
        self.cancels = [] if cancels is None else cancels
        self.delays = [] if delays is None else delays
        self.status = [] if status is None else status
        self.scope = [] if scope is None else scope

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return ((self.negs, self.cancels, self.delays, self.status, self.scope)
                == (other.negs, other.cancels, other.delays, other.status, other.scope))

    __hash__ = None  # mutable, compared by value (as the dataclass)

    def __repr__(self) -> str:
        return (f"SegmentMarkers(negs={self.negs!r}, cancels={self.cancels!r}, delays={self.delays!r}, "
                f"status={self.status!r}, scope={self.scope!r})")

    def reverses(self, hs: int, he: int, clause, s: int, feats, is_word, phrase: bool = False) -> bool:
        """True when the hit [hs, he) is negated (a negation cue in its clause, see ``Tagger._negated``)
        or cancelled (a cancellation cue after it in the segment: "… men projektet lades ned");
        ``phrase``: the hit is one written phrase (a keyword), whose own words never negate it."""
        for p in self.cancels:
            if p >= he:
                return True
        return bool(self.negs) and Tagger._negated(hs, he, self.negs, clause, s, feats, is_word, phrase)

    def withholds(self, hs: int, he: int, clause, s: int, feats, is_word) -> bool:
        """True when a code read at [hs, he) without a rule's evidence is not to be added: the hit is
        negated or cancelled (:meth:`reverses`), or the segment says the measure was put off (a delay
        cue: the disposer's reading of a rule hit in such a sentence, which a proposed code never meets)."""
        return bool(self.delays) or self.reverses(hs, he, clause, s, feats, is_word)


def read_markers(comp: "CompiledCodebook", dv: "_DocView", s: int, e: int) -> SegmentMarkers:
    """Every marker phrase of the codebook ``comp`` in segment [s, e) of the text viewed by ``dv``."""
    out = SegmentMarkers()
    mpos = dv.positions("markers", s, e)
    if mpos:
        mx = comp.markers
        mterms = mx.terms
        for tid, hs, he in mx.match(dv.feats_of("markers"), dv.is_word, mpos, s, e):
            t = mterms[tid]
            kind = t.kind
            if kind == "neg":
                out.negs.append((hs, he))
            elif kind == "cancel":
                out.cancels.append(hs)
            elif kind == "delay":
                out.delays.append(hs)
            elif kind == "status":
                out.status.append((hs, t.payload[0]))
            elif kind == "scope":
                out.scope.append((hs, t.payload[0]))
    return out


def _evidence_order(x) -> tuple:
    return x.start, x.code


def _segment_reader(a: "AnalysedText", s: int, e: int, dv: "_DocView", code_hits: dict, status: list,
                    scope: list, comp: "CompiledCodebook") -> SegmentReader:
    """The status/scope reader of segment [s, e): its words, the spans of every code found in it, the
    marker phrases found in it and, for a list item, the lead-in sentence before it (ending in ':')."""
    near = _SegmentNeighbours(a, s, e, dv, comp)
    spans = [(h[0], h[1], c) for c, lst in code_hits.items() for h in lst]
    return SegmentReader(near.lower, near.vforms, dv.is_word, dv.clauses(), s, e, spans, status, scope,
                         near.lead_in_once, near.follow_once)


_UNREAD = object()


class _SegmentNeighbours:
    """The lead-in sentence of a list item and the opening of the following sentence of segment [s, e),
    each read once for all the segment's hits (an object, not nested closures: no reference cycle, so
    the segment's state is freed as soon as its reader is, also in a compiled build)."""

    __slots__ = ("a", "s", "e", "dv", "comp", "feats", "lower", "vforms", "_lead", "_follow")

    def __init__(self, a: "AnalysedText", s: int, e: int, dv: "_DocView", comp: "CompiledCodebook"):
        self.a, self.s, self.e, self.dv, self.comp = a, s, e, dv, comp
        self.feats = dv.feats
        self.lower = dv.lowers()
        self.vforms = dv.verb_forms()
        self._lead = self._follow = _UNREAD

    def lead_in(self):
        # back over the earlier items of the list (short, no verb) to a sentence ending in ':'
        a, dv, feats, lower, vforms = self.a, self.dv, self.feats, self.lower, self.vforms
        k = bisect_left(a.segments, (self.s, self.e))
        for j in range(k - 1, max(-1, k - 1 - LIST_LOOKBACK), -1):
            ps, pe = a.segments[j]
            last = pe - 1
            while last >= ps and not dv.is_word[last]:
                last -= 1
            if last < ps:
                continue
            if feats[last].lower == ":":
                return SegmentReader(lower, vforms, dv.is_word, dv.clauses(), ps, pe).summary()
            if sum(dv.is_word[ps:pe]) > 12 or SegmentReader(lower, vforms, dv.is_word, dv.clauses(), ps, pe).chains:
                return None  # an earlier sentence, not an item of the same list
        return None

    def follow(self):
        a, dv, feats, comp = self.a, self.dv, self.feats, self.comp
        k = bisect_left(a.segments, (self.s, self.e))
        if k + 1 >= len(a.segments):
            return None
        ns, ne = a.segments[k + 1]
        first = ns
        while first < ne and not dv.is_word[first]:
            first += 1
        if first >= ne or feats[first].lower not in ANAPHORS:
            return None
        m = read_markers(comp, dv, ns, ne)
        return SegmentReader(self.lower, self.vforms, dv.is_word, dv.clauses(), ns, ne, (), m.status,
                             m.scope).opening()

    def lead_in_once(self):
        if self._lead is _UNREAD:
            self._lead = self.lead_in()
        return self._lead

    def follow_once(self):
        if self._follow is _UNREAD:
            self._follow = self.follow()
        return self._follow


def _visit_segments_of(tagger: "Tagger", analysed, results, cand, k, seg_tab, starts, inv, anchor, SIG, batch,
                       cc) -> None:
    """The body of :meth:`Tagger._visit_segments`: match every segment holding a candidate token and add its
    excerpt to the text's result. A module function, so that the compiled build types its locals
    (nlp/tagger.pxd: the text's view a ``_DocView``, its ``char_span`` a C call); each segment's evidence
    still comes from ``tagger._segment_evidence`` (a method: a subclass or a test may replace it)."""
    _, _, seg_doc, seg_k = seg_tab
    ncc = cc.ncc
    match = cc.index.match
    complete, useful = _cooccurrence_plan(cand, k, inv, SIG, ncc)
    if useful is not None:
        # a token whose every co-occurrence rule is incomplete in its segment and that anchors no
        # hit gives only hits _segment_evidence passes over: it is not matched (nor is a segment
        # left without a token, which held no anchor and no complete rule: it was skipped anyway)
        useful |= anchor[inv[cand]]
        if not useful.all():
            cand, k = cand[useful], k[useful]
            if not cand.size:
                return
    segs, first_i = np.unique(k, return_index=True)
    has_anchor = np.logical_or.reduceat(anchor[inv[cand]], first_i).tolist()
    segs_l = segs.tolist()
    bounds = first_i.tolist() + [len(cand)]
    cand_l = cand.tolist()
    seg_docs = seg_doc[segs].tolist()
    seg_ks = seg_k[segs].tolist()
    starts_l = starts.tolist()
    unknown = mk.UNKNOWN
    segment_evidence = tagger._segment_evidence
    d_cur, dv, a, res, lo = -1, None, None, None, 0
    known: tuple = (set(), set())
    for i in range(len(seg_docs)):
        d = seg_docs[i]
        if d != d_cur:
            d_cur, dv = d, None
            a, res, lo = analysed[d], results[d], starts_l[d]
            known = (set(), set())
        s, e = a.segments[seg_ks[i]]
        cc_ok = complete.get(segs_l[i], _NO_RULES)
        if not has_anchor[i] and not cc_ok:
            # no keyword: worth matching only if every list of some co-occurrence rule is there
            continue
        ps = [p - lo for p in cand_l[bounds[i]:bounds[i + 1]]]
        if dv is None:
            dv = _DocView(batch, lo, starts_l[d + 1], a.is_word)
        hits = match(dv.feats, dv.is_word, ps, s, e)
        if not hits:
            continue
        ev = segment_evidence(a, s, e, hits, dv, cc, known, cc_ok=cc_ok)
        if ev:
            st_known, sc_known = known
            for x in ev:
                if not x.negated:
                    if x.status != unknown:
                        st_known.add(x.code)
                    if x.scope != unknown:
                        sc_known.add(x.code)
            xs, xe = dv.char_span(a, s, e)
            for x in ev:
                x.excerpt_start, x.excerpt_end = xs, xe
            res.excerpts.append(Excerpt(xs, xe, a.text[xs:xe], ev))


def _segment_evidence_of(a: AnalysedText, s: int, e: int, hits, dv: "_DocView", comp: "CompiledCodebook",
                         known: tuple, cc_ok: Optional[frozenset]) -> list:
    """The body of :meth:`Tagger._segment_evidence` (which see; ``known`` is given). A module function, so that
    the compiled build types its arguments and locals (nlp/tagger.pxd: the view, the marker reading, the
    dicts and lists); written with plain loops, no generator expression (a cpdef function cannot hold a
    closure)."""
    ix = comp.index
    feats = dv.feats
    is_word = dv.is_word
    code_hits: dict[str, list[tuple[int, int, str, str]]] = {}
    weak: dict[str, list[tuple[int, int]]] = {}
    req: dict[str, list[tuple[int, int]]] = {}
    negkw: dict[str, list[tuple[int, int]]] = {}
    cc: dict[tuple[str, int], dict[int, tuple[int, int]]] = {}
    info = comp.hit_info()
    for tid, hs, he in hits:
        if tid < 0:
            rule = ix.head_rules[-1 - tid]
            c = rule.payload[0]
            lst = code_hits.get(c)
            if lst is None:
                lst = code_hits[c] = []
            lst.append((hs, he, "compound", rule.text))
            continue
        cat, key, a_, b_ = info[tid]
        if cat == 4:  # a concept word of a co-occurrence rule: key (code, rule), a_ its list
            if cc_ok is not None and key not in cc_ok:
                continue
            slot = cc.get(key)
            if slot is None:
                cc[key] = {a_: [(hs, he)]}
            else:
                got = slot.get(a_)
                if got is None:
                    slot[a_] = [(hs, he)]
                else:
                    got.append((hs, he))
            continue
        if cat == 0:
            target = code_hits
            item = (hs, he, a_, b_)
        elif cat == 1:
            target = weak
            item = (hs, he)
        elif cat == 2:
            target = req
            item = (hs, he)
        elif cat == 3:
            target = negkw
            item = (hs, he)
        else:
            continue
        lst = target.get(key)
        if lst is None:
            lst = target[key] = []
        lst.append(item)
    if code_hits or weak or cc:
        xpos = dv.positions("ctx", s, e)
        if xpos:
            # context terms matter only for the codes found here (weak requirements of the weak
            # codes, exclusions of every code that can end up with a hit): skip start positions
            # whose terms all belong to other codes
            need = set(code_hits)
            need.update(weak)
            for key in cc:
                need.add(key[0])
            xf = dv.feats_of("ctx")
            codes_of = comp.context_codes
            memo = comp._ctx_codes  # (codes_of's memo, read here first: most start forms repeat)
            kept_x = []
            for p in xpos:
                first = xf[p].first
                got = memo.get(first)
                if got is None:
                    got = codes_of(first)
                if not got.isdisjoint(need):
                    kept_x.append(p)
            xpos = kept_x
        if xpos:
            xterms = comp.context.terms
            for tid, hs, he in comp.context.match(dv.feats_of("ctx"), is_word, xpos, s, e):
                t = xterms[tid]
                kind = t.kind
                if kind == "req":
                    target = req
                elif kind == "negkw":
                    target = negkw
                else:
                    continue
                c = t.payload[0]
                lst = target.get(c)
                if lst is None:
                    lst = target[c] = []
                lst.append((hs, he))
    if weak:
        strong_spans = [(h[0], h[1], c) for c, lst in code_hits.items() for h in lst]
        for c, lst in weak.items():
            rq = req.get(c)
            if rq:
                for hs, he in lst:
                    # the requirement must be another word: 'proaktivt' never satisfies its own 'proaktiv'
                    inside = True
                    for rs, re_ in rq:
                        if not (hs <= rs and re_ <= he):
                            inside = False
                            break
                    if inside:
                        continue
                    # a generic word inside another code's longer term belongs to that term
                    # ('samverkan' in 'samverkan vid utskrivning')
                    covered = False
                    for ss, se, c2 in strong_spans:
                        if ss <= hs and he <= se and (se - ss) > (he - hs) and c2 != c:
                            covered = True
                            break
                    if covered:
                        continue
                    got = code_hits.get(c)
                    if got is None:
                        got = code_hits[c] = []
                    got.append((hs, he, "weak", ""))
    for key, slot in cc.items():
        c, r = key
        need_n = comp.ncc[c][r]
        if len(slot) == need_n:
            best = _best_cooccurrence([slot[j][:6] for j in range(need_n)], is_word)
            if best is not None:
                hs, he = best
                kind = "cooccurrence3" if need_n == 3 else "cooccurrence"
                got = code_hits.get(c)
                if got is None:
                    got = code_hits[c] = []
                got.append((hs, he, kind, f"samförekomst {r + 1}"))
    if not code_hits:
        return []
    marks = read_markers(comp, dv, s, e)
    # clause ids for negation / marker scope (only needed when markers were found); a clause id
    # is the number of boundary tokens up to a token in the whole text: only compared for equality
    clause = dv.clauses()
    st_known, sc_known = known
    implies = comp.implies
    unknown = mk.UNKNOWN
    reader = None
    text = a.text
    out: list[Evidence] = []
    for c, lst in code_hits.items():
        excl = negkw.get(c, ())
        kept: list[tuple[int, int, str, str]] = []
        for h in (sorted(lst, key=_hit_order) if len(lst) > 1 else lst):
            hs, he = h[0], h[1]
            if excl:
                skip = False
                for ns, ne in excl:
                    if ns <= hs and he <= ne:
                        skip = True
                        break
                if skip:
                    continue
                # a co-occurrence whose span overlaps a false-friend phrase used one of its words
                if h[2].startswith("cooccurrence"):
                    for ns, ne in excl:
                        if ns < he and hs < ne:
                            skip = True
                            break
                    if skip:
                        continue
            if kept:
                skip = False
                for k_ in kept:
                    if not (he <= k_[0] or hs >= k_[1]):
                        skip = True
                        break
                if skip:
                    continue
            kept.append(h)
        for h in kept:
            hs, he, kind, rule = h
            negated = marks.reverses(hs, he, clause, s, feats, is_word, kind in PHRASE_KINDS)
            if not negated and c in st_known and c in sc_known and c not in implies:
                st = sc = unknown  # replaced by the code's passage value (see above)
            else:
                if reader is None:
                    reader = _segment_reader(a, s, e, dv, code_hits, marks.status, marks.scope, comp)
                # a present hit of a code whose status (scope) an earlier hit gave needs only the other
                full = negated or c in implies
                st, sc = reader.values(hs, he, full or c not in st_known, full or c not in sc_known)
                if not negated and c not in implies:
                    # a later hit of c in this segment follows this one in the text's evidence
                    if st != unknown:
                        st_known.add(c)
                    if sc != unknown:
                        sc_known.add(c)
            if negated and st in ("genomförd", "pågående"):
                st = unknown
            cs, ce = dv.char_span(a, hs, he)
            # (code, start, end, match, negated, status, scope, confidence, origin, rule)
            out.append(Evidence(c, cs, ce, text[cs:ce], negated, st, sc, RULE_CONFIDENCE.get(kind, 0.8), "rule",
                                f"{kind}:{rule}" if rule else kind))
    if implies:
        present = {x.code for x in out}
        for x in list(out):
            for other in implies.get(x.code, ()):
                if other not in present and not x.negated:
                    present.add(other)
                    # (code, start, end, match, negated, status, scope, confidence, origin, rule)
                    out.append(Evidence(other, x.start, x.end, x.match, False, x.status, x.scope,
                                        round(x.confidence * 0.9, 3), "rule", implied_rule(x.code)))
    if len(out) > 1:
        out.sort(key=_evidence_order)
    return out


def unify_values(result: "TagResult") -> None:
    """Give every present evidence of a code the one status/scope shown for the code in the text."""
    status, scope = result.code_values()
    for x in result.excerpts:
        for ev in x.evidence:
            if not ev.negated and ev.code in status:
                ev.status, ev.scope = status[ev.code], scope[ev.code]


_MARKERS: dict[str, tuple] = {}  # markers document -> (compiled marker index, features cache)


_PATTERN_WORDS: dict[str, tuple] = {}  # pattern text -> its words (_tokenize_pattern)
MAX_PATTERN_WORDS = 50_000  # the memo starts again beyond this many texts (a long session of edits)
MAX_EDITS = 4  # edits from one compiled codebook kept for a re-tag's batches (_edit_of)


def pattern_words() -> dict:
    """The memo of :func:`_tokenize_pattern` (pattern text -> its words): a pattern's words depend only on its
    text and the pipeline's tokenizer, which is the same for the whole process (and across processes of the
    same code: the compiled codebook's cache file keeps them, keyed with the code version)."""
    return _PATTERN_WORDS


def _tokenize_pattern(text: str) -> list[str]:
    """Words of a codebook pattern as the texts are tokenised; a '*' right after a word stays on it (prefix).
    Memoised per text (:func:`pattern_words`; the compiled codebook's cache file keeps them too, so that
    compiling an edited codebook tokenises only its new patterns): a spaCy Doc per pattern was most of
    compiling. The caller gets a new list."""
    memo = _PATTERN_WORDS
    got = memo.get(text)
    if got is None:
        from nlp.pipeline import get_nlp

        out: list[str] = []
        glued = False
        for t in get_nlp().tokenizer(text):
            if t.text == "*" and out and glued:
                out[-1] += "*"
            else:
                out.append(t.text)
            glued = not t.whitespace_
        if len(memo) >= MAX_PATTERN_WORDS:
            memo.clear()
        got = memo[text] = tuple(out)
    return list(got)


def _compile_codes(codebook: Codebook, lemma) -> tuple:
    """The code index (what can make a code hit) and the context index (matched only around hits:
    exclusions, weak requirements) of ``codebook``."""
    ix = TermIndex(lemma, _tokenize_pattern)
    cx = TermIndex(lemma, _tokenize_pattern)
    for code in codebook.codes:
        c = code.id
        for k in code.keywords:
            ix.add_phrase(k, "kw", (c, "keyword"))
        for a in code.abbreviations:
            if a and any(ch.isupper() for ch in a):
                ix.add_abbreviation(a, "kw", (c, "abbreviation"))
            else:
                ix.add_phrase(a, "kw", (c, "keyword"))
        for rule in code.compounds:
            ix.add_head_rule(rule["head"], rule["modifiers"], "kw", (c, "compound"),
                             f"{rule['head']} + {'/'.join(rule['modifiers'])}")
        for k in code.weak_keywords:
            ix.add_phrase(k, "weak", (c,))
        for k in code.weak_requires:
            cx.add_phrase(k, "req", (c,))
        for k in code.negative_keywords:
            cx.add_phrase("=" + k if not k.startswith("=") else k, "negkw", (c,))
        for r, rule in enumerate(code.cooccurrence):
            for j, lst in enumerate(rule["all"]):
                for k in lst:
                    ix.add_phrase(k, "cc", (c, r, j))
    return ix, cx


def _compile_markers(markers: dict, lemma) -> TermIndex:
    """The marker index (negation, status, scope...) of a codebook's markers."""
    mx = TermIndex(lemma, _tokenize_pattern)
    for phrase, kind, value in mk.marker_phrases(markers):
        mx.add_phrase("=" + phrase, kind, (value,))
    return mx


class CompiledCodebook:
    """A codebook compiled into one :class:`TermIndex` (codes and markers)."""

    def __init__(self, codebook: Codebook, cache: bool = True):
        """``cache``: read the indexes from, and write them to, the on-disk cache of compiled codebooks
        (:mod:`nlp.codebook_cache`; False for the passing parts of a codebook that re-tagging compiles)."""
        from nlp.pipeline import lemma

        self.codebook = codebook
        self.code_ids = codebook.code_ids
        mkey = json.dumps(codebook.markers, sort_keys=True, ensure_ascii=False, default=str)
        # the three indexes as compiled by an earlier process (same patterns, same code), else compiled here
        key = codebook_cache.cache_key(codebook, mkey) if cache else None
        got = codebook_cache.load(key, lemma, _tokenize_pattern, pattern_words())
        shared = _MARKERS.get(mkey)
        if got is not None:
            ix, cx, mx = got
            if shared is None:
                shared = _MARKERS[mkey] = (mx, {})
        else:
            ix, cx = _compile_codes(codebook, lemma)
            if shared is None:
                mx = _compile_markers(codebook.markers, lemma)
                # before any use fills the indexes' caches
                codebook_cache.store(key, (ix, cx, mx), pattern_words())
                shared = _MARKERS[mkey] = (mx, {})
        self.index = ix
        self.context = cx
        self.markers = shared[0]
        self._ctx_cache: dict[int, WordFeatures] = {}
        self._ctx_codes: dict[tuple, frozenset] = {}
        self._mark_cache: dict[int, WordFeatures] = shared[1]  # shared by codebooks with the same markers
        self._sig_cache: dict[int, tuple[bool, frozenset]] = {}
        self.ncc = {code.id: [len(r["all"]) for r in code.cooccurrence] for code in codebook.codes}
        self.implies = {code.id: list(code.implies) for code in codebook.codes if code.implies}
        self._feat_cache: dict[int, WordFeatures] = {}
        self._hit_info: Optional[list[tuple]] = None
        self._touch = None  # (built on first use) see messy_test
        self._may_messy: dict[int, int] = {}  # form hash -> _may_read_messy (index bits), shared by the three indexes
        self._edits: dict = {}  # a re-tag's tests of the forms, per edit from this codebook to a new one (_edit_of)

    def code_features(self, orths: list[int], lemmas: list[int], strings) -> list[WordFeatures]:
        """Code-pattern features per distinct word form (orth hash), cached."""
        return self._feats(self._feat_cache, self.index, orths, lemmas, strings, self.messy_test(),
                           self._may_messy, 1)

    def signals(self, orths: list[int], feats: list[WordFeatures]) -> list[tuple[bool, frozenset]]:
        """Per form: (can anchor a code hit alone, co-occurrence lists it can fill), cached."""
        cache = self._sig_cache
        terms = self.index.terms
        out = []
        for o, f in zip(orths, feats):
            v = cache.get(o)
            if v is None:
                anchor = bool(f.heads)
                cc = set()
                for tid in f.first:
                    t = terms[tid]
                    if t.kind in ("kw", "weak"):
                        anchor = True
                    elif t.kind == "cc":
                        cc.add(t.payload)
                v = (anchor, frozenset(cc))
                v = cache[o] = _SIGNALS.setdefault(v, v)  # few distinct values: one object each
            out.append(v)
        return out

    def hit_info(self) -> list[tuple]:
        """Per code-index term id: (category, key, a, b) for sorting its hits in one lookup:
        0 keyword (code, rule kind, pattern text), 1 weak keyword (code), 2 weak requirement (code),
        3 negative keyword (code), 4 co-occurrence concept word ((code, rule), list number), 5 other."""
        terms = self.index.terms
        got = self._hit_info
        if got is None or len(got) != len(terms):
            cats = {"kw": 0, "weak": 1, "req": 2, "negkw": 3}
            got = []
            for t in terms:
                cat = cats.get(t.kind, 5)
                if t.kind == "cc":
                    c, r, j = t.payload
                    got.append((4, (c, r), j, None))
                elif cat == 0:
                    got.append((0, t.payload[0], t.payload[1], t.text))
                elif cat < 5:
                    got.append((cat, t.payload[0], None, None))
                else:
                    got.append((5, None, None, None))
            self._hit_info = got
        return got

    def context_codes(self, first: tuple) -> frozenset:
        """The codes of the context terms with these ids (memoised per tuple of term ids)."""
        got = self._ctx_codes.get(first)
        if got is None:
            terms = self.context.terms
            got = self._ctx_codes[first] = frozenset(terms[t].payload[0] for t in first)
        return got

    def context_features(self, orths: list[int], lemmas: list[int], strings) -> list[WordFeatures]:
        """Context features (negative keywords, weak requirements) per token, cached per form."""
        return self._feats(self._ctx_cache, self.context, orths, lemmas, strings, self.messy_test(),
                           self._may_messy, 2)

    def marker_features(self, orths: list[int], lemmas: list[int], strings) -> list[WordFeatures]:
        """Marker features (negation, status, scope) per token, cached per form."""
        return self._feats(self._mark_cache, self.markers, orths, lemmas, strings, self.messy_test(),
                           self._may_messy, 4)

    def messy_test(self):
        """What :func:`_may_read_messy` tests a lower-case form with, for the three indexes at once (codes,
        context, markers): an automaton over the union of their folded codebook words (the words their
        fall-back readings restore; each word's value the bits of the indexes holding it: 1 codes, 2 context,
        4 markers), ``False`` when they have none, the indexes themselves when the automaton library is
        missing; None with the typo correction on (every form is then read by ``messy``).
        Built once: the indexes do not change after compiling."""
        if _termmatch.FALLBACK_TYPOS:
            return None
        got = self._touch
        if got is None:
            ixs = (self.index, self.context, self.markers)
            words: dict = {}
            for bit, ix in zip((1, 2, 4), ixs):
                for w in ix._fallback_vocab()[0]:
                    words[w] = words.get(w, 0) | bit
            if not words:
                got = False
            else:
                auto = word_automaton(sorted(words), words)
                got = ixs if auto is None else auto  # (the indexes themselves without the library)
            self._touch = got
        return got

    @staticmethod
    def _feats(cache, mx, orths, lemmas, strings, touch=None, may_messy: Optional[dict] = None,
               bit: int = 7) -> list[WordFeatures]:
        """Features per form hash; forms that share no probe string with the index get a shared
        empty value after two dict lookups (what keeps re-tagging after an edit fast).

        A form that passes this probe test is computed directly (``TermIndex._compute``, memoised in
        the index like ``TermIndex.features``, whose own probe test would give the same answer). Either
        way the index reads the form as messy text may need (``TermIndex.messy``): an unknown form by its
        fall-back reading, a known word with its diacritic twin's keys. ``touch`` (:meth:`messy_test`) tells
        the forms that no index may read so at once: ``messy`` gives them their features unchanged, and most
        forms are such (one automaton pass instead of a fall-back and a twin look-up in each of the three
        indexes). ``may_messy`` (form hash -> that test's answer, shared by the three indexes' calls) makes
        it one automaton pass per form, not one per index; the answer holds a bit per index (``bit`` is this
        index's: 1 codes, 2 context, 4 markers), so an index reads by ``messy`` only the forms holding one of
        its own folded words."""
        if may_messy is None:
            may_messy = {}
        out = []
        ps = mx.probe_set
        compute = mx._compute
        messy = mx.messy
        tcache = mx._cache
        get = cache.get
        append = out.append
        for o, l in zip(orths, lemmas):
            f = get(o)
            if f is None:
                pr = _H2P.get(o)
                orth = None
                if pr is None:
                    orth = strings[o]
                    low = orth.lower()
                    pr = _H2P[o] = probes(orth, low, strings[l].lower()) if "-" not in low else None
                    _H2E[o] = WordFeatures(keys=frozenset((low,)), lower=low, first=())
                if pr is None or not ps.isdisjoint(pr):
                    if orth is None:
                        orth = strings[o]
                    f = tcache.get(orth)
                    if f is None:
                        f = compute(orth, strings[l])
                        low = orth.lower()
                        if touch is not None:
                            may = may_messy.get(o)
                            if may is None:
                                may = may_messy[o] = _may_read_messy(touch, low)
                        if touch is None or may & bit:
                            f = messy(f, orth, low)
                        tcache[orth] = f
                else:
                    # messy text (termmatch.TermIndex.messy): an unknown form may be a misspelt codebook
                    # word, a known one may continue a phrase as its diacritic twin
                    f = _H2E[o]
                    low = f.lower
                    if touch is not None:
                        may = may_messy.get(o)
                        if may is None:
                            may = may_messy[o] = _may_read_messy(touch, low)
                    if touch is None or may & bit:
                        if orth is None:
                            orth = strings[o]
                        f = messy(f, orth, low)
                cache[o] = f
            append(f)
        return out


def _may_read_messy(touch, low: str) -> int:
    """Which indexes may read the lower-case form ``low`` other than as written (``touch`` from
    :meth:`CompiledCodebook.messy_test`, not None), as bits (1 codes, 2 context, 4 markers; 0: none):
    :meth:`~nlp.termmatch.TermIndex.fallback_touch` of each of the indexes, in one pass (an index's test is
    whether the form holds one of its folded words: the automaton finds every such word of the three). When
    an index's bit is not set, its ``messy`` returns the features it is given (its fall-back finds no
    candidate, its twin look-up no word), so the caller may skip it."""
    if touch is False or not 2 <= len(low) <= _MAX_WORD or not low.isalpha() or not low.isascii():
        return 0
    bits = 0
    if touch.__class__ is tuple:
        for bit, ix in zip((1, 2, 4), touch):
            if ix.fallback_touch(low):
                bits |= bit
        return bits
    for _, b in touch.iter(low):
        bits |= b
        if bits == 7:
            break
    return bits


_SIGNALS: dict[tuple[bool, frozenset], tuple[bool, frozenset]] = {}
_H2P: dict[int, Optional[tuple]] = {}  # form hash -> probe strings (None: always compute)
_H2E: dict[int, WordFeatures] = {}  # form hash -> empty features (no pattern can use this form)


# --------------------------------------------------------------------------- tagger


class Tagger:
    """Rule tagger over analysed texts; keeps them for fast re-tagging.

    ``codebook`` defaults to the bundled one. ``model`` is an optional fitted
    :class:`nlp.suggest.CodeSuggester` whose suggestions are merged (origin 'model'). ``proposer`` is
    an optional :class:`nlp.proposer.Proposer`: after the disposer it adds the codes the rules did not
    propose whose probability reaches its threshold (origin 'model', the best sentence as evidence).
    """

    def __init__(self, codebook: Optional[Codebook] = None, *, model=None, model_threshold: float = 0.5,
                 disposer=None, proposer=None):
        self.codebook = codebook if codebook is not None else default_codebook()
        self.proposer = proposer
        # optional nlp.disposer.Disposer: keeps or drops rule proposals, sets their confidence
        self.disposer = disposer
        self.questions: Optional[list] = None  # form question per text, when known (for the disposer)
        self.raw_results: Optional[list[TagResult]] = None  # rule proposals before the disposer
        self._last_raw: Optional[list[TagResult]] = None
        self._compiled: Optional[CompiledCodebook] = None
        self.model = model
        self.model_threshold = model_threshold
        self.analysed: list[AnalysedText] = []
        self.ids: list[Optional[str]] = []
        self.results: Optional[list[TagResult]] = None
        # after retag(): indices of the results that may have changed (None: any of them)
        self.touched: Optional[list[int]] = None
        self._batch = None  # (id of analysed list, unique forms, lemmas, inverse index)

    @property
    def compiled(self) -> CompiledCodebook:
        """The compiled codebook (compiled on first use)."""
        if self._compiled is None:
            self._compiled = CompiledCodebook(self.codebook)
        return self._compiled

    # ------------------------------------------------------------------ api
    def set_codebook(self, codebook: Codebook, compiled: Optional[CompiledCodebook] = None) -> None:
        """Switch to an edited codebook (patterns are recompiled when next needed, unless ``compiled``,
        the compiled form of this codebook, is given)."""
        self.codebook = codebook
        self._compiled = compiled

    def tag_texts(self, texts: Sequence[str], ids: Optional[Sequence[Optional[str]]] = None,
                  questions: Optional[Sequence[Optional[str]]] = None) -> list[TagResult]:
        """Analyse and tag raw texts (``questions``: the form question of each text, when known)."""
        from nlp.pipeline import analyse, gc_paused

        texts = [t or "" for t in texts]
        self.questions = list(questions) if questions is not None else None
        token_arrays: list = []
        forms: list = []
        docs = analyse(texts, token_arrays=token_arrays, set_docs=False, forms=forms)  # (the Docs are dropped below)
        with gc_paused():
            if len(token_arrays) == len(docs):  # (none when no text has a token)
                analysed = [AnalysedText.from_doc(d, t, a) for d, t, a in zip(docs, texts, token_arrays)]
            else:
                analysed = [AnalysedText.from_doc(d, t) for d, t in zip(docs, texts)]
                forms = []
        del docs  # the spaCy Docs are not needed once their compact form is built
        # (the analysis's distinct forms of the batch are the ones _forms_of would find again)
        return self._tag_new(analysed, ids, forms[0] if forms else None)

    def tag_docs(self, docs, texts: Optional[Sequence[str]] = None,
                 ids: Optional[Sequence[Optional[str]]] = None) -> list[TagResult]:
        """Tag analysed Docs (from pipeline.analyse); keeps their analysed form for retag()."""
        from nlp.pipeline import gc_paused

        docs = list(docs)
        with gc_paused():
            analysed = [AnalysedText.from_doc(d, texts[i] if texts is not None else None) for i, d in enumerate(docs)]
        return self._tag_new(analysed, ids)

    def _tag_new(self, analysed: list[AnalysedText], ids: Optional[Sequence[Optional[str]]],
                 forms: Optional[tuple] = None) -> list[TagResult]:
        """Tag newly analysed texts and keep them (with their results) for retag(). ``forms``: the texts'
        (distinct form hashes, their lemmas, inverse index per token) when the analysis gave them (else
        :meth:`_forms_of` finds them)."""
        ids = list(ids) if ids is not None else [None] * len(analysed)
        self.release()
        self.analysed = analysed
        self.ids = ids
        if forms is not None:
            self._keep_forms(analysed, *forms)
        return self._remember(self.tag_analysed(analysed, ids))

    def release(self) -> None:
        """Drop the analysed texts and results kept for retag() (a caller streaming batches frees
        each batch's state once its output is written)."""
        self.analysed = []
        self.ids = []
        self.results = self.raw_results = self._last_raw = None
        self.touched = None
        self._batch = None

    def retag(self, codebook: Optional[Codebook] = None, *, max_changed: int = 6,
              compiled: Optional[CompiledCodebook] = None) -> list[TagResult]:
        """Re-run matching over the kept analysed texts after a codebook edit.

        The result equals tagging the kept texts from scratch with ``codebook``. When only a few codes
        changed (and the markers did not), only the texts the edit can affect (:meth:`_affected`) are
        tagged again, whole, with the full compiled codebook, and their results replaced; otherwise
        everything is re-matched. Afterwards ``self.touched`` lists the indices of the results that
        were tagged again (None: all). ``compiled``: the compiled form of ``codebook`` when the caller
        has one (a project's batches share it, with its per-form caches).
        """
        if codebook is None or self.results is None or len(self.results) != len(self.analysed):
            if codebook is not None:
                self.set_codebook(codebook, compiled)
            return self._remember(self.tag_analysed(self.analysed, self.ids))
        old = {c.id: _rules_of(c) for c in self.codebook.codes}
        new = {c.id: _rules_of(c) for c in codebook.codes}
        changed = {cid for cid in set(old) | set(new) if old.get(cid) != new.get(cid)}
        if codebook.markers != self._markers_of_results or len(changed) > max_changed:
            self.set_codebook(codebook, compiled)
            return self._remember(self.tag_analysed(self.analysed, self.ids))
        if not changed:
            self.set_codebook(codebook, compiled)
            self.touched = []
            return self.results
        from nlp.pipeline import gc_paused

        with gc_paused():
            return self._retag_some(codebook, compiled, changed)

    def _retag_some(self, codebook: Codebook, compiled: Optional[CompiledCodebook],
                    changed: set) -> list[TagResult]:
        """Tag the texts the edit of the ``changed`` codes can affect again (see :meth:`retag`)."""
        old = {c.id for c in self.codebook.codes}
        new = {c.id for c in codebook.codes}
        old_rules = {c.id: _rules_of(c) for c in self.codebook.codes if c.id in changed}
        new_rules = {c.id: _rules_of(c) for c in codebook.codes if c.id in changed}
        old_cc = self.compiled
        self.set_codebook(codebook, compiled)
        if old != new and (self.proposer is not None or self.model is not None):
            touched = list(range(len(self.results)))  # the models may now add (or no longer add) a code anywhere
        else:
            # codes whose change is only in the patterns that make hits: their texts are found by the
            # patterns' word forms alone; any other change counts every text that mentions the code
            wide = {cid for cid in changed if cid not in old_rules or cid not in new_rules
                    or any(old_rules[cid][f] != new_rules[cid][f] for f in _OTHER_RULES)}
            touched = self._affected(old_cc, self.compiled, changed, wide)
        if touched:
            sub = [self.analysed[k] for k in touched]
            raw = self.tag_analysed(sub, [self.ids[k] for k in touched], use_model=False, dispose=False)
            qs = ([self.questions[k] for k in touched] if self.questions is not None
                  and len(self.questions) == len(self.results) else None)
            final = raw
            if self.disposer is not None:
                if self.raw_results is not None:
                    for k, r in zip(touched, raw):
                        self.raw_results[k] = r
                final = [_copy_result(r) for r in raw]
                self._dispose(final, qs)
            if self.proposer is not None:
                self.propose(final, rule_codes(raw), qs)
            if self.model is not None:
                self._add_model(final, sub)
            for k, r in zip(touched, final):
                self.results[k] = r
        self.touched = touched
        return self.results

    def _affected(self, old_cc: CompiledCodebook, new_cc: CompiledCodebook, changed: set,
                  wide: set) -> list[int]:
        """Indices of the kept texts whose result the edit of the ``changed`` codes can change (a superset).

        A text is affected when one of its word forms has features that differ between the old and the
        new compiled codebook apart from term numbering (its keys, the terms it starts, the head rules
        it carries: what the matcher sees); or, for the ``wide`` codes (added, removed, or changed in
        more than their hit patterns: co-occurrence rules, exclusions, requirements, implications),
        when its kept results hold one of them or one of its forms references one of them under either
        codebook (term and head-rule payloads carry the code). Every other text offers the matcher the
        same hits under both codebooks, read by the same code rules, so its result stays as it is."""
        from nlp.pipeline import get_nlp

        if not any(len(a.orth) for a in self.analysed):
            return []
        strings = get_nlp().vocab.strings
        uniq_l, lem_l, inv, starts, _ = self._forms_of(self.analysed)
        delta, messy_touch, touched, same_context = _edit_of(old_cc, new_cc, changed, wide)
        # a form counts when one of its probe strings is in ``delta`` (for a hyphenated form, also one
        # of its parts' stems: _hyphen_probes), or when its fall-back reading may differ between the
        # codebooks (messy_touch: _messy_touch; its answer per form is kept for the other batches of the edit)
        h2p, meets, seen = _H2P.get, delta.isdisjoint, touched.get
        cand = []
        for u, o in enumerate(uniq_l):
            pr = h2p(o)
            if pr is None:  # a hyphenated form, or one tagging has not seen
                pr = _hyphen_probes(o, lem_l[u], strings)
            if not meets(pr):
                cand.append(u)
                continue
            t = seen(o)
            if t is None:
                t = touched[o] = messy_touch(strings[o].lower(), o)
            if t:
                cand.append(u)
        hit = np.zeros(len(uniq_l), dtype=bool)
        c_orth, c_lem = [uniq_l[u] for u in cand], [lem_l[u] for u in cand]
        pairs = [(cand, old_cc.code_features(c_orth, c_lem, strings), new_cc.code_features(c_orth, c_lem, strings),
                  old_cc.index, new_cc.index)]
        if not same_context:
            # the context index gives other keys: every form is compared
            pairs.append((range(len(uniq_l)), old_cc.context_features(uniq_l, lem_l, strings),
                          new_cc.context_features(uniq_l, lem_l, strings), old_cc.context, new_cc.context))
        for cand, F_old, F_new, ix_old, ix_new in pairs:
            for u, fo, fn in zip(cand, F_old, F_new):
                if fo is fn:
                    continue  # the shared features of a form no pattern uses, in both
                if fo.keys != fn.keys:
                    hit[u] = True
                    continue
                so, sn = _feature_sig(fo, ix_old), _feature_sig(fn, ix_new)
                if so != sn or (wide and (not wide.isdisjoint(so[4]) or not wide.isdisjoint(sn[4]))):
                    hit[u] = True
        out = set()
        if hit.any():
            pos = np.flatnonzero(hit[inv])  # token positions in the batch
            out.update(np.unique(np.searchsorted(starts, pos, side="right") - 1).tolist())
        if wide:
            kept = [self.results] + ([self.raw_results] if self.raw_results is not None else [])
            for res_list in kept:
                for k, r in enumerate(res_list):
                    if any(e.code in wide for x in r.excerpts for e in x.evidence):
                        out.add(k)
        return sorted(out)

    def _forms_of(self, analysed: Sequence[AnalysedText]) -> tuple:
        """(distinct form hashes, their lemmas, inverse index per token, text starts, segment table) of a
        batch; kept for the kept texts."""
        if self._batch is not None and self._batch[0] is analysed:
            return self._batch[1:]
        allo = np.concatenate([a.orth for a in analysed])
        alll = np.concatenate([a.lemma for a in analysed])
        uniq, first_idx, inv = np.unique(allo, return_index=True, return_inverse=True)
        inv = inv.reshape(-1)
        return self._keep_forms(analysed, uniq.tolist(), alll[first_idx].tolist(), inv)

    def _keep_forms(self, analysed: Sequence[AnalysedText], uniq_l: list, lem_l: list, inv: np.ndarray) -> tuple:
        """:meth:`_forms_of`'s tuple from the batch's distinct forms, kept when ``analysed`` are the kept texts."""
        lens = [len(a.orth) for a in analysed]
        starts = np.zeros(len(lens) + 1, dtype=np.int64)
        np.cumsum(lens, out=starts[1:])
        seg_tab = _segment_table(analysed, starts)
        if analysed is self.analysed:
            self._batch = (analysed, uniq_l, lem_l, inv, starts, seg_tab)
        return uniq_l, lem_l, inv, starts, seg_tab

    def _remember(self, results: list[TagResult]) -> list[TagResult]:
        self.results = results
        self.raw_results = self._last_raw
        self.touched = None
        self._markers_of_results = self.codebook.markers
        return results

    def tag_analysed(self, analysed: Sequence[AnalysedText], ids: Sequence[Optional[str]], *,
                     compiled: Optional[CompiledCodebook] = None, use_model: bool = True,
                     dispose: bool = True) -> list[TagResult]:
        """Match the compiled codebook over analysed texts.

        Word-form features are computed once per distinct form of the batch (numpy unique),
        and only tokens whose form can start a pattern are visited.
        """
        from nlp.pipeline import gc_paused

        with gc_paused():
            return self._tag_analysed(analysed, ids, compiled=compiled, use_model=use_model, dispose=dispose)

    def _tag_analysed(self, analysed: Sequence[AnalysedText], ids: Sequence[Optional[str]], *,
                      compiled: Optional[CompiledCodebook] = None, use_model: bool = True,
                      dispose: bool = True) -> list[TagResult]:
        from nlp.pipeline import get_nlp

        strings = get_nlp().vocab.strings
        results = [TagResult(id=i, text=a.text, _analysed=a) for a, i in zip(analysed, ids)]
        lens = [len(a.orth) for a in analysed]
        if not analysed or not sum(lens):
            return results
        cc = compiled if compiled is not None else self.compiled
        uniq_l, lem_l, inv, starts, seg_tab = self._forms_of(analysed)
        F = cc.code_features(uniq_l, lem_l, strings)
        cand_forms = [u for u, f in enumerate(F) if f.first or f.heads]
        SIG: dict[int, tuple[bool, frozenset]] = dict(zip(cand_forms, cc.signals([uniq_l[u] for u in cand_forms],
                                                                            [F[u] for u in cand_forms])))
        interesting = np.zeros(len(F), dtype=bool)
        anchor = np.zeros(len(F), dtype=bool)
        for u, (a_, c_) in SIG.items():
            if a_ or c_:
                interesting[u] = True
            if a_:
                anchor[u] = True
        batch = _Batch(cc, F, uniq_l, lem_l, inv, strings)

        # candidate tokens of the whole batch and the segment each lies in (a token outside every
        # segment is never a candidate); only segments with a candidate are visited, text by text
        cand = np.flatnonzero(interesting[inv])
        seg_abs_s, seg_abs_e, seg_doc, seg_k = seg_tab
        if cand.size and seg_abs_s.size:
            k = np.searchsorted(seg_abs_s, cand, side="right") - 1
            inside = (k >= 0) & (cand < seg_abs_e[np.maximum(k, 0)])
            cand, k = cand[inside], k[inside]
        if cand.size and seg_abs_s.size:
            self._visit_segments(analysed, results, cand, k, seg_tab, starts, inv, anchor, SIG, batch, cc)
            for r in results:
                if r.excerpts:
                    unify_values(r)
        ruled = rule_codes(results) if self.proposer is not None and use_model else None
        if self.disposer is not None and dispose:
            # the rule proposals are kept (raw_results after _remember) so retag() can decide again
            self._last_raw = [_copy_result(r) for r in results]
            self._dispose(results, self.questions if self.questions is not None
                          and len(self.questions) == len(results) else None)
        if ruled is not None:
            self.propose(results, ruled, self.questions if self.questions is not None
                         and len(self.questions) == len(results) else None, cc)
        if self.model is not None and use_model:
            self._add_model(results, analysed)
        return results

    def _visit_segments(self, analysed, results, cand, k, seg_tab, starts, inv, anchor, SIG, batch, cc) -> None:
        """Match every segment holding a candidate token and add its excerpt to the text's result
        (:func:`_visit_segments_of`; each segment's evidence comes from ``self._segment_evidence``)."""
        _visit_segments_of(self, analysed, results, cand, k, seg_tab, starts, inv, anchor, SIG, batch, cc)

    def _segment_evidence(self, a: AnalysedText, s: int, e: int, hits, dv: "_DocView",
                          comp: CompiledCodebook, known: Optional[tuple] = None,
                          cc_ok: Optional[frozenset] = None) -> list[Evidence]:
        """Evidence of one segment [s, e) (token positions of the whole text) from its code hits.

        ``cc_ok`` (when given) holds the (code, rule) keys of the co-occurrence rules whose every list
        has a candidate word in the segment (:func:`_complete_rules`); the concept words of the other
        rules cannot complete a rule here and are passed over.

        ``known`` holds the codes whose status and scope an earlier segment of the text already gave
        (present evidence with a known value). A present hit of such a code (that implies no other
        code) shows the code's passage value after :func:`unify_values`, not its own, so its own
        status/scope is not read: it gets okänd until unify_values sets the passage value. The sets
        are updated with this segment's hits (a hit of a code follows the code's earlier hits)."""
        if known is None:
            known = (set(), set())
        return _segment_evidence_of(a, s, e, hits, dv, comp, known, cc_ok)

    @staticmethod
    def _negated(hs, he, negs, clause, s, feats, is_word, phrase: bool = False) -> bool:
        """True when a negation cue covers hit [hs, he); ``clause`` holds clause ids by token position;
        ``phrase``: the hit is a keyword whose own words hold the cue ("inte talar svenska"), not negated by it."""
        nf = len(feats)
        doubled = Tagger._double_negations(negs, feats, is_word) if len(negs) > 1 else None
        # a one-word cue that opens a longer cue ("inte" of "inte längre") is read as the longer one
        longer = {ns for ns, ne in negs if ne - ns > 1} if len(negs) > 1 else ()
        for ns, ne in negs:
            if ns >= hs and ne <= he:
                if phrase:
                    continue
                return True
            if ne - ns == 1 and ns in longer:
                continue
            if ns > 0 and feats[ns - 1].lower in mk.UNCHECKED_BOXES:
                continue  # "☐ Nej": an option not chosen
            if doubled and any(ns <= p < ne for p in doubled):
                continue  # "saknar inte": the thing is there
            cue = feats[ns].keys
            # "inte bara", "inte minst" ... are not negations
            nxt = ne
            while nxt < nf and not is_word[nxt]:
                nxt += 1
            if nxt < nf:
                if ne - ns == 1:
                    skip = False
                    for cw, follow in mk.NOT_NEGATION.items():
                        if cw in cue and not feats[nxt].keys.isdisjoint(follow):
                            skip = True
                    if skip:
                        continue
                else:  # "har inte bara infört"
                    follow = mk.NOT_NEGATION_PHRASE_END.get(feats[ne - 1].lower)
                    if follow and feats[nxt].lower in follow:
                        continue
            if ne <= hs:
                if ne - ns == 1 and not cue.isdisjoint(mk.AFTER_ONLY_CUES):
                    continue  # "Nej" before a measure answers something else
                if clause[ne - 1] != clause[hs]:
                    # the cue itself may be a boundary word? only count same clause
                    continue
                gap = sum(is_word[ne:hs])
                if gap > NEG_BEFORE_WINDOW:
                    continue
                if gap > mk.RELATIVE_NEG_WINDOW and Tagger._in_relative_clause(ns, clause, s, feats):
                    continue
                return True
            if ns >= he:
                if clause[ns] != clause[he - 1] and not Tagger._topic_midfield(hs, he, ns, clause, s, feats, is_word):
                    continue
                if sum(is_word[he:ns]) > NEG_AFTER_WINDOW:
                    continue
                if Tagger._after_preposition(hs, s, feats, is_word, mk.COUNTERFACTUAL_PREPS):
                    continue  # "Utan SIP hade vi inte klarat …"
                return True
        return False

    @staticmethod
    def _double_negations(negs, feats, is_word) -> Optional[set]:
        """Token positions of double negations among the cues: a lack-word and a negation word next
        to each other, a subject pronoun allowed between them ("saknar inte", "saknar vi inte",
        "har inte saknats"); None when there is none."""
        out: Optional[set] = None
        nf = len(feats)
        for ns, ne in negs:
            if ne - ns != 1 or feats[ns].lower not in mk.LACK_WORDS:
                continue
            for step in (1, -1):
                j = ns + step
                if 0 <= j < nf and step == 1 and feats[j].lower in mk.SUBJECT_PRONOUNS:
                    j += 1
                if 0 <= j < nf and is_word[j] and feats[j].lower in mk.LACK_NEGATORS:
                    if out is None:
                        out = set()
                    out.update((ns, j))
        return out

    @staticmethod
    def _clause_start(pos, clause, s) -> int:
        """First token of the clause holding token pos (the segment's start s at the earliest)."""
        c = clause[pos]
        i = pos
        while i > s and clause[i - 1] == c:
            i -= 1
        return i

    @staticmethod
    def _is_topic(hs, clause, s, feats, is_word) -> bool:
        """True when the hit starting at hs opens its clause: only a clause word, punctuation or
        determiners and adjectives ("någon", "något", "nya") stand before it in the clause."""
        for i in range(Tagger._clause_start(hs, clause, s), hs):
            low = feats[i].lower
            if is_word[i] and low not in mk.TOPIC_FILLERS and not mk.is_clause_boundary(low):
                return False
        return True

    @staticmethod
    def _topic_midfield(hs, he, ns, clause, s, feats, is_word) -> bool:
        """True when a cue at ns after hit [hs, he) lies in the hit's clause but for sentence adverbs
        in the middle field of a topicalised clause: the hit opens its clause, and every clause
        boundary between them is a middle-field adverb ("däremot", "dock") after the finite verb and
        its subject that follow the hit ("Mobila team har vi däremot inte startat")."""
        for k in range(he, ns + 1):
            if clause[k] == clause[k - 1]:
                continue
            if k == he or feats[k].lower not in mk.MIDFIELD_ADVERBS or not is_word[k - 1]:
                return False
            # the middle field: right after the finite verb and its subject ("har vi däremot",
            # "har regionen emellertid"), not after a participle or an adverbial ("haft länge dock inte")
            if sum(is_word[he:k]) > 2 and feats[k - 1].lower not in mk.SUBJECT_PRONOUNS:
                return False
        return Tagger._is_topic(hs, clause, s, feats, is_word)

    @staticmethod
    def _after_preposition(hs, s, feats, is_word, preps) -> bool:
        """True when the word before the hit (skipping determiners and adjectives) in its clause is one
        of ``preps``."""
        i = hs - 1
        while i >= s and is_word[i] and feats[i].lower in mk.TOPIC_FILLERS:
            i -= 1
        return i >= s and is_word[i] and feats[i].lower in preps

    @staticmethod
    def _in_relative_clause(pos, clause, s, feats) -> bool:
        """True when the clause holding token pos starts with a relative word ('som', 'där');
        the clause starts at the latest boundary, at the segment's start s at the earliest."""
        c = clause[pos]
        i = pos
        while i > s and clause[i - 1] == c:
            i -= 1
        return feats[i].lower in mk.RELATIVE_WORDS

    # ------------------------------------------------------------------ model
    def _dispose(self, results: list[TagResult], questions: Optional[list] = None) -> None:
        """Let the disposer keep or drop the rule proposals (one vectorised predict per batch)."""
        self.disposer.dispose(results, questions)

    def _add_model(self, results: list[TagResult], analysed: Sequence[AnalysedText]) -> None:
        from nlp.suggest import merge_model_suggestions

        merge_model_suggestions(self, results, analysed)

    def propose(self, results: list[TagResult], ruled: Sequence[set], questions: Optional[Sequence] = None,
                compiled: Optional[CompiledCodebook] = None) -> None:
        """Add the proposer's codes the rules did not find (``ruled``: per result, the codes of its rule
        evidence before the disposer) with the passage's best sentence for the code as evidence, its status
        and scope read there; a code whose best sentence negates it is not added. One vectorised predict
        over the batch, one more over the sentences of the passages that get a code."""
        from nlp.pipeline import get_nlp
        from nlp.proposer import segment_features

        pm = self.proposer
        if pm is None or not results or not pm.codes_:
            return
        strings = get_nlp().vocab.strings
        cc = compiled if compiled is not None else self.compiled
        known = set(cc.code_ids)
        todo = [i for i, r in enumerate(results) if r._analysed is not None and len(r._analysed.orth)]
        if not todo:
            return
        qs = questions if questions is not None else [None] * len(results)
        # each passage's feature tokens as vocabulary columns (proposer.passage_features, not spelt out)
        # and its number of content words
        got = [pm.passage_columns(results[i]._analysed, strings, qs[i], pm.bigrams) for i in todo]
        if pm.min_words:
            keep = [k for k, (_, n) in enumerate(got) if n >= pm.min_words]
            todo, got = [todo[k] for k in keep], [got[k] for k in keep]
            if not todo:
                return
        P = pm.predict_proba_columns([cols for cols, _ in got])
        cols = {c: j for j, c in enumerate(pm.codes_)}
        th = [pm.threshold_for(c) for c in pm.codes_]
        adds: list[tuple[int, list[tuple[str, float]]]] = []
        # the rows as Python floats (the same doubles as float(P[row, j])), read without a numpy scalar per cell
        for row, (i, p_row) in enumerate(zip(todo, P.tolist())):
            got = [(c, p_row[j]) for j, c in enumerate(pm.codes_)
                   if p_row[j] >= th[j] and c not in ruled[i] and c in known]
            if got:
                adds.append((i, got))
        if not adds:
            return
        # the sentences of the passages that get a code, scored in one more product
        segs = [(i, s, e) for i, _ in adds for s, e in results[i]._analysed.segments]
        D = pm.decision([segment_features(results[i]._analysed, strings, s, e, pm.bigrams) for i, s, e in segs])
        for i, got in adds:
            res, a = results[i], results[i]._analysed
            rows = [k for k, (j, _, _) in enumerate(segs) if j == i]
            for code, p in got:
                j = cols[code]
                k = max(rows, key=lambda r: D[r, j])  # the first of equal scores
                _, s, e = segs[k]
                ev = self._model_evidence(a, s, e, code, p, cc, strings)
                if ev is None:
                    continue
                xs, xe = ev.excerpt_start, ev.excerpt_end
                x = next((x for x in res.excerpts if (x.start, x.end) == (xs, xe)), None)
                if x is None:
                    x = Excerpt(start=xs, end=xe, text=a.text[xs:xe])
                    res.excerpts.append(x)
                    res.excerpts.sort(key=lambda x: x.start)
                x.evidence.append(ev)

    def _model_evidence(self, a: AnalysedText, s: int, e: int, code: str, p: float, cc: CompiledCodebook,
                        strings) -> Optional[Evidence]:
        """Evidence of a proposed code over the sentence [s, e): the sentence as span, status and scope
        read at the sentence's word that weighs most for the code; None when that word is negated or cancelled
        or the sentence puts the measure off (the marker reading of a rule hit, :func:`read_markers`)."""
        from nlp.proposer import form_tokens

        pm = self.proposer
        j = pm.codes_.index(code)
        voc, coef = pm.vocabulary_, pm.coef_
        best, best_w = None, 0.0
        for t in range(s, e):
            if not a.is_word[t]:
                continue
            w = sum(coef[voc[f], j] for f in form_tokens(int(a.orth[t]), int(a.lemma[t]), strings) if f in voc)
            if best is None or w > best_w:
                best, best_w = t, w
        xs, xe = a.char_span(s, e)
        st = sc = mk.UNKNOWN
        if best is not None:
            uniq, inv = np.unique(a.orth, return_inverse=True)
            ul = uniq.tolist()
            first = {}
            for n, u in enumerate(inv.reshape(-1).tolist()):
                first.setdefault(u, n)
            lem = [int(a.lemma[first[u]]) for u in range(len(ul))]
            batch = _Batch(cc, cc.code_features(ul, lem, strings), ul, lem, inv.reshape(-1), strings)
            dv = _DocView(batch, 0, len(a.orth), a.is_word)
            marks = read_markers(cc, dv, s, e)
            if marks.withholds(best, best + 1, dv.clauses(), s, dv.feats, a.is_word):
                return None
            st, sc = _segment_reader(a, s, e, dv, {code: [(best, best + 1, "model", "")]}, marks.status,
                                     marks.scope, cc).values(best, best + 1)
        return Evidence(code=code, start=xs, end=xe, match=a.text[xs:xe], negated=False, status=st, scope=sc,
                        confidence=round(p, 3), origin="model", rule="förslagsmodell", excerpt_start=xs,
                        excerpt_end=xe)


def rule_codes(results: Sequence[TagResult]) -> list[set]:
    """Per result, every code of its rule evidence (present or negated): the codes the rules found."""
    return [{e.code for x in r.excerpts for e in x.evidence if e.origin == "rule"} for r in results]


def dispose_and_propose(tagger: "Tagger", results: list[TagResult], disposer, proposer,
                        questions: Sequence[Optional[str]]) -> None:
    """After the rules of a Tagger without models: the disposer decides the rule proposals of ``results``
    and the proposer (if any) adds the codes the rules did not find, in place. The cyclic garbage collector is
    paused meanwhile, as for the rules (:func:`nlp.pipeline.gc_paused`)."""
    from nlp.pipeline import gc_paused

    with gc_paused():
        ruled = rule_codes(results) if proposer is not None else None
        disposer.dispose(results, questions)
        if ruled is not None:
            tagger.proposer = proposer
            tagger.propose(results, ruled, questions)
            tagger.proposer = None


# the fields of a code that CompiledCodebook reads; the first four only add hit patterns to the term index
_HIT_RULES = ("keywords", "abbreviations", "compounds", "weak_keywords")
_OTHER_RULES = ("weak_requires", "negative_keywords", "cooccurrence", "implies")


def _rules_of(code) -> dict:
    """The parts of a code that tagging reads (its label, definition and notes are not among them), as
    the code holds them: the callers compare two codebooks' parts at once and keep none, so no copy is
    needed (deep copies allocate enough to start collections of the large heap a Tagger keeps: 0.5 s of
    a re-tag over 7,754 kept passages in 8 batches, with the collector on)."""
    return {f: getattr(code, f) for f in _HIT_RULES + _OTHER_RULES}


def _only_codes(codebook: Codebook, ids: set) -> Optional[CompiledCodebook]:
    """The compiled form of the codebook's codes in ``ids`` alone (None when it has none of them)."""
    doc = codebook.to_doc()
    for cat in doc["categories"]:
        cat["codes"] = [c for c in cat["codes"] if c["id"] in ids]
    doc["categories"] = [c for c in doc["categories"] if c["codes"]]
    return CompiledCodebook(Codebook.from_doc(doc), cache=False) if doc["categories"] else None


def _term_key(t) -> tuple:
    return (t.words, t.kind, t.payload, t.text, t.abbr, t.compound, t.exact)


def _rule_key(r) -> tuple:
    return (r.head, r.modifiers, r.prefixes, r.kind, r.payload, r.text)


def _edit_probes(old_part: Optional[CompiledCodebook], new_part: Optional[CompiledCodebook], wide: set) -> set:
    """The probe strings where the compiled forms of the changed codes (``old_part``, ``new_part``: the
    codebooks' changed codes alone) put different index entries.

    An index's entries under a probe string are the union of what each of its terms and head rules puts
    there, each computed from that pattern alone (term words, keys, compound parts, prefixes,
    abbreviations); so the entries differ only under the probe strings of a term or rule found in one
    part and not in the other (counted with repeats: an inflected duplicate merged into an earlier term
    changes that term's words, so both versions count). For the ``wide`` codes (changed in more than
    their hit patterns), and when the common patterns come in another order (the order of a form's terms
    is what the matcher tries), every pattern of the changed codes counts, as the probe sets of the parts."""
    from collections import Counter

    out: set = set()
    for attr in ("index", "context"):
        ixs = [getattr(p, attr) for p in (old_part, new_part) if p is not None]
        if not ixs:
            continue
        terms = [[t for t in ix.terms] for ix in ixs] + [[]] * (2 - len(ixs))
        rules = [[_rule_key(r) for r in ix.head_rules] for ix in ixs] + [[]] * (2 - len(ixs))
        keys = [[_term_key(t) for t in ts] for ts in terms]
        ck, cr = [Counter(k) for k in keys], [Counter(r) for r in rules]
        same_k = {k for k in ck[0] if ck[0][k] == ck[1][k]}
        same_r = {r for r in cr[0] if cr[0][r] == cr[1][r]}
        if ([k for k in keys[0] if k in same_k] != [k for k in keys[1] if k in same_k]
                or [r for r in rules[0] if r in same_r] != [r for r in rules[1] if r in same_r]):
            for ix in ixs:  # another order: every pattern counts
                out |= ix.probe_set
            continue
        tmp = TermIndex(ixs[0]._lemma, ixs[0]._tokenize)
        for side in (0, 1):
            for t, k in zip(terms[side], keys[side]):
                if k not in same_k or t.payload[0] in wide:
                    tmp._add(t)
            for r in rules[side]:
                if r not in same_r or r[4][0] in wide:
                    tmp.add_head_rule(r[0], [*r[1], *(p + "*" for p in r[2])], r[3], r[4], r[5])
        out |= tmp.probe_set
    return out


def _edit_of(old_cc: CompiledCodebook, new_cc: CompiledCodebook, changed: set, wide: set) -> tuple:
    """What :meth:`Tagger._affected` tests the forms of a batch with for one edit: (``delta``, the
    ``messy_touch`` test, its answers so far per form hash, whether the two context indexes give every form
    the same keys). These depend only on the two compiled codebooks and the changed codes, so they are
    worked out once per edit and kept on the old compiled codebook, which a project's kept batches share
    until each is re-tagged (they were worked out again for each of them: the changed codes compiled alone,
    old and new, and the fall-back vocabularies compared, in every batch)."""
    from nlp import termmatch

    key = (id(new_cc), frozenset(changed), frozenset(wide), termmatch.FALLBACK_TYPOS)
    got = old_cc._edits.get(key)
    if got is not None and got[0] is new_cc:
        return got[1]
    # A form's features are computed from the index entries its probe strings (termmatch.probes)
    # and its keys find, so they can differ between the two codebooks only when one of these is a
    # string where the two indexes hold different entries: one where a term or head rule of the
    # changed codes that is not in both codebooks (an added, removed or edited pattern) is put, or,
    # for the ``wide`` codes, any of theirs (:func:`_edit_probes`: ``delta``). A key that is no probe
    # string is a compound part (a single keyword of some code) found by its first four or last five
    # letters, which are probe strings: adding those of the parts in ``delta`` makes the probe test
    # alone find every form that can differ.
    delta = _edit_probes(_only_codes(old_cc.codebook, changed), _only_codes(new_cc.codebook, changed), wide)
    # the folded words whose restorations differ between the codebooks' fall-back vocabularies
    restored: set = set()
    for ix_old, ix_new in ((old_cc.index, new_cc.index), (old_cc.context, new_cc.context)):
        r_old, r_new = ix_old._fallback_vocab()[0], ix_new._fallback_vocab()[0]
        restored.update(k for k in set(r_old) | set(r_new) if r_old.get(k) != r_new.get(k))
    if termmatch.FALLBACK_TYPOS:  # (with it off, _messy_touch tests the twins' own probe strings)
        delta |= {fold(x) for x in delta}  # a known form reads a changed word as its diacritic twin
    parts = delta & (old_cc.index._contain_all | new_cc.index._contain_all)
    delta |= {k[:4] for k in parts} | {k[-5:] for k in parts}
    value = (delta, _messy_touch(old_cc, new_cc, delta, restored), {}, _same_keys(old_cc.context, new_cc.context))
    # Kept on the OLD compiled codebook (the batches still tagged with it are the ones that ask again), so
    # that it holds the new one and never the reverse: once every batch has moved to the new codebook, the
    # old one and its edits are let go together (nothing holds a chain of codebooks across edits); at most
    # MAX_EDITS edits from one codebook are kept.
    if len(old_cc._edits) >= MAX_EDITS:
        old_cc._edits.clear()
    old_cc._edits[key] = (new_cc, value)
    return value


def _messy_touch(old_cc: CompiledCodebook, new_cc: CompiledCodebook, delta: set, restored: set):
    """A test of a lower-case form: whether its messy-text reading (:meth:`~nlp.termmatch.TermIndex.messy`)
    may differ between the two compiled codebooks although its own probe strings miss ``delta``.

    The reading under an index is fixed by the corrected forms the fall-back may compute for the form
    (:meth:`~nlp.termmatch.TermIndex.fallback_forms`: codebook words restored with their diacritics at
    the places it looks) and by their features. The candidates are the same under both codebooks unless
    the form holds a folded word whose restorations differ between them (``restored``); the corrected
    forms' features are the same unless one of their probe strings is in ``delta`` (as for any form).
    So a form is counted only when it holds such a word or one of its corrected forms has a probe string
    in ``delta``: the few forms whose reading can change, not every all-ASCII form that holds some folded
    codebook word. With the typo correction on, every form the dictionary does not know counts
    (:meth:`~nlp.termmatch.TermIndex.fallback_touch`)."""
    import re

    from nlp import termmatch

    def FALLBACK_TYPOS() -> bool:
        return termmatch.FALLBACK_TYPOS

    near = re.compile("|".join(re.escape(k) for k in sorted(restored, key=len, reverse=True))) if restored else None
    # the context index: only when its patterns differ (else it reads every form alike in both)
    same_context = ([_term_key(t) for t in old_cc.context.terms] == [_term_key(t) for t in new_cc.context.terms]
                    and [_rule_key(r) for r in old_cc.context.head_rules]
                    == [_rule_key(r) for r in new_cc.context.head_rules])
    ixs = ((old_cc.index, 1),) if same_context else ((old_cc.index, 1), (old_cc.context, 2))
    every = (old_cc.index, new_cc.index, old_cc.context, new_cc.context)
    # which of the old indexes may read a form other than as written (_may_read_messy: bit 1 the codes, 2 the
    # context), kept per form hash by the old codebook's tagging: an index whose bit is not set has no folded
    # word in the form, so its fall-back_forms are none (the same automaton words: its fall-back vocabulary)
    may_messy = old_cc._may_messy
    # the old codebook's automaton (messy_test; built by its tagging), taken here: the test holds the old
    # codebook's indexes and dict, never the codebook itself, so the edit kept on it (_edit_of) makes no
    # reference cycle and the old codebook is freed as soon as no batch uses it (not at a later collection)
    old_test = old_cc.messy_test()

    def touch(low: str, o: Optional[int] = None) -> bool:
        """``o``: the form's hash, when known (its test answer is then shared with the old codebook's tagging)."""
        if not (low.isascii() and low.isalpha()) and not FALLBACK_TYPOS():
            return False  # (TermIndex.messy reads such a form as written)
        if near is not None and near.search(low) is not None:
            return True
        bits = 3
        if not FALLBACK_TYPOS():
            bits = may_messy.get(o) if o is not None else None
            if bits is None:
                bits = _may_read_messy(old_test, low)
                if o is not None:
                    may_messy[o] = bits
        for ix, bit in ixs:
            if not bits & bit:
                continue
            forms = ix.fallback_forms(low)
            if forms is None:  # the typo correction is on
                return any(x.fallback_touch(low) for x in every)
            for _, fixed in forms:
                if not delta.isdisjoint(probes(fixed, fixed, (ix._lemma(fixed) or fixed).lower())):
                    return True
        return False

    return touch


_H2P_ALL: dict[int, tuple] = {}  # form hash -> what TermIndex._compute may look up (hyphenated forms too)


def _hyphen_probes(o: int, lem: int, strings) -> tuple:
    """Every string ``TermIndex._compute`` may look up in an index for the form with hash ``o``: its
    probe strings (:func:`~nlp.termmatch.probes`) and, for a hyphenated form, the stems of its parts
    (looked up as keys: "kvällsteam-möten"); memoised per form. (Tagging computes every hyphenated
    form rather than keep this longer tuple for them all; a re-tag asks only about the forms of its
    texts.)"""
    got = _H2P_ALL.get(o)
    if got is None:
        orth = strings[o]
        low = orth.lower()
        got = probes(orth, low, strings[lem].lower())
        if "-" in low:
            extra = {s for part in low.split("-") for s in stems(part)}
            got = tuple(set(got) | extra)
        _H2P_ALL[o] = got
    return got


def _same_keys(a: TermIndex, b: TermIndex) -> bool:
    """True when every word form gets the same keys from both indexes (the keys depend only on the
    probe strings and on the keys, compound parts and prefixes the terms contribute)."""
    def prefixes(ix: TermIndex) -> set:
        return {p for v in ix._first_prefix.values() for p, _ in v}

    return (a.probe_set == b.probe_set and a._all_keys == b._all_keys and a._contain_all == b._contain_all
            and prefixes(a) == prefixes(b))


def _feature_sig(f: WordFeatures, ix: TermIndex) -> tuple:
    """A word form's features with term and rule numbers replaced by what they stand for, and (last)
    the codes they reference: equal signatures offer the matcher the same terms in the same order."""
    terms, rules = ix.terms, ix.head_rules
    first = tuple((terms[t].kind, terms[t].payload, terms[t].text, terms[t].words) for t in f.first)
    heads = tuple((rules[r].payload, rules[r].text) for r in f.heads)
    full = tuple((rules[r].payload, rules[r].text) for r in f.full_heads)
    mods = tuple((rules[r].payload, rules[r].text) for r in f.mods)
    codes = frozenset(terms[t].payload[0] for t in f.first) | frozenset(
        rules[r].payload[0] for r in f.heads + f.full_heads + f.mods)
    return first, heads, full, mods, codes


def _copy_evidence(e: Evidence) -> Evidence:
    """A shallow copy of an evidence (every field is immutable)."""
    return Evidence(e.code, e.start, e.end, e.match, e.negated, e.status, e.scope, e.confidence, e.origin, e.rule,
                    e.excerpt_start, e.excerpt_end)


def _copy_result(r: TagResult) -> TagResult:
    """A copy of a result whose excerpts and evidence can be changed independently."""
    if not r.excerpts:
        return TagResult(id=r.id, text=r.text, _analysed=r._analysed)
    return TagResult(id=r.id, text=r.text, _analysed=r._analysed,
                     excerpts=[Excerpt(x.start, x.end, x.text, [_copy_evidence(e) for e in x.evidence])
                               for x in r.excerpts])


def _best_cooccurrence(lists: list[list[tuple[int, int]]], is_word) -> Optional[tuple[int, int]]:
    """Tightest combination of one hit per concept list (different words), within the window."""
    from itertools import product

    best = None
    best_len = None
    limit = COOC_WINDOW.get(len(lists), 16)
    for combo in product(*lists):
        starts = {h[0] for h in combo}
        if len(starts) < len(combo):
            continue
        if any(a[0] < b[1] and b[0] < a[1] for k, a in enumerate(combo) for b in combo[k + 1:]):
            continue
        hs = min(h[0] for h in combo)
        he = max(h[1] for h in combo)
        words = sum(is_word[hs:he])
        if words <= limit and (best_len is None or words < best_len):
            best, best_len = (hs, he), words
    return best
