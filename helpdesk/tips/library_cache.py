"""Rendered library results, shared by everyone who asks the same question of the same library.

Search results hold no one's private data, and the library changes a few times a day while it is
searched all day. Every change a result can show (a tip published, returned or edited, a helpful
vote, a skill's tags) renews the library stamp with the change, so a cached result never outlives
its tips. What a result shows from elsewhere (a mentor's display name) is at most
ENTRY_LIFETIME old. The services call library_changed rather than the stamp watching the tip
table (helpdesk.stamps.renew_on_change): every first view of a tip writes its row too.
"""

from collections.abc import Callable, Hashable
from datetime import timedelta
from typing import TypeVar

from helpdesk.clock import utcnow
from helpdesk.stamped_cache import StampedCache
from helpdesk.stamps import renew_stamp

T = TypeVar("T")
LIBRARY = "tip-library"
ENTRY_LIFETIME = timedelta(minutes=5)
cache = StampedCache("tip-library", size=1024, lifetime=ENTRY_LIFETIME)


def library_changed() -> None:
    """Call with every change to what a library result shows; commits with that change."""
    renew_stamp(LIBRARY)


def remember(question: Hashable, produce: Callable[[], T]) -> T:
    """The library's answer to this question as it is now: cached, or produced and kept."""
    return cache.remember((cache.scope(LIBRARY, utcnow(), ENTRY_LIFETIME), question), produce)
