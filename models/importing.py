"""Import service: files or uploads → parsed answers → resolved respondents → the project store.

Every file is read, parsed and stored on its own: one bad file never stops the others,
and `store.import_parsed` stores a file in ONE transaction, so a crash or a failure
leaves either the whole file or nothing. Every outcome is a `FileReport` with a Swedish
message for the CLI and the app.
"""
from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence, Union

import config
from importers.base import REFI_QDA, base_name, read_file, reader_for
from importers.errors import ImportFailure
from importers.forms_compat import all_questions
from models.codes import codebook_doc
from models.records import ParsedFile, RawAnswer, Respondent
from models.rounds import disagreement_note
from models.store import StoreError
from reference.registry import resolve

Progress = Callable[[int, int, str], None]  # (done, total, file name)


@dataclass
class FileReport:
    """The outcome of importing one file."""

    path: str
    name: str
    ok: bool
    answers: int = 0
    message: str = ""
    unresolved: list[str] = field(default_factory=list)
    replaced: int = 0
    status: str = ""  # imported | replaced | added_round | unchanged | failed
    warnings: list[str] = field(default_factory=list)  # what was not taken or had to be interpreted: to check
    round_label: str = ""  # the round the file's answers are in after the import ('' = none)
    notes: list[str] = field(default_factory=list)  # information only (the CLI's INFO lines): nothing to act on
    same_as: str = ""  # unchanged: the name the identical file was imported under, when it is another name


def batch_changed_answers(reports: Iterable[Any]) -> bool:
    """True when a file of the batch stored new answers or replaced earlier ones."""
    return any(getattr(r, "ok", False) and getattr(r, "answers", 0)
               and getattr(r, "status", "imported") != "unchanged" for r in reports)


def resolver() -> Callable[[RawAnswer], Respondent]:
    """reference.registry's resolver; a name it cannot resolve is kept as written, unresolved."""
    def _resolve(raw: RawAnswer) -> Respondent:
        try:
            return resolve(raw.respondent, type_hint=raw.respondent_type, lan_hint=raw.lan)
        except Exception:  # noqa: BLE001 - an unreadable name is kept as written, unresolved
            pass
        return Respondent(raw.respondent, raw.respondent_type, raw.lan, resolved=False, raw_name=raw.respondent)

    return _resolve


def expand_paths(paths: Iterable[Union[str, Path]]) -> list[str]:
    """Files as given (the path string is kept as written), folders expanded recursively.

    In folders every file is listed, whatever its type, so each gets an OK or FEL line; only
    hidden folders (".git") and Python caches are not entered.
    """
    out: list[str] = []
    for p in paths:
        given = os.fspath(p)
        if os.path.isdir(given):
            for root, dirs, files in os.walk(given):
                dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__")))
                for f in sorted(files):
                    out.append(os.path.join(root, f))
        else:
            out.append(given)
    return out


def load_questions(store) -> None:
    """Store the known forms' question definitions (idempotent)."""
    try:
        stored = {q.id: q for q in store.questions()}
        first: dict[str, object] = {}
        for q in all_questions():  # the store keys questions by id: the first form defining an id wins
            first.setdefault(q.id, q)
        wanted = [q for q in first.values() if stored.get(q.id) != q]
        if wanted:  # only write when something differs, so data_version stays put on re-import
            store.upsert_questions(wanted)
    except Exception:  # definitions are a convenience; answers import without them
        pass


def _store_parsed(store, parsed: ParsedFile, path: str, round_label: Optional[str] = None) -> FileReport:
    kwargs = {"round_label": round_label} if round_label is not None else {}
    outcome = store.import_parsed(parsed, resolver(), **kwargs)
    if outcome.status == "added_round":
        msg = f"{outcome.message}."
    elif outcome.status == "unchanged":
        msg = f"{parsed.name} är redan importerad med samma innehåll; inget ändrades."
        if "sparades" in outcome.message:  # an earlier import's RSS file: its kommun list was added
            msg = f"{parsed.name} är redan importerad med samma innehåll; {outcome.message.split('; ', 1)[1]}."
        elif outcome.same_as:
            msg = f"{parsed.name} har samma innehåll som {outcome.same_as}, som redan är importerad; inget ändrades."
    elif outcome.status == "replaced":
        msg = (f"{outcome.answers} svar; ersatte {outcome.replaced_answers} svar från en tidigare version av "
               f"{parsed.name}.")
    else:
        msg = f"{outcome.answers} svar"
    if outcome.unresolved:
        msg += " Okänd respondent (rätta i appen): " + ", ".join(outcome.unresolved) + "."
    answers = outcome.answers if outcome.status != "unchanged" else len(parsed.answers)
    warnings = list(parsed.warnings)
    if outcome.status == "replaced" and outcome.kept_decisions:
        msg += (f" {outcome.kept_decisions} granskade kodningar finns kvar (oförändrade svar, eller samma ord i "
                "det rättade svaret).")
    if outcome.lost_decisions:
        n = outcome.lost_decisions
        warnings.append(f"{n} granskad{'e' if n != 1 else ''} kodning{'ar' if n != 1 else ''} gällde ord som inte "
                        "finns kvar i den rättade versionen och togs bort med det gamla svaret; granska de "
                        "ändrade svaren igen")
    if outcome.status in ("imported", "replaced", "added_round"):
        warnings += _answered_in_other_files(store, parsed.sha256)
    return FileReport(path, parsed.name, True, answers, msg, list(outcome.unresolved), outcome.replaced_answers,
                      outcome.status, warnings, (round_label or "").strip(), same_as=outcome.same_as)


