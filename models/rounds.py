"""Collection rounds: labels, detecting a file's round, and question mappings between rounds' forms.

A round label names one collection of answers: a year (`2022`) or a half-year report
(`2022-del` for the delredovisning in June, `2022-slut` for the slutredovisning in December).
Each round's form is a file in data/forms/ (e.g. data/forms/2021/kommun_2021.yaml); a mapping
file in data/forms/mappings/ says which question of one round's form corresponds to which of
another's ("5" in 2021 -> "5a" and "5b" in 2022). Pure functions: no SQL, no Streamlit.
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

import yaml

import config
from errors import SvarsanalysError
from reference.forms import Form, load_form, normalise_question_id

MAPPINGS_DIR = config.FORMS_DIR / "mappings"
MAX_LABEL_CHARS = 40

_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_DEL = re.compile(r"del[\s_-]*redovisning|(?<![a-zåäö])del(?![a-zåäö])", re.I)
_SLUT = re.compile(r"slut[\s_-]*redovisning|(?<![a-zåäö])slut(?![a-zåäö])", re.I)
_PART_ORDER = {"del": 0, "": 1, "slut": 2}
_TITLE = re.compile(r"\b(del|slut)?redovisning\b[^\n]{0,160}?(?<!\d)(20\d\d)(?!\d)", re.I)


class MappingError(SvarsanalysError):
    """A question mapping file is invalid; the message (Swedish) names the file and the problem."""


# ------------------------------------------------------------------ labels
def normalise_label(label: Optional[str]) -> str:
    """A round label as stored: trimmed, inner whitespace as one space ('' for none)."""
    return " ".join(unicodedata.normalize("NFC", str(label or "")).split())


def label_problem(label: str) -> Optional[str]:
    """A Swedish reason why `label` cannot be a round label, or None when it can."""
    text = normalise_label(label)
    if len(text) > MAX_LABEL_CHARS:
        return f"omgångens namn är för långt (högst {MAX_LABEL_CHARS} tecken)."
    if any(ch in text for ch in "\n\r\t\x00"):
        return "omgångens namn får inte innehålla radbrytningar eller kontrolltecken."
    return None


def round_sort_key(label: str) -> tuple:
    """Chronological order: 2021 < 2022-del < 2022 = 2022-slut < 2023; other labels after, by name."""
    text = normalise_label(label)
    m = re.fullmatch(r"(20\d\d)(?:[\s_-]*(del|slut))?", text.lower())
    if not m:
        return (1, 0, 0, text.lower())
    return (0, int(m.group(1)), _PART_ORDER[m.group(2) or ""], text.lower())


def sort_rounds(labels: Iterable[str]) -> list[str]:
    """Distinct labels in chronological order (see `round_sort_key`); '' (no round) first."""
    return sorted({normalise_label(x) for x in labels}, key=lambda x: (x != "", round_sort_key(x)))


def detect_round(name: str, text: str = "") -> Optional[str]:
    """The round a file most likely belongs to, from its name and the start of its text, or None.

    In the file name a year (20xx) with "delredovisning"/"slutredovisning" (or "del"/"slut" as
    words) gives `2022-del`/`2022-slut`, a year alone `2022`. Without a year in the name, the text's
    form title counts ("Slutredovisning av ... 2022" -> `2022-slut`, "Redovisning ... 2021" -> `2021`).
    """
    stem = Path(str(name)).stem.replace("_", " ")
    years = _YEAR.findall(stem)
    if years:
        if _DEL.search(stem):
            return f"{years[0]}-del"
        if _SLUT.search(stem):
            return f"{years[0]}-slut"
        # "Region_Uppsala_2022.docx" holding the form "Slutredovisning ... 2022": the title says which half
        m = _TITLE.search((text or "")[:4000])
        if m and m.group(2) == years[0] and m.group(1):
            return f"{years[0]}-{m.group(1).lower()}"
        return years[0]
    # in the text only a form title counts ("Slutredovisning av ... 2022"): "del" and years are common words
    m = _TITLE.search((text or "")[:4000])
    if m:
        part = (m.group(1) or "").lower()
        return m.group(2) + ({"del": "-del", "slut": "-slut"}.get(part, ""))
    return None


def text_head(name: str, data: bytes, limit: int = 4000) -> str:
    """The first characters of a file's text for `detect_round`, else ''.

    Every format the import reads: Word (incl. .doc/.odt/.rtf), PDF (a scanned one by OCR of its first page's
    top), text, CSV and Excel (the visible sheets' names and first rows).
    """
    suffix = Path(name).suffix.lower()
    try:
        if suffix in (".docx", ".odt"):  # the text of the main XML part of the zip
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                info = zf.getinfo("word/document.xml" if suffix == ".docx" else "content.xml")
                if info.file_size > config.MAX_DECOMPRESSED_BYTES:
                    return ""
                with zf.open(info) as fh:
                    xml = fh.read(400_000).decode("utf-8", "replace")
            return " ".join(re.sub(r"<[^>]+>", " ", xml).split())[:limit]
        if suffix == ".rtf":
            rtf = data[:400_000].decode("latin-1")
            rtf = re.sub(r"\\'([0-9a-fA-F]{2})", lambda m: bytes([int(m.group(1), 16)]).decode("cp1252", "replace"), rtf)
            rtf = re.sub(r"\\[a-zA-Z]+-?\d* ?|[{}]", " ", rtf)
            return " ".join(rtf.split())[:limit]
        if suffix == ".doc":  # the text stream may stand after the style names: its form title first
            text = _binary_doc_text(data[:2_000_000])
            m = _TITLE.search(text)
            return (m.group(0) + " " + text if m else text)[:limit]
        if suffix in (".txt", ".md", ".csv", ".tsv"):
            head = data[: limit * 4]
            if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with BOM (Notepad's "Unicode")
                return head[: len(head) // 2 * 2].decode("utf-16", "replace")[:limit]
            return head.decode("utf-8-sig", "replace")[:limit]
        if suffix == ".pdf":
            import logging

            from pypdf import PdfReader

            logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its repair notes are not for the analyst
            pdf = PdfReader(io.BytesIO(data), strict=False)
            if pdf.is_encrypted or not len(pdf.pages):
                return ""
            text = " ".join((pdf.pages[0].extract_text() or "").split())
            if not text:  # a scan without a text layer: its title as OCR reads it, as the import will
                from importers import ocr

                text = ocr.first_page_head(data)
            return text[:limit]
        if suffix == ".xlsx":
            return _sheet_head(data, limit)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return ""
    except Exception:  # pypdf raises many types on broken files; the import reports those
        return ""
    return ""


def _sheet_head(data: bytes, limit: int, rows: int = 12, cols: int = 12) -> str:
    """The names and the first rows' text cells of an Excel file's visible sheets (a title above the table)."""
    import openpyxl

    with zipfile.ZipFile(io.BytesIO(data)) as zf:  # the same guard as the reader's: no oversized part
        if any(i.file_size > config.MAX_DECOMPRESSED_BYTES for i in zf.infolist()):
            return ""
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        parts = []
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":  # a hidden draft is not read by the import either
                continue
            parts.append(ws.title)
            for row in ws.iter_rows(max_row=rows, max_col=cols, values_only=True):
                parts.extend(" ".join(str(v).split()) for v in row if isinstance(v, str) and v.strip())
            if sum(len(p) for p in parts) > limit:
                break
        return "\n".join(parts)[:limit]
    finally:
        wb.close()


_UTF16_RUN = re.compile(rb"(?:[\x20-\x7e\xa0-\xfe]\x00){12,}")
_CP1252_RUN = re.compile(rb"[\x20-\x7e\xc0-\xfe]{12,}")


def _binary_doc_text(data: bytes) -> str:
    """Runs of readable text of a Word 97–2003 file (stored as UTF-16 or as 8-bit cp1252), in file order."""
    runs = [(m.start(), m.group().decode("utf-16-le")) for m in _UTF16_RUN.finditer(data)]
    runs += [(m.start(), m.group().decode("cp1252", "replace")) for m in _CP1252_RUN.finditer(data)]
    words = [" ".join(text.split()) for _, text in sorted(runs)]
    return " ".join(w for w in words if " " in w and sum(ch.isalpha() for ch in w) >= len(w) // 2)


# ------------------------------------------------------------------ mappings
@dataclass(frozen=True)
class QuestionMapping:
    """Which questions of round `from_round`'s form correspond to which of round `to_round`'s."""

    from_round: str
    to_round: str
    from_form: str = ""
    to_form: str = ""
    pairs: dict[str, tuple[str, ...]] = field(default_factory=dict)  # from-question -> to-questions
    path: Optional[str] = None

    def forward(self, qid: str) -> tuple[str, ...]:
        """The `to_round` questions a `from_round` question became ("5" -> ("5a", "5b"))."""
        return self.pairs.get(_qid(qid), ())

    def backward(self, qid: str) -> tuple[str, ...]:
        """The `from_round` questions a `to_round` question came from ("5b" -> ("5",))."""
        q = _qid(qid)
        return tuple(f for f, tos in self.pairs.items() if q in tos)

    def reversed(self) -> "QuestionMapping":
        """The same mapping read from `to_round` to `from_round`."""
        back: dict[str, list[str]] = {}
        for f, tos in self.pairs.items():
            for t in tos:
                back.setdefault(t, []).append(f)
        return QuestionMapping(self.to_round, self.from_round, self.to_form, self.from_form,
                               {k: tuple(v) for k, v in back.items()}, self.path)

    def splits(self) -> dict[str, tuple[str, ...]]:
        """The questions that became several questions."""
        return {f: tos for f, tos in self.pairs.items() if len(tos) > 1}

    def related(self, qid: str, in_round: str) -> tuple[set[str], set[str]]:
        """(questions of from_round, questions of to_round) that are "the same question" as `qid` of `in_round`."""
        q = _qid(qid)
        if normalise_label(in_round) == self.from_round:
            froms = {q}
        else:
            froms = set(self.backward(q))
        tos = {t for f in froms for t in self.forward(f)}
        if normalise_label(in_round) != self.from_round:
            tos.add(q)
        return froms, tos


def _qid(value: object) -> str:
    text = str(value).strip()
    return normalise_question_id(text) or text.lower()


def load_mapping(path: str | Path, forms: Optional[dict[str, Form]] = None) -> QuestionMapping:
    """Read a mapping file; with `forms` (form id -> Form), every question id is checked against them.

    Format: `from: {round: "2021", form: kommun-2021}`, `to: {round: "2022", form: kommun-2022}`,
    `questions: {"5": [5a, 5b], "6": "6", ...}` (a value is one id or a list of ids).
    """
    path = Path(path)
    name = path.name
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"{name}: filen kunde inte läsas ({type(exc).__name__}).") from None
    except yaml.YAMLError:
        raise MappingError(f"{name}: ogiltig YAML.") from None
    if not isinstance(doc, dict):
        raise MappingError(f"{name}: en frågemappning ska vara en YAML-mappning med from, to och questions.")
    ends = {}
    for side in ("from", "to"):
        value = doc.get(side)
        if not isinstance(value, dict) or not normalise_label(value.get("round")):
            raise MappingError(f"{name}: '{side}' ska ange round (och gärna form).")
        ends[side] = (normalise_label(value.get("round")), str(value.get("form") or ""))
    raw = doc.get("questions")
    if not isinstance(raw, dict) or not raw:
        raise MappingError(f"{name}: 'questions' saknas eller är tom.")
    pairs: dict[str, tuple[str, ...]] = {}
    for key, value in raw.items():
        targets = value if isinstance(value, list) else [value]
        if not targets or any(t is None or isinstance(t, (dict, list)) for t in targets):
            raise MappingError(f"{name}: fråga {key} ska peka på ett fråge-id eller en lista av fråge-id.")
        pairs[_qid(key)] = tuple(_qid(t) for t in targets)
    mapping = QuestionMapping(ends["from"][0], ends["to"][0], ends["from"][1], ends["to"][1], pairs, str(path))
    if forms is not None:
        _check_ids(mapping, forms, name)
    return mapping


def _check_ids(mapping: QuestionMapping, forms: dict[str, Form], name: str) -> None:
    for form_id, ids, side in ((mapping.from_form, set(mapping.pairs), "från"),
                               (mapping.to_form, {t for tos in mapping.pairs.values() for t in tos}, "till")):
        form = forms.get(form_id)
        if form is None:
            raise MappingError(f"{name}: formuläret {form_id!r} ({side}) finns inte i data/forms/.")
        unknown = sorted(ids - set(form.ids))
        if unknown:
            raise MappingError(f"{name}: frågorna {', '.join(unknown)} finns inte i formuläret {form_id}.")


@lru_cache(maxsize=4)
def round_forms(directory: str = str(config.FORMS_DIR)) -> tuple[Form, ...]:
    """Every form in data/forms/, including earlier rounds' forms in its subfolders (not mappings/)."""
    paths = sorted(p for p in Path(directory).rglob("*.yaml") if "mappings" not in p.relative_to(directory).parts)
    return tuple(load_form(p) for p in paths)


@lru_cache(maxsize=4)
def _default_mappings(directory: str, forms_dir: str) -> tuple[QuestionMapping, ...]:
    forms = {f.id: f for f in round_forms(forms_dir)}
    return tuple(load_mapping(p, forms) for p in sorted(Path(directory).glob("*.yaml")))


def default_mappings(directory: str | Path = MAPPINGS_DIR,
                     forms_dir: str | Path = config.FORMS_DIR) -> list[QuestionMapping]:
    """Every mapping file in data/forms/mappings/, checked against the forms."""
    if not Path(directory).is_dir():
        return []
    return list(_default_mappings(str(directory), str(forms_dir)))


def mapping_between(from_round: str, to_round: str,
                    mappings: Optional[Iterable[QuestionMapping]] = None) -> Optional[QuestionMapping]:
    """The mapping from one round to another (a file written the other way round is reversed).

    Rounds match on their year when no mapping names the exact labels ("2022-del" uses 2022's).
    """
    items = list(mappings) if mappings is not None else default_mappings()
    a, b = normalise_label(from_round), normalise_label(to_round)
    for exact in (True, False):
        key_a, key_b = (a, b) if exact else (_year(a), _year(b))
        for m in items:
            fa, fb = (m.from_round, m.to_round) if exact else (_year(m.from_round), _year(m.to_round))
            if key_a is None or key_b is None:
                continue
            if (fa, fb) == (key_a, key_b):
                return m
            if (fb, fa) == (key_a, key_b):
                return m.reversed()
    return None


def _year(label: str) -> Optional[str]:
    m = _YEAR.search(label or "")
    return m.group(1) if m else None


# ------------------------------------------------------------------ the round of one upload
def _year_part(label: str) -> Optional[tuple[str, str]]:
    m = re.fullmatch(r"(20\d\d)(?:[\s_-]*(del|slut))?", normalise_label(label).lower())
    return (m.group(1), m.group(2) or "") if m else None


def rounds_agree(own: Optional[str], used: Optional[str]) -> bool:
    """A file's own round (read from its name or text) agrees with the round it goes to: the same label, or the
    same year where one of them does not say which half (a file named "svar_2022" in `2022-slut`)."""
    a, b = normalise_label(own), normalise_label(used)
    if not a:
        return True
    if a.lower() == b.lower():
        return True
    ya, yb = _year_part(a), _year_part(b)
    return bool(ya and yb and ya[0] == yb[0] and (not ya[1] or not yb[1] or ya[1] == yb[1]))


@dataclass
class UploadRounds:
    """The round of one upload: `batch` (chosen by the analyst, else read from its files; '' none), where it came
    from (`source`: 'vald', 'tolkad' or ''), the round each file goes to (`rounds`, in file order) and the files
    whose own round disagrees with the upload's (`disagree`: indices)."""

    batch: str
    source: str
    rounds: list[str]
    disagree: list[int]
    from_files: list[int] = field(default_factory=list)  # the files whose own round gave `batch`


def upload_rounds(detected: list[Optional[str]], chosen: Optional[str] = None) -> UploadRounds:
    """Which round every file of one upload goes to, so that files uploaded together end up in one round.

    The round chosen for all files wins; else the round read from the files (the year most of them name, the
    newest on a tie, with the half most of that year's files name). A file without a round of its own takes
    the upload's; a file whose own round agrees (`rounds_agree`) takes it too; a file whose own round disagrees
    keeps its own unless a round was chosen for all — either way it is listed in `disagree` (named before the
    import and in its report)."""
    own = [normalise_label(d) for d in detected]
    chosen = normalise_label(chosen)
    batch, source, from_files = chosen, "vald" if chosen else "", []
    if not batch:
        years: dict[str, list[int]] = {}
        for i, d in enumerate(own):
            yp = _year_part(d) if d else None
            if yp:
                years.setdefault(yp[0], []).append(i)
        if years:
            year = max(years, key=lambda y: (len(years[y]), y))
            parts: dict[str, int] = {}
            for i in years[year]:
                part = _year_part(own[i])[1]
                if part:
                    parts[part] = parts.get(part, 0) + 1
            part = max(parts, key=lambda p: (parts[p], _PART_ORDER[p])) if parts else ""
            batch, source = year + (f"-{part}" if part else ""), "tolkad"
        elif any(own):  # only labels that are no year ("pilot"): the most common one
            counts: dict[str, int] = {}
            for d in own:
                if d:
                    counts[d] = counts.get(d, 0) + 1
            batch, source = max(counts, key=lambda d: (counts[d], d)), "tolkad"
        from_files = [i for i, d in enumerate(own) if d and rounds_agree(d, batch)]
    rounds, disagree = [], []
    for i, d in enumerate(own):
        if rounds_agree(d, batch):
            rounds.append(batch)
        else:
            disagree.append(i)
            rounds.append(batch if source == "vald" else d)
    return UploadRounds(batch, source, rounds, disagree, from_files)


def disagreement_note(own: Optional[str], used: Optional[str]) -> Optional[str]:
    """The report line for a file whose own round (from its name or text) is not the round it was imported
    into, or None when they agree."""
    own, used = normalise_label(own), normalise_label(used)
    if rounds_agree(own, used):
        return None
    if not used:
        return (f"filen ser ut att höra till omgång {own} (enligt namnet eller texten) men importerades utan "
                "omgång — ange omgången under Importerade filer och omgångar")
    return (f"filen ser ut att höra till omgång {own} (enligt namnet eller texten), inte till omgång {used} som "
            f"den importerades till — kontrollera; en fil flyttas under Importerade filer och omgångar")
