"""The recognition page: opted-in mentors' milestones and shared thanks, first name and last
initial only, the advisor's hiding, who may do what, and a fixed number of statements."""

import re
import threading
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest

from helpdesk.accounts.models import Role
from helpdesk.bookings.models import Booking, BookingFormat, BookingStatus
from helpdesk.hours import services as hours
from helpdesk.hours.models import EntryKind, EntryStatus
from helpdesk.hours.services import hours_settings
from helpdesk.mentors.models import MentorProfile
from helpdesk.recognition import milestones, services
from helpdesk.recognition.models import HiddenRecognition
from helpdesk.reflections.models import Reflection
from helpdesk.tips import services as tips
from helpdesk.tips.models import Device, TipVote
from tests.bookings.conftest import NOW
from tests.bookings.test_race import _signed_in_client

# Last school year, a Tuesday afternoon in New York: history before the world's term.
LAST_YEAR = datetime(2025, 9, 16, 18, 30, tzinfo=UTC)
TAG = re.compile(r"<[^>]+>")


def _text(html: str) -> str:
    """What a person reads in the page's main part, without its tags."""
    main = html.split("<main", 1)[-1].split("</main>", 1)[0]
    return " ".join(unescape(TAG.sub(" ", main)).split())


@pytest.fixture
def completed(db, world):
    """Completed sessions of a mentor, a week apart (each `minutes` long); returns them."""
    made = {"n": 0}

    def make(mentor, count: int, minutes: int = 30, status=BookingStatus.COMPLETED, teacher=None):
        sessions = []
        for _ in range(count):
            starts_at = LAST_YEAR + timedelta(weeks=made["n"])
            made["n"] += 1
            booking = Booking(
                mentor_id=mentor.id,
                teacher_id=(teacher or world.teacher).id,
                skill_id=world.skill.id,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=minutes),
                status=status,
                topic="Google Docs comments",
                learning_goal="Comment on student work",
                format=BookingFormat.IN_PERSON,
                room="Library",
            )
            db.session.add(booking)
            sessions.append(booking)
        db.session.commit()
        return sessions

    return make


def _opt_in(db, *mentors) -> None:
    for mentor in mentors:
        db.session.get(MentorProfile, mentor.id).is_recognition_public = True
    db.session.commit()


def _kudos(db, booking, text: str, shared: bool = True) -> Reflection:
    reflection = Reflection(
        booking_id=booking.id,
        author_id=booking.teacher_id,
        side="teacher",
        learned="Comments",
        rating=5,
        kudos=text,
        is_kudos_shared=shared,
        created_at=booking.ends_at,
    )
    db.session.add(reflection)
    db.session.commit()
    return reflection


def _page(viewer) -> milestones.RecognitionPage:
    return milestones.recognition_page(viewer, NOW)


def _milestones(page, mentor) -> dict[str, datetime | None]:
    [card] = [c for c in page.cards if c.mentor_id == mentor.id] or [None]
    return {} if card is None else {m.key: m.at for m in card.milestones}


# Opt-in and names ------------------------------------------------------------------------------


def test_nobody_appears_until_they_opt_in_in_their_profile(
    client, db, world, completed, login, make_user
):
    completed(world.mentor, 2)
    assert _page(make_user(Role.STAFF, school=world.school)).cards == []
    assert db.session.get(MentorProfile, world.mentor.id).is_recognition_public is False
    login(world.mentor)
    form = {
        "bio": "",
        "story": "",
        "weekly_cap": "",
        "offers_in_person": "y",
        "offers_online": "y",
        f"skill_{world.skill.id}": "2",
        "is_recognition_public": "y",
    }
    page = _text(client.get("/recognition/").get_data(as_text=True))
    assert "You don't appear on this page" in page and "No milestones to show yet." in page
    assert client.post_form("/mentors/me", form).status_code == 302
    assert db.session.get(MentorProfile, world.mentor.id).is_recognition_public is True
    page = _text(client.get("/recognition/").get_data(as_text=True))
    assert "Maya C. First session" in page and "You appear on this page" in page

    del form["is_recognition_public"]  # a cleared checkbox is left out of the post
    assert client.post_form("/mentors/me", form).status_code == 302
    assert "Maya C." not in _text(client.get("/recognition/").get_data(as_text=True))


