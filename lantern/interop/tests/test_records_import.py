"""Importing the chronology, assessments, plans and meetings (DESIGN.md's example bundle)."""

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from django.apps import apps

from lantern.assessments.models import Assessment
from lantern.casework.models import Meeting, Plan
from lantern.chronology.models import Event
from lantern.interop.bundle_schema import BundleInvalid
from lantern.interop.case_bundle import case_bundle_import
from lantern.interop.records_import import occurred_parse

pytestmark = pytest.mark.django_db

EXAMPLE = json.loads((Path(__file__).parent / "design-example-bundle.json").read_text())


def _example():
    return copy.deepcopy(EXAMPLE)


def _every_table():
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label != "sessions"
    }


class TestEvents:
    def test_every_event_kind_is_written_with_its_details(self):
        case_bundle_import(_example())
        events = {e.source_id: e for e in Event.objects.filter(source="example", is_current=True)}
        assert events["e1"].get_outcome_display() == "Was not brought"
        assert events["e1"].service == "paediatrics"
        assert (events["e2"].setting, events["e2"].reason) == ("emergency-department", "injury")
        assert events["e2"].occurred_time == dt.time(21, 40)
        assert (events["e3"].location, events["e3"].outcome) == ("main-home", "seen")
        assert [t.tag for t in events["e4"].tags.all()] == ["emotional-neglect"]
        assert events["e5"].outcome == "no-prosecution"
        assert events["e6"].outcome == "declined-by-family"
        assert events["e7"].worker.name == "W"
        assert events["e8"].type == "allocation"
        assert all(e.significance == "routine" for k, e in events.items() if k.startswith("e"))

    def test_assessments_plans_and_meetings_are_on_the_chronology_too(self):
        case_bundle_import(_example())
        derived = dict(
            Event.objects.filter(source="example", is_current=True)
            .exclude(source_id__startswith="e")
            .values_list("source_id", "type")
        )
        assert derived == {
            "assessments/a1": "assessment",
            "plans/p1/started/c1": "plan-started",
            "plans/p1/reviews/2025-08-30/c1": "plan-review",
            "meetings/g1": "meeting",
        }
        assert Assessment.objects.get().overall == pytest.approx(3.5)
        plan = Plan.objects.get()
        assert (plan.type, plan.category, plan.lead_professional.name) == ("child-protection", "neglect", "W")
        assert plan.actions.get().owner.source_id == "m1"
        assert plan.agreements.get().status == "not-met"
        assert plan.reviews.get().progress == "no-change"
        meeting = Meeting.objects.get()
        assert sorted(a.source_id for a in meeting.invited_agencies.all()) == ["school", "sw"]
        assert [a.source_id for a in meeting.attended_agencies.all()] == ["sw"]

    def test_reimport_is_a_no_op(self):
        case_bundle_import(_example())
        before = _every_table()
        result = case_bundle_import(_example())
        assert not result.changed
        assert _every_table() == before

    def test_a_corrected_event_supersedes_and_never_duplicates(self):
        case_bundle_import(_example())
        corrected = _example()
        corrected["events"][0]["outcome"] = "cancelled-by-provider"
        result = case_bundle_import(corrected)
        assert result.updated["events"] == 1
        rows = Event.objects.filter(source="example", source_id="e1").order_by("pk")
        original, correction = rows
        assert (original.outcome, original.is_current) == ("was-not-brought", False)
        assert (correction.outcome, correction.is_current, correction.supersedes) == (
            "cancelled-by-provider",
            True,
            original,
        )
        assert case_bundle_import(corrected).changed is False

    def test_a_changed_plan_review_updates_its_chronology_entry_by_superseding(self):
        case_bundle_import(_example())
        changed = _example()
        changed["plans"][0]["reviews"][0]["progress"] = "worse"
        case_bundle_import(changed)
        entry = Event.objects.get(source_id="plans/p1/reviews/2025-08-30/c1", is_current=True)
        assert entry.text.endswith("worse")
        assert Plan.objects.get().reviews.get().progress == "worse"

    @pytest.mark.parametrize(
        ("change", "path"),
        [
            (lambda b: b["events"][0].update(outcome="missed"), "$.events[0].outcome"),
            (lambda b: b["events"][1].pop("id"), "$.events[1]"),
            (lambda b: b["events"][2].update(child="c9"), "$.events[2].child"),
            (lambda b: b["events"][3].update(at="09/05/2025"), "$.events[3].at"),
            (lambda b: b["events"][3].update(tags=["sad"]), "$.events[3].tags[0]"),
            (lambda b: b["plans"][0]["actions"][0].update(owner="nobody"), "$.plans[0].actions[0].owner"),
            (lambda b: b["plans"][0]["actions"][0].pop("due_on"), "$.plans[0].actions[0]"),
            (lambda b: b["meetings"][0].update(kind="chat"), "$.meetings[0].kind"),
            (lambda b: b["assessments"][0].update(child="m1"), "$.assessments[0].child"),
        ],
    )
    def test_an_invalid_bundle_names_the_path_and_changes_no_table(self, change, path):
        bundle = _example()
        change(bundle)
        before = _every_table()
        with pytest.raises(BundleInvalid) as error:
            case_bundle_import(bundle)
        assert any(p.path == path for p in error.value.problems), [str(p) for p in error.value.problems]
        assert _every_table() == before


