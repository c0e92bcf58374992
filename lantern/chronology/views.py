"""The chronology pages: the timeline with its filters, recording forms, and exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from lantern.chronology.chart import chronology_chart
from lantern.chronology.forms import ChronologyFilterForm, HomeVisitForm, ObservationForm
from lantern.chronology.models import Event
from lantern.chronology.pdf import chronology_pdf
from lantern.chronology.presenters import (
    EXPORT_COLUMNS,
    EventPresenter,
    filter_description,
    query_kept,
    selected_filters,
)
from lantern.chronology.selectors import (
    ChronologyFilter,
    child_chronology,
    chronology_agencies,
    siblings_visible,
)
from lantern.chronology.services import home_visit_record, observation_record
from lantern.core.models import AccessLogEntry
from lantern.core.spreadsheet import csv_download
from lantern.people.models import Person
from lantern.web.access import child_opened, viewer_of

PAGE_SIZE = 50


def _filtered(
    request: HttpRequest, child: Person
) -> tuple[ChronologyFilterForm, ChronologyFilter, list[Person]]:
    agencies = [(a.pk, a.name) for a in chronology_agencies(child=child)]
    form = ChronologyFilterForm(request.GET or None, agencies=agencies)
    chosen = ChronologyFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        chosen = ChronologyFilter(
            agencies=data["agency"],
            types=data["type"],
            tags=data["tag"],
            significance=data["significance"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            with_siblings=data["siblings"],
            with_corrections=data["corrections"]
            and viewer_of(request).has_perm("chronology.view_corrections", child),
            oldest_first=data["order"] == "oldest",
        )
    siblings = siblings_visible(child=child, viewer=viewer_of(request)) if chosen.with_siblings else []
    return form, chosen, siblings


@require_GET
@transaction.atomic
def chronology(request: HttpRequest, ref: str) -> HttpResponse:
    """The timeline with its filters and chart.

    With JavaScript, ticking a filter asks htmx for the results alone (``HX-Target: chronology-results``);
    the answer also brings, out of band, what else the filters change: the filters in use, the chart's
    link and the status that tells screen reader users what was found.
    """
    child = child_opened(request, ref, page="chronology")
    if isinstance(child, HttpResponse):
        return child
    form, chosen, siblings = _filtered(request, child)
    path = reverse("chronology", args=[child.ref])
    query = query_kept(request.GET)
    filters_wrong = form.is_bound and not form.is_valid()
    wants_results = bool(getattr(request, "htmx", False)) and request.headers.get("HX-Target") == (
        "chronology-results"
    )
    if wants_results and filters_wrong:
        # A date the filters cannot read: the whole page, with its error summary at the top and the
        # error on the field, as without JavaScript.
        response = HttpResponse(status=400)
        response["HX-Redirect"] = request.get_full_path()
        return response
    if filters_wrong:
        events = Event.objects.none()
    else:
        events = child_chronology(child=child, chronology_filter=chosen, siblings=siblings)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    viewer = viewer_of(request)
    chart_by = "kind" if request.GET.get("chart") in {"kind", "type"} else "agency"
    chart_other = request.GET.copy()
    chart_other["chart"] = "agency" if chart_by == "kind" else "kind"
    chart_other_query = query_kept(chart_other)
    context = {
        "child": child,
        "form": form,
        "filters_wrong": filters_wrong,
        "page": page,
        "events": [EventPresenter(e) for e in page.object_list],
        "chosen": chosen,
        "filtered": chosen != ChronologyFilter(oldest_first=chosen.oldest_first),
        "selected_filters": selected_filters(form, chosen, params=request.GET, path=path),
        "path": path,
        "query": query,
        "chart_by": chart_by,
        "chart_other_href": f"{path}?{chart_other_query}" if chart_other_query else path,
        # Clearing the filters keeps the chart as it is drawn.
        "clear_href": f"{path}?chart=kind" if chart_by == "kind" else path,
        "can_record": viewer.has_perm("chronology.add_event", child),
        "can_see_corrections": viewer.has_perm("chronology.view_corrections", child),
    }
    if wants_results:
        response = render(request, "chronology/_results.html", context)
        # The address as a person would write it: no empty boxes, defaults or page number.
        response["HX-Push-Url"] = f"{path}?{query}" if query else path
        return response
    context["chart"] = chronology_chart(child=child, by="type" if chart_by == "kind" else "agency")
    return render(request, "chronology/chronology.html", context, status=400 if filters_wrong else 200)


def _record(request: HttpRequest, ref: str, *, kind: str) -> HttpResponse:
    is_post = request.method == "POST"
    child = child_opened(
        request,
        ref,
        page=f"record-{kind}",
        perm="chronology.add_event",
        action=AccessLogEntry.Action.RECORD if is_post else AccessLogEntry.Action.VIEW,
    )
    if isinstance(child, HttpResponse):
        return child
    form_class = ObservationForm if kind == "observation" else HomeVisitForm
    form = form_class(request.POST if is_post else None)
    if is_post and form.is_valid():
        data = form.cleaned_data
        common = {
            "child": child,
            "recorded_by": viewer_of(request),
            "occurred_on": data["occurred_on"],
            "occurred_time": data["occurred_time"],
            "significance": data["significance"],
            "text": data["text"],
        }
        if kind == "observation":
            observation_record(**common, tags=data["tags"])
        else:
            home_visit_record(
                **common, location=data["location"], outcome=data["outcome"], announced=data["announced"]
            )
        messages.success(request, f"Your {kind.replace('-', ' ')} is on {child.display_name}'s chronology")
        return redirect(reverse("chronology", args=[child.ref]))
    status = 400 if is_post else 200
    return render(request, f"chronology/record_{kind.replace('-', '_')}.html", {"child": child, "form": form},
                  status=status)  # fmt: skip


@require_http_methods(["GET", "POST"])
@transaction.atomic
def observation_new(request: HttpRequest, ref: str) -> HttpResponse:
    return _record(request, ref, kind="observation")


@require_http_methods(["GET", "POST"])
@transaction.atomic
def home_visit_new(request: HttpRequest, ref: str) -> HttpResponse:
    return _record(request, ref, kind="home-visit")


@require_GET
@transaction.atomic
def chronology_csv(request: HttpRequest, ref: str) -> HttpResponse | StreamingHttpResponse:
    """The filtered chronology as CSV, oldest first; the export is logged with its filters."""
    child = child_opened(request, ref, page="chronology-csv", perm="chronology.export", action="export")
    if isinstance(child, HttpResponse):
        return child
    _, chosen, siblings = _filtered(request, child)
    chosen.oldest_first = True
    events = child_chronology(child=child, chronology_filter=chosen, siblings=siblings)
    rows = (EventPresenter(event).export_row() for event in events.iterator(chunk_size=2000))
    return csv_download(EXPORT_COLUMNS, rows, filename=f"chronology-{child.ref.replace(':', '-')}.csv")


@require_GET
@transaction.atomic
def chronology_pdf_download(request: HttpRequest, ref: str) -> HttpResponse:
    """The filtered chronology as a PDF ready for a child protection conference; logged as an export."""
    child = child_opened(request, ref, page="chronology-pdf", perm="chronology.export", action="export")
    if isinstance(child, HttpResponse):
        return child
    _, chosen, siblings = _filtered(request, child)
    chosen.oldest_first = True
    events = child_chronology(child=child, chronology_filter=chosen, siblings=siblings)
    pdf = chronology_pdf(
        child=child, events=events, prepared_by=viewer_of(request), filters=filter_description(chosen)
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="chronology-{child.ref.replace(":", "-")}.pdf"'
    return response
