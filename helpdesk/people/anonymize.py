"""Graduates leave the program: their identity goes, their tips and service hours stay.

A graduate (a student mentor of the chosen class) becomes "Former mentor <id>" with an address
that cannot receive mail; their tips stay published, credited to "a former student mentor", and
their sessions stay for the program's hour totals. What they wrote about themselves (bio, story,
reflections, session notes, time-off notes), their notifications, the mail addressed to them and
the screenshots on their help requests are removed. Their name is also taken out of the text
other people wrote: every spelling (full name, "Maya C.", email) wherever it appears, and the
single parts of their name ("Maya", "Chen") in the rows about them (their sessions, help
requests, tips and those rows' history). A first name alone in a row that is not about them may
be someone else's, so it is left.

Idempotent: someone already anonymized is skipped, so a second run finds nobody.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import ColumnElement, Select, delete, func, or_, select

from helpdesk.access_log.models import AccessAction
from helpdesk.access_log.services import record_status_change
from helpdesk.accounts.models import FORMER_MENTOR_NAME, Role, User
from helpdesk.accounts.services import end_all_sessions
from helpdesk.availability.models import TimeOff
from helpdesk.bookings.commands import cancel_for_departure
from helpdesk.bookings.locks import lock_people
from helpdesk.bookings.models import Booking, BookingEvent, BookingStatus
from helpdesk.concerns.models import Concern, ConcernEvent, allow_redaction
from helpdesk.extensions import db
from helpdesk.formatting import plural
from helpdesk.hours.models import Certificate, HoursEntry, HoursEvent
from helpdesk.mail.models import OutboxMessage
from helpdesk.mentors.models import MentorProfile
from helpdesk.notifications.models import Notification
from helpdesk.pairings.models import (
    CLOSING_QUESTIONS,
    GoalUpdate,
    Pairing,
    PairingGoal,
    PairingReflection,
)
from helpdesk.reflections.models import Reflection, SessionReport
from helpdesk.requests.models import (
    DeskPendingNotice,
    HelpRequest,
    RequestEvent,
    RequestMessage,
    RequestScreenshot,
    RequestStatus,
)
from helpdesk.requests.services import return_to_queue
from helpdesk.surveys.models import ANSWER_COLUMNS, SurveyResponse
from helpdesk.tips.index import forget_unused_words
from helpdesk.tips.library_cache import library_changed
from helpdesk.tips.models import Tip, TipEvent
from helpdesk.workshops.models import Workshop, WorkshopHost, WorkshopSeat

FORMER_CREDIT = "a former student mentor"
PLACEHOLDER_DOMAIN = "helpdesk.invalid"  # RFC 2606: never delivered
REFLECTION_TEXT = ("learned", "view_change", "classroom_use", "kudos", "went_well", "try_next")
REPORT_TEXT = ("covered", "steps", "links")


class AnonymizeError(ValueError):
    """The anonymization cannot run as asked; the message is safe to show."""


@dataclass(frozen=True)
class AnonymizeCounts:
    """What anonymizing a class does (or did), for the advisor to check first."""

    people: int = 0
    still_active: int = 0  # deactivated on the way
    upcoming_sessions: int = 0  # cancelled with notice to the teacher
    claimed_requests: int = 0  # handed back to the queue
    sessions_kept: int = 0  # their hours stay in the reports
    tips_kept: int = 0
    writings_emptied: int = 0  # reflections and session notes whose text goes
    screenshots: int = 0
    notifications: int = 0
    mail: int = 0

    def __add__(self, other: "AnonymizeCounts") -> "AnonymizeCounts":
        return AnonymizeCounts(
            *(getattr(self, f.name) + getattr(other, f.name) for f in fields(self))
        )


def describe(counts: AnonymizeCounts, class_of: int, *, done: bool) -> list[str]:
    """What it does (or did), line by line, for the People page and the command line."""
    if not counts.people:
        return [f"No student mentor of the class of {class_of} still has their name here."]
    will = (lambda past, _future: past) if done else (lambda _past, future: future)
    lines = [
        f"{plural(counts.people, 'student mentor')} of the class of {class_of}: names and emails "
        f"{will('replaced', 'are replaced')} by placeholders (“Former mentor 123”)."
    ]
    if counts.still_active:
        lines.append(
            f"{plural(counts.still_active, 'of them', 'of them')} still active: "
            f"{will('deactivated', 'deactivated first')}."
        )
    if counts.upcoming_sessions:
        lines.append(
            f"{plural(counts.upcoming_sessions, 'upcoming session')} "
            f"{will('cancelled', 'cancelled')}, with notice to the teacher."
        )
    if counts.claimed_requests:
        lines.append(
            f"{plural(counts.claimed_requests, 'help request')} they claimed "
            f"{will('went', 'go')} back to the queue."
        )
    lines += [
        f"{plural(counts.sessions_kept, 'completed session')} kept for the hour totals.",
        f"{plural(counts.tips_kept, 'tip')} kept, credited to “{FORMER_CREDIT}”.",
        f"{plural(counts.writings_emptied, 'reflection or session note', 'reflections and session notes')}"
        f" {will('emptied', 'emptied')} (ratings stay).",
        f"{plural(counts.screenshots, 'help-request screenshot')}, "
        f"{plural(counts.notifications, 'notification')} and "
        f"{plural(counts.mail, 'email')} to them {will('deleted', 'deleted')}.",
    ]
    return lines


def placeholder_name(user: User) -> str:
    return FORMER_MENTOR_NAME.format(id=user.id)


def placeholder_email(user: User) -> str:
    return f"former-mentor-{user.id}@{PLACEHOLDER_DOMAIN}"


def check_class_of(class_of: int) -> None:
    if not 2000 <= class_of <= 2100:
        raise AnonymizeError("Give the graduation year, like 2026.")


def classes_on_record() -> list[tuple[int, int]]:
    """(year, student mentors still named) for each graduation year on record, newest last."""
    return [
        (year, count)
        for year, count in db.session.execute(
            select(User.class_of, func.count(User.id))
            .where(
                User.role == Role.MENTOR,
                User.class_of.is_not(None),
                User.anonymized_at.is_(None),
            )
            .group_by(User.class_of)
            .order_by(User.class_of)
        )
    ]


def graduates(class_of: int) -> list[User]:
    """Student mentors of that class whose identity is still here."""
    check_class_of(class_of)
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.role == Role.MENTOR, User.class_of == class_of, User.anonymized_at.is_(None)
            )
            .order_by(User.id)
        )
    )


def _count(statement: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def _upcoming(ids: list[int], now: datetime) -> Select:
    return select(Booking).where(
        Booking.mentor_id.in_(ids),
        Booking.status.in_((BookingStatus.REQUESTED, BookingStatus.APPROVED)),
        Booking.starts_at > now,
    )


def _claimed(ids: list[int]) -> Select:
    return select(HelpRequest).where(
        HelpRequest.mentor_id.in_(ids),
        HelpRequest.status.in_((RequestStatus.CLAIMED, RequestStatus.WAITING)),
    )


def _screenshots(request_ids: list[int]) -> Select:
    return select(RequestScreenshot.id).where(RequestScreenshot.request_id.in_(request_ids))


def _their_mail(people: list[User]) -> Select:
    return select(OutboxMessage.id).where(OutboxMessage.to_address.in_([p.email for p in people]))


def preview(class_of: int, now: datetime) -> AnonymizeCounts:
    """The counts of what anonymizing this class would do; changes nothing."""
    people = graduates(class_of)
    ids = [p.id for p in people]
    if not ids:
        return AnonymizeCounts()
    return AnonymizeCounts(
        people=len(people),
        still_active=sum(p.is_active for p in people),
        upcoming_sessions=_count(_upcoming(ids, now)),
        claimed_requests=_count(_claimed(ids)),
        sessions_kept=_count(
            select(Booking.id).where(
                Booking.mentor_id.in_(ids), Booking.status == BookingStatus.COMPLETED
            )
        ),
        tips_kept=_count(select(Tip.id).where(or_(Tip.author_id.in_(ids), Tip.mentor_id.in_(ids)))),
        writings_emptied=_count(select(Reflection.id).where(Reflection.author_id.in_(ids)))
        + _count(select(SessionReport.booking_id).where(SessionReport.author_id.in_(ids))),
        screenshots=_count(_screenshots(_their_rows(ids).requests)),
        notifications=_count(select(Notification.id).where(Notification.user_id.in_(ids))),
        mail=_count(_their_mail(people)),
    )


def anonymize_class(class_of: int, by: User | None, now: datetime) -> AnonymizeCounts:
    """Anonymize every graduate of the class; flushes, the caller commits (all or nothing)."""
    counts = preview(class_of, now)
    for person in graduates(class_of):
        anonymize_person(person, by, now)
    if counts.people:
        library_changed()  # result cards show authors' names
    return counts


def anonymize_person(person: User, by: User | None, now: datetime) -> None:
    """Replace one graduate's identity by a placeholder, everywhere; see the module docstring."""
    if person.anonymized_at is not None:
        return
    # A teacher booking them meanwhile waits, then finds them deactivated (bookings.locks).
    lock_people(person.id)
    their = _their_rows([person.id])
    _leave(person, by, now)
    spellings = _spellings(person)
    parts = [p for p in person.full_name.split() if len(p) >= 2]
    strong = _pattern([*spellings, person.email])
    everything = _pattern([*spellings, person.email, *parts])
    new_name = placeholder_name(person)
    ids = [person.id]

    _remove_own_things(person, their)
    texts = [*spellings, *parts, person.email]
    allow_redaction(db.session())
    for model, columns, about_them in _text_columns(ids, their):
        _scrub(model, columns, about_them, strong, everything, new_name, texts)
    _scrub_outbox(strong, everything, [*spellings, person.email], new_name)
    record_status_change(person.id, AccessAction.ANONYMIZED, actor_id=by.id if by else None)
    forget_unused_words(db.session.connection(), _words_of(texts))

    person.full_name = new_name
    person.email = placeholder_email(person)
    person.password_hash = None
    person.feed_token_hash = None
    person.anonymized_at = now
    end_all_sessions(person)