def _answered_in_other_files(store, sha256: str) -> list[str]:
    """One line per respondent and question of this file that another file of the same round answers too
    (a supplement, a second export, a resend under another name): both answers are kept, the report says so."""
    try:
        with store.read() as con:
            rows = con.execute(
                "SELECT r.name, a.question_id, o.name, min(a.position), a.round_label FROM source_files f "
                "JOIN answers a ON a.source_file_id = f.id "
                "JOIN answers b ON b.respondent_id = a.respondent_id AND b.question_id = a.question_id "
                "AND b.round_label = a.round_label AND b.source_file_id <> a.source_file_id "
                "JOIN source_files o ON o.id = b.source_file_id JOIN respondents r ON r.id = a.respondent_id "
                "WHERE f.sha256 = ? GROUP BY r.name, a.question_id, o.name, a.round_label ORDER BY 4, o.name", (sha256,)).fetchall()
    except Exception:  # an unusual store: the import itself has succeeded
        return []
    files: dict[tuple[str, str, str], list[str]] = {}
    for name, qid, other, _, label in rows:
        files.setdefault((name, qid, label), []).append(other)
    grouped: dict[tuple[str, str, tuple[str, ...]], list[str]] = {}  # one line per respondent and other file(s)
    for (name, qid, label), others in files.items():
        grouped.setdefault((name, label, tuple(others)), []).append(qid)
    out = []
    for (name, label, others), qids in grouped.items():
        which = f"fråga {qids[0]}" if len(qids) == 1 else "frågorna " + ", ".join(qids)
        out.append(f"{name}, {which}: har också svar från {', '.join(repr(n) for n in others)} "
                   + (f"i omgång {label}" if label else "(ingen av dem har en omgång)")
                   + "; båda svaren finns kvar — kontrollera om det ena är en äldre version eller hör till en annan omgång")
    return out


def import_bytes(store, name: str, data: bytes, *, path: Optional[str] = None,
                 round_label: Optional[str] = None) -> FileReport:
    """Read, parse and store one file's bytes in round `round_label`; never raises for bad input.

    `round_label=None` stores new answers without a round and leaves a known file as it is; an
    identical file imported again with a round it is not in yet is added to that round too
    (status "added_round"; `store.set_file_round` moves a file imported into the wrong round).
    """
    shown = path or name
    if Path(name).suffix.lower() in REFI_QDA:
        return import_refi_qda(store, name, data, path=shown, round_label=round_label)
    try:
        reader_for(name, data)  # size, type and content checks first, also for a known file
        known = _already_imported(store, data, round_label)
        if known is not None:
            count, stored = known
            same_as = stored if stored and stored != base_name(name) else ""
            message = (f"{base_name(name)} har samma innehåll som {same_as}, som redan är importerad; inget ändrades."
                       if same_as else f"{base_name(name)} är redan importerad med samma innehåll; inget ändrades.")
            return FileReport(shown, base_name(name), True, count, message, status="unchanged",
                              round_label=(round_label or "").strip(), same_as=same_as)
        parsed = read_file(data, name)
        return _store_parsed(store, parsed, shown, round_label)
    except ImportFailure as exc:
        return FileReport(shown, base_name(name), False, message=exc.problem, status="failed")
    except Exception as exc:  # store or library failure: report it, keep going
        why = str(exc) if isinstance(exc, StoreError) else f"oväntat fel vid import (teknisk orsak: {type(exc).__name__})"
        return FileReport(shown, base_name(name), False, status="failed",
                          message=f"{why.rstrip('.')}; inget sparades från filen.")


