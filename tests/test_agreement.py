"""Inter-coder agreement: literature examples, independent cross-checks and the `cli.py agreement` contract."""
from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import krippendorff
import pytest
from sklearn.metrics import cohen_kappa_score

from nlp.agreement import agreement, cohen_kappa, krippendorff_alpha_binary, span_overlap, table

ROOT = Path(__file__).resolve().parents[1]


def test_krippendorff_reliability_data_example():
    """Krippendorff (2011), 'Computing Krippendorff's Alpha-Reliability', binary data, 2 observers:
    α = 1 − (20 − 1)·4 / (14·6) = 0.095."""
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    both, only_a, only_b, neither = table(map(bool, a), map(bool, b))
    alpha = krippendorff_alpha_binary(both, only_a, only_b, neither)
    assert alpha == pytest.approx(1 - 19 * 4 / (14 * 6))
    assert round(alpha, 3) == 0.095


def test_cohen_kappa_textbook_example():
    """Two readers of 50 grant proposals: 20 yes/yes, 5 A-yes/B-no, 10 A-no/B-yes, 15 no/no:
    p_o = 0.70, p_e = 0.50, κ = 0.40 (the worked example in the Cohen's kappa literature)."""
    assert cohen_kappa(20, 5, 10, 15) == pytest.approx(0.4)


def test_random_tables_match_sklearn_and_the_krippendorff_package():
    rng = random.Random(18)
    checked = 0
    for _ in range(300):
        n = rng.randint(2, 40)
        pa, pb = rng.random(), rng.random()
        a = [rng.random() < pa for _ in range(n)]
        b = [x if rng.random() < 0.6 else rng.random() < pb for x in a]
        if len(set(a) | set(b)) < 2:
            continue
        cells = table(a, b)
        assert cohen_kappa(*cells) == pytest.approx(cohen_kappa_score(a, b))
        ref = krippendorff.alpha(reliability_data=[[int(x) for x in a], [int(y) for y in b]],
                                 level_of_measurement="nominal")
        assert krippendorff_alpha_binary(*cells) == pytest.approx(ref)
        checked += 1
    assert checked > 250


def test_degenerate_cases_are_null():
    # both coders used the code on every passage: expected agreement 1, κ and α undefined
    assert cohen_kappa(5, 0, 0, 0) is None and krippendorff_alpha_binary(5, 0, 0, 0) is None
    # one coder always, the other never: defined (p_e = 0), maximal disagreement
    assert cohen_kappa(0, 4, 0, 0) == 0.0
    result = agreement({"1": ["x"], "2": ["x"]}, {"1": ["x"], "2": ["x"]})
    assert result.codes["x"].agreement == 1.0 and result.codes["x"].kappa is None
    assert result.mean_kappa is None


def test_agreement_uses_common_passages_and_leaves_unused_codes_out():
    a = {"1": ["x", "y"], "2": [], "3": ["x"], "only_a": ["q"]}
    b = {"1": ["x"], "2": ["y"], "3": ["x"], "only_b": ["z"]}
    result = agreement(a, b)
    assert result.passages == 3
    assert set(result.codes) == {"x", "y"}  # q and z are outside the common passages
    y = result.codes["y"]
    assert (y.a, y.b, y.agreement) == (1, 1, pytest.approx(1 / 3))
    assert y.kappa == pytest.approx(cohen_kappa_score([1, 0, 0], [0, 1, 0]))
    assert result.mean_kappa == pytest.approx((1.0 + y.kappa) / 2)


