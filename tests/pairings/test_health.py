"""The advisor's health page: sessions held, last met, goals met, a flag for active pairs that
have not met in two weeks; filters by school and status. And the demo shows pairings alive."""

import html
from datetime import timedelta

from sqlalchemy import select

from helpdesk.accounts.models import Role
from helpdesk.bookings.models import Booking, BookingFormat, BookingStatus
from helpdesk.pairings import lists, services
from helpdesk.pairings.models import GoalStatus, Pairing, PairingReflection, PairingStatus
from tests.bookings.conftest import NOW, SLOT


def _met(db, world, mentor, teacher, when, status=BookingStatus.COMPLETED):
    db.session.add(
        Booking(
            mentor_id=mentor.id,
            teacher_id=teacher.id,
            skill_id=world.skill.id,
            starts_at=when,
            ends_at=when + timedelta(minutes=30),
            status=status,
            topic="Docs",
            learning_goal="Goal",
            format=BookingFormat.IN_PERSON,
            room="B12",
        )  # fmt: skip
    )
    db.session.commit()


def test_health_counts_sessions_goals_and_flags_pairs_not_met_in_two_weeks(db, world, pair):
    recent = pair()
    quiet = pair(mentor=world.mentor2, teacher=world.teacher2, goals=("One",))
    _met(db, world, world.mentor, world.teacher, SLOT)
    _met(db, world, world.mentor, world.teacher, SLOT + timedelta(days=7))
    _met(db, world, world.mentor, world.teacher, SLOT + timedelta(days=8), BookingStatus.CANCELLED)
    _met(db, world, world.mentor2, world.teacher2, SLOT)
    services.update_goal(recent.goals[0], world.teacher, GoalStatus.MET, "", NOW)
    db.session.commit()

    now = SLOT + timedelta(days=20)  # 13 days after Helen's last session, 20 after Robert's
    rows = {r.pairing.id: r for r in lists.health(now)}
    assert rows[recent.id].sessions_held == 2
    assert rows[recent.id].last_met_at == SLOT + timedelta(days=7)
    assert (rows[recent.id].goals_met, rows[recent.id].goals) == (1, 2)
    assert not rows[recent.id].needs_attention
    assert rows[quiet.id].needs_attention and rows[quiet.id].sessions_held == 1
    assert next(iter(lists.health(now))).pairing.id == quiet.id  # flagged first


def test_a_new_pair_is_flagged_only_two_weeks_after_it_started(db, world, pair):
    pairing = pair()
    start = lists._day_bounds(pairing)[0]
    assert not lists.health(start + timedelta(days=13))[0].needs_attention
    assert lists.health(start + timedelta(days=15))[0].needs_attention
    services.close_pairing(pairing, world.advisor, NOW)
    db.session.commit()
    assert not lists.health(start + timedelta(days=30))[0].needs_attention  # closed: no flag


def test_health_filters_by_school_and_status(
    client, db, world, pair, sign_in, make_school_with_calendar, make_user, make_mentor
):
    maple = make_school_with_calendar("Block 1, 09:00, 10:00", name="Maple Elementary School")
    far_teacher = make_user(Role.TEACHER, full_name="Nancy Huang", school=maple)
    far = pair(mentor=make_mentor("Noah Kim", maple, {world.skill: 1}), teacher=far_teacher)
    near = pair()
    services.close_pairing(near, world.advisor, NOW)
    db.session.commit()
    assert [r.pairing.id for r in lists.health(NOW, school_id=maple.id)] == [far.id]
    assert [r.pairing.id for r in lists.health(NOW, status="closed")] == [near.id]
    sign_in(world.advisor)
    page = html.unescape(client.get(f"/pairings/health?school={maple.id}").get_data(as_text=True))
    assert "Noah K. & Nancy Huang" in page and "Helen Park" not in page
    page = html.unescape(client.get("/pairings/health?status=bogus").get_data(as_text=True))
    assert "2 pairings" in page  # an unknown status filters nothing


def test_the_demo_shows_pairings_alive_and_seeding_twice_adds_nothing(app, db, clock):
    from helpdesk.demo import seed

    clock.now = NOW + timedelta(days=14)
    seed()
    db.session.commit()
    pairings = db.session.scalars(select(Pairing)).all()
    statuses = sorted(p.status.value for p in pairings)
    assert statuses == ["active", "active", "active", "closed", "requested"]
    assert db.session.scalar(select(db.func.count(PairingReflection.id))) == 2
    rows = lists.health(clock.now)
    assert sum(r.needs_attention for r in rows) == 1
    assert any(r.goals_met for r in rows)
    assert all(p.goals for p in pairings if p.status is not PairingStatus.REQUESTED)
    from helpdesk.pairings.models import TeacherFreePeriod

    assert db.session.scalar(select(db.func.count(TeacherFreePeriod.id))) >= 10
    assert seed() == 0
