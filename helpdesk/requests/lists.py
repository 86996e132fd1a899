"""The desk's lists: one page at a time, chosen and sorted in SQL, with school hours and
overdue marks worked out for the rows shown."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, lru_cache
from typing import NamedTuple

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    case,
    false,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.orm import aliased

from helpdesk.accounts.models import Role, User
from helpdesk.calendar.services import load_calendars
from helpdesk.db import UTCDateTime
from helpdesk.extensions import db
from helpdesk.formatting import plural
from helpdesk.mentors.models import MentorSkill
from helpdesk.requests import desk_cache
from helpdesk.requests.models import (
    ACTIVE_STATUSES,
    DeskSettings,
    HelpRequest,
    RequestStatus,
    Urgency,
    in_student_queue,
)
from helpdesk.requests.school_clock import (
    SchoolClock,
)
from helpdesk.requests.services import desk_settings
from helpdesk.schools.models import School
from helpdesk.skills.models import Skill

S = RequestStatus

LIST_PAGE = 20
MAX_PAGE = 10_000  # far past any real list; keeps OFFSET from overflowing
ANSWERING = (S.CLAIMED, S.WAITING)


@dataclass(frozen=True)
class SchoolDesk:
    """One school as the desk's lists see it: its name, its clock and the targets as instants.

    A request opened before a cutoff has waited more than the target's school hours; a cutoff
    is None when the calendar does not hold that many school hours before now.
    """

    name: str
    clock: SchoolClock
    first_response_cutoff: datetime | None
    resolution_cutoff: datetime | None


def _school_desks(
    schools: Iterable[School], now: datetime, settings: DeskSettings
) -> dict[int, SchoolDesk]:
    """Each school's clock and target cutoffs: a few school days walked back from now."""
    schools = list(schools)
    calendars = load_calendars(schools)
    last = now.date() + timedelta(days=1)
    desks = {}
    for school in schools:
        data = calendars[school.id]
        first = min(data.term_start or last, last)  # no open day comes before the term
        clock = SchoolClock(now, data.days(first, last), data.tz, first)
        desks[school.id] = SchoolDesk(
            school.name,
            clock,
            clock.hours_ago(settings.first_response_hours),
            clock.hours_ago(settings.resolution_hours),
        )
    return desks


def _overdue(
    status: RequestStatus,
    created_at: datetime,
    first_response_at: datetime | None,
    desk: SchoolDesk,
    settings: DeskSettings,
) -> str | None:
    """What is overdue, in words, or None; `_is_overdue_sql` is the same rule for sorting."""
    if status not in ACTIVE_STATUSES:
        return None
    cutoff = desk.first_response_cutoff
    if first_response_at is None and cutoff is not None and created_at < cutoff:
        return f"No answer within {plural(settings.first_response_hours, 'school hour')}"
    cutoff = desk.resolution_cutoff
    if cutoff is not None and created_at < cutoff:
        return f"Not resolved within {plural(settings.resolution_hours, 'school hour')}"
    return None


def is_overdue(help_request: HelpRequest, now: datetime) -> str | None:
    """What is overdue on this request, in words, or None (the request page's banner)."""
    settings = desk_settings()
    school = help_request.requester.school
    desk = _school_desks([school], now, settings)[school.id]
    return _overdue(
        help_request.status, help_request.created_at, help_request.first_response_at, desk, settings
    )


class _Person(NamedTuple):
    full_name: str
    role: Role


class RequestRow(NamedTuple):
    """One line of a request list: the columns the lists show, without loading any model."""

    id: int
    summary: str
    status: RequestStatus
    urgency: Urgency
    created_at: datetime
    first_response_at: datetime | None
    topic: str
    required_level: int | None
    is_escalate_only: bool
    requester_name: str
    school_id: int  # the requester's
    mentor_full_name: str | None
    mentor_role: Role | None
    matches_skills: bool  # the signed-in mentor's level in the topic is enough
    school_name: str = ""  # from the schools the page loaded already

    @property
    def mentor_name(self) -> str | None:
        """The mentor as User.display_name shows them."""
        if self.mentor_full_name is None:
            return None
        return User.display_name.fget(_Person(self.mentor_full_name, self.mentor_role))

    def can_claim(self, user: User) -> bool:
        return in_student_queue(user, self.status, self.is_escalate_only)


@dataclass(frozen=True)
class QueueItem:
    """A row with what the page works out for it: the school hours waited, what is overdue."""

    request: RequestRow
    school_hours_waited: float
    overdue: str | None  # what is overdue, in words, or None
    can_claim: bool = False  # for the signed-in user


