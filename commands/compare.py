"""`python cli.py compare --db P --from R1 --to R2 [--code C] [--include-suggestions] --out FILE.jsonl`

One JSON line per (respondent, code) counted in either round:
`{"respondent", "respondent_type", "lan", "code", "from": {"present", "status", "scope"},
"to": {...}, "change"}` with change one of new, no_longer_mentioned, unchanged, advanced,
regressed (rules in models/change.py; several codings of a code in a round: the most
advanced status and scope count). Only accepted and manual codings count unless
--include-suggestions (the same selection as `export --include-suggestions`); negated
codings never count. Exit 0 with a Swedish summary on stdout; exit 1 with `FEL: ...` on
stderr when the project, a round or the code is missing or the output cannot be written. Without
--include-suggestions an INFO line on stderr says how many unreviewed suggestions were not counted.
"""
from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path


def _fail(message: str) -> int:
    print(f"FEL: {message}", file=sys.stderr)
    return 1


def run(args) -> int:
    from commands.export import open_project, os_reason

    db, out = Path(args.db), Path(args.out)
    if out.is_dir():
        return _fail(f"utfilen {out} är en mapp; ange ett filnamn.")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        return _fail(f"mappen {parent} för utfilen {out.name} finns inte.")

    from models import round_views, views
    from models.rounds import normalise_label
    from models.store import StoreError

    store, problem = open_project(db)
    if problem:
        return _fail(problem)
    try:
        known = {r.label for r in round_views.rounds(store)}
        a, b = normalise_label(args.from_round), normalise_label(args.to_round)
        for label in (a, b):
            if label not in known:
                named = ", ".join(x for x in round_views.round_labels(store)) or "inga"
                return _fail(f"omgången {label!r} finns inte i {db} (omgångar i projektet: {named}).")
        if args.code and args.code not in set(views.code_frame(store)["code_id"]) and not any(
                round_views.round_codings(store, label, decisions=None, code_ids=[args.code], include_negated=True)
                for label in (a, b)):
            return _fail(f"koden '{args.code}' finns inte i projektets kodbok ({db.name}).")
        with_suggestions = bool(getattr(args, "include_suggestions", False))
        decisions = views.decisions_for(with_suggestions)
        codes = [args.code] if args.code else None
        rows = round_views.compare_rounds(store, a, b, decisions=decisions, code_ids=codes)
        untagged = round_views.untagged_answers(store, {a, b})
        # suggestions nobody has reviewed yet are not counted without --include-suggestions: say so
        unreviewed = 0 if with_suggestions else sum(
            len(round_views.round_codings(store, label, decisions=("suggested",), code_ids=codes))
            for label in (a, b))
    except StoreError as exc:
        return _fail(str(exc))
    finally:
        store.close()
    lines = "".join(json.dumps(r.record(), ensure_ascii=False) + "\n" for r in rows)
    tmp = out.with_name(out.name + ".tmp")
    try:
        tmp.write_text(lines, encoding="utf-8")
        os.replace(tmp, out)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        return _fail(f"utfilen {out} kan inte skrivas ({os_reason(exc)}).")
    if untagged:
        print(f"INFO: {untagged} svar i omgångarna har aldrig taggats; kör först python cli.py tag --db {db} "
              "för att få förslag.", file=sys.stderr)
    if unreviewed:
        print(f"INFO: {unreviewed} förslag i omgångarna har inte granskats och räknas inte; granska dem "
              "eller lägg till --include-suggestions för att räkna med dem.", file=sys.stderr)
    counts = Counter(r.change for r in rows)
    from models.change import CHANGE_LABELS_SV, CHANGES

    summary = ", ".join(f"{CHANGE_LABELS_SV[c]} {counts[c]}" for c in CHANGES if counts[c])
    print(f"Skrev {out} ({len(rows)} rader, {a} → {b}{': ' + summary if summary else ''}).")
    return 0
