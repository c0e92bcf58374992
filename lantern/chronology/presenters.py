"""How an event reads on the chronology, in CSV and in the PDF: one place, so all three agree."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils import timezone

from lantern.agencies.models import Agency
from lantern.chronology.forms import ChronologyFilterForm
from lantern.chronology.models import Event, EventType, Significance, Tag
from lantern.chronology.selectors import ChronologyFilter
from lantern.core.formatting import govuk_date

_SIGNIFICANCE_TAG = {Significance.ROUTINE: "govuk-tag--grey", Significance.SIGNIFICANT: "govuk-tag--yellow",
                     Significance.KEY: "govuk-tag--red"}  # fmt: skip
_TAG_LABELS = dict(Tag.choices)
EXPORT_COLUMNS = ["Date", "Agency", "Event", "Significance", "Tags", "Details", "Child", "Recorded"]


@dataclass
class EventPresenter:
    event: Event

    @property
    def when(self) -> str:
        e = self.event
        if e.occurred_time is None:
            return govuk_date(e.occurred_on)
        hour = e.occurred_time.hour % 12 or 12
        suffix = "am" if e.occurred_time.hour < 12 else "pm"
        return f"{govuk_date(e.occurred_on)}, {hour}:{e.occurred_time:%M}{suffix}"

    @property
    def agency(self) -> str:
        return self.event.agency.name if self.event.agency else ""

    @property
    def kind(self) -> str:
        return self.event.get_type_display()

    @property
    def tags(self) -> list[str]:
        return [_TAG_LABELS.get(t.tag, t.tag) for t in self.event.tags.all()]

    @property
    def summary(self) -> str:
        """One line that says what happened, in the field's words."""
        e = self.event
        outcome = e.get_outcome_display()
        match e.type:
            case EventType.APPOINTMENT:
                service = f" ({e.service})" if e.service else ""
                return f"Appointment{service}: {outcome.lower()}"
            case EventType.ATTENDANCE:
                return f"{e.get_setting_display()}: {e.get_reason_display().lower()}"
            case EventType.HOME_VISIT:
                where = "at the main home" if e.location == "main-home" else "away from the main home"
                visit = {True: "Announced home visit", False: "Unannounced home visit", None: "Home visit"}
                return f"{visit[e.announced]} {where}: {outcome.lower()}"
            case EventType.OBSERVATION:
                return "Observation: " + ", ".join(t.lower() for t in self.tags)
            case EventType.REFERRAL:
                to = f" to {e.to_agency.name}" if e.to_agency_id and e.to_agency else ""
                return f"Referral{to}: {outcome.lower()}"
            case EventType.CRIMINAL_CASE:
                return f"Criminal case: {outcome.lower()}"
            case EventType.SUPERVISION | EventType.ALLOCATION:
                worker = f": {e.worker.name}" if e.worker_id and e.worker else ""
                return f"{e.get_type_display()}{worker}"
            case _:
                return e.text

    @property
    def detail(self) -> str:
        """The free text, unless the summary already is the text."""
        if self.event.type in {EventType.ASSESSMENT, EventType.PLAN_STARTED, EventType.PLAN_ENDED,
                               EventType.PLAN_REVIEW, EventType.MEETING}:  # fmt: skip
            return ""
        return self.event.text

    @property
    def significance(self) -> str:
        return self.event.get_significance_display()

    @property
    def significance_class(self) -> str:
        return _SIGNIFICANCE_TAG.get(Significance(self.event.significance), "govuk-tag--grey")

    @property
    def recorded(self) -> str:
        """Who put it on the chronology and when: a professional in Lantern, or an import."""
        on = govuk_date(timezone.localdate(self.event.recorded_at))
        if self.event.recorded_by is None:
            return f"Imported {on}"
        return f"Recorded {on} by {self.event.recorded_by.name}"

    def export_row(self) -> list[str]:
        """The event as the CSV and PDF exports show it, in ``EXPORT_COLUMNS`` order."""
        return [self.when, self.agency, self.summary, self.significance, "; ".join(self.tags), self.detail,
                self.event.child.display_name, self.recorded]  # fmt: skip


