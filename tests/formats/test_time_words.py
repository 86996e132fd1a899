"""One way to write time: the district's locale picks the clock and the date order, the school's
zone picks the hour, and a zone is named the way people say it."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from helpdesk import formatting as f

# Thu 3 Dec 2026, 10:45 in New York (15:45 UTC); Chicago is an hour behind.
START = datetime(2026, 12, 3, 15, 45, tzinfo=UTC)
END = START + timedelta(minutes=40)
NY = "America/New_York"


@pytest.mark.parametrize(
    ("locale", "day", "clock", "moment", "span", "period"),
    [
        (
            "en-US",
            "Thu, Dec 3, 2026",
            "10:45 AM",
            "Thu, Dec 3, 2026, 10:45 AM",
            "Thu, Dec 3, 2026, 10:45–11:25 AM",
            "10:00–10:50 AM",
        ),
        (
            "en-GB",
            "Thu, 3 Dec 2026",
            "10:45",
            "Thu, 3 Dec 2026, 10:45",
            "Thu, 3 Dec 2026, 10:45–11:25",
            "10:00–10:50",
        ),
    ],
)
def test_each_locale_writes_its_own_clock_and_date_order(locale, day, clock, moment, span, period):
    assert f.local_day(START, NY, locale) == day
    assert f.local_day(date(2026, 12, 3), locale=locale) == day
    assert f.local_clock(START, NY, locale) == clock
    assert f.local_time(START, NY, locale) == moment
    assert f.local_span(START, END, NY, locale) == span
    assert f.clock_range(time(10, 0), time(10, 50), locale=locale) == period


def test_times_are_the_schools_wall_clock_not_utc():
    assert f.local_clock(START, "America/Chicago", "en-US") == "9:45 AM"
    # 11:30 PM in New York is already Friday in UTC: the day is the school's.
    late = datetime(2026, 12, 4, 4, 30, tzinfo=UTC)
    assert f.local_time(late, NY, "en-US") == "Thu, Dec 3, 2026, 11:30 PM"


def test_a_range_across_noon_names_both_halves_of_the_day():
    assert f.clock_range(time(11, 30), time(12, 15), locale="en-US") == "11:30 AM–12:15 PM"


def test_a_span_across_midnight_writes_both_days():
    late = datetime(2026, 12, 4, 4, 30, tzinfo=UTC)  # 11:30 PM Thursday in New York
    assert (
        f.local_span(late, late + timedelta(hours=1), NY, "en-US")
        == "Thu, Dec 3, 2026, 11:30 PM – Fri, Dec 4, 2026, 12:30 AM"
    )


def test_only_plain_spaces_and_a_tight_dash_reach_the_page():
    # Babel writes U+202F before AM and U+2009 around a range's dash; people type neither.
    words = [
        f.local_time(START, NY, "en-US"),
        f.local_span(START, END, NY, "en-US"),
        f.day_range(date(2026, 12, 3), date(2026, 12, 5), "en-GB"),
    ]
    assert not any(ch in w for w in words for ch in "\u202f\u2009")


def test_day_ranges_and_months():
    assert f.day_range(date(2026, 12, 3), date(2026, 12, 5), "en-US") == (
        "Thu, Dec 3 – Sat, Dec 5, 2026"
    )
    assert f.day_range(date(2026, 12, 3), date(2026, 12, 3), "en-US") == "Thu, Dec 3, 2026"
    assert f.month_label("2026-11", "en-US") == "Nov 2026"


@pytest.mark.parametrize(
    ("zone", "name"),
    [
        ("America/New_York", "Eastern Time"),
        ("America/Chicago", "Central Time"),
        ("America/Los_Angeles", "Pacific Time"),
    ],
)
def test_zones_are_named_as_people_say_them(zone, name):
    assert f.zone_name(zone, "en-US") == name
    assert f.tz_abbrev(START, zone, "en-US") == name


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        f.local_time(datetime(2026, 12, 3, 10, 45), NY, "en-US")


@pytest.mark.parametrize(
    ("count", "words"),
    [(0, "0 sessions"), (1, "1 session"), (2, "2 sessions"), (1204, "1,204 sessions")],
)
def test_plurals_follow_the_count(count, words):
    assert f.plural(count, "session", locale="en-US") == words


def test_irregular_plurals():
    assert f.plural(1, "person", "people", locale="en-US") == "1 person"
    assert f.plural(3, "person", "people", locale="en-US") == "3 people"


def test_a_locale_the_form_never_offers_writes_en_us():
    assert f.local_time(START, NY, "xx-XX") == "Thu, Dec 3, 2026, 10:45 AM"
