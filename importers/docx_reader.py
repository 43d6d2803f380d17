"""Word forms (.docx): answers in content controls, checkboxes, and plain paragraphs.

The body XML is walked in document order (python-docx's `paragraphs` skips content
controls). Block-level, inline and table-cell `w:sdt` that hold text are answer fields;
a field showing its placeholder (`w:showingPlcHdr` or the placeholder text) is
unanswered. `w14:checkbox` controls (and legacy checkbox form fields) are checkboxes
whose label is the text beside them. Tracked changes: inserted text kept, deleted text
dropped. Hyperlinks keep their text. The page header counts as the document's header
when looking for the respondent.
"""
from __future__ import annotations

import itertools
import re
import zipfile
from typing import Iterator, Optional

from lxml import etree

from importers import headings
from importers.common import guarded, parsed_from_lines
from importers.errors import ImportFailure
from importers.layout import Line, Segment, is_column_header_row, is_placeholder, no_word, split_glyph_boxes
from importers.safety import open_zip, parse_xml, read_member
from models.records import ParsedFile
from reference.registry import find_in_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_SKIP = {W + "del", W + "moveFrom", W + "pPr", W + "rPr", W + "sdtPr", W + "sdtEndPr", W + "tblPr", W + "trPr",
         W + "tcPr", W + "tblGrid", W + "sectPr", W + "proofErr", W + "bookmarkStart", W + "bookmarkEnd",
         W + "commentRangeStart", W + "commentRangeEnd", MC + "Fallback", W + "instrText", W + "delText",
         W + "delInstrText", W + "footnoteReference", W + "endnoteReference", W + "commentReference"}
# a checkbox inserted as a symbol (Insert > Symbol, or a form's box glyph): font -> character codes (the low
# byte; Word writes them as F0xx) of a checked and of an empty box
_SYMBOL_BOXES = {
    "wingdings": ({0xFE, 0xFD, 0x78}, {0xA8, 0x6F, 0x71, 0x72}),
    "wingdings 2": ({0x51, 0x52, 0x53, 0x54}, {0x2A, 0xA3}),
}
_DROPDOWN_PROMPT = re.compile(r"(?i)^\W*(välj|choose|select|klicka)\b")
# a form field's prompt in the imperative ("Klicka här och skriv", "Skriv ert svar här", "Ange text här."):
# what a form's author puts in a field, never an answer
_IMPERATIVE_PROMPT = re.compile(
    r"(?i)^\W*(?:klicka|tryck|skriv|ange|fyll\s+i|för\s+in|click|tap|type|enter)\b[^.!?\n]{0,60}\b(?:här|here)\b"
    r"[^.!?\n]{0,40}[.…:!]*\s*$")
# a form field's text that names what goes in it rather than answering ("Svar", "Text", "Ert svar", "[fyll i]",
# "Ange antal", "Text1"): what an author types as a field's default; only read so when no default is saved to compare
# with (a real short answer, "Ja", "Nej", "12", "Se bilaga", is none of these)
_FIELD_LABEL = re.compile(
    r"(?i)^\W*(?:(?:ert|ditt|vårt|era|dina|våra)\s+svar|svar(?:stext)?|fritext(?:svar)?|text(?:\s*\d{1,3})?|"
    r"kommentar(?:er)?|beskrivning|antal|datum|namn|belopp|summa|xx+|text here|your answer|answer)\W*$"
    r"|^\s*[\[<{][^\]>}]{1,40}[\]>}]\s*$"
    r"|^\W*(?:klicka|tryck|skriv|ange|fyll\s+i|för\s+in|beskriv|click|type|enter)\b(?:\s+\w+){0,3}[.:…]*\s*$")
_HEADING_STYLE = re.compile(r"(?i)^(heading|rubrik|title|titel|subtitle)")


_STRICT = (b"http://purl.oclc.org/ooxml/wordprocessingml/main",
           b"http://schemas.openxmlformats.org/wordprocessingml/2006/main")


def _member(name: str, zf: zipfile.ZipFile, member: str) -> bytes:
    """A part's bytes; ISO "Strict Open XML" namespaces are mapped to the usual (transitional) ones."""
    return read_member(name, zf, member).replace(*_STRICT)


