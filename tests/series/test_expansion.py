"""The expansion engine's rules as properties (Hypothesis) and a few worked examples."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpdesk.calendar.school_days import DayOverride, Period, school_days
from helpdesk.series.expansion import MAX_OCCURRENCES, Pattern, expand

TZ = ZoneInfo("America/New_York")
REGULAR = (Period("Period 1", time(8), time(8, 50)), Period("Period 4", time(10), time(10, 50)))
EARLY = (Period("Period 1", time(8), time(8, 30)), Period("Period 4", time(9, 30), time(10)))
NO_P4 = (Period("Period 1", time(8), time(8, 50)),)
TERM_START = date(2026, 9, 1)


def _expand(pattern, term_end, closed=(), overrides=None, rotation=("A", "B")):
    overrides = overrides or {}
    days = school_days(
        term_start=TERM_START,
        term_end=term_end,
        rotation=rotation,
        closed=set(closed),
        schedule_for={},
        default_schedule=REGULAR,
        overrides=overrides,
    )
    result = expand(
        pattern,
        days=days,
        closed={d: "Holiday" for d in closed},
        term_start=TERM_START,
        term_end=term_end,
        tz=TZ,
        shortened={d for d, o in overrides.items() if o.periods is not None},
    )
    return result, days


term_ends = st.dates(date(2026, 10, 1), date(2027, 6, 30))
starts = st.dates(date(2026, 8, 20), date(2027, 6, 30))
closures = st.sets(st.dates(date(2026, 9, 1), date(2027, 6, 30)), max_size=40)
early_days = st.dictionaries(
    st.dates(date(2026, 9, 1), date(2027, 6, 30)),
    st.sampled_from([DayOverride(periods=EARLY), DayOverride(periods=NO_P4)]),
    max_size=10,
)
ends = st.one_of(
    st.integers(1, 60).map(lambda n: {"count": n}),
    st.integers(0, 400).map(lambda n: {"until_days": n}),
)


def _pattern(starts_on, end, **kind):
    if "until_days" in end:
        return Pattern(starts_on=starts_on, until=starts_on + timedelta(days=end["until_days"]),
                       minutes=30, **kind)  # fmt: skip
    return Pattern(starts_on=starts_on, count=end["count"], minutes=30, **kind)


@settings(max_examples=150, deadline=None)
@given(
    starts_on=starts,
    term_end=term_ends,
    closed=closures,
    overrides=early_days,
    end=ends,
    day_type=st.sampled_from(["A", "B", None]),
    rotation=st.sampled_from([("A", "B"), ("A", "B", "C"), ()]),
)
def test_period_series_land_only_on_open_days_of_the_type_in_the_term(
    starts_on, term_end, closed, overrides, end, day_type, rotation
):
    if day_type and not rotation:
        day_type = None
    pattern = _pattern(starts_on, end, period="Period 4", day_type=day_type)
    result, days = _expand(pattern, term_end, closed, overrides, rotation)
    timed = [o for o in result.occurrences if o.start_at is not None]
    assert len(timed) <= MAX_OCCURRENCES
    for o in timed:
        assert o.on in days, "a booked date must be a school day"
        assert o.on not in closed
        assert TERM_START <= o.on <= term_end, "never after the term ends"
        assert o.on >= starts_on
        if day_type:
            assert days[o.on].day_type == day_type == o.day_type
        # the day's own Period 4: an early dismissal moves it
        p4 = days[o.on].period("Period 4")
        assert o.start_at == datetime.combine(o.on, p4.start, TZ)
        assert o.end_at - o.start_at == timedelta(minutes=30)
    for o in result.occurrences:
        assert o.on <= term_end
        if o.start_at is None:
            assert o.problem
    if "until_days" in end and starts_on + timedelta(days=end["until_days"]) > term_end:
        assert result.cut_at_term
    assert [o.on for o in result.occurrences] == sorted({o.on for o in result.occurrences})


@settings(max_examples=150, deadline=None)
@given(
    starts_on=starts,
    term_end=term_ends,
    closed=closures,
    overrides=early_days,
    end=ends,
    weekday=st.integers(0, 4),
    at=st.sampled_from([time(10), time(15, 15), time(8, 5)]),
)
def test_weekday_series_give_one_date_a_week_and_book_only_open_days(
    starts_on, term_end, closed, overrides, end, weekday, at
):
    pattern = _pattern(starts_on, end, weekday=weekday, at=at)
    result, days = _expand(pattern, term_end, closed, overrides)
    dates = [o.on for o in result.occurrences]
    assert all(d.weekday() == weekday for d in dates)
    assert all(b - a == timedelta(days=7) for a, b in zip(dates, dates[1:], strict=False))
    assert len(dates) <= MAX_OCCURRENCES
    for o in result.occurrences:
        assert o.on <= term_end
        if o.start_at is not None:
            assert o.on in days and o.on not in closed
            assert o.start_at == datetime.combine(o.on, at, TZ)
        else:
            assert o.problem
        if o.on in closed and o.on >= TERM_START:
            assert o.problem == "School closed: Holiday"


def test_a_closure_skips_the_rotation_and_is_reported():
    # Tue 1 Sep A, Wed 2 B, Thu 3 A, Fri 4 B; Mon 7 closed; Tue 8 A.
    pattern = Pattern(minutes=30, starts_on=TERM_START, count=3, period="Period 4", day_type="A")
    result, _ = _expand(pattern, date(2027, 6, 20), closed={date(2026, 9, 7)})
    assert [(o.on.day, o.problem) for o in result.occurrences] == [
        (1, ""),
        (3, ""),
        (7, "School closed: Holiday"),
        (8, ""),
    ]


def test_an_early_dismissal_moves_the_period_or_takes_it_away():
    # A days: Tue 1 Sep, Thu 3 Sep (early dismissal), Mon 7 Sep (no Period 4 that day).
    overrides = {
        date(2026, 9, 3): DayOverride(periods=EARLY),
        date(2026, 9, 7): DayOverride(periods=NO_P4),
    }
    pattern = Pattern(minutes=30, starts_on=TERM_START, count=3, period="Period 4", day_type="A")
    result, _ = _expand(pattern, date(2027, 6, 20), overrides=overrides)
    first, moved, gone = result.occurrences
    assert first.start_at.astimezone(TZ).time() == time(10)
    assert moved.start_at.astimezone(TZ).time() == time(9, 30)
    assert gone.start_at is None and "No Period 4" in gone.problem


def test_a_weekday_after_an_early_dismissal_is_refused():
    overrides = {date(2026, 9, 8): DayOverride(periods=EARLY)}
    pattern = Pattern(minutes=30, starts_on=TERM_START, count=2, weekday=1, at=time(15, 15))
    result, _ = _expand(pattern, date(2027, 6, 20), overrides=overrides)
    assert result.occurrences[0].is_bookable
    assert result.occurrences[1].problem.startswith("Early dismissal")


def test_the_term_end_stops_a_series_and_says_so():
    pattern = Pattern(minutes=30, starts_on=date(2026, 10, 1), count=10, weekday=3, at=time(10))
    result, _ = _expand(pattern, date(2026, 10, 20))
    assert [o.on.day for o in result.occurrences] == [1, 8, 15]
    assert result.cut_at_term


@pytest.mark.parametrize(
    "bad",
    [
        {"count": 0},
        {"count": 2, "until": date(2026, 9, 9)},
        {"until": date(2026, 8, 1)},
    ],
)
def test_impossible_patterns_are_refused(bad):
    with pytest.raises(ValueError):
        Pattern(minutes=30, starts_on=TERM_START, period="Period 4", **bad)
