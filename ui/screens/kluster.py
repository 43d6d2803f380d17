"""Kluster: run clustering, review clusters (rename, merge, split, move, exclude, map, create code)."""
from __future__ import annotations

from typing import Callable, Optional

import streamlit as st

from ui import adapters, shell


def recluster_after_import(store, progress: Callable[[float, str], None]) -> Optional[str]:
    """Re-run clustering after an import when the clustering module has landed; a note or None."""
    return "Klustring är " + adapters.NOT_YET + "."


def render() -> None:
    st.title("Kluster")
    shell.require_store()
    st.info("Klustring är " + adapters.NOT_YET + ".")