class DocxReader:
    """Reader for Word documents (.docx)."""

    format = "docx"
    extensions = (".docx",)

    @guarded
    def read(self, data: bytes, name: str) -> ParsedFile:
        zf = open_zip(name, data, "Word-dokument")
        root = parse_xml(name, _member(name, zf, "word/document.xml"), "word/document.xml")
        body = root.find(W + "body")
        if body is None:
            raise ImportFailure(name, "Word-dokumentet saknar innehåll (ingen brödtext).")
        styles = _heading_styles(name, zf)
        walker = _Walker(styles, _section_respondents(name, zf, body))
        lines = list(walker.block_children(body, None))
        header_lines = _header_lines(name, zf)
        field_questions: dict[int, str] = {}
        parsed = parsed_from_lines(data, name, self.format, lines, header_lines, field_questions)
        if walker.section_names:
            parsed.warnings.append(f"dokumentet har en sektion per respondent med respondenten i sidhuvudet "
                                   f"({', '.join(walker.section_names)}); varje sektion lästes som sin respondents svar")
        if body.find(f".//{W}altChunk") is not None:
            parsed.warnings.append("dokumentet innehåller inklistrat innehåll (altChunk) som inte kunde läsas.")
        if root.find(f".//{W}txbxContent") is not None:
            note = "dokumentet har textrutor; deras text lästes efter stycket de står i"
            if walker.repeated_boxes:
                note += (f" ({walker.repeated_boxes} {'textruta' if walker.repeated_boxes == 1 else 'textrutor'} "
                         "upprepade ordagrant texten i stycket de står i och lästes bara en gång)")
            parsed.warnings.append(note + ".")
        note = _struck_note(walker.struck, parsed.answers)
        if note:
            parsed.warnings.append(note)
        if walker.label_fields:
            n = len(walker.label_fields)
            shown = "; ".join(_field_shown(field_questions.get(fid), f, t) for fid, f, t in walker.label_fields)
            parsed.warnings.append(
                f"{n} formulärfält (äldre Word-formulärfält) visar en text som ser ut som fältets etikett eller "
                f"platshållare, inte som ett svar ({shown}), och formuläret har ingen sparad standardtext att jämföra "
                f"med; {'fältet lästes som obesvarat' if n == 1 else 'fälten lästes som obesvarade'} — kontrollera i "
                "originalet att texten inte är svaret")
        if walker.prompt_fields:
            n = len(walker.prompt_fields)
            shown = "; ".join(_field_shown(field_questions.get(fid), "", t) for fid, t in walker.prompt_fields)
            parsed.warnings.append(
                f"{n} formulärfält (äldre Word-formulärfält) visar en uppmaning ({shown}) men formuläret har ingen "
                "sparad standardtext att jämföra med (den försvinner när formuläret sparas som .doc eller går genom "
                f"LibreOffice); {'fältet lästes som obesvarat' if n == 1 else 'fälten lästes som obesvarade'} — "
                "kontrollera i originalet att uppmaningen inte är svaret")
        note = _tracked_note(body)
        if note:
            parsed.warnings.append(note)
        comments = _comments(name, zf)
        if comments:
            shown = "; ".join(f"{author or 'okänd'}: '{_short(text)}'" for author, text in comments[:3])
            more = f" och {len(comments) - 3} till" if len(comments) > 3 else ""
            parsed.warnings.append(
                f"dokumentet har {len(comments)} {'kommentar' if len(comments) == 1 else 'kommentarer'} i marginalen "
                f"({shown}{more}); kommentarer är inte svar och togs inte med — läs dem i originalet")
        notes = _footnotes(name, zf)
        if notes:
            shown = "; ".join(f"'{_short(text)}'" for text in notes[:3])
            more = f" och {len(notes) - 3} till" if len(notes) > 3 else ""
            parsed.warnings.append(
                f"dokumentet har {len(notes)} {'fotnot eller slutkommentar' if len(notes) == 1 else 'fotnoter eller slutkommentarer'} "
                f"({shown}{more}); {'den' if len(notes) == 1 else 'de'} lästes inte som svar — läs "
                f"{'den' if len(notes) == 1 else 'dem'} i originalet och lägg till det som hör till ett svar")
        return parsed


def _field_shown(qid: Optional[str], field_name: str, text: str) -> str:
    """A legacy field in the report: the question it stands under (what the analyst looks for in the form), then
    Word's own name for the field ("Text1") when it has one; the field name alone when no question is above it."""
    if qid:
        return f"fråga {qid}{f' (fältet {field_name})' if field_name else ''}: '{_short(text)}'"
    return f"fält '{field_name}': '{_short(text)}'" if field_name else f"'{_short(text)}'"


