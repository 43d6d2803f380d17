"""From a document's lines to answers: the state machine shared by the Word, PDF and text readers.

A reader turns its file into `Line`s in reading order. Each line is a sequence of
segments: text outside any answer field, text inside an answer field (a Word content
control, with its placeholder flag) and checkboxes. `assemble` then finds question
headings, drops what is never an answer (question wording, option labels, the comment
prompt, placeholders, section titles and "Från Överenskommelsen" introductions) and
returns one answer per question: the field text if the question has a filled field;
if its fields all show the placeholder, the plain paragraphs typed after the field;
if it has no field at all, the plain paragraphs after the heading. A closed question whose checkboxes were
deleted: an option marked with a typed X ("X Ja", "Ja   X") is the choice, one option standing alone is the
choice, and options left unmarked are never answer text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Optional

from importers import headings
from importers.forms_compat import (COMMENT_PROMPT, FORM_TITLE, PLACEHOLDER, area_titles, fold, is_form_text,
                                    questions_by_id)

PLACEHOLDERS = tuple(fold(p) for p in (
    PLACEHOLDER, "Klicka här för att ange text.", "Click or tap here to enter text.", "Click here to enter text.",
    "Klicka eller tryck här för att ange ett datum.", "Välj ett objekt.", "Choose an item.",
))
_PLACEHOLDER_RE = re.compile(
    r"(?i)(klicka eller tryck här för att ange text\.?|click or tap here to enter text\.?|klicka här för att ange text\.?)")
_BOILER = (fold(COMMENT_PROMPT), "tack för dina svar", fold(FORM_TITLE))
_BOX_RE = re.compile(r"(\u2610|\u2612|\u2611|\u25a1|\u25a0|\[[ xX]\])")
CHECKED_GLYPHS = ("\u2612", "\u2611", "\u25a0", "[x]", "[X]")
_SVAR_LABEL = re.compile(r"^svar\s*:\s*", re.I)
# the label alone on its line (a paragraph or a table cell of its own) above the answer or the comment: no text
# ("Vårt svar." is a short answer, not a label: only the bare word, or a possessive with its colon)
_LABEL_LINE = re.compile(r"(?i)^(?:svar(?:stext)?|fritextsvar)\s*:?$|^(?:ert|ditt|vårt|regionens|kommunens)\s+svar\s*:$")
_COMMENT_LINE = re.compile(r"(?i)^(?:eventuell\s+)?kommentar(?:er)?\s*:?$")
# "Kommentar: …" typed after a closed question's options: the label of the comment, not part of it
_COMMENT_LABEL = re.compile(r"^(?:eventuell\s+)?kommentar(?:er)?\s*:\s*", re.I)
# an option marked by a typed X instead of a checkbox: "X\tNej, men …", "(x) Ja", "Ja   X"
_X_BEFORE = re.compile(r"^\(?[xX]\)?(?:\s+|\s*:\s*)(\S.*)$", re.S)
_X_AFTER = re.compile(r"^(.*?\S)\s*[:\t ]\s*\(?[xX]\)?$", re.S)


@dataclass
class Segment:
    """A piece of a line: text (outside or inside an answer field) or a checkbox."""

    text: str = ""
    field: Optional[int] = None
    placeholder: bool = False
    box: Optional[bool] = None  # None: text; True/False: a checked/unchecked box


@dataclass
class Line:
    """One paragraph (Word) or line (PDF, text) in reading order."""

    segments: list[Segment] = field(default_factory=list)
    styled: bool = False
    list_item: bool = False
    new_paragraph: bool = True
    images: int = 0  # pictures in the paragraph (Word): an answer pasted as an image cannot be read

    @property
    def plain(self) -> str:
        return "".join(s.text for s in self.segments if s.box is None and s.field is None)

    def boxes(self) -> list[tuple[str, bool]]:
        """(label, checked) for each box; the label is the text beside the box."""
        segs = [s for s in self.segments if s.box is not None or (s.field is None and s.text.strip())]
        if not any(s.box is not None for s in segs):
            return []
        box_first = segs[0].box is not None
        out: list[tuple[str, bool]] = []
        if box_first:
            for i, s in enumerate(segs):
                if s.box is not None:
                    label = segs[i + 1].text if i + 1 < len(segs) and segs[i + 1].box is None else ""
                    out.append((label.strip(), s.box))
        else:
            text = ""
            for s in segs:
                if s.box is None:
                    text += s.text
                else:
                    out.append((text.strip(), s.box))
                    text = ""
        return out


_PUA_BULLET = re.compile(r"[\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf0a8\uf06e\uf0e0]\s*")


def clean_bullets(text: str) -> str:
    """Symbol/Wingdings bullets (private-use glyphs U+F0B7, U+F0A7, … of a PDF or its copy) as '• '."""
    return _PUA_BULLET.sub("• ", text) if "\uf000" <= max(text, default=" ") else text


def text_line(text: str, **kw) -> Line:
    """A Line from plain text, with ☐/☒ and Markdown [ ]/[x] recognised as checkboxes."""
    text = clean_bullets(text)
    if not _BOX_RE.search(text):
        return Line([Segment(text)], **kw)
    segs: list[Segment] = []
    stripped = re.sub(r"^\s*[-*•]\s+(?=\[)", "", text)
    for part in _BOX_RE.split(stripped):
        if not part:
            continue
        if _BOX_RE.fullmatch(part):
            segs.append(Segment(box=part in CHECKED_GLYPHS))
        else:
            segs.append(Segment(part))
    return Line(segs, **kw)


def split_glyph_boxes(segments: list[Segment]) -> list[Segment]:
    """Turn ☐/☒ typed as text (outside answer fields) into checkbox segments."""
    if not any(s.box is None and s.field is None and _BOX_RE.search(s.text) for s in segments):
        return segments
    out: list[Segment] = []
    for s in segments:
        if s.box is not None or s.field is not None or not _BOX_RE.search(s.text):
            out.append(s)
            continue
        out.extend(text_line(s.text).segments)
    return out


def is_placeholder(text: str) -> bool:
    if len(text) > 120:
        return False
    f = fold(text)
    return not f or f in PLACEHOLDERS


def no_word(text: str) -> bool:
    """Text that is there but holds no letter or digit ("😀👍", "!!!", "…", "-"): no answer, yet never dropped
    silently — the import report names it."""
    return bool(text and text.strip()) and not any(ch.isalnum() for ch in text)


def strip_placeholder(text: str) -> str:
    return _PLACEHOLDER_RE.sub("", text)


# The words a form table's header row is made of ("Nr | Fråga | Svar"): the form's structure, not an answer.
_COLUMN_HEADS = frozenset({
    "nr", "nummer", "fråga", "frågor", "frågenummer", "frågenr", "fråga nr", "frågetext", "frågeområde",
    "svar", "ditt svar", "era svar", "svar kommentar", "svarsalternativ", "kommentar", "kommentarer", "val",
})


def is_column_header_row(cells: list[str]) -> bool:
    """True for a table row (or a line) of only column headings of a question/answer table, e.g. the
    'Nr | Fråga | Svar' row that begins every section's table in an older form: at least two headings, one
    of them for the question or the answer."""
    heads = [fold(c) for c in cells if fold(c)]
    return len(heads) >= 2 and all(h in _COLUMN_HEADS for h in heads) \
        and any(h.startswith(("fråga", "svar")) for h in heads)


@dataclass
class _Question:
    qid: str
    wording_left: tuple[str, ...]  # compact wording still expected, one per form that words the question so
    fields: dict[int, list[str]] = field(default_factory=dict)
    had_field: bool = False
    plain: list[tuple[str, bool]] = field(default_factory=list)
    since_box: list[int] = field(default_factory=list)  # indices into plain since the last box
    boxes: list[tuple[str, bool]] = field(default_factory=list)
    intro: bool = False
    after_prompt: bool = False
    plain_at_field: int = 0  # len(plain) when the last answer field was seen
    images: int = 0  # pictures under the question (a pasted table or screenshot)
    open_wording: bool = False  # a PDF heading of wording no form knows, cut at the line's end mid-sentence
    rest: str = ""  # the heading line's text after the id
    no_word: list[str] = field(default_factory=list)  # paragraphs/fields of only emoji or punctuation (reported)
    field_ids: list[int] = field(default_factory=list)  # every answer field under the question, filled or not


@dataclass
class Assembled:
    """Answers (question id, text, choice) in document order, the text before the first question, warnings."""

    answers: list[tuple[str, str, Optional[str]]]
    preamble: list[str]
    warnings: list[str]
    # the question each answer field (Segment.field) stands under, unanswered ones too: a reader's report can
    # name the question of a field it read as unanswered
    field_questions: dict[int, str] = field(default_factory=dict)


def match_option(qid: str, label: str) -> str:
    """The form's option text for a checkbox label (as written when no option fits)."""
    label = " ".join(label.split())
    c = headings.compact(label)
    options = [o for q in questions_by_id().get(qid, ()) for o in q.options]
    for o in options:
        if headings.compact(o) == c:
            return o
    # a label cut short (wrapped, truncated) is the one option it begins; "Ja, men arbete pågår" is not "Ja"
    cut = {o for o in options if c and headings.compact(o).startswith(c)}
    if len(cut) == 1:
        return cut.pop()
    if len(cut) > 1 and not any(c.startswith(headings.compact(o)) for o in options):
        return label  # "Nej" begins "Nej, och inget förslag …" and "Nej, men förslag …": not guessed (see ambiguous_options)
    best = [o for o in options if c and (headings.compact(o).startswith(c) or c.startswith(headings.compact(o)))]
    if best:
        return max(best, key=lambda o: len(headings.compact(o)) if c.startswith(headings.compact(o)) else -1)
    return label


