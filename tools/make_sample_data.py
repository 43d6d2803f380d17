"""Write the bundled sample answer files in data/sample/ from data/sample_source/answers.yaml.

    python tools/make_sample_data.py            # (re)write every sample file
    python tools/make_sample_data.py --check    # exit 1 if a written file would differ

The texts are data (answers.yaml); this script only lays them out in every format the app
imports: filled Word forms with content controls and checkboxes (via tools/docx_forms.py),
an Excel wide export, a CSV long export (UTF-8 with BOM, ';'), PDFs with page headers,
footers and words hyphenated over line breaks (fpdf2 + DejaVu Sans from fonts-dejavu-core),
plain text and Markdown. Output is deterministic (fixed dates, no random choices), so
regenerating gives byte-identical files. Generation is a developer task: fpdf2 is in
requirements-dev.txt; the generated files are committed so the app ships them.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from reference.forms import Form, form_by_id  # noqa: E402

SAMPLE_DIR = ROOT / "data" / "sample"
SOURCE = ROOT / "data" / "sample_source" / "answers.yaml"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FIXED_TIME = dt.datetime(2023, 2, 15, 9, 30, 0)
CHECKED, UNCHECKED = "\u2612", "\u2610"

# Short column titles for spreadsheet exports ("5a Personcentrerat förhållningssätt").
SHORT = {
    "1": "Målbild", "2": "Handlingsplan", "3": "Systemledning och uppföljning", "4": "Handlingsplan",
    "5a": "Personcentrerat förhållningssätt – insatser", "5b": "Personcentrerat – resultat",
    "6": "Digitalisering, egenmonitorering och välfärdsteknik", "7": "Glesbygd och utsatta områden",
    "8a": "Delaktighet och patientkontrakt – insatser", "8b": "Delaktighet – resultat",
    "8c": "Fast läkarkontakt", "9a": "Samverkan med invånare och brukare", "9b": "Exempel på samverkan",
    "10a": "Samverkan region och kommuner – insatser", "10b": "Samverkan – resultat",
    "11a": "Hälsofrämjande och förebyggande – insatser", "11b": "Hälsofrämjande – resultat",
    "12a": "Resurssättning – insatser", "12b": "Resurssättning – resultat",
    "13a": "Undvikbar slutenvård – insatser", "13b": "Undvikbar slutenvård – resultat",
    "13c": "Ambulanssjukvård", "14": "Övrigt", "15a": "Vårdens medarbetare – insatser",
    "15b": "Kompetensförsörjning – resultat", "16a": "Vidareutbildning sjuksköterskor",
    "16b": "Vidareutbildning – resultat",
}


@dataclass
class Respondent:
    key: str
    name: str
    header: str
    type: str
    lan: str
    form: Form
    choices: dict[str, str]
    answers: dict[str, str]


def _clean(text: str) -> str:
    """Answer text from YAML: literal '\\n' separates paragraphs; spaces around them trimmed."""
    lines = [ln.strip() for ln in str(text).replace("\\n", "\n").split("\n")]
    return "\n".join(ln for ln in lines if ln)


def load_source(path: Path = SOURCE) -> dict[str, Respondent]:
    """Read answers.yaml and check every question id and option against the forms."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    out: dict[str, Respondent] = {}
    for key, r in doc["respondents"].items():
        form = form_by_id(r["form"])
        answers = {str(q): _clean(t) for q, t in (r.get("answers") or {}).items()}
        choices = {str(q): str(c) for q, c in (r.get("choices") or {}).items()}
        for qid in answers:
            if form.question(qid) is None:
                raise SystemExit(f"{path.name}: {key}: fråga {qid} finns inte i {form.id}")
        for qid, choice in choices.items():
            q = form.question(qid)
            if q is None or choice not in q.options:
                raise SystemExit(f"{path.name}: {key}: {choice!r} är inget alternativ för fråga {qid}")
        out[key] = Respondent(key, r["name"], r.get("header") or r["name"], r["type"], r["lan"], form,
                              choices, answers)
    return out


