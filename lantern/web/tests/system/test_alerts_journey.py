"""The screening worklist in a browser (issue #5): alerts raised by an import, worked through to the end.

Before the browser starts, a small case bundle adds to the demo area (lantern/interop/fixtures/demo-area.json)
two appointments Mason Ward (demo:c1) was not brought to and three urgent care attendances, dated from
today; importing it screens him in the same transaction, so that "Missed health appointments"
(``was-not-brought``) and "Repeated A&E attendances" (``repeated-ae-attendance``) match him whatever the
date. The bundle's source is the demo area's own: a bundle's references reach only its own source's
records, and these name Mason and the demo agencies. The demo data raises other alerts for Mason, and one
for the unborn baby Hart (demo:u1), as of the dates it was written for; the tests assert only on those
they raise themselves, or those of every date.

Sam Okafor (demo.sw1) is Mason's allocated social worker; Jo Bennett (demo.tm1) manages his team, the
Child Protection Team; Lee Morgan (demo.pol1), a police officer, was involved with Mason until September
2026 and no longer is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from lantern.interop.case_bundle import case_bundle_import
from lantern.screening.models import Alert, AlertStatus
from lantern.web.tests.system.conftest import CheckPage, SignIn

pytestmark = pytest.mark.system

NARROW = 320  # CSS pixels: WCAG 1.4.10 (reflow)


def title(text: str) -> str:
    return f"{text} \N{EN DASH} Lantern \N{EN DASH} {settings.LANTERN_AREA_NAME}"


def worklist_rows(page: Page) -> Locator:
    return page.get_by_role("table", name=re.compile(r"^\d+ alerts?\b")).locator("tbody tr")


def fits(page: Page, width: int) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth") <= width)


@dataclass
class Raised:
    """The alerts the bundle raises (or adds its evidence to) for Mason Ward."""

    missed_appointments: int
    attendances: int
    # Lantern's own steps in the missed appointments alert's history, newest first: "Raised", and
    # "Evidence updated" before it if the demo data's appointments had raised it already.
    missed_appointments_screening: list[str]


def _bundle(today: dt.date) -> dict[str, object]:
    def at(days_ago: int, time: str) -> str:
        return f"{today - dt.timedelta(days=days_ago)}T{time}"

    def attendance(number: int, days_ago: int) -> dict[str, str]:
        return {
            "id": f"systest-a{number}",
            "child": "c1",
            "agency": "ed",
            "type": "attendance",
            "at": at(days_ago, "19:30"),
            "setting": "urgent-care",
            "reason": "illness",
        }

    return {
        "format": "lantern.case-bundle/1",
        "source": "demo",
        "events": [
            {
                "id": "systest-wnb1",
                "child": "c1",
                "agency": "gp",
                "type": "appointment",
                "at": at(30, "09:30"),
                "service": "Immunisations (16 weeks)",
                "outcome": "was-not-brought",
            },
            {
                "id": "systest-wnb2",
                "child": "c1",
                "agency": "hv",
                "type": "appointment",
                "at": at(9, "11:00"),
                "service": "Weight check",
                "outcome": "was-not-brought",
            },
            attendance(1, 60),
            attendance(2, 35),
            attendance(3, 12),
        ],
    }


@pytest.fixture
def raised(server: str) -> Raised:
    """Import the bundle (which screens Mason in the same transaction) before any page is opened."""
    case_bundle_import(_bundle(timezone.localdate()), name="systest-alerts.json")
    mason = Alert.objects.exclude(status=AlertStatus.RESOLVED).filter(child__source_id="c1")
    missed = mason.get(child__source="demo", rule="was-not-brought")
    attendances = mason.get(child__source="demo", rule="repeated-ae-attendance")
    assert {"demo:systest-wnb1", "demo:systest-wnb2"} <= set(missed.evidence)
    assert {"demo:systest-a1", "demo:systest-a2", "demo:systest-a3"} <= set(attendances.evidence)
    steps = list(missed.history.order_by("-at", "-pk").values_list("note", flat=True))
    assert steps in (["Raised"], ["Evidence updated", "Raised"])
    return Raised(
        missed_appointments=missed.pk,
        attendances=attendances.pk,
        missed_appointments_screening=steps,
    )


def test_a_practitioner_works_through_their_alerts(
    page: Page, server: str, raised: Raised, sign_in: SignIn, check_page: CheckPage
) -> None:
    sign_in(page, "demo.sw1")

    # Mason's record shows his current alerts first, in a notification banner before the heading.
    page.goto(f"{server}/children/demo:c1/")
    banner = page.get_by_role("region", name="Alerts")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(re.compile(r"Mason Ward has \d+ current alerts"))
    expect(banner.get_by_role("link", name=re.compile(r"^Not brought to \d+ appointments"))).to_be_visible()
    attendances = re.compile(r"^\d+ A&E, urgent care or minor injuries attendances in the last 365 days$")
    expect(banner.get_by_role("link", name=attendances)).to_be_visible()
    assert page.evaluate(
        "() => document.querySelector('.govuk-notification-banner').compareDocumentPosition("
        "document.querySelector('h1')) === Node.DOCUMENT_POSITION_FOLLOWING"
    ), "the banner comes before the h1"
    check_page(page)

    # My alerts: every alert about the children Sam is involved with, most severe first.
    navigation = page.get_by_role("navigation", name="Menu")
    navigation.get_by_role("link", name="Alerts").click()
    expect(page).to_have_title(title("My alerts"))
    expect(navigation.get_by_role("link", name="Alerts")).to_have_attribute("aria-current", "page")
    rows = worklist_rows(page)
    expect(rows.filter(has_text="Missed health appointments")).to_have_count(1)
    expect(rows.filter(has_text="Repeated A&E attendances")).to_have_count(1)
    expect(rows.locator("td:first-child")).to_contain_text(["Mason Ward"])
    # Only managers are offered their team's alerts.
    expect(page.get_by_role("navigation", name="Whose alerts")).to_have_count(0)
    check_page(page)

    # Filtered by severity, then by rule as well.
    page.get_by_label("Severity").select_option(label="Medium")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/alerts/\?rule=&severity=medium$"))
    expect(page.get_by_label("Severity")).to_have_value("medium")
    for severity in rows.locator("td:nth-child(3)").all():
        expect(severity).to_have_text("Medium")
    check_page(page)

    page.get_by_label("Rule").select_option(label="Missed health appointments")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/alerts/\?rule=was-not-brought&severity=medium$"))
    expect(page.get_by_role("table", name="1 alert matching the filters, most severe first")).to_be_visible()
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td")).to_have_text(
        [
            "Mason Ward",
            re.compile(r"^Missed health appointments\s*Not brought to \d+ appointments"),
            "Medium",
            "Raised",
        ],
        use_inner_text=True,  # as shown: "Status:" is for phones only
    )
    check_page(page)

    # A filter that matches nothing says so; "Clear filters" goes back to every alert.
    page.get_by_label("Rule").select_option(label="Teenager overlooked beside younger siblings")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("table")).to_have_count(0)
    expect(page.get_by_text("No alerts match these filters.")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Clear filters").click()
    expect(page).to_have_url(f"{server}/alerts/")
    expect(rows.filter(has_text="Repeated A&E attendances")).to_have_count(1)

    # The alert: why it matters (the serious case reviews' learning), what to do, and the appointments.
    rows.filter(has_text="Missed health appointments").get_by_role("link").click()
    expect(page).to_have_url(f"{server}/alerts/{raised.missed_appointments}/")
    expect(page).to_have_title(title("Missed health appointments \N{EN DASH} Mason Ward"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Missed health appointments")
    expect(page.locator(".govuk-caption-l")).to_have_text("Mason Ward")
    details = page.locator(".govuk-summary-list")
    expect(details).to_contain_text("Severity Medium")
    expect(details).to_contain_text("Status Raised")
    what_to_do = page.locator(".govuk-inset-text")
    expect(what_to_do).to_contain_text("follows the local was-not-brought procedure")
    expect(
        page.get_by_text(re.compile("understand the significance of missed medical appointments"))
    ).to_be_visible()
    evidence = page.get_by_role("table", name=re.compile("that raised this alert")).locator("tbody tr")
    # Newest first: the two appointments the bundle added are the latest.
    expect(evidence.nth(0)).to_contain_text("Appointment (Weight check): was not brought")
    expect(evidence.nth(0)).to_contain_text("Health Visiting Service")
    expect(evidence.nth(1)).to_contain_text("Appointment (Immunisations (16 weeks)): was not brought")
    expect(evidence.nth(1)).to_contain_text("Riverside Medical Practice")
    expect(evidence.locator("td:nth-child(2)")).to_have_text(
        [re.compile("was not brought$")] * evidence.count()
    )
    check_page(page)

    # Acknowledge.
    page.get_by_role("button", name="Acknowledge").click()
    success = page.locator(".govuk-notification-banner--success")
    expect(success).to_contain_text("You have acknowledged this alert")
    expect(details).to_contain_text("Status Acknowledged")
    expect(page.get_by_role("button", name="Acknowledge")).to_have_count(0)
    check_page(page)

    # Record the action taken.
    page.get_by_label("The action you took, or why you are dismissing the alert").fill(
        "Rang the GP and the health visitor; appointments rebooked for next week."
    )
    page.get_by_role("button", name="Record the action taken").click()
    expect(success).to_contain_text("The action you took is recorded")
    expect(details).to_contain_text("Status Action recorded")
    expect(details).to_contain_text("Action taken Rang the GP and the health visitor")
    history = page.locator(".moj-timeline__item")
    expect(history.locator(".moj-timeline__title")).to_have_text(
        ["Action recorded", "Acknowledged", *raised.missed_appointments_screening]
    )
    expect(history.nth(0).locator(".moj-timeline__byline")).to_have_text("by Sam Okafor")
    expect(history.nth(0)).to_contain_text("appointments rebooked for next week")
    expect(history.nth(1).locator(".moj-timeline__byline")).to_have_text("by Sam Okafor")
    expect(history.last.locator(".moj-timeline__byline")).to_have_text("by Lantern")
    check_page(page)

    # Another alert: dismissing it needs a reason.
    page.goto(f"{server}/alerts/{raised.attendances}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Repeated A&E attendances")
    evidence = page.get_by_role("table", name=re.compile("that raised this alert")).locator("tbody tr")
    expect(evidence.filter(has_text="Urgent care: illness")).to_have_count(3)
    page.get_by_role("button", name="Dismiss with this reason").click()
    expect(page).to_have_title(title("Error: Repeated A&E attendances \N{EN DASH} Mason Ward"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    problem = summary.get_by_role("link", name="Enter why you are dismissing the alert")
    expect(problem).to_have_attribute("href", "#text")
    reason = page.get_by_label("The action you took, or why you are dismissing the alert")
    expect(reason).to_have_attribute("aria-describedby", re.compile(r"\btext-error\b"))
    expect(page.locator("#text-error")).to_have_text("Error: Enter why you are dismissing the alert")
    check_page(page)
    problem.click()
    expect(reason).to_be_focused()

    reason.fill("Seen by the GP each time: chest infections, treated. No concerns about his care.")
    page.get_by_role("button", name="Dismiss with this reason").click()
    expect(page).to_have_title(title("Repeated A&E attendances \N{EN DASH} Mason Ward"))
    expect(success).to_contain_text("You have dismissed this alert")
    expect(details).to_contain_text("Status Dismissed")
    expect(details).to_contain_text("Why it was dismissed Seen by the GP each time")
    expect(history.first.locator(".moj-timeline__title")).to_have_text("Dismissed")
    expect(history.first.locator(".moj-timeline__byline")).to_have_text("by Sam Okafor")
    expect(history.first).to_contain_text("chest infections, treated")
    # A dismissed alert can still have an action recorded, but is not dismissed again.
    expect(page.get_by_role("button", name="Dismiss with this reason")).to_have_count(0)
    expect(page.get_by_label("The action you took", exact=True)).to_be_visible()
    check_page(page)

    # Gone from My alerts, and back with "Include dismissed alerts".
    page.goto(f"{server}/alerts/")
    expect(rows.filter(has_text="Repeated A&E attendances")).to_have_count(0)
    expect(rows.filter(has_text="Missed health appointments")).to_contain_text("Action recorded")
    page.get_by_label("Include dismissed alerts").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_label("Include dismissed alerts")).to_be_checked()
    dismissed = rows.filter(has_text="Repeated A&E attendances")
    expect(dismissed.locator("td").last).to_have_text("Dismissed", use_inner_text=True)
    check_page(page)

    # Mason's record lists it last, as dismissed.
    page.goto(f"{server}/children/demo:c1/")
    items = banner.get_by_role("listitem")
    expect(items.last).to_contain_text("(dismissed)")
    expect(banner).to_contain_text(re.compile(r"current alerts? and 1 dismissed"))
    check_page(page)


def test_a_manager_sees_their_team_s_alerts(
    page: Page, server: str, raised: Raised, sign_in: SignIn, check_page: CheckPage
) -> None:
    sign_in(page, "demo.tm1")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Alerts").click()

    # Jo is involved with no child herself.
    expect(page).to_have_title(title("My alerts"))
    whose = page.get_by_role("navigation", name="Whose alerts")
    expect(whose.get_by_role("link", name="My alerts")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("table")).to_have_count(0)
    expect(page.get_by_text("You have no alerts about the children you are involved with.")).to_be_visible()
    check_page(page)

    # The Child Protection Team's: Mason's (and the unborn baby Hart's), not the Price children's.
    whose.get_by_role("link", name="My team's alerts").click()
    expect(page).to_have_url(f"{server}/alerts/?scope=team")
    expect(page).to_have_title(title("My team's alerts"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My team's alerts")
    expect(whose.get_by_role("link", name="My team's alerts")).to_have_attribute("aria-current", "page")
    rows = worklist_rows(page)
    expect(rows.filter(has_text="Missed health appointments")).to_contain_text("Mason Ward")
    expect(rows.filter(has_text="Repeated A&E attendances")).to_contain_text("Mason Ward")
    expect(rows.filter(has_text="Price")).to_have_count(0)
    check_page(page)

    # Filtering keeps to the team's alerts.
    page.get_by_label("Rule").select_option(label="Repeated A&E attendances")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/alerts/\?scope=team&rule=repeated-ae-attendance&severity=$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My team's alerts")
    expect(rows).to_have_count(1)
    check_page(page)

    # A manager may open the alert, and act on it.
    rows.get_by_role("link", name="Repeated A&E attendances").click()
    expect(page).to_have_url(f"{server}/alerts/{raised.attendances}/")
    expect(page.get_by_role("button", name="Acknowledge")).to_be_visible()
    check_page(page)


def test_an_alert_about_a_child_the_professional_no_longer_works_with_is_refused(
    page: Page, server: str, raised: Raised, sign_in: SignIn, check_page: CheckPage
) -> None:
    sign_in(page, "demo.pol1")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Alerts").click()
    expect(page.get_by_text("You have no alerts about the children you are involved with.")).to_be_visible()
    check_page(page)

    response = page.goto(f"{server}/alerts/{raised.missed_appointments}/")
    assert response is not None
    assert response.status == 403
    expect(page).to_have_title(title("Mason Ward is known to services"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mason Ward is known to services")
    expect(page.locator(".govuk-inset-text")).to_contain_text("Children's Social Care, on 01632 960101")
    expect(page.get_by_text("Missed health appointments")).to_have_count(0)
    expect(page.get_by_text("Not brought to")).to_have_count(0)
    check_page(page)


def test_the_alert_pages_fit_a_narrow_screen(
    new_page: Callable[..., Page], server: str, raised: Raised, sign_in: SignIn, check_page: CheckPage
) -> None:
    """At 320 CSS pixels wide nothing scrolls sideways but the evidence table, in its own focusable box;
    the worklist's alerts are blocks one above another, not columns."""
    page = new_page(viewport={"width": NARROW, "height": 640})
    sign_in(page, "demo.tm1")
    for path in [
        "/alerts/?scope=team",
        "/alerts/?scope=team&rule=was-not-brought&severity=medium&dismissed=on",
        f"/alerts/{raised.missed_appointments}/",
        "/children/demo:c1/",
    ]:
        page.goto(f"{server}{path}")
        check_page(page)
        assert fits(page, NARROW), f"{path} is wider than {NARROW}px"
        if path.startswith("/alerts/?"):
            worklist = page.locator(".lantern-table-container")
            assert worklist.evaluate("box => box.scrollWidth <= box.clientWidth"), f"{path} scrolls sideways"
            expect(worklist.locator("tbody td").first).to_have_css("display", "block")
    page.goto(f"{server}/alerts/{raised.attendances}/")
    page.get_by_role("button", name="Dismiss with this reason").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert fits(page, NARROW), "the alert with an error is too wide"
    check_page(page)
