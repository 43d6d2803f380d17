"""PDF answer files (pypdf): text per page, page headers/footers and page numbers dropped,
words hyphenated across line breaks repaired, then questions found by their headings.

Pages without a text layer (scans) are read by OCR (`importers.ocr`, Tesseract in Swedish)
when it is installed; their answers carry the OCR confidence. Without Tesseract a scanned
PDF is refused with a message naming the Debian packages."""
from __future__ import annotations

import dataclasses
import io
import logging
import re
import warnings
from collections import Counter

import config
from importers import headings, ocr
from importers.common import guarded, parsed_from_lines
from importers.errors import ImportFailure
from importers.forms_compat import area_titles, fold, questions_by_id
from importers.headings import compact
from importers.layout import Line, clean_bullets, text_line
from models.records import ParsedFile

_PAGE_NO = re.compile(r"(?i)^\s*(?:sida|page|s\.)?\s*[-–(]?\s*\d{1,4}\s*(?:\(\s*\d{1,4}\s*\)|(?:av|of|/)\s*\d{1,4})?\s*[-–)]?\s*$")
_WIDE_SPACE = re.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)")
_KEEP_HYPHEN_NEXT = {"och", "eller", "samt", "respektive", "till", "som", "men", "&"}


def dehyphenate(lines: list[str]) -> list[str]:
    """Join words split over line breaks: 'egenmonito-' + 'rering' → 'egenmonitorering'.

    The hyphen stays when the first part is an abbreviation/number ('SIP-' + 'samordnare'
    → 'SIP-samordnare') and the hyphen-and-space stays before a conjunction ('hälso- och').
    """
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        while line.rstrip().endswith(("-", "\u00ad")) and i + 1 < len(lines) and lines[i + 1].strip():
            nxt = lines[i + 1].lstrip()
            stem = line.rstrip()[:-1]
            m_prev = re.search(r"([\wÅÄÖåäö]+)$", stem)
            m_next = re.match(r"([\wÅÄÖåäö]+)", nxt)
            if not m_prev or not m_next:
                break
            first, second = m_prev.group(1), m_next.group(1)
            if second.lower() in _KEEP_HYPHEN_NEXT or not second[0].islower():
                line = stem + "- " + nxt if second.lower() in _KEEP_HYPHEN_NEXT else stem + "-" + nxt
            elif len(first) == 1 or (sum(ch.isupper() for ch in first) >= 2 and first.upper() == first) or any(ch.isdigit() for ch in first):
                line = stem + "-" + nxt
            else:
                line = stem + nxt
            i += 1
        out.append(line)
        i += 1
    return out


_TAIL_PIECE = re.compile(r"(?<![\w-])([^\W\d_]*[a-zåäöéü]{2})$")
_HEAD_PIECE = re.compile(r"^([a-zåäöéü][^\W\d_]*)(?=[\s.,;:!?)]|$)")


def _a_word(word: str) -> bool:
    """Whether a lower-case word is Swedish as the dictionary knows it: a form, or a compound of known parts."""
    from nlp.lang_sv.compounds import split
    from nlp.lang_sv.dictionary import known

    return known(word) or split(word) is not None


