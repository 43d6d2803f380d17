"""The compiled modules (nlp/compiled.py) hold no reference-count error: each built module imported alone in a
fresh interpreter exits cleanly, and no module compiled by tools/build_compiled.py runs a list, set or dict
comprehension at module level (Cython 3.3.1 releases a reference to None it never took for each loop variable
of such a comprehension every time it runs; on CPython 3.11 enough of them abort the interpreter at exit with
"none_dealloc: deallocating None")."""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import nlp.compiled as compiled

ROOT = Path(__file__).resolve().parents[1]
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def _module_level_comprehensions(source: str) -> list[int]:
    """Line numbers of the list/set/dict comprehensions outside every function (module or class body)."""
    found: list[int] = []

    def walk(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, _SCOPES):
                continue
            if isinstance(child, _COMPREHENSIONS):
                found.append(child.lineno)
            walk(child)

    walk(ast.parse(source))
    return found


def test_the_comprehension_check_finds_module_level_ones_only():
    src = ("A = [x for x in range(3)]\n"
           "B = {k: [v for v in range(k)] for k in range(3)}\n"
           "class C:\n    D = {x for x in 'ab'}\n"
           "def f():\n    return [x for x in range(3)]\n"
           "g = lambda: {x: x for x in 'ab'}\n"
           "E = tuple(x for x in range(3))\n")
    assert _module_level_comprehensions(src) == [1, 2, 2, 4]


@pytest.mark.parametrize("module", compiled.MODULES)
def test_no_comprehension_runs_at_module_level_in_a_compiled_module(module):
    source = compiled.source_path(module).read_text(encoding="utf-8")
    assert _module_level_comprehensions(source) == [], (
        f"{module}: a module-level comprehension (build the value in a function; see nlp/compiled.py)")


@pytest.mark.parametrize("module", compiled.MODULES)
def test_a_compiled_module_imported_alone_exits_cleanly(module):
    if not compiled.usable(module):
        pytest.skip(f"{module} is not built from its current source (python tools/build_compiled.py)")
    env = {k: v for k, v in os.environ.items() if k != "SVARSANALYS_COMPILED"}
    code = (f"import {module} as m, sys\n"
            f"assert m.__file__ == {str(compiled.compiled_path(module))!r}, m.__file__\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, f"{module}: rc {r.returncode}\n{r.stderr[-2000:]}"
    assert "Fatal Python error" not in r.stderr
