"""Spreadsheets (.xlsx) and CSV: wide and long answer exports.

Wide: one row per respondent and one column per question whose header starts with the
question id ("5a", "5a. Beskriv ...", "Fråga 5a"); "1 kommentar" / "1 val" columns split a
closed question's comment and choice. Long: one row per answer with respondent, type,
län, question and answer columns (Swedish or English headers). A sheet without a
respondent column takes the respondent from the cells above the header, the sheet name
or the file name. Sheets without answers are ignored; line breaks inside cells are kept.
"""
from __future__ import annotations

import csv
import io
import re
import warnings
from dataclasses import dataclass
from typing import Iterable, Optional

import config
from importers import respondent as respondent_mod
from importers.base import guarded, new_parsed
from importers.encoding import decode_text
from importers.errors import ImportFailure
from importers.forms_compat import fold, questions_by_id
from importers.headings import compact
from importers.layout import match_option
from importers.safety import check_cell, open_zip, scan_xml_members
from models.records import ParsedFile, RawAnswer

_RESP = ("respondent", "svarande", "organisation", "respondentnamn", "namn", "name", "avsändare", "huvudman",
         "kommun", "region", "rss", "kommun region", "kommun/region")
_TYPE = ("typ", "respondenttyp", "respondent typ", "type", "respondent type", "respondent_type", "huvudmannatyp", "kategori")
_LAN = ("län", "lan", "länsnamn", "county")
_QUESTION = ("fråga", "frågenummer", "fråga nr", "frågenr", "frågeid", "fråga id", "question", "question id",
             "question_id", "qid", "nr")
_ANSWER = ("svar", "svarstext", "svar text", "answer", "answer text", "text", "fritext", "fritextsvar", "kommentar")
_CHOICE = ("val", "alternativ", "svarsalternativ", "valt alternativ", "choice", "option", "kryss")
_QHEAD = re.compile(r"^\s*(?:fr[aå]ga|q)?\s*(\d{1,2})(?!\d)\s?([a-hA-H])?(?![A-Za-zÅÄÖåäö0-9])\s*[.):\-–]?\s*(.*)$", re.S | re.I)
_WORDISH = re.compile(r"[^\w/ ]+")


@dataclass
class Table:
    """One sheet: name and rows of cell strings ('' for empty).

    `addresses[i]` = (sheet row number, sheet column numbers) of rows[i] when the table was
    compacted from a sparse sheet; None means row i is sheet row i+1, column j is j+1.
    """

    name: str
    rows: list[list[str]]
    addresses: Optional[list] = None

    def cell_name(self, i: int, j: int) -> str:
        if self.addresses is not None:
            r, cols = self.addresses[i]
            return f"{_col_name(cols[j] - 1)}{r}"
        return f"{_col_name(j)}{i + 1}"


def _key(text: str) -> str:
    return " ".join(_WORDISH.sub(" ", fold(text).replace("_", " ")).split())


# Header names are short: fold only the start of a cell (answer cells in the first rows can be long).
_HEADER_CHARS = 80


def _key_is(k: str, keys: Iterable[str]) -> bool:
    return any(k == key or k.startswith(key + " ") for key in keys)


def _qid_of(text: str) -> Optional[tuple[str, str]]:
    """(question id, rest) when a header/value starts with a question id."""
    m = _QHEAD.match(text or "")
    if not m:
        return None
    num = int(m.group(1))
    if num == 0 or num > 60:
        return None
    return f"{num}{(m.group(2) or '').lower()}", m.group(3) or ""


def _as_option(qid: str, value: str) -> Optional[str]:
    c = compact(value)
    for q in questions_by_id().get(qid, ()):
        for o in q.options:
            if compact(o) == c:
                return o
    return None


def _col_name(j: int) -> str:
    s = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


class _Layout:
    def __init__(self, header_row: int, headers: list[str]):
        self.header_row = header_row
        self.resp = self.typ = self.lan = self.question = self.answer = self.choice = None
        self.qcols: dict[int, tuple[str, str]] = {}  # column → (qid, 'text'|'comment'|'choice'|'auto')
        for j, h in enumerate(headers):
            if not h.strip():
                continue
            hk = _key(h[:_HEADER_CHARS])
            q = _qid_of(h)
            if q and not _key_is(hk, _QUESTION):
                qid, rest = q
                r = _key(rest)
                role = "comment" if "kommentar" in r or "comment" in r else \
                    "choice" if re.search(r"\b(val|alternativ|svarsalternativ|kryss|choice)\b", r) else "auto"
                self.qcols[j] = (qid, role)
                continue
            for attr, keys in (("question", _QUESTION), ("choice", _CHOICE), ("answer", _ANSWER), ("typ", _TYPE),
                               ("lan", _LAN), ("resp", _RESP)):
                if getattr(self, attr) is None and _key_is(hk, keys):
                    setattr(self, attr, j)
                    break

    @property
    def kind(self) -> Optional[str]:
        if self.question is not None and self.answer is not None:
            return "long"
        if self.qcols:
            return "wide"
        return None

    @property
    def score(self) -> int:
        k = self.kind
        if k == "long":
            return 100 + sum(x is not None for x in (self.resp, self.typ, self.lan, self.choice))
        if k == "wide":
            return len(self.qcols) * 2 + (self.resp is not None)
        return 0