def ambiguous_options(qid: str, label: str) -> list[str]:
    """The options of closed question `qid` that `label` begins when it begins more than one and is none of them
    ("Nej" of "Nej, och inget förslag finns framtaget" / "Nej, men förslag finns …"): match_option keeps such a
    label as written, and the report names the options it could be. Else []."""
    c = headings.compact(" ".join(label.split()))
    options = [o for q in questions_by_id().get(qid, ()) for o in q.options]
    if not c or any(headings.compact(o) == c or c.startswith(headings.compact(o)) for o in options):
        return []
    cut = list(dict.fromkeys(o for o in options if headings.compact(o).startswith(c)))  # a question of two forms
    return cut if len(cut) > 1 else []


def ambiguous_note(qid: str, label: str, where: str = "", who: str = "") -> str:
    """The report's line for a choice that fits several of the form's options (see ambiguous_options), or ''.
    `where`: the cell ("blad 'Svar', cell D3 (kolumn …)"), `who`: the respondent."""
    cut = ambiguous_options(qid, label)
    if not cut:
        return ""
    said = f"{where}: valet '{label.strip()}' ({who + ', ' if who else ''}fråga {qid})" if where else \
        f"fråga {qid}: valet '{label.strip()}'"
    return (f"{said} passar flera av formulärets alternativ ("
            + "; ".join(f"'{o}'" for o in cut) + "); det lästes som det är skrivet och räknas för sig — kontrollera "
            "vilket alternativ som menas")


