"""ADR 17: the access log is written in the transaction of the read it records, and never changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from lantern.core.audit import AuditOutsideTransaction, access_log_record
from lantern.core.models import AccessLogEntry, EmergencyAccess
from lantern.core.selectors import child_viewers, day_bounds
from lantern.web.testing import BrowserClient

pytestmark = pytest.mark.django_db


@contextmanager
def access_log_writes_fail() -> Iterator[None]:
    """Every INSERT into the access log fails in the database driver, as a full disk or a lost lock would."""

    def refuse(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.lstrip().upper().startswith("INSERT") and "core_accesslogentry" in sql:
            raise DatabaseError("disk I/O error (the test's)")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


def _pages(area: Any) -> dict[str, tuple[str, str]]:
    """Each page, and a text it shows only when the record is open."""
    ref = area.child.ref
    return {
        "overview": (reverse("child-overview", args=[ref]), area.child.family_name),
        "chronology": (reverse("chronology", args=[ref]), area.child.family_name),
        "record observation": (reverse("record-observation", args=[ref]), area.child.family_name),
        "api chronology": (f"/api/v1/children/{ref}/chronology", '"events"'),
    }


class TestTheLogIsWrittenWithTheRead:
    @pytest.mark.parametrize("page", ["overview", "chronology", "record observation", "api chronology"])
    def test_when_the_log_cannot_be_written_the_record_is_not_shown(self, area, page):
        client = BrowserClient(raise_request_exception=False)
        client.force_login(area.involved)
        url, shown = _pages(area)[page]
        assert shown in client.get(url).content.decode()  # shown when the log works
        before = AccessLogEntry.objects.count()
        with access_log_writes_fail():
            response = client.get(url)
        assert response.status_code == 500
        assert shown not in response.content.decode()
        assert AccessLogEntry.objects.count() == before

    def test_a_csv_export_is_not_produced_without_its_log_row(self, area):
        client = BrowserClient(raise_request_exception=False)
        client.force_login(area.involved)
        with access_log_writes_fail():
            response = client.get(reverse("chronology-csv", args=[area.child.ref]))
        assert response.status_code == 500
        assert not response.streaming

    def test_a_log_row_outside_a_transaction_is_refused(self, area, rf):
        request = rf.get("/")
        request.user = area.involved
        # The test's own transaction is the outer block: leave it to see what a view without one does.
        with pytest.raises(AuditOutsideTransaction), _outside_the_tests_transaction():
            access_log_record(request=request, page="child-overview", child=area.child)
        with transaction.atomic():
            assert access_log_record(request=request, page="child-overview", child=area.child).pk


@contextmanager
def _outside_the_tests_transaction() -> Iterator[None]:
    saved = connection.in_atomic_block
    connection.in_atomic_block = False
    try:
        yield
    finally:
        connection.in_atomic_block = saved


@pytest.mark.django_db(transaction=True)
class TestEveryPageIsAtomic:
    """Without the test's own transaction around it, each page must open one for its log row."""

    def test_pages_and_the_api_log_inside_their_own_transaction(self, area):
        client = BrowserClient()
        client.force_login(area.involved)
        for name, (url, _) in _pages(area).items():
            assert client.get(url).status_code == 200, name
        assert client.get(reverse("chronology-csv", args=[area.child.ref])).status_code == 200
        assert client.get(reverse("search") + "?q=Morgan").status_code == 200
        client.force_login(area.team_manager)
        assert client.get(reverse("child-access-log", args=[area.child.ref])).status_code == 200

    def test_an_api_refusal_is_logged_though_the_call_fails(self, area):
        client = BrowserClient()
        client.force_login(area.stranger)
        response = client.get(f"/api/v1/children/{area.child.ref}/chronology")
        assert response.status_code == 403
        assert AccessLogEntry.objects.filter(professional=area.stranger, action="refused").count() == 1


