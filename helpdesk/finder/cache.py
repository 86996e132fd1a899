"""The finder's work, kept between searches: candidates, each mentor's load and open slots.

Two kinds of stamp cover it (helpdesk.stamps), each renewed as the change that needs it commits:

- AVAILABILITY, district-wide, for what changes rarely and everyone sees: topics, who offers
  which topic at what level, a mentor's cap or online offer, people's names, schools and roles,
  school calendars and the program's rules. Every key starts with it.
- `person_stamp(id)`, one person's: their sessions (as mentor or teacher), availability windows,
  time off, profile text and ratings they gave. A mentor's load, slots and card carry their own,
  a teacher's good past sessions theirs; a booking for one mentor leaves every other mentor's
  entries in place.

The approval queue (helpdesk.bookings.list_cache) reads QUEUE_STRIPES stamps, each renewed by
the requests of a share of the mentors, so no one stamp row takes every booking.

Keys also carry the hour (SCOPE_LENGTH): slots are computed at its start with a horizon an hour
longer, and each search cuts them to its own moment and dates
(helpdesk.availability.slots.still_bookable). Booking itself never reads from here; it checks the
slot against the database as it writes.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from helpdesk.bookings.models import BookingStatus
from helpdesk.calendar.models import SCHOOL_CALENDAR_TABLES
from helpdesk.stamped_cache import StampedCache
from helpdesk.stamps import read_stamps, renew_on_change, renew_on_row_change

AVAILABILITY = "mentor-availability"
SCOPE_LENGTH = timedelta(hours=1)
QUEUE_STRIPES = 8
NEVER_CHANGED = "-"  # a person whose data has not changed since the stamps began
cache = StampedCache("finder", size=20_000, lifetime=timedelta(hours=2))


def person_stamp(user_id: int) -> str:
    return f"{AVAILABILITY}:user:{user_id}"


def queue_stamp(mentor_id: int) -> str:
    return f"{AVAILABILITY}:queue:{mentor_id % QUEUE_STRIPES}"


QUEUE_STAMPS = tuple(f"{AVAILABILITY}:queue:{n}" for n in range(QUEUE_STRIPES))


def _people(*ids: int | None) -> list[str]:
    return [person_stamp(i) for i in ids if i is not None]


def _booking(row) -> list[str]:
    names = _people(row("mentor_id"), row("teacher_id"))
    if row("status") == BookingStatus.REQUESTED and row("mentor_id") is not None:
        names.append(queue_stamp(row("mentor_id")))
    return names


renew_on_change(
    AVAILABILITY,
    {
        "skill": None,
        "mentor_skill": None,
        "program_settings": None,
        **SCHOOL_CALENDAR_TABLES,
        "mentor_profile": {"weekly_cap", "offers_online"},  # who is a candidate, at what cap
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
renew_on_row_change(
    "booking", _booking, ("mentor_id", "teacher_id", "status"), AVAILABILITY
)  # fmt: skip
for _table in ("availability_window", "time_off", "mentor_skill"):
    renew_on_row_change(_table, lambda row: _people(row("mentor_id")), ("mentor_id",), AVAILABILITY)
renew_on_row_change(
    "mentor_profile", lambda row: _people(row("user_id")), ("user_id",), AVAILABILITY
)
# a workshop the mentor hosts holds their time (helpdesk.workshops)
renew_on_row_change(
    "workshop_host", lambda row: _people(row("mentor_id")), ("mentor_id",), AVAILABILITY
)
# a teacher's ratings decide their good past sessions with a mentor
renew_on_row_change(
    "reflection", lambda row: _people(row("author_id")), ("author_id",), AVAILABILITY
)


def cache_scope(
    now: datetime, skill_id: int | None = None, teacher_id: int | None = None
) -> tuple | None:
    """The key prefix for this hour's data; None: compute afresh (see StampedCache.scope).

    Given the topic asked and the teacher asking, the stamps the search goes on to need (the
    teacher's, and those of the topic's mentors as this worker last saw them) are read in the
    same query, so a search answered from the cache reads its stamps once (candidate_stamps).
    """
    also = list(_stamps_of_topic.get(skill_id, ()))
    if teacher_id is not None:
        also.append(person_stamp(teacher_id))
    return cache.scope(AVAILABILITY, now, SCOPE_LENGTH, also=also)


# The stamps of each topic's mentors, as this worker has seen them: what cache_scope reads ahead.
# Only a guess of which stamps to read early: candidate_stamps reads any it lacks.
_stamps_of_topic: dict[int, frozenset[str]] = {}


def candidate_stamps(
    skill_id: int, mentor_ids: Iterable[int], teacher_id: int | None
) -> defaultdict[int, str]:
    """The stamps of these mentors offering the skill (and of the teacher asking), by person id
    (NEVER_CHANGED for someone without one yet): in one query, or none when cache_scope read
    them ahead."""
    names = {mentor_id: person_stamp(mentor_id) for mentor_id in mentor_ids}
    known = _stamps_of_topic.get(skill_id, frozenset())
    if not known.issuperset(names.values()):
        _stamps_of_topic[skill_id] = known | frozenset(names.values())
    if teacher_id is not None:
        names[teacher_id] = person_stamp(teacher_id)
    found = read_stamps(names.values())
    stamps = defaultdict(lambda: NEVER_CHANGED)
    stamps.update((person, found[name]) for person, name in names.items() if name in found)
    return stamps


get, put, remember = cache.get, cache.put, cache.remember