def test_deactivated_and_anonymized_mentors_never_appear(db, world, completed, clock):
    completed(world.mentor, 1)
    completed(world.mentor2, 1)
    _opt_in(db, world.mentor, world.mentor2)
    world.mentor.is_active = False
    world.mentor2.anonymized_at = NOW
    db.session.commit()
    assert _page(world.advisor).cards == []


@pytest.mark.parametrize("who", ["teacher", "mentor", "advisor", "staff"])
def test_no_page_ever_shows_a_student_mentors_last_name(
    client, db, world, completed, login, make_user, who
):
    [with_maya] = completed(world.mentor, 1)
    [with_leo] = completed(world.mentor2, 1)
    _opt_in(db, world.mentor)  # Leo did not opt in, but a teacher may name him
    _kudos(db, with_maya, "Thank you Maya Chen! Ms. Park's class loved it. Leo Martins helped too.")
    _kudos(db, with_leo, "Leo Martins is a star.")
    viewer = {
        "teacher": world.teacher,
        "mentor": world.mentor2,
        "advisor": world.advisor,
        "staff": make_user(Role.STAFF, school=world.school),
    }[who]
    login(viewer)
    page = _text(client.get("/recognition/").get_data(as_text=True))
    assert "Thank you Maya C.! Ms. Park's class loved it. Leo M. helped too." in page
    assert "Chen" not in page and "Martins" not in page
    shown = page.split("Your thanks")[0]
    assert "Leo M. is a star" not in shown  # thanks to a mentor who did not opt in stay off
    if who == "teacher":  # their own kudos, listed to share, are cut the same way
        assert "“Leo M. is a star.” to Leo M." in page


# Milestones ------------------------------------------------------------------------------------


def test_first_and_tenth_completed_sessions_are_milestones_with_their_dates(db, world, completed):
    _opt_in(db, world.mentor)
    assert _milestones(_page(world.teacher), world.mentor) == {}
    sessions = completed(world.mentor, 9)
    completed(world.mentor, 3, status=BookingStatus.NO_SHOW)
    completed(world.mentor, 1, status=BookingStatus.CANCELLED)
    assert _milestones(_page(world.teacher), world.mentor) == {
        milestones.FIRST_SESSION: sessions[0].starts_at
    }
    [tenth] = completed(world.mentor, 1)
    assert _milestones(_page(world.teacher), world.mentor) == {
        milestones.FIRST_SESSION: sessions[0].starts_at,
        milestones.TEN_SESSIONS: tenth.starts_at,
    }


def test_twenty_five_hours_count_only_what_the_advisor_verified(db, world, completed):
    _opt_in(db, world.mentor)
    day = LAST_YEAR.date()

    def entry(key: str, minutes: int, kind=EntryKind.SESSION):
        return hours.record_activity(world.mentor, kind, key, "Session", day, minutes)

    for n in range(49):  # 24.5 hours verified
        hours.decide(entry(f"booking:{n}", 30), world.advisor, EntryStatus.VERIFIED)
    entry("booking:pending", 600)  # claimed, not yet verified: does not count
    rejected = entry("booking:rejected", 600)
    hours.decide(rejected, world.advisor, EntryStatus.REJECTED, reason="Not on the calendar")
    # A club meeting is extracurricular, not service learning.
    hours.decide(entry("manual:club", 600, EntryKind.MANUAL), world.advisor, EntryStatus.VERIFIED)
    db.session.commit()
    assert milestones.SERVICE_HOURS not in _milestones(_page(world.teacher), world.mentor)
    # Completed sessions alone earn nothing here until their entries are verified.
    completed(world.mentor, 10, minutes=60)
    assert milestones.SERVICE_HOURS not in _milestones(_page(world.teacher), world.mentor)

    late = entry("booking:late", 90)
    hours.decide(late, world.advisor, EntryStatus.ADJUSTED, minutes=30, reason="Left early")
    db.session.commit()
    [card] = _page(world.teacher).cards
    assert [(m.title, m.detail) for m in card.milestones if m.key == milestones.SERVICE_HOURS] == [
        ("25 hours of service", "25 hours so far")
    ]


