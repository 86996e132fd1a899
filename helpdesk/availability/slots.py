"""The slot engine: the session times one mentor can be booked for over a range of dates.

Pure: no Flask, no database. Instants are aware UTC datetimes; the school's time zone ``tz`` is used
only to read wall-clock times. Each rule is a property in tests/availability/test_slots.py:

1. Dates: only dates in [start, end] that are school days (keys of ``school_days``, so days outside
   the term and closures give nothing) and not inside a ``time_off`` range (both ends inclusive).
2. Windows: a window with ``on`` applies to that date only; otherwise it applies when the weekday
   is in ``weekdays`` and the day type in ``day_types`` (an empty set matches any). A ``period``
   window takes that day's times for the period (an early dismissal moves it; its own start and end
   are ignored) and gives nothing on a day without that period.
3. Candidates start every ``step_minutes`` of wall-clock time from the window's start (for a
   ``period`` window, every ``session_minutes`` from the period's start, so a period offers
   back-to-back sessions rather than overlapping ones), last ``session_minutes`` and lie entirely
   inside the window. Wall times become instants through
   ``tz``: a time inside a spring-forward gap is skipped; an ambiguous time (fall-back) and the
   window's edges are read with fold=0, the first occurrence.
4. Busy: a slot must not overlap a busy session widened by ``buffer_minutes`` on both sides;
   touching the widened edge is allowed.
5. Notice and horizon: now + min_notice <= start_at <= now + horizon, compared as instants.
6. Weekly cap: no slots in a local ISO week (Monday to Sunday in ``tz``) in which at least
   ``weekly_cap`` busy sessions start (so a cap of 0 offers nothing).
7. Result: sorted and unique (overlapping windows give each slot once). A slot carries the day
   type of its date and, when a period window gives it, the period's name (labels only: slots
   compare and hash by their times).

ValueError for: a naive ``now`` or busy datetime, a busy session ending before it starts,
session_minutes or step_minutes <= 0, buffer_minutes < 0, end < start, a time_off range ending
before it starts; and, when a Window is built, no period and not both start and end, an end not
after the start, or a weekday outside 0-6. Instants are compared in UTC, never in ``tz``: Python
compares two datetimes of the same zone by wall clock, ignoring fold.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from helpdesk.calendar.school_days import SchoolDay

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Window:
    """One availability window of a mentor: a bell period if named, else fixed local times."""

    start: time | None = None
    end: time | None = None
    period: str | None = None
    weekdays: frozenset[int] = field(default_factory=frozenset)
    day_types: frozenset[str] = field(default_factory=frozenset)
    on: date | None = None

    def __post_init__(self) -> None:
        if self.period is None:
            if self.start is None or self.end is None:
                raise ValueError("a window needs a period or both start and end")
            if self.end <= self.start:
                raise ValueError("a window must end after it starts")
        object.__setattr__(self, "weekdays", frozenset(self.weekdays))
        object.__setattr__(self, "day_types", frozenset(self.day_types))
        if not self.weekdays <= frozenset(range(7)):
            raise ValueError("weekdays must be 0 (Monday) to 6 (Sunday)")

    def applies_to(self, day: SchoolDay) -> bool:
        """Whether this window is offered on that school day."""
        if self.on is not None:
            return self.on == day.on
        if self.weekdays and day.on.weekday() not in self.weekdays:
            return False
        return not self.day_types or day.day_type in self.day_types

    def times_on(self, day: SchoolDay) -> tuple[time, time] | None:
        """Local start and end on that day; None when its period is not on that day's schedule."""
        if self.period is None:
            return None if self.start is None or self.end is None else (self.start, self.end)
        period = day.period(self.period)
        return None if period is None else (period.start, period.end)


@dataclass(frozen=True)
class Busy:
    """An existing non-cancelled session of the mentor."""

    start_at: datetime
    end_at: datetime


@dataclass(frozen=True)
class Rules:
    """Booking rules for a mentor's slots."""

    session_minutes: int
    buffer_minutes: int = 0
    min_notice: timedelta = timedelta(hours=24)
    horizon: timedelta = timedelta(weeks=4)
    weekly_cap: int | None = None
    step_minutes: int = 15


@dataclass(frozen=True, order=True, slots=True)
class Slot:
    """A bookable session, in UTC, with the bell period and day type it falls in (if any)."""

    start_at: datetime
    end_at: datetime
    period: str | None = field(default=None, compare=False)
    day_type: str | None = field(default=None, compare=False)


