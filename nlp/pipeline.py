"""Swedish NLP pipeline: normalisation, tokens, lemmas, segments and compound parts.

Built on `spacy.blank("sv")` with two components:

- ``sv_lemmatizer``: sets ``token.lemma_`` from simplemma (Swedish) with domain exceptions
  (``nlp/lang_sv/lemma_exceptions.py``) and a compound fallback for unknown words
  ("patientkontraktet" -> "patientkontrakt"). Lemmas are lower-case, except acronyms (SIP, RSS).
- ``sv_segmenter``: sentence and list-item boundaries (``token.is_sent_start``); abbreviations
  ("bl.a.", "t.ex.", "m.m.") never end a sentence; every newline in the normalised text
  (a bullet, a list line, a paragraph) starts a new segment.

``Token._.parts`` gives the whole lemma plus its compound parts (["hemsjukvårdsteam",
"hemsjukvård", "team"]) for the Matcher: ``{"_": {"parts": {"INTERSECTS": ["team"]}}}``.

Use :func:`analyse` for answer texts: it normalises first (:func:`normalise`) and keeps the
offset map on each Doc, so :func:`segments` and :func:`original_span` report offsets into the
ORIGINAL text. No Streamlit here; all functions are pure (module-level caches only).
"""
from __future__ import annotations

import gc
import re
import unicodedata
from contextlib import contextmanager
from functools import lru_cache
from typing import Iterable, Iterator, Optional, Sequence, Union

import numpy
import spacy
from spacy.attrs import LEMMA, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from nlp.lang_sv.abbreviations import DOTTED, variants
from nlp.lang_sv.lemma_exceptions import LEMMA_EXCEPTIONS
from nlp.lang_sv.stop_words import STOP_WORDS

__all__ = [
    "PIPELINE_VERSION", "STOP_WORDS", "normalise", "get_nlp", "analyse", "segments", "segment_spans",
    "original_span", "original_offset", "lemma", "split_compound", "content_lemmas", "to_bytes",
    "from_bytes", "doc_to_bytes", "doc_from_bytes", "gc_paused",
]

# Bump whenever tokens, lemmas, segments or normalisation change: cached analyses are keyed on it.
PIPELINE_VERSION = "sv-1.0"

OffsetMap = list[int]



@contextmanager
def gc_paused():
    """Pause Python's cyclic garbage collector for a batch step (analysis, matching).

    These steps allocate millions of small acyclic objects (tuples, lists, features); every
    allocation threshold crossed would otherwise trigger collections that rescan the whole,
    large heap (1-2 s of a national corpus). Nothing here creates reference cycles that must
    be freed early; the collector is switched back on afterwards (if it was on).
    """
    was = gc.isenabled()
    if was:
        gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# --------------------------------------------------------------------------- normalisation

# word-, optional spaces, newline(s), optional spaces, next word
_HYPHEN_BREAK = re.compile(r"(?<=(\w))-[ ]*\n[ \n]*(?=(\w+))")
_BULLET_LINE = re.compile(
    r"(?:^|\n)[ ]*(?:[•●○◦▪▫■□➢➤►▶✓✔·*\-–—]|\(?\d{1,2}[.)]|\(?[a-zA-Z][)])(?=[ ]+\S)[ ]*"
)
_BULLET_INLINE = re.compile(r"[•●○◦▪■➢➤►▶✓✔][ ]*")
_BULLET_CHARS = re.compile(r"[•●○◦▪■➢➤►▶✓✔]")
_LINE_START_BULLET = re.compile(r"[ ]*(?:[•●○◦▪▫■□➢➤►▶✓✔·*\-–—]|\(?\d{1,2}[.)]|\(?[a-zA-Z][)])(?=[ ]+\S)")
_HYPHEN_GATE = re.compile(r"-[ ]*\n")
# glued footnote digits: found as digit runs (fast), context checked in _footnote_repl
_DIGITS = re.compile(r"\d(?<=[a-zåäö.)]\d)\d?(?!\d)")
_SPACES = re.compile(r"[ ]{2,}")
# line breaks, soft hyphens/zero-width, control characters, no-break spaces and tabs in one pass
_SPECIAL_CHARS = re.compile(
    "[\r\u2028\u2029\x85\u00ad\u200b\u200c\u200d\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
    "\u00a0\u2000-\u200a\u202f\u205f\u3000\t]"
)


def _special_repl(m: re.Match) -> str:
    c = m.group(0)
    if c == "\r":
        return "" if m.string[m.end():m.end() + 1] == "\n" else "\n"
    if c in "\u2028\u2029\x85":
        return "\n"
    if c in "\u00ad\u200b\u200c\u200d\ufeff":
        return ""
    return " "

_NEWLINES = re.compile(r"[ ]?\n[ \n]*")


