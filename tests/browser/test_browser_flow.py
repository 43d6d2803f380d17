"""End to end in a real browser: Debian's chromium driven by Playwright against `streamlit run`.

Upload two sample files, wait for the import report, open every page, review whole answers in
Granska (accept, reject, add a code by marking a passage, undo), export Excel and find the
accepted excerpt in it; a planted hostile answer must show literally. Then the empty states of a
new project and the first start in an empty projects folder (the sample project). A screenshot
of every page and state goes to test-output/screenshots/.
"""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.browser.projects import HOSTILE, build_project
from tests.helpers.browser import SHOTS, launch, require_browser, streamlit_server, wait_idle

PAGES = ["Projekt", "Importera", "Svar", "Teman", "Översikt", "Förändring", "Granska", "Kluster", "Kodbok",
         "Överensstämmelse", "Exportera"]

pytestmark = pytest.mark.browser


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
    require_browser()
    projects = tmp_path_factory.mktemp("projects")
    store = build_project(projects / "Webbtest.sqlite")  # holds the planted hostile answer
    store.close()
    with streamlit_server(tmp_path_factory.mktemp("log"), projects,
                          ["--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]) as url:
        yield url, projects / "Webbtest.sqlite"



def _goto(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
    page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
    wait_idle(page)


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(1000)
    wait_idle(page)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _pick(page, label: str, option: str, within: str | None = None) -> None:
    """Choose `option` in the selectbox labelled `label` (the list is virtualised: type to filter)."""
    scope = page.locator(within) if within else page
    scope.get_by_test_id("stSelectbox").filter(has_text=label).first.click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)


def _flow(page, project_path: Path, result: dict) -> None:
    from playwright.sync_api import expect

    page.get_by_role("heading", name="Teman").first.wait_for()
    wait_idle(page)
    name_box = page.locator('input[aria-label="Ditt namn (analytiker)"]')
    name_box.fill("Webbanalytiker")
    # the hint Streamlit draws under a field being typed in reads Swedish, not "Press Enter to apply" (qa21)
    page.locator('[data-testid="InputInstructions"]').first.wait_for()
    hint = page.evaluate("""() => { const s = document.querySelector('[data-testid="InputInstructions"] > span');
        return [getComputedStyle(s).fontSize, getComputedStyle(s, '::after').content]; }""")
    assert hint == ["0px", '"Spara med Enter"'], hint
    name_box.press("Enter")
    wait_idle(page)

    # Import two sample files and wait for the report.
    _goto(page, "Importera")
    # the page heading can be drawn before the uploader on a loaded machine: wait for the drop zone itself
    page.locator('[data-testid="stFileUploaderDropzone"] [data-testid="stFileUploaderDropzoneInstructions"] span') \
        .first.wait_for()
    # Streamlit's own English words on the uploader read Swedish (ui/streamlit_texts.py)
    drawn = page.evaluate("""() => {
        const zone = document.querySelector('[data-testid="stFileUploaderDropzone"]');
        const after = el => getComputedStyle(el, '::after').content;
        return [after(zone.querySelector('button [data-testid="stMarkdownContainer"] p')),
                after(zone.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] span')),
                getComputedStyle(zone.querySelector('button p')).fontSize];
    }""")
    assert drawn[:2] == ['"Välj filer"', '"eller dra hit dem · högst 50 MB per fil"'], drawn
    assert drawn[2] == "0px", drawn  # "Upload" is not shown
    files = _sample_files()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files([str(f) for f in files])
    import_button = page.get_by_role("button", name="Importera", exact=True)
    expect(import_button).to_be_enabled(timeout=60_000)
    wait_idle(page)
    import_button.click()
    page.get_by_text("Importrapport").wait_for(timeout=120_000)
    wait_idle(page, 120_000)
    expect(page.get_by_text("2 av 2 filer importerade")).to_be_visible()
    _shot(page, "02_importera")

    # Every page renders without an exception box.
    for i, title in enumerate(PAGES, start=1):
        if title == "Importera":
            continue
        _goto(page, title)
        _shot(page, f"{i:02d}_{title.lower().replace('ö', 'o').replace('ä', 'a').replace('Ö', 'o')}")
        assert page.locator('[data-testid="stException"]').count() == 0, title

    # Granska, one whole answer at a time: narrow to one code, find the planted hostile answer.
    _goto(page, "Granska")
    _pick(page, "Förslag för", "Mobila team")
    answer_box = page.locator(".st-key-granska_answer_text")
    for _ in range(40):
        if "alert(1)" in answer_box.inner_text():
            break
        page.get_by_role("button", name="Nästa svar").click()
        wait_idle(page)
    shown = " ".join(answer_box.inner_text().replace("\u2060", "").split())
    assert HOSTILE in shown, shown  # literal: no bold, no link, no script, no colour directive
    assert answer_box.locator("strong, a, script, .katex").count() == 0
    assert page.locator("script", has_text="alert(1)").count() == 0
    assert answer_box.locator("span", has_text="mobila team").count() >= 1  # the evidence is highlighted
    _shot(page, "06a_granska_svar")
    page.locator('[class*="st-key-chip_"]').first.get_by_role("button", name="Godkänn").click()
    page.get_by_text("Godkänd: Mobila team").wait_for()
    wait_idle(page)
    flash = page.get_by_test_id("stAlert").filter(has_text="Godkänd:").first.inner_text()
    assert "kodning" not in flash and "coding" not in flash and "mobila_team" not in flash, flash
    _shot(page, "06b_granska_godkand")

    # Next answer by uncertainty: reject its first suggestion.
    page.get_by_role("button", name="Nästa svar").click()
    wait_idle(page)
    page.locator('[class*="st-key-chip_"]').first.get_by_role("button", name="Avvisa").click()
    page.get_by_text("Avvisad:").first.wait_for()
    wait_idle(page)
    _shot(page, "06c_granska_avvisad")

    # Add a code by marking a passage: the answer's first three words, typed as the analyst would.
    words = page.locator(".st-key-granska_answer_text").inner_text().replace("\u2060", "").split()[:3]
    passage = " ".join(words)
    page.get_by_label("… eller orden du vill koda (ordagrant ur svaret)").fill(passage)
    page.keyboard.press("Tab")
    wait_idle(page)
    _pick(page, "Kod", "Patientkontrakt", within='[class*="st-key-add_box_"]')
    page.get_by_role("button", name="Lägg till kod").click()
    page.get_by_text("Tillagd: Patientkontrakt").wait_for()
    wait_idle(page)
    _shot(page, "06d_granska_kod_tillagd")
    from models.store import ProjectStore

    store = ProjectStore(project_path)
    manual = store.codings(decisions=["manual"])
    store.close()
    assert [(c.code_id, c.text) for c in manual] == [("patientkontrakt", passage)], manual

    # Undo takes back the added code (the rejection stays).
    page.get_by_role("button", name="Ångra mitt senaste beslut").click()
    page.get_by_text("Ångrade: du kodade för hand Patientkontrakt").wait_for()
    wait_idle(page)
    _shot(page, "06e_granska_angrat")
    store = ProjectStore(project_path)
    assert store.codings(decisions=["manual"]) == []
    assert len(store.codings(decisions=["rejected"])) == 1
    store.close()

    # The suggestion queue is a filter of the same view.
    page.get_by_text("Förslag ett och ett").click()
    wait_idle(page)
    _shot(page, "06f_granska_forslagsko")
    page.get_by_role("tab", name="Historik").click()
    wait_idle(page)
    _shot(page, "06g_granska_historik")

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

    # A new project: every page says there is nothing yet and leads to Importera.
    _goto(page, "Projekt")
    page.get_by_label("Namn", exact=True).fill("Tomt projekt")
    page.get_by_role("button", name="Skapa", exact=True).click()
    page.get_by_text("Projektet ”Tomt projekt” är skapat och öppnat").wait_for()
    wait_idle(page)
    _shot(page, "10_projekt_skapat")
    for title in ("Teman", "Svar", "Översikt", "Granska", "Kluster", "Exportera"):
        _goto(page, title)
        expect(page.get_by_text("Projektet har inga svar ännu.")).to_be_visible()
        expect(page.get_by_role("link", name="Importera svarsfiler")).to_be_visible()
        _shot(page, f"11_tomt_{title.lower().replace('ö', 'o')}")

    # First start in an empty projects folder: the sample project opens and says it is sample data.
    _goto(page, "Projekt")
    folder_box = page.get_by_label("Mapp där projekten sparas")
    folder_box.fill(str(project_path.parent / "forsta_start"))
    page.get_by_role("button", name="Byt mapp").click()
    page.get_by_text("Det öppna projektet är exempeldata.").first.wait_for(timeout=300_000)
    wait_idle(page, 300_000)
    _shot(page, "00_forsta_start_projekt")
    _goto(page, "Teman")
    expect(page.get_by_role("button", name="Skapa projekt och importera")).to_be_visible()
    _shot(page, "00_forsta_start_teman")


def test_upload_browse_review_export_in_browser(server):
    from playwright.sync_api import sync_playwright

    url, project_path = server
    dialogs: list[str] = []
    result: dict = {}
    with sync_playwright() as p:
        browser = launch(p)
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
