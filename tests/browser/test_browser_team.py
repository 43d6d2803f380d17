"""The team server in a real browser, signing in through a real OpenID Connect provider on loopback.

oidc-provider-mock serves the provider on 127.0.0.1 in a thread; `streamlit run app.py` reads an
`[auth]` section from a temporary secrets file (`--secrets.files`, the repo's .streamlit is not
touched). Checked: an anonymous browser sees only "Logga in" and no answer text on any page; a
signed-in non-member sees no project; a läsare sees the project but cannot decide, and after
"Logga ut" sees only "Logga in" again; an analytiker's
decision carries the signed-in e-mail in the audit log; and no page of the app makes a request
outside 127.0.0.1 (Playwright records every request).
"""
from __future__ import annotations

import re
import secrets
import socket
import subprocess
import threading
from urllib.parse import urlsplit

import pytest

from tests.browser.projects import build_project
from tests.helpers.browser import SHOTS, free_port, launch, require_browser, streamlit_server, wait_idle
OWNER, ANALYST, READER, OUTSIDER = "agare@region.se", "analytiker@region.se", "lasare@region.se", "ute@region.se"
# pieces of the answers that show unmarked wherever an answer or excerpt is shown
ANSWER_SNIPPETS = ["i hela länet sedan 2021", "på alla vårdcentraler", "prövas i ett pilotprojekt", "under 2023",
                   "anna.andersson@falun.se", "alert(1)"]
PAGE_PATHS = ["", "projekt", "importera", "svar", "teman", "oversikt", "granska", "kluster", "kodbok", "exportera"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def provider():
    """An OpenID Connect provider on 127.0.0.1 (any client id/secret; the login form asks for the subject,
    which becomes the e-mail claim)."""
    mock = pytest.importorskip("oidc_provider_mock")
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, mock.app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)


@pytest.fixture(scope="module")
def server(tmp_path_factory, provider):
    require_browser()
    pytest.importorskip("authlib")
    projects = tmp_path_factory.mktemp("teamprojects")
    store = build_project(projects / "Team.sqlite")
    store.add_member(OWNER, "ägare", "cli")
    store.add_member(ANALYST, "analytiker", OWNER)
    store.add_member(READER, "läsare", OWNER)
    store.close()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    secrets_file = tmp_path_factory.mktemp("secrets") / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "{url}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "svarsanalys"\n'
        'client_secret = "testhemlighet"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8")
    # no --server.address: the repo's .streamlit/config.toml decides where it listens (tested below)
    with streamlit_server(tmp_path_factory.mktemp("log"), projects, ["--secrets.files", str(secrets_file)],
                          port=port) as started:
        yield started, projects / "Team.sqlite"


def _wait_idle(page, timeout: float = 60_000) -> None:
    wait_idle(page, timeout, charts=False)


def _body(page) -> str:
    return page.locator("body").inner_text()


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"team_{name}.png"), full_page=True)


def _sign_in(context, url: str, email: str):
    """Sign in through the provider's form as `email`; returns the page, back on the app."""
    page = context.new_page()
    page.goto(url)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_placeholder("sub").fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile("^" + re.escape(url)))
    page.get_by_role("heading", name="Teman").first.wait_for()
    _wait_idle(page)
    return page


def _open(page, url: str, path: str) -> None:
    page.goto(f"{url}/{path}")
    page.locator('[data-testid="stMain"]').wait_for()
    _wait_idle(page)


