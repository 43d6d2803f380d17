# Augmenting declarations for the compiled build of nlp/status_scope.py (tools/build_compiled.py). The
# segment reader becomes an extension type: its attributes are C struct slots (every one a Python object,
# so the build computes what the .py computes), read without a dictionary lookup in its many small methods.
# Without a build this file is not read; the .py (a plain class) is the reference.
import cython

cdef class SegmentReader:
    cdef public object s, e, hits, _lead_in, _follow, _hit_memo, pos, _lw, _lows, _fw, _vk, _raw_clause
    cdef public object _built, status_marks, _scope_marks, _cues, _cl, _cl_starts, fin, part, members
    cdef public object part_clause, _words_of, _ongoing_part, _chain_list, _chains_of
