"""Showing answer text safely: always literally, never as HTML or Markdown.

Answer text (and anything else read from files) is data. It is shown only with
`st.text`, `st.code` or inside `st.dataframe`, which never interpret it. Evidence is
marked with »...« inside the literal text instead of with HTML highlighting.
"""
from __future__ import annotations

from typing import Optional

import streamlit as st

MARK_OPEN = "»"
MARK_CLOSE = "«"


def marked(text: str, start: Optional[int], end: Optional[int]) -> str:
    """The text with [start, end) wrapped in »...« (offsets clamped; no mark when invalid)."""
    text = text or ""
    if start is None or end is None:
        return text
    start, end = max(0, int(start)), min(len(text), int(end))
    if start >= end:
        return text
    return text[:start] + MARK_OPEN + text[start:end] + MARK_CLOSE + text[end:]


def show(text: str) -> None:
    """Show data text literally, wrapped."""
    st.text(text if text is not None else "", wrap=True)


def show_excerpt(excerpt: str, evidence_start: Optional[int], evidence_end: Optional[int],
                 excerpt_start: int = 0) -> None:
    """Show an excerpt with the evidence (answer offsets) marked »like this«."""
    es = None if evidence_start is None else int(evidence_start) - int(excerpt_start)
    ee = None if evidence_end is None else int(evidence_end) - int(excerpt_start)
    show(marked(excerpt, es, ee))


def short(text: str, n: int = 90) -> str:
    """One line of at most n characters (for selectbox options, which are plain text)."""
    one = " ".join(str(text or "").split())
    return one if len(one) <= n else one[: n - 1] + "…"