def _footnote_repl(m: re.Match) -> str:
    """Drop 1-2 digits glued to a word ("Patientkontrakt16", "(SIP).18"), keep other numbers.

    The regex only matches 1-2 digits right after a lower-case letter, '.' or ')'."""
    text, s, e = m.string, m.start(), m.end()
    lead = ""
    if e < len(text) and not (text[e].isspace() or text[e] in ".,;:)"):
        return m.group(0)
    before = text[max(0, s - 5):s]
    if len(before) == 5 and all("a" <= c <= "z" or c in "åäö" for c in before):
        return lead
    if (s >= 2 and text[s - 1] in ".)" and (text[s - 2].isalpha() or text[s - 2] in ".)")
            and (e == len(text) or text[e].isspace())):
        return lead
    return m.group(0)
_CONTINUE_WORDS = frozenset(
    "och eller samt men att som i på av till för med om från inom mellan under vid hos en ett den det de"
    " där när både än utan genom efter".split()
)


def _edit(text: str, pattern: re.Pattern, repl) -> tuple[str, Optional[list[int]]]:
    """Regex substitution that records only its edits, as offset breakpoints.

    Returns (new text, breakpoints ``[i0, d0, i1, d1, ...]``: new char i comes from old char
    i + d of the last breakpoint <= i; replacement char j maps to match char j, clamped to the
    match's last char), or (text, None) when nothing changed. Work is per match, not per char.
    """
    out: list[str] = []
    br: list[int] = [0, 0]
    pos = 0
    n_new = 0

    def put(i: int, d: int) -> None:
        if br[-2] == i:  # an empty piece before: overwrite it
            br[-1] = d
            if len(br) > 2 and br[-3] == d:
                del br[-2:]
        elif br[-1] != d:
            br.extend((i, d))

    for m in pattern.finditer(text):
        r = repl(m) if callable(repl) else repl
        s, e = m.span()
        if r == text[s:e]:
            continue
        out.append(text[pos:s])
        n_new += s - pos
        span1 = max(e - s - 1, 0)
        for j in range(len(r)):
            put(n_new + j, s + min(j, span1) - (n_new + j))
        out.append(r)
        n_new += len(r)
        pos = e
        put(n_new, pos - n_new)  # copied text after the match (and the end sentinel)
    if not out:
        return text, None
    out.append(text[pos:])
    return "".join(out), br


def _compose(local: list[int], prev: list[int]) -> list[int]:
    """Breakpoints of prev∘local (new -> older text through the old one); linear merge."""
    if not prev:
        return local
    out: list[int] = []
    k = 0  # index into prev (pairs), last breakpoint <= current old position
    np_ = len(prev)
    n_local = len(local)
    for q in range(0, n_local, 2):
        a, e = local[q], local[q + 1]
        b = local[q + 2] if q + 2 < n_local else None  # piece end (exclusive) in new indices
        old_a = a + e
        while k + 2 < np_ and prev[k + 2] <= old_a:
            k += 2
        d = prev[k + 1] if prev[k] <= old_a else 0
        if not out or out[-1] != e + d:
            out.extend((a, e + d))
        kk = k + 2
        while kk < np_ and (b is None or prev[kk] < b + e):
            i_new = prev[kk] - e
            if out[-1] != e + prev[kk + 1]:
                out.extend((i_new, e + prev[kk + 1]))
            kk += 2
    return out


def _canonical(br: Optional[list[int]]) -> list[int]:
    """[] for the identity map, else breakpoints starting at 0 with no repeated delta."""
    if not br or not any(br[1::2]):
        return []
    out = [br[0], br[1]]
    for q in range(2, len(br), 2):
        if br[q + 1] != out[-1]:
            if br[q] == out[-2]:
                out[-1] = br[q + 1]
            else:
                out.extend((br[q], br[q + 1]))
    return out


def _expand(br: list[int], n: int) -> OffsetMap:
    """Breakpoints -> the full offset map (n + 1 entries)."""
    if not br:
        return list(range(n + 1))
    idx = numpy.asarray(br[0::2], dtype=numpy.int64)
    delta = numpy.asarray(br[1::2], dtype=numpy.int64)
    lengths = numpy.diff(numpy.append(idx, n + 1))
    return (numpy.arange(n + 1, dtype=numpy.int64) + numpy.repeat(delta, lengths)).tolist()


def _hyphen_repl(m: re.Match) -> str:
    start = m.start()
    # left word: walk back from the hyphen
    text = m.string
    i = start
    while i > 0 and (text[i - 1].isalnum()):
        i -= 1
    left = text[i:start]
    right = m.group(2)
    if right.lower() in ("och", "eller", "samt", "respektive"):
        return "- "
    if len(left) >= 2 and left.isupper():
        return "-"
    if right[:1].isupper() or right[:1].isdigit():  # "Region-\nSkåne" style: keep a real hyphen
        return "-"
    return ""


