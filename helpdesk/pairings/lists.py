"""Read models for the pairing pages: ranked suggestions with reasons, a pairing's timeline,
the lists on the index, and the advisor's health page. Each loads what it shows in a fixed
number of queries, whatever the number of mentors or pairings."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from helpdesk.accounts.models import Role, User
from helpdesk.availability.models import AvailabilityWindow
from helpdesk.availability.slots import Window
from helpdesk.bookings.models import HOLDING_STATUSES, Booking, BookingStatus
from helpdesk.calendar.models import DayType
from helpdesk.calendar.services import load_calendars
from helpdesk.extensions import db
from helpdesk.formatting import plural
from helpdesk.mentors.models import MentorSkill, SkillLevel
from helpdesk.pairings.free_periods import FreePeriod, free_spans, free_specs
from helpdesk.pairings.models import (
    GoalStatus,
    Pairing,
    PairingGoal,
    PairingReflection,
    PairingStatus,
)
from helpdesk.reflections.models import Reflection, SessionReport
from helpdesk.schools.models import School

GOOD_RATING = 4
NOT_MET_DAYS = 14
LOOK_AHEAD_DAYS = 14  # shared free periods are counted over the next two school weeks
SUGGESTIONS = 8
MIN_SHARED_MINUTES = 20
# How much each reason weighs in the ranking (documented on the page).
LEVEL_WEIGHT, SHARED_WEIGHT, SHARED_CAP = 10, 4, 4
PAIRING_WEIGHT, WEEK_WEIGHT = 6, 2
SCHOOL_WEIGHT, WORKED_WEIGHT, WORKED_CAP = 5, 3, 3
RANKING_EXPLANATION = (
    "Best first: the mentor's level in the topic counts most, then free periods you share, "
    "then a lighter load (fewer pairings and sessions this week), the same school, and good "
    "sessions together before."
)
_TIMES = {1: "once", 2: "twice"}


@dataclass
class Suggestion:
    mentor: User
    level: SkillLevel | None
    shared: list[FreePeriod]
    active_pairings: int
    sessions_this_week: int
    same_school: bool
    worked_well: int
    kudos: int
    score: int = 0
    reasons: list[str] = field(default_factory=list)


def _score(s: Suggestion) -> int:
    return (
        LEVEL_WEIGHT * (s.level or 0)
        + SHARED_WEIGHT * min(len(s.shared), SHARED_CAP)
        - PAIRING_WEIGHT * s.active_pairings
        - WEEK_WEIGHT * s.sessions_this_week
        + SCHOOL_WEIGHT * s.same_school
        + WORKED_WEIGHT * min(s.worked_well + s.kudos, WORKED_CAP)
    )


def _reasons(s: Suggestion, skill_name: str | None, teacher: User, viewer: User) -> list[str]:
    you = "you" if viewer.id == teacher.id else teacher.first_name
    reasons = []
    if s.level is not None and skill_name:
        reasons.append(f"Teaches {skill_name} ({s.level.label.lower()})")
    elif skill_name:
        reasons.append(f"Does not list {skill_name}")
    if s.shared:
        labels = [p.label for p in s.shared]
        shown = ", ".join(labels[:3]) + (", …" if len(labels) > 3 else "")
        reasons.append(f"{plural(len(labels), 'shared free period')} ({shown})")
    else:
        reasons.append("No shared free period yet")
    reasons.append(
        "No current pairing"
        if not s.active_pairings
        else f"{plural(s.active_pairings, 'current pairing')}"
    )
    if s.sessions_this_week:
        reasons.append(f"{plural(s.sessions_this_week, 'session')} this week")
    reasons.append("Same school" if s.same_school else "Another school")
    if s.worked_well:
        times = _TIMES.get(s.worked_well, f"{s.worked_well} times")
        reasons.append(f"Worked with {you} {times}")
    if s.kudos:
        reasons.append(f"{plural(s.kudos, 'kudos', 'kudos')} from {you}")
    return reasons


def suggestions(
    teacher: User,
    skill_id: int | None,
    skill_name: str | None,
    now: datetime,
    viewer: User,
    limit: int = SUGGESTIONS,
) -> list[Suggestion]:
    """Mentors for this teacher, best first, each with the reasons in words.

    Candidates are the active mentors with the skill (every active mentor without one); the
    teacher's free periods are matched against each mentor's availability windows on the
    actual school days of the next two weeks, so different schools' bells compare as times.
    """
    level_of: dict[int, int] = {}
    if skill_id:
        level_of = dict(
            db.session.execute(
                select(MentorSkill.mentor_id, MentorSkill.level).where(
                    MentorSkill.skill_id == skill_id
                )
            ).all()
        )
    if skill_id and not level_of:
        return []
    statement = select(User).where(User.role == Role.MENTOR, User.is_active.is_(True))
    if skill_id:
        statement = statement.where(User.id.in_(list(level_of)))
    # A mentor already in an active pairing with this teacher cannot be paired again.
    paired = select(Pairing.mentor_id).where(
        Pairing.teacher_id == teacher.id, Pairing.status == PairingStatus.ACTIVE
    )
    statement = statement.where(User.id.not_in(paired))
    mentors = list(db.session.scalars(statement.order_by(User.id)))
    if not mentors:
        return []
    ids = [m.id for m in mentors]
    shared = _shared_free_periods(teacher, mentors, now)
    pairings = dict(
        db.session.execute(
            select(Pairing.mentor_id, func.count(Pairing.id))
            .where(Pairing.mentor_id.in_(ids), Pairing.status == PairingStatus.ACTIVE)
            .group_by(Pairing.mentor_id)
        ).all()
    )
    zone = ZoneInfo(teacher.school.timezone)
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    week = dict(
        db.session.execute(
            select(Booking.mentor_id, func.count())
            .where(
                Booking.mentor_id.in_(ids),
                Booking.status.in_(HOLDING_STATUSES),
                Booking.starts_at >= datetime.combine(monday, time.min, zone),
                Booking.starts_at < datetime.combine(monday + timedelta(days=7), time.min, zone),
            )
            .group_by(Booking.mentor_id)
        ).all()
    )
    good, kudos = _worked_well(teacher, ids)
    found = []
    for mentor in mentors:
        level = level_of.get(mentor.id)
        s = Suggestion(
            mentor=mentor,
            level=SkillLevel(level) if level else None,
            shared=shared.get(mentor.id, []),
            active_pairings=pairings.get(mentor.id, 0),
            sessions_this_week=week.get(mentor.id, 0),
            same_school=mentor.school_id == teacher.school_id,
            worked_well=good.get(mentor.id, 0),
            kudos=kudos.get(mentor.id, 0),
        )
        s.score = _score(s)
        s.reasons = _reasons(s, skill_name, teacher, viewer)
        found.append(s)
    found.sort(key=lambda s: (-s.score, s.mentor.full_name, s.mentor.id))
    return found[:limit]


def _worked_well(teacher: User, ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Per mentor: the teacher's completed sessions not rated poorly, and kudos given."""
    rated = aliased(Reflection)
    poorly = (
        select(rated.id)
        .where(
            rated.booking_id == Booking.id,
            rated.author_id == teacher.id,
            rated.rating < GOOD_RATING,
        )
        .correlate(Booking)
        .exists()
    )
    with_kudos = func.sum(
        db.case((and_(Reflection.kudos.is_not(None), Reflection.kudos != ""), 1), else_=0)
    )
    rows = db.session.execute(
        select(Booking.mentor_id, func.count(func.distinct(Booking.id)), with_kudos)
        .outerjoin(
            Reflection,
            and_(Reflection.booking_id == Booking.id, Reflection.author_id == teacher.id),
        )
        .where(
            Booking.teacher_id == teacher.id,
            Booking.mentor_id.in_(ids),
            Booking.status == BookingStatus.COMPLETED,
            ~poorly,
        )
        .group_by(Booking.mentor_id)
    ).all()
    return (
        {mentor_id: count for mentor_id, count, _k in rows},
        {mentor_id: int(k or 0) for mentor_id, _c, k in rows},
    )


