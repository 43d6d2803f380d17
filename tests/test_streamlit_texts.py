"""Streamlit's own English words (uploader button and size line, an empty list) are relabelled in Swedish."""
from __future__ import annotations

import re
from pathlib import Path

import config
from ui.streamlit_texts import (COLUMN_MENU, CONNECTION_LOST, INPUT_HINTS, NO_RESULTS, SELECT_ALL_COLUMNS, SKIP_LINK,
                                TOOLTIPS, UPLOAD_BUTTON, _css_string, size_line, style_sheet)

ROOT = Path(__file__).resolve().parents[1]


def test_the_size_line_states_the_projects_own_limit():
    sheet = style_sheet()
    assert f"högst {config.human_size(config.MAX_FILE_BYTES)} per fil" in sheet
    assert "högst 3 MB per fil" in style_sheet(3 * config.MB)
    assert size_line(config.MB, "file") == "eller dra hit den · högst 1 MB per fil"


def test_every_uploader_kind_and_the_empty_list_get_swedish_words():
    sheet = style_sheet()
    for word in [*UPLOAD_BUTTON.values(), NO_RESULTS, *INPUT_HINTS.values(), SKIP_LINK, *CONNECTION_LOST,
                 *TOOLTIPS.values(), *COLUMN_MENU.values(), SELECT_ALL_COLUMNS[1]]:
        assert f'content: "{word}"' in sheet
    # each relabelled element is hidden once and shown once as ::after
    hidden = re.findall(r"^(.+?) \{ font-size: 0 !important", sheet, flags=re.M)
    shown = re.findall(r"^(.+?)::after \{ content:", sheet, flags=re.M)
    assert hidden == shown
    assert len(shown) == 2 * len(UPLOAD_BUTTON) + 1 + len(INPUT_HINTS) + len(TOOLTIPS) + len(COLUMN_MENU) + 1 + 4 + 1
    assert sheet.startswith("<style>") and sheet.endswith("</style>") and "<script" not in sheet


def test_css_strings_are_escaped():
    assert _css_string('a"b\\c') == '"a\\"b\\\\c"'


def test_the_app_puts_the_style_sheet_on_every_page():
    source = (ROOT / "app.py").read_text(encoding="utf-8")
    assert source.index("streamlit_texts.apply()") < source.index("navigation.run()")


def test_the_tables_own_download_is_hidden():
    from ui.streamlit_texts import TABLE_DOWNLOAD

    assert f"{TABLE_DOWNLOAD} {{ display: none !important; }}" in style_sheet()


def test_the_note_on_a_file_too_big_to_upload_states_the_limit():
    from ui.streamlit_texts import UPLOAD_REFUSED

    assert UPLOAD_REFUSED.format(limit="3 MB") in style_sheet(3 * config.MB)


def test_the_chip_of_a_file_too_big_to_upload_says_so_with_the_limit():
    # qa27: the browser refuses a file over the ceiling (200 MB) before the page sees it; its chip says why
    from ui.streamlit_texts import UPLOAD_REFUSED_CHIP

    assert f'content: "{UPLOAD_REFUSED_CHIP.format(limit="3 MB")}"' in style_sheet(3 * config.MB)
