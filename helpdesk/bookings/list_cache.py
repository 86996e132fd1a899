"""Session lists kept between requests: the advisor's queue and everyone's "my sessions".

They show sessions, people's names and schools' time zones, all of which renew the finder's
AVAILABILITY stamp with every write (helpdesk.finder.cache), so an entry never outlives its
data. "My sessions" also moves with the clock (a session is past once it ends): it is computed
as of the start of each minute.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from helpdesk.finder.cache import AVAILABILITY
from helpdesk.stamped_cache import StampedCache

T = TypeVar("T")
MINUTE = timedelta(minutes=1)
cache = StampedCache(AVAILABILITY, size=4096)


def waiting(question: tuple, produce: Callable[[], T]) -> T:
    """The approval queue's page for this question: cached while no session changes."""
    return cache.remember((cache.scope(), "waiting", *question), produce)


def as_of_the_minute(now: datetime, question: tuple, produce: Callable[[datetime], T]) -> T:
    """A list that depends on the clock, computed as of the start of the minute (or of `now`
    when nothing may be cached)."""
    scope = cache.scope(now, MINUTE)
    moment = now if scope is None else scope[1]
    return cache.remember((scope, *question), lambda: produce(moment))
