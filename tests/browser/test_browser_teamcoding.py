"""In a real browser: two analysts code the same double-coding sample (blind), then a third analyst
opens Överensstämmelse, which compares them and shows their disagreement side by side. Screenshots go to test-output/screenshots/."""
from __future__ import annotations

import pytest

from tests.browser.test_browser_flow import _goto, _shot, server  # noqa: F401
from tests.helpers.browser import launch, wait_idle

pytestmark = pytest.mark.browser


def _set_analyst(page, name: str) -> None:
    box = page.locator('input[aria-label="Ditt namn (analytiker)"]')
    box.fill(name)
    box.press("Enter")
    wait_idle(page)


def _tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    wait_idle(page)


def _code_current_answer(page, label: str) -> None:
    box = page.get_by_test_id("stMultiSelect").filter(has_text="Dina koder för svaret").first
    box.click()
    page.keyboard.type(label)
    page.get_by_role("option", name=label, exact=True).click()
    page.keyboard.press("Escape")
    wait_idle(page)
    page.get_by_role("button", name="Spara och markera som kodat").click()
    page.get_by_text("Din kodning av svaret är sparad").wait_for()
    wait_idle(page)


def _flow(page, project_path) -> None:
    page.get_by_role("heading", name="Teman").first.wait_for()
    wait_idle(page)
    _set_analyst(page, "Anna")
    _goto(page, "Överensstämmelse")
    coders = page.locator('input[aria-label="Analytiker som ska koda urvalet (kommaseparerade)"]')
    coders.fill("Anna, Bo")
    coders.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="Dra urval och tilldela").click()
    page.get_by_text("svar tilldelade Anna, Bo").wait_for()
    wait_idle(page)

    from models.store import ProjectStore

    store = ProjectStore(project_path)
    first = min(r["answer_id"] for r in store.assignments(coder="Anna"))
    store.close()

    _tab(page, "Koda urvalet")
    _code_current_answer(page, "Mobila team")
    _shot(page, "20_overensstammelse_anna")

    _set_analyst(page, "Bo")
    _tab(page, "Koda urvalet")
    assert page.get_by_text("Anna:").count() == 0  # blind: Bo does not see Anna's codes
    _code_current_answer(page, "Patientkontrakt")

    _tab(page, "Jämför och lös")
    # blind: with answers left to code, Bo does not see the comparison either
    page.get_by_text("svar kvar att koda blint").first.wait_for()
    _set_analyst(page, "Cilla")  # the lead analyst, not in the sample, compares and resolves
    _tab(page, "Jämför och lös")
    page.get_by_text("Oenigheter (1)").wait_for()
    assert page.locator('[data-testid="stDataFrame"]').count() >= 1
    _shot(page, "21_overensstammelse_jamfor")
    assert page.locator('[data-testid="stException"]').count() == 0

    store = ProjectStore(project_path)
    anna = {(r["answer_id"], r["code_id"]) for r in store.coder_codings(coder="Anna")}
    bo = {(r["answer_id"], r["code_id"]) for r in store.coder_codings(coder="Bo")}
    store.close()
    assert anna == {(first, "mobila_team")} and bo == {(first, "patientkontrakt")}


def test_two_analysts_code_the_same_sample_and_compare(server):  # noqa: F811
    from playwright.sync_api import sync_playwright

    url, project_path = server
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1400, "height": 2000})
        page.set_default_timeout(60_000)
        page.goto(url)
        try:
            _flow(page, project_path)
        except Exception:
            _shot(page, "99_fel_overensstammelse")
            raise
        finally:
            browser.close()
