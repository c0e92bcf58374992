"""Lantern's pages. Views check access, call selectors, log the view and render; they hold no logic."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import DatabaseError, connection, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from lantern.cases.levels import level_current
from lantern.core.audit import access_log_record
from lantern.core.emergency import emergency_access_for_manager, emergency_access_open
from lantern.core.models import AccessLogEntry
from lantern.core.selectors import access_log_of_child, child_viewers, day_bounds
from lantern.people.selectors import (
    child_overview,
    child_search,
    child_search_parse,
    children_annotated_for,
    children_of_professional,
)
from lantern.screening.selectors import alerts_of_child
from lantern.web.access import child_opened, refused_context, viewer_of
from lantern.web.forms import AccessLogFilterForm, EmergencyAccessForm, SignInForm

ACCESS_LOG_PAGE_SIZE = 50


@login_not_required
def sign_in(request: HttpRequest) -> HttpResponseBase:
    return auth_views.LoginView.as_view(
        template_name="web/sign_in.html", authentication_form=SignInForm, redirect_authenticated_user=True
    )(request)


@require_GET
def my_children(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    page = Paginator(children_of_professional(viewer=viewer), 50).get_page(request.GET.get("page"))
    return render(request, "web/my_children.html", {"page": page})


@require_GET
@transaction.atomic
def search(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    if not viewer.has_perm("people.search_children"):
        return render(request, "web/search_not_allowed.html", status=403)
    query = child_search_parse(request.GET.get("q", ""))
    results = child_search(viewer=viewer, search=query)
    if not query.is_empty:
        access_log_record(
            request=request, page="search", action=AccessLogEntry.Action.SEARCH, detail=query.text
        )
    template = "web/_search_results.html" if getattr(request, "htmx", False) else "web/search.html"
    return render(request, template, {"query": query, "results": results}, status=400 if query.error else 200)


@require_GET
@transaction.atomic
def child_overview_page(request: HttpRequest, ref: str) -> HttpResponse:
    child = child_opened(request, ref, page="child-overview")
    if isinstance(child, HttpResponse):
        return child
    viewer = viewer_of(request)
    can_see_log = viewer.has_perm("core.view_access_log", child)
    return render(
        request,
        "web/child_overview.html",
        {
            "overview": child_overview(child=child),
            "child": child,
            "can_see_access_log": can_see_log,
            "can_record": viewer.has_perm("chronology.add_event", child),
            "alerts": alerts_of_child(child=child),
            "level_of_need": level_current(child=child),
        },
    )


@require_GET
@transaction.atomic
def child_access_log(request: HttpRequest, ref: str) -> HttpResponse:
    """ "Who has viewed this record": for the child's managers and for auditors."""
    child = child_opened(
        request,
        ref,
        page="child-access-log",
        perm="core.view_access_log",
        refusal="not a manager of this child's record or an auditor",
        refusal_template="web/access_log_refused.html",
    )
    if isinstance(child, HttpResponse):
        return child
    form = AccessLogFilterForm(request.GET or None)
    since = until = None
    if form.is_bound and form.is_valid():
        since, until = day_bounds(form.cleaned_data["date_from"], form.cleaned_data["date_to"])
    entries = access_log_of_child(child=child, since=since, until=until)
    page = Paginator(entries, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    kept = {k: v for k, v in request.GET.items() if k in form.fields and v}
    context = {
        "child": child,
        "page": page,
        "form": form,
        "viewers": child_viewers(child=child, since=since, until=until) if since or until else None,
        "kept": urlencode(kept),
    }
    return render(request, "web/child_access_log.html", context, status=400 if form.errors else 200)


@require_POST
@transaction.atomic
def emergency_access_new(request: HttpRequest, ref: str) -> HttpResponse:
    """Break-glass: the form is on the "known to services" page; a stated reason opens the record."""
    viewer = viewer_of(request)
    source, _, source_id = ref.partition(":")
    child = children_annotated_for(viewer=viewer).filter(source=source, source_id=source_id).first()
    if child is None:
        raise Http404("No child has that reference")
    if viewer.has_perm("people.view_child", child):
        return redirect("child-overview", ref=child.ref)
    if not viewer.has_perm("core.break_glass", child):
        access_log_record(request=request, page="emergency-access", action=AccessLogEntry.Action.REFUSED,
                          child=child, detail="emergency access refused: not a record user")  # fmt: skip
        return render(request, "web/emergency_access_refused.html", {"child": child}, status=403)
    form = EmergencyAccessForm(request.POST)
    if not form.is_valid():
        return render(request, "web/known_to_services.html", refused_context(child, form), status=400)
    emergency_access_open(
        request=request,
        professional=viewer,
        child=child,
        reason=form.cleaned_data["reason"],
        explanation=form.cleaned_data["explanation"],
    )
    return redirect("child-overview", ref=child.ref)


@require_GET
def emergency_access_list(request: HttpRequest) -> HttpResponse:
    """Emergency access to the children whose records the manager looks after."""
    viewer = viewer_of(request)
    if not viewer.has_perm("core.view_emergency_access"):
        return render(request, "web/emergency_access_not_allowed.html", status=403)
    page = Paginator(emergency_access_for_manager(viewer=viewer), 50).get_page(request.GET.get("page"))
    return render(request, "web/emergency_access.html", {"page": page})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "web/500.html", status=500)


@login_not_required
@require_GET
def health_check(request: HttpRequest) -> HttpResponse:
    """For a load balancer: 200 "ok" when this app server can reach its database, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