def _exact_option(qid: str, text: str) -> Optional[str]:
    """The option of closed question `qid` that `text` is, word for word (case and punctuation aside)."""
    c = headings.compact(text)
    for q in questions_by_id().get(qid, ()):
        for o in q.options:
            if c and headings.compact(o) == c:
                return o
    return None


def _x_marked_option(qid: str, text: str) -> Optional[str]:
    """The option label of a line that marks it with a typed X ("X Ja", "Ja  X"), else None."""
    for rx in (_X_BEFORE, _X_AFTER):
        m = rx.match(text)
        if m and _is_option_label(qid, m.group(1)):
            return m.group(1).strip()
    return None


def _is_option_label(qid: str, text: str) -> bool:
    c = headings.compact(text)
    if not c:
        return False
    return any(headings.compact(o).startswith(c) or c == headings.compact(o)
               for q in questions_by_id().get(qid, ()) for o in q.options)


def assemble(lines: list[Line], *, join_wrapped: bool = False, typed_marks: bool = True) -> Assembled:
    """Group lines into answers; see the module docstring.

    `typed_marks`: read options marked with a typed X and options typed as plain lines (off for OCR text,
    whose checkbox lists `ocr.boxes_to_choice` reads)."""
    lines = _answers_typed_after_the_question(lines)
    lines = _split_glued_headings(lines)
    questions: list[_Question] = []
    preamble: list[str] = []
    warnings: list[str] = []
    cur: Optional[_Question] = None
    # Ids that have an unambiguous heading somewhere: a weak "2. ..." line is then a list item, not question 2.
    strong_ids = set()
    for line in lines:
        plain = line.plain.strip()
        if plain and (plain[0].isdigit() or plain[0] in "#*_FfQq"):
            h = headings.detect(plain, None, styled=line.styled, list_item=line.list_item)
            if h is not None and h.strong:
                strong_ids.add(h.qid)
    wrapped_titles = _wrapped_title_lines(lines)
    wrapped_placeholders = _wrapped_placeholder_lines(lines) if join_wrapped else set()
    in_intro = False
    prev_box = False  # the line before held a checkbox
    for i, line in enumerate(lines):
        was_box, prev_box = prev_box, False
        if line.images and cur is not None:
            cur.images += line.images
        plain = line.plain.strip()
        if plain and is_column_header_row(re.split(r"\s*[|\t]\s*|\s+", plain.strip("| "))):
            continue  # a question table's header row ("Nr Fråga Svar") read as one line (PDF, text)
        boxes = line.boxes()
        split = _heading_before_boxes(line, cur.qid if cur else None) if boxes else None
        if split is not None:  # "1. Finns det …? ☐ Ja ☒ Nej": the closed question and its options on one line
            h, line = split
            if cur is not None:
                _label_of_next(cur, h.qid, warnings)
            cur = _Question(h.qid, _wording_left(h.qid, h.rest))
            cur.rest = h.rest
            questions.append(cur)
            boxes, plain = line.boxes(), line.plain.strip()
        if typed_marks and cur is not None and plain and not boxes and not cur.after_prompt:
            marked = _x_marked_option(cur.qid, plain)
            if marked is not None:
                boxes = [(marked, True)]
        if i in wrapped_titles and cur is not None:
            continue  # a section title wrapped over two or three lines (a PDF of the form)
        if i in wrapped_placeholders:
            continue  # an empty field's placeholder wrapped in a narrow cell ("Klicka eller tryck här för att ange" / "text.")
        if plain and not boxes:
            h = headings.detect(plain, cur.qid if cur else None, styled=line.styled, list_item=line.list_item)
            if h is not None and not h.strong and h.qid in strong_ids:
                h = None
            if h is None and not any(seg.field is not None for seg in line.segments) \
                    and (len(plain) >= 30 or headings.letter_label(plain)) \
                    and not (cur is not None and not cur.plain and _continues(cur, headings.compact(plain))):
                h = headings.detect_by_wording(plain, cur.qid if cur else None)
            if h is not None:
                if cur is not None:
                    _label_of_next(cur, h.qid, warnings)
                cur = _Question(h.qid, _wording_left(h.qid, h.rest))
                # a long line cut mid-sentence, or (a narrow column) the first words of a form's wording that
                # goes on: the heading wraps onto the next lines
                cur.open_wording = join_wrapped and (_cut_mid_sentence(plain, h.rest) or (
                    _open_sentence(h.rest) and len(headings.compact(h.rest)) >= 10 and any(cur.wording_left)))
                cur.rest = h.rest
                questions.append(cur)
                _add_fields(cur, line)
                continue
        if cur is None:
            if fold(plain).startswith("från överenskommelsen"):
                in_intro = True  # the first section's introduction runs until the first question
            if plain and not in_intro:
                preamble.append(plain)
            for s in line.segments:
                if s.field is not None and not s.placeholder and not is_placeholder(s.text):
                    preamble.append(s.text.strip())
            continue
        _add_fields(cur, line)
        if not boxes and any(s.field is not None for s in line.segments):
            continue  # text beside a field on the same line is its label ("Svar:"), not an answer
        if boxes:
            for label, checked in boxes:
                if cur.since_box:
                    pending = " ".join(cur.plain[i][0] for i in cur.since_box)
                    joined = f"{pending} {label}".strip()
                    if not label or _is_option_label(cur.qid, joined):
                        label = joined
                        drop = set(cur.since_box)
                        cur.plain = [p for i, p in enumerate(cur.plain) if i not in drop]
                cur.boxes.append((label, checked))
                cur.since_box = []
            prev_box = True
            continue
        if not plain:
            if line.segments and all(s.field is None for s in line.segments) and cur.plain:
                cur.plain.append(("", True))  # blank line: paragraph break
            continue
        f = fold(plain)
        if f.startswith("från överenskommelsen") or any(f.startswith(a + " från överenskommelsen")
                                                         for a in area_titles() if a):
            cur.intro = True  # a section introduction runs until the next question
            continue
        if f in area_titles():
            continue  # a section title
        if line.styled:
            if not is_form_text(plain):
                warnings.append(f"rubriken '{_short(plain)}' under fråga {cur.qid} togs inte med i svaret")
            continue  # a sub-heading of its own
        if not cur.intro and no_word(plain):
            cur.no_word.append(plain)
            continue
        if cur.intro or is_placeholder(plain) or f.startswith(_BOILER):
            continue
        if f.startswith("lämna gärna en kommentar"):
            cur.after_prompt, cur.since_box = True, []
            continue
        like = headings.looks_like_heading(plain, cur.qid) if plain[:1].isdigit() else None
        if like is not None:
            warnings.append(f"fråga {cur.qid}: raden '{_short(plain, 80)}' ser ut som rubriken till fråga {like} men "
                            "följer inte formulärets ordning eller ordalydelse; den lästes som en del av svaret på "
                            f"fråga {cur.qid} — kontrollera i filen")
        c = headings.compact(plain)
        if cur.open_wording and not cur.plain and not cur.boxes and plain[:1].islower() and not _continues(cur, c):
            # "Fråga 13a. Beskriv insatser … till exempel" / "mobila team och hembesök.": the heading's own
            # wording wrapped in the PDF; an answer does not begin in the middle of a sentence. An answer that truly
            # begins in lowercase there is lost, so the import report names the line (nothing dropped silently)
            cur.open_wording = _open_sentence(plain)  # the sentence goes on until it ends
            warnings.append(f"fråga {cur.qid}: raden '{_short(plain, 80)}' lästes som slutet av frågans rubrik "
                            "(rubriken bröts mitt i en mening) och togs inte med i svaret; kontrollera i filen att "
                            "svaret inte börjar med den raden")
            continue
        if (not cur.plain or (join_wrapped and len(c) >= 4)) and _continues(cur, c):
            # the wording wrapped onto this line; in a PDF of a table form the question's cell may go on after
            # the first lines of the answer's cell
            cur.wording_left = tuple(w[len(c):] for w in cur.wording_left if w.startswith(c))
            if join_wrapped and not cur.plain and not cur.boxes:
                # a known wording that stops mid-sentence at the line's end (a narrow column) goes on below,
                # maybe in words of its own ("proaktivt arbetssätt." for the form's "proaktiva arbetssätt,")
                cur.open_wording = _open_sentence(plain)
            continue
        if not cur.plain and not cur.boxes and headings.wording_matches(cur.qid, plain):
            split = answer_after_wording(cur.qid, plain)
            if split is None:
                continue
            # the question's wording repeated before the answer in its cell or paragraph: the rest is the answer
            warnings.append(wording_before_note(cur.qid, split[0]))
            plain = split[1]
        text = strip_placeholder(plain).strip()
        if not cur.plain and (_LABEL_LINE.match(text) or (cur.boxes and _COMMENT_LINE.match(text))):
            continue  # "Svar" / "Kommentar" on a line (or in a cell) of its own: the label of what follows
        if not cur.plain and not cur.boxes:
            text = _SVAR_LABEL.sub("", text)  # "Svar: …" typed before the answer is its label
        elif not cur.plain and any(on is not None for _, on in cur.boxes):
            text = _COMMENT_LABEL.sub("", text)  # "Kommentar: …" under the options is the comment's label
        if not text or is_form_text(text):
            continue
        if was_box and cur.boxes and not cur.after_prompt:
            label, checked = cur.boxes[-1]
            if _is_option_label(cur.qid, f"{label} {text}") and not _exact_option(cur.qid, label):
                cur.boxes[-1] = (f"{label} {text}", checked)  # an option wrapped onto a second line
                prev_box = True  # … and maybe a third
                continue
        if not cur.after_prompt and _is_option_label(cur.qid, text):
            cur.since_box.append(len(cur.plain))
            cur.plain.append((text, True))
            continue
        cur.since_box.append(len(cur.plain))
        cur.plain.append((text, line.new_paragraph or not join_wrapped))
    if typed_marks:
        for q in questions:
            _options_typed_as_text(q, warnings)
    for q in questions:
        _answer_on_the_heading_line(q, warnings)
    return Assembled(_answers(questions, warnings), preamble, warnings,
                     {fid: q.qid for q in questions for fid in q.field_ids})


