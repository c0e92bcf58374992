"""The chronology in a browser (issue #3): recording, filtering, the chart, the exports and who may see it.

Every state of every chronology page is checked with ``check_page`` (axe-core, WCAG 2.2 AA and best
practice; see conftest.py): the timeline empty and with events, filtered in place by htmx, both recording
forms empty and with their errors, and the chart by kind with its table open.

The demo area (lantern/interop/fixtures/demo-area.json) gives Mason Ward (demo:c1) fifteen events from
June to October 2026, three of them key events, and Unborn baby Hart (demo:u1) none. Sam Okafor
(demo.sw1) is the allocated social worker of both; Ruth Evans (demo.hv1) is Mason's health visitor; Jo
Bennett (demo.tm1) manages Sam's team; Lee Morgan (demo.pol1) was involved with Mason until September and
Nadia Malik (demo.eh1) never was.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.conf import settings
from playwright.sync_api import Locator, Page, expect

from lantern.chronology.presenters import EXPORT_COLUMNS
from lantern.web.tests.system.conftest import CheckPage, SignIn

pytestmark = pytest.mark.system

MASON = "/children/demo:c1"
MASON_EVENTS = 15
MASON_KEY_EVENTS = 3


def title(*parts: str) -> str:
    """A page's title: its parts, then the service and the area, joined by en dashes."""
    return " \N{EN DASH} ".join([*parts, "Lantern", settings.LANTERN_AREA_NAME])


def error_summary(page: Page) -> Locator:
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("alert").get_by_role("heading")).to_have_text("There is a problem")
    return summary


def expect_errors(page: Page, errors: list[tuple[str, str]]) -> Locator:
    """The error summary has the focus and lists ``errors`` (message, link), in the form's order."""
    summary = error_summary(page)
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    expect(links).to_have_text([message for message, _ in errors])
    for index, (_, href) in enumerate(errors):
        expect(links.nth(index)).to_have_attribute("href", href)
    return summary


def events(page: Page) -> Locator:
    return page.locator("#chronology-results .moj-timeline__item")


def event_dates(page: Page) -> list[str]:
    return [time.get_attribute("datetime") or "" for time in events(page).locator("time").all()]


def date_boxes(page: Page, day: dt.date) -> None:
    """Types a date into GOV.UK's date input (day, month and year)."""
    group = page.get_by_role("group", name="When did it happen?")
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def a_few_days_ago(days: int) -> dt.date:
    return dt.date.today() - dt.timedelta(days=days)


