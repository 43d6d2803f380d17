"""Defences against hostile or broken files: size limits, safe zip opening, safe XML.

Every limit comes from `config` and every refusal is an `ImportFailure` whose Swedish
message states the limit, so the analyst knows what to change.
"""
from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

import config
from importers.errors import ImportFailure

MAGIC_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: encrypted OOXML or old .doc/.xls


def check_size(name: str, size: int) -> None:
    """Refuse empty files and files over config.MAX_FILE_BYTES."""
    if size == 0:
        raise ImportFailure(name, "filen är tom (0 byte).")
    if size > config.MAX_FILE_BYTES:
        raise ImportFailure(
            name,
            f"filen är för stor ({config.human_size(size)}); gränsen är {config.human_size(config.MAX_FILE_BYTES)} per fil.",
        )


def check_cell(name: str, text: str, where: str) -> None:
    """Refuse an answer or cell longer than config.MAX_CELL_CHARS characters."""
    if len(text) > config.MAX_CELL_CHARS:
        raise ImportFailure(
            name,
            f"{where} har {len(text):,} tecken; gränsen är {config.MAX_CELL_CHARS:,} tecken per svar/cell.".replace(",", " "),
        )


def open_zip(name: str, data: bytes, kind: str) -> zipfile.ZipFile:
    """Open an OOXML container after checking members, sizes, ratios and member names.

    `kind` is the Swedish name of the format ("Word-dokument") for messages.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, IndexError) as exc:
        raise ImportFailure(name, f"filen är skadad eller ofullständig och kan inte öppnas som {kind}.") from exc
    if len(infos) > config.MAX_ZIP_MEMBERS:
        raise ImportFailure(
            name, f"filen innehåller {len(infos)} delar; gränsen är {config.MAX_ZIP_MEMBERS} (möjlig zip-bomb).")
    total = 0
    for info in infos:
        member = info.filename.replace("\\", "/")
        if member.startswith("/") or ".." in posixpath.normpath(member).split("/") or ":" in member.split("/")[0]:
            raise ImportFailure(name, f"filen innehåller en otillåten sökväg ({info.filename!r}); filen avvisas.")
        if info.flag_bits & 0x1:
            raise ImportFailure(name, "filen är lösenordsskyddad (krypterad) och kan inte läsas; spara en kopia utan lösenord.")
        total += info.file_size
        if total > config.MAX_DECOMPRESSED_BYTES:
            raise ImportFailure(
                name,
                f"filen blir större än {config.human_size(config.MAX_DECOMPRESSED_BYTES)} uppackad; "
                "gränsen för uppackad storlek är överskriden (möjlig zip-bomb).",
            )
        if info.compress_size and info.file_size / info.compress_size > config.MAX_COMPRESSION_RATIO and info.file_size > 1_000_000:
            raise ImportFailure(
                name,
                f"delen {info.filename} är komprimerad {info.file_size // info.compress_size} gånger; "
                f"gränsen är {config.MAX_COMPRESSION_RATIO} gånger (möjlig zip-bomb).",
            )
    return zf


def read_member(name: str, zf: zipfile.ZipFile, member: str) -> bytes:
    """Read one zip member, stopping at the decompressed-size limit whatever the header claims."""
    limit = config.MAX_DECOMPRESSED_BYTES
    try:
        info = zf.getinfo(member)
        out = bytearray()
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(1 << 20)
                if not chunk:
                    break
                out += chunk
                if len(out) > limit:
                    raise ImportFailure(
                        name, f"delen {member} blir större än {config.human_size(limit)} uppackad (möjlig zip-bomb).")
                if info.compress_size and len(out) > 1_000_000 and len(out) / max(info.compress_size, 1) > config.MAX_COMPRESSION_RATIO:
                    raise ImportFailure(
                        name, f"delen {member} är komprimerad mer än {config.MAX_COMPRESSION_RATIO} gånger (möjlig zip-bomb).")
        return bytes(out)
    except ImportFailure:
        raise
    except KeyError as exc:
        raise ImportFailure(name, f"filen saknar den obligatoriska delen {member} och är skadad.") from exc
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError) as exc:
        raise ImportFailure(name, "filen är skadad eller ofullständig och kan inte läsas.") from exc
    except Exception as exc:  # zlib.error and friends
        raise ImportFailure(name, "filen är skadad eller ofullständig och kan inte läsas.") from exc


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_comments=True, remove_pis=True,
    )


def parse_xml(name: str, data: bytes, member: str = "") -> etree._Element:
    """Parse XML with entity resolution and network access off; refuse any DTD (XXE, billion laughs)."""
    where = f" ({member})" if member else ""
    head = data[:65536]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head or b"<\x00!\x00D\x00O\x00C\x00" in head:
        raise ImportFailure(
            name, f"filen innehåller en DTD med entiteter{where} (t.ex. extern entitet/XXE); sådana filer avvisas av säkerhetsskäl.")
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise ImportFailure(name, f"filen är skadad: dess XML{where} går inte att läsa.") from exc
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise ImportFailure(name, f"filen innehåller en DTD{where}; sådana filer avvisas av säkerhetsskäl.")
    return root


def scan_xml_members(name: str, zf: zipfile.ZipFile) -> None:
    """Refuse a container where any XML part declares a DTD/entities, before a library parses it.

    Each XML member is scanned from start to end (streamed, within the decompressed-size limit),
    so a DOCTYPE hidden after a long comment is found too.
    """
    markers = (b"<!DOCTYPE", b"<!ENTITY", b"<\x00!\x00D\x00O\x00C\x00T\x00Y\x00P\x00E\x00")
    budget = config.MAX_DECOMPRESSED_BYTES
    for info in zf.infolist():
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with zf.open(info) as fh:
                tail = b""
                while True:
                    chunk = fh.read(1 << 20)
                    if not chunk:
                        break
                    budget -= len(chunk)
                    if budget < 0:
                        raise ImportFailure(
                            name, f"filen blir större än {config.human_size(config.MAX_DECOMPRESSED_BYTES)} uppackad (möjlig zip-bomb).")
                    window = tail + chunk
                    if any(m in window for m in markers):
                        raise ImportFailure(
                            name, f"filen innehåller en DTD med entiteter ({info.filename}); sådana filer avvisas av säkerhetsskäl.")
                    tail = window[-32:]
        except ImportFailure:
            raise
        except Exception as exc:
            raise ImportFailure(name, "filen är skadad eller ofullständig och kan inte läsas.") from exc


def bomless_utf16(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' for UTF-16 text saved without a byte order mark (some exports from Windows
    tools), told by its NUL bytes: Latin text has a NUL as the high byte of almost every character, always on
    the same side (odd offsets little-endian, even offsets big-endian), and the whole decodes to text."""
    sample = data[:8192]
    if len(sample) < 8:
        return None
    sample = sample[:len(sample) // 2 * 2]
    even, odd = sample[0::2], sample[1::2]
    for codec, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) >= 0.6 * len(zeros) and other.count(0) == 0:
            try:
                text = sample.decode(codec)
            except UnicodeDecodeError:
                continue
            controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
            if controls <= 0.01 * len(text):
                return codec
    return None


def looks_binary(data: bytes) -> bool:
    """True when bytes are not plausible text (NUL bytes or many control characters)."""
    sample = data[:65536]
    if not sample:
        return False
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")) or bomless_utf16(sample):
        return False  # UTF-16 text
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(sample) > 0.01


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:120]
