"""Which links each role sees in the main navigation, and how they are grouped."""

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

    def is_current(self, endpoint: str | None) -> bool:
        return endpoint == self.endpoint


@dataclass(frozen=True)
class NavGroup:
    """A few related links behind one button: a dropdown on a desktop, a fold in the phone menu."""

    label: str
    links: tuple[NavLink, ...]

    def is_current(self, endpoint: str | None) -> bool:
        return any(link.is_current(endpoint) for link in self.links)


NavItem = NavLink | NavGroup

NAVIGATION: dict[Role, tuple[NavItem, ...]] = {
    # Grouped so the header stays one row at 1280 px beside the account links.
    Role.TEACHER: (
        NavLink("main.home", "Home"),
        NavLink("finder.find", "Find a mentor"),
        NavGroup(
            "Sessions",
            (
                NavLink("bookings.mine", "My sessions"),
                NavLink("pairings.index", "Pairings"),
                NavLink("workshops.index", "Workshops"),
                NavLink("hours.mine", "My hours"),
            ),
        ),
        NavLink("requests.index", "Help requests"),
        NavLink("tips.library", "Tip library"),
    ),  # Recognition: a link on the home page
    Role.MENTOR: (
        NavLink("main.home", "Home"),
        NavGroup(
            "Sessions",
            (
                NavLink("bookings.mine", "My sessions"),
                NavLink("pairings.index", "Pairings"),
                NavLink("workshops.index", "Workshops"),
                NavLink("hours.mine", "My hours"),
            ),
        ),
        NavGroup(
            "Me",
            (
                NavLink("mentors.edit_profile", "My profile"),
                NavLink("availability.index", "Availability"),
                NavLink("recognition.index", "Recognition"),
            ),
        ),
        NavLink("requests.index", "Help requests"),
        NavLink("tips.library", "Tip library"),
    ),
    Role.STAFF: (
        NavLink("main.home", "Home"),
        NavLink("workshops.index", "Workshops"),
        NavLink("requests.index", "Help requests"),
        NavLink("tips.library", "Tip library"),
        NavLink("recognition.index", "Recognition"),
    ),
    # Fifteen links do not fit one row beside the account links: six groups and Home do.
    Role.ADVISOR: (
        NavLink("main.home", "Home"),
        NavGroup(
            "Program",
            (
                NavLink("dashboard.index", "Dashboard"),
                NavLink("surveys.index", "Surveys"),
                NavLink("dashboard.report", "Board report"),
            ),
        ),
        NavGroup(
            "Sessions",
            (
                NavLink("bookings.queue", "Approvals"),
                NavLink("bookings.week", "Calendar"),
                NavLink("finder.find", "Find a mentor"),
                NavLink("pairings.index", "Pairings"),
                NavLink("pairings.health", "Pairing health"),
                NavLink("workshops.queue", "Workshops"),
            ),
        ),
        NavGroup(
            "Help desk",
            (
                NavLink("requests.index", "Help requests"),
                NavLink("requests.report", "Help desk report"),
            ),
        ),
        NavGroup(
            "Tips",
            (
                NavLink("tips.library", "Tip library"),
                NavLink("tips.review", "Review tips"),
            ),
        ),
        NavGroup(
            "People",
            (
                NavLink("people.index", "People"),
                NavLink("skills.index", "Skills"),
                NavLink("recognition.index", "Recognition"),
                NavLink("access_log.index", "Access log"),
                NavLink("hours.index", "Hours ledger"),
            ),
        ),
        NavGroup(
            "Settings",
            (
                NavLink("school_calendar.index", "School calendar"),
                NavLink("availability.settings", "Program settings"),
                NavLink("requests.settings", "Help desk targets"),
                NavLink("hours.settings", "Hours settings"),
                NavLink("safeguarding.settings", "Safeguarding"),
                NavLink("mail.outbox", "Outbox"),
            ),
        ),
    ),
}


def unread_notifications(user) -> int:
    from helpdesk.notifications.services import unread_count

    return unread_count(user) if getattr(user, "is_authenticated", False) else 0


def navigation_for(user) -> tuple[NavItem, ...]:
    if not getattr(user, "is_authenticated", False):
        return ()
    return NAVIGATION[user.role]


def links_of(items: tuple[NavItem, ...]) -> list[NavLink]:
    """Every link, groups opened, in the order they show."""
    links: list[NavLink] = []
    for item in items:
        links.extend(item.links if isinstance(item, NavGroup) else (item,))
    return links