# how a question's own wording begins (any form, any year): such a heading line is the question, not its answer
_QUESTION_START = re.compile(r"(?i)^(beskriv|ange|redogör|redovisa|om möjligt|i den mån|i vilken|på vilket|hur|"
                             r"vilka|vilken|vilket|finns|har|här finns|kortfattat|uppge|berätta)\b")


def _answer_on_the_heading_line(q: _Question, warnings: list[str]) -> None:
    """"5a. Vi har satsat på trygg hemgång." with nothing under it: the text after the id is the answer (a quick
    reply typed on the id's line), not the question's wording, when it is no wording of the question, does not
    begin as a question does and reads as sentences; said in the report. Otherwise it stays the heading."""
    rest = " ".join(q.rest.split()).strip("*_ ")
    if not rest or q.fields or q.had_field or q.boxes or any(t.strip() for t, _ in q.plain) or q.images:
        return
    split = answer_after_wording(q.qid, rest)
    if split is not None:  # the whole wording, then the answer: a cell repeating the question before its answer
        q.plain = [(split[1], True)]
        warnings.append(wording_before_note(q.qid, split[0]))
        return
    if headings.wording_matches(q.qid, rest) or headings.abbreviates(q.qid, rest) or is_form_text(rest):
        return
    if len(rest.split()) < 3 or not rest.endswith((".", "!")) or _QUESTION_START.match(rest) or \
            _is_option_label(q.qid, rest):
        return
    q.plain = [(rest, True)]
    warnings.append(f"fråga {q.qid}: texten efter '{q.qid}' på samma rad ('{_short(rest, 50)}') är inte frågans "
                    "formulering och lästes som svaret — kontrollera")


