"""Swedish for the English words Streamlit draws itself and has no parameter for.

The file uploader's button ("Upload"), its size line ("50MB per file • DOCX, …") and its note on a file too
big to take ("File must be 200.0MB or smaller.": the server's ceiling, config.UPLOAD_CEILING_BYTES; a file between
the limit and the ceiling reaches the page, which refuses it itself), the
empty list of a select box or multiselect ("No results"), and the hint under a text field, a text
area or a number field while the analyst types in it ("Press Enter to apply", "Press Ctrl+Enter to
submit form"; its first span: the app sets no `max_chars`, whose counter would be a second one),
the link a keyboard user meets first ("Skip to main content"), the box the page shows when the
program has stopped ("Connection error / Streamlit server is not responding. Are you connected to the
internet?": Streamlit's own dialogs are the only ones, the app opens none), the tooltips of the buttons over a
table, a chart or a code block ("Search", "Fullscreen", "Show/hide columns", "Download as PNG", "Copy to
clipboard" …: a tooltip is drawn apart from its button, so a rule names the button whose tooltip is open), and
the menu of a table's column ("Sort ascending", "Pin column", "Hide column" …: its items are told apart by
where they stand; its number-format and statistics submenus, English only and of no use for answers, are hidden). One style sheet of constants (no text from an uploaded file ever reaches it) hides Streamlit's
words and shows Swedish ones in their place; screen readers still get the widget's Swedish label.
"""
from __future__ import annotations

import streamlit as st

import config

__all__ = ["UPLOAD_BUTTON", "NO_RESULTS", "INPUT_HINTS", "SKIP_LINK", "CONNECTION_LOST", "TABLE_DOWNLOAD",
           "UPLOAD_REFUSED", "UPLOAD_REFUSED_CHIP", "TOOLTIPS", "COLUMN_MENU", "SELECT_ALL_COLUMNS", "WRAP_LABELS", "size_line", "style_sheet", "apply"]

# by what the uploader takes: several files, one file, a folder
UPLOAD_BUTTON = {"files": "Välj filer", "file": "Välj fil", "folder": "Välj mapp"}
_DROPPED = {"files": "dem", "file": "den", "folder": "mappen"}
# its hidden <input>, which comes before its button and its size line
_INPUT = {"files": "[multiple]:not([webkitdirectory])", "file": ":not([multiple])", "folder": "[webkitdirectory]"}
NO_RESULTS = "Inga träffar"
# the hint under a field being typed in, by where the field is (later rules are more specific and win)
_HINT = '[data-testid="InputInstructions"] > span:first-child'
INPUT_HINTS = {
    _HINT: "Spara med Enter",  # as short as the English: the sidebar is narrow
    f'[data-testid="stTextArea"] {_HINT}': "Spara med Ctrl+Enter (⌘+Enter på Mac)",
    f'[data-testid="stForm"] {_HINT}': "Skicka formuläret med Enter",
    f'[data-testid="stForm"] [data-testid="stTextArea"] {_HINT}':
        "Skicka formuläret med Ctrl+Enter (⌘+Enter på Mac)",
}
SKIP_LINK = "Hoppa till innehållet"
TABLE_DOWNLOAD = '[data-testid="stElementToolbar"] button[aria-label="Download as CSV"]'
# the uploader's note on a file the browser did not take (its only reason left: the size; Importera takes every type)
UPLOAD_REFUSED = "Filen kunde inte laddas upp: högst {limit} per fil. Den kommer inte med i importen."
# … and the same note written under the refused file's name on its red chip (Streamlit 1.67 keeps it in a
# visually hidden alert, so without a hover the analyst saw only a red chip): the chip names the file
UPLOAD_REFUSED_CHIP = "För stor för att laddas upp: högst {limit} per fil. Filen lästes inte."
_REFUSED_CHIP = '[data-testid="stFileChip"][aria-invalid="true"]'
# Streamlit's own error box (its body is plain text, never the app's elements): shown when the server stops
_SYSTEM_DIALOG = '[data-testid="stDialog"] section[role="dialog"]:not(:has([data-testid="stVerticalBlock"]))'
CONNECTION_LOST = ("Ingen kontakt med Svarsanalys",
                   "Programmet svarar inte: det kan ha stängts av. Starta det igen (streamlit run app.py) och "
                   "ladda om sidan. Det du har sparat finns kvar.")


