"""What people are told, in the app and by email (the outbox), when a workshop changes.

Each email has one recipient; a mentor's email never goes to a teacher, and no email names
anyone's contact details.
"""

from helpdesk.accounts.models import Role, User
from helpdesk.extensions import db
from helpdesk.formatting import local_span, zone_name
from helpdesk.links import absolute_url
from helpdesk.mail.services import CalendarPart, send_email
from helpdesk.notifications.services import notify
from helpdesk.workshops.calendars import workshop_ics
from helpdesk.workshops.models import Workshop


def when(workshop: Workshop) -> str:
    school = workshop.hosts[0].mentor.school if workshop.hosts else None
    zone = school.timezone if school else "America/New_York"
    locale = school.locale if school else None
    span = local_span(workshop.starts_at, workshop.ends_at, zone, locale)
    return f"{span} {zone_name(zone, locale)}"


def _link(workshop: Workshop) -> str:
    return f"/workshops/{workshop.id}"


def _advisors() -> list[User]:
    return list(
        db.session.scalars(
            db.select(User).where(User.role == Role.ADVISOR, User.is_active.is_(True))
        )
    )


def _mentors(workshop: Workshop) -> list[User]:
    return [host.mentor for host in workshop.hosts]


def _mail(user: User, subject: str, body: str, workshop: Workshop, method: str | None = None):
    calendar = (
        CalendarPart(method, workshop_ics(workshop, user, method=method), "workshop.ics")
        if method
        else None
    )
    page = absolute_url("workshops.show", workshop_id=workshop.id)
    send_email(
        user.email,
        subject,
        f"Hello {user.first_name},\n\n{body}\n\nWorkshop page: {page}\n",
        calendar,
    )


def _summary(workshop: Workshop) -> str:
    place = workshop.room if workshop.room else "online"
    mentors = ", ".join(m.display_name for m in _mentors(workshop))
    return (
        f"Workshop: {workshop.title}\nWhen: {when(workshop)}\nWhere: {place}\n"
        f"Mentors: {mentors}\nSeats: {workshop.seats}"
    )


def proposed(workshop: Workshop, proposer: User) -> None:
    notify(_advisors(), f"Workshop to approve: {workshop.title}", _link(workshop))
    others = [m for m in _mentors(workshop) if m.id != proposer.id]
    notify(others, f"{proposer.display_name} added you to a workshop: {workshop.title}",
           _link(workshop))  # fmt: skip
    for advisor in _advisors():
        _mail(
            advisor,
            f"Workshop to approve: {workshop.title}",
            f"A workshop is waiting for your approval.\n\n{_summary(workshop)}",
            workshop,
        )


def approved(workshop: Workshop) -> None:
    notify(_mentors(workshop), f"Workshop approved: {workshop.title}", _link(workshop))
    for mentor in _mentors(workshop):
        _mail(
            mentor,
            f"Workshop approved: {workshop.title}",
            f"Your workshop is approved; teachers can sign up now.\n\n{_summary(workshop)}",
            workshop,
            "REQUEST",
        )


def declined(workshop: Workshop) -> None:
    notify(_mentors(workshop), f"Workshop declined: {workshop.title}", _link(workshop))
    for mentor in _mentors(workshop):
        _mail(
            mentor,
            f"Workshop declined: {workshop.title}",
            f"The advisor declined your workshop.\n\nReason: {workshop.decline_reason}\n\n"
            f"{_summary(workshop)}",
            workshop,
        )


def cancelled(workshop: Workshop, actor: User, seats) -> None:
    people = [m for m in _mentors(workshop) if m.id != actor.id] + [s.teacher for s in seats]
    notify(people, f"Workshop cancelled: {workshop.title}", _link(workshop))
    for person in people:
        _mail(
            person,
            f"Workshop cancelled: {workshop.title}",
            f"This workshop is cancelled.\n\nReason: {workshop.decline_reason}\n\n"
            f"{_summary(workshop)}",
            workshop,
            "CANCEL",
        )


def promoted(workshop: Workshop, teacher: User) -> None:
    notify([teacher], f"You have a seat at “{workshop.title}”", _link(workshop))
    _mail(
        teacher,
        f"You have a seat: {workshop.title}",
        "A seat came free and it is yours: you were first on the waitlist. If you cannot come, "
        f"leave the workshop on its page so the next teacher gets the seat.\n\n{_summary(workshop)}",
        workshop,
        "REQUEST",
    )


def attended(workshop: Workshop, attendees: list[User]) -> None:
    notify(attendees, f"How did it go? Reflect on “{workshop.title}”",
           _link(workshop) + "#reflect")  # fmt: skip


def kudos(workshop: Workshop, author: User, text: str) -> None:
    notify(_mentors(workshop), f"Kudos from {author.full_name}: {text}", _link(workshop))