def _tracked_note(body: etree._Element) -> Optional[str]:
    """The report line for changes tracked but not yet accepted or rejected (Granska > Spåra ändringar): the text
    is read as if every change were accepted, which the sender may not have meant."""
    inserted = sum(1 for el in body.iter(W + "ins", W + "moveTo") if "".join(el.itertext()).strip())
    deleted = [" ".join("".join(t.text or "" for t in el.iter(W + "delText")).split())
               for el in body.iter(W + "del", W + "moveFrom")]
    deleted = [d for d in deleted if d]
    if not inserted and not deleted:
        return None
    parts = []
    if inserted:
        parts.append(f"{inserted} {'infogning' if inserted == 1 else 'infogningar'} lästes som en del av svaren")
    if deleted:
        shown = "; ".join(f"'{_short(d, 40)}'" for d in deleted[:3]) + (f" och {len(deleted) - 3} till"
                                                                       if len(deleted) > 3 else "")
        parts.append(f"{len(deleted)} {'borttagning' if len(deleted) == 1 else 'borttagningar'} togs inte med "
                     f"({shown})")
    return ("dokumentet har spårade ändringar som inte godkänts: " + " och ".join(parts)
            + " — kontrollera i originalet att det är den slutliga versionen")


_STYLE_RE = re.compile(rb"w:styleId=\"([^\"]*)\"[^>]*>\s*(?:<w:name\s+w:val=\"([^\"]*)\")?")


def _heading_styles(name: str, zf: zipfile.ZipFile) -> set[str]:
    """Style ids whose id or name says heading/rubrik/title (a light scan; styles.xml can be large)."""
    ids: set[str] = set()
    if "word/styles.xml" not in zf.namelist():
        return ids
    data = _member(name, zf, "word/styles.xml")
    if b"<!DOCTYPE" in data[:65536] or b"<!ENTITY" in data[:65536]:
        raise ImportFailure(name, "filen innehåller en DTD med entiteter (word/styles.xml); sådana filer avvisas av säkerhetsskäl.")
    for m in _STYLE_RE.finditer(data):
        sid = m.group(1).decode("utf-8", "replace")
        label = (m.group(2) or b"").decode("utf-8", "replace")
        if _HEADING_STYLE.match(sid) or _HEADING_STYLE.match(label):
            ids.add(sid)
    return ids


def _comments(name: str, zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(author, text) of the reviewers' comments in the margin (word/comments.xml), which are no answers."""
    if "word/comments.xml" not in zf.namelist():
        return []
    root = parse_xml(name, _member(name, zf, "word/comments.xml"), "word/comments.xml")
    out = []
    for c in root.iter(W + "comment"):
        text = " ".join("".join(t.text or "" for t in p.iter(W + "t")) for p in c.iter(W + "p")).strip()
        if text:
            out.append(((c.get(W + "author") or "").strip(), text))
    return out


def _footnotes(name: str, zf: zipfile.ZipFile) -> list[str]:
    """The text of the footnotes and endnotes (word/footnotes.xml, word/endnotes.xml; not Word's separators),
    which are not read with the answers they stand in."""
    out = []
    for part, tag in (("word/footnotes.xml", "footnote"), ("word/endnotes.xml", "endnote")):
        if part not in zf.namelist():
            continue
        root = parse_xml(name, _member(name, zf, part), part)
        for note in root.iter(W + tag):
            if note.get(W + "type") not in (None, "normal"):
                continue  # the separator lines Word keeps in every document
            text = " ".join("".join(t.text or "" for t in p.iter(W + "t")) for p in note.iter(W + "p")).strip()
            if text:
                out.append(text)
    return out


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n].rstrip() + " …"


def _header_lines(name: str, zf: zipfile.ZipFile) -> list[str]:
    out: list[str] = []
    # the page header, then the footer: where a form may name its respondent ("Sjöbo kommun – Slutredovisning")
    members = [n for n in zf.namelist() if re.fullmatch(r"word/(?:header|footer)\d*\.xml", n)]
    for member in sorted(members, key=lambda n: (not n.startswith("word/header"), n)):
        root = parse_xml(name, _member(name, zf, member), member)
        for p in root.iter(W + "p"):
            text = "".join(t.text or "" for t in p.iter(W + "t")).strip()
            if text:
                out.append(text)
    return out


