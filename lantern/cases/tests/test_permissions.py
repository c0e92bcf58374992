"""The case pages in the permission matrix: every role, in every relation to the child (see
lantern/agencies/tests/test_permissions.py), and refusals that are logged and change nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lantern.agencies.tests.test_permissions import WHO
from lantern.cases.escalations import escalation_raise
from lantern.cases.tests.conftest import days_ago, table_counts
from lantern.core.models import AccessLogEntry

pytestmark = pytest.mark.django_db

RECORD = {"involved": 200, "teammate": 200, "team_manager": 200, "senior_manager": 200}
MANAGERS = {"team_manager": 200, "senior_manager": 200}
MATRIX = {
    "case": RECORD,
    "case-open": MANAGERS,
    "case-review": RECORD,
    "case-transfer": MANAGERS,
    "case-close": MANAGERS,
    "case-supervision": RECORD,
    "level-of-need": RECORD,
    "escalation-new": RECORD,
    "escalation": RECORD,
    "team-dashboard": MANAGERS,
}


@pytest.fixture
def urls(area, episode):
    escalation = escalation_raise(
        child=area.child,
        by=area.involved,
        kind="stuck-case",
        subject="case-drift",
        concern="Stuck",
        owner=area.senior_manager,
        due_on=days_ago(-5),
    )
    child = area.child.ref
    return {
        "case": reverse("case", args=[child]),
        "case-open": reverse("case-open", args=[child]),
        "case-review": reverse("case-review", args=[child, episode.pk]),
        "case-transfer": reverse("case-transfer", args=[child, episode.pk]),
        "case-close": reverse("case-close", args=[child, episode.pk]),
        "case-supervision": reverse("case-supervision", args=[child]),
        "level-of-need": reverse("level-of-need", args=[child]),
        "escalation-new": reverse("escalation-new", args=[child]),
        "escalation": reverse("escalation", args=[escalation.pk]),
        "team-dashboard": reverse("team-dashboard", args=[area.team.pk]),
    }


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("page", list(MATRIX))
def test_permission_matrix(client, area, urls, page, who):
    client.force_login(getattr(area, who))
    response = client.get(urls[page])
    assert response.status_code == MATRIX[page].get(who, 403), f"{who} on {page}"


@pytest.mark.parametrize("page", list(MATRIX))
def test_signed_out_visitors_are_sent_to_sign_in(client, urls, page):
    response = client.get(urls[page])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


@pytest.mark.parametrize(
    ("who", "page", "data"),
    [
        ("involved", "case-close", {"reason": "Done"}),
        ("teammate", "case-transfer", {"reason": "x"}),
        ("involved", "case-open", {"reason": "x"}),
        ("involved", "case-supervision", {"reflections": "r"}),
        ("other_agency", "level-of-need", {"level": "universal", "reason": "x"}),
        ("stranger", "escalation-new", {"kind": "stuck-case"}),
        ("stranger_manager", "case-review", {"summary": "x"}),
    ],
)
def test_a_refused_change_is_logged_and_changes_nothing(client, area, urls, who, page, data):
    professional = getattr(area, who)
    client.force_login(professional)
    before = table_counts()
    assert client.post(urls[page], data).status_code == 403
    after = table_counts()
    assert after.pop("core.AccessLogEntry") == before.pop("core.AccessLogEntry") + 1
    assert {k: v for k, v in after.items() if k != "sessions.Session"} == {
        k: v for k, v in before.items() if k != "sessions.Session"
    }
    refusal = AccessLogEntry.objects.latest("pk")
    assert (refusal.professional, refusal.action, refusal.child) == (professional, "refused", area.child)


def test_the_dashboard_is_in_the_navigation_of_managers_only(client, area):
    client.force_login(area.team_manager)
    assert "Team dashboard" in client.get(reverse("my-children")).content.decode()
    client.force_login(area.involved)
    assert "Team dashboard" not in client.get(reverse("my-children")).content.decode()
    assert client.get(reverse("my-team-dashboard")).status_code == 403