def _newline_repl(m: re.Match) -> str:
    """A single line break inside a sentence (PDF wrap) becomes a space; others a boundary."""
    text = m.string
    if m.group(0).count("\n") > 1:
        return "\n"
    before = text[max(0, m.start() - 60): m.start()].rstrip()
    after = text[m.end(): m.end() + 2]
    if not before or not after:
        return "\n"
    last = before[-1]
    if last in ".!?:;":
        return "\n"
    if after[0].islower() or after[0] in "(,":
        return " "
    if last == ",":
        return " "
    tail = before.rsplit(None, 1)[-1].lower()
    if tail in _CONTINUE_WORDS:
        return " "
    return "\n"


def normalise(text: str) -> tuple[str, OffsetMap]:
    """Normalise an answer text for analysis and return (normalised, offset map).

    NFC; soft hyphens and zero-width characters removed; words hyphenated across line breaks
    joined ("egenmonito-\\nrering" -> "egenmonitorering", but "SIP-\\nsamordnare" ->
    "SIP-samordnare" and "hälso-\\noch" -> "hälso- och"); bullets (•, -, *, –, "1.", "a)") and
    list lines become segment boundaries ("\\n"); a single line break inside a sentence becomes a
    space; glued footnote digits dropped ("Patientkontrakt16"); whitespace runs collapsed.

    The offset map has one entry per normalised character (its index in the original text)
    plus one past the end (len(text)), so ``text[omap[i]]`` is where normalised char i came from.
    """
    t, breaks = _normalise(text)
    return t, _expand(breaks, len(t))


def _normalise(text: str) -> tuple[str, list[int]]:
    """:func:`normalise` with the offset map as breakpoints (see :func:`_compress_map`)."""
    if not text:
        return "", []
    br: list[int] = []
    nfc = unicodedata.normalize("NFC", text) if not text.isascii() else text
    if nfc != text:  # NFC can change length: map each NFC char to its source by char-runs (rare)
        omap: OffsetMap = []
        parts: list[str] = []
        i = 0
        n = len(text)
        while i < n:
            j = i + 1
            while j < n and unicodedata.combining(text[j]):
                j += 1
            piece = unicodedata.normalize("NFC", text[i:j])
            parts.append(piece)
            omap.extend([i] * len(piece))
            i = j
        nfc = "".join(parts)
        omap.append(len(text))
        br = _compress_map(omap)
    t = nfc

    def step(pattern: re.Pattern, repl) -> None:
        nonlocal t, br
        t, local = _edit(t, pattern, repl)
        if local is not None:
            br = _canonical(_compose(local, br))

    if _SPECIAL_CHARS.search(t):
        step(_SPECIAL_CHARS, _special_repl)
    if "\n" in t and _HYPHEN_GATE.search(t):
        step(_HYPHEN_BREAK, _hyphen_repl)
    if "\n" in t or _LINE_START_BULLET.match(t):
        step(_BULLET_LINE, lambda m: "\n\n" if m.start() > 0 or m.group(0).startswith("\n") else "")
    if _BULLET_CHARS.search(t):
        step(_BULLET_INLINE, "\n\n")  # double newline = hard boundary
    step(_DIGITS, _footnote_repl)
    if "  " in t:
        step(_SPACES, " ")
    if "\n" in t:
        step(_NEWLINES, _newline_repl)
    # strip leading/trailing whitespace
    lead = len(t) - len(t.lstrip())
    trail = len(t) - len(t.rstrip())
    if lead or trail:
        end = len(t) - trail
        n_new = end - lead
        if n_new <= 0:
            return "", []
        local = [0, lead]
        if trail:  # the end sentinel: one past the last kept char
            last = _offset(br, end - 1) + 1
            local = _compose(local, br)
            t = t[lead:end]
            local = [x for q in range(0, len(local), 2) if local[q] < n_new for x in local[q:q + 2]]
            local.extend((n_new, last - n_new))
            return t, _canonical(local)
        t = t[lead:end]
        br = _canonical(_compose(local, br))
    return t, br


def _compress_map(omap: OffsetMap) -> list[int]:
    """Offset map -> flat breakpoints [i0, delta0, i1, delta1, ...] (delta = orig - norm)."""
    import numpy

    arr = numpy.asarray(omap, dtype=numpy.int64)
    delta = arr - numpy.arange(len(arr), dtype=numpy.int64)
    if not delta.any():
        return []
    idx = numpy.concatenate(([0], numpy.flatnonzero(numpy.diff(delta)) + 1))
    out = numpy.empty(2 * len(idx), dtype=numpy.int64)
    out[0::2] = idx
    out[1::2] = delta[idx]
    return out.tolist()


