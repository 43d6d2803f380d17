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


# a file over the server's ceiling as Streamlit 1.67 draws it in the uploader (copied from the live Importera page
# with a 201 MB file; emotion class names left out): a red chip, its English reason in a visually hidden alert
REFUSED_CHIP = (
    '<div data-testid="stFileChips"><div data-testid="stTooltipErrorHoverTarget" style="display: flex">'
    '<div data-testid="stFileChip" aria-label="stora_svar.pdf, 210.8MB" aria-invalid="true" '
    'style="display: flex; align-items: center"><div><div data-testid="stFileChipName" title="stora_svar.pdf">'
    'stora_svar.pdf</div><div>210.8MB</div></div><small data-testid="stFileChipDeleteBtn"><button '
    'aria-label="Remove stora_svar.pdf">x</button></small><span role="alert" style="position: absolute; '
    'clip: rect(0px, 0px, 0px, 0px); width: 1px; height: 1px; overflow: hidden">Error: File must be 200.0MB or '
    'smaller.</span></div></div>'
    '<div data-testid="stFileChip" aria-label="svar.docx, 43.5KB"><div><div data-testid="stFileChipName" '
    'title="svar.docx">svar.docx</div><div>43.5KB</div></div></div></div>')


def test_a_file_too_big_to_upload_says_so_in_swedish_on_its_chip_without_hovering(page):
    # qa27: a 201 MB file showed only as a red chip with its name; the reason ("File must be 200.0MB or smaller.")
    # was hidden, or English on hover. Now the chip says it under the file's name, in Swedish, with the limit.
    import config
    from ui.streamlit_texts import UPLOAD_REFUSED_CHIP

    page.set_content(style_sheet() + REFUSED_CHIP)
    note = UPLOAD_REFUSED_CHIP.format(limit=config.human_size(config.MAX_FILE_BYTES))
    alert = '[data-testid="stFileChip"] span[role="alert"]'
    assert page.evaluate(SHOWN, alert) == ["0px", f'"{note}"']
    box = page.locator(alert).bounding_box()
    assert box["width"] > 100 and box["height"] > 10, box  # shown, not the 1 px hidden box
    name = page.locator('[data-testid="stFileChipName"]').first.bounding_box()
    assert box["y"] >= name["y"] + name["height"] - 1, (box, name)  # under the file's name, on its chip
    # a file that was taken gets no note
    assert page.evaluate("() => document.querySelectorAll('[role=alert]').length") == 1


# a toolbar button whose tooltip is open, as Streamlit 1.67 draws it: the hover target names the tooltip it opened
# (aria-describedby), the tooltip itself is drawn apart, at the end of the page
def _open_tooltip(label: str) -> str:
    return (f'<div data-testid="stElementToolbar"><span data-testid="stTooltipHoverTarget" aria-describedby=":r1:">'
            f'<button aria-label="{label}">x</button></span></div>'
            f'<div id=":r1:" role="tooltip"><div data-testid="stTooltipContent"><div data-testid="stMarkdownContainer">'
            f'<p>{label}</p></div></div></div>')


def test_the_tooltips_of_a_tables_and_a_charts_toolbar_read_swedish(page):
    # qa21: "Search", "Fullscreen", "Show/hide columns" on hover over every table; a chart adds "Show data",
    # "Download as PNG", "Copy Vega-Lite spec"; a code block "Copy to clipboard"
    from ui.streamlit_texts import TOOLTIPS

    for label in ("Show/hide columns", "Search", "Fullscreen", "Close fullscreen", "Show data", "Download as PNG",
                  "Copy Vega-Lite spec", "Copy to clipboard"):
        page.set_content(style_sheet() + _open_tooltip(label))
        assert page.evaluate(SHOWN, '[role="tooltip"] p') == ["0px", f'"{TOOLTIPS[label]}"'], label


