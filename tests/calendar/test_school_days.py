"""School days: which dates are open, their rotation day type and their bell schedule."""

import timeit
from datetime import date, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpdesk.calendar.school_days import DayOverride, Period, SchoolDay, school_days

NORMAL = (
    Period("Period 1", time(8, 0), time(8, 50)),
    Period("Period 2", time(8, 55), time(9, 45)),
    Period("Period 3", time(9, 50), time(10, 40)),
    Period("Period 4", time(10, 45), time(11, 35)),
)
B_DAY = (Period("Period 4", time(12, 0), time(12, 50)),)
EARLY = (
    Period("Period 1", time(8, 0), time(8, 30)),
    Period("Period 4", time(9, 50), time(10, 20)),
)
MON = date(2026, 1, 5)


def build(**kwargs):
    args = {
        "term_start": MON,
        "term_end": date(2026, 6, 26),
        "rotation": ["A", "B"],
        "closed": (),
        "schedule_for": {},
        "default_schedule": NORMAL,
    }
    return school_days(**(args | kwargs))


def letters(days):
    return {day: school_day.day_type for day, school_day in days.items()}


def test_rotation_skips_a_holiday():
    days = build(closed={MON + timedelta(days=1)}, end=MON + timedelta(days=7))
    assert letters(days) == {
        date(2026, 1, 5): "A",
        date(2026, 1, 7): "B",
        date(2026, 1, 8): "A",
        date(2026, 1, 9): "B",
        date(2026, 1, 12): "A",
    }


def test_weekends_are_not_school_days_and_do_not_advance_the_rotation():
    days = build(term_start=date(2026, 1, 9), end=date(2026, 1, 13))
    assert letters(days) == {date(2026, 1, 9): "A", date(2026, 1, 12): "B", date(2026, 1, 13): "A"}


def test_custom_weekdays_open_only_those_days():
    days = build(weekdays={0, 1, 2, 3}, end=date(2026, 1, 12))
    assert sorted(days) == [MON + timedelta(days=n) for n in (0, 1, 2, 3, 7)]
    assert days[date(2026, 1, 12)].day_type == "A"


def test_schedule_follows_the_day_type_else_the_default():
    days = build(schedule_for={"B": B_DAY}, end=MON + timedelta(days=1))
    assert days[MON].periods == NORMAL
    assert days[MON + timedelta(days=1)].periods == B_DAY


def test_early_dismissal_override_moves_period_4():
    tuesday = MON + timedelta(days=1)
    days = build(overrides={tuesday: DayOverride(periods=EARLY)}, end=MON + timedelta(days=2))
    assert days[tuesday].period("Period 4") == Period("Period 4", time(9, 50), time(10, 20))
    assert days[tuesday].period("Period 2") is None
    assert days[tuesday].day_type == "B"
    assert days[MON].period("Period 4") == NORMAL[3]
    assert days[MON + timedelta(days=2)].period("Period 4") == NORMAL[3]


def test_day_type_override_changes_that_day_only_and_its_schedule():
    days = build(
        schedule_for={"B": B_DAY},
        overrides={MON: DayOverride(day_type="B")},
        end=MON + timedelta(days=3),
    )
    assert list(letters(days).values()) == ["B", "B", "A", "B"]
    assert days[MON].periods == B_DAY


def test_override_with_both_letter_and_schedule_uses_the_given_schedule():
    days = build(
        schedule_for={"B": B_DAY},
        overrides={MON: DayOverride(day_type="B", periods=EARLY)},
        end=MON,
    )
    assert days[MON] == SchoolDay(MON, "B", EARLY)


def test_override_does_not_open_a_closed_day_or_a_weekend():
    saturday = MON + timedelta(days=5)
    days = build(
        closed={MON},
        overrides={MON: DayOverride(day_type="B"), saturday: DayOverride(periods=EARLY)},
        end=saturday + timedelta(days=1),
    )
    assert MON not in days
    assert saturday not in days


def test_no_rotation_gives_no_day_type_and_the_default_schedule():
    days = build(rotation=[], schedule_for={"A": B_DAY}, end=MON + timedelta(days=1))
    assert [d.day_type for d in days.values()] == [None, None]
    assert all(d.periods == NORMAL for d in days.values())


def test_window_is_clipped_to_the_term_and_keeps_the_rotation():
    full = build(closed={date(2026, 3, 2), date(2026, 3, 3)})
    window = build(
        closed={date(2026, 3, 2), date(2026, 3, 3)}, start=date(2026, 3, 1), end=date(2026, 3, 14)
    )
    assert window == {d: v for d, v in full.items() if date(2026, 3, 1) <= d <= date(2026, 3, 14)}
    assert build(start=date(2025, 12, 1), end=date(2026, 1, 6)).keys() == {MON, date(2026, 1, 6)}
    assert build(start=date(2026, 7, 1), end=date(2026, 7, 31)) == {}


