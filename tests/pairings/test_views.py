"""The pairing pages: who may see and do what, forms with bad input, the whole path by POST."""

import html
import re

import pytest
from sqlalchemy import select

from helpdesk.accounts.models import Role
from helpdesk.pairings import services
from helpdesk.pairings.models import (
    GoalStatus,
    GoalUpdate,
    Pairing,
    PairingReflection,
    PairingStatus,
    TeacherFreePeriod,
)
from tests.bookings.conftest import NOW


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _flash(response) -> list[str]:
    return re.findall(r'class="flash flash-\w+">([^<]+)<', _text(response))


def test_a_teacher_states_free_periods_once(client, db, world, sign_in):
    sign_in(world.teacher)
    page = _text(client.get("/pairings/free-periods"))
    assert "Times I'm free" in page and 'value="w0|Period 4"' in page
    response = client.post_form(
        "/pairings/free-periods", {"free": ["w0|Period 4", "w2|Period 6"]}, follow_redirects=True
    )
    assert "Saved: 2 free periods." in _flash(response)
    rows = db.session.scalars(select(TeacherFreePeriod).order_by(TeacherFreePeriod.id)).all()
    assert [(r.weekday, r.period_name) for r in rows] == [(0, "Period 4"), (2, "Period 6")]
    assert 'value="w2|Period 6" checked' in _text(client.get("/pairings/free-periods"))


def test_a_free_period_not_on_the_schedule_is_refused_and_nothing_changes(
    client, db, world, sign_in, free
):
    free()
    sign_in(world.teacher)
    response = client.post_form(
        "/pairings/free-periods", {"free": ["w0|Period 9"]}, follow_redirects=True
    )
    assert "Choose periods from your school's bell schedule." in _flash(response)
    assert db.session.scalar(select(db.func.count(TeacherFreePeriod.id))) == 2


@pytest.mark.parametrize("role", [Role.MENTOR, Role.ADVISOR, Role.STAFF])
def test_only_teachers_have_free_periods(client, login_as, role):
    login_as(role)
    assert client.get("/pairings/free-periods").status_code == 403


def test_a_teacher_asks_for_a_regular_mentor(client, db, world, sign_in):
    sign_in(world.teacher)
    response = client.post_form(
        "/pairings/request",
        {
            "focus": "I'd like a regular mentor for Google Docs",
            "skill_id": world.skill.id,
            "mentor_id": world.mentor2.id,
            "starts_on": "2026-11-02",
            "ends_on": "2027-01-29",
        },
        page="/pairings/request",
        follow_redirects=True,
    )
    page = _text(response)
    assert "Sent." in page and "Mentor asked for" in page and "Leo M." in page
    pairing = db.session.scalar(select(Pairing))
    assert pairing.status is PairingStatus.REQUESTED and pairing.asked_mentor_id == world.mentor2.id


def test_a_request_with_contact_details_or_bad_dates_is_refused(client, db, world, sign_in):
    sign_in(world.teacher)
    response = client.post_form(
        "/pairings/request",
        {"focus": "Text me on 555-123-4567", "starts_on": "2027-01-29", "ends_on": "2026-11-02"},
        page="/pairings/request",
    )
    page = _text(response)
    assert response.status_code == 200
    assert "phone number" in page and "on or after the start date" in page
    assert db.session.scalar(select(db.func.count(Pairing.id))) == 0


def test_the_advisor_pairs_from_ranked_suggestions_then_the_pair_works(
    client, db, world, sign_in, free
):
    free()
    sign_in(world.advisor)
    page = _text(client.get(f"/pairings/new?teacher={world.teacher.id}&skill={world.skill.id}"))
    assert "Suggested mentors, best first" in page
    assert (
        "Teaches Google Docs (confident) · 2 shared free periods (Mon · Period 4, Wed · Period 4)"
        in page
    )
    response = client.post_form(
        "/pairings/new",
        {
            "teacher_id": world.teacher.id,
            "mentor_id": world.mentor.id,
            "skill_id": world.skill.id,
            "starts_on": "2026-11-02",
            "ends_on": "2027-01-29",
            "goal_1": "Share a Doc for comments",
        },
        page=f"/pairings/new?teacher={world.teacher.id}",
        follow_redirects=True,
    )
    assert "Paired Maya C. with Helen Park." in _flash(response)
    pairing = db.session.scalar(select(Pairing))
    goal = pairing.goals[0]

    sign_in(world.teacher)
    page = _text(client.get(f"/pairings/{pairing.id}"))
    assert f"/series/new?mentor={world.mentor.id}&teacher={world.teacher.id}" in page
    assert f"/mentors/{world.mentor.id}?skill={world.skill.id}" in page
    client.post_form(f"/pairings/{pairing.id}/norms", page=f"/pairings/{pairing.id}")
    response = client.post_form(
        f"/pairings/{pairing.id}/goals/{goal.id}",
        {f"goal{goal.id}-status": "in_progress", f"goal{goal.id}-note": "Shared one"},
        page=f"/pairings/{pairing.id}",
        follow_redirects=True,
    )
    assert "Progress saved." in _flash(response)
    assert "In progress — Shared one" in _text(response)
    db.session.expire_all()
    assert db.session.get(Pairing, pairing.id).teacher_norms_at is not None
    assert db.session.scalar(select(GoalUpdate.status)) is GoalStatus.IN_PROGRESS

    response = client.post_form(
        f"/pairings/{pairing.id}/close", page=f"/pairings/{pairing.id}", follow_redirects=True
    )
    assert "The pairing has ended." in _text(response)
    response = client.post_form(
        f"/pairings/{pairing.id}/reflection",
        {"learned": "Comment-only sharing", "applied": "My class comments now"},
        page=f"/pairings/{pairing.id}",
        follow_redirects=True,
    )
    page = _text(response)
    assert "Your reflection" in page and "once they have written theirs" in page

    sign_in(world.mentor)
    page = _text(client.get(f"/pairings/{pairing.id}"))
    assert "Comment-only sharing" not in page  # not before both have written
    client.post_form(
        f"/pairings/{pairing.id}/reflection",
        {"about_program": "I liked teaching an adult"},
        page=f"/pairings/{pairing.id}",
    )
    page = _text(client.get(f"/pairings/{pairing.id}"))
    assert "Comment-only sharing" in page and "I liked teaching an adult" in page
    assert db.session.scalar(select(db.func.count(PairingReflection.id))) == 2


