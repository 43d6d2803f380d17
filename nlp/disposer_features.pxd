# Augmenting declarations for the compiled build of nlp/disposer_features.py (tools/build_compiled.py): C types
# for the character scan of a mention sentence (_scan_parts): positions as Py_ssize_t (they index the sentence),
# characters as Py_UCS4, so that the tests against _WORD's and _CLAUSE_EDGE's characters are C switches and
# str.isspace / str.startswith direct calls. The same results as the .py; without a build this file is not read.
import cython
# bisect_right / bisect_left of a sorted list of positions as C loops inlined here (nlp/positions.pxd)
from nlp.positions cimport first_after, first_at_least

@cython.locals(n=cython.Py_ssize_t, i=cython.Py_ssize_t, j=cython.Py_ssize_t, k=cython.Py_ssize_t, c=cython.Py_UCS4,
               e=cython.Py_ssize_t, m=cython.Py_ssize_t, skip=cython.Py_ssize_t,
               starts=list, ends=list, words=list, e_starts=list, e_ends=list, w=str, csc=list, cs=list, csp=list,
               colons=list, opens=list, lw=str, digit=cython.bint)
cpdef tuple _scan_parts(str sentence, low=*)

# math.log1p of a count from a table (_log1p), called directly by the per-proposal loop
cpdef _log1p(Py_ssize_t n)

@cython.locals(got=set, stem_of=dict, w=str, st=str)
cpdef frozenset _lower_stems(list words)

# A rule match's stems from their memo, called directly by the per-proposal loop
@cython.locals(memo=dict, got=frozenset)
cpdef frozenset _match_stems(str match)

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

# The cue index of a sentence (_key_occurrences): positions and counts as C integers (a sort key start * m + i
# stays far below 2**63 for any sentence)
@cython.locals(starts=list, ends=list, vals=list, rising=cython.bint, prev=cython.Py_ssize_t, e=cython.Py_ssize_t,
               s=cython.Py_ssize_t, last=cython.Py_ssize_t, m=cython.Py_ssize_t, i=cython.Py_ssize_t,
               keys=list, order=list, k=cython.longlong)
cpdef tuple _key_occurrences(str low)

# The feature names of a proposal from the name tables (proposal_features), called directly
cpdef _named(dict table, prefix, w)
cpdef _crossed(dict table, c_bar, k)
cpdef _m_name(match)

# The per-proposal loop (proposal_features): its tables as dicts and sets, the positions as C integers
@cython.locals(codes_per_passage=dict, sent_codes=dict, seg_count=dict, leads=dict, sent_of=dict, out=list,
               f=dict, kinds=set, role_counts=dict, mark_counts=dict, ctx=set, others=set, c_keys=dict,
               crossed=dict, w_names=dict, kind_names=dict, any_names=dict, all_names=dict, si=tuple,
               xs=cython.Py_ssize_t, xe=cython.Py_ssize_t, ms=cython.Py_ssize_t, me=cython.Py_ssize_t,
               lead=cython.Py_ssize_t, def_hits=cython.Py_ssize_t, hits=cython.Py_ssize_t,
               n_looked=cython.Py_ssize_t, n_ev=cython.Py_ssize_t)
cpdef list _proposal_features(results, props, questions, code_questions, context_words, code_terms, clause_words)


@cython.locals(e_starts=list, e_ends=list, k=cython.Py_ssize_t, lo=cython.Py_ssize_t)
cpdef tuple _clause_bounds(str sentence, Py_ssize_t start, Py_ssize_t end, tuple parts=*)

# A mention's role, further cues and clause window, uncached (_mention_cues_in calls them directly): positions
# as C integers, the characters tested against _LETTERS as C switches
@cython.locals(out=list, words=list, lo0=cython.Py_ssize_t, k=cython.Py_ssize_t, j=cython.Py_ssize_t,
               n=cython.Py_ssize_t, lo=cython.Py_ssize_t, hi=cython.Py_ssize_t)
cpdef tuple _role_in(str sentence, Py_ssize_t start, Py_ssize_t end, tuple parts, tuple cues)

@cython.locals(out=list, ws=cython.Py_ssize_t, we=cython.Py_ssize_t, n=cython.Py_ssize_t, low=str, word=str,
               nxt=list, before=list, j=cython.Py_ssize_t, head_end=cython.Py_ssize_t, lo=cython.Py_ssize_t,
               hi=cython.Py_ssize_t, clo=cython.Py_ssize_t, chi=cython.Py_ssize_t, tail=str, k=cython.Py_ssize_t,
               t2=str)
cpdef tuple _extra_in(str sentence, Py_ssize_t start, Py_ssize_t end, tuple bounds, tuple parts, tuple cues)

@cython.locals(lo=cython.Py_ssize_t, hi=cython.Py_ssize_t, left=list, right=list, out=list, side=dict)
cpdef tuple _window_in(str sentence, Py_ssize_t start, Py_ssize_t end, tuple bounds, tuple parts)

@cython.locals(memo=dict, key=tuple, got=tuple)
cpdef tuple _clause_names(mask, neg)

cpdef bint _holds_any(str text, tuple words)
