"""Finding a mentor: who knows the topic and is free, best match first.

Best match first: a mentor's skill level counts most (expert 3, confident 2, can help 1), then
fairness (fewer sessions already this week ranks higher), then your good past sessions with them.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from sqlalchemy.orm import lazyload

from helpdesk.accounts.models import User
from helpdesk.availability.models import AvailabilityWindow, TimeOff
from helpdesk.availability.services import booking_rules, program_settings
from helpdesk.availability.slots import Busy, Rules, Slot, Window, bookable_slots
from helpdesk.bookings.models import HOLDING_STATUSES, Booking, BookingStatus
from helpdesk.calendar.models import DayType
from helpdesk.calendar.services import load_calendars
from helpdesk.extensions import db
from helpdesk.mentors.models import MentorProfile, MentorSkill, SkillLevel
from helpdesk.reflections.models import Reflection
from helpdesk.schools.models import School

SCORE_EXPLANATION = (
    "Best match first: skill level counts most (expert, then confident, then can help), "
    "then mentors with fewer sessions this week, then mentors you have had good sessions with."
)
LEVEL_WEIGHT = 10
WEEK_LOAD_WEIGHT = 3
PAST_SESSION_WEIGHT = 2
PAST_SESSION_CAP = 3
MAX_RANGE_DAYS = 31
GOOD_RATING = 4
# Sessions last at most 120 minutes (program settings); a day is a safe upper bound.
LONGEST_SESSION = timedelta(days=1)
NOT_HOLDING_STATUSES = tuple(s for s in BookingStatus if s not in HOLDING_STATUSES)


class FinderError(ValueError):
    """A search that cannot be run; the message is safe to show."""


@dataclass(frozen=True)
class MentorMatch:
    mentor: User
    profile: MentorProfile
    level: SkillLevel
    slots: list[Slot]
    sessions_this_week: int
    good_past_sessions: int

    @property
    def score(self) -> int:
        return match_score(self.level, self.sessions_this_week, self.good_past_sessions)


def match_score(level: int, sessions_this_week: int, good_past_sessions: int) -> int:
    """Level weighs most, then a light week, then good past sessions together (capped)."""
    return (
        LEVEL_WEIGHT * level
        - WEEK_LOAD_WEIGHT * sessions_this_week
        + PAST_SESSION_WEIGHT * min(good_past_sessions, PAST_SESSION_CAP)
    )


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    # A day's wall clock lies within UTC-14..UTC+14 of its date; widen by a day either side.
    return (
        datetime.combine(start - timedelta(days=1), time.min, UTC),
        datetime.combine(end + timedelta(days=2), time.min, UTC),
    )


def find_mentors(
    *,
    skill_id: int,
    start: date,
    end: date,
    session_minutes: int,
    now: datetime,
    teacher: User | None = None,
    school_id: int | None = None,
    online_only: bool = False,
    mentor_id: int | None = None,
    exclude_booking_id: int | None = None,
) -> list[MentorMatch]:
    """Mentors with the skill and at least one open slot in [start, end], best match first."""
    if end < start:
        raise FinderError("The end date must be on or after the start date.")
    if (end - start).days >= MAX_RANGE_DAYS:
        raise FinderError(f"Search at most {MAX_RANGE_DAYS} days at a time.")
    settings = program_settings()
    if session_minutes not in settings.lengths:
        raise FinderError("Choose one of the session lengths the program offers.")

    candidates = _candidates(skill_id, school_id, online_only, mentor_id)
    if not candidates:
        return []
    ids = [profile.user_id for profile, _level in candidates]
    week_from = _week_start(min(start, now.date()))
    week_to = _week_start(end) + timedelta(days=6)
    windows = _windows_by_mentor(ids, start, end)
    time_off = _time_off_by_mentor(ids, start, end)
    busy = _busy_by_mentor(ids, *_utc_bounds(week_from, week_to), exclude_booking_id)
    good_past = _good_past_sessions(teacher, ids)
    calendars = load_calendars({p.user.school_id: p.user.school for p, _ in candidates}.values())
    days_by_school = {school_id: cal.days(start, end) for school_id, cal in calendars.items()}

    rules: dict[int | None, Rules] = {}
    matches = []
    for profile, level in candidates:
        mentor = profile.user
        if mentor.id not in windows:
            continue  # no window, no slot
        calendar = calendars[mentor.school_id]
        mentor_busy = busy.get(mentor.id, [])
        cap = profile.weekly_cap
        if cap not in rules:
            rules[cap] = booking_rules(settings, session_minutes, cap)
        slots = bookable_slots(
            windows=windows[mentor.id],
            school_days=days_by_school[mentor.school_id],
            tz=calendar.tz,
            rules=rules[cap],
            now=now,
            start=start,
            end=end,
            busy=mentor_busy,
            time_off=time_off.get(mentor.id, []),
        )
        if not slots:
            continue
        this_week = _week_start(now.astimezone(calendar.tz).date())
        load = sum(
            1
            for b in mentor_busy
            if _week_start(b.start_at.astimezone(calendar.tz).date()) == this_week
        )
        matches.append(
            MentorMatch(
                mentor, profile, SkillLevel(level), slots, load, good_past.get(mentor.id, 0)
            )
        )
    matches.sort(key=lambda m: (-m.score, m.slots[0].start_at, m.mentor.id))
    return matches


def _candidates(
    skill_id: int, school_id: int | None, online_only: bool, mentor_id: int | None
) -> list[tuple[MentorProfile, int]]:
    statement = (
        db.select(MentorProfile, MentorSkill.level)
        .join(MentorSkill, MentorSkill.mentor_id == MentorProfile.user_id)
        .join(User, User.id == MentorProfile.user_id)
        .where(MentorSkill.skill_id == skill_id, User.is_active.is_(True))
        .options(lazyload(MentorProfile.skills))
    )
    if school_id:
        statement = statement.where(User.school_id == school_id)
    if online_only:
        statement = statement.where(MentorProfile.offers_online.is_(True))
    if mentor_id:
        statement = statement.where(MentorProfile.user_id == mentor_id)
    return [(profile, level) for profile, level in db.session.execute(statement)]


def _windows_by_mentor(ids: list[int], start: date, end: date) -> dict[int, list[Window]]:
    """The mentors' windows that can apply in [start, end], read as plain rows."""
    result: dict[int, list[Window]] = defaultdict(list)
    rows = db.session.execute(
        db.select(
            AvailabilityWindow.mentor_id,
            AvailabilityWindow.start_time,
            AvailabilityWindow.end_time,
            AvailabilityWindow.period_name,
            AvailabilityWindow.weekdays,
            DayType.name,
            AvailabilityWindow.on,
        )
        .outerjoin(DayType, DayType.id == AvailabilityWindow.day_type_id)
        .where(
            AvailabilityWindow.mentor_id.in_(ids),
            db.or_(AvailabilityWindow.on.is_(None), AvailabilityWindow.on.between(start, end)),
        )
    )
    for mentor_id, *window in rows:
        result[mentor_id].append(_engine_window(*window))
    return result


