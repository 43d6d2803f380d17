"""An old or mistyped address (qa20, item 4): /teman (the landing page's own name) and an address no page has
open the landing page in Swedish, never Streamlit's English "Page not found" dialog."""
from __future__ import annotations

import pytest

from tests.browser.test_browser_flow import _shot, server  # noqa: F401
from tests.helpers.browser import launch, wait_idle

pytestmark = pytest.mark.browser


def test_old_and_unknown_addresses_lead_to_teman_in_swedish(server):  # noqa: F811
    from playwright.sync_api import sync_playwright

    url, _project = server
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        for path, note in [("teman", False), ("gammal-sida", True)]:
            page.goto(f"{url}/{path}")
            page.get_by_role("heading", name="Teman").first.wait_for(timeout=60_000)
            wait_idle(page)
            _shot(page, f"unknown_path_{path}")
            body = page.locator("body").inner_text()
            assert "Page not found" not in body and "You have requested page" not in body, body[:500]
            assert ("Sidan /gammal-sida finns inte" in body) is note, body[:500]
            assert page.url.rstrip("/") == url  # the landing page's own address
        browser.close()
