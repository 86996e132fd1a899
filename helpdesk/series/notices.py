"""What each side is told about a weekly series: one notice per change, with all its dates.

Calendar scheme (see helpdesk.calendar.ics_export.published_calendar): every date is its own
event with its own stable UID (the session's), never an RRULE. Feeds carry each date; a
cancelled date stays in the feed as STATUS:CANCELLED with a higher SEQUENCE on that UID only.
Google, Outlook and Apple all handle single events and per-UID updates, while an RRULE with
EXDATEs for closures, moved early-dismissal periods and single cancellations is where their
implementations differ. A series' approval or cancellation is one email per person listing the
dates, with a METHOD:PUBLISH file of those dates (import or update by UID); one date's own
changes (cancel one, reschedule) keep the iTIP REQUEST/CANCEL of helpdesk.bookings.notices.
"""

from helpdesk.accounts.models import User
from helpdesk.bookings.calendars import session_event
from helpdesk.bookings.models import Booking
from helpdesk.bookings.notices import _advisors, when
from helpdesk.calendar.ics_export import published_calendar
from helpdesk.links import absolute_url
from helpdesk.mail.services import CalendarPart, send_email
from helpdesk.notifications.services import notify


def _link(series) -> str:
    return f"/series/{series.id}"


def _dates(bookings: list[Booking]) -> str:
    return "\n".join(f"- {when(b)}" for b in bookings)


def _summary(series, bookings: list[Booking]) -> str:
    first = bookings[0]
    place = first.room if first.room else "online"
    return (
        f"Topic: {first.topic}\nWhere: {place}\nTeacher: {series.teacher.full_name}\n"
        f"Mentor: {series.mentor.display_name}\nLearning goal: {first.learning_goal}\n\n"
        f"Dates:\n{_dates(bookings)}"
    )


def _mail(user: User, subject: str, body: str, series, bookings=None) -> None:
    calendar = None
    if bookings:
        events = [session_event(b, user) for b in bookings]
        calendar = CalendarPart("PUBLISH", published_calendar(events), "series.ics")
    send_email(
        user.email,
        subject,
        f"Hello {user.first_name},\n\n{body}\n\n"
        f"Series page: {absolute_url('series.show', series_id=series.id)}\n",
        calendar,
    )


def _count(bookings) -> str:
    return f"{len(bookings)} weekly session{'s' if len(bookings) != 1 else ''}"


def requested(series, bookings: list[Booking], actor: User) -> None:
    topic = bookings[0].topic
    notify(
        _advisors(),
        f"Weekly series to approve: {topic} ({series.teacher.full_name}), {_count(bookings)}",
        _link(series),
    )
    told = [series.mentor] + ([series.teacher] if actor.id != series.teacher_id else [])
    notify(told, f"Weekly series requested: {topic}, {_count(bookings)}", _link(series))
    for advisor in _advisors():
        _mail(
            advisor,
            f"Weekly series to approve: {topic}",
            f"A weekly series is waiting for your approval.\n\n{_summary(series, bookings)}",
            series,
        )
    for user in told:
        _mail(
            user,
            f"Weekly series requested: {topic}",
            f"A weekly series of sessions was requested. The advisor will approve it.\n\n"
            f"{_summary(series, bookings)}",
            series,
        )


def approved(series, bookings: list[Booking]) -> None:
    topic = bookings[0].topic
    notify(
        [series.teacher, series.mentor],
        f"Weekly series approved: {topic}, {_count(bookings)}",
        _link(series),
    )
    for user in (series.teacher, series.mentor):
        _mail(
            user,
            f"Weekly series approved: {topic}",
            "These sessions are approved. The attached file adds them to your calendar; "
            "your Helpdesk calendar feed shows them too.\n\n" + _summary(series, bookings),
            series,
            bookings,
        )


def declined(series, bookings: list[Booking], reason: str) -> None:
    topic = bookings[0].topic
    notify([series.teacher], f"Weekly series declined: {topic}", _link(series))
    _mail(
        series.teacher,
        f"Weekly series declined: {topic}",
        f"Your weekly series was declined.\nReason: {reason}\n\n{_summary(series, bookings)}",
        series,
    )


def cancelled(series, cancelled: list[tuple[Booking, bool]], reason: str, actor: User) -> None:
    """One notice for the rest of a series; the calendar file only when some were approved
    (only those reached anyone's calendar)."""
    bookings = [b for b, _ in cancelled]
    approved = [b for b, was_approved in cancelled if was_approved]
    topic = bookings[0].topic
    for user in (series.teacher, series.mentor):
        if user.id == actor.id:
            if approved:
                _mail(
                    user,
                    f"Weekly series cancelled: {topic}",
                    "You cancelled these sessions; the attached file marks them cancelled in "
                    "your calendar.\n\n" + _dates(bookings),
                    series,
                    approved,
                )
            continue
        notify([user], f"Weekly series cancelled: {topic}, {_count(bookings)}", _link(series))
        _mail(
            user,
            f"Weekly series cancelled: {topic}",
            f"These sessions are cancelled.\nReason: {reason}\n\n{_summary(series, bookings)}",
            series,
            approved,
        )
