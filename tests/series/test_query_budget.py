"""The series page and the preview load what they show in a fixed number of statements,
whatever the number of dates."""

from datetime import date

import pytest

from tests.series.conftest import a_days
from tests.series.test_views import _form, _page


def _statements(count_queries, call) -> int:
    with count_queries() as statements:
        response = call()
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("who", ["teacher", "advisor"])
def test_the_series_page_does_not_grow_with_its_dates(
    client, db, world, login, book_series, count_queries, who
):
    short = book_series(a_days(until=date(2026, 11, 6)), request_key="s" * 32).series
    long = book_series(
        a_days(starts_on=date(2026, 12, 1), until=date(2027, 3, 31)), request_key="l" * 32
    ).series
    login(getattr(world, who))
    client.get(f"/series/{short.id}")  # the school calendar's cache, as any earlier page
    few = _statements(count_queries, lambda: client.get(f"/series/{short.id}"))
    many = _statements(count_queries, lambda: client.get(f"/series/{long.id}"))
    assert few == many <= 8


def test_the_preview_does_not_grow_with_its_dates(client, db, world, login, count_queries):
    login(world.teacher)
    page = _page(world)

    token = client.csrf_token(page)

    def preview(until):
        data = {**_form(world, preview="Show", until=until), "csrf_token": token}
        return client.post(page, data=data)

    preview("2026-11-06")  # warm the school calendar's cache, as any earlier page would
    few = _statements(count_queries, lambda: preview("2026-11-06"))
    many = _statements(count_queries, lambda: preview("2027-03-31"))
    assert "40 dates can be booked" in preview("2027-03-31").get_data(as_text=True)
    # the user, the form's choices (people, topics, day types, periods, lengths), the pair,
    # then the plan: closures, cap, windows, time off, both sides' sessions; notifications
    assert few == many <= 22
