"""LibreOffice formats (.doc, .odt, .rtf): converted to .docx headlessly, then read by the Word reader.

LibreOffice is an optional system package (Debian `libreoffice-writer-nogui`). The conversion
runs `soffice --headless --convert-to docx` in a fresh temporary folder with its own user
profile (default macro security: macros in documents do not run), with a timeout; the result
is held to the same size limits as any uploaded file. Without LibreOffice the file is refused
with a message naming the package.
"""
from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path, PurePath
from typing import Optional

from importers.common import guarded, new_parsed
from importers.docx_reader import DocxReader
from importers.errors import ImportFailure
from importers.safety import check_size
from models.records import ParsedFile

PACKAGE = "libreoffice-writer-nogui"
TIMEOUT_S = 120
_KIND = {".doc": "ett Word 97–2003-dokument (.doc)", ".odt": "ett OpenDocument-dokument (.odt)",
         ".rtf": "ett RTF-dokument (.rtf)"}


def soffice() -> Optional[str]:
    """Path of LibreOffice's `soffice` program, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def missing_message(ext: str) -> str:
    return (f"filen är {_KIND.get(ext, 'ett LibreOffice-dokument')} och kan bara läsas med LibreOffice, som inte "
            f"är installerat (Debian-paketet {PACKAGE}); spara den som .docx eller installera paketet.")


def content_matches(ext: str, data: bytes) -> bool:
    """True when the bytes are what the extension says (.doc: OLE container, .odt: ODF text zip, .rtf: {\\rtf)."""
    if ext == ".doc":
        return data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    if ext == ".rtf":
        return data.lstrip()[:5] == b"{\\rtf"
    if ext == ".odt":
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
            return zf.read("mimetype").strip() == b"application/vnd.oasis.opendocument.text"
        except Exception:
            return False
    return False


def convert_to_docx(data: bytes, name: str) -> bytes:
    """The .docx LibreOffice makes of a .doc/.odt/.rtf file; ImportFailure when it cannot."""
    exe = soffice()
    ext = PurePath(name).suffix.lower()
    if exe is None:
        raise ImportFailure(name, missing_message(ext))
    with tempfile.TemporaryDirectory(prefix="svarsanalys-soffice-") as tmp:
        src = Path(tmp) / f"in{ext}"
        out = Path(tmp) / "out"
        src.write_bytes(data)
        cmd = [exe, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
               f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(src)]
        try:
            _run(cmd, tmp)
        except subprocess.TimeoutExpired as exc:
            raise ImportFailure(name, f"LibreOffice kunde inte konvertera filen inom {TIMEOUT_S} sekunder; "
                                      "den kan vara skadad eller lösenordsskyddad.") from exc
        except OSError as exc:
            raise ImportFailure(name, f"LibreOffice kunde inte startas ({exc.strerror or exc}).") from exc
        result = out / "in.docx"
        if not result.exists() or result.stat().st_size == 0:
            raise ImportFailure(name, "LibreOffice kunde inte konvertera filen; den kan vara skadad eller "
                                      "lösenordsskyddad.")
        check_size(name, result.stat().st_size)
        return result.read_bytes()


def _run(cmd: list[str], cwd: str) -> None:
    """Run LibreOffice in its own process group; on timeout the whole group (soffice.bin too) is killed."""
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        proc.wait(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
        proc.wait()
        raise


class OfficeReader:
    """Reader for .doc, .odt and .rtf through LibreOffice and the Word reader."""

    format = "office"
    extensions = (".doc", ".odt", ".rtf")

    @guarded
    def read(self, data: bytes, name: str) -> ParsedFile:
        ext = PurePath(name).suffix.lower()
        docx = convert_to_docx(data, name)
        parsed = DocxReader().read(docx, name)
        original = new_parsed(data, name, ext.lstrip("."))
        parsed.name, parsed.format, parsed.sha256, parsed.size = (original.name, original.format,
                                                                  original.sha256, original.size)
        return parsed
