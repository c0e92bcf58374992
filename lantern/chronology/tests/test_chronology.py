"""The chronology page, its filters, recording forms and the CSV export."""

import copy
import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from lantern.agencies.tests.factories import InvolvementFactory
from lantern.chronology.models import Event
from lantern.core.models import AccessLogEntry
from lantern.interop.case_bundle import case_bundle_import
from lantern.people.models import Person

pytestmark = pytest.mark.django_db

EXAMPLE = json.loads(
    (Path(__file__).parents[2] / "interop" / "tests" / "design-example-bundle.json").read_text()
)


@pytest.fixture
def example(area):
    """DESIGN.md's example bundle, with the area's allocated social worker involved with its child."""
    case_bundle_import(copy.deepcopy(EXAMPLE))
    child = Person.objects.get(source="example", source_id="c1")
    InvolvementFactory(child=child, agency=area.social_care, team=area.team, professional=area.involved)
    return child


def _csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


class TestRoundTrip:
    def test_every_event_kind_reaches_the_page_and_the_csv(self, client, area, example):
        client.force_login(area.involved)
        page = client.get(reverse("chronology", args=[example.ref])).content.decode()
        rows = _csv(client.get(reverse("chronology-csv", args=[example.ref])))
        summaries = [row[2] for row in rows[1:]]
        expected = [
            "Appointment (paediatrics): was not brought",
            "Emergency department: injury",
            "Home visit at the main home: child seen",
            "Observation: emotional neglect",
            "Graded care assessment: overall 3.50",
            "Criminal case: no prosecution",
            "Child protection (neglect) plan started",
            "Referral: declined by the family",
            "Case supervision: W",
            "Worker allocated: W",
            "Core group",
            "Review of the child protection (neglect) plan: no change",
        ]
        assert summaries == expected
        for summary in expected:
            assert summary in page, summary
        assert rows[0] == ["Date", "Agency", "Event", "Significance", "Tags", "Details", "Child", "Recorded"]
        assert rows[2][0] == "3 May 2025, 9:40pm"

    def test_the_page_is_newest_first_and_can_be_oldest_first(self, client, area, example):
        client.force_login(area.involved)
        newest = client.get(reverse("chronology", args=[example.ref])).content.decode()
        assert newest.index("no change") < newest.index("was not brought")
        oldest = client.get(reverse("chronology", args=[example.ref]) + "?order=oldest").content.decode()
        assert oldest.index("was not brought") < oldest.index("no change")


class TestFilters:
    def _summaries(self, client, child, query):
        rows = _csv(client.get(reverse("chronology-csv", args=[child.ref]) + "?" + query))
        return [row[2] for row in rows[1:]]

    def test_key_events_only(self, client, area, example):
        client.force_login(area.involved)
        assert self._summaries(client, example, "significance=key") == [
            "Child protection (neglect) plan started"
        ]

    def test_by_kind_tag_and_date(self, client, area, example):
        client.force_login(area.involved)
        assert self._summaries(client, example, "type=appointment&type=attendance") == [
            "Appointment (paediatrics): was not brought",
            "Emergency department: injury",
        ]
        assert self._summaries(client, example, "tag=emotional-neglect") == ["Observation: emotional neglect"]
        assert self._summaries(client, example, "date_from=2025-05-03&date_to=2025-05-07") == [
            "Emergency department: injury",
            "Home visit at the main home: child seen",
        ]

    def test_by_agency(self, client, area, example):
        from lantern.agencies.models import Agency

        police = Agency.objects.get(source="example", source_id="police")
        client.force_login(area.involved)
        assert self._summaries(client, example, f"agency={police.pk}") == ["Criminal case: no prosecution"]

    def test_a_backwards_date_range_is_an_error_not_an_empty_list(self, client, area, example):
        client.force_login(area.involved)
        page = client.get(
            reverse("chronology", args=[example.ref]) + "?date_from=2025-06-01&date_to=2025-05-01"
        )
        assert "The &#39;from&#39; date must be on or before the &#39;to&#39; date" in page.content.decode()

    def test_htmx_gets_only_the_results(self, client, area, example):
        client.force_login(area.involved)
        response = client.get(
            reverse("chronology", args=[example.ref]) + "?significance=key",
            headers={"HX-Request": "true", "HX-Target": "chronology-results"},
        )
        page = response.content.decode()
        assert "<html" not in page
        assert "Key events" in page

    def test_siblings_significant_events_only_when_asked_and_only_visible_siblings(
        self, client, area, example
    ):
        from lantern.people.tests.factories import ChildFactory, RelationshipFactory

        sibling = ChildFactory(given_name="Sib")
        RelationshipFactory(
            from_person=example, to_person=sibling, type="sibling", parental_responsibility=False
        )
        Event.objects.create(
            source="t",
            source_id="s1",
            child=sibling,
            type="observation",
            occurred_on="2025-05-05",
            recorded_at="2025-05-05T10:00Z",
            significance="key",
            text="Sibling's key event",
        )
        client.force_login(area.involved)
        url = reverse("chronology", args=[example.ref])
        assert "Sibling&#39;s key event" not in client.get(url + "?siblings=on").content.decode()
        InvolvementFactory(child=sibling, agency=area.social_care, professional=area.involved)
        assert "Sibling&#39;s key event" not in client.get(url).content.decode()
        assert "Sibling&#39;s key event" in client.get(url + "?siblings=on").content.decode()


