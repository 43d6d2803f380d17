"""Streamlit's own English words that the app relabels in Swedish (ui/streamlit_texts.py), checked in Chromium
on the markup Streamlit 1.67 draws for them: the skip link a keyboard user meets first, and the box shown when
the program has stopped (seen by qa21 after killing the server mid-review: "Connection error / Streamlit server
is not responding. Are you connected to the internet?"). The page test (test_browser_flow) checks the live app's
uploader and input hints; a live server cannot be stopped there without ending that test's run."""
from __future__ import annotations

from pathlib import Path

import pytest

from ui.streamlit_texts import CONNECTION_LOST, SKIP_LINK, style_sheet

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.browser

# as Streamlit 1.67 draws them (copied from the live page; emotion class names left out)
SKIP = '<a href="#stMain" data-testid="stSkipToContent">Skip to main content</a>'
CONNECTION_DIALOG = (
    '<div data-testid="stDialog"><div><section role="dialog" tabindex="-1">'
    '<button aria-label="Close" type="button">x</button><h2 slot="title">Connection error</h2>'
    '<div><div>Streamlit server is not responding. Are you connected to the internet?</div></div>'
    '</section></div></div>')
# a dialog of the app's own (st.dialog) holds Streamlit blocks: it must keep its own words
APP_DIALOG = (
    '<div data-testid="stDialog"><div><section role="dialog" tabindex="-1"><h2>Egen rubrik</h2>'
    '<div><div data-testid="stVerticalBlock"><p>Eget innehåll</p></div></div></section></div></div>')

SHOWN = """sel => { const e = document.querySelector(sel);
    return [getComputedStyle(e).fontSize, getComputedStyle(e, '::after').content]; }"""


@pytest.fixture(scope="module")
def page():
    if not Path(CHROMIUM).exists():
        pytest.skip("/usr/bin/chromium saknas (CI installerar det med apt-get)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield browser.new_page()
        browser.close()


def test_the_skip_link_reads_swedish(page):
    page.set_content(style_sheet() + SKIP)
    assert page.evaluate(SHOWN, '[data-testid="stSkipToContent"]') == ["0px", f'"{SKIP_LINK}"']


def test_the_box_shown_when_the_program_has_stopped_reads_swedish(page):
    page.set_content(style_sheet() + CONNECTION_DIALOG)
    assert page.evaluate(SHOWN, "section h2") == ["0px", f'"{CONNECTION_LOST[0]}"']
    assert page.evaluate(SHOWN, "section h2 + div > div") == ["0px", f'"{CONNECTION_LOST[1]}"']


def test_a_dialog_of_the_apps_own_keeps_its_words(page):
    page.set_content(style_sheet() + APP_DIALOG)
    assert page.evaluate(SHOWN, "section h2")[1] == "none"
    assert page.evaluate(SHOWN, "section h2 + div > div")[1] == "none"
    assert page.evaluate(SHOWN, "section h2")[0] != "0px"


# a table's toolbar as Streamlit 1.67 draws it (aria-labels from the live Svar page)
TOOLBAR = ('<div data-testid="stElementToolbar">' + "".join(
    f'<button aria-label="{label}" type="button">x</button>'
    for label in ("Show/hide columns", "Download as CSV", "Search", "Fullscreen")) + "</div>")


def test_the_tables_own_csv_download_is_hidden(page):
    # qa21: it writes uploaded text as it is, so "=HYPERLINK(…)" opens as a live formula in Excel
    page.set_content(style_sheet() + TOOLBAR)
    shown = page.evaluate("""() => [...document.querySelectorAll('button')].map(
        b => [b.getAttribute('aria-label'), getComputedStyle(b).display])""")
    assert dict(shown) == {"Show/hide columns": "inline-block", "Download as CSV": "none", "Search": "inline-block",
                           "Fullscreen": "inline-block"}, shown


def test_the_note_on_a_file_too_big_to_upload_reads_swedish(page):
    # qa21: a 55 MB file showed "File must be 50.0MB or smaller." on hover (the tooltip Streamlit 1.67 draws)
    import config
    from ui.streamlit_texts import UPLOAD_REFUSED

    page.set_content(style_sheet() + '<div data-testid="stTooltipErrorContent">File must be 50.0MB or smaller.</div>')
    note = UPLOAD_REFUSED.format(limit=config.human_size(config.MAX_FILE_BYTES))
    assert page.evaluate(SHOWN, '[data-testid="stTooltipErrorContent"]') == ["0px", f'"{note}"']
