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
import datetime
from collections import Counter
import io
import re
import warnings
from dataclasses import dataclass, field
from typing import Iterable, Optional

import config
from importers import respondent as respondent_mod
from importers.common import guarded, new_parsed
from importers.encoding import decode_text
from importers.errors import ImportFailure
from importers.forms_compat import fold, questions_by_id
from importers.headings import compact, order_key, wording_matches
from importers.layout import ambiguous_note, answer_after_wording, match_option, wording_before_note
from importers.question_match import match_wording, qid_of
from importers.safety import check_cell, open_zip, scan_xml_members
from models.records import ParsedFile, RawAnswer
from reference.registry import find_in_text

_RESP = ("respondent", "svarande", "organisation", "respondentnamn", "namn", "name", "avsändare", "huvudman",
         "kommun", "region", "rss", "kommun region", "kommun/region")
_TYPE = ("typ", "respondenttyp", "respondent typ", "type", "respondent type", "respondent_type", "huvudmannatyp", "kategori")
_LAN = ("län", "lan", "länsnamn", "county")
_ROUND = ("omgång", "omgang", "redovisningsomgång", "round")  # a round per row (e.g. the app's own answer download)
_QUESTION = ("fråga", "frågenummer", "fråga nr", "frågenr", "frågeid", "fråga id", "question", "question id",
             "question_id", "qid", "nr", "frågetext", "frågans text", "frågeformulering", "question text")
_ANSWER = ("svar", "svarstext", "svar text", "answer", "answer text", "text", "fritext", "fritextsvar", "kommentar")
_CHOICE = ("val", "alternativ", "svarsalternativ", "valt alternativ", "choice", "option", "kryss")
_RANGE = re.compile(r"^\s*(?:fr[aå]g\w*\s*)?\d{1,2}\s*[a-h]?\s*[-–]\s*\d", re.I)  # "Fråga 1–16": a question column
# a column of kommun codes (SCB's four digits): "Kommunkod", "Kommunnummer", "Kommunnr", "KnKod", "Kod"
_KOMMUN_CODE = re.compile(r"^(kommun\s?(kod|nummer|nr)|kn\s?kod|scb\s?kod|kod)$")
_RESP_WORDS = re.compile(r"\b(kommun|kommunens|region|regionens|organisation|respondent|huvudman|rss)\b")
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
    hidden: bool = False  # a hidden Excel sheet (a draft, an old version): reported, never read
    # hidden rows (sheet row numbers) and columns (indices into rows[i]) that hold something: read, and reported
    hidden_rows: list = field(default_factory=list)
    hidden_cols: list = field(default_factory=list)
    uncached: list = field(default_factory=list)  # cells ("B2") holding a formula without a saved value
    # cells merged across columns: rows[i] index -> [(first column, last column)] (indices into rows[i])
    spans: dict = field(default_factory=dict)
    # cells merged down over rows: (rows index, column index) of each covered cell -> rows index of the merged cell
    covered: dict = field(default_factory=dict)

    def row_number(self, i: int) -> int:
        """The sheet's (or file's) row number of rows[i]: empty rows are not in a compacted table."""
        return self.addresses[i][0] if self.addresses is not None else i + 1

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
    """(question id, rest) when a header/value starts with a question id (any numbering variant)."""
    return qid_of(text)


_SUB_PART = re.compile(r"(?i)^(?:(?:fråga\s*)?(\d{1,2})\s*)?([a-e])(?:[).:]|\s|$)")


def _sub_question(qid: str, cell: str) -> Optional[str]:
    """The sub-question a second header row's cell names under a merged question number: "a) insatser",
    "b", "5 b)" under "Fråga 5" -> "5a", "5b", when the forms have that question."""
    m = _SUB_PART.match(cell.strip())
    base = re.match(r"\d{1,2}", qid or "")
    if not m or not base or (m.group(1) and m.group(1) != base.group(0)):
        return None
    sub = base.group(0) + m.group(2).lower()
    return sub if sub in questions_by_id() else None


