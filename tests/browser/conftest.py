"""Browser tests: the real app on a live port, driven by Debian's Chromium through Playwright.

The server runs in a background thread of this process, on its own SQLite file built by the
migrations and the demo seed, so `set_clock` here moves the server's time too. These fixtures
are named apart from the root conftest's (`app`, `db`, `client`, `clock`): nothing is shared.
"""

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import flask_migrate
import pytest
from flask import Flask

from helpdesk import create_app
from helpdesk.clock import set_clock
from helpdesk.demo import DEMO_PASSWORD, DOMAIN, seed
from helpdesk.extensions import db

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
# Monday 16 November 2026, 08:00 in New York: a school day inside the demo term.
START = datetime(2026, 11, 16, 13, 0, tzinfo=UTC)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _require(present: bool, what: str, how: str) -> None:
    """In CI a missing tool fails the run; elsewhere the browser tests skip and say why."""
    if present:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing in CI: {how}")
    pytest.skip(f"Browser tests need {what}: {how} (then re-run); they run in CI.")


@dataclass
class LiveServer:
    app: Flask
    url: str

    def advance(self, **delta) -> None:
        """Move the server's clock (it runs in this process) to this long after START."""
        moment = START + timedelta(**delta)
        set_clock(lambda: moment)


@pytest.fixture(scope="session")
def playwright_browser():
    _require(CHROMIUM.exists(), "Debian's chromium", "apt-get install chromium")
    _require(AXE.exists(), "axe-core", "run npm ci")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
    yield browser
    browser.close()
    playwright.stop()


def start_live_server(tmp_path_factory, name: str, prepare=None) -> tuple[LiveServer, Callable]:
    """Serve the app on a free port from its own SQLite file: migrated, the demo seeded, then
    `prepare()` (in an app context) for more data; returns the server and its stop function."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args) -> None:
            """No access log: a failing test's output shows what went wrong, not every GET."""

    database = tmp_path_factory.mktemp(name) / "helpdesk-browser.db"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
    with app.app_context():
        flask_migrate.upgrade()
        set_clock(lambda: START)  # the demo places its term and history around "today"
        try:
            seed()
        finally:
            set_clock(None)
        if prepare is not None:
            prepare()
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name=f"{name}-server", daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()

    return LiveServer(app, f"http://127.0.0.1:{server.server_port}"), stop


@pytest.fixture(scope="session")
def live_server(playwright_browser, tmp_path_factory) -> Iterator[LiveServer]:
    server, stop = start_live_server(tmp_path_factory, "browser")
    yield server
    stop()


@pytest.fixture(autouse=True)
def _server_time():
    """Every browser test starts on the same Monday morning; real time comes back afterwards."""
    set_clock(lambda: START)
    yield
    set_clock(None)


def open_context(browser, base_url: str, **options):
    """A fresh browser context (its own cookies) at desktop width unless `viewport` says."""
    context = browser.new_context(
        base_url=base_url,
        # axe is injected as a script tag; the app's CSP (script-src 'self') stays as it is.
        bypass_csp=True,
        viewport=options.pop("viewport", {"width": 1280, "height": 900}),
        # The app renders times on the server; these only keep screenshots the same anywhere.
        locale="en-US",
        timezone_id="America/New_York",
        **options,
    )
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def new_page(playwright_browser, live_server):
    """Open a fresh browser context (its own cookies) and page; closed after the test."""
    contexts = []

    def open_page(**options):
        context = open_context(playwright_browser, live_server.url, **options)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def nav_link(page, name: str):
    """A link of the header's menu, made visible as a person would: on a phone open the menu,
    and open the group (Sessions, Tips, the account, ...) that holds it."""
    # The stylesheet and app.js decide what shows at this width (on a wide screen the menu's
    # button hides and the menu stays open); deciding before they apply clicks a button that
    # then disappears.
    page.wait_for_load_state("load")
    header = page.get_by_role("banner", include_hidden=True)
    link = header.get_by_role("link", name=name, exact=True, include_hidden=True)
    if link.is_visible():
        return link
    menu = page.locator("details[data-menu]")
    if not menu.evaluate("el => el.open"):
        menu.locator("summary").first.click()
    group = page.locator("details[data-nav-group]").filter(
        has=page.get_by_role("link", name=name, exact=True, include_hidden=True)
    )
    if group.count() and not group.evaluate("el => el.open"):
        group.locator("summary").click()
    return link


def email_of(name_or_local: str) -> str:
    """A demo account's email: 'advisor', 'librarian', 'Helen Park' or 'student.maya.chen'."""
    local = name_or_local.lower().replace(" ", ".")
    return f"{local}@{DOMAIN}"


@pytest.fixture
def sign_in():
    """Sign in through the form, as a person would."""
    from playwright.sync_api import expect

    def do(page, who: str, password: str = DEMO_PASSWORD):
        page.goto("/login")
        page.get_by_label("Email").fill(email_of(who))
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        return page

    return do


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:10]:
            target = " ".join(str(t) for t in node["target"])
            summary = " ".join(line.strip() for line in node["failureSummary"].splitlines())
            lines.append(f"    {target}: {summary}")
    return "\n".join(lines)


@pytest.fixture
def check_page():
    """Save a screenshot of the page, then assert axe finds no WCAG 2.1 A/AA violation."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def check(page, step: str) -> None:
        page.wait_for_load_state("load")
        page.screenshot(path=str(SCREENSHOTS / f"{step}.png"), full_page=True)
        assert_axe_clean(page, step)

    return check


# What makes a page scroll sideways: the widest elements, and boxes that scroll inside it.
OVERFLOW = """() => {
    const width = window.innerWidth, problems = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > width) {
        const wide = [...document.body.querySelectorAll('*')]
            .filter(el => el.getBoundingClientRect().right > width + 1)
            .filter(el => ![...el.children].some(c => c.getBoundingClientRect().right > width + 1))
            .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
                + ` "${(el.textContent || '').trim().slice(0, 40)}"`);
        problems.push(`the page is ${doc.scrollWidth}px wide: ${wide.join('; ')}`);
    }
    for (const el of document.body.querySelectorAll('*')) {
        const style = getComputedStyle(el);
        if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1) {
            problems.push(`${el.tagName.toLowerCase()}.${el.className} scrolls sideways `
                + `(${el.scrollWidth}px in ${el.clientWidth}px)`);
        }
    }
    return problems;
}"""


def check_screen(page, step: str, folder: Path = SCREENSHOTS) -> None:
    """A screenshot for a person to look at, then: no sideways scroll, no axe violation."""
    page.wait_for_load_state("load")
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{step}.png"), full_page=True)
    assert page.evaluate(OVERFLOW) == [], step
    assert_axe_clean(page, step)


def assert_axe_clean(page, step: str) -> None:
    """axe-core (injected if the page has not got it) finds no WCAG 2.1 A/AA violation."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    if result["violations"]:
        pytest.fail(f"axe on {step} ({page.url}):\n{_describe(result['violations'])}")


FOCUS_RING = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return outline || style.boxShadow !== 'none';
}"""
MAX_TABS = 60


@pytest.fixture
def tab_to():
    """Press Tab until the target (a locator) has the focus; assert the focus ring shows."""

    def press_tab_until(page, target) -> None:
        for _ in range(MAX_TABS):
            page.keyboard.press("Tab")
            if target.evaluate("el => el === document.activeElement"):
                assert page.evaluate(FOCUS_RING), f"no visible focus on {target} at {page.url}"
                return
        raise AssertionError(f"{MAX_TABS} presses of Tab never reached {target} on {page.url}")

    return press_tab_until
