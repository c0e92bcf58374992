"""Case episodes, the review gate and escalation in a browser (issue #7, items 4 to 8), axe on every page.

Jo Bennett (demo.tm1) manages the Child Protection Team, whose Sam Okafor (demo.sw1) holds the pre-birth
assessment of the unborn baby Hart (demo:u1), who has no plan: Jo opens the case, is refused its closure
(no review in the last 30 days), records a case review, and closes it. Mason Ward (demo:c1) is on a child
protection plan; before the browser starts, two reviews of it that found no change and then worse are
added, and screening raises "Stuck case" for him: Sam escalates it to Alex Carter (demo.sm1), a senior
manager, from the alert. The level of need and the team dashboard are checked with axe too.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from lantern.casework.models import Plan, PlanReview
from lantern.people.models import Person
from lantern.screening.engine import alerts_sync
from lantern.screening.models import Alert, AlertStatus
from lantern.web.tests.system.conftest import CheckPage, SignIn

pytestmark = pytest.mark.system


def _fill_date(page: Page, legend: str, day: dt.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


@pytest.fixture
def stuck(server: str) -> int:
    """Mason's plan has had two reviews without progress: the stuck-case alert is raised."""
    plan = Plan.objects.get(source="demo", source_id="p1")
    today = timezone.localdate()
    PlanReview.objects.create(plan=plan, held_on=today - dt.timedelta(days=20), progress="no-change")
    PlanReview.objects.create(plan=plan, held_on=today - dt.timedelta(days=6), progress="worse")
    mason = Person.objects.get(source="demo", source_id="c1")
    alerts_sync([mason.pk])
    return Alert.objects.get(child=mason, rule="stuck-case", status=AlertStatus.RAISED).pk


def test_a_manager_cannot_close_a_case_without_a_review(
    page: Page, server: str, sign_in: SignIn, check_page: CheckPage
) -> None:
    sign_in(page, "demo.tm1")
    page.goto(f"{server}/children/demo:u1/")
    page.get_by_role("navigation", name="This child's record").get_by_role("link", name="Case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Case")
    expect(page.get_by_text(re.compile(r"No case is recorded in Lantern"))).to_be_visible()
    check_page(page)

    # Open the case: Sam, already involved, keeps his allocation.
    page.get_by_role("link", name="Open a case").click()
    expect(page.get_by_label("Worker (optional)")).to_have_value(re.compile(r"\d+"))
    expect(page.get_by_label("Worker (optional)").locator("option:checked")).to_have_text(
        "Sam Okafor, Child Protection Team"
    )
    check_page(page)
    page.get_by_role("button", name="Open the case").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why the case is being opened")
    check_page(page)
    page.get_by_label("Why is the case being opened?").fill("Pre-birth assessment: mother's substance misuse")
    page.get_by_role("button", name="Open the case").click()
    expect(
        page.get_by_role("alert").or_(page.locator(".govuk-notification-banner--success"))
    ).to_contain_text("case is open")
    card = page.locator(".govuk-summary-card").first
    expect(card).to_contain_text("Sam Okafor, Child Protection Team")
    expect(card).to_contain_text("No review in the last 30 days")
    check_page(page)

    # Closing without a review is refused, saying why; nothing changes.
    card.get_by_role("link", name=re.compile(r"^Close")).click()
    page.get_by_label("Why is the case being closed?").fill("Family moved out of the area")
    page.get_by_role("button", name="Close the case").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(
        re.compile(
            r"case cannot be closed: there has been no review in the last 30 days \(since \d+ \w+ \d{4}\)"
        )
    )
    expect(page).to_have_title(re.compile(r"^Error: Close the case"))
    check_page(page)
    page.get_by_role("link", name="Cancel").click()
    expect(page.locator(".govuk-summary-card").first).to_contain_text("Open")

    # The review: it says whether the child's needs are now met.
    page.locator(".govuk-summary-card").first.get_by_role(
        "link", name=re.compile(r"^Record a case review")
    ).click()
    check_page(page)
    _fill_date(page, "When was the review?", timezone.localdate())
    page.get_by_label("Improved").check()
    page.get_by_label("Yes, their needs are now met").check()
    page.get_by_label("What did the review find?").fill(
        "Mother engaged with treatment; midwife and health visitor in place"
    )
    page.get_by_role("button", name="Save the review").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The case review is recorded")
    expect(page.get_by_role("table", name="Case reviews")).to_contain_text("Mother engaged with treatment")
    check_page(page)

    # Now it closes.
    page.locator(".govuk-summary-card").first.get_by_role("link", name=re.compile(r"^Close")).click()
    page.get_by_label("Why is the case being closed?").fill("Needs met: stepped down to universal services")
    page.get_by_role("button", name="Close the case").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("case is closed")
    closed = page.locator(".govuk-summary-card").first
    expect(closed).to_contain_text("Closed")
    expect(closed).to_contain_text("Needs met: stepped down to universal services")
    expect(closed.locator(".moj-timeline__title")).to_have_text(["Case closed", "Case opened: Sam Okafor"])
    check_page(page)


