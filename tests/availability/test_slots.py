"""The slot engine: examples first, then one Hypothesis property per rule of the module docstring."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpdesk.availability.slots import (
    Busy,
    Rules,
    Slot,
    Window,
    bookable_slots,
    still_bookable,
)
from helpdesk.calendar.school_days import DayOverride, Period, SchoolDay, school_days

NY = ZoneInfo("America/New_York")
P1 = Period("Period 1", time(8, 0), time(8, 50))
P4 = Period("Period 4", time(10, 0), time(10, 50))
NORMAL = (P1, P4)
EARLY = (Period("Period 1", time(8, 0), time(8, 30)), Period("Period 4", time(9, 0), time(9, 50)))
NO_P4 = (P1,)
PERIOD_4_ON_A_DAYS = Window(period="Period 4", day_types=frozenset({"A"}))


def term(first, last, **kwargs):
    args = {
        "term_start": first,
        "term_end": last,
        "rotation": ["A", "B"],
        "closed": (),
        "schedule_for": {},
        "default_schedule": NORMAL,
    }
    return school_days(**(args | kwargs))


def slots(**kwargs):
    args = {
        "windows": [PERIOD_4_ON_A_DAYS],
        "tz": NY,
        "rules": Rules(session_minutes=50, min_notice=timedelta(0)),
    }
    return bookable_slots(**(args | kwargs))


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def local_starts(found, tz=NY):
    return [slot.start_at.astimezone(tz) for slot in found]


# Examples


def test_period_4_on_a_days_stays_at_10_local_across_spring_forward():
    days = term(date(2026, 3, 2), date(2026, 3, 13))
    found = slots(
        school_days=days, now=utc(2026, 3, 1, 12), start=date(2026, 3, 2), end=date(2026, 3, 13)
    )
    assert [s.start_at for s in found] == [
        utc(2026, 3, 2, 15),
        utc(2026, 3, 4, 15),
        utc(2026, 3, 6, 15),
        utc(2026, 3, 10, 14),
        utc(2026, 3, 12, 14),
    ]
    assert {start.time() for start in local_starts(found)} == {time(10, 0)}
    offsets = [start.utcoffset() for start in local_starts(found)]
    assert offsets == [timedelta(hours=-5)] * 3 + [timedelta(hours=-4)] * 2
    assert all(s.end_at - s.start_at == timedelta(minutes=50) for s in found)


def test_period_4_on_a_days_stays_at_10_local_across_fall_back():
    days = term(date(2026, 10, 26), date(2026, 11, 6))
    found = slots(
        school_days=days, now=utc(2026, 10, 25, 12), start=date(2026, 10, 26), end=date(2026, 11, 6)
    )
    assert [s.start_at for s in found] == [
        utc(2026, 10, 26, 14),
        utc(2026, 10, 28, 14),
        utc(2026, 10, 30, 14),
        utc(2026, 11, 3, 15),
        utc(2026, 11, 5, 15),
    ]
    assert {start.time() for start in local_starts(found)} == {time(10, 0)}


def test_early_dismissal_moves_period_4_and_a_day_without_it_has_no_slot():
    days = term(
        date(2026, 3, 2),
        date(2026, 3, 6),
        overrides={
            date(2026, 3, 4): DayOverride(periods=EARLY),
            date(2026, 3, 6): DayOverride(periods=NO_P4),
        },
    )
    found = slots(
        school_days=days, now=utc(2026, 3, 1), start=date(2026, 3, 2), end=date(2026, 3, 6)
    )
    assert [s.start_at.astimezone(NY).replace(tzinfo=None) for s in found] == [
        datetime(2026, 3, 2, 10, 0),
        datetime(2026, 3, 4, 9, 0),
    ]


def test_candidates_every_step_fit_inside_a_free_time_window():
    days = term(date(2026, 3, 2), date(2026, 3, 2))
    rules = Rules(session_minutes=30, step_minutes=15, min_notice=timedelta(0))
    found = slots(
        windows=[Window(start=time(10, 0), end=time(10, 50))],
        school_days=days,
        rules=rules,
        now=utc(2026, 3, 1),
        start=date(2026, 3, 2),
        end=date(2026, 3, 2),
    )
    assert [s.start_at.astimezone(NY).time() for s in found] == [time(10, 0), time(10, 15)]
    assert {(s.period, s.day_type) for s in found} == {(None, "A")}


def test_a_period_offers_back_to_back_sessions_from_its_start_with_its_name():
    days = term(
        date(2026, 3, 2),
        date(2026, 3, 2),
        default_schedule=(Period("Period 4", time(10, 45), time(11, 25)),),
    )
    found = slots(
        windows=[PERIOD_4_ON_A_DAYS, Window(start=time(10, 30), end=time(11, 30))],
        school_days=days,
        rules=Rules(session_minutes=20, step_minutes=15, min_notice=timedelta(0)),
        now=utc(2026, 3, 1),
        start=date(2026, 3, 2),
        end=date(2026, 3, 2),
    )
    labelled = [(s.start_at.astimezone(NY).time(), s.period) for s in found]
    # The period gives 10:45 and 11:05 (never 11:00); the free time around it adds its own grid.
    assert labelled == [
        (time(10, 30), None),
        (time(10, 45), "Period 4"),
        (time(11, 0), None),
        (time(11, 5), "Period 4"),
    ]
    assert {s.day_type for s in found} == {"A"}


def test_a_week_off_gives_no_slots_that_week():
    days = term(date(2026, 3, 2), date(2026, 3, 13))
    found = slots(
        school_days=days,
        now=utc(2026, 3, 1),
        start=date(2026, 3, 2),
        end=date(2026, 3, 13),
        time_off=[(date(2026, 3, 9), date(2026, 3, 13))],
    )
    assert [s.start_at.date() for s in found] == [
        date(2026, 3, 2),
        date(2026, 3, 4),
        date(2026, 3, 6),
    ]


def test_time_off_is_inclusive_of_both_ends():
    days = term(date(2026, 3, 2), date(2026, 3, 13))
    found = slots(
        school_days=days,
        now=utc(2026, 3, 1),
        start=date(2026, 3, 2),
        end=date(2026, 3, 13),
        time_off=[(date(2026, 3, 2), date(2026, 3, 2)), (date(2026, 3, 6), date(2026, 3, 10))],
    )
    assert [s.start_at.date() for s in found] == [date(2026, 3, 4), date(2026, 3, 12)]


AFTERNOON = Window(start=time(14, 0), end=time(17, 0))
MONDAY = date(2026, 3, 2)
MONDAY_ONLY = {MONDAY: SchoolDay(MONDAY, "A", NORMAL)}


SUNDAY_BEFORE = utc(2026, 3, 1)


def afternoon(rules, now=SUNDAY_BEFORE, busy=()):
    return bookable_slots(
        windows=[AFTERNOON],
        school_days=MONDAY_ONLY,
        tz=ZoneInfo("UTC"),
        rules=rules,
        now=now,
        start=MONDAY,
        end=MONDAY,
        busy=busy,
    )


def times(found):
    return [s.start_at.time() for s in found]


def test_buffer_blocks_around_busy_sessions_but_touching_is_allowed():
    busy = [Busy(utc(2026, 3, 2, 15), utc(2026, 3, 2, 15, 30))]
    found = afternoon(
        Rules(session_minutes=30, buffer_minutes=15, min_notice=timedelta(0)), busy=busy
    )
    assert times(found) == [
        time(14, 0),
        time(14, 15),
        time(15, 45),
        time(16, 0),
        time(16, 15),
        time(16, 30),
    ]
    no_buffer = afternoon(Rules(session_minutes=30, min_notice=timedelta(0)), busy=busy)
    assert time(14, 30) in times(no_buffer) and time(14, 45) not in times(no_buffer)
    assert time(15, 30) in times(no_buffer)


def test_busy_sessions_in_another_zone_are_compared_as_instants():
    busy = [Busy(datetime(2026, 3, 2, 10, tzinfo=NY), datetime(2026, 3, 2, 10, 30, tzinfo=NY))]
    found = afternoon(
        Rules(session_minutes=30, step_minutes=30, min_notice=timedelta(0)), busy=busy
    )
    assert time(15, 0) not in times(found)
    assert time(14, 30) in times(found) and time(15, 30) in times(found)


def test_a_session_inside_another_does_not_shorten_the_block():
    busy = [
        Busy(utc(2026, 3, 2, 14), utc(2026, 3, 2, 16)),
        Busy(utc(2026, 3, 2, 14, 30), utc(2026, 3, 2, 15)),
    ]
    found = afternoon(Rules(session_minutes=30, min_notice=timedelta(0)), busy=busy)
    assert times(found) == [time(16, 0), time(16, 15), time(16, 30)]


def test_notice_is_compared_in_local_dates_late_in_the_evening():
    day = date(2026, 3, 2)
    found = slots(
        school_days={day: SchoolDay(day, "A", NORMAL)},
        windows=[Window(start=time(22, 0), end=time(23, 30))],
        rules=Rules(session_minutes=30, step_minutes=30, min_notice=timedelta(minutes=30)),
        now=utc(2026, 3, 3, 2, 30),
        start=day,
        end=day,
    )
    assert [s.start_at.astimezone(NY).time() for s in found] == [time(22), time(22, 30), time(23)]


def test_horizon_is_compared_in_local_dates_early_in_the_morning():
    day = date(2026, 3, 11)
    sydney = ZoneInfo("Australia/Sydney")
    found = slots(
        school_days={day: SchoolDay(day, "A", NORMAL)},
        windows=[Window(start=time(7, 0), end=time(9, 0))],
        tz=sydney,
        rules=Rules(
            session_minutes=30, step_minutes=30, min_notice=timedelta(0), horizon=timedelta(hours=1)
        ),
        now=utc(2026, 3, 10, 20),
        start=day,
        end=day,
    )
    assert [s.start_at.astimezone(sydney).time() for s in found] == [time(7), time(7, 30), time(8)]


def test_min_notice_counts_from_now():
    rules = Rules(session_minutes=30, min_notice=timedelta(hours=2))
    assert times(afternoon(rules, now=utc(2026, 3, 2, 12, 20)))[0] == time(14, 30)
    assert times(afternoon(rules, now=utc(2026, 3, 2, 12, 15)))[0] == time(14, 15)
    assert times(afternoon(Rules(session_minutes=30), now=utc(2026, 3, 1, 16)))[0] == time(16, 0)
    assert afternoon(Rules(session_minutes=30), now=utc(2026, 3, 1, 16, 31)) == []


def test_horizon_is_the_latest_start():
    rules = Rules(
        session_minutes=30, step_minutes=30, min_notice=timedelta(0), horizon=timedelta(days=1)
    )
    found = afternoon(rules, now=utc(2026, 3, 1, 15))
    assert times(found) == [time(14, 0), time(14, 30), time(15, 0)]


def test_weekly_cap_closes_a_full_week_in_local_time():
    days = term(date(2026, 3, 9), date(2026, 3, 20))
    busy = [Busy(datetime(2026, 3, 15, 23, 30, tzinfo=NY), datetime(2026, 3, 16, 0, tzinfo=NY))]
    rules = Rules(session_minutes=50, min_notice=timedelta(0), weekly_cap=1)
    found = slots(
        school_days=days,
        rules=rules,
        now=utc(2026, 3, 8),
        start=date(2026, 3, 9),
        end=date(2026, 3, 20),
        busy=busy,
    )
    assert busy[0].start_at.astimezone(UTC).date() == date(2026, 3, 16)
    assert [s.start_at.date() for s in found] == [date(2026, 3, 17), date(2026, 3, 19)]
    uncapped = slots(
        school_days=days,
        now=utc(2026, 3, 8),
        start=date(2026, 3, 9),
        end=date(2026, 3, 20),
        busy=busy,
    )
    assert len(uncapped) == 5


def test_weekly_cap_counts_sessions_up_to_the_cap():
    days = term(date(2026, 3, 9), date(2026, 3, 13))
    one = [Busy(utc(2026, 3, 9, 20), utc(2026, 3, 9, 21))]
    two = one + [Busy(utc(2026, 3, 10, 20), utc(2026, 3, 10, 21))]
    rules = Rules(session_minutes=50, min_notice=timedelta(0), weekly_cap=2)
    window = {
        "school_days": days,
        "rules": rules,
        "now": utc(2026, 3, 8),
        "start": date(2026, 3, 9),
        "end": date(2026, 3, 13),
    }
    assert len(slots(**window, busy=one)) == 3
    assert slots(**window, busy=two) == []
    assert (
        slots(
            **(window | {"rules": Rules(session_minutes=50, min_notice=timedelta(0), weekly_cap=0)})
        )
        == []
    )


def test_overlapping_windows_give_each_slot_once():
    windows = [AFTERNOON, Window(start=time(15, 0), end=time(16, 0)), AFTERNOON]
    found = bookable_slots(
        windows=windows,
        school_days=MONDAY_ONLY,
        tz=ZoneInfo("UTC"),
        rules=Rules(session_minutes=60, step_minutes=60, min_notice=timedelta(0)),
        now=utc(2026, 3, 1),
        start=MONDAY,
        end=MONDAY,
    )
    assert times(found) == [time(14, 0), time(15, 0), time(16, 0)]


def test_days_outside_the_map_and_one_off_windows():
    days = term(date(2026, 3, 2), date(2026, 3, 6), closed={date(2026, 3, 4)})
    windows = [
        Window(start=time(15, 0), end=time(16, 0), on=date(2026, 3, 3)),
        Window(start=time(15, 0), end=time(16, 0), on=date(2026, 3, 4)),
    ]
    found = slots(
        school_days=days,
        windows=windows,
        now=utc(2026, 3, 1),
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
        rules=Rules(session_minutes=60, min_notice=timedelta(0)),
    )
    assert found == [Slot(utc(2026, 3, 3, 20), utc(2026, 3, 3, 21))]


def test_weekday_windows():
    days = term(date(2026, 3, 2), date(2026, 3, 6))
    found = slots(
        school_days=days,
        windows=[Window(start=time(15, 0), end=time(16, 0), weekdays=frozenset({1, 3}))],
        now=utc(2026, 3, 1),
        start=date(2026, 3, 2),
        end=date(2026, 3, 6),
        rules=Rules(session_minutes=60, min_notice=timedelta(0)),
    )
    assert [s.start_at.astimezone(NY).date() for s in found] == [date(2026, 3, 3), date(2026, 3, 5)]


def sunday(day):
    return {day: SchoolDay(day, None, NORMAL)}


def test_times_in_the_spring_forward_gap_are_skipped():
    day = date(2026, 3, 8)
    found = slots(
        school_days=sunday(day),
        windows=[Window(start=time(1, 0), end=time(4, 0))],
        rules=Rules(session_minutes=30, step_minutes=30, min_notice=timedelta(0)),
        now=utc(2026, 3, 1),
        start=day,
        end=day,
    )
    assert [s.start_at for s in found] == [
        utc(2026, 3, 8, 6, 0),
        utc(2026, 3, 8, 6, 30),
        utc(2026, 3, 8, 7, 0),
        utc(2026, 3, 8, 7, 30),
    ]
    assert [s.start_at.astimezone(NY).time() for s in found] == [
        time(1),
        time(1, 30),
        time(3),
        time(3, 30),
    ]


def test_a_gap_time_is_not_moved_to_the_hour_after():
    day = date(2026, 3, 8)
    found = slots(
        school_days=sunday(day),
        windows=[Window(start=time(1, 30), end=time(2, 30))],
        rules=Rules(session_minutes=15, step_minutes=15, min_notice=timedelta(0)),
        now=utc(2026, 3, 1),
        start=day,
        end=day,
    )
    assert [s.start_at.astimezone(NY).time() for s in found] == [time(1, 30), time(1, 45)]


def test_ambiguous_times_use_the_first_occurrence():
    day = date(2026, 11, 1)
    found = slots(
        school_days=sunday(day),
        windows=[Window(start=time(0, 30), end=time(2, 0))],
        rules=Rules(session_minutes=30, step_minutes=30, min_notice=timedelta(0)),
        now=utc(2026, 10, 25),
        start=day,
        end=day,
    )
    assert [s.start_at for s in found] == [
        utc(2026, 11, 1, 4, 30),
        utc(2026, 11, 1, 5, 0),
        utc(2026, 11, 1, 5, 30),
    ]


def test_a_busy_session_through_the_repeated_hour_is_read_in_utc():
    day = date(2026, 11, 1)
    busy = Busy(
        datetime(2026, 11, 1, 1, 5, tzinfo=NY), datetime(2026, 11, 1, 1, 0, fold=1, tzinfo=NY)
    )
    found = slots(
        school_days=sunday(day),
        windows=[Window(start=time(0, 0), end=time(3, 0))],
        rules=Rules(session_minutes=30, step_minutes=30, min_notice=timedelta(0)),
        now=utc(2026, 10, 25),
        start=day,
        end=day,
        busy=[busy],
    )
    assert [s.start_at for s in found] == [
        utc(2026, 11, 1, 4, 0),
        utc(2026, 11, 1, 4, 30),
        utc(2026, 11, 1, 7, 0),
        utc(2026, 11, 1, 7, 30),
    ]


@pytest.mark.parametrize(
    "change",
    [
        {"now": datetime(2026, 3, 1, 12)},
        {"busy": [Busy(datetime(2026, 3, 2, 15), datetime(2026, 3, 2, 16, tzinfo=UTC))]},
        {"busy": [Busy(utc(2026, 3, 2, 15), datetime(2026, 3, 2, 16))]},
        {"busy": [Busy(utc(2026, 3, 2, 16), utc(2026, 3, 2, 15))]},
        {"rules": Rules(session_minutes=0)},
        {"rules": Rules(session_minutes=-30)},
        {"rules": Rules(session_minutes=30, step_minutes=0)},
        {"rules": Rules(session_minutes=30, buffer_minutes=-5)},
        {"start": date(2026, 3, 6), "end": date(2026, 3, 5)},
        {"time_off": [(date(2026, 3, 6), date(2026, 3, 5))]},
    ],
)
def test_rejects_bad_input(change):
    args = {
        "school_days": term(date(2026, 3, 2), date(2026, 3, 6)),
        "now": utc(2026, 3, 1),
        "start": date(2026, 3, 2),
        "end": date(2026, 3, 6),
    }
    with pytest.raises(ValueError):
        slots(**(args | change))


def test_a_period_window_ignores_its_own_times():
    days = term(date(2026, 3, 2), date(2026, 3, 2))
    window = Window(period="Period 4", start=time(15), end=time(16))
    found = slots(
        school_days=days,
        windows=[window],
        now=utc(2026, 3, 1),
        start=date(2026, 3, 2),
        end=date(2026, 3, 2),
    )
    assert [s.start_at.astimezone(NY).time() for s in found] == [time(10)]


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"start": time(10)},
        {"start": time(11), "end": time(10)},
        {"start": time(10), "end": time(10)},
        {"start": time(10), "end": time(11), "weekdays": frozenset({7})},
    ],
)
def test_rejects_malformed_windows(kwargs):
    with pytest.raises(ValueError):
        Window(**kwargs)


# Properties. Scenarios lean on the weeks around each zone's clock changes, include weekend
# school days (clocks change on Sundays) and night periods, so gaps and repeated hours come up.

ZONES = {
    name: ZoneInfo(name)
    for name in ("America/New_York", "Europe/London", "Australia/Sydney", "UTC")
}
# Mondays of the weeks holding each zone's 2026 clock changes (on the Sunday).
CLOCK_CHANGE_WEEKS = {
    "America/New_York": [date(2026, 3, 2), date(2026, 10, 26)],
    "Europe/London": [date(2026, 3, 23), date(2026, 10, 19)],
    "Australia/Sydney": [date(2026, 3, 30), date(2026, 9, 28)],
    "UTC": [date(2026, 3, 2)],
}
NIGHT = (Period("Period 4", time(1, 0), time(3, 30)), Period("Late", time(0, 45), time(2, 50)))
SCHEDULES = [NORMAL, EARLY, NO_P4, NIGHT]
ONE_DAY = timedelta(days=1)


def clock(minutes):
    return time(minutes // 60, minutes % 60)


def span(first, last):
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@st.composite
def often(draw, value, strategy):
    """Mostly `value`, sometimes a draw from strategy."""
    return draw(strategy) if draw(st.integers(0, 3)) == 0 else value


five_minutes = st.integers(0, 23 * 12 - 1).map(lambda n: n * 5)
window_opens = st.one_of(
    five_minutes,
    st.integers(0, 4 * 12).map(lambda n: n * 5),
    st.integers(84, 192).map(lambda n: n * 5),
)
window_lengths = st.integers(1, 48) | st.integers(6, 48)
periods = st.sampled_from(["Period 1", "Period 4", "Period 4", "Late"])
weekday_filters = often(frozenset(), st.frozensets(st.integers(0, 6), min_size=1))
day_type_filters = often(frozenset(), st.frozensets(st.sampled_from(["A", "B"]), min_size=1))


@st.composite
def windows(draw, days):
    if draw(st.booleans()):
        opens = draw(window_opens)
        closes = min(opens + 5 * draw(window_lengths), 24 * 60 - 5)
        where = {"start": clock(opens), "end": clock(closes)}
    else:
        where = {"period": draw(periods)}
    return Window(
        **where,
        weekdays=draw(weekday_filters),
        day_types=draw(day_type_filters),
        on=draw(often(None, st.sampled_from(days))),
    )


@st.composite
def scenarios(draw, clock_change=False):
    """A mentor's week or two; with clock_change, always a night school day on a change Sunday."""
    name = draw(st.sampled_from(sorted(ZONES.keys() - {"UTC"} if clock_change else ZONES)))
    tz = ZONES[name]
    if clock_change:
        change = draw(st.sampled_from(CLOCK_CHANGE_WEEKS[name])) + 6 * ONE_DAY
        start = change - timedelta(days=draw(st.integers(0, 6)))
        end = change + timedelta(days=draw(st.integers(0, 6)))
    else:
        anchor = draw(
            st.sampled_from(CLOCK_CHANGE_WEEKS[name])
            | st.dates(date(2025, 1, 1), date(2028, 12, 31))
        )
        start = anchor + timedelta(days=draw(st.integers(0, 6)))
        end = start + timedelta(days=draw(st.integers(0, 13)))
    around = span(start - 2 * ONE_DAY, end + 2 * ONE_DAY)
    days = {}
    for day in around:
        if draw(st.integers(0, 4)):
            day_type = draw(st.sampled_from([None, "A", "B"]))
            days[day] = SchoolDay(day, day_type, draw(st.sampled_from(SCHEDULES)))
    night = []
    if clock_change:
        days[change] = SchoolDay(change, draw(st.sampled_from([None, "A", "B"])), NIGHT)
        night = [Window(period=draw(st.sampled_from(["Late", "Period 4"])))]
    midnight = datetime.combine(start, time(), tzinfo=tz).astimezone(UTC)

    def instant(minutes):
        moment = midnight + timedelta(minutes=minutes)
        return moment.astimezone(tz) if draw(st.booleans()) else moment

    # Some sessions straddle the local start of a week, where the cap's week is decided.
    monday = start + timedelta(days=7 - start.weekday())
    week_turn = (datetime.combine(monday, time(), tzinfo=tz) - midnight) // timedelta(minutes=5)
    starts = st.integers(-2 * 288, 16 * 288) | st.integers(week_turn - 144, week_turn + 144)
    sessions = st.tuples(starts.map(lambda n: n * 5), st.integers(1, 24).map(lambda n: n * 5))
    busy = [
        Busy(instant(at), instant(at + length))
        for at, length in draw(st.lists(sessions, max_size=8))
    ]
    if busy and draw(st.booleans()):
        outer = draw(st.sampled_from(busy))
        outer_start, outer_end = outer.start_at.astimezone(UTC), outer.end_at.astimezone(UTC)
        quarter = (outer_end - outer_start) / 4
        busy.append(Busy(outer_start + quarter, outer_end - quarter))
    time_off = [
        (first, first + timedelta(days=length))
        for first, length in draw(
            st.lists(st.tuples(st.sampled_from(around), st.integers(0, 5)), max_size=2)
        )
    ]
    minutes = st.integers(0, 72 * 12).map(lambda n: n * 5)
    rules = Rules(
        session_minutes=draw(st.sampled_from([10, 20, 30, 45, 50, 60])),
        buffer_minutes=draw(st.sampled_from([0, 5, 10, 15, 30])),
        min_notice=timedelta(minutes=draw(st.sampled_from([0, 60, 24 * 60]) | minutes)),
        horizon=timedelta(
            minutes=draw(
                st.sampled_from([28 * 1440, 14 * 1440]) | minutes | minutes.map(lambda m: m * 8)
            )
        ),
        weekly_cap=draw(st.sampled_from([None, None, 0, 1, 2, 3])),
        step_minutes=draw(st.sampled_from([5, 10, 15, 20, 30])),
    )
    return {
        "windows": draw(st.lists(windows(around), min_size=1, max_size=4)) + night,
        "school_days": days,
        "tz": tz,
        "rules": rules,
        "now": instant(5 * draw(st.integers(-4 * 288, 288))),
        "start": start,
        "end": end,
        "busy": busy,
        "time_off": time_off,
    }


