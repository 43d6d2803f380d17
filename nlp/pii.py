"""Personal data in answer text: e-mail addresses, Swedish phone numbers, personnummer.

`find_pii(text)` returns the spans (character offsets into `text`) with their kind;
`mask(text)` replaces them with a Swedish placeholder such as "[telefon]". Pure
functions, no Streamlit. Detection favours precision on the things officials write
in answers (dates, diarienummer, years, kommun codes, "1177" are not personal data):

- **personnummer / samordningsnummer**: YYMMDD-XXXX, YYMMDD+XXXX, YYYYMMDD-XXXX,
  YYYYMMDDXXXX and YYMMDDXXXX, with a real calendar date (samordningsnummer: day + 60)
  and a valid Luhn check digit;
- **phone**: Swedish numbers written nationally (070-123 45 67, 08-123 456 78,
  031-12 34 56, 0701234567, (08) 123 45 67) or internationally (+46 70 123 45 67,
  +46 (0)8 123 456 78, 0046 ...). A ten-digit run without separators that starts with 0
  is read as a phone number, not as a personnummer.
- **email**: local@domain.tld.

Names are not detected (no reliable rule without a model); the analyst must still read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Optional

KINDS = ("email", "phone", "personnummer", "samordningsnummer")

KIND_LABELS_SV: dict[str, str] = {
    "email": "e-post",
    "phone": "telefon",
    "personnummer": "personnummer",
    "samordningsnummer": "samordningsnummer",
}

# Masking placeholders; samordningsnummer is masked like a personnummer on purpose
# (the reader of an export does not need to know which of the two it was).
MASKS: dict[str, str] = {
    "email": "[e-post]",
    "phone": "[telefon]",
    "personnummer": "[personnummer]",
    "samordningsnummer": "[personnummer]",
}


@dataclass(frozen=True)
class PiiSpan:
    """One piece of personal data found in a text: [start, end) and its kind."""

    start: int
    end: int
    kind: str
    text: str

    @property
    def label(self) -> str:
        """Swedish name of the kind, for the UI ("telefon")."""
        return KIND_LABELS_SV[self.kind]


# ------------------------------------------------------------------ e-mail
_EMAIL = re.compile(
    r"(?<![\w.+-])"
    r"[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*"
    r"@"
    r"(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+"
    r"[^\W\d_]{2,24}"
    r"(?![\w-]|\.[^\W_])"
)

# ---------------------------------------------------------- personnummer
_PNR = re.compile(
    r"(?<![\w+\-/.,])(?<!\d:)"
    r"(?P<century>1[89]|20)?(?P<yy>\d{2})(?P<mm>\d{2})(?P<dd>\d{2})"
    r"(?P<sep>[-+\u2010\u2011\u2013]?)"
    r"(?P<serial>\d{4})"
    r"(?![\w\-/]|[.,:]\d)"
)


def luhn_ok(digits: str) -> bool:
    """True if the digit string passes the Luhn (mod 10) check."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _pnr_kind(m: re.Match[str]) -> Optional[str]:
    yy, mm, dd = int(m["yy"]), int(m["mm"]), int(m["dd"])
    kind = "personnummer"
    if dd > 60:
        kind, dd = "samordningsnummer", dd - 60
    if m["century"]:
        years = [int(m["century"]) * 100 + yy]
    else:
        years = [1900 + yy, 2000 + yy]
    if not any(_valid_date(y, mm, dd) for y in years):
        return None
    if not luhn_ok(m["yy"] + m["mm"] + m["dd"] + m["serial"]):
        return None
    return kind


# ------------------------------------------------------------------ phone
_SEP = r"(?:[ \u00a0]?[\-\u2010\u2011\u2013/][ \u00a0]?|[ \u00a0])"
_PHONE = re.compile(
    r"(?<![\w+\-/,])(?<!\d[.:])"
    r"(?:"
    r"(?P<intl>(?:\+|00)46)[ \u00a0\-]?(?:\(0\)[ \u00a0]?)?(?P<irest>[1-9]\d{0,3}(?:" + _SEP + r"?\d{1,4}){1,5})"
    r"|"
    r"(?P<nat>\(0\d{1,3}\)[ \u00a0]?\d{1,4}(?:" + _SEP + r"?\d{1,4}){0,4}"
    r"|0[1-9]\d{0,3}(?:" + _SEP + r"?\d{1,4}){0,5})"
    r")"
    r"(?![\w\-/]|[.,:]\d)"
)
_GROUP_SPLIT = re.compile(r"[ \u00a0\-\u2010\u2011\u2013/()]+")
_DATE_LIKE = re.compile(r"^\d{1,2}[-/\u2013 .]\d{1,2}[-/\u2013 .](?:\d{2}|\d{4})$")


