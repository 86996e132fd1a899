"""The finder's fixtures (a school, two mentors of one topic, teachers), shared with its tests."""

from tests.bookings.conftest import book, world  # noqa: F401 (fixtures)