def applies(window, school_day):
    if window.on is not None:
        return window.on == school_day.on
    return (not window.weekdays or school_day.on.weekday() in window.weekdays) and (
        not window.day_types or school_day.day_type in window.day_types
    )


def window_bounds(window, school_day):
    """Local wall-clock bounds of a window on a day, or None."""
    if window.period is None:
        return window.start, window.end
    for period in school_day.periods:
        if period.name == window.period:
            return period.start, period.end
    return None


def step_of(window, rules):
    """A period offers back-to-back sessions from its start; free time, every step."""
    return timedelta(minutes=rules.session_minutes if window.period else rules.step_minutes)


def resolve(wall, tz):
    """Wall time to UTC with fold=0; None if the clocks skip it."""
    moment = wall.replace(tzinfo=tz)
    back = moment.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    return moment.astimezone(UTC) if back == wall else None


# Arithmetic on an aware datetime in a ZoneInfo zone is wall-clock arithmetic (a day across a
# clock change is 23 or 25 hours of it), so the checks below add durations to UTC instants only.
def utc_now(case):
    return case["now"].astimezone(UTC)


def busy_spans(case):
    return [(b.start_at.astimezone(UTC), b.end_at.astimezone(UTC)) for b in case["busy"]]


def busy_weeks(case):
    weeks = {}
    for session in case["busy"]:
        week = session.start_at.astimezone(case["tz"]).isocalendar()[:2]
        weeks[week] = weeks.get(week, 0) + 1
    return weeks