def _find_layout(rows: list[list[str]]) -> Optional[_Layout]:
    best: Optional[_Layout] = None
    for i, row in enumerate(rows[:15]):
        lay = _Layout(i, row)
        if lay.kind and (best is None or lay.score > best.score):
            best = lay
    return best


def tables_to_parsed(data: bytes, name: str, fmt: str, tables: list[Table]) -> ParsedFile:
    """Answers from every sheet with a recognisable layout."""
    parsed = new_parsed(data, name, fmt)
    recognised = False
    fallback_resp = respondent_mod.from_file_name(name)
    position = 0
    for table in tables:
        rows = table.rows
        for i, row in enumerate(rows):
            for j, cell in enumerate(row):
                if len(cell) > config.MAX_CELL_CHARS:
                    where = f"cellen {table.cell_name(i, j)} i bladet '{table.name}'" if fmt == "xlsx" else \
                        f"fältet på rad {i + 1}, kolumn {j + 1}"
                    check_cell(name, cell, where)
        lay = _find_layout(rows)
        if lay is None:
            continue
        recognised = True
        above = [c for r in rows[:lay.header_row] for c in r if c.strip()]
        sheet_resp = respondent_mod.from_text(above) or (
            respondent_mod.from_text([table.name]) if fmt == "xlsx" else None) or fallback_resp
        body = rows[lay.header_row + 1:]
        new = _long(lay, body, sheet_resp) if lay.kind == "long" else _wide(lay, body, sheet_resp)
        for resp, typ, lan, qid, text, choice in new:
            parsed.answers.append(RawAnswer(resp, qid, text, choice, position, typ, lan))
            position += 1
        if not new:
            parsed.warnings.append(f"bladet '{table.name}' innehöll inga svar och hoppades över.")
    if not recognised:
        raise ImportFailure(
            name,
            "hittade inga kolumner som går att känna igen; väntade antingen kolumner som 'Respondent', 'Fråga' och "
            "'Svar' (en rad per svar) eller en kolumn per fråga vars rubrik börjar med frågenumret, t.ex. '5a'.",
        )
    if not parsed.answers:
        raise ImportFailure(name, "filen har rätt kolumner men inga ifyllda svar.")
    return parsed


def _cell(row: list[str], j: Optional[int]) -> str:
    return row[j].strip() if j is not None and j < len(row) and row[j] else ""


def _long(lay: _Layout, rows: list[list[str]], sheet_resp):
    out = []
    last_resp: Optional[tuple] = None
    for row in rows:
        if not any(c.strip() for c in row):
            continue
        resp = _cell(row, lay.resp)
        typ = respondent_mod.type_hint(_cell(row, lay.typ))
        lan = _cell(row, lay.lan) or None
        if resp:
            last_resp = (resp, typ, lan)
        elif lay.resp is not None and last_resp:
            resp, typ, lan = last_resp[0], typ or last_resp[1], lan or last_resp[2]
        else:
            resp, typ, lan = sheet_resp[0], typ or sheet_resp[1], lan or sheet_resp[2]
        q = _qid_of(_cell(row, lay.question))
        if q is None:
            continue
        qid = q[0]
        text = _cell(row, lay.answer)
        choice = _cell(row, lay.choice) or None
        if choice:
            choice = match_option(qid, choice)
        elif text and _as_option(qid, text):
            choice, text = _as_option(qid, text), ""
        if text or choice:
            out.append((resp, typ, lan, qid, text, choice))
    return out


def _wide(lay: _Layout, rows: list[list[str]], sheet_resp):
    out = []
    for row in rows:
        cells = {j: _cell(row, j) for j in lay.qcols}
        if not any(cells.values()):
            continue
        resp = _cell(row, lay.resp) or sheet_resp[0]
        typ = respondent_mod.type_hint(_cell(row, lay.typ)) or (None if _cell(row, lay.resp) else sheet_resp[1])
        lan = _cell(row, lay.lan) or (None if _cell(row, lay.resp) else sheet_resp[2])
        per_q: dict[str, list] = {}
        for j, (qid, role) in lay.qcols.items():
            value = cells[j]
            if not value:
                continue
            slot = per_q.setdefault(qid, [[], None])
            if role == "choice":
                slot[1] = match_option(qid, value)
            elif role == "auto" and _as_option(qid, value):
                slot[1] = _as_option(qid, value)
            else:
                slot[0].append(value)
        for qid, (texts, choice) in per_q.items():
            out.append((resp, typ, lan, qid, "\n".join(texts), choice))
    return out


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n")