def test_sign_in_membership_and_roles_in_browser(server):
    from playwright.sync_api import expect, sync_playwright

    url, project_path = server
    app_host = urlsplit(url).netloc
    requests: list[tuple[str, str]] = []  # (request url, url of the page that made it)

    def record(request) -> None:
        try:
            origin = request.frame.url
        except Exception:  # noqa: BLE001 - service workers etc. have no frame
            origin = ""
        requests.append((request.url, origin))

    with sync_playwright() as p:
        browser = launch(p)

        def context():
            ctx = browser.new_context(viewport={"width": 1400, "height": 1800})
            ctx.set_default_timeout(60_000)
            ctx.on("request", record)
            # Tests use no network: anything not on loopback is recorded above and refused here.
            ctx.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda route: route.abort())
            return ctx

        try:
            # Anonymous: only "Logga in", on every page, and no answer text.
            anon = context().new_page()
            for path in PAGE_PATHS:
                _open(anon, url, path)
                expect(anon.get_by_role("button", name="Logga in")).to_be_visible(timeout=60_000)
                body = _body(anon)
                assert "Testprojekt" not in body, path
                assert not [s for s in ANSWER_SNIPPETS if s in body], path
                assert anon.locator('[data-testid="stSidebarNav"]').count() == 0
            _shot(anon, "01_anonym")

            # A signed-in non-member sees no project on any page.
            outsider = _sign_in(context(), url, OUTSIDER)
            expect(outsider.get_by_role("button", name="Logga ut")).to_be_visible(timeout=60_000)
            for path in PAGE_PATHS[1:]:
                _open(outsider, url, path)
                # the signed-in name is rendered with the page; wait for it before reading the page
                expect(outsider.get_by_text(OUTSIDER).first).to_be_visible(timeout=30_000)
                body = _body(outsider)
                assert "Testprojekt" not in body and "Team.sqlite" not in body, path
                assert not [s for s in ANSWER_SNIPPETS if s in body], path
                assert OUTSIDER in body
            _shot(outsider, "02_icke_medlem")

            # A läsare sees the project and its answers but cannot decide.
            reader = _sign_in(context(), url, READER)
            _open(reader, url, "granska")
            body = _body(reader)
            assert "Testprojekt" in body and "i hela länet sedan 2021" in body and "läsare" in body
            accept = reader.get_by_role("button", name="Godkänn")
            # the decision buttons are drawn after the answer text: wait for them (under load the count raced)
            expect(accept.first).to_be_visible(timeout=60_000)
            assert accept.count() >= 1
            assert all(accept.nth(i).is_disabled() for i in range(accept.count()))
            _shot(reader, "03_lasare_granska")

            # "Logga ut" ends the sign-in (through the provider's end-session page): back to "Logga in" only.
            reader.get_by_role("button", name="Logga ut").click()
            end_session = reader.get_by_role("button", name="End session")
            sign_in = reader.get_by_role("button", name="Logga in")
            end_session.or_(sign_in).first.wait_for()
            if end_session.count():
                end_session.click()
            sign_in.wait_for()
            _open(reader, url, "granska")
            expect(reader.get_by_role("button", name="Logga in")).to_be_visible(timeout=60_000)
            assert not [s for s in ANSWER_SNIPPETS if s in _body(reader)]

            # An analytiker decides; the audit log carries the signed-in e-mail.
            analyst = _sign_in(context(), url, ANALYST)
            _open(analyst, url, "granska")
            analyst.get_by_role("button", name="Godkänn").first.click()
            analyst.get_by_test_id("stAlert").filter(has_text="Godkänd:").first.wait_for()
            _wait_idle(analyst)
            _shot(analyst, "04_analytiker_beslut")
        except Exception:
            for i, ctx in enumerate(browser.contexts):
                for j, pg in enumerate(ctx.pages):
                    _shot(pg, f"99_fel_{i}_{j}")
            raise
        finally:
            browser.close()

    from models.store import ProjectStore

    store = ProjectStore(project_path)
    accepted = store.codings(decisions=["accepted"])
    log = store.audit(entity="coding", entity_id=accepted[0].id) if accepted else []
    reader_decisions = [r for r in store.audit(limit=500) if r["analyst"] == READER]
    store.close()
    assert len(accepted) == 1 and accepted[0].analyst == ANALYST
    assert log[-1]["analyst"] == ANALYST and log[-1]["action"] == "accepted"
    assert reader_decisions == []

    # No page of the app asked anything outside 127.0.0.1 (the provider's own login page may).
    web = [(u, o) for u, o in requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")]
    assert web, "inga anrop registrerades"
    from_app = [(u, o) for u, o in web if urlsplit(o).netloc == app_host or urlsplit(u).netloc == app_host]
    outside = [u for u, _ in from_app if urlsplit(u).hostname != "127.0.0.1"]
    assert not outside, outside
    elsewhere = sorted({urlsplit(u).netloc for u, _ in web if urlsplit(u).hostname != "127.0.0.1"})
    print(f"\n{len(web)} anrop, {len(from_app)} från appen, alla till 127.0.0.1; "
          f"övriga (test-IdP:ns inloggningssida, stoppade): {elsewhere}")


def _own_non_loopback_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback (from `hostname -I` and the host name)."""
    found: set[str] = set()
    try:
        out = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=10).stdout
        found.update(out.split())
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        found.update(a[4][0] for a in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET))
    except OSError:
        pass
    return sorted(a for a in found if "." in a and not a.startswith("127."))


def test_server_with_the_repos_config_listens_on_loopback_only(server):
    """The app started without --server.address (the repo's .streamlit/config.toml) is not reachable from
    the network: a connection to this machine's other addresses is refused."""
    url, _ = server
    port = urlsplit(url).port
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    addresses = _own_non_loopback_addresses()
    if not addresses:
        pytest.skip("den här datorn har ingen adress utöver loopback")
    for address in addresses:
        with pytest.raises(OSError):
            socket.create_connection((address, port), timeout=5).close()
