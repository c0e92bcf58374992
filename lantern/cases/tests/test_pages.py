"""The case pages through the client: refusals shown with GOV.UK's error summary, every table unchanged
(but the access log, which records the attempt), and success."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from lantern.cases.models import CaseEpisode, CaseReview, Escalation, LevelOfNeed
from lantern.cases.tests.conftest import table_counts
from lantern.core.models import AccessLogEntry

pytestmark = pytest.mark.django_db


def _without_access_log(counts):
    return {k: v for k, v in counts.items() if k != "core.AccessLogEntry"}


def _date(prefix, day):
    return {f"{prefix}-day": day.day, f"{prefix}-month": day.month, f"{prefix}-year": day.year}


class TestCasePages:
    def test_the_case_page_shows_the_episode_and_the_gate(self, client, area, episode):
        client.force_login(area.team_manager)
        page = client.get(reverse("case", args=[area.child.ref])).content.decode()
        assert "Children&#39;s Social Care case from" in page
        assert "No review in the last 30 days" in page
        assert f"case/{episode.pk}/close/" in page
        assert f"case/{episode.pk}/transfer/" in page

    def test_closing_without_a_review_is_refused_on_the_page(self, client, area, episode):
        client.force_login(area.team_manager)
        before = _without_access_log(table_counts())
        response = client.post(reverse("case-close", args=[area.child.ref, episode.pk]), {"reason": "Done"})
        assert response.status_code == 400
        page = response.content.decode()
        assert "There is a problem" in page
        assert "Ava Morgan&#39;s case cannot be closed: there has been no review in the last 30 days" in page
        assert _without_access_log(table_counts()) == before
        attempt = AccessLogEntry.objects.filter(page="case-close").latest("pk")
        assert (attempt.action, attempt.professional) == ("record", area.team_manager)

    def test_review_then_close(self, client, area, episode):
        client.force_login(area.team_manager)
        today = timezone.localdate()
        response = client.post(
            reverse("case-review", args=[area.child.ref, episode.pk]),
            {**_date("held_on", today), "progress": "improved", "needs_met": "yes", "summary": "Going well"},
        )
        assert response.status_code == 302
        assert CaseReview.objects.get().needs_met is True
        response = client.post(
            reverse("case-close", args=[area.child.ref, episode.pk]), {"reason": "Needs met"}
        )
        assert response.status_code == 302
        episode.refresh_from_db()
        assert episode.closed_on == today

    def test_a_review_form_with_nothing_in_it_says_what_is_missing(self, client, area, episode):
        client.force_login(area.involved)
        response = client.post(reverse("case-review", args=[area.child.ref, episode.pk]), {})
        page = response.content.decode()
        assert response.status_code == 400
        for message in (
            "Enter the date of the review",
            "Select what progress there has been",
            "Select whether the child&#39;s needs are now met",
            "Enter what the review found",
        ):
            assert message in page

    def test_open_a_case_from_the_page(self, client, area):
        client.force_login(area.team_manager)
        url = reverse("case-open", args=[area.child.ref])
        assert f'value="{area.involved.pk}" selected' in client.get(url).content.decode()
        response = client.post(url, {"worker": area.involved.pk, "reason": "Referral"})
        assert response.status_code == 302
        assert CaseEpisode.objects.get().allocation.professional == area.involved

    def test_an_episode_of_another_child_is_not_found(self, client, area, episode):
        client.force_login(area.team_manager)
        url = reverse("case-close", args=[area.unrelated_child.ref, episode.pk])
        assert client.get(url).status_code == 403  # no relationship with that child at all


class TestLevelOfNeedPage:
    def test_set_then_step_up_shown_beside_the_child(self, client, area):
        client.force_login(area.involved)
        url = reverse("level-of-need", args=[area.child.ref])
        client.post(
            url,
            {
                "level": "early-help",
                "indicators": ["early-help|Parents isolated from family and friends"],
                "reason": "Isolated mother",
            },
        )
        response = client.post(url, {"level": "child-in-need", "reason": "Early help has not worked"})
        assert response.status_code == 302
        assert list(LevelOfNeed.objects.order_by("set_at").values_list("level", "rank")) == [
            ("early-help", 2),
            ("child-in-need", 3),
        ]
        history = client.get(url).content.decode()
        assert "Stepped up: 3. Child in need (targeted)" in history
        assert "Set: 2. Early help" in history
        overview = client.get(reverse("child-overview", args=[area.child.ref])).content.decode()
        assert "3. Child in need (targeted)" in overview
        assert "Early help has not worked" in overview

    def test_an_indicator_of_another_level_is_not_kept(self, client, area):
        client.force_login(area.involved)
        client.post(
            reverse("level-of-need", args=[area.child.ref]),
            {
                "level": "universal",
                "indicators": ["early-help|Parents isolated from family and friends"],
                "reason": "Fine",
            },
        )
        assert LevelOfNeed.objects.get().indicators == []

    def test_no_level_is_refused(self, client, area):
        client.force_login(area.involved)
        response = client.post(reverse("level-of-need", args=[area.child.ref]), {"reason": "x"})
        assert response.status_code == 400
        assert "Select the level of need" in response.content.decode()
        assert not LevelOfNeed.objects.exists()


class TestEscalationPages:
    def test_raise_a_challenge_make_it_formal_resolve_it(self, client, area):
        client.force_login(area.involved)
        school_dsl = area.school.staff.create(username="dsl", name="Tom Hughes", role="practitioner")
        area.child.involvements.create(
            source="t",
            source_id="dsl",
            agency=area.school,
            professional=school_dsl,
            started_on=timezone.localdate(),
        )
        due = timezone.localdate()
        response = client.post(
            reverse("escalation-new", args=[area.child.ref]),
            {
                "kind": "professional-challenge",
                "subject": "thresholds",
                "challenged_agency": area.school.pk,
                "concern": "The school sees this as universal; we think early help",
                "owner": school_dsl.pk,
                **_date("due_on", due),
            },
        )
        assert response.status_code == 302, response.content.decode()
        escalation = Escalation.objects.get()
        assert (escalation.stage, escalation.owner, escalation.challenged_agency) == (
            "informal",
            school_dsl,
            area.school,
        )
        page = reverse("escalation", args=[escalation.pk])
        response = client.post(
            page, {"do": "formal", "owner": area.team_manager.pk, "note": "No reply", **_date("due_on", due)}
        )
        assert response.status_code == 302, response.content.decode()
        response = client.post(page, {"do": "resolve", "outcome": ""})
        assert "Enter the outcome" in response.content.decode()
        client.post(page, {"do": "resolve", "outcome": "Agreed early help"})
        escalation.refresh_from_db()
        assert (escalation.stage, escalation.owner, escalation.outcome) == (
            "formal",
            area.team_manager,
            "Agreed early help",
        )
        assert list(escalation.steps.values_list("kind", flat=True)) == ["raised", "formal", "resolved"]