def test_span_overlap():
    assert span_overlap([(0, 10)], [(0, 10)]) == 1.0
    assert span_overlap([(0, 10)], [(5, 15)]) == pytest.approx(5 / 15)
    assert span_overlap([(0, 4)], [(6, 9)]) == 0.0
    assert span_overlap([], []) is None


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), "agreement", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def _write(path: Path, rows: list[dict]) -> str:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def test_cli_json_contract(tmp_path):
    a = _write(tmp_path / "a.jsonl", [{"id": "p1", "codes": ["mobila_team"]}, {"id": "p2", "codes": []},
                                      {"id": "p3", "codes": ["mobila_team", "sip"]}, {"id": "p4", "codes": ["sip"]}])
    b = _write(tmp_path / "b.jsonl", [{"id": "p1", "codes": ["mobila_team"]}, {"id": "p2", "codes": ["sip"]},
                                      {"id": "p3", "codes": ["mobila_team"]}, {"id": "p9", "codes": ["annat"]}])
    done = _cli("--a", a, "--b", b, "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(out) == {"passages", "codes", "mean_kappa"}
    assert out["passages"] == 3
    assert set(out["codes"]) == {"mobila_team", "sip"}
    assert out["codes"]["mobila_team"] == {"agreement": 1.0, "kappa": 1.0, "alpha": 1.0, "a": 2, "b": 2}
    sip = out["codes"]["sip"]
    assert (sip["a"], sip["b"]) == (1, 1)
    assert sip["agreement"] == pytest.approx(1 / 3)
    assert sip["kappa"] == pytest.approx(cohen_kappa_score([0, 0, 1], [0, 1, 0]))
    assert sip["alpha"] == pytest.approx(krippendorff.alpha(reliability_data=[[0, 0, 1], [0, 1, 0]],
                                                            level_of_measurement="nominal"))
    assert out["mean_kappa"] == pytest.approx((1.0 + sip["kappa"]) / 2)
    every = _write(tmp_path / "c.jsonl", [{"id": "p1", "codes": ["x"]}, {"id": "p2", "codes": ["x"]}])
    out = json.loads(_cli("--a", every, "--b", every, "--json").stdout.strip().splitlines()[-1])
    assert out == {"passages": 2, "codes": {"x": {"agreement": 1.0, "kappa": None, "alpha": None, "a": 2, "b": 2}},
                   "mean_kappa": None}

    plain = _cli("--a", a, "--b", b)
    assert plain.returncode == 0 and "gemensamma passager" in plain.stdout and "Cohens κ" in plain.stdout


def test_cli_bad_input_and_usage(tmp_path):
    good = _write(tmp_path / "a.jsonl", [{"id": 1, "codes": ["x"]}])
    bad = tmp_path / "trasig.jsonl"
    bad.write_text('{"id": 1, "codes": ["x"]}\n{inte json\n', encoding="utf-8")
    done = _cli("--a", good, "--b", str(bad), "--json")
    assert done.returncode == 1 and "trasig.jsonl" in done.stderr and "rad 2" in done.stderr
    assert "Traceback" not in done.stderr
    wrong = _write(tmp_path / "fel.jsonl", [{"id": 1, "codes": "x"}])
    done = _cli("--a", good, "--b", wrong)
    assert done.returncode == 1 and "fel.jsonl" in done.stderr
    missing = _cli("--a", good, "--b", str(tmp_path / "saknas.jsonl"))
    assert missing.returncode == 1 and "saknas.jsonl" in missing.stderr
    empty = tmp_path / "tom.jsonl"
    empty.write_text("\n", encoding="utf-8")
    done = _cli("--a", good, "--b", str(empty))
    assert done.returncode == 1 and "tom.jsonl" in done.stderr
    import sqlite3

    foreign = tmp_path / "annan.sqlite"
    sqlite3.connect(foreign).execute("CREATE TABLE x (y)").connection.commit()
    done = _cli("--db", str(foreign), "--coder", "A", "--coder", "B")
    assert done.returncode == 1 and "annan.sqlite" in done.stderr
    assert sqlite3.connect(foreign).execute("PRAGMA user_version").fetchone()[0] == 0  # left untouched
    assert _cli("--a", good).returncode == 2
    assert _cli("--db", "x.sqlite", "--coder", "Anna").returncode == 2
    assert _cli("--a", good, "--b", good, "--db", "x.sqlite", "--coder", "A", "--coder", "B").returncode == 2


def test_cli_db_mode_compares_two_coders(tmp_path):
    from tests.test_export_support import build_project

    store = build_project(tmp_path / "p.sqlite")
    answers = [a.id for a in store.answers()][:4]
    store.assign(answers, ["Anna", "Bo"], sample="test")
    texts = {a.id: a.text for a in store.answers()}
    store.add_coder_codings([(answers[0], "Anna", "mobila_team", 0, 5), (answers[1], "Anna", "sip", 0, 3),
                             (answers[0], "Bo", "mobila_team", 0, 4), (answers[2], "Bo", "sip", 0, 3)])
    for aid in answers[:3]:
        store.set_assignment_done(aid, "Anna")
        store.set_assignment_done(aid, "Bo")
    assert all(len(texts[a]) >= 5 for a in answers[:3])
    store.close()
    done = _cli("--db", str(tmp_path / "p.sqlite"), "--coder", "Anna", "--coder", "Bo", "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["passages"] >= 3
    assert out["codes"]["sip"]["a"] == 1 and out["codes"]["sip"]["b"] == 1
    unknown = _cli("--db", str(tmp_path / "p.sqlite"), "--coder", "Anna", "--coder", "Ingen")
    assert unknown.returncode == 1 and "Ingen" in unknown.stderr
    # the message lists the coders there are, and names the tagger, which is a coder too
    assert "(kodare: Anna, Bo; taggaren är den automatiska taggaren)" in unknown.stderr, unknown.stderr
    tagger = _cli("--db", str(tmp_path / "p.sqlite"), "--coder", "Anna", "--coder", "taggaren", "--json")
    assert tagger.returncode == 0, tagger.stderr
