"""Every JSON Lines argument of the command line is read by one reader: bad input is a Swedish message
naming the file and the line, exit 1, never a traceback — also a line nested too deep for the parser."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from errors import SvarsanalysError
from jsonl_input import json_lines

ROOT = Path(__file__).resolve().parents[1]


class _Bad(SvarsanalysError):
    pass


def _deep(tmp_path: Path) -> Path:
    p = tmp_path / "djup.jsonl"
    p.write_text('{"id": "a", "text": "Mobila team."}\n' + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    return p


def test_json_lines_numbers_the_lines_and_skips_blank_ones(tmp_path):
    p = tmp_path / "s.jsonl"
    p.write_bytes(b'\xef\xbb\xbf{"id": 1}\n\n  \n[2]\n')
    assert json_lines(p, _Bad) == [(1, {"id": 1}), (4, [2])]


@pytest.mark.parametrize("content, message", [
    (None, "s.jsonl: filen finns inte."),
    (b"\xff\xfe{", "s.jsonl: filen är inte UTF-8-kodad text."),
    (b'{"id": 1}\n{"id": \n', "s.jsonl, rad 2: ogiltig JSON"),
])
def test_json_lines_says_what_is_wrong(tmp_path, content, message):
    p = tmp_path / "s.jsonl"
    if content is not None:
        p.write_bytes(content)
    with pytest.raises(_Bad, match=message.replace(".", r"\.")):
        json_lines(p, _Bad)
    with pytest.raises(_Bad, match="mapp"):
        json_lines(tmp_path, _Bad)
    p.write_bytes(b"x" * 20)
    with pytest.raises(_Bad, match="för stor"):
        json_lines(p, _Bad, max_bytes=10)


def test_a_line_nested_too_deep_is_a_message_in_every_command(tmp_path):
    deep = str(_deep(tmp_path))
    out = str(tmp_path / "ut.jsonl")
    for args in (["tag", "--in", deep, "--out", out], ["eval", "--gold", deep], ["cluster", "--in", deep, "--out", out],
                 ["agreement", "--a", deep, "--b", deep]):
        r = subprocess.run([sys.executable, "cli.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert r.returncode == 1, (args, r.stderr[-400:])
        assert "Traceback" not in r.stderr and "rad 2: ogiltig JSON (för djupt nästlad)" in r.stderr, (args, r.stderr[-400:])
        assert "djup.jsonl" in r.stderr
