"""The access log as the advisor reads it: filtered, newest first, one page at a time."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased

from helpdesk.access_log.models import AccessLogEntry
from helpdesk.accounts.models import User
from helpdesk.extensions import db

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000  # rows in one CSV; narrow the filters for more


@dataclass(frozen=True)
class LogFilter:
    person: str = ""  # name or email of the person the entry is about
    person_id: int | None = None
    done_by: str = ""  # name or email of who did it
    action: str = ""
    start_on: date | None = None  # school days, inclusive
    end_on: date | None = None


@dataclass(frozen=True)
class LogRow:
    entry: AccessLogEntry
    actor: User | None
    subject: User | None


@dataclass(frozen=True)
class LogPage:
    rows: list[LogRow]
    total: int
    page: int
    pages: int


def _matching_people(text: str):
    like = f"%{text.lower()}%"
    return select(User.id).where(or_(func.lower(User.full_name).like(like), User.email.like(like)))


def _start_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone)


def _filtered(statement: Select, log_filter: LogFilter, zone: ZoneInfo) -> Select:
    entry = AccessLogEntry
    if log_filter.person_id is not None:
        statement = statement.where(entry.subject_id == log_filter.person_id)
    if log_filter.person:
        statement = statement.where(entry.subject_id.in_(_matching_people(log_filter.person)))
    if log_filter.done_by:
        statement = statement.where(entry.actor_id.in_(_matching_people(log_filter.done_by)))
    if log_filter.action:
        statement = statement.where(entry.action == log_filter.action)
    if log_filter.start_on:
        statement = statement.where(entry.at >= _start_of(log_filter.start_on, zone))
    if log_filter.end_on:
        statement = statement.where(
            entry.at < _start_of(log_filter.end_on + timedelta(days=1), zone)
        )
    return statement


def _rows(statement: Select) -> list[LogRow]:
    return [
        LogRow(entry, actor, subject) for entry, actor, subject in db.session.execute(statement)
    ]


def _with_people():
    actor, subject = aliased(User), aliased(User)
    return (
        select(AccessLogEntry, actor, subject)
        .outerjoin(actor, actor.id == AccessLogEntry.actor_id)
        .outerjoin(subject, subject.id == AccessLogEntry.subject_id)
        .order_by(AccessLogEntry.at.desc(), AccessLogEntry.id.desc())
    )


def log_page(log_filter: LogFilter, zone: ZoneInfo, page: int = 1) -> LogPage:
    """Two queries: the count, and one page of entries with both people joined."""
    total = db.session.scalar(
        _filtered(select(func.count()).select_from(AccessLogEntry), log_filter, zone)
    )
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    statement = _filtered(_with_people(), log_filter, zone)
    rows = _rows(statement.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    return LogPage(rows, total, page, pages)


def log_rows(log_filter: LogFilter, zone: ZoneInfo, limit: int = EXPORT_LIMIT) -> list[LogRow]:
    return _rows(_filtered(_with_people(), log_filter, zone).limit(limit))


def entries_about(person_id: int) -> list[AccessLogEntry]:
    """Everything the log says about a person, or that they did: for their record."""
    return list(
        db.session.scalars(
            select(AccessLogEntry)
            .where(
                or_(AccessLogEntry.subject_id == person_id, AccessLogEntry.actor_id == person_id)
            )
            .order_by(AccessLogEntry.at, AccessLogEntry.id)
        )
    )


CSV_HEADER = (
    "When (UTC)",
    "Done by (id)",
    "Done by",
    "What",
    "Action code",
    "About (id)",
    "About",
    "Detail",
    "Address",
)


def csv_row(row: LogRow) -> tuple:
    entry = row.entry
    return (
        entry.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        entry.actor_id,
        row.actor.full_name if row.actor else ("Command line" if entry.actor_id is None else ""),
        entry.action_label,
        entry.action,
        entry.subject_id,
        row.subject.full_name if row.subject else "",
        entry.detail,
        entry.ip_address,
    )
