"""The single-analyst default of .streamlit/config.toml: loopback only, XSRF on, the project's upload
limit, no usage statistics, and no page icon that the browser would fetch from outside."""
from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import config

ROOT = Path(__file__).resolve().parents[1]


def _config() -> dict:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_serves_on_loopback_with_xsrf_protection_and_no_usage_statistics():
    cfg = _config()
    assert cfg["server"]["address"] == "127.0.0.1"
    assert cfg["server"]["enableXsrfProtection"] is True
    assert cfg["browser"]["gatherUsageStats"] is False


def test_streamlit_takes_files_up_to_the_ceiling_above_the_projects_file_limit():
    # a file over the limit but under the ceiling reaches the page, which refuses it in Swedish (qa26: Streamlit's
    # own refusal read "File must be 50.0MB or smaller."); the ceiling still bounds one upload's memory
    assert _config()["server"]["maxUploadSize"] * config.MB == config.UPLOAD_CEILING_BYTES
    assert config.MAX_FILE_BYTES < config.UPLOAD_CEILING_BYTES <= 4 * config.MAX_FILE_BYTES


def test_no_material_icon_in_page_config_or_page_list():
    """A ":material/…:" page icon becomes the favicon, which Streamlit loads from fonts.gstatic.com."""
    from ui import shell

    assert shell.PAGES and all(not icon.startswith(":material") for _, _, icon in shell.PAGES)
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    icons = [kw.value for node in ast.walk(tree) if isinstance(node, ast.Call)
             for kw in node.keywords if kw.arg in ("page_icon", "icon")]
    assert icons and all(isinstance(v, ast.Constant) and not str(v.value).startswith(":material") for v in icons)
