"""What every reader shares: the Reader interface, the guard around `read`, and building a ParsedFile."""
from __future__ import annotations

import contextlib
import re
import functools
import hashlib
from pathlib import PurePath
from typing import Iterator, Optional, Protocol, runtime_checkable

from importers import headings as headings_mod
from importers import respondent as respondent_mod
from importers.errors import ImportFailure
from importers.forms_compat import fold, is_form_text
from importers.layout import Assembled, Line, assemble
from importers.safety import check_cell, check_size
from models.records import ParsedFile, RawAnswer
from reference.registry import default_registry, find_in_text, resolve_lan


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
    else:
        parsed.warnings.extend(_other_name_in_file_name(resp, name))
    parsed.warnings.extend(assembled.warnings)
    parsed.warnings.extend(_skipped_preamble(assembled.preamble, resp, typ, lan, parsed.speaks_for))
    for pos, (qid, text, choice) in enumerate(assembled.answers):
        check_cell(name, text, f"svaret på fråga {qid}")
        parsed.answers.append(RawAnswer(resp, qid, text, choice, pos, typ, lan))
    if not parsed.answers:
        raise ImportFailure(
            name, "hittade inga svar i filen (inga frågerubriker som '5a.' med ifyllda svar); är det rätt fil?")
    return parsed


# a line naming the respondent of the part of a document that follows ("Svar från: Varbergs kommun")
_SECTION_LABEL = re.compile(r"^\s*(?P<label>svar från|respondent|svarande|kommun(?:ens namn)?|region(?:ens namn)?|rss|"
                            r"organisation|inlämnad av|namn på (?:kommun|region))\s*[:：\-–]\s*(?P<value>.+?)\s*$", re.I)


def _respondent_line(line: Line) -> Optional[tuple[tuple[str, Optional[str], Optional[str]], bool]]:
    """((name, type, län), labelled) when the line is only a respondent the registry knows, bare
    ("Varbergs kommun") or labelled ("Svar från: Varbergs kommun"); else None."""
    text = " ".join(line.plain.split()).strip(" .:")
    if not text or len(text) > 120 or line.boxes() or any(s.field is not None and s.text.strip() for s in line.segments):
        return None
    m = _SECTION_LABEL.match(text)
    value = m.group("value").strip(" .") if m else text
    r = find_in_text(value)
    if r is None or fold(" ".join((getattr(r, "raw_name", None) or r.name).split())) != fold(value):
        return None  # the whole line is the name, not a sentence about one
    return (value, r.type, r.lan), bool(m)


def _respondent_parts(lines: list[Line], assemble_kw: dict) -> list[tuple[int, tuple]]:
    """(line index, respondent) where a further respondent's part of the document starts.

    A labelled respondent line after answers starts a part when answers follow it; a bare name line does
    so only when the questions start again after it (its first question comes no later in the form than
    the last one before it), as in a compilation of every kommun's answers."""
    starts: list[tuple[int, tuple]] = []
    begin = 0
    for i, line in enumerate(lines):
        found = _respondent_line(line) if i > begin else None
        if found is None:
            continue
        before = assemble(lines[begin:i], **assemble_kw).answers
        if not before:
            continue
        after = assemble(lines[i + 1:], **assemble_kw).answers
        if not after:
            break
        label, labelled = found
        if not labelled and headings_mod.order_key(after[0][0]) > headings_mod.order_key(before[-1][0]):
            continue
        starts.append((i, label))
        begin = i
    return starts


def parsed_from_lines(data: bytes, name: str, fmt: str, lines: list[Line],
                      header_lines: Optional[list[str]] = None, field_questions: Optional[dict] = None,
                      **assemble_kw) -> ParsedFile:
    """Build the ParsedFile of a document that may answer for several respondents one after another.

    Where a further respondent's part starts (see `_respondent_parts`) every part is read as its own
    document, the first one's respondent being a name line just before its questions when there is one.
    A document of one respondent reads as before (`parsed_from_assembled`). `field_questions`, when given, is
    filled with the question each answer field stands under (Assembled.field_questions).
    """
    if field_questions is None:
        field_questions = {}
    starts = _respondent_parts(lines, assemble_kw)
    if not starts:
        whole = assemble(lines, **assemble_kw)
        field_questions.update(whole.field_questions)
        return parsed_from_assembled(data, name, fmt, whole, header_lines)
    lead = None  # a name line in the preamble of the first part: that part's respondent
    for k in range(starts[0][0]):
        found = _respondent_line(lines[k])
        if found and not assemble(lines[:k], **assemble_kw).answers:
            lead = (k, found[0])
    bounds = [i for i, _ in starts] + [len(lines)]
    if lead is None:
        first = assemble(lines[:bounds[0]], **assemble_kw)
        field_questions.update(first.field_questions)
        parsed = parsed_from_assembled(data, name, fmt, first, header_lines)
        parts = starts
    else:
        parsed = new_parsed(data, name, fmt)
        parts = [lead] + starts
        bounds = [starts[0][0]] + bounds
    names = [parsed.answers[0].respondent] if parsed.answers else []
    for k, (i, (resp, typ, lan)) in enumerate(parts):
        part = assemble(lines[i + 1:bounds[k + 1]], **assemble_kw)
        field_questions.update(part.field_questions)
        names.append(resp)
        parsed.warnings.extend(f"{resp}: {w}" for w in part.warnings)
        parsed.warnings.extend(f"{resp}: {w}" for w in _skipped_preamble(part.preamble, resp, typ, lan,
                                                                          parsed.speaks_for))
        for qid, text, choice in part.answers:
            check_cell(name, text, f"svaret på fråga {qid} ({resp})")
            parsed.answers.append(RawAnswer(resp, qid, text, choice, len(parsed.answers), typ, lan))
    parsed.warnings.append(f"filen innehåller svar från {len(names)} respondenter ({', '.join(names)}); varje del "
                           "lästes som sin respondents svar — kontrollera respondenterna i appen")
    return parsed


