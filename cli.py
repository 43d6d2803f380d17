"""Svarsanalys command line: `python cli.py <command> ...`.

The commands, their options, exit codes and JSON formats are a contract used by
automated checks; see README.md. Each command lives in `commands/<name>.py` and
is imported only when called, so start-up stays fast.
"""
from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys

from errors import ConfigError


_USAGE_SV = [  # argparse's usage errors in Swedish (the option names stay as typed)
    (r"the following arguments are required: (.*)", r"följande argument krävs: \1"),
    (r"unrecognized arguments: (.*)", r"okända argument: \1"),
    (r"argument (.*?): invalid choice: (.*) \(choose from (.*)\)", r"argument \1: ogiltigt val \2 (välj bland \3)"),
    (r"argument (.*?): expected one argument", r"argument \1: ett värde krävs"),
    (r"argument (.*?): invalid int value: (.*)", r"argument \1: \2 är inte ett heltal"),
    (r"argument (.*?): invalid float value: (.*)", r"argument \1: \2 är inte ett tal"),
    (r"argument (.*?): invalid (\w+) value: (.*)", r"argument \1: ogiltigt värde \3"),
    (r"one of the arguments (.*) is required", r"ett av argumenten \1 krävs"),
    (r"argument (.*?): not allowed with argument (.*)", r"argument \1: kan inte användas med \2"),
]


