"""The case pages: signed-out visitors, refused changes that are logged and change nothing (who may open
each page, in every relation to the child, is the permission matrix over every route:
lantern/web/tests/test_permission_matrix.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lantern.cases.escalations import escalation_raise
from lantern.cases.tests.conftest import days_ago, table_counts
from lantern.core.models import AccessLogEntry

pytestmark = pytest.mark.django_db

# Who may open each page, in every relation to the child: lantern/web/tests/test_permission_matrix.py.
PAGES = [
    "case",
    "case-open",
    "case-review",
    "case-transfer",
    "case-close",
    "case-supervision",
    "level-of-need",
    "escalation-new",
    "escalation",
    "team-dashboard",
]


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


@pytest.mark.parametrize("page", PAGES)
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
