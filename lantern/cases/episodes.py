"""Opening, transferring and closing a child's case, and the gate in front of the last two.

"A review should always take place before a case is closed or transferred." A transfer or a closure with
no review in the 30 days up to and including its day is refused, saying so, and nothing is changed; a
closure also needs a review that says whether the child's needs are now met. A review is a review of any
of the child's plans (``casework.PlanReview``) or a case review of this episode (``CaseReview``); see
ADR 15.

The worker and team of an episode are an ``agencies.Involvement`` (what gives access and names the lead
professional), and a newly allocated worker is an ``allocation`` event on the chronology (what
``worker-turnover`` and ``supervision-overdue`` read). Each write screens the child in its transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lantern.agencies.models import Involvement, Professional, Team
from lantern.agencies.selectors import RECORD_ROLES, involvements_current
from lantern.cases.models import CaseEpisode, CaseReview, CaseStep, StepKind
from lantern.casework.models import PlanReview
from lantern.chronology.models import Event, EventType, Significance
from lantern.chronology.services import LANTERN_SOURCE, event_record
from lantern.core.formatting import govuk_date
from lantern.people.models import Person
from lantern.screening.engine import alerts_sync

REVIEW_WINDOW_DAYS = 30


@dataclass(frozen=True)
class ReviewFound:
    """A review that can stand before a transfer or a closure."""

    held_on: dt.date
    needs_met: bool | None
    plan_review: PlanReview | None = None
    case_review: CaseReview | None = None

    @property
    def described(self) -> str:
        what = "plan review" if self.plan_review else "case review"
        return f"the {what} on {govuk_date(self.held_on)}"


def review_window_start(on: dt.date) -> dt.date:
    """The first day of the 30 days that end on (and include) ``on``."""
    return on - dt.timedelta(days=REVIEW_WINDOW_DAYS - 1)


def reviews_before(*, episode: CaseEpisode, on: dt.date) -> list[ReviewFound]:
    """The reviews held in the 30 days up to and including ``on``, newest first."""
    since = review_window_start(on)
    plan_reviews = PlanReview.objects.filter(plan__children=episode.child_id, held_on__range=(since, on))
    case_reviews = episode.reviews.filter(held_on__range=(since, on))
    found = [ReviewFound(r.held_on, r.needs_met, plan_review=r) for r in plan_reviews.distinct()]
    found += [ReviewFound(r.held_on, r.needs_met, case_review=r) for r in case_reviews]
    return sorted(found, key=lambda r: (r.held_on, r.case_review is not None), reverse=True)


def _gate(episode: CaseEpisode, *, on: dt.date, closing: bool) -> ReviewFound:
    """The review that allows the transfer or closure, or a ValidationError saying why it is refused."""
    name = episode.child.display_name
    doing = "closed" if closing else "transferred"
    reviews = reviews_before(episode=episode, on=on)
    if not reviews:
        then = "record a review that says whether their needs are now met" if closing else "record a review"
        raise ValidationError(
            f"{name}'s case cannot be {doing}: there has been no review in the last "
            f"{REVIEW_WINDOW_DAYS} days (since {govuk_date(review_window_start(on))}). A review must take "
            f"place before a case is {doing}: {then}, then {'close' if closing else 'transfer'} the case.",
            code="no-review",
        )
    if not closing:
        return reviews[0]
    saying = [r for r in reviews if r.needs_met is not None]
    if not saying:
        raise ValidationError(
            f"{name}'s case cannot be closed: {reviews[0].described} did not record whether {name}'s needs "
            "are now met. Record a review that says whether they are met, then close the case.",
            code="needs-not-recorded",
        )
    return saying[0]


def _worker_checked(worker: Professional | None, team: Team | None, *, agency_id: int | None) -> None:
    if worker is None and team is None:
        raise ValidationError("Choose the worker or the team the case is allocated to", code="no-allocation")
    if worker is not None and (
        not worker.is_active or worker.role not in RECORD_ROLES or worker.agency_id != agency_id
    ):
        raise ValidationError(f"{worker.name} cannot hold a case for this agency", code="worker")
    if team is not None and team.agency_id != agency_id:
        raise ValidationError(f"{team.name} is not a team of this agency", code="team")


def _entry(child: Person, by: Professional, worker: Professional | None, text: str) -> Event | None:
    """The chronology's ``allocation`` entry when a worker is newly allocated (a team alone is not)."""
    if worker is None:
        return None
    return event_record(
        child=child,
        recorded_by=by,
        type_=EventType.ALLOCATION,
        occurred_on=timezone.localdate(),
        occurred_time=None,
        significance=Significance.KEY,
        worker=worker,
        text=text,
    )


def _allocation_new(
    child: Person, agency_id: int, worker: Professional | None, team: Team | None, role: str, lead: bool
) -> Involvement:
    involvement = Involvement(
        source=LANTERN_SOURCE,
        source_id=uuid.uuid4().hex[:16],
        child=child,
        agency_id=agency_id,
        team=team or (worker.team if worker else None),
        professional=worker,
        role=role,
        lead=lead,
        started_on=timezone.localdate(),
    )
    involvement.full_clean()
    involvement.save()
    return involvement


