"""The People page's leaving flows: deactivation choices per session, and anonymizing a class
(counts first, a typed confirmation, then the done message); only the advisor may."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from helpdesk.accounts.models import Role, User
from helpdesk.bookings import commands
from helpdesk.bookings.models import Booking, BookingStatus
from helpdesk.mail.models import OutboxMessage
from helpdesk.requests import services as desk
from helpdesk.requests.models import HelpRequest, RequestStatus
from tests.bookings.conftest import SLOT


def _deactivate(client, user_id: int, choices: dict):
    return client.post_form(
        f"/people/{user_id}/deactivate", {"confirmed": "yes", **choices}, page="/people/"
    )


def test_the_confirm_page_offers_each_session_to_the_mentors_free_then(
    client, db, world, login, book
):
    booking = book()
    login(world.advisor)
    page = client.get(f"/people/{world.mentor.id}/deactivate").get_data(as_text=True)
    assert "1 upcoming session: choose what happens" in page
    assert f'name="session-{booking.id}" value="cancel" checked' in page
    assert f'name="session-{booking.id}" value="{world.mentor2.id}"> Reassign to Leo M.' in page


def test_cancelling_tells_the_teacher_which_mentors_are_free_then(
    client, db, world, login, book, outbox
):
    booking = book()
    commands.approve_booking(booking, world.advisor)
    db.session.commit()
    login(world.advisor)
    response = _deactivate(client, world.mentor.id, {f"session-{booking.id}": "cancel"})
    assert response.status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, world.mentor.id).is_active
    assert db.session.get(Booking, booking.id).status is BookingStatus.CANCELLED
    notice = outbox(world.teacher.email)[-1]
    assert "Maya C. has left the student tech team" in notice.body
    assert "Other mentors who can teach this at the same time: Leo M." in notice.body
    assert notice.calendar_method == "CANCEL"
    assert "1 session cancelled with notice" in client.get("/people/").get_data(as_text=True)


def test_reassigning_gives_the_session_to_the_chosen_mentor_and_releases_requests(
    client, db, world, login, book, clock
):
    booking = book()
    request = desk.open_request(
        world.teacher2, desk.NewRequest(skill_id=world.skill.id, summary="Projector"), clock.now
    )
    desk.claim_request(request, world.mentor, clock.now)
    db.session.commit()
    login(world.advisor)
    _deactivate(client, world.mentor.id, {f"session-{booking.id}": str(world.mentor2.id)})
    db.session.expire_all()
    moved = db.session.get(Booking, booking.id)
    assert moved.mentor_id == world.mentor2.id and moved.status is BookingStatus.REQUESTED
    released = db.session.get(HelpRequest, request.id)
    assert released.status is RequestStatus.OPEN and released.mentor_id is None
    assert not db.session.get(User, world.mentor.id).is_active


def test_a_reassignment_that_conflicts_changes_nothing_and_says_why(client, db, world, login, book):
    booking = book()
    # Leo is booked at the same time meanwhile, after the advisor looked.
    book(teacher=world.teacher2, mentor=world.mentor2)
    login(world.advisor)
    response = _deactivate(
        client, world.mentor.id, {f"session-{booking.id}": str(world.mentor2.id)}
    )
    assert response.location.endswith(f"/people/{world.mentor.id}/deactivate")
    page = client.get(response.location).get_data(as_text=True)
    assert "Nothing has changed:" in page and "Leo M." in page
    db.session.expire_all()
    assert db.session.get(User, world.mentor.id).is_active
    assert db.session.get(Booking, booking.id).mentor_id == world.mentor.id


def test_a_session_added_after_the_page_was_shown_stops_the_deactivation(
    client, db, world, login, book
):
    first = book()
    login(world.advisor)
    book(starts_at=SLOT + timedelta(days=7))  # booked while the advisor read the page
    response = _deactivate(client, world.mentor.id, {f"session-{first.id}": "cancel"})
    page = client.get(response.location).get_data(as_text=True)
    assert "Their sessions changed since the page was shown" in page
    db.session.expire_all()
    assert db.session.get(Booking, first.id).status is BookingStatus.REQUESTED
    assert db.session.get(User, world.mentor.id).is_active


def test_anonymize_page_shows_counts_then_refuses_a_wrong_confirmation(
    client, db, world, graduate, login
):
    login(world.advisor)
    page = client.get("/people/anonymize").get_data(as_text=True)
    assert "2026 (1 student mentor)" in page and "2027 (1 student mentor)" in page
    page = client.get("/people/anonymize?class_of=2026").get_data(as_text=True)
    assert "1 student mentor of the class of 2026" in page
    assert "Type ANONYMIZE 2026 to confirm" in page

    for wrong, message in (
        ("anonymize 2026", "Type ANONYMIZE 2026 exactly, in capitals."),
        ("ANONYMIZE 2027", "Type ANONYMIZE 2026 exactly, in capitals."),
        ("", "Type the confirmation."),
    ):
        response = client.post_form(
            "/people/anonymize",
            {"class_of": "2026", "confirmation": wrong},
            page="/people/anonymize",
        )
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
        db.session.expire_all()
        assert db.session.get(User, world.mentor.id).full_name == "Maya Chen"

    response = client.post_form(
        "/people/anonymize",
        {"class_of": "2026", "confirmation": "ANONYMIZE 2026"},
        page="/people/anonymize",
    )
    assert response.status_code == 302
    people = client.get("/people/").get_data(as_text=True)
    assert "names and emails replaced" in people
    assert f"Former mentor {world.mentor.id}" in people and "Maya Chen" not in people
    assert "Leo Martins" in people


@pytest.mark.parametrize("role", [Role.TEACHER, Role.MENTOR, Role.STAFF])
def test_only_the_advisor_may_deactivate_or_anonymize(client, db, world, graduate, login_as, role):
    login_as(role)
    assert client.get("/people/anonymize?class_of=2026").status_code == 403
    assert client.get(f"/people/{world.mentor.id}/class-of").status_code == 403
    response = client.post_form(
        "/people/anonymize", {"class_of": "2026", "confirmation": "ANONYMIZE 2026"}
    )
    assert response.status_code == 403
    response = client.post_form(f"/people/{world.mentor.id}/deactivate", {"confirmed": "yes"})
    assert response.status_code == 403
    db.session.expire_all()
    maya = db.session.get(User, world.mentor.id)
    assert maya.full_name == "Maya Chen" and maya.is_active


def test_deactivating_an_unknown_person_is_404(client, db, world, login):
    login(world.advisor)
    assert client.post_form("/people/99999/deactivate", {"confirmed": "yes"}).status_code == 404


def test_invite_and_import_set_the_class_of(client, db, world, login, outbox):
    login(world.advisor)
    client.post_form(
        "/people/invite",
        {
            "full_name": "Ana Lopez",
            "email": "ana@students.example.org",
            "role": "mentor",
            "school_id": world.school.id,
            "grade": "11",
            "class_of": "2028",
        },
        page="/people/invite",
    )
    ana = db.session.scalar(select(User).where(User.email == "ana@students.example.org"))
    assert ana.class_of == 2028
    assert "(grade 11, class of 2028)" in client.get("/people/").get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(OutboxMessage.id))) >= 1


def test_import_reads_an_optional_class_of_and_refuses_a_bad_one(client, db, world, login):
    import io

    login(world.advisor)
    header = "email,name,role,school,grade,class_of\n"

    def upload(rows: str):
        return client.post_form(
            "/people/import",
            {"file": (io.BytesIO((header + rows).encode()), "people.csv")},
            page="/people/import",
            content_type="multipart/form-data",
        )

    page = upload("zoe@students.example.org,Zoe Adeyemi,mentor,Lincoln High School,12,26\n")
    assert "class_of &#39;26&#39; is not a year like 2027" in page.get_data(as_text=True)
    upload(
        "zoe@students.example.org,Zoe Adeyemi,mentor,Lincoln High School,12,2027\n"
        "kim@school.example.org,Kim Lee,teacher,Lincoln High School,,\n"
    )
    zoe = db.session.scalar(select(User).where(User.email == "zoe@students.example.org"))
    assert zoe.class_of == 2027
    kim = db.session.scalar(select(User).where(User.email == "kim@school.example.org"))
    assert kim.class_of is None


def test_after_anonymizing_session_lists_and_tips_show_the_placeholder(
    client, db, world, graduate, login, clock
):
    from helpdesk.people import anonymize

    anonymize.anonymize_class(2026, world.advisor, clock.now)
    db.session.commit()
    login(world.teacher)
    sessions = client.get("/sessions/?when=past").get_data(as_text=True)
    sessions += client.get("/sessions/").get_data(as_text=True)
    assert f"Former mentor {world.mentor.id}" in sessions and "Former m." not in sessions
    assert "Maya" not in sessions
    tip = client.get(f"/tips/{graduate.tip.id}").get_data(as_text=True)
    assert "a former student mentor" in tip and "Maya" not in tip


def test_the_advisor_sets_a_mentors_class_of_and_bad_years_are_refused(client, db, world, login):
    login(world.advisor)
    page = f"/people/{world.mentor.id}/class-of"
    assert "Graduation year: Maya Chen" in client.get(page).get_data(as_text=True)
    response = client.post_form(page, {"class_of": "27"}, page=page)
    assert response.status_code == 200 and "A year like 2027." in response.get_data(as_text=True)
    assert client.post_form(page, {"class_of": "2027"}, page=page).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.mentor.id).class_of == 2027
    teacher_page = f"/people/{world.teacher.id}/class-of"
    response = client.post_form(teacher_page, {"class_of": "2027"}, page=teacher_page)
    assert "Only student mentors have a graduation year." in response.get_data(as_text=True)
    assert client.get("/people/99999/class-of").status_code == 404


def test_an_anonymized_graduate_cannot_be_reactivated(client, db, world, graduate, login, clock):
    from helpdesk.people import anonymize

    anonymize.anonymize_class(2026, world.advisor, clock.now)
    db.session.commit()
    login(world.advisor)
    response = client.post_form(
        f"/people/{world.mentor.id}/reactivate", page="/people/", follow_redirects=True
    )
    assert "cannot be reactivated" in response.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(User, world.mentor.id).is_active