def model(case):
    """Every rule, by brute force: every candidate of every window checked against every session."""
    tz, rules = case["tz"], case["rules"]
    session = timedelta(minutes=rules.session_minutes)
    buffer = timedelta(minutes=rules.buffer_minutes)
    weeks = busy_weeks(case)
    now, spans = utc_now(case), busy_spans(case)
    found = set()
    for day in span(case["start"], case["end"]):
        school_day = case["school_days"].get(day)
        if school_day is None or any(a <= day <= b for a, b in case["time_off"]):
            continue
        if rules.weekly_cap is not None and weeks.get(day.isocalendar()[:2], 0) >= rules.weekly_cap:
            continue
        for window in case["windows"]:
            bounds = window_bounds(window, school_day) if applies(window, school_day) else None
            if bounds is None:
                continue
            opens, closes = (datetime.combine(day, t) for t in bounds)
            wall = opens
            while wall < closes:
                start_at = resolve(wall, tz)
                wall += step_of(window, rules)
                if start_at is None:
                    continue
                end_at = start_at + session
                if not (
                    opens.replace(tzinfo=tz) <= start_at and end_at <= closes.replace(tzinfo=tz)
                ):
                    continue
                if not now + rules.min_notice <= start_at <= now + rules.horizon:
                    continue
                if any(
                    b_start - buffer < end_at and start_at < b_end + buffer
                    for b_start, b_end in spans
                ):
                    continue
                found.add(Slot(start_at, end_at))
    return sorted(found)


