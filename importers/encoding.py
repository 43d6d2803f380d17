"""Decoding text files: UTF-8 (with or without BOM), UTF-16 (with or without BOM), cp1252 and what charset-normalizer finds."""
from __future__ import annotations

from importers.errors import ImportFailure
from importers.safety import bomless_utf16, looks_binary


def decode_text(name: str, data: bytes, kind: str = "textfil") -> tuple[str, str]:
    """Return (text, encoding); ImportFailure for binary garbage."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    codec = bomless_utf16(data)
    if codec:
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:  # odd length or a broken tail: read what decodes
            return data[:len(data) // 2 * 2].decode(codec, errors="replace"), codec
    if looks_binary(data):
        raise ImportFailure(name, f"filen innehåller binära data och är ingen läsbar {kind}.")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # Swedish files that are not UTF-8 are almost always Windows-1252 (Excel's "CSV (semikolon)").
        text, enc = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        try:
            from charset_normalizer import from_bytes

            best = from_bytes(data[:2_000_000]).best()
            enc = best.encoding if best is not None else "latin-1"
            text = data.decode(enc)
        except Exception:
            text, enc = data.decode("latin-1"), "latin-1"
    bad = sum(1 for ch in text[:65536] if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r\f"))
    if text and bad / min(len(text), 65536) > 0.01:
        raise ImportFailure(name, f"filen innehåller binära data och är ingen läsbar {kind}.")
    return text, enc
