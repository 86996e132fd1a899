"""Issue 16's whole program path, service by service: the advisor pairs from ranked, explained
suggestions; the pair agree norms and goals; they book a weekly A-day series that skips a holiday;
they meet; progress is recorded; the pairing closes with both reflections."""

from datetime import date, timedelta

from helpdesk.bookings.models import BookingStatus
from helpdesk.calendar import services as calendar
from helpdesk.pairings import free_periods, lists
from helpdesk.pairings import services as pairings
from helpdesk.pairings.models import GoalStatus, PairingStatus
from helpdesk.reflections.services import complete_session
from helpdesk.series import services as series
from tests.series.conftest import NOW, a_days, series_request


def test_pair_plan_meet_and_close(db, world):
    calendar.add_closure(world.school, date(2026, 11, 26), "Thanksgiving")
    free_periods.set_free_periods(world.teacher, [f"t{world.a_day.id}|Period 4"])
    db.session.commit()

    ranked = lists.suggestions(world.teacher, world.skill.id, world.skill.name, NOW, world.advisor)
    assert {s.mentor.id for s in ranked} == {world.mentor.id, world.mentor2.id}
    assert all(any("Google Classroom" in r for r in s.reasons) for s in ranked)
    assert all(any("shared free period" in r for r in s.reasons) for s in ranked)

    pairing = pairings.create_pairing(
        world.advisor, world.teacher, ranked[0].mentor,
        starts_on=date(2026, 11, 2), ends_on=date(2027, 1, 29), skill=world.skill,
        goals=["Post assignments in Classroom", "Grade with a rubric"], now=NOW,
    )  # fmt: skip
    mentor = pairing.mentor
    pairings.agree_norms(pairing, world.teacher, NOW)
    pairings.agree_norms(pairing, mentor, NOW)
    db.session.commit()

    # Every A day, Period 4, through November: the holiday is refused with its reason and the
    # rotation moves past it (the 27th becomes the A day).
    plan = series.plan_series(world.teacher, mentor, a_days(starts_on=date(2026, 11, 3)), NOW)
    by_day = {d.on.day: d for d in plan.dates}
    assert by_day[26].problem == "School closed: Thanksgiving"
    assert by_day[27].is_bookable and by_day[27].occurrence.day_type == "A"
    request = series_request(world, a_days(starts_on=date(2026, 11, 3)), mentor=mentor)
    outcome = series.book_series(world.teacher, request, NOW)
    db.session.commit()
    assert [b.starts_at for b in outcome.booked] == [d.start_at for d in plan.bookable]
    approved, _ = series.approve_series(outcome.series, world.advisor)
    db.session.commit()
    assert approved == len(plan.bookable)

    first = outcome.booked[0]
    complete_session(
        first, mentor, first.ends_at + timedelta(minutes=5), showed_up=True,
        covered="Posted the first assignment", steps="Try a rubric next", links="",
    )  # fmt: skip
    goal = pairing.goals[0]
    pairings.update_goal(goal, world.teacher, GoalStatus.MET, "Posted three this week", NOW)
    db.session.commit()
    assert first.status is BookingStatus.COMPLETED
    entries = lists.timeline(pairing, world.teacher, first.ends_at + timedelta(days=1))
    assert entries, "the pairing's timeline shows its sessions"

    later = NOW + timedelta(days=60)
    pairings.close_pairing(pairing, mentor, later)
    pairings.reflect(pairing, mentor, pairings.ReflectionInput(learned="Patience"), later)
    db.session.commit()
    written = pairings.reflections_of(pairing)
    assert [
        r.author_id for r in pairings.visible_reflections(pairing, world.teacher, written)
    ] == []
    pairings.reflect(pairing, world.teacher, pairings.ReflectionInput(learned="Rubrics"), later)
    db.session.commit()
    written = pairings.reflections_of(pairing)
    assert len(pairings.visible_reflections(pairing, world.teacher, written)) == 2
    assert len(pairings.visible_reflections(pairing, mentor, written)) == 2
    assert pairing.status is PairingStatus.CLOSED
