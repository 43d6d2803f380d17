"""Who answered: from the document's own text first, then from the file name.

The importer keeps the name AS WRITTEN (with type/län hints); `reference.registry.resolve`
maps it to a canonical respondent in the import service; `reference.registry.find_in_text`
spots a respondent inside a longer line.
"""
from __future__ import annotations

import re
from pathlib import PurePath
from typing import Iterable, Optional

from importers.forms_compat import fold
from reference.registry import find_in_text

_LABEL = re.compile(
    r"^\s*(?P<label>kommun(?:ens namn)?|region(?:ens namn)?|respondent|svarande|avsändare|organisation|"
    r"huvudman|rss|län|lan|namn på kommun|namn på region|inlämnad av|från)\s*[:：\-–]\s*(?P<value>.+?)\s*$",
    re.I,
)
_NAME_PATTERNS = [
    (re.compile(r"\b(Västra Götalandsregionen|Region [A-ZÅÄÖ][\wåäö\-]+(?: [A-ZÅÄÖ][\wåäö\-]+)?)"), "region"),
    (re.compile(r"\b((?:RSS|Regional samverkans- och stödstruktur(?:en)?|Kommunerna i|Länets kommuner i) [A-ZÅÄÖ][\wåäö\-]+(?: [A-ZÅÄÖ][\wåäö\-]+)*(?: län)?)"), "rss"),
    (re.compile(r"\b([A-ZÅÄÖ][\wåäö\-]+(?: [A-ZÅÄÖ][\wåäö\-]+)? (?:kommun|stad))\b"), "kommun"),
]
_TYPE_OF_LABEL = {"kommun": "kommun", "kommunens namn": "kommun", "namn på kommun": "kommun",
                  "region": "region", "regionens namn": "region", "namn på region": "region", "rss": "rss"}
_FILE_NOISE = re.compile(
    r"(?i)\b(svar|svaren|enkät|enkat|slutredovisning|redovisning|nära vård|nara vard|god och nära vård|"
    r"formulär|formular|final|slutlig|version|ver|v\d+|kopia|copy|utkast|20\d\d)\b")


def _find_in_text(text: str):
    try:
        return find_in_text(text)
    except Exception:
        return None


def _type_word(value: str) -> Optional[str]:
    v = fold(value)
    if v.startswith(("region", "landsting")):
        return "region"
    if v.startswith(("kommun", "stad")):
        return "kommun"
    if v.startswith(("rss", "länet", "lanet", "kommunerna")):
        return "rss"
    return None


def type_hint(value: Optional[str]) -> Optional[str]:
    """'Region' / 'kommun' / 'RSS' (any case) → 'region' / 'kommun' / 'rss'."""
    return _type_word(value) if value else None


_EMAIL = re.compile(r"<?[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+>?")


def _without_address(value: str) -> Optional[str]:
    """A labelled value holding an e-mail address ("Från: Anna Lind <anna@x.se>") names a respondent only
    when what is left is one the registry knows ("Ale kommun <info@ale.se>"); a person is no respondent."""
    rest = " ".join(_EMAIL.sub(" ", value).split()).strip(" <>()[],;:\"'")
    r = _find_in_text(rest) if rest else None
    return rest if r is not None else None


def from_labels(lines: Iterable[str]) -> Optional[tuple[str, Optional[str], Optional[str]]]:
    """A labelled respondent line: "Kommun: Ale", "Respondent: RSS Dalarna", "Region: Dalarna"."""
    lan: Optional[str] = None
    for ln in lines:
        m = _LABEL.match(ln)
        if not m:
            continue
        label = m.group("label").lower()
        value = m.group("value").strip(" .")
        if "@" in value:
            value = _without_address(value) or ""
        if label in ("län", "lan"):
            lan = lan or value
            continue
        if value:
            return value, _TYPE_OF_LABEL.get(label) or _type_word(value.split()[-1]) or _type_word(value), lan
    return None


def _short(lines: Iterable[str]) -> list[str]:
    return [ln for ln in lines if len(ln) <= 160 and not fold(ln).startswith("slutredovisning av")]


def from_text(lines: Iterable[str]) -> Optional[tuple[str, Optional[str], Optional[str]]]:
    """(name as written, type hint, län hint) from header lines / the first paragraphs, or None.

    A labelled line wins; then a short line naming a respondent the registry knows; then a
    short line that looks like a name ("Region X", "X kommun", "RSS X").
    """
    lines = [ln.strip() for ln in lines if ln and ln.strip()][:40]
    labelled = from_labels(lines)
    if labelled:
        return labelled
    for ln in _short(lines):
        r = _find_in_text(ln)
        if r is not None:
            return (getattr(r, "raw_name", None) or r.name), r.type, r.lan
    return None


def _from_patterns(lines: Iterable[str]) -> Optional[tuple[str, Optional[str], Optional[str]]]:
    for ln in _short(lines):
        for rx, typ in _NAME_PATTERNS:
            m = rx.search(ln)
            if m:
                return m.group(1), typ, None
    return None


def from_file_name(name: str) -> tuple[str, Optional[str], Optional[str]]:
    """(name, type hint, län hint) guessed from a file name like 'Region_Dalarna_svar_2022.docx'."""
    text = _file_text(name)
    r = _find_in_text(text)
    if r is not None:
        return (getattr(r, "raw_name", None) or r.name), r.type, r.lan
    found = _from_patterns([text])
    if found:
        return found
    return " ".join(_FILE_NOISE.sub(" ", text).split()) or PurePath(name).stem, None, None


def file_name_respondent(name: str):
    """The registry respondent a file name names ('Region_Dalarna_svar.docx'), else None."""
    return _find_in_text(_file_text(name))


def _file_text(name: str) -> str:
    return re.sub(r"[_\-.]+", " ", PurePath(name).stem)


def named_in_content(lines: Iterable[str]) -> Optional[tuple[str, Optional[str], Optional[str]]]:
    """The respondent the document's own text names (labels, registry names, name patterns), or None."""
    lines = [ln.strip() for ln in lines if ln and ln.strip()][:40]
    return from_text(lines) or _from_patterns(lines)


def detect(lines: Iterable[str], file_name: str) -> tuple[str, Optional[str], Optional[str]]:
    """The document's own text first (labels, then names the registry knows), then the file name."""
    lines = [ln.strip() for ln in lines if ln and ln.strip()][:40]
    found = from_text(lines)
    if found:
        return found
    r = _find_in_text(_file_text(file_name))
    if r is not None:
        return (getattr(r, "raw_name", None) or r.name), r.type, r.lan
    return _from_patterns(lines) or from_file_name(file_name)
