"""The tokenizer's fast path for chunks of letters only (nlp.components._letters_fast_tokenizer).

get_nlp()'s tokenizer answers "no prefix, suffix, infix or URL" for a text of letters only without running
spaCy's patterns. That is exact only because no alternative of those patterns can match such a text; this
file proves it from the parsed patterns, checks that the fast path is installed only for the patterns it was
proven for, and compares the tokens with the plain tokenizer's on every corpus at hand and on generated text.
"""
from __future__ import annotations

import bisect
import json
import re
import re._constants as C  # type: ignore[import-not-found]
import re._parser as P  # type: ignore[import-not-found]
from functools import lru_cache, partial
from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.attrs import ORTH

from nlp import components
from nlp.components import PROVEN_PATTERNS, SUFFIX_RUNS, SUFFIX_WIDTH, affix_patterns_digest, get_nlp
from nlp.lang_sv.abbreviations import variants
from nlp.disposer_training import HELD_OUT as HELD_OUT_SETS
from nlp.normalise import normalise_breaks

ROOT = Path(__file__).resolve().parents[1]
EVAL_DIR = ROOT / "data" / "eval"
HELD_OUT = {f"{name}.jsonl" for name in HELD_OUT_SETS}  # the held-out checks: never read here


# --- the proof -------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _letters() -> list[int]:
    """Every code point whose character is a letter by str.isalpha (what the fast path tests), sorted."""
    return [o for o in range(0x110000) if chr(o).isalpha()]


def _has_letter(lo: int, hi: int) -> bool:
    letters = _letters()
    k = bisect.bisect_left(letters, lo)
    return k < len(letters) and letters[k] <= hi


def _class_may_match_letter(items, flags: int) -> bool:
    """Whether a character class (parsed IN items) may match a letter; True whenever unsure."""
    if flags & re.IGNORECASE:
        return True
    for op, av in items:
        if op is C.LITERAL:
            if chr(av).isalpha():
                return True
        elif op is C.RANGE:
            if _has_letter(*av):
                return True
        else:  # NEGATE, CATEGORY (\w, \d, ...), anything else
            return True
    return False


def _never_matches_letters(seq, flags: int) -> bool:
    """True when the parsed sequence cannot match at any position of a text of letters only: one of its
    mandatory parts consumes, or looks around for, a character that cannot be a letter (a look-behind or
    look-ahead also fails at the text's edge). Unknown constructs count as possible matches."""
    for op, av in seq:
        if op is C.LITERAL:
            if not chr(av).isalpha() and not flags & re.IGNORECASE:
                return True
        elif op is C.IN:
            if not _class_may_match_letter(av, flags):
                return True
        elif op is C.ASSERT:  # positive look-behind or look-ahead
            if _never_matches_letters(av[1], flags):
                return True
        elif op is C.SUBPATTERN:
            _group, add_flags, _del_flags, sub = av
            if _never_matches_letters(sub, flags | add_flags):
                return True
        elif op is C.BRANCH:
            if all(_never_matches_letters(alt, flags) for alt in av[1]):
                return True
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, _high, sub = av
            if low >= 1 and _never_matches_letters(sub, flags):
                return True
    return False


def _pattern_never_matches_letters(pattern: re.Pattern) -> bool:
    parsed = P.parse(pattern.pattern, pattern.flags)
    return _never_matches_letters(parsed, parsed.state.flags)


def _suffix_shape(pattern: re.Pattern):
    """(widest bounded alternative, characters of the run alternatives "cc+$") of a suffix pattern whose every
    alternative ends with "$", or None when an alternative has another shape."""
    parsed = P.parse(pattern.pattern, pattern.flags)
    if parsed.state.flags & re.MULTILINE:
        return None
    alts = parsed[0][1][1] if len(parsed) == 1 and parsed[0][0] is C.BRANCH else [parsed]
    width, runs = 0, set()
    for alt in alts:
        items = list(alt)
        if not items or items[-1] != (C.AT, C.AT_END):
            return None
        _lo, hi = alt.getwidth()
        if hi < P.MAXWIDTH:
            width = max(width, hi)
            continue
        if (len(items) == 3 and items[0][0] is C.LITERAL and items[1][0] is C.MAX_REPEAT
                and items[1][1][:2] == (1, C.MAXREPEAT) and list(items[1][1][2]) == [items[0]]):
            runs.add(chr(items[0][1]))
            continue
        return None
    return width, runs


def _plain_tokenizer():
    """get_nlp()'s tokenizer as it was before the fast path: spacy.blank("sv") + the abbreviations."""
    nlp = spacy.blank("sv")
    for abbr in variants():
        nlp.tokenizer.add_special_case(abbr, [{ORTH: abbr}])
    return nlp.tokenizer