def _int_at_least(low: int, what: str):
    """An argparse type: an integer of at least `low`; anything else is a usage error (exit 2) whose
    Swedish message argparse prefixes with the option's name ("argument --k: …")."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} är inte ett heltal") from None
        if number < low:
            raise argparse.ArgumentTypeError(f"ska vara {what} (fick {number})")
        return number

    return parse


def _positive_float(value: str) -> float:
    """An argparse type: a number above 0 ("1", "0.5", "0,5")."""
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} är inte ett tal") from None
    if not number > 0 or number == float("inf"):
        raise argparse.ArgumentTypeError(f"ska vara ett tal större än 0 (fick {value})")
    return number


def _two_scales(value: str) -> str:
    """An argparse type for bench --scales: two numbers above 0, "A,B" (kept as typed)."""
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 2:
        raise argparse.ArgumentTypeError(f"ska vara två tal större än 0, t.ex. 1,5 (fick {value!r})")
    for part in parts:
        try:
            ok = 0 < float(part) < float("inf")
        except ValueError:
            ok = False
        if not ok:
            raise argparse.ArgumentTypeError(f"ska vara två tal större än 0, t.ex. 1,5 (fick {value!r})")
    return ",".join(parts)


def usage_message_sv(message: str) -> str:
    """An argparse usage error in Swedish; an unknown message is returned as it is."""
    import re

    for pattern, swedish in _USAGE_SV:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, swedish, message)
    return message


class _Formatter(argparse.HelpFormatter):
    """argparse's help in Swedish: the usage line's prefix."""

    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: D401
        super().add_usage(usage, actions, groups, "användning: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse in Swedish: help titles and texts, and exit 2 with a Swedish hint on usage errors."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argument"
        self._optionals.title = "flaggor"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help="visa den här hjälpen och avsluta")

    def error(self, message: str) -> None:  # noqa: D401
        self.print_usage(sys.stderr)
        print(f"FEL: {usage_message_sv(message)}", file=sys.stderr)
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="cli.py", description="Svarsanalys: kvalitativ analys av fritextsvar.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, title="kommandon", metavar="KOMMANDO")

    p = sub.add_parser("import", help="importera svarsfiler eller mappar till ett projekt")
    p.add_argument("paths", nargs="+", metavar="PATH", help="svarsfiler eller mappar (även undermappar)")
    p.add_argument("--db", required=True, metavar="PROJECT.sqlite", help="projektfilen (skapas om den saknas)")
    p.add_argument("--round", dest="round_label", default=None, metavar="LABEL",
                   help="omgången svaren hör till, t.ex. 2022 eller 2022-del")
    p.add_argument("--no-analyse", dest="analyse", action="store_false",
                   help="bara läsa in filerna; tagga och klustra senare (cli.py tag --db)")

    p = sub.add_parser("answers", help="skriv alla lagrade svar som JSON-rader")
    p.add_argument("--db", required=True, metavar="PROJECT.sqlite", help="projektfilen")

    p = sub.add_parser("tag", help="tagga passager (--in/--out) eller ett helt projekt (--db)")
    p.add_argument("--in", dest="inp", metavar="PASSAGES.jsonl",
                   help='passager att tagga, en JSON-rad var: {"id", "text", "question" (valfri)}')
    p.add_argument("--out", metavar="TAGS.jsonl", help="taggarna, en JSON-rad per passage i samma ordning")
    p.add_argument("--db", metavar="PROJECT.sqlite", help="tagga om alla svar i projektet i stället")
    p.add_argument("--codebook", metavar="PATH", help="kodbok (.yaml); standard är den medföljande")
    p.add_argument("--jobs", type=_int_at_least(0, "ett heltal 0 eller större"), default=1, metavar="N",
                   help="antal processer som taggar --in-filens omgångar om 2 000 passager samtidigt "
                        "(1 = en process, standard; 0 = en per processorkärna); samma utfil")

    p = sub.add_parser("eval", help="utvärdera taggningen mot guldstandard")
    p.add_argument("--gold", required=True, nargs="+", metavar="FILE.jsonl",
                   help='guldstandard, en JSON-rad var: {"id", "text", "codes"}; flera filer utvärderas var för sig '
                        "i samma process")
    p.add_argument("--codebook", metavar="PATH", help="kodbok (.yaml); standard är den medföljande")

    p = sub.add_parser("cluster", help="klustra passager")
    p.add_argument("--in", dest="inp", required=True, metavar="PASSAGES.jsonl", help='passager, en JSON-rad var: {"id", "text"}')
    p.add_argument("--out", required=True, metavar="CLUSTERS.jsonl", help='en JSON-rad per passage: {"id", "cluster", "label"}')
    p.add_argument("--k", type=_int_at_least(1, "ett positivt heltal"), default=None, metavar="N",
                   help="antal kluster (standard: väljs automatiskt)")

    p = sub.add_parser("export", help="exportera kodade utdrag")
    p.add_argument("--db", required=True, metavar="PROJECT.sqlite", help="projektfilen")
    p.add_argument("--format", required=True, choices=["xlsx", "csv", "docx", "qdpx", "qdc"],
                   help="Excel, CSV, Word-rapport, REFI-QDA-projekt eller REFI-QDA-kodbok")
    p.add_argument("--out", required=True, metavar="FILE", help="filen som skrivs")
    p.add_argument("--include-suggestions", action="store_true", help="ta med förslag som inte granskats")

    p = sub.add_parser("coverage", help="täckning per kod: regioner, län med kommunsvar, kommuner")
    p.add_argument("--db", required=True, metavar="PROJECT.sqlite", help="projektfilen")
    p.add_argument("--code", metavar="C", help="bara den här koden (kod-id)")
    p.add_argument("--round", metavar="R", help="bara den här omgången")
    p.add_argument("--include-suggestions", action="store_true", help="räkna med förslag som inte granskats")
    p.add_argument("--json", action="store_true", help="skriv JSON i stället för en tabell")

    p = sub.add_parser("bench", help="mät prestanda på en genererad nationell korpus")
    p.add_argument("--scale", type=_positive_float, default=1.0, metavar="N", help="korpusens storlek i miljoner ord (standard 1)")
    p.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    p.add_argument("--repeat", type=_int_at_least(1, "ett positivt heltal"), default=1, metavar="N", help="kör tunga steg N gånger (median)")
    p.add_argument("--no-cli", action="store_true", help="hoppa över processmätningarna av cli.py tag")
    p.add_argument("--linearity", action="store_true", help="kör flera skalor och jämför (standard 1 och 5)")
    p.add_argument("--scales", type=_two_scales, default="1,5", metavar="A,B", help="skalorna för --linearity")

    p = sub.add_parser("members", help="hantera projektets medlemmar och roller (teamserver)")
    p.add_argument("--db", required=True, metavar="PROJECT.sqlite", help="projektfilen")
    p.add_argument("--add", metavar="EMAIL", help="lägg till (eller byt roll på) en medlem")
    p.add_argument("--role", choices=["ägare", "analytiker", "läsare"], help="rollen för --add")
    p.add_argument("--remove", metavar="EMAIL", help="ta bort en medlem")
    p.add_argument("--list", action="store_true", help="lista medlemmarna, en per rad (e-post och roll)")
    p.add_argument("--json", action="store_true", help="med --list: skriv en JSON-lista")
    p = sub.add_parser("compare", help="jämför två omgångar per respondent och kod (JSON-rader)")
    p.add_argument("--db", required=True, metavar="PROJECT.sqlite", help="projektfilen")
    p.add_argument("--from", dest="from_round", required=True, metavar="R1", help="den tidigare omgången")
    p.add_argument("--to", dest="to_round", required=True, metavar="R2", help="den senare omgången")
    p.add_argument("--code", default=None, metavar="C", help="bara den här koden (kod-id)")
    p.add_argument("--include-suggestions", action="store_true", help="räkna med förslag som inte granskats")
    p.add_argument("--out", required=True, metavar="FILE.jsonl", help="en JSON-rad per respondent och kod")
    p = sub.add_parser("agreement", help="överensstämmelse mellan två kodare (Cohens κ, Krippendorffs α)")
    p.add_argument("--a", metavar="A.jsonl", help='kodare A, en JSON-rad per passage: {"id", "codes"}')
    p.add_argument("--b", metavar="B.jsonl", help="kodare B, samma format")
    p.add_argument("--db", metavar="PROJECT.sqlite", help="jämför två kodare i ett projekt i stället")
    p.add_argument("--coder", action="append", metavar="NAMN", help="med --db: en kodare (ange två gånger)")
    p.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    p = sub.add_parser("simulate-review", help="simulera en analytikers granskning och mät vad projektet lär sig")
    p.add_argument("--gold", required=True, metavar="FILE.jsonl", help='guldstandard: {"id", "text", "codes"} per rad')
    p.add_argument("--reviews", required=True, type=_int_at_least(0, "ett heltal 0 eller större"), metavar="N", help="så många passager (i filens ordning) granskas")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="slumpfrö (standard 0)")
    return parser


COMMAND_MODULES = {
    "import": "commands.import_files",
    "answers": "commands.answers",
    "tag": "commands.tag",
    "eval": "commands.evaluate",
    "cluster": "commands.cluster",
    "export": "commands.export",
    "bench": "commands.bench",
    "members": "commands.members",
    "coverage": "commands.coverage",
    "compare": "commands.compare",
    "agreement": "commands.agreement",
    "simulate-review": "commands.simulate_review",
}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help(sys.stderr)
        return 2
    global _ends_fast
    _ends_fast = args.command in FAST_EXIT
    try:
        module = importlib.import_module(COMMAND_MODULES[args.command])
        return int(module.run(args) or 0)
    except ConfigError as exc:
        print(f"FEL: {exc}", file=sys.stderr)
        return 1


# Commands whose process ends without the interpreter's teardown (see :func:`end_process`): they close
# every file they write (and their project store) before they return.
FAST_EXIT = frozenset({"tag"})
_ends_fast = False  # the command main() ran is one of FAST_EXIT


def end_process(code: int) -> None:
    """End the process with ``code``. After a :data:`FAST_EXIT` command the exit handlers run (the lemma
    cache is written, multiprocessing and logging shut down) and the standard streams are flushed as at a
    normal exit, then the process ends at once: the interpreter's teardown would only free, one by one,
    the millions of objects a national round's tagging leaves (the decoded dictionary, the per-form
    memos), about 0.4 CPU s for nothing. Any other command, or a stream that cannot be flushed, ends the
    normal way."""
    if _ends_fast:
        import atexit

        atexit._run_exitfuncs()
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            sys.exit(code)  # the interpreter reports it as at a normal exit
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped early (`python cli.py coverage … | head`): no English traceback, and the
        # interpreter's own flush of stdout at exit must not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    # The process ends here: objects moved to the permanent generation are not scanned again, so
    # the interpreter's final collection does not walk the whole (large) heap of a batch command.
    gc.freeze()
    end_process(code)
