"""The worklist ("my alerts", and my team's for managers) and an alert: its evidence, learning and action."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from lantern.chronology.presenters import EventPresenter
from lantern.core.models import AccessLogEntry
from lantern.screening.config import screening_config
from lantern.screening.models import Alert, AlertStatus
from lantern.screening.rules import RULES
from lantern.screening.selectors import SEVERITY_ORDER, alert_evidence, alert_of, worklist
from lantern.screening.services import alert_acknowledge, alert_action_record, alert_dismiss
from lantern.web.access import child_opened, viewer_of


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
            "severities": list(SEVERITY_ORDER),
            "can_see_team": viewer.has_perm("screening.view_team_worklist"),
            "dismissed": request.GET.get("dismissed") == "on",
        },
    )


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
def alert_page(request: HttpRequest, alert_id: int) -> HttpResponse:
    acting = request.method == "POST"
    alert = _opened(request, alert_id, acting=acting)
    if isinstance(alert, HttpResponse):
        return alert
    error = ""
    if acting:
        what = request.POST.get("do")
        text = request.POST.get("text", "")
        try:
            if what == "acknowledge":
                alert_acknowledge(alert=alert, by=viewer_of(request))
            elif what == "action":
                alert_action_record(alert=alert, by=viewer_of(request), action_taken=text)
            elif what == "dismiss":
                alert_dismiss(alert=alert, by=viewer_of(request), reason=text)
            else:
                raise ValidationError("Choose what to do with the alert")
        except ValidationError as invalid:
            error = invalid.messages[0]
        else:
            messages.success(request, f"Alert {alert.get_status_display().lower()}")
            return redirect(reverse("alert", args=[alert.pk]))
    rule = RULES.get(alert.rule)
    evidence = [(e.ref, EventPresenter(e.event) if e.event else None) for e in alert_evidence(alert=alert)]
    link = screening_config().procedure_links.get(rule.procedure) if rule else None
    return render(
        request,
        "screening/alert.html",
        {
            "alert": alert,
            "child": alert.child,
            "rule": rule,
            "evidence": evidence,
            "procedure_link": link,
            "history": alert.history.select_related("by").order_by("-at", "-pk"),
            "error": error,
            "can_act": alert.status != AlertStatus.RESOLVED
            and viewer_of(request).has_perm("screening.act_on_alert", alert.child),
        },
        status=400 if error else 200,
    )