def test_the_four_patterns_never_match_a_text_of_letters():
    tok = spacy.blank("sv").tokenizer
    for fn in (tok.prefix_search, tok.suffix_search, tok.infix_finditer, tok.url_match):
        assert _pattern_never_matches_letters(fn.__self__), fn
    # the fast path is tied to exactly these patterns
    assert affix_patterns_digest(tok) == PROVEN_PATTERNS


def test_the_proof_finds_patterns_that_can_match_letters():
    for source in (r"(?:km|m)$", r"[a-z]+$", r"^\w", r"(?i)^US\$|^a", r"(?<![0-9])x", r"[^,]", r"(?=a)"):
        assert not _pattern_never_matches_letters(re.compile(source)), source
    for source in (r"(?<=[0-9])(?:km|m)$", r"[,.;]$", r"^US\$", r"(?<=[a-z])-(?=[a-z])", r"\.\.+|…"):
        assert _pattern_never_matches_letters(re.compile(source)), source


def test_suffix_matches_start_in_the_last_characters_or_a_run_of_dots():
    shape = _suffix_shape(spacy.blank("sv").tokenizer.suffix_search.__self__)
    assert shape is not None
    width, runs = shape
    assert width <= SUFFIX_WIDTH and runs <= set(SUFFIX_RUNS)
    # the shape test itself
    assert _suffix_shape(re.compile(r"a$|bcd$|\.\.+$")) == (3, {"."})
    assert _suffix_shape(re.compile(r"a$|[a-z]+$")) is None
    assert _suffix_shape(re.compile(r"a$|b")) is None


_SUFFIX_PIECES = st.sampled_from(["a", "Å", "km", "m", "5", "19", ".", "..", "…", ",", "°C", "°F", "US$", "$", "€",
                                  "%", "'s", "’", "”", ")", "(", "-", "+", "!", "?", "\n", "x.", "A.", "²", "😀"])


@settings(max_examples=800, deadline=None)
@given(st.lists(_SUFFIX_PIECES, min_size=1, max_size=10).map("".join))
def test_suffix_callback_finds_the_patterns_match(text):
    search = _plain_tokenizer_cached().suffix_search
    got, want = components._suffix_search(search, text), search(text)
    assert (got and got.span()) == (want and want.span())


# --- where the fast path is used ---------------------------------------------------------------------

def test_get_nlp_skips_the_patterns_for_letters_only(monkeypatch):
    tok = get_nlp().tokenizer
    calls = []
    search = tok.suffix_search
    assert isinstance(search, partial)
    # the callbacks give the patterns' answers, without calling them for letters only
    real = search.args[0]
    fake = partial(components._search_unless_letters, lambda s: calls.append(s) or real(s))
    assert fake("sjukvården") is None and calls == []
    assert fake("sjukvården,").group() == "," and calls == ["sjukvården,"]
    assert search("sjukvården") is None and search("x.").group() == "."
    assert tok.suffix_search.func is components._suffix_search
    assert search("sjukvården.....").group() == "....." and search("sjukvården...").group() == "..."
    assert [m.group() for m in tok.infix_finditer("och/eller")] == ["/"]
    assert tuple(tok.infix_finditer("hemtjänsten")) == ()
    assert tok.url_match("www.example.se") and tok.url_match("example") is None


def test_other_patterns_keep_the_tokenizers_own_callbacks():
    nlp = spacy.blank("sv")
    nlp.tokenizer.suffix_search = re.compile(r"(?:ning)$").search  # could split a text of letters
    assert components._letters_fast_tokenizer(nlp.tokenizer) is nlp.tokenizer
    nlp = spacy.blank("sv")
    fast = components._letters_fast_tokenizer(nlp.tokenizer)
    assert fast is not nlp.tokenizer and fast.rules == nlp.tokenizer.rules


