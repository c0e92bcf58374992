"""The worklist ("my alerts", and my team's for managers) and an alert: its evidence, learning and action."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from lantern.assessments.models import Assessment
from lantern.casework.models import Meeting, Plan, PlanAction, PlanAgreement
from lantern.chronology.presenters import EventPresenter
from lantern.core.concurrency import EditConflict
from lantern.core.formatting import govuk_date
from lantern.core.models import AccessLogEntry
from lantern.people.models import Person
from lantern.screening.config import screening_config
from lantern.screening.facts import PLAN_ITEM_ORDER, plan_item_ref
from lantern.screening.models import Alert, AlertStatus
from lantern.screening.rules import RULES
from lantern.screening.selectors import SEVERITY_ORDER, alert_evidence, alert_of, worklist
from lantern.screening.services import alert_acknowledge, alert_action_record, alert_dismiss
from lantern.web.access import child_opened, viewer_of

# What the success banner says after each action.
DONE = {
    "acknowledge": "You have acknowledged this alert",
    "action": "The action you took is recorded",
    "dismiss": "You have dismissed this alert: it comes back if new evidence arrives",
}


def records_described(refs: list[str]) -> list[str]:
    """What the evidence that is not a chronology event is, in words: the adults, plans, assessments,
    meetings, plan actions and written agreements a rule found (a reference nothing matches stays as it is).
    """
    wanted: dict[str, set[str]] = {}
    for ref in refs:
        source, _, source_id = ref.partition(":")
        wanted.setdefault(source, set()).add(source_id)
    said: dict[str, str] = {}
    for source, ids in wanted.items():
        items = [
            i.split("/") for i in ids if i.count("/") == 2 and i.split("/")[1] in {"actions", "agreements"}
        ]
        for plan in Plan.objects.filter(source=source, source_id__in={i[0] for i in items}):
            listed: dict[str, list[PlanAction] | list[PlanAgreement]] = {
                "actions": list(plan.actions.order_by(*PLAN_ITEM_ORDER)),
                "agreements": list(plan.agreements.order_by(*PLAN_ITEM_ORDER)),
            }
            label = {"actions": "Plan action", "agreements": "Written agreement"}
            for plan_id, kind, position in items:
                found = listed[kind] if plan_id == plan.source_id else []
                if position.isdigit() and 0 < int(position) <= len(found):
                    item = found[int(position) - 1]
                    ref = plan_item_ref(plan.ref, kind, int(position))
                    said[ref] = f"{label[kind]} due {govuk_date(item.due_on)}: {item.description}"
    for source, ids in wanted.items():
        for person in Person.objects.filter(source=source, source_id__in=ids):
            said.setdefault(person.ref, person.display_name)
        for plan in Plan.objects.filter(source=source, source_id__in=ids):
            category = f" ({plan.get_category_display().lower()})" if plan.category else ""
            said.setdefault(
                plan.ref, f"{plan.get_type_display()} plan{category} from {govuk_date(plan.started_on)}"
            )
        for assessment in Assessment.objects.filter(source=source, source_id__in=ids):
            what = assessment.template.replace("-", " ").capitalize()
            said.setdefault(assessment.ref, f"{what} assessment, {govuk_date(assessment.completed_on)}")
        for meeting in Meeting.objects.filter(source=source, source_id__in=ids):
            said.setdefault(meeting.ref, f"{meeting.get_kind_display()}, {govuk_date(meeting.held_on)}")
    return [said.get(ref, ref) for ref in refs]


@require_GET
def worklist_page(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    if not viewer.has_perm("screening.view_worklist"):
        raise PermissionDenied("Your role has no worklist")
    team = request.GET.get("scope") == "team" and viewer.has_perm("screening.view_team_worklist")
    rule = request.GET.get("rule", "") if request.GET.get("rule") in RULES else ""
    severity = request.GET.get("severity", "") if request.GET.get("severity") in SEVERITY_ORDER else ""
    alerts = worklist(
        viewer=viewer,
        team=team,
        rule=rule,
        severity=severity,
        include_dismissed=request.GET.get("dismissed") == "on",
    )
    return render(
        request,
        "screening/worklist.html",
        {
            "alerts": alerts,
            "team": team,
            "rule": rule,
            "severity": severity,
            "rules": RULES,
            "rule_choices": sorted(RULES.values(), key=lambda r: r.title),
            "severities": list(SEVERITY_ORDER),
            "can_see_team": viewer.has_perm("screening.view_team_worklist"),
            "dismissed": request.GET.get("dismissed") == "on",
        },
    )


CONFLICT = (
    "Someone else responded to this alert, or new evidence changed it, while you were looking at it: it "
    "is now {status}. Check it below, then respond again"
)


def _version(value: str | None) -> int | None:
    """The alert's version the page showed (None if the form did not say: the one just read is used)."""
    if value is None:
        return None
    if not value.isdigit():
        raise ValidationError("The page is out of date: open the alert again and respond again")
    return int(value)


