"""Write filled Word forms the way Socialstyrelsen's form is made (for tests, samples, benchmarks).

The real form has, per question, a question paragraph ("5a. Beskriv ..."), for closed
questions one checkbox content control per option (`w14:checkbox`, glyph ☒/☐) beside
the option label and a "Lämna gärna en kommentar här:" prompt, and an answer field that
is a rich-text content control (`w:sdt`) whose placeholder reads "Klicka eller tryck här
för att ange text." (`w:showingPlcHdr` while unanswered). Section titles are headings and
are followed by "Från Överenskommelsen: ..." introductions.

API
---
    write_form(target, respondent_header, answers, choices=None, **options) -> None
    form_bytes(respondent_header, answers, choices=None, **options) -> bytes
    build_form(respondent_header, answers, choices=None, **options) -> docx.Document

`target` is a path or a binary file object. `answers` maps question id ('5a') to the
answer text; '\\n' separates paragraphs and lines starting with '- ' become bullet-list
paragraphs. Questions not in `answers` keep the placeholder. `choices` maps a closed
question's id to the checked option's text (exactly as in the form's option list).

Options (all keyword-only):
    questions:   list of models.records.Question (default: the 2022 kommun form).
    only:        iterable of question ids to include (default: all).
    placement:   "block" (default) | "inline" | "cell" | "plain" | "table", or a dict
                 question id → placement. block = body-level w:sdt; inline = w:sdt inside
                 a paragraph; cell = table-cell-level w:sdt (w:tr/w:sdt/w:tc); plain =
                 answer typed as ordinary paragraphs, no control; table = one-cell table
                 without a control.
    heading:     format of question paragraphs, fields {id} {ID} {n} {l} {text}; e.g.
                 "{id}. {text}" (default), "{id}.\\t{text}", "{n} {l}) {text}",
                 "Fråga {n} {l}) {text}", "Fråga {id}: {text}", "{ID} {text}".
    tables:      dict id → rows (list of list of str): a table inside the answer field.
    tracked:     dict id → (inserted, deleted): a tracked-change paragraph appended to the
                 answer; the inserted text belongs to the answer, the deleted text not.
    links:       dict id → (text, url): a hyperlink paragraph appended to the answer.
    split_runs:  split every answer paragraph into many short runs (default False).
    page_header: also put respondent_header in the page header (default False).
    nested:      wrap every answer control in an outer (group) content control.
    sections:    write section titles and "Från Överenskommelsen" intros (default True).
    options_in_table: put each closed question's options in a two-column table (label cell,
                 checkbox cell), as parts of the real form do (default False).
    after_field: dict id → text typed as plain paragraphs AFTER the (still unanswered) field.
"""
from __future__ import annotations

import io
import itertools
import re
from pathlib import Path
from typing import BinaryIO, Iterable, Mapping, Optional, Sequence, Union

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from lxml import etree

from importers.forms_compat import COMMENT_PROMPT, FORM_TITLE, PLACEHOLDER, kommun_form
from models.records import Question

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSDECL = f'xmlns:w="{W_NS}" xmlns:w14="{W14_NS}" xmlns:r="{R_NS}"'
CHECKED, UNCHECKED = "\u2612", "\u2610"  # ☒ ☐

INTRO = ("Från Överenskommelsen: Regioner och kommuner ska redogöra för hur arbetet inom området har "
         "utvecklats och hur det ska utvecklas under kommande år, t.ex. genom samverkan, mobila team och "
         "digitala vårdmöten.")

_ids = itertools.count(1000)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _esc(text: str) -> str:
    """Escape for XML text and attributes; characters XML 1.0 cannot hold are dropped."""
    text = _NOT_XML.sub("", text)
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;"))


def _run(text: str, *, style: str = "", bold: bool = False, tag: str = "w:t") -> str:
    rpr = ""
    if style or bold:
        rpr = "<w:rPr>" + (f'<w:rStyle w:val="{style}"/>' if style else "") + ("<w:b/>" if bold else "") + "</w:rPr>"
    parts = []
    for i, piece in enumerate(text.split("\t")):
        if i:
            parts.append("<w:tab/>")
        if piece:
            parts.append(f'<{tag} xml:space="preserve">{_esc(piece)}</{tag}>')
    return f"<w:r>{rpr}{''.join(parts)}</w:r>"