class TestCorrections:
    def test_corrected_entries_are_shown_to_managers_only(self, client, area, example):
        corrected = copy.deepcopy(EXAMPLE)
        corrected["events"][0]["outcome"] = "attended"
        case_bundle_import(corrected)
        url = reverse("chronology", args=[example.ref]) + "?corrections=on&type=appointment"
        client.force_login(area.involved)
        page = client.get(url).content.decode()
        assert "was not brought" not in page
        assert "Appointment (paediatrics): attended" in page
        client.force_login(area.team_manager)
        page = client.get(url).content.decode()
        assert "was not brought" in page
        assert "Corrected later" in page


class TestAccess:
    @pytest.mark.parametrize(
        "page", ["chronology", "chronology-csv", "record-observation", "record-home-visit"]
    )
    def test_refused_without_a_relationship_and_logged(self, client, area, example, page):
        client.force_login(area.stranger)
        assert client.get(reverse(page, args=[example.ref])).status_code == 403
        assert AccessLogEntry.objects.filter(professional=area.stranger, action="refused", page=page).exists()

    def test_every_view_and_export_is_logged(self, client, area, example):
        client.force_login(area.involved)
        client.get(reverse("chronology", args=[example.ref]))
        client.get(reverse("chronology-csv", args=[example.ref]) + "?significance=key")
        actions = list(
            AccessLogEntry.objects.filter(child=example).order_by("pk").values_list("page", "action")
        )
        assert actions == [("chronology", "view"), ("chronology-csv", "export")]
        assert AccessLogEntry.objects.get(action="export").path.endswith("?significance=key")

    def test_query_count_does_not_grow_with_events(self, client, area, example, django_assert_num_queries):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def add(count, start):
            for n in range(start, start + count):
                event = Event.objects.create(
                    source="t",
                    source_id=f"bulk{n}",
                    child=example,
                    agency=area.school,
                    type="observation",
                    occurred_on=f"2025-{n % 12 + 1:02d}-01",
                    recorded_at="2025-07-01T10:00Z",
                )
                event.tags.create(tag="hygiene")

        client.force_login(area.involved)
        url = reverse("chronology", args=[example.ref])
        add(3, 0)
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        add(80, 3)
        with django_assert_num_queries(len(few.captured_queries)):
            assert client.get(url).status_code == 200


DATE = {"occurred_on-day": "2", "occurred_on-month": "11", "occurred_on-year": "2026"}


