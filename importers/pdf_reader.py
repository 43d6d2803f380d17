"""PDF answer files (pypdf): text per page, page headers/footers and page numbers dropped,
words hyphenated across line breaks repaired, then questions found by their headings."""
from __future__ import annotations

import io
import logging
import re
import warnings
from collections import Counter

import config
from importers.base import guarded, parsed_from_assembled
from importers.errors import ImportFailure
from importers.layout import Line, assemble, text_line
from models.records import ParsedFile

_PAGE_NO = re.compile(r"(?i)^\s*(?:sida|page|s\.)?\s*[-–(]?\s*\d{1,4}\s*(?:\(\s*\d{1,4}\s*\)|(?:av|of|/)\s*\d{1,4})?\s*[-–)]?\s*$")
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


def _norm_furniture(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split())).lower()


def strip_page_furniture(pages: list[list[str]], removed: list[str] | None = None) -> list[list[str]]:
    """Drop page numbers and lines repeated at the top or bottom of most pages (appended to `removed`)."""
    if len(pages) >= 2:
        counts: Counter[str] = Counter()
        for lines in pages:
            edge = [ln for ln in lines if ln.strip()]
            for ln in set(_norm_furniture(x) for x in edge[:2] + edge[-2:]):
                counts[ln] += 1
        repeated = {k for k, n in counts.items() if n >= max(2, (len(pages) + 1) // 2) and k}
    else:
        repeated = set()
    out = []
    for lines in pages:
        nonblank = [j for j, ln in enumerate(lines) if ln.strip()]
        edges = set(nonblank[:2] + nonblank[-2:])
        kept = []
        for j, ln in enumerate(lines):
            if j in edges and (_norm_furniture(ln) in repeated or _PAGE_NO.match(ln)):
                if removed is not None and ln.strip() not in removed:
                    removed.append(ln.strip())
                continue
            kept.append(ln)
        out.append(kept)
    return out


class PdfReader:
    """Reader for PDF files."""

    format = "pdf"
    extensions = (".pdf",)

    @guarded
    def read(self, data: bytes, name: str) -> ParsedFile:
        logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its repair notes are not for the analyst
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pages = self._pages(data, name)
        if not any(ln.strip() for page in pages for ln in page):
            raise ImportFailure(name, "PDF-filen innehåller ingen text (kanske en inskannad bild); OCR stöds inte.")
        furniture: list[str] = []
        pages = strip_page_furniture(pages, furniture)
        lines = dehyphenate([ln for page in pages for ln in page])
        prepared: list[Line] = []
        for ln in lines:
            stripped = ln.strip()
            if not stripped:
                prepared.append(Line([]))
                continue
            new_para = bool(re.match(r"^[-•–*]\s", stripped)) or not prepared or not prepared[-1].segments \
                or prepared[-1].plain.rstrip().endswith((".", ":", "!", "?"))
            prepared.append(text_line(stripped, new_paragraph=new_para))
        return parsed_from_assembled(data, name, self.format, assemble(prepared, join_wrapped=True), furniture)

    @staticmethod
    def _pages(data: bytes, name: str) -> list[list[str]]:
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
            return [(page.extract_text() or "").splitlines() for page in pdf.pages]
        except ImportFailure:
            raise
        except FileNotDecryptedError as exc:
            raise ImportFailure(name, "PDF-filen är lösenordsskyddad och kan inte läsas; spara en kopia utan lösenord.") from exc
        except Exception as exc:  # pypdf raises many types on broken files
            raise ImportFailure(name, "PDF-filen är skadad eller ofullständig och kan inte läsas.") from exc