PROPERTY = settings(max_examples=200, deadline=None)
any_scenario = scenarios() | scenarios(clock_change=True)


@PROPERTY
@given(any_scenario)
def test_matches_a_brute_force_reading_of_the_rules(case):
    assert bookable_slots(**case) == model(case)


@PROPERTY
@given(scenarios(clock_change=True))
def test_around_clock_changes_matches_the_rules_and_the_step_grid(case):
    found = bookable_slots(**case)
    assert found == model(case)
    tz, rules = case["tz"], case["rules"]
    for slot in found:
        wall = slot.start_at.astimezone(tz).replace(tzinfo=None)
        assert resolve(wall, tz) == slot.start_at
        school_day = case["school_days"][wall.date()]
        bounds = [
            (window_bounds(w, school_day), step_of(w, rules))
            for w in case["windows"]
            if applies(w, school_day)
        ]
        assert any(
            b is not None
            and datetime.combine(wall.date(), b[0]) <= wall < datetime.combine(wall.date(), b[1])
            and (wall - datetime.combine(wall.date(), b[0])) % step == timedelta(0)
            for b, step in bounds
        )


@PROPERTY
@given(any_scenario)
def test_slots_fall_only_on_school_days_in_range_not_off(case):
    for slot in bookable_slots(**case):
        day = slot.start_at.astimezone(case["tz"]).date()
        assert case["start"] <= day <= case["end"]
        assert day in case["school_days"]
        assert not any(first <= day <= last for first, last in case["time_off"])