def _section_respondents(name: str, zf: zipfile.ZipFile, body: etree._Element) -> list[Optional[str]]:
    """The respondent each section's page header names (sections in document order), when the sections'
    headers name at least two different respondents (one Word file holding several kommuners' forms, a
    section each); else []. A section without a header of its own keeps the one before."""
    sections = [el.find(f"{W}pPr/{W}sectPr") for el in body if el.tag == W + "p"]
    sections = [s for s in sections if s is not None] + [body.find(W + "sectPr")]
    if len(sections) < 2 or "word/_rels/document.xml.rels" not in zf.namelist():
        return []
    rels = parse_xml(name, _member(name, zf, "word/_rels/document.xml.rels"), "word/_rels/document.xml.rels")
    target = {r.get("Id"): r.get("Target", "") for r in rels.iter(PKG_REL + "Relationship")}
    names: list[Optional[str]] = []
    current: Optional[str] = None
    for sect in sections:
        refs = [] if sect is None else [r for r in sect.findall(W + "headerReference") if r.get(W + "type") == "default"]
        if refs:
            member = "word/" + target.get(refs[0].get(R + "id"), "").lstrip("/").removeprefix("word/")
            current = None
            if member in zf.namelist():
                root = parse_xml(name, _member(name, zf, member), member)
                for p in root.iter(W + "p"):
                    found = find_in_text("".join(t.text or "" for t in p.iter(W + "t")).strip())
                    if found is not None:
                        current = getattr(found, "raw_name", None) or found.name
                        break
        names.append(current)
    return names if len({n for n in names if n}) >= 2 else []


def _is_checkbox(sdt: etree._Element) -> bool:
    pr = sdt.find(W + "sdtPr")
    return pr is not None and pr.find(W14 + "checkbox") is not None


def _checkbox_state(sdt: etree._Element) -> bool:
    el = sdt.find(f"{W}sdtPr/{W14}checkbox/{W14}checked")
    if el is not None:
        return (el.get(W14 + "val") or "").lower() in ("1", "true", "on")
    text = "".join(t.text or "" for t in sdt.iter(W + "t"))
    return "\u2612" in text or "\u2611" in text


def _list_choice(sdt: etree._Element) -> Optional[str]:
    """The entry chosen in a drop-down list (or combo box) content control: its text when it is one of the
    control's entries and not its prompt ("Välj ett objekt."), else None (a combo box's own typed text is text)."""
    pr = sdt.find(W + "sdtPr")
    if pr is None or pr.find(W + "showingPlcHdr") is not None:
        return None
    lst = pr.find(W + "dropDownList")
    lst = lst if lst is not None else pr.find(W + "comboBox")
    if lst is None:
        return None
    text = " ".join("".join(t.text or "" for t in sdt.iter(W + "t")).split())
    entries = {" ".join((item.get(W + k) or "").split()) for item in lst.findall(W + "listItem")
               for k in ("displayText", "value")}
    if not text or text not in entries or no_word(text) or is_placeholder(text) or _DROPDOWN_PROMPT.match(text):
        return None
    return text


def _showing_placeholder(sdt: etree._Element) -> bool:
    pr = sdt.find(W + "sdtPr")
    return pr is not None and pr.find(W + "showingPlcHdr") is not None


