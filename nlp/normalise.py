"""Normalisation of answer texts with an offset map back to the original text.

:func:`normalise` returns the normalised text and a full offset map (one entry per normalised
character plus one past the end); :func:`normalise_breaks` returns the same map compactly as
breakpoints ``[i0, d0, i1, d1, ...]`` (normalised char i comes from original char i + d of the
last breakpoint <= i; ``[]`` is the identity), which :func:`offset_at` reads. Pure functions.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Optional, Sequence

import numpy

__all__ = ["OffsetMap", "normalise", "normalise_breaks", "offset_at", "expand_breaks"]

OffsetMap = list[int]

# word-, optional spaces, newline(s), optional spaces, next word
_HYPHEN_BREAK = re.compile(r"(?<=(\w))-[ ]*\n[ \n]*(?=(\w+))")
# a list line: a bullet, "1." or "a)" at the start of the text (_LINE_START_BULLET) or after a line break
# (_BULLET_LINE), then its spaces; :class:`_ListLines` gives the matches of both as ``(?:^|\n)`` and _BULLET would
# (the pattern after a line break starts with a literal, which the regex engine scans for, instead of trying
# the whole pattern at every character)
_BULLET = r"(?:[•●○◦▪▫■□➢➤►▶✓✔·*\-–—]|\(?\d{1,2}[.)]|\(?[a-zA-Z][)])(?=[ ]+\S)[ ]*"
_BULLET_LINE = re.compile(r"\n[ ]*" + _BULLET)
_BULLET_INLINE = re.compile(r"[•●○◦▪■➢➤►▶✓✔][ ]*")
_BULLET_CHARS = re.compile(r"[•●○◦▪■➢➤►▶✓✔]")
_LINE_START_BULLET = re.compile(r"[ ]*" + _BULLET)
_HYPHEN_GATE = re.compile(r"-[ ]*\n")
# glued footnote digits: found as digit runs (fast), context checked in _footnote_repl
_DIGITS = re.compile(r"\d(?<=[a-zåäö.)]\d)\d?(?!\d)")
_SPACES = re.compile(r"[ ]{2,}")
# a semicolon glued to the next word (cells exported from a spreadsheet: "rond;sedan"): a space is put after it
_GLUED_SEMI = re.compile(r"(?<=[^\W\d_]);(?=[^\W\d_])")
# line breaks, soft hyphens/zero-width, control characters, no-break spaces and tabs in one pass
_SPECIAL_CHARS = re.compile(
    "[\r\u2028\u2029\x85\u00ad\u200b\u200c\u200d\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
    "\u00a0\u2000-\u200a\u202f\u205f\u3000\t]"
)


# the characters of _SPECIAL_CHARS as (first, last) code points (tests/test_normalise_gates.py compares the two)
_SPECIAL_RANGES = ((0x0, 0x8), (0x9, 0x9), (0xB, 0xC), (0xD, 0xD), (0xE, 0x1F), (0x7F, 0x7F), (0x85, 0x85),
                   (0xA0, 0xA0), (0xAD, 0xAD), (0x2000, 0x200A), (0x200B, 0x200D), (0x2028, 0x2029), (0x202F, 0x202F),
                   (0x205F, 0x205F), (0x3000, 0x3000), (0xFEFF, 0xFEFF))


def _build_gates() -> tuple:
    """(whether every character _SPECIAL_CHARS matches is one ``str.isprintable`` rejects, the bytes table
    of :func:`_maybe_glued_digit`). Built in a function: no comprehension may run at module level in a
    compiled module (see nlp/compiled.py)."""
    unprintable = True
    for lo, hi in _SPECIAL_RANGES:
        for c in range(lo, hi + 1):
            if chr(c).isprintable():
                unprintable = False
    table = bytearray(b" " * 256)
    # UTF-8 bytes: a-z . ) and the last bytes of å ä ö (\xc3\xa5, \xc3\xa4, \xc3\xb6; also the last byte of
    # other characters: a superset) -> "a"; ASCII digits and the first bytes of every character from U+0640 on
    # (each decimal digit beyond ASCII is one of those: a superset) -> "0"
    for b in b"abcdefghijklmnopqrstuvwxyz.)\xa4\xa5\xb6":
        table[b] = ord("a")
    for b in range(0x30, 0x3A):
        table[b] = ord("0")
    for b in range(0xD9, 0x100):
        table[b] = ord("0")
    return unprintable, bytes(table)


_SPECIAL_UNPRINTABLE, _GLUED_DIGIT_TABLE = _build_gates()


def _maybe_special(t: str) -> bool:
    """False only when ``_SPECIAL_CHARS`` finds nothing in ``t`` (True: it may): every character of that class
    is unprintable (``str.isprintable`` is False for it, as for a line break, which the class leaves out), so a
    text printable apart from its line breaks holds none. One C pass instead of the class tried at every char."""
    if not _SPECIAL_UNPRINTABLE:
        return True
    if "\n" in t:
        t = t.replace("\n", " ")
    return not t.isprintable()


def _maybe_glued_digit(t: str) -> bool:
    """False only when ``_DIGITS`` finds nothing in ``t`` (True: it may). A match is a decimal digit right
    after one of a-z å ä ö . ): in the text's UTF-8 bytes mapped through _GLUED_DIGIT_TABLE, "a" then "0"
    (every such pair maps so; other pairs may too, which only means the regex runs). The pattern itself
    tries its digit class and look-behind at every character."""
    return b"a0" in t.encode("utf-8", "surrogatepass").translate(_GLUED_DIGIT_TABLE)


_LINE_CHARS = re.compile("[\n\r\u2028\u2029\x85]")
# a page footer or header on a line of its own, as text copied from a PDF holds it ("Sida 3 av 12", "Sida 3",
# "Page 3 of 12", "3 (12)", "- 3 -"): matched with the line break before it, which it is replaced by
_PAGE_LINE = re.compile(r"(?:^|\n)[ ]*(?:(?:[Ss]ida|[Pp]age|[Ss]\.) \d{1,3}(?:[ ]*(?:av|of|/)[ ]*\d{1,3})?"
                        r"|\d{1,3} \(\d{1,3}\)|[-–] \d{1,3} [-–])[ ]*(?=\n)")
_PAGE_GATE = re.compile(r"(?:^|\n)[ ]*(?:[Ss]ida|[Pp]age|[Ss]\.|\d{1,3} \(|[-–] \d)")
# the two halves of _PAGE_GATE: at the start of the text, and after a line break (a pattern starting with a
# line break is searched for by that character instead of being tried at every position)
_PAGE_GATE_START = re.compile(r"[ ]*(?:[Ss]ida|[Pp]age|[Ss]\.|\d{1,3} \(|[-–] \d)")
_PAGE_GATE_LINE = re.compile(r"\n[ ]*(?:[Ss]ida|[Pp]age|[Ss]\.|\d{1,3} \(|[-–] \d)")
_BULLET_SET = "•●○◦▪■➢➤►▶✓✔"  # the characters of _BULLET_CHARS (and _BULLET_INLINE's first class)


def _special_repl(m: re.Match) -> str:
    c = m.group(0)
    if c == "\r":
        return "" if m.string[m.end():m.end() + 1] == "\n" else "\n"
    if c in "\u2028\u2029\x85":
        return "\n"
    if c in "\u00ad\u200b\u200c\u200d\ufeff":
        return ""
    return " "

# a line break, the space before it and the spaces and breaks after it (``[ ]?\n[ \n]*``, written so that the
# regex engine scans for its first character, a space or a line break)
_NEWLINES = re.compile(r"(?: \n|\n)[ \n]*")


def _special_repl_line(m: re.Match) -> str:
    """:func:`_special_repl` for a text of one line: a tab there separates the cells of a form or of a
    spreadsheet row pasted as one answer ("… varannan vecka\tläkaren gör …"), a hard boundary. (In a
    text of several lines the tabs are a table's columns and the line is the unit: a space.)"""
    if m.group(0) == "\t":
        return "\n\n"
    return _special_repl(m)


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


class _ListLines:
    """The matches of a list line (``(?:^|\\n)[ ]*`` and a bullet, see :data:`_BULLET`) as that one pattern's
    ``finditer`` gives them: the one at the start of the text first, then those after a line break."""

    @staticmethod
    def finditer(text: str):
        m = _LINE_START_BULLET.match(text)
        pos = 0
        if m is not None:  # (it holds no line break: the next match starts after it)
            yield m
            pos = m.end()
        yield from _BULLET_LINE.finditer(text, pos)


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


def expand_breaks(br: list[int], n: int) -> OffsetMap:
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
    list lines and the tabs of a one-line text (cells of a form or spreadsheet row) become segment
    boundaries ("\\n"; a table's tabs, in a text of several lines, become spaces); a single
    line break inside a sentence becomes a space; glued footnote digits dropped ("Patientkontrakt16");
    a space put after a semicolon glued to a word ("rond;sedan"); whitespace runs collapsed; a page footer on a
    line of its own dropped ("Sida 3 av 12").

    The offset map has one entry per normalised character (its index in the original text)
    plus one past the end (len(text)), so ``text[omap[i]]`` is where normalised char i came from.
    """
    t, breaks = normalise_breaks(text)
    return t, expand_breaks(breaks, len(t))


def _has_bullet_char(t: str) -> bool:
    """``_BULLET_CHARS.search(t) is not None``, by one substring test per character (a text held in one byte
    per character answers each at once: none of these characters fits there)."""
    for c in _BULLET_SET:
        if c in t:
            return True
    return False


def normalise_breaks(text: str) -> tuple[str, list[int]]:
    """:func:`normalise` with the offset map as breakpoints (see the module docstring)."""
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

    # (each cheap test before a regex below is False only when that regex finds nothing: the same edits)
    if _maybe_special(t) and _SPECIAL_CHARS.search(t):
        one_line = "\t" in t and not _LINE_CHARS.search(t)
        step(_SPECIAL_CHARS, _special_repl_line if one_line else _special_repl)
    # (a footer is a line of its own: a text of one line has none)
    if "\n" in t and (_PAGE_GATE_START.match(t) is not None or _PAGE_GATE_LINE.search(t) is not None):
        step(_PAGE_LINE, "")
    if "\n" in t and _HYPHEN_GATE.search(t):
        step(_HYPHEN_BREAK, _hyphen_repl)
    if "\n" in t or _LINE_START_BULLET.match(t):
        step(_ListLines, lambda m: "\n\n" if m.start() > 0 or m.group(0).startswith("\n") else "")
    if _has_bullet_char(t):
        step(_BULLET_INLINE, "\n\n")  # double newline = hard boundary
    if _maybe_glued_digit(t):
        step(_DIGITS, _footnote_repl)
    if ";" in t:
        step(_GLUED_SEMI, "; ")
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
            last = offset_at(br, end - 1) + 1
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
    arr = numpy.asarray(omap, dtype=numpy.int64)
    delta = arr - numpy.arange(len(arr), dtype=numpy.int64)
    if not delta.any():
        return []
    idx = numpy.concatenate(([0], numpy.flatnonzero(numpy.diff(delta)) + 1))
    out = numpy.empty(2 * len(idx), dtype=numpy.int64)
    out[0::2] = idx
    out[1::2] = delta[idx]
    return out.tolist()


def offset_at(breaks: Sequence[int], i: int) -> int:
    """Original index of normalised char ``i`` under the breakpoints ``breaks``."""
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

