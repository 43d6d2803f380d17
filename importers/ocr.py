"""OCR of scanned PDF pages: render with pypdfium2 and read with Tesseract's Swedish model.

Tesseract is an optional system package (Debian `tesseract-ocr` and `tesseract-ocr-swe`);
it is called as the `tesseract` program, so no Python binding is needed. `available()`
says whether it can run, `missing_message()` names the packages when it cannot. The
caller may set `PROGRESS` (a contextvar) to hear about each page as it is read.
"""
from __future__ import annotations

import contextvars
import csv
import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Optional

LANGUAGE = "swe"
DPI = 300
PAGE_TIMEOUT_S = 180
PACKAGES = "tesseract-ocr och tesseract-ocr-swe"

# (page number 1-based, pages to read, file name) → None; set by the import service / UI.
PROGRESS: contextvars.ContextVar[Optional[Callable[[int, int, str], None]]] = contextvars.ContextVar(
    "ocr_progress", default=None)


@dataclass(frozen=True)
class OcrPage:
    """The text Tesseract read on one page and its mean word confidence (0-100)."""

    number: int
    lines: list[str]
    confidence: float


@lru_cache(maxsize=1)
def available() -> bool:
    """True when the `tesseract` program and its Swedish language data are installed."""
    exe = shutil.which("tesseract")
    if not exe:
        return False
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return LANGUAGE in (out.stdout + out.stderr).split()


def missing_message() -> str:
    """Swedish: what to install for OCR."""
    if shutil.which("tesseract"):
        return ("OCR kräver Tesseracts svenska språkdata, som inte är installerad "
                "(Debian-paketet tesseract-ocr-swe).")
    return f"OCR kräver programmet Tesseract, som inte är installerat (Debian-paketen {PACKAGES})."


def render(data: bytes, page_indices: list[int], dpi: int = DPI) -> dict[int, "object"]:
    """Page index (0-based) → a PIL image of that page, rendered by pypdfium2 (or the page's scan image)."""
    try:
        import pypdfium2 as pdfium
    except ImportError:
        return _page_images(data, page_indices)
    pdf = pdfium.PdfDocument(data)
    try:
        out = {}
        for i in page_indices:
            page = pdf[i]
            try:
                out[i] = page.render(scale=dpi / 72, grayscale=True).to_pil()
            finally:
                page.close()
        return out
    finally:
        pdf.close()


def _page_images(data: bytes, page_indices: list[int]) -> dict[int, "object"]:
    """Without pypdfium2: the largest embedded image of each page (a scanner puts one per page)."""
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(data), strict=False)
    out = {}
    for i in page_indices:
        images = list(pdf.pages[i].images)
        if images:
            best = max(images, key=lambda im: im.image.width * im.image.height)
            out[i] = best.image
    return out


def read_image(image, number: int = 1) -> OcrPage:
    """Tesseract (swe) on one image: its lines (a blank line between paragraphs) and mean confidence.

    The page is first turned upright when Tesseract's orientation detection is sure it lies
    sideways or upside down (scans fed in the wrong way).
    """
    angle = _rotation(image)
    if angle:
        image = image.rotate(-angle, expand=True)
    return _read_upright(image, number)


def _rotation(image) -> int:
    """Degrees to turn the page clockwise so its text stands upright (Tesseract OSD), 0 when unsure."""
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    try:
        proc = subprocess.run(["tesseract", "stdin", "stdout", "--psm", "0"], input=buf.getvalue(),
                              capture_output=True, timeout=PAGE_TIMEOUT_S, check=False)
    except (OSError, subprocess.SubprocessError):
        return 0
    out = proc.stdout.decode("utf-8", "replace")
    m = re.search(r"Rotate:\s*(\d+)", out)
    sure = re.search(r"Orientation confidence:\s*([\d.]+)", out)
    if not m or not sure or float(sure.group(1)) < 2.0:
        return 0
    return int(m.group(1)) % 360


def _read_upright(image, number: int) -> OcrPage:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    proc = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", LANGUAGE, "--psm", "4", "tsv"],
        input=buf.getvalue(), capture_output=True, timeout=PAGE_TIMEOUT_S, check=False)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.decode("utf-8", "replace")[-300:])
    rows = csv.DictReader(io.StringIO(proc.stdout.decode("utf-8", "replace")), delimiter="\t",
                          quoting=csv.QUOTE_NONE)
    lines: dict[tuple[int, int, int], list[str]] = {}
    confs: list[float] = []
    for row in rows:
        text = (row.get("text") or "").strip()
        try:
            conf = float(row.get("conf") or -1)
        except ValueError:
            conf = -1
        if not text or conf < 0:
            continue
        key = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
        lines.setdefault(key, []).append(text)
        confs.append(conf)
    out: list[str] = []
    last_par: Optional[tuple[int, int]] = None
    for key in sorted(lines):
        if last_par is not None and key[:2] != last_par:
            out.append("")
        out.append(" ".join(lines[key]))
        last_par = key[:2]
    return OcrPage(number, out, round(sum(confs) / len(confs), 1) if confs else 0.0)


