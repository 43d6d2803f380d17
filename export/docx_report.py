"""Word report (.docx): a chapter draft an analyst edits into the yearly report.

1. **Metod**: the material (files, answers), who answered and who did not at the three levels
   of `models.coverage` (regioner, län med kommunsvar, kommuner med egna svar; Gotland ej
   relevant for the kommun questions), and what is counted (reviewed codings only, or also
   suggestions).
2. **Per category**: a coverage chart (PNG, codes sorted by coverage), then per code its
   coverage sentence at the three levels, the status/scope split, who answered without
   mentioning it, kommuner named in a län's answer, and two or three representative quotes
   with respondent and question. Codes nobody mentions get one sentence at the end of their
   category.
3. **Bilaga**: a landscape table of every code's figures, with column widths set so that no
   column is narrower than its longest word.

Answer text is inserted as plain runs (never interpreted), with XML-illegal characters removed.
"""
from __future__ import annotations

import functools
import io
import re
from pathlib import Path
from typing import Optional, Sequence

from export.change_report import add_docx_section
from export.report_charts import coverage_chart_png
from export.safety import xml_safe
from export.selection import Selection, excerpts
from models import coverage as cv, views

MAX_QUOTE_CHARS = 600
FONT = "Arial"  # LibreOffice renders it with the metric-compatible Liberation Sans
TABLE_PT = 9
CELL_PADDING_CM = 0.45  # left + right cell margins and a little slack
_FONT_FILES = {
    False: ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
            "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"),
    True: ("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
           "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"),
}


_DOUBLE_QUOTES = re.compile("[\"\u201c\u201d\u201e\u00ab\u00bb]")


def inner_quotes(text: str) -> str:
    """A quote's own quotation marks as Swedish marks a quote inside a quote: ’…’ inside the report's ”…”
    (”Brukarråd och ’patientkontrakt’ har införts.”), instead of ” inside ”."""
    return _DOUBLE_QUOTES.sub("\u2019", text)


def _t(text: object) -> str:
    return xml_safe("" if text is None else str(text))


# ------------------------------------------------------------------ measuring text
@functools.lru_cache(maxsize=4)
def _font(bold: bool):
    try:
        from PIL import ImageFont
    except ImportError:
        return None
    for path in _FONT_FILES[bold]:
        if Path(path).exists():
            return ImageFont.truetype(path, 100)
    return None


def text_width_cm(text: str, size_pt: float = TABLE_PT, bold: bool = False) -> float:
    """Printed width of `text` in Arial/Liberation Sans at `size_pt` (an estimate without the font)."""
    font = _font(bold)
    if font is None:
        return len(text) * size_pt * (0.62 if bold else 0.58) / 72 * 2.54
    return font.getlength(text) / 100 * size_pt / 72 * 2.54


def longest_word_cm(text: str, size_pt: float = TABLE_PT, bold: bool = False) -> float:
    words = str(text).split()
    return max((text_width_cm(w, size_pt, bold) for w in words), default=0.0)


def column_widths(header: Sequence[str], rows: Sequence[Sequence[str]], available_cm: float,
                  size_pt: float = TABLE_PT) -> list[float]:
    """Widths (cm) summing to `available_cm`: every column at least its longest word (header in bold)
    plus padding, the rest shared by how much text each column holds."""
    n = len(header)
    need = [max([longest_word_cm(header[j], size_pt, True)] + [longest_word_cm(r[j], size_pt) for r in rows])
            + CELL_PADDING_CM for j in range(n)]
    want = [max([text_width_cm(header[j], size_pt, True)] + [text_width_cm(str(r[j]), size_pt) for r in rows])
            + CELL_PADDING_CM for j in range(n)]
    spare = available_cm - sum(need)
    if spare <= 0:
        return need  # wider than the page: the caller chose the orientation; never cut a word
    extra = [max(0.0, w - m) for w, m in zip(want, need)]
    total = sum(extra)
    if total <= spare:
        widths = [m + e for m, e in zip(need, extra)]
        rest = available_cm - sum(widths)
        return [w + rest * (w / sum(widths)) for w in widths]
    return [m + spare * e / total for m, e in zip(need, extra)]


