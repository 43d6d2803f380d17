# Augmenting declarations for the compiled build of nlp/disposer_features.py (tools/build_compiled.py): C types
# for the character scan of a mention sentence (_scan_parts): positions as Py_ssize_t (they index the sentence),
# characters as Py_UCS4, so that the tests against _WORD's and _CLAUSE_EDGE's characters are C switches and
# str.isspace / str.startswith direct calls. The same results as the .py; without a build this file is not read.
import cython

@cython.locals(n=cython.Py_ssize_t, i=cython.Py_ssize_t, j=cython.Py_ssize_t, k=cython.Py_ssize_t, c=cython.Py_UCS4,
               e=cython.Py_ssize_t, m=cython.Py_ssize_t, skip=cython.Py_ssize_t,
               starts=list, ends=list, words=list, e_starts=list, e_ends=list, w=str, csc=list, cs=list, csp=list,
               colons=list, opens=list, lw=str)
cpdef tuple _scan_parts(str sentence, low=*)

@cython.locals(got=set, stem_of=dict, w=str, st=str)
cpdef frozenset _lower_stems(list words)

# A stretch's cues from the sentence's cue index (_span_scan): the occurrences' positions and bit fields as C
# integers (the fields fill 48 bits), the characters around a negation word as Py_UCS4 (_negates_at).
@cython.locals(n=cython.Py_ssize_t, k=cython.Py_ssize_t, m=cython.Py_ssize_t, s=cython.Py_ssize_t,
               e=cython.Py_ssize_t, sb=cython.int, mask=cython.longlong, v=cython.longlong, neg=cython.bint,
               starts=list, ends=list, vals=list)
cpdef tuple _span_scan(tuple cues, str sentence, Py_ssize_t a, Py_ssize_t b)

@cython.locals(c=cython.Py_UCS4, j=cython.Py_ssize_t, k=cython.Py_ssize_t, w=str)
cpdef bint _negates_at(str low, Py_ssize_t a, Py_ssize_t b, Py_ssize_t s, Py_ssize_t e)

# str.rfind / str.find of one character from its sorted positions in the sentence (_sentence_parts)
@cython.locals(k=cython.Py_ssize_t)
cpdef Py_ssize_t _rfind(list pos, Py_ssize_t n, Py_ssize_t end)

@cython.locals(k=cython.Py_ssize_t)
cpdef Py_ssize_t _find(list pos, Py_ssize_t n, Py_ssize_t start, Py_ssize_t end)

@cython.locals(i=cython.Py_ssize_t, j=cython.Py_ssize_t, starts=list, ends=list, words=list)
cpdef list _words_in(tuple parts, str sentence, Py_ssize_t lo, Py_ssize_t hi)

# The linear score of each feature dict (dict_scores): the weight, value, product and running sum as C doubles
@cython.locals(out=list, s=cython.double, v=cython.double, wd=cython.double)
cpdef list dict_scores(X, dict weights)

# One pass per sentence (proposal_features): a mention's context words and cues read from the sentence's parts and
# cue index by position, called directly (no memo per mention)
@cython.locals(a=cython.Py_ssize_t, b=cython.Py_ssize_t, starts=list, ends=list, words=list, w=str)
cpdef _context_words_in(set ctx, tuple parts, str sentence, Py_ssize_t ms, Py_ssize_t me)

cpdef tuple _mention_cues_in(str sentence, Py_ssize_t start, Py_ssize_t end, bint window, tuple parts, tuple cues)
