# Augmenting declarations for the compiled build of nlp/proposer.py (tools/build_compiled.py): C types for the
# loop over a segment's tokens (_segment_columns): positions and the count as Py_ssize_t, the token lists and the
# memos as list / dict, so that indexing them and the memo look-ups are direct calls; and for the rows' weights
# (_column_values): the counts as Py_ssize_t, the weights and their sum of squares as C doubles (the same
# doubles, summed in the same order). The same results as the .py; without a build this file is not read.
import cython

@cython.locals(n=cython.Py_ssize_t, i=cython.Py_ssize_t, got=tuple, cols=tuple, low=object, prev=object, key=tuple)
cpdef Py_ssize_t _segment_columns(list orth, list lem, list space, Py_ssize_t s, Py_ssize_t e, dict memo, dict pairs,
                                  get, strings, bint bigrams, list out)

@cython.locals(n_tf=cython.Py_ssize_t, counts=dict, w=list, c=cython.Py_ssize_t, v=cython.double, ss=cython.double,
               norm=cython.double)
cpdef void _column_values(column_lists, list idf, list tf, list cols_all, list vals_all, list offs)

# any(c.isalpha() for c in text) of a form's lower-cased lemma, as a loop over its characters
@cython.locals(c=cython.Py_UCS4)
cpdef bint _has_letter(str text)
