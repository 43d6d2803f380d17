"""Output safety for exports: no spreadsheet formulas, no illegal characters, optional PII masking.

OWASP CSV injection: a cell whose text starts with `=`, `+`, `-`, `@`, tab or carriage
return (or a line feed) could be run as a formula by Excel/LibreOffice. `neutralise()`
prefixes such text with an apostrophe so it is shown as text; the xlsx writer also types
every text cell as a string. Personal data (e-mail, phone, personnummer) is masked with
`nlp.pii.mask` when an export asks for it.
"""
from __future__ import annotations

import bisect
import re
from typing import Any, Callable

from nlp.pii import MASKS, find_pii, mask

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
# Characters that XML 1.0 (xlsx, docx, qdpx) cannot carry.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EXCEL_MAX_CELL_CHARS = 32_767
TRUNCATION_NOTE = " […avkortad]"


def is_formula_like(text: str) -> bool:
    """True if a spreadsheet could read `text` as a formula (OWASP CSV injection)."""
    return text.startswith(FORMULA_PREFIXES)


def neutralise(value: Any) -> Any:
    """Text that could start a formula gets a leading apostrophe; other values pass unchanged."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def xml_safe(text: str) -> str:
    """Drop control characters that XML 1.0 cannot contain (keeps tab, LF, CR)."""
    return _ILLEGAL_XML.sub("", text)


def excel_text(text: str) -> str:
    """XML-safe, neutralised text that fits in one Excel cell (32,767 characters)."""
    text = neutralise(xml_safe(text))
    if len(text) > EXCEL_MAX_CELL_CHARS:
        text = text[: EXCEL_MAX_CELL_CHARS - len(TRUNCATION_NOTE)] + TRUNCATION_NOTE
    return text


def mask_personal_data(text: str) -> str:
    """`text` with e-mail addresses, phone numbers and personnummer replaced ("[telefon]")."""
    return mask(text) if text else text


def mask_with_offsets(text: str) -> tuple[str, Callable[[int], int]]:
    """Mask personal data and return the masked text plus a map of old offsets to new ones.

    An offset inside a masked span maps to the start of its placeholder (or its end, for
    an offset at the span's end), so codings keep pointing at the same words.
    """
    spans = find_pii(text) if text else []
    if not spans:
        return text, lambda i: i
    parts, pos = [], 0
    starts, ends, shifts = [], [], []
    shift = 0
    for s in spans:
        parts.append(text[pos:s.start])
        placeholder = MASKS.get(s.kind, "[personuppgift]")
        parts.append(placeholder)
        starts.append(s.start)
        ends.append(s.end)
        shift += len(placeholder) - (s.end - s.start)
        shifts.append(shift)
        pos = s.end
    parts.append(text[pos:])
    masked = "".join(parts)

    def new_offset(i: int) -> int:
        k = bisect.bisect_right(ends, i)  # spans ending at or before i
        before = shifts[k - 1] if k else 0
        if k < len(starts) and starts[k] < i:  # inside span k: snap to the placeholder's start
            return starts[k] + before
        return i + before

    return masked, new_offset


def lf_normalise(text: str) -> tuple[str, Callable[[int], int]]:
    """Text with CRLF and CR turned into LF, and the map from old to new code-point offsets."""
    if "\r" not in text:
        return text, lambda i: i
    crlf = [m.start() for m in re.finditer("\r\n", text)]
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")

    def new_offset(i: int) -> int:
        # every CRLF that starts strictly before i - 1 ... i.e. whose LF lies before i - drops one char
        return i - bisect.bisect_left(crlf, i - 1) if crlf else i

    return normalised, new_offset