def test_get_nlp_builds_the_tokenizer_of_the_three_steps_once():
    """get_nlp() builds its tokenizer in spaCy's tokenizer factory (nlp.components.sv_tokenizer): the same
    rules in the same order, patterns, callbacks and settings as spacy.blank("sv") + one add_special_case per
    abbreviation + _letters_fast_tokenizer gave."""
    tok = get_nlp().tokenizer
    old = components._letters_fast_tokenizer(_plain_tokenizer())
    assert list(tok.rules.items()) == list(old.rules.items())
    # (the vocabulary apart: get_nlp()'s holds the strings of whatever this process tagged before)
    assert tok.to_bytes(exclude=["vocab"]) == old.to_bytes(exclude=["vocab"])
    for name in ("prefix_search", "suffix_search", "infix_finditer", "url_match"):
        new_fn, old_fn = getattr(tok, name), getattr(old, name)
        # the same callback on an equal pattern (re's compile cache may hand out another object for it in a
        # process that compiled many patterns since)
        assert new_fn.func is old_fn.func and new_fn.__self__ == old_fn.__self__
    assert (tok.token_match, tok.faster_heuristics, tok.max_cache_size) == (None, True, 10000)
    text = "Hej vården, t.ex. 5km... www.exempel.se (bl.a. SIP-samordnare) och/eller 1177:s fr.o.m. v.g."
    assert _tokens(tok(text)) == _tokens(old(text))


# --- same tokens as the plain tokenizer ----------------------------------------------------------------

def _tokens(doc):
    return [(t.text, t.idx, t.whitespace_) for t in doc]


def _assert_same(texts):
    fast, plain = get_nlp().tokenizer, _plain_tokenizer()
    n = 0
    for text in texts:
        for t in (text, normalise_breaks(text)[0]):
            assert _tokens(fast(t)) == _tokens(plain(t)), t
            n += 1
    return n


def _jsonl_texts(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.append(row.get("text") or "")
    return out


def test_same_tokens_on_dev_gold_and_eval_sets(shared_dir):
    texts = _jsonl_texts(shared_dir / "data" / "dev_gold.jsonl")
    for path in sorted(EVAL_DIR.glob("*.jsonl")):
        if path.name not in HELD_OUT:
            texts += _jsonl_texts(path)
    assert len(texts) > 1000
    assert _assert_same(texts) == 2 * len(texts)


def test_same_tokens_on_bench_passages():
    from bench.corpus import iter_passages

    texts = [p["text"] for p in iter_passages(150_000)]
    assert _assert_same(texts) == 2 * len(texts)


_PIECES = st.sampled_from([
    " ", "  ", "\n", "\t", ",", ".", "...", "…", ";", ":", "!", "?", "-", "–", "—", "/", "(", ")", "[", "]",
    '"', "'", "”", "»", "«", "%", "$", "€", "kr", "§", "+", "*", "&", "#", "@", "=", "<", ">", "_", "°C", "²",
    "0", "1", "19", "2023", "3,5", "10%", "km", "kg", "m", "US$", "http://", "https://", "www.", ".se", ".com",
    "/a/b", "anna@exempel.se", "bl.a.", "t.ex.", "m.m.", "bl a", "osv.", "St.", "SIP", "SIP:ar", "e-post",
    "covid-19", "vård", "Vården", "ÅÄÖ", "åäö", "hemsjukvårdsteamet", "x", "E", "é", "ü", "ß", "😀", "👍🏽",
    "™", "©", "→", "ⓐ", "ª", "中文", "Ωμέγα", "дом", "\u00ad", "\u200b", ":)", ";-)", "<3", "a.b", "A.B.",
])


@settings(max_examples=600, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=14).map("".join))
def test_same_tokens_on_generated_text(text):
    fast, plain = get_nlp().tokenizer, _plain_tokenizer_cached()
    assert _tokens(fast(text)) == _tokens(plain(text))


@settings(max_examples=400, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_same_tokens_on_any_text(text):
    fast, plain = get_nlp().tokenizer, _plain_tokenizer_cached()
    assert _tokens(fast(text)) == _tokens(plain(text))


@lru_cache(maxsize=1)
def _plain_tokenizer_cached():
    return _plain_tokenizer()


@pytest.mark.parametrize("word", ["vården", "Hemsjukvårdsteamet", "ÅÄÖ", "Ωμέγα", "中文", "ª", "ß"])
def test_letters_only_chunks_are_one_token(word):
    assert [t.text for t in get_nlp().tokenizer(word)] == [word]


def test_the_tokenizer_still_serialises():
    """spaCy writes a tokenizer's callbacks as their ``__self__.pattern``: the fast callbacks give the patterns
    they stand for, and a tokenizer read back (plain callbacks) or unpickled tokenises the same."""
    import pickle

    tok = get_nlp().tokenizer
    assert affix_patterns_digest(tok) == PROVEN_PATTERNS
    text = "Hej vården, t.ex. 5km... www.exempel.se (bl.a. SIP-samordnare) och/eller 1177:s"
    back = spacy.blank("sv").tokenizer.from_bytes(tok.to_bytes())
    assert _tokens(back(text)) == _tokens(tok(text))
    assert _tokens(pickle.loads(pickle.dumps(tok))(text)) == _tokens(tok(text))
