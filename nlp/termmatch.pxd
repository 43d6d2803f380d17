# Augmenting declarations for the compiled build of nlp/termmatch.py (tools/build_compiled.py): C integer
# types for the token positions and counters of the matcher's loops, and WordFeatures as an extension type.
# Positions index a text's token list, so they always fit a Py_ssize_t; WordFeatures' fields stay Python
# objects (C struct slots that a local typed WordFeatures reads directly, without an attribute lookup), so
# the build computes what the .py computes. Without a build this file is not read.
import cython

cdef class WordFeatures:
    cdef public object keys, lower, first, heads, full_heads, mods

@cython.locals(i=cython.Py_ssize_t, nxt=cython.Py_ssize_t, j=cython.Py_ssize_t, k=cython.Py_ssize_t,
               seen=cython.Py_ssize_t, ok=cython.bint, f=WordFeatures, g=WordFeatures, plans=dict)
cpdef list _match_hits(ix, feats, is_word, positions, Py_ssize_t start, Py_ssize_t n)

# frozenset.isdisjoint of two key sets as a C loop over the smaller (set iteration and membership by the C API)
@cython.locals(fa=frozenset, fb=frozenset)
cpdef bint _disjoint(a, b) except -1

@cython.locals(seen=cython.Py_ssize_t, f=WordFeatures)
cpdef Py_ssize_t _particle_after(wk, feats, is_word, Py_ssize_t j, Py_ssize_t n)

# What the features of a word form start from in every index (FormInfo, one per form): an extension type whose
# fields are C struct slots, filled by a function with typed locals.
cdef class FormInfo:
    cdef public object lemma
    cdef public str low, lem, pre3, pre6, abbr, abbr_low
    cdef public bint alpha, is_long, abbr_case
    cdef public list st_all, st, end6, end3, st0, end60, end30, hyphen

@cython.locals(low=str, lem=str, alpha=cython.bint, st_all=list, st=list, st0=list, end6=list, end3=list, x=str,
               hyphen=list, part=str, c0=str, base=str, sep=str, bl=str)
cpdef _fill_form_info(FormInfo self, str orth, lemma)

@cython.locals(fi=FormInfo)
cpdef FormInfo form_info(str orth, lemma)

# The features of a new word form in one index (TermIndex._compute): its strings, sets, lists and the index's
# dicts typed, so that str.startswith/endswith, dict.get and set.add are direct C calls (the values are these
# exact types: the index's dicts and sets, the form's lower-case strings), the same results.
@cython.locals(fi=FormInfo, low=str, lem=str, keys=set, first=list, heads=list, full=list, mods=list,
               all_keys=set, head_end=dict, head_cands=dict, st=list, end6=list, end3=list, n=cython.Py_ssize_t, i=cython.Py_ssize_t,
               cend=dict, s=str, k=str, hy=list, hk=str, mset=frozenset, pre=tuple, ends=tuple, mod_surface=str, mod_keys=dict, p=str, fk=dict, kept=list,
               bl=str, abbr_fold=dict)
cpdef _compute_features(ix, orth, lemma)

# The probe strings of a new word form, typed the same way.
@cython.locals(st=list, bases=list, out=set, x=str, a=str, base=str, sep=str, aff=dict)
cpdef tuple probes(orth, str low, str lem)

# A head rule's modifier test, and the stems and lemma test of every new form, typed the same way.
@cython.locals(c=str, n=cython.Py_ssize_t, link=str)
cpdef bint _modifier_ok(str mod_surface, frozenset modifiers, tuple prefixes, tuple ends)

@cython.locals(out=list, n=cython.Py_ssize_t, k=cython.Py_ssize_t, base=str)
cpdef list stems(str w)

@cython.locals(got=list)
cpdef list _stems(str w)

cpdef bint _lemma_plausible(str form, str lem)