def filter_description(chosen: ChronologyFilter) -> str:
    """The filters in words, for the PDF's header (what a conference is and is not seeing)."""
    parts = []
    if chosen.significance:
        parts.append(
            "significance: " + ", ".join(str(Significance(s).label).lower() for s in chosen.significance)
        )
    if chosen.types:
        parts.append("kinds: " + ", ".join(str(EventType(t).label).lower() for t in chosen.types))
    if chosen.tags:
        parts.append("tags: " + ", ".join(_TAG_LABELS.get(t, t).lower() for t in chosen.tags))
    if chosen.agencies:
        names = Agency.objects.filter(pk__in=chosen.agencies).order_by("name").values_list("name", flat=True)
        parts.append("agencies: " + ", ".join(names))
    if chosen.date_from or chosen.date_to:
        parts.append(
            f"from {govuk_date(chosen.date_from) or 'the start'} to {govuk_date(chosen.date_to) or 'today'}"
        )
    if chosen.with_siblings:
        parts.append("with brothers' and sisters' significant events")
    if chosen.with_corrections:
        parts.append("with corrected entries")
    described = "; ".join(parts)
    # Not str.capitalize(), which would put agencies' names and months in lower case.
    return described[:1].upper() + described[1:]


# The filters' parameters, in the order the form shows them; "order" and "chart" are not filters.
FILTER_PARAMETERS = [
    "significance",
    "agency",
    "type",
    "tag",
    "date_from",
    "date_to",
    "siblings",
    "corrections",
]
KEPT_PARAMETERS = [*FILTER_PARAMETERS, "order", "chart"]


def query_kept(params: QueryDict, *, without: tuple[str, str] | None = None) -> str:
    """The query string for the chronology as chosen, without empty values, defaults or the page number.

    ``without`` leaves out one (parameter, value): the link that removes that filter.
    """
    pairs = []
    for name in KEPT_PARAMETERS:
        for value in params.getlist(name):
            value = value.strip()
            if (
                not value
                or (name, value) == without
                or (name, value) in {("order", "newest"), ("chart", "agency")}
            ):
                continue
            pairs.append((name, value))
    return urlencode(pairs)


@dataclass
class SelectedFilter:
    """One filter in use, with the link that removes it (MOJ's filter component's "selected filters")."""

    text: str
    href: str


def selected_filters(
    form: ChronologyFilterForm, chosen: ChronologyFilter, *, params: QueryDict, path: str
) -> list[tuple[str, list[SelectedFilter]]]:
    """The filters in use, by category, each linking to the chronology without it (none if one is wrong).

    ``form`` is the filter form bound to ``params``; ``chosen``, what the viewer may have of it.
    """
    if not form.is_bound or not form.is_valid():
        return []
    data = form.cleaned_data

    def removing(name: str, value: str) -> str:
        query = query_kept(params, without=(name, value.strip()))
        return f"{path}?{query}" if query else path

    categories = []
    for name in ["significance", "agency", "type", "tag"]:
        field = form.fields[name]
        ticked = {str(value) for value in data[name]}
        items = [
            SelectedFilter(str(label), removing(name, str(key)))
            for key, label in field.choices  # type: ignore[attr-defined]
            if str(key) in ticked
        ]
        if items:
            categories.append((str(field.label), items))
    dates = [
        SelectedFilter(f"{words} {govuk_date(data[name])}", removing(name, params.get(name, "")))
        for name, words in [("date_from", "From"), ("date_to", "To")]
        if data[name]
    ]
    if dates:
        categories.append(("Dates", dates))
    also = [
        SelectedFilter(words, removing(name, params.get(name, "")))
        for name, on, words in [
            ("siblings", chosen.with_siblings, "Brothers' and sisters' significant events"),
            ("corrections", chosen.with_corrections, "Corrected entries"),
        ]
        if on
    ]
    if also:
        categories.append(("Also showing", also))
    return categories
