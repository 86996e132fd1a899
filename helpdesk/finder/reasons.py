"""Why a search found nobody: the first of these that holds, in the words a teacher needs.

Asked only when a search comes back empty, so it may spend a few queries of its own.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from helpdesk.availability.models import ProgramSettings
from helpdesk.calendar.models import Closure
from helpdesk.calendar.services import load_calendars
from helpdesk.extensions import db
from helpdesk.finder.services import _candidates
from helpdesk.formatting import day_range, local_day
from helpdesk.schools.models import School

NO_SKILL = "no-skill"
CLOSED = "closed"
TOO_FAR = "too-far"
TOO_SOON = "too-soon"
FULLY_BOOKED = "fully-booked"


@dataclass(frozen=True)
class NoResults:
    """What kept the search empty: a kind (for tests and styling) and a sentence to show."""

    kind: str
    message: str


def why_no_mentors(
    *,
    skill_id: int,
    skill_name: str,
    school_id: int | None,
    online_only: bool,
    start: date,
    end: date,
    now: datetime,
    settings: ProgramSettings,
    timezone: str,
    locale: str,
) -> NoResults:
    """The first reason that holds: nobody has the skill, the dates are out of the booking
    window, the schools are closed on every date asked, else everyone is fully booked."""
    candidates = _candidates(skill_id, school_id, online_only, None)
    if not candidates:
        where = _where(school_id, online_only)
        return NoResults(NO_SKILL, f"Nobody{where} offers {skill_name} yet.")
    zone = ZoneInfo(timezone)
    earliest = (now + timedelta(hours=settings.min_notice_hours)).astimezone(zone).date()
    latest = (now + timedelta(days=settings.horizon_days)).astimezone(zone).date()
    if start > latest:
        return NoResults(
            TOO_FAR,
            f"Sessions can be booked up to {settings.horizon_days} days ahead, so until "
            f"{local_day(latest, locale=locale)}. Choose earlier dates.",
        )
    if end < earliest:
        return NoResults(
            TOO_SOON,
            f"Sessions need {settings.min_notice_hours} hours' notice: the first day you can "
            f"book is {local_day(earliest, locale=locale)}.",
        )
    first, last = max(start, earliest), min(end, latest)
    school_ids = sorted({c.school_id for c in candidates})
    schools = list(db.session.scalars(db.select(School).where(School.id.in_(school_ids))))
    calendars = load_calendars(schools)
    if not any(calendars[s.id].days(first, last) for s in schools):
        message = _closed_message(schools, start, end, locale)
        if end > latest:
            message += f" Sessions can be booked until {local_day(latest, locale=locale)}."
        return NoResults(CLOSED, message)
    return NoResults(
        FULLY_BOOKED,
        f"Everyone who offers {skill_name}{_where(school_id, online_only)} is fully booked "
        "in those dates. Try later dates or a shorter session.",
    )


def _where(school_id: int | None, online_only: bool) -> str:
    where = ""
    if school_id:
        school = db.session.get(School, school_id)
        where += f" at {school.name}" if school else ""
    return where + (" online" if online_only else "")


def _closed_message(schools: list[School], first: date, last: date, locale: str) -> str:
    """Name the closures (grouped by name, with their dates), else the term's end or start."""
    rows = db.session.execute(
        db.select(Closure.name, db.func.min(Closure.on), db.func.max(Closure.on))
        .where(
            Closure.school_id.in_([s.id for s in schools]),
            Closure.on.between(first, last),
        )
        .group_by(Closure.name)
        .order_by(db.func.min(Closure.on))
    ).all()
    names = " and ".join(f"{s.name}" for s in schools[:2]) + (
        f" and {len(schools) - 2} more schools" if len(schools) > 2 else ""
    )
    if rows:
        closures = "; ".join(
            f"{name} ({day_range(opens, closes, locale)})" for name, opens, closes in rows
        )
        return f"{names} {'is' if len(schools) == 1 else 'are'} closed then: {closures}."
    terms = [(s.term_starts_on, s.term_ends_on) for s in schools if s.term_starts_on]
    if terms and all(last < starts for starts, _ends in terms):
        starts = local_day(terms[0][0], locale=locale)
        return f"School is not in session yet: the term starts on {starts}."
    if terms and all(first > ends for _starts, ends in terms):
        return f"School is out: the term ended on {local_day(terms[0][1], locale=locale)}."
    return "There are no school days in those dates."
