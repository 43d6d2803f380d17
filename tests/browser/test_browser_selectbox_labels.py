"""Selectboxes whose option labels change, in a real browser: Kluster's cluster after a merge shows its new
size, and Överensstämmelse's answer shows "✓" once it is coded.

The browser keeps the label a selectbox was first drawn with when only its options' labels change (the
widget's key stays), so Kluster read "(2 utdrag)" while the card under it said 4, and the last answer coded
still read "○". AppTest has no browser and cannot see this.
"""
from __future__ import annotations

from contextlib import contextmanager

import pytest

from tests.browser.test_browser_flow import _goto, _pick, _shot, server  # noqa: F401
from tests.helpers.browser import launch, wait_idle

pytestmark = pytest.mark.browser


def _selected(page, label: str = "Kluster") -> str:
    return page.get_by_test_id("stSelectbox").filter(has_text=label).first.locator("input").input_value()


def _start(page, url: str, analyst: str) -> None:
    page.goto(url)
    page.get_by_role("heading", name="Teman").first.wait_for()
    wait_idle(page)
    box = page.locator('input[aria-label="Ditt namn (analytiker)"]')
    box.fill(analyst)
    box.press("Enter")
    wait_idle(page)


@contextmanager
def _page(error_shot: str):
    """A page of Debian's Chromium (tall viewport, 60 s timeouts); a screenshot `error_shot` when the test fails."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1400, "height": 2000})
        page.set_default_timeout(60_000)
        try:
            yield page
        except Exception:
            _shot(page, error_shot)
            raise
        finally:
            browser.close()


def _clustered(project_path) -> list:
    """Cluster the project (as the analyst would) and return its clusters (at least two)."""
    from models import clusters
    from models.store import ProjectStore

    store = ProjectStore(project_path)
    clusters.run_clustering(store, analyst="Testanalytiker")
    views = clusters.clusters(store)
    store.close()
    assert len(views) >= 2
    return views


def test_cluster_selectbox_shows_the_size_after_a_merge(server):  # noqa: F811
    from models import clusters
    from models.store import ProjectStore

    url, project_path = server
    views = _clustered(project_path)
    with _page("99_fel_kluster") as page:
        _start(page, url, "Anna")
        _goto(page, "Kluster")
        first = views[0]
        assert _selected(page) == f"{first.title} ({first.size} utdrag)"
        merge = page.get_by_test_id("stMultiSelect").filter(has_text="Slå ihop med").first
        merge.click()
        page.get_by_role("option").first.click()
        page.keyboard.press("Escape")
        wait_idle(page)
        page.get_by_role("button", name="Slå ihop", exact=True).click()
        page.get_by_text("Klart.").first.wait_for()
        wait_idle(page)
        store = ProjectStore(project_path)
        merged = clusters.cluster(store, first.id)
        store.close()
        assert merged.size > first.size
        assert page.get_by_text(f"{merged.title} · {merged.size} utdrag").count() >= 1
        assert _selected(page) == f"{merged.title} ({merged.size} utdrag)"
        _shot(page, "30_kluster_efter_ihopslagning")


def test_coded_answer_shows_its_check_mark_in_the_selectbox(server):  # noqa: F811
    from models.store import ProjectStore

    url, project_path = server
    store = ProjectStore(project_path)
    answer = next(a for a in store.answers() if a.text.strip())
    store.assign([answer.id], ["Eva", "Fia"], sample="webbtest")
    store.close()
    with _page("99_fel_overensstammelse_etikett") as page:
        _start(page, url, "Eva")
        _goto(page, "Överensstämmelse")
        page.get_by_role("tab", name="Koda urvalet").click()
        wait_idle(page)
        assert _selected(page, "Svar").startswith("○ ")
        page.get_by_role("button", name="Spara och markera som kodat").click()
        page.get_by_text("Du har kodat hela ditt urval").first.wait_for()
        wait_idle(page)
        assert _selected(page, "Svar").startswith("✓ "), _selected(page, "Svar")


def test_move_target_and_renamed_code_show_their_new_labels(server):  # noqa: F811
    """qa20, item 8: "Flytta till" kept the target cluster's old size after a move, and Kodbok's "Kod" box the
    code's old name after "Uppdatera utkastet"; both are keyed by their labels now (ui.filters.select)."""
    url, project_path = server
    views = _clustered(project_path)
    with _page("99_fel_etiketter_efter_atgard") as page:
        _start(page, url, "Anna")
        _goto(page, "Kluster")
        first = next(v for v in views if v.title in _selected(page))
        target = next(v for v in views if v.id != first.id)
        page.get_by_role("tab", name="Utdrag").click()
        wait_idle(page)
        _pick(page, "Flytta till", f"{target.title} ({target.size})")
        assert _selected(page, "Flytta till") == f"{target.title} ({target.size})"
        members = page.get_by_test_id("stMultiSelect").filter(has_text="Välj utdrag").first
        members.click()
        page.get_by_role("option").first.click()
        page.keyboard.press("Escape")
        wait_idle(page)
        page.get_by_role("button", name="Flytta valda").click()
        page.get_by_text("Klart.").first.wait_for()
        wait_idle(page)
        page.get_by_role("tab", name="Utdrag").click()
        wait_idle(page)
        assert _selected(page, "Flytta till") == f"{target.title} ({target.size + 1})", _selected(page, "Flytta till")
        _shot(page, "31_kluster_flytta_till_efter_flytt")

        _goto(page, "Kodbok")
        old = _selected(page, "Kod")
        form = page.get_by_test_id("stForm").filter(has_text="Uppdatera utkastet").first
        name = form.get_by_label("Namn", exact=True)
        name.fill(old + " (nytt namn)")
        form.get_by_role("button", name="Uppdatera utkastet").click()
        page.get_by_text("Utkastet är uppdaterat").first.wait_for()
        wait_idle(page)
        assert _selected(page, "Kod") == old + " (nytt namn)", _selected(page, "Kod")
        _shot(page, "32_kodbok_kod_efter_namnbyte")


def test_kluster_undo_takes_back_a_merge_in_the_browser(server):  # noqa: F811
    """Kluster's "Ångra min senaste ändring" names the merge, and one click gives both clusters back."""
    from models import clusters
    from models.store import ProjectStore

    url, project_path = server
    views = _clustered(project_path)
    sizes = {v.id: v.size for v in views}
    with _page("99_fel_kluster_undo") as page:
        _start(page, url, "Anna")
        store = ProjectStore(project_path)
        clusters.merge(store, [views[0].id, views[1].id], "Anna")
        store.close()
        _goto(page, "Kluster")
        undo = page.get_by_role("button", name="Ångra min senaste ändring (sammanslagningen av kluster)")
        undo.click()
        wait_idle(page)
        page.get_by_text("Ångrade sammanslagningen av kluster.").first.wait_for()
        _shot(page, "kluster_undo")
        assert page.get_by_role("button", name="Ångra min senaste ändring", exact=True).is_disabled()
    store = ProjectStore(project_path)
    assert {v.id: v.size for v in clusters.clusters(store)} == sizes
    store.close()
