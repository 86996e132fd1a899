"""The finder's work, kept between searches: candidates, this week's load and open slots.

Every transaction that writes a session, an availability window, time off, a mentor's profile
or skills, a user's name, school or status, a school calendar, the program's rules or a
reflection (its rating) renews the AVAILABILITY stamp as it commits (helpdesk.stamps), and
entries are keyed by that stamp, so none outlives its data. Keys also carry the hour
(SCOPE_LENGTH): slots are computed at its start with a horizon an hour longer, and each search
cuts them to its own moment and dates (helpdesk.availability.slots.still_bookable). Booking
itself never reads from here; it checks the slot against the database as it writes.
"""

from collections.abc import Callable, Hashable
from datetime import datetime, timedelta
from typing import TypeVar

from helpdesk.stamps import current_stamp, has_pending_changes, renew_on_change

AVAILABILITY = "mentor-availability"
CACHE_SIZE = 8192
SCOPE_LENGTH = timedelta(hours=1)
_MISSING = object()
T = TypeVar("T")

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
        "school": None,
        "bell_schedule": None,
        "period": None,
        "day_type": None,
        "day_exception": None,
        "closure": None,
        "reflection": None,  # a teacher's ratings: their good past sessions with a mentor
        "user_account": {"full_name", "role", "school_id", "school", "grade", "is_active"},
    },
)

_cache: dict[Hashable, object] = {}


def cache_scope(now: datetime) -> tuple | None:
    """The key prefix for this moment's data; None (do not cache) when this transaction changed
    any of it or the stamp does not exist yet."""
    if has_pending_changes(AVAILABILITY):
        return None
    stamp = current_stamp(AVAILABILITY)
    if stamp is None:
        return None
    return (stamp, now.replace(minute=0, second=0, microsecond=0))


def get(key: Hashable, default=_MISSING):
    return _cache.get(key, default)


def put(key: Hashable, value: object) -> None:
    if len(_cache) >= CACHE_SIZE:
        _cache.clear()
    _cache[key] = value


def is_missing(value: object) -> bool:
    return value is _MISSING


def remember(key: tuple, produce: Callable[[], T]) -> T:
    """The value cached under key, produced and kept if missing; key[0] is the scope (None:
    nothing may be cached, produce it afresh)."""
    if key[0] is None:
        return produce()
    value = _cache.get(key, _MISSING)
    if value is _MISSING:
        value = produce()
        put(key, value)
    return value
