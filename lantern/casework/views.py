"""Plan and meeting pages. Each checks access to every child it touches, logs it, and calls a service;
a change and its access-log row commit together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lantern.agencies.models import Agency, Professional
from lantern.casework import forms as f
from lantern.casework import services
from lantern.casework.models import Meeting, Plan, PlanAction, PlanAgreement, PlanOutcome, PlanType
from lantern.casework.quality import (
    ActionText,
    OutcomeText,
    action_findings,
    outcome_findings,
    plain_english_findings,
)
from lantern.casework.selectors import (
    action_owner_choices,
    agencies_involved,
    meeting_of_child,
    meetings_of_child,
    owner_value,
    plan_of_child,
    plan_quality_of,
    plans_for_quality_audit,
    plans_of_child,
    professionals_involved,
    timescales_of_child,
)
from lantern.chronology.selectors import siblings_visible
from lantern.core.audit import access_log_record
from lantern.core.formatting import govuk_date
from lantern.core.models import AccessLogEntry
from lantern.people.models import Person
from lantern.web.access import child_opened, viewer_of

VIEW, CHANGE = "casework.view_plan", "casework.change_plan"
CONFLICT = (
    "Someone else changed this {what} while you were editing it, so your changes have not been saved. "
    "It is shown below as it is now: check it, then make your changes again and save."
)


def _opened(request: HttpRequest, ref: str, *, page: str, perm: str = VIEW) -> Person | HttpResponse:
    return child_opened(request, ref, page=page, perm=perm)


def _others_refused(request: HttpRequest, plan: Plan, child: Person, *, page: str) -> HttpResponse | None:
    """A plan for a sibling group changes every child's record: the viewer must be allowed on each."""
    viewer = viewer_of(request)
    for other in plan.children.all():
        if other.pk != child.pk and not viewer.has_perm(CHANGE, other):
            access_log_record(
                request=request,
                page=page,
                action=AccessLogEntry.Action.REFUSED,
                child=other,
                detail=f"change to plan {plan.ref} refused: no relationship",
            )
            return render(request, "casework/plan_refused.html", {"child": child, "other": other}, status=403)
    return None


def _audited(request: HttpRequest, children: list[Person], *, page: str, detail: str) -> None:
    for child in children:
        access_log_record(
            request=request, page=page, action=AccessLogEntry.Action.RECORD, child=child, detail=detail
        )


def _plan_url(child: Person, plan: Plan) -> str:
    return reverse("plan", args=[child.ref, plan.ref])


