"""Closing and reopening a school day: what it will change, said before it is done.

A closure cancels the day's sessions (with notice and new times) and, with a rotation, moves
the day type of every later school day of the term; reopening moves them back and may restore
the sessions the closure cancelled, where their time is still free.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from helpdesk.accounts.models import User
from helpdesk.bookings import closures as sessions
from helpdesk.bookings.models import Booking
from helpdesk.calendar import school_days as engine
from helpdesk.calendar import services
from helpdesk.calendar.ics_import import IcsImportError, read_closures
from helpdesk.calendar.models import Closure
from helpdesk.extensions import db
from helpdesk.formatting import local_day
from helpdesk.schools.models import School


@dataclass(frozen=True)
class RotationShift:
    """Later school days whose day type changes, and the open sessions that fall on them."""

    days: int
    first: date | None
    last: date | None
    sessions: list[Booking]
    rotation: str = ""  # "A/B"
    timezone: str = "UTC"

    @property
    def first_at(self) -> datetime | None:
        return _midday(self.first, self.timezone) if self.first else None

    @property
    def last_at(self) -> datetime | None:
        return _midday(self.last, self.timezone) if self.last else None


def _midday(on: date, timezone: str) -> datetime:
    return datetime.combine(on, time(12), ZoneInfo(timezone))


def _shift(school: School, on: date, closed: frozenset[date]) -> RotationShift:
    """Compare the term's day types after `on` with the closures as they are and as `closed`."""
    data = services.load_calendars([school])[school.id]
    if data.term_start is None or data.term_end is None or not data.rotation or on >= data.term_end:
        return RotationShift(0, None, None, [])
    common = {
        "term_start": data.term_start,
        "term_end": data.term_end,
        "rotation": data.rotation,
        "schedule_for": data.schedule_for,
        "default_schedule": data.default_schedule,
        "overrides": data.overrides,
        "start": on,
    }
    before = engine.school_days(closed=data.closed, **common)
    after = engine.school_days(closed=closed, **common)
    changed = sorted(
        day
        for day, school_day in after.items()
        if day > on and day in before and before[day].day_type != school_day.day_type
    )
    if not changed:
        return RotationShift(0, None, None, [])
    zone = ZoneInfo(school.timezone)
    moved = set(changed)
    on_moved = [
        b
        for b in sessions.sessions_between(school, changed[0], changed[-1])
        if b.starts_at.astimezone(zone).date() in moved
    ]
    return RotationShift(
        len(changed), changed[0], changed[-1], on_moved, "/".join(data.rotation), school.timezone
    )


def _is_school_day(school: School, on: date) -> bool:
    return on in services.load_calendars([school])[school.id].days(on, on)


@dataclass(frozen=True)
class ClosingPreview:
    school: School
    on: date
    name: str
    already_closed: Closure | None
    is_school_day: bool  # a weekend or a day outside the term changes nothing
    cancels: list[Booking]
    shift: RotationShift

    @property
    def day_at(self) -> datetime:
        return at_midday(self.school, self.on)


def at_midday(school: School, on: date) -> datetime:
    """Midday of a date in the school's zone, for the date filters (they take instants)."""
    return _midday(on, school.timezone)


def _closure_on(school: School, on: date) -> Closure | None:
    return db.session.scalar(
        db.select(Closure).where(Closure.school_id == school.id, Closure.on == on)
    )


def preview_closing(school: School, on: date, name: str) -> ClosingPreview:
    """What closing `on` would do: the sessions it cancels and the later days it moves."""
    existing = _closure_on(school, on)
    is_school_day = existing is None and _is_school_day(school, on)
    data_closed = services.load_calendars([school])[school.id].closed
    return ClosingPreview(
        school=school,
        on=on,
        name=" ".join(name.split()) or "Closed",
        already_closed=existing,
        is_school_day=is_school_day,
        cancels=sessions.sessions_between(school, on, on) if existing is None else [],
        shift=_shift(school, on, data_closed | {on})
        if is_school_day
        else RotationShift(0, None, None, []),
    )


