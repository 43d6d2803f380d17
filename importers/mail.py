"""An answer sent as an e-mail and saved as text: the reply's own words, not the mail around them.

A text file is read as an e-mail when it starts with a header block ("Från:", "Skickat:", "Ämne:" …)
or holds a reply marker ("-----Ursprungligt meddelande-----", "Den 1 februari 2023 skrev …:"). Then
- the header block is dropped (the sender is a person, not the respondent); the subject stays as a line
  the respondent can be read from;
- everything from the first reply marker on is the earlier mail, quoted: it is not read;
- a quoted line ("> …") is not answer text; a quoted question heading ("> Fråga 5 a) …", an inline
  reply under each question) is kept as the heading the answer below it belongs to;
- the closing greeting and the signature under it ("Med vänlig hälsning", name, title, phone) are dropped
  (at the end of any text answer, e-mail or not: `without_signature`).
Every line left out is named in the file's report.
"""
from __future__ import annotations

import email
import email.policy
import html
import re
from dataclasses import dataclass, field
from typing import Optional

from importers import headings as headings_mod
from reference.registry import find_in_text

_HEADER = re.compile(r"^\s*(?P<key>från|from|skickat|sent|datum|date|till|to|kopia|cc|hemlig kopia|bcc|ämne|subject|"
                     r"prioritet|importance|bifogade filer|bilagor|attachments)\s*:\s*(?P<value>.*)$", re.I)
_SUBJECT_KEYS = ("ämne", "subject")
_REPLY_MARKER = re.compile(
    r"^\s*(?:-{2,}\s*(?:ursprungligt meddelande|originalmeddelande|original message|vidarebefordrat meddelande|"
    r"forwarded message)\s*-{2,}|_{10,}|(?:den|on)\s.{4,160}?\s(?:skrev|wrote)\b.{0,160}:)\s*$", re.I)
_REPLY_PREFIX = re.compile(r"^\s*(?:(?:sv|re|vb|fw|fwd|vs|aw|antw)\s*:\s*)+", re.I)
_QUOTE = re.compile(r"^\s*>[>\s]*")
_GREETING = re.compile(r"^\s*(?:med\s+)?(?:vänlig(?:a)?|vänliga|bästa|varma|många)?\s*(?:hälsning(?:ar)?)\s*[,.!]*\s*$|"
                       r"^\s*(?:mvh|vh|hälsningar|tack på förhand|best regards|kind regards|regards)\s*[,.!/]*.{0,40}$",
                       re.I)
_ADDRESS = re.compile(r"<?[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+>?")
_SIGNATURE_MAX_LINES = 8
_SIGNATURE_MAX_CHARS = 90


@dataclass
class MailText:
    """The reply's text to read as a document, the header lines the respondent may be read from (the
    subject, the sender) and what was left out."""

    text: str
    header_lines: list[str]
    notes: list[str] = field(default_factory=list)


def _header_block(lines: list[str]) -> tuple[int, Optional[str]]:
    """(number of lines the leading header block takes, the subject), or (0, None) when there is none.

    A header block has a sender ("Från:", "From:") and at least two other header fields: a form's own
    "Från: Region Dalarna / Datum: …" lines are no e-mail."""
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    keys: list[str] = []
    subject = None
    j = i
    while j < len(lines):
        m = _HEADER.match(lines[j])
        if m:
            key = m.group("key").lower()
            keys.append(key)
            if key in _SUBJECT_KEYS:
                subject = m.group("value").strip()
            j += 1
        elif keys and lines[j][:1] in (" ", "\t") and lines[j].strip():
            j += 1  # a folded header line ("Till: a;\n  b")
        else:
            break
    sender = any(k in ("från", "from") for k in keys)
    if not sender or len(set(keys)) < 3:
        return 0, None
    return j, subject


def _organisation(sender: str) -> bool:
    """The sender ("Ale kommun <info@ale.se>") is a kommun, region or RSS the registry knows, not a person."""
    rest = " ".join(_ADDRESS.sub(" ", sender).split()).strip(" <>()[],;:\"'")
    return bool(rest) and find_in_text(rest) is not None


def is_mail(text: str) -> bool:
    lines = text.split("\n")
    return _header_block(lines)[0] > 0 or any(_REPLY_MARKER.match(ln) for ln in lines)


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1].rstrip() + " …"


def _signature_start(lines: list[str]) -> Optional[int]:
    """Index of the closing greeting when only a short signature follows it (name, title, phone), else None."""
    for i in range(len(lines) - 1, -1, -1):
        if _GREETING.match(lines[i]):
            rest = [ln for ln in lines[i + 1:] if ln.strip()]
            if len(rest) <= _SIGNATURE_MAX_LINES and all(len(ln.strip()) <= _SIGNATURE_MAX_CHARS for ln in rest):
                return i
            return None
    return None


def _without_signature(lines: list[str], whose: str) -> tuple[list[str], list[str]]:
    """The lines without a closing greeting and the short signature under it, and the report's note."""
    sig = _signature_start(lines)
    if sig is None:
        return lines, []
    dropped = [ln for ln in lines[sig:] if ln.strip()]
    more = len(dropped) - 1
    tail = f" och {more} {'rad' if more == 1 else 'rader'} till" if more else ""
    return lines[:sig], [f"{whose} hälsning och signatur i slutet ('{_short(lines[sig])}'{tail}) lästes inte som svar"]


