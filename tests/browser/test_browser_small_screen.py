"""What an analyst meets first, in a real browser: the README's first command on an empty projects folder (the
sample project) on a laptop screen.

- No English words of Streamlit's own on any page: the visible text and placeholders, the tooltips of a table's
  and a chart's toolbar buttons ("Search", "Fullscreen", "Show/hide columns", "Download as PNG" …) and a table's
  column menu ("Sort ascending", "Pin column" …) read Swedish (ui/streamlit_texts.py).
- Nothing the analyst must read is cut at 1024×768 or 1280×800: no label, toggle, button or metric ends in "…"
  ("Godk…", "Ta med …", "Skapa REFI-QDA-proje…" at 1024 px), no chosen filter value is squeezed out of its box, and
  Översikt's matrix keeps room for its code names (they ran into each other).
- Two tabs of two analysts on one machine keep their own names across reloads (the name was the folder's).
"""
from __future__ import annotations

import pytest

from tests.helpers.browser import SHOTS, launch, require_browser, streamlit_server, wait_idle

pytestmark = pytest.mark.browser

PAGES = ["Projekt", "Importera", "Svar", "Teman", "Översikt", "Förändring", "Granska", "Kluster", "Kodbok",
         "Överensstämmelse", "Exportera"]
# Streamlit 1.67's own English words that a page can show (visible text, a placeholder, a tooltip, a menu item)
ENGLISH = ["Search", "Fullscreen", "Show/hide columns", "Download as", "Show data", "Copy Vega-Lite", "Copy to clipboard",
           "Copied", "Sort ascending", "Sort descending", "Autosize", "Pin column", "Hide column", "Copy column name",
           "Statistics", "Choose an option", "Choose options", "No options to select", "No results", "Press Enter",
           "Press Ctrl", "Skip to main content", "Upload", "Drag and drop", "Running...", "Stopping", "Connecting",
           "Select all", "Clear all", "Add row", "Delete row", "File must be", "per file"]

