"""Assessments in a browser (issue #6): a home conditions assessment for two sisters, graded over two
visits, completed, and the home's scores over time; every page checked with axe-core (conftest.py).

The demo area gives Ava Price (demo:c4) a home conditions assessment on 26 August 2026 (overall 1.67). Her
sister Lily (demo:c3) lives with her; Priya Shah (demo.sw2), a social worker, is involved with both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from lantern.assessments.definitions import template_default
from lantern.web.tests.system.conftest import CheckPage, SignIn

pytestmark = pytest.mark.system

HOME = template_default("home-conditions")
LILY = "/children/demo:c3"


def date_boxes(page: Page, legend: str, day: dt.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def grade_area(page: Page, area_title: str, grade: str, check_page: CheckPage) -> None:
    """From the assessment's task list: grade every item of the area, with its evidence, and save."""
    page.get_by_role("link", name=area_title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(area_title)
    check_page(page)
    area = next(a for a in HOME.areas if a.title == area_title)
    for item in area.items:
        if item.optional:
            continue
        page.get_by_role("group", name=item.title).get_by_label(grade, exact=True).check()
        page.get_by_label(f"Evidence for “{item.title}”").fill(f"Seen on the visit: {item.title.lower()}")
    page.get_by_role("button", name="Save and return to the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Home conditions assessment")


def test_a_home_conditions_assessment_over_two_visits_and_the_trend(
    new_page: Callable[..., Page], server: str, sign_in: SignIn, check_page: CheckPage
) -> None:
    first_visit = dt.date.today() - dt.timedelta(days=7)
    page = new_page()
    sign_in(page, "demo.sw2")
    page.goto(f"{server}{LILY}/")
    page.get_by_role("navigation", name="This child's record").get_by_role("link", name="Assessments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessments")
    check_page(page)

    # First visit: start it for Lily and her sister Ava, rated for Ava, the younger.
    page.get_by_role("button", name="Start a home conditions assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a home conditions assessment")
    check_page(page)
    page.get_by_role("button", name="Start the assessment").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(["Enter the date of the first visit"])
    check_page(page)
    date_boxes(page, "Date of the first visit", first_visit)
    page.get_by_label("Ava Price").first.check()
    page.get_by_role("group", name="Which child do the home conditions affect most?").get_by_label(
        "Ava Price"
    ).check()
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Home conditions assessment")
    expect(page.get_by_text("Rated for")).to_be_visible()
    check_page(page)
    grade_area(page, "Kitchen and food", "1 \N{EN DASH} Some concern", check_page)
    grade_area(page, "Sleeping arrangements", "0 \N{EN DASH} No concern", check_page)
    tasks = page.locator(".govuk-task-list__item")
    expect(tasks.nth(0)).to_contain_text("Graded")
    expect(tasks.nth(2)).to_contain_text("Not started")
    check_page(page)

    # Second visit, another day: the draft is on Lily's assessments; grade the rest and complete it.
    page = new_page()
    sign_in(page, "demo.sw2")
    page.goto(f"{server}{LILY}/assessments/")
    page.get_by_role("link", name="Home conditions").click()
    for area_title in (
        "Bathroom and hygiene",
        "Floors and hazards",
        "Heating, light and water",
        "Smells, damp and pests",
    ):
        grade_area(page, area_title, "0 \N{EN DASH} No concern", check_page)
    page.get_by_role("button", name="Complete the assessment").click()
    check_page(page)
    page.get_by_role("button", name="Complete the assessment").click()
    expect(page.locator(".govuk-error-summary").get_by_role("link")).to_have_text(
        ["Enter the date the assessment was completed", "Select the overall level of concern"]
    )
    check_page(page)
    date_boxes(page, "Date the assessment was completed", dt.date.today())
    page.get_by_label("Low", exact=True).check()
    page.get_by_label("Actions agreed").fill("Keep the kitchen clear; visit again in two months.")
    page.get_by_role("button", name="Complete the assessment").click()
    expect(page.get_by_role("alert", name="Success")).to_contain_text(
        "The home conditions assessment is completed"
    )
    expect(page.get_by_text("1 \N{EN DASH} Some concern").first).to_be_visible()
    expect(page.get_by_role("img", name="Grades by area")).to_be_visible()
    check_page(page)

    # The home's scores over time: Ava's August assessment and this one, better.
    page.get_by_role("link", name="All of Lily Price's assessments and the scores over time").click()
    expect(page.get_by_role("heading", name="Home conditions scores over time")).to_be_visible()
    chart = page.get_by_role("img", name="Home conditions scores over time")
    expect(chart).to_be_visible()
    figure = page.get_by_role("figure", name="Home conditions scores over time")
    expect(figure.locator("figcaption")).to_contain_text("Overall: 1.67, 0.17.")
    expect(figure.locator("figcaption")).to_contain_text(
        "The score has improved and the improvement has held so far."
    )
    # Lily's graded care went 3.75, 2.75, 3.75: the chart marks what the alert says.
    graded = page.get_by_role("figure", name="Graded care scores over time")
    expect(graded.locator("figcaption")).to_contain_text("Improvement was not sustained once")
    expect(graded.locator(".lantern-chart__not-sustained")).to_have_count(1)
    figure.get_by_text("Show the figures as a table").click()
    rows = page.get_by_role(
        "table", name="Home conditions scores over time: grade of each area and the overall score"
    )
    expect(rows.locator("tbody tr")).to_have_count(2)
    expect(rows.locator("tbody tr").first.locator("th")).to_have_text("26 August 2026")
    check_page(page)