def test_an_observation_recorded_from_the_childs_record_reaches_the_timeline_and_the_exports(
    page: Page, server: str, sign_in: SignIn, check_page: CheckPage
) -> None:
    sign_in(page, "demo.sw1")

    # A child with nothing on the chronology yet: the page says so, with nothing to draw or filter.
    page.goto(f"{server}/children/demo:u1/chronology/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chronology")
    expect(page.locator("#chronology-results")).to_contain_text("Nothing is on the chronology yet.")
    expect(events(page)).to_have_count(0)
    expect(page.get_by_role("img")).to_have_count(0)
    expect(page.get_by_role("form", name="Filter")).to_have_count(0)
    expect(page.get_by_role("link", name="Key events only")).to_have_count(0)
    expect(page.get_by_role("button", name="Record an observation")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Download"))).to_have_count(0)
    check_page(page)

    # From Mason's record to his chronology.
    page.goto(f"{server}{MASON}/")
    page.get_by_role("navigation", name="This child's record").get_by_role("link", name="Chronology").click()
    expect(page).to_have_url(f"{server}{MASON}/chronology/")
    expect(page).to_have_title(title("Chronology", "Mason Ward"))
    expect(page.locator(".govuk-caption-l")).to_have_text("Mason Ward")
    expect(events(page)).to_have_count(MASON_EVENTS)
    expect(page.locator("#chronology-results")).to_contain_text(f"{MASON_EVENTS} events, newest first.")
    assert event_dates(page) == sorted(event_dates(page), reverse=True)
    check_page(page)

    page.get_by_role("button", name="Record an observation").click()
    expect(page).to_have_title(title("Record an observation", "Mason Ward"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an observation")
    # Routine unless the professional says otherwise.
    expect(page.get_by_role("radio", name="Routine")).to_be_checked()
    check_page(page)

    # Nothing entered: every problem in the summary, each linking to the first box of its field.
    page.get_by_role("button", name="Save observation").click()
    expect(page).to_have_title(title("Error: Record an observation", "Mason Ward"))
    summary = expect_errors(
        page,
        [
            ("Enter the date it happened", "#occurred_on-day"),
            ("Select at least one thing the observation is about", "#tags"),
            ("Enter what you saw or heard", "#text"),
        ],
    )
    expect(page.locator("#occurred_on-error")).to_have_text("Error: Enter the date it happened")
    expect(page.locator("#tags-error")).to_be_visible()
    expect(page.locator("#text-error")).to_be_visible()
    check_page(page)
    summary.get_by_role("link", name="Enter the date it happened").click()
    expect(page.get_by_role("group", name="When did it happen?").get_by_label("Day")).to_be_focused()
    summary.get_by_role("link", name="Select at least one thing").click()
    expect(page.get_by_role("checkbox", name="Emotional neglect")).to_be_focused()

    # A date without its month: only the month box is marked, and the summary links to it. What was
    # typed and ticked is kept.
    group = page.get_by_role("group", name="When did it happen?")
    group.get_by_label("Day").fill("3")
    group.get_by_label("Year").fill(str(dt.date.today().year))
    page.get_by_role("checkbox", name="Nutrition").check()
    page.get_by_role("button", name="Save observation").click()
    expect_errors(
        page,
        [
            ("The date must include a month", "#occurred_on-month"),
            ("Enter what you saw or heard", "#text"),
        ],
    )
    expect(group.get_by_label("Month")).to_have_class(re.compile(r"\bgovuk-input--error\b"))
    expect(group.get_by_label("Day")).not_to_have_class(re.compile(r"\bgovuk-input--error\b"))
    expect(group.get_by_label("Day")).to_have_value("3")
    expect(page.get_by_role("checkbox", name="Nutrition")).to_be_checked()
    check_page(page)

    # Done properly: back on the chronology, with a success banner and the observation at the top.
    seen_on = a_few_days_ago(2)
    date_boxes(page, seen_on)
    page.get_by_label("Time (optional)").fill("14:30")
    page.get_by_role("checkbox", name="Hygiene").check()
    page.get_by_label("What did you see or hear?").fill(
        "Mason was in the same nappy as at yesterday's visit.\nNo food in the flat."
    )
    page.get_by_role("radio", name="Key event").check()
    page.get_by_role("button", name="Save observation").click()

    expect(page).to_have_url(f"{server}{MASON}/chronology/")
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Your observation is on Mason Ward's chronology")
    expect(banner).to_be_focused()
    newest = events(page).first
    expect(newest.get_by_role("heading", level=3)).to_have_text("Observation: hygiene, nutrition")
    expect(newest).to_contain_text(f"{seen_on.day} {seen_on:%B %Y}, 2:30pm")
    expect(newest).to_contain_text("by Children's Social Care")
    expect(newest.locator(".govuk-tag")).to_have_text("Key event")
    expect(newest).to_contain_text("Recorded ")
    expect(newest).to_contain_text("by Sam Okafor")
    expect(events(page)).to_have_count(MASON_EVENTS + 1)
    check_page(page)

    # The exports: every event, oldest first, the observation among them.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download all events as a spreadsheet (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "chronology-demo-c1.csv"
    with open(download.path(), encoding="utf-8", newline="") as exported:
        rows = list(csv.reader(exported))
    assert rows[0] == EXPORT_COLUMNS
    assert len(rows) == 1 + MASON_EVENTS + 1
    observation = rows[-1]
    assert observation[2:5] == ["Observation: hygiene, nutrition", "Key event", "Hygiene; Nutrition"]
    assert observation[5] == "Mason was in the same nappy as at yesterday's visit.\nNo food in the flat."
    assert observation[7].endswith("by Sam Okafor")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download all events as a PDF for a conference").click()
    download = download_info.value
    assert download.suggested_filename == "chronology-demo-c1.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_a_home_visit_away_from_the_main_home(
    page: Page, server: str, sign_in: SignIn, check_page: CheckPage
) -> None:
    sign_in(page, "demo.sw1")
    page.goto(f"{server}{MASON}/chronology/")
    page.get_by_role("button", name="Record a home visit").click()
    expect(page).to_have_title(title("Record a home visit", "Mason Ward"))
    expect(page.get_by_role("group", name="Was the visit announced? (optional)")).to_be_visible()
    check_page(page)

    page.get_by_role("button", name="Save home visit").click()
    expect(page).to_have_title(title("Error: Record a home visit", "Mason Ward"))
    summary = expect_errors(
        page,
        [
            ("Enter the date it happened", "#occurred_on-day"),
            ("Select where the visit was", "#location"),
            ("Select whether the child was seen", "#outcome"),
            ("Enter notes from the visit", "#text"),
        ],
    )
    check_page(page)
    summary.get_by_role("link", name="Select where the visit was").click()
    expect(page.get_by_role("radio", name="Main home")).to_be_focused()

    # A two-figure year is not 2026: the year box is the one marked.
    group = page.get_by_role("group", name="When did it happen?")
    group.get_by_label("Day").fill("2")
    group.get_by_label("Month").fill("11")
    group.get_by_label("Year").fill("26")
    page.get_by_role("button", name="Save home visit").click()
    expect_errors(
        page,
        [
            ("The year must include 4 numbers, like 2026", "#occurred_on-year"),
            ("Select where the visit was", "#location"),
            ("Select whether the child was seen", "#outcome"),
            ("Enter notes from the visit", "#text"),
        ],
    )
    expect(group.get_by_label("Year")).to_have_class(re.compile(r"\bgovuk-input--error\b"))
    expect(group.get_by_label("Month")).not_to_have_class(re.compile(r"\bgovuk-input--error\b"))

    visited_on = a_few_days_ago(1)
    date_boxes(page, visited_on)
    page.get_by_role("radio", name="Elsewhere").check()
    page.get_by_role("radio", name="Child seen").check()
    page.get_by_role("radio", name="Unannounced").check()
    page.get_by_label("Notes from the visit").fill(
        "Seen at his grandmother's; the family said the flat was damp."
    )
    page.get_by_role("button", name="Save home visit").click()

    expect(page).to_have_url(f"{server}{MASON}/chronology/")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your home visit is on Mason Ward's chronology"
    )
    newest = events(page).first
    expect(newest.get_by_role("heading", level=3)).to_have_text(
        "Unannounced home visit away from the main home: child seen"
    )
    expect(newest.locator("time")).to_have_attribute("datetime", visited_on.isoformat())
    expect(newest.locator(".govuk-tag")).to_have_text("Routine")
    check_page(page)


def test_filters_update_the_results_in_place(
    page: Page, server: str, sign_in: SignIn, check_page: CheckPage
) -> None:
    sign_in(page, "demo.sw1")
    page.goto(f"{server}{MASON}/chronology/")
    filters = page.get_by_role("form", name="Filter")
    results = page.locator("#chronology-results")
    status = page.get_by_role("status")
    expect(status).to_be_empty()
    # Marks this page load: a whole page loaded again would forget it.
    page.evaluate("() => { window.lanternSamePage = true }")

    # Ticking "Key event": htmx asks for the results alone; the focus stays on the box.
    key_event = filters.get_by_role("checkbox", name="Key event", exact=True)
    with page.expect_response(re.compile(r"/chronology/\?.*significance=key")) as answer:
        key_event.check()
    assert answer.value.request.headers.get("hx-target") == "chronology-results"
    expect(page).to_have_url(f"{server}{MASON}/chronology/?significance=key")
    expect(results.get_by_role("heading", level=2)).to_have_text("Key events")
    expect(events(page)).to_have_count(MASON_KEY_EVENTS)
    for tag in events(page).locator(".govuk-tag").all():
        expect(tag).to_have_text("Key event")
    # Screen reader users are told what the results now are.
    expect(status).to_have_text(f"{MASON_KEY_EVENTS} key events match the filters, newest first")
    expect(key_event).to_be_focused()
    # The filters in use, each removable; the downloads follow the filters.
    selected = filters.locator(".moj-filter__selected")
    expect(selected.get_by_role("link", name="Remove this filter: Key event")).to_have_attribute(
        "href", f"{MASON}/chronology/"
    )
    expect(
        results.get_by_role("link", name="Download these events as a spreadsheet (CSV)")
    ).to_have_attribute("href", f"{MASON}/chronology.csv?significance=key")
    assert page.evaluate("() => window.lanternSamePage") is True
    check_page(page)

    # And an agency: only Children's Social Care's key events.
    with page.expect_response(re.compile(r"agency=")):
        filters.get_by_role("checkbox", name="Children's Social Care").check()
    expect(page).to_have_url(re.compile(rf"{re.escape(MASON)}/chronology/\?significance=key&agency=\d+$"))
    expect(events(page)).to_have_count(1)
    expect(events(page).first).to_contain_text("Child protection (neglect) plan started")
    expect(status).to_have_text("1 key event matches the filters, newest first")
    expect(selected.get_by_role("link", name=re.compile("^Remove this filter"))).to_have_count(2)
    assert page.evaluate("() => window.lanternSamePage") is True
    check_page(page)

    # Clear filters: everything again.
    selected.get_by_role("link", name="Clear filters").click()
    expect(page).to_have_url(f"{server}{MASON}/chronology/")
    expect(events(page)).to_have_count(MASON_EVENTS)
    expect(filters.locator(".moj-filter__selected")).to_have_count(0)

    # "Key events only", then oldest first.
    page.get_by_role("link", name="Key events only").click()
    expect(page).to_have_url(f"{server}{MASON}/chronology/?significance=key")
    expect(key_event).to_be_checked()
    expect(events(page)).to_have_count(MASON_KEY_EVENTS)
    newest_first = event_dates(page)
    assert newest_first == sorted(newest_first, reverse=True)
    with page.expect_response(re.compile(r"order=oldest")):
        filters.get_by_role("radio", name="Oldest first").check()
    expect(page).to_have_url(f"{server}{MASON}/chronology/?significance=key&order=oldest")
    expect(status).to_have_text(f"{MASON_KEY_EVENTS} key events match the filters, oldest first")
    expect(events(page).locator("time")).to_have_count(MASON_KEY_EVENTS)
    assert event_dates(page) == sorted(newest_first)
    check_page(page)

    # Back goes to the previous filters, loading the whole page afresh.
    page.go_back()
    expect(page).to_have_url(f"{server}{MASON}/chronology/?significance=key")
    expect(filters.get_by_role("radio", name="Newest first")).to_be_checked()
    expect(events(page)).to_have_count(MASON_KEY_EVENTS)


def test_dates_in_the_filter(page: Page, server: str, sign_in: SignIn, check_page: CheckPage) -> None:
    sign_in(page, "demo.sw1")
    page.goto(f"{server}{MASON}/chronology/")
    filters = page.get_by_role("form", name="Filter")

    # Typing a date sends nothing until "Apply filters" (or Enter): a half-typed date is not sent.
    htmx_requests: list[str] = []
    page.on(
        "request", lambda request: request.headers.get("hx-request") and htmx_requests.append(request.url)
    )
    filters.get_by_label("From").fill("1/9/2026")
    filters.get_by_label("To").fill("30/9/2026")
    filters.get_by_label("From").focus()
    filters.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"date_from=1%2F9%2F2026&date_to=30%2F9%2F2026"))
    expect(events(page)).to_have_count(5)
    assert all("2026-09-01" <= day <= "2026-09-30" for day in event_dates(page))
    assert htmx_requests == []
    selected = filters.locator(".moj-filter__selected")
    expect(selected.get_by_role("link", name=re.compile("^Remove this filter"))).to_have_text(
        [re.compile("From 1 September 2026$"), re.compile("To 30 September 2026$")]
    )
    check_page(page)

    # A date that does not exist: GOV.UK's error summary, linking to the box, and no events.
    filters.get_by_label("From").fill("31/9/2026")
    filters.get_by_label("From").press("Enter")
    expect(page).to_have_title(title("Error: Chronology", "Mason Ward"))
    summary = expect_errors(page, [("The 'from' date must be a real date, like 27/3/2026", "#date_from")])
    expect(filters.get_by_label("From")).to_have_value("31/9/2026")
    expect(events(page)).to_have_count(0)
    expect(page.locator("#chronology-results")).to_contain_text("Correct the filters to see the events.")
    check_page(page)
    summary.get_by_role("link").click()
    expect(filters.get_by_label("From")).to_be_focused()

    # Ticking a box while a date is wrong: the whole page, with the error, as above.
    with page.expect_navigation():
        filters.get_by_role("checkbox", name="Significant", exact=True).check()
    expect(page).to_have_title(title("Error: Chronology", "Mason Ward"))
    expect(filters.get_by_role("checkbox", name="Significant", exact=True)).to_be_checked()
    expect_errors(page, [("The 'from' date must be a real date, like 27/3/2026", "#date_from")])

    # The wrong way round.
    filters.get_by_label("From").fill("30/9/2026")
    filters.get_by_label("To").fill("1/9/2026")
    filters.get_by_role("button", name="Apply filters").click()
    expect_errors(page, [("The 'from' date must be on or before the 'to' date", "#date_to")])
    check_page(page)


