"""Fuzzing the advisor's and mentor's setup forms: skills, profile, availability, calendar."""

import io
import itertools

from hypothesis import example, given
from hypothesis import strategies as st

from helpdesk.skills.services import save_skill
from tests.fuzz.conftest import (
    FUZZ,
    dates,
    form_data,
    nasty_text,
    numbers,
    optional,
    some_text,
    times,
)

_names = itertools.count(1)


def _ids(*valid):
    """A select's value: one of the real ids, or any number-ish text."""
    return st.one_of(st.sampled_from([str(v) for v in valid]), numbers)


# ---------------------------------------------------------------- skills


@FUZZ
@given(
    data=form_data(
        name=optional(some_text(["Slides", "Google Docs", " google docs "], max_size=100)),
        category=optional(nasty_text()),
        description=optional(nasty_text(600)),
    )
)
def test_skill_add(fuzz, world, data):
    fuzz.sign_in(world.advisor)
    fuzz.submit("/skills/", data)


@FUZZ
@given(
    data=form_data(
        name=optional(some_text(["Docs and Drive", "Video editing"], max_size=100)),
        category=optional(nasty_text()),
        description=optional(nasty_text(600)),
    )
)
def test_skill_edit(fuzz, world, data):
    fuzz.sign_in(world.advisor)
    fuzz.submit(f"/skills/{world.skill.id}/edit", data)


@FUZZ
@given(pick=st.tuples(st.integers(0, 3), st.integers(0, 3)), junk=numbers)
def test_skill_merge(fuzz, world, db, pick, junk):
    fuzz.sign_in(world.advisor)
    a = save_skill(name=f"Merge me {next(_names)}", description="", category="")
    b = save_skill(name=f"Merge me {next(_names)}", description="", category="")
    db.session.commit()
    choices = [str(a.id), str(b.id), junk, ""]
    form = {"merge-source_id": choices[pick[0]], "merge-target_id": choices[pick[1]]}
    fuzz.submit("/skills/merge", form)
    fuzz.submit("/skills/merge", {**form, "confirmed": "yes"})


@FUZZ
@given(level=numbers, escalate=optional(nasty_text()))
def test_topic_rules(fuzz, world, level, escalate):
    fuzz.sign_in(world.advisor)
    data = {"required_level": level}
    if escalate is not None:
        data["is_escalate_only"] = escalate
    fuzz.submit(f"/requests/topics/{world.video.id}", data)


# ---------------------------------------------------------------- mentor profile


@FUZZ
@given(
    data=form_data(
        bio=optional(nasty_text(600)),
        story=optional(nasty_text(2100)),
        weekly_cap=optional(numbers),
        offers_in_person=optional(st.sampled_from(["y", "", "no"])),
        offers_online=optional(st.sampled_from(["y", "", "no"])),
    ),
    level=optional(numbers),
)
def test_mentor_profile(fuzz, world, data, level):
    fuzz.sign_in(world.mentor)
    if level is not None:
        data[f"skill_{world.skill.id}"] = level
    fuzz.submit("/mentors/me", data)


# ---------------------------------------------------------------- availability

WEEKDAYS = st.lists(numbers, max_size=3)


@FUZZ
@given(
    data=form_data(
        **{
            "period-period_name": optional(some_text(["Period 4", "Period 7", "period 4"])),
            "period-day_type_id": optional(numbers),
        }
    ),
    weekdays=WEEKDAYS,
)
def test_availability_period(fuzz, world, data, weekdays):
    fuzz.sign_in(world.mentor)
    data = {**data, "period-submit": "Add period"}
    fuzz.submit("/availability/windows", _multi(data, "period", weekdays))


@FUZZ
@given(
    data=form_data(
        **{
            "times-start_time": optional(times),
            "times-end_time": optional(times),
            "times-day_type_id": optional(numbers),
        }
    ),
    weekdays=WEEKDAYS,
)
def test_availability_times(fuzz, world, data, weekdays):
    fuzz.sign_in(world.mentor)
    data = {**data, "times-submit": "Add times"}
    fuzz.submit("/availability/windows", _multi(data, "times", weekdays))


