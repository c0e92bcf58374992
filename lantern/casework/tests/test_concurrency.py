"""Optimistic concurrency (ADR 14): two people saving the same plan at once get one success and one
conflict, and neither change is lost, on SQLite (a real database file: WAL, BEGIN IMMEDIATE, as in
production) and on PostgreSQL, without row locks."""

import datetime as dt
import sqlite3
import threading

import pytest
from django.db import connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

from lantern.casework.models import Plan, PlanType
from lantern.casework.services import EditConflict, plan_create, plan_update

ROUNDS = 25


@pytest.fixture
def database_for_threads(transactional_db, tmp_path):
    """``share()``, once the test's data is written, gives how each thread (and then the test) reaches the
    database: its own connection to the test database.

    SQLite's test database is in memory, shared between threads through SQLite's shared cache, where a
    writer waiting for another fails at once instead of waiting: so on SQLite the data is copied to a file
    that each thread opens with Lantern's own settings, as two requests would in production.
    """
    original = connections["default"]
    if connection.vendor != "sqlite":
        yield lambda: lambda: None
        return
    path = tmp_path / "lantern.sqlite3"
    settings = {**connection.settings_dict, "NAME": str(path)}

    def share():
        target = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        return lambda: connections.__setitem__("default", SQLiteWrapper(settings, "default"))

    yield share
    connections["default"].close()
    connections["default"] = original


def _edit_at_once(plan_id, version, lead_agency_names, use_database):
    """Two threads save the plan from the same version at the same moment; what each got."""
    barrier = threading.Barrier(2)
    results = {}

    def edit(category):
        use_database()
        try:
            plan = Plan.objects.get(pk=plan_id)
            barrier.wait()
            plan_update(
                plan=plan,
                version=version,
                recorded_by=plan.lead_professional,
                type=PlanType.CHILD_PROTECTION,
                category=category,
                started_on=plan.started_on,
                ended_on=None,
                lead_professional=plan.lead_professional,
                lead_agency=None,
            )
            results[category] = "saved"
        except EditConflict:
            results[category] = "conflict"
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=edit, args=(c,)) for c in lead_agency_names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_simultaneous_edits_give_one_success_one_conflict_and_no_lost_update(area, database_for_threads):
    plan = plan_create(
        children=[area.child],
        recorded_by=area.involved,
        type=PlanType.CHILD_PROTECTION,
        category="neglect",
        started_on=dt.date(2026, 1, 5),
        lead_professional=area.involved,
        lead_agency=area.social_care,
    )
    use_database = database_for_threads()
    use_database()
    for round_ in range(ROUNDS):
        version = Plan.objects.get(pk=plan.pk).version
        results = _edit_at_once(plan.pk, version, ["emotional", "physical"], use_database)
        assert sorted(results.values()) == ["conflict", "saved"], f"round {round_}: {results}"
        saved = next(c for c, r in results.items() if r == "saved")
        stored = Plan.objects.get(pk=plan.pk)
        # The winner's change is there, exactly once; the loser changed nothing.
        assert (stored.category, stored.version) == (saved, version + 1), f"round {round_}"


def test_a_stale_version_is_refused_and_changes_nothing(area):
    plan = plan_create(
        children=[area.child],
        recorded_by=area.involved,
        type=PlanType.EARLY_HELP,
        category="",
        started_on=dt.date(2026, 1, 5),
        lead_professional=None,
        lead_agency=None,
    )
    common = {
        "recorded_by": area.involved,
        "type": PlanType.EARLY_HELP,
        "category": "",
        "started_on": dt.date(2026, 1, 5),
        "ended_on": None,
        "lead_agency": None,
    }
    plan_update(plan=Plan.objects.get(pk=plan.pk), version=1, lead_professional=area.involved, **common)
    with pytest.raises(EditConflict):
        plan_update(plan=Plan.objects.get(pk=plan.pk), version=1, lead_professional=area.teammate, **common)
    stored = Plan.objects.get(pk=plan.pk)
    assert (stored.lead_professional, stored.version) == (area.involved, 2)


def test_a_reimport_that_changes_a_plan_moves_its_version_on(area):
    """An editor who opened the plan before an import changed it gets a conflict, not the import lost."""
    from lantern.casework.models import PlanAgreement
    from lantern.interop.demo import demo_area_load

    demo_area_load()
    plan = Plan.objects.filter(agreements__isnull=False).first()
    agreement = plan.agreements.first()
    versions = (plan.version, agreement.version)
    Plan.objects.filter(pk=plan.pk).update(lead_professional=None)
    PlanAgreement.objects.filter(pk=agreement.pk).update(
        status="met" if agreement.status != "met" else "not-met"
    )
    demo_area_load()
    plan.refresh_from_db()
    agreement.refresh_from_db()
    assert (plan.version, agreement.version) == (versions[0] + 1, versions[1] + 1)
