"""A few weeks of access-log entries for the demo district (created once; see demo_records)."""

from datetime import datetime, timedelta

from sqlalchemy import select

from helpdesk import demo_records
from helpdesk.access_log.models import AccessAction
from helpdesk.access_log.services import record_access
from helpdesk.accounts.models import Role, User
from helpdesk.extensions import db

KEY = "access-log"
SCHOOL_NETWORK = "10.20.0.15"
# (days ago, action, the mentor it is about by name or None, detail)
HISTORY = (
    (40, AccessAction.PEOPLE_IMPORTED, None, "created: 28, already present: 0"),
    (21, AccessAction.CONTACTS_LISTED, None, "people: 31, students: 13"),
    (14, AccessAction.PROFILE_VIEWED, "Priya Natarajan", ""),
    (9, AccessAction.REPORT_VIEWED, None, "help desk report"),
    (6, AccessAction.RECORD_VIEWED, "Jordan Ellis", ""),
    (2, AccessAction.SESSION_VIEWED, "Maya Chen", ""),
)


def seed_demo_access_log(now: datetime, domain: str) -> int:
    if demo_records.created(KEY) is not None:
        return 0
    people = {
        u.full_name: u
        for u in db.session.scalars(select(User).where(User.email.like(f"%@{domain}")))
    }
    advisor = next((u for u in people.values() if u.role is Role.ADVISOR), None)
    if advisor is None:
        return 0
    for days_ago, action, about, detail in HISTORY:
        subject = people.get(about) if about else None
        record_access(
            action,
            actor_id=advisor.id,
            subject_id=subject.id if subject else None,
            detail=detail,
            ip_address=SCHOOL_NETWORK,
            at=now - timedelta(days=days_ago, hours=days_ago % 5),
        )
    demo_records.remember(KEY, None)
    return len(HISTORY)
