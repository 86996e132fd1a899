"""A worker's cache of shared data, keyed by the data's change stamp (helpdesk.stamps).

What many people ask for is computed once and reused until the data changes: a change commits a
new stamp, so every worker's next lookup misses and nothing cached outlives its data. Keys may
also carry a period of the clock, for values that move with time (a notice period, an overdue
mark). When full, the cache empties: old stamps' entries go with it.
"""

from collections.abc import Callable, Hashable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from helpdesk.stamps import current_stamp, has_pending_changes

T = TypeVar("T")
_EPOCH = datetime(2000, 1, 3, tzinfo=UTC)  # a Monday
_MISSING = object()


class StampedCache:
    def __init__(self, stamp: str, size: int):
        self.stamp = stamp
        self.size = size
        self._entries: dict[Hashable, object] = {}

    def scope(self, now: datetime | None = None, period: timedelta | None = None) -> tuple | None:
        """The key prefix for the data as it is now (and the period of `now` it lies in).

        None, meaning compute afresh and keep nothing, when this transaction has written the
        data itself or the stamp does not exist yet.
        """
        if has_pending_changes(self.stamp):
            return None
        stamp = current_stamp(self.stamp)
        if stamp is None:
            return None
        if period is None:
            return (stamp,)
        return (stamp, now - (now - _EPOCH) % period)

    def get(self, key: tuple, default=None):
        return default if key[0] is None else self._entries.get(key, default)

    def put(self, key: tuple, value: object) -> None:
        if key[0] is None:
            return
        if len(self._entries) >= self.size:
            self._entries.clear()
        self._entries[key] = value

    def remember(self, key: tuple, produce: Callable[[], T]) -> T:
        """The value under key (key[0] is a scope), produced and kept if missing."""
        value = self.get(key, _MISSING)
        if value is _MISSING:
            value = produce()
            self.put(key, value)
        return value
