"""Counting triggers (counting.py) read two ways: on one child's facts, and in the database for the batch
screen. These tests tie the two, so that neither can drift from the other or from the rule's ``check``."""

import datetime as dt
import json
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lantern.casework.models import Plan
from lantern.chronology.models import Event
from lantern.core.batching import chunks
from lantern.interop.case_bundle import case_bundle_import
from lantern.interop.synthetic import Rates, synthetic_bundle
from lantern.people.models import Person
from lantern.people.tests.factories import ChildFactory
from lantern.screening import engine
from lantern.screening.config import parameters_of, screening_config
from lantern.screening.facts import FACTS, FactsNotLoaded, NotLoaded, child_facts
from lantern.screening.rules import RULES
from lantern.screening.tests.builders import AS_OF, child, days_ago, event, plan

COUNTING = {code: rule for code, rule in RULES.items() if rule.counts is not None}


def test_the_counting_rules():
    assert set(COUNTING) == {"was-not-brought", "repeated-ae-attendance"}


# -- on one child's facts: what check reads, and when it can match ------------------------------------

OUTCOMES = ("attended", "was-not-brought", "cancelled-by-family", "cancelled-by-provider", "")
# Days before the screening date, crowded at the windows' edges (180 and 365 days) and past it (< 0).
DAYS = st.one_of(st.sampled_from([-1, 0, 1, 178, 179, 180, 181, 363, 364, 365, 366]), st.integers(-30, 800))
events = st.lists(
    st.builds(
        lambda kind, outcome, n: event(kind, days_ago(n), outcome=outcome),
        st.sampled_from(["appointment", "attendance", "home-visit", "observation"]),
        st.sampled_from(OUTCOMES),
        DAYS,
    ),
    max_size=8,
)
plans = st.lists(
    st.builds(
        lambda kind, started, ended: plan(
            kind,
            started=days_ago(started),
            ended=None if ended is None else days_ago(started - ended),
        ),
        st.sampled_from(["child-protection", "child-in-need", "early-help"]),
        st.integers(-5, 400),
        st.one_of(st.none(), st.integers(0, 400)),
    ),
    max_size=3,
)


def narrowed(facts, counted, p):
    """What the batch screen loads for a counting rule: the counted events, the facts it reads."""
    loaded = replace(facts, events=tuple(counted.events(facts, p)))
    return replace(loaded, **{name: NotLoaded(name) for name in FACTS - counted.reads})


@settings(max_examples=400, deadline=None)
@given(events=events, plans=plans)
def test_check_reads_only_what_the_batch_loads_and_matches_only_when_counted_says_so(events, plans):
    facts = child(events=tuple(events), plans=tuple(plans))
    for code, rule in COUNTING.items():
        p = parameters_of(code)
        counted = rule.counts
        finding = rule.check(facts, p)
        # The database's ``children`` query is ``matches``: every child check alerts on is among them…
        assert (finding is not None) == counted.matches(facts, p, counted.events(facts, p)), code
        # …and check gives them the same alert from just the facts the batch loads.
        assert rule.check(narrowed(facts, counted, p), p) == finding, code


def test_facts_that_were_not_loaded_cannot_be_read_by_mistake():
    facts = narrowed(child(), RULES["repeated-ae-attendance"].counts, parameters_of("was-not-brought"))
    with pytest.raises(FactsNotLoaded, match="plans were not loaded"):
        facts.open_plans()
    with pytest.raises(FactsNotLoaded):
        len(facts.adults)


# -- in the database: the batch screen gives what the per-child screen gives --------------------------


def _event(child, name, kind, on, outcome="", current=True):
    return Event.objects.create(
        source="edge",
        source_id=f"{child.pk}-{name}",
        child=child,
        type=kind,
        outcome=outcome,
        occurred_on=on,
        recorded_at="2026-11-01T09:00Z",
        is_current=current,
    )


