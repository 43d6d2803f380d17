"""`python cli.py agreement --a A.jsonl --b B.jsonl [--json]` or `--db P --coder NAME --coder NAME [--json]`.

Inter-coder agreement per code (binary presence per passage) over the passages both coders
have: percent agreement, Cohen's κ and Krippendorff's α (nominal). Input lines are
`{"id": ..., "codes": [...]}` (a passage on several lines gets the union of its codes). With --json the last line is
`{"passages": n, "codes": {"<code>": {"agreement", "kappa", "alpha", "a", "b"}}, "mean_kappa": ..}`,
otherwise a Swedish table. Exit 0 ok, 1 bad input (Swedish message naming the file), 2 usage.
In a project, the coder "taggaren" is the automatic tagger.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

from errors import SvarsanalysError
from nlp.agreement import Agreement, agreement


class _BadInput(SvarsanalysError):
    """Unusable input; the message is Swedish and names the file."""


def _usage(message: str) -> int:
    print("användning: cli.py agreement --a A.jsonl --b B.jsonl [--json] | "
          "--db PROJEKT.sqlite --coder NAMN --coder NAMN [--json]", file=sys.stderr)
    print(f"FEL: {message}", file=sys.stderr)
    return 2


def read_codings(path: str) -> dict[str, set[str]]:
    """Passage id → codes from a JSONL file; a passage on several lines gets the union of its codes."""
    from jsonl_input import json_lines

    out: dict[str, set[str]] = {}
    for number, row in json_lines(path, _BadInput, label=str(path)):
        if not isinstance(row, dict) or "id" not in row or "codes" not in row:
            raise _BadInput(f"{path}, rad {number}: raden måste vara ett objekt med fälten \"id\" och \"codes\".")
        pid, codes = row["id"], row["codes"]
        if isinstance(pid, (dict, list)) or pid is None or isinstance(pid, bool):
            raise _BadInput(f"{path}, rad {number}: \"id\" måste vara en text eller ett tal.")
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise _BadInput(f"{path}, rad {number}: \"codes\" måste vara en lista med koder (text).")
        out.setdefault(str(pid), set()).update(c.strip() for c in codes if c.strip())
    if not out:
        raise _BadInput(f"filen {path} innehåller inga passager (inga rader med \"id\" och \"codes\").")
    return out


def _from_db(db: str, coders: list[str]) -> tuple[dict, dict]:
    from models.store import ProjectStore, StoreError

    p = Path(db)
    if not p.is_file():
        raise _BadInput(f"projektfilen {db} finns inte.")
    try:
        with open(p, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise _BadInput(f"{db} är ingen giltig projektfil (inte en SQLite-databas).")
        from commands.export import project_problem

        problem = project_problem(p)  # never let ProjectStore turn a foreign database into a project
        if problem:
            raise _BadInput(problem)
        store = ProjectStore(p, create=False)
    except _BadInput:
        raise
    except StoreError as exc:
        raise _BadInput(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - a damaged file must not print a traceback
        raise _BadInput(f"{db} är ingen giltig projektfil ({exc}).") from None
    try:
        known = set(store.coders())
        sides = []
        for coder in coders:
            if coder not in known and coder.strip().lower() not in (store.TAGGER, "tagger"):
                shown = ", ".join(sorted(known)) or "inga"
                raise _BadInput(f"{db}: kodaren {coder} har inga kodningar i projektet (kodare: {shown}; "
                                f"{store.TAGGER} är den automatiska taggaren).")
            sides.append({str(k): v for k, v in store.coder_presence(coder).items()})
    finally:
        store.close()
    return sides[0], sides[1]


def _fmt(value: Optional[float]) -> str:
    return "–" if value is None else f"{value:.3f}".replace(".", ",")


def table_text(result: Agreement, name_a: str, name_b: str) -> str:
    """The agreement as a readable Swedish table."""
    lines = [f"Överensstämmelse mellan {name_a} (A) och {name_b} (B): {result.passages} gemensamma passager."]
    if not result.codes:
        lines.append("Ingen av kodarna har använt någon kod på de gemensamma passagerna.")
        return "\n".join(lines)
    width = max(len("Kod"), *(len(c) for c in result.codes))
    lines.append(f"{'Kod'.ljust(width)}  Överens.  Cohens κ  Krippendorffs α      A      B")
    for code, c in result.codes.items():
        lines.append(f"{code.ljust(width)}  {_fmt(c.agreement):>8}  {_fmt(c.kappa):>8}  {_fmt(c.alpha):>15}"
                     f"  {c.a:>5}  {c.b:>5}")
    undefined = sum(1 for c in result.codes.values() if c.kappa is None)
    mean = result.mean_kappa
    lines.append(f"Medel-κ: {_fmt(mean)} (över {len(result.codes) - undefined} koder med definierat κ).")
    if undefined:
        lines.append(f"{undefined} koder saknar κ och α: båda kodarna använde koden på varje passage "
                     "(förväntad överensstämmelse 1).")
    return "\n".join(lines)


def run(args) -> int:
    a, b, db, coders = getattr(args, "a", None), getattr(args, "b", None), getattr(args, "db", None), \
        list(getattr(args, "coder", None) or [])
    if db is not None:
        if a is not None or b is not None:
            return _usage("ange antingen --a och --b eller --db med två --coder, inte båda.")
        if len(coders) != 2:
            return _usage("--db kräver exakt två --coder NAMN.")
    else:
        if a is None or b is None:
            return _usage("ange både --a och --b (eller --db med två --coder).")
        if coders:
            return _usage("--coder används bara med --db.")
    try:
        if db is not None:
            side_a, side_b = _from_db(db, coders)
            name_a, name_b = coders
        else:
            side_a, side_b = read_codings(a), read_codings(b)
            name_a, name_b = a, b
    except _BadInput as exc:
        print(f"FEL: {exc}", file=sys.stderr)
        return 1
    result = agreement(side_a, side_b)
    if getattr(args, "json", False):
        print(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        print(table_text(result, name_a, name_b))
    return 0
