"""AppTest helpers shared by the page tests."""
from __future__ import annotations


def selectbox(at, key: str):
    """The select box of base key `key`: its own key, or `<key>__<crc>` (a box keyed by its labels too,
    `ui.filters.select`)."""
    for box in at.selectbox:
        if box.key == key or str(box.key or "").startswith(key + "__"):
            return box
    raise KeyError(key)


def open_page(project, page: str, *, analyst: str = "Testanalytiker", folder=None, timeout: int = 120):
    """AppTest of app.py with `project` (a path) open in its folder (or `folder`) and `analyst` in the sidebar,
    switched to ui/pages/<page>.py; fails on an exception."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    project = Path(project)
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"), default_timeout=timeout)
    at.session_state["projects_dir"] = str(folder or project.parent)
    at.session_state["analyst"] = analyst
    at.session_state["project_path"] = str(project)
    at.run()
    at.switch_page(f"ui/pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(source: str) -> str:
    """The text a reader sees of an element's Markdown `source` (CommonMark; tags stripped, entities read, the
    empty directives that ui.highlight.escape cuts links with dropped): what a message naming a file or a code says."""
    import html
    import re

    from markdown_it import MarkdownIt

    from ui.highlight import SPLIT

    out = MarkdownIt("commonmark").enable("strikethrough").render(str(source).replace(SPLIT, ""))
    return html.unescape(re.sub(r"<[^>]+>", "", out)).replace("\u2060", "").strip()