@lru_cache(maxsize=4096)
def _engine_window(
    start: time | None,
    end: time | None,
    period: str | None,
    weekdays: int,
    day_type: str | None,
    on: date | None,
) -> Window:
    """The same Window as availability's as_engine_window, shared: many mentors pick alike."""
    return Window(
        start=start,
        end=end,
        period=period,
        weekdays=frozenset(d for d in range(7) if weekdays & (1 << d)),
        day_types=frozenset([day_type]) if day_type is not None else frozenset(),
        on=on,
    )


def _time_off_by_mentor(
    ids: list[int], start: date, end: date
) -> dict[int, list[tuple[date, date]]]:
    result: dict[int, list[tuple[date, date]]] = defaultdict(list)
    rows = db.session.execute(
        db.select(TimeOff.mentor_id, TimeOff.starts_on, TimeOff.ends_on).where(
            TimeOff.mentor_id.in_(ids), TimeOff.starts_on <= end, TimeOff.ends_on >= start
        )
    )
    for mentor_id, starts_on, ends_on in rows:
        result[mentor_id].append((starts_on, ends_on))
    return result


def _busy_by_mentor(
    ids: list[int], since: datetime, until: datetime, exclude_booking_id: int | None = None
) -> dict[int, list[Busy]]:
    """Sessions holding the mentors' time that overlap [since, until)."""
    result: dict[int, list[Busy]] = defaultdict(list)
    # Both bounds on starts_at let the (mentor_id, starts_at) index read only the weeks asked
    # for. Status is written as NOT IN the other statuses: given `status IN (...)`, SQLite
    # without statistics walks the (status, created_at) index instead, most of the table.
    rows = db.session.execute(
        db.select(Booking.mentor_id, Booking.starts_at, Booking.ends_at).where(
            Booking.mentor_id.in_(ids),
            Booking.status.not_in(NOT_HOLDING_STATUSES),
            Booking.starts_at >= since - LONGEST_SESSION,
            Booking.starts_at < until,
            Booking.ends_at > since,
            Booking.id != (exclude_booking_id or -1),
        )
    )
    for mentor_id, starts_at, ends_at in rows:
        result[mentor_id].append(Busy(starts_at, ends_at))
    return result


def _good_past_sessions(teacher: User | None, ids: list[int]) -> dict[int, int]:
    if teacher is None:
        return {}
    rows = db.session.execute(
        db.select(Booking.mentor_id, db.func.count())
        .where(
            Booking.teacher_id == teacher.id,
            Booking.mentor_id.in_(ids),
            Booking.status == BookingStatus.COMPLETED,
            # a session the teacher rated 3 or lower does not count as a good one
            ~db.exists().where(
                Reflection.booking_id == Booking.id,
                Reflection.author_id == teacher.id,
                Reflection.rating < GOOD_RATING,
            ),
        )
        .group_by(Booking.mentor_id)
    )
    return dict(rows.all())


def schools() -> list[School]:
    return list(db.session.scalars(db.select(School).order_by(School.name)))