def test_rejects_bad_arguments():
    with pytest.raises(ValueError):
        build(term_end=MON - timedelta(days=1))
    with pytest.raises(ValueError):
        build(start=date(2026, 2, 2), end=date(2026, 2, 1))
    with pytest.raises(ValueError):
        build(weekdays={0, 7})


def test_a_two_week_window_of_a_long_term_is_fast():
    closed = {MON + timedelta(days=n) for n in range(3, 250, 11)}
    best = min(
        timeit.repeat(
            lambda: build(closed=closed, start=date(2026, 5, 18), end=date(2026, 5, 31)),
            number=100,
            repeat=5,
        )
    )
    assert best / 100 < 0.001


# Property tests: a small brute-force model of the rules, and metamorphic checks.

term_starts = st.dates(min_value=date(2025, 8, 1), max_value=date(2027, 8, 1))
rotations = st.lists(st.sampled_from(["A", "B", "C", "D"]), max_size=4)
weekday_sets = st.frozensets(st.integers(0, 6), min_size=1)
schedules = st.sampled_from([NORMAL, B_DAY, EARLY, ()])


@st.composite
def calendars(draw):
    term_start = draw(term_starts)
    term_end = term_start + timedelta(days=draw(st.integers(0, 120)))
    span = [term_start + timedelta(days=n) for n in range((term_end - term_start).days + 1)]
    near = st.sampled_from(span)
    closed = draw(st.sets(near, max_size=20))
    overrides = draw(
        st.dictionaries(
            near,
            st.builds(
                DayOverride,
                day_type=st.none() | st.sampled_from(["A", "B", "X"]),
                periods=st.none() | schedules,
            ),
            max_size=5,
        )
    )
    kwargs = {
        "term_start": term_start,
        "term_end": term_end,
        "rotation": draw(rotations),
        "closed": closed,
        "schedule_for": draw(st.dictionaries(st.sampled_from(["A", "B", "C", "X"]), schedules)),
        "default_schedule": draw(schedules),
        "overrides": overrides,
        "weekdays": draw(weekday_sets),
    }
    first = term_start + timedelta(days=draw(st.integers(-10, 130)))
    window = (first, first + timedelta(days=draw(st.integers(0, 30))))
    return kwargs, window


def model(kwargs):
    """The rules, spelled out slowly: walk the whole term, counting open days."""
    days = {}
    count = 0
    day = kwargs["term_start"]
    while day <= kwargs["term_end"]:
        if day.weekday() in kwargs["weekdays"] and day not in kwargs["closed"]:
            rotation = kwargs["rotation"]
            day_type = rotation[count % len(rotation)] if rotation else None
            count += 1
            override = kwargs["overrides"].get(day, DayOverride())
            if override.day_type is not None:
                day_type = override.day_type
            periods = override.periods
            if periods is None:
                periods = kwargs["schedule_for"].get(day_type, kwargs["default_schedule"])
            days[day] = SchoolDay(day, day_type, tuple(periods))
        day += timedelta(days=1)
    return days


@settings(max_examples=200, deadline=None)
@given(calendars())
def test_whole_term_matches_the_rules(case):
    kwargs, _ = case
    assert school_days(**kwargs) == model(kwargs)


@settings(max_examples=200, deadline=None)
@given(calendars())
def test_a_window_is_the_whole_term_cut_down(case):
    kwargs, (first, last) = case
    whole = school_days(**kwargs)
    assert school_days(**kwargs, start=first, end=last) == {
        d: v for d, v in whole.items() if first <= d <= last
    }


@settings(max_examples=200, deadline=None)
@given(calendars())
def test_open_days_are_term_weekdays_not_closed(case):
    kwargs, _ = case
    for day in school_days(**kwargs):
        assert kwargs["term_start"] <= day <= kwargs["term_end"]
        assert day.weekday() in kwargs["weekdays"]
        assert day not in kwargs["closed"]


@settings(max_examples=200, deadline=None)
@given(calendars())
def test_rotation_advances_one_step_per_open_day(case):
    kwargs, _ = case
    kwargs["overrides"] = {}
    rotation = kwargs["rotation"]
    days = sorted(school_days(**kwargs).values(), key=lambda d: d.on)
    for index, school_day in enumerate(days):
        assert school_day.day_type == (rotation[index % len(rotation)] if rotation else None)


@settings(max_examples=200, deadline=None)
@given(calendars())
def test_an_override_changes_its_own_day_only(case):
    kwargs, _ = case
    with_overrides = school_days(**kwargs)
    without = school_days(**(kwargs | {"overrides": {}}))
    assert with_overrides.keys() == without.keys()
    for day, school_day in with_overrides.items():
        override = kwargs["overrides"].get(day)
        if override is None:
            assert school_day == without[day]
        else:
            if override.day_type is not None:
                assert school_day.day_type == override.day_type
            if override.periods is not None:
                assert school_day.periods == override.periods