def _label_of_next(cur: _Question, qid: str, warnings: list[str]) -> None:
    """A short line just before question `qid`'s heading that names that question ("Område 5a", "Avsnitt 5a"),
    as a form's label above the question's table, is no part of the answer before it (said in the report)."""
    while cur.plain and not cur.plain[-1][0].strip():
        cur.plain.pop()
    if not cur.plain:
        return
    last = " ".join(cur.plain[-1][0].split())
    if not cur.plain[-1][1] or re.match(r"(?i)(se|jfr|jämför|enligt|samma|som|svar)\b", last):
        return  # the tail of a wrapped sentence, or a reference to the next answer ("Se fråga 6")
    if len(last) > 30 or last.endswith((".", "!", "?", ":", ";", ",")) or not re.search(
            rf"(?i)(?<![\w.,]){re.escape(qid)}(?![\w])", last) or len(last.split()) > 3 or headings.detect(last, None):
        return
    cur.plain.pop()
    cur.since_box = [i for i in cur.since_box if i < len(cur.plain)]
    cur.plain_at_field = min(cur.plain_at_field, len(cur.plain))
    warnings.append(f"raden '{last}' före fråga {qid} lästes som frågans etikett och togs inte med i svaret på "
                    f"fråga {cur.qid}")


def _answers_typed_after_the_question(lines: list[Line]) -> list[Line]:
    """An answer typed on the question's own line, after the form's whole wording ("8a. Beskriv … verksamheter.
    Svar: Patientkontrakt testas."), becomes a line of its own after the question (it was dropped with the
    heading)."""
    out: list[Line] = []
    for line in lines:
        plain = line.plain.strip()
        if len(plain) < 30 or line.boxes() or any(s.field is not None for s in line.segments):
            out.append(line)
            continue
        h = headings.detect(plain, None, styled=line.styled, list_item=line.list_item)
        cut = _wording_end(h.qid, h.rest) if h is not None and h.rest else None
        if cut is None:
            out.append(line)
            continue
        start = plain.rfind(h.rest)
        tail = _SVAR_LABEL.sub("", h.rest[cut:].lstrip(" \t.:?!–-")).strip()
        if start < 0 or not tail:
            out.append(line)
            continue
        out.append(text_line(plain[:start + cut].rstrip(), styled=line.styled, list_item=line.list_item,
                             new_paragraph=line.new_paragraph))
        out.append(text_line(tail))
    return out


