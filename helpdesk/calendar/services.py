"""The advisor's school calendar: term, bell schedules, day types, exceptions, closures."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import update

from helpdesk.calendar import school_days as engine
from helpdesk.calendar.ics_import import IcsImportError, read_closures
from helpdesk.calendar.models import BellSchedule, Closure, DayException, DayType, Period
from helpdesk.calendar.signals import day_closed
from helpdesk.clock import utcnow
from helpdesk.extensions import db
from helpdesk.formatting import local_day
from helpdesk.schools.models import School, new_stamp

if TYPE_CHECKING:
    from helpdesk.accounts.models import User


class CalendarError(ValueError):
    """A calendar change that breaks a rule; the message is safe to show."""


def calendar_changed(school_id: int) -> None:
    """Every calendar change goes through here, so cached calendars of other workers expire."""
    db.session.execute(
        update(School).where(School.id == school_id).values(calendar_stamp=new_stamp())
    )


def set_term(school: School, starts_on: date, ends_on: date) -> None:
    if ends_on <= starts_on:
        raise CalendarError("The term must end after it starts.")
    if (ends_on - starts_on).days > 400:
        raise CalendarError("A term can be at most about a year long.")
    school.term_starts_on, school.term_ends_on = starts_on, ends_on
    school.calendar_stamp = new_stamp()


@dataclass(frozen=True)
class PeriodInput:
    name: str
    start: time
    end: time


def parse_periods(text: str) -> list[PeriodInput]:
    """Lines like "Period 4, 10:00, 10:50" into periods; every bad line is reported."""
    periods: list[PeriodInput] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != 3 or not parts[0]:
            problems.append(
                f"line {number}: write it as name, start, end (e.g. Period 4, 10:00, 10:50)"
            )
            continue
        try:
            start, end = time.fromisoformat(parts[1]), time.fromisoformat(parts[2])
        except ValueError:
            problems.append(f"line {number}: times must look like 10:00 or 13:45")
            continue
        if end <= start:
            problems.append(f"line {number}: {parts[0]} ends before it starts")
            continue
        periods.append(
            PeriodInput(
                parts[0][:40],
                start.replace(second=0, microsecond=0),
                end.replace(second=0, microsecond=0),
            )
        )
    names = [p.name.lower() for p in periods]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        problems.append(f"period names repeat: {', '.join(duplicates)}")
    ordered = sorted(periods, key=lambda p: p.start)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.start < before.end:
            problems.append(f"{before.name} and {after.name} overlap")
    if not periods and not problems:
        problems.append("add at least one period")
    if problems:
        raise CalendarError("Check the periods: " + "; ".join(problems) + ".")
    return periods


def save_schedule(
    school: School, name: str, periods: list[PeriodInput], schedule: BellSchedule | None = None
) -> BellSchedule:
    """Create or replace a bell schedule with these periods."""
    name = " ".join(name.split())
    clash = db.session.scalar(
        db.select(BellSchedule).where(
            BellSchedule.school_id == school.id,
            db.func.lower(BellSchedule.name) == db.func.lower(name),  # both in SQL: see skills
            BellSchedule.id != (schedule.id if schedule else -1),
        )
    )
    if clash is not None:
        raise CalendarError(f"{school.name} already has a schedule called {name}.")
    if schedule is None:
        schedule = BellSchedule(school_id=school.id, name=name)
        db.session.add(schedule)
    schedule.name = name
    schedule.periods.clear()
    db.session.flush()
    schedule.periods.extend(
        Period(name=p.name, start_time=p.start, end_time=p.end) for p in periods
    )
    db.session.flush()
    calendar_changed(school.id)
    return schedule


def save_day_type(
    school: School, name: str, schedule: BellSchedule, rotation_position: int | None
) -> DayType:
    if schedule.school_id != school.id:
        raise CalendarError("That bell schedule belongs to another school.")
    name = " ".join(name.split())
    existing = db.session.scalar(
        db.select(DayType).where(
            DayType.school_id == school.id, db.func.lower(DayType.name) == db.func.lower(name)
        )
    )
    day_type = existing or DayType(school_id=school.id, name=name)
    day_type.schedule_id = schedule.id
    day_type.rotation_position = rotation_position
    db.session.add(day_type)
    db.session.flush()
    calendar_changed(school.id)
    return day_type


def set_day_exception(
    school: School,
    on: date,
    *,
    day_type: DayType | None,
    schedule: BellSchedule | None,
    note: str = "",
) -> DayException:
    if day_type is None and schedule is None:
        raise CalendarError("Choose a day type, a bell schedule, or both for that date.")
    for item in (day_type, schedule):
        if item is not None and item.school_id != school.id:
            raise CalendarError("That choice belongs to another school.")
    exception = db.session.scalar(
        db.select(DayException).where(DayException.school_id == school.id, DayException.on == on)
    ) or DayException(school_id=school.id, on=on)
    exception.day_type, exception.schedule, exception.note = day_type, schedule, note.strip()[:120]
    db.session.add(exception)
    db.session.flush()
    calendar_changed(school.id)
    return exception


@dataclass(frozen=True)
class ClosedDay:
    closure: Closure
    cancelled: int  # what the day_closed receivers cancelled (sessions)


def close_day(
    school: School, on: date, name: str, actor: "User | None" = None, now: datetime | None = None
) -> ClosedDay:
    """Close a day and announce it (day_closed): the features with something on it act, so
    the rule holds on every path (page, import, command, demo)."""
    name = " ".join(name.split())[:200] or "Closed"
    exists = db.session.scalar(
        db.select(Closure).where(Closure.school_id == school.id, Closure.on == on)
    )
    if exists is not None:
        raise CalendarError(f"{local_day(on)} is already closed ({exists.name}).")
    closure = Closure(school_id=school.id, on=on, name=name)
    db.session.add(closure)
    db.session.flush()
    calendar_changed(school.id)
    return ClosedDay(closure, _announce(school, closure, actor, now or utcnow()))


def add_closure(
    school: School, on: date, name: str, actor: "User | None" = None, now: datetime | None = None
) -> Closure:
    """close_day, for callers that need only the closure."""
    return close_day(school, on, name, actor, now).closure


def _announce(school: School, closure: Closure, actor: "User | None", now: datetime) -> int:
    answers = day_closed.send(school, day=closure.on, reason=closure.name, actor=actor, now=now)
    return sum(answer for _receiver, answer in answers if isinstance(answer, int))


def import_closures(
    school: School, data: bytes, actor: "User | None" = None, now: datetime | None = None
) -> list[ClosedDay]:
    """Closures from a district .ics, within the term; dates already closed are skipped."""
    if school.term_starts_on is None or school.term_ends_on is None:
        raise CalendarError("Set the term dates first: only closures within the term are imported.")
    try:
        imported = read_closures(data, start=school.term_starts_on, end=school.term_ends_on)
    except IcsImportError as exc:
        raise CalendarError(str(exc)) from exc
    known = set(db.session.scalars(db.select(Closure.on).where(Closure.school_id == school.id)))
    now = now or utcnow()
    return [
        close_day(school, item.on, item.name, actor, now)
        for item in imported
        if item.on not in known
    ]


def remove_closure(closure: Closure) -> None:
    db.session.delete(closure)
    calendar_changed(closure.school_id)


def remove_day_exception(exception: DayException) -> None:
    db.session.delete(exception)
    calendar_changed(exception.school_id)


def school_periods(school_id: int) -> set[str]:
    """Every period name used by any of the school's bell schedules."""
    return set(
        db.session.scalars(
            db.select(Period.name).join(BellSchedule).where(BellSchedule.school_id == school_id)
        )
    )