class _Walker:
    def __init__(self, heading_styles: set[str], sections: Optional[list[Optional[str]]] = None):
        self.heading_styles = heading_styles
        self.sections = sections or []  # the respondent each section's header names (see _section_respondents)
        self.section = 0
        self.section_names: list[str] = []  # the respondents read from the sections' headers, in order
        self.ids = itertools.count(1)
        self.repeated_boxes = 0
        self.struck: list[str] = []  # struck-through text (w:strike, w:dstrike), one item per stretch of runs
        self._striking = False
        # an open legacy text form field (FORMTEXT, Word 97's "Formulärfält"): its id, its default text (what
        # an untouched field shows), whether its result has begun, the result's segments, nested fields' depth
        self._form: Optional[dict] = None
        self._run_start = 0
        # legacy text fields with no default text saved (lost when the form went through LibreOffice, e.g. as
        # .doc) still showing an imperative prompt ("Klicka här och skriv"): read as unanswered and reported
        self.prompt_fields: list[tuple[int, str]] = []  # (field id, text shown)
        # such fields showing a label-like text ("Svar", "Text", "[fyll i]", "Ange antal"): (field name, text)
        self.label_fields: list[tuple[int, str, str]] = []  # (field id, field name, text shown)

    # ---------------------------------------------------------------- blocks
    def block_children(self, parent: etree._Element, field: Optional[tuple[int, bool]]) -> Iterator[Line]:
        for el in parent:
            tag = el.tag
            if self.sections and parent.tag == W + "body" and self.section == 0 and not self.section_names:
                yield from self._section_start()
            if tag == W + "p":
                yield from self.paragraph(el, field)
                if self.sections and parent.tag == W + "body" and el.find(f"{W}pPr/{W}sectPr") is not None:
                    self.section += 1  # a section break: the next section's respondent starts its part
                    yield from self._section_start()
            elif tag == W + "tbl":
                yield from self.table(el, field)
            elif tag == W + "sdt":
                yield from self.block_sdt(el, field)
            elif tag in (W + "customXml", W + "ins", W + "moveTo", W + "smartTag", W + "sdtContent") or tag == MC + "AlternateContent" or tag == MC + "Choice":
                yield from self.block_children(el, field)
            # w:del / w:moveFrom / properties: nothing to read

    def _section_start(self) -> Iterator[Line]:
        """A respondent line ("Svar från: Hofors kommun") where a section whose header names a new respondent
        begins, so that section is read as that respondent's part of the document."""
        if self.section >= len(self.sections):
            return
        who = self.sections[self.section]
        if who and (not self.section_names or self.section_names[-1] != who):
            self.section_names.append(who)
            yield Line([Segment(f"Svar från: {who}")], new_paragraph=True)

    def block_sdt(self, sdt: etree._Element, field: Optional[tuple[int, bool]]) -> Iterator[Line]:
        content = sdt.find(W + "sdtContent")
        if content is None:
            return
        if _is_checkbox(sdt):
            yield Line([Segment(box=_checkbox_state(sdt))])
            return
        choice = _list_choice(sdt)
        if choice is not None:  # a drop-down list's entry: a ticked box with that label, as a legacy drop-down's
            yield Line([Segment(box=True), Segment(" " + choice)])
            return
        if field is None and not self._is_container(content):
            field = (next(self.ids), _showing_placeholder(sdt))
        for child in content:
            if child.tag == W + "tc":
                yield from self.block_children(child, field)
            else:
                yield from self.block_children(content, field)
                break

    def _is_container(self, content: etree._Element) -> bool:
        """A control that wraps questions or checkboxes is transparent, not an answer field."""
        if content.find(f".//{W14}checkbox") is not None:
            return True
        for p in content.iter(W + "p"):
            text = "".join(t.text or "" for t in p.iter(W + "t")).strip()
            h = headings.detect(text, None) if text else None
            if h is not None and h.strong:
                return True
        return False

    def table(self, tbl: etree._Element, field: Optional[tuple[int, bool]]) -> Iterator[Line]:
        marked = _mark_table(tbl)
        if marked is not None:  # options in one column, the respondent's X beside them: a checkbox list
            yield from (Line([Segment(box=on), Segment(label)]) for on, label in marked)
            return
        for tr in tbl.iter(W + "tr"):
            if tr.getparent() is not None and _nearest_table(tr) is not tbl:
                continue  # rows of nested tables are read through their own cell
            if _is_header_row(tr):
                continue  # "Nr | Fråga | Svar": the table's column headings, not an answer
            labelled = _respondent_row(tr)
            if labelled is not None:  # "Kommun | Hofors kommun": one line naming the respondent, as typed in text
                yield Line([Segment(labelled)])
                continue
            for cell in tr:
                if cell.tag == W + "tc":
                    yield from self.block_children(cell, field)
                elif cell.tag == W + "sdt":
                    yield from self.block_sdt(cell, field)
                elif cell.tag in (W + "customXml", W + "ins"):
                    for tc in cell.iter(W + "tc"):
                        yield from self.block_children(tc, field)

    # ------------------------------------------------------------ paragraphs
    def paragraph(self, p: etree._Element, field: Optional[tuple[int, bool]]) -> Iterator[Line]:
        ppr = p.find(W + "pPr")
        styled = list_item = False
        self._striking = False
        if ppr is not None:
            st = ppr.find(W + "pStyle")
            sid = st.get(W + "val") if st is not None else ""
            styled = bool(sid) and (sid in self.heading_styles or bool(_HEADING_STYLE.match(sid)))
            list_item = ppr.find(W + "numPr") is not None or "list" in (sid or "").lower()
            if ppr.find(W + "outlineLvl") is not None:
                styled = True
        segments: list[Segment] = []
        extra: list[Line] = []
        self.inline(p, field, segments, extra)
        yield Line(split_glyph_boxes(_merge(segments)), styled=styled, list_item=list_item, images=_pictures(p))
        own = " ".join("".join(s.text for s in segments if s.box is None).split())
        boxed = " ".join(" ".join("".join(s.text for s in ln.segments if s.box is None) for ln in extra).split())
        if own and boxed and (boxed == own or (len(boxed) >= 20 and boxed in own)):
            self.repeated_boxes += 1  # a text box repeating its own paragraph word for word: read once
            return
        yield from extra

    def inline(self, el: etree._Element, field: Optional[tuple[int, bool]], out: list[Segment], extra: list[Line]) -> None:
        fid, ph = field if field else (None, False)
        for child in el:
            tag = child.tag
            if tag in _SKIP:
                continue
            if tag == W + "r":
                self.run(child, field, out, extra)
            elif tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is None:
                    continue
                if _is_checkbox(child):
                    out.append(Segment(box=_checkbox_state(child)))
                elif _list_choice(child) is not None:  # a drop-down list's entry, as a legacy drop-down field's
                    out.extend([Segment(box=True), Segment(" " + _list_choice(child))])
                elif field is not None:
                    if not _showing_placeholder(child):  # nested control inside a field: its text, not its placeholder
                        self.inline(content, field, out, extra)
                else:
                    self.inline(content, (next(self.ids), _showing_placeholder(child)), out, extra)
            elif tag == W + "fldSimple" or tag in (W + "hyperlink", W + "ins", W + "moveTo", W + "smartTag",
                                                  W + "customXml", W + "dir", W + "bdo", MC + "AlternateContent",
                                                  MC + "Choice", W + "sdtContent"):
                self.inline(child, field, out, extra)

    def run(self, r: etree._Element, field: Optional[tuple[int, bool]], out: list[Segment], extra: list[Line]) -> None:
        form = self._form
        if field is None and form is not None and form["result"] and not form["depth"]:
            field = (form["id"], False)  # the result of a legacy text field: the answer field's text
        fid, ph = field if field else (None, False)
        self._run_start = len(out)
        text = "".join(t.text or "" for t in r.findall(W + "t"))
        if text.strip():
            if _struck(r):
                if self._striking:
                    self.struck[-1] += text
                else:
                    self.struck.append(text)
            self._striking = _struck(r)
        symbol_font = _symbol_font(r)
        for child in r:
            tag = child.tag
            if tag == W + "t" and symbol_font and child.text and child.text.strip():
                for ch in child.text:  # box glyphs typed in a Wingdings run ("þ", "¨" or U+F0FE)
                    box = _symbol_box(symbol_font, f"{ord(ch):X}")
                    out.append(Segment(box=box) if box is not None else Segment(ch, fid, ph))
            elif tag == W + "t":
                out.append(Segment(child.text or "", fid, ph))
            elif tag == W + "tab":
                out.append(Segment("\t", fid, ph))
            elif tag in (W + "br", W + "cr"):
                out.append(Segment("\n", fid, ph))
            elif tag == W + "noBreakHyphen":
                out.append(Segment("-", fid, ph))
            elif tag == W + "sym":
                box = _symbol_box(child.get(W + "font"), child.get(W + "char"))
                if box is not None:
                    out.append(Segment(box=box))
            elif tag == W + "fldChar":
                cb = child.find(f"{W}ffData/{W}checkBox")
                if cb is not None:
                    val = cb.find(W + "checked")
                    if val is None:
                        val = cb.find(W + "default")
                    on = val is not None and (val.get(W + "val") or "1").lower() in ("1", "true", "on")
                    out.append(Segment(box=on))
                else:
                    self._form_field_char(child, out)
            elif tag == MC + "AlternateContent" or tag in (W + "drawing", W + "pict", W + "object"):
                for box in child.iter(W + "txbxContent"):
                    if any(a.tag == MC + "Fallback" for a in box.iterancestors()):
                        continue
                    extra.extend(self.block_children(box, field))
        self._note_form_segments(out)

    def _form_field_char(self, fc: etree._Element, out: list[Segment]) -> None:
        """Follow a legacy text form field (FORMTEXT): begin (with w:ffData/w:textInput) - instruction -
        separate - result runs - end. Its result is an answer field like a content control's text; a result
        that is still the field's default text (what the form's author put there, e.g. "Skriv här") or only
        spaces (an unfilled field shows five en spaces) is an unanswered field."""
        kind = fc.get(W + "fldCharType")
        form = self._form
        if kind == "begin":
            if form is not None:
                form["depth"] += 1  # a field inside the form field's result (rare): read as its text
                return
            dd = fc.find(f"{W}ffData/{W}ddList")
            if dd is not None:
                self._dropdown(dd, out)
                return
            ti = fc.find(f"{W}ffData/{W}textInput")
            if ti is not None:
                default = ti.find(W + "default")
                fname = fc.find(f"{W}ffData/{W}name")
                self._form = {"id": next(self.ids), "default": (default.get(W + "val") or "") if default is not None
                              else "", "result": False, "depth": 0, "segments": [],
                              "name": (fname.get(W + "val") or "") if fname is not None else ""}
        elif form is None:
            return
        elif form["depth"]:
            if kind == "end":
                form["depth"] -= 1
        elif kind == "separate":
            form["result"] = True
        elif kind == "end":
            self._note_form_segments(out)
            self._form = None
            segs = form["segments"]
            shown = " ".join("".join(s.text for s in segs).split())
            prompt = not form["default"].strip() and bool(_IMPERATIVE_PROMPT.match(shown))
            label = not form["default"].strip() and not prompt and bool(_FIELD_LABEL.match(shown))
            if not shown or (form["default"].strip() and shown == " ".join(form["default"].split())) or prompt \
                    or label:
                for s in segs:
                    s.placeholder = True
            if prompt and shown:
                self.prompt_fields.append((form["id"], shown))
            if label:
                self.label_fields.append((form["id"], form["name"], shown))

    @staticmethod
    def _dropdown(dd: etree._Element, out: list[Segment]) -> None:
        """A legacy drop-down form field (FORMDROPDOWN): the entry chosen (w:result, an index into its entries;
        none chosen: the form's first entry shows, which is no answer) read as a ticked box with that label, as
        a closed question's option is. It has no result text in the document to read otherwise."""
        entries = [e.get(W + "val") or "" for e in dd.findall(W + "listEntry")]
        chosen = dd.find(W + "result")
        try:
            index = int(chosen.get(W + "val")) if chosen is not None else None
        except (TypeError, ValueError):
            index = None
        if index is None or not 0 <= index < len(entries) or not entries[index].strip():
            return
        entry = entries[index].strip()
        if no_word(entry) or is_placeholder(entry) or _DROPDOWN_PROMPT.match(entry):
            return  # the prompt entry ("Välj ett alternativ", "- välj -") left chosen: no answer
        out.append(Segment(box=True))
        out.append(Segment(" " + entries[index]))

    def _note_form_segments(self, out: list[Segment]) -> None:
        """The segments the current run added to an open legacy text field's result."""
        form = self._form
        if form is not None and form["result"] and not form["depth"]:
            form["segments"].extend(s for s in out[self._run_start:] if s.box is None and s.field == form["id"])
        self._run_start = len(out)


