"""The rules' per-segment loop as module functions (perf36) computes what the methods computed.

``Tagger._visit_segments`` and ``Tagger._segment_evidence`` are thin wrappers of ``_visit_segments_of`` and
``_segment_evidence_of`` (module functions: the compiled build types their locals, nlp/tagger.pxd); the per-kind
lists of a text's view (``_DocView``) are slices of lists gathered once for the whole batch. The methods as they
were written before (copied below) are the reference: tagging with them gives the same results, evidence by
evidence (every field), on the built-in cases and a generated corpus.
"""
from __future__ import annotations

import dataclasses
import random
from typing import Optional

import numpy as np
import pytest

import nlp.tagger as tg
from bench.corpus import generate
from nlp import markers as mk
from nlp.codebook import default_codebook
from nlp.status_scope import SegmentReader
from nlp.tagger import (PHRASE_KINDS, RULE_CONFIDENCE, AnalysedText, CompiledCodebook, Evidence, Tagger,
                        _best_cooccurrence, _evidence_order, _hit_order, _segment_reader, implied_rule, read_markers)

TEXTS = [
    "Vi har infört SIP och planerar att starta mobila team.",
    "SIP används i alla kommuner och mobila team planeras, men hälsosamtal har inte startats.",
    "Mobila team startades 2020 och har spridits till hela länet. Teamen arbetar med SIP och SIP-"
    "samordnare finns i tre kommuner samt en pilot med patientkontrakt pågår.",
    "Följande har införts i alla kommuner:\n- mobila team\n- SIP\n- fast vårdkontakt",
    "Patientkontrakt testas på två vårdcentraler och ska breddinföras 2025, och fast vårdkontakt erbjuds "
    "alla, och hälsosamtal eller levnadsvanesamtal genomförs.",
    "Nej. Mobila team och SIP och patientkontrakt och fast vårdkontakt och hälsosamtal planeras.",
    "Vi saknar inte samordnad individuell plan, men mobila team har vi däremot inte startat.",
    "Utan SIP hade vi inte klarat det. Projektet med hälsosamtal lades ned.",
    "",
    "Inga.",
]


# ---------------------------------------------------------------- the methods as written before perf36
def _old_visit_segments(self, analysed, results, cand, k, seg_tab, starts, inv, anchor, SIG, batch, cc) -> None:
    """Match every segment holding a candidate token and add its excerpt to the text's result."""
    _, _, seg_doc, seg_k = seg_tab
    ncc = cc.ncc
    match = cc.index.match
    complete, useful = tg._cooccurrence_plan(cand, k, inv, SIG, ncc)
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
    d_cur, dv, a, res, lo = -1, None, None, None, 0
    known: tuple = (set(), set())
    for i, d in enumerate(seg_docs):
        if d != d_cur:
            d_cur, dv = d, None
            a, res, lo = analysed[d], results[d], starts_l[d]
            known = (set(), set())
        s, e = a.segments[seg_ks[i]]
        cc_ok = complete.get(segs_l[i], tg._NO_RULES)
        if not has_anchor[i] and not cc_ok:
            # no keyword: worth matching only if every list of some co-occurrence rule is there
            continue
        ps = [p - lo for p in cand_l[bounds[i]:bounds[i + 1]]]
        if dv is None:
            dv = tg._DocView(batch, lo, starts_l[d + 1], a.is_word)
        hits = match(dv.feats, dv.is_word, ps, s, e)
        if not hits:
            continue
        ev = self._segment_evidence(a, s, e, hits, dv, cc, known, cc_ok=cc_ok)
        if ev:
            st_known, sc_known = known
            for x in ev:
                if not x.negated:
                    if x.status != mk.UNKNOWN:
                        st_known.add(x.code)
                    if x.scope != mk.UNKNOWN:
                        sc_known.add(x.code)
            xs, xe = dv.char_span(a, s, e)
            for x in ev:
                x.excerpt_start, x.excerpt_end = xs, xe
            res.excerpts.append(tg.Excerpt(xs, xe, a.text[xs:xe], ev))


