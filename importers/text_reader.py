"""Plain text and Markdown answer files: question headings as in the Word form.

Blank lines separate paragraphs; Markdown '#' lines are headings (a '#' line that is
not a question starts a section whose text is not an answer). ☐/☒ and '[ ]'/'[x]'
mark checkboxes of closed questions. An e-mail saved as text is read without its header, quoted
earlier mail and signature (importers.mail).
"""
from __future__ import annotations

import csv
import dataclasses
import io
import re
from typing import Optional

from importers.common import guarded, new_parsed, parsed_from_lines
from importers.encoding import decode_text
from importers.errors import ImportFailure
from importers.layout import Line, text_line
from importers.mail import eml_attachments, eml_text, read_mail, without_signature
from importers.sheet_reader import CsvReader
from models.records import ParsedFile

_MD_DECOR = re.compile(r"^\s*(#{1,6})\s*")


def text_lines(text: str, *, markdown: bool = True) -> list[Line]:
    """Lines of a text document; Markdown headings are marked as styled."""
    out: list[Line] = []
    prev_blank = True
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not raw.strip():
            out.append(Line([]))
            prev_blank = True
            continue
        styled = bool(markdown and _MD_DECOR.match(raw))
        line = raw.rstrip()
        if markdown:
            line = re.sub(r"^(\s*)(\*\*|__)(.+?)(\*\*|__)", r"\1\3", line)
        line = text_line(line, styled=styled, new_paragraph=prev_blank or styled)
        out.append(line)
        prev_blank = False
    return out


def _tabular(text: str) -> bool:
    """Looks like a tab-separated table: the first rows (quoted cells may span lines) have the same width ≥ 2."""
    sample = "\n".join(text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")[:30])
    if "\t" not in sample.split("\n", 1)[0]:
        return False
    try:
        rows = [r for r in csv.reader(io.StringIO(sample), delimiter="\t") if any(c.strip() for c in r)]
    except csv.Error:
        return False
    rows = rows[:-1] if len(rows) > 2 else rows  # the sample may cut the last row
    if len(rows) < 2 or len(rows[0]) < 2:
        return False
    return sum(len(r) == len(rows[0]) for r in rows) >= 0.8 * len(rows)


def _read_attachments(parsed: ParsedFile, data: bytes, body_failure: Optional[ImportFailure]) -> None:
    """The answers of a saved e-mail's attached answer files (a form sent as a .docx), read by the reader of their
    own kind and added to the mail's; each attachment's report lines carry its name. Without answers in the body
    or any attachment, the body's refusal stands."""
    from importers.base import read_file  # base imports this module

    read = []
    for fname, payload in eml_attachments(data):
        try:
            att = read_file(payload, fname)
        except ImportFailure as exc:
            parsed.warnings.append(f"bilagan '{fname}' kunde inte läsas: {exc.problem}")
            continue
        read.append(fname)
        before = {(a.respondent, a.question) for a in parsed.answers}
        both = sorted({(a.respondent, a.question) for a in att.answers} & before)
        for resp, qid in both:
            parsed.warnings.append(f"{resp}, fråga {qid}: svar både i e-postmeddelandet och i bilagan '{fname}'; "
                                   "båda svaren finns kvar — kontrollera om det ena är en äldre version")
        offset = len(parsed.answers)
        parsed.answers.extend(dataclasses.replace(a, position=offset + a.position) for a in att.answers)
        parsed.warnings.extend(f"bilagan '{fname}': {w}" for w in att.warnings)
        for resp, names in att.speaks_for.items():
            parsed.speaks_for.setdefault(resp, names)
    if read:
        shown = ", ".join(f"'{f}'" for f in read)
        one = len(read) == 1
        parsed.warnings.append(f"e-postmeddelandets {'bilaga' if one else 'bilagor'} {shown} lästes som "
                               f"{'svarsfil' if one else 'svarsfiler'}"
                               + (" (meddelandets egen text hade inga svar)" if body_failure else ""))
    if not parsed.answers:
        raise body_failure or ImportFailure(parsed.name, "hittade inga svar i e-postmeddelandet eller dess bilagor.")


class TextReader:
    """Reader for .txt and .md files, and e-mails saved as .eml."""

    format = "text"
    extensions = (".txt", ".md", ".markdown", ".text", ".eml")

    @guarded
    def read(self, data: bytes, name: str) -> ParsedFile:
        if name.lower().endswith(".eml"):  # a saved e-mail: its header and body as text, its attachments named
            text, attached = eml_text(data)
            try:
                parsed = self._read_text(data, name, text, "eml", known_mail=True)
                body_failure = None
            except ImportFailure as exc:
                parsed, body_failure = new_parsed(data, name, "eml"), exc
            parsed.warnings.extend(attached)
            _read_attachments(parsed, data, body_failure)
            return parsed
        text, _ = decode_text(name, data, "textfil")
        if _tabular(text) and not name.lower().endswith((".md", ".markdown")):
            # Excel's "Unicode text" export is a tab-separated table saved as .txt

            try:
                parsed = CsvReader().read(data, name)
                parsed.format = "txt"
                return parsed
            except ImportFailure:
                pass
        fmt = "md" if name.lower().endswith((".md", ".markdown")) else "txt"
        return self._read_text(data, name, text, fmt)

    def _read_text(self, data: bytes, name: str, text: str, fmt: str, known_mail: bool = False) -> ParsedFile:
        mail = read_mail(text, known=known_mail)
        if mail is None:
            text, notes = without_signature(text)
            parsed = parsed_from_lines(data, name, fmt, text_lines(text), join_wrapped=False)
            parsed.warnings.extend(notes)
            return parsed
        # an answer sent as an e-mail: the reply's own text; the subject may name the respondent
        parsed = parsed_from_lines(data, name, fmt, text_lines(mail.text),
                                   header_lines=mail.header_lines or None, join_wrapped=False)
        parsed.warnings[:0] = mail.notes
        return parsed
