"""A person's hours in their record export (helpdesk/records): entries, history, certificates."""

import json

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from helpdesk.accounts.models import User
from helpdesk.extensions import db
from helpdesk.hours.certificates import pretty_code
from helpdesk.hours.models import Certificate, HoursEntry, HoursEvent


def _name(user: User | None) -> str:
    return user.display_name if user else ""


def collect_hours(person: User, sections: dict) -> None:
    """Three statements whatever the number of entries."""
    entries = db.session.scalars(
        select(HoursEntry)
        .where(HoursEntry.person_id == person.id)
        .options(
            joinedload(HoursEntry.verifier),
            selectinload(HoursEntry.events).joinedload(HoursEvent.actor),
        )
        .order_by(HoursEntry.occurred_on, HoursEntry.id)
    ).all()
    sections["hours_ledger"].rows = [
        (
            e.id,
            e.kind.value,
            e.title,
            e.description,
            e.occurred_on,
            e.minutes_claimed,
            e.status.value,
            e.verified_minutes,
            _name(e.verifier),
            e.verified_at,
            e.reason,
            e.created_at,
        )
        for e in entries
    ]
    sections["hours_ledger_history"].rows = [
        (
            ev.entry_id,
            ev.at,
            _name(ev.actor),
            ev.from_status,
            ev.to_status,
            ev.from_minutes,
            ev.to_minutes,
            ev.reason,
        )
        for e in entries
        for ev in e.events
    ]
    sections["certificates"].rows = [
        (
            c.id,
            c.side.value,
            pretty_code(c.code),
            round(c.minutes / 60, 2),
            c.issued_at,
            c.revoked_at,
            c.revoke_reason,
            "; ".join(
                f"{entry['occurred_on']} {entry['title']} ({entry['minutes']} min)"
                for entry in json.loads(c.snapshot)["entries"]
            ),
        )
        for c in db.session.scalars(
            select(Certificate)
            .where(Certificate.person_id == person.id)
            .order_by(Certificate.issued_at, Certificate.id)
        )
    ]