def close_day(school: School, on: date, name: str, actor: User, now: datetime) -> int:
    """Close the day (its sessions are cancelled, both sides told); returns how many were."""
    return services.close_day(school, on, name, actor, now).cancelled


@dataclass(frozen=True)
class ReopeningPreview:
    school: School
    closure: Closure
    cancelled: list[sessions.Cancelled]
    shift: RotationShift

    @property
    def restorable(self) -> list[sessions.Cancelled]:
        return [c for c in self.cancelled if c.can_restore]

    @property
    def day_at(self) -> datetime:
        return at_midday(self.school, self.closure.on)


def preview_reopening(closure: Closure, now: datetime) -> ReopeningPreview:
    """What reopening would do: the later days it moves back, the sessions it could restore."""
    school = db.session.get(School, closure.school_id)
    data_closed = services.load_calendars([school])[school.id].closed
    return ReopeningPreview(
        school=school,
        closure=closure,
        cancelled=sessions.cancelled_by_closure(school, closure.on, now),
        shift=_shift(school, closure.on, data_closed - {closure.on}),
    )


def reopen_day(
    closure: Closure, actor: User, restore_ids: set[int], now: datetime
) -> tuple[int, int]:
    """Open the day again and restore the chosen sessions that are still free.

    Returns (restored, not restored among those chosen).
    """
    school = db.session.get(School, closure.school_id)
    chosen = [
        c
        for c in sessions.cancelled_by_closure(school, closure.on, now)
        if c.booking.id in restore_ids
    ]
    services.remove_closure(closure)
    db.session.flush()
    reason = f"The school reopened on {local_day(at_midday(school, closure.on), school.timezone)}"
    restored = sum(1 for c in chosen if sessions.restore_session(c, actor, reason, now) is not None)
    return restored, len(chosen) - restored


@dataclass(frozen=True)
class ImportPreview:
    """Closures a district calendar file would add: each with the sessions it cancels."""

    school: School
    days: list[tuple[date, str, list[Booking]]]
    shift: RotationShift

    @property
    def cancels(self) -> int:
        return sum(len(sessions_of_day) for _on, _name, sessions_of_day in self.days)

    def day_at(self, on: date) -> datetime:
        return at_midday(self.school, on)


def closures_in_file(school: School, data: bytes) -> list[tuple[date, str]]:
    """The (date, name) closures of a district .ics within the term that are not closed yet."""
    if school.term_starts_on is None or school.term_ends_on is None:
        raise services.CalendarError(
            "Set the term dates first: only closures within the term are imported."
        )
    try:
        found = read_closures(data, start=school.term_starts_on, end=school.term_ends_on)
    except IcsImportError as exc:
        raise services.CalendarError(str(exc)) from exc
    known = set(db.session.scalars(db.select(Closure.on).where(Closure.school_id == school.id)))
    return [(item.on, item.name) for item in found if item.on not in known]


def preview_import(school: School, days: list[tuple[date, str]]) -> ImportPreview:
    data_closed = services.load_calendars([school])[school.id].closed
    new = frozenset(on for on, _name in days)
    shift = _shift(school, min(new), data_closed | new) if new else RotationShift(0, None, None, [])
    return ImportPreview(
        school, [(on, name, sessions.sessions_between(school, on, on)) for on, name in days], shift
    )


def close_days(
    school: School, days: list[tuple[date, str]], actor: User, now: datetime
) -> tuple[int, int]:
    """Close each day not closed yet and cancel its sessions; returns (days closed, cancelled)."""
    known = set(db.session.scalars(db.select(Closure.on).where(Closure.school_id == school.id)))
    closed = cancelled = 0
    for on, name in days:
        if on in known:
            continue
        cancelled += close_day(school, on, name, actor, now)
        known.add(on)
        closed += 1
    return closed, cancelled
