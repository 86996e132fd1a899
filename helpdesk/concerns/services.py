"""Raising a concern, moving it through its states, and choosing the safeguarding contact."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from helpdesk.accounts.models import Role, User
from helpdesk.concerns import notices
from helpdesk.concerns.models import (
    DESCRIPTION_MAX,
    NOTE_MAX,
    TRANSITIONS,
    Category,
    Concern,
    ConcernEvent,
    ConcernSettings,
    ConcernStatus,
)
from helpdesk.concerns.subjects import Subject
from helpdesk.extensions import db
from helpdesk.idempotent import earlier_submission, insert_once
from helpdesk.plain_text import multi_line_problem
from helpdesk.settings_row import settings_row

CONTACT_ROLES = (Role.ADVISOR, Role.STAFF)


class ConcernError(ValueError):
    """A concern action that cannot be done; the message is safe to show."""


def contact_id() -> int | None:
    """The safeguarding contact's user id, or None when none is named."""
    return db.session.scalar(select(ConcernSettings.contact_id).where(ConcernSettings.id == 1))


def contact() -> User | None:
    settings = db.session.get(ConcernSettings, 1)
    return settings.contact if settings else None


def handlers(about_id: int | None) -> list[User]:
    """Who receives a concern: active advisors and the active safeguarding contact, never the
    person it is about."""
    named = contact_id()
    statement = select(User).where(
        User.is_active.is_(True),
        (User.role == Role.ADVISOR) | (User.id == named) if named else User.role == Role.ADVISOR,
    )
    if about_id is not None:
        statement = statement.where(User.id != about_id)
    return list(db.session.scalars(statement.order_by(User.id)))


def contact_choices() -> list[User]:
    """Who may be the safeguarding contact: active adults on staff, and advisors."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.is_active.is_(True), User.role.in_(CONTACT_ROLES))
            .order_by(User.full_name, User.id)
        )
    )


def set_contact(chosen: User | None) -> None:
    """Name the safeguarding contact (None: only the advisor receives concerns)."""
    if chosen is not None and (not chosen.is_active or chosen.role not in CONTACT_ROLES):
        raise ConcernError("The safeguarding contact must be an active staff member or advisor.")
    settings = settings_row(ConcernSettings)
    settings.contact_id = chosen.id if chosen else None
    db.session.flush()


@dataclass(frozen=True)
class NewConcern:
    category: Category
    description: str
    name_withheld: bool = False
    request_key: str | None = None


def _checked_text(text: str, limit: int, empty: str | None) -> str:
    text = text.strip()
    if empty and not text:
        raise ConcernError(empty)
    if len(text) > limit:
        raise ConcernError(f"Keep it to {limit:,} characters.")
    problem = multi_line_problem(text)
    if problem:
        raise ConcernError(problem)
    return text


def _existing(reporter: User, key: str | None) -> Concern | None:
    return earlier_submission(Concern, key, "reporter_id", reporter.id)


def raise_concern(reporter: User, subject: Subject, new: NewConcern, now: datetime) -> Concern:
    """Record a concern and tell the advisor and the safeguarding contact (not the person it is
    about) in the same transaction. The same form sent twice makes one concern."""
    existing = _existing(reporter, new.request_key)
    if existing is not None:
        return existing
    about = subject.about
    if about is not None and about.id == reporter.id:
        raise ConcernError("You cannot raise a concern about yourself.")
    description = _checked_text(
        new.description, DESCRIPTION_MAX, "Say what happened, in your own words."
    )
    recipients = handlers(about.id if about else None)
    if not recipients:
        raise ConcernError(
            "Nobody else can receive a concern about this person yet: the advisor has not named "
            "a safeguarding contact. Please tell your principal in person."
        )
    concern = Concern(
        reporter_id=reporter.id,
        subject_kind=subject.kind,
        subject_id=subject.id,
        about_id=about.id if about else None,
        category=new.category,
        description=description,
        name_withheld=new.name_withheld,
        subject_snapshot=subject.snapshot,
        created_at=now,
        updated_at=now,
        request_key=new.request_key,
    )
    duplicate = insert_once(concern, "reporter_id")
    if duplicate is not None:
        return duplicate
    db.session.add(
        ConcernEvent(
            concern_id=concern.id,
            actor_id=reporter.id,
            from_status=None,
            to_status=ConcernStatus.OPEN.value,
            at=now,
        )
    )
    notices.concern_raised(concern, recipients)
    db.session.flush()
    return concern


def change_status(
    concern: Concern,
    actor: User,
    to: ConcernStatus,
    note: str,
    now: datetime,
    expected: ConcernStatus | None = None,
) -> None:
    """Move a concern along TRANSITIONS and record it; closing and reopening need a note.

    `expected` is the status the person saw. The change is a compare-and-swap on it: of two
    people closing the same concern at once, one succeeds and the other is told."""
    current = expected or concern.status
    if to not in TRANSITIONS[current]:
        raise ConcernError(
            f"A concern that is {current.label.lower()} cannot become {to.label.lower()}."
        )
    if to is ConcernStatus.CLOSED:
        empty = "Write the outcome before closing the concern."
    elif current is ConcernStatus.CLOSED:
        empty = "Say why the concern is being reopened."
    else:
        empty = None
    note = _checked_text(note, NOTE_MAX, empty)
    values = {"status": to, "updated_at": now}
    if to is ConcernStatus.CLOSED:
        values |= {"outcome": note, "closed_at": now}
    elif current is ConcernStatus.CLOSED:
        values |= {"closed_at": None}
    changed = db.session.execute(
        update(Concern)
        .where(Concern.id == concern.id, Concern.status == current)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.refresh(concern)
        raise ConcernError(
            f"Someone changed this concern a moment ago: it is now {concern.status.label.lower()}."
        )
    db.session.add(
        ConcernEvent(
            concern_id=concern.id,
            actor_id=actor.id,
            from_status=current.value,
            to_status=to.value,
            note=note,
            at=now,
        )
    )
    db.session.flush()
    db.session.refresh(concern)
