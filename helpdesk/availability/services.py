"""Mentors' availability windows and time off, and the advisor's booking rules."""

from datetime import date, time, timedelta

from sqlalchemy.exc import IntegrityError

from helpdesk.accounts.models import User
from helpdesk.availability.models import AvailabilityWindow, ProgramSettings, TimeOff
from helpdesk.availability.slots import Rules, Window
from helpdesk.calendar.models import BellSchedule, DayType, Period
from helpdesk.calendar.services import school_periods
from helpdesk.extensions import db
from helpdesk.formatting import clock_range, local_day
from helpdesk.settings_row import settings_row

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class AvailabilityError(ValueError):
    """An availability change that breaks a rule; the message is safe to show."""


def program_settings() -> ProgramSettings:
    """The one settings row, created with defaults the first time."""
    return settings_row(ProgramSettings)
    try:
        with db.session.begin_nested():
            settings = ProgramSettings(id=1)
            db.session.add(settings)
    except IntegrityError:  # another request created it first
        settings = db.session.get(ProgramSettings, 1, populate_existing=True)
    return settings


def update_program_settings(
    *,
    session_lengths: list[int],
    buffer_minutes: int,
    min_notice_hours: int,
    horizon_days: int,
    weekly_cap: int,
) -> ProgramSettings:
    lengths = sorted(set(session_lengths))
    if not lengths or any(n < 10 or n > 120 for n in lengths):
        raise AvailabilityError("Session lengths must be between 10 and 120 minutes.")
    settings = program_settings()
    settings.session_lengths = ",".join(map(str, lengths))
    settings.buffer_minutes = buffer_minutes
    settings.min_notice_hours = min_notice_hours
    settings.horizon_days = horizon_days
    settings.weekly_cap = weekly_cap
    return settings


def booking_rules(
    settings: ProgramSettings, session_minutes: int, mentor_cap: int | None = None
) -> Rules:
    cap = settings.weekly_cap if mentor_cap is None else min(settings.weekly_cap, mentor_cap)
    return Rules(
        session_minutes=session_minutes,
        buffer_minutes=settings.buffer_minutes,
        min_notice=timedelta(hours=settings.min_notice_hours),
        horizon=timedelta(days=settings.horizon_days),
        weekly_cap=cap,
    )


def _weekday_mask(weekdays: set[int]) -> int:
    return sum(1 << d for d in weekdays)


def _period_times(school_id: int, name: str, day_type: DayType | None) -> list[tuple[time, time]]:
    statement = (
        db.select(Period.start_time, Period.end_time)
        .join(BellSchedule)
        .where(BellSchedule.school_id == school_id, Period.name == name)
    )
    if day_type is not None:
        statement = statement.where(BellSchedule.id == day_type.schedule_id)
    return [tuple(row) for row in db.session.execute(statement)]


def _window_times(window: AvailabilityWindow, school_id: int) -> list[tuple[time, time]]:
    if window.period_name:
        return _period_times(school_id, window.period_name, window.day_type)
    return [(window.start_time, window.end_time)]


def _may_share_a_day(a: AvailabilityWindow, b: AvailabilityWindow) -> bool:
    if a.on is not None or b.on is not None:
        if a.on is not None and b.on is not None:
            return a.on == b.on
        dated, weekly = (a, b) if a.on is not None else (b, a)
        return not weekly.weekdays or bool(weekly.weekdays & (1 << dated.on.weekday()))
    if a.weekdays and b.weekdays and not a.weekdays & b.weekdays:
        return False
    return a.day_type_id is None or b.day_type_id is None or a.day_type_id == b.day_type_id


def _overlaps(a: list[tuple[time, time]], b: list[tuple[time, time]]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def add_window(
    mentor: User,
    *,
    period_name: str | None = None,
    start_time: time | None = None,
    end_time: time | None = None,
    weekdays: set[int] | None = None,
    day_type: DayType | None = None,
    on: date | None = None,
) -> AvailabilityWindow:
    """A weekly or one-off window, as a bell period or as times; overlaps are refused."""
    if period_name:
        if period_name not in school_periods(mentor.school_id):
            raise AvailabilityError(f"{mentor.school.name} has no period called {period_name!r}.")
        start_time = end_time = None
    else:
        if start_time is None or end_time is None:
            raise AvailabilityError("Give a start and an end time, or choose a period.")
        if end_time <= start_time:
            raise AvailabilityError("The end time must be after the start time.")
    if day_type is not None and day_type.school_id != mentor.school_id:
        raise AvailabilityError("That day type belongs to another school.")
    window = AvailabilityWindow(
        mentor_id=mentor.id,
        period_name=period_name or None,
        start_time=start_time,
        end_time=end_time,
        weekdays=0 if on else _weekday_mask(weekdays or set()),
        day_type=None if on else day_type,
        day_type_id=None if on or day_type is None else day_type.id,
        on=on,
    )
    new_times = _window_times(window, mentor.school_id)
    if period_name and not new_times:
        raise AvailabilityError(f"{period_name} is not part of the {day_type.name} schedule.")
    for other in mentor_windows(mentor.id):
        if _may_share_a_day(window, other) and _overlaps(
            new_times, _window_times(other, mentor.school_id)
        ):
            raise AvailabilityError(
                f"That overlaps a window you already have ({describe_window(other)})."
            )
    db.session.add(window)
    db.session.flush()
    return window


def describe_window(window: AvailabilityWindow) -> str:
    what = window.period_name or clock_range(window.start_time, window.end_time)
    if window.on is not None:
        return f"{what} on {local_day(window.on)}"
    days = [WEEKDAY_NAMES[d] for d in sorted(window.weekday_set)]
    when = []
    if window.day_type is not None:
        when.append(f"{window.day_type.name} days")
    if days:
        when.append(", ".join(days))
    return f"{what} on {' · '.join(when) if when else 'every school day'}"


def mentor_windows(mentor_id: int) -> list[AvailabilityWindow]:
    return list(
        db.session.scalars(
            db.select(AvailabilityWindow)
            .where(AvailabilityWindow.mentor_id == mentor_id)
            .order_by(
                AvailabilityWindow.on.is_not(None), AvailabilityWindow.on, AvailabilityWindow.id
            )
        )
    )


def remove_availability(window: AvailabilityWindow | TimeOff) -> None:
    """Remove one of a mentor's windows or time-off ranges."""
    db.session.delete(window)


def add_time_off(mentor: User, starts_on: date, ends_on: date, note: str = "") -> TimeOff:
    if ends_on < starts_on:
        raise AvailabilityError("Time off must end on or after the day it starts.")
    if (ends_on - starts_on).days > 366:
        raise AvailabilityError("Time off can be at most a year.")
    time_off = TimeOff(
        mentor_id=mentor.id, starts_on=starts_on, ends_on=ends_on, note=note.strip()[:120]
    )
    db.session.add(time_off)
    db.session.flush()
    return time_off


def as_engine_window(window: AvailabilityWindow) -> Window:
    return Window(
        start=window.start_time,
        end=window.end_time,
        period=window.period_name,
        weekdays=window.weekday_set,
        day_types=frozenset([window.day_type.name]) if window.day_type is not None else frozenset(),
        on=window.on,
    )
