import io
from datetime import date, time

import pytest

from helpdesk.accounts.models import Role
from helpdesk.availability import services as availability
from helpdesk.availability.models import AvailabilityWindow, TimeOff
from helpdesk.calendar import services as calendar
from helpdesk.calendar.models import BellSchedule, Closure, DayType


@pytest.fixture
def school_with_schedule(db, make_school):
    school = make_school()
    calendar.set_term(school, date(2026, 9, 1), date(2027, 6, 20))
    regular = calendar.save_schedule(
        school, "Regular", calendar.parse_periods("Period 4, 10:00, 10:50\nPeriod 5, 11:00, 11:50")
    )
    calendar.save_day_type(school, "A", regular, 1)
    calendar.save_day_type(school, "B", regular, 2)
    db.session.commit()
    return school


def _count(db, model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Period 4, 10:50, 10:00", "ends before it starts"),
        ("Period 4, ten, 10:50", "times must look like"),
        ("Period 4 10:00 10:50", "write it as name, start, end"),
        ("Period 4, 10:00, 10:50\nPeriod 5, 10:30, 11:20", "overlap"),
        ("P, 10:00, 10:50\np, 11:00, 11:50", "repeat"),
        ("", "at least one period"),
    ],
)
def test_bad_bell_schedules_are_refused_with_a_message(text, message):
    with pytest.raises(calendar.CalendarError, match=message):
        calendar.parse_periods(text)


def test_term_must_end_after_it_starts(db, make_school):
    school = make_school()
    with pytest.raises(calendar.CalendarError):
        calendar.set_term(school, date(2026, 9, 1), date(2026, 8, 1))


