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
    ),
    Role.MENTOR: (
        NavLink("main.home", "Home"),
        NavLink("mentors.edit_profile", "My profile"),
        NavLink("availability.index", "Availability"),
    ),
    Role.STAFF: (NavLink("main.home", "Home"),),
    Role.ADVISOR: (
        NavLink("main.home", "Home"),
        NavLink("finder.find", "Find a mentor"),
        NavLink("people.index", "People"),
        NavLink("skills.index", "Skills"),
        NavLink("school_calendar.index", "School calendar"),
        NavLink("availability.settings", "Settings"),
        NavLink("mail.outbox", "Outbox"),
    ),
}


def navigation_for(user) -> tuple[NavLink, ...]:
    if not getattr(user, "is_authenticated", False):
        return ()
    return NAVIGATION[user.role]
