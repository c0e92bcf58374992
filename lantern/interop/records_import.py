"""Writing a bundle's chronology, assessments, plans and meetings (called inside the bundle's transaction).

Events are immutable: an event whose content changed in a later bundle is written as a new row that
supersedes the old one, which stays, no longer current. Assessments, plans and meetings also put an
entry on each child's chronology, so that the chronology shows everything in time order.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from lantern.agencies.models import Professional
from lantern.assessments.models import (
    Assessment,
    AssessmentScore,
    AssessmentStatus,
    AssessmentTarget,
    ItemGrade,
)
from lantern.casework.models import (
    Meeting,
    MeetingKind,
    Plan,
    PlanAction,
    PlanAgreement,
    PlanOutcome,
    PlanReview,
    PlanType,
)
from lantern.chronology.models import Event, EventTag, EventType, Significance
from lantern.core.batching import chunks, objects_in_batches
from lantern.interop.rows import RowWriter, existing

if TYPE_CHECKING:
    from lantern.interop.case_bundle import _Writer

BATCH = 2000
SECTION_CHUNK = 10_000  # items of a section written at a time: memory holds a chunk, not the section
EVENT_FIELDS = (
    "child_id", "agency_id", "type", "occurred_on", "occurred_time", "significance", "text", "outcome",
    "service", "setting", "reason", "location", "announced", "worker_id", "supervisor_id", "to_agency_id",
    "recorded_by_id", "assessment_id", "plan_id", "review_id", "meeting_id",
)  # fmt: skip
_TEXT_FIELDS = {"text", "outcome", "service", "setting", "reason", "location", "significance"}
EVENT_DEFAULTS: dict[str, Any] = {f: ("" if f in _TEXT_FIELDS else None) for f in EVENT_FIELDS}
EventRow = tuple[dict[str, Any], tuple[str, ...]]  # the event's fields, and its tags
_EVENT_COLUMNS = ["source", "source_id", "recorded_at", "supersedes_id", *EVENT_FIELDS]
_EVENT_VALUES = operator.itemgetter(*EVENT_FIELDS)


def write_in_chunks(
    bundle: dict[str, Any], writers: list[tuple[str, Callable[[list[dict[str, Any]]], None]]]
) -> None:
    """Each (section, write) in turn, ``SECTION_CHUNK`` items of the section a call."""
    for section, write in writers:
        for chunk in chunks(bundle.get(section, []), SECTION_CHUNK):
            write(chunk)


def occurred_parse(value: str) -> tuple[dt.date, dt.time | None]:
    """A bundle's ``at``: a date, or a date and time (local, or converted to local from an offset)."""
    if len(value) == 10:
        return dt.date.fromisoformat(value), None
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.date(), moment.time().replace(tzinfo=None)


