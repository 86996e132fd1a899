"""Ledger read models: a person's entries and totals, progress toward credentials, the advisor's
filtered list and its CSV. Each loads what it shows in one or two statements."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from helpdesk.accounts.models import Role, User
from helpdesk.extensions import db
from helpdesk.hours.models import (
    COUNTED,
    EntryKind,
    EntryStatus,
    HoursEntry,
    HoursSettings,
    Side,
)

LIST_LIMIT = 300  # the advisor's list shows this many; filters narrow it, the CSV has them all
TERM_STARTS_MONTH = 7  # a school year runs July to June: "2026-27"


def term_of(day: date) -> int:
    """The school year a day belongs to, by the year it starts in."""
    return day.year if day.month >= TERM_STARTS_MONTH else day.year - 1


def term_label(year: int) -> str:
    return f"{year}–{(year + 1) % 100:02d}"


def term_bounds(year: int) -> tuple[date, date]:
    return date(year, TERM_STARTS_MONTH, 1), date(year + 1, TERM_STARTS_MONTH, 1)


@dataclass(frozen=True)
class Totals:
    pending_minutes: int = 0
    counted_minutes: int = 0  # verified, adjusted as adjusted
    rejected_minutes: int = 0
    entries: int = 0

    @property
    def pending_hours(self) -> float:
        return round(self.pending_minutes / 60, 1)

    @property
    def verified_hours(self) -> float:
        return round(self.counted_minutes / 60, 1)


_COUNTED_MINUTES = case(
    (HoursEntry.status.in_(COUNTED), func.coalesce(HoursEntry.verified_minutes, 0)), else_=0
)


def _totals_columns(kinds: list[EntryKind] | None = None):
    kind_ok = HoursEntry.kind.in_(kinds) if kinds is not None else True

    def when(condition, value):
        return func.coalesce(func.sum(case((condition & kind_ok, value), else_=0)), 0)

    return (
        when(HoursEntry.status == EntryStatus.PENDING, HoursEntry.minutes_claimed),
        when(HoursEntry.status.in_(COUNTED), func.coalesce(HoursEntry.verified_minutes, 0)),
        when(HoursEntry.status == EntryStatus.REJECTED, HoursEntry.minutes_claimed),
        func.count(HoursEntry.id),
    )


def totals_for(person: User, kinds: list[EntryKind] | None = None) -> Totals:
    """Pending and verified minutes of one person (of these kinds), in one statement."""
    row = db.session.execute(
        select(*_totals_columns(kinds)).where(HoursEntry.person_id == person.id)
    ).one()
    return Totals(*(int(value or 0) for value in row))


@dataclass(frozen=True)
class HomeHours:
    """The home page's figure: verified and pending hours, and the sessions behind them."""

    verified_hours: float
    pending_hours: float
    sessions: int
    kudos: int = 0


def home_hours(person: User, kudos: int = 0) -> HomeHours:
    counted, pending, sessions = db.session.execute(
        select(
            func.coalesce(func.sum(_COUNTED_MINUTES), 0),
            func.coalesce(
                func.sum(
                    case(
                        (HoursEntry.status == EntryStatus.PENDING, HoursEntry.minutes_claimed),
                        else_=0,
                    )
                ),
                0,
            ),
            func.count(HoursEntry.id).filter(
                HoursEntry.kind == EntryKind.SESSION, HoursEntry.status != EntryStatus.REJECTED
            ),
        ).where(HoursEntry.person_id == person.id)
    ).one()
    return HomeHours(
        round(int(counted) / 60, 1), round(int(pending) / 60, 1), int(sessions or 0), kudos
    )


LEDGER_PAGE = 25  # entries a page: a year of weekly sessions is two pages, not a phone's mile


@dataclass(frozen=True)
class LedgerPage:
    entries: list[HoursEntry]
    page: int
    pages: int
    total: int

    @property
    def first(self) -> int:
        return (self.page - 1) * LEDGER_PAGE + 1 if self.entries else 0

    @property
    def last(self) -> int:
        return self.first + len(self.entries) - 1 if self.entries else 0


