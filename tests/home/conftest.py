"""The bookings tests' small district (one school, two mentors, two teachers, the advisor)."""

import re

import pytest

from tests.bookings.conftest import book, world  # noqa: F401  (fixtures shared with bookings)

ITEM = re.compile(r'<span class="home-count">([^<]*)</span>\s*([^<]*?)\s*</a>')


def home_counts(html: str) -> dict[str, str]:
    """Each home-page line as {what it counts: "3 sessions"}, e.g. {"to reflect on": "1 session"}."""
    return {rest: count for count, rest in ITEM.findall(html)}


@pytest.fixture
def home(client):
    def read() -> dict[str, str]:
        response = client.get("/")
        assert response.status_code == 200
        return home_counts(response.get_data(as_text=True))

    return read
