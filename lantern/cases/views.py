"""A child's case pages: the case (episodes, reviews, escalations), opening, reviewing, transferring and
closing it, case supervision, the level of need, escalations and challenges; and a team's dashboard.

Every page opens the child's record through ``child_opened`` (the access check and the access log; a
POST is logged as recording); the services do the work, refuse with a reason, and screen the child.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from lantern.agencies.models import Agency, Professional, Role, Team
from lantern.agencies.selectors import RECORD_ROLES, involvements_current
from lantern.cases import episodes as case
from lantern.cases.continuum import continuum
from lantern.cases.dashboard import dashboard_teams, team_dashboard
from lantern.cases.escalations import (
    escalation_make_formal,
    escalation_owners,
    escalation_raise,
    escalation_resolve,
    escalations_of,
)
from lantern.cases.forms import (
    AllocationForm,
    CloseForm,
    EscalationForm,
    FormalForm,
    LevelForm,
    OutcomeForm,
    ReviewForm,
    SupervisionForm,
    field_kinds,
)
from lantern.cases.levels import level_history, level_of_need_set
from lantern.cases.models import CaseEpisode, Escalation, EscalationKind, EscalationStage
from lantern.cases.supervision import supervisees, supervision_record, supervisions_of
from lantern.core.audit import access_log_record
from lantern.core.models import AccessLogEntry
from lantern.people.models import Person
from lantern.screening.models import Alert
from lantern.web.access import child_opened, viewer_of


def _opened(request: HttpRequest, ref: str, *, page: str, perm: str) -> Person | HttpResponse:
    is_post = request.method == "POST"
    return child_opened(
        request,
        ref,
        page=page,
        perm=perm,
        action=AccessLogEntry.Action.RECORD if is_post else AccessLogEntry.Action.VIEW,
        refusal="no legitimate relationship with the child, or not their role",
    )


def _posted(request: HttpRequest) -> QueryDict | None:
    """What a form was sent (even nothing at all), or None for a GET."""
    return request.POST if request.method == "POST" else None


def _form_page(
    request: HttpRequest,
    child: Person,
    form: Form,
    *,
    heading: str,
    button: str,
    back: str,
    intro: str = "",
    extra: dict[str, Any] | None = None,
    act: Callable[[], object] | None = None,
    done: str = "",
) -> HttpResponse:
    """A case form: sent and valid, ``act`` (a service) and back to the case with ``done`` in a banner;
    otherwise the form, with what is wrong or what the service refused."""
    if act is not None:
        sent = _submitted(request, form, act, done=done, then=_case_href(child))
        if sent:
            return sent
    context = {
        "child": child,
        "form": form,
        "fields": field_kinds(form),
        "heading": heading,
        "button": button,
        "back": back,
        "intro": intro,
        **(extra or {}),
    }
    return render(request, "cases/form.html", context, status=400 if form.errors else 200)


def _refused(form: Form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _submitted(
    request: HttpRequest, form: Form, act: Callable[[], object], *, done: str, then: str
) -> HttpResponse | None:
    """A sent, valid form: ``act`` (a service), then the success banner on ``then``; or None, with what the
    service refused on the form, to show the form again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        act()
    except ValidationError as refused:
        _refused(form, refused)
        return None
    messages.success(request, done)
    return redirect(then)


def _case_href(child: Person) -> str:
    return reverse("case", args=[child.ref])


@require_GET
@transaction.atomic
def case_page(request: HttpRequest, ref: str) -> HttpResponse:
    child = _opened(request, ref, page="case", perm="people.view_child")
    if isinstance(child, HttpResponse):
        return child
    viewer = viewer_of(request)
    episodes = list(
        CaseEpisode.objects.filter(child=child)
        .select_related("agency", "allocation__professional", "allocation__team", "opened_by", "closed_by")
        .prefetch_related(
            "reviews__recorded_by", "steps__by", "steps__allocation__professional", "steps__allocation__team"
        )
    )
    open_episodes = [e for e in episodes if e.is_open]
    today = timezone.localdate()
    return render(
        request,
        "cases/case.html",
        {
            "child": child,
            "episodes": episodes,
            "reviews_in_window": {e.pk: case.reviews_before(episode=e, on=today) for e in open_episodes},
            "window_days": case.REVIEW_WINDOW_DAYS,
            "can_manage": viewer.has_perm("cases.manage_case", child),
            "can_review": viewer.has_perm("cases.record_review", child),
            "can_escalate": viewer.has_perm("cases.escalate", child),
            "can_open": viewer.has_perm("cases.manage_case", child)
            and not any(e.agency_id == viewer.agency_id for e in open_episodes),
            "escalations": list(escalations_of(child=child)),
            "levels": level_history(child=child)[:1],
        },
    )


