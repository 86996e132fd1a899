"""Everything Helpdesk stores about one person, gathered kind by kind (kinds.py)."""

import re

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from helpdesk.access_log.lists import entries_about
from helpdesk.access_log.models import AccessLogEntry
from helpdesk.accounts.models import User
from helpdesk.availability.models import AvailabilityWindow, TimeOff
from helpdesk.bookings.models import Booking, BookingEvent, BookingStatus
from helpdesk.extensions import db
from helpdesk.hours.records import collect_hours
from helpdesk.mail.models import OutboxMessage
from helpdesk.mentors.models import MentorProfile
from helpdesk.notifications.models import Notification
from helpdesk.pairings.records import collect_pairings
from helpdesk.records.kinds import PersonRecord, ScreenshotFile, Section, empty_sections
from helpdesk.reflections.models import Reflection, SessionReport
from helpdesk.reflections.services import credit_for
from helpdesk.requests.models import (
    DeskMailThrottle,
    DeskPendingNotice,
    HelpRequest,
    RequestEvent,
    RequestMessage,
    RequestScreenshot,
)
from helpdesk.tips.models import Tip, TipEvent, TipVote
from helpdesk.workshops.records import workshop_rows

# Secrets that ride in links: a copy of someone's mail must not let its reader sign in as them.
SECRET_LINK = re.compile(r"(/(?:invitation|reset-password|calendar/feed)/)[^\s/?#]+")


def _name(user: User | None) -> str:
    """Others in the record are shown as the app shows them: students by first name and initial."""
    return user.display_name if user else ""


def collect_record(person: User) -> PersonRecord:
    """Read-only; a bounded number of queries whatever the record's size."""
    sections = {s.key: s for s in empty_sections()}
    _profile(person, sections)
    bookings = _sessions(person, sections)
    sections["workshops"].rows = workshop_rows(person)
    _tips(person, sections)
    screenshots = _help_requests(person, sections)
    _notices(person, sections)
    collect_pairings(person, sections)
    credit = credit_for(person)
    for booking in bookings:
        if booking.status is BookingStatus.COMPLETED:
            sections["hours"].rows.append(
                (booking.id, booking.starts_at, booking.minutes, round(booking.minutes / 60, 2))
            )
    collect_hours(person, sections)
    sections["access_log"].rows = [_log_row(e) for e in entries_about(person.id)]
    return PersonRecord(
        person, list(sections.values()), screenshots, credit.hours, credit.sessions, credit.kudos
    )


def _profile(person: User, sections: dict[str, Section]) -> None:
    sections["profile"].rows.append(
        (
            person.id,
            person.full_name,
            person.email,
            person.role.value,
            person.school.name,
            person.grade,
            person.is_active,
            person.has_password,
            person.feed_token_hash is not None,
            person.created_at,
            person.last_login_at,
        )
    )
    profile = db.session.get(MentorProfile, person.id)
    if profile is not None:
        sections["mentor_profile"].rows.append(
            (
                profile.bio,
                profile.story,
                profile.weekly_cap,
                profile.offers_online,
                profile.offers_in_person,
            )
        )
        sections["skills"].rows = [
            (ms.skill.name, ms.level_label)
            for ms in sorted(profile.skills, key=lambda ms: ms.skill.name)
        ]
    windows = db.session.scalars(
        select(AvailabilityWindow)
        .where(AvailabilityWindow.mentor_id == person.id)
        .order_by(AvailabilityWindow.id)
    )
    sections["availability"].rows = [
        (
            w.id,
            w.period_name,
            w.start_time,
            w.end_time,
            " ".join(
                ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][d] for d in sorted(w.weekday_set)
            )
            or "every school day",
            w.day_type.name if w.day_type else "",
            w.on,
        )
        for w in windows
    ]
    sections["time_off"].rows = [
        (t.id, t.starts_on, t.ends_on, t.note)
        for t in db.session.scalars(
            select(TimeOff).where(TimeOff.mentor_id == person.id).order_by(TimeOff.starts_on)
        )
    ]