def test_filters_work_without_javascript(
    new_page: Callable[..., Page], server: str, sign_in: SignIn, check_page: CheckPage
) -> None:
    page = new_page(java_script_enabled=False)
    sign_in(page, "demo.sw1")
    page.goto(f"{server}{MASON}/chronology/")
    filters = page.get_by_role("form", name="Filter")
    expect(filters).to_have_attribute("method", "get")
    expect(filters).to_have_attribute("action", f"{MASON}/chronology/")

    filters.get_by_role("checkbox", name="Key event", exact=True).check()
    filters.get_by_role("radio", name="Oldest first").check()
    filters.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"\?significance=key&.*order=oldest"))
    expect(events(page)).to_have_count(MASON_KEY_EVENTS)
    assert event_dates(page) == sorted(event_dates(page))
    check_page(page, accessibility=False)

    filters.get_by_label("To").fill("yesterday")
    filters.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_title(title("Error: Chronology", "Mason Ward"))
    expect(error_summary(page).get_by_role("link")).to_have_attribute("href", "#date_to")
    check_page(page, accessibility=False)


def test_many_events_are_paged_and_the_pages_keep_the_filters(
    page: Page, server: str, sign_in: SignIn, check_page: CheckPage
) -> None:
    from lantern.agencies.models import Agency
    from lantern.chronology.models import Event
    from lantern.people.models import Person

    mason = Person.objects.get(source="demo", source_id="c1")
    practice = Agency.objects.get(source="demo", source_id="gp")
    Event.objects.bulk_create(
        Event(
            source="system-test",
            source_id=f"appointment-{n}",
            child=mason,
            agency=practice,
            type="appointment",
            service="Practice nurse",
            outcome="attended",
            occurred_on=dt.date(2025, 1, 1) + dt.timedelta(days=7 * n),
            recorded_at=dt.datetime(2025, 12, 1, tzinfo=dt.UTC),
        )
        for n in range(50)
    )
    sign_in(page, "demo.sw1")
    page.goto(f"{server}{MASON}/chronology/?order=oldest")
    results = page.locator("#chronology-results")
    expect(results).to_contain_text(f"{MASON_EVENTS + 50} events, oldest first (page 1 of 2).")
    expect(events(page)).to_have_count(50)
    results.get_by_role("link", name="Next").click()
    expect(page).to_have_url(f"{server}{MASON}/chronology/?order=oldest&page=2")
    expect(events(page)).to_have_count(MASON_EVENTS)
    expect(events(page).last).to_contain_text("Appointment (Immunisations (12 weeks)): was not brought")
    check_page(page)

    # A chart of two years is drawn by month; of three or more, by year.
    expect(page.get_by_role("img", name="Events over time, by agency")).to_be_visible()


