"""JSON Lines input files of the command line (passages, gold, codings): read with Swedish errors.

Every reader of a ``.jsonl`` argument goes through :func:`json_lines`, so a missing file, a folder,
a file that is not UTF-8, a line that is not JSON or is nested too deep for the parser gives the same
kind of message naming the file and the line, never a traceback.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from config import human_size
from errors import SvarsanalysError

__all__ = ["json_lines"]


def json_lines(path: str | Path, error: type[SvarsanalysError], label: Optional[str] = None,
               max_bytes: Optional[int] = None) -> list[tuple[int, object]]:
    """(line number, parsed value) of every non-blank line of the file at ``path``.

    Bad input raises ``error`` with a Swedish message that starts with ``label`` (default: the file's
    name) and gives the line number where there is one. ``max_bytes`` refuses a larger file."""
    p = Path(path)
    name = label or p.name or str(p)
    try:
        if p.is_dir():
            raise error(f"{name}: är en mapp, inte en fil.")
        if max_bytes is not None and (size := p.stat().st_size) > max_bytes:
            raise error(f"{name}: filen är för stor ({human_size(size)}; högst {human_size(max_bytes)}).")
        raw = p.read_bytes()
    except FileNotFoundError:
        raise error(f"{name}: filen finns inte.") from None
    except IsADirectoryError:
        raise error(f"{name}: är en mapp, inte en fil.") from None
    except OSError as e:
        raise error(f"{name}: filen kan inte läsas ({e.strerror or e}).") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise error(f"{name}: filen är inte UTF-8-kodad text.") from None
    out: list[tuple[int, object]] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append((n, json.loads(line)))
        except json.JSONDecodeError as e:
            raise error(f"{name}, rad {n}: ogiltig JSON ({e.msg}).") from None
        except RecursionError:
            raise error(f"{name}, rad {n}: ogiltig JSON (för djupt nästlad).") from None
    return out
