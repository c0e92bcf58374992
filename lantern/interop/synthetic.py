"""Synthetic populations as case bundles (``lantern generate``): made-up children, families, agencies.

Everything here is invented. Names come from short made-up lists, NHS numbers only from the range
kept for testing (starting 999, with a valid check digit), telephone numbers from Ofcom's ranges kept
for drama, e-mail addresses from ``example.org``. Street names are invented; towns and postcode
districts are real Buckinghamshire ones (the briefing's area) so that addresses look plausible.

Determinism: the same ``seed``, ``as_of``, ``source`` and number of children give the same bundle,
byte for byte, on any machine (``random.Random`` seeded with an int; no dict or set iteration order
is relied on, no clock is read). ``as_of`` defaults to the fixed date :data:`DEFAULT_AS_OF` rather than
today, for that reason; every date in the bundle is on or before it, except unborn children's
expected dates of birth.

Two random streams: one draws the people, families, households and involvements (and everything about
plans that the involvements depend on), the other draws the chronology (events, assessments, plans,
meetings). So a ``people_only`` bundle is exactly the first six sections of the full bundle.

Proportions (England, rounded; each is a default that a caller may change in :class:`Rates`):

* Children in need: DfE, "Characteristics of children in need", reporting year 2024: 332.9 children in
  need per 10,000 children at 31 March (about 3.3%), of whom 41.6 per 10,000 (about 0.4%) were on a
  child protection plan; neglect was the initial category of about half of those plans (47-50% in
  recent years; the rest mostly emotional abuse, then physical, sexual and multiple categories).
  Here 0.4% of children have an open child protection plan and 2.9% an open child-in-need plan, so
  that 3.3% are children in need.
* Early help: no national statistic; local authorities' published figures put open early help
  episodes at roughly 2% of children. An assumption.
* A&E attendances: NHS Digital, "Hospital Accident and Emergency Activity": attendance rates are
  highest for under-1s (roughly 0.5-0.6 attendances per child per year), then 1-4 (about 0.3),
  5-14 (about 0.2), 15-17 (about 0.3). Here the rates are raised for families with plans.
* Missed appointments: child outpatient "did not attend" (was not brought) rates are roughly 5-10%
  of appointments (NHS Digital, "Hospital Outpatient Activity"), higher in families known to
  children's social care. Here 7% for families without a plan, up to 20% on child protection plans.
* Families: ONS, "Families and households": of families with dependent children about 44% have one
  child, 40% two and 16% three or more; about a quarter are lone-parent families, most of them headed
  by the mother. Preterm births: ONS, about 8% of live births.
* Workforce (for caseloads): DfE, "Children's social work workforce": an average caseload of about 16
  children per social worker; health visiting caseloads of a few hundred under-5s; schools of about
  280 (primary) and 1,000 (secondary) pupils (DfE, "Schools, pupils and their characteristics").
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import random
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, pairwise
from pathlib import Path
from typing import Any

FORMAT = "lantern.case-bundle/1"
DEFAULT_AS_OF = dt.date(2026, 11, 1)
DEFAULT_SOURCE = "synthetic"
MAX_CHILDREN = 500_000
DEFAULT_HISTORY_YEARS = 2  # the chronology covers the last two years, or the child's life if shorter
MAX_HISTORY_YEARS = 18
PEOPLE_SECTIONS = ("agencies", "professionals", "people", "relationships", "households", "involvements")
CHRONOLOGY_SECTIONS = ("events", "assessments", "plans", "meetings")
SECTIONS = PEOPLE_SECTIONS + CHRONOLOGY_SECTIONS
DEMO_BUNDLE = Path(__file__).parent / "fixtures" / "demo-area.json"

Item = dict[str, Any]
Progress = Callable[[str, int], None]

NONE, EARLY_HELP, CHILD_IN_NEED, CHILD_PROTECTION = 0, 1, 2, 3
PLAN_TYPES = {EARLY_HELP: "early-help", CHILD_IN_NEED: "child-in-need", CHILD_PROTECTION: "child-protection"}


@dataclass(frozen=True)
class Rates:
    """Shares of children (open plans at ``as_of``) and of events; see the module's docstring."""

    child_protection: float = 0.004
    child_in_need: float = 0.029  # child-in-need plans, not child protection: 3.3% children in need in all
    early_help: float = 0.02
    cp_categories: tuple[tuple[str, float], ...] = (
        ("neglect", 0.50),
        ("emotional", 0.37),
        ("physical", 0.07),
        ("sexual", 0.04),
        ("multiple", 0.02),
    )
    # A&E attendances per child per year by age band (under 1, 1-4, 5-14, 15-17).
    attendances: tuple[float, float, float, float] = (0.55, 0.30, 0.20, 0.30)
    # Was-not-brought share of appointments, by the family's plan (none, early help, CIN, CP).
    was_not_brought: tuple[float, float, float, float] = (0.07, 0.12, 0.16, 0.20)
    # Family size (children, including an unborn child) 1, 2, 3, 4, 5.
    family_sizes: tuple[float, ...] = (0.44, 0.40, 0.11, 0.04, 0.01)
    lone_parent: float = 0.25
    unborn: float = 0.02  # share of child records that are unborn children (known pregnancies)
    premature: float = 0.08