def _other_name_in_file_name(resp: str, name: str) -> list[str]:
    """A warning when the file name names another respondent than the document does (a wrong attachment?)."""
    in_text, in_name = find_in_text(resp), respondent_mod.file_name_respondent(name)
    if in_text is None or in_name is None:
        return []
    other_lan = in_text.lan and in_name.lan and in_text.lan != in_name.lan
    other_same_type = in_text.type == in_name.type and in_text.name != in_name.name
    if not (other_lan or other_same_type):
        return []
    return [f"filnamnet nämner {in_name.name} men dokumentet {in_text.name}; svaren lades på {in_text.name} "
            "(dokumentets egen uppgift) — kontrollera att det är rätt fil och rätt respondent"]


def kommuner_listed(text: str, lan: Optional[str]) -> list[str]:
    """The kommuner of `lan` a line lists by name ("Svaret avser: Arboga, Köping och Västerås stad"), in
    the order written; the län's own name ("Västmanlands län") is no kommun."""
    found_lan = resolve_lan(lan) if lan else None
    if found_lan is None or not text:
        return []
    t = re.sub(rf"(?i)\b{re.escape(found_lan.name)}|\bregion\s+{re.escape(found_lan.short)}", " ", text)
    hits: dict[str, int] = {}
    for k in default_registry().kommuner.values():
        if k.lan_code != found_lan.code:
            continue
        m = re.search(rf"(?<![\w-]){re.escape(k.short)}s?(?![\w-])", t)
        if m:
            hits[k.name] = m.start()
    return sorted(hits, key=hits.get)


_LIST_CUE = re.compile(r"(?i)\b(avser|gäller|omfatta[rs]?|kommuner(na)?)\b")
_LIST_FURNITURE = re.compile(r"(?i)^(kommun(er|erna|namn)?|namn|län|invånare|antal( invånare)?|[\d\s.,%]+)$")


def _joined_lists(preamble: list[str], lan: Optional[str]) -> list[str]:
    """The preamble with a list written one kommun a line (a bulleted list, a table's column) after a short
    line that introduces it ("Svaret avser följande kommuner:", "Följande kommuner omfattas av svaret")
    joined into that line: "…: Arboga, Köping". A table's header cells and numbers between the names
    ("Kommun", "Invånare", "13 500") do not end the list."""
    out: list[str] = []
    target: Optional[int] = None  # the introducing line the names are joined into
    joined = 0
    for text in preamble:
        t = " ".join(text.split()).strip(" \u2022•·*-–—\t")
        if target is not None and t and len(t) <= 40 and not _LIST_CUE.search(t) \
                and len(kommuner_listed(t, lan)) == 1:
            head = out[target].rstrip()
            out[target] = head + (", " if joined else (" " if head.endswith(":") else ": ")) + t
            joined += 1
            continue
        if target is not None and t and _LIST_FURNITURE.match(t):
            continue  # a header cell or a number of the list's table: not text of the answer
        out.append(text)
        flat = " ".join(text.split())
        target = len(out) - 1 if (len(flat) <= 100 and _LIST_CUE.search(flat)
                                  and not kommuner_listed(flat, lan)) else None
        joined = 0
    return out


def _skipped_preamble(preamble: list[str], respondent: str, typ: Optional[str] = None,
                      lan: Optional[str] = None, speaks_for: Optional[dict[str, list[str]]] = None) -> list[str]:
    """Warnings for text before the first question that is neither form text nor the respondent's name.

    An RSS file's line listing the kommuner it answers for ("Svaret avser: Arboga, Köping …") is kept
    in `speaks_for` (respondent -> kommun names; stored with the file's answers) and named in a warning
    that says how Översikt shows them: as kommuner named in the län's answer, never as kommuner that
    answered."""
    out = []
    resp = fold(respondent)
    for text in _joined_lists(preamble, lan) if typ == "rss" else preamble:
        t = " ".join(text.split())
        listed = kommuner_listed(t, lan) if typ == "rss" else []
        if len(listed) >= 3 or (len(listed) == 2 and re.search(r"(?i)\b(avser|gäller|omfattar|kommuner(na)?\s*:)", t)):
            if speaks_for is not None:
                have = speaks_for.setdefault(respondent, [])
                have.extend(k for k in listed if k not in have)
            out.append(f"raden '{t if len(t) <= 80 else t[:78].rstrip() + ' …'}' anger att svaret gäller "
                       f"{len(listed)} kommuner ({', '.join(listed)}). Kommunerna sparas med RSS-svaret och "
                       "visas som nämnda i länets svar; i Översikt räknas RSS-svaret för länet, inte som svar "
                       "från dessa kommuner")
            continue
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
