"""Rendered library results, shared by everyone who asks the same question of the same library.

Search results hold no one's private data, and the library changes a few times a day while it is
searched all day. Every change a result can show (a tip published, returned or edited, a helpful
vote, a skill's tags) renews the library stamp with the change, so a cached result never outlives
its tips. What a result shows from elsewhere (a mentor's display name) is at most
ENTRY_LIFETIME_SECONDS old.
"""

import time
from collections.abc import Callable, Hashable

from markupsafe import Markup

from helpdesk.stamps import current_stamp, renew_stamp

LIBRARY = "tip-library"
CACHE_SIZE = 1024
ENTRY_LIFETIME_SECONDS = 300

_cache: dict[tuple, Markup] = {}


def library_changed() -> None:
    """Call with every change to what a library result shows; commits with that change."""
    renew_stamp(LIBRARY)


def cached_results(question: Hashable, render: Callable[[], str]) -> Markup:
    """The rendered result for this question of the library as it is now: cached, or rendered."""
    stamp = current_stamp(LIBRARY)
    if stamp is None:  # nothing has changed since the database was made: no stamp to trust
        return Markup(render())  # noqa: S704 (rendered by our autoescaping templates)
    key = (stamp, int(time.monotonic() // ENTRY_LIFETIME_SECONDS), question)
    html = _cache.get(key)
    if html is None:
        html = Markup(render())  # noqa: S704 (rendered by our autoescaping templates)
        if len(_cache) >= CACHE_SIZE:
            _cache.clear()
        _cache[key] = html
    return html