@PROPERTY
@given(any_scenario)
def test_slots_sit_on_the_step_grid_inside_an_applicable_window(case):
    tz, rules = case["tz"], case["rules"]
    for slot in bookable_slots(**case):
        assert slot.end_at - slot.start_at == timedelta(minutes=rules.session_minutes)
        local = slot.start_at.astimezone(tz)
        assert local.fold == 0
        wall = local.replace(tzinfo=None)
        school_day = case["school_days"][wall.date()]
        homes = []
        for window in case["windows"]:
            bounds = window_bounds(window, school_day) if applies(window, school_day) else None
            if bounds is None:
                continue
            opens, closes = (datetime.combine(wall.date(), t) for t in bounds)
            on_grid = (wall - opens) % step_of(window, rules) == timedelta(0)
            inside = opens.replace(tzinfo=tz) <= slot.start_at and slot.end_at <= closes.replace(
                tzinfo=tz
            )
            homes.append(opens <= wall < closes and on_grid and inside)
        assert any(homes)


@PROPERTY
@given(any_scenario)
def test_no_slot_overlaps_a_busy_session_with_its_buffer(case):
    buffer = timedelta(minutes=case["rules"].buffer_minutes)
    for slot in bookable_slots(**case):
        for busy_start, busy_end in busy_spans(case):
            assert slot.end_at <= busy_start - buffer or slot.start_at >= busy_end + buffer