def _text(value: str, missing: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationError(missing, code="required")
    return value


@transaction.atomic
def case_open(
    *,
    child: Person,
    by: Professional,
    worker: Professional | None,
    team: Team | None,
    role: str,
    reason: str,
) -> CaseEpisode:
    """Open the agency's case for the child, allocated to ``worker`` (and their team) or to ``team``.

    A current involvement of the same worker (or, for a team alone, the same team) with the child is the
    allocation: it is not made twice. Otherwise the allocation is a new involvement, the lead if the child
    has no lead.
    """
    reason = _text(reason, "Enter why the case is being opened")
    if by.agency_id is None:
        raise ValidationError("You belong to no agency: a case is opened by an agency", code="agency")
    _worker_checked(worker, team, agency_id=by.agency_id)
    already = CaseEpisode.objects.filter(child=child, agency_id=by.agency_id, closed_on__isnull=True).first()
    if already is not None:
        raise ValidationError(
            f"{child.display_name} already has an open case with {by.agency}, opened on "
            f"{govuk_date(already.opened_on)}",
            code="already-open",
        )
    current = involvements_current().filter(child=child, agency_id=by.agency_id)
    existing = (
        current.filter(professional=worker)
        if worker
        else current.filter(professional__isnull=True, team=team)
    ).first()
    event = None
    if existing is None:
        has_lead = involvements_current().filter(child=child, lead=True).exists()
        existing = _allocation_new(child, by.agency_id, worker, team, role.strip(), lead=not has_lead)
        event = _entry(child, by, worker, f"Case opened by {by.agency}: {reason}")
    episode = CaseEpisode.objects.create(
        child=child,
        agency_id=by.agency_id,
        allocation=existing,
        opened_on=timezone.localdate(),
        opened_by=by,
        reason=reason,
    )
    CaseStep.objects.create(
        episode=episode,
        kind=StepKind.OPENED,
        on=episode.opened_on,
        at=timezone.now(),
        by=by,
        allocation=existing,
        event=event,
        note=reason,
    )
    alerts_sync([child.pk])
    return episode


def _locked(episode: CaseEpisode) -> CaseEpisode:
    locked = CaseEpisode.objects.select_for_update().select_related("child", "allocation").get(pk=episode.pk)
    if not locked.is_open:
        raise ValidationError(
            f"This case was closed on {govuk_date(locked.closed_on)}: it cannot be changed", code="closed"
        )
    return locked


def _allocation_end(allocation: Involvement, on: dt.date) -> None:
    if allocation.ended_on is None or allocation.ended_on > on:
        allocation.ended_on = on
        allocation.save(update_fields=["ended_on"])


@transaction.atomic
def case_transfer(
    *,
    episode: CaseEpisode,
    by: Professional,
    worker: Professional | None,
    team: Team | None,
    role: str,
    reason: str,
) -> CaseEpisode:
    """Move the case to another worker or team, today: refused without a review in the last 30 days."""
    reason = _text(reason, "Enter why the case is being transferred")
    episode = _locked(episode)
    _worker_checked(worker, team, agency_id=episode.agency_id)
    old = episode.allocation
    team = team or (worker.team if worker else None)
    if old.professional_id == (worker.pk if worker else None) and old.team_id == (team.pk if team else None):
        raise ValidationError(
            "The case is already allocated there: choose another worker or team", code="same"
        )
    today = timezone.localdate()
    review = _gate(episode, on=today, closing=False)
    _allocation_end(old, today)
    new = _allocation_new(episode.child, episode.agency_id, worker, team, role.strip() or old.role, old.lead)
    whom = worker.name if worker else (team.name if team else "")
    event = _entry(episode.child, by, worker, f"Case transferred to {whom}: {reason}")
    episode.allocation = new
    episode.save(update_fields=["allocation"])
    CaseStep.objects.create(
        episode=episode,
        kind=StepKind.TRANSFERRED,
        on=today,
        at=timezone.now(),
        by=by,
        allocation=new,
        plan_review=review.plan_review,
        case_review=review.case_review,
        event=event,
        note=reason,
    )
    alerts_sync([episode.child_id])
    return episode


@transaction.atomic
def case_close(*, episode: CaseEpisode, by: Professional, reason: str) -> CaseEpisode:
    """Close the case today: refused without a review in the last 30 days that says whether the child's
    needs are now met. The allocation ends today."""
    reason = _text(reason, "Enter why the case is being closed")
    episode = _locked(episode)
    today = timezone.localdate()
    review = _gate(episode, on=today, closing=True)
    _allocation_end(episode.allocation, today)
    episode.closed_on, episode.closed_by, episode.closure_reason = today, by, reason
    episode.save(update_fields=["closed_on", "closed_by", "closure_reason"])
    CaseStep.objects.create(
        episode=episode,
        kind=StepKind.CLOSED,
        on=today,
        at=timezone.now(),
        by=by,
        plan_review=review.plan_review,
        case_review=review.case_review,
        note=reason,
    )
    alerts_sync([episode.child_id])
    return episode


@transaction.atomic
def case_review_record(
    *,
    episode: CaseEpisode,
    by: Professional,
    held_on: dt.date,
    progress: str,
    needs_met: bool,
    summary: str,
) -> CaseReview:
    episode = _locked(episode)
    if held_on > timezone.localdate():
        raise ValidationError("The date of the review must be today or in the past", code="future")
    if held_on < episode.opened_on:
        raise ValidationError(
            f"The review must be on or after the day the case was opened ({govuk_date(episode.opened_on)})",
            code="before-opening",
        )
    review = CaseReview(
        episode=episode,
        held_on=held_on,
        recorded_by=by,
        recorded_at=timezone.now(),
        progress=progress,
        needs_met=needs_met,
        summary=_text(summary, "Enter what the review found"),
    )
    review.full_clean()
    review.save()
    alerts_sync([episode.child_id])
    return review
