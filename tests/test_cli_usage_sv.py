"""Usage errors of `cli.py` read in Swedish and exit with 2, as README's table promises."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cli import usage_message_sv

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("args, expected", [
    (["compare", "--db", "p.sqlite", "--from", "2021"], "FEL: följande argument krävs: --to, --out"),
    (["coverage", "--db", "p.sqlite", "--bogus"], "FEL: okända argument: --bogus"),
    (["cluster", "--in", "a", "--out", "b", "--k", "x"], "FEL: argument --k: 'x' är inte ett heltal"),
    (["export", "--db", "p.sqlite", "--format", "pdf", "--out", "x"],
     "FEL: argument --format: ogiltigt val 'pdf' (välj bland 'xlsx', 'csv', 'docx', 'qdpx', 'qdc')"),
])
def test_usage_errors_are_swedish_with_exit_2(tmp_path, args, expected):
    done = subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == expected, done.stderr
    assert done.stdout == ""


def test_unknown_message_is_left_as_it_is():
    assert usage_message_sv("något helt annat") == "något helt annat"


def test_output_into_a_closed_pipe_gives_no_traceback(tmp_path):
    """`python cli.py coverage … | head` printed a BrokenPipeError traceback in English."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    answers = tmp_path / "svar.txt"
    answers.write_text("Svar från: Region Dalarna\n\n" + "".join(
        f"Fråga {q}. Beskriv.\n\nMobila team finns i hela länet och SIP används i alla kommuner.\n\n"
        for q in ("5a", "6", "8a", "13a")), encoding="utf-8")
    db = tmp_path / "p.sqlite"
    subprocess.run([sys.executable, "cli.py", "import", str(answers), "--db", str(db), "--no-analyse"], cwd=root,
                   check=True, capture_output=True, timeout=120)
    proc = subprocess.Popen([sys.executable, "cli.py", "coverage", "--db", str(db)], cwd=root,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before the command writes
    err = proc.stderr.read().decode("utf-8")
    proc.wait(120)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert proc.returncode == 1


def test_help_reads_swedish_and_every_option_says_what_it_does():
    from cli import COMMAND_MODULES, build_parser

    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, __import__("argparse")._SubParsersAction))
    assert set(subparsers.choices) == set(COMMAND_MODULES)
    for name, sub in [("cli.py", parser), *subparsers.choices.items()]:
        text = sub.format_help()
        assert text.startswith("användning: "), (name, text[:80])
        for english in ("usage:", "options:", "positional arguments", "show this help message"):
            assert english not in text, (name, english)
        for action in sub._actions:
            if action.option_strings or action.dest not in ("command",):
                assert action.help, (name, action.option_strings or action.dest)