def ledger_for(person: User, total: int, page: int = 1) -> LedgerPage:
    """One page of a person's entries, newest first; `total` is their count (the totals have it),
    and a page out of range shows the nearest one."""
    pages = max(1, -(-total // LEDGER_PAGE))
    page = min(max(1, page), pages)
    entries = db.session.scalars(
        select(HoursEntry)
        .options(joinedload(HoursEntry.verifier))
        .where(HoursEntry.person_id == person.id)
        .order_by(HoursEntry.occurred_on.desc(), HoursEntry.id.desc())
        .limit(LEDGER_PAGE)
        .offset((page - 1) * LEDGER_PAGE)
    ).all()
    return LedgerPage(list(entries), page, pages, total)


@dataclass(frozen=True)
class Progress:
    """Toward one credential: verified hours against the target, pending shown apart."""

    key: str
    label: str
    target_hours: int
    counted_minutes: int
    pending_minutes: int
    note: str = ""

    @property
    def verified_hours(self) -> float:
        return round(self.counted_minutes / 60, 1)

    @property
    def pending_hours(self) -> float:
        return round(self.pending_minutes / 60, 1)

    @property
    def percent(self) -> int:
        return min(100, int(self.counted_minutes * 100 / (self.target_hours * 60)))

    @property
    def is_met(self) -> bool:
        return self.counted_minutes >= self.target_hours * 60


def progress_for(person: User, settings: HoursSettings) -> list[Progress]:
    """A student: service learning and extracurricular, each against its target, one statement."""
    if person.role is not Role.MENTOR:
        return []
    service = _totals_columns(settings.service_kind_list)
    every = _totals_columns(None)
    row = db.session.execute(
        select(service[0], service[1], every[0], every[1]).where(HoursEntry.person_id == person.id)
    ).one()
    pending_service, counted_service, pending_all, counted_all = (int(v or 0) for v in row)
    return [
        Progress(
            "service",
            "Service learning (Seal of Civic Readiness)",
            settings.service_target_hours,
            counted_service,
            pending_service,
            "Sessions, help requests and workshops you gave.",
        ),
        Progress(
            "extracurricular",
            "Extracurricular participation (Seal of Civic Readiness)",
            settings.extracurricular_target_hours,
            counted_all,
            pending_all,
            "Everything in your ledger, club meetings and training included.",
        ),
    ]


def service_minutes_counted(person_ids: list[int], settings: HoursSettings) -> dict[int, int]:
    """Verified service-learning minutes per student (the kinds the settings count), for those
    who have any; one statement for the whole list."""
    if not person_ids:
        return {}
    counted = _totals_columns(settings.service_kind_list)[1]  # as progress_for counts them
    rows = db.session.execute(
        select(HoursEntry.person_id, counted)
        .where(HoursEntry.person_id.in_(person_ids), HoursEntry.side == Side.SERVICE)
        .group_by(HoursEntry.person_id)
    )
    return {person_id: int(minutes) for person_id, minutes in rows if minutes}


def pd_totals(person: User, settings: HoursSettings) -> Totals:
    """A teacher's PD: only the kinds the district counts."""
    return totals_for(person, settings.pd_kind_list)


# The advisor's list -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    school_id: int | None = None
    term: int | None = None
    kind: EntryKind | None = None
    status: EntryStatus | None = None
    person_id: int | None = None
    side: Side | None = None

    def where(self) -> list:
        conditions = []
        if self.school_id:
            conditions.append(User.school_id == self.school_id)
        if self.term:
            start, end = term_bounds(self.term)
            conditions += [HoursEntry.occurred_on >= start, HoursEntry.occurred_on < end]
        if self.kind:
            conditions.append(HoursEntry.kind == self.kind)
        if self.status:
            conditions.append(HoursEntry.status == self.status)
        if self.person_id:
            conditions.append(HoursEntry.person_id == self.person_id)
        if self.side:
            conditions.append(HoursEntry.side == self.side)
        return conditions


def _filtered(filters: Filters):
    return (
        select(HoursEntry)
        .join(User, User.id == HoursEntry.person_id)
        .options(
            joinedload(HoursEntry.person).joinedload(User.school),
            joinedload(HoursEntry.verifier),
        )
        .where(*filters.where())
    )


def all_entries(filters: Filters, limit: int | None = LIST_LIMIT) -> list[HoursEntry]:
    """Pending first (the advisor's work), then newest."""
    pending_first = case((HoursEntry.status == EntryStatus.PENDING, 0), else_=1)
    statement = _filtered(filters).order_by(
        pending_first, HoursEntry.occurred_on.desc(), HoursEntry.id.desc()
    )
    if limit is not None:
        statement = statement.limit(limit)
    return list(db.session.scalars(statement).unique())


def filtered_totals(filters: Filters) -> Totals:
    row = db.session.execute(
        select(*_totals_columns(None))
        .select_from(HoursEntry)
        .join(User, User.id == HoursEntry.person_id)
        .where(*filters.where())
    ).one()
    return Totals(*(int(value or 0) for value in row))


def earners() -> list[User]:
    """Everyone who can have a ledger, for the person filter and manual entries."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.role.in_((Role.MENTOR, Role.TEACHER)), User.anonymized_at.is_(None))
            .order_by(User.role, User.full_name)
        )
    )


def terms_present() -> list[int]:
    first, last = db.session.execute(
        select(func.min(HoursEntry.occurred_on), func.max(HoursEntry.occurred_on))
    ).one()
    if first is None:
        return []
    return list(range(term_of(last), term_of(first) - 1, -1))


CSV_HEADER = (
    "entry_id",
    "person",
    "role",
    "school",
    "kind",
    "title",
    "occurred_on",
    "minutes_claimed",
    "status",
    "verified_minutes",
    "verified_by",
    "verified_at",
    "reason",
)


def csv_rows(entries: list[HoursEntry]) -> list[tuple]:
    return [
        (
            e.id,
            e.person.full_name,
            e.person.role.value,
            e.person.school.name,
            e.kind.value,
            e.title,
            e.occurred_on,
            e.minutes_claimed,
            e.status.value,
            e.verified_minutes,
            e.verifier.full_name if e.verifier else "",
            e.verified_at,
            e.reason,
        )
        for e in entries
    ]
