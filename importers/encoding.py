"""Decoding text files: UTF-8 (with or without BOM), UTF-16 (with or without BOM), cp1252 and what charset-normalizer finds."""
from __future__ import annotations

from importers.errors import ImportFailure
from importers.safety import bomless_utf16, looks_binary


def decode_text(name: str, data: bytes, kind: str = "textfil") -> tuple[str, str]:
    """Return (text, encoding); ImportFailure for binary garbage."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            # a UTF-8 byte order mark before Windows-1252 text (a program that writes the mark and then the
            # system's code page, or lines added in Excel's "CSV (semikolon)"): each line in what it is written in
            return _lines_utf8_or_cp1252(data[3:]), "utf-8-sig+cp1252"
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
    mixed = _lines_utf8_or_cp1252(data, strict=True)
    if mixed is not None:  # UTF-8 lines and Windows-1252 lines in one file (two exports pasted together)
        return mixed, "utf-8+cp1252"
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


def _lines_utf8_or_cp1252(data: bytes, strict: bool = False):
    """Each line decoded as UTF-8 when it is, else as Windows-1252 (a byte cp1252 lacks: U+FFFD). With `strict`:
    None unless some line with bytes above ASCII is UTF-8 and the file decodes line by line without a gap."""
    out, utf8 = [], False
    for line in data.split(b"\n"):
        try:
            text = line.decode("utf-8")
            utf8 |= not line.isascii()
        except UnicodeDecodeError:
            try:
                text = line.decode("cp1252")
            except UnicodeDecodeError:
                if strict:
                    return None
                text = line.decode("cp1252", errors="replace")
        out.append(text)
    if strict and not utf8:
        return None
    return "\n".join(out)