def _short_header(text: str) -> str:
    t = " ".join(text.split())
    return t if len(t) <= 40 else t[:38].rstrip() + " …"


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
    """Which column of a header row holds what; `notes` says how headers were read."""

    def __init__(self, header_row: int, headers: list[str]):
        self.header_row = header_row
        self.headers = headers
        self.resp = self.typ = self.lan = self.question = self.answer = self.choice = self.rnd = None
        self.qcols: dict[int, tuple[str, str]] = {}  # column → (qid, 'text'|'comment'|'choice'|'auto')
        self.notes: list[str] = []
        self.row_number = lambda i: i + 1  # the sheet row of rows[i] (Table.row_number once the table is known)
        self.by_wording = 0
        self.resp_more: list[int] = []
        self.resp_context: Optional[int] = None  # the wider unit's column when a kommun column is the respondent
        self.subheaders: dict[int, str] = {}  # column -> its cell in a second header row ("Val", "Kommentar")
        last_qid: Optional[str] = None
        for j, h in enumerate(headers):
            if not h.strip():
                continue
            hk = _key(h[:_HEADER_CHARS])
            q = None if _RANGE.match(h) else _qid_of(h)
            if q and hk not in _QUESTION:
                qid, rest = q
                r = _key(rest)
                role = "comment" if "kommentar" in r or "comment" in r else \
                    "choice" if re.search(r"\b(val|alternativ|svarsalternativ|kryss|choice)\b", r) else "auto"
                self.qcols[j] = (qid, role)
                last_qid = qid
                if _key_is(hk, _QUESTION) and rest.strip():
                    self.notes.append(f"kolumn '{_short_header(h)}' tolkad som fråga {qid}")
                continue
            for attr, keys in (("question", _QUESTION), ("choice", _CHOICE), ("answer", _ANSWER), ("typ", _TYPE),
                               ("lan", _LAN), ("rnd", _ROUND), ("resp", _RESP)):
                if getattr(self, attr) is None and _key_is(hk, keys):
                    setattr(self, attr, j)
                    if attr == "rnd":
                        self.notes.append(f"kolumn '{_short_header(h)}' tolkad som omgång (radens svar läggs i den "
                                          "omgången; en tom cell: importens omgång)")
                    break
            else:
                if self.resp is not None and _key_is(hk, _RESP):
                    self.resp_more.append(j)  # a second respondent column ("Region" beside "Kommun")
                    continue
                m = match_wording(h) if len(h) <= 600 else None
                if m is not None:
                    qid, others = m.qid, list(m.ambiguous_with)
                    if others:  # equally close wordings: the first one after the previous column's question
                        ranked = sorted([qid, *others], key=order_key)
                        after = [q for q in ranked if last_qid is None or order_key(q) > order_key(last_qid)]
                        qid = (after or ranked)[0]
                        others = [q for q in ranked if q != qid]
                    self.qcols[j] = (qid, "auto")
                    last_qid = qid
                    self.by_wording += 1
                    note = f"kolumn '{_short_header(h)}' tolkad som fråga {qid} (frågetexten, likhet {m.score:.2f})"
                    if others:
                        note += "; OSÄKER: kan också vara fråga " + ", ".join(others) + \
                            " — kontrollera och rätta frågan i Svar"
                    self.notes.append(note)
        self.resp_guess: Optional[int] = None  # survey tools: "Vilken kommun/region svarar du för?"
        if self.resp is None:
            for j, h in enumerate(headers):
                if h.strip() and j not in self.qcols and j not in self.used_meta() and \
                        _RESP_WORDS.search(_key(h[:_HEADER_CHARS])):
                    self.resp_guess = j
                    break

    def confirm_kommun_codes(self, body: list[list[str]]) -> None:
        """A sheet whose only respondent column is a kommun code ("Kommunkod": 2080, 0180, or 180 when Excel dropped
        the leading zero): the codes are the kommuner, and their cells are given the kommun's name (reported)."""
        if self.resp is not None:
            return
        from reference.registry import default_registry

        reg = default_registry()
        for j in self.unused():
            if not _KOMMUN_CODE.match(_key(self.headers[j])):
                continue
            values = [r[j].strip() for r in body if j < len(r) and r[j].strip()][:50]
            if not values or not all(re.fullmatch(r"\d{3,4}", v) for v in values):
                continue
            names = {v: reg.kommuner[v.zfill(4)].name for v in values if v.zfill(4) in reg.kommuner}
            if len(names) * 10 < len(set(values)) * 9:
                continue
            for r in body:
                v = r[j].strip() if j < len(r) else ""
                if v.zfill(4) in reg.kommuner and re.fullmatch(r"\d{3,4}", v):
                    r[j] = reg.kommuner[v.zfill(4)].name
            self.resp = j
            shown = ", ".join(f"{v.zfill(4)} = {n}" for v, n in list(names.items())[:3])
            self.notes.append(f"kolumn '{_short_header(self.headers[j])}' tolkad som respondent: kommunkoder "
                              f"({shown}{' …' if len(names) > 3 else ''})")
            return

    def confirm_resp_guess(self, body: list[list[str]]) -> None:
        """Take the guessed respondent column when most of its values name a respondent the registry knows."""
        j = self.resp_guess
        if j is None or self.resp is not None:
            return
        values = [r[j].strip() for r in body if j < len(r) and r[j].strip()][:20]
        known = sum(1 for v in values if respondent_mod.from_text([v]) is not None)
        if values and known * 2 >= len(values):
            self.resp = j
            self.notes.append(f"kolumn '{_short_header(self.headers[j])}' tolkad som respondent")

    def prefer_kommun_column(self, body: list[list[str]]) -> None:
        """Of two respondent columns, one naming regions ("Region Västra Götaland", the same on many rows) and one
        naming kommuner ("Kommun: Borås"), the kommun answered: the answers go to the kommun column's respondent."""
        if self.resp is None or not self.resp_more:
            return

        def types(j: int) -> list:
            values = [resp_value(r[j])[0] for r in body if j < len(r) and r[j].strip()][:50]
            return [(respondent_mod.from_text([v]) or (None, None, None))[1] for v in values]

        first = types(self.resp)
        if not first or any(t != "region" for t in first):
            return
        for j in self.resp_more:
            found = types(j)
            if found and sum(t == "kommun" for t in found) * 2 > len(found):
                self.notes.append(f"kolumnerna '{_short_header(self.headers[self.resp])}' och "
                                  f"'{_short_header(self.headers[j])}': varje rad lades på kommunen i kolumn "
                                  f"'{_short_header(self.headers[j])}' (kolumn '{_short_header(self.headers[self.resp])}' "
                                  "anger bara regionen i kommunens län)")
                self.resp_context, self.resp = self.resp, j
                return

    def spread_merged(self, spans: list[tuple[int, int]]) -> None:
        """A header cell merged across columns ("Fråga 6" over F:G) heads each of them: its question's answer
        may stand in any of them, and the report names them by its text."""
        self.headers = list(self.headers)
        for first, last in spans:
            if first >= len(self.headers) or not self.headers[first].strip():
                continue
            for j in range(first + 1, min(last, len(self.headers) - 1) + 1):
                if self.headers[j].strip():
                    continue
                self.headers[j] = self.headers[first]
                if first in self.qcols:
                    self.qcols[j] = self.qcols[first]

    def owner(self, j: int) -> Optional[int]:
        """The column whose header heads column j: j itself, or the nearest header to its left when j has none
        (the rest of a merged header cell, whose question a second header row gave j)."""
        owner = j
        while owner >= 0 and owner not in self.qcols and not (owner < len(self.headers) and self.headers[owner].strip()):
            owner -= 1
        return owner if owner >= 0 else None

    def column_name(self, j: int) -> str:
        """How the report names column j: its header (the merged header above it), with its second header row's
        cell ("'Fråga 1' / 'Kommentar'")."""
        owner: Optional[int] = j
        while owner is not None and not (owner < len(self.headers) and self.headers[owner].strip()):
            owner = owner - 1 if owner > 0 else None
        if owner is not None and owner != j and self.qcols.get(owner, ("",))[0] != self.qcols.get(j, ("?",))[0]:
            owner = None  # the header to the left is another question's or none's
        header = _short_header(self.headers[owner]) if owner is not None and owner < len(self.headers) else ""
        sub = _short_header(self.subheaders[j]) if j in self.subheaders else ""
        if header and sub:
            return f"kolumn '{header}' / '{sub}'"
        if header or sub:
            return f"kolumn '{header or sub}'"
        return f"kolumn {j + 1}"

    def absorb_subheader(self, row: list[str]) -> None:
        """A second header row under the question numbers ("Val", "Kommentar", "Svar"): it gives each column
        its role, a column under a merged question cell (empty header) takes that question, and the data
        starts below it (the row is no respondent)."""
        cells = {j: c.strip() for j, c in enumerate(row) if c.strip()}
        if not cells or any(j in self.used_meta() for j in cells):
            return
        if self.absorb_wording_row(cells):
            return
        roles: dict[int, tuple[str, str]] = {}
        parts: dict[int, str] = {}
        for j, c in cells.items():
            owner = self.owner(j)
            if owner not in self.qcols:
                return
            part = _sub_question(self.qcols[owner][0], c)
            if part is not None:  # "a) insatser" under a merged "Fråga 5": the column holds 5a
                parts[j] = part
                continue
            k = _key(c[:_HEADER_CHARS])
            if not all(part.strip() in (*_CHOICE, *_ANSWER) for part in k.split("/")):
                return  # a label word only ("Val", "Kommentar", "Svar/kommentar"), never a data cell
            role = "choice" if k in _CHOICE else "comment" if "kommentar" in k or "comment" in k else "auto"
            roles[j] = (self.qcols[owner][0], role)
        self.qcols.update(roles)
        self.qcols.update({j: (qid, "auto") for j, qid in parts.items()})
        self.subheaders = cells
        if parts:
            shown = ", ".join(f"'{_short_header(cells[j])}' = fråga {qid}" for j, qid in sorted(parts.items()))
            self.notes.append(f"rad {self.row_number(self.header_row + 1)} lästes som delfrågor under frågenumren "
                              f"ovanför ({shown})")
        self.header_row += 1

    def absorb_wording_row(self, cells: dict[int, str]) -> bool:
        """A second header row spelling out each question under its number ("5a" over "Beskriv insatser …"), or
        giving the numbers under headers of wording: a header, not a respondent answering with the questions'
        wording or numbers. A cell naming another question than its column's header is named in the report (the
        column keeps its header's question)."""
        if not all(j in self.qcols for j in cells):
            return False
        ids = {j: _qid_of(c) for j, c in cells.items()}
        numbers = all(q is not None and not q[1].strip(" .:)") for q in ids.values())
        if numbers and self.by_wording < len(self.qcols):
            return False  # numbers under numbers: data (counts), not a header
        other: dict[int, str] = {}
        for j, c in cells.items():
            qid, q = self.qcols[j][0], ids[j]
            if numbers or (q is not None and q[0] == qid and len(c) >= 20):
                if q[0] != qid:
                    other[j] = q[0]
                continue
            if len(c) < 20 or answer_after_wording(qid, c) is not None:
                return False  # an answer (after the wording typed again), not the wording alone
            if wording_matches(qid, c):
                continue
            m = match_wording(c)
            if m is None:
                return False  # text that is no question's wording: answers, not a header
            other[j] = m.qid
        self.header_row += 1
        what = "frågenumren under frågornas text" if numbers else "frågornas text under frågenumren"
        note = f"rad {self.row_number(self.header_row)} är {what} och lästes som rubrik"
        if other:
            note += "; OSÄKER: " + "; ".join(
                f"kolumn '{_short_header(self.headers[j])}' har {'numret' if numbers else 'texten'} för fråga {qid}"
                for j, qid in sorted(other.items())) + \
                " — kolumnen lästes som rubriken säger; kontrollera och rätta frågan i Svar"
        self.notes.append(note)
        return True

    def line(self, i: int) -> int:
        """The sheet row of body row i (the rows below the header)."""
        return self.row_number(self.header_row + 1 + i)

    def used_meta(self) -> set[int]:
        return {j for j in (self.resp, self.typ, self.lan, self.question, self.answer, self.choice, self.rnd,
                            self.resp_context) if j is not None}

    def unused(self) -> list[int]:
        """Columns with a header that the layout does not read."""
        used = self.used_meta() | set(self.qcols)
        return [j for j, h in enumerate(self.headers) if h.strip() and j not in used]

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