def _form_page(request: HttpRequest, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    return render(request, "casework/form.html", context, status=status)


def _choices_for(children: list[Person], plan: Plan | None = None) -> dict[str, Any]:
    """The lead professionals and agencies to choose from: those involved now, and the plan's own (who
    may have left since), so that opening and saving the plan never drops its lead unseen."""
    professionals = professionals_involved(children=children)
    agencies = agencies_involved(children=children)
    if plan and plan.lead_professional and plan.lead_professional not in professionals:
        professionals.append(plan.lead_professional)
    if plan and plan.lead_agency and plan.lead_agency not in agencies:
        agencies.append(plan.lead_agency)
    return {
        "professionals": [
            (p.pk, f"{p.name}, {p.agency.name}" if p.agency else p.name) for p in professionals
        ],
        "agencies": [(a.pk, a.name) for a in agencies],
    }


def _lead(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "lead_professional": Professional.objects.filter(pk=data["lead_professional"]).first()
        if data["lead_professional"]
        else None,
        "lead_agency": Agency.objects.filter(pk=data["lead_agency"]).first() if data["lead_agency"] else None,
    }


# -- plans -----------------------------------------------------------------------------------------


@require_GET
@transaction.atomic
def plans(request: HttpRequest, ref: str) -> HttpResponse:
    child = _opened(request, ref, page="plans")
    if isinstance(child, HttpResponse):
        return child
    child_plans = list(plans_of_child(child=child))
    return render(
        request,
        "casework/plans.html",
        {
            "child": child,
            "plans": [(p, plan_quality_of(p)) for p in child_plans],
            "can_change": viewer_of(request).has_perm(CHANGE, child),
        },
    )


@require_http_methods(["GET", "POST"])
@transaction.atomic
def plan_new(request: HttpRequest, ref: str) -> HttpResponse:
    child = _opened(request, ref, page="plan-new", perm=CHANGE)
    if isinstance(child, HttpResponse):
        return child
    viewer = viewer_of(request)
    siblings = [s for s in siblings_visible(child=child, viewer=viewer) if viewer.has_perm(CHANGE, s)]
    group = [child, *siblings]
    form = f.PlanForm(
        request.POST or None,
        children=[(c.pk, c.display_name) for c in group],
        initial={"children": [child.pk]},
        **_choices_for(group),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = [c for c in group if c.pk in data["children"]]
        if child not in chosen:
            form.add_error(
                "children",
                f"{child.display_name} must be one of the children: the plan is written from their record",
            )
        else:
            with transaction.atomic():
                plan = services.plan_create(
                    children=chosen,
                    recorded_by=viewer,
                    type=data["type"],
                    category=data["category"],
                    started_on=data["started_on"],
                    **_lead(data),
                )
                _audited(request, chosen, page="plan-new", detail=f"plan {plan.ref} written")
            messages.success(request, "The plan is saved. Now add its outcomes, actions and agreements.")
            return redirect(_plan_url(child, plan))
    return _form_page(
        request,
        {
            "child": child,
            "form": form,
            "heading": "Write a plan",
            "button": "Save the plan",
            "cancel": reverse("plans", args=[child.ref]),
        },
        status=400 if form.is_bound else 200,
    )


@require_GET
@transaction.atomic
def plan_page(request: HttpRequest, ref: str, plan_ref: str) -> HttpResponse:
    child = _opened(request, ref, page="plan")
    if isinstance(child, HttpResponse):
        return child
    plan = plan_of_child(child=child, ref=plan_ref)
    return render(
        request,
        "casework/plan.html",
        {
            "child": child,
            "plan": plan,
            "quality": plan_quality_of(plan),
            "can_change": viewer_of(request).has_perm(CHANGE, child),
            "today": timezone.localdate(),
        },
    )


def _changed_plan(
    request: HttpRequest, ref: str, plan_ref: str, *, page: str
) -> tuple[Person, Plan] | HttpResponse:
    child = _opened(request, ref, page=page, perm=CHANGE)
    if isinstance(child, HttpResponse):
        return child
    plan = plan_of_child(child=child, ref=plan_ref)
    refused = _others_refused(request, plan, child, page=page)
    return refused if refused is not None else (child, plan)


def _edit(
    request: HttpRequest,
    *,
    child: Person,
    plan: Plan,
    record: Any,
    what: str,
    page: str,
    make_form: Callable[..., f.GovukForm],
    initial: dict[str, Any],
    save: Callable[[dict[str, Any]], None],
    heading: str,
) -> HttpResponse:
    """An edit page: the form opened at the record's version; a save that lost the race is a conflict."""
    form = make_form(request.POST or None, initial={**initial, "version": record.version})
    context = {
        "child": child,
        "plan": plan,
        "heading": heading,
        "button": "Save changes",
        "cancel": _plan_url(child, plan),
        "what": what,
    }
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                save(form.cleaned_data)
                _audited(request, list(plan.children.all()), page=page, detail=f"{what} changed: {plan.ref}")
        except services.EditConflict:
            record.refresh_from_db()
            fresh = make_form(None, initial={**initial_of(record, initial), "version": record.version})
            context |= {"form": fresh, "conflict": CONFLICT.format(what=what), "yours": _entered(form)}
            return _form_page(request, context, status=409)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"The {what} is saved")
            return redirect(_plan_url(child, plan))
    return _form_page(request, {**context, "form": form}, status=400 if form.is_bound else 200)


def _entered(form: f.GovukForm) -> list[tuple[str, str]]:
    """What the editor typed, in words, so that a conflict does not lose it."""
    shown = []
    for name, value in form.cleaned_data.items():
        if name == "version":
            continue
        field = form.fields[name]
        choices = dict(getattr(field, "choices", []))
        text = govuk_date(value) if isinstance(value, dt.date) else str(choices.get(value, value or ""))
        shown.append((str(field.label), text))
    return shown


def initial_of(record: Any, initial: dict[str, Any]) -> dict[str, Any]:
    """The form's values for ``record`` as it is now (the keys of ``initial``)."""
    values = {}
    for name in initial:
        if name == "owner":
            values[name] = owner_value(record)
        elif name in {"lead_professional", "lead_agency"}:
            values[name] = getattr(record, f"{name}_id") or ""
        else:
            values[name] = getattr(record, name)
    return values


@require_http_methods(["GET", "POST"])
@transaction.atomic
def plan_edit(request: HttpRequest, ref: str, plan_ref: str) -> HttpResponse:
    opened = _changed_plan(request, ref, plan_ref, page="plan-edit")
    if isinstance(opened, HttpResponse):
        return opened
    child, plan = opened
    children = list(plan.children.all())
    choices = _choices_for(children, plan)
    names = ["type", "category", "started_on", "ended_on", "lead_professional", "lead_agency"]

    def save(data: dict[str, Any]) -> None:
        services.plan_update(
            plan=plan,
            version=data["version"],
            recorded_by=viewer_of(request),
            type=data["type"],
            category=data["category"],
            started_on=data["started_on"],
            ended_on=data["ended_on"],
            **_lead(data),
        )

    return _edit(
        request,
        child=child,
        plan=plan,
        record=plan,
        what="plan",
        page="plan-edit",
        make_form=lambda *a, **k: f.PlanEditForm(*a, children=None, **choices, **k),
        initial=initial_of(plan, dict.fromkeys(names)),
        save=save,
        heading="Change the plan's details",
    )


PARTS: dict[str, tuple[type[PlanOutcome | PlanAction | PlanAgreement], str]] = {
    "outcomes": (PlanOutcome, "outcome"),
    "actions": (PlanAction, "action"),
    "agreements": (PlanAgreement, "written agreement"),
}


def _part_forms(part: str, owners: list[tuple[str, str]]) -> tuple[Callable[..., Any], Callable[..., Any]]:
    if part == "outcomes":
        return f.OutcomeForm, f.OutcomeEditForm
    if part == "actions":
        return (
            lambda *a, **k: f.ActionForm(*a, owners=owners, **k),
            lambda *a, **k: f.ActionEditForm(*a, owners=owners, **k),
        )
    return f.AgreementForm, f.AgreementEditForm


def _part_values(part: str, data: dict[str, Any]) -> dict[str, Any]:
    names = {
        "outcomes": ["description", "measure"],
        "actions": ["description", "owner", "due_on", "done_on"],
        "agreements": ["description", "due_on", "status"],
    }[part]
    return {name: data[name] for name in names}


@require_http_methods(["GET", "POST"])
@transaction.atomic
def plan_part_new(request: HttpRequest, ref: str, plan_ref: str, part: str) -> HttpResponse:
    """Add an outcome, an action or a written agreement to the plan."""
    opened = _changed_plan(request, ref, plan_ref, page=f"plan-{part}-new")
    if isinstance(opened, HttpResponse):
        return opened
    child, plan = opened
    _, what = PARTS[part]
    children = list(plan.children.all())
    new_form, _ = _part_forms(part, action_owner_choices(children=children))
    form = new_form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        adders: dict[str, Callable[..., Any]] = {
            "outcomes": services.plan_outcome_add,
            "actions": services.plan_action_add,
            "agreements": services.plan_agreement_add,
        }
        add = adders[part]
        with transaction.atomic():
            add(plan=plan, **_part_values(part, form.cleaned_data))
            _audited(request, children, page=f"plan-{part}-new", detail=f"{what} added: {plan.ref}")
        messages.success(request, f"The {what} is added to the plan")
        return redirect(_plan_url(child, plan))
    return _form_page(
        request,
        {
            "child": child,
            "plan": plan,
            "form": form,
            "heading": f"Add {'an' if what[0] in 'ao' else 'a'} {what}",
            "button": f"Save the {what}",
            "cancel": _plan_url(child, plan),
            "quality_check": reverse("plan-quality-check", args=[child.ref, plan.ref, part]),
        },
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@transaction.atomic
def plan_part_edit(request: HttpRequest, ref: str, plan_ref: str, part: str, item_id: int) -> HttpResponse:
    opened = _changed_plan(request, ref, plan_ref, page=f"plan-{part}-edit")
    if isinstance(opened, HttpResponse):
        return opened
    child, plan = opened
    model, what = PARTS[part]
    record = get_object_or_404(model._default_manager.filter(plan=plan), pk=item_id)
    children = list(plan.children.all())
    owners = action_owner_choices(children=children)
    if isinstance(record, PlanAction) and owner_value(record) not in dict(owners):
        owner = record.owner_professional or record.owner
        owners.append((owner_value(record), str(owner)))  # an owner no longer involved stays the owner
    _, edit_form = _part_forms(part, owners)
    names = list(
        _part_values(part, dict.fromkeys(["description", "measure", "owner", "due_on", "done_on", "status"]))
    )
    updaters: dict[str, tuple[Callable[..., Any], str]] = {
        "outcomes": (services.plan_outcome_update, "outcome"),
        "actions": (services.plan_action_update, "action"),
        "agreements": (services.plan_agreement_update, "agreement"),
    }
    update = updaters[part]

    def save(data: dict[str, Any]) -> None:
        update[0](**{update[1]: record}, version=data["version"], **_part_values(part, data))

    return _edit(
        request,
        child=child,
        plan=plan,
        record=record,
        what=what,
        page=f"plan-{part}-edit",
        make_form=edit_form,
        initial=initial_of(record, dict.fromkeys(names)),
        save=save,
        heading=f"Change the {what}",
    )


@require_POST
@transaction.atomic
def plan_quality_check(request: HttpRequest, ref: str, plan_ref: str, part: str) -> HttpResponse:
    """The quality check of what is being typed (htmx, as the form changes): nothing is saved."""
    child = _opened(request, ref, page="plan-quality-check", perm=CHANGE)
    if isinstance(child, HttpResponse):
        return child
    plan_of_child(child=child, ref=plan_ref)
    data = request.POST
    if part == "outcomes":
        findings = outcome_findings(
            "This outcome", OutcomeText(data.get("description", ""), data.get("measure", ""))
        )
    elif part == "actions":
        has_date = all(data.get(f"due_on-{p}", "").strip() for p in ("day", "month", "year"))
        findings = action_findings(
            "This action", ActionText(data.get("description", ""), bool(data.get("owner")), has_date)
        )
    else:
        findings = plain_english_findings("This agreement", data.get("description", ""))
    return render(request, "casework/_quality.html", {"findings": findings, "live": True})


@require_http_methods(["GET", "POST"])
@transaction.atomic
def plan_review_new(request: HttpRequest, ref: str, plan_ref: str) -> HttpResponse:
    opened = _changed_plan(request, ref, plan_ref, page="plan-review-new")
    if isinstance(opened, HttpResponse):
        return opened
    child, plan = opened
    outcomes = list(plan.outcomes.all())
    form = f.ReviewForm(request.POST or None, outcomes=[(o.pk, o.description) for o in outcomes])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.plan_review_record(
                    plan=plan,
                    recorded_by=viewer_of(request),
                    held_on=data["held_on"],
                    progress=data["progress"],
                    needs_met=data["needs_met"],
                    text=data["text"],
                    outcome_progress=form.outcome_progress(),
                )
                _audited(
                    request,
                    list(plan.children.all()),
                    page="plan-review-new",
                    detail=f"review recorded: {plan.ref}",
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The review is recorded and on the chronology")
            return redirect(_plan_url(child, plan))
    return _form_page(
        request,
        {
            "child": child,
            "plan": plan,
            "form": form,
            "heading": "Record a review",
            "button": "Save the review",
            "cancel": _plan_url(child, plan),
            "no_outcomes": not outcomes,
        },
        status=400 if form.is_bound else 200,
    )


@require_GET
@transaction.atomic
def plan_quality_audit(request: HttpRequest) -> HttpResponse:
    """Managers' audit of plan quality: the open plans of the children they may see, with what is wrong."""
    viewer = viewer_of(request)
    if not viewer.has_perm("casework.audit_plan_quality"):
        return render(request, "casework/audit_not_allowed.html", status=403)
    page = Paginator(plans_for_quality_audit(viewer=viewer), 25).get_page(request.GET.get("page"))
    rows = [(plan, plan_quality_of(plan)) for plan in page.object_list]
    seen = {c.pk: c for plan, _ in rows for c in plan.children.all()}
    for child in seen.values():
        access_log_record(request=request, page="plan-quality-audit", child=child)
    return render(
        request,
        "casework/quality_audit.html",
        {
            "page": page,
            "rows": rows,
            "good": sum(1 for _, q in rows if q.is_good),
            "types": dict(PlanType.choices),
        },
    )


# -- meetings --------------------------------------------------------------------------------------


@require_GET
@transaction.atomic
def meetings(request: HttpRequest, ref: str) -> HttpResponse:
    child = _opened(request, ref, page="meetings")
    if isinstance(child, HttpResponse):
        return child
    return render(
        request,
        "casework/meetings.html",
        {
            "child": child,
            "meetings": list(meetings_of_child(child=child)),
            "timescales": timescales_of_child(child=child),
            "today": timezone.localdate(),
            "can_change": viewer_of(request).has_perm(CHANGE, child),
        },
    )


@require_http_methods(["GET", "POST"])
@transaction.atomic
def meeting_new(request: HttpRequest, ref: str) -> HttpResponse:
    child = _opened(request, ref, page="meeting-new", perm=CHANGE)
    if isinstance(child, HttpResponse):
        return child
    agencies = agencies_involved(children=[child])
    form = f.MeetingForm(request.POST or None, agencies=[(a.pk, a.name) for a in agencies])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_pk = {a.pk: a for a in agencies}
        with transaction.atomic():
            meeting = services.meeting_record(
                child=child,
                recorded_by=viewer_of(request),
                kind=data["kind"],
                held_on=data["held_on"],
                invited=[by_pk[pk] for pk in data["invited"]],
                attended=[by_pk[pk] for pk in data["attended"]],
                decisions=data["decisions"],
            )
            _audited(request, [child], page="meeting-new", detail=f"meeting {meeting.ref} recorded")
        messages.success(
            request, f"The {meeting.get_kind_display().lower()} is recorded and on the chronology"
        )
        return redirect(reverse("meeting", args=[child.ref, meeting.ref]))
    return _form_page(
        request,
        {
            "child": child,
            "form": form,
            "heading": "Record a meeting",
            "button": "Save the meeting",
            "cancel": reverse("meetings", args=[child.ref]),
        },
        status=400 if form.is_bound else 200,
    )


@require_GET
@transaction.atomic
def meeting_page(request: HttpRequest, ref: str, meeting_ref: str) -> HttpResponse:
    child = _opened(request, ref, page="meeting")
    if isinstance(child, HttpResponse):
        return child
    meeting = meeting_of_child(child=child, ref=meeting_ref)
    return render(
        request,
        "casework/meeting.html",
        {
            "child": child,
            "meeting": meeting,
            "can_change": viewer_of(request).has_perm(CHANGE, child),
        },
    )


@require_http_methods(["GET", "POST"])
@transaction.atomic
def meeting_action_new(request: HttpRequest, ref: str, meeting_ref: str) -> HttpResponse:
    child = _opened(request, ref, page="meeting-action-new", perm=CHANGE)
    if isinstance(child, HttpResponse):
        return child
    meeting: Meeting = meeting_of_child(child=child, ref=meeting_ref)
    meeting_url = reverse("meeting", args=[child.ref, meeting.ref])
    form = f.MeetingActionForm(request.POST or None, owners=action_owner_choices(children=[child]))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            services.meeting_action_add(
                meeting=meeting, description=data["description"], owner=data["owner"], due_on=data["due_on"]
            )
            _audited(
                request, [child], page="meeting-action-new", detail=f"action added: meeting {meeting.ref}"
            )
        messages.success(request, "The action is added to the meeting")
        return redirect(meeting_url)
    return _form_page(
        request,
        {
            "child": child,
            "form": form,
            "heading": "Add an action from the meeting",
            "button": "Save the action",
            "cancel": meeting_url,
        },
        status=400 if form.is_bound else 200,
    )
