"""Assessments drawn: one assessment as small multiples (a bar per area), and a template's history as lines
(one per area, and the overall score) across all the child's assessments. SVG drawn on the server, each
with a sentence and a table for those who cannot see it.

The history is the one screening reads (``selectors.completed_assessments``: for home conditions, the
household's), and the improvements that were not sustained are found by the rule's own ``episodes``: what
the chart shows and what the alert says cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from lantern.assessments.definitions import HOME_TEMPLATES, Template
from lantern.assessments.models import Assessment
from lantern.assessments.selectors import completed_assessments, household_home_conditions
from lantern.core.formatting import govuk_date
from lantern.people.models import Person
from lantern.screening.config import parameters_of
from lantern.screening.facts import AssessmentFact
from lantern.screening.rules.improvement_not_sustained import HISTORIES, Episode, episodes

WIDTH, LEFT, RIGHT, TOP, PLOT_HEIGHT, BOTTOM = 640, 150, 30, 20, 200, 40
BAR_ROW, BAR_LEFT = 34, 190
# Colours from GOV.UK's palette (application.scss); the lines are also named in a key, each point has its
# figure as a tooltip, and the table holds every figure.
SERIES_STYLES = ("area-1", "area-2", "area-3", "area-4", "area-5", "area-6", "area-7", "area-8")


@dataclass(frozen=True)
class Point:
    ref: str
    on: dt.date
    overall: Decimal
    areas: dict[str, int]


@dataclass(frozen=True)
class Line:
    name: str
    style: str
    coordinates: list[tuple[float, float, str]]  # x, y, what the point says

    @property
    def path(self) -> str:
        return " ".join(
            f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y, _) in enumerate(self.coordinates)
        )


@dataclass
class Trend:
    """A template's history for a child: the points, the lines to draw, and the episodes the rule finds."""

    template: Template
    points: list[Point]
    episodes: list[Episode]

    width = WIDTH
    height = TOP + PLOT_HEIGHT + BOTTOM

    @property
    def title(self) -> str:
        return f"{self.template.title} scores over time"

    def y(self, grade: float) -> float:
        """The best grade at the top: a line going up is getting better."""
        span = self.template.highest - self.template.lowest
        return TOP + PLOT_HEIGHT * (grade - self.template.lowest) / span

    def x(self, index: int) -> float:
        """Assessments evenly spaced, in date order (their dates are on the axis and in the table)."""
        inner = WIDTH - LEFT - RIGHT
        if len(self.points) == 1:
            return LEFT + inner / 2
        return LEFT + inner * index / (len(self.points) - 1)

    def gridlines(self) -> list[tuple[float, str]]:
        return [(self.y(g.grade), f"{g.grade} {g.label}") for g in self.template.grades]

    def axis(self) -> list[tuple[float, str]]:
        return [(self.x(i), f"{p.on:%b %Y}") for i, p in enumerate(self.points)]

    def lines(self) -> list[Line]:
        drawn = []
        for index, area in enumerate(self.template.areas):
            coordinates = [
                (self.x(i), self.y(p.areas[area.id]), f"{area.title}, {govuk_date(p.on)}: {p.areas[area.id]}")
                for i, p in enumerate(self.points)
                if area.id in p.areas
            ]
            if coordinates:
                drawn.append(Line(area.title, SERIES_STYLES[index % len(SERIES_STYLES)], coordinates))
        overall = [
            (self.x(i), self.y(float(p.overall)), f"Overall, {govuk_date(p.on)}: {p.overall:.2f}")
            for i, p in enumerate(self.points)
        ]
        drawn.append(Line("Overall", "overall", overall))
        return drawn

    def not_sustained(self) -> list[tuple[float, str]]:
        """Where an improvement was followed by deterioration (the rule's episodes): x and a label."""
        index = {p.ref: i for i, p in enumerate(self.points)}
        return [
            (
                self.x(index[worse.ref]),
                f"Improvement not sustained: worse again on {govuk_date(worse.completed_on)}",
            )
            for _, _, worse in self.episodes
        ]

    def description(self) -> str:
        if not self.points:
            return f"No completed {self.template.title.lower()} assessment yet."
        scale = f"{self.template.lowest} is best, {self.template.highest} worst"
        count = len(self.points)
        first, last = self.points[0], self.points[-1]
        said = (
            f"{count} {self.template.title.lower()} assessment{'s' if count != 1 else ''} "
            + (
                f"on {govuk_date(first.on)}"
                if count == 1
                else f"from {govuk_date(first.on)} to {govuk_date(last.on)}"
            )
            + f" ({scale}). Overall: "
            + ", ".join(f"{p.overall:.2f}" for p in self.points)
            + "."
        )
        if self.episodes:
            _, better, worse = self.episodes[-1]
            times = "once" if len(self.episodes) == 1 else f"{len(self.episodes)} times"
            said += (
                f" Improvement was not sustained {times}: the score improved to {better.overall:.2f} "
                f"({govuk_date(better.completed_on)}) and worsened again to {worse.overall:.2f} "
                f"({govuk_date(worse.completed_on)})."
            )
        elif count > 1 and last.overall < first.overall:
            said += " The score has improved and the improvement has held so far."
        elif count > 1 and last.overall > first.overall:
            said += " The score has worsened."
        elif count > 1:
            said += " The score has not changed."
        return said

    def table(self) -> tuple[list[str], list[tuple[str, list[str]]]]:
        """Columns (each area, then overall) and a row per assessment."""
        headers = [a.title for a in self.template.areas] + ["Overall"]
        rows = [
            (
                govuk_date(p.on),
                [str(p.areas[a.id]) if a.id in p.areas else "\N{EN DASH}" for a in self.template.areas]
                + [f"{p.overall:.2f}"],
            )
            for p in self.points
        ]
        return headers, rows