def _find_layout(rows: list[list[str]], row_number=None, spans: Optional[dict] = None) -> Optional[_Layout]:
    """The best header row among the first 15; a row below a row at least as wide is data, not a header.

    `spans` (Table.spans): header cells merged across columns head each column they cover."""
    best: Optional[_Layout] = None
    widest = 0
    above: Optional[int] = None  # the row above, or the header of words above a run of count rows
    for i, row in enumerate(rows[:15]):
        width = sum(1 for c in row if c.strip())
        below_header = widest >= max(3, width)
        widest = max(widest, width)
        if below_header:
            above = i
            continue
        lay = _Layout(i, row)
        if row_number is not None:
            lay.row_number = row_number
        if lay.kind == "wide" and above is not None and _counts_under_a_header(lay, rows[above], rows[i + 1:i + 21]):
            continue  # (the next rows of counts are compared with the same header of words)
        if width:
            above = i
        if lay.kind and (best is None or lay.score > best.score):
            best = lay
    if best is not None and best.kind == "wide" and spans:
        best.spread_merged(spans.get(best.header_row, []))
    if best is not None and best.kind == "wide" and best.header_row + 1 < len(rows):
        best.absorb_subheader(rows[best.header_row + 1])
    return best


def _counts_under_a_header(lay: _Layout, above: list[str], below: list[list[str]]) -> bool:
    """A 'header' row whose question columns are bare numbers standing under headers of words ('Antal besvarade
    frågor' over 4, 3, 7), with only numbers under them too: a data row of a summary table, not question numbers
    (question numbers under topic words have text answers below them)."""
    cols = [j for j, (_qid, role) in lay.qcols.items()]
    if sum(1 for c in above if c.strip()) < 2:
        return False  # a title line above (an instruction list's "Så här fyller du i"), not a header of columns
    if not all(_numeric(r[j]) for r in below for j in cols if j < len(r) and r[j].strip()):
        return False
    return bool(cols) and all(_numeric(lay.headers[j]) for j in cols) and all(
        j < len(above) and above[j].strip() and _qid_of(above[j]) is None and not _numeric(above[j])
        and not _key_is(_key(above[j]), _QUESTION) for j in cols)


def _is_id_cell(cell: str) -> bool:
    """A cell that is only a question id, or an id followed by that question's wording (a legend line)."""
    q = _qid_of(cell)
    if q is None:
        return False
    qid, rest = q
    rest = rest.strip()
    return not rest or wording_matches(qid, rest)


_LEGEND_ROWS = 60  # a legend shows itself in its first rows; big answer tables are not scanned in full


def _legend_row(row: list[str]) -> bool:
    """A row spelling out a question: 'Fråga 5a: <wording>' or a cell that is a question's wording."""
    for c in row:
        c = c.strip()
        if len(c) < 20 or len(c) > 600:
            continue
        q = _qid_of(c)
        if (q and q[1].strip() and wording_matches(q[0], q[1].strip())) or match_wording(c) is not None:
            return True
    return False


def _numeric(cell: str) -> bool:
    return bool(re.fullmatch(r"[-+]?\d[\d\s]*(?:[.,]\d+)?\s*%?", cell.strip()))


# a sheet named for instructions ("Instruktioner", "Läs mig", "Anvisningar", "Om enkäten", "Info")
_INSTRUCTION_NAME = re.compile(r"instruktion|anvisning|l[aä]s[\s_-]*mig|read[\s_-]*me|hj[aä]lp|f[oö]rklaring|"
                               r"^\s*om\s+(enk[aä]ten|formul[aä]ret|uppf[oö]ljningen)|^\s*info(rmation)?\s*$", re.I)
_LEADING_NUMBER = re.compile(r"^\s*(\d{1,3})(?:[.)]\s*|\s+|$)")
# the words Excel writes into a pivot table (Swedish and English Excel): its row labels, its totals and
# its value fields ("Antal av Fråga 1", "Summa av …")
_PIVOT_LABEL = re.compile(r"^\s*(radetiketter|kolumnetiketter|row labels|column labels|totalsumma|grand total|"
                          r"(antal|summa|medel|medelvärde|max|min|count|sum|average) (av|of) \S.*)\s*$", re.I)


def _pivot_table(rows: list[list[str]]) -> list[str]:
    """The pivot-table words of a sheet (at least two different kinds among its first rows and first column)."""
    cells = [c for r in rows[:_LEGEND_ROWS] for c in r[:4] if c.strip()] + [r[0] for r in rows if r and r[0].strip()]
    found = {" ".join(_PIVOT_LABEL.match(c).group(1).lower().split()[:2]) for c in cells if _PIVOT_LABEL.match(c)}
    return sorted(found) if len(found) >= 2 else []


