"""Hostile input: every free-text field holds script payloads, and no page runs them (issue #8).

The list of text fields comes from the models: every ``CharField``/``TextField`` without choices in
Lantern's apps is either free text (``FREE_TEXT``, with where it is shown) or not (``NOT_FREE_TEXT``, with
why), and a test fails when a model gains one that is in neither. The demo area is imported (the case
bundle import), the records the demo lacks are added, and then every row of every free-text field is given
a value made of a marker naming the field and the payloads below (the append-only records are created with
them). Chromium, under Lantern's Content Security Policy, then opens every page reachable by links for a
practitioner, a team manager, a senior manager who is also the data protection officer, and an auditor,
and uses the htmx parts of pages (chronology filters, search, the plan quality check) with payloads too:
``window.__xss`` must stay undefined, no page may report a Content Security Policy violation (the
``new_page`` fixture fails on one), no link may be a ``javascript:`` URL, and every field's value must
be seen, as text, on some page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Callable
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone
from playwright.sync_api import Page, expect

from lantern.agencies.models import Involvement, Professional
from lantern.assessments.models import Assessment, ItemGrade
from lantern.assessments.selectors import template_of
from lantern.cases.models import (
    CaseEpisode,
    CaseReview,
    CaseStep,
    CaseSupervision,
    Escalation,
    EscalationStep,
    LevelOfNeed,
)
from lantern.casework.models import Meeting, MeetingAction, PlanOutcome, PlanReview, PlanReviewOutcome
from lantern.chronology.models import Event
from lantern.core.models import AccessLogEntry, EmergencyAccess
from lantern.health.models import FhirPatient, HealthSystem, Notification
from lantern.people.models import Person
from lantern.retention.models import DataProtectionOfficer, LegalHold, SubjectAccessRequest
from lantern.screening.models import Alert, AlertStatus
from lantern.sharing.models import SharingRecord
from lantern.web.tests.system.conftest import SignIn

pytestmark = pytest.mark.system

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '"><img src=x onerror="window.__xss=1">',
    "javascript:window.__xss=1",
    '<svg onload="window.__xss=1">',
    "{{ 7*7 }}",
]
# For fields of up to 100 characters, and of up to 40.
SHORT_PAYLOADS = ['"><svg onload=__xss=1>', "<script>__xss=1</script>", "{{ 7*7 }}"]
TINY_PAYLOAD = "<svg onload=__xss=1>"

# Every free-text field a person or an import can set, and where it is shown.
FREE_TEXT: dict[str, str] = {
    "core.AccessLogEntry.detail": "child's access log (the break-glass reason of an emergency override)",
    "core.EmergencyAccess.explanation": "emergency access (managers)",
    "agencies.Agency.name": "child overview, chronology, sharing, everywhere an agency is named",
    "agencies.Agency.contact_phone": "known to services",
    "agencies.Team.name": "child overview, dashboards",
    "agencies.Professional.name": "every page naming a professional",
    "agencies.Involvement.role": "child overview",
    "people.Person.given_name": "every page naming a person",
    "people.Person.family_name": "every page naming a person",
    "people.Address.line1": "child overview (households)",
    "people.Address.line2": "child overview (households)",
    "people.Address.town": "child overview (households)",
    "chronology.Event.text": "chronology",
    "chronology.Event.service": "chronology",
    "assessments.Assessment.actions": "assessment",
    "assessments.ItemGrade.evidence": "assessment",
    "casework.PlanOutcome.description": "plan",
    "casework.PlanOutcome.measure": "plan",
    "casework.PlanAction.description": "plan",
    "casework.PlanAgreement.description": "plan",
    "casework.PlanReview.text": "plan",
    "casework.Meeting.decisions": "meeting",
    "casework.MeetingAction.description": "meeting",
    "cases.CaseEpisode.reason": "case",
    "cases.CaseEpisode.closure_reason": "case (closed)",
    "cases.CaseReview.summary": "case",
    "cases.CaseStep.note": "case",
    "cases.Escalation.concern": "escalation",
    "cases.Escalation.outcome": "escalation (resolved)",
    "cases.EscalationStep.note": "escalation",
    "cases.CaseSupervision.reflections": "supervision",
    "cases.LevelOfNeed.reason": "level of need",
    "health.HealthSystem.name": "health feeds",
    "health.FhirPatient.given_name": "unmatched patients",
    "health.FhirPatient.family_name": "unmatched patients",
    "health.Notification.subject": "notifications",
    "health.Notification.body": "notifications",
    "screening.Alert.summary": "alerts worklist, alert, child overview",
    "screening.Alert.action_taken": "alert (action recorded)",
    "screening.Alert.dismissed_reason": "alert (dismissed)",
    "screening.AlertHistory.note": "alert",
    "sharing.SharingRecord.what": "information sharing",
    "sharing.SharingRecord.recipient": "information sharing",
    "sharing.SharingRecord.purpose": "information sharing",
    "sharing.SharingRecord.reasoning": "information sharing",
    "retention.LegalHold.reason": "retention of a person",
    "retention.LegalHold.lifted_reason": "retention of a person (a lifted hold)",
    "retention.SubjectAccessRequest.requester_name": "subject access",
    "retention.SubjectAccessRequest.identity_evidence": "subject access request (identity verified)",
    "retention.SubjectAccessRequest.extension_reason": "subject access request",
}

# Free text that no page shows: its payloads are stored too, and the crawl shows they run nowhere.
NOT_SHOWN: dict[str, str] = {
    "people.Person.childhood_history": "a parent's history, imported; screening reads whether there is one",
    "casework.PlanReviewOutcome.comment": "no form or import sets it yet",
}

_ID = "an identifier (case bundles allow [A-Za-z0-9_.-] only)"
_CODE = "a code Lantern sets or checks against a list"
NOT_FREE_TEXT: dict[str, str] = {
    "core.AccessLogEntry.page": _CODE,
    "core.AccessLogEntry.path": "the path Lantern served; never shown",
    "agencies.Agency.source": _ID,
    "agencies.Agency.source_id": _ID,
    "agencies.Agency.contact_email": "an email address (validated)",
    "agencies.Professional.password": "a password hash; never shown",
    "agencies.RecoveryCode.code_hash": "a recovery code's hash; never shown",
    "agencies.RecoveryCodeDevice.name": "django-otp's device name, set by Lantern; never shown",
    "agencies.Professional.username": "a username (Django's validator: letters, digits and @.+-_)",
    "agencies.Professional.email": "an email address (validated)",
    "agencies.Professional.profession": _CODE,
    "agencies.Professional.source": _ID,
    "agencies.Professional.source_id": _ID,
    "agencies.Involvement.source": _ID,
    "agencies.Involvement.source_id": _ID,
    "agencies.SignInFailure.username": "what someone typed to sign in; never shown on a page",
    "agencies.SignInFailure.address": "an IP address",
    "agencies.SignedInSession.session_key": "a session key; never shown",
    "agencies.SignedInSession.address": "an IP address",
    "people.Person.source": _ID,
    "people.Person.source_id": _ID,
    "people.Person.given_name_index": "a search index derived from the name; never shown",
    "people.Person.family_name_index": "a search index derived from the name; never shown",
    "people.Person.nhs_number": "ten digits (validated with the check digit)",
    "people.Address.postcode": "a postcode (validated)",
    "people.Household.source": _ID,
    "people.Household.source_id": _ID,
    "chronology.Event.source": _ID,
    "chronology.Event.source_id": _ID,
    "chronology.Event.outcome": _CODE,
    "assessments.AssessmentTemplate.template": "a slug",
    "assessments.AssessmentTemplate.loaded_by": "the operating-system account that loaded it; never shown",
    "assessments.Assessment.source": _ID,
    "assessments.Assessment.source_id": _ID,
    "assessments.Assessment.template": "a slug",
    "assessments.Assessment.occasion": "an identifier Lantern makes",
    "assessments.Assessment.level_of_concern": "a slug from the template",
    "assessments.AssessmentScore.area": "a slug from the template",
    "assessments.ItemGrade.item": "a slug from the template",
    "assessments.AssessmentTarget.area": "a slug from the template",
    "casework.Plan.source": _ID,
    "casework.Plan.source_id": _ID,
    "casework.Meeting.source": _ID,
    "casework.Meeting.source_id": _ID,
    "cases.LevelOfNeed.level": "a level from the configured continuum (LANTERN_CONTINUUM)",
    "health.HealthSystem.slug": "a slug",
    "health.SystemToken.digest": "a hash; never shown",
    "health.SystemToken.prefix": "a prefix Lantern makes",
    "health.InboundMessage.bundle_type": _CODE,
    "health.InboundMessage.body": "the FHIR message as received; never shown as a page (replayed only)",
    "health.FhirResource.system_slug": "a slug",
    "health.FhirResource.resource_type": "a FHIR resource type (checked)",
    "health.FhirResource.fhir_id": "a FHIR id; never shown",
    "health.FhirResource.version_id": "a FHIR version id; never shown",
    "health.FhirResource.full_url": "a FHIR URL; never shown",
    "health.FhirPatient.system_slug": "a slug",
    "health.FhirPatient.fhir_id": "a FHIR id; never shown",
    "health.FhirPatient.nhs_number": "ten digits",
    "health.FhirPatient.postcode": "a postcode",
    "health.TokenRefusal.token_prefix": "a prefix; never shown",
    "health.TokenRefusal.address": "an IP address",
    "health.TokenRefusal.reason": _CODE,
    "screening.Alert.rule": _CODE,
    "screening.Alert.severity": _CODE,
    "retention.LegalHold.record_type": _CODE,
    "retention.DisposalRun.run_by": "the operating-system account; never shown",
    "retention.DisposalEntry.record_type": _CODE,
    "retention.DisposalEntry.model": _CODE,
    "retention.DisposalEntry.rule": _CODE,
}

# Records that cannot be updated (append-only, ADR 17): created with the payloads instead.
APPEND_ONLY = {"core.AccessLogEntry", "core.EmergencyAccess", "sharing.SharingRecord"}


def _text_fields() -> set[str]:
    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("lantern."):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField) and not field.choices:
                found.add(f"{model._meta.label}.{field.name}")
    return found


def test_every_text_field_of_every_model_is_listed_as_free_text_or_not() -> None:
    found = _text_fields()
    listed = [*FREE_TEXT, *NOT_SHOWN, *NOT_FREE_TEXT]
    assert len(listed) == len(set(listed)), "a field is in two lists"
    unlisted = found - set(listed)
    assert not unlisted, (
        f"New text fields: add each to FREE_TEXT (where shown) or NOT_FREE_TEXT (why): {unlisted}"
    )
    assert not set(listed) - found, "listed fields that no longer exist"


def hostile_value(label: str, row: int, max_length: int | None) -> str:
    """A value naming its field and row, then the payloads that fit the field."""
    marker = f"F{sorted([*FREE_TEXT, *NOT_SHOWN]).index(label):02d}r{row} "
    for payloads in (PAYLOADS, SHORT_PAYLOADS, [TINY_PAYLOAD]):
        value = marker + " ".join(payloads)
        if max_length is None or len(value) <= max_length:
            return value
    raise AssertionError(f"{label} is too short for a payload ({max_length})")


def _records_the_demo_lacks() -> None:
    """One of each record the demo area does not have, about Mason Ward (demo:c1), so every free-text
    field has a row to hold a payload."""
    now = timezone.now()
    today = timezone.localdate()
    mason = Person.objects.get(source="demo", source_id="c1")
    social_worker = Professional.objects.get(username="demo.sw1")
    manager = Professional.objects.get(username="demo.tm1")
    senior = Professional.objects.get(username="demo.sm1")
    allocation = Involvement.objects.filter(child=mason, professional=social_worker).first() or (
        Involvement.objects.filter(child=mason).first()
    )
    assert allocation is not None
    episode = CaseEpisode.objects.create(
        child=mason,
        agency=allocation.agency,
        allocation=allocation,
        opened_on=today - dt.timedelta(days=40),
        opened_by=manager,
        reason="x",
        closure_reason="x",
        closed_on=today,
    )
    CaseStep.objects.create(
        episode=episode, kind="opened", on=episode.opened_on, at=now, by=manager, note="x"
    )
    CaseReview.objects.create(
        episode=episode,
        held_on=today - dt.timedelta(days=5),
        recorded_by=manager,
        recorded_at=now,
        progress="no-change",
        needs_met=False,
        summary="x",
    )
    escalation = Escalation.objects.create(
        child=mason,
        kind="stuck-case",
        subject="case-drift",
        concern="x",
        outcome="x",
        raised_on=today,
        raised_by=social_worker,
        owner=senior,
        due_on=today + dt.timedelta(days=10),
        resolved_on=today,
    )
    EscalationStep.objects.create(escalation=escalation, kind="raised", at=now, by=social_worker, note="x")
    supervision = Event.objects.create(
        source="hostile",
        source_id="supervision",
        child=mason,
        agency=allocation.agency,
        type="supervision",
        occurred_on=today - dt.timedelta(days=3),
        recorded_at=now,
        recorded_by=manager,
        text="x",
    )
    CaseSupervision.objects.create(event=supervision, reflections="x")
    LevelOfNeed.objects.create(child=mason, level="targeted", rank=2, reason="x", set_at=now, set_by=manager)
    assessment = Assessment.objects.filter(child=mason).first() or Assessment.objects.first()
    assert assessment is not None
    template = template_of(assessment)
    assert template is not None
    ItemGrade.objects.create(assessment=assessment, item=template.items[0].id, grade=1, evidence="x")
    actioned, dismissed = Alert.objects.filter(child=mason)[:2]
    Alert.objects.filter(pk=actioned.pk).update(status=AlertStatus.ACTIONED, action_taken="x")
    Alert.objects.filter(pk=dismissed.pk).update(status=AlertStatus.DISMISSED, dismissed_reason="x")
    review = PlanReview.objects.first()
    outcome = PlanOutcome.objects.filter(plan=review.plan).first() if review else None
    if review and outcome:
        PlanReviewOutcome.objects.create(review=review, outcome=outcome, progress="no-change", comment="x")
    meeting = Meeting.objects.first()
    assert meeting is not None
    MeetingAction.objects.create(
        meeting=meeting,
        description="x",
        owner_professional=social_worker,
        due_on=today + dt.timedelta(days=7),
    )
    FhirPatient.objects.create(
        system_slug=HealthSystem.objects.get().slug, fhir_id="p1", match="unmatched", given_name="x",
        family_name="x",
    )  # fmt: skip
    event = Event.objects.filter(child=mason).first()
    Notification.objects.create(recipient=social_worker, child=mason, event=event, subject="x", body="x")
    LegalHold.objects.create(
        person=mason, reason="x", lifted_reason="x", placed_by=senior, lifted_by=senior, lifted_at=now
    )
    DataProtectionOfficer.objects.create(
        professional=senior, appointed_by=Professional.objects.get(username="demo.admin1")
    )
    SubjectAccessRequest.objects.create(
        person=mason,
        requester_name="x",
        requester="parent",
        received_on=today,
        recorded_by=senior,
        identity_evidence="x",
        identity_verified_on=today,
        extension_reason="x",
    )


def _append_only_records() -> None:
    mason = Person.objects.get(source="demo", source_id="c1")
    stranger = (
        Professional.objects.filter(source="demo", role="practitioner").exclude(username="demo.sw1").first()
    )
    assert stranger is not None
    now = timezone.now()

    def value(label: str) -> str:
        model_label, name = label.rsplit(".", 1)
        field = apps.get_model(model_label)._meta.get_field(name)
        return hostile_value(label, 1, field.max_length)

    EmergencyAccess.objects.create(
        professional=stranger,
        child=mason,
        reason="risk-to-child",
        explanation=value("core.EmergencyAccess.explanation"),
        started_at=now,
        ends_at=now + dt.timedelta(hours=4),
    )
    AccessLogEntry.objects.create(
        professional=stranger,
        child=mason,
        action="emergency",
        page="child-overview",
        detail=value("core.AccessLogEntry.detail"),
    )
    SharingRecord.objects.create(
        child=mason,
        kind="disclosure",
        decision="shared",
        what=value("sharing.SharingRecord.what"),
        recipient=value("sharing.SharingRecord.recipient"),
        purpose=value("sharing.SharingRecord.purpose"),
        lawful_basis="public-task",
        consent="not-sought-risk",
        reasoning=value("sharing.SharingRecord.reasoning"),
        recorded_by=Professional.objects.get(username="demo.tm1"),
    )


def _payloads_stored() -> dict[str, set[str]]:
    """Every row of every free-text field given its hostile value; what was stored, by field."""
    stored: dict[str, set[str]] = {}
    for label in [*FREE_TEXT, *NOT_SHOWN]:
        model_label, name = label.rsplit(".", 1)
        model = apps.get_model(model_label)
        field = model._meta.get_field(name)
        if model_label in APPEND_ONLY:
            stored[label] = {v for v in model.objects.values_list(name, flat=True) if v and v.startswith("F")}
            continue
        stored[label] = set()
        for pk in model.objects.values_list("pk", flat=True):
            value = hostile_value(label, pk, field.max_length)
            model.objects.filter(pk=pk).update(**{name: value})
            stored[label].add(value)
        assert stored[label], f"no {model_label} row to hold a payload"
    return stored


@pytest.fixture
def hostile(server: str) -> dict[str, set[str]]:
    _records_the_demo_lacks()
    _append_only_records()
    return _payloads_stored()


# Pages not to open: signing out, downloads (the CSV's own test is in chronology/tests), the admin.
_SKIP = re.compile(r"/sign-out/|\.(csv|pdf|json|svg)$|/admin/|/static/|/api/")


def _crawl(page: Page, server: str, seeds: list[str], seen_text: list[str], opened: set[str]) -> None:
    queue = deque(f"{server}{seed}" for seed in seeds)
    while queue:
        url = urldefrag(queue.popleft()).url
        if url in opened or _SKIP.search(urlsplit(url).path) or not url.startswith(server):
            continue
        opened.add(url)
        response = page.goto(url)
        assert response is not None
        _no_script_ran(page, url)
        seen_text.append(page.inner_text("body"))
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            if href.startswith(server) and urldefrag(href).url not in opened:
                queue.append(href)


def _no_script_ran(page: Page, where: str) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined", f"a payload ran on {where}"
    assert page.locator("a[href^='javascript:' i], [src^='javascript:' i]").count() == 0, where


def _forms_with_payloads(page: Page, server: str) -> None:
    """Through the forms and services too: an observation typed with every payload is shown as text,
    and the plan quality check (htmx) answers about a payload as it is typed, without running it."""
    typed = " ".join(PAYLOADS)
    page.goto(f"{server}/children/demo:c1/observations/new/")
    day = timezone.localdate() - dt.timedelta(days=1)
    group = page.get_by_role("group", name="When did it happen?")
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))
    page.get_by_role("checkbox", name="Hygiene").check()
    page.get_by_label("What did you see or hear?").fill(typed)
    page.get_by_role("button", name="Save observation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    _no_script_ran(page, "the chronology after recording an observation")
    expect(page.locator("body")).to_contain_text(typed)

    page.goto(f"{server}/children/demo:c1/plans/demo:p1/outcomes/new/")
    with page.expect_response(re.compile(r"/quality-check/")):
        page.get_by_label("What will be different for the child?").fill(typed)
    page.wait_for_load_state("networkidle")
    _no_script_ran(page, "the plan quality check (htmx)")


def _htmx_with_payloads(page: Page, server: str, seen_text: list[str]) -> None:
    """The partial responses htmx swaps into pages: the chronology's filters, the search."""
    page.goto(f"{server}/children/demo:c1/chronology/")
    with page.expect_response(re.compile(r"/chronology/\?")):
        page.get_by_role("checkbox").first.check()
    page.wait_for_load_state("networkidle")
    _no_script_ran(page, "the chronology's filtered results (htmx)")
    seen_text.append(page.inner_text("body"))

    page.goto(f"{server}/search/")
    search = page.get_by_role("searchbox").or_(page.get_by_role("textbox")).first
    with page.expect_response(re.compile(r"/search/\?")):
        search.fill(PAYLOADS[0])
        search.press("Enter")
    page.wait_for_load_state("networkidle")
    _no_script_ran(page, "search results (htmx)")
    expect(page.locator("body")).to_contain_text(PAYLOADS[0])


