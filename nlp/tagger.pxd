# Augmenting declarations for the compiled build of nlp/tagger.py (tools/build_compiled.py). The per-text view
# of a batch (_DocView), the marker reading of a segment (SegmentMarkers) and a segment's neighbours
# (_SegmentNeighbours) become extension types: their attributes are C struct slots (every one a Python
# object, so the build computes what the .py computes) and their methods cpdef, called through the C vtable
# by the typed module functions below (a Python subclass may still override them). A cpdef method cannot
# hold a closure, so the .py writes these methods with plain loops.
# Without a build this file is not read; the .py (plain classes with slots) is the reference.
import cython
# bisect_left over a text's ascending token positions as a C loop inlined here (nlp/positions.pxd)
from nlp.positions cimport first_at_least

cdef class _DocView:
    cdef public object batch, lo, hi, feats, is_word, _pos, _fl, _clause, _lowers, _vforms, _starts, _ends, _inv

    cpdef lowers(self)
    cpdef verb_forms(self)
    @cython.locals(flat=list, i0=cython.Py_ssize_t, i1=cython.Py_ssize_t)
    cpdef positions(self, kind, s, e)
    cpdef feats_of(self, kind)
    @cython.locals(lowers=list, joints=list)
    cpdef clauses(self)
    cpdef tuple char_span(self, a, tok_start, tok_end)

# a text's items of a batch's per-form list: a list index per token
@cython.locals(i=cython.Py_ssize_t)
cpdef list _gather(list vals, list idx)

cdef class SegmentMarkers:
    cdef public object negs, cancels, delays, status, scope

    cpdef reverses(self, hs, he, clause, s, feats, is_word, phrase=*)
    cpdef withholds(self, hs, he, clause, s, feats, is_word)

cdef class _SegmentNeighbours:
    cdef public object a, s, e, dv, comp, feats, lower, vforms, _lead, _follow

    cpdef lead_in(self)
    cpdef follow(self)
    cpdef lead_in_once(self)
    cpdef follow_once(self)

@cython.locals(out=SegmentMarkers)
cpdef SegmentMarkers read_markers(comp, _DocView dv, s, e)

@cython.locals(near=_SegmentNeighbours)
cpdef _segment_reader(a, s, e, _DocView dv, code_hits, status, scope, comp)

# the per-segment loop of the rules (Tagger._visit_segments / _segment_evidence, thin wrappers): module
# functions, so the view and the marker reading are typed (their methods C calls) and the dicts and lists are
# read and filled by the C API
@cython.locals(dv=_DocView, seg_docs=list, seg_ks=list, segs_l=list, bounds=list, cand_l=list, starts_l=list,
               has_anchor=list, ps=list, complete=dict, known=tuple, i=cython.Py_ssize_t)
cpdef _visit_segments_of(tagger, analysed, results, cand, k, seg_tab, starts, inv, anchor, SIG, batch, cc)

@cython.locals(code_hits=dict, weak=dict, req=dict, negkw=dict, cc=dict, target=dict, slot=dict, lst=list, out=list,
               kept=list, kept_x=list, strong_spans=list, info=list, need=set, present=set, marks=SegmentMarkers,
               tid=cython.Py_ssize_t, cat=cython.Py_ssize_t, need_n=cython.Py_ssize_t, inside=cython.bint,
               covered=cython.bint, skip=cython.bint, negated=cython.bint, full=cython.bint)
cpdef list _segment_evidence_of(a, s, e, hits, _DocView dv, comp, tuple known, cc_ok)
