# Augmenting declarations for the compiled build of nlp/status_scope.py (tools/build_compiled.py). The
# segment reader becomes an extension type: its attributes are C struct slots (every one a Python object,
# so the build computes what the .py computes), read without a dictionary lookup in its many small methods,
# and its helper methods are cpdef: their calls from one another go through the C vtable (a Python subclass
# may still override them). A cpdef method cannot hold a closure, so the .py writes these helpers with plain
# loops (no generator expression, no lambda).
# Without a build this file is not read; the .py (a plain class) is the reference.
import cython

cdef class SegmentReader:
    cdef public object s, e, hits, _lead_in, _follow, _hit_memo, pos, _lw, _wb, _seg, _fw, _vk, _raw_clause
    cdef public object _built, status_marks, _scope_marks, _cues, _cl, _cl_starts, fin, part, members
    cdef public object part_clause, _words_of, _ongoing_part, _chain_list, _chains_of, _doc

    cpdef _structure(self)
    cpdef _word_at(self, p)
    @cython.locals(n=cython.Py_ssize_t, k=cython.Py_ssize_t, b=cython.long)
    cpdef _parts(self)
    cpdef _chains(self)
    cpdef _in_subordinate(self, k)
    cpdef _ahead(self, k, n)
    cpdef _part_words_after(self, k, n)
    cpdef _part_words(self, k)
    cpdef _supine_status(self, k, lem)
    cpdef _next_is(self, k, words)
    cpdef _future_time(self, k)
    cpdef _pilot_in_part(self, k)
    @cython.locals(seg=cython.long)
    cpdef _has_phrase(self, idx, phrases)
    @cython.locals(i=cython.Py_ssize_t, b=cython.long, seg=cython.long)
    cpdef _scope_cues(self, scope_marks)
    cpdef _other_hit_parts(self, hs, he)
    cpdef _clause_of(self, k)
    cpdef _status_of_part(self, p, anchor)
    cpdef _phrase_override(self, p, k)
    cpdef _is_list_item(self)
    cpdef _other_part_status(self, q, k0)
    cpdef _part_past(self, q)
    cpdef _governing_chain(self, k)
    cpdef _cue_status(self, k)
    cpdef _cue_past(self, k)
    cpdef _scope_for(self, parts_here, k0, others)
    @cython.locals(b=cython.long)
    cpdef _finite(self, Py_ssize_t k)
    cpdef _projectish(self, k)
    cpdef _chain_status(self, k)
    cpdef _hit_index(self, hs, he)
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
cdef long _B_COMPOUND, _B_CANCEL, _B_SKA

@cython.locals(b=cython.long, digit=cython.bint, prefix=cython.bint)
cpdef long _word_bits(str w) except? -1

@cython.locals(i=cython.Py_ssize_t, k=cython.Py_ssize_t, b=cython.long, seg=cython.long, pos=list, lw=list, fw=list,
               rc=list, wb=list, vk=list, bits=dict)
cpdef tuple _load_words(lowers, forms, is_word, clause, Py_ssize_t s, Py_ssize_t e)

@cython.locals(j=cython.Py_ssize_t, b=cython.long)
cpdef bint _cancelled(list wb, Py_ssize_t k) except -1