def test_the_advisor_approves_or_declines_a_request(client, db, world, sign_in):
    asked = services.request_pairing(
        world.teacher, skill=world.skill, focus="Docs", starts_on=NOW.date(),
        ends_on=NOW.date().replace(month=12), now=NOW,
    )  # fmt: skip
    other = services.request_pairing(
        world.teacher2, skill=None, focus="Podcasts", starts_on=NOW.date(),
        ends_on=NOW.date().replace(month=12), now=NOW,
    )  # fmt: skip
    db.session.commit()
    sign_in(world.advisor)
    page = _text(client.get(f"/pairings/{asked.id}"))
    assert "Approve with a mentor" in page and "Maya C." in page
    response = client.post_form(
        f"/pairings/{asked.id}/approve",
        {"mentor_id": world.mentor2.id, "starts_on": "2026-11-02", "ends_on": "2026-12-18"},
        page=f"/pairings/{asked.id}",
        follow_redirects=True,
    )
    assert "Approved: Leo M. is Helen Park's mentor." in _flash(response)
    response = client.post_form(
        f"/pairings/{other.id}/decline", {"reason": ""}, page=f"/pairings/{other.id}",
        follow_redirects=True,
    )  # fmt: skip
    assert "Say why." in _flash(response)
    client.post_form(
        f"/pairings/{other.id}/decline", {"reason": "No podcast mentor this term."},
        page=f"/pairings/{other.id}",
    )  # fmt: skip
    db.session.expire_all()
    assert db.session.get(Pairing, asked.id).mentor_id == world.mentor2.id
    assert db.session.get(Pairing, other.id).status is PairingStatus.DECLINED
    sign_in(world.teacher2)
    assert "No podcast mentor this term." in _text(client.get(f"/pairings/{other.id}"))


@pytest.mark.parametrize(
    "path",
    ["", "/norms", "/close", "/goals", "/reflection", "/approve", "/decline"],
)
def test_someone_elses_pairing_is_not_found(client, db, world, pair, sign_in, make_user, path):
    pairing = pair()
    other_mentor = make_user(Role.MENTOR, school=world.school)
    for outsider in (world.teacher2, other_mentor):
        sign_in(outsider)
        if path:
            response = client.post_form(f"/pairings/{pairing.id}{path}", page="/pairings/")
        else:
            response = client.get(f"/pairings/{pairing.id}")
        assert response.status_code in (403, 404) if path in ("/approve", "/decline") else 404
    assert db.session.get(Pairing, pairing.id).status is PairingStatus.ACTIVE


def test_a_goal_of_another_pairing_is_not_found(client, db, world, pair, sign_in):
    mine = pair()
    theirs = pair(teacher=world.teacher2)
    sign_in(world.teacher)
    response = client.post_form(
        f"/pairings/{mine.id}/goals/{theirs.goals[0].id}",
        {f"goal{theirs.goals[0].id}-status": "met"},
        page="/pairings/",
    )
    assert response.status_code == 404


@pytest.mark.parametrize("role", [Role.TEACHER, Role.MENTOR, Role.STAFF])
@pytest.mark.parametrize("path", ["/pairings/new", "/pairings/health"])
def test_advisor_pages_are_forbidden_to_others(client, login_as, role, path):
    login_as(role)
    assert client.get(path).status_code == 403


def test_staff_have_no_pairings(client, login_as):
    login_as(Role.STAFF)
    assert client.get("/pairings/").status_code == 403


def test_a_post_without_csrf_token_is_refused(client, db, world, pair, sign_in):
    pairing = pair()
    sign_in(world.teacher)
    response = client.post(f"/pairings/{pairing.id}/close")
    assert response.status_code == 400
    assert db.session.get(Pairing, pairing.id).status is PairingStatus.ACTIVE


def test_the_index_lists_each_persons_pairings(client, db, world, pair, sign_in):
    pair()
    pair(mentor=world.mentor2, teacher=world.teacher2)
    sign_in(world.teacher)
    page = _text(client.get("/pairings/"))
    assert "Maya C. & Helen Park" in page and "Robert Gaines" not in page
    sign_in(world.advisor)
    page = _text(client.get("/pairings/"))
    assert "Maya C. & Helen Park" in page and "Leo M. & Robert Gaines" in page
