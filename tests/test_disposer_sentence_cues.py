"""The disposer's per-sentence cue index gives what scanning each mention's stretches gives.

The mention cues (:func:`nlp.disposer_features._mention_role`, ``_mention_extra``) and the sentence markers
read the cue lists and the negation words of stretches of a sentence (the mention's clause, list item, header,
the rest after it). They read them from one index of the sentence's cue occurrences (``_sentence_cues``,
``_span_scan``) instead of lower-casing and scanning " " + stretch + " " per mention. These tests compare with
the straightforward per-mention computation (the reference functions below, which scan each stretch) on
random sentences with several mentions: cues in upper and lower case, cut at the stretch's edges, cues that
use the stretch's padding spaces ("ska ", "avser "), negation words, clause words, list punctuation, and the
characters whose lower case is longer ("İ") or depends on the neighbours ("Σ").
"""
from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import nlp.disposer_features as F

_CUES = sorted({c for _, stems in F._MARKER_LISTS for c in stems})
_PIECES = st.one_of(
    st.sampled_from(_CUES), st.sampled_from(_CUES).map(str.upper), st.sampled_from(_CUES).map(lambda c: c[1:]),
    st.sampled_from(_CUES).map(lambda c: c[:-1]), st.sampled_from(F._NEG), st.sampled_from(sorted(F.PLACE_PREPS)),
    st.sampled_from([" ", " ", " ", ",", ";", ":", "(", ")", ".", "-", " men ", " och ", " som ", "men", "Men ",
                     "teamets", "team", "i alla", "hos oss", "grannkommun", "inte bara", "İ", "Σ", "ΑΣ ", "é", "x",
                     "9", "skulle vilja", "ska", "avser", "ligger", " bara", "  minst", "endast ", "\n", "_", "٣",
                     "\t", "enbart", "(pausat", "Hemsjukvården", "och", "ÅTTA", "1234", "vården"]))
_SENTENCES = st.lists(_PIECES, min_size=1, max_size=16).map("".join)


def _stretch(sentence: str, a: int, b: int) -> str:
    return " " + sentence[a:b].lower() + " "


def _plain_scan(sentence: str, a: int, b: int) -> tuple[int, bool]:
    t = _stretch(sentence, a, b)
    return F._lists_mask(t), F._NEG_RX.search(t) is not None


def _plain_role(sentence: str, start: int, end: int) -> tuple:
    """_mention_role as a scan of the mention's clause (the clause text's _clause_markers)."""
    out = list(F._mention_role.__wrapped__(sentence, start, end))
    lo = max(sentence.rfind(",", 0, start), sentence.rfind(";", 0, start), sentence.rfind(":", 0, start))
    hi = len(sentence)
    for p in (sentence.find(",", end), sentence.find(";", end)):
        if 0 <= p < hi:
            hi = p
    clause = F._clause_markers.__wrapped__(sentence[lo + 1:hi])
    roles = [k for k in out if not k.endswith("_clause")]
    return (*roles, *clause)


def _plain_extra(sentence: str, start: int, end: int, bounds=None) -> tuple:
    """_mention_extra as it was written before the cue index: every stretch lower-cased and scanned."""
    out: list[str] = []
    parts = F._sentence_parts(sentence)
    ws = start
    while ws > 0 and sentence[ws - 1] in F._LETTERS:
        ws -= 1
    we = end
    while we < len(sentence) and (sentence[we] in F._LETTERS or sentence[we] == "-"):
        we += 1
    word = sentence[ws:we].lower()
    if len(word) > 4 and word.endswith(F._GENITIVE_ENDS) and not sentence[we:we + 1] in (".", ",", ";", ":"):
        nxt = F._words_in(parts, sentence, we, we + 30)
        if nxt and nxt[0] not in F.PLACE_PREPS and nxt[0] not in ("och", "eller", "som", "har", "är", "ska"):
            out.append("r_genitive")
    before = F._words_in(parts, sentence, max(0, ws - 60), ws)
    j = len(before) - 1
    while j >= 0 and before[j] in F._NP_FILLERS:
        j -= 1
    if j >= 0 and before[j] in F._PREV_WORDS:
        out.append("prev=" + before[j])
    head_end = max(sentence.rfind(":", 0, ws), -1)
    if head_end > 0:
        head = " " + sentence[:head_end].lower() + " "
        if F._NEG_RX.search(head) or F._lists_mask(head) & F._DELAY_STOP_DISCUSS:
            out.append("r_header_neg")
        out.append("r_after_colon")
    lo = max(sentence.rfind(",", 0, ws), sentence.rfind(";", 0, ws), sentence.rfind(":", 0, ws), head_end)
    hi = len(sentence)
    for p in (sentence.find(",", we), sentence.find(";", we), sentence.find(".", we)):
        if 0 <= p < hi:
            hi = p
    if sentence.find("(", lo + 1, hi) >= 0:
        item = " " + sentence[lo + 1:hi].lower() + " "
        if F._lists_mask(item) & F._DELAY_STOP or F._NEG_RX.search(item):
            out.append("r_item_paren_neg")
    clo, chi = F._clause_bounds(sentence, ws, we) if bounds is None else bounds
    if F._lists_mask(" " + sentence[clo:chi].lower() + " ") & F._BIT["m_wish"]:
        out.append("r_wish_clause")
    tail = " " + sentence[we:].lower() + " "
    k = tail.find(" men ")
    if k >= 0:
        t2 = tail[k:]
        if F._NEG_RX.search(t2) or F._lists_mask(t2) & F._DELAY_STOP:
            out.append("r_men_neg_after")
            if any(w in t2 for w in F._PARTIAL):
                out.append("r_men_neg_partial")
            if any(w in t2 for w in F._US):
                out.append("r_men_neg_us")
            if any(w in t2 for w in F._ELSEWHERE):
                out.append("r_men_neg_elsewhere")
    return tuple(out)


