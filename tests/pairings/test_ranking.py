"""Suggestions: ranked by skill level, shared free periods, load, school and good sessions
together, each with its reasons in words; and the free-period engine they rest on."""

from datetime import UTC, date, datetime, time

from helpdesk.accounts.models import Role
from helpdesk.availability.services import add_window
from helpdesk.bookings.models import BookingStatus
from helpdesk.calendar.services import load_calendars
from helpdesk.pairings import free_periods, lists
from helpdesk.pairings.free_periods import FreePeriod, Span
from helpdesk.reflections import services as reflections
from tests.bookings.conftest import NOW, SLOT


def _by_name(found):
    return {s.mentor.full_name: s for s in found}


def test_each_suggestion_says_why_in_words(db, world, free, pair, make_mentor, book):
    free()  # Helen: Period 4 on Mon and Wed; Maya and Leo: Period 4 every day
    done = book(mentor=world.mentor2)
    done.status = BookingStatus.COMPLETED
    reflections.reflect(
        done, world.teacher, reflections.ReflectionInput(learned="Docs", rating=5, kudos="Thanks!")
    )
    pair(mentor=world.mentor, teacher=world.teacher2)  # Maya has a pairing already
    other = make_mentor("Zoe Adeyemi", world.school, {world.skill: 3}, "Period 6")
    db.session.commit()

    found = lists.suggestions(world.teacher, world.skill.id, "Google Docs", NOW, world.advisor)
    names = [s.mentor.full_name for s in found]
    assert names[0] == "Leo Martins"  # shared periods, no pairing, worked well together
    reasons = _by_name(found)
    assert reasons["Leo Martins"].reasons == [
        "Teaches Google Docs (confident)",
        "2 shared free periods (Mon · Period 4, Wed · Period 4)",
        "No current pairing",
        "1 session this week",
        "Same school",
        "Worked with Helen once",
        "1 kudos from Helen",
    ]
    assert "1 current pairing" in reasons["Maya Chen"].reasons
    assert "Teaches Google Docs (expert)" in reasons["Zoe Adeyemi"].reasons
    assert "No shared free period yet" in reasons["Zoe Adeyemi"].reasons
    assert other.id in {s.mentor.id for s in found}
    # The teacher reading their own suggestions is "you".
    mine = lists.suggestions(world.teacher, world.skill.id, "Google Docs", NOW, world.teacher)
    assert "Worked with you once" in _by_name(mine)["Leo Martins"].reasons


def test_skill_level_weighs_most_and_load_breaks_ties(db, world, make_mentor, pair):
    expert = make_mentor("Ava Thompson", world.school, {world.skill: 3})
    pair(mentor=world.mentor, teacher=world.teacher2)
    found = lists.suggestions(world.teacher, world.skill.id, "Google Docs", NOW, world.advisor)
    assert [s.mentor.id for s in found] == [expert.id, world.mentor2.id, world.mentor.id]
    assert found[0].score > found[1].score > found[2].score


def test_a_mentor_already_paired_with_the_teacher_is_not_suggested(db, world, pair):
    pair()
    found = lists.suggestions(world.teacher, world.skill.id, "Google Docs", NOW, world.advisor)
    assert [s.mentor.id for s in found] == [world.mentor2.id]


def test_another_school_and_no_skill(db, world, make_mentor, make_school_with_calendar):
    maple = make_school_with_calendar("Block 1, 09:00, 10:00", name="Maple Elementary School")
    away = make_mentor("Noah Kim", maple, {})
    found = lists.suggestions(world.teacher, None, None, NOW, world.advisor)
    assert "Another school" in _by_name(found)["Noah Kim"].reasons
    assert all(s.mentor.id != away.id for s in lists.suggestions(
        world.teacher, world.skill.id, "Google Docs", NOW, world.advisor
    ))  # fmt: skip


def test_shared_free_periods_compare_as_times_across_schools(
    db, world, free, make_mentor, make_school_with_calendar
):
    free()  # Helen: Period 4 (10:00-10:50) on Mon and Wed
    other = make_school_with_calendar("Block 2, 10:15, 11:30", name="Maple Elementary School")
    make_mentor("Noah Kim", other, {world.skill: 1}, "Block 2")
    early = make_mentor("Sofia Ramirez", other, {world.skill: 1})
    add_window(early, start_time=time(9, 0), end_time=time(10, 10))  # 10 minutes: too little
    db.session.commit()
    found = _by_name(lists.suggestions(world.teacher, world.skill.id, "Docs", NOW, world.advisor))
    assert [p.label for p in found["Noah Kim"].shared] == ["Mon · Period 4", "Wed · Period 4"]
    assert found["Sofia Ramirez"].shared == []


def test_free_spans_follow_the_bell_schedule_and_keep_free_holds_slots_inside(db, world, free):
    free()
    calendar = load_calendars([world.school])[world.school.id]
    spans = free_periods.free_spans(
        free_periods.free_spec(world.teacher), calendar, date(2026, 11, 2), date(2026, 11, 6)
    )
    # Mon 2 and Wed 4 Nov, 10:00-10:50 New York (UTC-5).
    assert [(s.start_at, s.end_at) for s in spans] == [
        (datetime(2026, 11, 2, 15, 0, tzinfo=UTC), datetime(2026, 11, 2, 15, 50, tzinfo=UTC)),
        (datetime(2026, 11, 4, 15, 0, tzinfo=UTC), datetime(2026, 11, 4, 15, 50, tzinfo=UTC)),
    ]
    inside = Span(SLOT, SLOT.replace(minute=30), FreePeriod("x"))
    straddling = Span(SLOT.replace(minute=30), SLOT.replace(hour=16, minute=0), FreePeriod("x"))
    tuesday = Span(SLOT.replace(day=3), SLOT.replace(day=3, minute=30), FreePeriod("x"))
    assert free_periods.keep_free([inside, straddling, tuesday], spans) == [inside]


def test_free_periods_on_a_rotation_are_chosen_per_day_type(db, world, make_user):
    from helpdesk.calendar import services as calendar

    schedule = calendar.save_schedule(
        world.school, "Rotation", calendar.parse_periods("Period 4, 10:00, 10:50")
    )
    calendar.save_day_type(world.school, "A", schedule, 1)
    calendar.save_day_type(world.school, "B", schedule, 2)
    db.session.commit()
    columns = free_periods.grid(world.school.id)
    assert [c.label for c in columns] == ["A day", "B day"]
    teacher = make_user(Role.TEACHER, school=world.school)
    free_periods.set_free_periods(teacher, [free_periods.choice_key(columns[1], "Period 4")])
    assert [p.label for p in free_periods.free_spec(teacher)] == ["B day · Period 4"]
