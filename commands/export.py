"""`python cli.py export --db PROJECT.sqlite --format xlsx|csv|docx|qdpx|qdc --out FILE [--include-suggestions]`

Writes the project's coded excerpts (accepted and manual; with --include-suggestions also
the undecided suggestions) in the chosen format. Exit 0 on success with a one-line Swedish
summary on stdout; exit 1 with a Swedish message on stderr (no traceback) when the
project is missing or invalid or the output cannot be written.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path


def _fail(message: str) -> int:
    print(f"FEL: {message}", file=sys.stderr)
    return 1


def os_reason(exc: OSError) -> str:
    """A Swedish reason for an OS error."""
    import errno

    return {
        errno.EACCES: "saknar behörighet",
        errno.EPERM: "saknar behörighet",
        errno.ENOENT: "sökvägen finns inte",
        errno.ENOSPC: "disken är full",
        errno.EROFS: "filsystemet är skrivskyddat",
        errno.EISDIR: "sökvägen är en mapp",
        errno.ENOTDIR: "en del av sökvägen är ingen mapp",
        errno.ENAMETOOLONG: "filnamnet är för långt",
    }.get(exc.errno or -1, "okänt fel i filsystemet")


def _out_problem(out: Path) -> str | None:
    """Why the export cannot be written to `out` (None when it can)."""
    if out.exists() and out.is_dir():
        return f"utfilen {out} är en mapp; ange ett filnamn."
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.exists():
        return f"mappen {parent} för utfilen {out.name} finns inte."
    if not parent.is_dir():
        return f"utfilen {out} kan inte skrivas ({parent} är ingen mapp)."
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        return f"utfilen {out} kan inte skrivas (saknar skrivrättighet)."
    return None


def open_project(db: Path):
    """(store, None) for a usable project file, else (None, Swedish reason); never modifies a bad file."""
    if not db.exists():
        return None, f"projektfilen {db} finns inte."
    if not db.is_file():
        return None, f"{db} är ingen fil."
    try:
        with open(db, "rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        return None, f"projektfilen {db} kan inte läsas ({os_reason(exc)})."
    if head != b"SQLite format 3\x00":
        return None, f"{db} är ingen giltig projektfil (inte en SQLite-databas)."
    problem = project_problem(db)
    if problem:
        return None, problem
    from models.store import ProjectStore, StoreError

    try:
        return ProjectStore(db, create=False), None
    except StoreError as exc:
        return None, str(exc)
    except Exception as exc:  # noqa: BLE001 - a damaged file must not print a traceback
        return None, f"{db} är ingen giltig projektfil ({exc})."


def project_problem(db: Path) -> str | None:
    """Why `db` is not a Svarsanalys project (None if it looks like one); never modifies it."""
    import sqlite3

    from models.probe import version_and_tables

    try:
        version, tables = version_and_tables(db)
    except sqlite3.DatabaseError as exc:
        return f"{db} är ingen giltig projektfil ({exc})."
    if version == 0 or not {"answers", "codings", "respondents"} <= tables:
        return f"{db} är en SQLite-databas men inget Svarsanalys-projekt."
    return None


def run(args) -> int:
    db = Path(args.db)
    out = Path(args.out)
    store, problem = open_project(db)
    if problem:
        return _fail(problem)
    problem = _out_problem(out)
    if problem:
        store.close()
        return _fail(problem)

    from export.formats import export_bytes
    from export.selection import Selection
    from models.store import StoreError

    try:
        selection = Selection(include_suggestions=bool(getattr(args, "include_suggestions", False)))
        data = export_bytes(store, args.format, selection)
    except StoreError as exc:
        return _fail(str(exc))
    except Exception as exc:  # noqa: BLE001
        return _fail(f"exporten till {args.format} misslyckades för {db} ({type(exc).__name__}: {exc}).")
    finally:
        store.close()
    tmp = out.with_name(out.name + ".tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, out)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        return _fail(f"utfilen {out} kan inte skrivas ({os_reason(exc)}).")
    print(f"Skrev {out} ({args.format}, {len(data)} byte).")
    return 0