# ------------------------------------------------------------------ docx helpers
def _set_cell_width(cell, width) -> None:
    cell.width = width


def _fixed_layout(table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)


def _cant_split(row) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def add_table(doc, header: Sequence[str], rows: Sequence[Sequence[str]], available_cm: float):
    """A table with bold repeated header, fixed layout and the widths of `column_widths`."""
    from docx.shared import Cm, Pt

    widths = column_widths(header, rows, available_cm)
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    _fixed_layout(table)
    _repeat_header(table.rows[0])

    def fill(cell, text: str, bold: bool = False) -> None:
        cell.text = ""
        run = cell.paragraphs[0].add_run(_t(text))
        run.bold = bold
        run.font.size = Pt(TABLE_PT)

    for cell, text in zip(table.rows[0].cells, header):
        fill(cell, text, True)
    for values in rows:
        row = table.add_row()
        _cant_split(row)
        cells = row.cells
        for cell, text in zip(cells, values):
            fill(cell, str(text))
    for j, w in enumerate(widths):
        table.columns[j].width = Cm(w)
        for cell in table.columns[j].cells:
            _set_cell_width(cell, Cm(w))
    return table


def _join_sv(names: Sequence[str], last: str = "och") -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {last} " + names[-1]


def _sort_key(c: cv.CodeCoverage, answered: dict[str, int]) -> tuple:
    shares = [c.level(lvl).n / answered[lvl] if answered[lvl] else 0.0 for lvl in cv.LEVELS]
    return (-sum(shares), -c.n_excerpts, views.sv_key(c.code_label))