def _numbered_list(rows: list[list[str]], lay: _Layout) -> bool:
    """The 'header' is the first item of a numbered list: its column holds 1, 2, 3 … ('1. Fyll i …', '2. Spara …').

    Instructions numbered in the first column look like a question column headed '1' whose answers are the
    next items' numbers; a real answer column under question n does not count on from n row by row.
    """
    for j, (qid, _role) in sorted(lay.qcols.items())[:1]:
        m = _LEADING_NUMBER.match(lay.headers[j])
        if not qid.isdigit() or not m:
            return False
        cells = [r[j] for r in rows[lay.header_row + 1:] if j < len(r) and r[j].strip()]
        if len(cells) < 2:
            return False
        numbers = [_LEADING_NUMBER.match(c) for c in cells]
        return all(numbers) and [int(n.group(1)) for n in numbers] == list(
            range(int(m.group(1)) + 1, int(m.group(1)) + 1 + len(cells)))
    return False


def classify(rows: list[list[str]], lay: Optional[_Layout], sheet: str = "") -> tuple[str, str]:
    """('answers', '') or (kind, Swedish reason) for instructions, metadata, legend, pivot or unrelated tables."""
    if (lay is None or lay.resp is None) and sheet and _INSTRUCTION_NAME.search(sheet):
        return "instructions", (f"bladet heter '{_short_header(sheet)}' och har ingen respondentkolumn: instruktioner "
                                "eller information, inga svar")
    pivot = _pivot_table(rows)
    if pivot and (lay is None or lay.resp is None):
        return "pivot", (f"bladet är en pivottabell ({', '.join(repr(w) for w in pivot)}): en sammanställning, "
                         "inte svar")
    if lay is not None and lay.kind != "long" and lay.resp is None and _numbered_list(rows, lay):
        return "instructions", ("bladet är en numrerad lista (raderna börjar 1, 2, 3 …), t.ex. instruktioner, och "
                                "ingen svarstabell med en kolumn per fråga")
    if lay is None:
        ids = [c for r in rows for c in r if c.strip() and _is_id_cell(c)]
        if any(not _numeric(c) for c in ids):  # '5a', 'Fråga 3', '3 Beskriv hur …'
            return "legend", "frågenummer men ingen svarskolumn (förklaring eller metadata)"
        if ids:  # only counts such as 2 and 4 look like question numbers: a summary by län, type, …
            return "pivot", "bara rubriker och tal, ingen svarskolumn (en sammanställning, inte svar)"
        return "unrelated", "ingen svarskolumn (varken en kolumn per fråga eller kolumnerna Fråga och Svar)"
    body = rows[lay.header_row + 1:]
    if lay.kind == "long":
        pairs = [(r[lay.question], r[lay.answer]) for r in body
                 if lay.question < len(r) and lay.answer < len(r) and r[lay.answer].strip()]
        pairs = pairs[:_LEGEND_ROWS]
        legend = sum(1 for qc, text in pairs if (_qid_of(qc) and wording_matches(_qid_of(qc)[0], text)
                                                 and answer_after_wording(_qid_of(qc)[0], text) is None))
        if pairs and legend * 2 >= len(pairs):
            return "legend", "svarskolumnen innehåller frågornas egen text (en förklaring av frågorna)"
        return "answers", ""
    header_ids = len(lay.qcols)
    legend_rows = sum(1 for i, r in enumerate(rows[:_LEGEND_ROWS]) if i != lay.header_row and _legend_row(r))
    if legend_rows >= 3 and legend_rows >= header_ids:
        return "legend", "frågorna står radvis, inte som kolumnrubriker (en förklaring av frågorna, en lista eller en annan tabell)"
    values = [r[j] for r in body for j in lay.qcols if j < len(r) and r[j].strip()]
    if values and sum(_numeric(v) for v in values) >= 0.8 * len(values) and all(
            not _questions_closed(qid) for qid, _ in lay.qcols.values()):
        shown = ", ".join(f"'{_short_header(lay.headers[j])}'" for j in sorted(lay.qcols)[:4])
        return "pivot", (f"kolumnerna som lästes som frågor ({shown}) innehåller bara tal (en sammanställning "
                         "eller uppgifter som antal, inte svar)")
    return "answers", ""


def _transposed(rows: list[list[str]], flagged: Optional[list[str]] = None, at=None):
    """Answers of a table with one row per question and one column per respondent, or [] when it is not one.

    The header row names respondents (at least one the registry or a name pattern knows, every other
    non-empty header too), and at least two rows start with a question id or a question's wording.
    A cell without a letter or digit ("-") is no answer, as in the other layouts; its report line goes to
    `flagged` (`at(row index, column)` says where the cell is).
    """
    for h, header in enumerate(rows[:15]):
        cols = [j for j, c in enumerate(header) if j > 0 and c.strip()]
        if not cols:
            continue
        named = {j: respondent_mod.from_text([header[j]]) for j in cols}
        if not all(named.values()):
            continue
        out = []
        notes: list[str] = []
        for i, row in enumerate(rows[h + 1:], start=h + 1):
            first = row[0].strip() if row else ""
            q = _qid_of(first)
            if q is None:
                m = match_wording(first) if 20 <= len(first) <= 600 else None
                if m is None or m.ambiguous_with:
                    continue
                q = (m.qid, first)
            qid = q[0]
            for j in cols:
                value = _cell(row, j)
                if not value:
                    continue
                resp, typ, lan = named[j]
                if _no_answer(value):
                    where = at(i, j) if at is not None else f"rad {i + 1}, kolumn {j + 1}"
                    notes.append(_no_answer_note(where, value, resp, qid))
                    continue
                choice = _as_option(qid, value)
                if not choice and _bare_value(value):
                    notes.append(_bare_value_note(at(i, j) if at is not None else f"rad {i + 1}, kolumn {j + 1}",
                                                  value, resp, qid))
                out.append((resp, typ, lan, qid, "" if choice else value, choice, None))
        if len({a[3] for a in out}) >= 2:
            if flagged is not None:
                flagged.extend(notes)
            return out
    return []


def _questions_closed(qid: str) -> bool:
    return any(q.closed for q in questions_by_id().get(qid, ()))


def _describe(table: Table) -> str:
    """What a table holds, for a refusal: its first row with at least two cells."""
    for row in table.rows[:15]:
        cells = [_short_header(c) for c in row if c.strip()]
        if len(cells) >= 2:
            shown = ", ".join(cells[:6]) + (" …" if len(cells) > 6 else "")
            return f"'{table.name}' med kolumnerna {shown}"
    first = next((c for r in table.rows for c in r if c.strip()), "")
    return f"'{table.name}'" + (f" som börjar med '{_short_header(first)}'" if first else " (tomt)")