def assessment_trend(*, child: Person, template: Template, as_of: dt.date | None = None) -> Trend:
    """The child's history for the template, as the screening rule reads it."""
    as_of = as_of or timezone.localdate()
    read = household_home_conditions if template.id in HOME_TEMPLATES else completed_assessments
    history = [a for a in read([child.pk], as_of=as_of).get(child.pk, []) if a.template == template.id]
    points = []
    for assessment in history:
        overall = assessment.overall
        if overall is not None and assessment.completed_on is not None:
            points.append(
                Point(
                    ref=assessment.ref,
                    on=assessment.completed_on,
                    overall=overall,
                    areas={s.area: s.score for s in assessment.scores.all()},
                )
            )
    found: list[Episode] = []
    if any(template.id in templates for _, templates, _ in HISTORIES):
        change = Decimal(parameters_of("improvement-not-sustained")["change_hundredths"]) / 100
        facts = [AssessmentFact(p.ref, template.id, p.on, p.overall) for p in points]
        found = episodes(facts, change)
    return Trend(template=template, points=points, episodes=found)


@dataclass(frozen=True)
class Bar:
    title: str
    grade: int | None
    label: str
    y: float
    width: float


@dataclass
class Profile:
    """One assessment: a bar per area, its length the grade (longer is worse)."""

    template: Template
    grades: dict[str, int]

    width = WIDTH

    @property
    def height(self) -> int:
        return TOP + BAR_ROW * len(self.template.areas) + 10

    def bars(self) -> list[Bar]:
        inner = WIDTH - BAR_LEFT - RIGHT
        span = self.template.highest - self.template.lowest
        result = []
        for index, area in enumerate(self.template.areas):
            grade = self.grades.get(area.id)
            length = 0.0 if grade is None else inner * (grade - self.template.lowest + 0.25) / (span + 0.25)
            label = "not graded" if grade is None else f"{grade} {self.template.grade(grade).label}"
            result.append(Bar(area.title, grade, label, TOP + BAR_ROW * index, length))
        return result

    @property
    def concern_x(self) -> float:
        inner = WIDTH - BAR_LEFT - RIGHT
        span = self.template.highest - self.template.lowest
        return BAR_LEFT + inner * (self.template.concern_from - self.template.lowest) / (span + 0.25)

    def description(self) -> str:
        parts = [f"{b.title}: {b.label}" for b in self.bars()]
        return (
            f"Grades by area ({self.template.lowest} best, {self.template.highest} worst). "
            + "; ".join(parts)
            + "."
        )


def assessment_profile(
    *, assessment: Assessment, template: Template, grades: dict[str, int] | None = None
) -> Profile:
    return Profile(
        template=template,
        grades=grades if grades is not None else {s.area: s.score for s in assessment.scores.all()},
    )