def without_signature(text: str) -> tuple[str, list[str]]:
    """A text answer (no e-mail) ending with a greeting and a signature ("Med vänlig hälsning / Eva Ek"):
    the text without them, and the report's note."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept, note = _without_signature(lines, "filens")
    return ("\n".join(kept), note) if note else (text, [])


def read_mail(text: str, *, known: bool = False) -> Optional[MailText]:
    """The reply of an e-mail saved as text (see the module), or None when the text is no e-mail. `known`: the
    text is an e-mail (a .eml file) whatever its header holds."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    head, subject = _header_block(lines)
    if known and head == 0:
        while head < len(lines) and _HEADER.match(lines[head]):
            m = _HEADER.match(lines[head])
            subject = m.group("value").strip() if m.group("key").lower() in _SUBJECT_KEYS else subject
            head += 1
    keys = [m.group("key").capitalize() for m in (_HEADER.match(ln) for ln in lines[:head]) if m]
    sender = [m.group("value").strip() for m in (_HEADER.match(ln) for ln in lines[:head])
              if m and m.group("key").lower() in ("från", "from")]
    marker = next((k for k, ln in enumerate(lines) if k >= head and _REPLY_MARKER.match(ln)), None)
    if head == 0 and marker is None and not known:
        return None
    notes: list[str] = []
    if head:
        notes.append(f"filen är ett e-postmeddelande: e-posthuvudet ({', '.join(dict.fromkeys(keys))}) lästes inte "
                     "som svar; respondenten söks i ämnesraden och texten (en avsändare räknas bara om den är en "
                     "kommun, region eller RSS)")
    body = lines[head:marker] if marker is not None else lines[head:]
    if marker is not None:
        earlier = [ln for ln in lines[marker:] if ln.strip()]
        notes.append(f"det tidigare e-postmeddelandet som citeras i slutet (från raden '{_short(lines[marker])}', "
                     f"{len(earlier)} rader) lästes inte som svar")
    body, note = _without_signature(body, "e-postens")
    notes.extend(note)
    out: list[str] = []
    quoted: list[str] = []
    headings = 0
    current: Optional[str] = None
    for ln in body:
        q = _QUOTE.match(ln)
        if q is None:
            out.append(ln)
            continue
        inner = ln[q.end():]
        found = headings_mod.detect(inner.strip(), current)
        if found is not None and found.strong:
            out.append(inner)  # the quoted question an inline reply answers
            current = found.qid
            headings += 1
        elif inner.strip():
            quoted.append(inner.strip())
        else:
            out.append("")
    if quoted:
        read = f"; {headings} citerade frågerubriker lästes som rubriker för svaren under dem" if headings else ""
        notes.append(f"{len(quoted)} citerade rader ('> {_short(quoted[0], 50)}') är text från ett tidigare "
                     f"e-postmeddelande och lästes inte som svar{read}")
    elif headings:
        notes.append(f"{headings} citerade frågerubriker ('> Fråga …') lästes som rubriker för svaren under dem")
    subject = _REPLY_PREFIX.sub("", subject).strip() if subject else None
    # the sender is a hint only when it is an organisation the registry knows, never a person ("Från: Anna Lind")
    hints = ([subject] if subject else []) + [f"Från: {v}" for v in sender if _organisation(v)]
    return MailText("\n".join(out), hints, notes)


# attachments read as answer files of their own (by importers.base.read_file); a mail inside a mail is not
ANSWER_ATTACHMENTS = (".docx", ".xlsx", ".csv", ".pdf", ".txt", ".md", ".doc", ".odt", ".rtf")


def eml_attachments(data: bytes) -> list[tuple[str, bytes]]:
    """(file name, bytes) of a saved e-mail's attachments that are answer files (see ANSWER_ATTACHMENTS)."""
    msg = email.message_from_bytes(data, policy=email.policy.default)
    out = []
    for part in msg.iter_attachments():
        fname = (part.get_filename() or "").strip()
        if fname.lower().endswith(ANSWER_ATTACHMENTS):
            payload = part.get_payload(decode=True)
            if payload:
                out.append((fname, payload))
    return out


def eml_text(data: bytes) -> tuple[str, list[str]]:
    """A saved e-mail (.eml, MIME) as the text `read_mail` reads (its header lines, then the plain-text body, or
    the HTML body's text) and the report's notes on its attachments that are no answer files (those are read as
    files of their own, see eml_attachments)."""
    msg = email.message_from_bytes(data, policy=email.policy.default)
    head = [f"{label}: {' '.join(str(msg[key]).split())}" for key, label in
            (("From", "Från"), ("Date", "Skickat"), ("To", "Till"), ("Subject", "Ämne")) if msg[key]]
    body = msg.get_body(preferencelist=("plain", "html"))
    text = ""
    if body is not None:
        text = body.get_content()
        if body.get_content_type() == "text/html":
            text = _html_text(text)
    notes = []
    for part in msg.iter_attachments():
        fname = part.get_filename() or part.get_content_type()
        if fname.strip().lower().endswith(ANSWER_ATTACHMENTS) and part.get_payload(decode=True):
            continue
        notes.append(f"e-postmeddelandet har bilagan '{fname}', som inte lästes härifrån; spara bilagan och "
                     "importera den som en egen fil om svaren står i den")
    return "\n".join(head) + "\n\n" + text, notes


def _html_text(markup: str) -> str:
    """The text of an HTML mail body: paragraphs and line breaks as lines, tags dropped, entities decoded."""
    markup = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", markup)
    markup = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>|</tr>|</h\d>", "\n", markup)
    markup = re.sub(r"(?i)<blockquote\b[^>]*>(.*?)</blockquote>",
                    lambda m: "\n".join("> " + ln for ln in _html_text(m.group(1)).split("\n")), markup, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", markup))
