"""Plans in a browser (issue #7): write a plan, an action without an owner refused and then fixed, the
quality check while an outcome is typed, a review against each outcome, and the meetings page with its
timescales. Every page is checked with axe-core (``check_page``).

Sam Okafor (demo.sw1) is Mason Ward's (demo:c1) allocated social worker in the demo area.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from lantern.web.tests.system.conftest import CheckPage, SignIn
from lantern.web.tests.system.test_chronology_journey import error_summary, expect_errors, title

pytestmark = pytest.mark.system

MASON = "/children/demo:c1"


def fill_date(page: Page, legend: str, day: dt.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_write_a_plan_refuse_an_action_without_an_owner_fix_it_and_review(
    page: Page, server: str, sign_in: SignIn, check_page: CheckPage
) -> None:
    sign_in(page, "demo.sw1")
    page.goto(f"{server}{MASON}/")
    page.get_by_role("navigation", name="This child's record").get_by_role("link", name="Plans").click()
    expect(page).to_have_title(title("Plans", "Mason Ward"))
    check_page(page)

    page.get_by_role("button", name="Write a plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write a plan")
    expect(page.get_by_role("checkbox", name="Mason Ward")).to_be_checked()
    check_page(page)
    page.get_by_role("radio", name="Child protection").check()
    page.get_by_role("radio", name="Neglect").check()
    fill_date(page, "When did the plan start?", dt.date.today() - dt.timedelta(days=7))
    page.get_by_label("Lead professional").select_option(label="Sam Okafor, Children's Social Care")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Child protection plan (neglect)")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The plan is saved")
    check_page(page)

    # An outcome, with the quality check answering as it is typed (htmx): a vague word, no measure.
    page.get_by_role("link", name="Add an outcome").click()
    page.get_by_label("What will be different for the child?").fill("Mum will engage with services")
    expect(page.locator("#quality-check")).to_contain_text("“engage” does not say what will be different")
    check_page(page)
    page.get_by_label("What will be different for the child?").fill("Mason has breakfast before nursery")
    page.get_by_label("How will we know?").fill("Every day, checked at 3 visits by the review")
    expect(page.locator("#quality-check")).to_contain_text("nothing to improve so far")
    page.get_by_role("button", name="Save the outcome").click()
    expect(page.locator(".govuk-summary-card", has_text="Outcomes")).to_contain_text(
        "Mason has breakfast before nursery"
    )

    # An action without an owner: refused, with the error summary and the field's own message.
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("What will be done?").fill("Book Mason's dental check")
    fill_date(page, "By when?", dt.date.today() + dt.timedelta(days=14))
    # The quality check says so while it is written…
    expect(page.locator("#quality-check")).to_contain_text("The action has no owner")
    # …and saving it is refused.
    page.get_by_role("button", name="Save the action").click()
    expect(page).to_have_title(title("Error: Add an action", "Mason Ward"))
    expect_errors(page, [("Select who will do the action", "#owner")])
    expect(page.locator("#owner-error")).to_have_text("Error: Select who will do the action")
    expect(page.locator("#quality-check")).to_be_empty()
    check_page(page)

    # Fixed: the owner chosen; what was typed was kept.
    expect(page.get_by_label("What will be done?")).to_have_value("Book Mason's dental check")
    page.get_by_label("Who will do it?").select_option(label="Sam Okafor, Children's Social Care")
    expect(page.locator("#quality-check")).to_contain_text("nothing to improve so far")
    page.get_by_role("button", name="Save the action").click()
    actions = page.locator(".govuk-summary-card", has_text="Actions")
    expect(actions.get_by_role("cell", name="Book Mason's dental check")).to_be_visible()
    expect(actions.get_by_role("cell", name="Sam Okafor")).to_be_visible()
    check_page(page)

    # A review: progress against the outcome and overall.
    page.get_by_role("link", name="Record a review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a review")
    check_page(page)
    page.get_by_role("button", name="Save the review").click()
    error_summary(page)
    check_page(page)
    fill_date(page, "When was the review?", dt.date.today())
    page.get_by_role("group", name="Outcome 1: Mason has breakfast before nursery").get_by_label(
        "Improved"
    ).check()
    page.get_by_role("group", name="Overall, since the last review").get_by_label("No change").check()
    page.get_by_role("button", name="Save the review").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The review is recorded")
    reviews = page.locator(".govuk-summary-card", has_text="Reviews")
    expect(reviews).to_contain_text(": no change")
    expect(reviews).to_contain_text("Outcome 1: improved")
    check_page(page)

    # The plan and its review are on Mason's chronology.
    page.goto(f"{server}{MASON}/chronology/?type=plan-review")
    expect(page.locator("#chronology-results")).to_contain_text(
        "Review of the child protection (neglect) plan"
    )


def test_meetings_with_timescales_and_the_quality_audit(
    page: Page, new_page: Callable[..., Page], server: str, sign_in: SignIn, check_page: CheckPage
) -> None:
    sign_in(page, "demo.sw1")
    page.goto(f"{server}{MASON}/meetings/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meetings")
    check_page(page)
    page.get_by_role("button", name="Record a meeting").click()
    page.get_by_role("radio", name="Strategy discussion").check()
    fill_date(page, "When was it held?", dt.date.today() - dt.timedelta(days=1))
    page.get_by_role("group", name="Agencies invited").get_by_role("checkbox").first.check()
    page.get_by_label("Decisions").fill("Start enquiries; hold an initial conference")
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Strategy discussion on")
    check_page(page)
    page.get_by_role("link", name="Meetings").click()
    timescales = page.get_by_role("table", name="Conference timescales")
    expect(timescales).to_contain_text("Initial child protection conference")
    expect(timescales).to_contain_text("within 15 working days")
    check_page(page)

    # Sam's manager audits the quality of the plans of her team's children.
    manager = new_page()
    sign_in(manager, "demo.tm1")
    manager.get_by_role("link", name="Plan quality").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Plan quality audit")
    check_page(manager)
