"""AppTest helpers shared by the page tests."""
from __future__ import annotations


def selectbox(at, key: str):
    """The select box of base key `key`: its own key, or `<key>__<crc>` (a box keyed by its labels too,
    `ui.filters.select`)."""
    for box in at.selectbox:
        if box.key == key or str(box.key or "").startswith(key + "__"):
            return box
    raise KeyError(key)
