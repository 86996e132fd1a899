"""Tip rules: who writes from which session, the review state machine, votes, views, skills."""

import pytest

from helpdesk.accounts.models import Role
from helpdesk.bookings.models import BookingStatus
from helpdesk.tips import services
from helpdesk.tips.models import TRANSITIONS, Device, TipEvent, TipStatus, TipVote
from helpdesk.tips.services import TipError


def _new(author, skill, booking=None, **fields):
    values = {"title": "Trim a clip", "body": "Drag the *yellow* handles.", "skills": [skill],
              "devices": [Device.IPAD]} | fields  # fmt: skip
    return services.create_tip(author=author, booking=booking, **values)


def test_mentor_writes_a_draft_from_a_completed_session(db, make_booking, make_skill):
    booking = make_booking()
    tip = _new(booking.mentor, make_skill(), booking)
    assert tip.status is TipStatus.DRAFT
    assert (tip.author_id, tip.mentor_id, tip.source_booking_id) == (
        booking.mentor_id, booking.mentor_id, booking.id)  # fmt: skip
    assert tip.body_text == "Drag the yellow handles."
    assert tip.tags_text == "Google Docs"
    assert tip.device_list == [Device.IPAD]


@pytest.mark.parametrize("status", [BookingStatus.APPROVED, BookingStatus.REQUESTED])
def test_no_tip_from_a_session_that_is_not_completed(db, make_booking, make_skill, status):
    booking = make_booking(status=status)
    with pytest.raises(TipError):
        _new(booking.mentor, make_skill(), booking)


def test_only_the_sessions_mentor_or_the_advisor_write_from_it(
    db, make_booking, make_skill, make_user
):
    booking = make_booking()
    with pytest.raises(TipError):
        _new(make_user(Role.MENTOR), make_skill(), booking)
    with pytest.raises(TipError):
        _new(booking.teacher, make_skill(), booking)
    with pytest.raises(TipError):
        _new(booking.mentor, make_skill(), None)  # a mentor needs a session
    advisor = make_user(Role.ADVISOR)
    assert _new(advisor, make_skill(), booking).mentor_id == booking.mentor_id
    assert _new(advisor, make_skill()).mentor_id is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 121}, "120"),
        ({"body": ""}, "text"),
        ({"skills": []}, "skill"),
        ({"devices": []}, "device"),
    ],
)
def test_tip_shape_is_checked(db, make_user, make_skill, fields, message):
    with pytest.raises(TipError, match=message):
        _new(make_user(Role.ADVISOR), make_skill(), **fields)


def test_control_characters_are_stripped(db, make_user, make_skill):
    tip = _new(make_user(Role.ADVISOR), make_skill(), title="Tab\x00le\x02s", body="a\x03b\x00")
    assert (tip.title, tip.body, tip.body_text) == ("Tables", "ab", "ab")


def test_review_round_trip_records_history(db, make_booking, make_skill, make_user, clock):
    booking = make_booking()
    advisor = make_user(Role.ADVISOR)
    tip = _new(booking.mentor, make_skill(), booking)
    services.submit_tip(tip, by=booking.mentor)
    services.return_tip(tip, by=advisor, comment="Take out the room number.")
    assert tip.status is TipStatus.RETURNED and tip.review_comment == "Take out the room number."
    services.submit_tip(tip, by=booking.mentor)
    services.publish_tip(tip, by=advisor)
    assert tip.status is TipStatus.PUBLISHED and tip.published_at == clock.now
    steps = db.session.scalars(db.select(TipEvent.to_status).order_by(TipEvent.id)).all()
    assert steps == ["submitted", "returned", "submitted", "published"]
    services.return_tip(tip, by=advisor, comment="A student's name slipped in.")
    assert tip.status is TipStatus.RETURNED and tip.published_at is None


def test_every_step_outside_the_table_is_refused(db, make_user, make_skill):
    advisor = make_user(Role.ADVISOR)
    tip = _new(advisor, make_skill())
    for start in TipStatus:
        for end in TipStatus:
            if (start, end) in TRANSITIONS:
                continue
            tip.status = start
            tip.published_at = None
            with pytest.raises(TipError):
                services.change_status(tip, end, by=advisor)
    db.session.rollback()


def test_publishing_a_draft_and_people_without_the_role_are_refused(db, make_tip, make_user):
    draft = make_tip(status=TipStatus.DRAFT)
    with pytest.raises(TipError):
        services.publish_tip(draft, by=make_tip.advisor())  # not submitted yet
    submitted = make_tip(status=TipStatus.SUBMITTED)
    for role in (Role.TEACHER, Role.MENTOR, Role.STAFF):
        with pytest.raises(TipError):
            services.publish_tip(submitted, by=make_user(role))
        with pytest.raises(TipError):
            services.return_tip(submitted, by=make_user(role), comment="no")
    with pytest.raises(TipError):
        services.return_tip(submitted, by=make_tip.advisor(), comment="   ")
    with pytest.raises(TipError):
        services.submit_tip(draft, by=make_user(Role.MENTOR))  # not the author


def test_author_edits_only_drafts_and_returned_tips(db, make_booking, make_skill):
    booking = make_booking()
    tip = _new(booking.mentor, make_skill(), booking)
    services.submit_tip(tip, by=booking.mentor)
    with pytest.raises(TipError):
        services.update_tip(tip, by=booking.mentor, title="New", body="b", skills=[make_skill()],
                            devices=[Device.MAC])  # fmt: skip


def test_one_helpful_vote_per_person_counted_in_sql(db, make_tip, make_user):
    tip = make_tip()
    teacher, staff = make_user(Role.TEACHER), make_user(Role.STAFF)
    assert services.vote_helpful(tip, teacher) is True
    assert services.vote_helpful(tip, teacher) is False
    assert services.vote_helpful(tip, staff) is True
    db.session.commit()
    db.session.refresh(tip)
    assert tip.helpful_count == 2
    assert db.session.scalar(db.select(db.func.count(TipVote.id))) == 2
    with pytest.raises(TipError):
        services.vote_helpful(tip, tip.author)  # not on your own tip


def test_views_are_counted_in_sql(db, make_tip):
    tip = make_tip()
    services.record_view(tip)
    services.record_view(tip)
    db.session.commit()
    db.session.refresh(tip)
    assert tip.view_count == 2


def test_move_tips_to_skill_retags_and_reindexes(db, make_tip, make_skill):
    old, new, other = make_skill("Google Docs"), make_skill("Docs & Drive"), make_skill("Video")
    tip = make_tip(skills=[old, other])
    assert services.move_tips_to_skill(old.id, new.id) == 1
    db.session.commit()
    assert [s.name for s in tip.skills] == ["Docs & Drive", "Video"]
    assert services.search_tips("drive").tips == [tip]


def test_index_follows_status(db, make_tip):
    tip = make_tip(body="Use the zoom slider.")
    assert services.search_tips("slider").tips == [tip]
    services.return_tip(tip, by=make_tip.advisor(), comment="Name in it.")
    db.session.commit()
    assert services.search_tips("slider").tips == []
    services.submit_tip(tip, by=tip.author)
    services.update_tip(tip, by=make_tip.advisor(), title=tip.title, body="Use the zoom wheel.",
                        skills=tip.skills, devices=tip.devices)  # fmt: skip
    services.publish_tip(tip, by=make_tip.advisor())
    db.session.commit()
    assert services.search_tips("slider").tips == []
    assert services.search_tips("wheel").tips == [tip]
    db.session.delete(tip)
    db.session.commit()
    assert services.search_tips("wheel").tips == []