def _offset(breaks: Sequence[int], i: int) -> int:
    if not breaks:
        return i
    # last breakpoint with index <= i: binary search over the even (index) positions
    lo, hi = 0, len(breaks) // 2
    while lo < hi:
        mid = (lo + hi) // 2
        if breaks[2 * mid] > i:
            hi = mid
        else:
            lo = mid + 1
    return i + (breaks[2 * lo - 1] if lo else 0)


# --------------------------------------------------------------------------- lemmas & compounds


@lru_cache(maxsize=1)
def _lemma_dict():
    """simplemma's Swedish form -> lemma dictionary (loaded once; ~1 M forms; decoded data cached on disk)."""
    from nlp.lang_sv.lemma_cache import sv_dictionary

    return sv_dictionary()


@lru_cache(maxsize=1)
def _raw_dict() -> Optional[dict]:
    """The bytes->bytes dict behind simplemma's mapping (fast membership), if it has one."""
    raw = getattr(_lemma_dict(), "_dict", None)
    return raw if isinstance(raw, dict) else None


def _known(form: str) -> bool:
    raw = _raw_dict()
    if raw is not None:
        return form.encode() in raw
    return form in _lemma_dict()


def _dict_get(form: str) -> Optional[str]:
    raw = _raw_dict()
    if raw is not None:
        v = raw.get(form.encode())
        return v.decode() if v is not None else None
    return _lemma_dict().get(form)


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


_LINKS = ("s", "e", "a", "")
_MIN_PART = 3
# Longer "words" (URLs, glued lists, garbage) are never split: keeps splitting linear in text size.
_MAX_COMPOUND_CHARS = 48


_LINK_SUFFIXES = ("ing", "het", "tion", "else", "skap", "itet", "ande", "ende", "ism", "ment", "sion")


def _mod_ok(mod: str, strict: bool, recurse: bool) -> int:
    """0 = known modifier, 1 = derivational suffix, 2 = itself a compound, -1 = not a modifier."""
    # (the compound case is normally evaluated lazily by _split_pass, with recurse=False)
    if strict:
        return 0 if _known(mod) and _simple_lemma(mod) == mod else -1
    if _known(mod):
        return 0
    if len(mod) >= 6 and mod.endswith(_LINK_SUFFIXES):
        return 1
    if recurse and len(mod) >= 7 and _split_plain(mod, strict=False) is not None:
        return 2
    return -1


@lru_cache(maxsize=200_000)
def _split_plain(w: str, strict: bool) -> Optional[tuple[str, str, str]]:
    """Best split of a lower-case word (see :func:`_split_pass`); modifiers that are themselves
    compounds are only tried when no simpler split exists."""
    return _split_pass(w, strict)


def _split_pass(w: str, strict: bool) -> Optional[tuple[str, str, str]]:
    """Best (modifier_lemma, modifier_surface, head_surface) split of a lower-case word, or None.

    Candidates: a known head (not a function word) and a modifier that is a known word, with an
    optional linking morpheme -s-, -e-, -a-. Preference: no/s link over e/a link, known modifier
    over derived one, then the shortest head (the head is the last element of a compound).
    """
    n = len(w)
    min_part = 4 if strict else _MIN_PART
    best: Optional[tuple[tuple[int, int, int], tuple[str, str, str]]] = None
    raw = _raw_dict()
    wb = w.encode()
    ascii_ = len(wb) == n  # else the suffix is encoded on its own (å, ä, ö are two bytes in UTF-8)
    deferred: list[tuple[int, str, str, str]] = []  # modifiers that may themselves be compounds
    for i in range(n - min_part, min_part - 1, -1):
        if raw is not None:
            if (wb[i:] if ascii_ else w[i:].encode()) not in raw:
                continue
            head = w[i:]
        else:
            head = w[i:]
            if not _known(head):
                continue
        head_lemma = _simple_lemma(head)
        if head_lemma in STOP_WORDS or len(head_lemma) < 3:
            continue
        mod_surface = w[:i]
        for link in _LINKS:
            if link:
                if (strict and link != "s") or not mod_surface.endswith(link):
                    continue
                mod = mod_surface[: -len(link)]
            else:
                mod = mod_surface
            if len(mod) < min_part:
                continue
            ok = _mod_ok(mod, strict, False)
            if ok < 0:
                if not strict and len(mod) >= 7:
                    deferred.append((1 if link in ("e", "a") else 0, mod, mod_surface, head))
                continue
            penalty = 1 if link in ("e", "a") else 0
            if penalty == 0 and ok == 0:
                return mod, mod_surface, head  # best possible: heads are tried shortest first
            score = (penalty, ok, len(head))
            if best is None or score < best[0]:
                best = (score, (mod, mod_surface, head))
    if best is None and deferred:
        # the best deferred candidate is the first (in order) with the lowest (penalty, head length)
        # whose modifier splits: try them in that order (stable sort) and stop at the first that does
        for penalty, mod, mod_surface, head in sorted(deferred, key=_deferred_order):
            if _split_plain(mod, False) is not None:
                return mod, mod_surface, head
    return best[1] if best else None


