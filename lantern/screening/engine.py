"""Running the rules: for some children (on every write that touches them, in the same transaction) or
for everyone (``lantern screen``), in batches, with a fixed number of queries per batch."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lantern.core.batching import chunks
from lantern.people.models import Person
from lantern.screening.config import parameters_of, screening_config
from lantern.screening.facts import ChildFacts, child_facts
from lantern.screening.models import OPEN_STATUSES, Alert, AlertHistory, AlertStatus
from lantern.screening.rule import Finding, Parameters, Rule
from lantern.screening.rules import RULES

BATCH = 2000
RULE_ORDER = {code: position for position, code in enumerate(RULES)}


@dataclass(frozen=True)
class Screened:
    """A rule that matched a child: the JSON contract's shape (DESIGN.md)."""

    child: str
    rule: str
    severity: str
    summary: str
    evidence: tuple[str, ...]
    recommended_action: str

    def as_json(self) -> dict[str, object]:
        return {
            "child": self.child,
            "rule": self.rule,
            "severity": self.severity,
            "summary": self.summary,
            "evidence": list(self.evidence),
            "recommended_action": self.recommended_action,
        }


@dataclass
class SyncCounts:
    raised: int = 0
    updated: int = 0
    resolved: int = 0
    unchanged: int = 0
    children: int = 0
    rule_seconds: dict[str, float] = field(default_factory=dict)


def findings_for(
    facts: ChildFacts, timings: dict[str, float] | None = None, *, skip: Iterable[str] = ()
) -> list[Screened]:
    """Every rule (but those in ``skip``) on one child's facts; pure."""
    found = []
    parameters = screening_config().every_rule
    for code, rule in RULES.items():
        if code in skip:
            continue
        started = time.perf_counter()
        screened = _screened(rule, facts, parameters[code])
        if timings is not None:
            timings[code] = timings.get(code, 0.0) + time.perf_counter() - started
        if screened is not None:
            found.append(screened)
    return found


def _screened(rule: Rule, facts: ChildFacts, parameters: Parameters) -> Screened | None:
    finding: Finding | None = rule.check(facts, parameters)
    if finding is None:
        return None
    return Screened(
        child=facts.ref,
        rule=rule.code,
        severity=finding.severity or rule.severity,
        summary=finding.summary,
        evidence=finding.evidence,
        recommended_action=rule.recommended_action,
    )


def counted_findings(
    child_ids: Iterable[int] | None, *, as_of: dt.date, timings: dict[str, float] | None = None
) -> dict[str, dict[int, Screened]]:
    """The counting rules (``Rule.counts``, see counting.py) for many children at once (``None``: every
    child of the area), by rule and child.

    For each rule the database finds the children that match (one query over the whole area); then, for
    those children only, the facts the rule reads are loaded and its ``check`` gives the alert, exactly as
    for a single child. The time per rule (``timings``) is all of that: queries, facts and ``check``.
    """
    wanted = None if child_ids is None else set(child_ids)
    found: dict[str, dict[int, Screened]] = {}
    for code, rule in RULES.items():
        if rule.counts is None:
            continue
        started = time.perf_counter()
        p = parameters_of(code)
        matching = [c for c in rule.counts.children(p, as_of) if wanted is None or c in wanted]
        found[code] = {}
        for batch in chunks(matching, BATCH):
            loaded = child_facts(
                batch, as_of=as_of, reads=rule.counts.reads, events=rule.counts.lookups(p, as_of)
            )
            for child_id, facts in loaded.items():
                screened = _screened(rule, facts, p)
                if screened is not None:
                    found[code][child_id] = screened
        if timings is not None:
            timings[code] = timings.get(code, 0.0) + time.perf_counter() - started
    return found


def screen(
    child_ids: Iterable[int] | None,
    *,
    as_of: dt.date,
    progress: Callable[[int], None] | None = None,
    timings: dict[str, float] | None = None,
) -> Iterator[tuple[int, list[Screened]]]:
    """(child id, what matched) for each child (``None``: every child of the area), batch by batch;
    writes nothing.

    More children than one batch: the counting rules run for all of them at once (``counted_findings``),
    which is quicker than their ``check`` on every child's facts and gives the same alerts.
    """
    ids = list(all_children() if child_ids is None else child_ids)
    counted = (
        counted_findings(None if child_ids is None else ids, as_of=as_of, timings=timings)
        if len(ids) > BATCH
        else {}
    )
    for batch in chunks(ids, BATCH):
        facts = child_facts(batch, as_of=as_of)
        for child_id in batch:
            if child_id in facts:
                found = findings_for(facts[child_id], timings, skip=counted)
                if counted:
                    found += [by_child[child_id] for by_child in counted.values() if child_id in by_child]
                    found.sort(key=lambda s: RULE_ORDER[s.rule])
                yield child_id, found
        if progress:
            progress(len(batch))


