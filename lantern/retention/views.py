"""The data protection officer's pages: subject access requests and their deadlines, exports, legal holds.

Every page is for the officer only (``retention.manage_subject_access``); anyone else is refused, and the
refusal is logged. Every view, change and export names the person in the access log, written in the
transaction of the read or change it records (each view is atomic).
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from weasyprint import HTML

from lantern.core.audit import access_log_record
from lantern.core.models import AccessLogEntry
from lantern.people.models import Person
from lantern.retention.forms import (
    CompletionForm,
    ExtensionForm,
    IdentityForm,
    LegalHoldForm,
    LiftForm,
    SubjectAccessRequestForm,
    person_by_ref,
)
from lantern.retention.models import LegalHold, LookedAfterChild, SubjectAccessRequest
from lantern.retention.selectors import RequestDeadline, subject_access_requests
from lantern.retention.services import (
    legal_hold_lift,
    legal_hold_place,
    looked_after_record,
    subject_access_complete,
    subject_access_extend,
    subject_access_identity_verify,
    subject_access_request_record,
)
from lantern.retention.subject_access import subject_access_export
from lantern.web.access import viewer_of
from lantern.web.govuk import error_list

PERM = "retention.manage_subject_access"
Action = AccessLogEntry.Action


def _officer_only(request: HttpRequest, *, page: str, person: Person | None = None) -> HttpResponse | None:
    """None for the data protection officer; for anyone else the refusal, logged."""
    if viewer_of(request).has_perm(PERM):
        return None
    access_log_record(
        request=request,
        page=page,
        action=Action.REFUSED,
        child=person,
        detail="not the data protection officer",
    )
    return render(request, "retention/refused.html", status=403)


def _log(request: HttpRequest, *, page: str, action: str, person: Person, detail: str = "") -> None:
    access_log_record(request=request, page=page, action=action, child=person, detail=detail)


def _form_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for text in error.messages:
            form.add_error(None, text)


@require_GET
@transaction.atomic
def request_list(request: HttpRequest) -> HttpResponse:
    refused = _officer_only(request, page="subject-access-requests")
    if refused:
        return refused
    requests = subject_access_requests(today=timezone.localdate())
    # Each person named on the page is a view of that person's record: logged, one row each.
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            professional=viewer_of(request),
            child=r.request.person,
            action=Action.VIEW,
            page="subject-access-requests",
            path=request.get_full_path()[:512],
            detail="subject access request listed",
        )
        for r in requests
    )
    return render(request, "retention/requests.html", {"requests": requests})


@require_http_methods(["GET", "POST"])
@transaction.atomic
def request_new(request: HttpRequest) -> HttpResponse:
    refused = _officer_only(request, page="subject-access-new")
    if refused:
        return refused
    form = SubjectAccessRequestForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            recorded = subject_access_request_record(
                person=data["reference"],
                requester_name=data["requester_name"],
                requester=data["requester"],
                received_on=data["received_on"],
                identity_verified_on=data["identity_verified_on"],
                identity_evidence=data["identity_evidence"],
                recorded_by=viewer_of(request),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            _log(request, page="subject-access-new", action=Action.RECORD, person=recorded.person,
                 detail=f"subject access request {recorded.pk} recorded")  # fmt: skip
            messages.success(request, "The request is recorded")
            return redirect("subject-access-request", request_id=recorded.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "retention/request_new.html", {"form": form, "errors": error_list(form)}, status=status
    )


def _request_page(
    request: HttpRequest, sar: SubjectAccessRequest, *, status: int = 200, **forms_: forms.Form
) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "sar": sar,
        "deadline": RequestDeadline(sar, today),
        "identity_form": forms_.get("identity_form") or IdentityForm(),
        "extension_form": forms_.get("extension_form") or ExtensionForm(),
        "completion_form": forms_.get("completion_form") or CompletionForm(),
        "errors": [item for f in forms_.values() for item in error_list(f)],
        "holds": LegalHold.objects.active().filter(person=sar.person),
    }
    return render(request, "retention/request.html", context, status=status)


def _sar(
    request: HttpRequest, request_id: int, *, page: str
) -> tuple[SubjectAccessRequest, HttpResponse | None]:
    sar = get_object_or_404(
        SubjectAccessRequest.objects.select_related("person", "recorded_by"), pk=request_id
    )
    return sar, _officer_only(request, page=page, person=sar.person)


@require_GET
@transaction.atomic
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    sar, refused = _sar(request, request_id, page="subject-access-request")
    if refused:
        return refused
    _log(request, page="subject-access-request", action=Action.VIEW, person=sar.person)
    return _request_page(request, sar)


@require_POST
@transaction.atomic
def request_change(request: HttpRequest, request_id: int, change: str) -> HttpResponse:
    """Verify the requester's identity, extend the deadline, or record that the answer was sent."""
    if change not in {"verify", "extend", "complete"}:
        raise Http404("No such change")
    page = f"subject-access-{change}"
    sar, refused = _sar(request, request_id, page=page)
    if refused:
        return refused
    form_class = {"verify": IdentityForm, "extend": ExtensionForm, "complete": CompletionForm}[change]
    form = form_class(request.POST)
    name = {"verify": "identity_form", "extend": "extension_form", "complete": "completion_form"}[change]
    if form.is_valid():
        data = form.cleaned_data
        try:
            if change == "verify":
                subject_access_identity_verify(
                    request=sar, verified_on=data["verified_on"], evidence=data["evidence"]
                )
            elif change == "extend":
                subject_access_extend(request=sar, months=data["months"], reason=data["reason"])
            else:
                subject_access_complete(request=sar, completed_on=data["completed_on"])
        except ValidationError as error:
            sar.refresh_from_db()
            _form_errors(form, error)
        else:
            _log(
                request,
                page=page,
                action=Action.RECORD,
                person=sar.person,
                detail=f"subject access request {sar.pk}: {change}",
            )
            messages.success(
                request,
                {
                    "verify": "Identity verified: the month has started",
                    "extend": "The deadline is extended",
                    "complete": "The request is answered",
                }[change],
            )
            return redirect("subject-access-request", request_id=sar.pk)
    _log(request, page=page, action=Action.VIEW, person=sar.person)
    return _request_page(request, sar, status=400, **{name: form})


