"""End to end in a real browser: Debian's chromium driven by Playwright against `streamlit run`.

Upload two sample files, wait for the import report, open Teman, accept a suggestion in
Granska, export Excel and find the accepted excerpt in it; a planted hostile answer must
show literally. A screenshot of every page goes to test-output/screenshots/.
"""
from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser.projects import HOSTILE, build_project

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "test-output" / "screenshots"
PAGES = ["Projekt", "Importera", "Svar", "Teman", "Översikt", "Granska", "Kluster", "Kodbok", "Exportera"]

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sample_files(n: int = 2) -> list[Path]:
    import config

    files = sorted(p for p in Path(config.SAMPLE_DIR).glob("*")
                   if p.is_file() and p.suffix.lower() in (".docx", ".xlsx", ".csv", ".txt", ".md", ".pdf"))
    if len(files) < n:
        pytest.fail(f"data/sample/ har {len(files)} exempelfiler; testet behöver {n}")
    # Prefer two different formats when there are several.
    picked: list[Path] = []
    for f in files:
        if all(f.suffix != p.suffix for p in picked):
            picked.append(f)
        if len(picked) == n:
            break
    return picked if len(picked) == n else files[:n]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("/usr/bin/chromium saknas (CI installerar det med apt-get)")
    pytest.importorskip("playwright.sync_api")
    projects = tmp_path_factory.mktemp("projects")
    store = build_project(projects / "Webbtest.sqlite")  # holds the planted hostile answer
    store.close()
    port = _free_port()
    env = dict(os.environ, SVARSANALYS_PROJECTS_DIR=str(projects), PYTHONUNBUFFERED="1")
    log = open(tmp_path_factory.mktemp("log") / "streamlit.log", "w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        log.seek(0)
        pytest.fail("streamlit startade inte: " + log.read()[-2000:])
    yield url, projects / "Webbtest.sqlite"
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def _wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished the current run and charts have drawn."""
    page.wait_for_timeout(400)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')
                 && !document.querySelector('[data-stale="true"]')
                 && [...document.querySelectorAll('.vega-embed')].every(e => e.querySelector('canvas, svg'))""",
        timeout=timeout)
    page.wait_for_timeout(600)


def _goto(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
    page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
    _wait_idle(page)


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(1000)
    _wait_idle(page)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _flow(page, project_path: Path, result: dict) -> None:
    from playwright.sync_api import expect

    page.get_by_role("heading", name="Teman").first.wait_for()
    _wait_idle(page)
    name_box = page.locator('input[aria-label="Ditt namn (analytiker)"]')
    name_box.fill("Webbanalytiker")
    name_box.press("Enter")
    _wait_idle(page)

    # Import two sample files and wait for the report.
    _goto(page, "Importera")
    files = _sample_files()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files([str(f) for f in files])
    import_button = page.get_by_role("button", name="Importera", exact=True)
    expect(import_button).to_be_enabled(timeout=60_000)
    _wait_idle(page)
    import_button.click()
    page.get_by_text("Importrapport").wait_for(timeout=120_000)
    _wait_idle(page, 120_000)
    expect(page.get_by_text("2 av 2 filer importerade")).to_be_visible()
    _shot(page, "02_importera")

    # Every page renders without an exception box.
    for i, title in enumerate(PAGES, start=1):
        if title == "Importera":
            continue
        _goto(page, title)
        _shot(page, f"{i:02d}_{title.lower().replace('ö', 'o')}")
        assert page.locator('[data-testid="stException"]').count() == 0, title

    # Granska: the planted hostile answer shows literally; accept the first suggestion.
    _goto(page, "Granska")
    # the queue shows the 10 least confident suggestions; narrow it to the planted answer's code
    page.get_by_test_id("stSelectbox").filter(has_text="Visa förslag för").click()
    page.keyboard.type("Mobila team")  # the option list is virtualised: type to filter it
    page.get_by_role("option", name="Mobila team", exact=True).click()
    _wait_idle(page)
    literal = page.locator('[data-testid="stText"]', has_text=HOSTILE)
    assert literal.count() >= 1
    assert page.locator("strong", has_text="fet").count() == 0
    assert page.locator("script", has_text="alert(1)").count() == 0
    page.get_by_role("button", name="Godkänn").first.click()
    page.get_by_text("Godkänd: kodning").wait_for()
    _wait_idle(page)
    _shot(page, "06_granska_efter_beslut")

    from models.store import ProjectStore

    store = ProjectStore(project_path)
    accepted = store.codings(decisions=["accepted"])
    store.close()
    assert len(accepted) == 1 and accepted[0].analyst == "Webbanalytiker"
    result["excerpt"] = accepted[0].text

    # Export Excel and download it.
    _goto(page, "Exportera")
    page.get_by_role("button", name="Skapa Excel (.xlsx)").click()
    download_button = page.get_by_role("button", name="Ladda ner Excel (.xlsx)")
    download_button.wait_for()
    with page.expect_download() as info:
        download_button.click()
    result["xlsx"] = Path(info.value.path()).read_bytes()
    _shot(page, "09_exportera_klar")


def test_upload_browse_review_export_in_browser(server):
    from playwright.sync_api import sync_playwright

    url, project_path = server
    dialogs: list[str] = []
    result: dict = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1400, "height": 2000}, accept_downloads=True)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.set_default_timeout(60_000)
        page.goto(url)
        try:
            _flow(page, project_path, result)
        except Exception:
            _shot(page, "99_fel")
            raise
        finally:
            browser.close()

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(result["xlsx"]), read_only=True)
    cells = [str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
    assert any(result["excerpt"].strip() in c for c in cells), result["excerpt"]
    assert not dialogs, dialogs