def _raw(sql: str, params: list[Any]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


class TestRowsCannotBeChanged:
    """Raw SQL, past the ORM: the database itself refuses (PostgreSQL and SQLite triggers)."""

    @pytest.fixture
    def entry(self, area):
        with transaction.atomic():
            return AccessLogEntry.objects.create(
                professional=area.stranger, child=area.child, action="refused", page="child-overview"
            )

    @pytest.mark.parametrize(
        "sql",
        [
            "UPDATE core_accesslogentry SET action = 'view' WHERE id = %s",
            "UPDATE core_accesslogentry SET professional_id = professional_id WHERE id = %s",
            "UPDATE core_accesslogentry SET at = at WHERE id >= %s",
            "DELETE FROM core_accesslogentry WHERE id = %s",
            "DELETE FROM core_accesslogentry WHERE id >= %s",
        ],
    )
    def test_the_access_log(self, entry, sql):
        with pytest.raises(DatabaseError, match="append-only"):
            _raw(sql, [entry.pk])
        entry.refresh_from_db()
        assert entry.action == "refused"

    def test_the_orm_is_refused_too(self, entry):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AccessLogEntry.objects.filter(pk=entry.pk).update(action="view")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AccessLogEntry.objects.filter(pk=entry.pk).delete()
        assert AccessLogEntry.objects.filter(pk=entry.pk, action="refused").exists()

    def test_new_rows_can_still_be_written(self, entry, area):
        _raw(
            "INSERT INTO core_accesslogentry (at, professional_id, child_id, action, page, path, detail) "
            "VALUES (%s, %s, %s, 'view', 'child-overview', '', '')",
            [timezone.now(), area.involved.pk, area.child.pk],
        )
        assert AccessLogEntry.objects.count() == 2

    @pytest.mark.parametrize(
        "sql", ["UPDATE core_emergencyaccess SET ends_at = %s", "DELETE FROM core_emergencyaccess"]
    )
    def test_emergency_access(self, area, sql):
        now = timezone.now()
        EmergencyAccess.objects.create(
            professional=area.stranger, child=area.child, reason="risk-to-child", explanation="x",
            started_at=now, ends_at=now + dt.timedelta(hours=4),
        )  # fmt: skip
        with pytest.raises(DatabaseError, match="append-only"):
            _raw(sql, [now + dt.timedelta(days=365)] if "%s" in sql else [])
        assert EmergencyAccess.objects.get().ends_at == now + dt.timedelta(hours=4)


@pytest.mark.django_db(transaction=True)
def test_the_test_database_can_still_be_emptied_between_tests(area):
    """Django's flush (TRUNCATE on PostgreSQL, DELETE with the tests' erasable() on SQLite) runs after this
    test; the next transactional test starting with an empty log shows it did."""
    with transaction.atomic():
        AccessLogEntry.objects.create(professional=area.involved, child=area.child, action="view", page="p")
    assert AccessLogEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_and_was_emptied(area):
    assert AccessLogEntry.objects.count() == 0


class TestWhoViewedBetweenDates:
    def test_each_professional_once_with_counts_first_and_last(self, area, time_machine):
        zone = timezone.get_current_timezone()
        for who, day, action in [
            (area.involved, dt.date(2026, 3, 1), "view"),
            (area.involved, dt.date(2026, 3, 5), "export"),
            (area.teammate, dt.date(2026, 3, 31), "view"),
            (area.teammate, dt.date(2026, 4, 1), "view"),  # the day after: outside
            (area.stranger, dt.date(2026, 3, 10), "refused"),  # a refusal did not open the record
            (area.team_manager, dt.date(2026, 2, 28), "view"),  # the day before: outside
        ]:
            time_machine.move_to(dt.datetime.combine(day, dt.time(23, 59), zone))
            AccessLogEntry.objects.create(professional=who, child=area.child, action=action, page="p")
        since, until = day_bounds(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
        viewers = child_viewers(child=area.child, since=since, until=until)
        assert [(v.professional, v.views) for v in viewers] == [(area.teammate, 1), (area.involved, 2)]
        assert viewers[1].first_at.astimezone(zone).date() == dt.date(2026, 3, 1)
        assert viewers[1].last_at.astimezone(zone).date() == dt.date(2026, 3, 5)

    def test_the_page_shows_them_to_a_manager(self, client, area):
        today = timezone.localdate().strftime("%d/%m/%Y")
        client.force_login(area.involved)
        client.get(reverse("child-overview", args=[area.child.ref]))
        client.force_login(area.team_manager)
        url = reverse("child-access-log", args=[area.child.ref])
        page = client.get(url, {"date_from": today, "date_to": today}).content.decode()
        assert "Who opened the record between these dates" in page
        assert area.involved.name in page
        yesterday = (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
        page = client.get(url, {"date_to": yesterday}).content.decode()
        assert "Nobody opened the record between these dates" in page

    def test_dates_the_wrong_way_round_are_a_clear_error(self, client, area):
        client.force_login(area.team_manager)
        url = reverse("child-access-log", args=[area.child.ref])
        response = client.get(url, {"date_from": "2/3/2026", "date_to": "1/3/2026"})
        assert response.status_code == 400
        assert (
            "The &#39;from&#39; date must be on or before the &#39;to&#39; date" in response.content.decode()
        )

    def test_the_query_reads_the_covering_index(self, area):
        since, until = day_bounds(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
        rows = (
            AccessLogEntry.objects.filter(child=area.child, at__gte=since, at__lt=until)
            .order_by()
            .values("professional")
        )
        if connection.vendor == "postgresql":  # a table of one row: make the planner show it could use it
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
        plan = rows.explain()
        assert "accesslog_child_at_who" in plan