class RecordWriter:
    def __init__(self, writer: _Writer) -> None:
        self.w = writer
        self.source = writer.source
        self.derived: dict[str, EventRow] = {}
        self.agency_of: dict[int, int | None] = {}
        self.children: set[int] = set()  # children whose chronology this import wrote to
        self.assessment_ids: dict[str, int] = {}

    def write(self, bundle: dict[str, Any]) -> None:
        """Assessments, plans and meetings, a chunk at a time; the events come after, in batches
        (``events``). Assessments' targets come after the plans they name."""
        write_in_chunks(
            bundle,
            [
                ("assessments", self._assessments),
                ("plans", self._plans),
                ("assessments", self._assessment_targets),
                ("meetings", self._meetings),
            ],
        )

    def entries_sync(self) -> None:
        """The chronology entries of the assessments, plans and meetings written."""
        self.events_sync("chronology_entries", self.derived, {})

    # -- events ----------------------------------------------------------------------------------

    def events(self, items: list[dict[str, Any]]) -> None:
        w = self.w
        w.lookup_people(e["child"] for e in items)
        w.lookup_agencies(a for e in items for a in (e["agency"], e.get("to_agency")) if a)
        w.lookup_professionals(
            p for e in items for p in (e.get("recorded_by"), e.get("worker"), e.get("supervisor")) if p
        )
        rows: dict[str, EventRow] = {}
        recorded_at: dict[str, dt.datetime] = {}
        for e in items:
            occurred_on, occurred_time = occurred_parse(e["at"])
            fields = EVENT_DEFAULTS | {
                "child_id": w.people[e["child"]],
                "agency_id": w.agencies[e["agency"]],
                "type": e["type"],
                "occurred_on": occurred_on,
                "occurred_time": occurred_time,
                "significance": e.get("significance", Significance.ROUTINE),
                "text": e.get("text", ""),
                "outcome": e.get("outcome", ""),
                "service": e.get("service", ""),
                "setting": e.get("setting", ""),
                "reason": e.get("reason", ""),
                "location": e.get("location", ""),
                "announced": e.get("announced"),
                "worker_id": w.professionals[e["worker"]] if "worker" in e else None,
                "supervisor_id": w.professionals[e["supervisor"]] if "supervisor" in e else None,
                "to_agency_id": w.agencies[e["to_agency"]] if "to_agency" in e else None,
                "recorded_by_id": w.professionals[e["recorded_by"]] if "recorded_by" in e else None,
            }
            rows[e["id"]] = (fields, tuple(sorted(e.get("tags", []))))
            if "recorded_at" in e:
                on, at = occurred_parse(e["recorded_at"])
                recorded_at[e["id"]] = timezone.make_aware(dt.datetime.combine(on, at or dt.time()))
        self.events_sync("events", rows, recorded_at)

    def events_sync(
        self, section: str, rows: dict[str, EventRow], recorded_at: dict[str, dt.datetime]
    ) -> None:
        """Create new events; supersede those whose content changed; leave the same ones alone.

        Only events already in Lantern are loaded as objects (to compare); new ones are plain INSERTs."""
        if not rows:
            return
        current_ids = [
            pk
            for _, pk in existing(Event, "source_id", rows, where={"source": self.source, "is_current": True})
        ]
        found = objects_in_batches(Event.objects.prefetch_related("tags"), "pk", current_ids)
        current = {event.source_id: event for event in found}
        now = timezone.now()
        new: list[tuple[Any, ...]] = []
        tags_of: dict[str, tuple[str, ...]] = {}
        superseded: list[int] = []
        for ref, (fields, tags) in rows.items():
            self.children.add(fields["child_id"])
            old = current.get(ref)
            if old is not None:
                same = all(getattr(old, f) == v for f, v in fields.items())
                same = same and tuple(sorted(t.tag for t in old.tags.all())) == tags
                if same and (ref not in recorded_at or old.recorded_at == recorded_at[ref]):
                    self.w.result.unchanged[section] += 1
                    continue
                superseded.append(old.pk)
            new.append(
                (self.source, ref, recorded_at.get(ref, now), old.pk if old else None, *_EVENT_VALUES(fields))
            )
            if tags:
                tags_of[ref] = tags
        # The old row stops being current before its correction is written (one current row per id).
        for start in range(0, len(superseded), BATCH):
            Event.objects.filter(pk__in=superseded[start : start + BATCH]).update(is_current=False)
        writer = RowWriter(Event, _EVENT_COLUMNS, returning=("source_id", "id"))
        tag_writer = RowWriter(EventTag, ["event_id", "tag"])
        for start in range(0, len(new), BATCH):
            chunk = new[start : start + BATCH]
            ids = writer.insert(chunk)
            tag_writer.insert((pk, tag) for ref, pk in ids if ref in tags_of for tag in tags_of[ref])
            self.w.progress(section, len(chunk))
        self.w.result.created[section] += len(new) - len(superseded)
        self.w.result.updated[section] += len(superseded)

    def _derive(self, ref: str, child_id: int, **fields: Any) -> None:
        self.derived[ref] = (EVENT_DEFAULTS | {"child_id": child_id, **fields}, ())

    # -- assessments -----------------------------------------------------------------------------

    def _assessments(self, items: list[dict[str, Any]]) -> None:
        if not items:
            return
        w = self.w
        w.lookup_people(a["child"] for a in items)
        w.lookup_agencies(a["agency"] for a in items)
        w.lookup_people(a["rated_for"] for a in items if "rated_for" in a)
        w.lookup_professionals(
            p for a in items for p in (a.get("assessor"), a.get("countersigned_by")) if p is not None
        )
        rows = {
            a["id"]: {
                "source": self.source,
                "child_id": w.people[a["child"]],
                "agency_id": w.agencies[a["agency"]],
                "template": a["template"],
                "template_version": a.get("template_version", 1),
                "status": a.get("status", AssessmentStatus.COMPLETED),
                "completed_on": dt.date.fromisoformat(a["completed_on"]),
                "assessor_id": w.professionals[a["assessor"]] if "assessor" in a else None,
                "assessor_licensed": a.get("assessor_licensed"),
                "occasion": a.get("occasion", ""),
                "rated_for_id": w.people[a["rated_for"]] if "rated_for" in a else None,
                "level_of_concern": a.get("level_of_concern", ""),
                "actions": a.get("actions", ""),
                "countersigned_by_id": w.professionals[a["countersigned_by"]]
                if "countersigned_by" in a
                else None,
                "countersigned_on": dt.date.fromisoformat(a["countersigned_on"])
                if "countersigned_on" in a
                else None,
            }
            for a in items
        }
        ids = w.upsert("assessments", Assessment, rows)
        self.assessment_ids.update(ids)
        wanted = {(ids[a["id"]], area): score for a in items for area, score in a["scores"].items()}
        w.sync_keyed("assessment_scores", AssessmentScore, ("assessment_id", "area"), "score", wanted)
        graded = {
            (ids[a["id"]], item): (given["grade"], given.get("evidence", ""))
            for a in items
            for item, given in a.get("items", {}).items()
        }
        w.sync_keyed_many(
            "assessment_items", ItemGrade, ("assessment_id", "item"), ("grade", "evidence"), graded
        )
        for a in items:
            row = rows[a["id"]]
            overall = sum(a["scores"].values()) / len(a["scores"])
            self._derive(
                f"assessments/{a['id']}",
                row["child_id"],
                agency_id=row["agency_id"],
                type=EventType.ASSESSMENT,
                occurred_on=row["completed_on"],
                significance=Significance.SIGNIFICANT,
                text=f"{a['template'].replace('-', ' ').capitalize()} assessment: overall {overall:.2f}",
                assessment_id=ids[a["id"]],
                recorded_by_id=row["assessor_id"],
            )

    def _assessment_targets(self, items: list[dict[str, Any]]) -> None:
        """After the plans, which the targets name."""
        named = {t["plan"] for a in items for t in a.get("targets", []) if "plan" in t}
        if not named:
            plans: dict[str, int] = {}
        else:
            plans = dict(
                Plan.objects.filter(source=self.source, source_id__in=named).values_list("source_id", "pk")
            )
        wanted = {
            (self.assessment_ids[a["id"]], t["area"]): (
                t["target"],
                dt.date.fromisoformat(t["due_on"]),
                plans[t["plan"]] if "plan" in t else None,
            )
            for a in items
            for t in a.get("targets", [])
        }
        self.w.sync_keyed_many(
            "assessment_targets",
            AssessmentTarget,
            ("assessment_id", "area"),
            ("target", "due_on", "plan_id"),
            wanted,
        )

    # -- plans -----------------------------------------------------------------------------------

    def _plans(self, items: list[dict[str, Any]]) -> None:
        if not items:
            return
        w = self.w
        children_of = {p["id"]: p.get("children") or [p["child"]] for p in items}
        w.lookup_people(c for children in children_of.values() for c in children)
        w.lookup_people(a["owner"] for p in items for a in p.get("actions", []))
        w.lookup_professionals(
            [p["lead_professional"] for p in items if p.get("lead_professional")]
            + [a["owner"] for p in items for a in p.get("actions", [])],
        )
        rows = {
            p["id"]: {
                "source": self.source,
                "type": p["type"],
                "category": p.get("category") or "",
                "started_on": dt.date.fromisoformat(p["started_on"]),
                "ended_on": dt.date.fromisoformat(p["ended_on"]) if p.get("ended_on") else None,
                "lead_professional_id": w.professionals[p["lead_professional"]]
                if p.get("lead_professional")
                else None,
            }
            for p in items
        }
        ids = w.upsert("plans", Plan, rows)
        through = Plan.children.through
        w.sync_keyed(
            "plan_children",
            through,
            ("plan_id", "person_id"),
            None,
            {(ids[p], w.people[c]): None for p, children in children_of.items() for c in children},
        )
        outcomes, actions, agreements, reviews = {}, {}, {}, {}
        for p in items:
            plan_id = ids[p["id"]]
            for o in p.get("outcomes", []):
                outcomes[(plan_id, o["description"])] = o.get("measure", "")
            for a in p.get("actions", []):
                owner = a["owner"]
                due = dt.date.fromisoformat(a["due_on"])
                actions[(plan_id, a["description"], due)] = (
                    w.people.get(owner),
                    None if owner in w.people else w.professionals[owner],
                    dt.date.fromisoformat(a["done_on"]) if a.get("done_on") else None,
                )
            for g in p.get("agreements", []):
                agreements[(plan_id, g["description"], dt.date.fromisoformat(g["due_on"]))] = g["status"]
            for r in p.get("reviews", []):
                reviews[(plan_id, dt.date.fromisoformat(r["held_on"]))] = (
                    r["progress"],
                    r.get("needs_met"),
                    r.get("text", ""),
                )
        w.sync_keyed("plan_outcomes", PlanOutcome, ("plan_id", "description"), "measure", outcomes)
        w.sync_keyed_many(
            "plan_actions", PlanAction, ("plan_id", "description", "due_on"),
            ("owner_id", "owner_professional_id", "done_on"), actions,
        )  # fmt: skip
        w.sync_keyed(
            "plan_agreements", PlanAgreement, ("plan_id", "description", "due_on"), "status", agreements
        )
        w.sync_keyed_many(
            "plan_reviews", PlanReview, ("plan_id", "held_on"), ("progress", "needs_met", "text"), reviews
        )
        leads = [r["lead_professional_id"] for r in rows.values() if r["lead_professional_id"]]
        self.agency_of.update(Professional.objects.filter(pk__in=leads).values_list("pk", "agency_id"))
        review_ids = {
            (plan, held): pk
            for pk, plan, held in PlanReview.objects.filter(plan_id__in=ids.values()).values_list(
                "pk", "plan_id", "held_on"
            )
        }
        for p in items:
            self._plan_entries(p, ids[p["id"]], [w.people[c] for c in children_of[p["id"]]], review_ids)

    def _plan_entries(
        self, p: dict[str, Any], plan_id: int, children: list[int], review_ids: dict[tuple[int, dt.date], int]
    ) -> None:
        name = str(PlanType(p["type"]).label).lower()
        if p.get("category"):
            name += f" ({p['category']})"
        key = Significance.KEY if p["type"] == PlanType.CHILD_PROTECTION else Significance.SIGNIFICANT
        lead = self.w.professionals.get(p.get("lead_professional") or "")
        agency = self.agency_of.get(lead) if lead else None
        for child_ref, child_id in zip(p.get("children") or [p["child"]], children, strict=True):
            base = f"plans/{p['id']}"
            self._derive(
                f"{base}/started/{child_ref}", child_id, type=EventType.PLAN_STARTED, plan_id=plan_id,
                occurred_on=dt.date.fromisoformat(p["started_on"]), significance=key,
                text=f"{name.capitalize()} plan started", worker_id=lead, agency_id=agency,
            )  # fmt: skip
            if p.get("ended_on"):
                self._derive(
                    f"{base}/ended/{child_ref}", child_id, type=EventType.PLAN_ENDED, plan_id=plan_id,
                    occurred_on=dt.date.fromisoformat(p["ended_on"]), significance=key,
                    text=f"{name.capitalize()} plan ended", agency_id=agency,
                )  # fmt: skip
            for r in p.get("reviews", []):
                held = dt.date.fromisoformat(r["held_on"])
                self._derive(
                    f"{base}/reviews/{r['held_on']}/{child_ref}", child_id, type=EventType.PLAN_REVIEW,
                    plan_id=plan_id, review_id=review_ids[(plan_id, held)], occurred_on=held,
                    significance=Significance.SIGNIFICANT, agency_id=agency,
                    text=f"Review of the {name} plan: {r['progress'].replace('-', ' ')}",
                )  # fmt: skip

    # -- meetings --------------------------------------------------------------------------------

    def _meetings(self, items: list[dict[str, Any]]) -> None:
        if not items:
            return
        w = self.w
        w.lookup_people(m["child"] for m in items)
        w.lookup_agencies(
            a for m in items for a in m.get("invited_agencies", []) + m.get("attended_agencies", [])
        )
        rows = {
            m["id"]: {
                "source": self.source,
                "child_id": w.people[m["child"]],
                "kind": m["kind"],
                "held_on": dt.date.fromisoformat(m["held_on"]),
                "decisions": m.get("decisions", ""),
            }
            for m in items
        }
        ids = w.upsert("meetings", Meeting, rows)
        for field in ("invited_agencies", "attended_agencies"):
            through = getattr(Meeting, field).through
            w.sync_keyed(
                f"meeting_{field}",
                through,
                ("meeting_id", "agency_id"),
                None,
                {(ids[m["id"]], w.agencies[a]): None for m in items for a in m.get(field, [])},
            )
        conferences = {MeetingKind.INITIAL_CONFERENCE, MeetingKind.REVIEW_CONFERENCE}
        for m in items:
            self._derive(
                f"meetings/{m['id']}", rows[m["id"]]["child_id"], type=EventType.MEETING,
                meeting_id=ids[m["id"]],
                occurred_on=rows[m["id"]]["held_on"],
                significance=Significance.KEY if m["kind"] in conferences else Significance.SIGNIFICANT,
                text=str(MeetingKind(m["kind"]).label),
            )  # fmt: skip
