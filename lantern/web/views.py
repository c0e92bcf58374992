"""Lantern's pages. Views check access, call selectors, log the view and render; they hold no logic."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lantern.agencies.models import Professional
from lantern.core.audit import access_log_record
from lantern.core.models import AccessLogEntry
from lantern.people.models import Person
from lantern.people.selectors import (
    child_overview,
    child_search,
    child_search_parse,
    children_annotated_for,
    children_of_professional,
)
from lantern.web.forms import SignInForm

ACCESS_LOG_PAGE_SIZE = 50


def _viewer(request: HttpRequest) -> Professional:
    assert isinstance(request.user, Professional)
    return request.user


@login_not_required
def sign_in(request: HttpRequest) -> HttpResponseBase:
    return auth_views.LoginView.as_view(
        template_name="web/sign_in.html", authentication_form=SignInForm, redirect_authenticated_user=True
    )(request)


@require_GET
def my_children(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    page = Paginator(children_of_professional(viewer=viewer), 50).get_page(request.GET.get("page"))
    return render(request, "web/my_children.html", {"page": page})


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
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


def _child_or_refusal(request: HttpRequest, ref: str, page: str) -> Person | HttpResponse:
    """The child named by ``ref`` if the viewer may see the record; otherwise a logged refusal."""
    source, _, source_id = ref.partition(":")
    viewer = _viewer(request)
    child = children_annotated_for(viewer=viewer).filter(source=source, source_id=source_id).first()
    if child is None:
        raise Http404("No child has that reference")
    if not viewer.has_perm("people.view_child", child):
        access_log_record(
            request=request,
            page=page,
            action=AccessLogEntry.Action.REFUSED,
            child=child,
            detail="no legitimate relationship with the child",
        )
        return render(request, "web/known_to_services.html", {"child": child}, status=403)
    return child


@require_GET
def child_overview_page(request: HttpRequest, ref: str) -> HttpResponse:
    child = _child_or_refusal(request, ref, "child-overview")
    if isinstance(child, HttpResponse):
        return child
    access_log_record(request=request, page="child-overview", child=child)
    can_see_log = _viewer(request).has_perm("core.view_access_log", child)
    return render(
        request,
        "web/child_overview.html",
        {"overview": child_overview(child=child), "child": child, "can_see_access_log": can_see_log},
    )


@require_GET
def child_access_log(request: HttpRequest, ref: str) -> HttpResponse:
    """ "Who has viewed this record": for the child's managers and for auditors."""
    source, _, source_id = ref.partition(":")
    viewer = _viewer(request)
    child = children_annotated_for(viewer=viewer).filter(source=source, source_id=source_id).first()
    if child is None:
        raise Http404("No child has that reference")
    if not viewer.has_perm("core.view_access_log", child):
        access_log_record(
            request=request,
            page="child-access-log",
            action=AccessLogEntry.Action.REFUSED,
            child=child,
            detail="not a manager of this child's record or an auditor",
        )
        return render(request, "web/known_to_services.html", {"child": child}, status=403)
    access_log_record(request=request, page="child-access-log", child=child)
    entries = (
        AccessLogEntry.objects.filter(child=child)
        .select_related("professional__agency")
        .order_by("-at", "-pk")
    )
    page = Paginator(entries, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/child_access_log.html", {"child": child, "page": page})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "web/500.html", status=500)
