"""The layering rules of ARCHITECTURE.md hold over the product code (tools/arch_metrics.py)."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import arch_metrics  # noqa: E402


def test_one_error_base_no_sql_outside_models_no_private_imports_no_cycles():
    found = arch_metrics.measure(ROOT)
    assert found["exceptions"] == ["errors.py:SvarsanalysError"]  # every other error derives from it
    assert found["sql"] == []
    assert found["private"] == []
    assert found["cycles"] == []


def test_the_metrics_see_a_cycle_and_a_private_import(tmp_path):
    (tmp_path / "nlp").mkdir()
    (tmp_path / "nlp" / "__init__.py").write_text("")
    (tmp_path / "nlp" / "a.py").write_text("from nlp.b import _hidden\n")
    (tmp_path / "nlp" / "b.py").write_text("def f():\n    from nlp import a\n\n_hidden = 1\n")
    (tmp_path / "store.py").write_text("class Bad(ValueError):\n    pass\n\nQ = 'SELECT 1'\n")
    found = arch_metrics.measure(tmp_path)
    assert found["cycles"] == [["nlp.a", "nlp.b"]] or sorted(found["cycles"][0]) == ["nlp.a", "nlp.b"]
    assert found["private"] == ["nlp/a.py: nlp.b._hidden"]
    assert found["sql"] == ["store.py"] and found["exceptions"] == ["store.py:Bad"]
