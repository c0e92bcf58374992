"""The chronology pages: the timeline with its filters, recording forms, and exports."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from lantern.chronology.chart import chronology_chart
from lantern.chronology.forms import ChronologyFilterForm, HomeVisitForm, ObservationForm
from lantern.chronology.pdf import chronology_pdf
from lantern.chronology.presenters import EXPORT_COLUMNS, EventPresenter, filter_description
from lantern.chronology.selectors import (
    ChronologyFilter,
    child_chronology,
    chronology_agencies,
    siblings_visible,
)
from lantern.chronology.services import home_visit_record, observation_record
from lantern.core.models import AccessLogEntry
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
def chronology(request: HttpRequest, ref: str) -> HttpResponse:
    child = child_opened(request, ref, page="chronology")
    if isinstance(child, HttpResponse):
        return child
    form, chosen, siblings = _filtered(request, child)
    events = child_chronology(child=child, chronology_filter=chosen, siblings=siblings)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    viewer = viewer_of(request)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "child": child,
        "form": form,
        "page": page,
        "events": [EventPresenter(e) for e in page.object_list],
        "chosen": chosen,
        "query": params.urlencode(),
        "can_record": viewer.has_perm("chronology.add_event", child),
        "can_see_corrections": viewer.has_perm("chronology.view_corrections", child),
    }
    if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "chronology-results":
        return render(request, "chronology/_results.html", context)
    by = "kind" if request.GET.get("chart") == "type" else "agency"
    context["chart"] = chronology_chart(child=child, by=by)
    return render(request, "chronology/chronology.html", context)


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
def observation_new(request: HttpRequest, ref: str) -> HttpResponse:
    return _record(request, ref, kind="observation")


@require_http_methods(["GET", "POST"])
def home_visit_new(request: HttpRequest, ref: str) -> HttpResponse:
    return _record(request, ref, kind="home-visit")


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
def chronology_csv(request: HttpRequest, ref: str) -> HttpResponse | StreamingHttpResponse:
    """The filtered chronology as CSV, oldest first; the export is logged with its filters."""
    child = child_opened(request, ref, page="chronology-csv", perm="chronology.export", action="export")
    if isinstance(child, HttpResponse):
        return child
    _, chosen, siblings = _filtered(request, child)
    chosen.oldest_first = True
    events = child_chronology(child=child, chronology_filter=chosen, siblings=siblings)
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield writer.writerow(EXPORT_COLUMNS)
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow([_safe(value) for value in EventPresenter(event).export_row()])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="chronology-{child.ref.replace(":", "-")}.csv"'
    return response


@require_GET
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


def _safe(value: str) -> str:
    """Stop a spreadsheet from running a cell as a formula (CSV injection)."""
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value