@dataclass(frozen=True)
class CalendarData:
    """Everything the school-day engine needs for one school, loaded in a few queries."""

    school_id: int
    tz: ZoneInfo
    term_start: date | None
    term_end: date | None
    rotation: tuple[str, ...]
    schedule_for: dict[str, tuple[engine.Period, ...]]
    default_schedule: tuple[engine.Period, ...]
    overrides: dict[date, engine.DayOverride]
    closed: frozenset[date]
    _days: dict = field(default_factory=dict, compare=False, repr=False)

    def days(self, start: date, end: date) -> dict[date, engine.SchoolDay]:
        """Open days in [start, end]; remembered, since a calendar is immutable once loaded."""
        if self.term_start is None or self.term_end is None:
            return {}
        key = (start, end)
        if key not in self._days:
            if len(self._days) >= DAYS_CACHE_SIZE:
                self._days.clear()
            self._days[key] = self._compute_days(start, end)
        return self._days[key]

    def _compute_days(self, start: date, end: date) -> dict[date, engine.SchoolDay]:
        return engine.school_days(
            term_start=self.term_start,
            term_end=self.term_end,
            rotation=self.rotation,
            closed=self.closed,
            schedule_for=self.schedule_for,
            default_schedule=self.default_schedule,
            overrides=self.overrides,
            start=start,
            end=end,
        )


