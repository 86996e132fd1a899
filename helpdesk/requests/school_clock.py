"""Time on the school clock: only school hours on open days count.

Pure: no Flask, no database. A day's school hours run from the start of its first bell period
to the end of its last, in the school's time zone. A date missing from ``days`` (a weekend, a
closure, outside the term) adds nothing; so does an open day without periods.
"""

from bisect import bisect_left
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from helpdesk.calendar.school_days import SchoolDay

ONE_DAY = timedelta(days=1)


def _require_aware(*moments: datetime) -> None:
    if any(m.tzinfo is None for m in moments):
        raise ValueError("naive datetime refused; pass an aware datetime")


def school_hours(day: SchoolDay, tz: ZoneInfo) -> tuple[datetime, datetime] | None:
    """The instants a school day's hours start and end, or None for a day without periods."""
    if not day.periods:
        return None
    first = min(p.start for p in day.periods)
    last = max(p.end for p in day.periods)
    # In UTC, so arithmetic is on instants, not wall-clock times.
    return (
        datetime.combine(day.on, first, tz).astimezone(UTC),
        datetime.combine(day.on, last, tz).astimezone(UTC),
    )


def school_seconds_between(
    start_at: datetime, end_at: datetime, days: Mapping[date, SchoolDay], tz: ZoneInfo
) -> float:
    """Seconds of school hours in [start_at, end_at); zero when end_at is not after start_at."""
    _require_aware(start_at, end_at)
    if end_at <= start_at:
        return 0.0
    total = 0.0
    day = start_at.astimezone(tz).date()
    last = end_at.astimezone(tz).date()
    while day <= last:
        school_day = days.get(day)
        hours = school_hours(school_day, tz) if school_day is not None else None
        if hours is not None:
            begin, finish = max(hours[0], start_at), min(hours[1], end_at)
            if finish > begin:
                total += (finish - begin).total_seconds()
        day += ONE_DAY
    return total


def add_school_hours(
    start_at: datetime, hours: float, days: Mapping[date, SchoolDay], tz: ZoneInfo
) -> datetime | None:
    """The first instant by which `hours` school hours have passed; None if `days` runs out."""
    _require_aware(start_at)
    if hours < 0:
        raise ValueError("hours must not be negative")
    remaining = hours * 3600
    if remaining == 0:
        return start_at
    for on in sorted(d for d in days if d >= start_at.astimezone(tz).date()):
        window = school_hours(days[on], tz)
        if window is None:
            continue
        begin = max(window[0], start_at)
        available = (window[1] - begin).total_seconds()
        if available <= 0:
            continue
        if remaining <= available:
            return begin + timedelta(seconds=remaining)
        remaining -= available
    return None


def school_days_since(
    start_at: datetime, now: datetime, days: Mapping[date, SchoolDay], tz: ZoneInfo
) -> int:
    """Whole school days that have passed after start_at's day and before now's day."""
    _require_aware(start_at, now)
    first = start_at.astimezone(tz).date()
    today = now.astimezone(tz).date()
    return sum(1 for on in days if first < on < today)


class SchoolClock:
    """School hours counted back from ``now`` at one school, for many start instants at once.

    The answers are those of ``school_seconds_between(start_at, now, days, tz)``, but the
    school days are walked once, newest first, and only as far back as a question needs.
    ``days`` must hold every open day from ``first`` to now's date.
    """

    def __init__(
        self, now: datetime, days: Mapping[date, SchoolDay], tz: ZoneInfo, first: date
    ) -> None:
        _require_aware(now)
        self.now = now
        self._days = days
        self._tz = tz
        self._first = first
        self._next_day = now.astimezone(tz).date()  # the next day to walk, going back
        # Newest first: each school-hour window clipped to now, as (begin, end, school time from
        # begin to now), and how long before now each one ends (ascending, for bisect).
        self._windows: list[tuple[datetime, datetime, timedelta]] = []
        self._ends_ago: list[timedelta] = []
        self._counted = timedelta(0)

    def _walk_back(self) -> bool:
        """Add the next earlier day that has school hours before now; False when none is left."""
        while self._next_day >= self._first:
            day = self._days.get(self._next_day)
            self._next_day -= ONE_DAY
            hours = school_hours(day, self._tz) if day is not None else None
            if hours is None:
                continue
            begin, end = hours[0], min(hours[1], self.now)
            if end <= begin:
                continue
            self._counted += end - begin
            self._windows.append((begin, end, self._counted))
            self._ends_ago.append(self.now - end)
            return True
        return False

    def seconds_since(self, start_at: datetime) -> float:
        """Seconds of school hours in [start_at, now)."""
        _require_aware(start_at)
        if start_at >= self.now:
            return 0.0
        while (not self._windows or self._windows[-1][0] > start_at) and self._walk_back():
            pass
        # The windows that end after start_at come first; the last of them may hold start_at.
        counted = bisect_left(self._ends_ago, self.now - start_at)
        if counted == 0:
            return 0.0
        begin, _end, since_begin = self._windows[counted - 1]
        return (since_begin - max(start_at - begin, timedelta(0))).total_seconds()

    def hours_ago(self, hours: float) -> datetime | None:
        """The earliest instant with exactly ``hours`` school hours left until now.

        A start before it has waited more than ``hours`` school hours, a start at or after it
        has not; None when the calendar holds no more than ``hours`` before now.
        """
        if hours < 0:
            raise ValueError("hours must not be negative")
        wanted = timedelta(hours=hours)
        index = 0
        while True:
            if index == len(self._windows) and not self._walk_back():
                return None
            begin, end, since_begin = self._windows[index]
            if since_begin > wanted:
                since_end = since_begin - (end - begin)
                return end - (wanted - since_end)
            index += 1