class XlsxReader:
    """Reader for Excel workbooks (.xlsx)."""

    format = "xlsx"
    extensions = (".xlsx",)

    @guarded
    def read(self, data: bytes, name: str) -> ParsedFile:
        zf = open_zip(name, data, "Excel-fil")
        scan_xml_members(name, zf)
        import openpyxl

        tables = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's notes on unsupported extensions are not for the analyst
            try:
                wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            except Exception as exc:
                raise ImportFailure(name, "Excel-filen är skadad eller ofullständig och kan inte läsas.") from exc
            try:
                for ws in wb.worksheets:
                    tables.append(_sparse_table(name, ws))
            except ImportFailure:
                raise
            except Exception as exc:
                raise ImportFailure(name, "Excel-filen är skadad eller ofullständig och kan inte läsas.") from exc
            finally:
                wb.close()
        return tables_to_parsed(data, name, self.format, tables)


def _sparse_table(name: str, ws) -> Table:
    """A sheet's non-empty cells, read without padding (a lone cell at XFD1048576 is no bomb).

    Only rows and columns that hold a value are kept, in their original order; the dense
    table they make is bounded so a sparse diagonal cannot blow up memory.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    cells: dict[int, dict[int, str]] = {}
    used_cols: set[int] = set()
    count = 0
    with ws._get_source() as src:  # the parser ReadOnlyWorksheet uses, minus its gap filling
        parser = WorkSheetParser(src, ws._shared_strings, data_only=True, epoch=ws.parent.epoch,
                                 date_formats=ws.parent._date_formats,
                                 timedelta_formats=ws.parent._timedelta_formats)
        for idx, row in parser.parse():
            for cell in row:
                text = _text(cell.get("value"))
                if not text.strip():
                    continue
                r, c = int(cell.get("row") or idx), int(cell["column"])
                cells.setdefault(r, {})[c] = text
                used_cols.add(c)
                count += 1
    cols = sorted(used_cols)
    max_cells = config.MAX_SHEET_CELLS
    if len(cells) * len(cols) > max_cells:
        raise ImportFailure(
            name, f"bladet '{ws.title}' är för stort eller glest ({len(cells)} rader × {len(cols)} kolumner med innehåll); "
                  f"gränsen är {max_cells:,} celler per blad.".replace(",", " "))
    position = {c: j for j, c in enumerate(cols)}
    table = Table(ws.title, [])
    table.addresses = []
    for r in sorted(cells):
        row = [""] * len(cols)
        for c, text in cells[r].items():
            row[position[c]] = text
        table.rows.append(row)
        table.addresses.append((r, cols))
    return table


def sniff_delimiter(text: str) -> str:
    """';', ',' or tab: the one that splits the first lines into the most consistent columns."""
    sample = "\n".join(text.splitlines()[:30])
    best, best_score = ",", -1.0
    for d in (";", ",", "\t"):
        try:
            rows = [r for r in csv.reader(io.StringIO(sample), delimiter=d) if r]
        except csv.Error:
            continue
        if not rows:
            continue
        widths = [len(r) for r in rows[:-1]] or [len(rows[0])]
        first = widths[0]
        if first < 2:
            continue
        consistent = sum(w == first for w in widths) / len(widths)
        score = consistent * 10 + min(first, 50) / 50
        if score > best_score:
            best, best_score = d, score
    return best


class CsvReader:
    """Reader for CSV/TSV exports (UTF-8, UTF-8 with BOM, cp1252; ';' ',' or tab)."""

    format = "csv"
    extensions = (".csv", ".tsv")

    @guarded
    def read(self, data: bytes, name: str) -> ParsedFile:
        text, _ = decode_text(name, data, "CSV-fil")
        m = re.match(r"\ufeff?sep=(.)\r?\n", text)  # Excel's delimiter hint line
        if m:
            delimiter, text = m.group(1), text[m.end():]
        else:
            delimiter = "\t" if name.lower().endswith((".tsv", ".txt")) else sniff_delimiter(text)
        limit = config.MAX_CELL_CHARS * 4 + 16
        if csv.field_size_limit() < limit:
            csv.field_size_limit(limit)
        try:
            rows = [[c.replace("\r\n", "\n").replace("\r", "\n") for c in r]
                    for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
        except csv.Error as exc:
            if "field larger" in str(exc):
                raise ImportFailure(
                    name, f"ett fält är längre än {config.MAX_CELL_CHARS} tecken; gränsen är {config.MAX_CELL_CHARS} tecken per cell.") from exc
            raise ImportFailure(name, "CSV-filen är felaktigt formaterad och kan inte läsas.") from exc
        return tables_to_parsed(data, name, self.format, [Table(name, rows)])