def answer_after_wording(qid: str, text: str) -> Optional[tuple[str, str]]:
    """(wording, answer) when `text` is a form's whole wording of question `qid` and then more text: the question
    repeated before its answer in one cell or paragraph. None otherwise."""
    c = headings.compact(text)
    if any(w.startswith(c) for w in headings.compact_wordings(qid)):
        return None  # the wording alone (a form's longer wording going on past a shorter one's end)
    cut = _wording_end(qid, text)
    tail = text[cut:].lstrip(" \t\n.:?!–-") if cut is not None else ""
    return (text[:cut], tail) if tail else None


def wording_before_note(qid: str, wording: str, where: str = "", who: str = "") -> str:
    """The report line for a question's wording taken off the front of its answer (`where`: the sheet's cell,
    `who`: the respondent, when the reader knows them)."""
    if where:
        return (f"{where}: frågans text ('{_short(wording, 50)}') stod före svaret ({who}, fråga {qid}) och togs "
                "inte med i svaret")
    return f"fråga {qid}: frågans text ('{_short(wording, 50)}') stod före svaret och togs inte med i svaret"


def _wording_end(qid: str, rest: str) -> Optional[int]:
    """Where a form's whole wording of question `qid` ends in `rest`, when more text follows it; else None."""
    c = headings.compact(rest)
    for w in sorted(headings.compact_wordings(qid), key=len, reverse=True):  # the longest wording it begins with
        if w and len(c) > len(w) and c.startswith(w):
            n = 0
            for k, ch in enumerate(rest):
                n += len(headings.compact(ch))
                if n >= len(w):
                    return k + 1
    return None


_GLUED_ID = re.compile(r"(?<![\d,])(\d{1,2}[a-h]?)[.)]\s+(?=[A-ZÅÄÖ])")


def _split_glued_headings(lines: list[Line]) -> list[Line]:
    """A line of a form's boxes or answer fields that runs on into the next questions ("… berörda parter3. Beskriv
    hur systemledningen …[field]6. Beskriv påbörjade …[field]": a table form whose cells ran together when the
    .doc went through LibreOffice) is split where a question's id and its known wording begin."""
    out: list[Line] = []
    for line in lines:
        if not any(s.box is not None or s.field is not None for s in line.segments):
            out.append(line)
            continue
        parts: list[list[Segment]] = [[]]
        for s in line.segments:
            if s.box is not None or s.field is not None:
                parts[-1].append(s)
                continue
            text, start = s.text, 0
            for m in _GLUED_ID.finditer(text):
                rest = text[m.start():]
                h = headings.detect(rest, None)
                if m.start() == 0 and not parts[-1]:
                    continue  # the line's own heading
                if h is None or not headings.wording_matches(h.qid, h.rest):
                    continue
                if text[start:m.start()]:
                    parts[-1].append(Segment(text[start:m.start()]))
                parts.append([])
                start = m.start()
            if text[start:]:
                parts[-1].append(Segment(text[start:], placeholder=s.placeholder))
        if len(parts) == 1:
            out.append(line)
            continue
        for k, segs in enumerate(parts):
            if segs:
                out.append(Line(segs, styled=line.styled, list_item=line.list_item,
                                new_paragraph=line.new_paragraph or k > 0, images=line.images if k == 0 else 0))
    return out


def _heading_before_boxes(line: Line, current: Optional[str]) -> Optional[tuple[headings.Heading, Line]]:
    """(heading, the line from its first box on) when a closed question's heading opens a line of checkboxes
    ("1. Finns det …? ☐ Ja ☒ Nej", or a table form's cells run together when a .doc went through LibreOffice):
    the options beside it are that question's. A box with no text beside it (a PDF form's box at the end of the
    question's line) is left as it was (reported by the PDF reader)."""
    first = next(i for i, s in enumerate(line.segments) if s.box is not None)
    lead = "".join(s.text for s in line.segments[:first] if s.field is None).strip()
    if not lead or not (lead[0].isdigit() or lead[0] in "#*_FfQq"):
        return None
    h = headings.detect(lead, current, styled=line.styled, list_item=line.list_item)
    if h is None or not h.strong or not any(q.closed for q in questions_by_id().get(h.qid, ())):
        return None
    rest = Line(line.segments[first:], styled=line.styled, list_item=line.list_item,
                new_paragraph=line.new_paragraph, images=line.images)
    if not any(label for label, _ in rest.boxes()):
        return None
    return h, rest