def tables_to_parsed(data: bytes, name: str, fmt: str, tables: list[Table]) -> ParsedFile:
    """Answers from every table classified as an answer table; every other table and column is reported."""
    parsed = new_parsed(data, name, fmt)
    recognised = False
    skipped: list[str] = []
    position = 0
    sheet_word = "blad" if fmt == "xlsx" else "tabellen"
    for table in tables:
        rows = table.rows
        if table.hidden:
            parsed.warnings.append(f"blad '{table.name}' hoppades över: bladet är dolt (ett utkast eller en äldre "
                                   "version?); visa bladet i Excel och importera filen igen om det ska med")
            skipped.append(f"'{table.name}' (dolt blad)")
            continue
        for i, row in enumerate(rows):
            for j, cell in enumerate(row):
                if len(cell) > config.MAX_CELL_CHARS:
                    where = f"cellen {table.cell_name(i, j)} i bladet '{table.name}'" if fmt == "xlsx" else \
                        f"fältet på rad {i + 1}, kolumn {j + 1}"
                    check_cell(name, cell, where)
        where = f"blad '{table.name}'" if fmt == "xlsx" else sheet_word
        prefix = f"{where}: " if fmt == "xlsx" and len(tables) > 1 else ""
        if not any(c.strip() for r in rows for c in r):
            if fmt == "xlsx":
                parsed.warnings.append(f"{where} hoppades över: bladet är tomt")
            continue
        note = _hidden_note(table)
        if note:
            parsed.warnings.append(f"{where}: {note}")
        if table.uncached:
            shown = ", ".join(table.uncached[:8]) + (f" och {len(table.uncached) - 8} till" if len(table.uncached) > 8
                                                    else "")
            parsed.warnings.append(
                f"{where}: {len(table.uncached)} {'cell' if len(table.uncached) == 1 else 'celler'} ({shown}) har en "
                "formel utan sparat värde och lästes som tomma (filen har skapats av ett program och aldrig sparats "
                "i Excel) — öppna filen i Excel, spara den och importera den igen")
        lay = _find_layout(rows, table.row_number, table.spans)
        kind, reason = classify(rows, lay, table.name if fmt == "xlsx" else "")
        if kind != "answers":
            turned_notes: list[str] = []
            turned = _transposed(rows, turned_notes, _grid_namer(table, fmt, prefix))
            if turned:
                recognised = True
                parsed.warnings.append(f"{where} lästes med frågorna som rader och respondenterna som kolumner")
                parsed.warnings.extend(prefix + n for n in turned_notes)
                for resp, typ, lan, qid, text, choice, _ in turned:
                    parsed.answers.append(RawAnswer(resp, qid, text, choice, position, typ, lan))
                    position += 1
                continue
            parsed.warnings.append(f"{where} hoppades över: {reason}")
            skipped.append(_describe(table))
            continue
        recognised = True
        _fill_merged_down(table, lay)
        body = rows[lay.header_row + 1:]
        lay.confirm_resp_guess(body)
        lay.confirm_kommun_codes(body)
        lay.prefer_kommun_column(body)
        parsed.warnings.extend(prefix + n for n in lay.notes)
        for j in lay.unused():
            if any(j < len(r) and r[j].strip() for r in body):
                parsed.warnings.append(
                    f"{prefix}kolumn '{_short_header(lay.headers[j])}' hoppades över: ingen fråga eller respondentuppgift")
        headless = [j for j in range(max(map(len, body), default=0))
                    if not (j < len(lay.headers) and lay.headers[j].strip()) and j not in lay.qcols
                    and j not in lay.used_meta() and any(j < len(r) and r[j].strip() for r in body)]
        if headless:
            names = [re.sub(r"\d+$", "", table.cell_name(lay.header_row, j)) if fmt == "xlsx" else str(j + 1)
                     for j in headless]
            parsed.warnings.append(
                f"{prefix}{'kolumn' if len(names) == 1 else 'kolumnerna'} {', '.join(names)} har innehåll men ingen "
                "rubrik och hoppades över — ge kolumnen en rubrik (t.ex. frågans nummer) och importera filen igen "
                "om den ska med")
        sheet_resp, origin = _sheet_respondent(rows[:lay.header_row], table.name, name, fmt)
        flagged: list[str] = []
        at = _cell_namer(table, lay, fmt, prefix)
        new = _long(lay, body, sheet_resp, flagged, at) if lay.kind == "long" else \
            _wide(lay, body, sheet_resp, flagged, at)
        parsed.warnings.extend(prefix + f for f in flagged)
        uses_fallback = lay.resp is None or any(r[0] == sheet_resp[0] for r in new)
        if new and origin != "text" and uses_fallback:
            src = "bladnamnet" if origin == "sheet" else "filnamnet"
            parsed.warnings.append(
                f"{prefix}ingen respondent i innehållet; '{sheet_resp[0]}' är gissad från {src} — kontrollera och "
                "rätta respondenten i appen")
        for resp, typ, lan, qid, text, choice, rnd in new:
            parsed.answers.append(RawAnswer(resp, qid, text, choice, position, typ, lan, round_label=rnd))
            position += 1
        if not new:
            parsed.warnings.append(f"{where} innehöll inga ifyllda svar och hoppades över")
    if not recognised:
        found = "; ".join(skipped) if skipped else "inga tabeller med innehåll"
        raise ImportFailure(
            name,
            "ingen svarstabell hittades (väntade en respondentkolumn och en kolumn per fråga, t.ex. '5a', eller "
            f"kolumnerna 'Respondent', 'Fråga' och 'Svar'). Filen innehåller: {found}.",
        )
    if not parsed.answers:
        raise ImportFailure(name, "filen har rätt kolumner men inga ifyllda svar.")
    return parsed


def _fill_merged_down(table: Table, lay: _Layout) -> None:
    """A respondent (type, län, round) cell merged down over several answer rows ("Borås" over rows 2–3) names
    each of them, as it shows in Excel: the rows it covers take its text instead of a respondent guessed from the
    file name."""
    meta = lay.used_meta() | set(lay.resp_more) | ({lay.resp_guess} if lay.resp_guess is not None else set())
    for (i, j), top in table.covered.items():
        if j in meta and top > lay.header_row and i < len(table.rows) and j < len(table.rows[i]) \
                and not table.rows[i][j].strip():
            table.rows[i][j] = table.rows[top][j]


def _hidden_note(table: Table) -> Optional[str]:
    """The report line for hidden rows and columns of a visible sheet that hold something: they are read (a
    filtered export hides rows that are answers too), but the analyst did not see them in Excel."""
    parts = []
    if table.hidden_rows:
        parts.append(f"{'rad' if len(table.hidden_rows) == 1 else 'raderna'} {_row_list(table.hidden_rows)}")
    if table.hidden_cols:
        letters = [re.sub(r"\d+$", "", table.cell_name(0, j)) for j in table.hidden_cols]
        parts.append(f"{'kolumn' if len(letters) == 1 else 'kolumnerna'} {', '.join(letters)}")
    if not parts:
        return None
    one = len(table.hidden_rows) + len(table.hidden_cols) == 1
    return (" och ".join(parts) + f" är {'dold' if one else 'dolda'} i Excel men lästes som resten av bladet (t.ex. "
            f"bortfiltrerade rader eller en gömd kolumn) — kontrollera att {'den' if one else 'de'} ska med")


def _sheet_respondent(above: list[list[str]], sheet: str, file_name: str, fmt: str):
    """(respondent hint, origin): cells above the header ('text'), the sheet name ('sheet') or the file name ('file')."""
    found = respondent_mod.from_text([c for r in above for c in r if c.strip()])
    if found:
        return found, "text"
    if fmt == "xlsx":
        found = respondent_mod.from_text([sheet])
        if found:
            return found, "sheet"
    return respondent_mod.from_file_name(file_name), "file"


