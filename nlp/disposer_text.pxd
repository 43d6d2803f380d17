# Augmenting declarations for the compiled build of nlp/disposer_text.py (tools/build_compiled.py): C types for the
# character scan of a lower-cased text (_words_of): positions as Py_ssize_t (they index the text), so that a
# character is a Py_UCS4 and its test against _WORD's characters a C switch. The same results as the .py; without
# a build this file is not read.
import cython

@cython.locals(out=list, i=cython.Py_ssize_t, j=cython.Py_ssize_t, c=cython.Py_UCS4)
cpdef list _words_of(str low)

# The same scan giving each word's id (index[word], a plain dict; add(word) the first time a word is met) and in
# _scan_ids its bounds; a span's ids read from the scan (_span_ids)
@cython.locals(ids=list, i=cython.Py_ssize_t, j=cython.Py_ssize_t, c=cython.Py_UCS4, w=str)
cpdef list _word_ids(str low, dict index, add)

@cython.locals(ids=list, starts=list, ends=list, i=cython.Py_ssize_t, j=cython.Py_ssize_t, c=cython.Py_UCS4, w=str)
cpdef tuple _scan_ids(str low, dict index, add)

@cython.locals(ids=list, starts=list, ends=list, i=cython.Py_ssize_t, j=cython.Py_ssize_t, out=list, w=str)
cpdef list _span_ids(tuple scan, str low, Py_ssize_t a, Py_ssize_t b, dict index, add)

# Word -> (word column, stem column) memo of a text model (_TokenColumns) as an extension type: its attributes C fields,
# so that entering a new word (_add, ~12,000 per 1,000 bench passages) reads them without attribute look-ups
cdef class _TokenColumns:
    cdef public dict vocabulary, index
    cdef public list _word, _stem
    cdef public object _arrays, _lock

    @cython.locals(voc=dict, index=dict, wc=object, sc=object, k=object)
    cpdef _add(self, str w)