def _lines_spelling(lines: list[Line], targets: set[str], key: Callable[[Line], str], sep: str,
                    min_chars: int) -> set[int]:
    """Indices of lines that together (two or three in a row, each read by `key` and joined by `sep`) spell
    exactly one of `targets`; the first line (at least `min_chars` long, without boxes) begins one but is none."""
    out: set[int] = set()
    for i, line in enumerate(lines):
        first = key(line)
        if len(first) < min_chars or line.boxes() or first in targets or not any(t.startswith(first) for t in targets):
            continue
        joined = first
        for k in range(i + 1, min(i + 3, len(lines))):
            joined = f"{joined}{sep}{key(lines[k])}".strip()
            if joined in targets:
                out.update(range(i, k + 1))
                break
            if not any(t.startswith(joined) for t in targets):
                break
    return out


def _wrapped_placeholder_lines(lines: list[Line]) -> set[int]:
    """The lines of a field's placeholder text wrapped over two or three lines (a PDF of a table form whose answer
    cell is narrow): together they are the placeholder, so no line of it ("text.") is an answer."""
    return _lines_spelling(lines, set(PLACEHOLDERS), lambda line: fold(" ".join(line.plain.split())), " ", 10)


def _wrapped_title_lines(lines: list[Line]) -> set[int]:
    """Indices of lines that together (two or three in a row) spell exactly one section title."""
    titles = {t.replace(" ", "") for t in area_titles() if t}
    return _lines_spelling(lines, titles, lambda line: fold(line.plain).replace(" ", ""), "", 12)


def _short(text: str, n: int = 60) -> str:
    t = " ".join(text.split())
    return t if len(t) <= n else t[:n - 2].rstrip() + " …"


def _wording_left(qid: str, rest: str) -> tuple[str, ...]:
    """Compact wording still expected after the heading line (for wrapped wording): one per form whose wording of
    the question begins so (the region and the kommun form word 5a alike for its first words only)."""
    c = headings.compact(rest)
    return tuple(w[len(c):] for w in headings.compact_wordings(qid) if not c or w.startswith(c))


def _open_sentence(text: str) -> bool:
    """The text stops without a sentence's end."""
    text = (text or "").rstrip()
    return bool(text) and not text.endswith((".", "?", "!", ":", ";", ")", "”", '"'))


def _cut_mid_sentence(line: str, rest: str) -> bool:
    """A long heading line (wrapped at the page's width) whose wording stops without a sentence's end."""
    rest = (rest or "").rstrip()
    return len(line) >= 60 and bool(rest) and not rest.endswith((".", "?", "!", ":", ";", ")", "”", '"'))


def _continues(cur: _Question, c: str) -> bool:
    """The compact line `c` is the next piece of the question's wording."""
    return bool(c) and any(w.startswith(c) for w in cur.wording_left)


def _add_fields(cur: _Question, line: Line) -> None:
    for s in line.segments:
        if s.field is None or s.box is not None:
            continue
        cur.field_ids.append(s.field)
        cur.had_field = True
        cur.plain_at_field = len(cur.plain)
        text = s.text
        if not s.placeholder and no_word(text):
            cur.no_word.append(text.strip())
            continue
        if s.placeholder or is_placeholder(text):
            continue
        text = strip_placeholder(text).strip("\n")
        if text.strip():
            cur.fields.setdefault(s.field, []).append(text.rstrip())


def _join_plain(parts: list[tuple[str, bool]]) -> str:
    out: list[str] = []
    for text, new_para in parts:
        if not text:
            if out and out[-1] != "":
                out.append("")
            continue
        if out and not new_para and out[-1] and not re.match(r"^\s*[-•*–]\s", text):
            out[-1] = out[-1] + " " + text
        else:
            out.append(text)
    return "\n".join(t for t in out if t)


_WIDE_GAP = re.compile(r"\s{2,}|\t+|\s*\|\s*")


def _options_on_one_line(q: _Question) -> None:
    """Options typed side by side on one line, one of them marked with an X ("Ja X   Nej   …", "Ja | Nej X"):
    the marked option is the choice and the line is no answer text. Every piece between wide gaps must be an
    option of the question (with or without its X), and exactly one must be marked."""
    for i, (text, _) in enumerate(q.plain):
        parts = [p for p in _WIDE_GAP.split(text.strip()) if p.strip()]
        if len(parts) < 2:
            continue
        marked, ok = [], True
        for part in parts:
            if _exact_option(q.qid, part):
                continue
            m = next((rx.match(part) for rx in (_X_BEFORE, _X_AFTER) if rx.match(part)), None)
            if m and _exact_option(q.qid, m.group(1)):
                marked.append(_exact_option(q.qid, m.group(1)))
            else:
                ok = False
                break
        if ok and len(marked) == 1:
            del q.plain[i]
            q.plain_at_field -= 1 if i < q.plain_at_field else 0
            q.boxes.append((marked[0], True))
            return


