"""`python cli.py cluster --in PASSAGES.jsonl --out CLUSTERS.jsonl [--k N]`: contract and bad input."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import cli
from tests.test_cluster_data import themed

ROOT = Path(__file__).resolve().parents[1]


def _write(path: Path, rows) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture()
def passages(tmp_path):
    texts, _ = themed()
    rows = [{"id": f"p{i}", "text": t} for i, t in enumerate(texts)]
    rows.append({"id": 42, "text": ""})  # an empty passage still gets a line
    return _write(tmp_path / "in.jsonl", rows), rows


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_one_line_per_input_same_order(passages, tmp_path):
    inp, rows = passages
    out = tmp_path / "out.jsonl"
    assert cli.main(["cluster", "--in", str(inp), "--out", str(out)]) == 0
    got = _read(out)
    assert [g["id"] for g in got] == [r["id"] for r in rows]
    assert all(set(g) == {"id", "cluster", "label"} for g in got)
    assert all(isinstance(g["cluster"], int) and isinstance(g["label"], str) for g in got)
    # same cluster -> same label; the themes are not mixed
    _, themes = themed()
    by_cluster: dict[int, set] = {}
    for g, theme in zip(got, themes):
        by_cluster.setdefault(g["cluster"], set()).add(theme)
        assert g["label"] == next(x["label"] for x in got if x["cluster"] == g["cluster"])
    assert all(len(v) == 1 for v in by_cluster.values())


def test_k_sets_number_of_clusters(passages, tmp_path):
    inp, _ = passages
    out = tmp_path / "out.jsonl"
    assert cli.main(["cluster", "--in", str(inp), "--out", str(out), "--k", "2"]) == 0
    assert len({g["cluster"] for g in _read(out)}) == 2


@pytest.mark.parametrize("content,needle", [
    (b'{"id": "a", "text": "Mobila team."}\n{"id": "b"}\n', "rad 2"),
    (b'{"id": "a", "text": "Mobila team."}\nnot json\n', "ogiltig JSON"),
    (b'["a", "b"]\n', "JSON-objekt"),
    (b'{"text": "utan id"}\n', "'id' saknas"),
    (b'\xff\xfe\x00bad', "UTF-8"),
])
def test_bad_input_swedish_message_exit_1(tmp_path, capsys, content, needle):
    inp = tmp_path / "dålig.jsonl"
    inp.write_bytes(content)
    code = cli.main(["cluster", "--in", str(inp), "--out", str(tmp_path / "o.jsonl")])
    err = capsys.readouterr().err
    assert code == 1 and needle in err and "dålig.jsonl" in err
    assert not (tmp_path / "o.jsonl").exists()


def test_missing_file_and_bad_k(tmp_path, capsys, passages):
    assert cli.main(["cluster", "--in", str(tmp_path / "saknas.jsonl"), "--out", str(tmp_path / "o.jsonl")]) == 1
    assert "saknas.jsonl: filen finns inte" in capsys.readouterr().err
    inp, _ = passages
    with pytest.raises(SystemExit) as bad_k:  # a bad option value is a usage error, as --k abc (qa23)
        cli.main(["cluster", "--in", str(inp), "--out", str(tmp_path / "o.jsonl"), "--k", "0"])
    assert bad_k.value.code == 2
    assert "FEL: argument --k: ska vara ett positivt heltal (fick 0)" in capsys.readouterr().err
    assert not (tmp_path / "o.jsonl").exists()
    assert cli.main(["cluster", "--in", str(inp), "--out", str(tmp_path / "nomapp" / "o.jsonl")]) == 1
    assert "finns inte" in capsys.readouterr().err


def test_empty_input_gives_empty_output(tmp_path):
    inp = tmp_path / "tom.jsonl"
    inp.write_text("\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    assert cli.main(["cluster", "--in", str(inp), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == ""


def test_real_process_no_traceback(tmp_path):
    inp = tmp_path / "in.jsonl"
    inp.write_text('{"id": "x", "text": 5}\n', encoding="utf-8")
    proc = subprocess.run([sys.executable, "cli.py", "cluster", "--in", str(inp), "--out", str(tmp_path / "o.jsonl")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "'text'" in proc.stderr
