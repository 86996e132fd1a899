from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from helpdesk.extensions import db
from helpdesk.locale import LOCALES, district_locale
from helpdesk.schools.models import School


class SchoolError(ValueError):
    """A school change that breaks a rule; the message is safe to show."""


def find_school(name: str) -> School | None:
    """The school with this name, ignoring case and surrounding spaces."""
    return db.session.scalar(
        db.select(School).where(db.func.lower(School.name) == name.strip().lower())
    )


def get_or_create_school(name: str, timezone: str) -> School:
    """Find a school by name or add it, checking the time zone is real."""
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SchoolError(f"Unknown time zone: {timezone}") from exc
    school = find_school(name)
    if school is None:
        school = School(name=name.strip(), timezone=timezone, locale=district_locale())
        db.session.add(school)
        db.session.flush()
    return school


def set_district_locale(locale: str) -> None:
    """Write every date and time in the district for this locale, at every school."""
    if locale not in LOCALES:
        raise SchoolError(f"Unknown locale: {locale}")
    for school in db.session.scalars(db.select(School)):
        school.locale = locale
    db.session.flush()
