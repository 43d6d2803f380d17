"""Answer text is never executed: no page passes it to an element that renders Markdown or HTML.

A project whose answers, respondent name and memo hold `<script>`, HTML, Markdown links,
bold text and Streamlit's `:red[...]` / `:material/...:` syntax is opened in every page with
Streamlit's AppTest. Every element that interprets Markdown (markdown, caption, title,
headers, alerts, widget labels, radio options, expander and tab labels, metrics) must not
contain a payload; HTML is never allowed in an element holding one. The payload must still be
visible somewhere (a literal text element or a table), so the test cannot pass by hiding it.
"""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
PAGES = ["projekt", "importera", "svar", "teman", "oversikt", "granska", "kluster", "kodbok", "exportera"]

PAYLOAD_FILES = {
    "dalarna_payload.txt": (
        "Region Dalarna\n\n"
        "5a. Beskriv arbetet med mobila team.\n"
        "Vi har mobila team <script>alert('xss')</script> i hela länet sedan 2021.\n\n"
        "6. Egenmonitorering?\n"
        "Egenmonitorering pågår, se [klicka här](http://evil.example/x) och :red[VARNING] samt **fetstil**.\n\n"
        "8a. Patientkontrakt?\n"
        "Patientkontrakt <img src=x onerror=alert(1)> finns, :material/skull: och $x^2$ och "
        "=HYPERLINK(\"http://evil.example\",\"x\").\n"
    ),
    "okand_payload.txt": (
        "Kommun <b>Ond</b> :blue[X]\n\n"
        "5a. Mobila team?\n"
        "Mobila team finns <iframe src=http://evil.example></iframe> här.\n"
    ),
}
MEMO = "Memo med [länk](http://evil.example/memo) och :red[memo] och <script>memo()</script>"

# Substrings that only appear if payload text reached a Markdown/HTML-rendering element unescaped.
MARKDOWN_MARKERS = ["](http://evil.example", ":red[", ":blue[", "**fetstil**", ":material/skull:"]
HTML_MARKERS = ["<script", "onerror=", "<iframe", "<b>Ond"]
VISIBLE = ["<script>alert('xss')</script>", ":red[VARNING]", "[klicka här](http://evil.example/x)"]


@pytest.fixture(scope="module")
def payload_project(tmp_path_factory) -> Path:
    from models import importing, tagging
    from models.store import ProjectStore

    folder = tmp_path_factory.mktemp("literal")
    path = folder / "payload.sqlite"
    store = ProjectStore(path, name="Payload")
    try:
        reports = importing.import_uploads(store, [(n, t.encode()) for n, t in PAYLOAD_FILES.items()])
        assert all(r.ok for r in reports), [r.message for r in reports]
        tagging.tag_project(store)
        codings = store.codings()
        assert codings, "the payload answers should get suggestions (mobila team, egenmonitorering ...)"
        store.decide(codings[0].id, "accepted", "anna")
        store.set_memo("coding", codings[0].id, MEMO, "anna")
    finally:
        store.close()
    return path


def _rendering_texts(at) -> list[tuple[str, str, bool]]:
    """(element kind, text, html allowed) for every element whose text Streamlit renders as Markdown."""
    out: list[tuple[str, str, bool]] = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success",
                 "latex", "toast"):
        for el in getattr(at, kind, []):
            allow = bool(getattr(getattr(el, "proto", None), "allow_html", False))
            out.append((kind, str(el.value), allow))
    for kind in ("button", "checkbox", "toggle", "radio", "selectbox", "multiselect", "text_input", "text_area",
                 "number_input", "slider", "select_slider", "date_input", "time_input", "color_picker",
                 "expander", "tabs", "metric", "status"):
        for el in getattr(at, kind, []):
            label = getattr(el, "label", None)
            if label:
                out.append((f"{kind} label", str(label), False))
            if kind == "radio":  # radio options are rendered as Markdown too
                out += [("radio option", str(o), False) for o in getattr(el, "options", [])]
            if kind == "metric":
                out += [("metric value", str(getattr(el, "value", "")), False)]
    return out


