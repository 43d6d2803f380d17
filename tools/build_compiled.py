"""Compile the hot tagging modules with Cython into nlp/_compiled/ (optional; see nlp/compiled.py).

    python tools/build_compiled.py [--clean] [--jobs N] [--optional]

Needs Cython (requirements.txt) and a C compiler (Debian: gcc). The modules are built in ``--jobs`` processes
(default: one per CPU). The sources are not changed: each module is
compiled as it is, with annotations not used as C types, so it computes exactly what the ``.py`` does. A
module's augmenting ``.pxd`` beside its ``.py`` (C integer types for the positions and counters of its hottest
loops, values that always fit; a class as an extension type whose attributes stay Python objects) is compiled
with it.
A module whose build fails keeps running as Python; the exit code is then 1, or 0 with ``--optional`` (the
install commands of the README: without Cython or a compiler the app still runs, slower, and says so).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.compiled import COMPILED_DIR, MODULES, compiled_path, pxd_path, source_hash, source_path, stamp_path  # noqa: E402


def build(module: str, tmp: Path) -> None:
    """Compile one module and put its extension and source stamp in nlp/_compiled/."""
    from Cython.Build import cythonize
    from setuptools import Extension
    from setuptools.dist import Distribution

    src = source_path(module)
    digest = source_hash(module)  # the source compiled is the one stamped
    work = tmp / module
    work.mkdir(parents=True)
    copy = work / src.name
    shutil.copyfile(src, copy)
    pxd = pxd_path(module)
    if pxd.exists():  # the augmenting .pxd (C types of locals) must lie beside the copy to be read
        shutil.copyfile(pxd, work / pxd.name)
    ext = Extension(module, [str(copy)], extra_compile_args=["-O2"])
    # (include_path: the shared .pxd a module's .pxd cimports, e.g. nlp/positions.pxd, found in the tree)
    exts = cythonize([ext], quiet=True, build_dir=str(work / "c"), include_path=[str(ROOT)],
                     compiler_directives={"language_level": 3, "annotation_typing": False})
    dist = Distribution({"ext_modules": exts})
    cmd = dist.get_command_obj("build_ext")
    cmd.build_lib = str(work / "lib")
    cmd.build_temp = str(work / "tmp")
    cmd.ensure_finalized()
    cmd.run()
    built = next((work / "lib").rglob(src.stem + ".*.so"))
    COMPILED_DIR.mkdir(exist_ok=True)
    shutil.copyfile(built, compiled_path(module))
    stamp_path(module).write_text(digest + "\n", encoding="ascii")


def _build_one(module: str, tmp: str) -> tuple[str, str]:
    """Build one module in its own process; (module, '' or the error's text)."""
    try:
        build(module, Path(tmp))
        return module, ""
    except Exception as e:  # a failed module stays pure Python
        stamp_path(module).unlink(missing_ok=True)
        return module, str(e) or type(e).__name__


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clean", action="store_true", help="remove the compiled modules and stop")
    ap.add_argument("--jobs", type=int, default=0, help="processes building modules at once (0: one per CPU)")
    ap.add_argument("--optional", action="store_true",
                    help="exit 0 when Cython, a C compiler or a module's build is missing (Python is used)")
    args = ap.parse_args(argv)
    if args.clean:
        shutil.rmtree(COMPILED_DIR, ignore_errors=True)
        return 0
    fail = 0 if args.optional else 1
    try:
        import Cython  # noqa: F401
    except ImportError:
        print("varning: Cython saknas (pip install -r requirements.txt); taggningsmodulerna körs som Python, "
              "långsammare", file=sys.stderr)
        return fail
    shutil.rmtree(COMPILED_DIR, ignore_errors=True)  # no extension of an older build or module list stays
    COMPILED_DIR.mkdir(exist_ok=True)
    jobs = args.jobs or os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        if jobs == 1:
            results = [_build_one(m, tmp) for m in MODULES]
        else:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=min(jobs, len(MODULES))) as pool:
                results = list(pool.map(_build_one, MODULES, [tmp] * len(MODULES)))
    failed = [m for m, err in results if err]
    for module, err in results:
        if err:
            print(f"{module}: kunde inte kompileras ({err}); Python-versionen används", file=sys.stderr)
        else:
            print(f"{module}: kompilerad")
    return fail if failed else 0


if __name__ == "__main__":
    sys.exit(main())
