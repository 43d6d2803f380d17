# Augmenting declarations for the compiled build of nlp/lang_sv/compounds.py (tools/build_compiled.py): C integer
# types for the character positions of the compound splitter's candidate search and str types for the pieces it
# cuts from a word (always str), so the build computes what the .py computes. Without a build this file is not read.
import cython

@cython.locals(n=cython.Py_ssize_t, k=cython.Py_ssize_t)
cpdef ing_stem(str w)

@cython.locals(min_part=cython.Py_ssize_t, cut=cython.Py_ssize_t, i=cython.Py_ssize_t, m=cython.Py_ssize_t,
               head=str, mod=str, mod_surface=str, link=str, head_lemma=str, head_table=dict, deferred=list)
cpdef _scan(str w, strict)

@cython.locals(n=cython.Py_ssize_t, hi=cython.Py_ssize_t, k=cython.Py_ssize_t, out=list)
cpdef list _head_starts(str w, Py_ssize_t min_part)
