"""A cache's own hygiene: least recently used entries go first, every entry has a lifetime,
and its counters say how often it helped."""

from datetime import timedelta

import pytest

from helpdesk.accounts.models import Role
from helpdesk.stamped_cache import StampedCache, all_stats


class FakeClock:
    def __init__(self):
        self.seconds = 0.0

    def __call__(self) -> float:
        return self.seconds


@pytest.fixture
def clock_and_cache():
    clock = FakeClock()
    return clock, StampedCache("test", size=2, lifetime=timedelta(minutes=5), clock=clock)


def test_when_full_the_least_recently_used_entry_goes(clock_and_cache):
    _clock, cache = clock_and_cache
    cache.put(("s", "a"), 1)
    cache.put(("s", "b"), 2)
    assert cache.get(("s", "a")) == 1  # a is now the most recently used
    cache.put(("s", "c"), 3)
    assert cache.get(("s", "b")) is None
    assert cache.get(("s", "a")) == 1 and cache.get(("s", "c")) == 3
    stats = cache.stats()
    assert (stats.entries, stats.evictions, stats.hits, stats.misses) == (2, 1, 3, 1)


def test_an_entry_is_computed_afresh_after_its_lifetime(clock_and_cache):
    clock, cache = clock_and_cache
    produced = []

    def produce():
        produced.append(len(produced))
        return len(produced)

    assert cache.remember(("s", "a"), produce) == 1
    clock.seconds += 299
    assert cache.remember(("s", "a"), produce) == 1
    clock.seconds += 1
    assert cache.remember(("s", "a"), produce) == 2
    assert cache.stats().expired == 1 and len(produced) == 2


def test_without_a_scope_nothing_is_kept(clock_and_cache):
    _clock, cache = clock_and_cache
    assert cache.remember((None, "a"), lambda: 1) == 1
    assert cache.remember(None, lambda: 2) == 2
    assert cache.stats().entries == 0


def test_the_advisor_sees_the_counters_and_nobody_else_does(client, login, make_user):
    assert {"finder", "session-lists", "help-desk", "tip-library"} <= {s.name for s in all_stats()}
    login(make_user(Role.TEACHER))
    assert client.get("/find/caches").status_code == 403
    client.post_form("/logout")
    login(make_user(Role.ADVISOR))
    page = client.get("/find/caches").get_data(as_text=True)
    assert "<caption>" in page and ">finder</th>" in page and "Found share" in page
