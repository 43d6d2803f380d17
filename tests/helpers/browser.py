"""What the browser tests share: `streamlit run app.py` on a free loopback port (started, waited for, stopped),
Debian's Chromium launched by Playwright, and waiting until Streamlit has finished a run."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def require_browser() -> None:
    """Skip when Debian's chromium or Playwright is missing (CI installs both)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("/usr/bin/chromium saknas (CI installerar det med apt-get)")
    pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(log_dir: Path, projects: Path, args: list[str], port: Optional[int] = None,
                     script: str = "app.py") -> Iterator[str]:
    """`streamlit run app.py` (or `script`, relative to the repo; headless, on `port` or a free one, plus `args`)
    over the projects folder `projects`; yields its URL once /_stcore/health answers, and stops it afterwards (the
    test fails if it never starts)."""
    port = port or free_port()
    env = dict(os.environ, SVARSANALYS_PROJECTS_DIR=str(projects), PYTHONUNBUFFERED="1")
    log = open(log_dir / "streamlit.log", "w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
         "--server.port", str(port), *args],
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
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def launch(p):
    """Debian's chromium through Playwright (`p` from sync_playwright), without background traffic."""
    return p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def wait_idle(page, timeout: float = 60_000, charts: bool = True) -> None:
    """Wait until Streamlit has finished the current run (and, with `charts`, every chart has drawn)."""
    page.wait_for_timeout(400)
    drawn = "&& [...document.querySelectorAll('.vega-embed')].every(e => e.querySelector('canvas, svg'))" \
        if charts else ""
    page.wait_for_function(
        f"""() => !document.querySelector('[data-testid="stStatusWidget"]')
                 && !document.querySelector('[data-stale="true"]') {drawn}""",
        timeout=timeout)
    page.wait_for_timeout(600)