def bookable_slots(
    *,
    windows: Sequence[Window],
    school_days: Mapping[date, SchoolDay],
    tz: ZoneInfo,
    rules: Rules,
    now: datetime,
    start: date,
    end: date,
    busy: Sequence[Busy] = (),
    time_off: Sequence[tuple[date, date]] = (),
) -> list[Slot]:
    """Bookable slots for one mentor on the school days in [start, end], sorted and unique."""
    _check(rules, now, start, end, time_off)
    spans = _utc_spans(busy)
    earliest = now.astimezone(UTC) + rules.min_notice
    latest = now.astimezone(UTC) + rules.horizon
    if latest < earliest or (rules.weekly_cap is not None and rules.weekly_cap <= 0):
        return []
    blocked = _Blocked(spans, timedelta(minutes=rules.buffer_minutes))
    session = timedelta(minutes=rules.session_minutes)
    step = timedelta(minutes=rules.step_minutes)

    # Keyed by start alone: every slot lasts one session, so equal starts are equal slots. The
    # value is the period that gives the start (a period window's name wins over free time)
    # and the day type of its date.
    starts: dict[datetime, tuple[str | None, str | None]] = {}
    # A slot starts on its own local date, so dates outside the notice-horizon span cannot help.
    day = max(start, earliest.astimezone(tz).date())
    last = min(end, latest.astimezone(tz).date())
    capped = _capped_weeks(spans, tz, rules.weekly_cap, day, last)
    while day <= last:
        school_day = school_days.get(day)
        if (
            school_day is not None
            and not (capped and day.isocalendar()[:2] in capped)
            and not (time_off and any(first <= day <= final for first, final in time_off))
        ):
            offset = _steady_offset(tz, day)
            for window in windows:
                times = window.times_on(school_day) if window.applies_to(school_day) else None
                if times is None:
                    continue
                every = session if window.period is not None else step
                if offset is None:
                    found = _changing_day_starts(day, *times, tz, session, every, earliest, latest)
                else:
                    found = _steady_day_starts(
                        day, *times, offset, session, every, earliest, latest
                    )
                labels = (window.period, school_day.day_type)
                for start_at in found:
                    if window.period is not None or start_at not in starts:
                        starts[start_at] = labels
        day += ONE_DAY
    if not blocked.starts:
        return [Slot(at, at + session, *labels) for at, labels in sorted(starts.items())]
    return [
        Slot(at, at + session, *labels)
        for at, labels in sorted(starts.items())
        if blocked.allows(at, at + session)
    ]


def still_bookable(
    slots: Sequence[Slot], rules: Rules, now: datetime, start: date, end: date, tz: ZoneInfo
) -> list[Slot]:
    """Of slots computed earlier (sorted), those bookable_slots would give at `now` for [start, end].

    Exact when the earlier call covered [start, end], was made at or before `now`, and its
    horizon reached at least as far (a cache computes ahead with a longer one): starts sit on
    each window's own grid, so a later `now` only moves the notice and horizon cut-offs.
    """
    # The first instants of the local days `start` and `end + 1` (a midnight in a gap maps to
    # the transition itself), so the dates become a range of instants: two bisections.
    first = max(now.astimezone(UTC) + rules.min_notice, day_begins(start, tz))
    latest = now.astimezone(UTC) + rules.horizon
    after = day_begins(end + ONE_DAY, tz)
    low = bisect_left(slots, first, key=_starts)
    high = bisect_right(slots, latest, lo=low, key=_starts)
    high = bisect_left(slots, after, lo=low, hi=high, key=_starts)
    return list(slots[low:high])


def _starts(slot: Slot) -> datetime:
    return slot.start_at


@lru_cache(maxsize=4096)
def day_begins(day: date, tz: ZoneInfo) -> datetime:
    """The first instant of the local day (a midnight in a gap maps to the transition)."""
    return datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC)


def _check(
    rules: Rules,
    now: datetime,
    start: date,
    end: date,
    time_off: Sequence[tuple[date, date]],
) -> None:
    if _is_naive(now):
        raise ValueError("now must be an aware datetime")
    if rules.session_minutes <= 0:
        raise ValueError("session_minutes must be positive")
    if rules.step_minutes <= 0:
        raise ValueError("step_minutes must be positive")
    if rules.buffer_minutes < 0:
        raise ValueError("buffer_minutes must not be negative")
    if end < start:
        raise ValueError("end is before start")
    for first, final in time_off:
        if final < first:
            raise ValueError("a time off range ends before it starts")


def _is_naive(moment: datetime) -> bool:
    return moment.tzinfo is None or moment.utcoffset() is None


