"""Each figure against the hand-computed numbers of tests/dashboard/conftest.py, on SQLite and
PostgreSQL (TEST_DATABASE_URL), with and without the school filter."""

from datetime import date

import pytest

from helpdesk.dashboard import figures
from helpdesk.dashboard.figures import Scope


@pytest.fixture(params=["native", "portable"])
def median_kind(request, monkeypatch):
    """Both medians: percentile_cont on PostgreSQL and the ROW_NUMBER one (SQLite's)."""
    monkeypatch.setattr(figures, "PORTABLE_MEDIAN", [request.param == "portable"])
    return request.param


def test_sessions_per_week_by_outcome(district):
    weeks = figures.sessions_by_week(district.scope())
    assert [(w.week_on, w.completed, w.no_show, w.cancelled, w.declined) for w in weeks] == [
        (date(2026, 11, 2), 2, 1, 1, 0),
        (date(2026, 11, 9), 2, 0, 0, 1),
    ]


def test_sessions_per_week_for_one_school_counts_its_teachers(district):
    weeks = figures.sessions_by_week(district.scope(district.lincoln))
    assert [(w.completed, w.no_show, w.cancelled, w.declined) for w in weeks] == [
        (2, 1, 0, 0),
        (1, 0, 0, 1),
    ]


def test_a_term_starting_mid_week_clips_its_first_week(district):
    weeks = figures.sessions_by_week(
        Scope(date(2026, 11, 4), date(2026, 11, 8), "America/New_York")
    )
    assert [(w.week_on, w.total) for w in weeks] == [(date(2026, 11, 2), 2)]  # Nov 4 and 5


def test_supply_gap_counts_requests_per_topic_against_able_mentors(district):
    topics = figures.supply_gap(district.scope())
    assert [(t.topic, t.asked, t.mentors) for t in topics] == [
        ("Google Slides", 10, 2),
        ("iPad apps", 5, 2),
    ]
    maple = figures.supply_gap(district.scope(district.maple))
    assert [(t.topic, t.asked, t.mentors) for t in maple] == [("iPad apps", 4, 1)]


def test_help_requests_per_week(district):
    assert [w.count for w in figures.requests_by_week(district.scope())] == [3, 4]
    assert [w.count for w in figures.requests_by_week(district.scope(district.maple))] == [1, 1]


def test_median_time_to_resolve_on_the_school_clock(district, median_kind):
    # 2, 3, 1 and 14 school hours (weekend and nights skipped): the median of four is 2.5.
    resolve = figures.median_resolve_time(district.scope())
    assert (resolve.median_hours, resolve.resolved) == (2.5, 4)
    # Lincoln's teachers: 2, 3 and 14 hours; the median of three is the middle one.
    lincoln = figures.median_resolve_time(district.scope(district.lincoln))
    assert (lincoln.median_hours, lincoln.resolved) == (3.0, 3)


def test_median_time_to_resolve_with_nothing_resolved(district, median_kind):
    empty = Scope(date(2026, 12, 7), date(2026, 12, 13), "America/New_York")
    assert figures.median_resolve_time(empty) == figures.ResolveTime(None, 0)


def test_share_solved_by_a_tip(district):
    outcomes = figures.request_outcomes(district.scope())
    assert (outcomes.students, outcomes.self_served, outcomes.escalated, outcomes.open) == (
        4,
        1,
        1,
        1,
    )
    assert outcomes.finished == 6 and outcomes.share(outcomes.self_served) == 17


def test_tip_library_growth_is_a_running_total(district):
    weeks = figures.tip_growth(district.scope())
    assert [(w.count, w.running) for w in weeks] == [(2, 3), (1, 4)]


def test_most_viewed_tips_are_published_ones(district):
    assert [t.title for t in figures.most_viewed_tips()] == [
        "Old tip",
        "Share a slide deck",
        "Mirror a screen",
        "Lock an iPad",
    ]


def test_mentor_load_counts_idle_mentors_and_gives_the_median(district, median_kind):
    load = figures.mentor_load(district.scope())
    assert [(m.name, m.sessions) for m in load.mentors] == [
        ("Maya C.", 4),
        ("Leo M.", 2),
        ("Zoe A.", 0),
    ]
    assert load.median == 2
    assert figures.mentor_load(district.scope(district.lincoln)).median == 3


def test_teachers_reached_per_school(district):
    reach = figures.teachers_reached(district.scope())
    assert [(r.school, r.reached, r.teachers) for r in reach] == [
        ("Lincoln High School", 2, 3),
        ("Maple Elementary School", 1, 1),
    ]
    assert [r.school for r in figures.teachers_reached(district.scope(district.maple))] == [
        "Maple Elementary School"
    ]


def test_headlines_and_hours_given(district):
    assert figures.headlines(district.scope()) == figures.Headlines(
        teachers_served=3, sessions=4, hours_given=3.6, requests_solved=5, tips_published=3
    )
    # Verified and adjusted service minutes only: 30 + 45 + 30 + 20 + 60 at Lincoln, 30 at
    # Maple; not pending, rejected, club meetings, teachers' PD or days after the term.
    assert figures.hours_given(district.scope()) == 3.6
    assert figures.hours_given(district.scope(district.lincoln)) == 3.1
    assert figures.hours_given(district.scope(district.maple)) == 0.5


def test_a_district_of_mentors_is_drawn_as_a_spread_not_a_bar_each(db):
    from helpdesk.dashboard import lists

    few = figures.Load([figures.MentorLoad(f"Mentor {n}.", n) for n in range(5, 0, -1)], 3.0)
    assert lists.load_chart(few).rows[0] == ["Mentor 5.", 5]
    # 40 mentors: 0, 1, 2, ... 39 sessions; median 19.5.
    many = figures.Load([figures.MentorLoad(f"Mentor {n}.", n) for n in range(39, -1, -1)], 19.5)
    chart = lists.load_chart(many)
    assert chart.rows == [
        ["0", 1], ["1–2", 2], ["3–5", 3], ["6–10", 5], ["11–20", 10], ["21–40", 19]
    ]  # fmt: skip
    assert "40 active mentors: from 39 sessions down to 0; the median is 19.5." in chart.desc
    assert "Busiest: Mentor 39. (39), Mentor 38. (38), Mentor 37. (37)." in chart.desc