def test_a_practitioner_escalates_a_stuck_case(
    page: Page, server: str, stuck: int, sign_in: SignIn, check_page: CheckPage
) -> None:
    sign_in(page, "demo.sw1")
    page.goto(f"{server}/alerts/{stuck}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stuck case")
    page.get_by_role("link", name="Escalate to a senior manager").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Escalate a stuck case")
    expect(page.get_by_label("Stuck case escalated to a senior manager")).to_be_checked()
    check_page(page)

    # Everything left out is named in the error summary.
    page.get_by_role("button", name="Raise it").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter what the concern is and what you want to happen")
    expect(summary).to_contain_text("Select who must respond")
    expect(summary).to_contain_text("Enter the date a response is due")
    check_page(page)

    page.get_by_label("What is the concern, and what do you want to happen?").fill(
        "Two reviews without progress; unannounced visits still find Mason's cot unused"
    )
    page.get_by_label("Who must respond?").select_option(label="Alex Carter")
    _fill_date(page, "When is a response due?", timezone.localdate() + dt.timedelta(days=7))
    page.get_by_role("button", name="Raise it").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("raised with Alex Carter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stuck case escalated to a senior manager")
    details = page.locator(".govuk-summary-list").first
    expect(details).to_contain_text("Stage Informal")
    expect(details).to_contain_text("Owner Alex Carter")
    check_page(page)

    # The alert records what was done.
    page.get_by_role("link", name="Stuck case alert").click()
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Status Action recorded")
    expect(page.locator(".govuk-summary-list").first).to_contain_text(
        "Escalated to Alex Carter, senior manager"
    )
    check_page(page)


def test_a_manager_sees_the_level_of_need_and_the_team_dashboard(
    page: Page, server: str, stuck: int, sign_in: SignIn, check_page: CheckPage
) -> None:
    sign_in(page, "demo.tm1")
    page.goto(f"{server}/children/demo:c1/level-of-need/")
    page.get_by_label("4. Child protection (specialist)").check()
    page.get_by_label("Child protection (specialist): Child left alone or with unsuitable carers").check()
    page.get_by_label("Why are the child's needs at this level?").fill(
        "On a child protection plan for neglect"
    )
    page.get_by_role("button", name="Save the level of need").click()
    expect(page.locator(".moj-timeline__title")).to_have_text(["Set: 4. Child protection (specialist)"])
    check_page(page)
    page.goto(f"{server}/children/demo:c1/")
    expect(page.locator(".govuk-summary-list").first).to_contain_text("4. Child protection (specialist)")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Team dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Child Protection Team")
    expect(page.locator("tr[data-rule=stuck-case] td").first).to_have_text("1")
    expect(page.get_by_role("img", name="Caseload per worker")).to_be_visible()
    check_page(page)
    page.get_by_text("Show the figures as a table").first.click()
    check_page(page)
