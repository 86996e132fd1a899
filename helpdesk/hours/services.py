"""Ledger commands: record activities (idempotently), verify, adjust, reject, settings, backfill."""

import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from helpdesk.accounts.models import Role, User
from helpdesk.bookings.models import Booking, BookingStatus
from helpdesk.clock import utcnow
from helpdesk.extensions import db
from helpdesk.hours.models import (
    DAY_MINUTES,
    REASON_MAX,
    TITLE_MAX,
    TRANSITIONS,
    EntryKind,
    EntryStatus,
    HoursEntry,
    HoursEvent,
    HoursSettings,
    Side,
)
from helpdesk.requests.models import HelpRequest, RequestEvent, RequestStatus
from helpdesk.settings_row import settings_row

S = EntryStatus
CHANGED_MEANWHILE = "Someone changed this entry at the same time: look again before deciding."
BACKFILL_REASON = "Recorded before the hours ledger"


class HoursError(ValueError):
    """A ledger step that is not allowed; the message is safe to show."""


# Settings ---------------------------------------------------------------------------------------


def hours_settings() -> HoursSettings:
    """The one settings row, created with defaults the first time."""
    return settings_row(HoursSettings)
    try:
        with db.session.begin_nested():
            settings = HoursSettings(id=1)
            db.session.add(settings)
    except IntegrityError:  # another request created it first
        settings = db.session.get(HoursSettings, 1, populate_existing=True)
    return settings


def update_hours_settings(**values) -> HoursSettings:
    """Targets are whole hours; PD counts only kinds chosen here, once designated."""
    if not 1 <= values["service_target_hours"] <= 1000:
        raise HoursError("The service-learning target is 1 to 1,000 hours.")
    if not 1 <= values["extracurricular_target_hours"] <= 1000:
        raise HoursError("The extracurricular target is 1 to 1,000 hours.")
    if not 1 <= values["help_request_cap_minutes"] <= 480:
        raise HoursError("The help-request cap is 1 to 480 minutes.")
    for name in ("service_kinds", "pd_kinds"):
        kinds = values[name]
        if not kinds or any(kind not in tuple(EntryKind) for kind in kinds):
            raise HoursError("Choose at least one kind of activity for each credential.")
        values[name] = ",".join(EntryKind(kind).value for kind in kinds)
    settings = hours_settings()
    for name, value in values.items():
        setattr(settings, name, value.strip() if isinstance(value, str) else value)
    db.session.flush()
    return settings


# Recording --------------------------------------------------------------------------------------


def side_of(person: User) -> Side | None:
    """Students earn service hours, teachers professional-development hours; nobody else."""
    if person.role is Role.MENTOR:
        return Side.SERVICE
    if person.role is Role.TEACHER:
        return Side.PD
    return None


