"""The health administrator's pages (feed status, tokens, replay, the unmatched queue) and everyone's
notifications."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from lantern.core.models import AccessLogEntry
from lantern.health.models import FhirPatient, HealthSystem, InboundMessage, Notification, SystemToken
from lantern.health.selectors import feeds_of, notifications_of, unmatched_queue
from lantern.health.services import (
    message_replay,
    patient_match_resolve,
    system_token_issue,
    system_token_revoke,
)
from lantern.people.models import Person
from lantern.web.access import viewer_of
from lantern.web.govuk import error_list


def _health_administrator(request: HttpRequest) -> None:
    if not viewer_of(request).has_perm("health.manage_feeds"):
        raise PermissionDenied("Only a health agency's administrators run its health feeds")


@require_GET
def feeds(request: HttpRequest) -> HttpResponse:
    _health_administrator(request)
    return render(request, "health/feeds.html", {"feeds": feeds_of(viewer=viewer_of(request))})


def _own_system(request: HttpRequest, system_id: int) -> HealthSystem:
    return get_object_or_404(HealthSystem, pk=system_id, agency=viewer_of(request).agency)


@require_POST
def token_issue(request: HttpRequest, system_id: int) -> HttpResponse:
    _health_administrator(request)
    system = _own_system(request, system_id)
    token = system_token_issue(system=system, issued_by=viewer_of(request))
    return render(request, "health/token_issued.html", {"system": system, "token": token})


@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    _health_administrator(request)
    token = get_object_or_404(SystemToken, pk=token_id, system__agency=viewer_of(request).agency)
    system_token_revoke(token=token, revoked_by=viewer_of(request))
    messages.success(request, f"Token {token.prefix}… for {token.system} is revoked: it no longer works")
    return redirect("health-feeds")


@require_POST
def replay(request: HttpRequest, message_id: int) -> HttpResponse:
    _health_administrator(request)
    message = get_object_or_404(InboundMessage, pk=message_id, system__agency=viewer_of(request).agency)
    result = message_replay(message=message)
    messages.success(request, f"Message replayed: {result.message.get_status_display().lower()}")
    return redirect("health-feeds")


@require_GET
def unmatched(request: HttpRequest) -> HttpResponse:
    _health_administrator(request)
    queue = list(unmatched_queue(viewer=viewer_of(request)))
    # The candidates' names are a view of those children's records: log each.
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            professional=viewer_of(request),
            child=p.candidate,
            action=AccessLogEntry.Action.VIEW,
            page="health-unmatched",
            path=request.get_full_path()[:512],
            detail="match candidate",
        )
        for p in queue
        if p.candidate is not None
    )
    return render(request, "health/unmatched.html", {"queue": queue})


class ResolveForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            ("candidate", "This is the likeliest child"),
            ("other", "It is another child"),
            ("none", "It is no child known to Lantern"),
        ],
        error_messages={"required": "Select what this patient is"},
    )
    reference = forms.CharField(required=False, max_length=200)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("decision") == "other":
            ref = str(data.get("reference") or "").strip()
            source, _, source_id = ref.partition(":")
            child = Person.objects.children().filter(source=source, source_id=source_id).first()
            if child is None:
                self.add_error("reference", "Enter the reference of a child in Lantern, like demo:c1")
            data["child"] = child
        return data


@require_POST
def resolve(request: HttpRequest, patient_id: int) -> HttpResponse:
    _health_administrator(request)
    slugs = HealthSystem.objects.filter(agency=viewer_of(request).agency).values("slug")
    patient = get_object_or_404(
        FhirPatient, pk=patient_id, system_slug__in=slugs, match=FhirPatient.Match.UNMATCHED
    )
    form = ResolveForm(request.POST)
    if not form.is_valid():
        context = {
            "queue": list(unmatched_queue(viewer=viewer_of(request))),
            "form": form,
            "form_patient": patient.pk,
            "error_items": error_list(form, suffix=f"-{patient.pk}"),
        }
        return render(request, "health/unmatched.html", context, status=400)
    decision = form.cleaned_data["decision"]
    child = {"candidate": patient.candidate, "other": form.cleaned_data.get("child"), "none": None}[decision]
    applied = patient_match_resolve(patient=patient, child=child, resolved_by=viewer_of(request))
    if child is not None:
        AccessLogEntry.objects.create(
            professional=viewer_of(request),
            child=child,
            action=AccessLogEntry.Action.RECORD,
            page="health-match",
            path=request.get_full_path()[:512],
            detail=f"matched Patient/{patient.fhir_id} from {patient.system_slug}",
        )
        messages.success(request, f"Matched: {applied} waiting resources are now on the child's chronology")
    else:
        messages.success(request, "Recorded as no child known to Lantern")
    return redirect("health-unmatched")


@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    mine = list(notifications_of(viewer=viewer_of(request))[:100])
    unread = [n.pk for n in mine if n.read_at is None]
    page = render(request, "health/notifications.html", {"notifications": mine})
    Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return page