def _old_segment_evidence(self, a: AnalysedText, s: int, e: int, hits, dv: "_DocView",
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
    ix = comp.index
    terms = ix.terms
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
            code_hits.setdefault(rule.payload[0], []).append((hs, he, "compound", rule.text))
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
        elif cat == 0:
            code_hits.setdefault(key, []).append((hs, he, a_, b_))
        elif cat == 1:
            weak.setdefault(key, []).append((hs, he))
        elif cat == 2:
            req.setdefault(key, []).append((hs, he))
        elif cat == 3:
            negkw.setdefault(key, []).append((hs, he))
    if code_hits or weak or cc:
        xpos = dv.positions("ctx", s, e)
        if xpos:
            # context terms matter only for the codes found here (weak requirements of the weak
            # codes, exclusions of every code that can end up with a hit): skip start positions
            # whose terms all belong to other codes
            need = set(code_hits)
            need.update(weak)
            need.update(c for c, _ in cc)
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
                if t.kind == "req":
                    req.setdefault(t.payload[0], []).append((hs, he))
                elif t.kind == "negkw":
                    negkw.setdefault(t.payload[0], []).append((hs, he))
    if weak:
        strong_spans = [(h[0], h[1], c) for c, lst in code_hits.items() for h in lst]
        for c, lst in weak.items():
            rq = req.get(c)
            if rq:
                for hs, he in lst:
                    # the requirement must be another word: 'proaktivt' never satisfies its own 'proaktiv'
                    if all(hs <= rs and re_ <= he for rs, re_ in rq):
                        continue
                    # a generic word inside another code's longer term belongs to that term
                    # ('samverkan' in 'samverkan vid utskrivning')
                    if any(ss <= hs and he <= se and (se - ss) > (he - hs) and c2 != c
                           for ss, se, c2 in strong_spans):
                        continue
                    code_hits.setdefault(c, []).append((hs, he, "weak", ""))
    for (c, r), slot in cc.items():
        need = comp.ncc[c][r]
        if len(slot) == need:
            best = _best_cooccurrence([slot[j][:6] for j in range(need)], is_word)
            if best is not None:
                hs, he = best
                kind = "cooccurrence3" if need == 3 else "cooccurrence"
                code_hits.setdefault(c, []).append((hs, he, kind, f"samförekomst {r + 1}"))
    if not code_hits:
        return []
    marks = read_markers(comp, dv, s, e)
    # clause ids for negation / marker scope (only needed when markers were found); a clause id
    # is the number of boundary tokens up to a token in the whole text: only compared for equality
    clause = dv.clauses()
    st_known, sc_known = known
    implies = comp.implies
    reader: Optional[SegmentReader] = None
    text = a.text
    out: list[Evidence] = []
    for c, lst in code_hits.items():
        excl = negkw.get(c, ())
        kept: list[tuple[int, int, str, str]] = []
        for h in (sorted(lst, key=_hit_order) if len(lst) > 1 else lst):
            hs, he = h[0], h[1]
            if excl:
                if any(ns <= hs and he <= ne for ns, ne in excl):
                    continue
                # a co-occurrence whose span overlaps a false-friend phrase used one of its words
                if h[2].startswith("cooccurrence") and any(ns < he and hs < ne for ns, ne in excl):
                    continue
            if kept and any(not (he <= ks or hs >= ke) for ks, ke, _, _ in kept):
                continue
            kept.append(h)
        for hs, he, kind, rule in kept:
            negated = marks.reverses(hs, he, clause, s, feats, is_word, kind in PHRASE_KINDS)
            if not negated and c in st_known and c in sc_known and c not in implies:
                st = sc = mk.UNKNOWN  # replaced by the code's passage value (see above)
            else:
                if reader is None:
                    reader = _segment_reader(a, s, e, dv, code_hits, marks.status, marks.scope, comp)
                # a present hit of a code whose status (scope) an earlier hit gave needs only the other
                full = negated or c in implies
                st, sc = reader.values(hs, he, full or c not in st_known, full or c not in sc_known)
                if not negated and c not in implies:
                    # a later hit of c in this segment follows this one in the text's evidence
                    if st != mk.UNKNOWN:
                        st_known.add(c)
                    if sc != mk.UNKNOWN:
                        sc_known.add(c)
            if negated and st in ("genomförd", "pågående"):
                st = mk.UNKNOWN
            cs, ce = dv.char_span(a, hs, he)
            # (code, start, end, match, negated, status, scope, confidence, origin, rule)
            out.append(Evidence(c, cs, ce, text[cs:ce], negated, st, sc, RULE_CONFIDENCE.get(kind, 0.8), "rule",
                                f"{kind}:{rule}" if rule else kind))
    if comp.implies:
        present = {x.code for x in out}
        for x in list(out):
            for other in comp.implies.get(x.code, ()):
                if other not in present and not x.negated:
                    present.add(other)
                    out.append(Evidence(code=other, start=x.start, end=x.end, match=x.match, negated=False,
                                        status=x.status, scope=x.scope, confidence=round(x.confidence * 0.9, 3),
                                        origin="rule", rule=implied_rule(x.code)))
    if len(out) > 1:
        out.sort(key=_evidence_order)
    return out



# ---------------------------------------------------------------- tests


def _full(results) -> list:
    return [(r.id, r.text, [(x.start, x.end, x.text, [dataclasses.astuple(e) for e in x.evidence])
                            for x in r.excerpts]) for r in results]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    corpus = generate(0.03)
    rng = random.Random(36)
    answers = [a.text for a in corpus.answers[:300]]
    # some passages glued together (several segments and codes per text, hits of one code in several segments)
    glued = [" ".join(rng.sample(answers, 3)) for _ in range(40)]
    return TEXTS + answers + glued


def test_segment_loop_equals_the_methods_as_written_before(texts, monkeypatch):
    new = _full(Tagger(default_codebook()).tag_texts(texts))
    monkeypatch.setattr(Tagger, "_visit_segments", _old_visit_segments)
    monkeypatch.setattr(Tagger, "_segment_evidence", _old_segment_evidence)
    old = _full(Tagger(default_codebook()).tag_texts(texts))
    assert sum(len(x[3]) for r in old for x in r[2]) > 300  # many evidence objects compared
    assert new == old


def test_segment_evidence_equals_the_old_method_segment_by_segment(texts, monkeypatch):
    """Every segment's evidence (and the known sets it updates) as the old method gives them, also with
    ``known`` and ``cc_ok`` not given."""
    seen = {"n": 0}
    orig = Tagger._segment_evidence

    def both(self, a, s, e, hits, dv, comp, known=None, cc_ok=None):
        k_old = (set(known[0]), set(known[1])) if known is not None else None
        old = _old_segment_evidence(self, a, s, e, hits, dv, comp, k_old, cc_ok=cc_ok)
        got = orig(self, a, s, e, hits, dv, comp, known, cc_ok=cc_ok)
        assert [dataclasses.astuple(x) for x in got] == [dataclasses.astuple(x) for x in old]
        if known is not None:
            assert known == k_old
        assert [dataclasses.astuple(x) for x in orig(self, a, s, e, hits, dv, comp)] == \
            [dataclasses.astuple(x) for x in _old_segment_evidence(self, a, s, e, hits, dv, comp)]
        seen["n"] += 1
        return got

    monkeypatch.setattr(Tagger, "_segment_evidence", both)
    Tagger(default_codebook()).tag_texts(texts)
    assert seen["n"] > 300


def test_doc_view_lists_equal_the_per_text_gathers(texts):
    """A text's view slices lists gathered once for the whole batch: they equal the per-text numpy gathers
    (the features, the context/marker index features and starting positions, the verb forms)."""
    from nlp.pipeline import analyse, get_nlp

    strings = get_nlp().vocab.strings
    rng = random.Random(7)
    sample = rng.sample(texts, 60) + ["", "Inga.", ""]
    analysed = [AnalysedText.from_doc(d, t) for d, t in zip(analyse(sample), sample)]
    tagger = Tagger(default_codebook())
    cc = tagger.compiled
    uniq_l, lem_l, inv, starts, _ = tagger._forms_of(analysed)
    batch = tg._Batch(cc, cc.code_features(uniq_l, lem_l, strings), uniq_l, lem_l, inv, strings)
    st = starts.tolist()
    for d in rng.sample(range(len(analysed)), len(analysed)):  # in any order
        lo, hi = st[d], st[d + 1]
        dv = tg._DocView(batch, lo, hi, analysed[d].is_word)
        sl = inv[lo:hi]
        assert dv.feats == batch.F_obj[sl].tolist()
        assert dv.verb_forms() == batch.verb_forms()[sl].tolist()
        for kind in ("ctx", "markers"):
            vals, has = batch.kind(kind)
            assert dv.feats_of(kind) == vals[sl].tolist()
            every = np.flatnonzero(has[sl]).tolist()
            for _ in range(20):
                s = rng.randrange(hi - lo + 1)
                e = rng.randrange(s, hi - lo + 1)
                want = [p for p in every if s <= p < e]
                got = dv.positions(kind, s, e)
                assert got == want
                assert all(type(p) is int for p in got)