def _as_periods(schedule: BellSchedule | None) -> tuple[engine.Period, ...]:
    if schedule is None:
        return ()
    return tuple(engine.Period(p.name, p.start_time, p.end_time) for p in schedule.periods)


DAYS_CACHE_SIZE = 64
# (school id, calendar stamp) -> CalendarData; a changed calendar has a new stamp, so an entry
# is never stale, and every worker process notices a change made by another.
_cache: dict[tuple[int, str], CalendarData] = {}
CACHE_SIZE = 512


def load_calendars(schools: Iterable[School]) -> dict[int, CalendarData]:
    """Calendar data for these schools: from the cache when their stamp is unchanged."""
    schools = list(schools)
    result = {
        s.id: _cache[(s.id, s.calendar_stamp)]
        for s in schools
        if (s.id, s.calendar_stamp) in _cache
    }
    missing = [s for s in schools if s.id not in result]
    if missing:
        loaded = _load_calendars(missing)
        if len(_cache) + len(loaded) > CACHE_SIZE:
            _cache.clear()
        for school in missing:
            if school.calendar_stamp is not None:
                _cache[(school.id, school.calendar_stamp)] = loaded[school.id]
        result.update(loaded)
    return result


def _load_calendars(schools: list[School]) -> dict[int, CalendarData]:
    """Calendar data for these schools, in a fixed number of queries whatever their size."""
    ids = [s.id for s in schools]
    periods: dict[int, list[engine.Period]] = defaultdict(list)
    first_schedule: dict[int, int] = {}
    rows = db.session.execute(
        db.select(
            BellSchedule.school_id, BellSchedule.id, Period.name, Period.start_time, Period.end_time
        )
        .outerjoin(Period, Period.schedule_id == BellSchedule.id)
        .where(BellSchedule.school_id.in_(ids))
        .order_by(BellSchedule.id, Period.start_time)
    )
    for school_id, schedule_id, name, start, end in rows:
        first_schedule.setdefault(school_id, schedule_id)
        if name is not None:
            periods[schedule_id].append(engine.Period(name, start, end))
    as_periods = {k: tuple(v) for k, v in periods.items()}
    types = db.session.execute(
        db.select(
            DayType.school_id,
            DayType.id,
            DayType.name,
            DayType.schedule_id,
            DayType.rotation_position,
        ).where(DayType.school_id.in_(ids))
    ).all()
    type_names = {type_id: name for _s, type_id, name, _sch, _pos in types}
    overrides: dict[int, dict[date, engine.DayOverride]] = defaultdict(dict)
    for school_id, on, day_type_id, schedule_id in db.session.execute(
        db.select(
            DayException.school_id,
            DayException.on,
            DayException.day_type_id,
            DayException.schedule_id,
        ).where(DayException.school_id.in_(ids))
    ):
        overrides[school_id][on] = engine.DayOverride(
            day_type=type_names.get(day_type_id),
            periods=as_periods.get(schedule_id, ()) if schedule_id is not None else None,
        )
    closed: dict[int, set[date]] = defaultdict(set)
    for school_id, on in db.session.execute(
        db.select(Closure.school_id, Closure.on).where(Closure.school_id.in_(ids))
    ):
        closed[school_id].add(on)
    types_by_school = defaultdict(list)
    for row in types:
        types_by_school[row[0]].append(row)
    result = {}
    for school in schools:
        own = types_by_school[school.id]
        rotation = tuple(
            name
            for _s, _i, name, _sch, pos in sorted(
                (t for t in own if t[4] is not None), key=lambda t: t[4]
            )
        )
        result[school.id] = CalendarData(
            school_id=school.id,
            tz=ZoneInfo(school.timezone),
            term_start=school.term_starts_on,
            term_end=school.term_ends_on,
            rotation=rotation,
            schedule_for={name: as_periods.get(sch, ()) for _s, _i, name, sch, _pos in own},
            default_schedule=as_periods.get(first_schedule.get(school.id), ()),
            overrides=overrides[school.id],
            closed=frozenset(closed[school.id]),
        )
    return result
