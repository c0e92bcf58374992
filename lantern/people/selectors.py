"""Reading children's records: search, "my children" and the child overview.

Every selector that returns a child's details takes the viewer, and lists say for each child whether
the viewer may open the record; callers still check and log each view (``lantern.core.audit``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import CharField, F, OuterRef, Prefetch, Q, QuerySet, Subquery

from lantern.agencies.models import Involvement, Professional
from lantern.agencies.selectors import child_visible_annotation, involvements_current, involvements_reaching
from lantern.people.identifiers import name_index, nhs_number_normalise
from lantern.people.models import HouseholdMember, Person, Relationship

SEARCH_LIMIT = 50
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d %m %Y", "%d %B %Y", "%d %b %Y")
_NHS_LIKE = re.compile(r"^[0-9][0-9 \-]{8,14}[0-9]$")


@dataclass
class ChildSearch:
    """What a search box's text asks for, or why it cannot be searched."""

    text: str
    names: list[str] = field(default_factory=list)
    date_of_birth: dt.date | None = None
    nhs_number: str | None = None
    error: str | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.names or self.date_of_birth or self.nhs_number)


def _parse_date(text: str) -> dt.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def child_search_parse(text: str) -> ChildSearch:
    """Read a name, a date of birth, an NHS number, or a name with a date of birth."""
    search = ChildSearch(text=text.strip()[:200])
    remaining = search.text
    date_match = re.search(r"\b(\d{1,2}[/ -]\d{1,2}[/ -]\d{4}|\d{4}-\d{2}-\d{2})\b", remaining)
    if date_match:
        search.date_of_birth = _parse_date(date_match.group(1).replace(" ", "/"))
        if search.date_of_birth is None:
            search.error = f"{date_match.group(1)} is not a real date: enter a date of birth like 27/03/2019"
            return search
        remaining = remaining.replace(date_match.group(1), " ")
    elif _NHS_LIKE.match(remaining):
        try:
            search.nhs_number = nhs_number_normalise(remaining)
        except ValidationError as error:
            search.error = error.messages[0]
        return search
    search.names = [w for w in name_index(remaining).split() if w][:4]
    if search.is_empty and search.text:
        search.error = "Enter a name, a date of birth (like 27/03/2019) or a 10-digit NHS number"
    return search


def _prefix(field_name: str, word: str) -> Q:
    # A range, not LIKE: it uses the plain index on both SQLite and PostgreSQL whatever the collation.
    return Q(**{f"{field_name}__gte": word, f"{field_name}__lt": word + "\uffff"})


def _lead_agency_subquery(column: str) -> Subquery:
    lead = involvements_current().filter(child_id=OuterRef("pk"), lead=True).values(column)[:1]
    return Subquery(lead, output_field=CharField())


def children_annotated_for(*, viewer: Professional) -> QuerySet[Person]:
    """Children, each with whether ``viewer`` may open it and the lead agency's contact."""
    return _annotated_for(Person.objects.children(), viewer=viewer)


def _annotated_for(people: QuerySet[Person], *, viewer: Professional) -> QuerySet[Person]:
    return people.annotate(
        visible=child_visible_annotation(viewer=viewer),
        lead_agency_name=_lead_agency_subquery("agency__name"),
        lead_agency_phone=_lead_agency_subquery("agency__contact_phone"),
        lead_agency_email=_lead_agency_subquery("agency__contact_email"),
    )


def child_search(*, viewer: Professional, search: ChildSearch) -> list[Person]:
    if search.error or search.is_empty:
        return []
    matching = Person.objects.children()
    if search.nhs_number:
        matching = matching.filter(nhs_number=search.nhs_number)
    if search.date_of_birth:
        matching = matching.filter(date_of_birth=search.date_of_birth)
    for word in search.names:
        matching = matching.filter(_prefix("family_name_index", word) | _prefix("given_name_index", word))
    # For speed only (the same children either way), see docs/performance.md. Matching ids first lets the
    # database use the index that selects (the NHS number, date of birth or name indexes) and sort just
    # those children. Otherwise SQLite without ANALYZE statistics walks the whole name index in result
    # order, reading every row to compare a date (0.4 s at 300,000 children), and PostgreSQL walks it for a
    # common family name, filtering 180,000 rows (0.1 s). SQLite's walk is the quicker plan for names alone.
    if search.nhs_number or search.date_of_birth or connection.vendor == "postgresql":
        children = _annotated_for(Person.objects.filter(pk__in=matching.values("pk")), viewer=viewer)
    else:
        children = _annotated_for(matching, viewer=viewer)
    return list(
        children.order_by("family_name_index", "given_name_index", "date_of_birth", "pk")[:SEARCH_LIMIT]
    )


def children_of_professional(*, viewer: Professional) -> QuerySet[Person]:
    """ "My children": those the viewer or their team is currently involved with."""
    reached = involvements_reaching(viewer=viewer).values("child_id")
    return (
        children_annotated_for(viewer=viewer)
        .filter(pk__in=reached)
        .order_by("family_name_index", "given_name_index", "pk")
    )


@dataclass
class PersonAround:
    person: Person
    relationship: str
    parental_responsibility: bool


@dataclass
class ChildOverview:
    child: Person
    people: list[PersonAround]
    households: list[HouseholdMember]
    involvements: list[Involvement]

    @property
    def lead(self) -> Involvement | None:
        return next((i for i in self.involvements if i.lead), None)


def child_overview(*, child: Person) -> ChildOverview:
    """The people around the child, their households (main home first) and the agencies involved.

    A fixed number of queries however large the family or the area.
    """
    related = Person.objects.prefetch_related("risk_factors")
    outgoing = Relationship.objects.filter(from_person=child).prefetch_related(Prefetch("to_person", related))
    incoming = Relationship.objects.filter(to_person=child).prefetch_related(Prefetch("from_person", related))
    people = [
        PersonAround(r.from_person, r.get_type_display(), r.parental_responsibility) for r in incoming
    ] + [PersonAround(r.to_person, _inverse(r), False) for r in outgoing]
    people.sort(
        key=lambda p: (not p.parental_responsibility, p.person.kind != "adult", p.person.display_name)
    )
    households = list(
        HouseholdMember.objects.filter(person=child)
        .select_related("household__address")
        .prefetch_related(
            Prefetch(
                "household__members",
                HouseholdMember.objects.select_related("person").order_by(
                    F("person__date_of_birth").asc(nulls_first=True)
                ),
            )
        )
        .order_by("-main_home", "pk")
    )
    involvements = list(
        involvements_current()
        .filter(child=child)
        .select_related("agency", "team", "professional")
        .order_by("-lead", "agency__name", "started_on")
    )
    return ChildOverview(child=child, people=people, households=households, involvements=involvements)


def _inverse(relationship: Relationship) -> str:
    """How the other person stands to the child when the relationship was recorded from the child."""
    if relationship.type in {"sibling", "half-sibling"}:
        return relationship.get_type_display()
    return f"This child is their {relationship.get_type_display().lower()}"