def _shared_free_periods(
    teacher: User, mentors: list[User], now: datetime
) -> dict[int, list[FreePeriod]]:
    """Each mentor's windows that hold at least MIN_SHARED_MINUTES of one of the teacher's
    free periods on some school day of the next two weeks, as the teacher's free periods."""
    spec = free_specs([teacher.id])[teacher.id]
    if not spec:
        return {}
    school_ids = {teacher.school_id} | {m.school_id for m in mentors}
    calendars = load_calendars(db.session.scalars(select(School).where(School.id.in_(school_ids))))
    mine = calendars[teacher.school_id]
    today = now.astimezone(mine.tz).date()
    last = today + timedelta(days=LOOK_AHEAD_DAYS - 1)
    spans = free_spans(spec, mine, today, last)
    if not spans:
        return {}
    windows = _windows([m.id for m in mentors], today, last)
    least = timedelta(minutes=MIN_SHARED_MINUTES)
    result: dict[int, list[FreePeriod]] = {}
    for mentor in mentors:
        own = windows.get(mentor.id)
        if not own:
            continue
        calendar = calendars[mentor.school_id]
        days = calendar.days(today, last)
        found: set[FreePeriod] = set()
        for span in spans:
            if span.free in found:
                continue
            day = days.get(span.start_at.astimezone(calendar.tz).date())
            if day is None:
                continue
            for window in own:
                times = window.times_on(day) if window.applies_to(day) else None
                if times is None:
                    continue
                opens = datetime.combine(day.on, times[0], calendar.tz).astimezone(UTC)
                closes = datetime.combine(day.on, times[1], calendar.tz).astimezone(UTC)
                if min(closes, span.end_at) - max(opens, span.start_at) >= least:
                    found.add(span.free)
                    break
        if found:
            result[mentor.id] = sorted(
                found, key=lambda p: (p.day_type or "", p.weekday or 0, p.period)
            )
    return result


