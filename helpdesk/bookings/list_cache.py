"""Session lists kept between requests: the advisor's queue, everyone's "my sessions" and
calendar feeds.

They show sessions, people's names, email addresses and schools' time zones. Names, addresses
and time zones renew the finder's district-wide AVAILABILITY stamp (helpdesk.finder.cache); a
session renews its mentor's and teacher's own stamps, and, while it waits for approval, one of the
queue's stamps. So a person's lists carry the district stamp and their own, and the queue the
district stamp and the queue's: an entry never outlives its data, and a booking leaves everyone
else's lists in place. Lists that move with the clock are computed as of the start of a period:
"my sessions" (a session is past once it ends) each minute, a feed (it reaches 60 days back)
each hour.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from helpdesk.finder.cache import AVAILABILITY, QUEUE_STAMPS, person_stamp
from helpdesk.stamped_cache import StampedCache

T = TypeVar("T")
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
cache = StampedCache("session-lists", size=4096, lifetime=timedelta(hours=2))


def waiting(question: tuple, produce: Callable[[], T]) -> T:
    """The approval queue's page for this question: cached while no waiting session changes."""
    scope = cache.scope(AVAILABILITY, None, None, *QUEUE_STAMPS)
    return cache.remember((scope, "waiting", *question), produce)


def as_of(
    period: timedelta, now: datetime, user, question: tuple, produce: Callable[[datetime], T]
) -> T:
    """A person's list that depends on the clock, computed as of the start of the period (or of
    `now` when nothing may be cached). The advisor's lists hold every session: never cached."""
    scope = None
    if not user.is_advisor:
        scope = cache.scope(AVAILABILITY, now, period, person_stamp(user.id))
    moment = now if scope is None else scope[-1]
    return cache.remember((scope, user.id, *question), lambda: produce(moment))