@FUZZ
@given(
    data=form_data(
        **{
            "extra-on": optional(dates),
            "extra-start_time": optional(times),
            "extra-end_time": optional(times),
        }
    )
)
@example(data={"extra-on": "2026-03-08", "extra-start_time": "02:00", "extra-end_time": "02:45"})
@example(data={"extra-on": "2026-11-01", "extra-start_time": "01:10", "extra-end_time": "01:50"})
@example(data={"extra-on": "9999-12-31", "extra-start_time": "22:00", "extra-end_time": "23:59"})
@example(data={"extra-on": "0001-01-01", "extra-start_time": "00:00", "extra-end_time": "00:30"})
def test_availability_extra(fuzz, world, data):
    fuzz.sign_in(world.mentor)
    fuzz.submit("/availability/windows", {**data, "extra-submit": "Add extra time"})


@FUZZ
@given(
    data=form_data(
        **{
            "off-starts_on": optional(dates),
            "off-ends_on": optional(dates),
            "off-note": optional(nasty_text(200)),
        }
    )
)
@example(data={"off-starts_on": "2026-11-10", "off-ends_on": "2026-11-09"})
@example(data={"off-starts_on": "0001-01-01", "off-ends_on": "9999-12-31"})
def test_availability_time_off(fuzz, world, data):
    fuzz.sign_in(world.mentor)
    fuzz.submit("/availability/windows", {**data, "off-submit": "Add time off"})


@FUZZ
@given(
    data=form_data(
        session_lengths=optional(some_text(["20, 30, 45", "30", "10,120", "5", "²0"])),
        buffer_minutes=optional(numbers),
        min_notice_hours=optional(numbers),
        horizon_days=optional(numbers),
        weekly_cap=optional(numbers),
    )
)
@example(
    data={
        "session_lengths": "²0",
        "buffer_minutes": "5",
        "min_notice_hours": "24",
        "horizon_days": "30",
        "weekly_cap": "3",
    }
)
def test_program_settings(fuzz, world, data):
    fuzz.sign_in(world.advisor)
    fuzz.submit("/availability/settings", data)


def _multi(data: dict, prefix: str, weekdays: list[str]):
    """Werkzeug's test client takes a list value as repeated fields."""
    return {**data, f"{prefix}-weekdays": weekdays} if weekdays else data


# ---------------------------------------------------------------- school calendar


@FUZZ
@given(starts=dates, ends=dates)
@example(starts="2026-09-01", ends="2026-08-31")
@example(starts="0001-01-01", ends="9999-12-31")
def test_calendar_term(fuzz, world, starts, ends):
    fuzz.sign_in(world.advisor)
    fuzz.submit(
        f"/school-calendar/{world.school.id}/term",
        {"term-term_starts_on": starts, "term-term_ends_on": ends},
    )


PERIOD_LINES = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "Period 4, 10:00, 10:50",
                "Lunch, 12:00, 11:00",
                "Late, 23:30, 24:00",
                "Night, 02:30, 03:00",
                "Overlap, 10:10, 10:40",
                "Period 4, 10:00",
                ",,",
            ]
        ),
        st.tuples(nasty_text(20), times, times).map(", ".join),
        nasty_text(),
    ),
    max_size=5,
).map("\n".join)


@FUZZ
@given(name=optional(some_text(["Regular", "Early dismissal"])), periods=optional(PERIOD_LINES))
def test_calendar_schedule(fuzz, world, name, periods):
    fuzz.sign_in(world.advisor)
    data = {
        k: v
        for k, v in {"schedule-name": name, "schedule-periods": periods}.items()
        if v is not None
    }
    fuzz.submit(f"/school-calendar/{world.school.id}/schedule", data)