# the tooltip of a toolbar button (a table's, a chart's, a code block's), by the button's own English aria-label
TOOLTIPS = {
    "Show/hide columns": "Visa eller dölj kolumner",
    "Search": "Sök i tabellen",
    "Fullscreen": "Helskärm",
    "Close fullscreen": "Stäng helskärmen",
    "Show data": "Visa diagrammets data",
    "Download as PNG": "Spara diagrammet som bild (PNG)",
    "Copy Vega-Lite spec": "Kopiera diagrammets beskrivning (Vega-Lite)",
    "Copied!": "Kopierat",
    "Copy to clipboard": "Kopiera",
    "Copied": "Kopierat",
}
_TOOLTIP = '[role="tooltip"] [data-testid="stTooltipContent"] [data-testid="stMarkdownContainer"] p'
# a table's column menu (Streamlit 1.67: the column's header, then sort ascending, sort descending and a separator,
# the statistics and format submenus, autosize, pin or unpin, hide; only its items' places tell them apart)
_MENU = '[role="menu"][aria-label="Dataframe column menu"]'
_ITEM = f'{_MENU} > [role="menuitem"]'
_SEPARATOR = 'div:empty:not([role])'
COLUMN_MENU = {
    f'{_ITEM}:has(+ [role="menuitem"] + {_SEPARATOR})': "Sortera stigande",
    f'{_ITEM}:has(+ {_SEPARATOR})': "Sortera fallande",
    f'{_ITEM}:has(+ [role="menuitem"] + [role="menuitem"]:last-child)': "Anpassa bredden",
    f'{_ITEM}:has(+ [role="menuitem"]:last-child)': "Fäst eller lossa kolumnen",
    f'{_ITEM}:last-child': "Dölj kolumnen",
}
# the list of a table's columns (toolbar: "Show/hide columns"): its first box reads "Select all", and a hidden
# index is offered as "(index)"; each box is named by its column (aria-label)
_COLUMNS = '[data-testid="stDataFrameColumnVisibilityMenu"] label'
SELECT_ALL_COLUMNS = (f'{_COLUMNS}:has(> input[aria-label="Select all"]) > span:last-child', "Alla kolumner")
_MENU_HIDDEN = [f'{_COLUMNS}:has(> input[aria-label="(index)"])',f'{_MENU} [role="presentation"]:has(> [role="menuitem"][aria-haspopup])',  # statistics, format
                f'{_MENU} button[aria-label="Copy column name"]',  # an English native tooltip
                f'{_MENU} div[title]:has(> span > [data-testid="stIconMaterial"])']  # the type icon ("number")


# Streamlit draws a toggle's, a widget's and a metric's label on one line and cuts what does not fit ("Ta med …",
# "Nämns inte lä…" at 1024 px wide): in the page they wrap instead. (A button's label wraps where the page asks for
# it, `wrap=True`, and its column leaves room for a one-word label.)
_LABELS = ('[data-testid="stMain"] :is(label, [data-testid="stWidgetLabel"], [data-testid="stMetricLabel"]) '
           '[data-testid="stMarkdownContainer"]')
WRAP_LABELS = f"{_LABELS}, {_LABELS} p {{ white-space: normal !important; text-overflow: clip !important; }}"


