"""Journeys through Lantern in a browser, with every page checked by axe-core (see conftest.py).

The demo area (lantern/interop/fixtures/demo-area.json): Sam Okafor (demo.sw1, Child Protection Team)
is the allocated social worker for Mason Ward (demo:c1) and does the pre-birth assessment of Chloe
Hart's unborn baby (demo:u1). The Price children (demo:c2, c3, c4) are known to other professionals, and
Noah Fletcher (demo:c5) only to Early Help. Jo Bennett (demo.tm1) manages the Child Protection Team.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.conf import settings
from playwright.sync_api import Locator, Page, expect

from lantern.interop.demo import DEMO_PASSWORD
from lantern.web.tests.system.conftest import CheckPage, SignIn

pytestmark = pytest.mark.system


def title(text: str) -> str:
    return f"{text} \N{EN DASH} Lantern \N{EN DASH} {settings.LANTERN_AREA_NAME}"


def table_rows(page: Page, caption: str | re.Pattern[str]) -> Locator:
    table = page.get_by_role("table", name=caption)
    return table.locator("tbody tr")


def error_summary(page: Page) -> Locator:
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("alert").get_by_role("heading")).to_have_text("There is a problem")
    return summary


def test_sign_in_with_a_wrong_password_shows_the_error_summary(
    page: Page, server: str, sign_in: SignIn, check_page: CheckPage
) -> None:
    page.goto(f"{server}/sign-in/")
    expect(page).to_have_title(title("Sign in"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Lantern")
    check_page(page)

    sign_in(page, "demo.sw1", "not-the-password")

    expect(page).to_have_title(title("Error: Sign in"))
    summary = error_summary(page)
    expect(summary).to_be_focused()
    problem = summary.get_by_role("link", name=re.compile("Enter a correct username and password"))
    expect(problem).to_have_attribute("href", "#id_username")
    check_page(page)
    problem.click()
    expect(page.get_by_label("Username")).to_be_focused()

    # Nothing entered: each field's error is in the summary, linking to its field.
    page.get_by_label("Username").fill("")
    page.get_by_role("button", name="Sign in").click()
    expect(error_summary(page).get_by_role("link")).to_have_count(2)
    links = error_summary(page).get_by_role("link")
    expect(links.first).to_have_attribute("href", "#id_username")
    expect(links.last).to_have_attribute("href", "#id_password")
    expect(page.locator("#id_username-error")).to_be_visible()
    expect(page.locator("#id_password-error")).to_be_visible()
    check_page(page)


def test_a_practitioner_finds_a_child_and_opens_their_record(
    page: Page, server: str, sign_in: SignIn, check_page: CheckPage
) -> None:
    sign_in(page, "demo.sw1")

    # "My children": the children Sam and the Child Protection Team are involved with, and no others.
    expect(page).to_have_title(title("My children"))
    navigation = page.get_by_role("navigation", name="Menu")
    expect(navigation.get_by_role("link", name="My children")).to_have_attribute("aria-current", "page")
    rows = table_rows(page, "2 children you or your team are involved with")
    expect(rows).to_have_count(2)
    expect(rows.get_by_role("link")).to_have_text(["Unborn baby Hart (due 20 January 2027)", "Mason Ward"])
    check_page(page)

    navigation.get_by_role("link", name="Find a child").click()
    expect(page).to_have_title(title("Find a child"))
    expect(navigation.get_by_role("link", name="Find a child")).to_have_attribute("aria-current", "page")
    check_page(page)

    # Every child called Price is found; Sam may open none of their records, so each is only
    # "known to services", with whom to contact.
    page.get_by_label("Name, date of birth or NHS number").fill("Price")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(f"{server}/search/?q=Price")
    rows = table_rows(page, "3 children found for “Price”")
    expect(rows.locator("td:first-child")).to_have_text(["Ava Price", "Lily Price", "Tyler Price"])
    expect(rows.get_by_role("link")).to_have_count(0)
    for row in rows.all():
        expect(row.get_by_text("Known to services")).to_be_visible()
    expect(rows.first).to_contain_text("Contact Children's Social Care on 01632 960101")
    check_page(page)

    page.get_by_label("Name, date of birth or NHS number").fill("Ward")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("table", name="1 child found for “Ward”").get_by_role("link", name="Mason Ward").click()

    # Mason's record: his details, the agencies involved (and who leads), the people around him,
    # and his households, the main one marked.
    expect(page).to_have_title(title("Mason Ward"))
    expect(page).to_have_url(f"{server}/children/demo:c1/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mason Ward")
    details = page.locator(".govuk-summary-list").first
    expect(details).to_contain_text("NHS number 999 159 0838")
    expect(details).to_contain_text("Lead agency Children's Social Care (01632 960101)")
    expect(details).to_contain_text("Lead professional Sam Okafor, Allocated social worker")

    agencies = table_rows(page, "Agencies currently involved with Mason Ward")
    expect(agencies.locator("td:first-child")).to_have_text(
        ["Children's Social Care Lead", "Health Visiting Service", "Riverside Medical Practice"]
    )
    people = table_rows(page, "Family and other people around Mason Ward")
    expect(people.locator("td:nth-child(2)")).to_have_text(["Father", "Mother", "Grandparent"])
    expect(people.filter(has_text="Kayleigh Ward")).to_contain_text("Young parent")

    expect(page.get_by_role("heading", name="Where Mason Ward lives")).to_be_visible()
    homes = page.locator(".govuk-summary-card")
    expect(homes).to_have_count(2)
    expect(homes.first.get_by_role("heading")).to_have_text("Flat 3, 14 Mill Lane, Aylesbury, HP19 8FF")
    expect(homes.first.get_by_text("Main home", exact=True).first).to_be_visible()
    expect(homes.nth(1)).to_contain_text("Main home No")
    # Only managers see who has viewed a record.
    expect(page.get_by_role("link", name="Who has viewed this record")).to_have_count(0)
    check_page(page)

    # A forged address for a child Sam has no relationship with: only that the child is known.
    response = page.goto(f"{server}/children/demo:c5/")
    assert response is not None
    assert response.status == 403
    expect(page).to_have_title(title("Noah Fletcher is known to services"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Noah Fletcher is known to services")
    expect(page.locator(".govuk-inset-text")).to_contain_text("Early Help Service, on 01632 960102")
    expect(page.get_by_text("Early help key worker")).to_have_count(0)
    check_page(page)

    # Nor may Sam see who has viewed Mason's record: only managers and auditors may.
    response = page.goto(f"{server}/children/demo:c1/access-log/")
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see who has viewed this record")
    expect(page.get_by_role("table")).to_have_count(0)
    check_page(page)
    page.get_by_role("link", name="Back to Mason Ward's record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mason Ward")

    # Signing out is a POST from the service navigation; afterwards, pages ask to sign in again.
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{server}/sign-in/")
    page.goto(f"{server}/")
    expect(page).to_have_url(f"{server}/sign-in/?next=/")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_search_updates_in_place_with_htmx(
    page: Page, server: str, sign_in: SignIn, check_page: CheckPage
) -> None:
    sign_in(page, "demo.sw1")
    page.goto(f"{server}/search/")
    search_box = page.get_by_label("Name, date of birth or NHS number")
    # Marks this page load: a full page load would forget it.
    page.evaluate("() => { window.lanternSamePage = true }")

    with page.expect_response(re.compile(r"/search/\?q=Price$")) as answer:
        search_box.fill("Price")
        search_box.press("Enter")
    assert answer.value.request.headers.get("hx-request") == "true"
    expect(page).to_have_url(f"{server}/search/?q=Price")
    expect(table_rows(page, "3 children found for “Price”")).to_have_count(3)
    expect(page.get_by_role("status")).to_have_text("3 children found for “Price”")
    expect(search_box).to_be_focused()
    assert page.evaluate("() => window.lanternSamePage") is True
    check_page(page)

    # An NHS number whose check digit is wrong: GOV.UK's error summary and message, in place too.
    with page.expect_response(re.compile(r"/search/\?q=9991860917$")) as answer:
        search_box.fill("9991860917")
        page.get_by_role("button", name="Search").click()
    assert answer.value.status == 400
    summary = error_summary(page)
    expect(summary).to_be_focused()
    expect(page).to_have_title(title("Error: Find a child"))
    expect(summary.get_by_role("link")).to_have_attribute("href", "#q")
    expect(page.locator("#q-error")).to_be_visible()
    expect(search_box).to_have_class(re.compile(r"\bgovuk-input--error\b"))
    expect(page.get_by_role("table")).to_have_count(0)
    assert page.evaluate("() => window.lanternSamePage") is True
    check_page(page)
    summary.get_by_role("link").click()
    expect(search_box).to_be_focused()

    # Back goes to the previous search as a whole page (htmx keeps no copy of pages with personal data).
    page.go_back()
    expect(page).to_have_url(f"{server}/search/?q=Price")
    page.wait_for_function("() => window.lanternSamePage === undefined")
    expect(table_rows(page, "3 children found for “Price”")).to_have_count(3)
    expect(page).to_have_title(title("Find a child"))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    check_page(page)


def test_search_after_the_session_has_ended_asks_to_sign_in_again(
    page: Page, server: str, sign_in: SignIn, check_page: CheckPage
) -> None:
    sign_in(page, "demo.sw1")
    page.goto(f"{server}/search/")
    page.context.clear_cookies()
    page.get_by_label("Name, date of birth or NHS number").fill("Price")
    page.get_by_role("button", name="Search").click()
    # The sign-in page, whole (not inside the search page), coming back to the search afterwards.
    expect(page).to_have_url(f"{server}/sign-in/?next=/search/%3Fq%3DPrice")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Lantern")
    expect(page.locator("header")).to_have_count(1)
    check_page(page)
    page.get_by_label("Username").fill("demo.sw1")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(table_rows(page, "3 children found for “Price”")).to_have_count(3)


def test_search_works_without_javascript(
    new_page: Callable[..., Page], server: str, sign_in: SignIn, check_page: CheckPage
) -> None:
    page = new_page(java_script_enabled=False)
    sign_in(page, "demo.sw1")
    page.goto(f"{server}/search/")
    form = page.get_by_role("search")
    expect(form).to_have_attribute("method", "get")
    expect(form).to_have_attribute("action", "/search/")

    page.get_by_label("Name, date of birth or NHS number").fill("price 27/01/2020")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(f"{server}/search/?q=price+27%2F01%2F2020")
    expect(table_rows(page, "1 child found for “price 27/01/2020”")).to_have_text([re.compile("Lily Price")])
    check_page(page, accessibility=False)

    page.get_by_label("Name, date of birth or NHS number").fill("9991860917")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_title(title("Error: Find a child"))
    expect(error_summary(page)).to_contain_text("9991860917")
    check_page(page, accessibility=False)

    page.get_by_label("Name, date of birth or NHS number").fill("Nobody")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("No children found for “Nobody”")
    check_page(page, accessibility=False)


def test_search_pages_loaded_whole_are_accessible(
    page: Page, server: str, sign_in: SignIn, check_page: CheckPage
) -> None:
    """The search's pages as they load without htmx (from a link, a bookmark, or without JavaScript)."""
    sign_in(page, "demo.sw1")
    page.goto(f"{server}/search/?q=Price")
    expect(table_rows(page, "3 children found for “Price”")).to_have_count(3)
    check_page(page)

    response = page.goto(f"{server}/search/?q=9991860917")
    assert response is not None
    assert response.status == 400
    expect(page).to_have_title(title("Error: Find a child"))
    summary = error_summary(page)
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_attribute("href", "#q")
    check_page(page)

    page.goto(f"{server}/search/?q=Nobody")
    expect(page.get_by_role("heading", level=2)).to_have_text("No children found for “Nobody”")
    check_page(page)


