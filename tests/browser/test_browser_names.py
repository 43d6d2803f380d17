"""Names shown through ui.safe.md in Chromium (Streamlit 1.67): as typed, and copied as typed (qa45). Before,
a word joiner followed every colon ("Region:\u2060Dalarna" was what a copy gave), and " -> ", " -- ", " >= "
showed as arrows and dashes. Since qa46 a name with an e-mail address or a link-like word is copied as typed too
(no word joiner in "anna\u2060@exempel.se"), in Markdown, captions, alerts and button labels."""
from __future__ import annotations

import pytest

from tests.browser.names_data import GUARDED, NAMES, PLAIN
from tests.helpers.browser import launch, require_browser, streamlit_server, wait_idle

pytestmark = pytest.mark.browser
JOINER = "\u2060"
KINDS = ("md", "caption", "success", "button", "chip")


@pytest.fixture(scope="module")
def shown(tmp_path_factory):
    require_browser()
    from playwright.sync_api import sync_playwright

    with streamlit_server(tmp_path_factory.mktemp("log"), tmp_path_factory.mktemp("projects"),
                          ["--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
                          script="tests/browser/names_app.py") as url:
        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page()
            page.goto(url)
            page.locator(f".st-key-name_chip_{len(NAMES) - 1} p").wait_for(timeout=60_000)
            wait_idle(page, charts=False)
            out = {}
            for i in range(len(NAMES)):
                for kind in KINDS:
                    box = page.locator(f".st-key-name_{kind}_{i}").first
                    copied = box.evaluate("el => { const s = window.getSelection(); s.removeAllRanges(); "
                                          "s.selectAllChildren(el); const t = s.toString(); "
                                          "s.removeAllRanges(); return t; }")
                    out[(i, kind)] = (box.inner_text(), box.locator("a, img, strong, em, code, .katex").count(),
                                      box.locator("[data-testid='stIconMaterial']").count(), copied)
            browser.close()
    return out


@pytest.mark.parametrize("i", range(len(PLAIN)))
def test_a_name_is_shown_and_copied_as_typed(shown, i):
    for kind in KINDS:
        text, marked, icons, copied = shown[(i, kind)]
        assert text.strip() == PLAIN[i], (kind, text)
        assert kind == "button" or copied.strip() == PLAIN[i], (kind, copied)  # a button's text is not selectable
        assert marked == 0 and icons == 0, (kind, PLAIN[i])


@pytest.mark.parametrize("j", range(len(GUARDED)))
def test_a_link_logo_or_arrow_is_kept_as_typed(shown, j):
    i = len(PLAIN) + j
    for kind in KINDS:
        text, marked, icons, copied = shown[(i, kind)]
        assert text.strip() == GUARDED[j], (kind, text)
        # what a copy gives (a button's label is not selectable): no invisible word joiner
        assert kind == "button" or copied.strip() == GUARDED[j], (kind, copied)
        assert JOINER not in text + copied, (kind, text)
        assert marked == 0 and icons == 0, (kind, GUARDED[j])