# The crawl opens a few hundred pages on a shared machine: a slow one is not a failure here.
PAGE_TIMEOUT_MS = 30_000
USERS = ["demo.sw1", "demo.tm1", "demo.sm1", "demo.aud1", "demo.hadmin1"]
SEEDS = ["/", "/alerts/", "/notifications/", "/emergency-access/", "/subject-access/", "/health/",
         "/health/unmatched/", "/plans/quality/", "/retention/people/demo:c1/"]  # fmt: skip


def test_no_payload_in_any_free_text_field_runs_on_any_page(
    new_page: Callable[..., Page], server: str, sign_in: SignIn, hostile: dict[str, set[str]]
) -> None:
    seen_text: list[str] = []
    for username in USERS:
        page = new_page()
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        sign_in(page, username)
        opened: set[str] = set()
        _crawl(page, server, SEEDS, seen_text, opened)
        if username in {"demo.sw1", "demo.tm1"}:
            _htmx_with_payloads(page, server, seen_text)
        if username == "demo.sw1":
            _forms_with_payloads(page, server)
        print(f"{username}: {len(opened)} pages")
    text = "\n".join(seen_text)
    unseen = sorted(label for label in FREE_TEXT if not any(v in text for v in hostile[label]))
    assert not unseen, f"never seen as text on a page: {unseen}"