def test_the_chart_by_kind_and_its_table(
    page: Page, server: str, sign_in: SignIn, check_page: CheckPage
) -> None:
    sign_in(page, "demo.sw1")
    page.goto(f"{server}{MASON}/chronology/?significance=key")
    chart = page.get_by_role("img", name="Events over time, by agency")
    expect(chart).to_be_visible()
    expect(chart).to_have_accessible_description(
        re.compile(r"^15 events from June 2026 to October 2026, 3 of")
    )

    page.get_by_role("link", name="Draw the chart by kind").click()
    # The filters are kept.
    expect(page).to_have_url(f"{server}{MASON}/chronology/?significance=key&chart=kind")
    expect(page.get_by_role("heading", level=2, name="Events over time, by kind")).to_be_visible()
    expect(page.get_by_role("img", name="Events over time, by kind")).to_be_visible()
    expect(events(page)).to_have_count(MASON_KEY_EVENTS)

    table = page.get_by_role("table", name="Number of events by kind and year")
    expect(table).to_be_hidden()
    page.get_by_text("Show the chart's figures as a table").click()
    expect(table).to_be_visible()
    expect(table.locator("thead th")).to_have_text(["Kind", "2026"])
    expect(table.locator("tbody th")).to_have_text(
        [
            "A&E or urgent care attendance",
            "Appointment",
            "Case supervision",
            "Home visit",
            "Meeting",
            "Observation",
            "Plan started",
            "Referral",
            "Worker allocated",
        ]
    )
    expect(table.get_by_role("row", name=re.compile("^Home visit"))).to_contain_text("4")
    check_page(page)

    # A filter changed in place keeps the chart by kind, and the link to draw it by agency keeps the filters.
    with page.expect_response(re.compile(r"significance=significant")):
        page.get_by_role("checkbox", name="Significant", exact=True).check()
    expect(page).to_have_url(
        f"{server}{MASON}/chronology/?significance=significant&significance=key&chart=kind"
    )
    expect(page.get_by_role("link", name="Draw the chart by agency")).to_have_attribute(
        "href", f"{MASON}/chronology/?significance=significant&significance=key"
    )
    check_page(page)
    page.get_by_role("link", name="Clear filters").click()
    expect(page).to_have_url(f"{server}{MASON}/chronology/?chart=kind")
    expect(events(page)).to_have_count(MASON_EVENTS)
    expect(page.get_by_role("img", name="Events over time, by kind")).to_be_visible()