def all_children() -> Iterator[int]:
    yield from (
        Person.objects.children().order_by("pk").values_list("pk", flat=True).iterator(chunk_size=BATCH)
    )


def alerts_sync(
    child_ids: Iterable[int],
    *,
    as_of: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
    collect: list[Screened] | None = None,
) -> SyncCounts:
    """Screen the children and bring their alerts up to date (see models.py for the lifecycle)."""
    as_of = as_of or timezone.localdate()
    counts = SyncCounts()
    for batch in chunks(child_ids, BATCH):
        with transaction.atomic():
            results = dict(screen(batch, as_of=as_of, timings=counts.rule_seconds))
            _sync_batch(batch, results, counts)
        if collect is not None:
            collect.extend(s for found in results.values() for s in found)
        counts.children += len(batch)
        if progress:
            progress(len(batch))
    return counts


def _sync_batch(batch: list[int], results: dict[int, list[Screened]], counts: SyncCounts) -> None:
    now = timezone.now()
    # Locked until the batch commits (PostgreSQL; SQLite serialises writers anyway): a professional's
    # response to one of these alerts waits, then finds its version moved on (a conflict, ADR 14), rather
    # than being overwritten by the status read here. In id order, so two syncs cannot deadlock.
    found = (
        Alert.objects.filter(child_id__among=batch, status__in=OPEN_STATUSES)
        .select_for_update()
        .order_by("pk")
    )
    open_alerts = {(a.child_id, a.rule): a for a in found}
    history: list[AlertHistory] = []
    new: list[Alert] = []
    changed: list[Alert] = []
    for child_id in batch:
        matched = {s.rule: s for s in results.get(child_id, [])}
        for code, screened in matched.items():
            alert = open_alerts.get((child_id, code))
            evidence = list(screened.evidence)
            if alert is None:
                new.append(
                    Alert(
                        child_id=child_id,
                        rule=code,
                        severity=screened.severity,
                        summary=screened.summary[:500],
                        evidence=evidence,
                        raised_at=now,
                        updated_at=now,
                    )
                )
                continue
            if alert.evidence == evidence and alert.severity == screened.severity:
                counts.unchanged += 1
                continue
            note = "Evidence updated"
            if alert.status == AlertStatus.DISMISSED and set(evidence) - set(alert.dismissed_evidence):
                alert.status = AlertStatus.RAISED
                note = "Raised again: new evidence since it was dismissed"
            alert.evidence, alert.severity, alert.summary, alert.updated_at = (
                evidence,
                screened.severity,
                screened.summary[:500],
                now,
            )
            changed.append(alert)
            history.append(
                AlertHistory(alert=alert, at=now, status=alert.status, note=note, evidence=evidence)
            )
        for (alert_child, code), alert in open_alerts.items():
            if alert_child == child_id and code not in matched:
                alert.status, alert.resolved_at, alert.updated_at = AlertStatus.RESOLVED, now, now
                changed.append(alert)
                history.append(
                    AlertHistory(
                        alert=alert,
                        at=now,
                        status=AlertStatus.RESOLVED,
                        note="Resolved: the rule no longer matches",
                        evidence=alert.evidence,
                    )
                )
                counts.resolved += 1
    Alert.objects.bulk_create(new, batch_size=BATCH)
    history += [
        AlertHistory(alert=a, at=now, status=AlertStatus.RAISED, note="Raised", evidence=a.evidence)
        for a in new
    ]
    for alert in changed:  # a professional's response to the alert as it was is now a conflict (ADR 14)
        alert.version = F("version") + 1
    Alert.objects.bulk_update(
        changed,
        ["status", "evidence", "severity", "summary", "updated_at", "resolved_at", "version"],
        batch_size=BATCH,
    )
    AlertHistory.objects.bulk_create(history, batch_size=BATCH)
    counts.raised += len(new)