@dataclass(frozen=True)
class ListPage:
    """One page of a request list, and how many requests the whole list holds."""

    items: list[QueueItem]
    page: int
    total: int
    per_page: int = LIST_PAGE

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        """The position of the page's first item in the whole list, from 1."""
        return (self.page - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1


_requester = aliased(User, name="requester")
_mentor = aliased(User, name="mentor")
# The requester's school, looked up per row: joining user_account for every candidate row
# made PostgreSQL hash the whole table to sort a few hundred requests.
_requester_school = (
    select(User.school_id).where(User.id == HelpRequest.requester_id).scalar_subquery()
)


def _matches_skills():
    """The signed-in mentor's level in the topic (MentorSkill, joined for them) is enough."""
    return case(
        (MentorSkill.level >= func.coalesce(Skill.required_level, 1), true()), else_=false()
    )


def _listed(where: list, order: list[tuple], *, skills_first: bool = False) -> Select:
    """One page of request rows, and the size of the whole list riding along.

    `order` holds (expression, descending) pairs; `skills_first` puts the topics the signed-in
    mentor (bound as user_id) may take first. The page is chosen and ordered on help_request,
    its topic and the mentor's skills alone, and the people are joined for its rows only: few
    tables and no per-row school join keep PostgreSQL's planning and the sort cheap.
    """
    sort = [(expression.label(f"key{i}"), desc) for i, (expression, desc) in enumerate(order)]
    if skills_first:
        sort.insert(0, (_matches_skills().label("matches_skills"), True))
        matches = []
    else:
        matches = [false().label("matches_skills")]
    page = (
        select(
            HelpRequest.id,
            HelpRequest.summary,
            HelpRequest.status,
            HelpRequest.urgency,
            HelpRequest.created_at,
            HelpRequest.first_response_at,
            HelpRequest.requester_id,
            HelpRequest.mentor_id,
            Skill.name.label("topic"),
            Skill.required_level,
            Skill.is_escalate_only,
            *matches,
            *(key for key, _desc in sort),
        )
        .join(Skill, Skill.id == HelpRequest.skill_id)
        .where(*where)
        .order_by(*(key.desc() if desc else key for key, desc in sort))
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    if skills_first:
        page = page.outerjoin(
            MentorSkill,
            and_(
                MentorSkill.skill_id == HelpRequest.skill_id,
                MentorSkill.mentor_id == bindparam("user_id"),
            ),
        )
    page = page.subquery("page")
    # A scalar subquery, run once: count(*) OVER () would carry every row through the sort.
    total = (
        select(func.count())
        .select_from(HelpRequest)
        .join(Skill, Skill.id == HelpRequest.skill_id)
        .where(*where)
        .correlate(None)
        .scalar_subquery()
    )
    c = page.c
    return (
        select(
            c.id,
            c.summary,
            c.status,
            c.urgency,
            c.created_at,
            c.first_response_at,
            c.topic,
            c.required_level,
            c.is_escalate_only,
            _requester.full_name,
            _requester.school_id,
            _mentor.full_name,
            _mentor.role,
            c.matches_skills,
            total.label("total"),
        )
        .join(_requester, _requester.id == c.requester_id)
        .outerjoin(_mentor, _mentor.id == c.mentor_id)
        .order_by(*(c[key.name].desc() if desc else c[key.name] for key, desc in sort))
    )


def _is_overdue_sql(school_ids: tuple[int, ...]):
    """`_overdue` for an open request, in SQL, with each school's cutoffs bound by name."""
    unanswered = HelpRequest.first_response_at.is_(None)
    by_school = {
        i: or_(
            and_(unanswered, HelpRequest.created_at < _cutoff_param("first", i)),
            HelpRequest.created_at < _cutoff_param("resolution", i),
        )
        for i in school_ids
    }
    # One CASE on the school, so its lookup runs once a row; a NULL cutoff counts as not overdue.
    if not by_school:
        return false()
    return case((case(by_school, value=_requester_school), true()), else_=false())


def _cutoff_param(kind: str, school_id: int):
    return bindparam(f"{kind}_{school_id}", type_=UTCDateTime())


def _cutoffs(desks: dict[int, SchoolDesk]) -> dict[str, datetime | None]:
    params = {}
    for school_id, desk in desks.items():
        params[f"first_{school_id}"] = desk.first_response_cutoff
        params[f"resolution_{school_id}"] = desk.resolution_cutoff
    return params


# Building a statement costs more than running it on these pages, so each shape is built once
# and the user, the cutoffs and the page are bound when it runs.
@lru_cache(maxsize=8)
def _open_statement(for_mentor: bool, school_ids: tuple[int, ...]) -> Select:
    """Open requests students may take: the mentor's skills first, then overdue, then urgent."""
    order = [
        (_is_overdue_sql(school_ids), True),
        (case({u.value: u.rank for u in Urgency}, value=HelpRequest.urgency), False),
        (HelpRequest.created_at, False),
        (HelpRequest.id, False),
    ]
    where = [HelpRequest.status == S.OPEN, Skill.is_escalate_only.is_(False)]
    return _listed(where, order, skills_first=for_mentor)


OLDEST_FIRST = [(HelpRequest.created_at, False), (HelpRequest.id, False)]


@cache
def _answering_statement(for_mentor: bool) -> Select:
    """Requests a mentor is on (the signed-in mentor's, or all for the advisor), oldest first."""
    where = [HelpRequest.status.in_(ANSWERING)]
    if for_mentor:
        where.append(HelpRequest.mentor_id == bindparam("user_id"))
    return _listed(where, OLDEST_FIRST)


@cache
def _adult_it_statement() -> Select:
    """Open requests on adult-IT-only topics, not yet sent to IT, oldest first."""
    return _listed([HelpRequest.status == S.OPEN, Skill.is_escalate_only.is_(True)], OLDEST_FIRST)


@cache
def _requester_statement() -> Select:
    """A teacher's or staff member's own requests, newest first."""
    return _listed(
        [HelpRequest.requester_id == bindparam("user_id")],
        [(HelpRequest.created_at, True), (HelpRequest.id, True)],
    )


def _clamp(page: int) -> int:
    return max(1, min(page, MAX_PAGE))


def _page(
    statement: Select,
    params: dict,
    page: int,
    user: User,
    desks: dict[int, SchoolDesk],
    settings: DeskSettings,
) -> ListPage:
    """Run one list's statement for one page; the hours and targets only for the rows shown."""
    page = _clamp(page)
    params = {**params, "limit": LIST_PAGE, "offset": (page - 1) * LIST_PAGE}
    rows = db.session.execute(statement, params).all()
    if rows:
        total = rows[0].total
    elif page == 1:
        total = 0
    else:  # past the end: the first row still carries the count
        first = db.session.execute(statement, {**params, "limit": 1, "offset": 0}).first()
        total = first.total if first else 0
    items = []
    for row in rows:
        desk = desks[row.school_id]
        r = RequestRow._make((*row[:-1], desk.name))
        waited = desk.clock.seconds_since(r.created_at) / 3600
        overdue = _overdue(r.status, r.created_at, r.first_response_at, desk, settings)
        items.append(QueueItem(r, round(waited, 1), overdue, r.can_claim(user)))
    return ListPage(items, page, total)


@dataclass(frozen=True)
class Queue:
    mine: ListPage
    open: ListPage
    escalate_only: ListPage | None  # the advisor's only


def _settings_and_schools() -> tuple[DeskSettings, list[School]]:
    """The desk's settings and every school (the queue's targets need both), in one statement."""
    rows = db.session.execute(
        select(School, DeskSettings)
        .outerjoin(DeskSettings, DeskSettings.id == 1)
        .order_by(School.id)
    ).all()
    settings = rows[0][1] if rows and rows[0][1] is not None else desk_settings()
    return settings, [school for school, _settings in rows]


def queue_for(
    user: User, now: datetime, open_page: int = 1, mine_page: int = 1, it_page: int = 1
) -> Queue:
    """The desk for this user as it is now: from the desk cache, or worked out (_queue_for)."""
    return desk_cache.cache.remember(
        (desk_cache.scope(now), user.id, open_page, mine_page, it_page),
        lambda: _queue_for(user, now, open_page, mine_page, it_page),
    )


def _queue_for(
    user: User, now: datetime, open_page: int = 1, mine_page: int = 1, it_page: int = 1
) -> Queue:
    """The desk: a mentor's claimed requests and the open ones (their skills first); the advisor sees all.

    Each list is one page of LIST_PAGE, chosen in SQL over the whole list; the school hours are
    worked out for the rows shown only. The overdue-first order needs every school's cutoffs.
    """
    settings, schools = _settings_and_schools()
    desks = _school_desks(schools, now, settings)
    me = {"user_id": user.id}

    def page_of(statement: Select, params: dict, page: int) -> ListPage:
        return _page(statement, params, page, user, desks, settings)

    open_statement = _open_statement(user.is_mentor, tuple(desks))
    return Queue(
        mine=page_of(_answering_statement(user.is_mentor), me, mine_page),
        open=page_of(open_statement, {**me, **_cutoffs(desks)}, open_page),
        escalate_only=page_of(_adult_it_statement(), {}, it_page) if user.is_advisor else None,
    )


def requests_of(user: User, now: datetime, page: int = 1) -> ListPage:
    """A teacher's or staff member's own requests, newest first, a page at a time."""
    settings = desk_settings()
    desks = _school_desks([user.school], now, settings)
    return _page(_requester_statement(), {"user_id": user.id}, page, user, desks, settings)


def escalated_recently(limit: int = 20) -> list:
    """The requests last sent to district IT: id, summary, requester_name, escalated_at."""
    return db.session.execute(
        select(
            HelpRequest.id,
            HelpRequest.summary,
            _requester.full_name.label("requester_name"),
            HelpRequest.escalated_at,
        )
        .join(_requester, _requester.id == HelpRequest.requester_id)
        .where(HelpRequest.status == S.ESCALATED)
        .order_by(HelpRequest.escalated_at.desc())
        .limit(limit)
    ).all()


def overdue_count(now: datetime) -> int:
    """How many active requests are past a target now (the advisor's home page), in one count."""
    settings, schools = _settings_and_schools()
    desks = _school_desks(schools, now, settings)
    if not desks:
        return 0
    return db.session.scalar(
        select(func.count())
        .select_from(HelpRequest)
        .where(HelpRequest.status.in_(ACTIVE_STATUSES), _is_overdue_sql(tuple(desks))),
        _cutoffs(desks),
    )
