"""The school clock: only school hours on open days count (pure engine, no database)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpdesk.calendar.school_days import Period, SchoolDay, school_days
from helpdesk.requests.school_clock import (
    SchoolClock,
    add_school_hours,
    school_days_since,
    school_seconds_between,
)

TZ = ZoneInfo("America/New_York")
BELLS = (Period("Period 1", time(8, 0), time(8, 50)), Period("Period 7", time(14, 10), time(15, 0)))
HOLIDAY = date(2026, 11, 9)  # a Monday
DAYS = school_days(
    term_start=date(2026, 9, 1),
    term_end=date(2027, 6, 20),
    rotation=(),
    closed={HOLIDAY},
    schedule_for={},
    default_schedule=BELLS,
)
HOUR = 3600


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), TZ)


def test_counts_only_inside_the_school_day():
    day = date(2026, 11, 4)  # Wednesday
    assert school_seconds_between(local(day, 6), local(day, 9), DAYS, TZ) == HOUR
    assert school_seconds_between(local(day, 6), local(day, 20), DAYS, TZ) == 7 * HOUR
    assert (
        school_seconds_between(local(day, 16), local(day + timedelta(days=1), 8, 30), DAYS, TZ)
        == HOUR / 2
    )


def test_friday_afternoon_before_a_holiday_monday_is_one_hour_on_monday():
    friday = date(2026, 11, 6)
    opened = local(friday, 14)
    assert school_seconds_between(opened, local(HOLIDAY, 14), DAYS, TZ) == HOUR
    assert (
        school_seconds_between(opened, local(HOLIDAY + timedelta(days=1), 12), DAYS, TZ) == 5 * HOUR
    )


def test_add_school_hours_skips_weekend_and_holiday():
    due = add_school_hours(local(date(2026, 11, 6), 14), 4, DAYS, TZ)
    assert due == local(date(2026, 11, 10), 11)
    assert add_school_hours(local(date(2026, 11, 4), 7), 0, DAYS, TZ) == local(date(2026, 11, 4), 7)
    assert add_school_hours(local(date(2027, 6, 18), 8), 100, DAYS, TZ) is None


def test_counting_across_the_clocks_going_back():
    # Fri 30 Oct to Mon 2 Nov 2026 spans the change from EDT to EST: two full school days.
    assert (
        school_seconds_between(local(date(2026, 10, 30), 7), local(date(2026, 11, 2), 16), DAYS, TZ)
        == 14 * HOUR
    )


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        school_seconds_between(datetime(2026, 11, 4, 9), datetime(2026, 11, 4, 10), DAYS, TZ)


def test_school_days_since_counts_whole_open_days_between():
    monday = local(date(2026, 11, 2), 10)
    assert school_days_since(monday, local(date(2026, 11, 6), 10), DAYS, TZ) == 3  # Tue-Thu
    # Tue 3 - Fri 6 and Tue 10 (Mon 9 is the holiday): five by Wed 11
    assert school_days_since(monday, local(date(2026, 11, 11), 7), DAYS, TZ) == 5


instants = st.datetimes(
    min_value=datetime(2026, 10, 20), max_value=datetime(2026, 12, 10), timezones=st.just(UTC)
)


@settings(max_examples=200, deadline=None)
@given(start=instants, middle=instants, end=instants)
def test_more_time_never_counts_less_and_intervals_add_up(start, middle, end):
    a, b, c = sorted((start, middle, end))
    ab = school_seconds_between(a, b, DAYS, TZ)
    bc = school_seconds_between(b, c, DAYS, TZ)
    assert ab >= 0 and bc >= 0
    assert school_seconds_between(a, c, DAYS, TZ) == pytest.approx(ab + bc)
    assert school_seconds_between(a, c, DAYS, TZ) <= (c - a).total_seconds()


@settings(max_examples=200, deadline=None)
@given(start=instants, end=instants)
def test_weekends_and_closed_days_never_count(start, end):
    a, b = sorted((start, end))
    counted = school_seconds_between(a, b, DAYS, TZ)
    only_open = {d: v for d, v in DAYS.items() if d.weekday() < 5 and d != HOLIDAY}
    assert counted == school_seconds_between(a, b, only_open, TZ)
    with_weekend_day = {**DAYS, date(2026, 11, 7): SchoolDay(date(2026, 11, 7), None, ())}
    assert counted == school_seconds_between(a, b, with_weekend_day, TZ)


@settings(max_examples=150, deadline=None)
@given(start=instants, hours=st.integers(min_value=0, max_value=60))
def test_add_school_hours_is_the_inverse_of_counting(start, hours):
    due = add_school_hours(start, hours, DAYS, TZ)
    assert due is not None and due >= start
    assert school_seconds_between(start, due, DAYS, TZ) == pytest.approx(hours * HOUR)


TERM_START = date(2026, 9, 1)


def clock_at(now: datetime) -> SchoolClock:
    return SchoolClock(now, DAYS, TZ, TERM_START)


def test_hours_ago_skips_the_weekend_and_the_holiday():
    friday, tuesday = date(2026, 11, 6), HOLIDAY + timedelta(days=1)
    clock = clock_at(local(tuesday, 11, 30))  # 3.5 school hours since Tuesday 08:00
    assert clock.hours_ago(4) == local(friday, 14, 30)
    assert clock.seconds_since(local(friday, 14, 29)) > 4 * HOUR
    assert clock.seconds_since(local(friday, 14, 30)) == 4 * HOUR


def test_hours_ago_is_none_when_the_term_holds_fewer_hours():
    clock = clock_at(local(TERM_START, 10))  # two hours into the first day of term
    assert clock.hours_ago(2) is None  # nothing before the term counts
    assert clock.hours_ago(1) == local(TERM_START, 9)
    assert clock.seconds_since(local(TERM_START - timedelta(days=30), 9)) == 2 * HOUR


def test_the_clock_refuses_naive_datetimes():
    with pytest.raises(ValueError):
        SchoolClock(datetime(2026, 11, 4, 9), DAYS, TZ, TERM_START)
    with pytest.raises(ValueError):
        clock_at(local(date(2026, 11, 4), 9)).seconds_since(datetime(2026, 11, 4, 8))


@settings(max_examples=200, deadline=None)
@given(now=instants, starts=st.lists(instants, min_size=1, max_size=6))
def test_the_clock_counts_what_school_seconds_between_counts(now, starts):
    clock = clock_at(now)  # one clock answers many starts, in any order
    for start in starts:
        assert clock.seconds_since(start) == pytest.approx(
            school_seconds_between(start, now, DAYS, TZ), abs=1e-6
        )


minutes = st.datetimes(
    min_value=datetime(2026, 10, 20), max_value=datetime(2026, 12, 10), timezones=st.just(UTC)
).map(lambda moment: moment.replace(second=0, microsecond=0))


@settings(max_examples=200, deadline=None)
@given(now=minutes, start=minutes, hours=st.integers(min_value=0, max_value=60))
def test_a_start_before_hours_ago_has_waited_more_than_the_hours(now, start, hours):
    cutoff = clock_at(now).hours_ago(hours)
    waited_more = school_seconds_between(start, now, DAYS, TZ) > hours * HOUR
    assert waited_more == (cutoff is not None and start < cutoff)
