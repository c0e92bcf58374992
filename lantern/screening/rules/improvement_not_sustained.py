"""improvement-not-sustained: graded care scores that got better, then worse again.

The child's graded care assessments are read in date order by their overall score (the mean of the area
grades: 1 best, 5 worst). One *episode* is three of them, in order: an earlier score; a later one at least
``change_hundredths``/100 better (lower) than it; and a still later one at least as much worse (higher) than
that better score.

Episodes are counted without overlap, earliest first: once an episode's worse score is found, the next
episode may start from that score (as its earlier one) or later, never before. So 4, 3, 4, 3, 4 is two
episodes (the middle 4 ends the first and starts the second), while 4, 3, 2, 3 or 4, 3, 4, 4.5 is one.
"Twice" (``times_for_high``) means that many episodes counted this way: the severity is then high.

Home conditions assessments (0 best, 3 worst; overall = mean of the rooms' grades) are read the same way, as
a second history: the household's, since a home conditions assessment of any child in the child's
household is about the child's home too (screening/facts.py). Either history can raise the alert.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import MappingProxyType

from lantern.assessments.definitions import HOME_TEMPLATES
from lantern.screening.facts import AssessmentFact, ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence

# The templates whose overall score this rule reads (an area licensed for the NSPCC's Graded Care Profile 2
# loads its own template under this name), each a history of its own: its name and its scale in words.
GRADED_TEMPLATES = frozenset({"graded-care"})
HISTORIES = (
    ("graded care", GRADED_TEMPLATES, "1 is best, 5 worst"),
    ("home conditions", HOME_TEMPLATES, "0 is best, 3 worst"),
)

Episode = tuple[AssessmentFact, AssessmentFact, AssessmentFact]


def episodes(assessments: list[AssessmentFact], change: Decimal) -> list[Episode]:
    """The episodes in date-ordered ``assessments``, counted as the module docstring says."""
    found: list[Episode] = []
    earlier: AssessmentFact | None = None  # the worst score since the current episode could start
    better: AssessmentFact | None = None  # the best score since the improvement, once there is one
    for current in assessments:
        if better is None:
            if earlier is not None and current.overall <= earlier.overall - change:
                better = current
            elif earlier is None or current.overall > earlier.overall:
                earlier = current
        elif current.overall >= better.overall + change:
            assert earlier is not None
            found.append((earlier, better, current))
            earlier, better = current, None
        elif current.overall < better.overall:
            better = current
    return found


def _day(on: dt.date) -> str:
    return f"{on.day} {on:%B %Y}"


def history(facts: ChildFacts, templates: frozenset[str]) -> list[AssessmentFact]:
    """The assessments of these templates in date order (the home's from the household's): what the rule
    reads and the trend chart draws."""
    read = facts.home_conditions if templates == HOME_TEMPLATES else facts.assessments
    return sorted((a for a in read if a.template in templates), key=lambda a: a.completed_on)


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    change = Decimal(p["change_hundredths"]) / 100
    summaries: list[str] = []
    refs: list[str] = []
    most = 0
    for name, templates, scale in HISTORIES:
        found = episodes(history(facts, templates), change)
        if not found:
            continue
        earlier, better, worse = found[-1]
        times = f"; improvement has not been sustained {len(found)} times" if len(found) > 1 else ""
        summaries.append(
            f"The {name} score improved from {earlier.overall:.2f} ({_day(earlier.completed_on)}) to "
            f"{better.overall:.2f} ({_day(better.completed_on)}), then worsened to {worse.overall:.2f} "
            f"({_day(worse.completed_on)}); {scale}{times}"
        )
        refs.extend(a.ref for episode in found for a in episode)
        most = max(most, len(found))
    if not summaries:
        return None
    return Finding(
        summary=". ".join(summaries),
        evidence=evidence(*refs),
        severity="high" if most >= p["times_for_high"] else "medium",
    )


RULE = Rule(
    code="improvement-not-sustained",
    title="Improvement not sustained",
    severity="medium",  # the finding gives high when it happened times_for_high times
    trigger="in the child's graded assessments (overall score = mean of area grades, 1 best, 5 worst), a score "
    "≥0.5 better than an earlier one is followed by one ≥0.5 worse than it; high when this happens twice; the "
    "household's home conditions assessments (0 best, 3 worst) are read the same way",
    learning="Patterns of improvement in parental care, followed by deterioration. Improvements to poor home "
    "conditions should be regularly reviewed, especially if the family is unlikely to sustain them. Where "
    "improvements are not being sustained, professionals must decide whether legal proceedings are necessary "
    "to protect the child.",
    recommended_action="Review the whole history of the case. Consider whether the plan is working, and escalate "
    "if it is not.",
    procedure="escalation-policy",
    check=check,
    parameters=MappingProxyType({"change_hundredths": 50, "times_for_high": 2}),
)
