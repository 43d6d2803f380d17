"""Architecture metrics over the product code (everything except tests/, bench/, tools/).

Prints four figures:
(a) exception classes deriving directly from a built-in exception,
(b) files outside models/ that contain SQL execute calls or SQL strings,
(c) ``_private`` names imported across modules (``from x import _y``),
(d) import cycles between files: strongly connected components (>1 file) of the
    graph of all imports, including those inside functions.

Usage: python tools/arch_metrics.py [repo_root] [--verbose]
"""

from __future__ import annotations

import ast
import builtins
import sys
from pathlib import Path

EXCLUDED_TOP = {"tests", "bench", "tools", ".git", ".ci", "data", "__pycache__"}
SQL_MARKERS = (".execute(", "executescript", "SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM")
BUILTIN_EXCEPTIONS = {
    name for name, obj in vars(builtins).items()
    if isinstance(obj, type) and issubclass(obj, BaseException)
}


def product_files(root: Path) -> list[Path]:
    """Return the product's .py files, relative to root, sorted."""
    out = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if rel.parts[0] in EXCLUDED_TOP or "__pycache__" in rel.parts:
            continue
        if any(part.startswith(".") for part in rel.parts):
            continue
        out.append(rel)
    return out


def module_name(rel: Path) -> str:
    """Dotted module name of a file path relative to the repo root."""
    parts = list(rel.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def builtin_exception_classes(tree: ast.AST) -> list[str]:
    """Names of classes whose direct base is a built-in exception."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                if isinstance(base, ast.Name) and base.id in BUILTIN_EXCEPTIONS:
                    found.append(node.name)
                    break
    return found


def resolve_from(mod: str, is_pkg: bool, node: ast.ImportFrom) -> str:
    """Absolute module named by a ``from … import`` statement."""
    if not node.level:
        return node.module or ""
    base = mod.split(".") if mod else []
    if not is_pkg:
        base = base[:-1]
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    if node.module:
        base = base + node.module.split(".")
    return ".".join(base)


def imports_of(tree: ast.AST, mod: str, is_pkg: bool, modules: set[str]) -> tuple[set[str], list[str]]:
    """Project modules imported anywhere in tree, and the ``_private`` names imported from them."""
    targets: set[str] = set()
    private: list[str] = []

    def add(name: str) -> None:
        # Take the longest prefix that is a project module.
        parts = name.split(".")
        for i in range(len(parts), 0, -1):
            cand = ".".join(parts[:i])
            if cand in modules:
                targets.add(cand)
                return

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            src = resolve_from(mod, is_pkg, node)
            for alias in node.names:
                sub = f"{src}.{alias.name}" if src else alias.name
                if sub in modules:
                    targets.add(sub)
                else:
                    add(src)
                    if alias.name.startswith("_") and not alias.name.startswith("__") and src.split(".")[0] in {m.split(".")[0] for m in modules}:
                        private.append(f"{src}.{alias.name}")
    targets.discard(mod)
    return targets, private


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm (iterative); returns components with more than one node."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, it = work[-1]
            advanced = False
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph.get(nxt, ())))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    comp.append(top)
                    if top == node:
                        break
                if len(comp) > 1:
                    result.append(sorted(comp))
    return result


def measure(root: Path) -> dict[str, list]:
    """The four findings over the product code under ``root``: ``exceptions`` (file:class), ``sql``
    (files), ``private`` (file: module._name) and ``cycles`` (lists of modules)."""
    files = product_files(root)
    mod_of = {rel: module_name(rel) for rel in files}
    modules = set(mod_of.values())
    exc: list[str] = []
    sql_files: list[str] = []
    private: list[str] = []
    graph: dict[str, set[str]] = {}
    for rel in files:
        text = (root / rel).read_text(encoding="utf-8")
        tree = ast.parse(text, filename=str(rel))
        exc += [f"{rel}:{name}" for name in builtin_exception_classes(tree)]
        if rel.parts[0] != "models" and any(m in text for m in SQL_MARKERS):
            sql_files.append(str(rel))
        mod = mod_of[rel]
        targets, priv = imports_of(tree, mod, rel.name == "__init__.py", modules)
        graph[mod] = targets
        private += [f"{rel}: {p}" for p in priv]
    return {"exceptions": exc, "sql": sql_files, "private": private, "cycles": strongly_connected(graph)}


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    args = [a for a in argv if not a.startswith("--")]
    root = Path(args[0] if args else Path(__file__).resolve().parent.parent).resolve()
    found = measure(root)
    exc, sql_files, private, cycles = found["exceptions"], found["sql"], found["private"], found["cycles"]
    print(f"(a) exception classes deriving directly from a built-in exception: {len(exc)}")
    print(f"(b) files outside models/ with SQL: {len(sql_files)}")
    print(f"(c) _private names imported across modules: {len(private)}")
    print(f"(d) import cycles (SCCs with >1 file): {len(cycles)} ({sum(len(c) for c in cycles)} files)")
    if verbose:
        for label, items in (("a", exc), ("b", sql_files), ("c", private)):
            for item in items:
                print(f"  {label}: {item}")
        for comp in cycles:
            print(f"  d: {' <-> '.join(comp)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
