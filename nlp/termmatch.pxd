# Augmenting declarations for the compiled build of nlp/termmatch.py (tools/build_compiled.py): C integer
# types for the token positions and counters of the matcher's loops, and WordFeatures as an extension type.
# Positions index a text's token list, so they always fit a Py_ssize_t; WordFeatures' fields stay Python
# objects (C struct slots that a local typed WordFeatures reads directly, without an attribute lookup), so
# the build computes what the .py computes. Without a build this file is not read.
import cython

cdef class WordFeatures:
    cdef public object keys, lower, first, heads, full_heads, mods

@cython.locals(i=cython.Py_ssize_t, nxt=cython.Py_ssize_t, j=cython.Py_ssize_t, k=cython.Py_ssize_t,
               seen=cython.Py_ssize_t, ok=cython.bint, f=WordFeatures, g=WordFeatures)
cpdef list _match_hits(ix, feats, is_word, positions, Py_ssize_t start, Py_ssize_t n)

@cython.locals(seen=cython.Py_ssize_t, f=WordFeatures)
cpdef Py_ssize_t _particle_after(wk, feats, is_word, Py_ssize_t j, Py_ssize_t n)