def _plan(child, name, kind, started, ended=None):
    created = Plan.objects.create(
        source="edge", source_id=f"{child.pk}-{name}", type=kind, started_on=started, ended_on=ended
    )
    created.children.add(child)


def _edges():
    """Children at every boundary of the two triggers, as at AS_OF; what each should give."""
    expect = {}

    def edge(name, wnb=False, ae=False):
        made = ChildFactory(source="edge", source_id=name)
        expect[made.ref] = {
            code for code, on in (("was-not-brought", wnb), ("repeated-ae-attendance", ae)) if on
        }
        return made

    day = days_ago
    c = edge("wnb-window-edges-inclusive", wnb=True)
    _event(c, 1, "appointment", day(0), "was-not-brought")
    _event(c, 2, "appointment", day(179), "was-not-brought")
    c = edge("wnb-second-a-day-too-early")
    _event(c, 1, "appointment", day(0), "was-not-brought")
    _event(c, 2, "appointment", day(180), "was-not-brought")
    c = edge("wnb-provider-cancellations-never-count")
    _event(c, 1, "appointment", day(3), "was-not-brought")
    for n in range(3):
        _event(c, f"c{n}", "appointment", day(4 + n), "cancelled-by-provider")
    _event(c, "f", "appointment", day(8), "cancelled-by-family")
    c = edge("wnb-one-superseded")
    _event(c, 1, "appointment", day(3), "was-not-brought")
    _event(c, 2, "appointment", day(4), "was-not-brought", current=False)
    c = edge("wnb-one-after-the-screening-date")
    _event(c, 1, "appointment", day(3), "was-not-brought")
    _event(c, 2, "appointment", day(-1), "was-not-brought")
    c = edge("wnb-one-on-an-open-cp-plan", wnb=True)
    _event(c, 1, "appointment", day(3), "was-not-brought")
    _plan(c, "p", "child-protection", day(30), day(-1))  # ends after the screening date: open then
    c = edge("wnb-one-on-a-cp-plan-that-ended-that-day")
    _event(c, 1, "appointment", day(3), "was-not-brought")
    _plan(c, "p", "child-protection", day(300), day(0))
    c = edge("wnb-one-on-a-cp-plan-that-starts-the-day-after")
    _event(c, 1, "appointment", day(3), "was-not-brought")
    _plan(c, "p", "child-protection", day(-1))
    c = edge("wnb-one-on-a-cp-plan-that-starts-that-day", wnb=True)
    _event(c, 1, "appointment", day(3), "was-not-brought")
    _plan(c, "p", "child-protection", day(0))
    c = edge("wnb-one-on-a-child-in-need-plan")
    _event(c, 1, "appointment", day(3), "was-not-brought")
    _plan(c, "p", "child-in-need", day(30))
    c = edge("wnb-cp-plan-but-the-missed-one-is-outside-the-window")
    _event(c, 1, "appointment", day(180), "was-not-brought")
    _plan(c, "p", "child-protection", day(300))
    c = edge("ae-window-edges-inclusive", ae=True)
    for n, on in enumerate((0, 100, 364)):
        _event(c, n, "attendance", day(on))
    c = edge("ae-third-a-day-too-early")
    for n, on in enumerate((0, 100, 365)):
        _event(c, n, "attendance", day(on))
    c = edge("ae-third-after-the-screening-date")
    for n, on in enumerate((0, 100, -1)):
        _event(c, n, "attendance", day(on))
    c = edge("ae-third-superseded")
    for n, on in enumerate((0, 100, 200)):
        _event(c, n, "attendance", day(on), current=n != 2)
    c = edge("ae-appointments-are-not-attendances")
    for n, on in enumerate((0, 100)):
        _event(c, n, "attendance", day(on))
    _event(c, "a", "appointment", day(5), "attended")
    return expect


@pytest.fixture
def varied_area(db):
    """A generated area (more missed appointments and attendances than usual) and the edge children."""
    rates = Rates(attendances=(1.5, 1.2, 1.0, 1.2), was_not_brought=(0.5, 0.5, 0.5, 0.5))
    result = case_bundle_import(synthetic_bundle(children=400, seed=5, rates=rates), screen_after=False)
    assert result.created["events"] > 1000
    return _edges()


