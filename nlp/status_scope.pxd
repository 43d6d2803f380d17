# Augmenting declarations for the compiled build of nlp/status_scope.py (tools/build_compiled.py). The
# segment reader becomes an extension type: its attributes are C struct slots (every one a Python object,
# so the build computes what the .py computes), read without a dictionary lookup in its many small methods,
# and its helper methods are cpdef: their calls from one another go through the C vtable (a Python subclass
# may still override them). A cpdef method cannot hold a closure, so the .py writes these helpers with plain
# loops (no generator expression, no lambda).
# Without a build this file is not read; the .py (a plain class) is the reference.
import cython

cdef class SegmentReader:
    cdef public object s, e, hits, _lead_in, _follow, _hit_memo, pos, _lw, _lows, _fw, _vk, _raw_clause
    cdef public object _built, status_marks, _scope_marks, _cues, _cl, _cl_starts, fin, part, members
    cdef public object part_clause, _words_of, _ongoing_part, _chain_list, _chains_of, _doc

    cpdef _structure(self)
    cpdef _word_at(self, p)
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
    cpdef _has_phrase(self, idx, phrases)
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
    cpdef _finite(self, k)
    cpdef _projectish(self, k)
    cpdef _chain_status(self, k)
    cpdef _hit_index(self, hs, he)
    cpdef _own_values(self, hs, he, need_status, need_scope)
    cpdef _fallback_status(self, k0, p, others, parts_here)
    cpdef _pick_scope(self, cues)

# module functions called per reader / per verb: cpdef, so the calls from this module are C calls
cpdef _finite_class(cls)
cpdef _doc_structures(lowers, forms, is_word, clause)
cpdef tuple _soft_clauses(lw, fw, raw)
