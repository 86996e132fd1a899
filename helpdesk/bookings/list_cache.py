"""Session lists kept between requests: the advisor's queue, everyone's "my sessions" and
calendar feeds.

They show sessions, people's names, email addresses and schools' time zones, all of which renew
the finder's AVAILABILITY stamp with every write (helpdesk.finder.cache), so an entry never
outlives its data. Lists that move with the clock are computed as of the start of a period:
"my sessions" (a session is past once it ends) each minute, a feed (it reaches 60 days back)
each hour.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from helpdesk.finder.cache import AVAILABILITY
from helpdesk.stamped_cache import StampedCache

T = TypeVar("T")
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
cache = StampedCache(AVAILABILITY, size=4096)


def waiting(question: tuple, produce: Callable[[], T]) -> T:
    """The approval queue's page for this question: cached while no session changes."""
    return cache.remember((cache.scope(), "waiting", *question), produce)


def as_of(period: timedelta, now: datetime, question: tuple, produce: Callable[[datetime], T]) -> T:
    """A list that depends on the clock, computed as of the start of the period (or of `now`
    when nothing may be cached)."""
    scope = cache.scope(now, period)
    moment = now if scope is None else scope[1]
    return cache.remember((scope, *question), lambda: produce(moment))