def _cell(row: list[str], j: Optional[int]) -> str:
    return row[j].strip() if j is not None and j < len(row) and row[j] else ""


_RESP_LABEL = re.compile(r"(?i)^\s*(kommun|region|rss|respondent|svarande|organisation)\s*:\s*(?=\S)")


def resp_value(cell: str) -> tuple[str, Optional[str]]:
    """A respondent cell without a label typed before the name ("Kommun: Borås" → "Borås", type kommun)."""
    m = _RESP_LABEL.match(cell or "")
    if not m:
        return (cell or "").strip(), None
    return cell[m.end():].strip(), respondent_mod.type_hint(m.group(1))


_EXAMPLE = re.compile(r"(?i)^\s*(?:exempel\w*|ex|t\s?\.?\s?ex|example|sample|mall|testrad|test)\b\s*[.:)\-–]?")


def _example_row(cell: str) -> bool:
    """A template's example row: its respondent cell says "Exempel" (or "Exempelkommun", "Ex.", "Mall"), not a
    respondent the registry knows."""
    return bool(cell and _EXAMPLE.match(cell)) and find_in_text(cell) is None


def _example_note(line: int, cell: str) -> str:
    return (f"rad {line}: respondenten '{_short_header(cell)}' är mallens exempelrad, inte ett svar; raden "
            "hoppades över")


_SUMMARY = re.compile(r"(?i)^\s*(?:totalt?|totalsumma|summa|summering|sammanlagt|sammanställning|antal(?: svar)?|"
                      r"medel(?:värde)?|genomsnitt|median|alla(?: respondenter)?|samtliga(?: respondenter)?|"
                      r"hela riket|riket)\b\s*[:.]?\s*(?:\(.*\))?\s*(?:\d[\d\s.,]*%?)?\s*$")


def _summary_row(cell: str) -> bool:
    """A summary row under the answers ("Totalt", "Summa", "Medelvärde", "Samtliga", "Antal svar: 3"): its respondent
    cell is a summary word, perhaps with its figure, not a respondent the registry knows."""
    return bool(cell and _SUMMARY.match(cell)) and find_in_text(cell) is None


def _summary_note(line: int, cell: str) -> str:
    return (f"rad {line}: '{_short_header(cell)}' är en summeringsrad, inte en respondent; raden hoppades över")


def _unrepeated(qid: str, text: str, where: Optional[str], resp: str, flagged: list[str]) -> str:
    """An answer cell without the question's whole wording typed before the answer (said in the report)."""
    split = answer_after_wording(qid, text) if len(text) > 40 else None
    if split is None:
        return text
    flagged.append(wording_before_note(qid, split[0], where or "svaret", resp))
    return split[1]


def _no_answer(value: str) -> bool:
    """A cell without a letter or digit ("-", "–", "...") says "no answer", as such a Word field does."""
    return not any(ch.isalnum() for ch in value)


_BARE_VALUE = re.compile(r"^[\d\s.,:/%+\-\u2013\u2212]+$")


def _bare_value(value: str) -> bool:
    """A free-text answer that is only a number, a date or a share ("12", "2022-10-05", "50 %"): kept as the
    answer, but named in the report, since a free-text question rarely has such an answer (a count or date put
    in the wrong column, or a cell of another table)."""
    return bool(_BARE_VALUE.match(value)) and any(ch.isdigit() for ch in value)


def _bare_value_note(where: str, value: str, resp: str, qid: str) -> str:
    shown = " ".join(value.split())
    return (f"{where}: '{shown}' ({resp}, fråga {qid}) är bara ett tal eller datum utan text; det lästes som "
            "svaret — kontrollera att det hör till frågan")


def _cell_namer(table: Table, lay: "_Layout", fmt: str, prefix: str):
    """(body row index, column) -> where that cell is, for the report: the sheet (unless the prefix names it),
    the cell ("C4") and its column's header in an Excel file; the row and column in a CSV file."""
    def at(i: int, j: int) -> str:
        col = lay.column_name(j)
        if fmt == "xlsx":
            sheet = "" if prefix else f"blad '{table.name}', "
            return f"{sheet}cell {table.cell_name(lay.header_row + 1 + i, j)} ({col})"
        return f"rad {lay.line(i)}, {col}"
    return at


def _grid_namer(table: Table, fmt: str, prefix: str):
    """(row index, column) -> where that cell of the whole table is, for the report (see _cell_namer)."""
    def at(i: int, j: int) -> str:
        if fmt == "xlsx":
            sheet = "" if prefix else f"blad '{table.name}', "
            return f"{sheet}cell {table.cell_name(i, j)}"
        return f"rad {table.row_number(i)}, kolumn {j + 1}"
    return at


def _no_answer_note(where: str, value: str, resp: str, qid: str) -> str:
    """The report line for a cell dropped because it holds no letter or digit: never dropped silently."""
    shown = " ".join(value.split())
    shown = shown if len(shown) <= 40 else shown[:38].rstrip() + " …"
    return (f"{where}: '{shown}' ({resp}, fråga {qid}) har ingen bokstav eller siffra och lästes som inget svar")


def _long(lay: _Layout, rows: list[list[str]], sheet_resp, flagged: list[str], at=None):
    out = []
    last_resp: Optional[tuple] = None
    unknown: dict[str, int] = {}
    interpreted: dict[str, str] = {}  # question cell read by its wording -> the note saying so (once per text)
    lines: list[int] = []  # the sheet row of each answer in `out`
    continued: dict[int, list[int]] = {}  # index in `out` -> the sheet rows that continue its text
    prev: Optional[int] = None  # index in `out` of the answer the row just before gave
    for i, row in enumerate(rows):
        if not any(c.strip() for c in row):
            continue
        k = _continuation(lay, row, out, prev, last_resp)
        if k is not None:  # one answer written over several rows: the text goes on, without respondent or question
            r = out[k]
            out[k] = (*r[:4], "\n".join(x for x in (r[4], _cell(row, lay.answer)) if x), *r[5:])
            continued.setdefault(k, []).append(lay.line(i))
            continue
        prev = None
        if _example_row(_cell(row, lay.resp)):
            flagged.append(_example_note(lay.line(i), _cell(row, lay.resp)))
            continue
        if _summary_row(_cell(row, lay.resp)):
            flagged.append(_summary_note(lay.line(i), _cell(row, lay.resp)))
            continue
        resp, labelled = resp_value(_cell(row, lay.resp))
        typ = respondent_mod.type_hint(_cell(row, lay.typ)) or labelled
        lan = _cell(row, lay.lan) or None
        if resp:
            last_resp = (resp, typ, lan)
        elif lay.resp is not None and last_resp:
            resp, typ, lan = last_resp[0], typ or last_resp[1], lan or last_resp[2]
        else:
            resp, typ, lan = sheet_resp[0], typ or sheet_resp[1], lan or sheet_resp[2]
        qcell = _cell(row, lay.question)
        q = _qid_of(qcell)
        if q is None:
            m = match_wording(qcell) if qcell else None
            if m is None:
                if _cell(row, lay.answer) or _cell(row, lay.choice):
                    unknown[qcell] = unknown.get(qcell, 0) + 1
                continue
            q = (m.qid, qcell)
            if (m.ambiguous_with or m.score < 0.999) and qcell not in interpreted:
                note = f"frågan '{_short_header(qcell)}' tolkad som fråga {m.qid} (frågetexten, likhet {m.score:.2f})"
                if m.ambiguous_with:
                    note += "; OSÄKER: kan också vara fråga " + ", ".join(m.ambiguous_with) + \
                        " — kontrollera och rätta frågan i Svar"
                interpreted[qcell] = note
        qid = q[0]
        text = _unrepeated(qid, _cell(row, lay.answer), at(i, lay.answer) if at is not None else None, resp, flagged)
        if text and _no_answer(text):
            if at is not None:
                flagged.append(_no_answer_note(at(i, lay.answer), text, resp, qid))
            text = ""
        choice = _cell(row, lay.choice) or None
        if choice and _no_answer(choice):
            if at is not None:
                flagged.append(_no_answer_note(at(i, lay.choice), choice, resp, qid))
            choice = None
        if choice:
            if at is not None and ambiguous_note(qid, choice):
                flagged.append(ambiguous_note(qid, choice, at(i, lay.choice), resp))
            choice = match_option(qid, choice)
        elif text and _as_option(qid, text):
            choice, text = _as_option(qid, text), ""
        if text and _bare_value(text) and at is not None:
            flagged.append(_bare_value_note(at(i, lay.answer), text, resp, qid))
        if text or choice:
            out.append((resp, typ, lan, qid, text, choice, _cell(row, lay.rnd) or None))
            lines.append(lay.line(i))
            prev = len(out) - 1
    for k, at in continued.items():
        flagged.append(f"rad {_row_list(at)} har svarstext men varken respondent eller fråga; texten lästes som "
                       f"fortsättning på svaret på rad {lines[k]} ({out[k][0]}, fråga {out[k][3]}) — kontrollera")
    out = _same_question_twice(out, lines, flagged)
    flagged.extend(interpreted.values())
    for qcell, n in unknown.items():
        shown = f"'{_short_header(qcell)}'" if qcell else "tom"
        flagged.append(f"{n} rad(er) hoppades över: frågan {shown} känns inte igen")
    return out