def import_refi_qda(store, name: str, data: bytes, *, path: Optional[str] = None,
                    round_label: Optional[str] = None) -> FileReport:
    """Import a REFI-QDA project (.qdpx) or codebook (.qdc); never raises for bad input.

    For a .qdpx, `answers` counts its text sources: new answers plus answers already in the
    project that a source matched by text (their codings become the coding user's own); a source
    whose round the file states (variable omgång) keeps it, the others go to `round_label`.
    For a .qdc, `answers` is 0 and the codebook is merged (codes matched by id, then label).
    What was imported is a note (information); only what the analyst must check is a warning.
    """
    from export import codebook_io, refi

    shown, short = path or name, base_name(name)
    try:
        if Path(name).suffix.lower() == ".qdc":
            base = codebook_doc(store)
            before = {c["id"] for cat in base.get("categories") or [] for c in cat.get("codes") or []}
            doc = codebook_io.from_qdc(data, base, file_name=short)
            after = {c["id"] for cat in doc.get("categories") or [] for c in cat.get("codes") or []}
            if doc != base:
                store.save_codebook_doc(doc)
            note = (f"kodbok: {len(after)} koder, {len(after - before)} nya, "
                    f"{len(after & before)} matchade befintliga koder (id eller namn)")
            return FileReport(shown, short, True, 0, note, status="imported" if doc != base else "unchanged",
                              notes=[note])
        result = refi.import_qdpx(store, data, file_name=short, round_label=round_label)
    except (refi.RefiError, codebook_io.CodebookExchangeError) as exc:
        message = str(exc)
        prefix = f"{short}: "
        return FileReport(shown, short, False, status="failed",
                          message=message[len(prefix):] if message.startswith(prefix) else message)
    except ImportFailure as exc:
        return FileReport(shown, short, False, message=exc.problem, status="failed")
    except Exception as exc:  # store or library failure: report it, keep going
        why = str(exc) if isinstance(exc, StoreError) else f"oväntat fel vid import (teknisk orsak: {type(exc).__name__})"
        return FileReport(shown, short, False, status="failed", message=f"{why.rstrip('.')}; inget sparades från filen.")
    if result.status == "unchanged":
        return FileReport(shown, short, True, result.in_file, result.message, status="unchanged")
    coded = (f"{result.codings} kodningar, varav {result.suggestions} förslag som inte granskats i det exporterade "
             "projektet och här är förslag att granska" if result.suggestions else f"{result.codings} kodningar")
    summary = (f"svaren är filens textkällor: {result.answers} nya svar ({coded}) och "
               f"{result.matched} befintliga svar matchade på texten ({result.coder_codings} kodningar sparade "
               "som kodarnas egna kodningar" + (f": {', '.join(result.coders)})" if result.coders else ")"))
    if result.matched_suggestions:
        summary += f"; {refi.matched_suggestions_sv(result.matched_suggestions)}"
    if result.new_codes:
        summary += f"; {len(result.new_codes)} nya koder i kodboken"
    if result.rounds:
        summary += "; omgång ur filen: " + ", ".join(f"{label or '(ingen)'} {n} svar"
                                                    for label, n in sorted(result.rounds.items()))
    return FileReport(shown, short, True, result.sources, result.message, status="imported",
                      warnings=list(result.warnings), notes=[summary],
                      round_label=(round_label or "").strip())


def _already_imported(store, data: bytes, round_label: Optional[str] = None) -> Optional[tuple[int, str]]:
    """(answer count, the name it was imported under) of an identical file (same sha256) already in the project
    (in `round_label` when given), else None (fast re-import). An RSS file without a stored kommun list is read again (None): the
    store keeps the list it may hold (files imported before lists were kept)."""
    digest = hashlib.sha256(data).hexdigest()
    try:
        with store.read() as con:
            row = con.execute("SELECT id, name FROM source_files WHERE sha256 = ?", (digest,)).fetchone()
            if row is None:
                return None
            sql, params = "SELECT count(*) FROM answers WHERE source_file_id = ?", [row[0]]
            if round_label is not None:
                sql += " AND round_label = ?"
                params.append(round_label.strip())
            n = int(con.execute(sql, params).fetchone()[0])
            if con.execute(  # an RSS file stored before the project kept its kommun list: read it again for that
                    "SELECT 1 FROM answers a JOIN respondents r ON r.id = a.respondent_id WHERE a.source_file_id = ? "
                    "AND r.type = 'rss' AND NOT EXISTS (SELECT 1 FROM respondent_kommuner k "
                    "WHERE k.source_file_id = a.source_file_id) LIMIT 1", (row[0],)).fetchone():
                return None
            return None if round_label is not None and n == 0 else (n, base_name(str(row[1] or "")))
    except Exception:  # the store will decide in import_parsed
        return None