def _symbol_box(font: Optional[str], char: Optional[str]) -> Optional[bool]:
    """True/False for a checked/empty box symbol of a symbol font (w:sym, or a Wingdings run's glyph), else None."""
    boxes = _SYMBOL_BOXES.get((font or "").strip().lower())
    try:
        code = int(char or "", 16)
    except ValueError:
        return None
    if boxes is None or code > 0xF0FF or (code > 0xFF and code < 0xF000):
        return None
    code &= 0xFF
    return True if code in boxes[0] else (False if code in boxes[1] else None)


def _symbol_font(r: etree._Element) -> Optional[str]:
    """The symbol font (Wingdings) a run's text is set in, or None."""
    fonts = r.find(f"{W}rPr/{W}rFonts")
    if fonts is None:
        return None
    for key in ("ascii", "hAnsi", "cs"):
        name = (fonts.get(W + key) or "").strip().lower()
        if name in _SYMBOL_BOXES:
            return name
    return None


def _struck(r: etree._Element) -> bool:
    """The run is struck through (w:strike or w:dstrike, not switched off)."""
    rpr = r.find(W + "rPr")
    if rpr is None:
        return False
    for tag in ("strike", "dstrike"):
        el = rpr.find(W + tag)
        if el is not None and (el.get(W + "val") or "true").lower() not in ("0", "false", "off"):
            return True
    return False


