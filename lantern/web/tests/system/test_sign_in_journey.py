"""Signing in with a second factor, and the Content Security Policy, in a browser (issue #8, ADR 16).

Jo Bennett (demo.tm1) manages a team: after her password she enters the code of the demo authenticator
(whose key is published for the demo). Alex Carter (demo.sm1), a senior manager, has no authenticator
yet in these tests: he sets one up from the QR code's key.
"""

from __future__ import annotations

import base64
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from lantern.web.tests.system.conftest import TITLE_END, CheckPage, SignIn

pytestmark = pytest.mark.system


def test_a_manager_enters_the_code_from_her_authenticator(
    page: Page, server: str, sign_in_only_password: SignIn, sign_in_code, check_page: CheckPage
) -> None:
    sign_in_only_password(page, "demo.tm1")
    expect(page).to_have_url(f"{server}/sign-in/code/?next=%2F")
    check_page(page)
    # Nothing else opens before the code is given.
    page.goto(f"{server}/search/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")

    page.get_by_label("Code", exact=True).fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")
    expect(page.get_by_role("alert")).to_contain_text("The code is not right, or has expired")
    expect(page).to_have_title(f"Error: Enter the code from your authenticator app{TITLE_END}")
    check_page(page)

    sign_in_code(page, "demo.tm1")
    # Back where she was going.
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a child")
    check_page(page)


def test_a_senior_manager_sets_up_an_authenticator(
    page: Page, server: str, sign_in_only_password: SignIn, check_page: CheckPage
) -> None:
    TOTPDevice.objects.filter(user__username="demo.sm1").delete()
    sign_in_only_password(page, "demo.sm1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    picture = page.get_by_role("img", name="QR code of your key")
    expect(picture).to_be_visible()
    assert page.evaluate("image => image.naturalWidth", picture.element_handle()) > 100
    check_page(page)

    key = page.get_by_text("Key (time-based").locator("xpath=following-sibling::p").inner_text()
    totp = TOTP(base64.b32decode(key.replace(" ", "")))
    totp.time = time.time()
    page.get_by_label("Code from your authenticator app").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My children")
    assert TOTPDevice.objects.get(user__username="demo.sm1").confirmed


def test_a_manager_who_lost_her_phone_signs_in_with_a_recovery_code(
    page: Page, server: str, sign_in: SignIn, sign_in_only_password: SignIn, check_page: CheckPage
) -> None:
    sign_in(page, "demo.tm1")  # password and authenticator
    page.goto(f"{server}/account/recovery-codes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    check_page(page)
    page.get_by_role("button", name="Create new recovery codes").click()
    codes = page.get_by_role("list", name="Your recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    check_page(page)
    first = codes.first.inner_text()
    page.get_by_role("button", name="Sign out").click()

    sign_in_only_password(page, "demo.tm1")
    page.get_by_role("link", name="use a recovery code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter a recovery code")
    check_page(page)
    page.get_by_label("Recovery code").fill("aaaa-bbbb-cccc")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("The recovery code is not right")
    check_page(page)
    page.wait_for_timeout(1100)  # django-otp's throttle: a second try waits a second after a wrong one
    page.get_by_label("Recovery code").fill(first)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My children")
    expect(page.get_by_text("you have 9 left")).to_be_visible()
    check_page(page)


def test_the_content_security_policy_stops_an_injected_script(browser: Browser, server: str) -> None:
    """A script put into the page (as a stored script payload would be) neither runs nor goes unreported."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{server}/sign-in/")
        violated = page.evaluate(
            """() => new Promise((resolve) => {
                document.addEventListener(
                    "securitypolicyviolation", (event) => resolve(event.violatedDirective)
                );
                const script = document.createElement("script");
                script.textContent = "window.injected = true";
                document.body.append(script);
                const styled = document.createElement("p");
                styled.setAttribute("style", "color: red");
                document.body.append(styled);
            })"""
        )
        assert violated.startswith("script-src")
        assert page.evaluate("() => window.injected") is None
        # GOV.UK Frontend's own inline script ran, with the page's nonce.
        assert "govuk-frontend-supported" in (page.locator("body").get_attribute("class") or "")
    finally:
        context.close()
