"""Answer text with coloured evidence, rendered as Markdown that cannot be interpreted.

Answer text is data. Every ASCII punctuation character is backslash-escaped (CommonMark
treats an escaped character as a literal), leading spaces become no-break spaces (no code
blocks), and every line break is a hard break, so `<script>`, `**fet**`, `[länk](…)`,
`:red[x]` and `$x$` show as typed. Only the colour markers added here are Markdown.
"""
from __future__ import annotations

import re
import string
from typing import Iterable, Optional, Sequence

COLOURS = ("blue", "orange", "green", "violet", "red", "yellow", "gray")
_PUNCT = re.compile("([" + re.escape(string.punctuation) + "])")
_LEADING = re.compile(r"^[ \t]+", re.MULTILINE)


# An empty colour directive: Streamlit draws it as an empty <span>, nothing shows and nothing is copied, but it ends
# the text node, so GFM's autolinks (found in text nodes after parsing, escapes or not) and Streamlit's logo and
# arrow replacements never see the whole "anna@x.se", "www.x", ":streamlit:" or " -> " (Chromium, Streamlit 1.67).
SPLIT = ":gray[]"
_MARK = "\x00"  # where SPLIT goes, while the text is escaped (a NUL in the text itself is dropped)
_AUTOLINK = re.compile(r"(?i)(https?|ftp|www)(?=[:.])|(?=@)")


def escape(text: str, line_start: bool = True) -> str:
    """Markdown source that renders `text` as typed (one line per line of text).

    Link-like words (``http://``, ``www.``, ``a@b.se``), ``:streamlit:`` and the signs Streamlit makes arrows
    of (`` -> ``, `` -- ``) are cut by an empty colour directive (`SPLIT`), since GFM and Streamlit turn them into
    links, a logo or arrows even when their punctuation is escaped. Nothing is added to the text a reader sees or
    copies: a copied name equals the original (no invisible word joiner).
    """
    text = str(text or "").replace("\r\n", "\n").replace("\r", "\n").replace(_MARK, "")
    text = _AUTOLINK.sub(lambda m: (m.group(1) or "") + _MARK, text)
    text = _keep_typed_signs(text)
    # An escaped colon keeps ":smile:", ":red[x]" and ":material/home:" as typed (checked in Chromium, Streamlit
    # 1.67), but ":streamlit:" still becomes Streamlit's logo: only there the word and its closing colon are cut.
    text = text.replace(":streamlit:", ":streamlit" + _MARK + ":")
    out = _PUNCT.sub(r"\\\1", text)
    if line_start:
        out = _LEADING.sub(lambda m: "\u00a0" * len(m.group(0).expandtabs(4)), out)
    return out.replace(_MARK, SPLIT)


# Streamlit turns "->", "<-", "<->", "--", ">=", "<=", "~=" between spaces into arrows and signs after reading
# the Markdown (escaped or not): a cut between their characters keeps them as typed.
_SIGNS = re.compile(r"(?m)(?:^|(?<=\s))(<->|->|<-|--|>=|<=|~=)(?=\s|$)")


def _keep_typed_signs(text: str) -> str:
    return _SIGNS.sub(lambda m: _MARK.join(m.group(1)), text)


def colour_of(index: int) -> str:
    """The highlight colour of the index-th code shown in an answer."""
    return COLOURS[index % len(COLOURS)]


def chip(label: str, colour: str) -> str:
    """A code label as a coloured Markdown chip (the label escaped)."""
    return f":{colour}-background[{escape(label).replace(chr(10), ' ')}]"


def segments(text: str, spans: Iterable[tuple[int, int, str]]) -> list[tuple[str, Optional[str]]]:
    """Split `text` at span borders into (piece, colour or None); the first span listed wins an overlap."""
    text = text or ""
    paint: list[Optional[str]] = [None] * len(text)
    for start, end, colour in spans:
        start, end = max(0, int(start)), min(len(text), int(end))
        for i in range(start, end):
            if paint[i] is None:
                paint[i] = colour
    out: list[tuple[str, Optional[str]]] = []
    for i, ch in enumerate(text):
        if out and out[-1][1] == paint[i]:
            out[-1] = (out[-1][0] + ch, paint[i])
        else:
            out.append((ch, paint[i]))
    return out


def markdown(text: str, spans: Sequence[tuple[int, int, str]] = ()) -> str:
    """Markdown for the whole answer with each (start, end, colour) span highlighted."""
    lines: list[str] = [""]
    for piece, colour in segments(text, spans):
        parts = piece.replace("\r\n", "\n").split("\n")
        for k, part in enumerate(parts):
            if k:
                lines.append("")
            if not part:
                continue
            body = escape(part, line_start=not lines[-1])
            lines[-1] += f":{colour}-background[{body}]" if colour else body
    return "  \n".join(line if line.strip() else "\u00a0" for line in lines)


def locate(text: str, passage: str) -> Optional[tuple[int, int]]:
    """Where a typed or pasted passage lies in `text`: exact first, then ignoring case and spacing."""
    passage = (passage or "").strip()
    if not passage:
        return None
    pos = text.find(passage)
    if pos >= 0:
        return pos, pos + len(passage)
    words = [re.escape(w) for w in passage.split()]
    match = re.search(r"\s+".join(words), text, flags=re.IGNORECASE)
    return (match.start(), match.end()) if match else None