def _utc_spans(busy: Sequence[Busy]) -> list[tuple[datetime, datetime]]:
    """Busy sessions as sorted UTC pairs, checked in UTC: same-zone comparisons ignore fold."""
    spans = []
    for session in busy:
        if _is_naive(session.start_at) or _is_naive(session.end_at):
            raise ValueError("busy sessions need aware datetimes")
        span = (session.start_at.astimezone(UTC), session.end_at.astimezone(UTC))
        if span[1] < span[0]:
            raise ValueError("a busy session ends before it starts")
        spans.append(span)
    spans.sort()
    return spans


class _Blocked:
    """Busy sessions widened by the buffer and merged, so one bisect answers an overlap query."""

    def __init__(self, spans: list[tuple[datetime, datetime]], buffer: timedelta) -> None:
        self.starts: list[datetime] = []
        self.ends: list[datetime] = []
        for span_start, span_end in spans:
            span_start, span_end = span_start - buffer, span_end + buffer
            if self.ends and span_start <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], span_end)
            else:
                self.starts.append(span_start)
                self.ends.append(span_end)

    def allows(self, start_at: datetime, end_at: datetime) -> bool:
        """Whether (start_at, end_at) misses every blocked span; touching an edge is allowed."""
        i = bisect_right(self.ends, start_at)
        return i == len(self.starts) or end_at <= self.starts[i]


def _capped_weeks(
    spans: list[tuple[datetime, datetime]], tz: ZoneInfo, cap: int | None, first: date, last: date
) -> frozenset[tuple[int, int]]:
    """The local ISO weeks from `first` to `last` in which at least `cap` sessions start: each
    week is a range of instants, its sessions counted by two bisections of the sorted spans."""
    if cap is None or not spans:
        return frozenset()
    span_starts = [span_start for span_start, _ in spans]
    capped = set()
    monday = first - timedelta(days=first.weekday())
    while monday <= last:
        following = monday + timedelta(days=7)
        begins, ends = day_begins(monday, tz), day_begins(following, tz)
        if bisect_left(span_starts, ends) - bisect_left(span_starts, begins) >= cap:
            capped.add(monday.isocalendar()[:2])
        monday = following
    return frozenset(capped)


def _steady_day_starts(
    day: date,
    opens: time,
    closes: time,
    offset: timedelta,
    session: timedelta,
    step: timedelta,
    earliest: datetime,
    latest: datetime,
) -> Iterator[datetime]:
    """On a day without a clock change, wall-clock steps are UTC steps: jump to `earliest`."""
    start_at = datetime.combine(day, opens, tzinfo=UTC) - offset
    last_start = min(datetime.combine(day, closes, tzinfo=UTC) - offset - session, latest)
    if start_at < earliest:
        start_at += -((start_at - earliest) // step) * step
    while start_at <= last_start:
        yield start_at
        start_at += step


def _changing_day_starts(
    day: date,
    opens: time,
    closes: time,
    tz: ZoneInfo,
    session: timedelta,
    step: timedelta,
    earliest: datetime,
    latest: datetime,
) -> Iterator[datetime]:
    """Walk wall-clock time across a clock change, skipping the gap and reading folds as 0."""
    opens_wall = datetime.combine(day, opens)
    closes_wall = datetime.combine(day, closes)
    opens_at = _instant(opens_wall, tz)
    closes_at = _instant(closes_wall, tz)
    wall = opens_wall
    while wall < closes_wall:
        start_at = _existing_instant(wall, tz)
        if (
            start_at is not None
            and opens_at <= start_at
            and start_at + session <= closes_at
            and earliest <= start_at <= latest
        ):
            yield start_at
        wall += step


@lru_cache(maxsize=4096)
def _steady_offset(tz: ZoneInfo, day: date) -> timedelta | None:
    """The day's UTC offset, or None when the clocks change during it."""
    midnight = datetime.combine(day, time(), tzinfo=tz).utcoffset()
    next_midnight = datetime.combine(day + ONE_DAY, time(), tzinfo=tz).utcoffset()
    return midnight if midnight == next_midnight else None


def _instant(wall: datetime, tz: ZoneInfo) -> datetime:
    return wall.replace(tzinfo=tz).astimezone(UTC)


def _existing_instant(wall: datetime, tz: ZoneInfo) -> datetime | None:
    """The instant of a wall time (fold=0), or None if the clocks skip it."""
    instant = _instant(wall, tz)
    return instant if instant.astimezone(tz).replace(tzinfo=None) == wall else None