def _phone_ok(candidate: str, international: bool) -> bool:
    """Plausible Swedish number: length by number plan, subscriber part not starting with 0."""
    if _DATE_LIKE.match(candidate):
        return False
    if "  " in candidate:
        return False
    groups = [g for g in _GROUP_SPLIT.split(candidate) if g]
    if international:
        digits = re.sub(r"\D", "", candidate.replace("(0)", ""))
        digits = digits[4:] if digits.startswith("0046") else digits[2:]
        national = "0" + digits
    else:
        national = "".join(groups)
        if len(groups) > 1:
            # groups[0] is the area code (2-4 digits, so 010101-0008 is no phone);
            # a subscriber number never starts with 0 (so kommun codes "0180 0181" are none)
            if not 2 <= len(groups[0]) <= 4 or groups[1].startswith("0"):
                return False
    if not national.startswith("0") or national[1:2] == "0":
        return False
    if national.startswith("07"):
        return len(national) == 10
    if len(national) < 8 and not national.startswith("08"):
        return False
    return 7 <= len(national) <= 10


# Every phone number or personnummer lies inside a run of these characters with 7+ digits;
# scanning only such runs keeps find_pii fast on long answers (the patterns start with look-behinds,
# which stop the regex engine from skipping ahead by itself).
_RUN = re.compile(r"[\d+(][\d+() \u00a0\-\u2010\u2011\u2013/]*")


def _number_windows(text: str) -> list[tuple[int, int]]:
    """(pos, endpos) windows for the number patterns: candidate runs plus 2 chars of look-ahead."""
    out = []
    for m in _RUN.finditer(text):
        run = m.group(0)
        if sum(ch.isdigit() for ch in run) >= 7:
            out.append((m.start(), min(len(text), m.end() + 2)))
    return out


def _phone_spans(text: str, windows: Optional[list[tuple[int, int]]] = None) -> list[tuple[int, int]]:
    spans = []
    for m in (m for pos, end in (windows if windows is not None else [(0, len(text))])
              for m in _PHONE.finditer(text, pos, end)):
        start, end = m.span()
        candidate = m.group(0)
        international = m["intl"] is not None
        # Too many groups swallowed (e.g. a number followed by a year): drop groups from the end.
        while candidate:
            if _phone_ok(candidate, international):
                spans.append((start, start + len(candidate)))
                break
            cut = max(candidate.rfind(c) for c in " \u00a0-\u2010\u2011\u2013/")
            if cut <= 0 or len(candidate) - cut - 1 < 4:
                break  # only a trailing year-like group may be dropped, never "89" of "... 67 89"
            candidate = candidate[:cut].rstrip(" \u00a0-\u2010\u2011\u2013/")
            if text[start + len(candidate):start + len(candidate) + 1].isdigit():
                break
    return spans


# ---------------------------------------------------------------- public API
def find_pii(text: str, kinds: Optional[Iterable[str]] = None) -> list[PiiSpan]:
    """All personal data in `text` as non-overlapping spans, in text order.

    `kinds` restricts the result (default: all of KINDS).
    """
    wanted = set(KINDS if kinds is None else kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"okänd sorts personuppgift: {sorted(unknown)}")
    if not text:
        return []
    found: list[tuple[int, int, int, str]] = []  # (priority, start, end, kind); lower priority wins
    if "@" in text:
        for m in _EMAIL.finditer(text):
            found.append((0, m.start(), m.end(), "email"))
    windows = _number_windows(text)
    for m in (m for pos, end in windows for m in _PNR.finditer(text, pos, end)):
        kind = _pnr_kind(m)
        if kind is None:
            continue
        bare_ten = not m["century"] and not m["sep"]
        # 0701234567: a bare ten-digit run starting with 0 is read as a phone number
        found.append((3 if bare_ten and m.group(0).startswith("0") else 1, m.start(), m.end(), kind))
    for start, end in _phone_spans(text, windows):
        found.append((2, start, end, "phone"))
    found.sort(key=lambda f: (f[0], f[1]))
    taken: list[tuple[int, int]] = []
    out: list[PiiSpan] = []
    for _, start, end, kind in found:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        if kind in wanted:
            out.append(PiiSpan(start, end, kind, text[start:end]))
    return sorted(out, key=lambda s: s.start)


def mask(text: str, kinds: Optional[Iterable[str]] = None) -> str:
    """`text` with every piece of personal data replaced by its placeholder ("[e-post]", ...)."""
    spans = find_pii(text, kinds)
    if not spans:
        return text
    parts, pos = [], 0
    for s in spans:
        parts.append(text[pos:s.start])
        parts.append(MASKS[s.kind])
        pos = s.end
    parts.append(text[pos:])
    return "".join(parts)


def has_pii(text: str) -> bool:
    """True if `text` contains any detectable personal data."""
    return bool(find_pii(text))