# -- made-up names and places ---------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_GIVEN_CHILD = _words(
    "Ava Mila Isla Freya Ivy Esme Nova Poppy Willow Maisie Hallie Orla Thea Elodie Rosa Lyra Wren "
    "Skye Tilly Bonnie Nell Cora Edie Sienna Ada Maya Zara Ruby Leah Amara Noah Alfie Arlo Rory "
    "Finn Reuben Ezra Otis Jude Milo Teddy Rowan Caleb Kai Louie Ronnie Bodhi Hugo Ellis Jesse "
    "Rafe Kit Zane Idris Felix Albie Cody Ollie Remi Tate"
)
_GIVEN_ADULT_F = _words(
    "Kayleigh Gemma Stacey Leanne Chantelle Jodie Kirsty Natalie Shona Danielle Carly Amber "
    "Hayley Jade Lacey Tamsin Rhiannon Keeley Bethan Zoe Marcy Abi Sadia Nadia Priya Ayesha "
    "Joanne Tanya"
)
_GIVEN_ADULT_M = _words(
    "Dean Craig Wayne Jamie Lee Darren Ricky Shane Kyle Liam Jordan Aaron Bradley Connor Nathan "
    "Ryan Scott Callum Reece Tariq Imran Dylan Gareth Marcus Stefan Kieran Jason Barry"
)
_FAMILY_FIRST = _words(
    "Ash Brook Claver Dun Elm Fen Glen Hart Ing Kel Lang Mar Nor Oak Pen Quill Ral Stan Thorn "
    "Under Vale Wood Yar Bram Carr Dal Ever Fair Gold Hay"
)
_FAMILY_SECOND = _words(
    "ley ton wood field well by ford worth ham brook more ridge stone wick cott den gate hurst land shaw"
)
_STREET_FIRST = _words(
    "Alder Beech Cedar Hazel Rowan Willow Meadow Orchard Mill Church Station Brook Kestrel Linnet "
    "Heron Fern Foxglove Bramble Juniper Larch Sorrel Teasel Plover Skylark Marigold Bluebell "
    "Acorn Chestnut"
)
_PRACTICES = ("Medical Practice", "Surgery", "Health Centre")
_STREET_SECOND = _words("Road Close Way Avenue Gardens Lane Crescent Drive Court Place Walk Rise")
_SCHOOL_NAMES = _words(
    "Oakfield Hillside Brookside Meadowbank Riverside Larkrise Fernhill Copperfield Elmstead "
    "Kingsmead Ashgrove Millbrook Westcroft Highfields Greenacre Foxwood Badgers Hollytree "
    "Beechwood Willowbank"
)
# Town, relative size, postcode districts (real Buckinghamshire districts; streets are made up).
_TOWNS: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("Aylesbury", 0.22, ("HP19", "HP20", "HP21")),
    ("High Wycombe", 0.20, ("HP11", "HP12", "HP13")),
    ("Chesham", 0.06, ("HP5",)),
    ("Amersham", 0.06, ("HP6", "HP7")),
    ("Buckingham", 0.05, ("MK18",)),
    ("Marlow", 0.06, ("SL7",)),
    ("Beaconsfield", 0.05, ("HP9",)),
    ("Princes Risborough", 0.04, ("HP27",)),
    ("Wendover", 0.04, ("HP22",)),
    ("Great Missenden", 0.04, ("HP16",)),
    ("Gerrards Cross", 0.05, ("SL9",)),
    ("Flackwell Heath", 0.03, ("HP10",)),
    ("Winslow", 0.04, ("MK18",)),
    ("Hazlemere", 0.06, ("HP15",)),
)
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# Ofcom keeps these ranges for drama: no real line answers them.
_DRAMA_PHONES = ("01632 960", "0118 496 0", "0117 496 0", "0116 496 0", "0115 496 0", "0113 496 0")

_HEALTH_NEEDS = ("asthma", "eczema", "epilepsy", "type 1 diabetes", "food allergy", "sickle cell disease")
_DISABILITIES = (
    "autism",
    "learning disability",
    "hearing impairment",
    "visual impairment",
    "cerebral palsy",
    "speech, language and communication needs",
)
_CHILDHOOD = (
    "Was looked after by the local authority as a teenager.",
    "Was on a child protection plan for neglect as a child.",
    "Grew up with a parent who misused alcohol; left home at 16.",
    "Describes a chaotic childhood and several changes of school.",
    "Was a young carer for a parent with mental ill health.",
)
_RISKS_NEGLECT = ("substance-misuse", "domestic-abuse", "parental-mental-health")
_RISKS_OTHER = (
    "social-isolation",
    "financial-hardship",
    "housing-problems",
    "homelessness",
    "postnatal-depression",
)
_NEGLECT_TAGS = ("physical-neglect", "emotional-neglect", "poor-home-conditions", "hygiene", "nutrition")
_CATEGORY_TAGS = {
    "neglect": (
        *_NEGLECT_TAGS,
        "inadequate-supervision",
        "dental-decay",
        "unsafe-sleep",
        "left-with-unsuitable-carer",
    ),
    "emotional": ("emotional-neglect", "domestic-abuse", "parental-mental-health"),
    "physical": ("injury", "domestic-abuse"),
    "sexual": ("other", "self-harm"),
    "multiple": ("physical-neglect", "injury", "emotional-neglect", "domestic-abuse"),
}
_EVERYDAY_TAGS = ("dental-decay", "hygiene", "school-attendance", "other", "nutrition")
_OBSERVATION_TEXT = {
    "physical-neglect": "Clothes unwashed and too small; child hungry at breakfast club.",
    "emotional-neglect": "Child withdrawn; says nobody at home talks to them.",
    "poor-home-conditions": "Home cluttered, dog faeces on the floor, no clean bedding.",
    "hygiene": "Child's hair matted and strong smell noticed by staff.",
    "nutrition": "Child takes food from other children's lunch boxes.",
    "inadequate-supervision": "Child found alone at the park after dark.",
    "left-with-unsuitable-carer": "Left overnight with a neighbour not known to the family.",
    "dental-decay": "Several visibly decayed teeth; no dentist registered.",
    "unsafe-sleep": "Baby sleeping on the sofa with an adult.",
    "injury": "Bruise to the cheek; explanation inconsistent.",
    "domestic-abuse": "Police attended an incident at home overnight.",
    "parental-mental-health": "Parent tearful, says they cannot cope.",
    "self-harm": "Cuts to forearm seen during PE.",
    "school-attendance": "Attendance below 80% this term.",
    "other": "Concern raised by staff; recorded for the chronology.",
}
_ATTENDANCE_TEXT = {
    "injury": (
        "Fall from sofa; head bump.",
        "Burn from hair straighteners.",
        "Fracture to wrist after fall.",
    ),
    "illness": ("High temperature.", "Breathing difficulty; wheeze.", "Vomiting and diarrhoea."),
    "ingestion": ("Swallowed tablets found at home.", "Drank cleaning fluid."),
    "other": ("Brought in by police; no injury found.",),
}
_ACTIONS = (
    ("Complete a graded care assessment", "social-worker"),
    ("Register the children with a dentist", "parent"),
    ("Attend every health appointment", "parent"),
    ("Refer to the substance misuse service", "social-worker"),
    ("Health visitor to review the baby's weight fortnightly", "health-visitor"),
    ("Arrange a school attendance meeting", "social-worker"),
    ("Attend the parenting programme", "parent"),
)
_AGREEMENTS = (
    "Keep the home clean and safe, with a clean bed for each child",
    "Bring the children to every health appointment",
    "The children attend school every day, on time",
    "Do not leave the children with anyone not agreed with the social worker",
    "No drug or alcohol use while caring for the children",
)