def _deferred_order(item: tuple[int, str, str, str]) -> tuple[int, int]:
    return item[0], len(item[3])


@lru_cache(maxsize=200_000)
def _split(word: str) -> Optional[tuple[str, str, str]]:
    """Memoised compound split: (modifier lemma, modifier surface incl. link/hyphen, head surface)."""
    if len(word) < 6 or not word[:1].isalpha():
        return None
    if "-" in word.strip("-"):
        left, _, right = word.rpartition("-")
        if len(left) >= 2 and len(right) >= 2 and right[:1].isalpha():
            mod = left if _is_acronym(left) else left.lower()
            return mod, left + "-", right
        return None
    if len(word) > _MAX_COMPOUND_CHARS:
        return None
    w = word.lower()
    if w in LEMMA_EXCEPTIONS:
        return None
    known = _known(w)
    if known and len(w) < 9:
        return None
    return _split_plain(w, strict=known)


def split_compound(word: str) -> list[str]:
    """Split a Swedish compound into [modifier, head] lemma parts; [] if it is not a compound.

    Uses simplemma's form dictionary as the word list and the linking morphemes -s-, -e-, -a-
    and a hyphen: "hemsjukvårdsteamet" -> ["hemsjukvård", "team"], "egenmonitoreringslösning" ->
    ["egenmonitorering", "lösning"], "SIP-samordnare" -> ["SIP", "samordnare"]. Memoised.
    """
    sp = _split(word)
    if sp is None:
        return []
    mod, _, head = sp
    return [mod, lemma(head)]


@lru_cache(maxsize=400_000)
def _simple_lemma(w: str) -> str:
    """simplemma lemma of a lower-case form, with exceptions (no compound fallback)."""
    exc = LEMMA_EXCEPTIONS.get(w)
    if exc is not None:
        return exc
    got = _dict_get(w)
    if got is not None:
        return got.lower() if not _is_acronym(got) else got
    return ""


@lru_cache(maxsize=400_000)
def lemma(word: str) -> str:
    """Lemma of one word: exceptions, then simplemma (Swedish), then compound fallback.

    Lower-case, except acronyms which keep their case ("SIP", "SIP:ar" -> "SIP").
    Hyphenated words keep the left part and lemmatise the right ("SIP-samordnarna" ->
    "SIP-samordnare"); unknown compounds lemmatise their head ("patientkontraktet" ->
    "patientkontrakt").
    """
    if not word or not any(c.isalpha() for c in word):
        return word
    if ":" in word[1:-1]:  # "SIP:ar", "SIP:en" -> "SIP"
        base = word.split(":", 1)[0]
        if _is_acronym(base):
            return base
    if _is_acronym(word):
        return word
    w = word.lower()
    exc = LEMMA_EXCEPTIONS.get(w)
    if exc is not None:
        return exc
    if ":" in w:  # "sip:ar" lower-case variants
        w = w.split(":", 1)[0]
    if "-" in w.strip("-"):
        sp = _split(word)
        if sp is not None:
            left, left_surface, head = sp
            return left_surface + lemma(head) if _is_acronym(left) else left_surface.lower() + lemma(head)
        return w
    got = _simple_lemma(w)
    if got:
        return got
    sp = _split(w)
    if sp is not None:
        _, mod_surface, head = sp
        return mod_surface + lemma(head)
    from nlp.lang_sv.lemma_cache import fallback_lemmatizer  # affix rules for unknown non-compounds

    try:
        out = fallback_lemmatizer().lemmatize(w, lang="sv")
    except Exception:  # pragma: no cover - simplemma is robust; stay safe on odd input
        out = w
    return out.lower() if out else w


def _parts_getter(token: Token) -> list[str]:
    lem = token.lemma_ or token.lower_
    if token.is_space or token.is_punct:
        return [lem]
    return [lem] + [p for p in split_compound(token.text) if p != lem]


# --------------------------------------------------------------------------- pipeline components

_TERMINALS = frozenset({".", "!", "?", "…", "...", "?!", "!!", "??"})
_CLOSERS = frozenset({'"', "”", "’", "'", ")", "»"})


