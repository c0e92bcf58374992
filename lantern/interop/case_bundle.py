"""Importing a case bundle (DESIGN.md, "The case bundle, v1"): validate everything, then write
everything in one transaction. Ids are ``<source>:<id>``, so importing the same bundle again finds
every record already there and changes nothing. Records are never deleted by an import.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F

from lantern.agencies.models import Agency, Involvement, Professional, Team
from lantern.casework.models import Plan
from lantern.core.batching import objects_in_batches, values_in_batches
from lantern.interop.bundle_schema import (
    Bundle,
    BundleInvalid,
    Problem,
    json_path,
    schema_problems,
    semantic_problems,
)
from lantern.interop.bundle_stream import BundleSource, EventReferences
from lantern.interop.check_apart import Checker, check_apart_possible
from lantern.interop.records_import import RecordWriter, write_in_chunks
from lantern.interop.rows import RowWriter, existing
from lantern.people.identifiers import name_index, nhs_number_normalise, postcode_normalise
from lantern.people.models import Address, Household, HouseholdMember, Person, Relationship, RiskFactor
from lantern.screening.engine import alerts_sync

BATCH = 2000
IMPORT_CACHE_KIB = 128 * 1024

M = TypeVar("M", bound=models.Model)
Progress = Callable[[str, int], None]


@dataclass
class ImportResult:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    checked_apart: bool = False  # checked in a second process while it was written (ADR 21)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def lines(self) -> list[str]:
        sections = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return [
            f"{s}: {self.created[s]} created, {self.updated[s]} updated, {self.unchanged[s]} unchanged"
            for s in sections
        ]


def _referenced(bundle: Bundle) -> dict[str, set[str]]:
    """Every id the bundle refers to, by what it must be."""
    refs: dict[str, set[str]] = {"people": set(), "agencies": set(), "professionals": set(), "plans": set()}

    def add(section: str, *values: Any) -> None:
        refs[section].update(v for v in values if isinstance(v, str))

    for professional in bundle.get("professionals", []):
        add("agencies", professional["agency"])
    for person in bundle.get("people", []):
        add("agencies", *(r.get("agency") for r in person.get("risk_factors", [])))
    for relationship in bundle.get("relationships", []):
        add("people", relationship["from"], relationship["to"])
    for household in bundle.get("households", []):
        add("people", *household["members"])
    for involvement in bundle.get("involvements", []):
        add("people", involvement["child"])
        add("agencies", involvement["agency"])
        add("professionals", involvement.get("professional"))
    for assessment in bundle.get("assessments", []):
        add("people", assessment["child"])
        add("agencies", assessment["agency"])
        add("professionals", assessment.get("assessor"), assessment.get("countersigned_by"))
        add("people", assessment.get("rated_for"))
        add("plans", *(t.get("plan") for t in assessment.get("targets", [])))
    for plan in bundle.get("plans", []):
        add("people", plan.get("child"), *plan.get("children", []))
        add("professionals", plan.get("lead_professional"))
        owners = [a["owner"] for a in plan.get("actions", [])]
        add("people", *owners)
        add("professionals", *owners)
    for meeting in bundle.get("meetings", []):
        add("people", meeting["child"])
        add("agencies", *meeting.get("invited_agencies", []), *meeting.get("attended_agencies", []))
    return refs


def _known_ids(bundle: Bundle, events: EventReferences) -> dict[str, set[str]]:
    """Ids of this source already in the database that the bundle refers to but does not contain."""
    source = bundle["source"]
    wanted = _referenced(bundle)
    wanted["people"].update(events.children)
    wanted["agencies"].update(events.agencies)
    wanted["professionals"].update(events.professionals)
    for section in wanted:
        wanted[section] -= {item["id"] for item in bundle.get(section, [])}
    people = dict(
        values_in_batches(
            Person.objects.filter(source=source), "source_id", wanted["people"], ("source_id", "kind")
        )
    )
    known = {
        section: {
            ref
            for (ref,) in values_in_batches(
                model._default_manager.filter(source=source), "source_id", refs, ("source_id",)
            )
        }
        for section, model, refs in [
            ("agencies", Agency, wanted["agencies"]),
            ("professionals", Professional, wanted["professionals"]),
            ("plans", Plan, wanted["plans"]),
        ]
    }
    return {
        **known,
        "people": set(people),
        "adults": {ref for ref, kind in people.items() if kind == "adult"},
    }


def _nhs_number_conflicts(bundle: Bundle) -> list[Problem]:
    """An NHS number in the bundle that already belongs to someone else in Lantern."""
    numbers: dict[str, tuple[int, str]] = {}
    for index, person in enumerate(bundle.get("people", [])):
        try:
            numbers[nhs_number_normalise(person.get("nhs_number") or "")] = (index, person["id"])
        except ValidationError:
            continue  # no number, or already reported as invalid
    problems = []
    found = values_in_batches(
        Person.objects.all(), "nhs_number", numbers, ("nhs_number", "source", "source_id")
    )
    for number, source, source_id in found:
        index, ref = numbers[number]
        if (source, source_id) != (bundle["source"], ref):
            problems.append(
                Problem(
                    json_path(["people", index, "nhs_number"]),
                    f"NHS number {number} already belongs to {source}:{source_id}",
                )
            )
    return sorted(problems, key=lambda p: p.path)


def _read(source: BundleSource, progress: Progress) -> Bundle:
    """First pass: everything but the events kept, every event checked; then what needs the whole
    bundle or the database (references, NHS numbers already used). Raise BundleInvalid, or return the
    kept sections."""
    try:
        item_problems, problems = source.read(progress)
    except FileNotFoundError:
        raise BundleInvalid([Problem("$", "file not found")], name=source.name) from None
    except ValueError as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise BundleInvalid([Problem("$", f"not valid JSON: {message}")], name=source.name) from None
    except UnicodeDecodeError as error:
        raise BundleInvalid([Problem("$", f"not UTF-8 text: {error.reason}")], name=source.name) from None
    kept = source.kept
    kept_problems = list(schema_problems(kept, items=False)) + item_problems
    problems = kept_problems + problems
    if not kept_problems:  # references can be followed only through sections that are well formed
        problems += semantic_problems(
            kept, known=_known_ids(kept, source.references), events=source.references
        )
        problems += _nhs_number_conflicts(kept)
    if problems:
        raise BundleInvalid(problems, name=source.name)
    return kept


def case_bundle_validate(bundle: Bundle | Path, *, name: str = "bundle") -> None:
    """Raise BundleInvalid naming every problem (up to a limit), or return if the bundle can be imported."""
    with BundleSource(bundle, name=name) as source:
        _read(source, lambda section, n: None)


def case_bundle_import(
    bundle: Bundle | Path,
    *,
    name: str | None = None,
    progress: Progress | None = None,
    screen_after: bool = True,
) -> ImportResult:
    """Validate, then write the whole bundle in one transaction (or nothing, with the reasons).

    A file is read twice and never held whole: once to check it (its sections other than the events kept
    on disk), once to write its events in batches. A large file is checked in a second process while
    this one writes it, and nothing is committed before that check has found no problem (ADR 21). The
    children it touched are screened in the same transaction (``screen_after``).
    """
    progress = progress or (lambda section, n: None)
    source = BundleSource(bundle, name=name or (str(bundle) if isinstance(bundle, Path) else "bundle"))
    with source:
        if check_apart_possible(source.path):
            return _import_checked_apart(source, progress, screen_after=screen_after)
        kept = _read(source, progress)
        writer = _Writer(kept["source"], progress)
        _write(source, kept, writer, screen_after=screen_after)
    return writer.result


def _import_checked_apart(source: BundleSource, progress: Progress, *, screen_after: bool) -> ImportResult:
    """A large file: checked in a second process while this one writes it (ADR 21). Whatever goes wrong
    while writing, the check's problems are what the import fails with, if it found any."""
    assert source.path is not None
    assert source.identity is not None
    checker = Checker(source.path, source.name, identity=source.identity, scratch=source.scratch)
    try:
        try:
            source.read(progress, check=False)
            writer = _Writer(source.kept["source"], progress)
            _write(source, source.kept, writer, screen_after=screen_after, checker=checker)
        except BundleInvalid:
            raise
        except Exception:
            checker.raise_if_invalid(wait=True)
            raise
    finally:
        checker.close()
    writer.result.checked_apart = True
    return writer.result


