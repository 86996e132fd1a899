"""The dates of a weekly series, on the school calendar. Pure: no Flask, no database.

Two patterns: a bell period on one day type of the rotation ("every A day, Period 4"), or a
weekday at a wall-clock time ("Tuesdays 3:15 PM"). Either runs until a date or for a number of
dates, and never past the term's end or MAX_OCCURRENCES. The days and their periods come from
helpdesk.calendar.school_days (rotation, closures, overrides), never worked out again here.

Rules (each a property in tests/series/test_expansion.py):

- A bookable date is a school day (so never closed, never outside the term), of the chosen day
  type for a period series, and its time is that day's own period (an early dismissal moves it).
- A period series counts school days of its day type; closed weekdays between are reported (a
  closure skips the rotation, it takes no A day away), as are days of the type without the period.
- A weekday series counts weeks: each week's weekday is one date, bookable or not (closed, not
  a school day, or a shortened day whose last bell rings before the time: an early dismissal).
- Nothing is ever dated after the term ends; when the end asked for lies past it, `cut_at_term`
  says so.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from helpdesk.calendar.school_days import SchoolDay

MAX_OCCURRENCES = 40
ONE_DAY = timedelta(days=1)
ONE_WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Pattern:
    """What was asked for: exactly one of (period, with an optional day type) or (weekday, at)."""

    minutes: int
    starts_on: date
    until: date | None = None
    count: int | None = None
    period: str | None = None
    day_type: str | None = None
    weekday: int | None = None
    at: time | None = None

    def __post_init__(self) -> None:
        if self.minutes <= 0:
            raise ValueError("minutes must be positive")
        if (self.until is None) == (self.count is None):
            raise ValueError("give exactly one of until and count")
        if self.count is not None and self.count <= 0:
            raise ValueError("count must be positive")
        if self.until is not None and self.until < self.starts_on:
            raise ValueError("until is before starts_on")
        if (self.period is None) == (self.weekday is None):
            raise ValueError("give a period or a weekday")
        if self.weekday is not None and (self.at is None or not 0 <= self.weekday <= 6):
            raise ValueError("a weekday series needs a weekday 0-6 and a time")


@dataclass(frozen=True)
class Occurrence:
    """One date of the series: its instants when it has a time, and why not when it cannot be."""

    on: date
    start_at: datetime | None
    end_at: datetime | None
    problem: str = ""
    period: str | None = None
    day_type: str | None = None

    @property
    def is_bookable(self) -> bool:
        return not self.problem


@dataclass(frozen=True)
class Expansion:
    occurrences: tuple[Occurrence, ...]
    term_end: date
    cut_at_term: bool  # the end asked for lies after the term: nothing is dated past it
    cut_at_limit: bool  # stopped at MAX_OCCURRENCES


def expand(
    pattern: Pattern,
    *,
    days: Mapping[date, SchoolDay],
    closed: Mapping[date, str],
    term_start: date,
    term_end: date,
    tz: ZoneInfo,
    shortened: Collection[date] = frozenset(),
    limit: int = MAX_OCCURRENCES,
) -> Expansion:
    """The series' dates from starts_on: `days` must hold the school days of [starts_on, term_end];
    `shortened` are the days with a bell schedule of their own (early dismissals)."""
    first = max(pattern.starts_on, term_start)
    last = term_end if pattern.until is None else min(pattern.until, term_end)
    wanted = pattern.count if pattern.count is not None else limit
    if pattern.period is not None:
        found, cut_at_limit, counted = _by_period(
            pattern, days, closed, first, last, min(wanted, limit), tz
        )
    else:
        found, cut_at_limit, counted = _by_weekday(
            pattern, days, closed, first, last, min(wanted, limit), tz, shortened
        )
    cut_at_term = (pattern.until is not None and pattern.until > term_end) or (
        pattern.count is not None and counted < min(pattern.count, limit)
    )
    if pattern.count is not None and pattern.count > limit:
        cut_at_limit = True
    return Expansion(tuple(found), term_end, cut_at_term, cut_at_limit)


def _by_period(pattern, days, closed, first, last, wanted, tz):
    found: list[Occurrence] = []
    taken = 0
    day = first
    while day <= last:
        if taken >= wanted:
            return found, pattern.count is None, taken
        school_day = days.get(day)
        if school_day is None:
            if day in closed and day.weekday() < 5:
                found.append(Occurrence(day, None, None, f"School closed: {closed[day]}"))
        elif pattern.day_type is None or school_day.day_type == pattern.day_type:
            taken += 1
            period = school_day.period(pattern.period)
            if period is None:
                found.append(
                    Occurrence(
                        day,
                        None,
                        None,
                        f"No {pattern.period} that day (a different bell schedule)",
                        day_type=school_day.day_type,
                    )
                )
            else:
                start_at = _instant(day, period.start, tz)
                found.append(
                    Occurrence(
                        day,
                        start_at,
                        start_at + timedelta(minutes=pattern.minutes),
                        "",
                        period.name,
                        school_day.day_type,
                    )
                )
        day += ONE_DAY
    return found, False, taken


def _by_weekday(pattern, days, closed, first, last, wanted, tz, shortened):
    found: list[Occurrence] = []
    day = first + timedelta(days=(pattern.weekday - first.weekday()) % 7)
    while day <= last:
        if len(found) >= wanted:
            return found, pattern.count is None, len(found)
        school_day = days.get(day)
        start_at = _instant(day, pattern.at, tz)
        end_at = start_at + timedelta(minutes=pattern.minutes)
        if school_day is None:
            problem = f"School closed: {closed[day]}" if day in closed else "Not a school day"
            found.append(Occurrence(day, None, None, problem))
        elif day in shortened and school_day.periods and pattern.at >= _last_bell(school_day):
            found.append(
                Occurrence(
                    day,
                    None,
                    None,
                    "Early dismissal: the school day ends before then",
                    day_type=school_day.day_type,
                )  # fmt: skip
            )
        else:
            found.append(Occurrence(day, start_at, end_at, "", None, school_day.day_type))
        day += ONE_WEEK
    return found, False, len(found)


def _last_bell(school_day: SchoolDay) -> time:
    return max(p.end for p in school_day.periods)


def _instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The wall-clock time on that day as a UTC instant (fold=0, as the slot engine reads it)."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)