@pytest.fixture
def area_config(tmp_path, monkeypatch):
    """Use an area's screening configuration (LANTERN_SCREENING_CONFIG) for the test."""

    def use(rules):
        path = tmp_path / "area.json"
        path.write_text(json.dumps({"rules": rules}))
        monkeypatch.setenv("LANTERN_SCREENING_CONFIG", str(path))
        screening_config.cache_clear()

    yield use
    monkeypatch.delenv("LANTERN_SCREENING_CONFIG", raising=False)
    screening_config.cache_clear()


def _per_child(ids, as_of):
    """Every rule's check on every child's whole facts, as a single child is screened."""
    found = {}
    for batch in chunks(ids, engine.BATCH):
        for child_id, facts in child_facts(batch, as_of=as_of).items():
            found[child_id] = engine.findings_for(facts)
    return found


def _batch(ids, as_of, monkeypatch):
    """``screen`` with more children than one batch: the counting rules run set-based."""
    monkeypatch.setattr(engine, "BATCH", 50)
    assert len(ids) > engine.BATCH
    timings = {}
    found = dict(engine.screen(ids, as_of=as_of, timings=timings))
    return found, timings


@pytest.mark.django_db
def test_the_batch_screen_gives_every_child_what_the_per_child_screen_gives(varied_area, monkeypatch):
    ids = list(Person.objects.children().order_by("pk").values_list("pk", flat=True))
    adults = list(Person.objects.adults().values_list("pk", flat=True)[:5])  # screened: nothing
    for as_of in (AS_OF, AS_OF - dt.timedelta(days=1), AS_OF + dt.timedelta(days=1)):
        expected = _per_child(ids, as_of)
        found, timings = _batch([*ids, *adults], as_of, monkeypatch)
        assert found == expected, as_of
        assert set(COUNTING) <= set(timings)
        for code, rule in COUNTING.items():  # the database finds exactly the children check alerts on
            alerted = {c for c, f in expected.items() if code in {s.rule for s in f}}
            assert set(rule.counts.children(parameters_of(code), as_of)) == alerted, (code, as_of)
        matched = {code: sum(code in {s.rule for s in f} for f in found.values()) for code in COUNTING}
        assert all(n >= 15 for n in matched.values()), matched  # the area exercises both rules
    found, _ = _batch(ids, AS_OF, monkeypatch)
    by_ref = {}
    for s in (s for f in found.values() for s in f if s.rule in COUNTING):
        by_ref.setdefault(s.child, set()).add(s.rule)
    assert {ref: by_ref.get(ref, set()) for ref in varied_area} == varied_area


@pytest.mark.django_db
def test_the_batch_screen_reads_the_areas_parameters(varied_area, monkeypatch, area_config):
    ids = list(Person.objects.children().order_by("pk").values_list("pk", flat=True))
    for rules in (
        {"was-not-brought": {"window_days": 120, "count": 1}, "repeated-ae-attendance": {"count": 2}},
        {"was-not-brought": {"count": 3}, "repeated-ae-attendance": {"window_days": 730, "count": 4}},
    ):
        area_config(rules)
        assert parameters_of("was-not-brought") != RULES["was-not-brought"].parameters
        assert _batch(ids, AS_OF, monkeypatch)[0] == _per_child(ids, AS_OF), rules


@pytest.mark.django_db
def test_a_fixed_number_of_queries_for_the_whole_area(varied_area, django_assert_max_num_queries):
    ids = list(Person.objects.children().values_list("pk", flat=True))
    # Each rule: the children who match (one query), then their facts: the children, the counted events
    # and their tags, and for was-not-brought the plans (5 queries).
    with django_assert_max_num_queries(4 + 9):
        found = engine.counted_findings(ids, as_of=AS_OF)
    assert all(len(found[code]) >= 15 for code in COUNTING)