def _runs(text: str, split: bool) -> str:
    if not split or len(text) < 4:
        return _run(text)
    size = 5
    return "".join(_run(text[i:i + size], bold=bool((i // size) % 2)) for i in range(0, len(text), size))


def _para(inner: str, style: str = "") -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p {NSDECL}>{ppr}{inner}</w:p>"


def _answer_paragraphs(text: str, split: bool) -> list[str]:
    """Inner XML of the answer's paragraphs (list lines become ListBullet paragraphs)."""
    out = []
    for line in text.split("\n"):
        if line.startswith(("- ", "• ")):
            out.append(_para(_runs(line[2:], split), "ListBullet"))
        else:
            out.append(_para(_runs(line, split)))
    return out


def _sdt_pr(*, placeholder: bool, alias: str = "") -> str:
    return (
        f'<w:sdtPr><w:alias w:val="{_esc(alias)}"/><w:id w:val="{next(_ids)}"/>'
        '<w:placeholder><w:docPart w:val="DefaultPlaceholder_-1854013440"/></w:placeholder>'
        + ("<w:showingPlcHdr/>" if placeholder else "")
        + "</w:sdtPr>"
    )


def _placeholder_para() -> str:
    return _para(_run(PLACEHOLDER, style="PlaceholderText"))


def checkbox_sdt(checked: bool) -> str:
    """Inline checkbox content control as Word writes it (w14:checkbox, MS Gothic ☒/☐)."""
    glyph = CHECKED if checked else UNCHECKED
    return (
        f'<w:sdt {NSDECL}><w:sdtPr><w:id w:val="{next(_ids)}"/>'
        f'<w14:checkbox><w14:checked w14:val="{1 if checked else 0}"/>'
        '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
        '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>'
        '<w:sdtContent><w:r><w:rPr><w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" w:hAnsi="MS Gothic" '
        f'w:hint="eastAsia"/></w:rPr><w:t>{glyph}</w:t></w:r></w:sdtContent></w:sdt>'
    )


class _Builder:
    def __init__(self, document: "docx.document.Document", split_runs: bool):
        self.doc = document
        self.body = document.element.body
        self.sect = self.body.find(f"{{{W_NS}}}sectPr")
        self.split = split_runs

    def add(self, xml: str):
        el = parse_xml(xml)
        if self.sect is not None:
            self.sect.addprevious(el)
        else:
            self.body.append(el)
        return el

    def hyperlink_para(self, text: str, url: str) -> str:
        rid = self.doc.part.relate_to(url, RT.HYPERLINK, is_external=True)
        return _para(f'<w:r><w:t xml:space="preserve">Se även </w:t></w:r>'
                     f'<w:hyperlink r:id="{rid}"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr>'
                     f'<w:t xml:space="preserve">{_esc(text)}</w:t></w:r></w:hyperlink>')


def _table_xml(rows: Sequence[Sequence[str]]) -> str:
    trs = "".join(
        "<w:tr>" + "".join(f'<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr>{_para(_run(c))}</w:tc>'
                           for c in row) + "</w:tr>"
        for row in rows
    )
    return f'<w:tbl {NSDECL}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>{trs}</w:tbl>'


def build_form(
    respondent_header: str,
    answers: Mapping[str, str],
    choices: Optional[Mapping[str, str]] = None,
    *,
    questions: Optional[Sequence[Question]] = None,
    only: Optional[Iterable[str]] = None,
    placement: Union[str, Mapping[str, str]] = "block",
    heading: str = "{id}. {text}",
    tables: Optional[Mapping[str, Sequence[Sequence[str]]]] = None,
    tracked: Optional[Mapping[str, tuple[str, str]]] = None,
    links: Optional[Mapping[str, tuple[str, str]]] = None,
    split_runs: bool = False,
    page_header: bool = False,
    nested: bool = False,
    sections: bool = True,
    options_in_table: bool = False,
    after_field: Optional[Mapping[str, str]] = None,
) -> "docx.document.Document":
    """Build the filled form as a python-docx Document (see the module docstring)."""
    choices = dict(choices or {})
    tables, tracked, links = dict(tables or {}), dict(tracked or {}), dict(links or {})
    qs = list(questions) if questions is not None else kommun_form()
    if only is not None:
        wanted = set(only)
        qs = [q for q in qs if q.id in wanted]
    document = docx.Document()
    b = _Builder(document, split_runs)
    if page_header and respondent_header:
        document.sections[0].header.paragraphs[0].text = respondent_header
    if respondent_header:
        b.add(_para(_run(respondent_header, bold=True)))
    b.add(_para(_run(FORM_TITLE), "Title"))
    area = None
    for q in qs:
        if sections and q.area and q.area != area:
            area = q.area
            b.add(_para(_run(q.area), "Heading2"))
            b.add(_para(_run(INTRO)))
        num = "".join(ch for ch in q.id if ch.isdigit())
        letter = q.id[len(num):]
        b.add(_para(_run(heading.format(id=q.id, ID=q.id.upper(), n=num, l=letter, text=q.text))))
        if q.closed:
            chosen = choices.get(q.id)
            if options_in_table:
                rows = "".join(
                    f"<w:tr><w:tc>{_para(_run(opt))}</w:tc><w:tc>{_para(checkbox_sdt(opt == chosen))}</w:tc></w:tr>"
                    for opt in q.options)
                b.add(f'<w:tbl {NSDECL}><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>{rows}</w:tbl>')
            else:
                for opt in q.options:
                    b.add(_para(_run(opt + " ") + checkbox_sdt(opt == chosen)))
            b.add(_para(_run(COMMENT_PROMPT)))
        where = placement.get(q.id, "block") if isinstance(placement, Mapping) else placement
        _write_answer(b, q.id, answers.get(q.id), where, tables.get(q.id), tracked.get(q.id), links.get(q.id), nested)
        for line in (after_field or {}).get(q.id, "").split("\n"):
            if line:
                b.add(_para(_run(line)))
    b.add(_para(_run("Tack för dina svar!")))
    return document


def _write_answer(b: _Builder, qid: str, text: Optional[str], where: str, table, change, link, nested: bool) -> None:
    filled = bool(text) or bool(table) or bool(change) or bool(link)
    paras: list[str] = _answer_paragraphs(text, b.split) if text else []
    if table:
        paras.append(_table_xml(table))
    if change:
        ins, dele = change
        paras.append(_para(
            _run("Ändrat: ")
            + f'<w:ins w:id="{next(_ids)}" w:author="Handläggare" w:date="2023-02-01T10:00:00Z">{_run(ins)}</w:ins>'
            + f'<w:del w:id="{next(_ids)}" w:author="Handläggare" w:date="2023-02-01T10:00:00Z">'
            + _run(dele, tag="w:delText") + "</w:del>"))
    if link:
        paras.append(b.hyperlink_para(*link))
    strip_ns = lambda x: x.replace(f" {NSDECL}", "")  # noqa: E731 - inner elements inherit namespaces
    if where == "plain":
        for p in paras:
            b.add(p)
        return
    if where == "table":
        inner = "".join(strip_ns(p) for p in paras) or _para("")
        b.add(f'<w:tbl {NSDECL}><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tr><w:tc>'
              f'{strip_ns(inner)}</w:tc></w:tr></w:tbl>')
        return
    pr = _sdt_pr(placeholder=not filled, alias=f"Svar {qid}")
    content = "".join(strip_ns(p) for p in paras) if filled else strip_ns(_placeholder_para())
    if where == "inline":
        if filled:
            # An inline control holds runs only: paragraphs become line breaks.
            lines = (text or "").split("\n") + ([change[0]] if change else []) + ([link[0]] if link else [])
            runs = "<w:r><w:br/></w:r>".join(_runs(line, b.split) for line in lines)
            if table:
                runs += "".join("<w:r><w:br/></w:r>" + _run("\t".join(r)) for r in table)
        else:
            runs = _run(PLACEHOLDER, style="PlaceholderText")
        b.add(_para(_run("Svar: ") + f"<w:sdt>{pr}<w:sdtContent>{runs}</w:sdtContent></w:sdt>"))
        return
    if where == "cell":
        xml = (f'<w:tbl {NSDECL}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
               f'<w:tr><w:sdt>{pr}<w:sdtContent><w:tc><w:tcPr><w:tcW w:w="9000" w:type="dxa"/></w:tcPr>'
               f'{content}</w:tc></w:sdtContent></w:sdt></w:tr></w:tbl>')
        b.add(xml)
        return
    xml = f"<w:sdt {NSDECL}>{pr}<w:sdtContent>{content}</w:sdtContent></w:sdt>"
    if nested:
        outer = f'<w:sdtPr><w:alias w:val="Grupp {qid}"/><w:id w:val="{next(_ids)}"/><w:group/></w:sdtPr>'
        xml = f"<w:sdt {NSDECL}>{outer}<w:sdtContent>{strip_ns(xml)}</w:sdtContent></w:sdt>"
    b.add(xml)


def form_bytes(respondent_header: str, answers: Mapping[str, str], choices: Optional[Mapping[str, str]] = None,
               **options) -> bytes:
    """The filled form as .docx bytes."""
    buf = io.BytesIO()
    build_form(respondent_header, answers, choices, **options).save(buf)
    return buf.getvalue()


def write_form(target: Union[str, Path, BinaryIO], respondent_header: str, answers: Mapping[str, str],
               choices: Optional[Mapping[str, str]] = None, **options) -> None:
    """Write the filled form to a path or binary file object."""
    data = form_bytes(respondent_header, answers, choices, **options)
    if hasattr(target, "write"):
        target.write(data)  # type: ignore[union-attr]
    else:
        Path(target).write_bytes(data)


def _pretty(data: bytes) -> str:  # debugging aid: the body XML of a form
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.tostring(etree.fromstring(z.read("word/document.xml")), pretty_print=True).decode()