def rejoin_broken_words(lines: list[str]) -> list[str]:
    """Join a word a narrow table cell broke without a hyphen: 'Läkemedelsgeno' + 'mgångar och' →
    'Läkemedelsgenomgångar' + 'och'; 'Läkemedel' + 'sgenomgå' + 'ngar och' over three lines.

    Only when the next line's first, lower-case, piece is no word the dictionary knows (a form or a compound)
    while the line's last word and it (and the line after, when the piece is all its line) make one, and the
    last word is no word either unless the piece is all its line (a narrow cell: 'inläggning' / 'ar'). A line
    ending before a whole word is wrapped text and keeps its space, as does a name or a word the dictionary
    lacks ("Arvika" / "testas …", "pengar" / "fran sjukhuset"). A word broken for want of room is a long one
    (8 letters or more).
    """
    out = list(lines)
    for i in range(len(out) - 1):
        tail = _TAIL_PIECE.search(out[i].rstrip())
        if not tail or len(tail.group(1)) < 3:
            continue
        word, pieces, best = tail.group(1), [], 0
        for k in range(i + 1, min(i + 3, len(out))):
            head = _HEAD_PIECE.match(out[k].lstrip())
            if not head or _a_word(head.group(1).lower()):
                break
            whole = out[k].strip() == head.group(1)
            if k == i + 1 and not whole and _a_word(word.lower()):
                break  # a word, then a piece with more words on its line: wrapped text of a word the dictionary lacks
            word += head.group(1)
            pieces.append(head.group(1))
            if len(word) >= 8 and _a_word(word.lower()):
                best = len(pieces)  # the longest join that is a word ('Läkemedel' + 'sgenomgå' + 'ngar')
            if not whole:
                break  # only a piece that is all its line goes on into the next line
            after = _HEAD_PIECE.match(out[k + 1].lstrip()) if k + 1 < len(out) else None
            if after and k == i + 1 and _a_word((head.group(1) + after.group(1)).lower()):
                best = 0  # the piece and the next line's make the word ('påbörjat' / 'distriktssköterskeutbildn' / 'ing')
                break
        if best:
            out[i] = out[i].rstrip() + "".join(pieces[:best])
            for j, piece in zip(range(i + 1, i + 1 + best), pieces):
                out[j] = out[j].lstrip()[len(piece):].lstrip()
    return [ln for k, ln in enumerate(out) if ln.strip() or not lines[k].strip()]


_NOTE_LINE = re.compile(r"^\s*(\d{1,2})\s?(?=[A-ZÅÄÖ])(\S.*)$")


def _note_mark(n: str) -> re.Pattern:
    """Footnote marker n glued to the word (or its full stop) before it: 'kommunen.1', 'hemtjänsten1 och'."""
    return re.compile(r"(?<=[^\W\d_][.,;:)!?]|[^\W\d_]{2})" + re.escape(n) + r"(?=\s|$|[.,;:)])")


def take_footnotes(lines: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """A page's lines without its footnotes, and the footnotes ((number, text)): the lines at the page's foot
    that begin with a number glued to a capital ('1Enligt beslut …' or '1 Enligt …', with the lines that go on
    from it) whose number stands as a marker glued to a word above ('… kommunen.1'); the marker goes too. A
    question's heading ('3 Beskriv …') is never a footnote."""
    body = [i for i, ln in enumerate(lines) if ln.strip()]
    for k in body[-8:]:
        m = _NOTE_LINE.match(lines[k])
        if m is None or headings.detect(lines[k].strip(), None) is not None:
            continue
        notes: list[tuple[str, str]] = []
        marks: dict[str, int] = {}
        for i in range(k, len(lines)):
            start = _NOTE_LINE.match(lines[i])
            if start is not None and headings.detect(lines[i].strip(), None) is None:
                notes.append((start.group(1), start.group(2).strip()))
            elif lines[i].strip() and notes:
                notes[-1] = (notes[-1][0], f"{notes[-1][1]} {lines[i].strip()}")
        for n, _ in notes:
            at = next((i for i in range(k - 1, -1, -1) if _note_mark(n).search(lines[i])), None)
            if at is None:
                break
            marks[n] = at
        else:
            out = list(lines[:k])
            for n, at in marks.items():
                out[at] = _note_mark(n).sub("", out[at], count=1)
            return out, notes
    return lines, []


def _norm_furniture(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split())).lower()


def _furniture_numbers(found: list[tuple[int, str]]) -> bool:
    """Whether the numbers of a line repeated at the page edges are those of page furniture.

    A header or footer says the same on every page except the page number, which grows with the page
    ("Sida 3", "3 (12)"); lines of answer text that only look alike once their digits are masked
    ("Mening 2 om …", "Mening 9 om …") have numbers that do not follow the pages, and are kept.
    """
    numbers = [[int(n) for n in re.findall(r"\d+", " ".join(raw.split()))] for _, raw in found]
    for i in range(len(numbers[0]) if numbers else 0):
        column = [ns[i] for ns in numbers]
        if len(set(column)) > 1 and any(column[k] - p != column[0] - found[0][0] for k, (p, _) in enumerate(found)):
            return False
    return True


