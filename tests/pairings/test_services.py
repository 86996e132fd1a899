"""Pairing services: create, request, approve, decline, norms, goals with history, closing."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from helpdesk.notifications.models import Notification
from helpdesk.pairings import services
from helpdesk.pairings.models import GoalStatus, GoalUpdate, Pairing, PairingStatus
from tests.bookings.conftest import NOW
from tests.pairings.conftest import TERM


def _notes(db, user) -> list[str]:
    return list(
        db.session.scalars(select(Notification.message).where(Notification.user_id == user.id))
    )


def test_the_advisor_pairs_a_mentor_with_a_teacher_and_both_are_told(db, world, pair):
    pairing = pair()
    assert pairing.status is PairingStatus.ACTIVE
    assert [g.text for g in pairing.goals] == ["Set up a Classroom", "Grade with rubrics"]
    assert [g.position for g in pairing.goals] == [1, 2]
    assert any("You are paired" in m for m in _notes(db, world.teacher))
    assert any("You are paired" in m for m in _notes(db, world.mentor))


def test_a_second_active_pairing_of_the_same_two_is_refused_and_nothing_changes(db, world, pair):
    pair()
    with pytest.raises(services.PairingError, match="already has an active pairing"):
        pair()
    db.session.rollback()
    assert db.session.scalar(select(db.func.count(Pairing.id))) == 1


def test_after_closing_the_same_two_may_be_paired_again(db, world, pair):
    first = pair()
    services.close_pairing(first, world.advisor, NOW)
    db.session.commit()
    second = pair()
    assert second.id != first.id and second.is_active


@pytest.mark.parametrize(
    ("goals", "message"),
    [(("a", "b", "c", "d"), "at most 3"), ((), None)],
)
def test_goals_are_one_to_three(db, world, pair, goals, message):
    if message:
        with pytest.raises(services.PairingError, match=message):
            pair(goals=goals)
    else:
        pairing = pair(goals=goals)
        with pytest.raises(services.PairingError, match="at least one"):
            services.add_goals(pairing, world.teacher, ["", "  "], NOW)
        services.add_goals(pairing, world.mentor, ["Share a Doc"], NOW)
        assert [g.text for g in pairing.goals] == ["Share a Doc"]


def test_bad_dates_and_people_are_refused(db, world):
    with pytest.raises(services.PairingError, match="end on or after"):
        services.create_pairing(
            world.advisor, world.teacher, world.mentor, starts_on=TERM[1], ends_on=TERM[0], now=NOW
        )
    with pytest.raises(services.PairingError, match="active student mentor"):
        services.create_pairing(
            world.advisor,
            world.teacher,
            world.teacher2,
            starts_on=TERM[0],
            ends_on=TERM[1],
            now=NOW,
        )
    with pytest.raises(services.PairingError, match="Only the advisor"):
        services.create_pairing(
            world.teacher, world.teacher, world.mentor, starts_on=TERM[0], ends_on=TERM[1], now=NOW
        )


def test_a_teachers_request_is_approved_with_a_chosen_mentor(db, world):
    request = services.request_pairing(
        world.teacher, skill=world.skill, focus="I'd like a regular mentor for Docs",
        starts_on=TERM[0], ends_on=TERM[1], asked_mentor=world.mentor2, now=NOW,
    )  # fmt: skip
    db.session.commit()
    assert request.status is PairingStatus.REQUESTED and request.mentor_id is None
    assert any("would like a regular mentor" in m for m in _notes(db, world.advisor))
    with pytest.raises(services.PairingError, match="still waiting"):
        services.request_pairing(
            world.teacher, skill=None, focus="Again", starts_on=TERM[0], ends_on=TERM[1], now=NOW
        )
    services.approve_request(
        request, world.advisor, world.mentor, starts_on=TERM[0], ends_on=TERM[1],
        goals=["Share a Doc"], now=NOW,
    )  # fmt: skip
    db.session.commit()
    assert request.status is PairingStatus.ACTIVE and request.mentor_id == world.mentor.id
    assert [g.text for g in request.goals] == ["Share a Doc"]
    assert any("Pairing approved" in m for m in _notes(db, world.mentor))
    with pytest.raises(services.PairingError, match="decided already"):
        services.decline_request(request, world.advisor, "No", NOW)


def test_a_request_is_declined_with_a_reason(db, world):
    request = services.request_pairing(
        world.teacher, skill=None, focus="Podcasts", starts_on=TERM[0], ends_on=TERM[1], now=NOW
    )
    with pytest.raises(services.PairingError, match="Say why"):
        services.decline_request(request, world.advisor, "  ", NOW)
    services.decline_request(request, world.advisor, "No podcast mentor this term.", NOW)
    db.session.commit()
    assert request.status is PairingStatus.DECLINED
    assert request.decline_reason == "No podcast mentor this term."
    assert any("declined" in m for m in _notes(db, world.teacher))


def test_approving_into_an_existing_active_pair_is_refused(db, world, pair):
    pair()
    request = services.request_pairing(
        world.teacher, skill=None, focus="More Docs", starts_on=TERM[0], ends_on=TERM[1], now=NOW
    )
    db.session.commit()
    with pytest.raises(services.PairingError, match="already has an active pairing"):
        services.approve_request(
            request, world.advisor, world.mentor, starts_on=TERM[0], ends_on=TERM[1], now=NOW
        )
    db.session.rollback()
    assert db.session.get(Pairing, request.id).status is PairingStatus.REQUESTED


def test_norms_are_agreed_once_by_each_side(db, world, pair):
    pairing = pair()
    services.agree_norms(pairing, world.teacher, NOW)
    assert pairing.teacher_norms_at == NOW and not pairing.norms_agreed
    with pytest.raises(services.PairingError, match="already"):
        services.agree_norms(pairing, world.teacher, NOW)
    services.agree_norms(pairing, world.mentor, NOW)
    assert pairing.norms_agreed
    with pytest.raises(services.PairingError):
        services.agree_norms(pairing, world.advisor, NOW)


def test_goal_progress_keeps_its_history_and_either_side_may_update(db, world, pair):
    pairing = pair()
    goal = pairing.goals[0]
    services.update_goal(goal, world.mentor, GoalStatus.IN_PROGRESS, "Made the class", NOW)
    later = NOW + timedelta(days=7)
    services.update_goal(goal, world.teacher, GoalStatus.MET, "Posted the first assignment", later)
    db.session.commit()
    history = db.session.scalars(select(GoalUpdate).order_by(GoalUpdate.id)).all()
    assert [(u.author_id, u.status, u.note) for u in history] == [
        (world.mentor.id, GoalStatus.IN_PROGRESS, "Made the class"),
        (world.teacher.id, GoalStatus.MET, "Posted the first assignment"),
    ]
    assert goal.status is GoalStatus.MET and goal.updated_at == later
    with pytest.raises(services.PairingError, match="Nothing changed"):
        services.update_goal(goal, world.teacher, GoalStatus.MET, "", later)
    with pytest.raises(services.PairingError):
        services.update_goal(goal, world.teacher2, GoalStatus.IN_PROGRESS, "", later)


def test_closing_then_reflections_are_seen_by_the_other_side_only_when_both_wrote(db, world, pair):
    pairing = pair()
    with pytest.raises(services.PairingError, match="once the pairing has ended"):
        services.reflect(pairing, world.teacher, services.ReflectionInput(learned="x"), NOW)
    services.close_pairing(pairing, world.mentor, NOW)
    db.session.commit()
    assert pairing.status is PairingStatus.CLOSED and pairing.closed_by_id == world.mentor.id
    assert any("Pairing ended" in m for m in _notes(db, world.teacher))
    assert any("Pairing ended" in m for m in _notes(db, world.advisor))
    with pytest.raises(services.PairingError, match="Only an active"):
        services.close_pairing(pairing, world.teacher, NOW)
    with pytest.raises(services.PairingError, match="at least one"):
        services.reflect(pairing, world.teacher, services.ReflectionInput(), NOW)

    services.reflect(
        pairing, world.teacher, services.ReflectionInput(learned="Rubrics", applied="Grading"), NOW
    )
    db.session.commit()
    written = services.reflections_of(pairing)
    assert [r.author_id for r in services.visible_reflections(pairing, world.teacher, written)] == [
        world.teacher.id
    ]
    assert services.visible_reflections(pairing, world.mentor, written) == []
    assert len(services.visible_reflections(pairing, world.advisor, written)) == 1
    with pytest.raises(services.PairingError, match="already"):
        services.reflect(pairing, world.teacher, services.ReflectionInput(learned="Again"), NOW)
    db.session.rollback()

    services.reflect(pairing, world.mentor, services.ReflectionInput(about_program="Fun"), NOW)
    db.session.commit()
    written = services.reflections_of(pairing)
    for viewer in (world.teacher, world.mentor, world.advisor):
        assert len(services.visible_reflections(pairing, viewer, written)) == 2


def test_the_pairing_dates_can_be_a_whole_term_but_not_years(db, world):
    with pytest.raises(services.PairingError, match="school year"):
        services.create_pairing(
            world.advisor, world.teacher, world.mentor, starts_on=date(2026, 9, 1),
            ends_on=date(2028, 9, 1), now=NOW,
        )  # fmt: skip