def _leave(person: User, by: User | None, now: datetime) -> None:
    """Deactivate; their future sessions are cancelled with notice, their requests handed back."""
    for booking in db.session.scalars(_upcoming([person.id], now).order_by(Booking.starts_at)):
        cancel_for_departure(booking, by, now)
    for help_request in db.session.scalars(_claimed([person.id])):
        return_to_queue(help_request, by)
    person.is_active = False


def _remove_own_things(person: User, their: "_TheirRows") -> None:
    profile = db.session.get(MentorProfile, person.id)
    if profile is not None:
        profile.bio = ""
        profile.story = ""
    for reflection in db.session.scalars(
        select(Reflection).where(Reflection.author_id == person.id)
    ):
        for name in REFLECTION_TEXT:
            setattr(reflection, name, "")
    for report in db.session.scalars(
        select(SessionReport).where(SessionReport.author_id == person.id)
    ):
        for name in REPORT_TEXT:
            setattr(report, name, "")
    for response in db.session.scalars(
        select(SurveyResponse).where(SurveyResponse.respondent_id == person.id)
    ):
        for name in ANSWER_COLUMNS:
            setattr(response, name, "")
        response.picked = None
    for time_off in db.session.scalars(select(TimeOff).where(TimeOff.mentor_id == person.id)):
        time_off.note = ""
    for closing in db.session.scalars(
        select(PairingReflection).where(PairingReflection.author_id == person.id)
    ):
        for name, _question in CLOSING_QUESTIONS:
            setattr(closing, name, "")
    db.session.execute(
        delete(RequestScreenshot)
        .where(RequestScreenshot.id.in_(_screenshots(their.requests)))
        .execution_options(synchronize_session=False)
    )
    for model, column in (
        (Notification, Notification.user_id),
        (DeskPendingNotice, DeskPendingNotice.user_id),
    ):
        db.session.execute(
            delete(model).where(column == person.id).execution_options(synchronize_session=False)
        )
    db.session.execute(
        delete(OutboxMessage)
        .where(OutboxMessage.to_address == person.email)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()


def _spellings(person: User) -> list[str]:
    """How other people's text names them: "Maya Chen", "Maya C.", and first and last name
    alone for someone with a middle name."""
    parts = person.full_name.split()
    names = {person.full_name, person.display_name}
    if len(parts) > 2:
        names.add(f"{parts[0]} {parts[-1]}")
    return sorted(n for n in names if n)


def _pattern(texts: Iterable[str]) -> re.Pattern[str]:
    alternatives = sorted({t for t in texts if t}, key=len, reverse=True)
    joined = "|".join(re.escape(t) for t in alternatives)
    # Not inside a longer word: "Sam" is scrubbed from "Sam's" but not from "Samsung".
    return re.compile(rf"(?<!\w)(?:{joined})(?!(?<=\w)\w)", re.IGNORECASE)


@dataclass(frozen=True)
class _TheirRows:
    """The sessions, help requests and tips about them, read before leaving changes any link
    (a request handed back to the queue no longer names its mentor)."""

    bookings: list[int]
    requests: list[int]
    tips: list[int]


def _their_rows(ids: list[int]) -> _TheirRows:
    bookings = select(Booking.id).where(
        or_(Booking.mentor_id.in_(ids), Booking.teacher_id.in_(ids))
    )
    requests = select(HelpRequest.id).where(
        or_(
            HelpRequest.requester_id.in_(ids),
            HelpRequest.mentor_id.in_(ids),
            HelpRequest.resolved_by_id.in_(ids),
            HelpRequest.id.in_(
                select(RequestEvent.request_id).where(RequestEvent.actor_id.in_(ids))
            ),
        )
    )
    tips = select(Tip.id).where(
        or_(Tip.author_id.in_(ids), Tip.mentor_id.in_(ids), Tip.source_booking_id.in_(bookings))
    )
    return _TheirRows(
        *(list(db.session.scalars(statement)) for statement in (bookings, requests, tips))
    )


def _workshops(ids: list[int]):
    """Workshops they ran, proposed or had a place at."""
    return select(Workshop.id).where(
        or_(
            Workshop.proposed_by_id.in_(ids),
            Workshop.id.in_(
                select(WorkshopHost.workshop_id).where(WorkshopHost.mentor_id.in_(ids))
            ),
            Workshop.id.in_(
                select(WorkshopSeat.workshop_id).where(WorkshopSeat.teacher_id.in_(ids))
            ),
        )
    )


def _text_columns(
    ids: list[int], their: _TheirRows
) -> list[tuple[type, tuple[str, ...], ColumnElement[bool] | None]]:
    """Every column where people write free text, with the condition for "a row about them"."""
    bookings, requests, tips = their.bookings, their.requests, their.tips
    return [
        (
            Booking,
            ("topic", "learning_goal", "room", "meeting_url", "notes"),
            Booking.id.in_(bookings),
        ),
        (
            BookingEvent,
            ("reason",),
            or_(BookingEvent.booking_id.in_(bookings), BookingEvent.actor_id.in_(ids)),
        ),
        (
            Reflection,
            REFLECTION_TEXT,
            or_(Reflection.booking_id.in_(bookings), Reflection.workshop_id.in_(_workshops(ids))),
        ),
        (
            Workshop,
            ("title", "description", "room", "meeting_url", "decline_reason"),
            Workshop.id.in_(_workshops(ids)),
        ),
        (SessionReport, REPORT_TEXT, SessionReport.booking_id.in_(bookings)),
        (
            HelpRequest,
            ("summary", "details", "device", "room", "around"),
            HelpRequest.id.in_(requests),
        ),
        (
            RequestMessage,
            ("body",),
            or_(RequestMessage.request_id.in_(requests), RequestMessage.author_id.in_(ids)),
        ),
        (
            RequestEvent,
            ("reason",),
            or_(RequestEvent.request_id.in_(requests), RequestEvent.actor_id.in_(ids)),
        ),
        (Tip, ("title", "body", "body_text", "review_comment"), Tip.id.in_(tips)),
        (TipEvent, ("comment",), or_(TipEvent.tip_id.in_(tips), TipEvent.actor_id.in_(ids))),
        (Notification, ("message",), None),
        (MentorProfile, ("bio", "story"), None),
        (SurveyResponse, ANSWER_COLUMNS, None),
        (TimeOff, ("note",), TimeOff.mentor_id.in_(ids)),
        (Pairing, ("focus", "decline_reason"), _their_pairings(ids)),
        (
            PairingGoal,
            ("text",),
            PairingGoal.pairing_id.in_(select(Pairing.id).where(_their_pairings(ids))),
        ),
        (
            GoalUpdate,
            ("note",),
            or_(
                GoalUpdate.author_id.in_(ids),
                GoalUpdate.goal_id.in_(
                    select(PairingGoal.id)
                    .join(Pairing, Pairing.id == PairingGoal.pairing_id)
                    .where(_their_pairings(ids))
                ),
            ),
        ),
        (
            PairingReflection,
            tuple(name for name, _question in CLOSING_QUESTIONS),
            PairingReflection.pairing_id.in_(select(Pairing.id).where(_their_pairings(ids))),
        ),
        (HoursEntry, ("title", "description", "reason"), HoursEntry.person_id.in_(ids)),
        (
            HoursEvent,
            ("reason",),
            or_(
                HoursEvent.actor_id.in_(ids),
                HoursEvent.entry_id.in_(select(HoursEntry.id).where(HoursEntry.person_id.in_(ids))),
            ),
        ),
        (Certificate, ("snapshot", "revoke_reason"), Certificate.person_id.in_(ids)),
        (
            Concern,
            ("description", "subject_snapshot", "outcome"),
            or_(Concern.about_id.in_(ids), Concern.reporter_id.in_(ids)),
        ),
        (
            ConcernEvent,
            ("note",),
            or_(
                ConcernEvent.actor_id.in_(ids),
                ConcernEvent.concern_id.in_(
                    select(Concern.id).where(
                        or_(Concern.about_id.in_(ids), Concern.reporter_id.in_(ids))
                    )
                ),
            ),
        ),
    ]


def _their_pairings(ids: list[int]) -> ColumnElement[bool]:
    return or_(Pairing.teacher_id.in_(ids), Pairing.mentor_id.in_(ids))


def _mentions(model: type, columns: tuple[str, ...], texts: list[str]) -> ColumnElement[bool]:
    """A coarse database filter (any column contains any text); the pattern decides after."""
    return or_(
        *(
            func.lower(getattr(model, column)).contains(text.lower(), autoescape=True)
            for column in columns
            for text in texts
        )
    )


def _scrub(
    model: type,
    columns: tuple[str, ...],
    about_them: ColumnElement[bool] | None,
    strong: re.Pattern[str],
    everything: re.Pattern[str],
    new_name: str,
    texts: list[str],
) -> None:
    rows = db.session.scalars(select(model).where(_mentions(model, columns, texts))).all()
    linked_keys: set[int] = set()
    if rows and about_them is not None:
        linked_keys = set(db.session.scalars(select(_key_column(model)).where(about_them)))
    for row in rows:
        # A row about them, or one that names them in full, means them by a first name too.
        names_them = any(strong.search(getattr(row, column) or "") for column in columns)
        pattern = everything if names_them or _key(row) in linked_keys else strong
        for column in columns:
            value = getattr(row, column)
            replaced = _replace(pattern, value, new_name)
            if replaced != value:
                setattr(row, column, replaced)
    db.session.flush()


def _replace(pattern: re.Pattern[str], value: str | None, new_name: str) -> str | None:
    return pattern.sub(new_name, value) if value else value


def _key_column(model: type):
    return {SessionReport: SessionReport.booking_id, MentorProfile: MentorProfile.user_id}.get(
        model, getattr(model, "id", None)
    )


def _key(row) -> int:
    return getattr(row, _key_column(type(row)).key)


def _scrub_outbox(
    strong: re.Pattern[str], everything: re.Pattern[str], texts: list[str], new_name: str
) -> None:
    """Mail to other people that names them (a teacher's "Mentor: Maya C."); a message that
    names them in full means them by their first name too ("Thanks, Maya")."""
    for message in db.session.scalars(
        select(OutboxMessage).where(
            or_(
                _mentions(OutboxMessage, ("subject", "body"), texts),
                # iCalendar folds long lines, so a name may be split: look for its first word.
                _mentions(OutboxMessage, ("calendar_data",), [t.split()[0] for t in texts]),
            )
        )
    ):
        calendar = message.calendar_data
        if calendar:
            message.calendar_data = _scrub_calendar(calendar, texts, new_name)
        names_them = calendar != message.calendar_data or any(
            strong.search(text) for text in (message.subject, message.body)
        )
        pattern = everything if names_them else strong
        message.subject = _replace(pattern, message.subject, new_name)
        message.body = _replace(pattern, message.body, new_name)
    db.session.flush()


_FOLD = re.compile(r"\r?\n[ \t]")


def _scrub_calendar(data: str, spellings: list[str], new_name: str) -> str:
    """Unfold, replace (the text may be escaped, so without word boundaries), fold again."""
    unfolded = _FOLD.sub("", data)
    pattern = re.compile(
        "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True)), re.IGNORECASE
    )
    replaced = pattern.sub(new_name, unfolded)
    if replaced == unfolded:
        return data
    return "\r\n".join(_fold(line) for line in replaced.split("\r\n"))


def _fold(line: str, limit: int = 75) -> str:
    """RFC 5545 3.1: lines of at most 75 octets, continued with a leading space."""
    pieces: list[str] = []
    current = ""
    for char in line:
        room = limit if not pieces else limit - 1
        if len((current + char).encode()) > room:
            pieces.append(current)
            current = ""
        current += char
    pieces.append(current)
    return "\r\n ".join(pieces)


def _words_of(texts: Iterable[str]) -> set[str]:
    return {word.lower() for text in texts for word in re.findall(r"\w+", text)}
