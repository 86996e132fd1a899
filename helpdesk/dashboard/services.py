"""Reporting terms: which one a page shows, the one before it, and adding one."""

from datetime import date, timedelta

from sqlalchemy import func, select

from helpdesk.dashboard.figures import Scope
from helpdesk.dashboard.models import Term
from helpdesk.extensions import db
from helpdesk.schools.models import School

# Without any term, the dashboard shows this many weeks up to today.
WEEKS_WITHOUT_TERM = 12


class TermError(Exception):
    """A term the advisor cannot add; the message is safe to show."""


def all_terms() -> list[Term]:
    return list(db.session.scalars(select(Term).order_by(Term.starts_on.desc(), Term.id.desc())))


def chosen_term(terms: list[Term], term_id: int | None, today: date) -> Term | None:
    """The asked-for term; else the one running today; else the latest that has started."""
    by_id = {t.id: t for t in terms}
    if term_id in by_id:
        return by_id[term_id]
    running = [t for t in terms if t.starts_on <= today <= t.ends_on]
    if running:
        return running[0]
    started = [t for t in terms if t.starts_on <= today]
    return started[0] if started else (terms[-1] if terms else None)


def previous_term(terms: list[Term], term: Term) -> Term | None:
    """The latest term that ended before this one started."""
    earlier = [t for t in terms if t.ends_on < term.starts_on]
    return max(earlier, key=lambda t: t.ends_on) if earlier else None


def scope_for(term: Term | None, school: School | None, timezone: str, today: date) -> Scope:
    school_id = school.id if school is not None else None
    zone = school.timezone if school is not None else timezone
    if term is None:
        return Scope(today - timedelta(weeks=WEEKS_WITHOUT_TERM), today, zone, school_id)
    return Scope(term.starts_on, term.ends_on, zone, school_id)


def add_term(name: str, starts_on: date, ends_on: date) -> Term:
    """A new reporting term; names are unique (case aside) and it must end after it starts."""
    name = " ".join(name.split())
    if ends_on < starts_on:
        raise TermError("A term must end on or after the day it starts.")
    taken = db.session.scalar(select(Term.id).where(func.lower(Term.name) == name.lower()))
    if taken is not None:
        raise TermError(f"There is already a term called “{name}”.")
    term = Term(name=name, starts_on=starts_on, ends_on=ends_on)
    db.session.add(term)
    db.session.flush()
    return term
