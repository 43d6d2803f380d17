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
from importers.layout import Line, Segment, is_column_header_row, is_placeholder, split_glyph_boxes
from importers.safety import open_zip, parse_xml, read_member
from models.records import ParsedFile

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SKIP = {W + "del", W + "moveFrom", W + "pPr", W + "rPr", W + "sdtPr", W + "sdtEndPr", W + "tblPr", W + "trPr",
         W + "tcPr", W + "tblGrid", W + "sectPr", W + "proofErr", W + "bookmarkStart", W + "bookmarkEnd",
         W + "commentRangeStart", W + "commentRangeEnd", MC + "Fallback", W + "instrText", W + "delText",
         W + "delInstrText", W + "footnoteReference", W + "endnoteReference", W + "commentReference"}
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
        walker = _Walker(styles)
        lines = list(walker.block_children(body, None))
        header_lines = _header_lines(name, zf)
        parsed = parsed_from_lines(data, name, self.format, lines, header_lines)
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
        comments = _comments(name, zf)
        if comments:
            shown = "; ".join(f"{author or 'okänd'}: '{_short(text)}'" for author, text in comments[:3])
            more = f" och {len(comments) - 3} till" if len(comments) > 3 else ""
            parsed.warnings.append(
                f"dokumentet har {len(comments)} {'kommentar' if len(comments) == 1 else 'kommentarer'} i marginalen "
                f"({shown}{more}); kommentarer är inte svar och togs inte med — läs dem i originalet")
        return parsed


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


def _is_checkbox(sdt: etree._Element) -> bool:
    pr = sdt.find(W + "sdtPr")
    return pr is not None and pr.find(W14 + "checkbox") is not None


def _checkbox_state(sdt: etree._Element) -> bool:
    el = sdt.find(f"{W}sdtPr/{W14}checkbox/{W14}checked")
    if el is not None:
        return (el.get(W14 + "val") or "").lower() in ("1", "true", "on")
    text = "".join(t.text or "" for t in sdt.iter(W + "t"))
    return "\u2612" in text or "\u2611" in text


def _showing_placeholder(sdt: etree._Element) -> bool:
    pr = sdt.find(W + "sdtPr")
    return pr is not None and pr.find(W + "showingPlcHdr") is not None


class _Walker:
    def __init__(self, heading_styles: set[str]):
        self.heading_styles = heading_styles
        self.ids = itertools.count(1)
        self.repeated_boxes = 0
        self.struck: list[str] = []  # struck-through text (w:strike, w:dstrike), one item per stretch of runs
        self._striking = False

    # ---------------------------------------------------------------- blocks
    def block_children(self, parent: etree._Element, field: Optional[tuple[int, bool]]) -> Iterator[Line]:
        for el in parent:
            tag = el.tag
            if tag == W + "p":
                yield from self.paragraph(el, field)
            elif tag == W + "tbl":
                yield from self.table(el, field)
            elif tag == W + "sdt":
                yield from self.block_sdt(el, field)
            elif tag in (W + "customXml", W + "ins", W + "moveTo", W + "smartTag", W + "sdtContent") or tag == MC + "AlternateContent" or tag == MC + "Choice":
                yield from self.block_children(el, field)
            # w:del / w:moveFrom / properties: nothing to read

    def block_sdt(self, sdt: etree._Element, field: Optional[tuple[int, bool]]) -> Iterator[Line]:
        content = sdt.find(W + "sdtContent")
        if content is None:
            return
        if _is_checkbox(sdt):
            yield Line([Segment(box=_checkbox_state(sdt))])
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
        for tr in tbl.iter(W + "tr"):
            if tr.getparent() is not None and _nearest_table(tr) is not tbl:
                continue  # rows of nested tables are read through their own cell
            if _is_header_row(tr):
                continue  # "Nr | Fråga | Svar": the table's column headings, not an answer
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
        fid, ph = field if field else (None, False)
        text = "".join(t.text or "" for t in r.findall(W + "t"))
        if text.strip():
            if _struck(r):
                if self._striking:
                    self.struck[-1] += text
                else:
                    self.struck.append(text)
            self._striking = _struck(r)
        for child in r:
            tag = child.tag
            if tag == W + "t":
                out.append(Segment(child.text or "", fid, ph))
            elif tag == W + "tab":
                out.append(Segment("\t", fid, ph))
            elif tag in (W + "br", W + "cr"):
                out.append(Segment("\n", fid, ph))
            elif tag == W + "noBreakHyphen":
                out.append(Segment("-", fid, ph))
            elif tag == W + "fldChar":
                cb = child.find(f"{W}ffData/{W}checkBox")
                if cb is not None:
                    val = cb.find(W + "checked")
                    if val is None:
                        val = cb.find(W + "default")
                    on = val is not None and (val.get(W + "val") or "1").lower() in ("1", "true", "on")
                    out.append(Segment(box=on))
            elif tag == MC + "AlternateContent" or tag in (W + "drawing", W + "pict", W + "object"):
                for box in child.iter(W + "txbxContent"):
                    if any(a.tag == MC + "Fallback" for a in box.iterancestors()):
                        continue
                    extra.extend(self.block_children(box, field))


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
        if s.field is not None and s.box is None and not s.placeholder and is_placeholder(s.text):
            out[i] = Segment(s.text, s.field, True)
    return out