def _windows(ids: list[int], start: date, end: date) -> dict[int, list[Window]]:
    result: dict[int, list[Window]] = defaultdict(list)
    rows = db.session.execute(
        select(
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
            or_(AvailabilityWindow.on.is_(None), AvailabilityWindow.on.between(start, end)),
        )
    )
    for mentor_id, opens, closes, period, weekdays, day_type, on in rows:
        result[mentor_id].append(
            Window(
                start=opens,
                end=closes,
                period=period,
                weekdays=frozenset(d for d in range(7) if weekdays & (1 << d)),
                day_types=frozenset([day_type]) if day_type is not None else frozenset(),
                on=on,
            )
        )
    return result


# ---- one pairing's page


@dataclass
class TimelineEntry:
    booking: Booking
    report: SessionReport | None
    reflections: list[Reflection]
    is_past: bool


def _day_bounds(pairing: Pairing) -> tuple[datetime, datetime]:
    zone = ZoneInfo(pairing.teacher.school.timezone)
    return (
        datetime.combine(pairing.starts_on, time.min, zone),
        datetime.combine(pairing.ends_on + timedelta(days=1), time.min, zone),
    )


def timeline(pairing: Pairing, viewer: User, now: datetime) -> list[TimelineEntry]:
    """Sessions between the two during the pairing's dates, oldest first, with the mentor's
    notes and the reflections the viewer may read (as on the session page)."""
    if pairing.mentor_id is None:
        return []
    since, until = _day_bounds(pairing)
    bookings = list(
        db.session.scalars(
            select(Booking)
            .where(
                Booking.mentor_id == pairing.mentor_id,
                Booking.teacher_id == pairing.teacher_id,
                Booking.starts_at >= since,
                Booking.starts_at < until,
                Booking.status.not_in((BookingStatus.DECLINED, BookingStatus.EXPIRED)),
            )
            .order_by(Booking.starts_at)
        )
    )
    ids = [b.id for b in bookings]
    reports = (
        {
            r.booking_id: r
            for r in db.session.scalars(
                select(SessionReport).where(SessionReport.booking_id.in_(ids))
            )
        }
        if ids
        else {}
    )
    written: dict[int, list[Reflection]] = defaultdict(list)
    if ids:
        for reflection in db.session.scalars(
            select(Reflection).where(Reflection.booking_id.in_(ids)).order_by(Reflection.id)
        ):
            written[reflection.booking_id].append(reflection)
    entries = []
    for booking in bookings:
        own = written[booking.id]
        visible = own if viewer.is_advisor or any(r.author_id == viewer.id for r in own) else []
        entries.append(
            TimelineEntry(booking, reports.get(booking.id), visible, booking.starts_at <= now)
        )
    return entries


def load_pairing(pairing_id: int) -> Pairing | None:
    """A pairing with its goals and their history, in a fixed number of queries."""
    return db.session.scalar(
        select(Pairing)
        .where(Pairing.id == pairing_id)
        .options(selectinload(Pairing.goals).selectinload(PairingGoal.updates))
    )