@require_GET
@transaction.atomic
def request_export(request: HttpRequest, request_id: int, output: str) -> HttpResponse:
    """Everything held about the person, as JSON or as a PDF to read, with other people flagged."""
    if output not in {"json", "pdf"}:
        raise Http404("No such export")
    page = f"subject-access-export-{output}"
    sar, refused = _sar(request, request_id, page=page)
    if refused:
        return refused
    _log(
        request, page=page, action=Action.EXPORT, person=sar.person, detail=f"subject access request {sar.pk}"
    )
    export = subject_access_export(request=sar, prepared_by=viewer_of(request))
    filename = f"subject-access-{sar.pk}-{sar.person.ref.replace(':', '-')}"
    if output == "json":
        response = HttpResponse(
            json.dumps(export.as_json(), indent=2, ensure_ascii=False), content_type="application/json"
        )
    else:
        html = render_to_string("retention/export_pdf.html", {"export": export})
        response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{output}"'
    return response


def _person_page(
    request: HttpRequest,
    person: Person,
    *,
    status: int = 200,
    hold_form: LegalHoldForm | None = None,
    lift_form: LiftForm | None = None,
    lift_hold: LegalHold | None = None,
) -> HttpResponse:
    wrong = [form for form in (hold_form, lift_form) if form is not None]
    context = {
        "person": person,
        "holds": LegalHold.objects.filter(person=person)
        .select_related("placed_by", "lifted_by")
        .order_by("-placed_at"),
        "looked_after": LookedAfterChild.objects.filter(child=person).first(),
        "requests": SubjectAccessRequest.objects.filter(person=person).order_by("-received_on"),
        "hold_form": hold_form or LegalHoldForm(),
        "lift_form": lift_form or LiftForm(),
        "lift_hold": lift_hold,
        # Several holds each have a lifting form: the one that was wrong has its hold's number in its ids.
        "errors": [
            item
            for form in wrong
            for item in error_list(form, suffix=f"-{lift_hold.pk}" if form is lift_form and lift_hold else "")
        ],
    }
    return render(request, "retention/person.html", context, status=status)


def _person(request: HttpRequest, ref: str, *, page: str) -> tuple[Person, HttpResponse | None]:
    person = person_by_ref(ref)
    if person is None:
        raise Http404("No person has that reference")
    return person, _officer_only(request, page=page, person=person)


@require_GET
@transaction.atomic
def person_retention(request: HttpRequest, ref: str) -> HttpResponse:
    person, refused = _person(request, ref, page="retention-person")
    if refused:
        return refused
    _log(request, page="retention-person", action=Action.VIEW, person=person)
    return _person_page(request, person)


@require_POST
@transaction.atomic
def hold_place(request: HttpRequest, ref: str) -> HttpResponse:
    person, refused = _person(request, ref, page="legal-hold-place")
    if refused:
        return refused
    form = LegalHoldForm(request.POST)
    if form.is_valid():
        hold = legal_hold_place(
            person=person, record_type=form.cleaned_data["record_type"], reason=form.cleaned_data["reason"],
            placed_by=viewer_of(request),
        )  # fmt: skip
        _log(
            request,
            page="legal-hold-place",
            action=Action.RECORD,
            person=person,
            detail=f"legal hold {hold.pk} placed",
        )
        messages.success(request, "The legal hold is placed: nothing it covers will be disposed of")
        return redirect("retention-person", ref=person.ref)
    _log(request, page="legal-hold-place", action=Action.VIEW, person=person)
    return _person_page(request, person, status=400, hold_form=form)


@require_POST
@transaction.atomic
def hold_lift(request: HttpRequest, hold_id: int) -> HttpResponse:
    hold = get_object_or_404(LegalHold.objects.select_related("person"), pk=hold_id)
    refused = _officer_only(request, page="legal-hold-lift", person=hold.person)
    if refused:
        return refused
    form = LiftForm(request.POST)
    if form.is_valid():
        try:
            legal_hold_lift(
                hold=hold, reason=form.cleaned_data["lifted_reason"], lifted_by=viewer_of(request)
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            _log(
                request,
                page="legal-hold-lift",
                action=Action.RECORD,
                person=hold.person,
                detail=f"legal hold {hold.pk} lifted",
            )
            messages.success(request, "The legal hold is lifted")
            return redirect("retention-person", ref=hold.person.ref)
    _log(request, page="legal-hold-lift", action=Action.VIEW, person=hold.person)
    return _person_page(request, hold.person, status=400, lift_form=form, lift_hold=hold)


@require_POST
@transaction.atomic
def looked_after(request: HttpRequest, ref: str) -> HttpResponse:
    person, refused = _person(request, ref, page="looked-after-record")
    if refused:
        return refused
    try:
        looked_after_record(child=person, recorded_by=viewer_of(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("retention-person", ref=person.ref)
    _log(
        request,
        page="looked-after-record",
        action=Action.RECORD,
        person=person,
        detail="recorded as looked after",
    )
    messages.success(request, "Recorded: the record is kept until the 75th birthday")
    return redirect("retention-person", ref=person.ref)