def _allocation_choices(agency: Agency | None) -> tuple[list[Professional], list[Team]]:
    workers = list(
        Professional.objects.filter(agency=agency, is_active=True, role__in=RECORD_ROLES)
        .select_related("team")
        .order_by("name")
    )
    return workers, list(Team.objects.filter(agency=agency).order_by("name"))


@require_http_methods(["GET", "POST"])
@transaction.atomic
def case_open(request: HttpRequest, ref: str) -> HttpResponse:
    child = _opened(request, ref, page="case-open", perm="cases.manage_case")
    if isinstance(child, HttpResponse):
        return child
    viewer = viewer_of(request)
    workers, teams = _allocation_choices(viewer.agency)
    current = involvements_current().filter(child=child, agency=viewer.agency, professional__isnull=False)
    allocated = current.order_by("-lead", "started_on").first()
    form = AllocationForm(
        _posted(request),
        workers=workers,
        teams=teams,
        why="Why is the case being opened?",
        why_missing="Enter why the case is being opened",
        initial={
            "worker": allocated.professional_id if allocated else None,
            "role": allocated.role if allocated else "",
        },
    )
    return _form_page(
        request,
        child,
        form,
        act=lambda: case.case_open(
            child=child,
            by=viewer,
            worker=form.chosen()[0],
            team=form.chosen()[1],
            role=form.cleaned_data["role"],
            reason=form.cleaned_data["reason"],
        ),
        done=f"{child.display_name}'s case is open",
        heading="Open a case",
        button="Open the case",
        back=_case_href(child),
        intro=f"The case is {viewer.agency}'s. A worker already involved with the child keeps their "
        "allocation.",
    )


def _episode(child: Person, episode_id: int) -> CaseEpisode:
    episode = (
        CaseEpisode.objects.filter(pk=episode_id, child=child)
        .select_related("child", "agency", "allocation__professional", "allocation__team")
        .first()
    )
    if episode is None:
        raise Http404("No such case")
    return episode


@require_http_methods(["GET", "POST"])
@transaction.atomic
def case_review_new(request: HttpRequest, ref: str, episode_id: int) -> HttpResponse:
    child = _opened(request, ref, page="case-review", perm="cases.record_review")
    if isinstance(child, HttpResponse):
        return child
    episode = _episode(child, episode_id)
    form = ReviewForm(_posted(request))
    return _form_page(
        request,
        child,
        form,
        act=lambda: case.case_review_record(
            episode=episode,
            by=viewer_of(request),
            held_on=form.cleaned_data["held_on"],
            progress=form.cleaned_data["progress"],
            needs_met=form.cleaned_data["needs_met"],
            summary=form.cleaned_data["summary"],
        ),
        done="The case review is recorded",
        heading="Record a case review",
        button="Save the review",
        back=_case_href(child),
        intro="A review must take place before a case is closed or transferred.",
    )


@require_http_methods(["GET", "POST"])
@transaction.atomic
def case_transfer(request: HttpRequest, ref: str, episode_id: int) -> HttpResponse:
    child = _opened(request, ref, page="case-transfer", perm="cases.manage_case")
    if isinstance(child, HttpResponse):
        return child
    episode = _episode(child, episode_id)
    workers, teams = _allocation_choices(episode.agency)
    form = AllocationForm(
        _posted(request),
        workers=workers,
        teams=teams,
        why="Why is the case being transferred?",
        why_missing="Enter why the case is being transferred",
    )
    return _form_page(
        request,
        child,
        form,
        act=lambda: case.case_transfer(
            episode=episode,
            by=viewer_of(request),
            worker=form.chosen()[0],
            team=form.chosen()[1],
            role=form.cleaned_data["role"],
            reason=form.cleaned_data["reason"],
        ),
        done=f"{child.display_name}'s case is transferred",
        heading="Transfer the case",
        button="Transfer the case",
        back=_case_href(child),
        intro=f"A case is transferred only after a review in the last {case.REVIEW_WINDOW_DAYS} days.",
    )


