"""`python cli.py cluster --in PASSAGES.jsonl --out CLUSTERS.jsonl [--k N]`.

Input lines: {"id", "text"}. Output: one line per input, same order: {"id", "cluster": int,
"label": str}. Clusters are numbered by size (0 = largest); the label is the cluster's top terms.
The number of clusters is chosen automatically unless --k is given. Bad input -> Swedish message
on stderr naming the file, exit 1; a bad --k is a usage error, exit 2; never a traceback.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from errors import SvarsanalysError


class InputError(SvarsanalysError):
    """Bad input; the message is Swedish and names the file."""


def _err(msg: str) -> None:
    print(f"FEL: {msg}", file=sys.stderr)


def read_passages(path: str) -> list[tuple[object, str]]:
    """(id, text) pairs of a passages JSONL file; InputError with a Swedish message otherwise."""
    from config import MAX_FILE_BYTES
    from jsonl_input import json_lines

    name = Path(path).name or str(path)
    out: list[tuple[object, str]] = []
    for n, obj in json_lines(path, InputError, max_bytes=MAX_FILE_BYTES):
        if not isinstance(obj, dict):
            raise InputError(f"{name}, rad {n}: raden ska vara ett JSON-objekt med 'id' och 'text'.")
        if "id" not in obj or obj["id"] is None:
            raise InputError(f"{name}, rad {n}: fältet 'id' saknas.")
        if isinstance(obj["id"], (dict, list)):
            raise InputError(f"{name}, rad {n}: fältet 'id' ska vara text eller ett tal.")
        if not isinstance(obj.get("text"), str):
            raise InputError(f"{name}, rad {n}: fältet 'text' saknas eller är inte text.")
        out.append((obj["id"], obj["text"]))
    return out


def _write_atomic(path: str, lines: list[str]) -> None:
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"{target.name}: mappen {directory} finns inte.")
    fd, tmp = tempfile.mkstemp(prefix=".cluster-", suffix=".jsonl", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            for line in lines:
                fh.write(line + "\n")
        os.replace(tmp, target)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise InputError(f"{target.name}: filen kan inte skrivas ({e.strerror or e}).") from None


def run(args) -> int:
    """Entry point called by cli.py."""
    try:
        k = getattr(args, "k", None)
        if k is not None and k < 1:  # cli.py's parser refuses it first; a usage error either way
            print(f"FEL: --k ska vara ett positivt heltal (fick {k}).", file=sys.stderr)
            return 2
        passages = read_passages(args.inp)
        from nlp.clustering import ExcerptClusterer, describe

        texts = [t for _, t in passages]
        if texts:
            est = ExcerptClusterer(n_clusters=k).fit(texts)
            infos = describe(est)
            labels = {c.number: c.label for c in infos}
            assigned = est.labels_.tolist()
        else:
            labels, assigned = {}, []
        lines = [json.dumps({"id": pid, "cluster": int(c), "label": labels.get(int(c), "")}, ensure_ascii=False)
                 for (pid, _), c in zip(passages, assigned)]
        _write_atomic(args.out, lines)
    except InputError as e:
        _err(str(e))
        return 1
    except MemoryError:
        _err(f"{Path(args.inp).name}: för mycket text för att klustra i minnet.")
        return 1
    except Exception as e:  # never a traceback for the analyst
        _err(f"{Path(args.inp).name}: klustringen misslyckades ({type(e).__name__}: {e}).")
        return 1
    sizes: dict[int, int] = {}
    for c in assigned:
        sizes[c] = sizes.get(c, 0) + 1
    print(f"{len(passages)} passager i {len(sizes)} kluster -> {args.out}", file=sys.stderr)
    return 0
