"""The help desk's lists, kept between requests: a mentor opening the desk again sees the same
page from memory until anything it shows changes (helpdesk.stamped_cache).

Every transaction that writes a help request, a topic, a mentor's skills, a user's name, role or
school, a school calendar or the desk's settings renews the DESK stamp as it commits. Keys also
carry the minute: the school hours waited and the overdue marks move with the clock, so they may
lag it by less than a minute.
"""

from datetime import datetime, timedelta

from helpdesk.calendar.models import SCHOOL_CALENDAR_TABLES
from helpdesk.stamped_cache import StampedCache
from helpdesk.stamps import renew_on_change

DESK = "help-desk"
SCOPE_LENGTH = timedelta(minutes=1)
cache = StampedCache("help-desk", size=2048, lifetime=timedelta(hours=1))

renew_on_change(
    DESK,
    {
        "help_request": None,
        "skill": None,
        "mentor_skill": None,
        "desk_settings": None,
        **SCHOOL_CALENDAR_TABLES,
        "user_account": {"full_name", "role", "school_id", "school", "is_active"},
    },
)


def scope(now: datetime) -> tuple | None:
    return cache.scope(DESK, now, SCOPE_LENGTH)