# A resolved alert is refused by alert_acknowledge, with the reason; any other is acknowledged already.
_ACKNOWLEDGEABLE = (AlertStatus.RAISED, AlertStatus.RESOLVED)


def _opened(request: HttpRequest, alert_id: int, *, acting: bool) -> Alert | HttpResponse:
    """The alert, if the viewer may see (or act on) its child's record; the access is logged."""
    alert = alert_of(alert_id=alert_id).first()
    if alert is None:
        raise Http404("No such alert")
    child = child_opened(
        request,
        alert.child.ref,
        page="alert",
        perm="screening.act_on_alert" if acting else "people.view_child",
        action=AccessLogEntry.Action.RECORD if acting else AccessLogEntry.Action.VIEW,
    )
    return child if isinstance(child, HttpResponse) else alert


@require_http_methods(["GET", "POST"])
@transaction.atomic
def alert_page(request: HttpRequest, alert_id: int) -> HttpResponse:
    acting = request.method == "POST"
    alert = _opened(request, alert_id, acting=acting)
    if isinstance(alert, HttpResponse):
        return alert
    error = text = ""
    if acting and request.POST.get("do") == "acknowledge" and alert.status not in _ACKNOWLEDGEABLE:
        # Already acknowledged (a second click, or another tab): nothing to add to the history.
        return redirect(reverse("alert", args=[alert.pk]))
    status = 200
    if acting:
        what = request.POST.get("do", "")
        text = request.POST.get("text", "")
        try:
            version = _version(request.POST.get("version"))
            with transaction.atomic():
                if what == "acknowledge":
                    alert_acknowledge(alert=alert, by=viewer_of(request), version=version)
                elif what == "action":
                    alert_action_record(
                        alert=alert, by=viewer_of(request), action_taken=text, version=version
                    )
                elif what == "dismiss":
                    alert_dismiss(alert=alert, by=viewer_of(request), reason=text, version=version)
                else:
                    raise ValidationError("Choose what to do with the alert")
        except ValidationError as invalid:
            error, status = invalid.messages[0], 400
        except EditConflict:
            alert.refresh_from_db()
            error, status = CONFLICT.format(status=alert.get_status_display().lower()), 409
        else:
            messages.success(request, DONE[what])
            return redirect(reverse("alert", args=[alert.pk]))
    rule = RULES.get(alert.rule)
    found = alert_evidence(alert=alert)
    # The records the rule found, newest first, then those that are not events (plans, adults…).
    events = sorted(
        (e.event for e in found if e.event),
        key=lambda event: (event.occurred_on, event.occurred_time or dt.time.min, event.pk),
        reverse=True,
    )
    others = records_described([e.ref for e in found if e.event is None])
    link = screening_config().procedure_links.get(rule.procedure) if rule else None
    can_act = alert.status != AlertStatus.RESOLVED and viewer_of(request).has_perm(
        "screening.act_on_alert", alert.child
    )
    return render(
        request,
        "screening/alert.html",
        {
            "alert": alert,
            "child": alert.child,
            "rule": rule,
            "events": [EventPresenter(event) for event in events],
            "other_evidence": others,
            "procedure_link": link,
            "history": alert.history.select_related("by").order_by("-at", "-pk"),
            "error": error,
            "text": text if error else "",
            "can_act": can_act,
        },
        status=status,
    )
