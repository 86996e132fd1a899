"""Finding a mentor: who knows the topic and is free, best match first.

Best match first: a mentor's skill level counts most (expert 3, confident 2, can help 1), then
fairness (fewer sessions already this week ranks higher), then your good past sessions with them.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import lazyload

from helpdesk.accounts.models import User
from helpdesk.availability.models import AvailabilityWindow, TimeOff
from helpdesk.availability.services import as_engine_window, booking_rules, program_settings
from helpdesk.availability.slots import Busy, Slot, bookable_slots
from helpdesk.bookings.models import HOLDING_STATUSES, Booking, BookingStatus
from helpdesk.calendar.services import load_calendars
from helpdesk.extensions import db
from helpdesk.mentors.models import MentorProfile, MentorSkill, SkillLevel
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
# Sessions last at most 120 minutes (program settings); a day is a safe upper bound.
LONGEST_SESSION = timedelta(days=1)


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
    windows = _windows_by_mentor(ids)
    time_off = _time_off_by_mentor(ids, start, end)
    busy = _busy_by_mentor(ids, *_utc_bounds(week_from, week_to), exclude_booking_id)
    good_past = _good_past_sessions(teacher, ids)
    calendars = load_calendars({p.user.school_id: p.user.school for p, _ in candidates}.values())
    days_by_school = {school_id: cal.days(start, end) for school_id, cal in calendars.items()}

    matches = []
    for profile, level in candidates:
        mentor = profile.user
        calendar = calendars[mentor.school_id]
        mentor_busy = busy.get(mentor.id, [])
        slots = bookable_slots(
            windows=windows.get(mentor.id, []),
            school_days=days_by_school[mentor.school_id],
            tz=calendar.tz,
            rules=booking_rules(settings, session_minutes, profile.weekly_cap),
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


def _windows_by_mentor(ids: list[int]) -> dict[int, list]:
    result: dict[int, list] = defaultdict(list)
    rows = db.session.scalars(
        db.select(AvailabilityWindow).where(AvailabilityWindow.mentor_id.in_(ids))
    )
    for window in rows:
        result[window.mentor_id].append(as_engine_window(window))
    return result


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
    # for. Status is checked here rather than in SQL: given a status condition, SQLite without
    # statistics walks the status index instead, which is most of the table.
    rows = db.session.execute(
        db.select(Booking.mentor_id, Booking.starts_at, Booking.ends_at, Booking.status).where(
            Booking.mentor_id.in_(ids),
            Booking.starts_at >= since - LONGEST_SESSION,
            Booking.starts_at < until,
            Booking.ends_at > since,
            Booking.id != (exclude_booking_id or -1),
        )
    )
    for mentor_id, starts_at, ends_at, status in rows:
        if status in HOLDING_STATUSES:
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
        )
        .group_by(Booking.mentor_id)
    )
    return dict(rows.all())


def schools() -> list[School]:
    return list(db.session.scalars(db.select(School).order_by(School.name)))