VISIBLE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, text = node.nodeValue.trim(), e = node.parentElement;
    if (!text || !e || e.closest('script, style, noscript, [data-testid="stIconMaterial"]')) continue;
    const box = e.getBoundingClientRect(), style = getComputedStyle(e);
    if (!box.width || !box.height || style.visibility === 'hidden' || parseFloat(style.fontSize) === 0) continue;
    out.push(text);
  }
  for (const e of document.querySelectorAll('*')) {  // what a style sheet writes in place of a word
    const after = getComputedStyle(e, '::after').content;
    if (after && after !== 'none' && after !== 'normal' && e.getBoundingClientRect().width) out.push(after);
  }
  for (const e of document.querySelectorAll('input[placeholder], textarea[placeholder]'))
    if (!e.value && e.getBoundingClientRect().width) out.push(e.placeholder);
  return out; }"""

# a label, toggle, button or metric that ends in "…", a chip cut short, a row of chips squeezed out of its box
CUT = """() => {
  const out = [];
  for (const e of document.querySelectorAll('[data-testid="stMain"] [data-testid="stMarkdownContainer"], '
                                            + '[data-testid="stMain"] [data-tag] > span[title]')) {
    if (!e.getBoundingClientRect().width || !e.innerText.trim()) continue;
    const style = getComputedStyle(e);
    if ((style.textOverflow === 'ellipsis' || style.overflow === 'hidden') && e.scrollWidth > e.clientWidth + 1)
      out.push(e.innerText.trim().slice(0, 60));
  }
  for (const e of document.querySelectorAll('[data-testid="stMain"] [data-testid="stMultiSelectTagsContainer"]'))
    if (e.getBoundingClientRect().width && e.scrollWidth > e.clientWidth + 1) out.push('chips: ' + e.innerText);
  return out; }"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_browser()
    projects = tmp_path_factory.mktemp("projects")  # empty: the first start makes the sample project
    with streamlit_server(tmp_path_factory.mktemp("log"), projects,
                          ["--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]) as url:
        yield url, projects


def _codes_in_matrix(projects) -> int:
    """How many codes Översikt's matrix of the sample project has (suggestions counted, as the page opens)."""
    from models import views
    from models.store import ProjectStore

    store = ProjectStore(next(p for p in projects.glob("*.sqlite") if ".backup" not in p.name))
    try:
        return views.matrix_long(store, decisions=("suggested", "accepted", "manual"))["code_id"].nunique()
    finally:
        store.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


def _page(browser, width: int, height: int, context=None):
    page = context.new_page() if context is not None else browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(90_000)
    return page


def _start(page, url: str, analyst: str = "Anna Analytiker") -> None:
    page.goto(url)
    page.get_by_role("heading", name="Teman").first.wait_for()
    wait_idle(page)
    box = page.get_by_role("textbox", name="Ditt namn (analytiker)")
    box.fill(analyst)
    box.press("Enter")
    wait_idle(page)


def _goto(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
    page.get_by_role("heading", name=title).first.wait_for()
    wait_idle(page)


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _english(texts: list[str]) -> list[str]:
    return sorted({t for t in texts for word in ENGLISH if word in t})


def _toolbar_tooltips(page, element) -> list[str]:
    """Each toolbar button of `element` (a table or a chart) gets the keyboard focus, which opens its tooltip as a
    mouse does (the caption above an element can lie over its toolbar for a mouse), and the tooltip is read as shown."""
    shown = []
    toolbar = element.locator('xpath=ancestor::*[@data-testid="stElementContainer"][1]').locator(
        '[data-testid="stElementToolbar"]')
    buttons = toolbar.locator("button")
    for i in range(buttons.count()):
        button = buttons.nth(i)
        label = button.get_attribute("aria-label")
        if not button.is_visible():  # hidden: the table's own CSV download
            continue
        button.focus()
        page.locator('[role="tooltip"] [data-testid="stTooltipContent"]').first.wait_for(timeout=10_000)
        tip = page.evaluate("""() => [...document.querySelectorAll('[role="tooltip"] [data-testid="stTooltipContent"] p')]
            .map(p => { const after = getComputedStyle(p, '::after').content;
                        return parseFloat(getComputedStyle(p).fontSize) === 0 && after !== 'none' ? after : p.innerText; })""")
        shown.append(f"{label} -> {tip}")
        assert tip and not _english(tip), f"{label}: {tip}"
        page.evaluate("() => document.activeElement.blur()")
        page.wait_for_timeout(300)
    return shown


def test_no_english_words_of_streamlit_on_any_page(server, browser):
    page = _page(browser, 1280, 1400)  # tall enough for Översikt's matrix and its toolbar
    try:
        _start(page, server[0])
        found, tips = {}, []
        for title in PAGES:
            _goto(page, title)
            english = _english(page.evaluate(VISIBLE_TEXT))
            if english:
                found[title] = english
        _goto(page, "Svar")
        tips += _toolbar_tooltips(page, page.get_by_test_id("stDataFrame").first)
        # the list of the table's columns ("Show/hide columns"), opened from the keyboard
        toolbar = page.get_by_test_id("stDataFrame").first.locator(
            'xpath=ancestor::*[@data-testid="stElementContainer"][1]').locator('[data-testid="stElementToolbar"]')
        toolbar.locator('button[aria-label="Show/hide columns"]').focus()
        page.keyboard.press("Enter")
        page.get_by_test_id("stDataFrameColumnVisibilityMenu").wait_for()
        columns = page.evaluate(VISIBLE_TEXT)
        assert '"Alla kolumner"' in columns and "(index)" not in columns, columns
        if _english(columns):
            found["Svar (kolumnlistan)"] = _english(columns)
        page.keyboard.press("Escape")
        _goto(page, "Översikt")
        tips += _toolbar_tooltips(page, page.get_by_test_id("stVegaLiteChart").first)
        assert {t.split(" -> ")[0] for t in tips} >= {"Show/hide columns", "Search", "Fullscreen", "Show data",
                                                     "Download as PNG"}, tips
        # a table's column menu (the ⋮ at the right end of the first header cell of Importera's file table)
        _goto(page, "Importera")
        table = page.get_by_test_id("stDataFrame").first
        table.scroll_into_view_if_needed()
        box = table.bounding_box()
        menu = page.locator('[role="menu"][aria-label="Dataframe column menu"]')
        for x in range(60, 160, 6):  # the menu button sits at the right end of the first header cell
            page.mouse.move(box["x"] + x - 20, box["y"] + 18)
            page.mouse.click(box["x"] + x, box["y"] + 18)
            page.wait_for_timeout(400)
            if menu.count():
                break
            page.keyboard.press("Escape")
        assert menu.count(), "the column menu did not open"
        _shot(page, "kolumnmeny")
        items = page.evaluate(VISIBLE_TEXT)
        assert "\"Sortera stigande\"" in items and "\"Dölj kolumnen\"" in items, items
        english = _english(items)
        if english:
            found["Importera (kolumnmeny)"] = english
        assert not found, found
    except Exception:
        _shot(page, "engelska_ord_fel")
        raise
    finally:
        page.close()


@pytest.mark.parametrize("width,height", [(1024, 768), (1280, 800)])
def test_nothing_the_analyst_reads_is_cut_on_a_laptop_screen(server, browser, width, height):
    page = _page(browser, width, height)
    try:
        _start(page, server[0])
        cut = {}
        for title in PAGES:
            _goto(page, title)
            if title == "Teman":  # the filter's chips, with the three decisions chosen by default
                page.get_by_text("Filter", exact=True).click()
                wait_idle(page)
            if title == "Översikt":  # the matrix's slanted code names need about 13 px a column, plus its row names
                drawn = page.get_by_test_id("stVegaLiteChart").first.bounding_box()["width"]
                n = _codes_in_matrix(server[1])
                assert drawn >= 15 * n + 150, (drawn, n)
                # its toolbar (fullscreen, PNG) is drawn above the chart, over the caption: still within reach
                chart = page.get_by_test_id("stVegaLiteChart").first
                page.get_by_text("Antal kodade utdrag per respondent").evaluate(
                    "e => e.scrollIntoView({block: 'start'})")  # the caption, then the toolbar, at the top
                box = chart.bounding_box()
                page.mouse.move(box["x"] + 300, box["y"] + box["height"] / 2, steps=3)
                page.wait_for_timeout(800)
                full = chart.locator('xpath=ancestor::*[@data-testid="stElementContainer"][1]').locator(
                    '[data-testid="stElementToolbar"] button[aria-label="Fullscreen"]').bounding_box()
                on_top = page.evaluate("""([x, y]) => !!document.elementFromPoint(x, y)
                    .closest('[data-testid="stElementToolbar"]')""", [full["x"] + 12, full["y"] + 12])
                assert on_top, "Översikt: the matrix's toolbar is covered"
                page.mouse.move(2, 2)
            found = page.evaluate(CUT)
            if found:
                cut[title] = found
            _shot(page, f"liten_skarm_{width}_{title}")
        assert not cut, cut
    except Exception:
        _shot(page, f"liten_skarm_{width}_fel")
        raise
    finally:
        page.close()


def test_kluster_table_fits_a_laptop_screen(server, browser):
    """Kluster's overview at 1280 px has every column in view (the typical words ran out at the right); at 1024 px
    at most the coverage and the typical words need a sideways scroll: the name, the code and the size are in view."""
    overflow = {}
    for width, height in ((1280, 800), (1024, 768)):
        page = _page(browser, width, height)
        try:
            _start(page, server[0])
            _goto(page, "Kluster")
            if not page.get_by_test_id("stDataFrame").count():  # the sample project starts without a clustering
                page.get_by_role("button", name="Kör klustring").click()
                page.get_by_test_id("stDataFrame").first.wait_for()
                wait_idle(page)
            table = page.get_by_test_id("stDataFrame").first
            table.scroll_into_view_if_needed()
            overflow[width] = table.evaluate(
                "e => { const s = e.querySelector('.dvn-scroller'); return s.scrollWidth - s.clientWidth; }")
            _shot(page, f"kluster_{width}")
        finally:
            page.close()
    assert overflow[1280] <= 1, overflow
    assert overflow[1024] <= 185 + 190, overflow  # täckning and typiska ord (their widths in ui/pages/kluster.py)


def _hover_tooltip(page, chart) -> str:
    """Move the mouse over `chart` until Vega draws its tooltip; its text ("" if none showed)."""
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    for fy in (0.3, 0.5, 0.7, 0.2, 0.4, 0.6):
        for fx in (0.3, 0.5, 0.7, 0.4, 0.6, 0.2, 0.8):
            page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy, steps=2)
            page.wait_for_timeout(250)
            tip = page.evaluate("""() => { const t = document.querySelector('#vg-tooltip-element');
                return t && t.classList.contains('visible') ? t.innerText : ''; }""")
            if tip:
                return tip
    return ""


def test_oversikt_chart_tooltips_are_swedish(server, browser):
    """Hovering Översikt's charts shows Swedish field names, never the data's columns (code_label, nivå:N …)."""
    page = _page(browser, 1280, 800)
    try:
        _start(page, server[0])
        _goto(page, "Översikt")
        tips = {"Matris": _hover_tooltip(page, page.get_by_test_id("stVegaLiteChart").first)}
        for tab in ("Per kategori", "Regioner, län och kommuner"):
            page.get_by_role("tab", name=tab).click()
            wait_idle(page)
            tips[tab] = _hover_tooltip(page, page.locator('[data-testid="stVegaLiteChart"]:visible').first)
        _shot(page, "oversikt_tooltip")
    finally:
        page.close()
    fields = {"Matris": ["Respondent", "Län", "Kod", "Utdrag"],
              "Per kategori": ["Kod", "Nivå", "Nämner av dem som svarat", "Totalt"],
              "Regioner, län och kommuner": ["Kod", "Nivå", "Nämner av dem som svarat", "Totalt"]}
    for tab, tip in tips.items():
        assert all(f in tip for f in fields[tab]), (tab, tip)
        assert not any(raw in tip for raw in ("code_label", "respondent_type", "beskrivning", "lan:", ":N", ":Q")), (tab, tip)


def test_two_tabs_keep_their_own_analyst_across_reloads(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})  # two tabs of one browser
    try:
        anna = _page(browser, 1280, 800, context)
        _start(anna, server[0], "Anna Analytiker")
        _goto(anna, "Granska")
        bertil = _page(browser, 1280, 800, context)
        _start(bertil, server[0], "Bertil Kollega")
        name = lambda page: page.get_by_role("textbox", name="Ditt namn (analytiker)").input_value()  # noqa: E731
        for page in (anna, bertil):
            page.reload()
            page.get_by_role("textbox", name="Ditt namn (analytiker)").wait_for()
            wait_idle(page)
        assert (name(anna), name(bertil)) == ("Anna Analytiker", "Bertil Kollega"), (anna.url, bertil.url)
        assert "/granska" in anna.url
    finally:
        context.close()
