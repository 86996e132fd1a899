"""What each role's home page shows: live counts and the few items to act on, in a few queries."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select

from helpdesk.accounts.models import User
from helpdesk.bookings.closures import CLOSED_REASON
from helpdesk.bookings.models import HOLDING_STATUSES, Booking, BookingEvent, BookingStatus
from helpdesk.calendar.models import Closure
from helpdesk.concerns.lists import handles_concerns, open_count
from helpdesk.extensions import db
from helpdesk.hours.lists import HomeHours, home_hours
from helpdesk.mail.models import MailStatus
from helpdesk.mail.services import status_counts
from helpdesk.mentors.models import MentorSkill
from helpdesk.reflections.models import Reflection
from helpdesk.reflections.services import kudos_for
from helpdesk.requests.lists import overdue_count
from helpdesk.requests.models import ACTIVE_STATUSES, HelpRequest, RequestStatus
from helpdesk.schools.models import School
from helpdesk.skills.models import Skill
from helpdesk.tips.models import Tip, TipStatus
from helpdesk.workshops.models import HOLDING as WORKSHOP_HOLDING
from helpdesk.workshops.models import Workshop, WorkshopStatus

ATTENTION_BEFORE = timedelta(days=14)  # a closure this recent (or any later one) still matters
NEWEST_TIPS = 5
TO_REFLECT_SHOWN = 3


def _count(statement):
    return statement.with_only_columns(func.count()).order_by(None).scalar_subquery()


def _day_bounds(day, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, zone)
    return start, datetime.combine(day + timedelta(days=1), time.min, zone)


@dataclass(frozen=True)
class TeacherHome:
    next_session: Booking | None
    waiting: int  # session requests waiting for the advisor
    to_reflect: int
    reflect_on: list[Booking]  # the newest few of them
    open_requests: int  # their help requests still being worked on
    credit: HomeHours  # from the hours ledger


def teacher_home(teacher: User, now: datetime) -> TeacherHome:
    reflected = select(Reflection.booking_id).where(Reflection.author_id == teacher.id)
    mine = select(Booking.id).where(Booking.teacher_id == teacher.id)
    unreflected = (
        Booking.teacher_id == teacher.id,
        Booking.status == BookingStatus.COMPLETED,
        Booking.id.not_in(reflected),
    )
    waiting, to_reflect, open_requests = db.session.execute(
        select(
            _count(mine.where(Booking.status == BookingStatus.REQUESTED, Booking.ends_at > now)),
            _count(select(Booking.id).where(*unreflected)),
            _count(
                select(HelpRequest.id).where(
                    HelpRequest.requester_id == teacher.id,
                    HelpRequest.status.in_(ACTIVE_STATUSES),
                )
            ),
        )
    ).one()
    next_session = db.session.scalar(
        select(Booking)
        .where(
            Booking.teacher_id == teacher.id,
            Booking.status == BookingStatus.APPROVED,
            Booking.ends_at > now,
        )
        .order_by(Booking.starts_at)
        .limit(1)
    )
    reflect_on = (
        list(
            db.session.scalars(
                select(Booking)
                .where(*unreflected)
                .order_by(Booking.starts_at.desc())
                .limit(TO_REFLECT_SHOWN)
            )
        )
        if to_reflect
        else []
    )
    return TeacherHome(
        next_session, waiting, to_reflect, reflect_on, open_requests, home_hours(teacher)
    )


@dataclass(frozen=True)
class MentorHome:
    session_requests: int  # sessions asked of them, waiting for the advisor
    answering: int  # help requests they claimed and still owe an answer on
    queue_for_skills: int  # open help requests they are able to take
    today: list[Booking]
    credit: HomeHours  # from the hours ledger


def mentor_home(mentor: User, now: datetime) -> MentorHome:
    zone = ZoneInfo(mentor.school.timezone)
    start, end = _day_bounds(now.astimezone(zone).date(), zone)
    skilled = and_(
        MentorSkill.skill_id == HelpRequest.skill_id,
        MentorSkill.mentor_id == mentor.id,
        MentorSkill.level >= func.coalesce(Skill.required_level, 1),
    )
    session_requests, answering, queue = db.session.execute(
        select(
            _count(
                select(Booking.id).where(
                    Booking.mentor_id == mentor.id,
                    Booking.status == BookingStatus.REQUESTED,
                    Booking.ends_at > now,
                )
            ),
            _count(
                select(HelpRequest.id).where(
                    HelpRequest.mentor_id == mentor.id,
                    HelpRequest.status.in_((RequestStatus.CLAIMED, RequestStatus.WAITING)),
                )
            ),
            _count(
                select(HelpRequest.id)
                .join(Skill, Skill.id == HelpRequest.skill_id)
                .join(MentorSkill, skilled)
                .where(HelpRequest.status == RequestStatus.OPEN, Skill.is_escalate_only.is_(False))
            ),
        )
    ).one()
    today = list(
        db.session.scalars(
            select(Booking)
            .where(
                Booking.mentor_id == mentor.id,
                Booking.status.in_((BookingStatus.APPROVED, BookingStatus.COMPLETED)),
                Booking.starts_at >= start,
                Booking.starts_at < end,
            )
            .order_by(Booking.starts_at)
        )
    )
    credit = home_hours(mentor, kudos_for(mentor))
    return MentorHome(session_requests, answering, queue, today, credit)


@dataclass(frozen=True)
class ClosureNotice:
    """A closed day whose sessions were cancelled: the advisor may want to reopen or follow up."""

    closure: Closure
    cancelled: int
    timezone: str
    is_past: bool = False  # its sessions' times have passed: nothing left to restore

    @property
    def day_at(self) -> datetime:
        """Midday of the closed day in the school's zone, for the date filters."""
        return datetime.combine(self.closure.on, time(12), ZoneInfo(self.timezone))