_LONE_X = re.compile(r"(?<!\S)\(?[xX]\)?(?!\S)")


def _first_word(text: str) -> str:
    m = re.match(r"\W*(\w+)", text)
    return m.group(1).lower() if m else ""


def _ambiguous_x(q: _Question, warnings: list[str]) -> None:
    """A line where one X stands between two options typed with single spaces ("Ja X Nej"): whether it marks
    the option before or after it cannot be told, so no choice is read; the line stays as answer text and the
    report says so (never silently)."""
    starts = {_first_word(o) for qq in questions_by_id().get(q.qid, ()) for o in qq.options} - {""}
    for text, _ in q.plain:
        t = " ".join(text.split())
        marks = list(_LONE_X.finditer(t))
        if len(t) > 160 or len(marks) != 1:
            continue
        before, after = t[:marks[0].start()].strip(), t[marks[0].end():].strip()
        if before and after and _first_word(before) in starts and _first_word(after) in starts \
                and (_exact_option(q.qid, before) or _exact_option(q.qid, after)
                     or len(before.split()) + len(after.split()) <= 6):
            warnings.append(f"fråga {q.qid}: raden '{_short(t, 60)}' har ett X mellan två svarsalternativ, och det "
                            "går inte att avgöra vilket som är markerat; inget val lästes och raden sparades som "
                            "svarstext — kontrollera mot originalet och rätta valet i appen")
            return


def _options_typed_as_text(q: _Question, warnings: list[str]) -> None:
    """A closed question whose options stand as plain lines (the checkboxes deleted): the options are not
    answer text. Beside a marked option (a box or a typed X) they are the unmarked ones; alone, one option is
    the choice typed by the sender, and several are a list left unmarked (no answer, said in the report)."""
    _options_on_one_line(q)
    if not q.boxes:
        _ambiguous_x(q, warnings)
    exact = [i for i, (text, _) in enumerate(q.plain) if text and _exact_option(q.qid, text)]
    if not exact:
        return
    rest = [p for i, p in enumerate(q.plain) if i not in exact]
    q.plain_at_field -= sum(1 for i in exact if i < q.plain_at_field)
    if q.boxes:
        q.plain = rest
    elif len(exact) == 1:
        q.boxes.append((_exact_option(q.qid, q.plain[exact[0]][0]) or "", True))
        q.plain = rest
    else:
        q.plain = rest
        warnings.append(f"fråga {q.qid}: svarsalternativen står som text utan markering (ingen ruta eller X); "
                        "inget val lästes")


def _answers(questions: list[_Question], warnings: list[str]) -> list[tuple[str, str, Optional[str]]]:
    merged: dict[str, tuple[list[str], Optional[str]]] = {}
    for q in questions:
        if q.fields:
            text = "\n".join(p for paras in q.fields.values() for p in paras)
            below = _join_plain(q.plain[q.plain_at_field:])
            if below.strip():  # the sender went on writing under the filled field
                text = f"{text}\n{below}"
                warnings.append(f"fråga {q.qid}: text skriven efter svarsfältet togs med i svaret "
                                f"('{_short(below, 40)}')")
        elif not q.had_field:
            text = _join_plain(q.plain)
        else:  # only unanswered fields: text typed after the field (outside it) is the answer
            text = _join_plain(q.plain[q.plain_at_field:])
        if q.images:
            warnings.append(f"fråga {q.qid}: svaret innehåller en bild (t.ex. en inklistrad tabell eller skärmbild) "
                            "som inte kan läsas som text — se originalfilen")
        checked = [label for label, on in q.boxes if on]
        choice = match_option(q.qid, checked[0]) if checked else None
        if checked and ambiguous_note(q.qid, checked[0]):
            warnings.append(ambiguous_note(q.qid, checked[0]))
        if len(checked) > 1:
            warnings.append(f"fråga {q.qid}: flera rutor är ikryssade; den första ({choice}) används.")
        for stretch in q.no_word:
            if text.strip() or choice:
                warnings.append(f"fråga {q.qid}: stycket '{_short(stretch, 40)}' har ingen bokstav eller siffra och "
                                "togs inte med i svaret")
            else:
                warnings.append(f"fråga {q.qid}: svaret '{_short(stretch, 40)}' har ingen bokstav eller siffra och "
                                "lästes som inget svar (frågan räknas som obesvarad)")
        texts, prev_choice = merged.get(q.qid, ([], None))
        if text.strip():
            texts.append(text.strip())
        merged[q.qid] = (texts, prev_choice or choice)
    return [(qid, "\n".join(texts), choice) for qid, (texts, choice) in merged.items() if texts or choice]
