"""The dashboard's figures, computed by the database (GROUP BY, a sorted middle for the
median), nearly all in one statement each, the same on SQLite and PostgreSQL.

Weekly charts join the rows onto a CTE of the weeks' bounds (school midnights, so DST and a term
that starts mid-week need no special case): each week reads its own stretch of an index.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Float,
    Integer,
    and_,
    case,
    distinct,
    func,
    literal,
    or_,
    select,
    true,
    union,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from helpdesk.accounts.models import Role, User
from helpdesk.bookings.models import Booking, BookingStatus
from helpdesk.db import UTCDateTime
from helpdesk.extensions import db
from helpdesk.hours.models import COUNTED, EntryKind, HoursEntry, Side
from helpdesk.mentors.models import MentorSkill
from helpdesk.requests.models import ACTIVE_STATUSES, HelpRequest, RequestStatus
from helpdesk.schools.models import School
from helpdesk.skills.models import Skill
from helpdesk.tips.models import Tip, TipStatus

ONE_DAY = timedelta(days=1)
ONE_WEEK = timedelta(weeks=1)
TOP_TIPS = 5
SUPPLY_TOPICS = 10
# Sessions that took (or hold) a mentor's time: what "load" counts.
LOAD_STATUSES = (BookingStatus.APPROVED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW)
OUTCOMES = (
    BookingStatus.COMPLETED,
    BookingStatus.NO_SHOW,
    BookingStatus.CANCELLED,
    BookingStatus.DECLINED,
)


class epoch(FunctionElement):  # noqa: N801 (reads as the SQL function it renders)
    """Seconds since 1970 of a stored instant, as a float, on either database."""

    type = Float()
    inherit_cache = True


@compiles(epoch)
def _epoch_postgresql(element, compiler, **kw) -> str:
    return f"CAST(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)}) AS FLOAT)"


@compiles(epoch, "sqlite")
def _epoch_sqlite(element, compiler, **kw) -> str:
    # Instants are stored as naive UTC text on SQLite (helpdesk.db.UTCDateTime).
    return f"((julianday({compiler.process(element.clauses, **kw)}) - 2440587.5) * 86400.0)"


@dataclass(frozen=True)
class Scope:
    """The days a figure covers (both included, in the school's time zone) and, optionally, the
    one school whose teachers (and mentors) it counts."""

    first_day: date
    last_day: date
    timezone: str
    school_id: int | None = None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def at(self, day: date) -> datetime:
        return datetime.combine(day, time.min, self.tz).astimezone(UTC)

    @property
    def starts_at(self) -> datetime:
        return self.at(self.first_day)

    @property
    def ends_at(self) -> datetime:
        return self.at(self.last_day + ONE_DAY)

    def mondays(self) -> list[date]:
        monday = self.first_day - timedelta(days=self.first_day.weekday())
        weeks = []
        while monday <= self.last_day:
            weeks.append(monday)
            monday += ONE_WEEK
        return weeks

    def during(self, instant: ColumnElement) -> ColumnElement[bool]:
        return and_(instant >= self.starts_at, instant < self.ends_at)

    def people(self, person_id: ColumnElement) -> ColumnElement[bool]:
        """The person is at the scope's school (always true without one)."""
        if self.school_id is None:
            return true()
        return person_id.in_(select(User.id).where(User.school_id == self.school_id))


def _median(values_column: ColumnElement, source) -> ColumnElement:
    """The median of a column of `source` (a subquery or CTE), as a scalar subquery.

    PostgreSQL has percentile_cont; elsewhere (and on PostgreSQL when PORTABLE_MEDIAN is set,
    which the tests use to check both agree) the middle one or two rows of the sorted values.
    """
    if db.engine.dialect.name == "postgresql" and not PORTABLE_MEDIAN[0]:
        return (
            select(func.percentile_cont(0.5).within_group(values_column))
            .select_from(source)
            .scalar_subquery()
        )
    # The middle one or two values by ORDER BY … LIMIT/OFFSET: one sort, no window functions.
    count = select(func.count()).select_from(source).scalar_subquery()
    middle = (
        select(values_column.label("v"))
        .select_from(source)
        .order_by(values_column)
        .limit(2 - count % 2)
        .offset(case((count > 0, (count - 1) // 2), else_=0))
        .subquery("middle")
    )
    return select(func.avg(middle.c.v)).scalar_subquery()


PORTABLE_MEDIAN = [False]  # a list so tests can flip it for one test


# Sessions ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekOutcomes:
    week_on: date  # the Monday
    completed: int
    no_show: int
    cancelled: int
    declined: int

    @property
    def total(self) -> int:
        return self.completed + self.no_show + self.cancelled + self.declined


def _week_ranges(scope: Scope):
    """A CTE of the scope's weeks as (n, starts, ends) instants: joined on a range, each week
    reads its part of the start-time index, with no per-row CASE."""
    mondays = scope.mondays()
    weeks = [
        select(
            literal(n, Integer).label("n"),
            literal(scope.at(max(monday, scope.first_day)), UTCDateTime()).label("starts"),
            literal(
                scope.at(min(monday + ONE_WEEK, scope.last_day + ONE_DAY)), UTCDateTime()
            ).label("ends"),
        )
        for n, monday in enumerate(mondays)
    ]
    return (union_all(*weeks) if len(weeks) > 1 else weeks[0]).cte("week_ranges")


def sessions_by_week(scope: Scope) -> list[WeekOutcomes]:
    """Sessions (by their start) each week, by how they ended: counted per (week, status) by
    the database; weeks without sessions are filled in here."""
    weeks = _week_ranges(scope)
    rows = db.session.execute(
        select(weeks.c.n, Booking.status, func.count())
        .select_from(weeks)
        .join(Booking, and_(Booking.starts_at >= weeks.c.starts, Booking.starts_at < weeks.c.ends))
        # Every status is counted and the unwanted dropped below: with the status in the WHERE,
        # SQLite reads the status index (most sessions) instead of the start-time range.
        .where(scope.people(Booking.teacher_id))
        .group_by(weeks.c.n, Booking.status)
    )
    counts = {(n, BookingStatus(status)): int(c) for n, status, c in rows}
    return [
        WeekOutcomes(monday, *(counts.get((n, s), 0) for s in OUTCOMES))
        for n, monday in enumerate(scope.mondays())
    ]


# Supply and demand --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicSupply:
    topic: str
    asked: int  # sessions requested plus help requests opened on it
    mentors: int  # active mentors able to take it

    @property
    def gap(self) -> int:
        return self.asked - self.mentors


def supply_gap(scope: Scope, limit: int = SUPPLY_TOPICS) -> list[TopicSupply]:
    """The most-asked topics: sessions starting in the scope and help requests opened in it, per
    topic, against the active mentors able to take the topic (GROUP BY, one statement)."""
    # Each side counted per topic first, then the two small lists added up.
    asked_rows = union_all(
        select(Booking.skill_id.label("skill_id"), func.count().label("n"))
        .where(scope.during(Booking.starts_at), scope.people(Booking.teacher_id))
        .group_by(Booking.skill_id),
        select(HelpRequest.skill_id.label("skill_id"), func.count().label("n"))
        .where(scope.during(HelpRequest.created_at), scope.people(HelpRequest.requester_id))
        .group_by(HelpRequest.skill_id),
    ).subquery("asked_rows")
    asked = (
        select(asked_rows.c.skill_id, func.sum(asked_rows.c.n).label("asked"))
        .group_by(asked_rows.c.skill_id)
        .subquery("asked")
    )
    able = (
        select(MentorSkill.skill_id, func.count().label("mentors"))
        .join(User, User.id == MentorSkill.mentor_id)
        .join(Skill, Skill.id == MentorSkill.skill_id)
        .where(
            MentorSkill.level >= func.coalesce(Skill.required_level, 1),
            User.role == Role.MENTOR,
            User.is_active.is_(True),
            scope.people(User.id),
        )
        .group_by(MentorSkill.skill_id)
        .subquery("able")
    )
    rows = db.session.execute(
        select(Skill.name, asked.c.asked, func.coalesce(able.c.mentors, 0))
        .join(asked, asked.c.skill_id == Skill.id)
        .outerjoin(able, able.c.skill_id == Skill.id)
        .order_by(asked.c.asked.desc(), Skill.name)
        .limit(limit)
    ).all()
    return [TopicSupply(t, int(a), int(m)) for t, a, m in rows]


# Help requests ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekCount:
    week_on: date
    count: int
    running: int = 0  # the cumulative total at the week's end, where a chart shows growth


def _count_per_week(scope: Scope, model, instant, *conditions) -> list[int]:
    """How many rows of `model` fall in each of the scope's weeks by `instant`, week by week."""
    weeks = _week_ranges(scope)
    counts = dict(
        db.session.execute(
            select(weeks.c.n, func.count())
            .select_from(weeks)
            .join(model, and_(instant >= weeks.c.starts, instant < weeks.c.ends))
            .where(*conditions)
            .group_by(weeks.c.n)
        ).all()
    )
    return [int(counts.get(n, 0)) for n in range(len(scope.mondays()))]


def requests_by_week(scope: Scope) -> list[WeekCount]:
    """Help requests opened each week."""
    counts = _count_per_week(
        scope, HelpRequest, HelpRequest.created_at, scope.people(HelpRequest.requester_id)
    )
    return [WeekCount(monday, c) for monday, c in zip(scope.mondays(), counts, strict=True)]


@dataclass(frozen=True)
class ResolveTime:
    median_hours: float | None  # school hours, from opening to resolved
    resolved: int


def median_resolve_time(scope: Scope) -> ResolveTime:
    """The median time from opening to resolved, in school hours (only school hours on open days
    count, as the help desk's targets do), of requests opened in the scope and resolved since:
    each request's time was stored when it was resolved, so this is one pass over a column."""
    spans = (
        select(HelpRequest.school_seconds_to_resolve.label("seconds"))
        .where(
            # Set when a request is resolved and cleared when it is reopened: resolved ones only.
            HelpRequest.school_seconds_to_resolve.is_not(None),
            scope.during(HelpRequest.created_at),
            scope.people(HelpRequest.requester_id),
        )
        .cte("spans")
    )
    median, resolved = db.session.execute(
        select(
            _median(spans.c.seconds, spans),
            select(func.count()).select_from(spans).scalar_subquery(),
        )
    ).one()
    return ResolveTime(
        None if median is None else round(float(median) / 3600, 1), int(resolved or 0)
    )


@dataclass(frozen=True)
class Outcomes:
    students: int  # resolved by a mentor (or the advisor) on the desk
    self_served: int  # the requester closed it with a tip
    escalated: int  # sent to district IT
    open: int
    other: int  # closed by the requester without an answer

    @property
    def finished(self) -> int:
        return self.students + self.self_served + self.escalated

    def share(self, part: int) -> int:
        """Whole percent of the finished requests."""
        return round(100 * part / self.finished) if self.finished else 0

    @property
    def solved(self) -> int:
        return self.students + self.self_served


def request_outcomes(scope: Scope) -> Outcomes:
    """How the scope's help requests ended: the share solved by a tip is self_served/finished."""
    escalated = HelpRequest.escalated_at.is_not(None)
    self_served = HelpRequest.status == RequestStatus.SELF_SERVED
    students = and_(HelpRequest.resolved_at.is_not(None), ~escalated, ~self_served)
    active = HelpRequest.status.in_(ACTIVE_STATUSES)

    def counted(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    row = db.session.execute(
        select(
            counted(students),
            counted(self_served),
            counted(and_(escalated, ~self_served)),
            counted(and_(active, ~escalated)),
            func.count(),
        ).where(scope.during(HelpRequest.created_at), scope.people(HelpRequest.requester_id))
    ).one()
    students_n, tip_n, escalated_n, open_n, total = (int(v) for v in row)
    return Outcomes(
        students_n, tip_n, escalated_n, open_n, total - students_n - tip_n - escalated_n - open_n
    )


# Tips ---------------------------------------------------------------------------------------


def tip_growth(scope: Scope) -> list[WeekCount]:
    """Tips published each week, and the library's size at each week's end."""
    published = Tip.status == TipStatus.PUBLISHED
    counts = _count_per_week(scope, Tip, Tip.published_at, published)
    size = db.session.scalar(
        # count(*), not count(id): PostgreSQL can answer from the (status, published_at) index.
        select(func.count()).where(published, Tip.published_at < scope.starts_at)
    )
    growth = []
    for monday, count in zip(scope.mondays(), counts, strict=True):
        size += count
        growth.append(WeekCount(monday, count, size))
    return growth


@dataclass(frozen=True)
class TopTip:
    id: int
    title: str
    views: int
    helpful: int


def most_viewed_tips(limit: int = TOP_TIPS) -> list[TopTip]:
    """The published tips read most (views are counted over the tip's life, not per term)."""
    rows = db.session.execute(
        select(Tip.id, Tip.title, Tip.view_count, Tip.helpful_count)
        .where(Tip.status == TipStatus.PUBLISHED)
        .order_by(Tip.view_count.desc(), Tip.helpful_count.desc(), Tip.id)
        .limit(limit)
    ).all()
    return [TopTip(*row) for row in rows]


# Mentors and teachers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MentorLoad:
    name: str  # first name and last initial
    sessions: int


@dataclass(frozen=True)
class Load:
    mentors: list[MentorLoad]  # most sessions first
    median: float | None


def mentor_load(scope: Scope) -> Load:
    """Sessions per active mentor (none counts too: an idle mentor is part of fairness), and
    the median, in one statement."""
    loads = (
        # starts_at, not id: a column of the index the join reads, so no table rows are fetched.
        select(User.id, User.full_name, func.count(Booking.starts_at).label("sessions"))
        .select_from(User)
        .outerjoin(
            Booking,
            and_(
                Booking.mentor_id == User.id,
                Booking.status.in_(LOAD_STATUSES),
                scope.during(Booking.starts_at),
            ),
        )
        .where(User.role == Role.MENTOR, User.is_active.is_(True), scope.people(User.id))
        .group_by(User.id, User.full_name)
        .cte("loads")
    )
    rows = db.session.execute(
        select(loads.c.full_name, loads.c.sessions, _median(loads.c.sessions, loads)).order_by(
            loads.c.sessions.desc(), loads.c.full_name
        )
    ).all()
    median = float(rows[0][2]) if rows and rows[0][2] is not None else None
    return Load([MentorLoad(_short_name(n), int(s)) for n, s, _ in rows], median)


def _short_name(full_name: str) -> str:
    """A student as first name and last initial (as User.display_name does for mentors)."""
    parts = full_name.split()
    if len(parts) > 1 and not full_name.startswith("Former mentor"):
        return f"{parts[0]} {parts[-1][0]}."
    return full_name


@dataclass(frozen=True)
class SchoolReach:
    school: str
    reached: int  # teachers with a completed session or a help request in the scope
    teachers: int  # active teachers at the school

    def share(self) -> int:
        return round(100 * self.reached / self.teachers) if self.teachers else 0


def _reached_teachers(scope: Scope):
    """Teachers (and staff) the program served in the scope: a completed session, or a help
    request they opened. UNION, not UNION ALL: each person once (and one NULL), so what joins
    onto it reads a few thousand people, not every session of the term."""
    return union(
        # Completed sessions' teachers (others give NULL, which count(DISTINCT) skips).
        select(
            case((Booking.status == BookingStatus.COMPLETED, Booking.teacher_id)).label("person_id")
        ).where(scope.during(Booking.starts_at), scope.people(Booking.teacher_id)),
        select(HelpRequest.requester_id.label("person_id")).where(
            scope.during(HelpRequest.created_at), scope.people(HelpRequest.requester_id)
        ),
    ).subquery("reached")


def teachers_reached(scope: Scope) -> list[SchoolReach]:
    """Per school: distinct teachers reached against the school's active teachers (GROUP BY)."""
    reached = _reached_teachers(scope)
    served = (
        select(User.school_id, func.count(distinct(reached.c.person_id)).label("served"))
        .join(User, User.id == reached.c.person_id)
        .where(User.role == Role.TEACHER)
        .group_by(User.school_id)
        .subquery("served")
    )
    teachers = (
        select(User.school_id, func.count().label("teachers"))
        .where(User.role == Role.TEACHER, User.is_active.is_(True))
        .group_by(User.school_id)
        .subquery("teachers")
    )
    statement = (
        select(
            School.name, func.coalesce(served.c.served, 0), func.coalesce(teachers.c.teachers, 0)
        )
        .outerjoin(served, served.c.school_id == School.id)
        .outerjoin(teachers, teachers.c.school_id == School.id)
        .order_by(School.name)
    )
    if scope.school_id is not None:
        statement = statement.where(School.id == scope.school_id)
    return [SchoolReach(n, int(r), int(t)) for n, r, t in db.session.execute(statement)]


# Headlines ----------------------------------------------------------------------------------------


GIVEN_KINDS = (EntryKind.SESSION, EntryKind.WORKSHOP, EntryKind.HELP_REQUEST)


def hours_given_expression(scope: Scope) -> ColumnElement:
    """Hours student mentors gave teachers in the scope: the verified service hours of the
    ledger (sessions, workshops and help requests, as the advisor approved or adjusted them; not
    club meetings, not teachers' PD). The ONE place "hours given" is defined."""
    return (
        select(func.coalesce(func.sum(HoursEntry.verified_minutes), 0) / 60.0)
        .where(
            HoursEntry.side == Side.SERVICE,
            HoursEntry.kind.in_(GIVEN_KINDS),
            HoursEntry.status.in_(COUNTED),
            HoursEntry.occurred_on.between(scope.first_day, scope.last_day),
            scope.people(HoursEntry.person_id),
        )
        .scalar_subquery()
    )


def hours_given(scope: Scope) -> float:
    """Hours given in the scope, rounded to a tenth (see hours_given_expression)."""
    return round(float(db.session.scalar(select(hours_given_expression(scope))) or 0), 1)


@dataclass(frozen=True)
class Headlines:
    teachers_served: int
    sessions: int  # completed
    hours_given: float
    requests_solved: int  # by students or with a tip
    tips_published: int


HEADLINE_LABELS = (
    ("teachers_served", "Teachers served"),
    ("sessions", "Sessions held"),
    ("hours_given", "Hours given"),
    ("requests_solved", "Help requests solved"),
    ("tips_published", "Tips published"),
)


def headlines(scope: Scope) -> Headlines:
    """The board report's five numbers, in one statement."""
    reached = _reached_teachers(scope)
    in_school = scope.people(reached.c.person_id)
    solved = or_(
        HelpRequest.status == RequestStatus.SELF_SERVED,
        and_(HelpRequest.resolved_at.is_not(None), HelpRequest.escalated_at.is_(None)),
    )
    row = db.session.execute(
        select(
            select(func.count(distinct(reached.c.person_id)))
            .join(User, User.id == reached.c.person_id)
            .where(User.role == Role.TEACHER, in_school)
            .scalar_subquery(),
            select(func.count(case((Booking.status == BookingStatus.COMPLETED, Booking.starts_at))))
            .where(scope.during(Booking.starts_at), scope.people(Booking.teacher_id))
            .scalar_subquery(),
            hours_given_expression(scope),
            select(func.count())
            .where(
                solved,
                scope.during(HelpRequest.created_at),
                scope.people(HelpRequest.requester_id),
            )
            .scalar_subquery(),
            select(func.count())
            .where(Tip.status == TipStatus.PUBLISHED, scope.during(Tip.published_at))
            .scalar_subquery(),
        )
    ).one()
    teachers, sessions, hours, solved_n, tips = row
    return Headlines(
        int(teachers), int(sessions), round(float(hours or 0), 1), int(solved_n), int(tips)
    )
