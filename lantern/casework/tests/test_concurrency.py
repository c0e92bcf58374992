"""Optimistic concurrency (ADR 14): two people saving the same plan (or outcome, action, agreement) at
once get one success and one conflict, and neither change is lost, on SQLite (a real database file: WAL,
BEGIN IMMEDIATE, as in production) and on PostgreSQL, without row locks."""

import datetime as dt
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, connections, models
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

from lantern.casework.models import AgreementStatus, Plan, PlanAction, PlanAgreement, PlanOutcome, PlanType
from lantern.casework.services import (
    EditConflict,
    plan_action_add,
    plan_action_update,
    plan_agreement_add,
    plan_agreement_update,
    plan_create,
    plan_outcome_add,
    plan_outcome_update,
    plan_update,
)

ROUNDS = 100


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


@dataclass(frozen=True)
class Editable:
    """One kind of versioned record: how to make one, how to save a value on it from a version, and
    where that value is stored."""

    model: type[models.Model]
    make: Callable[[Any, Plan], models.Model]
    save: Callable[[Any, int, str], None]
    field: str
    values: tuple[str, str]


def _plan_save(plan: Plan, version: int, value: str) -> None:
    plan_update(plan=plan, version=version, recorded_by=plan.lead_professional,
                type=PlanType.CHILD_PROTECTION, category=value, started_on=plan.started_on, ended_on=None,
                lead_professional=plan.lead_professional, lead_agency=None)  # fmt: skip


def _action_save(action: PlanAction, version: int, value: str) -> None:
    plan_action_update(action=action, version=version, description=value,
                       owner=action.owner_professional, due_on=action.due_on, done_on=None)  # fmt: skip


def _agreement_save(agreement: PlanAgreement, version: int, value: str) -> None:
    plan_agreement_update(agreement=agreement, version=version, description=agreement.description,
                          due_on=agreement.due_on, status=value)  # fmt: skip


EDITABLE = {
    "plan": Editable(Plan, lambda area, plan: plan, _plan_save, "category", ("emotional", "physical")),
    "outcome": Editable(
        PlanOutcome,
        lambda area, plan: plan_outcome_add(
            plan=plan, description="Mia has breakfast", measure="5 days a week"
        ),
        lambda outcome, version, value: plan_outcome_update(
            outcome=outcome, version=version, description=value, measure=outcome.measure
        ),
        "description",
        ("Mia has breakfast every school day", "Mia has breakfast at home"),
    ),
    "action": Editable(
        PlanAction,
        lambda area, plan: plan_action_add(
            plan=plan, description="Dentist", owner=area.involved, due_on=dt.date(2026, 2, 1), done_on=None
        ),
        _action_save,
        "description",
        ("Book the dentist", "Take Mia to the dentist"),
    ),
    "agreement": Editable(
        PlanAgreement,
        lambda area, plan: plan_agreement_add(
            plan=plan,
            description="Mia is at school on time",
            due_on=dt.date(2026, 3, 1),
            status=AgreementStatus.PENDING,
        ),
        _agreement_save,
        "status",
        (AgreementStatus.MET, AgreementStatus.NOT_MET),
    ),
}


def _edit_at_once(
    editable: Editable, pk: int, version: int, use_database: Callable[[], None]
) -> dict[str, str]:
    """Two threads save the record from the same version at the same moment; what each got."""
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def edit(value: str) -> None:
        use_database()
        try:
            record = editable.model._default_manager.get(pk=pk)
            barrier.wait()
            editable.save(record, version, value)
            results[value] = "saved"
        except EditConflict:
            results[value] = "conflict"
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=edit, args=(value,)) for value in editable.values]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.parametrize("kind", EDITABLE)
def test_two_simultaneous_edits_give_one_success_one_conflict_and_no_lost_update(
    area, database_for_threads, kind
):
    """ROUNDS rounds for each kind of versioned record of a plan: every round exactly one conflict, and
    the stored record is the winner's, one version on (docs/security.md has the timings)."""
    editable = EDITABLE[kind]
    plan = plan_create(
        children=[area.child],
        recorded_by=area.involved,
        type=PlanType.CHILD_PROTECTION,
        category="neglect",
        started_on=dt.date(2026, 1, 5),
        lead_professional=area.involved,
        lead_agency=area.social_care,
    )
    record = editable.make(area, plan)
    use_database = database_for_threads()
    use_database()
    manager = editable.model._default_manager
    started = time.perf_counter()
    for round_ in range(ROUNDS):
        version = manager.get(pk=record.pk).version
        results = _edit_at_once(editable, record.pk, version, use_database)
        assert sorted(results.values()) == ["conflict", "saved"], f"round {round_}: {results}"
        saved = next(value for value, result in results.items() if result == "saved")
        stored = manager.get(pk=record.pk)
        # The winner's change is there, exactly once; the loser changed nothing.
        assert (getattr(stored, editable.field), stored.version) == (saved, version + 1), f"round {round_}"
    assert manager.get(pk=record.pk).version == 1 + ROUNDS  # no update lost, none applied twice
    print(f"{kind}: {ROUNDS} rounds on {connection.vendor} in {time.perf_counter() - started:.1f} s")


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