def _tip(world, session, title: str):
    """A published tip the session's mentor wrote from it."""
    author = session.mentor
    tip = tips.create_tip(
        author=author,
        title=title,
        body="Steps.",
        skills=[world.skill],
        devices=[Device.ANY],
        booking=session,
    )
    tips.submit_tip(tip, by=author)
    tips.publish_tip(tip, by=world.advisor)
    return tip


def _votes(db, tip, voters, at: datetime) -> None:
    for voter in voters:
        db.session.add(TipVote(tip_id=tip.id, user_id=voter.id, created_at=at))
    db.session.commit()


def test_the_most_helpful_tip_counts_this_terms_votes_and_shows_only_if_its_author_opted_in(
    db, world, make_user, completed
):
    teachers = [make_user(Role.TEACHER, school=world.school) for _ in range(6)]
    mayas = _tip(world, completed(world.mentor, 1)[0], "Comment, don't edit")
    leos = _tip(world, completed(world.mentor2, 1)[0], "Suggesting mode")
    _votes(db, mayas, teachers[:2], NOW - timedelta(days=3))  # this term (it began Sep 1)
    _votes(db, leos, teachers[:5], datetime(2026, 5, 1, tzinfo=UTC))  # last term's
    _votes(db, leos, teachers[5:], NOW - timedelta(days=2))
    _opt_in(db, world.mentor, world.mentor2)
    page = _page(world.teacher)
    tops = [(c.name, m.tip_id) for c in page.cards for m in c.milestones if m.key == "top-tip"]
    assert tops == [("Maya C.", mayas.id)]
    db.session.get(MentorProfile, world.mentor.id).is_recognition_public = False
    db.session.commit()
    # Maya's stays the most helpful: nobody else is named in her place.
    assert not any(m.key == "top-tip" for c in _page(world.teacher).cards for m in c.milestones)


# Shared thanks ---------------------------------------------------------------------------------


def test_a_teacher_shares_kudos_from_the_reflection_form(client, db, world, book, login, clock):
    booking = book()
    booking.status = BookingStatus.COMPLETED
    db.session.commit()
    login(world.teacher)
    form = {
        "learned": "Comment mode",
        "rating": "5",
        "kudos": "Maya was so patient",
        "share_kudos": "y",
    }
    response = client.post_form(
        f"/sessions/{booking.id}/reflect", form, page=f"/sessions/{booking.id}"
    )
    assert response.status_code == 302
    reflection = db.session.scalar(db.select(Reflection))
    assert (reflection.kudos, reflection.is_kudos_shared) == ("Maya was so patient", True)
    _opt_in(db, world.mentor)
    [thanks] = _page(world.mentor2).thanks
    assert (thanks.text, thanks.teacher_name, thanks.mentor_name) == (
        "Maya was so patient",
        "Helen Park",
        "Maya C.",
    )


def test_the_share_box_without_kudos_shares_nothing(db, world, book):
    from helpdesk.reflections import services as reflections

    booking = book()
    booking.status = BookingStatus.COMPLETED
    answers = reflections.ReflectionInput(learned="x", rating=4, share_kudos=True)
    assert reflections.reflect(booking, world.teacher, answers).is_kudos_shared is False


def test_a_teacher_shares_and_stops_sharing_from_the_page(client, db, world, completed, login):
    [session] = completed(world.mentor, 1)
    reflection = _kudos(db, session, "Thanks, Maya!", shared=False)
    login(world.teacher)
    page = client.get("/recognition/").get_data(as_text=True)
    assert "Thanks, Maya!" in page and "Stop sharing" not in page
    share = f"/recognition/thanks/{reflection.id}/share"
    assert client.post_form(share, {}, page="/recognition/").status_code == 302
    db.session.refresh(reflection)
    assert reflection.is_kudos_shared
    page = _text(client.get("/recognition/").get_data(as_text=True))
    assert "shared, waiting for Maya C. to appear" in page  # not on the page until she opts in
    _opt_in(db, world.mentor)
    assert [t.text for t in _page(world.teacher).thanks] == ["Thanks, Maya!"]
    unshare = f"/recognition/thanks/{reflection.id}/unshare"
    assert client.post_form(unshare, {}, page="/recognition/").status_code == 302
    db.session.refresh(reflection)
    assert not reflection.is_kudos_shared and _page(world.teacher).thanks == []


