"""Plain text and Markdown answer files: question headings as in the Word form.

Blank lines separate paragraphs; Markdown '#' lines are headings (a '#' line that is
not a question starts a section whose text is not an answer). ☐/☒ and '[ ]'/'[x]'
mark checkboxes of closed questions. An e-mail saved as text is read without its header, quoted
earlier mail and signature (importers.mail).
"""
from __future__ import annotations

import csv
import io
import re

from importers.common import guarded, parsed_from_lines
from importers.encoding import decode_text
from importers.errors import ImportFailure
from importers.layout import Line, text_line
from importers.mail import eml_text, read_mail, without_signature
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


class TextReader:
    """Reader for .txt and .md files, and e-mails saved as .eml."""

    format = "text"
    extensions = (".txt", ".md", ".markdown", ".text", ".eml")

    @guarded
    def read(self, data: bytes, name: str) -> ParsedFile:
        if name.lower().endswith(".eml"):  # a saved e-mail: its header and body as text, its attachments named
            text, attached = eml_text(data)  # attached answer files are read by importers.base.read_file
            parsed = self._read_text(data, name, text, "eml", known_mail=True)
            parsed.warnings.extend(attached)
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
