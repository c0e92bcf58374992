"""The engine with the database: facts loaded as at a date, the alert lifecycle, the CLI's JSON contract."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from lantern.casework.models import Plan
from lantern.chronology.models import Event
from lantern.people.tests.factories import (
    AdultFactory,
    ChildFactory,
    HouseholdMemberFactory,
    RelationshipFactory,
)
from lantern.screening.config import config_parse
from lantern.screening.engine import alerts_sync, screen
from lantern.screening.facts import child_facts
from lantern.screening.models import Alert, AlertHistory, AlertStatus

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 11, 1)


def _wnb(child, n, on):
    return Event.objects.create(
        source="t",
        source_id=f"wnb{child.pk}-{n}",
        child=child,
        type="appointment",
        outcome="was-not-brought",
        occurred_on=on,
        recorded_at="2026-11-01T09:00Z",
    )


class TestFacts:
    def test_as_of_leaves_out_what_happened_after_it_whenever_it_was_recorded(self, area):
        _wnb(area.child, 1, dt.date(2026, 10, 1))
        _wnb(area.child, 2, dt.date(2026, 11, 2))
        facts = child_facts([area.child.pk], as_of=AS_OF)[area.child.pk]
        assert [e.ref for e in facts.events] == [f"t:wnb{area.child.pk}-1"]

    def test_a_plan_that_ended_after_the_screening_date_was_open_then(self, area):
        plan = Plan.objects.create(
            source="t",
            source_id="p",
            type="child-protection",
            category="neglect",
            started_on=dt.date(2026, 1, 1),
            ended_on=dt.date(2026, 12, 1),
        )
        plan.children.add(area.child)
        facts = child_facts([area.child.pk], as_of=AS_OF)[area.child.pk]
        assert [p.ref for p in facts.open_plans()] == ["t:p"]
        assert child_facts([area.child.pk], as_of=dt.date(2025, 12, 31))[area.child.pk].plans == ()

    def test_adults_are_those_with_parental_responsibility_or_in_the_household(self, area):
        mother = AdultFactory()
        RelationshipFactory(from_person=mother, to_person=area.child, parental_responsibility=True)
        uncle = AdultFactory()
        RelationshipFactory(
            from_person=uncle, to_person=area.child, type="other-relative", parental_responsibility=False
        )
        lodger = AdultFactory()
        home = HouseholdMemberFactory(person=area.child).household
        HouseholdMemberFactory(person=lodger, household=home)
        facts = child_facts([area.child.pk], as_of=AS_OF)[area.child.pk]
        assert sorted(a.ref for a in facts.adults) == sorted([mother.ref, lodger.ref])

    def test_siblings_carry_their_plans(self, area):
        sister = ChildFactory()
        RelationshipFactory(
            from_person=area.child, to_person=sister, type="sibling", parental_responsibility=False
        )
        plan = Plan.objects.create(
            source="t", source_id="ps", type="child-in-need", started_on=dt.date(2026, 1, 1)
        )
        plan.children.add(sister)
        facts = child_facts([area.child.pk], as_of=AS_OF)[area.child.pk]
        assert [(s.ref, [p.ref for p in s.plans]) for s in facts.siblings] == [(sister.ref, ["t:ps"])]

    def test_a_fixed_number_of_queries_however_many_children(self, area, django_assert_max_num_queries):
        for n in range(30):
            child = ChildFactory()
            _wnb(child, n, dt.date(2026, 10, 1))
        ids = list(ChildFactory._meta.model.objects.children().values_list("pk", flat=True))
        with django_assert_max_num_queries(20):
            list(screen(ids, as_of=AS_OF))


class TestLifecycle:
    def test_raised_once_updated_as_evidence_grows_and_resolved_when_it_stops_matching(self, area):
        _wnb(area.child, 1, dt.date(2026, 10, 1))
        _wnb(area.child, 2, dt.date(2026, 10, 8))
        alerts_sync([area.child.pk], as_of=AS_OF)
        alert = Alert.objects.get()
        assert (alert.rule, alert.status, len(alert.evidence)) == ("was-not-brought", "raised", 2)
        alerts_sync([area.child.pk], as_of=AS_OF)
        assert Alert.objects.count() == 1
        assert AlertHistory.objects.count() == 1
        _wnb(area.child, 3, dt.date(2026, 10, 15))
        alerts_sync([area.child.pk], as_of=AS_OF)
        alert.refresh_from_db()
        assert len(alert.evidence) == 3
        assert Alert.objects.count() == 1
        # Half a year later the appointments are out of the window.
        alerts_sync([area.child.pk], as_of=dt.date(2027, 6, 1))
        alert.refresh_from_db()
        assert alert.status == "resolved"
        assert [h.status for h in alert.history.all()] == ["raised", "raised", "resolved"]

    def test_a_dismissed_alert_comes_back_only_with_new_evidence(self, area):
        _wnb(area.child, 1, dt.date(2026, 10, 1))
        _wnb(area.child, 2, dt.date(2026, 10, 8))
        alerts_sync([area.child.pk], as_of=AS_OF)
        alert = Alert.objects.get()
        alert.status, alert.dismissed_evidence, alert.dismissed_reason = (
            AlertStatus.DISMISSED,
            alert.evidence,
            "Known",
        )
        alert.save()
        alerts_sync([area.child.pk], as_of=AS_OF)
        alert.refresh_from_db()
        assert alert.status == "dismissed"
        _wnb(area.child, 3, dt.date(2026, 10, 15))
        alerts_sync([area.child.pk], as_of=AS_OF)
        alert.refresh_from_db()
        assert alert.status == "raised"
        assert alert.history.last().note == "Raised again: new evidence since it was dismissed"

    def test_recording_on_the_chronology_screens_the_child_in_the_same_transaction(self, client, area):
        from django.urls import reverse

        _wnb(area.child, 1, dt.date.today() - dt.timedelta(days=3))
        plan = Plan.objects.create(
            source="t",
            source_id="p",
            type="child-protection",
            category="neglect",
            started_on=dt.date.today() - dt.timedelta(days=40),
            lead_professional=area.involved,
        )
        plan.children.add(area.child)
        client.force_login(area.involved)
        today = dt.date.today()
        client.post(
            reverse("record-observation", args=[area.child.ref]),
            {
                "occurred_on-day": today.day,
                "occurred_on-month": today.month,
                "occurred_on-year": today.year,
                "tags": ["hygiene"],
                "text": "Unwashed.",
                "significance": "routine",
            },
        )
        assert Alert.objects.filter(child=area.child, rule="was-not-brought").exists()


class TestCommandLine:
    def test_json_is_the_contract_and_the_same_twice(self, area, capsys):
        _wnb(area.child, 1, dt.date(2026, 10, 1))
        _wnb(area.child, 2, dt.date(2026, 10, 8))
        call_command("screen", "--as-of", "2026-11-01", "--format", "json", "--no-progress")
        first = capsys.readouterr().out
        call_command("screen", "--as-of", "2026-11-01", "--format", "json", "--no-progress")
        assert capsys.readouterr().out == first
        (alert,) = json.loads(first)
        assert list(alert) == ["child", "rule", "severity", "summary", "evidence", "recommended_action"]
        assert alert["child"] == area.child.ref
        assert alert["evidence"] == sorted(alert["evidence"])
        assert not Alert.objects.exists(), "screening as at another day changes nothing"

    def test_one_child_and_the_alerts_command(self, area, capsys):
        _wnb(area.child, 1, dt.date.today() - dt.timedelta(days=1))
        _wnb(area.child, 2, dt.date.today() - dt.timedelta(days=2))
        call_command("screen", "--child", area.child.ref, "--no-progress")
        assert "was-not-brought" in capsys.readouterr().out
        call_command("alerts", "--format", "json")
        assert json.loads(capsys.readouterr().out)[0]["rule"] == "was-not-brought"

    def test_an_unknown_child(self, area):
        from django.core.management.base import CommandError

        with pytest.raises(CommandError, match="no child has this reference"):
            call_command("screen", "--child", "t:nobody")


class TestConfiguration:
    def test_defaults_can_be_changed(self):
        config = config_parse({"rules": {"was-not-brought": {"window_days": 120}}}, name="area.json")
        assert config.parameters["was-not-brought"]["window_days"] == 120
        assert config.parameters["was-not-brought"]["count"] == 2

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"rules": {"missed-meals": {}}}, "rules.missed-meals: there is no rule with this code"),
            (
                {"rules": {"was-not-brought": {"window_days": -1}}},
                "rules.was-not-brought.window_days: -1 must be",
            ),
            (
                {"rules": {"was-not-brought": {"window_days": "180"}}},
                "rules.was-not-brought.window_days: '180'",
            ),
            ({"rules": {"was-not-brought": {"days": 5}}}, "rules.was-not-brought.days: not a parameter"),
            (
                {"procedures": {"neglect-guidance": "file.pdf"}},
                "procedures.neglect-guidance: 'file.pdf' is not a link",
            ),
            ({"alarms": {}}, "unknown section(s) alarms"),
        ],
    )
    def test_a_bad_configuration_is_refused_naming_what(self, data, message):
        with pytest.raises(ImproperlyConfigured) as error:
            config_parse(data, name="area.json")
        assert message in str(error.value)
        assert str(error.value).startswith("area.json: ")


def test_lantern_refuses_to_start_with_a_bad_configuration(tmp_path):
    import os
    import subprocess
    import sys

    config = tmp_path / "area.json"
    config.write_text('{"rules": {"was-not-brought": {"window_days": -30}}}')
    result = subprocess.run(
        [sys.executable, "-m", "lantern.cli", "check"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "LANTERN_SCREENING_CONFIG": str(config)},
    )
    assert result.returncode != 0
    assert "rules.was-not-brought.window_days: -30 must be a whole number, 1 or more" in result.stderr