@PROPERTY
@given(any_scenario)
def test_slots_respect_notice_and_horizon(case):
    rules, now = case["rules"], utc_now(case)
    for slot in bookable_slots(**case):
        assert now + rules.min_notice <= slot.start_at <= now + rules.horizon


@PROPERTY
@given(any_scenario, st.data())
def test_notice_and_horizon_edges_are_inclusive(case, data):
    unlimited = replace(case["rules"], min_notice=timedelta(0), horizon=timedelta(days=400))
    long_ago = datetime.combine(case["start"] - 2 * ONE_DAY, time(), tzinfo=UTC)
    free = bookable_slots(**(case | {"rules": unlimited, "now": long_ago}))
    if not free:
        return
    edge = data.draw(st.sampled_from(free)).start_at
    notice = timedelta(minutes=5 * data.draw(st.integers(0, 3 * 288)))
    rules = replace(unlimited, min_notice=notice)
    found = bookable_slots(**(case | {"rules": rules, "now": edge - notice}))
    assert found == [s for s in free if s.start_at >= edge]
    horizon = timedelta(minutes=5 * data.draw(st.integers(0, 3 * 288)))
    rules = replace(unlimited, horizon=horizon)
    found = bookable_slots(**(case | {"rules": rules, "now": edge - horizon}))
    assert found == [s for s in free if edge - horizon <= s.start_at <= edge]