def _seeded(seed: int) -> random.Random:
    """A reproducible stream of made-up data (not for anything secret)."""
    return random.Random(seed)  # noqa: S311


def _cumulative(weights: Sequence[float]) -> list[float]:
    return list(accumulate(weights))


# Every pairing that reads as a name (not "Woodwood"), in a fixed shuffled order so that the commonest
# names are not all alike.
_FAMILY_NAMES = [a + b for a in _FAMILY_FIRST for b in _FAMILY_SECOND if not a.lower().endswith(b)]
_seeded(0).shuffle(_FAMILY_NAMES)
# Zipf-like: the commonest family name is about 1.4% of families, as the commonest English surnames are.
_FAMILY_CUM = _cumulative([1 / (rank + 20) for rank in range(len(_FAMILY_NAMES))])
_GIVEN_CHILD_CUM = _cumulative([1 / (rank + 8) for rank in range(len(_GIVEN_CHILD))])


def nhs_check_digit(nine: str) -> int | None:
    """The modulus 11 check digit of nine digits, or None where no valid number has them."""
    total = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return None if check == 10 else check


def _phone(index: int) -> str:
    prefix = _DRAMA_PHONES[(index // 1000) % len(_DRAMA_PHONES)]
    digits = f"{index % 1000:03d}"
    return f"{prefix}{digits}"


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _iso(ordinal: int) -> str:
    return dt.date.fromordinal(ordinal).isoformat()


@dataclass
class _Team:
    agency: str
    name: str
    manager: str | None = None
    members: list[str] = field(default_factory=list)
    next: int = 0

    def allocate(self) -> str:
        worker = self.members[self.next % len(self.members)]
        self.next += 1
        return worker


@dataclass
class _Town:
    name: str
    districts: tuple[str, ...]
    hv: _Team
    primaries: list[str]
    secondaries: list[str]
    gps: list[str]
    hospital: int


@dataclass
class _Child:
    id: str
    dob: int | None  # ordinal
    edd: int | None
    plan_start: int | None = None
    school: str | None = None


@dataclass
class _Family:
    index: int
    status: int
    category: str | None
    town: _Town
    children: list[_Child]
    adults: list[str]
    mother: str | None
    worker: str | None = None  # social worker or early help worker
    worker_team: str | None = None
    manager: str | None = None
    hv: str | None = None
    gp: str = ""


class SyntheticPopulation:
    """A made-up area of ``children`` children, their families, and the agencies around them."""

    def __init__(
        self,
        *,
        children: int,
        seed: int,
        as_of: dt.date = DEFAULT_AS_OF,
        source: str = DEFAULT_SOURCE,
        people_only: bool = False,
        rates: Rates | None = None,
        history_years: int = DEFAULT_HISTORY_YEARS,
    ) -> None:
        if not 1 <= history_years <= MAX_HISTORY_YEARS:
            raise ValueError(f"--history-years must be between 1 and {MAX_HISTORY_YEARS}")
        if not 1 <= children <= MAX_CHILDREN:
            raise ValueError(
                f"--children must be between 1 and {MAX_CHILDREN:,}: NHS numbers come only from the 999 "
                "test range, which holds about 909,000 valid numbers for children and adults"
            )
        self.n = children
        self.seed = seed
        self.as_of = as_of
        self.today = as_of.toordinal()
        self.source = source
        self.people_only = people_only
        self.history_days = round(history_years * 365.25)
        self.rates = rates or Rates()
        self.rng = _seeded(seed)
        self.events_rng = _seeded(seed * 7919 + 104729)
        self.sections: tuple[str, ...] = PEOPLE_SECTIONS if people_only else SECTIONS
        self._counters: dict[str, int] = {}
        self._plan_families()
        self._nhs = self._nhs_numbers()
        self._staff()

    # -- the shape of the area, decided before any family is written ------------------------------

    def _plan_families(self) -> None:
        """Family sizes summing to ``n``, then which families have plans: exact shares of children."""
        rng, rates = self.rng, self.rates
        size_cum = _cumulative(rates.family_sizes)
        sizes = bytearray()
        total = 0
        while total < self.n:
            size = min(rng.choices(range(1, len(size_cum) + 1), cum_weights=size_cum)[0], self.n - total)
            sizes.append(size)
            total += size
        self.sizes = sizes
        self.status = bytearray(len(sizes))
        order = list(range(len(sizes)))
        rng.shuffle(order)
        picks = iter(order)
        self.targets = {
            CHILD_PROTECTION: round(self.n * rates.child_protection),
            CHILD_IN_NEED: round(self.n * rates.child_in_need),
            EARLY_HELP: round(self.n * rates.early_help),
        }
        self.planned = dict.fromkeys(self.targets, 0)
        for code, target in self.targets.items():
            for index in picks:
                if self.planned[code] >= target:
                    break
                self.status[index] = code
                self.planned[code] += sizes[index]

    def _nhs_numbers(self) -> Iterator[str]:
        """Distinct NHS numbers 999 xxx xxxx with a valid check digit, in a seeded scattered order."""
        rng = _seeded(self.seed + 1)
        step = rng.randrange(100_001, 999_999, 2)
        while step % 5 == 0:
            step += 2
        start = rng.randrange(1_000_000)
        demo: set[str] = set()
        if DEMO_BUNDLE.exists():  # the demo area's numbers are in the same range: never reuse them
            demo = {
                p["nhs_number"]
                for p in json.loads(DEMO_BUNDLE.read_text("utf-8")).get("people", [])
                if "nhs_number" in p
            }
        for j in range(1_000_000):
            nine = f"999{(start + j * step) % 1_000_000:06d}"
            check = nhs_check_digit(nine)
            if check is not None and nine + str(check) not in demo:
                yield f"{nine}{check}"

    def _id(self, prefix: str) -> str:
        self._counters[prefix] = self._counters.get(prefix, 0) + 1
        return f"{prefix}{self._counters[prefix]}"

    def _person_name(self, female: bool) -> str:
        given = self.rng.choice(_GIVEN_ADULT_F if female else _GIVEN_ADULT_M)
        return f"{given} {self._family_name()}"

    def _family_name(self) -> str:
        return self.rng.choices(_FAMILY_NAMES, cum_weights=_FAMILY_CUM)[0]

    def _staff(self) -> None:
        """Agencies, teams and professionals, in numbers that give realistic caseloads for ``n``."""
        rng, n = self.rng, self.n
        self.agencies: list[Item] = []
        self.professionals: list[Item] = []

        def agency(ref: str, name: str, kind: str, email: str | None = None) -> str:
            item: Item = {
                "id": ref,
                "name": name,
                "type": kind,
                "contact_phone": _phone(len(self.agencies) + 101),
            }
            if email:
                item["contact_email"] = email
            self.agencies.append(item)
            return ref

        def professional(
            prefix: str, agency_ref: str, role: str, team: str | None, access: str = "practitioner"
        ) -> str:
            ref = self._id(prefix)
            item: Item = {
                "id": ref,
                "name": self._person_name(rng.random() < 0.7),
                "agency": agency_ref,
                "role": role,
            }
            if team:
                item["team"] = team
            item["access_role"] = access
            self.professionals.append(item)
            return ref

        def teams(
            agency_ref: str, label: str, prefix: str, role: str, workers: int, size: int
        ) -> list[_Team]:
            made = []
            for number in range(1, max(1, math.ceil(workers / size)) + 1):
                team = _Team(agency_ref, f"{label} {number}")
                team.manager = professional("tm", agency_ref, "team-manager", team.name, "manager")
                team.members = [professional(prefix, agency_ref, role, team.name) for _ in range(size)]
                made.append(team)
            return made

        agency("csc", "Children's Social Care", "social-care", "front.door@csc.example.org")
        agency("eh", "Early Help Service", "early-help", "early.help@eh.example.org")
        agency("hv", "Health Visiting Service", "health", "health.visiting@nhs.example.org")
        agency("mw", "Community Midwifery", "health")
        agency("dental", "Community Dental Service", "health")
        agency("police", "Police Child Abuse Investigation Team", "police")
        social_children = self.planned[CHILD_PROTECTION] + self.planned[CHILD_IN_NEED]
        # DfE workforce figures: about 16 children per social worker; teams of 7 and a manager.
        self.sw_teams = teams(
            "csc", "Safeguarding Team", "sw", "social-worker", math.ceil(social_children / 16), 7
        )
        for _ in range(math.ceil(len(self.sw_teams) / 6)):
            professional("hos", "csc", "head-of-service", None, "senior-manager")
        self.eh_teams = teams(
            "eh", "Early Help Team", "ehw", "early-help-worker", math.ceil(self.planned[EARLY_HELP] / 25), 8
        )
        professional("hos", "eh", "head-of-early-help", None, "senior-manager")
        professional("adm", "csc", "systems-administrator", None, "administrator")
        professional("aud", "csc", "quality-assurance", None, "auditor")
        officers = 1 + n // 50_000
        professional("tm", "police", "detective-sergeant", "Child Abuse Investigation Team", "manager")
        self.police = [
            professional("pol", "police", "detective-constable", "Child Abuse Investigation Team")
            for _ in range(officers)
        ]
        midwives = _Team("mw", "Community Midwives")
        midwives.members = [
            professional("mw", "mw", "midwife", midwives.name)
            for _ in range(max(1, math.ceil(n * self.rates.unborn / 60)))
        ]
        self.midwives = midwives
        professional("hos", "hv", "head-of-health-visiting", None, "senior-manager")

        town_count = min(len(_TOWNS), 1 + n // 20_000)
        chosen = _TOWNS[:town_count]
        weight_total = sum(w for _, w, _ in chosen)
        hospitals = max(1, math.ceil(n / 150_000))
        for h in range(1, hospitals + 1):
            town_name = chosen[(h - 1) % town_count][0]
            agency(f"ed{h}", f"Emergency Department, {town_name} General Hospital", "health")
            agency(f"opd{h}", f"Children's Outpatients, {town_name} General Hospital", "health")
            professional("edn", f"ed{h}", "paediatric-liaison-nurse", "Paediatric Liaison")
        self.towns: list[_Town] = []
        self.town_cum = _cumulative([w for _, w, _ in chosen])
        schools = 0
        gps = 0
        for t_index, (name, weight, districts) in enumerate(chosen):
            share = n * weight / weight_total
            hv_team = _Team("hv", f"Health Visiting {name}")
            # Under-5s are 5/18 of children; a health visitor has about 400 of them.
            hv_team.members = [
                professional("hv", "hv", "health-visitor", hv_team.name)
                for _ in range(max(1, round(share * 5 / 18 / 400)))
            ]
            professional("tm", "hv", "health-visiting-team-lead", hv_team.name, "manager")
            town = _Town(name, districts, hv_team, [], [], [], (t_index % hospitals) + 1)
            for phase, years, pupils in (("Primary School", 6, 280), ("Academy", 7, 1000)):
                for _ in range(max(1, round(share * years / 18 / pupils))):
                    schools += 1
                    ref = f"sch{schools}"
                    school_name = f"{_SCHOOL_NAMES[(schools - 1) % len(_SCHOOL_NAMES)]} {phase}"
                    if schools > len(_SCHOOL_NAMES):
                        school_name += f", {name}"
                    agency(ref, school_name, "education")
                    professional("dsl", ref, "designated-safeguarding-lead", "Safeguarding")
                    (town.primaries if phase == "Primary School" else town.secondaries).append(ref)
            for _ in range(max(1, round(share / 2000))):
                gps += 1
                ref = f"gp{gps}"
                agency(
                    ref,
                    f"{rng.choice(_STREET_FIRST)} {rng.choice(_PRACTICES)}",
                    "health",
                )
                professional("gp", ref, "safeguarding-lead-gp", None)
                town.gps.append(ref)
            self.towns.append(town)

    # -- families -------------------------------------------------------------------------------------

    def items(self, progress: Progress | None = None) -> Iterator[tuple[str, Item]]:
        """Every record as ``(section, item)``: agencies and professionals first, then family by family."""
        for item in self.agencies:
            yield "agencies", item
        for item in self.professionals:
            yield "professionals", item
        if progress:
            progress("staff", len(self.agencies) + len(self.professionals))
        for index in range(len(self.sizes)):
            produced = list(self._family(index))
            yield from produced
            if progress:
                progress("families", len(produced))

    def _family(self, index: int) -> Iterator[tuple[str, Item]]:
        rng, rates, today = self.rng, self.rates, self.today
        size = self.sizes[index]
        status = self.status[index]
        category = None
        if status == CHILD_PROTECTION:
            names, weights = zip(*rates.cp_categories, strict=True)
            category = rng.choices(names, weights=weights)[0]
        town = self.towns[
            rng.choices(range(len(self.towns)), cum_weights=self.town_cum)[0] if len(self.towns) > 1 else 0
        ]
        family_name = self._family_name()

        # Children: ages spread evenly over 0-17; siblings at least 9 months apart (or twins).
        unborn = 1 if rng.random() < rates.unborn * 1.8 else 0
        born = size - unborn
        ages = self._sibling_ages(born)
        span_years = (max(ages) / 365.25) if ages else 0.0
        highest = max(17.5, min(40.0, 45 - span_years))
        mother_age_first = rng.triangular(17, highest, min(28.0, highest))
        oldest_dob = today - (max(ages) if ages else 0)
        mother_dob = int(oldest_dob - mother_age_first * 365.25 - rng.randrange(365))

        children: list[_Child] = []
        people: list[Item] = []
        for age in ages:
            child = _Child(self._id("c"), today - age, None)
            children.append(child)
            person: Item = {
                "id": child.id,
                "kind": "child",
                "given_name": rng.choices(_GIVEN_CHILD, cum_weights=_GIVEN_CHILD_CUM)[0],
                "family_name": family_name,
                "date_of_birth": _iso(today - age),
                "nhs_number": next(self._nhs),
            }
            if rng.random() < rates.premature:
                person["premature"] = True
            if rng.random() < 0.10:
                person["health_needs"] = [rng.choice(_HEALTH_NEEDS)]
            if rng.random() < (0.06 if status == NONE else 0.12):
                person["disabilities"] = [rng.choice(_DISABILITIES)]
            people.append(person)
        if unborn:
            edd = today + rng.randrange(7, 26 * 7)
            child = _Child(self._id("c"), None, edd)
            children.append(child)
            people.append(
                {
                    "id": child.id,
                    "kind": "child",
                    "family_name": family_name,
                    "expected_date_of_birth": _iso(edd),
                }
            )

        # Adults: a mother (or a lone father), perhaps a second resident adult, perhaps a parent elsewhere.
        lone = rng.random() < rates.lone_parent
        adults: list[
            tuple[Item, str, bool]
        ] = []  # person, relationship to the children, parental responsibility
        mother_ref = None
        if not lone or unborn or rng.random() < 0.86:
            mother = self._adult(family_name if rng.random() < 0.8 else self._family_name(), True, mother_dob)
            adults.append((mother, "mother", True))
            mother_ref = mother["id"]
        if not lone or mother_ref is None:
            step = rng.random() < 0.15 and mother_ref is not None
            partner = self._adult(family_name, False, mother_dob - rng.randint(-2 * 365, 6 * 365))
            adults.append((partner, "step-parent" if step else "father", not step))
        elsewhere = None
        if mother_ref is not None and (lone or adults[-1][1] == "step-parent") and rng.random() < 0.35:
            elsewhere = self._adult(family_name, False, mother_dob - rng.randint(-2 * 365, 8 * 365))
        plan_status_rf = (0.06, 0.5, 0.75, 0.9)[status]
        for person, _, _ in [*adults, *([(elsewhere, "", True)] if elsewhere else [])]:
            person_age = (today - dt.date.fromisoformat(person["date_of_birth"]).toordinal()) / 365.25
            factors: list[str] = []
            if person is adults[0][0] and person_age < 20:
                factors.append("young-parent")
            if rng.random() < plan_status_rf:
                pool = _RISKS_NEGLECT + _RISKS_OTHER
                weights = (4, 4, 4, 1, 1, 1, 1, 1) if status else (1, 1, 2, 2, 2, 2, 1, 1)
                wanted = rng.randint(1, 3 if status >= CHILD_IN_NEED else 1)
                for factor in rng.choices(pool, weights=weights, k=wanted):
                    if factor not in factors and not (
                        factor == "postnatal-depression" and person["id"] != mother_ref
                    ):
                        factors.append(factor)
            if factors:
                person["risk_factors"] = [
                    {
                        "factor": factor,
                        "recorded_on": _iso(today - rng.randrange(1, 3 * 365)),
                        "agency": rng.choice(("csc", "hv", "police", town.gps[0], "mw" if unborn else "hv")),
                    }
                    for factor in factors
                ]
            if status >= CHILD_IN_NEED and rng.random() < 0.4:
                person["childhood_history"] = rng.choice(_CHILDHOOD)
        family = _Family(
            index,
            status,
            category,
            town,
            children,
            [a["id"] for a, _, _ in adults],
            mother_ref,
            gp=rng.choice(town.gps),
        )

        for person in people:
            yield "people", person
        for person, _, _ in adults:
            yield "people", person
        if elsewhere:
            yield "people", elsewhere

        # Relationships: each parent to each child; each pair of siblings once, older to younger.
        for person, kind, responsibility in adults:
            for child in children:
                yield (
                    "relationships",
                    {
                        "from": person["id"],
                        "to": child.id,
                        "type": kind,
                        "parental_responsibility": responsibility,
                    },
                )
        if elsewhere:
            for child in children:
                if child.dob is not None:
                    yield (
                        "relationships",
                        {
                            "from": elsewhere["id"],
                            "to": child.id,
                            "type": "father",
                            "parental_responsibility": True,
                        },
                    )
        half = bool(adults) and adults[-1][1] == "step-parent" and rng.random() < 0.3
        for i, older in enumerate(children):
            for younger in children[i + 1 :]:
                kind = "half-sibling" if half and younger is children[-1] else "sibling"
                yield "relationships", {"from": older.id, "to": younger.id, "type": kind}

        # Households: the main home, and for some children the home of a parent who lives elsewhere.
        main_members = [a["id"] for a, _, _ in adults] + [c.id for c in children]
        home: Item = {"id": self._id("h"), "members": main_members}
        visiting = [c.id for c in children if c.dob is not None] if elsewhere else []
        if visiting:
            home["main_home_for"] = main_members
        home["address"] = self._address(town)
        yield "households", home
        if elsewhere and visiting:
            yield (
                "households",
                {
                    "id": self._id("h"),
                    "members": [elsewhere["id"], *visiting],
                    "main_home_for": [elsewhere["id"]],
                    "address": self._address(town),
                },
            )

        yield from self._involvements(family)
        if not self.people_only:
            yield from _Chronology(self, family).items()

    def _sibling_ages(self, count: int) -> list[int]:
        """Ages in days, oldest first: uniform over 0-17 years; 9+ months apart unless twins."""
        rng = self.rng
        span = 18 * 365
        for _ in range(20):
            ages = sorted((rng.randrange(span) for _ in range(count)), reverse=True)
            if all(a - b >= 280 for a, b in pairwise(ages)):
                break
        if count >= 2 and rng.random() < 0.015:
            ages[-1] = ages[-2]  # twins
        return ages

    def _adult(self, family_name: str, female: bool, dob: int) -> Item:
        rng = self.rng
        dob = min(dob, self.today - 16 * 366)
        person: Item = {
            "id": self._id("a"),
            "kind": "adult",
            "given_name": rng.choice(_GIVEN_ADULT_F if female else _GIVEN_ADULT_M),
            "family_name": family_name,
            "date_of_birth": _iso(dob),
        }
        if rng.random() < 0.6:
            person["nhs_number"] = next(self._nhs)
        return person

    def _address(self, town: _Town) -> Item:
        rng = self.rng
        street = f"{rng.choice(_STREET_FIRST)} {rng.choice(_STREET_SECOND)}"
        number = rng.randint(1, 140)
        district = rng.choice(town.districts)
        inward = f"{rng.randint(1, 9)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"
        line1 = (
            f"Flat {rng.randint(1, 24)}, {number} {street}" if rng.random() < 0.2 else f"{number} {street}"
        )
        return {"line1": line1, "town": town.name, "postcode": f"{district} {inward}"}

    def _involvements(self, family: _Family) -> Iterator[tuple[str, Item]]:
        """The lead (for children with plans), the health visitor (under-5s), the midwife (unborn
        children) and the school (from the reception year to year 13)."""
        rng, today = self.rng, self.today
        status = family.status
        plan_start = today
        if status:
            team = rng.choice(self.eh_teams if status == EARLY_HELP else self.sw_teams)
            family.worker, family.worker_team, family.manager = team.allocate(), team.name, team.manager
            mean = {CHILD_PROTECTION: 210, CHILD_IN_NEED: 270, EARLY_HELP: 150}[status]
            plan_start = today - min(900, int(rng.expovariate(1 / mean)))
        if any(c.dob is not None and today - c.dob < 5 * 365 for c in family.children):
            family.hv = family.town.hv.allocate()
        primary = rng.choice(family.town.primaries)
        secondary = rng.choice(family.town.secondaries)
        as_of = self.as_of
        for child in family.children:
            if status:
                child.plan_start = max(plan_start, child.dob or plan_start)
                yield (
                    "involvements",
                    {
                        "id": self._id("i"),
                        "child": child.id,
                        "agency": "eh" if status == EARLY_HELP else "csc",
                        "professional": family.worker,
                        "team": family.worker_team,
                        "role": "Early help lead professional"
                        if status == EARLY_HELP
                        else "Allocated social worker",
                        "lead": True,
                        "started_on": _iso(child.plan_start),
                    },
                )
            if child.dob is None:
                assert child.edd is not None
                yield (
                    "involvements",
                    {
                        "id": self._id("i"),
                        "child": child.id,
                        "agency": "mw",
                        "professional": self.midwives.allocate(),
                        "team": self.midwives.name,
                        "role": "Community midwife",
                        "started_on": _iso(min(today, child.edd - 30 * 7 + rng.randrange(-14, 14))),
                    },
                )
                continue
            if today - child.dob < 5 * 365:
                yield (
                    "involvements",
                    {
                        "id": self._id("i"),
                        "child": child.id,
                        "agency": "hv",
                        "professional": family.hv,
                        "team": family.town.hv.name,
                        "role": "Health visitor",
                        "started_on": _iso(min(today, child.dob + 12)),
                    },
                )
            born = dt.date.fromordinal(child.dob)
            reception = dt.date(born.year + (4 if born.month < 9 else 5), 9, 1)
            year_seven = reception.replace(year=reception.year + 7)
            if reception <= as_of:
                child.school = secondary if year_seven <= as_of else primary
                yield (
                    "involvements",
                    {
                        "id": self._id("i"),
                        "child": child.id,
                        "agency": child.school,
                        "team": "Safeguarding",
                        "role": "School",
                        "started_on": (year_seven if year_seven <= as_of else reception).isoformat(),
                    },
                )


class _Chronology:
    """The events, assessments, plans and meetings of one family (the second random stream)."""

    def __init__(self, population: SyntheticPopulation, family: _Family) -> None:
        self.p = population
        self.f = family
        self.rng = population.events_rng
        self.today = population.today
        self.window = self.today - population.history_days

    def _event(self, child: _Child, agency: str, kind: str, on: int, **fields: Any) -> Item:
        return {"id": "", "child": child.id, "agency": agency, "type": kind, "at": _iso(on), **fields}

    def items(self) -> Iterator[tuple[str, Item]]:
        for child in self.f.children:
            events = self._events(child)
            events.sort(key=lambda e: e["at"])
            for event in events:
                event["id"] = self.p._id("e")
                yield "events", event
            yield from self._casework(child)

    def _events(self, child: _Child) -> list[Item]:
        rng, f, p, today = self.rng, self.f, self.p, self.today
        rates = p.rates
        events: list[Item] = []
        if child.dob is None:
            return events
        start = max(self.window, child.dob)
        years = (today - start) / 365.25
        if years <= 0:
            return events
        age = (today - child.dob) / 365.25
        under_five = age < 5

        def when() -> int:
            return rng.randint(start, today)

        wnb = rates.was_not_brought[f.status]
        for _ in range(_poisson(rng, (2.0 if under_five else 1.0) * years)):
            on = when()
            if under_five:
                agency, service = rng.choices(
                    (("hv", "Health visiting review"), ("gp", "Immunisations"), ("opd", "Paediatrics")),
                    weights=(4, 4, 2),
                )[0]
            else:
                agency, service = rng.choices(
                    (("gp", "GP appointment"), ("dental", "Dental check-up"), ("opd", "Paediatrics")),
                    weights=(3, 4, 3),
                )[0]
            agency = {"gp": f.gp, "opd": f"opd{f.town.hospital}"}.get(agency, agency)
            draw = rng.random()
            outcome = (
                "was-not-brought"
                if draw < wnb
                else "cancelled-by-family"
                if draw < wnb + (0.03 if f.status == NONE else 0.06)
                else "cancelled-by-provider"
                if draw < wnb + 0.10
                else "attended"
            )
            events.append(self._event(child, agency, "appointment", on, service=service, outcome=outcome))

        band = 0 if age < 1 else 1 if age < 5 else 2 if age < 15 else 3
        multiplier = (1.0, 1.3, 1.6, 2.0)[f.status]
        for _ in range(_poisson(rng, rates.attendances[band] * multiplier * years)):
            on = when()
            reason = rng.choices(("injury", "illness", "ingestion", "other"), weights=(35, 55, 3, 7))[0]
            setting = rng.choices(
                ("emergency-department", "urgent-care", "minor-injuries"), weights=(70, 20, 10)
            )[0]
            event = self._event(
                child, f"ed{f.town.hospital}", "attendance", on, setting=setting, reason=reason
            )
            event["at"] += f"T{rng.randint(0, 23):02d}:{rng.randrange(0, 60, 5):02d}"
            event["text"] = rng.choice(_ATTENDANCE_TEXT[reason])
            events.append(event)

        observer = f.hv if under_five and f.hv else None
        observing_agency = "hv" if under_five else (child.school or f.gp)
        count = (
            rng.randint(2, 6)
            if f.status == CHILD_PROTECTION
            else rng.randint(0, 3)
            if f.status == CHILD_IN_NEED
            else rng.randint(0, 2)
            if f.status == EARLY_HELP
            else (1 if rng.random() < 0.02 else 0)
        )
        pool = _CATEGORY_TAGS[f.category or "neglect"] if f.status else _EVERYDAY_TAGS
        for _ in range(count):
            tags = sorted(set(rng.sample(pool, k=min(len(pool), rng.choice((1, 1, 2))))))
            if "unsafe-sleep" in tags and age >= 1:
                tags = [t for t in tags if t != "unsafe-sleep"] or ["hygiene"]
            if "self-harm" in tags and age < 11:
                tags = [t for t in tags if t != "self-harm"] or ["other"]
            event = self._event(
                child, observing_agency, "observation", when(), tags=tags, text=_OBSERVATION_TEXT[tags[0]]
            )
            if observer:
                event["recorded_by"] = observer
            if "injury" in tags or f.status == CHILD_PROTECTION:
                event["significance"] = "significant"
            events.append(event)

        if f.status and child.plan_start is not None:
            events.extend(self._visits(child))
        elif f.status == NONE and rng.random() < 0.004:
            events.append(
                self._event(
                    child,
                    "eh",
                    "referral",
                    when(),
                    outcome="declined-by-family",
                    text="Early help offered; declined.",
                )
            )
        return events

    def _visits(self, child: _Child) -> list[Item]:
        rng, f, today = self.rng, self.f, self.today
        assert child.plan_start is not None
        assert f.worker is not None
        agency = "eh" if f.status == EARLY_HELP else "csc"
        events: list[Item] = []
        if f.status == EARLY_HELP:
            events.append(self._event(child, "eh", "referral", child.plan_start, outcome="accepted"))
        else:
            events.append(self._event(child, "csc", "allocation", child.plan_start, worker=f.worker))
        gap = {CHILD_PROTECTION: 21, CHILD_IN_NEED: 42, EARLY_HELP: 35}[f.status]
        on = max(child.plan_start, self.window) + rng.randint(3, gap)
        while on <= today:
            location = "main-home" if rng.random() < 0.9 else "elsewhere"
            draw = rng.random()
            outcome = "seen" if draw < 0.85 else "no-access" if draw < 0.95 else "cancelled-by-family"
            events.append(
                self._event(
                    child,
                    agency,
                    "home-visit",
                    on,
                    location=location,
                    outcome=outcome,
                    announced=rng.random() < 0.7,
                    recorded_by=f.worker,
                )
            )
            on += gap + rng.randint(-5, 10)
        if f.status >= CHILD_IN_NEED and f.manager:
            on = max(child.plan_start, self.window) + rng.randint(20, 60)
            while on <= today:
                events.append(
                    self._event(child, "csc", "supervision", on, worker=f.worker, supervisor=f.manager)
                )
                on += rng.randint(35, 70)
        if f.status == CHILD_PROTECTION and f.category in ("physical", "sexual") and rng.random() < 0.6:
            outcome = rng.choice(("no-prosecution", "charged", "under-investigation"))
            events.append(self._event(child, "police", "criminal-case", child.plan_start, outcome=outcome))
        return events

    def _casework(self, child: _Child) -> Iterator[tuple[str, Item]]:
        rng, f, p, today = self.rng, self.f, self.p, self.today
        if not f.status or child.plan_start is None:
            return
        start = child.plan_start
        review_gap = {CHILD_PROTECTION: 183, CHILD_IN_NEED: 91, EARLY_HELP: 91}[f.status]
        first_review = 91 if f.status == CHILD_PROTECTION else review_gap
        reviews: list[Item] = []
        on = start + first_review + rng.randint(-7, 14)
        while on <= today:
            progress = rng.choices(("improved", "no-change", "worse"), weights=(45, 40, 15))[0]
            reviews.append({"held_on": _iso(on), "progress": progress})
            on += review_gap + rng.randint(-10, 20)
        owners = {
            "social-worker": f.worker,
            "parent": f.mother or (f.adults[0] if f.adults else f.worker),
            "health-visitor": f.hv or f.worker,
        }
        actions = []
        for description, owner in rng.sample(_ACTIONS, k=rng.randint(2, 4)):
            due = start + rng.randint(14, 120)
            done = due - rng.randint(0, 10) if due <= today and rng.random() < 0.7 else None
            actions.append(
                {
                    "description": description,
                    "owner": owners[owner],
                    "due_on": _iso(due),
                    "done_on": _iso(done) if done and done >= start else None,
                }
            )
        plan: Item = {
            "id": p._id("p"),
            "child": child.id,
            "type": PLAN_TYPES[f.status],
            "category": f.category,
            "started_on": _iso(start),
            "ended_on": None,
            "lead_professional": f.worker,
            "reviews": reviews,
            "actions": actions,
        }
        if f.status != EARLY_HELP and (f.category in (None, "neglect", "multiple")):
            agreements = []
            for description in rng.sample(_AGREEMENTS, k=rng.randint(1, 3)):
                due = start + rng.randint(28, 180)
                status = (
                    "pending"
                    if due > today
                    else rng.choices(("met", "not-met", "pending"), weights=(6, 3, 1))[0]
                )
                agreements.append({"description": description, "due_on": _iso(due), "status": status})
            plan["agreements"] = agreements
        if f.status == CHILD_PROTECTION and rng.random() < 0.2:
            # About a fifth of child protection plans are a second or later plan for the child (DfE).
            ended = start - rng.randint(180, 900)
            began = ended - rng.randint(120, 400)
            if child.dob is not None and began >= child.dob:
                yield (
                    "plans",
                    {
                        "id": p._id("p"),
                        "child": child.id,
                        "type": "child-protection",
                        "category": f.category,
                        "started_on": _iso(began),
                        "ended_on": _iso(ended),
                        "lead_professional": None,
                        "reviews": [{"held_on": _iso(began + 91), "progress": "improved"}],
                    },
                )
        yield "plans", plan

        if f.category in ("neglect", "multiple") and child.dob is not None:
            on = start + rng.randint(10, 40)
            score = rng.randint(3, 4)
            while on <= today:
                scores = {
                    area: max(1, min(5, score + rng.randint(-1, 1)))
                    for area in ("physical-care", "safety", "emotional-care", "esteem")
                }
                yield (
                    "assessments",
                    {
                        "id": p._id("as"),
                        "child": child.id,
                        "agency": "csc",
                        "template": "graded-care",
                        "completed_on": _iso(on),
                        "assessor": f.worker,
                        "scores": scores,
                    },
                )
                score = max(1, min(5, score + rng.choice((-1, -1, 0, 1))))
                on += rng.randint(150, 240)

        health = "hv" if child.school is None else f.gp
        invited = ["csc", health, *([child.school] if child.school else []), "police"]
        if f.status == CHILD_PROTECTION:
            meetings = [("strategy-discussion", start - rng.randint(3, 20)), ("initial-conference", start)]
            meetings += [
                ("review-conference", dt.date.fromisoformat(r["held_on"]).toordinal()) for r in reviews
            ]
            on = start + rng.randint(10, 30)
            while on <= today:
                meetings.append(("core-group", on))
                on += rng.randint(40, 60)
        elif f.status == EARLY_HELP:
            invited = ["eh", health, *([child.school] if child.school else [])]
            meetings = [("team-around-the-family", start + rng.randint(7, 21))]
            meetings += [
                ("team-around-the-family", dt.date.fromisoformat(r["held_on"]).toordinal()) for r in reviews
            ]
        else:
            meetings = []
        for kind, held in sorted(meetings, key=lambda m: m[1]):
            if held > today:
                continue
            these = invited if rng.random() < 0.9 else [a for a in invited if a != health]
            attended = [a for a in these if a in ("csc", "eh") or rng.random() < 0.75]
            yield (
                "meetings",
                {
                    "id": p._id("g"),
                    "child": child.id,
                    "kind": kind,
                    "held_on": _iso(held),
                    "invited_agencies": these,
                    "attended_agencies": attended,
                },
            )


def synthetic_bundle(
    *,
    children: int,
    seed: int,
    as_of: dt.date = DEFAULT_AS_OF,
    source: str = DEFAULT_SOURCE,
    people_only: bool = False,
    rates: Rates | None = None,
    history_years: int = DEFAULT_HISTORY_YEARS,
) -> dict[str, Any]:
    """The whole bundle as a dict: for tests and small populations (it holds everything in memory)."""
    population = SyntheticPopulation(
        children=children, seed=seed, as_of=as_of, source=source, people_only=people_only, rates=rates,
        history_years=history_years,
    )  # fmt: skip
    bundle: dict[str, Any] = {"format": FORMAT, "source": source}
    for section in population.sections:
        bundle[section] = []
    for section, item in population.items():
        bundle[section].append(item)
    return bundle


def synthetic_bundle_write(
    path: Path,
    *,
    children: int,
    seed: int,
    as_of: dt.date = DEFAULT_AS_OF,
    source: str = DEFAULT_SOURCE,
    people_only: bool = False,
    progress: Progress | None = None,
    history_years: int = DEFAULT_HISTORY_YEARS,
) -> dict[str, int]:
    """Write the bundle to ``path`` without holding it in memory; return the count of each section.

    Each section is spooled to its own temporary file (beside ``path``) as the families are made, one
    JSON object a line; then the sections are joined into ``path`` (written under a temporary name and
    renamed, so a reader never sees half a file).
    """
    population = SyntheticPopulation(
        children=children, seed=seed, as_of=as_of, source=source, people_only=people_only,
        history_years=history_years,
    )  # fmt: skip
    counts = dict.fromkeys(population.sections, 0)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    dumps = json.JSONEncoder(ensure_ascii=True, separators=(",", ":")).encode
    with tempfile.TemporaryDirectory(prefix=".lantern-generate-", dir=path.parent) as spool_dir:
        spools = {
            s: open(Path(spool_dir) / f"{s}.jsonl", "w+", encoding="utf-8", newline="\n")  # noqa: SIM115
            for s in population.sections
        }
        try:
            for section, item in population.items(progress):
                spools[section].write(dumps(item))
                spools[section].write("\n")
                counts[section] += 1
            partial = Path(spool_dir) / "bundle.json"
            with partial.open("w", encoding="utf-8", newline="\n") as out:
                out.write(f'{{"format":{dumps(FORMAT)},"source":{dumps(source)}')
                for section in population.sections:
                    spool = spools[section]
                    spool.seek(0)
                    out.write(f',\n"{section}":[')
                    written = 0
                    for line in spool:
                        out.write(",\n" if written else "\n")
                        out.write(line[:-1])
                        written += 1
                        if progress and written % 10_000 == 0:
                            progress(f"writing {section}", 0)
                    out.write("\n]" if written else "]")
                out.write("}\n")
            os.replace(partial, path)
        finally:
            for spool in spools.values():
                spool.close()
    return counts
