"""Compile the hot tagging modules with Cython into nlp/_compiled/ (optional; see nlp/compiled.py).

    python tools/build_compiled.py [--clean]

Needs Cython (requirements-dev.txt) and a C compiler. The sources are not changed: each module is
compiled as it is, with annotations not used as C types, so it computes exactly what the ``.py`` does. A
module's augmenting ``.pxd`` beside its ``.py`` (C integer types for the positions and counters of its hottest
loops, values that always fit; a class as an extension type whose attributes stay Python objects) is compiled
with it.
A module whose build fails keeps running as Python; the exit code is then 1.
"""
from __future__ import annotations

import argparse
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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clean", action="store_true", help="remove the compiled modules and stop")
    args = ap.parse_args(argv)
    if args.clean:
        shutil.rmtree(COMPILED_DIR, ignore_errors=True)
        return 0
    failed = []
    shutil.rmtree(COMPILED_DIR, ignore_errors=True)  # no extension of an older build or module list stays
    with tempfile.TemporaryDirectory() as tmp:
        for module in MODULES:
            try:
                build(module, Path(tmp))
                print(f"{module}: kompilerad")
            except Exception as e:  # a failed module stays pure Python
                stamp_path(module).unlink(missing_ok=True)
                failed.append(module)
                print(f"{module}: kunde inte kompileras ({e}); Python-versionen används", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