def _struck_note(struck: list[str], answers) -> Optional[str]:
    """The import report's line on struck-through text that was read into answers (kept: the analyst decides)."""
    parts = [" ".join(t.split()) for t in struck if t.strip()]
    if not parts:
        return None
    where = []
    for a in answers:
        flat = " ".join(a.text.split())
        if any(p in flat for p in parts) and a.question not in where:
            where.append(a.question)
    shown = "; ".join(f"'{_short(p)}'" for p in parts[:3]) + (f" och {len(parts) - 3} till" if len(parts) > 3 else "")
    return (f"dokumentet har genomstruken text ({shown})" + (f" i svaret på fråga {', '.join(where)}" if where else "")
            + "; den lästes in som vanlig text — kontrollera i originalet om den är struken ur svaret")


def _pictures(p: etree._Element) -> int:
    """Pictures in a paragraph (drawings and VML images that are not text boxes, not deleted, once per
    alternate-content pair)."""
    n = 0
    for el in p.iter(W + "drawing", W + "pict", W + "object"):
        if any(a.tag in (MC + "Fallback", W + "del", W + "moveFrom") for a in el.iterancestors()):
            continue
        if el.find(f".//{W}txbxContent") is None:
            n += 1
    return n


def _is_header_row(tr: etree._Element) -> bool:
    cells = [c for c in tr if c.tag in (W + "tc", W + "sdt")]
    if len(cells) < 2 or any(c.find(f".//{W14}checkbox") is not None for c in cells):
        return False
    return is_column_header_row(["".join(t.text or "" for t in c.iter(W + "t")) for c in cells])