# ---- lists


def pairings_for(user: User) -> list[Pairing]:
    """The user's pairings (the advisor: every request waiting and every active pairing)."""
    statement = select(Pairing).options(selectinload(Pairing.goals))
    if user.is_advisor:
        statement = statement.where(
            Pairing.status.in_((PairingStatus.REQUESTED, PairingStatus.ACTIVE))
        )
    else:
        statement = statement.where(
            or_(Pairing.teacher_id == user.id, Pairing.mentor_id == user.id)
        )
    order = db.case(
        (Pairing.status == PairingStatus.REQUESTED, 0),
        (Pairing.status == PairingStatus.ACTIVE, 1),
        else_=2,
    )
    return list(
        db.session.scalars(statement.order_by(order, Pairing.created_at.desc(), Pairing.id.desc()))
    )


def waiting_reflection(user: User) -> list[Pairing]:
    """Closed pairings of the user without their closing reflection yet."""
    mine = select(PairingReflection.pairing_id).where(PairingReflection.author_id == user.id)
    return list(
        db.session.scalars(
            select(Pairing).where(
                or_(Pairing.teacher_id == user.id, Pairing.mentor_id == user.id),
                Pairing.status == PairingStatus.CLOSED,
                Pairing.id.not_in(mine),
            )
        )
    )


@dataclass
class HealthRow:
    pairing: Pairing
    sessions_held: int
    last_met_at: datetime | None
    goals_met: int
    goals: int
    needs_attention: bool


def health(
    now: datetime, school_id: int | None = None, status: str | None = None
) -> list[HealthRow]:
    """Every pairing with sessions held, last met and goals met; a flag for active pairs not
    met in two weeks. Three queries, whatever the number of pairings."""
    statement = select(Pairing).where(
        Pairing.status.in_((PairingStatus.ACTIVE, PairingStatus.CLOSED))
    )
    if status in (PairingStatus.ACTIVE.value, PairingStatus.CLOSED.value):
        statement = statement.where(Pairing.status == PairingStatus(status))
    if school_id:
        statement = statement.join(User, User.id == Pairing.teacher_id).where(
            User.school_id == school_id
        )
    pairings = list(db.session.scalars(statement.order_by(Pairing.starts_on.desc(), Pairing.id)))
    if not pairings:
        return []
    ids = [p.id for p in pairings]
    held: dict[int, tuple[int, datetime | None]] = {}
    rows = db.session.execute(
        select(Pairing.id, Booking.starts_at)
        .join(
            Booking,
            and_(
                Booking.mentor_id == Pairing.mentor_id,
                Booking.teacher_id == Pairing.teacher_id,
                Booking.status == BookingStatus.COMPLETED,
                Booking.starts_at <= now,
            ),
        )
        .where(Pairing.id.in_(ids))
    ).all()
    by_pairing = {p.id: p for p in pairings}
    for pairing_id, starts_at in rows:
        pairing = by_pairing[pairing_id]
        since, until = _day_bounds(pairing)
        if not since <= starts_at < until:
            continue
        count, last = held.get(pairing_id, (0, None))
        held[pairing_id] = (count + 1, starts_at if last is None or starts_at > last else last)
    goals = defaultdict(lambda: [0, 0])
    for pairing_id, goal_status, count in db.session.execute(
        select(PairingGoal.pairing_id, PairingGoal.status, func.count(PairingGoal.id))
        .where(PairingGoal.pairing_id.in_(ids))
        .group_by(PairingGoal.pairing_id, PairingGoal.status)
    ):
        goals[pairing_id][1] += count
        if goal_status is GoalStatus.MET:
            goals[pairing_id][0] += count
    result = []
    stale = now - timedelta(days=NOT_MET_DAYS)
    for pairing in pairings:
        count, last = held.get(pairing.id, (0, None))
        started = datetime.combine(pairing.starts_on, time.min, UTC)
        needs = pairing.is_active and (last or started) < stale
        result.append(
            HealthRow(pairing, count, last, goals[pairing.id][0], goals[pairing.id][1], needs)
        )
    result.sort(key=lambda r: (not r.needs_attention, r.pairing.status.value, r.pairing.id))
    return result
