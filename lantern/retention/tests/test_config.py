"""The retention configuration: defaults with sources; a bad file stops Lantern naming the key and value."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from lantern.retention.config import LOCAL_POLICY, RECORD_TYPES, Period, config_parse, retention_config
from lantern.retention.deadlines import birthday, calendar_months_after


class TestDefaults:
    def test_every_record_type_has_a_source_and_local_policy_is_marked(self):
        for record_type in RECORD_TYPES.values():
            assert record_type.source
            assert record_type.source.startswith(LOCAL_POLICY) == record_type.local_policy, record_type.code

    def test_the_statutory_and_national_periods(self):
        assert RECORD_TYPES["looked-after-child"].default == Period(until_age=75)
        assert "regulation 50" in RECORD_TYPES["looked-after-child"].source
        assert RECORD_TYPES["health-event"].default == Period(until_age=25, until_age_if_17_or_over=26)
        assert "Records Management Code of Practice" in RECORD_TYPES["health-event"].source

    def test_the_access_log_is_not_disposed_of_by_this_command(self):
        assert [t.code for t in RECORD_TYPES.values() if not t.disposed_by_this_command] == ["access-log"]


class TestParse:
    def test_an_override_keeps_the_other_defaults(self):
        config = config_parse({"periods": {"police-event": {"until_age": 30}}}, name="r.json")
        assert config.periods["police-event"] == Period(until_age=30)
        assert config.periods["health-event"] == RECORD_TYPES["health-event"].default

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ([], "r.json: the retention configuration is a JSON object"),
            ({"period": {}}, "r.json: unknown section(s) period (only 'periods')"),
            ({"periods": []}, "r.json: periods: give the record types as an object"),
            ({"periods": {"police": {}}}, "r.json: periods.police: there is no record type with this code"),
            ({"periods": {"alert": 25}}, "r.json: periods.alert: give the period as an object"),
            (
                {"periods": {"alert": {"years_after": 6}}},
                "r.json: periods.alert.years_after: not a key of this record type (it has until_age)",
            ),
            (
                {"periods": {"alert": {"until_age": 0}}},
                "r.json: periods.alert.until_age: 0 must be a whole number of years, 1 to 125",
            ),
            (
                {"periods": {"alert": {"until_age": 126}}},
                "r.json: periods.alert.until_age: 126 must be a whole number of years, 1 to 125",
            ),
            (
                {"periods": {"alert": {"until_age": "25"}}},
                "r.json: periods.alert.until_age: '25' must be a whole number of years",
            ),
            (
                {"periods": {"alert": {"until_age": True}}},
                "r.json: periods.alert.until_age: True must be a whole number of years",
            ),
            (
                {"periods": {"health-event": {"until_age_if_17_or_over": 20}}},
                "r.json: periods.health-event.until_age_if_17_or_over: 20 is shorter than until_age (25)",
            ),
        ],
    )
    def test_a_bad_value_is_named(self, data, message):
        with pytest.raises(ImproperlyConfigured) as error:
            config_parse(data, name="r.json")
        assert str(error.value).startswith(message)

    def test_the_boundaries_of_a_period_are_accepted(self):
        assert (
            config_parse({"periods": {"alert": {"until_age": 1}}}, name="r").periods["alert"].until_age == 1
        )
        assert (
            config_parse({"periods": {"alert": {"until_age": 125}}}, name="r").periods["alert"].until_age
            == 125
        )


class TestFile:
    def test_read_from_the_environment(self, tmp_path, monkeypatch):
        path = tmp_path / "retention.json"
        path.write_text(json.dumps({"periods": {"alert": {"until_age": 30}}}))
        monkeypatch.setenv("LANTERN_RETENTION_CONFIG", str(path))
        retention_config.cache_clear()
        try:
            assert retention_config().periods["alert"] == Period(until_age=30)
            assert retention_config().source == str(path)
        finally:
            monkeypatch.delenv("LANTERN_RETENTION_CONFIG")
            retention_config.cache_clear()

    def test_an_unreadable_file_is_named(self, tmp_path, monkeypatch):
        path = tmp_path / "retention.json"
        path.write_text("{not json")
        monkeypatch.setenv("LANTERN_RETENTION_CONFIG", str(path))
        retention_config.cache_clear()
        try:
            with pytest.raises(
                ImproperlyConfigured, match=f"{path}: cannot read the retention configuration"
            ):
                retention_config()
        finally:
            monkeypatch.delenv("LANTERN_RETENTION_CONFIG")
            retention_config.cache_clear()

    def test_lantern_does_not_start_with_a_bad_file(self, tmp_path):
        import os
        import subprocess
        import sys

        path = tmp_path / "retention.json"
        path.write_text(json.dumps({"periods": {"alert": {"until_age": -1}}}))
        env = {
            **os.environ,
            "LANTERN_RETENTION_CONFIG": str(path),
            "DJANGO_SETTINGS_MODULE": "lantern.config.settings",
        }
        result = subprocess.run(
            [sys.executable, "-m", "lantern.cli", "check"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode != 0
        assert f"{path}: periods.alert.until_age: -1 must be a whole number of years" in result.stderr


class TestDates:
    @pytest.mark.parametrize(
        ("start", "months", "due"),
        [
            ("2026-09-03", 1, "2026-10-03"),  # the ICO's example
            ("2026-01-31", 1, "2026-02-28"),  # no 31 February: the last day of the month
            ("2028-01-31", 1, "2028-02-29"),
            ("2026-12-15", 1, "2027-01-15"),
            ("2026-11-30", 3, "2027-02-28"),
            ("2026-08-31", 3, "2026-11-30"),
        ],
    )
    def test_calendar_months(self, start, months, due):
        import datetime as dt

        assert calendar_months_after(dt.date.fromisoformat(start), months) == dt.date.fromisoformat(due)

    def test_birthdays(self):
        import datetime as dt

        assert birthday(dt.date(2000, 6, 15), 25) == dt.date(2025, 6, 15)
        assert birthday(dt.date(2000, 2, 29), 25) == dt.date(2025, 3, 1)
        assert birthday(dt.date(2000, 2, 29), 28) == dt.date(2028, 2, 29)
