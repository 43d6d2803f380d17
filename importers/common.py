"""What every reader shares: the Reader interface, the guard around `read`, and building a ParsedFile."""
from __future__ import annotations

import contextlib
import functools
import hashlib
from pathlib import PurePath
from typing import Iterator, Optional, Protocol, runtime_checkable

from importers import respondent as respondent_mod
from importers.errors import ImportFailure
from importers.forms_compat import fold, is_form_text
from importers.layout import Assembled
from importers.safety import check_cell, check_size
from models.records import ParsedFile, RawAnswer


@runtime_checkable
class Reader(Protocol):
    """Turns one file's bytes into a ParsedFile; raises ImportFailure for bad input."""

    format: str
    extensions: tuple[str, ...]

    def read(self, data: bytes, name: str) -> ParsedFile: ...


@contextlib.contextmanager
def library_failures(name: str) -> Iterator[None]:
    """Turn any error a library raises while reading ``name`` into an ImportFailure with a Swedish message."""
    try:
        yield
    except ImportFailure:
        raise
    except MemoryError as exc:
        raise ImportFailure(name, "filen är för stor för att läsas i minnet.") from exc
    except RecursionError as exc:
        raise ImportFailure(name, "filen är för djupt nästlad för att läsas (möjlig skadlig fil).") from exc
    except Exception as exc:  # a library choked: report, never a traceback
        raise ImportFailure(
            name, f"filen kunde inte läsas; den verkar skadad (teknisk orsak: {type(exc).__name__}).") from exc


def guarded(read):
    """Decorator for Reader.read: size limits first, and any library error becomes an ImportFailure."""

    @functools.wraps(read)
    def wrapper(self, data: bytes, name: str) -> ParsedFile:
        check_size(name, len(data))
        with library_failures(name):
            return read(self, data, name)

    return wrapper


def parsed_from_assembled(data: bytes, name: str, fmt: str, assembled: Assembled,
                          header_lines: Optional[list[str]] = None) -> ParsedFile:
    """Build the ParsedFile of a one-respondent document (Word, PDF, text)."""
    lines = [*(header_lines or []), *assembled.preamble]
    resp, typ, lan = respondent_mod.detect(lines, name)
    parsed = new_parsed(data, name, fmt)
    if respondent_mod.named_in_content(lines) is None:
        parsed.warnings.append(f"dokumentet namnger ingen respondent; '{resp}' är gissad från filnamnet — "
                               "kontrollera och rätta respondenten i appen")
    parsed.warnings.extend(assembled.warnings)
    parsed.warnings.extend(_skipped_preamble(assembled.preamble, resp))
    for pos, (qid, text, choice) in enumerate(assembled.answers):
        check_cell(name, text, f"svaret på fråga {qid}")
        parsed.answers.append(RawAnswer(resp, qid, text, choice, pos, typ, lan))
    if not parsed.answers:
        raise ImportFailure(
            name, "hittade inga svar i filen (inga frågerubriker som '5a.' med ifyllda svar); är det rätt fil?")
    return parsed


def _skipped_preamble(preamble: list[str], respondent: str) -> list[str]:
    """Warnings for text before the first question that is neither form text nor the respondent's name."""
    out = []
    resp = fold(respondent)
    for text in preamble:
        t = " ".join(text.split())
        if len(t) < 40 or is_form_text(t) or (resp and resp in fold(t) and len(t) < 120):
            continue
        shown = t if len(t) <= 60 else t[:58].rstrip() + " …"
        out.append(f"text före första frågan togs inte med: '{shown}'")
    return out


def base_name(name: str) -> str:
    """The file's own name, also from a Windows path ("C:\\Svar\\x.docx" → "x.docx")."""
    return PurePath(name.replace("\\", "/")).name or name


def new_parsed(data: bytes, name: str, fmt: str) -> ParsedFile:
    """An empty ParsedFile for the file: its own name, format, sha256 and size."""
    return ParsedFile(base_name(name), fmt, hashlib.sha256(data).hexdigest(), len(data))
