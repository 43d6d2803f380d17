# Augmenting declarations for the compiled build of nlp/status_scope.py (tools/build_compiled.py). The
# segment reader becomes an extension type: its attributes are C struct slots (every one a Python object,
# so the build computes what the .py computes), read without a dictionary lookup in its many small methods,
# and its helper methods are cpdef: their calls from one another go through the C vtable (a Python subclass
# may still override them). A cpdef method cannot hold a closure, so the .py writes these helpers with plain
# loops (no generator expression, no lambda).
# Without a build this file is not read; the .py (a plain class) is the reference.
import cython
# bisect_left over ascending positions as a C loop inlined here (nlp/positions.pxd)
from nlp.positions cimport first_at_least

cdef class SegmentReader:
    cdef public object s, e, hits, _lead_in, _follow, _hit_memo, pos, _lw, _wb, _seg, _fw, _vk, _raw_clause
    cdef public object _built, status_marks, _scope_marks, _cues, _cl, _cl_starts, fin, part, _edges
    cdef public object part_clause, _words_of, _ongoing_part, _chain_list, _chains_of, _doc

    cpdef _structure(self)
    cpdef _word_at(self, p)
    @cython.locals(n=cython.Py_ssize_t, k=cython.Py_ssize_t, b=cython.long, i=cython.Py_ssize_t, ci=cython.Py_ssize_t,
                   ncoords=cython.Py_ssize_t, nstarts=cython.Py_ssize_t, part_start=cython.Py_ssize_t,
                   r_i=cython.Py_ssize_t, run_start=cython.Py_ssize_t, stop=cython.Py_ssize_t, q=cython.Py_ssize_t,
                   lo=cython.Py_ssize_t, hi=cython.Py_ssize_t, any_fin=cython.bint, fin=list, vk=list, wb=list,
                   starts=list, coords=list, extra=list, part=list, edges=list, part_clause=dict)
    cpdef _parts(self)
    @cython.locals(lw=list, fw=list, part=list, fin=list, wb=list, chains=list, used=set, by_part=dict)
    cpdef _chains(self)
    cpdef _in_subordinate(self, k)
    @cython.locals(part=list, q=cython.Py_ssize_t, stop=cython.Py_ssize_t, j=cython.Py_ssize_t)
    cpdef Py_ssize_t _ahead_end(self, Py_ssize_t k, Py_ssize_t n) except -1
    cpdef _ahead(self, k, n)
    cpdef _part_words_after(self, k, n)
    cpdef _part_words(self, k)
    cpdef _supine_status(self, k, lem)
    cpdef _next_is(self, k, words)
    cpdef _future_time(self, k)
    @cython.locals(wb=list, edges=list, p=cython.Py_ssize_t, j=cython.Py_ssize_t, b=cython.long)
    cpdef _pilot_in_part(self, k)
    @cython.locals(seg=cython.long, wb=list, lo=cython.Py_ssize_t, hi=cython.Py_ssize_t, pair=cython.bint)
    cpdef _has_phrase(self, a, b, phrases)
    @cython.locals(i=cython.Py_ssize_t, n=cython.Py_ssize_t, b=cython.long, seg=cython.long)
    cpdef _scope_cues(self, scope_marks)
    cpdef _all_cues(self)
    @cython.locals(out=set, hits=list, mine=set)
    cpdef _other_hit_parts(self, hs, he)
    cpdef _clause_of(self, k)
    @cython.locals(cands=list, before=list)
    cpdef _status_of_part(self, p, anchor)
    @cython.locals(fw=list, lw=list, part=list)
    cpdef _phrase_override(self, p, k)
    cpdef _is_list_item(self)
    cpdef _other_part_status(self, q, k0)
    cpdef _part_past(self, q)
    cpdef _governing_chain(self, k)
    cpdef _cue_status(self, k)
    cpdef _cue_past(self, k)
    @cython.locals(part=list, cue_parts=list, cues=list, all_cues=list)
    cpdef _scope_for(self, parts_here, k0, others)
    @cython.locals(b=cython.long, fw=list, vf=tuple, pv=tuple, cls=str)
    cpdef _finite(self, Py_ssize_t k)
    cpdef _projectish(self, k)
    @cython.locals(je=cython.Py_ssize_t, j=cython.Py_ssize_t, w=str, lem=str, cls=str)
    cpdef _chain_status(self, Py_ssize_t k)
    cpdef _hit_index(self, hs, he)
    @cython.locals(part=list, edges=list, fin=list, lw=list, wb=list, n=cython.Py_ssize_t, j=cython.Py_ssize_t,
                   parts_here=list, cont=list, others=set, part_clause=dict)
    cpdef _own_values(self, hs, he, need_status, need_scope)
    cpdef _fallback_status(self, k0, p, others, parts_here)
    cpdef _pick_scope(self, cues)

# module functions called per reader / per verb: cpdef, so the calls from this module are C calls
cpdef _finite_class(cls)
cpdef _doc_structures(lowers, forms, is_word, clause)
@cython.locals(n=cython.Py_ssize_t, k=cython.Py_ssize_t, b=cython.long, c=cython.Py_ssize_t, prev=cython.Py_ssize_t,
               starts=list, out=list)
cpdef tuple _soft_clauses(list wb, list fw, list raw)

# word-class bits: C constants (the .py assigns them), so a class test is a C bit test
cdef long _B_COORD, _B_NOT_FIN, _B_ATTR, _B_SOFT, _B_SOM, _B_REL, _B_ADJ_SUP, _B_PHRASE, _B_QTRIG, _B_QOPEN
cdef long _B_COMPOUND, _B_CANCEL, _B_SKA, _B_PILOT, _B_PHRASE2, _B_SPACE, _B_PREP, _B_FEW

@cython.locals(b=cython.long, digit=cython.bint, prefix=cython.bint, c=str)
cpdef long _word_bits(str w) except? -1

@cython.locals(i=cython.Py_ssize_t, k=cython.Py_ssize_t, b=cython.long, seg=cython.long, pos=list, lw=list, fw=list,
               rc=list, wb=list, vk=list, bits=dict)
cpdef tuple _load_words(lowers, forms, is_word, clause, Py_ssize_t s, Py_ssize_t e)

@cython.locals(j=cython.Py_ssize_t, b=cython.long)
cpdef bint _cancelled(list wb, Py_ssize_t k) except -1

@cython.locals(j=cython.Py_ssize_t)
cpdef bint _any_true(list flags, Py_ssize_t a, Py_ssize_t b) except -1

# per-word memos (dicts) of the quantity reading: cpdef, so the calls from _quantity_cues_in are C calls
cpdef _number(str low)
cpdef _is_people(str low)
cpdef _is_unit(str low)
@cython.locals(j=cython.Py_ssize_t)
cpdef _few_units(list w, Py_ssize_t k, list nxt, list out)
@cython.locals(out=list, found=cython.bint, unit=cython.bint)
cpdef list _quantity_cues_in(list w, list opens)

# the text's word arrays, read once per text, and a segment's words sliced from them
@cython.locals(tpos=list, tlw=list, tfw=list, trc=list, i=cython.Py_ssize_t, n=cython.Py_ssize_t)
cpdef tuple _text_words(doc)
@cython.locals(w0=cython.Py_ssize_t, w1=cython.Py_ssize_t, k=cython.Py_ssize_t, b=cython.long, seg=cython.long,
               tlw=list, tfw=list, trc=list, tpos=list, lw=list, fw=list, wb=list, vk=list, bits=dict)
cpdef tuple _segment_words(doc, Py_ssize_t s, Py_ssize_t e)
