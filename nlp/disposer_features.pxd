# Augmenting declarations for the compiled build of nlp/disposer_features.py (tools/build_compiled.py): C types
# for the character scan of a mention sentence (_scan_parts): positions as Py_ssize_t (they index the sentence),
# characters as Py_UCS4, so that the tests against _WORD's and _CLAUSE_EDGE's characters are C switches and
# str.isspace / str.startswith direct calls. The same results as the .py; without a build this file is not read.
import cython

@cython.locals(n=cython.Py_ssize_t, i=cython.Py_ssize_t, j=cython.Py_ssize_t, k=cython.Py_ssize_t, c=cython.Py_UCS4,
               starts=list, ends=list, words=list, e_starts=list, e_ends=list, w=str)
cpdef tuple _scan_parts(str sentence)