def _sessions(person: User, sections: dict[str, Section]) -> list[Booking]:
    bookings = list(
        db.session.scalars(
            select(Booking)
            .where(or_(Booking.mentor_id == person.id, Booking.teacher_id == person.id))
            .options(selectinload(Booking.events).joinedload(BookingEvent.actor))
            .order_by(Booking.starts_at, Booking.id)
        )
    )
    ids = [b.id for b in bookings]
    sections["sessions"].rows = [
        (
            b.id,
            "mentor" if b.mentor_id == person.id else "teacher",
            _name(b.mentor),
            _name(b.teacher),
            b.skill.name,
            b.starts_at,
            b.ends_at,
            b.minutes,
            b.status.value,
            b.topic,
            b.learning_goal,
            b.format.value,
            b.room,
            b.meeting_url,
            b.notes,
            b.created_at,
        )
        for b in bookings
    ]
    sections["session_history"].rows = [
        (e.booking_id, e.at, _name(e.actor), e.from_status, e.to_status, e.reason)
        for b in bookings
        for e in b.events
    ]
    # Events they caused on sessions that are not theirs (the advisor's approvals).
    sections["session_history"].rows += [
        (e.booking_id, e.at, _name(e.actor), e.from_status, e.to_status, e.reason)
        for e in db.session.scalars(
            select(BookingEvent)
            .where(BookingEvent.actor_id == person.id, BookingEvent.booking_id.not_in(ids))
            .order_by(BookingEvent.id)
        )
    ]
    reports = db.session.scalars(
        select(SessionReport)
        .where(or_(SessionReport.booking_id.in_(ids), SessionReport.author_id == person.id))
        .order_by(SessionReport.booking_id)
    )
    authors = {b.id: b.mentor for b in bookings}
    sections["session_notes"].rows = [
        (
            r.booking_id,
            _name(authors.get(r.booking_id)) or f"#{r.author_id}",
            r.covered,
            r.steps,
            r.links,
            r.created_at,
        )
        for r in reports
    ]
    reflections = list(
        db.session.scalars(
            select(Reflection)
            .where(or_(Reflection.booking_id.in_(ids), Reflection.author_id == person.id))
            .order_by(Reflection.booking_id, Reflection.id)
        )
    )
    sections["reflections"].rows = [
        (
            r.booking_id,
            r.side,
            _name(r.author),
            r.learned,
            r.view_change,
            r.classroom_use,
            r.rating,
            r.went_well,
            r.try_next,
            r.kudos,
            r.created_at,
        )
        for r in reflections
    ]
    mentored = {b.id for b in bookings if b.mentor_id == person.id}
    sections["kudos"].rows = [
        (r.booking_id, _name(r.author), r.kudos, r.created_at)
        for r in reflections
        if r.kudos and r.booking_id in mentored
    ]
    return bookings


def _tips(person: User, sections: dict[str, Section]) -> None:
    tips = list(
        db.session.scalars(
            select(Tip)
            .where(or_(Tip.author_id == person.id, Tip.mentor_id == person.id))
            .order_by(Tip.id)
        )
    )
    ids = [t.id for t in tips]
    sections["tips"].rows = [
        (
            t.id,
            "author" if t.author_id == person.id else "credited mentor",
            t.title,
            t.status.value,
            ", ".join(s.name for s in t.skills),
            t.body,
            t.review_comment,
            t.view_count,
            t.helpful_count,
            t.created_at,
            t.published_at,
        )
        for t in tips
    ]
    events = db.session.execute(
        select(TipEvent, User)
        .outerjoin(User, User.id == TipEvent.actor_id)
        .where(or_(TipEvent.tip_id.in_(ids), TipEvent.actor_id == person.id))
        .order_by(TipEvent.id)
    )
    sections["tip_history"].rows = [
        (e.tip_id, e.at, _name(actor), e.from_status, e.to_status, e.comment) for e, actor in events
    ]
    sections["tip_votes"].rows = [
        (v.tip_id, v.created_at)
        for v in db.session.scalars(
            select(TipVote).where(TipVote.user_id == person.id).order_by(TipVote.id)
        )
    ]


