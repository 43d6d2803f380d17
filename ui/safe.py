"""Showing answer text safely: always literally, never as HTML or Markdown.

Answer text (and anything else read from files) is data. It is shown only with
`st.text`, `st.code` or inside `st.dataframe`, which never interpret it. Evidence is
marked with »...« inside the literal text instead of with HTML highlighting.
"""
from __future__ import annotations

import errno
import logging
from typing import Optional

import streamlit as st

import config
from ui import highlight

_log = logging.getLogger("svarsanalys.ui")

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


def md(text) -> str:
    """`text` (data: a code's, coder's, member's, cluster's or respondent's name, a file name, a question text, an
    exception's words) as Markdown source that renders as typed, for the elements that read Markdown:
    st.markdown/write/caption/info/success/warning/error/subheader, and the labels of buttons, expanders,
    tabs and other widgets."""
    return highlight.escape("" if text is None else str(text), line_start=False)


def show(text: str) -> None:
    """Show data text literally, wrapped."""
    st.text(text if text is not None else "", wrap=True)


FULL_TEXT_MIN = 40  # characters: a shorter text fits its cell
FULL_TEXT_HINT = "Välj en rad (rutan till vänster) för att läsa hela texten under tabellen."


def table_with_full_text(frame, *, key: str, full: tuple[str, ...], label: tuple[str, ...] = (), where=None,
                         **kwargs) -> None:
    """`st.dataframe` of `frame` whose long text cells (a cell is cut at the column's width, hover only shows a
    tooltip) can be read whole: selecting a row shows its columns `label` (which row it is) and `full` below the
    table, literally (`show`). When every text in `full` is short, a plain table."""
    spot = where if where is not None else st
    if not any(len(str(v)) > FULL_TEXT_MIN for column in full for v in frame[column]):
        spot.dataframe(frame, key=key, **kwargs)  # every text fits: no selection, no hint
        return
    event = spot.dataframe(frame, key=key, on_select="rerun", selection_mode="single-row", **kwargs)
    rows = [r for r in (getattr(getattr(event, "selection", None), "rows", None) or []) if 0 <= r < len(frame)]
    if not rows:
        spot.caption(FULL_TEXT_HINT)
        return
    row = frame.iloc[rows[0]]  # positions in `frame` as given, also when the table is sorted in the browser
    with spot.container(border=True, key=f"{key}_full"):
        for column in (*label, *full):
            st.caption(column)
            show(str(row[column]) if row[column] is not None else "")


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


def technical(exc: BaseException) -> str:
    """The exception's own words (often English, maybe a path or a library's message): for the details only."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def failure(message: str, exc: BaseException, *, level: str = "error", where=None) -> None:
    """A failure the analyst should know about: `message` (a Swedish sentence saying what failed and what to do)
    in a box, the exception's own text only under a collapsed "Tekniska detaljer" (shown literally) and, with its
    traceback, in the program's log. `where` is a column or container (default: the page)."""
    _log.error("%s", message, exc_info=exc)
    spot = where if where is not None else st
    getattr(spot, level)(message)
    with spot.expander("Tekniska detaljer", expanded=False):
        st.code(technical(exc), language=None, wrap_lines=True)


_OS_REASONS = {
    errno.EACCES: "du saknar behörighet",
    errno.EPERM: "du saknar behörighet",
    errno.ENOENT: "den finns inte",
    errno.ENOTDIR: "en del av sökvägen är ingen mapp",
    errno.EISDIR: "det är en mapp, ingen fil",
    errno.EEXIST: "det finns redan en fil med det namnet",
    errno.ENOSPC: "disken är full",
    errno.EROFS: "disken är skrivskyddad",
    errno.ENAMETOOLONG: "namnet är för långt",
}


def os_reason(exc: OSError) -> str:
    """Why a file or folder could not be used, in Swedish (the system's own English words go to the details)."""
    return _OS_REASONS.get(exc.errno, "systemet tillät det inte")


def upload_too_big(name: str, size: int) -> Optional[str]:
    """None when an uploaded file is within config.MAX_FILE_BYTES, else a Swedish message naming it and the limit
    (the server takes files up to config.UPLOAD_CEILING_BYTES, so the page says it, not Streamlit in English)."""
    if size <= config.MAX_FILE_BYTES:
        return None
    return (f"{name}: filen är för stor ({config.human_size(size)}); gränsen är "
            f"{config.human_size(config.MAX_FILE_BYTES)} per fil. Filen lästes inte.")
