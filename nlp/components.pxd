# Augmenting declarations for the compiled build of nlp/components.py (tools/build_compiled.py): the character of
# the word-shape loop as a C code point (its str tests compile to the same Unicode database look-ups that the
# one-character str methods make). Without a build this file is not read.
import cython

@cython.locals(char=cython.Py_UCS4, seq=cython.Py_ssize_t)
cpdef str _word_shape(str text)