def _section_text(line: str) -> bool:
    """A section's title or the first line of its "Från Överenskommelsen" introduction: form text that
    is at the top of a page whenever a section starts a page, which the reader needs to see to skip the
    rest of the introduction (never page furniture)."""
    f = fold(line)
    return f.startswith("från överenskommelsen") or f in area_titles()


def strip_page_furniture(pages: list[list[str]], removed: list[str] | None = None,
                         notes: list[str] | None = None) -> list[list[str]]:
    """Drop page numbers and lines repeated at the top or bottom of most pages (appended to `removed`).

    A repeated line is furniture only when it stands at the same place — the same edge (top or bottom)
    and the same line from that edge — on at least half of the pages; it is then dropped at that edge.
    An answer line that happens to recur at page edges seldom keeps one place. When a dropped line is
    also found away from the page edges (in the running text), `notes` gets a warning naming it.
    """
    places: dict[tuple[str, int], list[tuple[int, str]]] = {}
    if len(pages) >= 2:
        for p, lines in enumerate(pages):
            edge = [ln for ln in lines if ln.strip()]
            n = len(edge)
            for i, x in enumerate(edge):
                for pos in ([i] if i < 2 else []) + ([i - n] if i >= n - 2 else []):
                    places.setdefault((_norm_furniture(x), pos), []).append((p, x))
    need = max(2, (len(pages) + 1) // 2)
    # key → the edge it is furniture at ("top" / "bottom")
    repeated: dict[str, set[str]] = {}
    for (key, pos), found in places.items():
        if key and len({p for p, _ in found}) >= need and _furniture_numbers(found):
            repeated.setdefault(key, set()).add("top" if pos >= 0 else "bottom")
    out = []
    dropped_on: dict[str, list[int]] = {}
    body: set[str] = set()
    for p, lines in enumerate(pages):
        nonblank = [j for j, ln in enumerate(lines) if ln.strip()]
        top, bottom = set(nonblank[:2]), set(nonblank[-2:])
        kept = []
        for j, ln in enumerate(lines):
            key = _norm_furniture(ln)
            edges = repeated.get(key, ())
            at_edge = ("top" in edges and j in top) or ("bottom" in edges and j in bottom)
            if (at_edge or ((j in top or j in bottom) and _PAGE_NO.match(ln))) and not _section_text(ln):
                if removed is not None and ln.strip() not in removed:
                    removed.append(ln.strip())
                if at_edge and not _PAGE_NO.match(ln):
                    dropped_on.setdefault(key, []).append(p + 1)
                continue
            if ln.strip():
                body.add(key)
            kept.append(ln)
        out.append(kept)
    if notes is not None:
        for key, where in dropped_on.items():
            if key in body:
                shown = next(r for r in (removed or []) if _norm_furniture(r) == key) if removed else key
                notes.append(f"raden '{shown}' stod vid sidkanten på {_page_list(sorted(set(where)))} och togs bort "
                             "som sidhuvud/sidfot, men samma rad finns också i texten; kontrollera svaren mot originalet")
    return out


def _short_note(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n].rstrip() + " …"


class PdfReader:
    """Reader for PDF files."""

    format = "pdf"
    extensions = (".pdf",)

    @guarded
    def read(self, data: bytes, name: str) -> ParsedFile:
        logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its repair notes are not for the analyst
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pages, scanned, (filled, ticked, unplaced, columns) = self._pages(data, name)
        notes: list[str] = []
        if filled:
            notes.append(f"filen är ett ifyllbart PDF-formulär: texten i {filled} ifyllda "
                         "fält lästes som svar på frågan ovanför fältet"
                         + (" (fälten står i spalter bredvid varandra"
                            f"{'' if columns == 1 else f' på {columns} sidor'}; frågan ovanför fältet i samma spalt)"
                            if columns else ""))
        if ticked:
            notes.append(f"PDF-formulärets {ticked} ikryssade {'kryssruta' if ticked == 1 else 'kryssrutor'} "
                         "(formulärfält) lästes som val: alternativet är texten på samma rad närmast rutan")
        if unplaced:
            notes.append(f"PDF-formulärets {unplaced} ikryssade {'kryssruta' if unplaced == 1 else 'kryssrutor'} "
                         "(formulärfält) kunde inte läsas som val; se originalfilen och ange valet i appen")
        ocr_pages: list[ocr.OcrPage] = []
        if scanned:
            if ocr.available():
                try:
                    ocr_pages = ocr.read_pages(data, scanned, name)
                except Exception as exc:  # Tesseract or rendering failed on this file
                    raise ImportFailure(name, f"OCR av de inskannade sidorna misslyckades ({type(exc).__name__}).") from exc
                for page in ocr_pages:
                    pages[page.number - 1] = page.lines
                read = [p for p in ocr_pages if any(ln.strip() for ln in p.lines)]
                if read:
                    mean = sum(p.confidence for p in read) / len(read)
                    notes.append(f"{_page_list([p.number for p in read])} lästes med OCR (Tesseract, svenska; "
                                 f"medelsäkerhet {mean:.0f} %); kontrollera svaren mot originalet")
                blank = [p.number for p in ocr_pages if not any(ln.strip() for ln in p.lines)]
                if blank:
                    notes.append(f"{_page_list(blank)} är inskannad men OCR hittade ingen text")
            elif len(scanned) == len(pages) or not any(ln.strip() for page in pages for ln in page):
                raise ImportFailure(
                    name, "PDF-filen saknar textlager (inskannad bild) och kan bara läsas med OCR. " + ocr.missing_message())
            else:
                notes.append(f"{_page_list([i + 1 for i in scanned])} är inskannad och lästes inte: "
                             + ocr.missing_message())
        if not any(ln.strip() for page in pages for ln in page):
            if ocr_pages:
                raise ImportFailure(name, "PDF-filen är inskannad men OCR hittade ingen text på sidorna; "
                                          "kontrollera skanningen.")
            raise ImportFailure(name, "PDF-filen innehåller ingen text (inga textrader och inga inskannade sidor).")
        furniture: list[str] = []
        pages = strip_page_furniture(pages, furniture, notes)
        footnotes: list[tuple[int, str, str]] = []
        for number, page in enumerate(pages, 1):
            pages[number - 1], found = take_footnotes(page)
            footnotes.extend((number, n, text) for n, text in found)
        if footnotes:
            shown = "; ".join(f"sida {p}, fotnot {n}: '{_short_note(text)}'" for p, n, text in footnotes[:3])
            more = f" och {len(footnotes) - 3} till" if len(footnotes) > 3 else ""
            notes.append(f"{len(footnotes)} {'fotnot' if len(footnotes) == 1 else 'fotnoter'} längst ned på sidan "
                         f"({shown}{more}) lästes inte som svar — läs {'den' if len(footnotes) == 1 else 'dem'} i "
                         "originalet och lägg till det som hör till ett svar")
        lines = rejoin_broken_words(dehyphenate([ln for page in pages for ln in page]))
        prepared: list[Line] = []
        for ln in lines:
            stripped = clean_bullets(ln.strip())
            if not stripped:
                prepared.append(Line([]))
                continue
            new_para = bool(re.match(r"^[-•–*]\s", stripped)) or not prepared or not prepared[-1].segments \
                or prepared[-1].plain.rstrip().endswith((".", ":", "!", "?"))
            prepared.append(text_line(stripped, new_paragraph=new_para))
        parsed = parsed_from_lines(data, name, self.format, prepared, furniture, join_wrapped=True, typed_marks=not ocr_pages)
        parsed.warnings.extend(notes)
        # justified text comes out of the PDF with widened spaces ("två  gånger  per  år"): layout, not the text
        parsed.answers = [dataclasses.replace(a, text=_WIDE_SPACE.sub(" ", a.text)) if a.text else a
                          for a in parsed.answers]
        if ocr_pages:
            parsed.answers = [_ocr_answer(a, ocr_pages, len(ocr_pages) == len(pages)) for a in parsed.answers]
            parsed.answers = [a for a in parsed.answers if a.text or a.choice]
        return parsed

    @staticmethod
    def _pages(data: bytes, name: str) -> tuple[list[list[str]], list[int], tuple[int, int, int, int]]:
        """Text lines per page, the indices of pages with no text but an image (scans), and how many text
        fields of a fillable form were filled in, how many of its ticked checkboxes were read beside their label
        how many had no text beside them and on how many pages the fields stand in columns."""
        from pypdf import PdfReader as _Pdf
        from pypdf.errors import FileNotDecryptedError

        try:
            pdf = _Pdf(io.BytesIO(data), strict=False)
            if pdf.is_encrypted:
                try:
                    ok = pdf.decrypt("")
                except Exception:
                    ok = 0
                if not ok:
                    raise ImportFailure(name, "PDF-filen är lösenordsskyddad och kan inte läsas; spara en kopia utan lösenord.")
            n = len(pdf.pages)
            if n > config.MAX_PDF_PAGES:
                raise ImportFailure(name, f"PDF-filen har {n} sidor; gränsen är {config.MAX_PDF_PAGES} sidor.")
            counts: Counter = Counter()
            pages = [_page_lines(page, counts) for page in pdf.pages]
            scanned = [i for i, (page, lines) in enumerate(zip(pdf.pages, pages))
                       if not any(ln.strip() for ln in lines) and _has_image(page)]
            filled = sum(len(_text_fields(page)) for page in pdf.pages)
            return pages, scanned, (filled, counts["ticked"], counts["unplaced"], counts["columns"])
        except ImportFailure:
            raise
        except FileNotDecryptedError as exc:
            raise ImportFailure(name, "PDF-filen är lösenordsskyddad och kan inte läsas; spara en kopia utan lösenord.") from exc
        except Exception as exc:  # pypdf raises many types on broken files
            raise ImportFailure(name, "PDF-filen är skadad eller ofullständig och kan inte läsas.") from exc


def _page_lines(page, counts: Counter | None = None) -> list[str]:
    """A page's text lines; the text typed into a fillable PDF form's fields (AcroForm text fields, which are
    not in the page's text) put in after the last line above each field, so it lands under its question; its
    checkboxes and radio buttons (not in the text either) put in as ☒/☐ before the text fragment on the same
    line nearest the box (its option label), so a ticked box is read as the closed question's choice just as a
    ticked ☒ of a Word form. A form whose fields stand side by side (two columns of questions, each with its
    field below it) is read column by column within each row of fields, since the page's text runs across the
    columns. `counts` gets "ticked" (ticked boxes read beside a label) and "unplaced" (ticked boxes with no
    text beside them)."""
    fields = _text_fields(page)
    boxes = _boxes(page)
    if not fields and not boxes:
        return (page.extract_text() or "").splitlines()
    frags: list[list] = []  # [text, x, y]

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            frags.append([text.strip(), cm[0] * tm[4] + cm[2] * tm[5] + cm[4], cm[1] * tm[4] + cm[3] * tm[5] + cm[5]])

    lines = (page.extract_text(visitor_text=visit) or "").splitlines()
    marks: dict[int, str] = {}  # fragment index -> the box glyph put in before it
    unplaced = 0
    for (x0, y0, x1, y1), ticked in boxes:
        near = [(f[1] - x1 if f[1] >= x1 - 2 else 1000 + x0 - f[1], i) for i, f in enumerate(frags)
                if y0 - 4 <= f[2] <= y1 + 2 and i not in marks and not _heading(f[0])]
        if not near:
            unplaced += ticked
            continue
        marks[min(near)[1]] = "\u2612 " if ticked else "\u2610 "
        if counts is not None and ticked:
            counts["ticked"] += 1
    if counts is not None:
        counts["unplaced"] += unplaced
    if _side_by_side(fields):
        if counts is not None:
            counts["columns"] += 1
        for i, glyph in marks.items():
            frags[i][0] = glyph + frags[i][0]
        return _column_lines(frags, fields)
    line_y: dict[int, float] = {}
    at_line: dict[int, tuple[int, int]] = {}
    at, col = 0, 0
    for n, (text, x, y) in enumerate(frags):  # the fragments come in the order of the lines they make
        for k in range(at, len(lines)):
            i = lines[k].find(text, col if k == at else 0)
            if i < 0 and len(text) > 20:
                i = lines[k].find(text[:20], col if k == at else 0)
            if i >= 0:
                at, col = k, i + min(len(text), 20)
                line_y.setdefault(k, y)
                at_line[n] = (k, i)
                break
    for (k, i), glyph in sorted(((at_line[n], g) for n, g in marks.items() if n in at_line), reverse=True):
        lines[k] = lines[k][:i] + glyph + lines[k][i:]
    after: dict[int, list[str]] = {}
    for top, value, *_ in fields:
        above = [k for k, y in line_y.items() if y > top - 2]
        after.setdefault(max(above) if above else -1, []).extend([""] + value.splitlines() + [""])
    out = after.get(-1, [])
    for k, line in enumerate(lines):
        out.append(line)
        out.extend(after.get(k, []))
    return out


def _heading(text: str) -> bool:
    """A question's heading ("4. Finns det …"): never a box's option label (a box left after the question on
    its line, with no label of its own, is not read as a choice)."""
    return headings.detect(text, None) is not None


def _side_by_side(fields) -> bool:
    """Whether two text fields (top, value, x0, x1, bottom) stand side by side: one ends left of where the
    other begins and their heights overlap."""
    return any(a[3] <= b[2] and a[4] < b[0] and b[4] < a[0] for a in fields for b in fields)


def _column_lines(frags: list[list], fields) -> list[str]:
    """The lines of a form whose text fields stand in columns: the page cut into bands, one per row of fields
    side by side (down to the lowest bottom of the row), and each band read column by column (the text above a
    field, then the field's text), so each field lands under the question written above it in its own column.
    A column begins a little left of its fields; text lines are the fragments of one baseline."""
    starts: list[float] = []
    for x in sorted(f[2] for f in fields):
        if not starts or x - starts[-1] > 20:
            starts.append(x)

    def column(x: float) -> int:
        return max([i for i, s in enumerate(starts) if x >= s - 15] or [0])

    rows: list[list] = []
    for f in sorted(fields, key=lambda f: -f[0]):
        if rows and any(f[0] > g[4] and g[0] > f[4] for g in rows[-1]):
            rows[-1].append(f)
        else:
            rows.append([f])
    bottoms = [min(g[4] for g in row) for row in rows]

    def band(y: float) -> int:
        return next((b for b, bottom in enumerate(bottoms) if y > bottom), len(rows))

    out: list[str] = []
    for b in range(len(rows) + 1):
        for c in range(len(starts)):
            mine = sorted((f for f in frags if band(f[2]) == b and column(f[1]) == c), key=lambda f: (-f[2], f[1]))
            line: list[str] = []
            base = None
            for text, _x, y in mine:
                if line and abs(y - base) > 2:
                    out.append(" ".join(line))
                    line = []
                if not line:
                    base = y
                line.append(text)
            if line:
                out.append(" ".join(line))
            if b < len(rows):
                for g in sorted((g for g in rows[b] if column(g[2]) == c), key=lambda g: -g[0]):
                    out.extend([""] + g[1].splitlines() + [""])
    return out


def _widgets(page):
    """(widget, its parent field or {}) for each widget annotation of a fillable form's page; raises on a broken
    annotation list (the callers read the page's text without the fields then)."""
    annots = page.get("/Annots")
    annots = annots.get_object() if annots is not None else []
    for ref in annots or []:
        a = ref.get_object()
        if a.get("/Subtype") != "/Widget":
            continue
        parent = a.get("/Parent")
        yield a, (parent.get_object() if parent is not None else {})


def _boxes(page) -> list[tuple[tuple[float, float, float, float], bool]]:
    """The rectangle (x0, y0, x1, y1) of each checkbox and radio button of a fillable form's page (widgets of
    /FT /Btn that are not push buttons) and whether it is ticked (its appearance state /AS, or without one
    its value /V, is not /Off)."""
    out = []
    try:
        for a, parent in _widgets(page):
            if (a.get("/FT") or parent.get("/FT")) != "/Btn":
                continue
            if int(a.get("/Ff", parent.get("/Ff", 0)) or 0) & 65536:
                continue  # a push button
            state = a.get("/AS")
            if state is None:
                state = a.get("/V") if a.get("/V") is not None else parent.get("/V")
            ticked = state is not None and str(state) not in ("/Off", "")
            r = [float(v) for v in a.get("/Rect")]
            out.append(((min(r[0], r[2]), min(r[1], r[3]), max(r[0], r[2]), max(r[1], r[3])), ticked))
    except Exception:  # a broken annotation list: the page's text is still read
        return []
    return out


def _text_fields(page) -> list[tuple[float, str, float, float, float]]:
    """(top, value, x0, x1, bottom) of the page's filled text fields (widget annotations of /FT /Tx), top to bottom."""
    out: list[tuple[float, str, float, float, float]] = []
    try:
        for a, parent in _widgets(page):
            ft = a.get("/FT") or parent.get("/FT")
            value = a.get("/V") if a.get("/V") is not None else parent.get("/V")
            if ft != "/Tx" or value is None or not str(value).strip():
                continue
            rect = [float(x) for x in a.get("/Rect")]
            out.append((max(rect[1], rect[3]), str(value).replace("\r\n", "\n").replace("\r", "\n"),
                        min(rect[0], rect[2]), max(rect[0], rect[2]), min(rect[1], rect[3])))
    except Exception:  # a broken annotation list: the page's text is still read
        return []
    return sorted(out, key=lambda f: -f[0])


def _has_image(page) -> bool:
    """True when a page draws an image XObject (a scanned page)."""
    try:
        xobjects = page.get("/Resources", {}).get_object().get("/XObject")
        if xobjects is None:
            return False
        return any(x.get_object().get("/Subtype") == "/Image" or x.get_object().get("/Subtype") == "/Form"
                   for x in xobjects.get_object().values())
    except Exception:
        return False


def _page_list(numbers: list[int]) -> str:
    return ("sida " if len(numbers) == 1 else "sidorna ") + ", ".join(str(n) for n in numbers)


def _ocr_answer(answer, pages: list, whole: bool):
    """An answer with its OCR confidence; a closed question's OCR'd checkbox list turned into its choice."""
    conf = _confidence(answer.text or answer.choice or "", pages, whole)
    if conf is None:
        return answer
    options = [o for q in questions_by_id().get(answer.question, ()) for o in q.options]
    if options and answer.choice is None and answer.text:
        found = ocr.boxes_to_choice(answer.text, options)
        if found is not None:
            choice, rest = found
            return dataclasses.replace(answer, text=rest, choice=choice or None, ocr_confidence=conf)
    return dataclasses.replace(answer, ocr_confidence=conf)


def _confidence(text: str, pages: list, whole: bool):
    """The OCR confidence of the page an answer's text came from (None when it came from a text layer)."""
    key = compact(text)[:40]
    if key:
        for page in pages:
            if key in compact(" ".join(page.lines)):
                return page.confidence
    if whole:
        read = [p.confidence for p in pages if p.lines]
        return round(sum(read) / len(read), 1) if read else None
    return None