class TestRecording:
    def test_an_observation_in_under_a_minute(self, client, area):
        client.force_login(area.involved)
        url = reverse("record-observation", args=[area.child.ref])
        assert client.get(url).status_code == 200
        response = client.post(
            url,
            {
                **DATE,
                "occurred_time": "14:30",
                "tags": ["nutrition", "hygiene"],
                "text": "Ava said she had not eaten since yesterday.",
                "significance": "significant",
            },
        )
        assert response.status_code == 302
        event = Event.objects.get(child=area.child)
        assert (event.type, event.agency, event.recorded_by, event.significance) == (
            "observation",
            area.social_care,
            area.involved,
            "significant",
        )
        assert sorted(t.tag for t in event.tags.all()) == ["hygiene", "nutrition"]
        assert str(event.occurred_time) == "14:30:00"
        assert AccessLogEntry.objects.filter(
            child=area.child, action="record", page="record-observation"
        ).exists()
        page = client.get(response["Location"]).content.decode()
        assert "Ava said she had not eaten since yesterday." in page
        assert "Your observation is on Ava Morgan" in page

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({}, "Enter the date it happened"),
            (
                {"occurred_on-day": "31", "occurred_on-month": "2", "occurred_on-year": "2026"},
                "must be a real date",
            ),
            ({"occurred_on-day": "1", "occurred_on-year": "2026"}, "must include a month"),
            (
                {"occurred_on-day": "1", "occurred_on-month": "1", "occurred_on-year": "2999"},
                "today or in the past",
            ),
            (DATE, "Select at least one thing the observation is about"),
            (DATE, "Enter what you saw or heard"),
        ],
    )
    def test_bad_input_says_what_and_where_and_records_nothing(self, client, area, data, message):
        client.force_login(area.involved)
        response = client.post(reverse("record-observation", args=[area.child.ref]), data)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert "There is a problem" in response.content.decode()
        assert not Event.objects.exists()

    def test_a_home_visit_away_from_the_main_home(self, client, area):
        client.force_login(area.involved)
        response = client.post(
            reverse("record-home-visit", args=[area.child.ref]),
            {
                **DATE,
                "location": "elsewhere",
                "outcome": "seen",
                "announced": "no",
                "text": "Seen at grandmother's.",
                "significance": "routine",
            },
        )
        assert response.status_code == 302
        event = Event.objects.get(child=area.child)
        assert (event.location, event.outcome, event.announced) == ("elsewhere", "seen", False)

    def test_a_home_visit_needs_where_and_whether_seen(self, client, area):
        client.force_login(area.involved)
        response = client.post(
            reverse("record-home-visit", args=[area.child.ref]),
            {**DATE, "text": "x", "significance": "routine"},
        )
        page = response.content.decode()
        assert "Select where the visit was" in page
        assert "Select whether the child was seen" in page


class TestCsvSafety:
    def test_formula_like_text_cannot_run_in_a_spreadsheet(self, client, area):
        Event.objects.create(
            source="t",
            source_id="x",
            child=area.child,
            agency=area.social_care,
            type="observation",
            occurred_on="2025-07-01",
            recorded_at="2025-07-01T10:00Z",
            text='=HYPERLINK("http://example.com")',
        )
        client.force_login(area.involved)
        rows = _csv(client.get(reverse("chronology-csv", args=[area.child.ref])))
        assert rows[1][5].startswith("'=")


class TestPdf:
    def test_a_conference_pdf_of_the_filtered_chronology_is_logged(self, client, area, example):
        client.force_login(area.involved)
        response = client.get(reverse("chronology-pdf", args=[example.ref]) + "?significance=key")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        entry = AccessLogEntry.objects.get(action="export")
        assert (entry.page, entry.child) == ("chronology-pdf", example)

    def test_the_pdf_says_which_events_it_shows(self, area, example):
        from django.template.loader import render_to_string

        from lantern.chronology.presenters import EXPORT_COLUMNS, EventPresenter, filter_description
        from lantern.chronology.selectors import ChronologyFilter, child_chronology

        chosen = ChronologyFilter(significance=["key"], oldest_first=True)
        events = child_chronology(child=example, chronology_filter=chosen)
        html = render_to_string(
            "chronology/chronology_pdf.html",
            {
                "child": example,
                "columns": EXPORT_COLUMNS,
                "rows": [EventPresenter(e).export_row() for e in events],
                "prepared_by": area.involved,
                "prepared_at": None,
                "filters": filter_description(chosen),
            },
        )
        assert "Significance: key event" in html
        assert "Child protection (neglect) plan started" in html
        assert "was not brought" not in html
        assert "OFFICIAL-SENSITIVE" in html

    def test_refused_without_a_relationship(self, client, area, example):
        client.force_login(area.other_agency)
        assert client.get(reverse("chronology-pdf", args=[example.ref])).status_code == 403


class TestImmutability:
    def test_an_event_is_corrected_at_most_once(self, area):
        from django.db import IntegrityError, transaction

        def event(source_id, supersedes=None, current=True):
            return Event.objects.create(
                source="t", source_id=source_id, child=area.child, type="observation",
                occurred_on="2025-07-01", recorded_at="2025-07-01T10:00Z", supersedes=supersedes,
                is_current=current,
            )  # fmt: skip

        original = event("x", current=False)
        assert event("x", supersedes=original).supersedes == original
        with pytest.raises(IntegrityError), transaction.atomic():
            event("y", supersedes=original)  # a second correction of the same event
        # Many events correct nothing: the unique index holds only corrections.
        assert [event(ref).supersedes for ref in ("z", "w")] == [None, None]

    def test_a_recorded_event_cannot_be_saved_again(self, area):
        from lantern.chronology.models import ImmutableEvent

        event = Event.objects.create(
            source="t",
            source_id="x",
            child=area.child,
            type="observation",
            occurred_on="2025-07-01",
            recorded_at="2025-07-01T10:00Z",
            text="as recorded",
        )
        event.text = "changed"
        with pytest.raises(ImmutableEvent):
            event.save()
        event.refresh_from_db()
        assert event.text == "as recorded"


