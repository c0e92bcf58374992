from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.utils import timezone

from lantern.cases.episodes import case_open
from lantern.cases.models import CaseEpisode


def table_counts() -> dict[str, int]:
    """How many rows every table holds: a refused change leaves every one of them as it was."""
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.fixture
def episode(area) -> CaseEpisode:
    """Ava's case with social care, allocated to Sam (her current involvement), opened 90 days ago."""
    opened = case_open(
        child=area.child,
        by=area.team_manager,
        worker=area.involved,
        team=None,
        role="",
        reason="Referral from school",
    )
    CaseEpisode.objects.filter(pk=opened.pk).update(opened_on=days_ago(90))
    opened.refresh_from_db()
    return opened