def test_only_managers_may_see_corrected_entries(
    new_page: Callable[..., Page], server: str, sign_in: SignIn, check_page: CheckPage
) -> None:
    social_worker = new_page()
    sign_in(social_worker, "demo.sw1")
    social_worker.goto(f"{server}{MASON}/chronology/?corrections=on")
    expect(social_worker.get_by_role("checkbox", name="Show corrected entries")).to_have_count(0)
    expect(social_worker.locator(".moj-filter__selected")).to_have_count(0)

    manager = new_page()
    sign_in(manager, "demo.tm1")
    manager.goto(f"{server}{MASON}/chronology/")
    corrections = manager.get_by_role("group", name="Corrections")
    with manager.expect_response(re.compile(r"corrections=on")):
        corrections.get_by_role("checkbox", name="Show corrected entries").check()
    expect(manager.locator(".moj-filter__selected")).to_contain_text("Corrected entries")
    check_page(manager)


def test_who_may_record_and_who_may_not_see_the_chronology(
    new_page: Callable[..., Page], server: str, sign_in: SignIn, check_page: CheckPage
) -> None:
    # Mason's health visitor records on his chronology too.
    health_visitor = new_page()
    sign_in(health_visitor, "demo.hv1")
    health_visitor.goto(f"{server}{MASON}/chronology/")
    health_visitor.get_by_role("button", name="Record an observation").click()
    date_boxes(health_visitor, a_few_days_ago(3))
    health_visitor.get_by_role("checkbox", name="Unsafe sleep").check()
    health_visitor.get_by_label("What did you see or hear?").fill("Mason asleep in the adult bed again.")
    health_visitor.get_by_role("radio", name="Significant").check()
    health_visitor.get_by_role("button", name="Save observation").click()
    expect(health_visitor.locator(".govuk-notification-banner--success")).to_be_visible()
    expect(events(health_visitor).first).to_contain_text("Observation: unsafe sleep")
    expect(events(health_visitor).first).to_contain_text("by Health Visiting Service")
    expect(events(health_visitor).first).to_contain_text("by Ruth Evans")

    # The police officer's involvement has ended; the early help worker never had one. Both learn only
    # that Mason is known to services, from every chronology address.
    for username in ["demo.pol1", "demo.eh1"]:
        page = new_page()
        sign_in(page, username)
        for path in ["chronology/", "observations/new/", "home-visits/new/", "chronology.csv"]:
            response = page.goto(f"{server}{MASON}/{path}")
            assert response is not None
            assert response.status == 403, (username, path)
            expect(page).to_have_title(title("Mason Ward is known to services"))
            expect(page.get_by_role("heading", level=1)).to_have_text("Mason Ward is known to services")
            expect(page.get_by_text("Bruise to left cheek")).to_have_count(0)
        check_page(page)


def test_the_chronology_fits_a_narrow_screen(
    new_page: Callable[..., Page], server: str, sign_in: SignIn, check_page: CheckPage
) -> None:
    """At 320 CSS pixels wide nothing scrolls sideways but the chart, in its own box, which keyboard
    users can focus to scroll."""
    page = new_page(viewport={"width": 320, "height": 640})
    sign_in(page, "demo.sw1")
    for path in ["chronology/", "observations/new/", "home-visits/new/"]:
        page.goto(f"{server}{MASON}/{path}")
        check_page(page)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320, f"{path} is too wide"
    page.goto(f"{server}{MASON}/chronology/")
    chart_box = page.get_by_role("region", name="Chart of events over time")
    expect(chart_box).to_have_attribute("tabindex", "0")
    chart_box.focus()
    chart_box.press("ArrowRight")
    expect(chart_box).to_be_focused()
