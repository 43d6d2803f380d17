"""What follows every import, in the app and on the command line: tag the project, then re-cluster.

Both `cli.py import` and the Importera page call `analyse_after_import` once per batch that
stored or replaced answers, so a project holds the same suggestions and clusters whichever way
its files came in.
"""
from __future__ import annotations

from typing import Callable, Optional

from models.clusters import latest_run, run_clustering, runs
from models.tagging import tag_project

__all__ = ["analyse_after_import"]

# progress(step, fraction, text): step is "tag" or "cluster", fraction in [0, 1].
Progress = Callable[[str, float, str], None]


def analyse_after_import(store, *, analyst: Optional[str] = None,
                         progress: Optional[Progress] = None) -> list[str]:
    """Tag every answer (analyst decisions are kept) and re-run the latest clustering with its scope
    (the first clustering when the project has none); Swedish notes on what could not be done."""
    report = progress or (lambda step, fraction, text: None)
    notes: list[str] = []
    try:
        tag_project(store, progress=lambda fraction, text="": report("tag", float(fraction), str(text)))
    except Exception as exc:  # noqa: BLE001 - the import itself succeeded; say why tagging did not
        notes.append(f"Taggningen misslyckades: {exc}")
        return notes
    report("tag", 1.0, "")

    params: dict = {}
    latest = latest_run(store)
    if latest is not None:
        run = next((r for r in runs(store) if r["id"] == latest), None) or {}
        scope = run.get("params", {}).get("scope") or {}
        params = {"k": run.get("params", {}).get("k"), "question_ids": scope.get("questions"),
                  "area": scope.get("area"), "code_id": scope.get("code_id")}
    report("cluster", 0.1, "")
    try:
        run_clustering(store, analyst=analyst, **params)
    except Exception as exc:  # noqa: BLE001 - clustering is a help; the import itself succeeded
        notes.append(f"Klustringen misslyckades: {exc}")
        return notes
    report("cluster", 1.0, "")
    return notes
