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

# The features of a new word form (TermIndex._compute): its strings, sets, lists and the index's dicts typed, so
# that str.lower/isalpha/startswith/endswith, slicing, dict.get and set.add are direct C calls (the values are
# these exact types: the index's dicts and sets, the form's lower-case strings), the same results.
@cython.locals(low=str, lem=str, keys=set, first=list, alpha=cython.bint, heads=list, full=list, mods=list,
               all_keys=set, st_all=list, st=list, s=str, cend=dict, k=str, part=str, head_end=dict, hk=str,
               mod_surface=str, mod_keys=dict, p=str, fk=dict, c0=str, base=str, sep=str, bl=str, kept=list)
cpdef _compute_features(ix, orth, lemma)

# The probe strings of a new word form, typed the same way.
@cython.locals(st=list, bases=list, out=set, x=str, a=str, base=str, sep=str)
cpdef tuple probes(orth, str low, str lem)