def _continuation(lay: _Layout, row: list[str], out: list[tuple], prev: Optional[int],
                  last_resp: Optional[tuple]) -> Optional[int]:
    """The answer in `out` a row continues, or None: a row with only answer text (no question, no choice, no
    respondent or the same one again) right after a row that gave an answer — an export that writes a long
    answer over several rows."""
    if prev is None or lay.question is None or lay.answer is None:
        return None
    if _cell(row, lay.question) or _cell(row, lay.choice) or not _cell(row, lay.answer):
        return None
    resp = resp_value(_cell(row, lay.resp))[0]
    if resp and (last_resp is None or resp != last_resp[0]):
        return None
    return prev


def _row_list(rows: list[int]) -> str:
    return f"{rows[0]}" if len(rows) == 1 else (f"{rows[0]}–{rows[-1]}" if rows[-1] - rows[0] == len(rows) - 1
                                                 else ", ".join(map(str, rows)))


def _same_question_twice(out: list[tuple], lines: list[int], flagged: list[str]) -> list[tuple]:
    """`out` without exact copies; each respondent answering one question on several rows is reported.

    A row repeated as it was (a copy-paste) is one answer and the copy is reported; different answers of one
    respondent to one question are all kept and reported with their rows, as when two files of a round answer
    the same question for one respondent (the analyst decides which holds).
    """
    kept: list[tuple] = []
    rows_of: dict[tuple, list[int]] = {}
    first: dict[tuple, int] = {}
    for answer, line in zip(out, lines):
        resp, _typ, _lan, qid, text, choice, rnd = answer  # rows of different rounds are different answers
        copy = first.get((resp, qid, text, choice, rnd))
        if copy is not None:
            flagged.append(f"rad {line}: samma svar som rad {copy} ({resp}, fråga {qid}); kopian hoppades över")
            continue
        first[(resp, qid, text, choice, rnd)] = line
        rows_of.setdefault((resp, qid, rnd), []).append(line)
        kept.append(answer)
    for (resp, qid, _rnd), at in rows_of.items():
        if len(at) > 1:
            flagged.append(f"{resp}, fråga {qid}: {len(at)} rader med olika svar (rad {', '.join(map(str, at))}); "
                           "alla svaren finns kvar — kontrollera om något är en äldre version eller en fortsättning")
    return kept


def _wide(lay: _Layout, rows: list[list[str]], sheet_resp, flagged: list[str], at=None):
    out = []
    lines: list[int] = []
    for i, row in enumerate(rows):
        cells = {j: _cell(row, j) for j in lay.qcols}
        if not any(cells.values()):
            if _summary_row(_cell(row, lay.resp)):  # "Antal svar: 3" with its figure in the first cell only
                flagged.append(_summary_note(lay.line(i), _cell(row, lay.resp)))
            continue
        if _example_row(_cell(row, lay.resp)):
            flagged.append(_example_note(lay.line(i), _cell(row, lay.resp)))
            continue
        if _summary_row(_cell(row, lay.resp)):
            flagged.append(_summary_note(lay.line(i), _cell(row, lay.resp)))
            continue
        if lay.resp is not None and not _cell(row, lay.resp):
            flagged.append(f"rad {lay.line(i)}: respondentcellen är tom; respondenten "
                           f"'{sheet_resp[0]}' är gissad — kontrollera")
        resp, labelled = resp_value(_cell(row, lay.resp))
        resp = resp or sheet_resp[0]
        typ = respondent_mod.type_hint(_cell(row, lay.typ)) or labelled or \
            (None if _cell(row, lay.resp) else sheet_resp[1])
        lan = _cell(row, lay.lan) or (None if _cell(row, lay.resp) else sheet_resp[2])
        per_q: dict[str, list] = {}
        for j, (qid, role) in lay.qcols.items():
            value = cells[j]
            if not value:
                continue
            if _no_answer(value):
                if at is not None:
                    flagged.append(_no_answer_note(at(i, j), value, resp, qid))
                continue
            slot = per_q.setdefault(qid, [[], None])
            if role == "choice":
                if at is not None and ambiguous_note(qid, value):
                    flagged.append(ambiguous_note(qid, value, at(i, j), resp))
                slot[1] = match_option(qid, value)
            elif role == "auto" and _as_option(qid, value):
                slot[1] = _as_option(qid, value)
            else:
                value = _unrepeated(qid, value, at(i, j) if at is not None else None, resp, flagged)
                slot[0].append(value)
                if _bare_value(value) and at is not None:
                    flagged.append(_bare_value_note(at(i, j), value, resp, qid))
        for qid, (texts, choice) in per_q.items():
            out.append((resp, typ, lan, qid, "\n".join(texts), choice, _cell(row, lay.rnd) or None))
            lines.append(lay.line(i))
    return _same_question_twice(out, lines, flagged)


