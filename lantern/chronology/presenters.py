"""How an event reads on the chronology, in CSV and in the PDF: one place, so all three agree."""

from __future__ import annotations

from dataclasses import dataclass

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
        who = self.event.recorded_by.name if self.event.recorded_by else "imported"
        return f"Recorded {govuk_date(self.event.recorded_at.date())} by {who}"

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
        parts.append(f"{len(chosen.agencies)} selected agencies")
    if chosen.date_from or chosen.date_to:
        parts.append(
            f"from {govuk_date(chosen.date_from) or 'the start'} to {govuk_date(chosen.date_to) or 'today'}"
        )
    if chosen.with_siblings:
        parts.append("with brothers' and sisters' significant events")
    if chosen.with_corrections:
        parts.append("with corrected entries")
    return "; ".join(parts).capitalize()
