"""A picture of the child's chronology: events by month (or year) in a row per agency or per kind.

Patterns a list hides show at a glance: missed appointments bunching, A&E visits repeating, agencies
going quiet. Drawn as SVG on the server, with the same figures as a table for those who cannot see it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min
from django.db.models.functions import TruncMonth, TruncYear

from lantern.chronology.models import Event, EventType, Significance
from lantern.people.models import Person

WIDTH, LABEL_WIDTH, ROW_HEIGHT, TOP = 960, 220, 34, 30
RANK = {Significance.ROUTINE: 0, Significance.SIGNIFICANT: 1, Significance.KEY: 2}
MONTHS_SHOWN_BY_MONTH = 36


@dataclass
class Mark:
    x: float
    y: float
    size: float
    count: int
    significance: str
    label: str


@dataclass
class Chart:
    by: str
    rows: list[str]
    columns: list[dt.date]
    monthly: bool
    counts: dict[tuple[str, dt.date], dict[str, int]] = field(default_factory=dict)

    @property
    def height(self) -> int:
        return TOP + ROW_HEIGHT * len(self.rows) + 10

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def row_height(self) -> int:
        return ROW_HEIGHT

    def row_top(self, index: int) -> int:
        return TOP + ROW_HEIGHT * index

    def column_label(self, column: dt.date) -> str:
        return f"{column:%b %Y}" if self.monthly else str(column.year)

    def x(self, index: int) -> float:
        span = (WIDTH - LABEL_WIDTH - 20) / max(len(self.columns), 1)
        return LABEL_WIDTH + span * (index + 0.5)

    def axis(self) -> list[tuple[float, str]]:
        """Column labels, thinned so that they do not overlap."""
        step = max(1, math.ceil(len(self.columns) / 12))
        return [(self.x(i), self.column_label(c)) for i, c in enumerate(self.columns) if i % step == 0]

    def marks(self) -> list[Mark]:
        column_index = {c: i for i, c in enumerate(self.columns)}
        span = (WIDTH - LABEL_WIDTH - 20) / max(len(self.columns), 1)
        marks = []
        for r, row in enumerate(self.rows):
            for (cell_row, column), by_significance in self.counts.items():
                if cell_row != row:
                    continue
                count = sum(by_significance.values())
                top = max(by_significance, key=lambda s: RANK[Significance(s)])
                size = min(span / 2 - 1, 3 + 2.2 * math.sqrt(count), ROW_HEIGHT / 2 - 2)
                label = f"{row}, {self.column_label(column)}: {count} event{'s' if count != 1 else ''}"
                if by_significance.get(Significance.KEY):
                    label += f" ({by_significance[Significance.KEY]} key)"
                marks.append(Mark(self.x(column_index[column]), TOP + ROW_HEIGHT * r + ROW_HEIGHT / 2,
                                  max(size, 2.5), count, top, label))  # fmt: skip
        return marks

    def table(self) -> tuple[list[str], list[tuple[str, list[int]]]]:
        """The text alternative: counts per row per year."""
        years = sorted({c.year for c in self.columns})
        totals: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for (row, column), by_significance in self.counts.items():
            totals[row][column.year] += sum(by_significance.values())
        return [str(y) for y in years], [(row, [totals[row][y] for y in years]) for row in self.rows]

    def description(self) -> str:
        """The chart in a sentence, for those who cannot see it: "3 events from January 2026 to …"."""
        if not self.columns:
            return "No events to draw."
        total = sum(sum(v.values()) for v in self.counts.values())
        key = sum(v.get(Significance.KEY, 0) for v in self.counts.values())

        def written(column: dt.date) -> str:
            return f"{column:%B %Y}" if self.monthly else str(column.year)

        first, last = written(self.columns[0]), written(self.columns[-1])
        span = f"in {first}" if first == last else f"from {first} to {last}"
        events = f"{total} event{'s' if total != 1 else ''}"
        keys = (
            "none of them a key event"
            if key == 0
            else ("1 of them a key event" if key == 1 else f"{key} of them key events")
        )
        rows = f"{len(self.rows)} row{'s' if len(self.rows) != 1 else ''}"
        return f"{events} {span}, {keys}, in {rows} by {self.by}."


def _month_range(first: dt.date, last: dt.date) -> list[dt.date]:
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + dt.timedelta(days=32)).replace(day=1)
    return months


def chronology_chart(*, child: Person, by: str = "agency") -> Chart:
    """Aggregated in the database (a handful of rows per month), so 10,000 events cost no more to draw."""
    events = Event.objects.filter(child=child, is_current=True)
    bounds = events.aggregate(first=Min("occurred_on"), last=Max("occurred_on"))
    first, last = bounds["first"], bounds["last"]
    if first is None or last is None:
        return Chart(by=by, rows=[], columns=[], monthly=True)
    monthly = (last.year - first.year) * 12 + last.month - first.month < MONTHS_SHOWN_BY_MONTH
    bucket = TruncMonth("occurred_on") if monthly else TruncYear("occurred_on")
    row_field = "agency__name" if by == "agency" else "type"
    by = "agency" if by == "agency" else "kind"
    counts: dict[tuple[str, dt.date], dict[str, int]] = defaultdict(dict)
    grouped = (
        events.annotate(bucket=bucket).values(row_field, "bucket", "significance").annotate(n=Count("id"))
    )
    kinds = dict(EventType.choices)
    for row in grouped:
        name = (
            row[row_field] or "No agency"
            if by == "agency"
            else str(kinds.get(row[row_field], row[row_field]))
        )
        column = row["bucket"].date() if isinstance(row["bucket"], dt.datetime) else row["bucket"]
        counts[(name, column)][row["significance"]] = row["n"]
    columns = (
        _month_range(first, last) if monthly else [dt.date(y, 1, 1) for y in range(first.year, last.year + 1)]
    )
    rows = sorted({name for name, _ in counts})
    return Chart(by=by, rows=rows, columns=columns, monthly=monthly, counts=dict(counts))
