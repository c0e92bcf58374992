"""A team's drift at a glance, for its manager: stuck cases, overdue reviews and actions, agreements not
met, long-running plans, overdue supervision, open escalations, caseload per worker and plans by category.

Where a screening rule says it, the figure is the number of the team's children with that rule's current
alert: the rules are the one source of truth, and the dashboard counts what the worklist shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lantern.agencies.models import Involvement, Professional, Team
from lantern.agencies.selectors import RECORD_ROLES, involvements_current
from lantern.cases.models import Escalation
from lantern.casework.models import Plan, PlanCategory, PlanType
from lantern.screening.models import Alert
from lantern.screening.rules import RULES
from lantern.screening.selectors import WORKLIST_STATUSES

# The drift figures that screening rules raise, in the order the dashboard shows them.
DRIFT_RULES = (
    "stuck-case",
    "review-overdue",
    "overdue-actions",
    "agreement-not-met",
    "long-running-plan",
    "supervision-overdue",
)


def team_involvements(*, team: Team) -> QuerySet[Involvement]:
    """The team's caseload: current involvements of the team, or of its members."""
    return involvements_current().filter(Q(team=team) | Q(professional__team=team))


@dataclass(frozen=True)
class Bar:
    label: str
    value: int


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart drawn on the server as SVG; ``bars`` are also its table."""

    title: str
    unit: str
    key: str  # what each bar is: the heading of the table's first column
    bars: tuple[Bar, ...]
    label_width: int = 230
    width: int = 640
    bar_height: int = 26
    gap: int = 10

    @property
    def height(self) -> int:
        return self.gap + len(self.bars) * (self.bar_height + self.gap)

    @property
    def largest(self) -> int:
        return max((b.value for b in self.bars), default=0)

    def drawn(self) -> list[tuple[Bar, float, float]]:
        """Each bar with its top and its length."""
        room = self.width - self.label_width - 60
        scale = room / self.largest if self.largest else 0
        return [
            (bar, self.gap + i * (self.bar_height + self.gap), math.floor(bar.value * scale * 10) / 10)
            for i, bar in enumerate(self.bars)
        ]

    def description(self) -> str:
        parts = [f"{b.label}: {b.value}" for b in self.bars]
        return f"{self.title}, {self.unit}. " + ("; ".join(parts) + "." if parts else "Nothing to draw.")


@dataclass
class Figure:
    code: str
    title: str
    count: int
    alerts: list[Alert] = field(default_factory=list)


@dataclass
class Dashboard:
    team: Team
    children: int
    drift: list[Figure]
    escalations_open: list[Escalation]
    caseload: BarChart
    plans_by_category: BarChart
    plans_by_type: BarChart

    @property
    def escalations_overdue(self) -> int:
        today = timezone.localdate()
        return sum(1 for e in self.escalations_open if e.due_on < today)

    @property
    def drift_chart(self) -> BarChart:
        bars = tuple(Bar(f.title, f.count) for f in self.drift)
        return BarChart(
            title="Drift in the team's cases", unit="children with each alert", key="Drift", bars=bars
        )


def team_dashboard(*, team: Team) -> Dashboard:
    """A fixed number of queries, however large the team's caseload."""
    today = timezone.localdate()
    child_ids = team_involvements(team=team).values("child_id")
    alerts = (
        Alert.objects.filter(child_id__in=child_ids, rule__in=DRIFT_RULES, status__in=WORKLIST_STATUSES)
        .select_related("child")
        .order_by("child__family_name_index", "child__given_name_index", "pk")
    )
    by_rule: dict[str, list[Alert]] = {code: [] for code in DRIFT_RULES}
    for alert in alerts:
        by_rule[alert.rule].append(alert)
    drift = [Figure(code, RULES[code].title, len(by_rule[code]), by_rule[code]) for code in DRIFT_RULES]
    escalations = list(
        Escalation.objects.filter(child_id__in=child_ids, resolved_on__isnull=True)
        .select_related("child", "owner")
        .order_by("due_on", "pk")
    )
    current = Q(involvements__started_on__lte=today) & (
        Q(involvements__ended_on__isnull=True) | Q(involvements__ended_on__gte=today)
    )
    workers = (
        Professional.objects.filter(team=team, is_active=True, role__in=RECORD_ROLES)
        .annotate(caseload=Count("involvements__child", filter=current, distinct=True))
        .order_by("name")
    )
    caseload = BarChart(
        title="Caseload per worker",
        unit="children allocated to each worker",
        key="Worker",
        bars=tuple(Bar(w.name, w.caseload) for w in workers),
    )
    open_plans = Plan.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today), children__in=child_ids, started_on__lte=today
    ).distinct()
    counts = {
        (row["type"], row["category"]): row["n"]
        for row in Plan.objects.filter(pk__in=open_plans.values("pk"))
        .values("type", "category")
        .annotate(n=Count("pk"))
    }
    protection = PlanType.CHILD_PROTECTION.value
    by_category = BarChart(
        title="Open child protection plans by category",
        unit="plans",
        key="Category",
        bars=tuple(
            Bar(str(label), counts.get((protection, code), 0)) for code, label in PlanCategory.choices
        ),
    )
    by_type = BarChart(
        title="Open plans by type",
        unit="plans",
        key="Type of plan",
        bars=tuple(
            Bar(str(label), sum(n for (kind, _), n in counts.items() if kind == code))
            for code, label in PlanType.choices
        ),
    )
    return Dashboard(
        team=team,
        children=team_involvements(team=team).values("child_id").distinct().count(),
        drift=drift,
        escalations_open=escalations,
        caseload=caseload,
        plans_by_category=by_category,
        plans_by_type=by_type,
    )


def dashboard_teams(*, viewer: Professional) -> QuerySet[Team]:
    """The teams whose dashboard the viewer may see: a manager's own; a senior manager's agency's."""
    if viewer.role == "senior-manager" and viewer.agency_id is not None:
        return Team.objects.filter(agency_id=viewer.agency_id).order_by("name")
    if viewer.role == "manager" and viewer.team_id is not None:
        return Team.objects.filter(pk=viewer.team_id)
    return Team.objects.none()