def _literal_texts(at) -> list[str]:
    """Text shown literally: st.text, st.code, st.json, tables and plain-text widget options."""
    out: list[str] = []
    for kind in ("text", "code", "json"):
        out += [str(el.value) for el in getattr(at, kind, [])]
    for el in getattr(at, "dataframe", []):
        try:
            out.append(el.value.to_csv())
        except Exception:  # noqa: BLE001 - an odd frame: skip
            pass
    for kind in ("selectbox", "multiselect"):
        for el in getattr(at, kind, []):
            out += [str(o) for o in getattr(el, "options", [])]
    return out


def test_payload_answers_never_reach_markdown_or_html(payload_project):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=180)
    at.session_state["projects_dir"] = str(payload_project.parent)
    at.session_state["project_path"] = str(payload_project)
    at.session_state["analyst"] = "Testanalytiker"
    at.run()
    assert not at.exception, [e.value for e in at.exception]

    checked = 0
    violations: list[str] = []
    seen_literal: set[str] = set()
    for page in PAGES:
        at.switch_page(f"ui/pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        for kind, text, allow_html in _rendering_texts(at):
            checked += 1
            for marker in MARKDOWN_MARKERS:
                if marker in text:
                    violations.append(f"{page}: {kind} renders Markdown payload {marker!r}: {text[:160]!r}")
            for marker in HTML_MARKERS:
                if marker in text and allow_html:
                    violations.append(f"{page}: {kind} with unsafe_allow_html holds {marker!r}: {text[:160]!r}")
                elif marker in text:
                    violations.append(f"{page}: {kind} (Markdown) holds HTML payload {marker!r}: {text[:160]!r}")
        literal = "\n".join(_literal_texts(at))
        seen_literal |= {v for v in VISIBLE if v in literal}
    print(f"\nliteral display: {len(PAGES)} pages, {checked} Markdown-rendering elements checked, "
          f"{len(violations)} violations; payloads seen shown literally: {sorted(seen_literal)}")
    for v in violations[:20]:
        print("  " + v)
    assert not violations
    assert seen_literal, "the payload answers were not shown anywhere (the test would prove nothing)"


# a respondent the registry does not know is named as the file is: the uploaded file's name is text too
HOSTILE_FILE = "Ond **fetstil** :red[X] [l](http:evil.example).txt"


def test_a_respondent_named_by_an_uploaded_file_name_never_reaches_markdown(tmp_path):
    """Granska's heading over the answer showed the respondent's name as Markdown (bold, a red word, a link)."""
    from models import importing, tagging
    from models.store import ProjectStore
    from tests.helpers.apptest import open_page

    path = tmp_path / "p.sqlite"
    store = ProjectStore(path, name="P")
    try:
        (report,) = importing.import_uploads(store, [(HOSTILE_FILE, "Hej\n\n5a. Mobila team?\nMobila team finns i "
                                                                    "hela länet.\n".encode())])
        assert report.ok, report.message
        tagging.tag_project(store)
        (answer,) = store.answers()
        assert "**fetstil** :red[X]" in answer.respondent.name and store.codings()
    finally:
        store.close()
    violations, shown = [], False
    for page in ("granska", "svar", "teman", "importera"):
        at = open_page(path, page, analyst="Anna")
        for kind, text, _ in _rendering_texts(at):
            violations += [f"{page}: {kind} {text[:120]!r}" for m in (":red[", "**fetstil**") if m in text]
        shown = shown or any("**fetstil** :red[X]" in t for t in _literal_texts(at))
        shown = shown or any(el.value.replace("\u2060", "") == answer.respondent.name for el in at.text)
    assert not violations, violations
    assert shown, "the name was not shown anywhere (the test would prove nothing)"