@require_http_methods(["GET", "POST"])
@transaction.atomic
def case_close(request: HttpRequest, ref: str, episode_id: int) -> HttpResponse:
    child = _opened(request, ref, page="case-close", perm="cases.manage_case")
    if isinstance(child, HttpResponse):
        return child
    episode = _episode(child, episode_id)
    form = CloseForm(_posted(request))
    return _form_page(
        request,
        child,
        form,
        act=lambda: case.case_close(
            episode=episode, by=viewer_of(request), reason=form.cleaned_data["reason"]
        ),
        done=f"{child.display_name}'s case is closed",
        heading="Close the case",
        button="Close the case",
        back=_case_href(child),
        intro=f"A case is closed only after a review in the last {case.REVIEW_WINDOW_DAYS} days that says "
        "whether the child's needs are now met.",
    )


@require_http_methods(["GET", "POST"])
@transaction.atomic
def supervision_page(request: HttpRequest, ref: str) -> HttpResponse:
    """The child's case supervision records, and (for a manager) recording one."""
    is_post = request.method == "POST"
    child = _opened(
        request,
        ref,
        page="case-supervision",
        perm="cases.record_supervision" if is_post else "people.view_child",
    )
    if isinstance(child, HttpResponse):
        return child
    viewer = viewer_of(request)
    can_record = viewer.has_perm("cases.record_supervision", child)
    workers = list(supervisees(child=child).select_related("team").exclude(pk=viewer.pk))
    form = SupervisionForm(_posted(request), workers=workers)
    if is_post and form.is_valid():
        data = form.cleaned_data
        try:
            supervision_record(
                child=child,
                supervisor=viewer,
                worker=form.workers[data["worker"]],
                held_on=data["held_on"],
                reflections=data["reflections"],
                decisions=data["decisions"],
            )
        except ValidationError as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The case supervision is recorded")
            return redirect(reverse("case-supervision", args=[child.ref]))
    return render(
        request,
        "cases/supervision.html",
        {
            "child": child,
            "records": list(supervisions_of(child=child)),
            "form": form,
            "fields": field_kinds(form),
            "can_record": can_record,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@transaction.atomic
def level_of_need_page(request: HttpRequest, ref: str) -> HttpResponse:
    is_post = request.method == "POST"
    child = _opened(
        request, ref, page="level-of-need", perm="cases.set_level_of_need" if is_post else "people.view_child"
    )
    if isinstance(child, HttpResponse):
        return child
    viewer = viewer_of(request)
    area = continuum()
    form = LevelForm(_posted(request), levels=area.levels)
    if is_post and form.is_valid():
        try:
            level_of_need_set(
                child=child,
                by=viewer,
                level=form.cleaned_data["level"],
                indicators=form.chosen_indicators(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as refused:
            _refused(form, refused)
        else:
            messages.success(request, f"{child.display_name}'s level of need is recorded")
            return redirect(reverse("level-of-need", args=[child.ref]))
    return render(
        request,
        "cases/level_of_need.html",
        {
            "child": child,
            "continuum": area,
            "history": level_history(child=child),
            "form": form,
            "fields": field_kinds(form),
            "can_set": viewer.has_perm("cases.set_level_of_need", child),
        },
        status=400 if form.errors else 200,
    )


def _involved_agencies(child: Person) -> list[Agency]:
    ids = involvements_current().filter(child=child).values("agency_id")
    return list(Agency.objects.filter(pk__in=ids).order_by("name"))


@require_http_methods(["GET", "POST"])
@transaction.atomic
def escalation_new(request: HttpRequest, ref: str) -> HttpResponse:
    child = _opened(request, ref, page="escalation-new", perm="cases.escalate")
    if isinstance(child, HttpResponse):
        return child
    viewer = viewer_of(request)
    source = request.POST if request.method == "POST" else request.GET
    alert = Alert.objects.filter(pk=source.get("alert") or 0, child=child, rule="stuck-case").first()
    kind = source.get("kind") or (EscalationKind.STUCK_CASE if alert else "")
    owners = escalation_owners(child=child, kind=kind or EscalationKind.CHALLENGE)
    if kind != EscalationKind.STUCK_CASE:
        owners += [
            p for p in escalation_owners(child=child, kind=EscalationKind.STUCK_CASE) if p not in owners
        ]
    agencies = [a for a in _involved_agencies(child) if a.pk != viewer.agency_id]
    form = EscalationForm(
        _posted(request), owners=owners, agencies=agencies, initial={"kind": kind} if kind else None
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            escalation = escalation_raise(
                child=child,
                by=viewer,
                kind=data["kind"],
                subject=data["subject"],
                concern=data["concern"],
                owner=form.owners[data["owner"]],
                due_on=data["due_on"],
                challenged_agency=form.agencies.get(data["challenged_agency"] or 0),
                alert=alert,
            )
        except ValidationError as refused:
            _refused(form, refused)
        else:
            messages.success(request, f"{escalation.get_kind_display()}: raised with {escalation.owner.name}")
            return redirect(reverse("escalation", args=[escalation.pk]))
    return _form_page(
        request,
        child,
        form,
        heading="Escalate a stuck case" if alert else "Raise an escalation or a professional challenge",
        button="Raise it",
        back=reverse("alert", args=[alert.pk]) if alert else _case_href(child),
        intro="It starts at the informal stage. A stuck case goes to a senior manager; a professional "
        "challenge goes first to the professional you disagree with, then to managers if it is made formal.",
        extra={"alert": alert},
    )


@require_http_methods(["GET", "POST"])
@transaction.atomic
def escalation_page(request: HttpRequest, escalation_id: int) -> HttpResponse:
    escalation = Escalation.objects.filter(pk=escalation_id).select_related("child").first()
    if escalation is None:
        raise Http404("No such escalation")
    is_post = request.method == "POST"
    child = _opened(
        request,
        escalation.child.ref,
        page="escalation",
        perm="cases.escalate" if is_post else "people.view_child",
    )
    if isinstance(child, HttpResponse):
        return child
    viewer = viewer_of(request)
    what = request.POST.get("do", "")
    owners = escalation_owners(child=child, kind=escalation.kind, stage=EscalationStage.FORMAL)
    formal = FormalForm(request.POST if what == "formal" else None, owners=owners)
    outcome = OutcomeForm(request.POST if what == "resolve" else None)
    if is_post:
        try:
            if what == "formal" and formal.is_valid():
                data = formal.cleaned_data
                escalation_make_formal(
                    escalation=escalation,
                    by=viewer,
                    owner=formal.owners[data["owner"]],
                    due_on=data["due_on"],
                    note=data["note"],
                )
                messages.success(request, "It is at the formal stage")
                return redirect(reverse("escalation", args=[escalation.pk]))
            if what == "resolve" and outcome.is_valid():
                escalation_resolve(escalation=escalation, by=viewer, outcome=outcome.cleaned_data["outcome"])
                messages.success(request, "The outcome is recorded")
                return redirect(reverse("escalation", args=[escalation.pk]))
        except ValidationError as refused:
            _refused(formal if what == "formal" else outcome, refused)
        if what not in {"formal", "resolve"}:
            raise PermissionDenied("Choose what to do")
    can_act = escalation.is_open and viewer.has_perm("cases.escalate", child)
    return render(
        request,
        "cases/escalation.html",
        {
            "child": child,
            "escalation": escalation,
            "steps": escalation.steps.select_related("by", "owner").order_by("-at", "-pk"),
            "formal": formal,
            "formal_fields": field_kinds(formal),
            "outcome": outcome,
            "outcome_fields": field_kinds(outcome),
            "can_make_formal": can_act and escalation.stage == EscalationStage.INFORMAL,
            "can_resolve": can_act and viewer.pk in (escalation.owner_id, escalation.raised_by_id),
        },
        status=400 if formal.errors or outcome.errors else 200,
    )


@require_GET
@transaction.atomic
def team_dashboard_page(request: HttpRequest, team_id: int | None = None) -> HttpResponse:
    viewer = viewer_of(request)
    if not viewer.has_perm("cases.view_team_dashboard"):
        raise PermissionDenied("The team dashboard is for managers")
    teams = list(dashboard_teams(viewer=viewer))
    if team_id is None:
        if not teams:
            raise PermissionDenied("You manage no team")
        own = next((t for t in teams if t.pk == viewer.team_id), teams[0])
        return redirect(reverse("team-dashboard", args=[own.pk]))
    team = next((t for t in teams if t.pk == team_id), None)
    if team is None:
        raise PermissionDenied("That team is not yours to see")
    access_log_record(request=request, page="team-dashboard", detail=f"team {team.pk}: {team.name}")
    return render(
        request,
        "cases/dashboard.html",
        {
            "dashboard": team_dashboard(team=team),
            "teams": teams,
            "is_senior": viewer.role == Role.SENIOR_MANAGER,
        },
    )