class TestGovukDateInput:
    def test_a_missing_part_marks_that_box_and_the_summary_links_to_it(self, client, area):
        client.force_login(area.involved)
        response = client.post(
            reverse("record-observation", args=[area.child.ref]),
            {"occurred_on-day": "3", "occurred_on-year": "2026", "tags": ["hygiene"], "text": "t"},
        )
        page = response.content.decode()
        assert response.status_code == 400
        assert 'href="#occurred_on-month">The date must include a month' in page
        marked = re.findall(r'class="govuk-input govuk-date-input__input [^"]*" id="occurred_on-(\w+)"', page)
        assert marked == ["day", "month", "year"]
        wrong = re.findall(r'govuk-input--error" id="occurred_on-(\w+)"', page)
        assert wrong == ["month"]

    def test_a_two_figure_year_is_not_taken_as_the_first_century(self, client, area):
        client.force_login(area.involved)
        response = client.post(
            reverse("record-observation", args=[area.child.ref]),
            {**DATE, "occurred_on-year": "26", "tags": ["hygiene"], "text": "t", "significance": "routine"},
        )
        assert response.status_code == 400
        assert (
            'href="#occurred_on-year">The year must include 4 numbers, like 2026' in response.content.decode()
        )
        assert not Event.objects.exists()


class TestFilterPage:
    def test_dates_are_typed_as_people_write_them(self, client, area, example):
        client.force_login(area.involved)
        url = reverse("chronology", args=[example.ref])
        page = client.get(url + "?date_from=3/5/2025&date_to=7%2F5%2F2025").content.decode()
        assert "Emergency department: injury" in page
        assert "was not brought" not in page
        assert "From 3 May 2025" in page  # the selected filters, each removable
        assert f'href="{url}?date_to=7%2F5%2F2025"' in page

    def test_a_date_that_does_not_exist_is_an_error_on_its_box_and_shows_no_events(
        self, client, area, example
    ):
        client.force_login(area.involved)
        response = client.get(reverse("chronology", args=[example.ref]) + "?date_from=31/9/2025")
        page = response.content.decode()
        assert response.status_code == 400
        assert "<title>Error: Chronology" in page
        assert 'href="#date_from">The &#39;from&#39; date must be a real date, like 27/3/2026' in page
        assert "Correct the filters to see the events." in page
        assert "was not brought" not in page

    def test_htmx_gets_the_results_the_status_and_a_tidy_address(self, client, area, example):
        client.force_login(area.involved)
        response = client.get(
            reverse("chronology", args=[example.ref]) + "?significance=key&date_from=&date_to=&order=newest",
            headers={"HX-Request": "true", "HX-Target": "chronology-results"},
        )
        page = response.content.decode()
        assert response["HX-Push-Url"] == reverse("chronology", args=[example.ref]) + "?significance=key"
        assert '<div id="chronology-status" hx-swap-oob="innerHTML">1 key event matches the filters' in page
        assert 'id="chronology-selected-filters" hx-swap-oob="true"' in page
        assert "chronology.csv?significance=key" in page

    def test_htmx_with_a_wrong_date_loads_the_whole_page_to_show_the_error(self, client, area, example):
        client.force_login(area.involved)
        url = reverse("chronology", args=[example.ref]) + "?date_from=nonsense"
        response = client.get(url, headers={"HX-Request": "true", "HX-Target": "chronology-results"})
        assert response.status_code == 400
        assert response["HX-Redirect"] == url


class TestPresenting:
    def test_the_pdf_names_the_agencies_and_dates_as_written(self, area):
        from lantern.chronology.presenters import filter_description
        from lantern.chronology.selectors import ChronologyFilter

        chosen = ChronologyFilter(agencies=[area.school.pk], date_from=dt.date(2026, 9, 1))
        assert (
            filter_description(chosen) == "Agencies: Oakfield Primary School; from 1 September 2026 to today"
        )

    def test_an_imported_event_says_so(self, area):
        from lantern.chronology.presenters import EventPresenter

        event = Event.objects.create(
            source="t",
            source_id="imported",
            child=area.child,
            type="observation",
            occurred_on="2025-07-01",
            recorded_at=dt.datetime(2025, 7, 2, 10, tzinfo=dt.UTC),
        )
        assert EventPresenter(event).recorded == "Imported 2 July 2025"
