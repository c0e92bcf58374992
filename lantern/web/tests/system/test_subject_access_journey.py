"""The data protection officer's pages in a browser (issue #8, item 8): a subject access request recorded
(with its errors), identity verified, the deadline extended, a legal hold placed and lifted; axe-core on
each page. Chris Doyle (demo.aud1, an auditor) holds the office in these tests.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from lantern.agencies.models import Professional
from lantern.retention.models import DataProtectionOfficer, LegalHold, SubjectAccessRequest
from lantern.web.tests.system.conftest import CheckPage, SignIn

pytestmark = pytest.mark.system


@pytest.fixture
def officer(server: str) -> str:
    chris = Professional.objects.get(username="demo.aud1")
    DataProtectionOfficer.objects.create(
        professional=chris, appointed_by=Professional.objects.get(username="demo.admin1")
    )
    return server


def _date(page: Page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_the_officer_handles_a_request(
    page: Page, sign_in: SignIn, check_page: CheckPage, officer: str
) -> None:
    sign_in(page, "demo.aud1")
    page.get_by_role("link", name="Subject access").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Subject access requests")
    check_page(page)

    page.get_by_role("button", name="Record a new request").click()
    page.get_by_label("Reference of the person the request is about").fill("demo:c1")
    page.get_by_role("button", name="Record the request").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_role("link", name="Enter the name of who asked")).to_be_visible()
    check_page(page)

    page.get_by_label("Who asked").fill("Lisa Price")
    page.get_by_label("A parent or carer with parental responsibility").check()
    _date(page, "When was the request received?", "2", "11", "2026")
    page.get_by_role("button", name="Record the request").click()
    expect(page.get_by_text("The request is recorded")).to_be_visible()
    expect(page.get_by_text("Not verified yet: the month has not started")).to_be_visible()
    check_page(page)

    _date(page, "When was it verified?", "3", "11", "2026")
    page.get_by_label("How was it verified?").fill("Passport seen at the front desk")
    page.get_by_role("button", name="Record the verification").click()
    expect(page.get_by_text("Identity verified: the month has started")).to_be_visible()
    expect(page.get_by_text("3 December 2026", exact=True)).to_be_visible()
    check_page(page)

    page.get_by_label("One month").check()
    page.get_by_label("Why is the request complex, or one of many?").fill("Records from five agencies")
    page.get_by_role("button", name="Extend the deadline").click()
    expect(page.get_by_text("The deadline is extended")).to_be_visible()
    assert SubjectAccessRequest.objects.get().extension_months == 1
    check_page(page)

    page.get_by_role("link", name="Retention and legal holds").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mason Ward")
    check_page(page)
    page.get_by_role("button", name="Place the hold").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_page(page)
    page.get_by_label("Why must they be kept?").fill("Serious case review")
    page.get_by_role("button", name="Place the hold").click()
    expect(page.get_by_text("The legal hold is placed")).to_be_visible()
    check_page(page)
    page.get_by_label("Why can the hold be lifted?").fill("Review published")
    page.get_by_role("button", name="Lift the hold").click()
    expect(page.get_by_text("The legal hold is lifted")).to_be_visible()
    assert LegalHold.objects.get().lifted_reason == "Review published"
    check_page(page)


def test_anyone_else_is_refused(page: Page, sign_in: SignIn, check_page: CheckPage, server: str) -> None:
    sign_in(page, "demo.aud1")
    expect(page.get_by_role("link", name="Subject access")).to_have_count(0)
    page.goto(f"{server}/subject-access/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Only the data protection officer can use this page"
    )
    check_page(page)