def _number_format(wb, style_id) -> str:
    """The number format of a cell by its style id, as openpyxl's ReadOnlyCell reads it ("General" when unknown)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

    try:
        fmt_id = wb._cell_styles[int(style_id)].numFmtId
        if fmt_id < BUILTIN_FORMATS_MAX_SIZE:
            return BUILTIN_FORMATS.get(fmt_id, "General")
        return wb._number_formats[fmt_id - BUILTIN_FORMATS_MAX_SIZE]
    except (IndexError, KeyError, TypeError, ValueError, AttributeError):
        return "General"


def _percent(value: float, fmt: str) -> str:
    """A number shown as a percentage ("0%", "0.0%"): 0.25 -> "25 %", with the format's decimals, Swedish comma."""
    decimals = 0
    m = re.search(r"0[.,](0+)%", fmt)
    if m:
        decimals = len(m.group(1))
    return f"{value * 100:.{decimals}f}".replace(".", ",") + " %"


def _text(value, fmt: str = "General") -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in fmt:
        return _percent(float(value), fmt)
    if isinstance(value, datetime.datetime):  # a date typed in a cell, not "2022-05-17 00:00:00"
        return value.date().isoformat() if value.time() == datetime.time() else value.strftime("%Y-%m-%d %H:%M")
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
                    if getattr(ws, "sheet_state", "visible") != "visible":
                        tables.append(Table(ws.title, [], hidden=True))
                        continue
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
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.worksheet._reader import WorkSheetParser
    from openpyxl.xml.constants import SHEET_MAIN_NS

    formula_tag, value_tag = f"{{{SHEET_MAIN_NS}}}f", f"{{{SHEET_MAIN_NS}}}v"
    uncached: list[str] = []

    class Parser(WorkSheetParser):
        """The library's parser, noting formula cells without a saved value (a file written by a program, never
        saved in Excel: its formulas were never calculated, so the cell has no text to read)."""

        def parse_cell(self, element):
            cell = super().parse_cell(element)
            # Excel writes a formula's last result in <v> (an empty text result as t="str" with an empty <v>)
            if element.find(formula_tag) is not None and not (element.findtext(value_tag) or "") \
                    and element.get("t") != "str":
                uncached.append(element.get("r") or f"{_col_name(int(cell['column']) - 1)}{cell['row']}")
            return cell

    cells: dict[int, dict[int, str]] = {}
    used_cols: set[int] = set()
    count = 0
    with ws._get_source() as src:  # the parser ReadOnlyWorksheet uses, minus its gap filling
        parser = Parser(src, ws._shared_strings, data_only=True, epoch=ws.parent.epoch,
                                 date_formats=ws.parent._date_formats,
                                 timedelta_formats=ws.parent._timedelta_formats)
        for idx, row in parser.parse():
            for cell in row:
                value = cell.get("value")
                style = cell.get("style_id")
                text = _text(value, _number_format(ws.parent, style) if style and isinstance(value, (int, float)) else "General")
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
    on = ("1", "true")
    table.hidden_rows = sorted(r for r, attrs in ((int(k), a) for k, a in parser.row_dimensions.items()
                                                 if str(k).isdigit()) if attrs.get("hidden") in on and r in cells)
    hidden_cols: set[int] = set()
    for attrs in parser.column_dimensions.values():
        if attrs.get("hidden") in on:
            try:
                hidden_cols.update(range(int(attrs["min"]), int(attrs.get("max") or attrs["min"]) + 1))
            except (KeyError, ValueError):
                continue
    table.hidden_cols = [position[c] for c in cols if c in hidden_cols]
    table.uncached = uncached
    order = {r: i for i, r in enumerate(sorted(cells))}
    for merged in getattr(parser.merged_cells, "mergeCell", None) or ():
        try:
            min_col, min_row, max_col, max_row = range_boundaries(merged.ref)
        except (TypeError, ValueError):
            continue
        covered = [position[c] for c in range(min_col, max_col + 1) if c in position]
        if max_col > min_col and min_row in order and len(covered) > 1:
            table.spans.setdefault(order[min_row], []).append((covered[0], covered[-1]))
        if max_row > min_row and min_row in order and min_col in position:
            for r in range(min_row + 1, max_row + 1):
                if r in order:
                    table.covered[(order[r], position[min_col])] = order[min_row]
    for r in sorted(cells):
        row = [""] * len(cols)
        for c, text in cells[r].items():
            row[position[c]] = text
        table.rows.append(row)
        table.addresses.append((r, cols))
    return table


def sniff_delimiter(text: str) -> str:
    """';', ',' or tab: the one that splits the first lines into the most consistent columns."""
    lines = text.splitlines()
    sample = "\n".join(lines[:30])
    cut = len(lines) > 30  # the sample's last row may be cut off
    best, best_score = ",", -1.0
    for d in (";", ",", "\t"):
        try:
            rows = [r for r in csv.reader(io.StringIO(sample), delimiter=d) if r]
        except csv.Error:
            continue
        if not rows:
            continue
        widths = [len(r) for r in (rows[:-1] if cut else rows)] or [len(rows[0])]
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
        notes = _overlong_rows(rows, delimiter)
        parsed = tables_to_parsed(data, name, self.format, [Table(name, rows)])
        parsed.warnings.extend(notes)
        return parsed


def _overlong_rows(rows: list[list[str]], delimiter: str) -> list[str]:
    """Rows with more fields than the file's other rows: an answer holding the delimiter without quotes ("…
    Norberg; Min vård …" in a semicolon file typed by hand). In a long file (Respondent, Fråga, Svar) whose last
    column is the answer the surplus fields are the answer's text cut at the delimiter and are put back into it;
    otherwise they cannot be placed and are named. Either way the report names the rows (nothing is dropped silently)."""
    widths = Counter(len(r) for r in rows if any(c.strip() for c in r))
    if len(widths) < 2:
        return []
    width = widths.most_common(1)[0][0]
    over = [i for i, r in enumerate(rows) if len(r) > width and any(c.strip() for c in r[width:])]
    if not over or width < 2:
        return []
    lay = _find_layout(rows)  # a long file whose last column is the answer: the surplus is the answer's tail
    free_text = lay is not None and lay.kind == "long" and lay.answer == width - 1 and lay.header_row not in over
    shown = ", ".join(str(i + 1) for i in over[:5]) + (f" och {len(over) - 5} till" if len(over) > 5 else "")
    sign = {";": "semikolon", ",": "komma", "\t": "tabb"}.get(delimiter, repr(delimiter))
    if free_text:
        for i in over:
            rows[i][width - 1:] = [delimiter.join(rows[i][width - 1:])]
        return [f"{'rad' if len(over) == 1 else 'raderna'} {shown} har fler fält än filens {width} kolumner: "
                f"svaret i sista kolumnen innehåller {sign} utan citattecken; fälten efter kolumn {width} lades "
                "tillbaka i svaret — kontrollera svaret"]
    tails = "; ".join(f"rad {i + 1}: '{_short_header(delimiter.join(rows[i][width:]))}'" for i in over[:3])
    return [f"{'rad' if len(over) == 1 else 'raderna'} {shown} har fler fält än filens {width} kolumner "
            f"(troligen {sign} i ett svar utan citattecken); texten efter kolumn {width} lästes inte ({tails}) och "
            f"{'radens' if len(over) == 1 else 'radernas'} svar kan ha hamnat i fel kolumn — rätta filen "
            "(citattecken runt svaret) och importera den igen"]