@PROPERTY
@given(any_scenario)
def test_a_week_at_the_cap_offers_nothing(case):
    cap = case["rules"].weekly_cap
    weeks = busy_weeks(case)
    for slot in bookable_slots(**case):
        week = slot.start_at.astimezone(case["tz"]).isocalendar()[:2]
        assert cap is None or weeks.get(week, 0) < cap


@PROPERTY
@given(any_scenario)
def test_result_is_sorted_unique_and_in_utc(case):
    found = bookable_slots(**case)
    assert found == sorted(set(found))
    assert all(s.start_at.utcoffset() == timedelta(0) == s.end_at.utcoffset() for s in found)


@PROPERTY
@given(any_scenario)
def test_repeating_windows_changes_nothing(case):
    assert bookable_slots(**(case | {"windows": case["windows"] * 2})) == bookable_slots(**case)


@PROPERTY
@given(any_scenario, st.integers(0, 60 * 24 * 14), st.integers(5, 120))
def test_one_more_session_removes_exactly_the_slots_it_blocks(case, offset, length):
    rules = case["rules"]
    start_at = datetime.combine(case["start"], time(), tzinfo=UTC) + timedelta(minutes=offset)
    extra = Busy(start_at, start_at + timedelta(minutes=length))
    before = bookable_slots(**case)
    after = bookable_slots(**(case | {"busy": [*case["busy"], extra]}))
    buffer = timedelta(minutes=rules.buffer_minutes)
    if rules.weekly_cap is None:
        assert after == [
            s
            for s in before
            if s.end_at <= extra.start_at - buffer or s.start_at >= extra.end_at + buffer
        ]
    else:
        assert set(after) <= set(before)