# The advisor hides ----------------------------------------------------------------------------


def test_the_advisor_hides_a_milestone_and_a_thanks_and_shows_them_again(
    client, db, world, completed, login
):
    [session] = completed(world.mentor, 1)
    thanks = _kudos(db, session, "Brilliant help")
    _opt_in(db, world.mentor)
    login(world.advisor)
    for item in (milestones.FIRST_SESSION, milestones.thanks_item(thanks.id)):
        form = {"mentor_id": world.mentor.id, "item": item}
        assert client.post_form("/recognition/hide", form).status_code == 302
    everyone_else = _page(world.teacher)
    assert everyone_else.cards == [] and everyone_else.thanks == []
    page = _text(client.get("/recognition/").get_data(as_text=True))
    assert "First session Hidden Helped a teacher" in page
    assert "Show again : Maya C., First session" in page
    assert "Show again : thanks to Maya C." in page
    form = {"mentor_id": world.mentor.id, "item": milestones.FIRST_SESSION}
    assert client.post_form("/recognition/show", form).status_code == 302
    assert [c.name for c in _page(world.teacher).cards] == ["Maya C."]
    assert _page(world.teacher).thanks == []


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("first-sessions", "That item is not on the recognition page."),
        ("thanks:999", "That item is not on the recognition page."),
        ("thanks:abc", "That item is not on the recognition page."),
        ("", "That item is not on the recognition page."),
        ("x" * 41, "That item is not on the recognition page."),
    ],
)
def test_hiding_something_that_is_not_an_item_says_so_and_changes_nothing(
    client, db, world, login, item, message
):
    login(world.advisor)
    response = client.post_form("/recognition/hide", {"mentor_id": world.mentor.id, "item": item})
    assert response.status_code == 302
    assert message in client.get("/recognition/").get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(HiddenRecognition.id))) == 0


def test_hiding_another_mentors_thanks_or_a_teachers_item_is_refused(db, world, completed):
    [session] = completed(world.mentor, 1)
    thanks = _kudos(db, session, "Brilliant help")
    with pytest.raises(services.RecognitionError):
        services.hide_item(world.mentor2, milestones.thanks_item(thanks.id), world.advisor)
    with pytest.raises(services.RecognitionError):
        services.hide_item(world.teacher, milestones.FIRST_SESSION, world.advisor)


def test_hiding_a_mentor_who_does_not_exist_is_404(client, db, world, login):
    login(world.advisor)
    form = {"mentor_id": 99_999, "item": milestones.FIRST_SESSION}
    assert client.post_form("/recognition/hide", form).status_code == 404


# Who may do what -------------------------------------------------------------------------------


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/recognition/")
    assert response.status_code == 302 and response.location.startswith("/login")


@pytest.mark.parametrize("role", list(Role))
def test_everyone_signed_in_reads_the_page(client, db, login_as, role):
    login_as(role)
    assert client.get("/recognition/").status_code == 200


@pytest.mark.parametrize("role", [Role.TEACHER, Role.MENTOR, Role.STAFF])
@pytest.mark.parametrize("action", ["hide", "show"])
def test_only_the_advisor_hides_or_shows(client, db, world, login_as, role, action):
    login_as(role, school=world.school)
    form = {"mentor_id": world.mentor.id, "item": milestones.FIRST_SESSION}
    assert client.post_form(f"/recognition/{action}", form).status_code == 403
    assert db.session.scalar(db.select(db.func.count(HiddenRecognition.id))) == 0


