"""A teacher's free periods: stated once (bell periods per rotation day type, or per weekday
where the school has no rotation), read by pairing suggestions and the finder's "Times I'm
free" filter.

`FreeSpec` is the plain, hashable form (period, day type name, weekday): a cache key may carry
it, and `free_spans` turns it into instants over a range of school days with the school-day
engine, so an early-dismissal day moves the period as it moves everyone's.
"""

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import delete

from helpdesk.accounts.models import User
from helpdesk.calendar.models import BellSchedule, DayType
from helpdesk.calendar.services import CalendarData
from helpdesk.extensions import db
from helpdesk.pairings.models import TeacherFreePeriod

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class FreePeriodError(ValueError):
    """Free periods that cannot be saved; the message is safe to show."""


@dataclass(frozen=True, order=True)
class FreePeriod:
    """One free period, plain: on day type `day_type` (a name) or on `weekday`."""

    period: str
    day_type: str | None = None
    weekday: int | None = None

    @property
    def label(self) -> str:
        """ "A day · Period 4" or "Mon · Period 4"."""
        day = f"{self.day_type} day" if self.day_type is not None else WEEKDAY_NAMES[self.weekday]
        return f"{day} · {self.period}"

    def applies_to(self, day_type: str | None, on: date) -> bool:
        if self.day_type is not None:
            return day_type == self.day_type
        return on.weekday() == self.weekday


FreeSpec = tuple[FreePeriod, ...]


@dataclass(frozen=True)
class Column:
    """A column of the free-period grid: a rotation day type, or a weekday."""

    key: str  # "t<day type id>" or "w<weekday>"
    label: str
    day_type_id: int | None
    weekday: int | None
    periods: tuple[str, ...]


def grid(school_id: int) -> list[Column]:
    """The choices a teacher of this school has: each rotation day's periods, or each weekday's
    (the school's first bell schedule) when it has no rotation."""
    types = db.session.scalars(
        db.select(DayType)
        .where(DayType.school_id == school_id, DayType.rotation_position.is_not(None))
        .order_by(DayType.rotation_position)
    ).all()
    if types:
        return [
            Column(
                f"t{t.id}",
                f"{t.name} day",
                t.id,
                None,
                tuple(p.name for p in t.schedule.periods),
            )
            for t in types
        ]
    schedule = db.session.scalar(
        db.select(BellSchedule)
        .where(BellSchedule.school_id == school_id)
        .order_by(BellSchedule.id)
        .limit(1)
    )
    periods = tuple(p.name for p in schedule.periods) if schedule else ()
    return [Column(f"w{n}", WEEKDAY_NAMES[n], None, n, periods) for n in range(5)]


def choice_key(column: Column, period: str) -> str:
    return f"{column.key}|{period}"


def chosen_keys(teacher: User) -> set[str]:
    """The grid keys the teacher has ticked."""
    return {
        f"t{row.day_type_id}|{row.period_name}"
        if row.day_type_id is not None
        else f"w{row.weekday}|{row.period_name}"
        for row in db.session.scalars(
            db.select(TeacherFreePeriod).where(TeacherFreePeriod.teacher_id == teacher.id)
        )
    }


def set_free_periods(teacher: User, keys: Iterable[str]) -> int:
    """Replace the teacher's free periods by these grid keys; returns how many are kept."""
    if not teacher.is_teacher:
        raise FreePeriodError("Only teachers state free periods.")
    columns = {c.key: c for c in grid(teacher.school_id)}
    rows = []
    for key in sorted(set(keys)):
        column_key, _, period = key.partition("|")
        column = columns.get(column_key)
        if column is None or period not in column.periods:
            raise FreePeriodError("Choose periods from your school's bell schedule.")
        rows.append(
            TeacherFreePeriod(
                teacher_id=teacher.id,
                period_name=period,
                day_type_id=column.day_type_id,
                weekday=column.weekday,
            )
        )
    db.session.execute(delete(TeacherFreePeriod).where(TeacherFreePeriod.teacher_id == teacher.id))
    db.session.add_all(rows)
    db.session.flush()
    return len(rows)


def free_specs(teacher_ids: Sequence[int]) -> dict[int, FreeSpec]:
    """Each teacher's free periods as plain values, in one query (an empty tuple for none)."""
    found: dict[int, list[FreePeriod]] = {i: [] for i in teacher_ids}
    if not teacher_ids:
        return {}
    rows = db.session.execute(
        db.select(
            TeacherFreePeriod.teacher_id,
            TeacherFreePeriod.period_name,
            DayType.name,
            TeacherFreePeriod.weekday,
        )
        .outerjoin(DayType, DayType.id == TeacherFreePeriod.day_type_id)
        .where(TeacherFreePeriod.teacher_id.in_(list(teacher_ids)))
    )
    for teacher_id, period, day_type, weekday in rows:
        found[teacher_id].append(FreePeriod(period, day_type, weekday))
    return {i: tuple(sorted(periods)) for i, periods in found.items()}


def free_spec(teacher: User) -> FreeSpec:
    return free_specs([teacher.id])[teacher.id]


@dataclass(frozen=True, order=True)
class Span:
    start_at: datetime
    end_at: datetime
    free: FreePeriod


def free_spans(spec: FreeSpec, calendar: CalendarData, start: date, end: date) -> list[Span]:
    """The teacher's free periods as instants on the school days in [start, end], sorted."""
    spans = []
    if not spec:
        return spans
    for day in calendar.days(start, end).values():
        for free in spec:
            if not free.applies_to(day.day_type, day.on):
                continue
            period = day.period(free.period)
            if period is None:
                continue
            spans.append(
                Span(
                    datetime.combine(day.on, period.start, calendar.tz).astimezone(UTC),
                    datetime.combine(day.on, period.end, calendar.tz).astimezone(UTC),
                    free,
                )
            )
    spans.sort()
    return spans


def keep_free(slots: Sequence, spans: Sequence[Span]) -> list:
    """The slots (anything with start_at and end_at) lying wholly inside one free span. A
    school's periods never overlap (helpdesk.calendar.services.parse_periods), so the span
    starting last at or before a slot is the only one that can hold it."""
    starts = [span.start_at for span in spans]
    kept = []
    for slot in slots:
        i = bisect_right(starts, slot.start_at) - 1
        if i >= 0 and slot.end_at <= spans[i].end_at:
            kept.append(slot)
    return kept


def teacher_free_spans(teacher: User, start: date, end: date) -> tuple[FreeSpec, list[Span]]:
    """The teacher's free periods (plain, for a cache key) and their instants in [start, end]:
    what the finder's "Times I'm free" filter keeps slots inside."""
    from helpdesk.calendar.services import load_calendars

    spec = free_spec(teacher)
    if not spec:
        return spec, []
    calendar = load_calendars([teacher.school])[teacher.school_id]
    return spec, free_spans(spec, calendar, start, end)
