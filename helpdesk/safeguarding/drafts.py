"""The people named in a session or a help request, and their names taken out of a draft tip
made from it: the tip is for the whole district, the session was between two people."""

from collections.abc import Iterable

from helpdesk.accounts.models import Role, User
from helpdesk.safeguarding.names import Person, remove_names

STANDS_FOR = {
    Role.TEACHER: "the teacher",
    Role.MENTOR: "the mentor",
    Role.STAFF: "the staff member",
    Role.ADVISOR: "the advisor",
}


def without_names(text: str, users: Iterable[User | None]) -> str:
    """The text with each user's first, last and full name replaced by their role."""
    people = {
        user.id: Person(user.full_name, STANDS_FOR[user.role]) for user in users if user is not None
    }
    return remove_names(text, people.values())


def people_of_request(help_request) -> list[User]:
    """Everyone whose name a help request's text may hold: the requester, the mentors, and
    whoever wrote in its thread."""
    return [
        help_request.requester,
        help_request.mentor,
        help_request.resolved_by,
        *(message.author for message in help_request.messages),
    ]


def people_of_booking(booking) -> list[User]:
    return [booking.teacher, booking.mentor]
