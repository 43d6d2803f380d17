"""In a real browser, on a copy of the sample project (two rounds, clustered): names that look like Markdown or HTML
show as typed on Överensstämmelse; a removed file comes back with "Ångra borttagning" with every coding and
decision; a 2021 question is labelled with the 2021 form's wording; a code made from a cluster proposes editable,
distinctive keywords. Screenshots go to test-output/screenshots/ (qa33_*)."""
from __future__ import annotations

import copy
import shutil

import pytest

from tests.browser.test_browser_flow import _goto
from tests.helpers.browser import SHOTS, launch, require_browser, streamlit_server, wait_idle

pytestmark = pytest.mark.browser

CODE_NAME = "**Fet** <b>kod</b> [länk](http://x.se)"
READER = "[Eva](http://eva.se)"
OTHER = "<i>Fia</i> _B_"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_browser()
    from models import clusters, views
    from models.store import ProjectStore
    from ui.project import ensure_sample_project

    sample = ensure_sample_project(tmp_path_factory.mktemp("sample"))
    projects = tmp_path_factory.mktemp("projects")
    path = projects / "Kvalitet.sqlite"
    shutil.copy(sample, path)
    store = ProjectStore(path)
    doc = copy.deepcopy(views.codebook_doc(store))
    for cat in doc["categories"]:
        for code in cat["codes"]:
            if code["id"] == "mobila_team":
                code["label"] = CODE_NAME
    store.save_codebook_doc(doc)
    answer = next(a for a in store.answers() if a.text.strip())
    store.assign([answer.id], [READER, OTHER], blind=False)
    store.add_coder_codings([(answer.id, OTHER, "mobila_team", 0, len(answer.text))], analyst=OTHER)
    clusters.run_clustering(store, analyst="anna")
    store.close()
    with streamlit_server(tmp_path_factory.mktemp("log"), projects,
                          ["--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]) as url:
        yield url, path


def _set_analyst(page, name: str) -> None:
    box = page.locator('input[aria-label="Ditt namn (analytiker)"]')
    box.fill(name)
    box.press("Enter")
    wait_idle(page)


def _dump(path) -> dict:
    from models.store import ProjectStore

    store = ProjectStore(path)
    try:
        with store.read() as con:
            tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                      if r[0] not in ("audit_log", "meta", "sqlite_sequence")]
            return {t: sorted((tuple(r) for r in con.execute(f"SELECT * FROM {t}")), key=repr) for t in tables}
    finally:
        store.close()


def _flow(page, path, notes) -> None:
    page.get_by_role("heading", name="Teman").first.wait_for(timeout=120_000)
    wait_idle(page)

    # 1. names are data: the coder's and the code's names as typed, no bold, link or HTML
    _set_analyst(page, READER)
    _goto(page, "Överensstämmelse")
    page.get_by_role("tab", name="Koda urvalet").click()
    wait_idle(page)
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text("Fia", exact=False).first.wait_for(timeout=30_000)
    # the escaping puts an invisible word joiner after "http" (no autolink): the reader sees the text as typed
    assert f"{OTHER}: {CODE_NAME}" in main.inner_text().replace("\u2060", "")
    assert main.locator("a[href='http://x.se']").count() == 0 and main.locator("b, em, strong").count() == 0
    page.screenshot(path=str(notes / "qa33_overensstammelse_names.png"), full_page=True)

    # 2. a 2021 question has the 2021 form's wording (Svar's question filter)
    _goto(page, "Svar")
    page.get_by_test_id("stMultiSelect").filter(has_text="Fråga").first.click()
    page.keyboard.type("fråga 5 ")
    page.get_by_role("option", name="fråga 5 – Beskriv insatser och målgrupper", exact=False).first.wait_for()
    page.screenshot(path=str(notes / "qa33_svar_2021_wording.png"), full_page=False)
    page.keyboard.press("Escape")
    wait_idle(page)

    # 3. Kluster: "Ny kod" proposes the distinctive typical words, editable
    _goto(page, "Kluster")
    page.get_by_role("tab", name="Ny kod").click()
    wait_idle(page)
    box = page.locator('input[aria-label^="Nyckelord"]')
    assert box.input_value().strip()
    page.screenshot(path=str(notes / "qa33_kluster_keywords.png"), full_page=True)

    # 4. remove a file, then undo the removal: every row back
    before = _dump(path)
    _goto(page, "Importera")
    page.get_by_text("Ta bort en importerad fil").click()
    wait_idle(page)
    page.get_by_text("Ja, ta bort filen och dess svar").click()
    wait_idle(page)
    page.get_by_role("button", name="Ta bort filen").click()
    page.get_by_text("Filen är borttagen.").wait_for(timeout=60_000)
    wait_idle(page)
    assert _dump(path) != before
    page.get_by_role("button", name="Ångra borttagning").scroll_into_view_if_needed()
    page.screenshot(path=str(notes / "qa33_importera_undo_offer.png"), full_page=True)
    page.get_by_role("button", name="Ångra borttagning").click()
    page.get_by_text("Borttagningen är ångrad.").wait_for(timeout=60_000)
    wait_idle(page)
    page.screenshot(path=str(notes / "qa33_importera_undone.png"), full_page=True)
    assert _dump(path) == before
    assert page.locator('[data-testid="stException"]').count() == 0


def test_qa33_names_undo_wording_and_keywords_in_the_browser(server):
    from playwright.sync_api import sync_playwright

    url, path = server
    notes = SHOTS
    notes.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        try:
            page.goto(url)
            _flow(page, path, notes)
        finally:
            browser.close()
