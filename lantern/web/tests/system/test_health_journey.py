"""The health administrator's pages in a browser (issue #4): feeds, a token issued once and revoked, the
unmatched queue resolved, and a lead professional's notifications; axe-core on each page.

Morgan Blake (demo.hadmin1) administers the Emergency Department's systems in the demo area, whose feed
is "General Hospital (demo feed)". Before the browser starts, the feed sends a patient with no NHS
number (so Lantern cannot be sure who she is) and an appointment she was not brought to.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from lantern.health.ingest import fhir_bundle_ingest
from lantern.health.models import FhirPatient, HealthSystem, SystemToken
from lantern.health.tests.fhir_examples import appointment, bundle, patient
from lantern.web.tests.system.conftest import CheckPage, SignIn

pytestmark = pytest.mark.system


@pytest.fixture
def queued(server: str) -> str:
    system = HealthSystem.objects.get(slug="demo-hospital")
    # Mason Ward's name and date of birth, but no NHS number: likely him, not certain.
    unsure = patient(nhs_number=None, name=[{"family": "Ward", "given": ["Mason"]}], birthDate="2026-06-10")
    unsure["address"] = [{"postalCode": "HP21 9ZZ"}]  # no household of his is there
    fhir_bundle_ingest(body=bundle(unsure, appointment(), kind="batch"), system=system)
    assert FhirPatient.objects.get(fhir_id="p1").match == "unmatched"
    return server


def test_a_health_administrator_runs_the_feed(
    page: Page, sign_in: SignIn, check_page: CheckPage, queued: str
) -> None:
    sign_in(page, "demo.hadmin1")
    page.get_by_role("link", name="Health feeds").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Health feeds")
    expect(page.get_by_role("heading", name="General Hospital (demo feed)")).to_be_visible()
    check_page(page)

    page.get_by_role("button", name="Issue a new token for General Hospital (demo feed)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Token issued")
    token = page.locator("code.lantern-token").inner_text()
    assert SystemToken.objects.get().digest == SystemToken.digest_of(token)
    check_page(page)

    page.get_by_role("link", name="Back to health feeds").click()
    page.get_by_role("button", name=f"Revoke token {token[:10]}").click()
    expect(page.get_by_text("is revoked: it no longer works")).to_be_visible()
    assert SystemToken.objects.get().revoked_at is not None
    check_page(page)

    page.get_by_role("link", name="Patients waiting to be matched").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Patients waiting to be matched")
    expect(page.get_by_role("heading", name="Mason Ward, born 10 June 2026")).to_be_visible()
    expect(page.get_by_text("80% alike")).to_be_visible()
    check_page(page)

    page.get_by_role("button", name="Save the match for Mason Ward").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_text("Select what this patient is").first).to_be_visible()
    check_page(page)

    page.get_by_label("This is Mason Ward").check()
    page.get_by_role("button", name="Save the match for Mason Ward").click()
    expect(page.get_by_text("1 waiting resources are now on the child's chronology")).to_be_visible()
    expect(page.get_by_text("No patients are waiting.")).to_be_visible()
    check_page(page)


def test_a_lead_professional_reads_notifications(
    page: Page, sign_in: SignIn, check_page: CheckPage, server: str
) -> None:
    system = HealthSystem.objects.get(slug="demo-hospital")
    fhir_bundle_ingest(body=bundle(patient(nhs_number="9991590838"), appointment()), system=system)
    sign_in(page, "demo.sw1")
    page.get_by_role("link", name="Notifications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.get_by_text("was not brought").first).to_be_visible()
    check_page(page)
