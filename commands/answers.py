"""`python cli.py answers --db PROJECT.sqlite`: every stored answer as one JSON line.

Keys: answer_id, file (base name), respondent (canonical name), respondent_type, lan,
question (lower case, no punctuation), text (whitespace runs collapsed), choice.
"""
from __future__ import annotations

import json
import re
import os
import sys
from pathlib import Path, PurePath

_WS = re.compile(r"\s+")
_NOT_ID = re.compile(r"[^0-9a-zåäö]")


def answer_record(a) -> dict:
    """One models.records.Answer as the CLI's JSON object."""
    return {
        "answer_id": a.id,
        "file": PurePath(a.source_file.replace("\\", "/")).name,
        "respondent": a.respondent.name,
        "respondent_type": a.respondent.type,
        "lan": a.respondent.lan,
        "question": _NOT_ID.sub("", (a.question or "").lower()),
        "text": _WS.sub(" ", a.text or "").strip(),
        "choice": a.choice if a.choice else None,
    }


def run(args) -> int:
    if not Path(args.db).exists():
        print(f"FEL {args.db}: projektfilen finns inte.", file=sys.stderr)
        return 1
    try:
        from models.store import ProjectStore

        store = ProjectStore(args.db, create=False)
        answers = store.answers()
    except Exception as exc:
        print(f"FEL {args.db}: projektfilen kan inte läsas ({exc}).", file=sys.stderr)
        return 1
    out = sys.stdout
    try:
        for a in answers:
            out.write(json.dumps(answer_record(a), ensure_ascii=False) + "\n")
        out.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()
    store.close()
    return 0


def _quiet_broken_pipe() -> None:
    """The reader of our output went away (e.g. `| head`): stop quietly, no traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