_HEADS: dict[str, str] = {}  # sha256 of a PDF -> the text of the top of its first page (bounded)
HEAD_DPI = 150


def first_page_head(data: bytes) -> str:
    """The text of the top third of a scanned PDF's first page (its form title), for the round proposal.

    Rendered at a lower resolution than a full read and remembered per file content: Importera asks again
    on every rerun of the page. '' when Tesseract is not installed or the page cannot be read.
    """
    import hashlib

    key = hashlib.sha256(data).hexdigest()
    if key in _HEADS:
        return _HEADS[key]
    text = ""
    if available():
        try:
            image = render(data, [0], dpi=HEAD_DPI).get(0)
            if image is not None:
                top = image.crop((0, 0, image.width, max(1, image.height // 3)))
                text = " ".join(" ".join(_read_upright(top, 1).lines).split())
        except Exception:  # a proposal only; the import reports a file it cannot read
            text = ""
    if len(_HEADS) >= 64:
        _HEADS.pop(next(iter(_HEADS)))
    _HEADS[key] = text
    return text


def read_pages(data: bytes, page_indices: list[int], name: str) -> list[OcrPage]:
    """OCR the given pages (0-based indices) of a PDF, reporting progress per page."""
    report = PROGRESS.get()
    pages = []
    for done, i in enumerate(page_indices):
        if report is not None:
            report(done + 1, len(page_indices), name)
        image = render(data, [i]).get(i)
        if image is None:
            pages.append(OcrPage(i + 1, [], 0.0))
            continue
        pages.append(read_image(image, i + 1))
    return pages


_UNCHECKED = r"(?:☐|\[\s?\]|\(\s?\)|[O0oDCUQ]{1,2}[)l1|]?)"
_CHECKED = r"(?:☒|☑|\[?[xX×]{1,2}\]?|\|[xX]\||&|Kl|IX)"


def boxes_to_choice(text: str, options: list[str]) -> Optional[tuple[str, str]]:
    """(chosen option, remaining text) from OCR text of a closed question's checkbox list, or None.

    Tesseract reads an empty box after a label as 'O', '0' or '0)' and often drops a crossed box
    (or reads it as 'X'). The options are found in order at the start of the text; the one crossed
    (or the only one without an empty box) is the choice. None when that is not certain.
    """
    opts = sorted({o for o in options if o}, key=len, reverse=True)
    if not opts or not text:
        return None
    label = "|".join(re.escape(o).replace(r"\ ", r"\s+") for o in opts)
    # Where the boxes stand: at the start of the option lines ("☐ Ja") or at their end ("Ja ☐").
    starts = len(re.findall(rf"^\s*(?:{_CHECKED}|{_UNCHECKED})\s+(?:{label})", text, re.M))
    ends = len(re.findall(rf"(?:{label})\s*(?:{_CHECKED}|{_UNCHECKED})\s*$", text, re.M))
    before = starts > ends
    if before:  # "☐ Ja ☒ Nej": the box stands before its label (unread junk before a label is an empty box)
        item = re.compile(rf"\s*(?:(?P<pre_c>{_CHECKED})\s+|(?P<pre_u>{_UNCHECKED}|[^\s\w]{{1,3}}|\d)\s+)?"
                          rf"(?P<label>{label})(?=\s|$)")
    else:  # "Ja ☐ Nej ☒": the box follows its label
        item = re.compile(rf"\s*(?P<label>{label})(?:\s*(?P<post_c>{_CHECKED})|\s*(?P<post_u>{_UNCHECKED}))?(?=\s|$)")
    pos, found = 0, []
    while True:
        m = item.match(text, pos)
        if not m:
            break
        groups = m.groupdict()
        state = "checked" if (groups.get("pre_c") or groups.get("post_c")) else \
            "empty" if (groups.get("pre_u") or groups.get("post_u")) else "unmarked"
        canonical = next(o for o in opts if " ".join(o.split()) == " ".join(m.group("label").split()))
        found.append((canonical, state))
        pos = m.end()
    if len(found) < 2:
        return None
    checked = [o for o, s in found if s == "checked"]
    unmarked = [o for o, s in found if s == "unmarked"]
    if len(checked) == 1:
        choice = checked[0]
    elif not checked and len(unmarked) == 1:
        choice = unmarked[0]
    elif not checked and not unmarked:
        return "", text[pos:].strip()  # every box empty: no choice
    else:
        return None
    return choice, text[pos:].strip()