def _batched(stream: Iterable[Doc], size: int) -> Iterator[list[Doc]]:
    batch: list[Doc] = []
    for doc in stream:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class _OrthMapped:
    """Base of components that map each surface form (orth id) to a cached value.

    ``pipe`` works on whole batches: the distinct forms of a batch are looked up once
    (numpy.unique), so the Python work is per distinct form, not per token.
    """

    dtype = "uint64"

    def __init__(self, nlp: Language):
        self.strings = nlp.vocab.strings
        self.cache: dict[int, int] = {}

    def _value(self, text: str) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    def _values(self, orths: numpy.ndarray) -> numpy.ndarray:
        uniq, inv = numpy.unique(orths, return_inverse=True)
        return self.values_of(uniq.tolist())[inv.reshape(-1)]

    def values_of(self, uniq: list[int]) -> numpy.ndarray:
        """The values of distinct orth ids (computed once per form, then cached)."""
        cache = self.cache
        get = cache.get
        vals = [get(o) for o in uniq]
        if None in vals:
            value, strings = self._value, self.strings
            for k, v in enumerate(vals):
                if v is None:
                    o = uniq[k]
                    v = vals[k] = cache[o] = value(strings[o])
        return numpy.asarray(vals, dtype=self.dtype)

    def _apply(self, doc: Doc, values: numpy.ndarray) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def __call__(self, doc: Doc) -> Doc:
        if len(doc):
            self._apply(doc, self._values(doc.to_array(ORTH)))
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        for batch in _batched(stream, batch_size):
            arrays = [d.to_array(ORTH) for d in batch]
            sizes = [len(a) for a in arrays]
            if sum(sizes):
                values = self._values(numpy.concatenate(arrays))
                pos = 0
                for d, n in zip(batch, sizes):
                    if n:
                        self._apply(d, values[pos:pos + n])
                    pos += n
            yield from batch


class SwedishLemmatizer(_OrthMapped):
    """spaCy component: token.lemma_ from :func:`lemma`, cached per surface form (orth id)."""

    def _value(self, text: str) -> int:
        return self.strings.add(lemma(text) if not text.isspace() else text)

    def _apply(self, doc: Doc, values: numpy.ndarray) -> None:
        doc.from_array([LEMMA], values.reshape(-1, 1))


class SwedishSegmenter(_OrthMapped):
    """spaCy component: sentence / list-item starts (token.is_sent_start).

    A token starts a segment when a newline (list item, paragraph, bullet) lies between it and
    the previous word, or when the previous word is . ! ? (possibly followed by a closing quote
    or parenthesis) and the token starts with a capital, a digit or a quote. Abbreviations are
    single tokens ("bl.a.") and so never end a segment.
    """

    # classes: 0 plain, 1 terminal punctuation, 2 newline whitespace, 3 other whitespace,
    # 4 closer (quote/parenthesis); bit 8 set when the token may start a sentence (Upper/digit)
    dtype = "int64"

    def _value(self, text: str) -> int:
        if text.isspace():
            return 2 if "\n" in text else 3
        if text in _TERMINALS:
            return 1
        if text in _CLOSERS:
            return 4
        c = text[0]
        return 8 if (c.isupper() or c.isdigit() or c in "\"”»'(–-•") else 0

    def _apply(self, doc: Doc, c: numpy.ndarray) -> None:
        out = sent_starts(c, numpy.zeros(1, dtype=numpy.int64))
        doc.from_array([SENT_START], out.reshape(-1, 1))


def sent_starts(c: numpy.ndarray, doc_starts: numpy.ndarray) -> numpy.ndarray:
    """SENT_START values (1 / -1 as uint64) from the segmenter classes of the tokens of one or
    more docs laid end to end; ``doc_starts`` holds the index of each doc's first token."""
    n = len(c)
    kind = c & 7
    starter = (c & 8) > 0
    is_space = (kind == 2) | (kind == 3)
    ar = numpy.arange(n)
    acc = numpy.maximum.accumulate(numpy.where(is_space, -1, ar))
    first = numpy.zeros(n, dtype=numpy.int64)  # index of the token's doc's first token
    if len(doc_starts) > 1:
        first[doc_starts[1:]] = numpy.diff(doc_starts)
        first = numpy.cumsum(first)
    prev = numpy.empty(n, dtype=numpy.int64)  # previous non-space token of the same doc, -1 if none
    prev[0] = -1
    prev[1:] = acc[:-1]
    prev[prev < first] = -1
    has_prev = prev >= 0
    pidx = numpy.where(has_prev, prev, 0)
    nlc = numpy.cumsum(kind == 2)
    nl_before = numpy.zeros(n, dtype=bool)
    if n > 1:
        # newline tokens between the previous word (or the doc start) and the token
        base = numpy.where(has_prev, nlc[pidx], numpy.where(first > 0, nlc[first - 1], 0))
        nl_before[1:] = (nlc[:-1] - base[1:]) > 0
    is_term = kind == 1
    # terminal state after a token: it is . ! ? or a closer right after one ('."', '.)')
    term_state = is_term | ((kind == 4) & has_prev & is_term[pidx])
    after_term = has_prev & term_state[pidx]
    start = ~is_space & (nl_before | (after_term & starter))
    start[doc_starts] = True
    return numpy.where(start, 1, -1).astype("int64").astype("uint64")


