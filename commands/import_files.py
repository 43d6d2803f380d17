"""`python cli.py import PATH... --db PROJECT.sqlite [--round LABEL]`.

One line per file: `OK <path>: <n> svar` on stdout or `FEL <path>: <message>` on stderr; every
sheet, column or block the importer did not take is a `VARNING <path>: <what and why>` line on stderr.
Exit 0 when every file imported, 1 when any failed (the rest imported). Never a traceback.
With --round every file's answers go to that round; a file imported earlier with the same
content into another round is added to this round as well (the earlier round keeps it; a
file imported into the wrong round is moved in the app). Without --round new answers get no
round and an INFO line names the round the file name or text suggests.
"""
from __future__ import annotations

import os
import sys


def run(args) -> int:
    round_label = getattr(args, "round_label", None)
    if round_label is not None:  # a usage error, before the project file is opened (or created)
        from models.rounds import label_problem, normalise_label

        problem = label_problem(round_label)
        if problem:
            print(f"FEL: --round: {problem}", file=sys.stderr)
            return 2
        round_label = normalise_label(round_label)
    try:
        from models.importing import batch_changed_answers, expand_paths, import_paths
        from models.store import ProjectStore

        store = ProjectStore(args.db)
    except Exception as exc:  # unusable project file
        print(f"FEL {args.db}: projektfilen kan inte öppnas ({exc}).", file=sys.stderr)
        return 1
    state = {"failed": False, "quiet": False}
    reports: list = []

    def report(r) -> None:
        reports.append(r)
        state["failed"] |= not r.ok
        if state["quiet"]:
            return
        try:
            _print_report(r, round_label)
        except BrokenPipeError:
            state["quiet"] = True
            _quiet_broken_pipe()

    files = expand_paths(args.paths)
    current: dict[str, str] = {}

    def file_started(done: int, total: int, name: str) -> None:
        current["path"] = files[done] if done < len(files) else name

    def ocr_progress(page: int, pages: int, name: str) -> None:
        if not state["quiet"]:  # the file as on its OK/FEL line (the path as given)
            shown = current.get("path") or name
            if os.path.basename(shown) != os.path.basename(name):
                shown = name
            print(f"INFO {shown}: OCR sida {page} av {pages}", file=sys.stderr, flush=True)

    try:
        from importers import ocr

        ocr.PROGRESS.set(ocr_progress)
    except Exception:  # OCR is optional
        pass
    try:
        import_paths(store, args.paths, on_report=report, round_label=round_label, progress=file_started)
    except Exception as exc:  # pragma: no cover - import_paths reports per file
        print(f"FEL {', '.join(args.paths)}: oväntat fel vid import ({type(exc).__name__}: {exc}).", file=sys.stderr)
        return 1
    if getattr(args, "analyse", True) and batch_changed_answers(reports):
        from models.after_import import analyse_after_import

        # the same path as the app's Importera page: tag the project, then re-cluster
        for note in analyse_after_import(store):
            if not state["quiet"]:
                print(f"INFO {args.db}: {note}", file=sys.stderr, flush=True)
    failed = state["failed"]
    try:
        store.close()
    except Exception:
        pass
    return 1 if failed else 0


def _print_report(r, round_label=None) -> None:
    """`OK <path>: <n> svar` (stdout, plus an INFO note on stderr when useful) or `FEL <path>: <message>`."""
    if r.ok:
        print(f"OK {r.path}: {r.answers} svar", flush=True)
        notes = []
        if r.status == "added_round":
            notes.append("samma innehåll som en redan importerad fil; svaren finns nu även i omgång "
                         f"{r.round_label or '(ingen)'}")
        elif r.status == "unchanged" and getattr(r, "same_as", ""):
            notes.append(f"samma innehåll som {r.same_as}, som redan är importerad; inget ändrades")
        elif r.status == "unchanged":
            notes.append("redan importerad med samma innehåll, "
                         + ("kommunerna som RSS-svaret avser sparades" if "avser sparades" in r.message
                            else "inget ändrades"))
        elif r.status == "replaced":
            notes.append(f"ersatte {r.replaced} svar från en tidigare version av filen")
        if r.unresolved:
            notes.append("okänd respondent, rätta i appen: " + ", ".join(r.unresolved))
        notes.extend(getattr(r, "notes", None) or [])
        if round_label is None and r.status in ("imported", "replaced"):
            hint = _round_hint(r.path)
            if hint:
                notes.append(f"ingen omgång angavs; filen ser ut att höra till omgång {hint} (ange --round {hint})")
        if notes:
            print(f"INFO {r.path}: " + "; ".join(notes), file=sys.stderr, flush=True)
    else:
        print(f"FEL {r.path}: {r.message}", file=sys.stderr, flush=True)
    for warning in r.warnings:
        print(f"VARNING {r.path}: {warning}", file=sys.stderr, flush=True)


def _round_hint(path: str):
    """The round the file's name or first text suggests, or None."""
    try:
        from models.rounds import detect_round, text_head

        if os.path.getsize(path) > 20_000_000:
            return detect_round(os.path.basename(path))
        with open(path, "rb") as fh:
            data = fh.read()
        return detect_round(os.path.basename(path), text_head(path, data))
    except Exception:  # a hint only
        return None


def _quiet_broken_pipe() -> None:
    """The reader of our output went away (e.g. `| head`): stop quietly, no traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