@PROPERTY
@given(any_scenario, st.integers(0, 13), st.integers(0, 13))
def test_a_narrower_range_is_the_wider_result_cut_down(case, skip, length):
    first = min(case["start"] + timedelta(days=skip), case["end"])
    last = min(first + timedelta(days=length), case["end"])
    wider = bookable_slots(**case)
    narrower = bookable_slots(**(case | {"start": first, "end": last}))
    assert narrower == [
        s for s in wider if first <= s.start_at.astimezone(case["tz"]).date() <= last
    ]


@PROPERTY
@given(any_scenario, st.integers(0, 60), st.integers(0, 13), st.integers(0, 13), st.data())
def test_slots_computed_earlier_with_a_longer_horizon_cut_to_now_are_the_same(
    case, minutes_later, skip, length, data
):
    first = min(case["start"] + timedelta(days=skip), case["end"])
    last = min(first + timedelta(days=length), case["end"])
    later = case["now"]
    some = bookable_slots(**(case | {"start": first, "end": last}))
    if some and data.draw(st.booleans()):  # just past a slot's notice cut-off
        later = data.draw(st.sampled_from(some)).start_at - case["rules"].min_notice
        later += timedelta(minutes=1)
    ahead = replace(case["rules"], horizon=case["rules"].horizon + timedelta(hours=1))
    earlier = bookable_slots(
        **(case | {"rules": ahead, "now": later - timedelta(minutes=minutes_later)})
    )
    assert still_bookable(earlier, case["rules"], later, first, last, case["tz"]) == (
        bookable_slots(**(case | {"now": later, "start": first, "end": last}))
    )


@PROPERTY
@given(any_scenario)
def test_naive_datetimes_are_refused(case):
    with pytest.raises(ValueError):
        bookable_slots(**(case | {"now": case["now"].replace(tzinfo=None)}))
    naive = Busy(datetime(2026, 3, 2, 15), datetime(2026, 3, 2, 16))
    with pytest.raises(ValueError):
        bookable_slots(**(case | {"busy": [*case["busy"], naive]}))