@FUZZ
@given(name=optional(some_text(["A", "B"])), schedule=numbers, position=optional(numbers))
def test_calendar_day_type(fuzz, world, db, name, schedule, position):
    from helpdesk.calendar.models import BellSchedule

    fuzz.sign_in(world.advisor)
    regular = db.session.scalar(db.select(BellSchedule.id).where(BellSchedule.name == "Regular"))
    data = {"daytype-schedule_id": str(regular) if schedule == "1" else schedule}
    if name is not None:
        data["daytype-name"] = name
    if position is not None:
        data["daytype-rotation_position"] = position
    fuzz.submit(f"/school-calendar/{world.school.id}/day_type", data)


@FUZZ
@given(on=dates, day_type=numbers, schedule=numbers, note=optional(nasty_text(200)))
def test_calendar_exception(fuzz, world, on, day_type, schedule, note):
    fuzz.sign_in(world.advisor)
    data = {
        "exception-on": on,
        "exception-day_type_id": day_type,
        "exception-schedule_id": schedule,
    }
    if note is not None:
        data["exception-note"] = note
    fuzz.submit(f"/school-calendar/{world.school.id}/exception", data)


@FUZZ
@given(on=dates, name=optional(some_text(["Thanksgiving", "Snow day"], max_size=250)))
@example(on="2026-11-04", name="Snow day")
@example(on="9999-12-31", name="End of time")
def test_calendar_closure(fuzz, world, on, name):
    fuzz.sign_in(world.advisor)
    data = {"closure-on": on}
    if name is not None:
        data["closure-name"] = name
    fuzz.submit(f"/school-calendar/{world.school.id}/closure", data)
    fuzz.submit(f"/school-calendar/{world.school.id}/closure", {**data, "confirmed": "yes"})


def _ics(summary: str, start: str, end: str, rrule: str = "") -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Fuzz//EN",
        "BEGIN:VEVENT",
        "UID:fuzz@example.org",
        f"DTSTART;VALUE=DATE:{start}",
        f"DTEND;VALUE=DATE:{end}",
        f"SUMMARY:{summary}",
    ]
    if rrule:
        lines.append(f"RRULE:{rrule}")
    lines += ["END:VEVENT", "END:VCALENDAR", ""]
    return "\r\n".join(lines).encode("utf-8", "surrogatepass")


ICS_DATES = st.sampled_from(["20261125", "20261127", "99991231", "00010101", "20261345", "x"])


@FUZZ
@given(
    summary=nasty_text(),
    start=ICS_DATES,
    end=ICS_DATES,
    rrule=st.sampled_from(["", "FREQ=DAILY", "FREQ=SECONDLY", "FREQ=DAILY;COUNT=99999999", "junk"]),
    raw=st.one_of(st.none(), st.binary(max_size=200)),
    filename=st.sampled_from(["district.ics", "district.txt", ""]),
)
@example(
    summary="Snow\x00day", start="20261125", end="20261127", rrule="", raw=None, filename="d.ics"
)
def test_calendar_ics_import(fuzz, world, summary, start, end, rrule, raw, filename):
    fuzz.sign_in(world.advisor)
    body = raw if raw is not None else _ics(summary, start, end, rrule)
    fuzz.submit(
        f"/school-calendar/{world.school.id}/ics", {"ics-file": (io.BytesIO(body), filename)}
    )
    # The first answer shows what importing would do; the confirmed one does it.
    fuzz.submit(
        f"/school-calendar/{world.school.id}/ics",
        {"ics-file": (io.BytesIO(body), filename), "confirmed": "yes"},
    )


@FUZZ
@given(part=nasty_text(20))
def test_calendar_unknown_part(fuzz, world, part):
    fuzz.sign_in(world.advisor)
    part = part.replace("/", "").replace("?", "").replace("#", "") or "x"
    fuzz.submit(f"/school-calendar/{world.school.id}/{part}", {"x": "1"})


# ---------------------------------------------------------------- help-desk settings


@FUZZ
@given(
    data=form_data(
        first_response_hours=optional(numbers),
        resolution_hours=optional(numbers),
        it_email=optional(some_text(["it@district.example.org", "not an email"])),
    )
)
@example(data={"first_response_hours": "8", "resolution_hours": "4"})
def test_desk_settings(fuzz, world, data):
    fuzz.sign_in(world.advisor)
    fuzz.submit("/requests/settings", data)
