"""The demo district's hours: entries in every status, a few verified mentors, Maya Chen past the
25-hour service target with a certificate, and Helen Park with a CTLE certificate.

The demo's sessions and help requests already made pending entries (the ledger listens to
them); this verifies, adjusts and rejects some, adds club meetings, and issues two certificates.
Runs once (a demo record remembers it), so seeding again adds nothing.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from helpdesk import demo_records
from helpdesk.accounts.models import Role, User
from helpdesk.extensions import db
from helpdesk.hours import certificates, services
from helpdesk.hours.models import EntryKind, EntryStatus, HoursEntry

KEY = "hours:ledger"
VERIFIED_MENTORS = ("Maya Chen", "Jordan Ellis", "Priya Natarajan")
# Maya's work this term beyond her sessions: workshops she gave count as service learning (past
# the 25-hour target with her sessions); club meetings and training count as extracurricular.
CLUB = [
    (EntryKind.WORKSHOP, "Elementary coding hour (4 sessions)",
     "Led block-coding stations for third graders.", 360),
    (EntryKind.WORKSHOP, "Parent-teacher night tech table",
     "Helped families sign in to the parent portal.", 240),
    (EntryKind.WORKSHOP, "Accessibility workshop for teachers",
     "Captions, screen readers and high-contrast modes.", 300),
    (EntryKind.WORKSHOP, "Senior center video-calling clinic",
     "Taught residents to video-call their families.", 300),
    (EntryKind.WORKSHOP, "Library laptop cart refresh",
     "Re-imaged and labelled 30 laptops with the librarian.", 330),
    (EntryKind.MANUAL, "Tech club: Chromebook repair clinic",
     "Swapped keyboards and batteries for 14 loaners.", 180),
    (EntryKind.MANUAL, "Tech club: help-desk training",
     "Triage, escalation and writing a good answer.", 120),
    (EntryKind.MANUAL, "Video club: news show production",
     "Filmed and edited two weekly news episodes.", 300),
]  # fmt: skip

# (mentor, kind, decision, minutes, reason): an adjusted and a rejected entry to show.
DECISIONS = [
    ("Noah Kim", EntryKind.HELP_REQUEST, EntryStatus.ADJUSTED, 20,
     "Time agreed with Noah afterwards: he did not enter it when resolving."),
    ("Ava Thompson", EntryKind.SESSION, EntryStatus.ADJUSTED, 20,
     "The session ended ten minutes early (fire drill)."),
    ("Ethan Novak", EntryKind.HELP_REQUEST, EntryStatus.REJECTED, None,
     "District IT fixed this one; no time was claimed."),
]  # fmt: skip


def _person(name: str, role: Role) -> User | None:
    return db.session.scalar(select(User).where(User.full_name == name, User.role == role))


def _entries(person: User) -> list[HoursEntry]:
    return list(
        db.session.scalars(
            select(HoursEntry)
            .where(HoursEntry.person_id == person.id)
            .order_by(HoursEntry.occurred_on, HoursEntry.id)
        )
    )


def seed_hours(now: datetime, domain: str) -> int:
    if demo_records.created(KEY) is not None:
        return 0
    advisor = db.session.scalar(select(User).where(User.email == f"advisor@{domain}"))
    maya = _person("Maya Chen", Role.MENTOR)
    helen = _person("Helen Park", Role.TEACHER)
    if advisor is None or maya is None or helen is None:
        return 0
    services.backfill(now)  # anything completed before the ledger listened
    settings = services.hours_settings()
    settings.district_name = settings.district_name or "Riverside Central School District"
    settings.pd_designated = True
    settings.sponsor_name = settings.sponsor_name or "Riverside Central School District"
    settings.sponsor_number = settings.sponsor_number or "CTLE-0427"
    settings.signer_name = settings.signer_name or advisor.full_name
    settings.signer_title = "Student Tech Team Advisor"
    today = now.astimezone(ZoneInfo(maya.school.timezone)).date()

    for offset, (kind, title, description, minutes) in enumerate(CLUB):
        services.record_activity(
            maya,
            kind,
            f"demo:club:{offset}",
            title,
            today - timedelta(days=7 * (len(CLUB) - offset) + 2),
            minutes,
            description=description,
            created_by=advisor,
            status=EntryStatus.VERIFIED,
        )
    created = len(CLUB)

    for name in VERIFIED_MENTORS:
        mentor = _person(name, Role.MENTOR)
        for entry in _entries(mentor) if mentor else []:
            if entry.status is EntryStatus.PENDING:
                services.decide(entry, advisor, EntryStatus.VERIFIED)
    for name, kind, status, minutes, reason in DECISIONS:
        person = _person(name, Role.MENTOR)
        entry = next(
            (e for e in _entries(person) if e.kind is kind and e.status is EntryStatus.PENDING),
            None,
        ) if person else None  # fmt: skip
        if entry is not None:
            services.decide(entry, advisor, status, minutes=minutes, reason=reason)
    for entry in _entries(helen):
        if entry.status is EntryStatus.PENDING and entry.kind is EntryKind.SESSION:
            services.decide(entry, advisor, EntryStatus.VERIFIED)

    issued_at = now - timedelta(days=2)
    for person in (maya, helen):
        try:
            certificates.issue_certificate(person, advisor, issued_at)
            created += 1
        except services.HoursError:
            continue  # the demo history gave them no verified hours (should not happen)
    db.session.flush()
    demo_records.remember(KEY, None)
    return created