def test_a_manager_sees_who_has_viewed_a_record(
    new_page: Callable[..., Page], server: str, sign_in: SignIn, check_page: CheckPage
) -> None:
    social_worker = new_page()
    sign_in(social_worker, "demo.sw1")
    social_worker.goto(f"{server}/children/demo:c1/")
    expect(social_worker.get_by_role("heading", level=1)).to_have_text("Mason Ward")
    school = new_page()
    sign_in(school, "demo.dsl1")
    school.goto(f"{server}/children/demo:c1/")
    expect(school.get_by_role("heading", level=1)).to_have_text("Mason Ward is known to services")

    page = new_page()
    sign_in(page, "demo.tm1")
    page.goto(f"{server}/children/demo:c1/")
    check_page(page)
    page.get_by_role("link", name="Who has viewed this record").click()

    expect(page).to_have_title(title("Who has viewed Mason Ward's record"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has viewed this record")
    rows = table_rows(page, "Access to Mason Ward's record")
    expect(rows.locator("td:nth-child(2)")).to_have_text(
        ["Jo Bennett", "Jo Bennett", "Tom Hughes", "Sam Okafor"]
    )
    expect(rows.locator("td:nth-child(4)")).to_have_text(["Viewed", "Viewed", "Refused", "Viewed"])
    expect(rows.locator("td:nth-child(5)")).to_have_text(
        ["Who has viewed this record", "Child's record", "Child's record", "Child's record"]
    )
    check_page(page)


def test_an_address_that_leads_nowhere_is_not_found(
    page: Page, server: str, sign_in: SignIn, check_page: CheckPage
) -> None:
    sign_in(page, "demo.sw1")
    for path in ["/children/demo:nobody/", "/no-such-page/"]:
        response = page.goto(f"{server}{path}")
        assert response is not None
        assert response.status == 404
        expect(page).to_have_title(title("Page not found"))
        check_page(page)


def test_pages_fit_a_narrow_screen(
    new_page: Callable[..., Page], server: str, sign_in: SignIn, check_page: CheckPage
) -> None:
    """At 320 CSS pixels wide (WCAG 1.4.10, reflow) no page scrolls sideways: wide tables scroll in
    their own box, which keyboard users can focus."""
    page = new_page(viewport={"width": 320, "height": 640})
    sign_in(page, "demo.tm1")
    for path in ["/", "/search/?q=Price", "/children/demo:c1/", "/children/demo:c1/access-log/"]:
        page.goto(f"{server}{path}")
        check_page(page)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320, f"{path} is too wide"
    table_box = page.locator(".lantern-table-container")
    expect(table_box).to_have_attribute("tabindex", "0")
    table_box.focus()
    expect(table_box).to_be_focused()


def test_professionals_who_cannot_search_are_not_offered_it(
    page: Page, server: str, sign_in: SignIn, check_page: CheckPage
) -> None:
    sign_in(page, "demo.aud1")
    navigation = page.get_by_role("navigation", name="Menu")
    expect(navigation.get_by_role("link", name="Find a child")).to_have_count(0)
    check_page(page)
    response = page.goto(f"{server}/search/?q=Price")
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot search for children")
    expect(page.get_by_text("Price")).to_have_count(0)
    check_page(page)