@pytest.mark.parametrize("action", ["share", "unshare"])
def test_only_the_teacher_who_wrote_a_kudos_shares_it(
    client, db, world, completed, login, make_user, action
):
    [session] = completed(world.mentor, 1)
    reflection = _kudos(db, session, "Thanks!", shared=action == "unshare")
    path = f"/recognition/thanks/{reflection.id}/{action}"
    login(world.teacher2)
    assert client.post_form(path, {}, page="/recognition/").status_code == 404
    assert (
        client.post_form("/recognition/thanks/99999/share", {}, page="/recognition/").status_code
        == 404
    )
    client.post("/logout", data={"csrf_token": client.csrf_token("/")})
    login(world.mentor)
    assert client.post_form(path, {}, page="/recognition/").status_code == 403
    db.session.refresh(reflection)
    assert reflection.is_kudos_shared is (action == "unshare")


def test_a_mentor_cannot_share_a_teachers_kudos(client, db, world, completed, login):
    [session] = completed(world.mentor, 1)
    reflection = _kudos(db, session, "Thanks!", shared=False)
    login(world.mentor)
    path = f"/recognition/thanks/{reflection.id}/share"
    assert client.post_form(path, {}, page="/recognition/").status_code == 403
    db.session.refresh(reflection)
    assert reflection.is_kudos_shared is False


def test_a_post_without_its_csrf_token_is_refused(client, db, world, login):
    login(world.advisor)
    response = client.post(
        "/recognition/hide", data={"mentor_id": world.mentor.id, "item": "first-session"}
    )
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(HiddenRecognition.id))) == 0


# Concurrency and cost --------------------------------------------------------------------------


def test_two_advisors_hiding_the_same_item_at_once_leave_one_mark(app, db, world, make_user):
    advisors = [world.advisor, make_user(Role.ADVISOR, school=world.school)]
    clients = [_signed_in_client(app, advisor) for advisor in advisors]
    form = {"mentor_id": world.mentor.id, "item": milestones.FIRST_SESSION}
    db.session.commit()
    barrier = threading.Barrier(len(clients))
    codes: list = [None] * len(clients)

    def run(index, client, token):
        barrier.wait()
        response = client.post(
            "/recognition/hide",
            data={**form, "csrf_token": token},
        )
        codes[index] = response.status_code

    threads = [threading.Thread(target=run, args=(i, c, t)) for i, (c, t) in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert codes == [302, 302]
    assert db.session.scalar(db.select(db.func.count(HiddenRecognition.id))) == 1


def _recognized(db, world, completed, mentors) -> None:
    """Every milestone and a shared thanks for each of these mentors."""
    for mentor in mentors:
        sessions = completed(mentor, 11)
        _kudos(db, sessions[0], f"Thank you {mentor.full_name}")
        tip = _tip(world, sessions[1], f"A tip by {mentor.full_name}")
        _votes(db, tip, [world.teacher], NOW - timedelta(days=1))
    _opt_in(db, *mentors)


@pytest.mark.parametrize("who", ["teacher", "advisor"])
def test_the_page_costs_the_same_statements_for_3_or_9_mentors(
    client, db, world, completed, make_mentor, login, count_queries, who
):
    login(world.teacher if who == "teacher" else world.advisor)
    more = [
        make_mentor(f"Student{n} Lastname{n}", world.school, {world.skill: 1}) for n in range(7)
    ]
    _recognized(db, world, completed, [world.mentor, world.mentor2, more[0]])
    hours_settings()  # the district's settings row, there since the advisor first saved them
    db.session.commit()
    with count_queries() as few:
        assert client.get("/recognition/").status_code == 200
    _recognized(db, world, completed, more[1:])
    with count_queries() as many:
        page = client.get("/recognition/").get_data(as_text=True)
    assert page.count("<h3>") == 9
    assert "Lastname" not in _text(page)
    assert len(many) == len(few) <= 13, many  # 12, and the hours settings the milestone reads


def test_the_demo_shows_opted_in_mentors_with_milestones_and_shared_thanks(db, clock):
    from helpdesk.accounts.models import User
    from helpdesk.demo import DOMAIN, seed

    clock.now = NOW
    seed()
    db.session.commit()
    advisor = db.session.scalar(db.select(User).where(User.email == f"advisor@{DOMAIN}"))
    page = _page(advisor)
    assert {m.key for c in page.cards for m in c.milestones} == set(milestones.MILESTONES)
    assert len(page.cards) >= 3 and len(page.thanks) >= 3
