"""Statutory timescales in working days, across England's bank holidays."""

import datetime as dt

import pytest

from lantern.casework.models import MeetingKind
from lantern.casework.timescales import (
    HeldMeeting,
    conference_timescales,
    is_working_day,
    months_after,
    working_days_after,
    working_days_between,
)

D = dt.date


class TestWorkingDays:
    @pytest.mark.parametrize(
        "day",
        [
            D(2025, 12, 25),
            D(2025, 12, 26),
            D(2026, 1, 1),  # Christmas, Boxing Day, New Year
            D(2026, 4, 3),
            D(2026, 4, 6),  # Good Friday and Easter Monday 2026
            D(2027, 3, 26),
            D(2027, 3, 29),  # Easter 2027 comes in March
            D(2026, 12, 28),  # Boxing Day 2026 is a Saturday: its substitute day
            D(2027, 12, 27),
            D(2027, 12, 28),  # Christmas and Boxing Day 2027 at a weekend
            D(2022, 9, 19),
            D(2023, 5, 8),  # one-off: the Queen's funeral, the coronation
        ],
    )
    def test_bank_holidays_are_not_working_days(self, day):
        assert not is_working_day(day)

    @pytest.mark.parametrize("day", [D(2025, 12, 24), D(2025, 12, 29), D(2026, 1, 2), D(2026, 4, 2)])
    def test_ordinary_weekdays_are_working_days(self, day):
        assert is_working_day(day)

    def test_weekends_are_not_working_days(self):
        assert not is_working_day(D(2026, 3, 7))
        assert not is_working_day(D(2026, 3, 8))

    def test_fifteen_working_days_across_christmas_and_new_year(self):
        # Tuesday 16 December 2025 … 24 (7 days), 29 to 31 (10), 2 January (11), 5 to 8 (15).
        assert working_days_after(D(2025, 12, 15), 15) == D(2026, 1, 8)

    def test_fifteen_working_days_across_easter(self):
        # From Friday 27 March 2026: Good Friday (3 April) and Easter Monday (6 April) do not count.
        assert working_days_after(D(2026, 3, 27), 15) == D(2026, 4, 21)

    def test_fifteen_working_days_with_no_holiday_is_three_weeks(self):
        assert working_days_after(D(2026, 6, 1), 15) == D(2026, 6, 22)

    def test_working_days_between_counts_both_ways(self):
        assert working_days_between(D(2025, 12, 15), D(2026, 1, 8)) == 15
        assert working_days_between(D(2026, 1, 8), D(2025, 12, 15)) == -15
        assert working_days_between(D(2026, 1, 8), D(2026, 1, 8)) == 0


class TestMonthsAfter:
    def test_same_day_later(self):
        assert months_after(D(2026, 1, 15), 3) == D(2026, 4, 15)

    def test_short_month_takes_its_last_day(self):
        assert months_after(D(2025, 11, 30), 3) == D(2026, 2, 28)
        assert months_after(D(2026, 8, 31), 6) == D(2027, 2, 28)

    def test_across_the_year(self):
        assert months_after(D(2026, 10, 31), 3) == D(2027, 1, 31)


def held(kind, day):
    return HeldMeeting(kind, day)


class TestConferenceTimescales:
    def test_initial_conference_due_15_working_days_after_the_strategy_discussion(self):
        [initial] = conference_timescales([held(MeetingKind.STRATEGY_DISCUSSION, D(2025, 12, 15))])
        assert initial.due_by == D(2026, 1, 8)
        assert initial.held_on is None
        assert initial.status(D(2026, 1, 8)) == "due"
        assert initial.status(D(2026, 1, 9)) == "overdue"
        assert initial.days_late(D(2026, 1, 12)) == 2  # Friday 9 and Monday 12

    def test_initial_conference_on_the_last_day_is_in_time_and_the_next_working_day_is_late(self):
        on_time = conference_timescales(
            [
                held(MeetingKind.STRATEGY_DISCUSSION, D(2026, 3, 27)),
                held(MeetingKind.INITIAL_CONFERENCE, D(2026, 4, 21)),
            ]
        )
        late = conference_timescales(
            [
                held(MeetingKind.STRATEGY_DISCUSSION, D(2026, 3, 27)),
                held(MeetingKind.INITIAL_CONFERENCE, D(2026, 4, 22)),
            ]
        )
        assert on_time[0].status(D(2026, 5, 1)) == "met"
        assert late[0].status(D(2026, 5, 1)) == "late"
        assert late[0].days_late(D(2026, 5, 1)) == 1

    def test_first_review_within_3_months_then_every_6(self):
        meetings = [
            held(MeetingKind.STRATEGY_DISCUSSION, D(2026, 1, 5)),
            held(MeetingKind.INITIAL_CONFERENCE, D(2026, 1, 20)),
            held(MeetingKind.REVIEW_CONFERENCE, D(2026, 4, 20)),
        ]
        _initial, first_review, next_review = conference_timescales(meetings)
        assert first_review.due == "First review conference"
        assert first_review.due_by == D(2026, 4, 20)
        assert first_review.status(D(2026, 5, 1)) == "met"
        assert next_review.due == "Review conference"
        assert next_review.due_by == D(2026, 10, 20)
        assert next_review.held_on is None
        assert next_review.status(D(2026, 10, 21)) == "overdue"

    def test_a_first_review_a_day_after_3_months_is_late(self):
        meetings = [
            held(MeetingKind.INITIAL_CONFERENCE, D(2026, 1, 20)),
            held(MeetingKind.REVIEW_CONFERENCE, D(2026, 4, 21)),
        ]
        [review, _next] = conference_timescales(meetings)
        assert review.status(D(2026, 5, 1)) == "late"

    def test_core_groups_and_team_around_the_family_start_no_clock(self):
        meetings = [
            held(MeetingKind.CORE_GROUP, D(2026, 1, 5)),
            held(MeetingKind.TEAM_AROUND_THE_FAMILY, D(2026, 2, 5)),
        ]
        assert conference_timescales(meetings) == []

    def test_a_second_strategy_discussion_before_the_conference_does_not_restart_the_clock(self):
        meetings = [
            held(MeetingKind.STRATEGY_DISCUSSION, D(2026, 6, 1)),
            held(MeetingKind.STRATEGY_DISCUSSION, D(2026, 6, 10)),
        ]
        [initial] = conference_timescales(meetings)
        assert initial.due_by == D(2026, 6, 22)
