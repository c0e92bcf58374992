"""The chronology as a PDF for a child protection conference (WeasyPrint)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from lantern.agencies.models import Professional
from lantern.chronology.models import Event
from lantern.chronology.presenters import EXPORT_COLUMNS, EventPresenter
from lantern.people.models import Person


def chronology_pdf(
    *, child: Person, events: QuerySet[Event], prepared_by: Professional, filters: str
) -> bytes:
    html = render_to_string(
        "chronology/chronology_pdf.html",
        {
            "child": child,
            "columns": EXPORT_COLUMNS,
            "rows": (EventPresenter(e).export_row() for e in events.iterator(chunk_size=2000)),
            "prepared_by": prepared_by,
            "prepared_at": timezone.now(),
            "filters": filters,
        },
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
