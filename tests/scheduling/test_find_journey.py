"""Issue 3's acceptance journey: calendar, availability and search, through the pages."""

import io
import re
from datetime import UTC, datetime

import pytest

from helpdesk.accounts.models import Role
from helpdesk.calendar.models import Closure
from helpdesk.skills.models import Skill

REGULAR = (
    "Period 1, 08:00, 08:50\nPeriod 2, 08:55, 09:45\nPeriod 4, 10:00, 10:50\nPeriod 5, 10:55, 11:45"
)
EARLY = (
    "Period 1, 08:00, 08:30\nPeriod 2, 08:35, 09:05\nPeriod 4, 09:20, 09:50\nPeriod 5, 09:55, 10:25"
)
DISTRICT_ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//District//EN\r\n"
    "BEGIN:VEVENT\r\nUID:vets@district\r\nDTSTAMP:20260801T000000Z\r\n"
    "DTSTART;VALUE=DATE:20261111\r\nDTEND;VALUE=DATE:20261112\r\n"
    "SUMMARY:Veterans Day\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def _post(client, path, data, **kwargs):
    response = client.post_form(path, data, **kwargs)
    assert response.status_code == 302, re.findall(
        r'class="(?:error|flash flash-error)"[^>]*>([^<]*)', response.get_data(as_text=True)
    )
    return response


@pytest.fixture
def district(app, db, make_school, make_user, clock):
    clock.now = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)
    school = make_school("Lincoln High School", "America/New_York")
    return {
        "school": school,
        "advisor": make_user(Role.ADVISOR, school=school),
        "mentor": make_user(Role.MENTOR, full_name="Maya Chen", school=school, grade=11),
        "other_mentor": make_user(Role.MENTOR, full_name="Leo Martins", school=school, grade=9),
        "teacher": make_user(Role.TEACHER, full_name="Helen Park", school=school),
    }


def _set_up_calendar(client, login, district):
    school_id = district["school"].id
    base = f"/school-calendar/{school_id}"
    login(district["advisor"])
    _post(
        client,
        "/skills/",
        {"name": "Video podcasts", "category": "Video", "description": "Record and edit"},
    )
    _post(client, "/skills/", {"name": "Google Docs", "category": "Docs", "description": ""})
    _post(
        client,
        f"{base}/term",
        {"term-term_starts_on": "2026-10-26", "term-term_ends_on": "2026-12-18"},
        page=base,
    )
    _post(
        client,
        f"{base}/schedule",
        {"schedule-name": "Regular", "schedule-periods": REGULAR},
        page=base,
    )
    _post(
        client,
        f"{base}/schedule",
        {"schedule-name": "Early dismissal", "schedule-periods": EARLY},
        page=base,
    )
    page = client.get(base).get_data(as_text=True)
    regular_id = re.search(r'<option value="(\d+)">Regular</option>', page).group(1)
    early_id = re.search(r'<option value="(\d+)">Early dismissal</option>', page).group(1)
    for name, position in (("A", 1), ("B", 2)):
        _post(
            client,
            f"{base}/day_type",
            {
                "daytype-name": name,
                "daytype-schedule_id": regular_id,
                "daytype-rotation_position": position,
            },
            page=base,
        )
    _post(
        client,
        f"{base}/exception",
        {
            "exception-on": "2026-10-30",
            "exception-day_type_id": 0,
            "exception-schedule_id": early_id,
            "exception-note": "Early dismissal",
        },
        page=base,
    )
    _post(
        client,
        f"{base}/closure",
        {"closure-on": "2026-11-03", "closure-name": "Election Day", "confirmed": "yes"},
        page=base,
    )
    _post(
        client,
        f"{base}/ics",
        {"ics-file": (io.BytesIO(DISTRICT_ICS.encode()), "district.ics"), "confirmed": "yes"},
        page=base,
        content_type="multipart/form-data",
    )
    client.post_form("/logout")


def _set_up_mentor(client, login, db, district):
    skill = db.session.scalar(db.select(Skill).where(Skill.name == "Video podcasts"))
    login(district["mentor"])
    profile = client.get("/mentors/me").get_data(as_text=True)
    assert f'name="skill_{skill.id}"' in profile
    _post(
        client,
        "/mentors/me",
        {
            "bio": "I edit our school news podcast.",
            "offers_online": "y",
            "offers_in_person": "y",
            f"skill_{skill.id}": 3,
        },
        page="/mentors/me",
    )
    page = client.get("/availability/").get_data(as_text=True)
    a_id = re.search(r'<option value="(\d+)">A days</option>', page).group(1)
    _post(
        client,
        "/availability/windows",
        {"period-period_name": "Period 4", "period-day_type_id": a_id, "period-submit": "1"},
        page="/availability/",
    )
    _post(
        client,
        "/availability/windows",
        {
            "off-starts_on": "2026-11-09",
            "off-ends_on": "2026-11-13",
            "off-note": "Class trip",
            "off-submit": "1",
        },
        page="/availability/",
    )
    client.post_form("/logout")
    return skill


