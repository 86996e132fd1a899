"""A worker's cache of shared data, keyed by the data's change stamps (helpdesk.stamps).

What many people ask for is computed once and reused until the data changes: a change commits
new stamps, so every worker's next lookup misses and nothing cached outlives its data. Keys may
also carry a period of the clock, for values that move with time (a notice period, an overdue
mark). When full, the least recently used entry goes; an entry older than the cache's lifetime
is computed afresh (entries under old stamps are never asked for again, and age out). Each cache
counts its hits, misses, evictions and expired entries; they are logged every LOG_EVERY
lookups and shown to the advisor (helpdesk.stamped_cache.all_stats).
"""

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from threading import Lock
from typing import TypeVar

from helpdesk.stamps import has_pending_changes, read_stamps

T = TypeVar("T")
_EPOCH = datetime(2000, 1, 3, tzinfo=UTC)  # a Monday
_MISSING = object()
LOG_EVERY = 10_000
log = logging.getLogger(__name__)
_caches: list["StampedCache"] = []


@dataclass(frozen=True)
class CacheStats:
    name: str
    entries: int
    size: int
    hits: int
    misses: int
    evictions: int
    expired: int

    @property
    def hit_rate(self) -> float:
        asked = self.hits + self.misses
        return self.hits / asked if asked else 0.0


class StampedCache:
    def __init__(
        self,
        name: str,
        size: int,
        lifetime: timedelta,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.name, self.size, self.clock = name, size, clock
        self.lifetime = lifetime.total_seconds()
        self._entries: OrderedDict[Hashable, tuple[float, object]] = OrderedDict()
        self._lock = Lock()  # threaded servers: OrderedDict moves are not atomic
        self.hits = self.misses = self.evictions = self.expired = 0
        _caches.append(self)

    @staticmethod
    def scope(
        name: str,
        now: datetime | None = None,
        period: timedelta | None = None,
        *scoped: str,
        also: Iterable[str] = (),
    ) -> tuple | None:
        """The key prefix for the data stamped `name` (and the stamps `scoped` under it) as it
        is now, and the period of `now` it lies in. The stamps `also` are read in the same query,
        for lookups later in the transaction (helpdesk.stamps.read_stamps).

        None, meaning compute afresh and keep nothing, when this transaction has written the
        data itself or the district-wide stamp does not exist yet.
        """
        if has_pending_changes(name):
            return None
        stamps = read_stamps((name, *scoped, *also))
        if name not in stamps:
            return None
        prefix = (stamps[name], *(stamps.get(s, "-") for s in scoped))
        if period is None:
            return prefix
        return (*prefix, now - (now - _EPOCH) % period)

    def get(self, key: tuple | None, default=None):
        """The value under key; a key starting with None (no scope) is never kept."""
        if key is None or key[0] is None:
            return default
        with self._lock:
            found = self._entries.get(key, _MISSING)
            if found is not _MISSING and found[0] <= self.clock():
                del self._entries[key]
                self.expired += 1
                found = _MISSING
            if found is _MISSING:
                self.misses += 1
                value = default
            else:
                self.hits += 1
                self._entries.move_to_end(key)
                value = found[1]
        if (self.hits + self.misses) % LOG_EVERY == 0:
            log.info("cache %s", self.stats())
        return value

    def put(self, key: tuple | None, value: object) -> None:
        if key is None or key[0] is None:
            return
        with self._lock:
            self._entries[key] = (self.clock() + self.lifetime, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
                self.evictions += 1

    def remember(self, key: tuple | None, produce: Callable[[], T]) -> T:
        """The value under key (key[0] is a scope), produced and kept if missing."""
        value = self.get(key, _MISSING)
        if value is _MISSING:
            value = produce()
            self.put(key, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def stats(self) -> CacheStats:
        return CacheStats(
            self.name,
            len(self._entries),
            self.size,
            self.hits,
            self.misses,
            self.evictions,
            self.expired,
        )


def all_stats() -> list[CacheStats]:
    """This worker's caches and their counters, for the advisor and the logs."""
    return [c.stats() for c in _caches]