def size_line(max_bytes: int, takes: str = "files") -> str:
    """The uploader's line beside its button: dragging, and the per-file limit the Swedish way."""
    return f"eller dra hit {_DROPPED[takes]} · högst {config.human_size(max_bytes)} per fil"


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal (quotes and backslashes escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def style_sheet(max_bytes: int | None = None) -> str:
    """The ``<style>`` element that relabels Streamlit's own English words in Swedish."""
    limit = config.MAX_FILE_BYTES if max_bytes is None else max_bytes
    hide = "font-size: 0 !important; line-height: 0;"
    show = "font-size: 0.875rem; line-height: 1.6;"
    rules = []
    for takes, which in _INPUT.items():
        start = f'[data-testid="stFileUploaderDropzone"] > input{which}'
        button = f'{start} ~ span button [data-testid="stMarkdownContainer"] p'
        size = f'{start} ~ [data-testid="stFileUploaderDropzoneInstructions"] span'
        rules += [
            f"{button} {{ {hide} }}",
            f"{button}::after {{ content: {_css_string(UPLOAD_BUTTON[takes])}; {show} }}",
            f"{size} {{ {hide} }}",
            f"{size}::after {{ content: {_css_string(size_line(limit, takes))}; {show} }}",
        ]
    empty = '[role="listbox"][data-empty="true"] [role="option"] > span'
    rules += [f"{empty} {{ {hide} }}", f"{empty}::after {{ content: {_css_string(NO_RESULTS)}; {show} }}"]
    hint_show = "font-size: 12px; line-height: 1.6;"  # Streamlit's own size for the hint
    for selector, text in INPUT_HINTS.items():
        rules += [f"{selector} {{ {hide} }}", f"{selector}::after {{ content: {_css_string(text)}; {hint_show} }}"]
    # Streamlit's own download of a table writes uploaded text as it is ("=HYPERLINK(…)" stays a live formula in
    # Excel): hidden; Svar and Exportera offer downloads whose cells cannot start a formula (export.csv_export)
    rules.append(f"{TABLE_DOWNLOAD} {{ display: none !important; }}")
    refused = '[data-testid="stTooltipErrorContent"]'
    rules += [f"{refused} {{ {hide} }}",
              f"{refused}::after {{ content: {_css_string(UPLOAD_REFUSED.format(limit=config.human_size(limit)))}; "
              f"{show} }}"]
    alert = f'{_REFUSED_CHIP} span[role="alert"]'
    rules += [f"{_REFUSED_CHIP} {{ flex-wrap: wrap; max-width: 24rem; }}",
              f"{alert} {{ position: static !important; clip: auto !important; width: auto !important; "
              f"height: auto !important; overflow: visible !important; white-space: normal !important; "
              f"margin: 0 !important; flex-basis: 100%; }}",
              f"{alert} {{ {hide} }}",
              f"{alert}::after {{ content: {_css_string(UPLOAD_REFUSED_CHIP.format(limit=config.human_size(limit)))}; "
              f"font-size: 0.75rem; line-height: 1.4; }}"]
    for label, text in TOOLTIPS.items():
        tip = (f'body:has([data-testid="stTooltipHoverTarget"][aria-describedby] > button[aria-label={_css_string(label)}]) '
               f'{_TOOLTIP}')
        rules += [f"{tip} {{ {hide} }}", f"{tip}::after {{ content: {_css_string(text)}; {show} }}"]
    for item, text in [*COLUMN_MENU.items(), SELECT_ALL_COLUMNS]:
        rules += [f"{item} {{ {hide} }}", f"{item}::after {{ content: {_css_string(text)}; {show} }}"]
    rules += [f"{hidden} {{ display: none !important; }}" for hidden in _MENU_HIDDEN]
    rules.append(WRAP_LABELS)
    skip = '[data-testid="stSkipToContent"]'
    title, body = f"{_SYSTEM_DIALOG} > h2", f"{_SYSTEM_DIALOG} > h2 + div > div"
    rules += [f"{skip} {{ {hide} }}", f"{skip}::after {{ content: {_css_string(SKIP_LINK)}; {show} }}",
              f"{title} {{ {hide} }}",
              f"{title}::after {{ content: {_css_string(CONNECTION_LOST[0])}; font-size: 1.5rem; line-height: 1.2; }}",
              f"{body} {{ {hide} }}", f"{body}::after {{ content: {_css_string(CONNECTION_LOST[1])}; {show} }}"]
    return "<style>\n" + "\n".join(rules) + "\n</style>"


def apply() -> None:
    """Put the style sheet on the page (a style-only ``st.html`` takes no space)."""
    st.html(style_sheet())
