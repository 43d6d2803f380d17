# Augmenting declarations for the compiled build of nlp/disposer_text.py (tools/build_compiled.py): C types for the
# character scan of a lower-cased text (_words_of): positions as Py_ssize_t (they index the text), so that a
# character is a Py_UCS4 and its test against _WORD's characters a C switch. The same results as the .py; without
# a build this file is not read.
import cython

@cython.locals(out=list, n=cython.Py_ssize_t, i=cython.Py_ssize_t, j=cython.Py_ssize_t)
cpdef list _words_of(str low)

# The same scan with each word's id (index[word]) and bounds (_scan_ids), and a span's ids read from it (_span_ids)
@cython.locals(ids=list, starts=list, ends=list, i=cython.Py_ssize_t, j=cython.Py_ssize_t, c=cython.Py_UCS4)
cpdef tuple _scan_ids(str low, index)

@cython.locals(ids=list, starts=list, ends=list, i=cython.Py_ssize_t, j=cython.Py_ssize_t, out=list)
cpdef list _span_ids(tuple scan, str low, Py_ssize_t a, Py_ssize_t b, index)