_RESPONDENT_LABEL = re.compile(r"(?i)^(?:svar från|respondent|svarande|kommun(?:ens namn)?|region(?:ens namn)?|rss|"
                               r"organisation|inlämnad av|namn på (?:kommun|region))\s*:?$")


def _respondent_row(tr: etree._Element) -> Optional[str]:
    """"Kommun: Hofors kommun" for a table row of a respondent label cell and the name the registry knows beside
    it, else None (read cell by cell, the label would end the answer above it)."""
    cells = [c for c in tr if c.tag == W + "tc"]
    if len(cells) != 2:
        return None
    label, value = (" ".join("".join(t.text or "" for t in c.iter(W + "t")).split()) for c in cells)
    if not _RESPONDENT_LABEL.match(label) or not value or len(value) > 120 or find_in_text(value) is None:
        return None
    return f"{label.rstrip(' :')}: {value}"


_MARK = re.compile(r"^\(?[xX\u2713\u2714\u2717\u2718\u2612\u2611]\)?$")


def _mark_table(tbl: etree._Element) -> Optional[list[tuple[bool, str]]]:
    """(checked, option) per row when a table lists options in one column and marks the chosen one with an X
    (or ✓, ☒) typed in a narrow column beside it ("X | Ja, men …", "Nej | "); else None. Every row must be
    such a pair, at least two rows, and exactly the mark cells may hold a mark: a table of text stays a table."""
    rows = [tr for tr in tbl.iter(W + "tr") if _nearest_table(tr) is tbl]
    if len(rows) < 2 or any(tr.find(f".//{W}tbl") is not None for tr in rows):
        return None
    pairs = []
    for tr in rows:
        cells = [c for c in tr if c.tag == W + "tc"]
        if len(cells) != 2 or tr.find(f".//{W}sdt") is not None:
            return None
        texts = [" ".join("".join(t.text or "" for t in c.iter(W + "t")).split()) for c in cells]
        pairs.append(texts)
    for side in (0, 1):
        marks = [p[side] for p in pairs]
        labels = [p[1 - side] for p in pairs]
        if not all(m == "" or _MARK.match(m) for m in marks) or not all(labels) or \
                any(_MARK.match(lb) or len(lb) > 200 for lb in labels):
            continue
        if 0 < sum(bool(m) for m in marks) < len(marks):
            return [(bool(m), lb) for m, lb in zip(marks, labels)]
    return None


def _nearest_table(el: etree._Element) -> Optional[etree._Element]:
    for a in el.iterancestors(W + "tbl"):
        return a
    return None


def _merge(segments: list[Segment]) -> list[Segment]:
    """Join neighbouring text pieces of the same field (text split over many runs)."""
    out: list[Segment] = []
    for s in segments:
        if out and s.box is None and out[-1].box is None and out[-1].field == s.field and out[-1].placeholder == s.placeholder:
            out[-1] = Segment(out[-1].text + s.text, s.field, s.placeholder)
        else:
            out.append(s)
    for i, s in enumerate(out):
        if s.field is not None and s.box is None and not s.placeholder and is_placeholder(s.text) \
                and not no_word(s.text):  # a field of only emoji or punctuation is reported, not a placeholder
            out[i] = Segment(s.text, s.field, True)
    return out
