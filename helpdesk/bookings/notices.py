"""What each side is told, by email and in the app, when a session changes.

A student's email address never goes to a teacher: each email has one recipient, and calendar
invitations name only that recipient as attendee.
"""

from datetime import datetime

from helpdesk.accounts.models import Role, User
from helpdesk.bookings.calendars import session_ics
from helpdesk.bookings.models import Booking
from helpdesk.extensions import db
from helpdesk.formatting import local_span, local_time, plural, zone_name
from helpdesk.links import absolute_url
from helpdesk.mail.services import CalendarPart, send_email
from helpdesk.notifications.services import notify


def when(booking: Booking, at: datetime | None = None) -> str:
    """ "Thu, Dec 3, 2026, 10:45–11:15 AM Eastern Time (30 minutes)", in the school's zone."""
    school = booking.mentor.school
    length = booking.ends_at - booking.starts_at
    start = at or booking.starts_at
    span = local_span(start, start + length, school.timezone, school.locale)
    minutes = plural(int(length.total_seconds() // 60), "minute", locale=school.locale)
    return f"{span} {zone_name(school.timezone, school.locale)} ({minutes})"


def _advisors() -> list[User]:
    return list(
        db.session.scalars(
            db.select(User).where(User.role == Role.ADVISOR, User.is_active.is_(True))
        )
    )


def _page(booking: Booking) -> str:
    return absolute_url("bookings.show", booking_id=booking.id)


def _mail(user: User, subject: str, body: str, booking: Booking, method: str | None = None) -> None:
    calendar = (
        CalendarPart(method, session_ics(booking, user, method=method), "session.ics")
        if method
        else None
    )
    send_email(
        user.email,
        subject,
        f"Hello {user.first_name},\n\n{body}\n\nSession page: {_page(booking)}\n",
        calendar,
    )


def _summary(booking: Booking) -> str:
    place = booking.room if booking.room else "online"
    return (
        f"Topic: {booking.topic}\nWhen: {when(booking)}\nWhere: {place}\n"
        f"Teacher: {booking.teacher.full_name}\nMentor: {booking.mentor.display_name}\n"
        f"Learning goal: {booking.learning_goal}"
    )


def requested(booking: Booking) -> None:
    link = f"/sessions/{booking.id}"
    notify(_advisors(), f"New session request: {booking.topic} ({booking.teacher.full_name})", link)
    notify(
        [booking.mentor], f"{booking.teacher.full_name} asked for a session: {booking.topic}", link
    )
    for advisor in _advisors():
        _mail(
            advisor,
            f"Session request to approve: {booking.topic}",
            f"A session is waiting for your approval.\n\n{_summary(booking)}",
            booking,
        )
    _mail(
        booking.mentor,
        f"New session request: {booking.topic}",
        f"A teacher asked for a session with you. The advisor will approve it.\n\n{_summary(booking)}",
        booking,
    )


def approved(booking: Booking) -> None:
    link = f"/sessions/{booking.id}"
    notify(
        [booking.teacher, booking.mentor],
        f"Session approved: {booking.topic}, {when(booking)}",
        link,
    )
    for user in (booking.teacher, booking.mentor):
        _mail(
            user,
            f"Session approved: {booking.topic}",
            f"Your session is approved. The invitation is attached.\n\n{_summary(booking)}",
            booking,
            "REQUEST",
        )


def declined(booking: Booking, reason: str) -> None:
    notify(
        [booking.teacher], f"Session request declined: {booking.topic}", f"/sessions/{booking.id}"
    )
    _mail(
        booking.teacher,
        f"Session request declined: {booking.topic}",
        f"Your request was declined.\nReason: {reason}\n\n{_summary(booking)}",
        booking,
    )


def cancelled(booking: Booking, reason: str, actor: User, with_calendar: bool) -> None:
    method = "CANCEL" if with_calendar else None
    for user in (booking.teacher, booking.mentor):
        if user.id == actor.id:
            continue
        notify([user], f"Session cancelled: {booking.topic}", f"/sessions/{booking.id}")
        _mail(
            user,
            f"Session cancelled: {booking.topic}",
            f"This session is cancelled.\nReason: {reason}\n\n{_summary(booking)}",
            booking,
            method,
        )
    if with_calendar and actor.id in (booking.teacher_id, booking.mentor_id):
        _mail(
            actor,
            f"Session cancelled: {booking.topic}",
            "You cancelled this session; the attached update removes it from your calendar.",
            booking,
            method,
        )


def mentor_left(booking: Booking, others: list[User], with_calendar: bool) -> None:
    method = "CANCEL" if with_calendar else None
    if others:
        names = ", ".join(mentor.display_name for mentor in others)
        offer = (
            f"Other mentors who can teach this at the same time: {names}. "
            "Book one from Find a mentor."
        )
    else:
        offer = (
            "No other mentor is free for this topic at that time; Find a mentor shows other times."
        )
    notify(
        [booking.teacher],
        f"Session cancelled, the mentor left the program: {booking.topic}",
        f"/sessions/{booking.id}",
    )
    _mail(
        booking.teacher,
        f"Session cancelled: {booking.topic}",
        f"{booking.mentor.display_name} has left the student tech team, so this session is "
        f"cancelled.\n\n{offer}\n\n{_summary(booking)}",
        booking,
        method,
    )
    if with_calendar:
        _mail(
            booking.mentor,
            f"Session cancelled: {booking.topic}",
            "You have left the program; the attached update removes this session from your calendar.",
            booking,
            method,
        )


def reassigned(booking: Booking, previous: User) -> None:
    notify([previous], f"Session moved to another mentor: {booking.topic}", "")
    notify(
        [booking.mentor, booking.teacher],
        f"Session mentor changed: {booking.topic}",
        f"/sessions/{booking.id}",
    )
    send_email(
        previous.email,
        f"Session reassigned: {booking.topic}",
        f"Hello {previous.first_name},\n\nThe advisor gave this session to another mentor; you are free at that time.\n",
    )
    method = "REQUEST" if booking.status.value == "approved" else None
    _mail(
        booking.mentor,
        f"Session assigned to you: {booking.topic}",
        f"The advisor assigned you this session.\n\n{_summary(booking)}",
        booking,
        method,
    )
    _mail(
        booking.teacher,
        f"Your session has a new mentor: {booking.topic}",
        f"Your session now has another mentor.\n\n{_summary(booking)}",
        booking,
        method,
    )


def rescheduled(booking: Booking, old_start: datetime) -> None:
    notify(
        [booking.teacher, booking.mentor],
        f"Session moved: {booking.topic}, now {when(booking)}",
        f"/sessions/{booking.id}",
    )
    for user in (booking.teacher, booking.mentor):
        _mail(
            user,
            f"Session moved: {booking.topic}",
            f"This session moved from {when(booking, old_start)} to {when(booking)}.\n\n{_summary(booking)}",
            booking,
            "REQUEST",
        )


def expired(booking: Booking) -> None:
    notify(
        [booking.teacher], f"Session request expired: {booking.topic}", f"/sessions/{booking.id}"
    )
    _mail(
        booking.teacher,
        f"Session request expired: {booking.topic}",
        "Your request was not approved in time, so the slot is free again. Please choose another time.",
        booking,
    )


def reminder(booking: Booking) -> None:
    for user in (booking.teacher, booking.mentor):
        _mail(
            user,
            f"Reminder: {booking.topic} {when(booking)}",
            f"A reminder of your session.\n\n{_summary(booking)}",
            booking,
        )


def closed(booking: Booking, reason: str, offers: list, with_calendar: bool) -> None:
    school = booking.mentor.school
    times = (
        "\n".join(
            f"- {local_time(slot.start_at, school.timezone, school.locale)}" for slot in offers
        )
        or "- none in the next two weeks"
    )
    method = "CANCEL" if with_calendar else None
    notify(
        [booking.teacher, booking.mentor],
        f"Session cancelled, school closed: {booking.topic}",
        f"/sessions/{booking.id}",
    )
    _mail(
        booking.teacher,
        f"School closed: session cancelled ({booking.topic})",
        f"The school is closed ({reason}), so this session is cancelled.\n\n{booking.mentor.display_name}'s next open times:\n{times}\n\nBook one from Find a mentor.",
        booking,
        method,
    )
    _mail(
        booking.mentor,
        f"School closed: session cancelled ({booking.topic})",
        f"The school is closed ({reason}), so this session is cancelled.",
        booking,
        method,
    )


def advisor_digest(waiting: list[Booking], now: datetime) -> None:
    lines = [
        f"- {b.topic} ({b.teacher.full_name}), waiting {plural(int((now - b.created_at).total_seconds() // 3600), 'hour')}"
        for b in waiting
    ]
    verb = "waits" if len(waiting) == 1 else "wait"
    subject = f"{plural(len(waiting), 'session request')} {verb} for approval"
    for advisor in _advisors():
        notify([advisor], subject, "/sessions/queue")
        send_email(
            advisor.email,
            subject,
            "Waiting, oldest first:\n"
            + "\n".join(lines)
            + f"\n\n{absolute_url('bookings.queue')}\n",
        )