def _help_requests(person: User, sections: dict[str, Section]) -> list[ScreenshotFile]:
    requests = list(
        db.session.scalars(
            select(HelpRequest)
            .where(
                or_(
                    HelpRequest.requester_id == person.id,
                    HelpRequest.mentor_id == person.id,
                    HelpRequest.resolved_by_id == person.id,
                )
            )
            .order_by(HelpRequest.id)
        )
    )
    ids = [r.id for r in requests]

    def role(r: HelpRequest) -> str:
        if r.requester_id == person.id:
            return "requester"
        return "mentor" if r.mentor_id == person.id else "resolved it"

    sections["help_requests"].rows = [
        (
            r.id,
            role(r),
            _name(r.requester),
            _name(r.mentor),
            r.skill.name,
            r.status.value,
            r.summary,
            r.details,
            r.device,
            r.urgency.value,
            r.room,
            r.around,
            r.created_at,
            r.claimed_at,
            r.resolved_at,
            r.escalated_at,
        )
        for r in requests
    ]
    sections["help_request_messages"].rows = [
        (m.request_id, _name(m.author), m.body, m.created_at)
        for m in db.session.scalars(
            select(RequestMessage)
            .where(or_(RequestMessage.request_id.in_(ids), RequestMessage.author_id == person.id))
            .order_by(RequestMessage.request_id, RequestMessage.id)
        )
    ]
    sections["help_request_history"].rows = [
        (e.request_id, e.at, _name(e.actor), e.from_status, e.to_status, e.reason)
        for e in db.session.scalars(
            select(RequestEvent)
            .where(or_(RequestEvent.request_id.in_(ids), RequestEvent.actor_id == person.id))
            .order_by(RequestEvent.request_id, RequestEvent.id)
        )
    ]
    shots = list(
        db.session.scalars(
            select(RequestScreenshot)
            .where(RequestScreenshot.request_id.in_(ids))
            .order_by(RequestScreenshot.request_id, RequestScreenshot.id)
        )
    )
    files = [ScreenshotFile(s.id, s.request_id, s.content_type) for s in shots]
    sections["screenshots"].rows = [
        (s.id, s.request_id, f.file_name, s.content_type, s.width, s.height, s.created_at)
        for s, f in zip(shots, files, strict=True)
    ]
    return files


def _notices(person: User, sections: dict[str, Section]) -> None:
    sections["desk_notices"].rows = [
        (n.request_id, n.created_at, n.emailed_at)
        for n in db.session.scalars(
            select(DeskPendingNotice)
            .where(DeskPendingNotice.user_id == person.id)
            .order_by(DeskPendingNotice.id)
        )
    ]
    throttle = db.session.get(DeskMailThrottle, person.id)
    if throttle is not None:
        sections["desk_notices"].rows.append(
            ("(last new-request email)", None, throttle.last_sent_at)
        )
    sections["notifications"].rows = [
        (n.message, n.link, n.created_at, n.read_at)
        for n in db.session.scalars(
            select(Notification).where(Notification.user_id == person.id).order_by(Notification.id)
        )
    ]
    sections["email"].rows = [
        (
            m.subject,
            SECRET_LINK.sub(r"\1[link removed]", m.body),
            m.status.value,
            m.created_at,
            m.sent_at,
        )
        for m in db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.to_address == person.email)
            .order_by(OutboxMessage.id)
        )
    ]


def _log_row(entry: AccessLogEntry) -> tuple:
    return (
        entry.at,
        entry.actor_id,
        entry.action,
        entry.subject_id,
        entry.detail,
        entry.ip_address,
    )