# ------------------------------------------------------------------ Word
def _fix_docx_dates(data: bytes) -> bytes:
    """Rewrite the zip with fixed timestamps and core-properties dates, for reproducible files."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                              rb"\g<1>2023-02-15T09:30:00Z\g<2>", body)
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(zi, body)
    return buf.getvalue()


def write_docx(path: Path, r: Respondent, **options) -> None:
    from tools import docx_forms

    answers = dict(r.answers)
    data = docx_forms.form_bytes(r.header, answers, r.choices, questions=r.form.questions, **options)
    path.write_bytes(_fix_docx_dates(data))


# ------------------------------------------------------------------ Excel (wide)
def _wide_rows(resps: list[Respondent], form: Form) -> tuple[list[str], list[list[str]]]:
    header = ["Respondent", "Typ", "Län"]
    cols: list[tuple[str, str]] = []
    for q in form.questions:
        if q.closed:
            header += [f"{q.id} {SHORT.get(q.id, '')} (val)".replace("  ", " "), f"{q.id} kommentar"]
            cols += [(q.id, "choice"), (q.id, "text")]
        else:
            header.append(f"{q.id} {SHORT.get(q.id, '')}".strip())
            cols.append((q.id, "text"))
    rows = []
    type_word = {"rss": "RSS", "kommun": "Kommun", "region": "Region"}
    for r in resps:
        row = [r.name, type_word[r.type], r.lan]
        for qid, kind in cols:
            row.append(r.choices.get(qid, "") if kind == "choice" else r.answers.get(qid, ""))
        rows.append(row)
    return header, rows


def write_xlsx(path: Path, sheets: list[tuple[str, list[Respondent]]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    info = wb.create_sheet("Läs mig")
    for line in ("Export från enkätverktyget, uppföljning God och nära vård 2022",
                 "Ett blad per formulär: 'Kommuner' (kommuner och RSS) och 'Regioner'.",
                 "En rad per respondent, en kolumn per fråga. Slutna frågor har en kolumn för valt",
                 "alternativ (val) och en för kommentar."):
        info.append([line])
    for title, resps in sheets:
        ws = wb.create_sheet(title)
        header, rows = _wide_rows(resps, resps[0].form)
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(row)
        for col in ws.iter_cols(min_row=2):
            for cell in col:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    cell.data_type = "s"  # text, never a formula
    wb.properties.creator = "Svarsanalys exempeldata"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(_fix_docx_dates(buf.getvalue()))


# ------------------------------------------------------------------ CSV (long)
def write_csv_long(path: Path, resps: list[Respondent]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    w.writerow(["Respondent", "Typ", "Län", "Fråga", "Svar", "Val"])
    type_word = {"rss": "RSS", "kommun": "Kommun", "region": "Region"}
    for r in resps:
        for q in r.form.questions:
            text, choice = r.answers.get(q.id, ""), r.choices.get(q.id, "")
            if text or choice:
                w.writerow([r.name, type_word[r.type], r.lan, q.id, text, choice])
    path.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))


# ------------------------------------------------------------------ text / Markdown
def _options_lines(r: Respondent, qid: str, markdown: bool) -> list[str]:
    q = r.form.question(qid)
    out = []
    for opt in q.options:
        mark = ("[x]" if markdown else CHECKED) if r.choices.get(qid) == opt else ("[ ]" if markdown else UNCHECKED)
        out.append(f"- {mark} {opt}" if markdown else f"{opt} {mark}")
    return out


def write_text(path: Path, r: Respondent, *, markdown: bool, heading: str) -> None:
    lines: list[str] = []
    title = r.form.name
    lines += [f"# {title}" if markdown else title, "", r.header, ""]
    area = None
    for q in r.form.questions:
        if q.area != area:
            area = q.area
            lines += [f"## {area}" if markdown else area.upper(), ""]
        num = "".join(ch for ch in q.id if ch.isdigit())
        head = heading.format(id=q.id, n=num, l=q.id[len(num):], text=q.text)
        lines += [f"### {head}" if markdown else head, ""]
        if q.closed:
            lines += _options_lines(r, q.id, markdown) + ["", r.form.comment_prompt, ""]
        text = r.answers.get(q.id)
        if text:
            for para in text.split("\n"):
                lines.append(para)
                if not para.startswith("- "):
                    lines.append("")
            if lines[-1] != "":
                lines.append("")
    lines.append("Tack för dina svar!" if not markdown else "*Tack för dina svar!*")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# ------------------------------------------------------------------ PDF
def _hyphen_split(word: str, room: float, width) -> Optional[tuple[str, str]]:
    """Split a long word so that its first part plus '-' fits in `room` (a typesetter's hyphenation)."""
    if len(word) < 10 or not word.isalpha():
        return None
    for cut in range(len(word) - 4, 4, -1):
        if width(word[:cut] + "-") <= room:
            return word[:cut] + "-", word[cut:]
    return None


def _wrap(text: str, max_w: float, width) -> list[str]:
    lines: list[str] = []
    cur = ""
    words = text.split()
    i = 0
    while i < len(words):
        w = words[i]
        cand = f"{cur} {w}" if cur else w
        if width(cand) <= max_w:
            cur = cand
            i += 1
            continue
        room = max_w - width(cur + " ") if cur else max_w
        split = _hyphen_split(w, room, width)
        if split:
            lines.append(f"{cur} {split[0]}" if cur else split[0])
            words[i] = split[1]
            cur = ""
            continue
        if cur:
            lines.append(cur)
            cur = ""
        else:  # a single over-long word
            lines.append(w)
            i += 1
    if cur:
        lines.append(cur)
    return lines


def write_pdf(path: Path, r: Respondent, *, running_header: str) -> None:
    from fpdf import FPDF

    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if not regular.exists():
        raise SystemExit(f"Typsnittet {regular} saknas: installera Debian-paketet fonts-dejavu-core.")

    class Pdf(FPDF):
        def header(self):
            self.set_font("DejaVu", size=8)
            self.cell(0, 5, running_header, new_x="LMARGIN", new_y="NEXT")
            self.ln(4)

        def footer(self):
            self.set_y(-12)
            self.set_font("DejaVu", size=8)
            self.cell(0, 5, f"Sida {self.page_no()} av {{nb}}", align="C")

    pdf = Pdf(format="A4")
    pdf.set_creation_date(FIXED_TIME.replace(tzinfo=dt.timezone.utc))
    pdf.set_title(r.form.name)
    pdf.set_author("Svarsanalys exempeldata")
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    pdf.set_auto_page_break(True, margin=18)
    pdf.alias_nb_pages()
    pdf.add_page()
    max_w = pdf.w - pdf.l_margin - pdf.r_margin

    def para(text: str, *, size: float = 10, style: str = "", gap: float = 2.0, indent: float = 0.0) -> None:
        pdf.set_font("DejaVu", style, size)
        for line in _wrap(text, max_w - indent, pdf.get_string_width):
            pdf.set_x(pdf.l_margin + indent)
            pdf.cell(max_w - indent, size * 0.5, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    para(r.form.name, size=14, style="B", gap=4)
    para(f"Respondent: {r.header}", style="B", gap=4)
    area = None
    for q in r.form.questions:
        if q.area != area:
            area = q.area
            para(area, size=12, style="B", gap=2)
            intro = next((s.intro for s in r.form.sections if s.area == area), "")
            if intro:
                para(intro, size=9, gap=3)
        para(f"{q.id}. {q.text}", style="B", gap=1.5)
        if q.closed:
            for opt in q.options:
                mark = CHECKED if r.choices.get(q.id) == opt else UNCHECKED
                para(f"{opt} {mark}", gap=0.5, indent=4)
            para(r.form.comment_prompt, gap=1)
        text = r.answers.get(q.id)
        if not text:
            para(r.form.placeholder, gap=3)
            continue
        for piece in text.split("\n"):
            if piece.startswith("- "):
                para("\u2022 " + piece[2:], gap=0.5, indent=4)
            else:
                para(piece, gap=1.5)
        pdf.ln(2)
    para("Tack för dina svar!", gap=0)
    path.write_bytes(bytes(pdf.output()))


# ------------------------------------------------------------------ plan
def build(out_dir: Path = SAMPLE_DIR) -> list[Path]:
    """Write every sample file into out_dir; returns the paths written."""
    r = load_source()
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def target(name: str) -> Path:
        p = out_dir / name
        written.append(p)
        return p

    # Word: block controls, placeholders left for unanswered questions, page header.
    write_docx(target("kommunerna_i_dalarna_slutredovisning_2022.docx"), r["rss_dalarna"], page_header=True)
    # Word: every other layout the importer must handle in one file.
    write_docx(
        target("Kalmar_lans_kommuner_svar.docx"), r["rss_kalmar"],
        heading="Fråga {n} {l}) {text}",
        placement={"3": "inline", "4": "inline", "5a": "cell", "5b": "cell", "6": "plain", "9b": "table",
                   "11a": "inline"},
        nested=True, split_runs=True,
        tracked={"10a": ("Avtalet börjar gälla den 1 april 2023.", "Avtalet börjar gälla den 1 januari 2023.")},
        links={"8b": ("Länets SIP-statistik 2022", "https://example.org/kalmar/sip-statistik-2022")},
        # Bare numbers alone in a cell ("5") are currently read as question headings by the Word
        # importer, so the counts carry their unit.
        tables={"16a": [["Kommun", "Vidareutbildning 2022"], ["Kalmar", "5 personer"], ["Västervik", "4 personer"],
                        ["Nybro", "3 personer"], ["Oskarshamn", "2 personer"]]},
    )
    write_docx(target("Region_Dalarna_2022.docx"), r["region_dalarna"], heading="{id}.\t{text}")
    write_xlsx(target("svar_export_vastra_gotaland_halland.xlsx"), [
        ("Kommuner", [r["rss_vg"], r["goteborg"], r["boras"]]),
        ("Regioner", [r["vgr"], r["region_halland"]]),
    ])
    write_csv_long(target("svar_orebro_lan_lang_export.csv"),
                   [r["region_orebro"], r["rss_orebro"], r["orebro_kommun"]])
    write_pdf(target("RSS_Jamtland_Harjedalen_slutredovisning_2022.pdf"), r["rss_jamtland"],
              running_header="Slutredovisning God och nära vård 2022 – RSS Jämtland Härjedalen")
    write_pdf(target("Region_Jamtland_Harjedalen_2022.pdf"), r["region_jamtland"],
              running_header="Region Jämtland Härjedalen – uppföljning nära vård 2022")
    write_text(target("kommunforbundet_skane_svar.txt"), r["rss_skane"], markdown=False,
               heading="{n} {l}) {text}")
    write_text(target("vasterbottens_kommuner_svar.md"), r["rss_vasterbotten"], markdown=True,
               heading="{id}. {text}")
    write_text(target("region_kalmar_lan_svar.md"), r["region_kalmar"], markdown=True,
               heading="Fråga {id}: {text}")
    return written


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="jämför med filerna i data/sample utan att skriva")
    ap.add_argument("--out", type=Path, default=SAMPLE_DIR)
    args = ap.parse_args(argv)
    if args.check:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            paths = build(Path(tmp))
            diff = [p.name for p in paths if not (SAMPLE_DIR / p.name).exists()
                    or (SAMPLE_DIR / p.name).read_bytes() != p.read_bytes()]
        if diff:
            print("Skiljer sig: " + ", ".join(diff))
            return 1
        print(f"{len(paths)} filer är aktuella.")
        return 0
    for p in build(args.out):
        print(f"skrev {p.relative_to(ROOT) if p.is_relative_to(ROOT) else p} ({p.stat().st_size} byte)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
