"""A child's information sharing: the list of shares and decisions, and recording one (ADR 17)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from lantern.core.models import AccessLogEntry
from lantern.sharing.forms import SharingRecordForm
from lantern.sharing.models import SharingRecord
from lantern.sharing.selectors import exports_of_child
from lantern.sharing.services import sharing_record
from lantern.web.access import child_opened, viewer_of


@require_GET
@transaction.atomic
def sharing_list(request: HttpRequest, ref: str) -> HttpResponse:
    child = child_opened(request, ref, page="sharing", perm="sharing.view_shares")
    if isinstance(child, HttpResponse):
        return child
    records = list(
        SharingRecord.objects.filter(child=child)
        .select_related("recorded_by", "recipient_agency")
        .order_by("-recorded_at", "-pk")[:200]
    )
    context = {
        "child": child,
        "records": records,
        "exports": exports_of_child(child=child, records=records),
        "can_record": viewer_of(request).has_perm("sharing.record_share", child),
    }
    return render(request, "sharing/sharing_list.html", context)


@require_http_methods(["GET", "POST"])
@transaction.atomic
def sharing_new(request: HttpRequest, ref: str) -> HttpResponse:
    is_post = request.method == "POST"
    child = child_opened(
        request,
        ref,
        page="sharing-new",
        perm="sharing.record_share",
        action=AccessLogEntry.Action.RECORD if is_post else AccessLogEntry.Action.VIEW,
    )
    if isinstance(child, HttpResponse):
        return child
    viewer = viewer_of(request)
    form = SharingRecordForm(request.POST if is_post else None, initial={"kind": request.GET.get("kind")})
    if is_post and form.is_valid():
        try:
            sharing_record(child=child, recorded_by=viewer, **form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, f"The sharing decision is recorded on {child.display_name}'s record")
            return redirect("sharing", ref=child.ref)
    context = {
        "child": child,
        "form": form,
        "may_share_without_consent": viewer.has_perm("sharing.share_without_consent", child),
    }
    return render(request, "sharing/sharing_new.html", context, status=400 if form.errors else 200)