def _slot_times(html: str) -> list[str]:
    return re.findall(r'<time datetime="([^"]+)">', html)


def test_teacher_sees_exactly_the_right_slots_across_dst_holidays_and_time_off(
    client, db, login, district
):
    _set_up_calendar(client, login, district)
    assert (
        db.session.scalar(
            db.select(Closure.name).where(Closure.on == datetime(2026, 11, 11).date())
        )
        == "Veterans Day"
    )
    skill = _set_up_mentor(client, login, db, district)

    login(district["teacher"])
    page = client.get(
        f"/find/?skill_id={skill.id}&start=2026-10-26&end=2026-11-13&minutes=30&school_id=0"
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Maya C." in html and "Leo M." not in html
    assert "maya" not in html.lower().replace("maya c.", "")  # no email or surname
    # A days: Oct 26, 28, 30 (early dismissal: Period 4 at 09:20), Nov 4, 6; Nov 3 is a holiday
    # (so Nov 4 is the A day), Nov 9-13 is time off.
    # Clocks go back on Nov 1: 10:00 local stays 10:00. A 30-minute session fits Period 4
    # (50 minutes) once, from its start: no overlapping 15-minute steps.
    shown = _slot_times(html)
    assert shown == [
        "2026-10-26T14:00:00+00:00",
        "2026-10-28T14:00:00+00:00",
        "2026-10-30T13:20:00+00:00",
        "2026-11-04T15:00:00+00:00",
        "2026-11-06T15:00:00+00:00",
    ]
    assert "more time" not in html
    assert "Book Maya C. Mon, Oct 26, 2026 · Period 4 · A day · 10:00–10:30 AM" in html
    assert "Book Maya C. Fri, Oct 30, 2026 · Period 4 · A day · 9:20–9:50 AM" in html
    assert "Book Maya C. Wed, Nov 4, 2026 · Period 4 · A day · 10:00–10:30 AM" in html

    # 20-minute sessions: two back to back in each Period 4, the rest behind "more times".
    html = client.get(
        f"/find/?skill_id={skill.id}&start=2026-10-26&end=2026-11-13&minutes=20&school_id=0"
    ).get_data(as_text=True)
    assert [t[11:16] for t in _slot_times(html)[:2]] == ["14:00", "14:20"]
    assert len(_slot_times(html)) == 9  # the early dismissal's 30-minute Period 4 fits one
    more = html[html.index('<details class="more-times">') :]
    assert "<summary>3 more times with Maya C.</summary>" in more
    assert "Fri, Nov 6, 2026 · Period 4 · A day · 10:20–10:40 AM" in more


def test_online_only_and_school_filters(client, db, login, district, make_school):
    _set_up_calendar(client, login, district)
    skill = _set_up_mentor(client, login, db, district)
    other_school = make_school("Maple Elementary School")
    login(district["teacher"])
    html = client.get(
        f"/find/?skill_id={skill.id}&start=2026-10-26&end=2026-11-06&minutes=30&school_id={other_school.id}"
    ).get_data(as_text=True)
    assert "No mentors free" in html
    html = client.get(
        f"/find/?skill_id={skill.id}&start=2026-10-26&end=2026-11-06&minutes=30&online_only=y"
    ).get_data(as_text=True)
    assert "Maya C." in html


def test_find_refuses_bad_ranges_with_a_message(client, db, login, district):
    _set_up_calendar(client, login, district)
    skill = _set_up_mentor(client, login, db, district)
    login(district["teacher"])
    html = client.get(
        f"/find/?skill_id={skill.id}&start=2026-11-06&end=2026-10-26&minutes=30"
    ).get_data(as_text=True)
    assert "The end date must be on or after the start date." in html
    html = client.get(
        f"/find/?skill_id={skill.id}&start=2026-10-01&end=2026-12-31&minutes=30"
    ).get_data(as_text=True)
    assert "Search at most 31 days at a time." in html
    html = client.get("/find/?skill_id=0&minutes=30").get_data(as_text=True)
    assert "Choose a topic." in html
    assert client.get(f"/find/?skill_id={skill.id}&start=not-a-date&minutes=30").status_code == 200
