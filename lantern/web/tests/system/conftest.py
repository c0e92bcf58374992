"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

One browser serves every test in this package, and each test gets a fresh context (no shared cookies).
Every page a test visits is checked with ``check_page``: its GOV.UK stylesheet has loaded, it has one
``h1`` and a title naming the service, and axe-core (from npm, ``node_modules/axe-core``) finds no
WCAG 2.2 A or AA problem and no breach of its best practices (one ``h1``, everything in landmarks).
Every page runs under Lantern's strict Content Security Policy, and any violation of it fails the test.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

from lantern.agencies.accounts import second_factor_required
from lantern.agencies.models import Professional
from lantern.interop.demo import DEMO_AUTHENTICATOR, DEMO_PASSWORD, demo_area_load

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# Playwright waits up to 30 seconds by default; every page here is ready in well under one.
TIMEOUT_MS = 5_000
# Chrome reports every 4xx page as a console error; the tests check those statuses themselves.
_PAGE_STATUS_MESSAGE = re.compile(r"^Failed to load resource: the server responded with a status of 4\d\d")

# Every breach of the Content Security Policy is said in the console, whatever the browser would say.
_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const blocked = event.blockedURI || "inline";
  console.error(`Content Security Policy violation: ${event.violatedDirective} blocked ${blocked}`
    + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""

# Every page's title ends with the service and the area, after en dashes: "My children - Lantern - Demo area".
TITLE_END = f" \N{EN DASH} Lantern \N{EN DASH} {settings.LANTERN_AREA_NAME}"

SignIn = Callable[..., None]
CheckPage = Callable[..., None]


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    """Playwright, started for this package's tests and stopped when they end.

    Its sync API keeps an asyncio event loop running in this thread while it is started, so Django would
    refuse the tests' database work (loading the demo area, flushing the database) as "async unsafe".
    Nothing here is concurrent, so the check is off, but only while Playwright runs: other tests keep it.
    """
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: `make pytest` installs Debian's")
    if not AXE_JS.exists():
        pytest.fail(f"no axe-core at {AXE_JS}: `make install` installs it")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as started:
            yield started


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Make a page in a context of its own (``new_page(java_script_enabled=False)`` for one without JS).

    A test fails if anything goes wrong in a page's browser console: a script error, a stylesheet,
    script or image that did not load, or anything the Content Security Policy refused.
    """
    contexts: list[BrowserContext] = []
    problems: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        if _PAGE_STATUS_MESSAGE.match(message.text) and "/static/" not in message.location.get("url", ""):
            return
        problems.append(f"{message.text} ({message.location.get('url')})")

    def make(**options: Any) -> Page:
        context = browser.new_context(locale="en-GB", timezone_id="Europe/London", **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        context.add_init_script(_CSP_VIOLATIONS)
        page = context.new_page()
        page.on("console", console)
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        return page

    yield make
    for context in contexts:
        context.close()
    if problems:
        pytest.fail("Problems in the browser console:\n" + "\n".join(problems))


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()


@pytest.fixture(autouse=True)
def _expect_timeout() -> None:
    expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture
def server(live_server: Any, transactional_db: None, settings: Any) -> str:
    """The live server's address, serving the synthetic demo area.

    The demo area sets every demo professional's password: a fast hasher keeps that (and signing in)
    quick. The live server's thread reads the same settings.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_area_load()
    return str(live_server.url)


@pytest.fixture
def sign_in(server: str) -> SignIn:
    """Sign in on ``page`` as a demo professional (``"demo.sw1"``) and wait for "My children"."""

    def sign_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
        page.goto(f"{server}/sign-in/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_role("button", name="Sign in").click()
        if password == DEMO_PASSWORD:
            if second_factor_required(Professional.objects.get(username=username)):
                code_enter(page, username)
            expect(page.get_by_role("heading", level=1)).to_have_text("My children")

    return sign_in


def demo_code(username: str) -> str:
    """The code the demo authenticator shows now, or a later one if now's was used (a code is good once):
    the server accepts ``tolerance`` steps ahead, so past that the authenticator is waited for."""
    device = TOTPDevice.objects.get(user__username=username, name=DEMO_AUTHENTICATOR)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now = time.time()
    step_now = int((now - device.t0) // device.step)
    wanted = max(step_now, device.last_t + 1)
    if wanted > step_now + device.tolerance:
        time.sleep(device.t0 + (wanted - device.tolerance) * device.step - now + 0.5)
    totp.time = device.t0 + wanted * device.step
    allowed, why = device.verify_is_allowed()  # after a wrong code the device refuses for a moment
    if not allowed and why and "locked_until" in why:
        time.sleep(max(0.0, (why["locked_until"] - timezone.now()).total_seconds()) + 0.2)
    return f"{totp.token():06d}"


def code_enter(page: Page, username: str) -> None:
    """The sign-in's second step, with the demo authenticator's code."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")
    page.get_by_label("Code", exact=True).fill(demo_code(username))
    page.get_by_role("button", name="Continue").click()


@pytest.fixture
def sign_in_code() -> Callable[[Page, str], None]:
    """``sign_in_code(page, username)``: enter the demo authenticator's code on the code page."""
    return code_enter


@pytest.fixture
def sign_in_only_password(server: str) -> SignIn:
    """Give the username and password, and stop there (at the code page, for those who need one)."""

    def sign_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
        page.goto(f"{server}/sign-in/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_role("button", name="Sign in").click()

    return sign_in


def axe_violations_described(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(str(t) for t in node['target'])}: {node['html'][:160]}")
            summary = node.get("failureSummary") or ""
            lines.extend(f"      {line.strip()}" for line in summary.splitlines() if line.strip())
    return "\n".join(lines)


def axe_check(page: Page) -> None:
    """Run axe-core on the page as it is now; fail listing every violation and the elements failing it."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated by the browser's debugger, not as a <script> in the page, which the CSP would refuse.
        page.evaluate(AXE_JS.read_text() + "\n;undefined")
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    violations = results["violations"]
    if violations:
        pytest.fail(
            f"axe-core found {len(violations)} accessibility problem(s) on {page.url} "
            f"(“{page.title()}”):\n{axe_violations_described(violations)}"
        )


@pytest.fixture
def axe() -> CheckPage:
    """``axe(page)``: axe-core's WCAG 2.2 A and AA rules, and its best practices, on the page as it is."""
    return axe_check


@pytest.fixture
def check_page() -> CheckPage:
    """``check_page(page)``: the page is styled by GOV.UK Frontend, is titled, and passes axe-core.

    ``check_page(page, accessibility=False)`` leaves out axe-core (and the check that Lantern's script has
    run), for pages without JavaScript, where axe-core cannot run: the same pages are checked elsewhere.

    A page whose stylesheet did not load would pass axe-core and still be broken, so the check looks at
    styles only the stylesheet sets: GOV.UK's Arial on the ``h1`` and the width container's 960px.
    """

    def check(page: Page, *, accessibility: bool = True) -> None:
        heading = page.locator("h1")
        expect(heading).to_have_count(1)
        expect(heading).to_have_css("font-family", "arial, sans-serif")
        expect(page.locator(".govuk-width-container").first).to_have_css("max-width", "960px")
        expect(page).to_have_title(re.compile(rf"^(Error: )?\S.*{re.escape(TITLE_END)}$"))
        if accessibility:
            # Lantern's script (lantern/init.mjs) has started GOV.UK Frontend's components.
            navigation = page.locator("[data-module=govuk-service-navigation]")
            expect(navigation).to_have_attribute("data-govuk-service-navigation-init", "")
            axe_check(page)

    return check