def new_batch() -> str:
    """An id for one import batch: UTC time plus a random suffix."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S") + "-" + uuid.uuid4().hex[:6]


def record(store, batch: str, report: FileReport) -> None:
    """Store one file's report in the project's import history (never fails the import)."""
    try:
        store.add_import_reports(batch, [report.__dict__])
    except Exception:
        pass


def _too_many(names: Sequence[str]) -> list[FileReport]:
    msg = (f"importen innehåller {len(names)} filer; högst {config.MAX_FILES_PER_BATCH} filer per import. "
           "Inget importerades — dela upp importen.")
    return [FileReport(n, Path(n).name, False, message=msg, status="failed") for n in names]


def import_paths(store, paths: Iterable[Union[str, Path]], *, progress: Optional[Progress] = None,
                 on_report: Optional[Callable[[FileReport], None]] = None,
                 round_label: Optional[str] = None) -> list[FileReport]:
    """Import files and folders (recursively) into round `round_label`; one FileReport per file, in order.

    `progress(done, total, name)` is called before each file, `on_report(report)` after it.
    """
    files = expand_paths(paths)
    batch = new_batch()
    if len(files) > config.MAX_FILES_PER_BATCH:
        reports = _too_many(files)
        for r in reports:
            record(store, batch, r)
        for r in reports if on_report else ():
            on_report(r)
        return reports
    load_questions(store)
    reports: list[FileReport] = _Reports(on_report, lambda r: record(store, batch, r))
    for i, shown in enumerate(files):
        f = Path(shown)
        if progress:
            progress(i, len(files), f.name)
        try:
            if not f.exists():
                reports.append(FileReport(shown, f.name, False, message="filen finns inte.", status="failed"))
                continue
            if not f.is_file():
                reports.append(FileReport(shown, f.name, False, message="är ingen vanlig fil.", status="failed"))
                continue
            size = f.stat().st_size
            if size > config.MAX_FILE_BYTES:
                reports.append(FileReport(
                    shown, f.name, False, status="failed",
                    message=f"filen är för stor ({config.human_size(size)}); gränsen är "
                            f"{config.human_size(config.MAX_FILE_BYTES)} per fil."))
                continue
            data = f.read_bytes()
        except OSError as exc:
            reports.append(FileReport(shown, f.name, False, message=f"filen kunde inte läsas ({exc.strerror or exc}).",
                                      status="failed"))
            continue
        reports.append(import_bytes(store, f.name, data, path=shown, round_label=round_label))
    if progress:
        progress(len(files), len(files), "")
    return list(reports)


class _Reports(list):
    """A list that tells `on_report` about every report appended."""

    def __init__(self, on_report: Optional[Callable[[FileReport], None]],
                 keep: Optional[Callable[[FileReport], None]] = None):
        super().__init__()
        self._on_report = on_report
        self._keep = keep

    def append(self, report: FileReport) -> None:  # type: ignore[override]
        super().append(report)
        if self._keep is not None:
            self._keep(report)
        if self._on_report is not None:
            self._on_report(report)


def import_uploads(store, uploads: Iterable[tuple[str, Union[bytes, memoryview]]], *,
                   progress: Optional[Progress] = None, round_label: Optional[str] = None,
                   rounds: Optional[dict[str, Optional[str]]] = None,
                   own_rounds: Optional[dict[str, Optional[str]]] = None) -> list[FileReport]:
    """Import (file name, bytes) pairs, e.g. from Streamlit's file_uploader.

    Each file goes to round `rounds[name]` when the name is there, else `round_label` (None: a new
    file gets no round and a known file keeps its round). A file over config.MAX_FILE_BYTES gets its
    FEL line from its size alone, never read (the page may pass it uncopied, as a memoryview).
    `own_rounds[name]` is the round read from the file's name or text (models.rounds.detect_round): a file
    that ends up in another round (or none) gets a warning saying so (models.rounds.disagreement_note).
    """
    items = list(uploads)
    batch = new_batch()
    if len(items) > config.MAX_FILES_PER_BATCH:
        reports = _too_many([n for n, _ in items])
        for r in reports:
            record(store, batch, r)
        return reports
    load_questions(store)
    reports = _Reports(None, lambda r: record(store, batch, r))
    for i, (name, data) in enumerate(items):
        if progress:
            progress(i, len(items), name)
        label = rounds.get(name, round_label) if rounds else round_label
        if len(data) > config.MAX_FILE_BYTES:
            reports.append(FileReport(name, base_name(name), False, status="failed",
                                      message=f"filen är för stor ({config.human_size(len(data))}); gränsen är "
                                              f"{config.human_size(config.MAX_FILE_BYTES)} per fil."))
            continue
        report = import_bytes(store, name, bytes(data) if isinstance(data, memoryview) else data,
                              round_label=label)
        note = disagreement_note(own_rounds.get(name), report.round_label) if own_rounds and report.ok else None
        if note:
            report.warnings.append(note)
        reports.append(report)
    if progress:
        progress(len(items), len(items), "")
    return list(reports)
