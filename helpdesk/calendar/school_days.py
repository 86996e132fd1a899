"""Which dates are school days, and the day type and bell schedule each one follows.

Pure: no Flask, no database. The rules:

- A date is open when it lies in [term_start, term_end], its weekday is in ``weekdays`` and it is
  not in ``closed`` (holidays, testing days, snow days).
- The rotation advances one step per open day, counted from term_start, so a closed day is
  skipped rather than consumed (Mon A, Tue holiday, Wed B). No rotation gives day type None.
- The bell schedule is ``schedule_for[day_type]``, else ``default_schedule``.
- A ``DayOverride`` changes one open day only. Its day_type replaces the rotation letter for that
  day and does not shift the days after it (they keep the letters the rotation gives them). Its
  periods replace the bell schedule; without periods, the schedule follows the (overridden) day
  type. An override never opens a closed day or a weekend.
- ``start``/``end`` only narrow what is returned; the rotation is always counted from term_start,
  so a date's day type does not depend on the window asked for.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from types import MappingProxyType

ONE_DAY = timedelta(days=1)
WEEKDAYS = (0, 1, 2, 3, 4)


@dataclass(frozen=True)
class Period:
    """One bell period, in local wall-clock time."""

    name: str
    start: time
    end: time


@dataclass(frozen=True)
class SchoolDay:
    """An open day with its rotation day type (None without a rotation) and bell schedule."""

    on: date
    day_type: str | None
    periods: tuple[Period, ...]

    def period(self, name: str) -> Period | None:
        """The period called ``name`` on this day, or None if the day has none."""
        for period in self.periods:
            if period.name == name:
                return period
        return None


@dataclass(frozen=True)
class DayOverride:
    """An exception for one open day; day_type replaces that day's letter without shifting others."""

    day_type: str | None = None
    periods: tuple[Period, ...] | None = None


_NO_OVERRIDES: Mapping[date, DayOverride] = MappingProxyType({})


def school_days(
    *,
    term_start: date,
    term_end: date,
    rotation: Sequence[str],
    closed: Collection[date],
    schedule_for: Mapping[str, Sequence[Period]],
    default_schedule: Sequence[Period],
    overrides: Mapping[date, DayOverride] = _NO_OVERRIDES,
    weekdays: Collection[int] = WEEKDAYS,
    start: date | None = None,
    end: date | None = None,
) -> dict[date, SchoolDay]:
    """Open days of the term within [start, end], each with its day type and bell schedule."""
    if term_end < term_start:
        raise ValueError("term_end is before term_start")
    if start is not None and end is not None and end < start:
        raise ValueError("end is before start")
    open_weekdays = frozenset(weekdays)
    if not open_weekdays <= frozenset(range(7)):
        raise ValueError("weekdays must be 0 (Monday) to 6 (Sunday)")
    closures = frozenset(closed)
    first = term_start if start is None else max(start, term_start)
    last = term_end if end is None else min(end, term_end)

    schedules: dict[str | None, tuple[Period, ...]] = {None: tuple(default_schedule)}
    step = _open_days_before(first, term_start, open_weekdays, closures)
    days: dict[date, SchoolDay] = {}
    day = first
    while day <= last:
        if day.weekday() in open_weekdays and day not in closures:
            day_type = rotation[step % len(rotation)] if rotation else None
            step += 1
            periods = None
            override = overrides.get(day)
            if override is not None:
                day_type = day_type if override.day_type is None else override.day_type
                periods = override.periods
            if periods is None:
                if day_type not in schedules:
                    schedules[day_type] = tuple(schedule_for.get(day_type, default_schedule))
                periods = schedules[day_type]
            days[day] = SchoolDay(day, day_type, tuple(periods))
        day += ONE_DAY
    return days


def _open_days_before(
    day: date, term_start: date, weekdays: frozenset[int], closures: frozenset[date]
) -> int:
    """Open days in [term_start, day), counted by whole weeks rather than day by day."""
    span = (day - term_start).days
    if span <= 0:
        return 0
    weeks, rest = divmod(span, 7)
    first = term_start.weekday()
    count = weeks * len(weekdays) + sum((first + i) % 7 in weekdays for i in range(rest))
    return count - sum(
        1 for closure in closures if term_start <= closure < day and closure.weekday() in weekdays
    )
