"""Which links each role sees in the main navigation."""

from dataclasses import dataclass

from flask import url_for

from helpdesk.accounts.models import Role


@dataclass(frozen=True)
class NavLink:
    endpoint: str
    label: str

    @property
    def url(self) -> str:
        return url_for(self.endpoint)


NAVIGATION: dict[Role, tuple[NavLink, ...]] = {
    Role.TEACHER: (
        NavLink("main.home", "Home"),
        NavLink("finder.find", "Find a mentor"),
        NavLink("bookings.mine", "My sessions"),
        NavLink("requests.index", "Help requests"),
        NavLink("tips.library", "Tip library"),
    ),
    Role.MENTOR: (
        NavLink("main.home", "Home"),
        NavLink("bookings.mine", "My sessions"),
        NavLink("mentors.edit_profile", "My profile"),
        NavLink("availability.index", "Availability"),
        NavLink("requests.index", "Help requests"),
        NavLink("tips.library", "Tip library"),
    ),
    Role.STAFF: (
        NavLink("main.home", "Home"),
        NavLink("requests.index", "Help requests"),
        NavLink("tips.library", "Tip library"),
    ),
    Role.ADVISOR: (
        NavLink("main.home", "Home"),
        NavLink("bookings.queue", "Approvals"),
        NavLink("bookings.week", "Calendar"),
        NavLink("requests.index", "Help requests"),
        NavLink("finder.find", "Find a mentor"),
        NavLink("people.index", "People"),
        NavLink("skills.index", "Skills"),
        NavLink("school_calendar.index", "School calendar"),
        NavLink("availability.settings", "Settings"),
        NavLink("tips.library", "Tip library"),
        NavLink("tips.review", "Review tips"),
        NavLink("mail.outbox", "Outbox"),
    ),
}


def unread_notifications(user) -> int:
    from helpdesk.notifications.services import unread_count

    return unread_count(user) if getattr(user, "is_authenticated", False) else 0


def navigation_for(user) -> tuple[NavLink, ...]:
    if not getattr(user, "is_authenticated", False):
        return ()
    return NAVIGATION[user.role]
