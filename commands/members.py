"""`python cli.py members --db P (--add EMAIL --role ROLL | --remove EMAIL | --list [--json])`.

Manages who may open a project on a team server. --list prints one member per line,
`EMAIL<TAB>ROLL`, ägare first (with --json: a JSON list of {"email", "role", "added_at",
"added_by"}). Exit 0 when done, 1 on an error (Swedish message on stderr), 2 on wrong usage. A change
that leaves members but no ägare (nobody can manage them in the app) is done, with a VARNING on stderr.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ADDED_BY = "cli"


def _usage(message: str) -> int:
    print(f"FEL: {message}", file=sys.stderr)
    return 2


def run(args) -> int:
    actions = [a for a in (args.add, args.remove) if a is not None] + ([True] if args.list else [])
    if len(actions) != 1:
        return _usage("ange exakt en av --add EMAIL, --remove EMAIL och --list.")
    if args.add is not None and not args.role:
        return _usage("--add behöver --role ägare|analytiker|läsare.")
    if args.role and args.add is None:
        return _usage("--role hör ihop med --add.")
    if args.json and not args.list:
        return _usage("--json hör ihop med --list.")
    from models.members import OWNER, email_problem

    if args.add is not None and email_problem(args.add):  # a bad option value is a usage error
        return _usage(f"--add: {email_problem(args.add)}")
    if not Path(args.db).is_file():
        print(f"FEL {args.db}: projektfilen finns inte.", file=sys.stderr)
        return 1

    from models.store import ProjectStore, StoreError

    try:
        store = ProjectStore(args.db, create=False)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the same error for the user
        print(f"FEL {args.db}: projektfilen kan inte läsas ({exc}).", file=sys.stderr)
        return 1
    try:
        if args.add is not None:
            store.add_member(args.add, args.role, ADDED_BY)
            print(f"{args.add.strip().lower()} är {args.role} i {Path(args.db).name}.")
        elif args.remove is not None:
            if not store.remove_member(args.remove, ADDED_BY):
                print(f"FEL {args.db}: {args.remove} är inte medlem i projektet.", file=sys.stderr)
                return 1
            print(f"{args.remove.strip().lower()} är borttagen ur {Path(args.db).name}.")
        if not args.list:
            roles = [row["role"] for row in store.members()]
            if roles and OWNER not in roles:
                print(f"VARNING {args.db}: projektet har ingen ägare kvar, så ingen kan ändra medlemmarna i appen; "
                      f"lägg till en med --add EMAIL --role {OWNER}.", file=sys.stderr)
        if args.list:
            rows = store.members()
            if args.json:
                print(json.dumps(rows, ensure_ascii=False))
            else:
                for row in rows:
                    print(f"{row['email']}\t{row['role']}")
    except StoreError as exc:
        print(f"FEL {args.db}: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0
