# Augmenting declarations for the compiled build of nlp/proposer.py (tools/build_compiled.py): C types for the
# loop over a segment's tokens (_segment_columns): positions and the count as Py_ssize_t, the token lists and the
# memo as list / dict, so that indexing them and the memo look-up are direct calls. The same results as the .py;
# without a build this file is not read.
import cython

@cython.locals(n=cython.Py_ssize_t, i=cython.Py_ssize_t, got=tuple, cols=tuple, low=object, prev=object)
cpdef Py_ssize_t _segment_columns(list orth, list lem, list space, Py_ssize_t s, Py_ssize_t e, dict memo, get, strings,
                                  bint bigrams, list out)