# ------------------------------------------------------------------ the report
def to_docx(store, selection: Optional[Selection] = None, *, reg=None, quotes_per_code: int = 3,
            title: Optional[str] = None, round_label: Optional[str] = None) -> bytes:
    """The selection as a Word chapter draft (bytes); see the module docstring."""
    from docx import Document
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Cm, Pt

    sel = selection or Selection()
    decisions = sel.effective_decisions
    if round_label is None and sel.rounds and len(sel.rounds) == 1:
        round_label = sel.rounds[0]
    pc = cv.project_coverage(store, decisions=decisions, places=views._places(reg), round_label=round_label)
    df = excerpts(store, sel)
    quotes_df = df[~df["negated"].astype(bool)] if len(df) else df
    codes = list(pc.codes.values())
    if sel.code_ids is not None:
        codes = [c for c in codes if c.code_id in set(sel.code_ids)]
    if sel.category_ids is not None:
        codes = [c for c in codes if c.category_id in set(sel.category_ids)]
    narrowed = any(x is not None for x in (sel.respondent_ids, sel.questions, sel.lans, sel.respondent_types))
    if narrowed:
        used = set(df["code_id"])
        codes = [c for c in codes if c.code_id in used]  # a narrowed selection reports only what it contains
    a = pc.answered
    answered = {lvl: len(a.level(lvl)) for lvl in cv.LEVELS}

    doc = Document()
    doc.core_properties.author = "Svarsanalys"  # Importera knows its own report by this (importers.own_export)
    doc.core_properties.comments = ""
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    portrait_text_cm = 21.0 - 5.0

    doc.add_heading(_t(title or f"Täckning och exempel – {store.name}"), level=0)

    # ---- method
    doc.add_heading("Metod", level=1)
    files = store.source_files()
    n_resp = a.n_respondents
    doc.add_paragraph(_t(
        f"Underlaget är {len(files)} inlästa svarsfiler" + (f" i omgång {round_label}" if round_label else "")
        + f" med fritextsvar från {n_resp} respondenter: regioner, kommuner som svarat själva och länens "
          "kommuner som svarat gemensamt genom sin regionala samverkans- och stödstruktur (RSS). "
          "Svaren har kodats med projektets kodbok; en insats räknas för en respondent när minst ett utdrag "
          "i dess svar har insatsens kod."))
    not_answered_regions = a.not_answered["regions"]
    doc.add_paragraph(_t(
        f"Regioner: {len(a.regions)} av {a.totals['regions']} har svarat"
        + (f" ({_join_sv(a.regions)})" if a.regions else "")
        + (f"; {len(not_answered_regions)} har inte svarat ({_join_sv(not_answered_regions)})."
           if not_answered_regions else ".")))
    lan_text = (f"Kommunerna: i {len(a.lan)} av {a.totals['lan']} län har kommunerna svarat, genom länets "
                "RSS eller med egna svar")
    if a.lan:
        lan_text += " (" + "; ".join(f"{lan}: {_join_sv(src)}" for lan, src in sorted(
            a.lan_sources.items(), key=lambda kv: views.sv_key(kv[0]))) + ")"
    lan_text += f". {len(a.not_answered['lan'])} län saknar kommunsvar"
    lan_text += f" ({_join_sv(a.not_answered['lan'])})." if 0 < len(a.not_answered["lan"]) <= 20 else "."
    if a.not_relevant:
        lan_text += (f" {_join_sv(a.not_relevant)} är inte relevant för kommunfrågorna eftersom Region Gotland "
                     "är både region och kommun.")
    doc.add_paragraph(_t(lan_text))
    doc.add_paragraph(_t(
        f"{len(a.kommuner)} av {a.totals['kommuner']} kommuner har svarat själva"
        + (f" ({_join_sv(a.kommuner)})" if a.kommuner else "") + ". "
        + "".join(f"{k} besvaras av {r}, som är både region och kommun och räknas bland regionerna. "
                  for k, r in a.kommuner_by_region)
        + "Ett RSS-svar räknas för länet, aldrig som "
          "svar från länets enskilda kommuner"
        + (f"; kommuner som nämns vid namn i länets svar anges särskilt ({len(a.named_kommuner)} i underlaget)."
           if a.named_kommuner else ".")))
    if a.unplaced:
        doc.add_paragraph(_t("Respondenter som inte kunnat placeras i registret räknas inte: "
                             + _join_sv(a.unplaced) + "."))
    doc.add_paragraph(_t(
        f"Räknas: {cv.counted_sv(decisions)}. Varje siffra anges som antalet som nämner insatsen av dem som "
        "svarat på nivån, med det totala antalet inom parentes. Uppdelningen på breddinförda, projekt och "
        "planerade bygger på vad svaret säger om insatsens omfattning och status; en respondent räknas där "
        "det starkaste beskedet hamnar."))
    if narrowed or sel.code_ids is not None or sel.category_ids is not None:
        doc.add_paragraph(_t("Rapporten omfattar ett urval av koder eller svar; täckningen räknas ändå över "
                             "alla som svarat."))

    # ---- categories

    figure_no = 0
    categories: dict[str, list[cv.CodeCoverage]] = {}
    for c in codes:
        categories.setdefault(c.category_label, []).append(c)
    for cat_label, cat_codes in categories.items():
        doc.add_heading(_t(cat_label), level=1)
        mentioned = sorted([c for c in cat_codes if c.mentioned_anywhere], key=lambda c: _sort_key(c, answered))
        silent = [c for c in cat_codes if not c.mentioned_anywhere]
        charted = [c for c in mentioned if any(c.level(lvl).n for lvl in cv.LEVELS)]
        if charted and any(answered.values()):
            try:
                png = coverage_chart_png(charted, answered)
            except ImportError:  # matplotlib is in requirements.txt; say so instead of failing the report
                doc.add_paragraph(_t("Diagrammet saknas: Python-paketet matplotlib är inte installerat."))
            else:
                figure_no += 1
                doc.add_picture(io.BytesIO(png), width=Cm(portrait_text_cm))
                cap = doc.add_paragraph()
                cap.add_run(_t(f"Figur {figure_no}. {cat_label}: andel av dem som svarat som nämner respektive "
                               "insats, per nivå. ")).italic = True
                cap.add_run(_t("Räknas: " + ("även förslag som inte granskats." if "suggested" in decisions
                                             else "bara granskade kodningar."))).italic = True
        for c in mentioned:
            doc.add_heading(_t(c.code_label), level=2)
            doc.add_paragraph(_t(c.sentence + "."))
            split = [f"{cv.LEVEL_NOUN_SV[lvl]}: {c.level(lvl).split_text}" for lvl in cv.LEVELS if c.level(lvl).split]
            if split:
                doc.add_paragraph(_t("Status och omfattning: " + "; ".join(split) + "."))
            silent_parts = [f"{cv.LEVEL_NOUN_SV[lvl]}: {_join_sv(c.level(lvl).not_mentioning)}"
                            for lvl in cv.LEVELS if 0 < len(c.level(lvl).not_mentioning) <= 25]
            if silent_parts:
                doc.add_paragraph(_t("Svarade men nämner inte insatsen – " + "; ".join(silent_parts) + "."))
            if c.named_kommuner:
                doc.add_paragraph(_t(c.named_text + " (räknas inte som egna kommunsvar)."))
            if c.other:
                doc.add_paragraph(_t("Nämns också av respondenter som inte kunnat placeras: "
                                     + _join_sv(c.other) + "."))
            quotes = views.representative_quotes(quotes_df, c.code_id, n=quotes_per_code) if len(quotes_df) \
                else quotes_df
            for q in quotes.itertuples(index=False):
                text = str(q.excerpt).strip()
                if len(text) > MAX_QUOTE_CHARS:
                    text = text[:MAX_QUOTE_CHARS].rstrip() + " …"
                para = doc.add_paragraph(style="Quote")
                para.paragraph_format.keep_with_next = True  # the quote stays with its source line
                para.add_run(_t(f"”{inner_quotes(text)}”"))
                # the source line names the question; its wording in parentheses after "frågan:", so that a
                # short wording in full (9b's one sentence) does not read as a second quote
                question = f"svar på fråga {q.question_id}"
                if q.question_text:
                    qt = " ".join(str(q.question_text).split())
                    question += f" (frågan: {qt if len(qt) <= 90 else qt[:88].rstrip() + ' …'})"
                doc.add_paragraph().add_run(_t(f"– {q.respondent}, {question}")).italic = True
        if silent:
            labels = [c.code_label for c in silent]
            doc.add_paragraph(_t(f"{_join_sv(labels)} nämns inte i något av svaren"
                                 + (" (bland de granskade kodningarna)." if "suggested" not in decisions else ".")))

    # ---- appendix: every code's figures, landscape
    land = doc.add_section(WD_SECTION.NEW_PAGE)
    land.orientation = WD_ORIENT.LANDSCAPE
    land.page_width, land.page_height = Cm(29.7), Cm(21.0)
    land.left_margin = land.right_margin = Cm(2.0)
    doc.add_heading("Bilaga: täckning per insats", level=1)
    doc.add_paragraph(_t(f"N av M: N nämner insatsen, M har svarat på nivån (totalt {a.totals['regions']} "
                         f"regioner, {a.totals['lan']} län och {a.totals['kommuner']} kommuner). "
                         f"Räknas: {cv.counted_sv(decisions)}."))
    header = ["Kategori", "Insats", "Regioner", "Län med kommunsvar", "Kommuner (egna svar)",
              "Nämnda i länets svar", "Utdrag"]
    rows = []
    for cat_label, cat_codes in categories.items():
        for c in sorted(cat_codes, key=lambda c: _sort_key(c, answered)):
            rows.append([cat_label, c.code_label] + [f"{c.level(lvl).n} av {c.level(lvl).n_answered}"
                                                     for lvl in cv.LEVELS]
                        + [str(len(c.named_kommuner)), str(c.n_excerpts)])
    add_table(doc, header, rows, 29.7 - 4.0)

    # still in the landscape section: the same widths, repeated header and rows kept whole as the appendix
    add_docx_section(doc, store, sel.effective_decisions, sel.code_ids, add_table=add_table,
                     available_cm=29.7 - 4.0)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