@dataclass(frozen=True)
class AdvisorHome:
    waiting: int
    oldest_waiting_at: datetime | None
    overdue_requests: int
    tips_to_review: int
    this_week: int  # sessions held or to be held this week (Monday to Sunday)
    week_start: datetime
    failed_mail: int
    open_concerns: int = 0  # concerns not yet closed, none about the advisor themselves
    closures: list[ClosureNotice] = field(default_factory=list)
    workshops_waiting: int = 0  # proposals waiting for approval (helpdesk.workshops)
    workshops_this_week: int = 0  # proposed or approved workshops starting this week

    @property
    def needs_attention(self) -> bool:
        return bool(self.failed_mail or self.closures)


def advisor_home(advisor: User, now: datetime) -> AdvisorHome:
    zone = ZoneInfo(advisor.school.timezone)
    today = now.astimezone(zone).date()
    monday, _ = _day_bounds(today - timedelta(days=today.weekday()), zone)
    waiting = select(Booking.id).where(Booking.status == BookingStatus.REQUESTED)
    week = (Workshop.starts_at >= monday, Workshop.starts_at < monday + timedelta(days=7))
    waiting_count, oldest, tips, this_week, concerns, proposals, workshops = db.session.execute(
        select(
            _count(waiting),
            select(func.min(Booking.created_at))
            .where(Booking.status == BookingStatus.REQUESTED)
            .scalar_subquery(),
            _count(select(Tip.id).where(Tip.status == TipStatus.SUBMITTED)),
            _count(
                select(Booking.id).where(
                    Booking.status.in_(HOLDING_STATUSES),
                    Booking.starts_at >= monday,
                    Booking.starts_at < monday + timedelta(days=7),
                )
            ),
            open_count(advisor),
            _count(select(Workshop.id).where(Workshop.status == WorkshopStatus.PROPOSED)),
            _count(select(Workshop.id).where(Workshop.status.in_(WORKSHOP_HOLDING), *week)),
        )
    ).one()
    return AdvisorHome(
        waiting=waiting_count,
        oldest_waiting_at=oldest,
        overdue_requests=overdue_count(now),
        tips_to_review=tips,
        this_week=this_week,
        week_start=monday,
        failed_mail=status_counts()[MailStatus.FAILED],
        open_concerns=concerns,
        closures=closures_that_cancelled(today - ATTENTION_BEFORE, today),
        workshops_waiting=proposals,
        workshops_this_week=workshops,
    )


def closures_that_cancelled(since: date, today: date) -> list[ClosureNotice]:
    """Closures from `since` on whose day had sessions cancelled because of them, by date."""
    rows = db.session.execute(
        select(Closure, School.timezone, Booking.starts_at)
        .join(School, School.id == Closure.school_id)
        .join(User, User.school_id == Closure.school_id)
        .join(Booking, Booking.mentor_id == User.id)
        .join(BookingEvent, BookingEvent.booking_id == Booking.id)
        .where(
            Closure.on >= since,
            Booking.status == BookingStatus.CANCELLED,
            BookingEvent.to_status == BookingStatus.CANCELLED.value,
            BookingEvent.reason.startswith(CLOSED_REASON),
            # a day early for any time zone; each session's local day is checked below
            Booking.starts_at >= datetime.combine(since - timedelta(days=1), time.min, UTC),
        )
        .order_by(Closure.on, Closure.id)
    ).all()
    counts: dict[int, int] = {}
    closures: dict[int, tuple[Closure, str]] = {}
    for closure, timezone, starts_at in rows:
        if starts_at.astimezone(ZoneInfo(timezone)).date() == closure.on:
            closures[closure.id] = (closure, timezone)
            counts[closure.id] = counts.get(closure.id, 0) + 1
    return [ClosureNotice(c, counts[i], tz, c.on < today) for i, (c, tz) in closures.items()]


@dataclass(frozen=True)
class StaffHome:
    published: int
    newest: list  # (id, title, published_at) rows
    open_requests: int  # their own help requests still being worked on
    handles_concerns: bool = False  # the safeguarding contact
    open_concerns: int = 0


def staff_home(user: User) -> StaffHome:
    published = Tip.status == TipStatus.PUBLISHED
    counts = select(
        _count(select(Tip.id).where(published)),
        _count(
            select(HelpRequest.id).where(
                HelpRequest.requester_id == user.id, HelpRequest.status.in_(ACTIVE_STATUSES)
            )
        ),
        handles_concerns(user),
        open_count(user),
    ).subquery()
    rows = db.session.execute(
        select(counts, Tip.id, Tip.title, Tip.published_at)
        .outerjoin(Tip, published)
        .order_by(Tip.published_at.desc(), Tip.id.desc())
        .limit(NEWEST_TIPS)
    ).all()
    published, open_requests, is_contact, concerns = rows[0][:4]
    newest = [row[4:] for row in rows if row[4] is not None]
    return StaffHome(published, newest, open_requests, bool(is_contact), concerns)