def test_a_closed_tooltip_and_an_apps_own_help_keep_their_words(page):
    # no button's tooltip is open: a help text of the app's own ("?" beside a widget) is left as it is
    page.set_content(style_sheet() + '<span data-testid="stTooltipHoverTarget" aria-describedby=":r2:">'
                     '<button aria-label="Help for Regioner">?</button></span><div id=":r2:" role="tooltip">'
                     '<div data-testid="stTooltipContent"><div data-testid="stMarkdownContainer"><p>Search</p></div>'
                     '</div></div>')
    assert page.evaluate(SHOWN, '[role="tooltip"] p')[1] == "none"


# a table's column menu as Streamlit 1.67 draws it (from the live Importera page; emotion class names left out)
_ICON = '<span style="font-size: 1.25rem"><span data-testid="stIconMaterial">{}</span></span>'  # its own size
COLUMN_MENU_HTML = (
    '<div role="menu" aria-label="Dataframe column menu"><div><div title="number">' + _ICON.format("tag") + '</div>'
    '<div title="fil-id"><span>fil-id</span><button title="Copy column name" aria-label="Copy column name">'
    + _ICON.format("content_copy") + '</button></div></div>'
    '<div role="menuitem">' + _ICON.format("arrow_upward") + 'Sort ascending</div>'
    '<div role="menuitem">' + _ICON.format("arrow_downward") + 'Sort descending</div><div></div>'
    '<div role="presentation"><div role="menuitem" aria-haspopup="menu"><div>' + _ICON.format("format_list_numbered")
    + 'Format</div>' + _ICON.format("chevron_right") + '</div></div>'
    '<div role="menuitem">' + _ICON.format("arrows_outward") + 'Autosize</div>'
    '<div role="menuitem">' + _ICON.format("keep") + 'Pin column</div>'
    '<div role="menuitem">' + _ICON.format("visibility_off") + 'Hide column</div></div>')


def test_a_tables_column_menu_reads_swedish(page):
    page.set_content(style_sheet() + COLUMN_MENU_HTML)
    items = page.evaluate("""() => [...document.querySelectorAll('[role="menuitem"]')].map(e => [
        getComputedStyle(e).display === 'none' || getComputedStyle(e.parentElement).display === 'none' ? 'dold'
        : getComputedStyle(e, '::after').content, getComputedStyle(e).fontSize])""")
    assert [i[0] for i in items] == ['"Sortera stigande"', '"Sortera fallande"', "dold", '"Anpassa bredden"',
                                     '"Fäst eller lossa kolumnen"', '"Dölj kolumnen"'], items
    # the icons keep their size; the English-only type icon and "Copy column name" are hidden
    assert page.evaluate("""() => getComputedStyle(document.querySelector('[role="menuitem"] [data-testid="stIconMaterial"]')).fontSize""") != "0px"
    assert page.evaluate("""() => ['[title="number"]', 'button[aria-label="Copy column name"]'].map(
        s => getComputedStyle(document.querySelector(s)).display)""") == ["none", "none"]


def test_the_list_of_a_tables_columns_reads_swedish(page):
    # the toolbar's "Show/hide columns" list opened with "Select all" and offered the hidden index as "(index)"
    from ui.streamlit_texts import SELECT_ALL_COLUMNS

    box = '<label><input type="checkbox" aria-label="{0}"><span aria-hidden="true"></span><span>{0}</span></label>'
    page.set_content(style_sheet() + '<div data-testid="stDataFrameColumnVisibilityMenu"><div>' + box.format("Select all")
                     + '<div></div><div>' + box.format("(index)") + box.format("respondent") + '</div></div></div>')
    assert page.evaluate(SHOWN, 'input[aria-label="Select all"] ~ span:last-child') == ["0px", f'"{SELECT_ALL_COLUMNS[1]}"']
    assert page.evaluate("""() => ['(index)', 'respondent'].map(
        c => getComputedStyle(document.querySelector(`input[aria-label="${c}"]`).parentElement).display)""") == \
        ["none", "inline"]
