"""The finder's work, kept between searches: candidates, this week's load and open slots.

Every transaction that writes a session, an availability window, time off, a mentor's profile
or skills, a user's name, school or status, a school calendar, the program's rules or a
reflection (its rating) renews the AVAILABILITY stamp as it commits (helpdesk.stamps), and
entries are keyed by that stamp, so none outlives its data. Keys also carry the hour
(SCOPE_LENGTH): slots are computed at its start with a horizon an hour longer, and each search
cuts them to its own moment and dates (helpdesk.availability.slots.still_bookable). Booking
itself never reads from here; it checks the slot against the database as it writes.
"""

from datetime import datetime, timedelta

from helpdesk.calendar.models import SCHOOL_CALENDAR_TABLES
from helpdesk.stamped_cache import StampedCache
from helpdesk.stamps import renew_on_change

AVAILABILITY = "mentor-availability"
SCOPE_LENGTH = timedelta(hours=1)
cache = StampedCache(AVAILABILITY, size=8192)

renew_on_change(
    AVAILABILITY,
    {
        "booking": None,
        "availability_window": None,
        "time_off": None,
        "mentor_profile": None,
        "mentor_skill": None,
        "skill": None,
        "program_settings": None,
        **SCHOOL_CALENDAR_TABLES,
        "reflection": None,  # a teacher's ratings: their good past sessions with a mentor
        "user_account": {
            "full_name",
            "email",
            "role",
            "school_id",
            "school",
            "grade",
            "is_active",
        },  # fmt: skip
    },
)


def cache_scope(now: datetime) -> tuple | None:
    """The key prefix for this hour's data; None: compute afresh (see StampedCache.scope)."""
    return cache.scope(now, SCOPE_LENGTH)


get, put, remember = cache.get, cache.put, cache.remember
