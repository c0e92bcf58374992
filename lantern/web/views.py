"""Lantern's pages. Views check access, call selectors, log the view and render; they hold no logic."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lantern.core.audit import access_log_record
from lantern.core.models import AccessLogEntry
from lantern.people.selectors import (
    child_overview,
    child_search,
    child_search_parse,
    children_of_professional,
)
from lantern.screening.selectors import alerts_of_child
from lantern.web.access import child_opened, viewer_of
from lantern.web.forms import SignInForm

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
        },
    )


@require_GET
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
    entries = AccessLogEntry.objects.filter(child=child).select_related("professional__agency")
    entries = entries.order_by("-at", "-pk")
    page = Paginator(entries, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/child_access_log.html", {"child": child, "page": page})


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