class TestOccurredParse:
    def test_a_date(self):
        assert occurred_parse("2025-05-01") == (dt.date(2025, 5, 1), None)

    def test_a_local_date_and_time(self):
        assert occurred_parse("2025-05-03T21:40") == (dt.date(2025, 5, 3), dt.time(21, 40))

    def test_an_offset_is_converted_to_local_time(self):
        # 23:30 UTC in British Summer Time is 00:30 the next day.
        assert occurred_parse("2025-05-03T23:30:00Z") == (dt.date(2025, 5, 4), dt.time(0, 30))


class TestFromAFile:
    """Files are streamed (events are never all in memory): the same rules as for a bundle in memory."""

    def _write(self, tmp_path, bundle, name="bundle.json"):
        path = tmp_path / name
        path.write_text(json.dumps(bundle))
        return path

    def test_a_file_imports_exactly_as_the_same_bundle_in_memory(self, tmp_path):
        case_bundle_import(self._write(tmp_path, _example()))
        in_memory = _example()
        in_memory["source"] = "memory"
        del in_memory["people"][0]["nhs_number"]
        case_bundle_import(in_memory)

        def events(source):
            return sorted(
                Event.objects.filter(source=source).values_list(
                    "source_id", "type", "occurred_on", "occurred_time", "outcome", "text"
                )
            )

        assert events("example") == events("memory")
        assert len(events("example")) == 12

    def test_many_events_in_batches_and_again_is_a_no_op(self, tmp_path):
        bundle = _example()
        bundle["events"] = [
            {
                "id": f"n{i}",
                "child": "c1",
                "agency": "hv",
                "type": "appointment",
                "at": f"2025-{i % 12 + 1:02d}-01",
                "outcome": "attended",
            }
            for i in range(12_345)
        ]
        path = self._write(tmp_path, bundle)
        result = case_bundle_import(path)
        assert result.created["events"] == 12_345
        assert not case_bundle_import(path).changed

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ('{"format": "lantern.case-bundle/1", "source": ', "not valid JSON"),
            ("[1, 2]", "not valid JSON: a case bundle is a JSON object"),
            ("", "not valid JSON"),
        ],
    )
    def test_malformed_json_is_refused(self, tmp_path, text, message):
        path = tmp_path / "bad.json"
        path.write_text(text)
        with pytest.raises(BundleInvalid) as error:
            case_bundle_import(path)
        assert message in str(error.value)

    def test_a_missing_file(self, tmp_path):
        with pytest.raises(BundleInvalid, match="file not found"):
            case_bundle_import(tmp_path / "nowhere.json")

    def test_event_problems_name_the_event(self, tmp_path):
        bundle = _example()
        bundle["events"].append(dict(bundle["events"][0]))  # a duplicate id
        bundle["events"].append({**bundle["events"][1], "id": "e99", "child": "c42"})
        bundle["events"].append({**bundle["events"][1], "id": "e98", "agency": "nowhere"})
        before = _every_table()
        with pytest.raises(BundleInvalid) as error:
            case_bundle_import(self._write(tmp_path, bundle))
        assert [str(p) for p in error.value.problems] == [
            "$.events[8].id: duplicate id 'e1' (first at $.events[0])",
            "$.events[9].child: child 'c42' is not in this bundle's people nor already imported",
            "$.events[10].agency: agency 'nowhere' is not in this bundle's agencies nor already imported",
        ]
        assert _every_table() == before

    def test_duplicate_event_ids_across_batches_in_file_order(self, tmp_path, monkeypatch):
        """Events' ids are remembered on disk a batch at a time (ADR 21): a duplicate is found whether
        its first use is in the same batch or an earlier one, and problems stay in the file's order."""
        from lantern.interop import bundle_stream

        monkeypatch.setattr(bundle_stream, "EVENT_BATCH", 3)
        bundle = _example()
        first = bundle["events"][0]
        bundle["events"] += [
            {**first, "id": "e1"},  # [8]: the first is three batches back
            {**first, "id": "n1"},  # [9]
            {**first, "id": "n1"},  # [10]: in the same batch
            {**first, "id": "n2", "at": "someday"},  # [11]: not checked for duplicates, it is invalid
            {**first, "id": "n1"},  # [12]: in the next batch
        ]
        with pytest.raises(BundleInvalid) as error:
            case_bundle_import(self._write(tmp_path, bundle))
        assert [p.path for p in error.value.problems] == [
            "$.events[8].id", "$.events[10].id", "$.events[11].at", "$.events[12].id",
        ]  # fmt: skip
        assert "(first at $.events[9])" in str(error.value.problems[3])

    def test_an_unknown_event_type(self, tmp_path):
        bundle = _example()
        bundle["events"][0]["type"] = "phone-call"
        with pytest.raises(BundleInvalid) as error:
            case_bundle_import(self._write(tmp_path, bundle))
        assert str(error.value.problems[0]).startswith("$.events[0].type: 'phone-call' is not one of")