@Language.factory("sv_lemmatizer")
def _make_lemmatizer(nlp: Language, name: str) -> SwedishLemmatizer:
    return SwedishLemmatizer(nlp)


@Language.factory("sv_segmenter")
def _make_segmenter(nlp: Language, name: str) -> SwedishSegmenter:
    return SwedishSegmenter(nlp)


if not Token.has_extension("parts"):
    Token.set_extension("parts", getter=_parts_getter)


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The cached Swedish pipeline: spacy.blank("sv") + sv_lemmatizer + sv_segmenter."""
    nlp = spacy.blank("sv")
    for abbr in variants():
        nlp.tokenizer.add_special_case(abbr, [{ORTH: abbr}])
    nlp.add_pipe("sv_lemmatizer")
    nlp.add_pipe("sv_segmenter")
    _lemma_dict()  # load the dictionary now, not on the first unknown word
    return nlp


# --------------------------------------------------------------------------- public helpers


def analyse(texts: Iterable[str], batch_size: int = 256) -> list[Doc]:
    """Normalise and analyse texts; each Doc keeps its offset map (see :func:`original_span`)."""
    nlp = get_nlp()
    with gc_paused():
        normed: list[tuple[str, list[int]]] = []
        for text in texts:
            normed.append(_normalise(text or ""))
        docs = list(nlp.tokenizer.pipe((t for t, _ in normed), batch_size=batch_size))
        _annotate(nlp, docs)
        for doc, (_, breaks) in zip(docs, normed):
            if breaks:
                doc.user_data["offsets"] = breaks
    return docs


def _annotate(nlp: Language, docs: list[Doc]) -> None:
    """What ``sv_lemmatizer`` and ``sv_segmenter`` do, for all docs at once: lemma and segment
    class looked up once per distinct form of the whole batch, sentence starts in one numpy pass."""
    arrays = [d.to_array(ORTH) for d in docs]
    sizes = numpy.fromiter((len(a) for a in arrays), dtype=numpy.int64, count=len(arrays))
    if not sizes.sum():
        return
    orths = numpy.concatenate(arrays)
    uniq, inv = numpy.unique(orths, return_inverse=True)
    inv = inv.reshape(-1)
    uniq_l = uniq.tolist()
    lemmas = nlp.get_pipe("sv_lemmatizer").values_of(uniq_l)[inv]
    classes = nlp.get_pipe("sv_segmenter").values_of(uniq_l)[inv]
    bounds = numpy.zeros(len(sizes) + 1, dtype=numpy.int64)
    numpy.cumsum(sizes, out=bounds[1:])
    doc_starts = bounds[:-1][sizes > 0]
    arr = numpy.empty((len(orths), 2), dtype="uint64")
    arr[:, 0] = lemmas
    arr[:, 1] = sent_starts(classes, doc_starts)
    attrs = [LEMMA, SENT_START]
    for d, a, b in zip(docs, bounds[:-1].tolist(), bounds[1:].tolist()):
        if b > a:
            d.from_array(attrs, arr[a:b])


def original_offset(doc: Doc, i: int) -> int:
    """Index in the original text of normalised character index ``i`` of ``doc``."""
    return _offset(doc.user_data.get("offsets", ()), i)


def original_span(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Map a char span of the normalised ``doc.text`` to the original text."""
    breaks = doc.user_data.get("offsets", ())
    if end <= start:
        s = _offset(breaks, start)
        return s, s
    return _offset(breaks, start), _offset(breaks, end - 1) + 1


def segment_spans(doc: Doc) -> list[Span]:
    """Sentences and list items as Spans (whitespace trimmed; empty ones dropped)."""
    out: list[Span] = []
    for sent in doc.sents:
        s, e = sent.start, sent.end
        while s < e and doc[s].is_space:
            s += 1
        while e > s and doc[e - 1].is_space:
            e -= 1
        if e > s:
            out.append(doc[s:e])
    return out


def segments(doc: Doc) -> list[tuple[int, int]]:
    """Sentences / list items as (start, end) character spans in the ORIGINAL text."""
    return [original_span(doc, sp.start_char, sp.end_char) for sp in segment_spans(doc)]


_CONTENT_CACHE: dict[int, tuple[str, ...]] = {}


# Markup, URLs and code fragments ("alert(1)</script", "www.x.se/a") are not terms an analyst reads.
_NOT_A_WORD = re.compile(r"[<>(){}\[\]/\\=@#|]")