def record_activity(
    person: User,
    kind: EntryKind | str,
    source_key: str,
    title: str,
    occurred_on: date,
    minutes: int,
    *,
    description: str = "",
    created_by: User | None = None,
    status: EntryStatus = S.PENDING,
) -> HoursEntry | None:
    """One ledger entry per (person, kind, source): a repeat returns the entry already there.

    None for people who earn no hours (staff, the advisor). The unique constraint is the
    backstop when two callers race: the loser gets the winner's entry.
    """
    side = side_of(person)
    if side is None:
        return None
    kind = EntryKind(kind)
    if not 0 <= minutes <= DAY_MINUTES:
        raise HoursError("Minutes are 0 to 1,440 (a day).")
    existing = _entry_for(person.id, kind, source_key)
    if existing is not None:
        return existing
    entry = HoursEntry(
        person_id=person.id,
        side=side,
        kind=kind,
        source_key=source_key[:64],
        title=" ".join(title.split())[:TITLE_MAX] or kind.label,
        description=" ".join(description.split())[:REASON_MAX],
        occurred_on=occurred_on,
        minutes_claimed=minutes,
        status=status,
        verified_minutes=minutes if status is S.VERIFIED else None,
        created_by_id=created_by.id if created_by else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(entry)
            db.session.flush()
    except IntegrityError:
        existing = _entry_for(person.id, kind, source_key)
        if existing is None:
            raise
        return existing
    _record(entry, created_by, None, entry.status, None, minutes, "Recorded")
    db.session.flush()
    return entry


def _entry_for(person_id: int, kind: EntryKind, source_key: str) -> HoursEntry | None:
    return db.session.scalar(
        select(HoursEntry).where(
            HoursEntry.person_id == person_id,
            HoursEntry.kind == kind,
            HoursEntry.source_key == source_key,
        )
    )


def _record(entry, actor, from_status, to_status, from_minutes, to_minutes, reason) -> None:
    db.session.add(
        HoursEvent(
            entry_id=entry.id,
            actor_id=actor.id if actor else None,
            from_status=from_status.value if from_status else None,
            to_status=to_status.value,
            from_minutes=from_minutes,
            to_minutes=to_minutes,
            reason=reason[:REASON_MAX],
        )
    )


def _local_day(moment: datetime, person: User) -> date:
    return moment.astimezone(ZoneInfo(person.school.timezone)).date()


def record_session(booking: Booking) -> list[HoursEntry]:
    """A completed session: service time for the mentor, PD time for the teacher."""
    minutes = round((booking.ends_at - booking.starts_at).total_seconds() / 60)
    entries = []
    for person in (booking.mentor, booking.teacher):
        entry = record_activity(
            person,
            EntryKind.SESSION,
            f"booking:{booking.id}",
            f"Session: {booking.topic}",
            _local_day(booking.starts_at, person),
            max(0, min(minutes, DAY_MINUTES)),
            description=booking.learning_goal or "",
        )
        if entry is not None:
            entries.append(entry)
    return entries


def check_help_minutes(minutes: int | None) -> int:
    """The time a mentor says a help request took: whole minutes, 0 up to the advisor's cap."""
    cap = hours_settings().help_request_cap_minutes
    if minutes is None:
        return 0
    if not 0 <= minutes <= cap:
        raise HoursError(f"Time spent is 0 to {cap} minutes for one help request.")
    return minutes


def record_help_request(help_request: HelpRequest, mentor: User, minutes: int | None, now) -> None:
    """A mentor resolved a help request: the time they say it took, up to the cap, pending."""
    if not mentor.is_mentor:
        return
    record_activity(
        mentor,
        EntryKind.HELP_REQUEST,
        f"request:{help_request.id}",
        f"Help request: {help_request.summary}",
        _local_day(now, mentor),
        check_help_minutes(minutes),
    )


def record_workshop(
    workshop_key: int | str,
    title: str,
    occurred_on: date,
    minutes: int,
    attendees: Iterable[User],
    *,
    description: str = "",
) -> list[HoursEntry]:
    """A workshop held: an entry for each attendee (and presenter) who earns hours."""
    entries = []
    for person in attendees:
        entry = record_activity(
            person,
            EntryKind.WORKSHOP,
            f"workshop:{workshop_key}",
            f"Workshop: {title}",
            occurred_on,
            minutes,
            description=description,
        )
        if entry is not None:
            entries.append(entry)
    return entries


def record_manual(
    people: Sequence[User],
    by: User,
    *,
    title: str,
    occurred_on: date,
    minutes: int,
    description: str = "",
) -> list[HoursEntry]:
    """The advisor records a club meeting or training for several people at once: verified."""
    if not by.is_advisor:
        raise HoursError("Only the advisor records hours by hand.")
    if not people:
        raise HoursError("Choose at least one person.")
    if not title.strip():
        raise HoursError("Give the activity a title.")
    if not 1 <= minutes <= DAY_MINUTES:
        raise HoursError("Minutes are 1 to 1,440 (a day).")
    if any(side_of(p) is None for p in people):
        raise HoursError("Only mentors and teachers earn hours.")
    key = f"manual:{uuid.uuid4().hex}"
    return [
        record_activity(
            person,
            EntryKind.MANUAL,
            key,
            title,
            occurred_on,
            minutes,
            description=description,
            created_by=by,
            status=S.VERIFIED,
        )
        for person in people
    ]


# Verifying --------------------------------------------------------------------------------------


def decide(
    entry: HoursEntry,
    by: User,
    to_status: EntryStatus,
    *,
    expected_version: int | None = None,
    minutes: int | None = None,
    reason: str = "",
) -> HoursEntry:
    """Verify, adjust or reject, as a compare-and-swap on the entry's version: of two advisors
    deciding the same entry at once, one wins and the other is told."""
    if not entry.can_decide(by):
        raise HoursError("Only the advisor verifies hours.")
    reason = " ".join(reason.split())
    if to_status not in TRANSITIONS[entry.status]:
        raise HoursError(f"This entry is already {entry.status.label.lower()}.")
    if to_status is S.VERIFIED:
        minutes = entry.minutes_claimed
    elif to_status is S.ADJUSTED:
        if minutes is None or not 0 <= minutes <= DAY_MINUTES:
            raise HoursError("Enter the minutes to count, 0 to 1,440.")
        if not reason:
            raise HoursError("Say why the minutes changed.")
    else:
        if not reason:
            raise HoursError("Say why the entry is rejected.")
        minutes = None
    if len(reason) > REASON_MAX:
        raise HoursError(f"Keep the reason under {REASON_MAX} characters.")
    version = entry.version if expected_version is None else expected_version
    from_status, from_minutes = entry.status, entry.verified_minutes
    now = utcnow()
    changed = db.session.execute(
        update(HoursEntry)
        .where(HoursEntry.id == entry.id, HoursEntry.version == version)
        .values(
            status=to_status,
            verified_minutes=minutes,
            verifier_id=by.id,
            verified_at=now,
            reason=reason,
            version=HoursEntry.version + 1,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.refresh(entry)
        raise HoursError(CHANGED_MEANWHILE)
    _record(
        entry,
        by,
        from_status,
        to_status,
        from_minutes if from_minutes is not None else entry.minutes_claimed,
        minutes,
        reason or to_status.label,
    )
    db.session.flush()
    db.session.refresh(entry)
    return entry


def approve_many(entry_ids: Iterable[int], by: User) -> int:
    """Bulk approve: each pending entry verified as claimed; others are left as they are."""
    if not by.is_advisor:
        raise HoursError("Only the advisor verifies hours.")
    entries = db.session.scalars(
        select(HoursEntry).where(HoursEntry.id.in_(list(entry_ids)), HoursEntry.status == S.PENDING)
    ).all()
    approved = 0
    for entry in entries:
        try:
            with db.session.begin_nested():
                decide(entry, by, S.VERIFIED)
            approved += 1
        except HoursError:
            continue  # someone decided it meanwhile: their decision stands
    return approved


# Backfill ---------------------------------------------------------------------------------------


def backfill(now: datetime | None = None) -> int:
    """Entries for sessions completed and requests resolved before the ledger; repeatable."""
    before = _count()
    sessions = db.session.scalars(
        select(Booking).where(Booking.status == BookingStatus.COMPLETED).order_by(Booking.id)
    ).all()
    for booking in sessions:
        record_session(booking)
    resolved = db.session.execute(
        select(HelpRequest, RequestEvent.at)
        .join(RequestEvent, RequestEvent.request_id == HelpRequest.id)
        .where(
            HelpRequest.status.in_((RequestStatus.RESOLVED, RequestStatus.CLOSED)),
            HelpRequest.resolved_by_id.is_not(None),
            RequestEvent.to_status == RequestStatus.RESOLVED.value,
        )
        .order_by(HelpRequest.id, RequestEvent.id.desc())
    ).all()
    seen: set[int] = set()
    for help_request, resolved_at in resolved:
        if help_request.id in seen:
            continue
        seen.add(help_request.id)
        mentor = db.session.get(User, help_request.resolved_by_id)
        if mentor is None or not mentor.is_mentor:
            continue
        record_activity(
            mentor,
            EntryKind.HELP_REQUEST,
            f"request:{help_request.id}",
            f"Help request: {help_request.summary}",
            _local_day(resolved_at or now or utcnow(), mentor),
            0,
            description=f"{BACKFILL_REASON}: the time spent was not entered.",
        )
    return _count() - before


def _count() -> int:
    return db.session.scalar(select(db.func.count(HoursEntry.id)))
