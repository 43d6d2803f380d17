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


@pytest.mark.parametrize("args, expected", [
    (["cluster", "--in", "a.jsonl", "--out", "b.jsonl", "--k", "0"],
     "FEL: argument --k: ska vara ett positivt heltal (fick 0)"),
    (["cluster", "--in", "a.jsonl", "--out", "b.jsonl", "--k", "-3"],
     "FEL: argument --k: ska vara ett positivt heltal (fick -3)"),
    (["tag", "--in", "a.jsonl", "--out", "b.jsonl", "--jobs", "-1"],
     "FEL: argument --jobs: ska vara ett heltal 0 eller större (fick -1)"),
    (["simulate-review", "--gold", "g.jsonl", "--reviews", "-2"],
     "FEL: argument --reviews: ska vara ett heltal 0 eller större (fick -2)"),
    (["bench", "--scale", "0"], "FEL: argument --scale: ska vara ett tal större än 0 (fick 0)"),
    (["bench", "--scale", "-1"], "FEL: argument --scale: ska vara ett tal större än 0 (fick -1)"),
    (["bench", "--repeat", "0"], "FEL: argument --repeat: ska vara ett positivt heltal (fick 0)"),
    (["bench", "--linearity", "--scales", "1,x"],
     "FEL: argument --scales: ska vara två tal större än 0, t.ex. 1,5 (fick '1,x')"),
    (["bench", "--linearity", "--scales", "1,5,10"],
     "FEL: argument --scales: ska vara två tal större än 0, t.ex. 1,5 (fick '1,5,10')"),
    (["import", "a.docx", "--db", "ny.sqlite", "--round", "x" * 41],
     "FEL: --round: omgångens namn är för långt (högst 40 tecken)."),
    (["members", "--db", "ny.sqlite", "--add", "inte-en-adress", "--role", "läsare"],
     "FEL: --add: 'inte-en-adress' är ingen giltig e-postadress."),
])
def test_bad_option_values_are_usage_errors(tmp_path, args, expected):
    """A value argparse takes but the command refuses is a usage error too: exit 2, a Swedish message
    naming the option, nothing written (qa23: `cluster --k 0` exited 1; `import --round` created the project)."""
    done = subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines()[-1] == expected, done.stderr
    assert done.stdout == "" and list(tmp_path.iterdir()) == []


def test_bad_k_is_a_usage_error_when_the_command_is_called_directly(tmp_path, capsys):
    import argparse

    from commands import cluster

    args = argparse.Namespace(inp=str(tmp_path / "a.jsonl"), out=str(tmp_path / "b.jsonl"), k=0)
    assert cluster.run(args) == 2
    assert "--k ska vara ett positivt heltal (fick 0)" in capsys.readouterr().err


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
