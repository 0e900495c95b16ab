"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against Django's live server."""

import os
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; Django's async-unsafe check would refuse ORM use.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        yield chromium
        chromium.close()


# Every page runs under the Content-Security-Policy the app sends (development settings too): any
# violation (a blocked inline script, eval, injected style…) fails the test that caused it.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const blocked = event.blockedURI || "inline";
  window.reportCspViolation(`${event.effectiveDirective} blocked ${blocked} on ${document.location.pathname}`);
});
"""


def _watched_page(context):
    page = context.new_page()
    page.csp_violations = []
    page.expose_function("reportCspViolation", lambda violation: page.csp_violations.append(violation))
    page.add_init_script(REPORT_CSP_VIOLATIONS)
    page.on(
        "console",
        lambda message: page.csp_violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return page


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = _watched_page(context)
    yield page
    context.close()
    assert page.csp_violations == []


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = _watched_page(context)
    yield page
    context.close()
    assert page.csp_violations == []


@pytest.fixture
def login(live_server):
    """login(page, user) logs `user` in through the login form (password from tests.factories)."""

    def do_login(page, user, password="pass-word-123"):
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state("networkidle")

    return do_login


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_serious_violations(page) -> list[dict]:
    """Run axe-core on the page; return the violations whose impact is serious or critical."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
