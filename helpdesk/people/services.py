"""The advisor's people work: importing users in bulk."""

from dataclasses import dataclass

from helpdesk.accounts.models import User
from helpdesk.accounts.services import (
    create_user,
    find_user_by_email,
    reactivate_user,
    send_invitation,
)
from helpdesk.extensions import db
from helpdesk.people.csv_import import CsvImportError, RowError, parse_people_csv
from helpdesk.schools.models import School
from helpdesk.schools.services import find_school


@dataclass(frozen=True)
class ImportSummary:
    created: list[User]
    already_present: int


def import_people(data: bytes) -> ImportSummary:
    """All or nothing: any bad row raises CsvImportError and nothing is written."""
    if b"\x00" in data:  # PostgreSQL cannot store NUL; a UTF-16 file is full of them
        raise CsvImportError([RowError(1, "The file is not UTF-8 text (save it as CSV UTF-8).")])
    known = set(db.session.scalars(db.select(School.name)))
    rows = parse_people_csv(data, known)
    created: list[User] = []
    present = 0
    for row in rows:
        if find_user_by_email(row.email) is not None:
            present += 1
            continue
        school = find_school(row.school)
        assert school is not None  # parse_people_csv checked it
        user = create_user(
            email=row.email,
            full_name=row.name,
            role=row.role,
            school=school,
            grade=row.grade,
            class_of=row.class_of,
        )
        created.append(user)
    for user in created:
        send_invitation(user)
    return ImportSummary(created, present)


def list_people(role: str | None = None, query: str = "") -> list[User]:
    statement = db.select(User).order_by(User.role, User.full_name)
    if role:
        statement = statement.where(User.role == role)
    if query:
        like = f"%{query.strip().lower()}%"
        statement = statement.where(
            db.or_(db.func.lower(User.full_name).like(like), User.email.like(like))
        )
    return list(db.session.scalars(statement))


class PeopleError(ValueError):
    """A change to a person that breaks a rule; the message is safe to show."""


def set_class_of(user: User, class_of: int | None) -> None:
    """Only student mentors have a graduation year; a graduate's identity is already gone."""
    if not user.is_mentor:
        raise PeopleError("Only student mentors have a graduation year.")
    if user.anonymized_at is not None:
        raise PeopleError("This former mentor is anonymized; their class no longer matters.")
    user.class_of = class_of


def reactivate(user: User) -> None:
    """An anonymized graduate stays gone: there is no one left to sign in as."""
    if user.anonymized_at is not None:
        raise PeopleError("A former mentor whose identity was removed cannot be reactivated.")
    reactivate_user(user)