def _write(
    source: BundleSource,
    kept: Bundle,
    writer: _Writer,
    *,
    screen_after: bool,
    checker: Checker | None = None,
) -> None:
    """Everything in one transaction; with a ``checker``, not committed unless it found no problem."""
    try:
        with transaction.atomic(), _large_cache():
            writer.write(kept)
            for batch in source.event_batches():
                writer.records.events(batch)
                if checker is not None:
                    checker.raise_if_invalid(wait=False)  # an invalid bundle stops the writing early
            source.unchanged()  # what was written is what was checked
            if checker is not None:
                checker.raise_if_invalid(wait=True)
            writer.records.entries_sync()
            if screen_after:
                alerts_sync(writer.children_touched())
            # Fresh statistics, so that both databases plan searches over the new rows well (half a second).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    except IntegrityError as error:
        if checker is not None:
            checker.raise_if_invalid(wait=True)  # an invalid bundle, more likely than a refusal
        raise BundleInvalid(
            [Problem("$", f"the database refused the bundle: {error}")], name=source.name
        ) from None


@contextmanager
def _large_cache() -> Iterator[None]:
    """On SQLite, a 128 MiB page cache while the import writes (the default is 2 MiB): a large bundle
    inserts into every index of the chronology at random places, and pages read once stay in memory."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _is_versioned(model: type[models.Model]) -> bool:
    """Whether people edit the model's rows with optimistic concurrency (a ``version``, ADR 14)."""
    return any(f.name == "version" for f in model._meta.concrete_fields)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class _Writer:
    def __init__(self, source: str, progress: Progress) -> None:
        self.source = source
        self.progress = progress
        self.result = ImportResult()
        self.agencies: dict[str, int] = {}
        self.professionals: dict[str, int] = {}
        self.people: dict[str, int] = {}
        self.teams: dict[tuple[int, str], int] = {}
        self.records = RecordWriter(self)
        self.memberships: Counter[str] = Counter()  # households each person is a member of

    def children_touched(self) -> list[int]:
        """Every child the bundle named or wrote events for: their alerts are brought up to date."""
        named = values_in_batches(Person.objects.children(), "pk", list(self.people.values()), ("pk",))
        return sorted(self.records.children | {pk for (pk,) in named})

    def write(self, bundle: Bundle) -> None:
        """Every section but the events, in the order their references need, a chunk at a time."""
        self.memberships = Counter(m for h in bundle.get("households", []) for m in h["members"])
        write_in_chunks(
            bundle,
            [
                ("agencies", self._agencies),
                ("professionals", self._professionals),
                ("people", self._people),
                ("relationships", self._relationships),
                ("households", self._households),
                ("involvements", self._involvements),
            ],
        )
        self.records.write(bundle)

    # -- helpers ---------------------------------------------------------------------------------

    def upsert(
        self,
        section: str,
        model: type[M],
        rows: dict[str, dict[str, Any]],
        *,
        new_only: Callable[[], dict[str, Any]] | None = None,
    ) -> dict[str, int]:
        """Create the rows of this source not yet there, update those that differ; return source id →
        primary key. New rows are plain INSERTs (``rows.py``); only rows already there become objects.
        ``new_only()`` gives values for each new row alone (an existing row keeps what it has)."""
        versioned = _is_versioned(model)
        ids: dict[str, int] = dict(existing(model, "source_id", rows, where={"source": self.source}))
        to_update: list[M] = []
        unchanged = 0
        found = objects_in_batches(model._default_manager.all(), "pk", ids.values())
        for obj in found:
            values = rows[obj.source_id]  # type: ignore[attr-defined]
            if any(getattr(obj, f) != v for f, v in values.items()):
                for f, v in values.items():
                    setattr(obj, f, v)
                if versioned:  # an editor who opened it before the import must not overwrite it (ADR 14)
                    obj.version += 1  # type: ignore[attr-defined]
                to_update.append(obj)
            else:
                unchanged += 1
        if to_update:
            fields = sorted({f for row in rows.values() for f in row} | ({"version"} if versioned else set()))
            model._default_manager.bulk_update(to_update, fields, batch_size=BATCH)
        new = [ref for ref in rows if ref not in ids]
        if new:
            if new_only is not None:
                for ref in new:
                    rows[ref] |= new_only()
            columns = list(rows[new[0]])
            writer = RowWriter(model, ["source_id", *columns], returning=("source_id", "id"))
            for start in range(0, len(new), BATCH):
                chunk = new[start : start + BATCH]
                ids.update(writer.insert([(ref, *(rows[ref][c] for c in columns)) for ref in chunk]))
                self.progress(section, len(chunk))
        self.progress(section, len(to_update) + unchanged)
        self.result.created[section] += len(new)
        self.result.updated[section] += len(to_update)
        self.result.unchanged[section] += unchanged
        return ids

    def _lookup(self, model: type[models.Model], cache: dict[str, int], refs: Iterable[str]) -> None:
        missing = {r for r in refs if r not in cache}
        if missing:
            cache.update(existing(model, "source_id", missing, where={"source": self.source}))

    def lookup_people(self, refs: Iterable[str]) -> None:
        self._lookup(Person, self.people, refs)

    def lookup_agencies(self, refs: Iterable[str]) -> None:
        self._lookup(Agency, self.agencies, refs)

    def lookup_professionals(self, refs: Iterable[str]) -> None:
        self._lookup(Professional, self.professionals, refs)

    def _team(self, agency_id: int, name: str | None) -> int | None:
        if not name:
            return None
        if (agency_id, name) not in self.teams:
            team, created = Team.objects.get_or_create(agency_id=agency_id, name=name)
            self.result.created["teams"] += created
            self.teams[(agency_id, name)] = team.pk
        return self.teams[(agency_id, name)]

    def sync_keyed(
        self,
        section: str,
        model: type[M],
        key: tuple[str, ...],
        value: str | None,
        wanted: dict[tuple[Any, ...], Any],
    ) -> None:
        """Rows named by a natural key with at most one value of their own: add or update."""
        self.sync_keyed_many(
            section,
            model,
            key,
            (value,) if value else (),
            {k: (v,) if value else () for k, v in wanted.items()},
        )

    def sync_keyed_many(
        self,
        section: str,
        model: type[M],
        key: tuple[str, ...],
        values: tuple[str, ...],
        wanted: dict[tuple[Any, ...], tuple[Any, ...]],
    ) -> None:
        """Rows named by a natural key (its first field the parent record): add new ones, update changed
        values, leave the rest. Nothing is deleted."""
        if not wanted:
            return
        width = len(key)
        found = {
            row[:width]: row[width:]
            for row in values_in_batches(
                model._default_manager.all(), key[0], sorted({k[0] for k in wanted}), (*key, *values)
            )
        }
        new = [(*k, *v) for k, v in wanted.items() if k not in found]
        RowWriter(model, [*key, *values]).insert(new)
        changed = [k for k, v in wanted.items() if k in found and found[k] != v]
        bump = {"version": F("version") + 1} if _is_versioned(model) else {}
        for k in changed:
            model._default_manager.filter(**dict(zip(key, k, strict=True))).update(
                **dict(zip(values, wanted[k], strict=True)), **bump
            )
        self.result.created[section] += len(new)
        self.result.updated[section] += len(changed)
        self.result.unchanged[section] += len(wanted) - len(new) - len(changed)

    # -- sections --------------------------------------------------------------------------------

    def _agencies(self, items: list[dict[str, Any]]) -> None:
        rows = {
            a["id"]: {
                "source": self.source,
                "name": a["name"],
                "type": a["type"],
                "contact_phone": a.get("contact_phone", ""),
                "contact_email": a.get("contact_email", ""),
            }
            for a in items
        }
        self.agencies.update(self.upsert("agencies", Agency, rows))

    def _professionals(self, items: list[dict[str, Any]]) -> None:
        self.lookup_agencies(p["agency"] for p in items)
        rows = {}
        for p in items:
            agency_id = self.agencies[p["agency"]]
            rows[p["id"]] = {
                "source": self.source,
                "username": f"{self.source}.{p['id']}",
                "name": p["name"],
                "email": p.get("email", ""),
                "agency_id": agency_id,
                "team_id": self._team(agency_id, p.get("team")),
                "profession": p.get("role", ""),
                "role": p.get("access_role", "practitioner"),
            }
        # Accounts made by an import cannot sign in until an administrator sets a password.
        self.professionals.update(
            self.upsert(
                "professionals", Professional, rows, new_only=lambda: {"password": make_password(None)}
            )
        )

    def _people(self, items: list[dict[str, Any]]) -> None:
        rows = {}
        for p in items:
            rows[p["id"]] = {
                "source": self.source,
                "kind": p["kind"],
                "given_name": p.get("given_name", ""),
                "family_name": p.get("family_name", ""),
                "given_name_index": name_index(p.get("given_name", "")),
                "family_name_index": name_index(p.get("family_name", "")),
                "date_of_birth": _date(p.get("date_of_birth")),
                "expected_date_of_birth": _date(p.get("expected_date_of_birth")),
                "nhs_number": nhs_number_normalise(p["nhs_number"]) if p.get("nhs_number") else None,
                "premature": p.get("premature", False),
                "health_needs": p.get("health_needs", []),
                "disabilities": p.get("disabilities", []),
                "childhood_history": p.get("childhood_history", ""),
            }
        self.people.update(self.upsert("people", Person, rows))
        self._risk_factors(items)

    def _risk_factors(self, items: list[dict[str, Any]]) -> None:
        wanted: dict[tuple[int, str, dt.date], int | None] = {}
        agency_refs = {r["agency"] for p in items for r in p.get("risk_factors", []) if "agency" in r}
        self.lookup_agencies(agency_refs)
        for p in items:
            for risk in p.get("risk_factors", []):
                key = (self.people[p["id"]], risk["factor"], dt.date.fromisoformat(risk["recorded_on"]))
                wanted[key] = self.agencies[risk["agency"]] if "agency" in risk else None
        self.sync_keyed(
            "risk_factors", RiskFactor, ("person_id", "factor", "recorded_on"), "agency_id", wanted
        )

    def _relationships(self, items: list[dict[str, Any]]) -> None:
        if not items:
            return
        self.lookup_people(r[end] for r in items for end in ("from", "to"))
        wanted = {
            (self.people[r["from"]], self.people[r["to"]], r["type"]): r.get("parental_responsibility", False)
            for r in items
        }
        self.sync_keyed(
            "relationships",
            Relationship,
            ("from_person_id", "to_person_id", "type"),
            "parental_responsibility",
            wanted,
        )
        self.progress("relationships", len(wanted))

    def _households(self, items: list[dict[str, Any]]) -> None:
        if not items:
            return
        self.lookup_people(m for h in items for m in h["members"])
        queryset = Household.objects.filter(source=self.source).select_related("address")
        existing = {
            h.source_id: h for h in objects_in_batches(queryset, "source_id", [h["id"] for h in items])
        }
        addresses_to_update = []
        new_households = []
        for item in items:
            address = self._address_fields(item["address"])
            household = existing.get(item["id"])
            if household is None:
                new_households.append((item["id"], address))
            elif any(getattr(household.address, f) != v for f, v in address.items()):
                for f, v in address.items():
                    setattr(household.address, f, v)
                addresses_to_update.append(household.address)
        # The new addresses' keys come back in the order of the rows, as bulk_create relies on too.
        address_columns = ["line1", "line2", "town", "postcode"]
        address_ids = RowWriter(Address, address_columns, returning=("id",)).insert(
            [tuple(a[c] for c in address_columns) for _, a in new_households]
        )
        RowWriter(Household, ["source", "source_id", "address_id"]).insert(
            (self.source, ref, address_id)
            for (ref, _), (address_id,) in zip(new_households, address_ids, strict=True)
        )
        if addresses_to_update:
            Address.objects.bulk_update(
                addresses_to_update, ["line1", "line2", "town", "postcode"], batch_size=BATCH
            )
        self.result.created["households"] += len(new_households)
        self.result.updated["households"] += len(addresses_to_update)
        self.result.unchanged["households"] += len(items) - len(new_households) - len(addresses_to_update)
        household_ids = dict(
            values_in_batches(queryset, "source_id", [h["id"] for h in items], ("source_id", "pk"))
        )
        self._members(items, household_ids)
        self.progress("households", len(items))

    def _members(self, items: list[dict[str, Any]], household_ids: dict[str, int]) -> None:
        count = self.memberships
        wanted: dict[tuple[int, int], bool] = {}
        for item in items:
            marked = item.get("main_home_for")
            for member in item["members"]:
                main = member in marked if marked is not None else count[member] == 1
                wanted[(household_ids[item["id"]], self.people[member])] = main
        existing = {
            (h, p): (pk, main)
            for pk, h, p, main in values_in_batches(
                HouseholdMember.objects.all(),
                "person_id",
                sorted({p for _, p in wanted}),
                ("pk", "household_id", "person_id", "main_home"),
            )
        }
        # A person's main home moves: unmark the old one first (each person has one main home).
        moving = {p for (h, p), main in wanted.items() if main and not existing.get((h, p), (0, False))[1]}
        moving_ids = sorted(moving)
        for start in range(0, len(moving_ids), BATCH):
            chunk = moving_ids[start : start + BATCH]
            HouseholdMember.objects.filter(person_id__in=chunk, main_home=True).update(main_home=False)
        new = [(h, p, main) for (h, p), main in wanted.items() if (h, p) not in existing]
        changed = [
            (existing[k][0], main) for k, main in wanted.items() if k in existing and existing[k][1] != main
        ]
        for pk, main in changed:
            HouseholdMember.objects.filter(pk=pk).update(main_home=main)
        RowWriter(HouseholdMember, ["household_id", "person_id", "main_home"]).insert(new)
        self.result.created["household_members"] += len(new)
        self.result.updated["household_members"] += len(changed)
        self.result.unchanged["household_members"] += len(wanted) - len(new) - len(changed)

    @staticmethod
    def _address_fields(address: dict[str, str]) -> dict[str, str]:
        return {
            "line1": address["line1"],
            "line2": address.get("line2", ""),
            "town": address.get("town", ""),
            "postcode": postcode_normalise(address["postcode"]),
        }

    def _involvements(self, items: list[dict[str, Any]]) -> None:
        if not items:
            return
        self.lookup_people(i["child"] for i in items)
        self.lookup_agencies(i["agency"] for i in items)
        self._lookup(
            Professional, self.professionals, (i["professional"] for i in items if "professional" in i)
        )
        rows = {}
        for i in items:
            agency_id = self.agencies[i["agency"]]
            rows[i["id"]] = {
                "source": self.source,
                "child_id": self.people[i["child"]],
                "agency_id": agency_id,
                "team_id": self._team(agency_id, i.get("team")),
                "professional_id": self.professionals[i["professional"]] if "professional" in i else None,
                "role": i.get("role", ""),
                "lead": i.get("lead", False),
                "started_on": _date(i["started_on"]),
                "ended_on": _date(i.get("ended_on")),
            }
        self.upsert("involvements", Involvement, rows)