def test_malformed_ics_changes_nothing(client, db, login_as, school_with_schedule):
    login_as(Role.ADVISOR, school=school_with_schedule)
    base = f"/school-calendar/{school_with_schedule.id}"
    for junk in (b"not a calendar", b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n", b"\x89PNG\r\n\x1a\n"):
        response = client.post_form(
            f"{base}/ics",
            {"ics-file": (io.BytesIO(junk), "district.ics")},
            page=base,
            content_type="multipart/form-data",
        )
        assert response.status_code == 400
        assert "iCalendar" in response.get_data(as_text=True) or "not valid" in response.get_data(
            as_text=True
        )
    assert _count(db, Closure) == 0


def test_bad_calendar_forms_get_messages_and_write_nothing(
    client, db, login_as, school_with_schedule
):
    login_as(Role.ADVISOR, school=school_with_schedule)
    base = f"/school-calendar/{school_with_schedule.id}"
    response = client.post_form(
        f"{base}/schedule",
        {"schedule-name": "Late", "schedule-periods": "Period 1, 09:00, 08:00"},
        page=base,
    )
    assert response.status_code == 400 and "ends before it starts" in response.get_data(
        as_text=True
    )
    response = client.post_form(
        f"{base}/term",
        {"term-term_starts_on": "2027-01-01", "term-term_ends_on": "2026-01-01"},
        page=base,
    )
    assert response.status_code == 400 and "must end after it starts" in response.get_data(
        as_text=True
    )
    response = client.post_form(
        f"{base}/closure", {"closure-on": "2026-13-45", "closure-name": "x"}, page=base
    )
    assert response.status_code == 400
    assert _count(db, BellSchedule) == 1 and _count(db, Closure) == 0


def test_closing_a_day_twice_says_so(db, school_with_schedule):
    calendar.add_closure(school_with_schedule, date(2026, 11, 26), "Thanksgiving")
    with pytest.raises(calendar.CalendarError, match="already closed"):
        calendar.add_closure(school_with_schedule, date(2026, 11, 26), "Thanksgiving again")


def test_calendar_pages_are_for_the_advisor_only(client, login_as, school_with_schedule):
    login_as(Role.TEACHER)
    assert client.get(f"/school-calendar/{school_with_schedule.id}").status_code == 403
    assert (
        client.post_form(
            f"/school-calendar/{school_with_schedule.id}/closure",
            {"closure-on": "2026-11-26", "closure-name": "x"},
        ).status_code
        == 403
    )


def test_a_period_that_does_not_exist_is_refused(db, make_user, school_with_schedule):
    mentor = make_user(Role.MENTOR, school=school_with_schedule)
    with pytest.raises(availability.AvailabilityError, match="no period called 'Period 9'"):
        availability.add_window(mentor, period_name="Period 9")
    assert _count(db, AvailabilityWindow) == 0


def test_overlapping_windows_are_refused(db, make_user, school_with_schedule):
    mentor = make_user(Role.MENTOR, school=school_with_schedule)
    a_day = db.session.scalar(db.select(DayType).where(DayType.name == "A"))
    availability.add_window(mentor, period_name="Period 4", day_type=a_day)
    with pytest.raises(availability.AvailabilityError, match="overlaps"):
        availability.add_window(mentor, start_time=time(10, 30), end_time=time(11, 0), weekdays={0})
    with pytest.raises(availability.AvailabilityError, match="overlaps"):
        availability.add_window(mentor, period_name="Period 4")
    b_day = db.session.scalar(db.select(DayType).where(DayType.name == "B"))
    availability.add_window(
        mentor, period_name="Period 4", day_type=b_day
    )  # B days do not meet A days
    availability.add_window(mentor, period_name="Period 5", day_type=a_day)
    assert _count(db, AvailabilityWindow) == 3


def test_end_before_start_is_refused_everywhere(db, make_user, school_with_schedule):
    mentor = make_user(Role.MENTOR, school=school_with_schedule)
    with pytest.raises(availability.AvailabilityError, match="after the start"):
        availability.add_window(mentor, start_time=time(11, 0), end_time=time(10, 0))
    with pytest.raises(availability.AvailabilityError, match="on or after"):
        availability.add_time_off(mentor, date(2026, 11, 10), date(2026, 11, 9))
    assert _count(db, AvailabilityWindow) == 0 and _count(db, TimeOff) == 0


def test_availability_form_errors_show_and_write_nothing(
    client, db, login_as, school_with_schedule
):
    login_as(Role.MENTOR, school=school_with_schedule)
    response = client.post_form(
        "/availability/windows",
        {
            "times-start_time": "11:00",
            "times-end_time": "10:00",
            "times-day_type_id": 0,
            "times-submit": "1",
        },
        page="/availability/",
    )
    assert response.status_code == 400
    assert "The end time must be after the start time." in response.get_data(as_text=True)
    response = client.post_form(
        "/availability/windows",
        {"off-starts_on": "2026-11-10", "off-ends_on": "2026-11-01", "off-submit": "1"},
        page="/availability/",
    )
    assert response.status_code == 400
    assert _count(db, AvailabilityWindow) == 0 and _count(db, TimeOff) == 0


def test_a_mentor_cannot_remove_another_mentors_window(
    client, db, login_as, make_user, school_with_schedule
):
    other = make_user(Role.MENTOR, school=school_with_schedule)
    window = availability.add_window(other, start_time=time(9), end_time=time(10))
    db.session.commit()
    login_as(Role.MENTOR, school=school_with_schedule)
    assert client.post_form(f"/availability/windows/{window.id}/delete").status_code == 404
    assert _count(db, AvailabilityWindow) == 1


def test_program_settings_are_for_the_advisor(client, db, login_as):
    login_as(Role.ADVISOR)
    response = client.post_form(
        "/availability/settings",
        {
            "session_lengths": "20, 30, 45",
            "buffer_minutes": 5,
            "min_notice_hours": 48,
            "horizon_days": 21,
            "weekly_cap": 4,
        },
        page="/availability/settings",
    )
    assert response.status_code == 302
    settings = availability.program_settings()
    assert (settings.lengths, settings.min_notice_hours, settings.weekly_cap) == (
        [20, 30, 45],
        48,
        4,
    )
    bad = client.post_form(
        "/availability/settings",
        {
            "session_lengths": "5, abc",
            "buffer_minutes": 5,
            "min_notice_hours": 1,
            "horizon_days": 1,
            "weekly_cap": 1,
        },
        page="/availability/settings",
    )
    assert "whole minutes between 10 and 120" in bad.get_data(as_text=True)
    db.session.expire_all()
    assert availability.program_settings().weekly_cap == 4


def test_a_calendar_change_reaches_the_next_search_at_once(
    db, make_user, school_with_schedule, clock
):
    from datetime import UTC, datetime

    from helpdesk.finder.services import find_mentors
    from helpdesk.mentors.services import profile_for, update_profile
    from helpdesk.skills.services import save_skill

    clock.now = datetime(2026, 11, 2, 12, tzinfo=UTC)
    skill = save_skill(name="Chromebooks", description="", category="Devices")
    mentor = make_user(Role.MENTOR, school=school_with_schedule)
    update_profile(
        profile_for(mentor),
        bio="",
        story="",
        weekly_cap=None,
        offers_online=True,
        offers_in_person=True,
        skill_levels={skill.id: 2},
    )
    availability.add_window(mentor, period_name="Period 4")
    db.session.commit()

    def days_offered() -> set[date]:
        [match] = find_mentors(
            skill_id=skill.id,
            start=date(2026, 11, 4),
            end=date(2026, 11, 6),
            session_minutes=30,
            now=clock.now,
        )
        return {s.start_at.date() for s in match.slots}

    assert date(2026, 11, 5) in days_offered()
    calendar.add_closure(school_with_schedule, date(2026, 11, 5), "Snow day")
    db.session.commit()
    assert date(2026, 11, 5) not in days_offered()
    closure = db.session.scalar(db.select(Closure))
    calendar.remove_closure(closure)
    db.session.commit()
    assert date(2026, 11, 5) in days_offered()
