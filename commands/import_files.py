"""`python cli.py import PATH... --db PROJECT.sqlite`.

One line per file: `OK <path>: <n> svar` on stdout or `FEL <path>: <message>` on stderr; every
sheet, column or block the importer did not take is a `VARNING <path>: <what and why>` line on stderr.
Exit 0 when every file imported, 1 when any failed (the rest imported). Never a traceback.
"""
from __future__ import annotations

import os
import sys


def run(args) -> int:
    try:
        from models.importing import import_paths
        from models.store import ProjectStore

        store = ProjectStore(args.db)
    except Exception as exc:  # unusable project file
        print(f"FEL {args.db}: projektfilen kan inte öppnas ({exc}).", file=sys.stderr)
        return 1
    state = {"failed": False, "quiet": False}

    def report(r) -> None:
        state["failed"] |= not r.ok
        if state["quiet"]:
            return
        try:
            _print_report(r)
        except BrokenPipeError:
            state["quiet"] = True
            _quiet_broken_pipe()

    def ocr_progress(page: int, pages: int, name: str) -> None:
        if not state["quiet"]:
            print(f"INFO {name}: OCR sida {page} av {pages}", file=sys.stderr, flush=True)

    try:
        from importers import ocr

        ocr.PROGRESS.set(ocr_progress)
    except Exception:  # OCR is optional
        pass
    try:
        import_paths(store, args.paths, on_report=report)
    except Exception as exc:  # pragma: no cover - import_paths reports per file
        print(f"FEL {', '.join(args.paths)}: oväntat fel vid import ({type(exc).__name__}: {exc}).", file=sys.stderr)
        return 1
    failed = state["failed"]
    try:
        store.close()
    except Exception:
        pass
    return 1 if failed else 0


def _print_report(r) -> None:
    """`OK <path>: <n> svar` (stdout, plus an INFO note on stderr when useful) or `FEL <path>: <message>`."""
    if r.ok:
        print(f"OK {r.path}: {r.answers} svar", flush=True)
        notes = []
        if r.status == "unchanged":
            notes.append("redan importerad med samma innehåll, inget ändrades")
        elif r.status == "replaced":
            notes.append(f"ersatte {r.replaced} svar från en tidigare version av filen")
        if r.unresolved:
            notes.append("okänd respondent, rätta i appen: " + ", ".join(r.unresolved))
        if notes:
            print(f"INFO {r.path}: " + "; ".join(notes), file=sys.stderr, flush=True)
    else:
        print(f"FEL {r.path}: {r.message}", file=sys.stderr, flush=True)
    for warning in r.warnings:
        print(f"VARNING {r.path}: {warning}", file=sys.stderr, flush=True)


def _quiet_broken_pipe() -> None:
    """The reader of our output went away (e.g. `| head`): stop quietly, no traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