def _plain_window(sentence: str, start: int, end: int, bounds) -> tuple:
    lo, hi = bounds
    parts = F._sentence_parts(sentence)
    left = F._words_in(parts, sentence, lo, start)[-F.CLAUSE_WINDOW:]
    right = F._words_in(parts, sentence, end, hi)[:F.CLAUSE_WINDOW]
    return tuple(dict.fromkeys(["L=" + w[:F._STEM_LEN] for w in left] + ["R=" + w[:F._STEM_LEN] for w in right]))


def _plain_markers(sentence: str) -> tuple:
    found, neg = F._cue_scan.__wrapped__(sentence)
    return (*found, *(["m_neg"] if neg else []), *(["m_number"] if F._DIGIT.search(sentence) else []))


def _clear() -> None:
    for name in ("_sentence_parts", "_sentence_cues", "_sentence_markers", "_cue_scan", "_clause_markers"):
        getattr(F, name).cache_clear()


def _check_sentence(sentence: str, spans: list[tuple[int, int]]) -> None:
    _clear()
    n = len(sentence)
    cues = F._sentence_cues(sentence)
    for a in range(-2, n + 3):
        ends = range(a - 1, n + 3) if a <= 1 or n <= 30 else {a - 1, a, a + 1, a + 2, a + 4, a + 7, a + 12, n, n + 2}
        for b in ends:
            assert F._span_scan(cues, sentence, a, b) == _plain_scan(sentence, a, b), (sentence, a, b)
    assert F._sentence_parts(sentence)[2] == [w.lower() for w in F._WORD.findall(sentence)]
    assert F._sentence_stems.__wrapped__(sentence) == F._stems(sentence)  # (from the words as written)
    assert F._sentence_markers.__wrapped__(sentence) == _plain_markers(sentence)
    for start, end in spans:
        assert F._mention_role.__wrapped__(sentence, start, end) == _plain_role(sentence, start, end)
        assert F._mention_extra.__wrapped__(sentence, start, end) == _plain_extra(sentence, start, end)
        bounds = F._clause_bounds(sentence, start, end)
        assert (F._mention_extra.__wrapped__(sentence, start, end, bounds)
                == _plain_extra(sentence, start, end, bounds))
        roles, window = F._mention_cues.__wrapped__(sentence, start, end, True)
        assert roles == _plain_role(sentence, start, end) + _plain_extra(sentence, start, end, bounds)
        assert window == _plain_window(sentence, start, end, bounds)


@st.composite
def _sentence_and_mentions(draw):
    sentence = draw(_SENTENCES)
    n = len(sentence)
    spans = []
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, n))
        spans.append((start, draw(st.integers(start, n))))
    return sentence, spans


_EXAMPLES = [
    ("Vi ska införa TEAM, men inte hos oss (pausat) ", [(14, 18)]),
    ("Detta har inte gjorts: mobila team och SIP; avser hösten", [(23, 34), (39, 42)]),
    ("Teamets lokaler ligger i İstanbul och ΑΣ skulle vilja införa team", [(0, 7), (62, 66)]),
    ("bytt team men", [(5, 9)]),
    ("Inte bara team, ej\tendast_x; inget  minst(ingen", [(10, 14)]),
]


@settings(max_examples=150, deadline=None)
@given(_sentence_and_mentions())
@example(_EXAMPLES[0])
@example(_EXAMPLES[1])
@example(_EXAMPLES[2])
@example(_EXAMPLES[3])
@example(_EXAMPLES[4])
def test_mention_cues_from_the_sentence_index_are_the_per_mention_scans(case):
    sentence, spans = case
    _check_sentence(sentence, spans)


@settings(max_examples=60, deadline=None)
@given(_sentence_and_mentions())
@example(_EXAMPLES[0])
@example(_EXAMPLES[2])
@example(_EXAMPLES[4])
def test_the_cue_index_without_the_automaton_is_the_same(case):
    sentence, spans = case
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(F, "_CUE_AUTOMATON", None)  # pyahocorasick missing: the regex scans
        _check_sentence(sentence, spans)
    _clear()


def test_a_sentence_whose_lower_case_moves_or_depends_on_neighbours_has_no_index():
    for s in ("İnte team", "ΑΣ team", "ΣΑ inte"):
        F._sentence_parts.cache_clear()
        F._sentence_cues.cache_clear()
        assert F._sentence_cues(s)[0] is None
        assert F._span_scan(F._sentence_cues(s), s, 0, len(s)) == _plain_scan(s, 0, len(s))
    F._sentence_cues.cache_clear()
    assert F._sentence_cues("Inte Team, SKA ")[0] == "inte team, ska "


def test_cues_that_use_the_stretch_padding_count_only_at_its_edges():
    s = "vi ska, avser"
    cues = F._sentence_cues(s)
    plan = F._BIT["m_plan"]
    assert F._span_scan(cues, s, 0, 6)[0] & plan  # " vi ska " holds "ska "
    assert not F._span_scan(cues, s, 0, 5)[0] & plan  # " vi sk "
    assert F._span_scan(cues, s, 8, 13)[0] & plan  # " avser "
    assert F._span_scan(cues, s, 0, 13)[0] & plan


def test_the_sentence_scan_skips_to_the_first_letters_of_the_clause_words():
    # _scan_parts only tries the clause words after a space followed by one of their first letters
    assert {w[0] for w in F._EDGE_WORDS} == set("demos")