def _content_of(t: Token) -> tuple[str, ...]:
    """Content lemma + compound parts of one token; depends only on its text (cached per orth)."""
    got = _CONTENT_CACHE.get(t.orth)
    if got is not None:
        return got
    out: list[str] = []
    if not (t.is_space or t.is_punct or t.like_num):
        lem = t.lemma_
        low = lem.lower()
        if not (len(low) < 2 or low in STOP_WORDS or t.lower_ in STOP_WORDS or t.lower_ in DOTTED
                or not any(c.isalpha() for c in low) or _NOT_A_WORD.search(t.text)):
            out.append(lem)
            for p in split_compound(t.text):
                pl = p.lower()
                if p != lem and len(pl) >= 3 and pl not in STOP_WORDS:
                    out.append(p)
    res = tuple(out)
    if len(_CONTENT_CACHE) > 500_000:
        _CONTENT_CACHE.clear()
    _CONTENT_CACHE[t.orth] = res
    return res


def _content(tokens: Iterable[Token]) -> Iterator[str]:
    for t in tokens:
        yield from _content_of(t)


def content_lemmas(doc_or_span: Union[Doc, Span]) -> list[str]:
    """Lemmas plus compound parts, minus stop words, punctuation and numbers (for TF-IDF)."""
    if isinstance(doc_or_span, Span):
        doc, start, end = doc_or_span.doc, doc_or_span.start, doc_or_span.end
    else:
        doc, start, end = doc_or_span, 0, len(doc_or_span)
    if end <= start:
        return []
    orths = doc.to_array(ORTH)[start:end].tolist()
    cache = _CONTENT_CACHE
    out: list[str] = []
    for i, o in enumerate(orths):
        got = cache.get(o)
        if got is None:
            got = _content_of(doc[start + i])
        out.extend(got)
    return out


# --------------------------------------------------------------------------- serialisation

_FORMAT = 1


def to_bytes(docs: Sequence[Doc]) -> bytes:
    """Serialise analysed docs (text, tokens, lemmas, segments, offset maps) compactly.

    Own msgpack+zlib format (a few times faster than DocBin here): per doc the text, token
    start offsets, an index into a shared lemma table per token and the segment starts.
    """
    import zlib

    from srsly.msgpack import _packer  # direct: srsly.msgpack_dumps scans entry points per call

    table: dict[str, int] = {}
    out_docs = []
    for doc in docs:
        starts = [t.idx for t in doc]
        lem = []
        for t in doc:
            s_ = t.lemma_
            k = table.get(s_)
            if k is None:
                k = table[s_] = len(table)
            lem.append(k)
        sents = [t.i for t in doc if t.is_sent_start]
        out_docs.append([doc.text, starts, lem, sents, doc.user_data.get("offsets", [])])
    payload = {"format": _FORMAT, "version": PIPELINE_VERSION, "lemmas": list(table), "docs": out_docs}
    return zlib.compress(_packer.Packer(use_bin_type=True).pack(payload), 1)


def from_bytes(data: bytes) -> list[Doc]:
    """Inverse of :func:`to_bytes`; rebuilds Docs without running the pipeline.

    Raises ValueError if the data was written by another pipeline version (re-analyse then).
    """
    import zlib

    import numpy
    from srsly.msgpack import _unpacker  # direct: srsly.msgpack_loads scans entry points per call

    try:
        payload = _unpacker.unpackb(zlib.decompress(data), raw=False)
    except Exception as e:  # corrupt or foreign data: the caller re-analyses
        raise ValueError(f"analysed text cannot be read ({type(e).__name__})") from None
    if not isinstance(payload, dict) or payload.get("format") != _FORMAT or payload.get("version") != PIPELINE_VERSION:
        raise ValueError("analysed text was stored by another pipeline version")
    vocab = get_nlp().vocab
    add = vocab.strings.add
    hashes = [add(x) for x in payload["lemmas"]]
    docs: list[Doc] = []
    for text, starts, lem, sents, breaks in payload["docs"]:
        n = len(starts)
        ends = starts[1:] + [len(text)]
        words = []
        spaces = []
        for i in range(n):
            s_, e = starts[i], ends[i]
            if e > s_ + 1 and text[e - 1] == " " and (i + 1 < n or e == len(text)):
                words.append(text[s_:e - 1])
                spaces.append(True)
            else:
                words.append(text[s_:e])
                spaces.append(False)
        doc = Doc(vocab, words=words, spaces=spaces)
        if n:
            arr = numpy.empty((n, 2), dtype="uint64")
            arr[:, 0] = [hashes[k] for k in lem]
            ss = numpy.full(n, -1, dtype="int64")
            ss[sents] = 1
            arr[:, 1] = ss.astype("uint64")
            doc.from_array([LEMMA, SENT_START], arr)
        if breaks:
            doc.user_data["offsets"] = list(breaks)
        docs.append(doc)
    return docs


def doc_to_bytes(doc: Doc) -> bytes:
    """One doc (e.g. one answer for ``store.put_analyses``)."""
    return to_bytes([doc])


def doc_from_bytes(data: bytes) -> Doc:
    """Inverse of :func:`doc_to_bytes`."""
    return from_bytes(data)[0]
