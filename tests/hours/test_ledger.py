"""The ledger's rules, called as services: entries from completed sessions and resolved help
requests, manual entries, idempotent recording, verification and its history, backfill."""

from datetime import date

import pytest

from helpdesk.accounts.models import Role
from helpdesk.hours import lists
from helpdesk.hours import services as hours
from helpdesk.hours.models import EntryKind, EntryStatus, HoursEntry, HoursEvent, Side
from helpdesk.requests import services as desk
from helpdesk.requests.lifecycle import RequestError
from helpdesk.requests.models import RequestStatus
from tests.hours.conftest import entries_of

S = EntryStatus


def test_a_completed_session_makes_a_pending_entry_for_mentor_and_teacher(db, world, complete):
    booking = complete(minutes=45)
    (mentor_entry,) = entries_of(db, world.mentor)
    (teacher_entry,) = entries_of(db, world.teacher)
    assert mentor_entry.side is Side.SERVICE and teacher_entry.side is Side.PD
    for entry in (mentor_entry, teacher_entry):
        assert entry.kind is EntryKind.SESSION and entry.status is S.PENDING
        assert entry.source_key == f"booking:{booking.id}"
        assert entry.minutes_claimed == 45 and entry.counted_minutes == 0
        assert entry.title == "Session: Sharing a Doc with my class"
        assert entry.occurred_on == date(2026, 11, 4)  # the school's day, not UTC's
    assert lists.totals_for(world.mentor) == lists.Totals(45, 0, 0, 1)


def test_a_no_show_earns_nothing(db, world, book, clock):
    from datetime import timedelta

    from helpdesk.bookings import commands as bookings
    from helpdesk.reflections import services as reflections

    booking = book()
    bookings.approve_booking(booking, world.advisor)
    clock.now = booking.ends_at + timedelta(minutes=1)
    reflections.complete_session(
        booking, world.mentor, clock.now, showed_up=False, covered="", steps="", links=""
    )
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(HoursEntry.id))) == 0


def test_recording_the_same_activity_twice_makes_one_entry(db, world):
    first = hours.record_activity(
        world.mentor, EntryKind.WORKSHOP, "workshop:7", "Slides basics", date(2026, 11, 5), 50
    )
    again = hours.record_activity(
        world.mentor, "workshop", "workshop:7", "Slides basics (renamed)", date(2026, 11, 5), 90
    )
    db.session.commit()
    assert again.id == first.id and again.minutes_claimed == 50
    assert len(entries_of(db, world.mentor)) == 1
    # The database is the backstop: a second row under the same key is refused.
    with pytest.raises(Exception, match="(?i)unique"), db.session.begin_nested():
        db.session.add(
            HoursEntry(
                person_id=world.mentor.id, side=Side.SERVICE, kind=EntryKind.WORKSHOP,
                source_key="workshop:7", title="x", occurred_on=date(2026, 11, 5),
                minutes_claimed=5,
            )
        )  # fmt: skip
        db.session.flush()


def test_workshop_attendees_each_get_an_entry_staff_and_advisor_none(db, world, make_user):
    staff = make_user(Role.STAFF, school=world.school)
    made = hours.record_workshop(
        3,
        "Slides basics",
        date(2026, 11, 5),
        50,
        [world.mentor, world.teacher, staff, world.advisor],
    )
    db.session.commit()
    assert sorted(e.person_id for e in made) == sorted([world.mentor.id, world.teacher.id])
    assert {e.source_key for e in made} == {"workshop:3"}


def test_resolving_a_help_request_records_the_mentors_time(db, world, claimed, clock):
    help_request = claimed()
    desk.resolve_request(help_request, world.mentor, clock.now, minutes=25)
    db.session.commit()
    (entry,) = entries_of(db, world.mentor)
    assert entry.kind is EntryKind.HELP_REQUEST and entry.minutes_claimed == 25
    assert entry.source_key == f"request:{help_request.id}"
    assert entry.title == "Help request: My projector won't mirror"
    assert entry.status is S.PENDING


def test_the_help_request_cap_is_enforced_and_nothing_changes(db, world, claimed, clock):
    settings = hours.hours_settings()
    settings.help_request_cap_minutes = 45
    db.session.commit()
    help_request = claimed()
    with pytest.raises(RequestError, match="0 to 45 minutes"):
        desk.resolve_request(help_request, world.mentor, clock.now, minutes=46)
    db.session.rollback()
    db.session.refresh(help_request)
    assert help_request.status is RequestStatus.CLAIMED
    assert entries_of(db, world.mentor) == []
    with pytest.raises(RequestError):
        desk.resolve_request(help_request, world.mentor, clock.now, minutes=-1)
    db.session.rollback()
    desk.resolve_request(help_request, world.mentor, clock.now, minutes=45)
    db.session.commit()
    assert entries_of(db, world.mentor)[0].minutes_claimed == 45


def test_the_advisor_resolving_earns_nobody_time(db, world, claimed, clock):
    desk.resolve_request(claimed(), world.advisor, clock.now, minutes=30)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(HoursEntry.id))) == 0


def test_verify_adjust_reject_and_every_change_is_recorded(db, world, entry):
    made = entry(minutes=60)
    hours.decide(made, world.advisor, S.VERIFIED)
    assert made.status is S.VERIFIED and made.counted_minutes == 60
    hours.decide(made, world.advisor, S.ADJUSTED, minutes=40, reason="Left early")
    assert made.counted_minutes == 40 and made.reason == "Left early"
    hours.decide(made, world.advisor, S.REJECTED, reason="Not a program activity")
    assert made.counted_minutes == 0
    db.session.commit()
    history = [
        (e.actor_id, e.from_status, e.to_status, e.from_minutes, e.to_minutes, e.reason)
        for e in db.session.scalars(db.select(HoursEvent).order_by(HoursEvent.id))
    ]
    a = world.advisor.id
    assert history == [
        (None, None, "pending", None, 60, "Recorded"),
        (a, "pending", "verified", 60, 60, "Verified"),
        (a, "verified", "adjusted", 60, 40, "Left early"),
        (a, "adjusted", "rejected", 40, None, "Not a program activity"),
    ]
    assert made.version == 4


@pytest.mark.parametrize(
    ("status", "minutes", "reason", "message"),
    [
        (S.ADJUSTED, 30, "", "Say why the minutes changed."),
        (S.ADJUSTED, None, "Shorter", "Enter the minutes to count"),
        (S.ADJUSTED, 2000, "Shorter", "Enter the minutes to count"),
        (S.REJECTED, None, "   ", "Say why the entry is rejected."),
    ],
)
def test_bad_decisions_are_refused_and_change_nothing(
    db, world, entry, status, minutes, reason, message
):
    made = entry()
    with pytest.raises(hours.HoursError, match=message):
        hours.decide(made, world.advisor, status, minutes=minutes, reason=reason)
    db.session.rollback()
    db.session.refresh(made)
    assert made.status is S.PENDING and made.version == 1


def test_only_the_advisor_decides_and_a_decision_is_not_repeated(db, world, entry):
    made = entry()
    with pytest.raises(hours.HoursError, match="Only the advisor"):
        hours.decide(made, world.mentor, S.VERIFIED)
    hours.decide(made, world.advisor, S.VERIFIED)
    with pytest.raises(hours.HoursError, match="already verified"):
        hours.decide(made, world.advisor, S.VERIFIED)


def test_a_decision_from_a_stale_page_loses(db, world, entry):
    made = entry()
    seen = made.version
    hours.decide(made, world.advisor, S.REJECTED, reason="Duplicate", expected_version=seen)
    db.session.commit()
    with pytest.raises(hours.HoursError, match="at the same time"):
        hours.decide(made, world.advisor, S.VERIFIED, expected_version=seen)
    db.session.rollback()
    assert db.session.get(HoursEntry, made.id).status is S.REJECTED


def test_bulk_approve_verifies_pending_entries_only(db, world, entry):
    pending = [entry(minutes=m) for m in (30, 45)]
    rejected = entry()
    hours.decide(rejected, world.advisor, S.REJECTED, reason="Duplicate")
    approved = hours.approve_many([e.id for e in pending] + [rejected.id], world.advisor)
    db.session.commit()
    assert approved == 2
    assert [e.status for e in pending] == [S.VERIFIED, S.VERIFIED]
    assert db.session.get(HoursEntry, rejected.id).status is S.REJECTED
    with pytest.raises(hours.HoursError):
        hours.approve_many([rejected.id], world.mentor)


def test_manual_entries_for_several_people_are_verified_at_once(db, world):
    made = hours.record_manual(
        [world.mentor, world.mentor2, world.teacher],
        world.advisor,
        title="Tech club meeting",
        occurred_on=date(2026, 11, 6),
        minutes=50,
    )
    db.session.commit()
    assert len({e.source_key for e in made}) == 1
    assert [e.status for e in made] == [S.VERIFIED] * 3
    assert lists.totals_for(world.mentor2).counted_minutes == 50
    assert made[2].side is Side.PD


@pytest.mark.parametrize(
    ("people", "title", "minutes", "message"),
    [
        ([], "Club", 30, "Choose at least one person."),
        (["mentor"], "  ", 30, "Give the activity a title."),
        (["mentor"], "Club", 0, "Minutes are 1 to 1,440"),
        (["mentor", "advisor"], "Club", 30, "Only mentors and teachers earn hours."),
    ],
)
def test_bad_manual_entries_are_refused(db, world, people, title, minutes, message):
    with pytest.raises(hours.HoursError, match=message):
        hours.record_manual(
            [getattr(world, p) for p in people], world.advisor,
            title=title, occurred_on=date(2026, 11, 6), minutes=minutes,
        )  # fmt: skip
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(HoursEntry.id))) == 0
    with pytest.raises(hours.HoursError, match="Only the advisor"):
        hours.record_manual(
            [world.mentor], world.teacher, title="x", occurred_on=date(2026, 11, 6), minutes=5
        )


def test_backfill_makes_the_missing_entries_once(db, world, complete, claimed, clock):
    booking = complete()
    help_request = claimed()
    desk.resolve_request(help_request, world.mentor, clock.now)
    db.session.execute(db.delete(HoursEvent))
    db.session.execute(db.delete(HoursEntry))
    db.session.commit()
    assert hours.backfill() == 3  # the session twice (both sides), the request once
    db.session.commit()
    assert hours.backfill() == 0
    keys = sorted(e.source_key for e in db.session.scalars(db.select(HoursEntry)))
    assert keys == [f"booking:{booking.id}", f"booking:{booking.id}", f"request:{help_request.id}"]
    request_entry = next(
        e for e in entries_of(db, world.mentor) if e.kind is EntryKind.HELP_REQUEST
    )
    assert request_entry.minutes_claimed == 0 and request_entry.status is S.PENDING


def test_progress_counts_verified_hours_toward_each_target(db, world, entry):
    settings = hours.hours_settings()
    session = entry(minutes=600)
    club = entry(minutes=300, kind=EntryKind.MANUAL)
    waiting = entry(minutes=120)
    hours.decide(session, world.advisor, S.VERIFIED)
    hours.decide(club, world.advisor, S.VERIFIED)
    db.session.commit()
    service, extracurricular = lists.progress_for(world.mentor, settings)
    assert (service.verified_hours, service.pending_hours, service.percent) == (10.0, 2.0, 40)
    assert (extracurricular.verified_hours, extracurricular.percent) == (15.0, 37)
    assert not service.is_met
    hours.decide(waiting, world.advisor, S.ADJUSTED, minutes=900, reason="Two events")
    service, _ = lists.progress_for(world.mentor, settings)
    assert service.is_met and service.percent == 100
    assert lists.progress_for(world.teacher, settings) == []
    assert waiting.counted_minutes == 900


def test_settings_are_checked(db):
    base = dict(
        service_target_hours=25, extracurricular_target_hours=40,
        service_kinds=["session"], pd_kinds=["session"], pd_designated=True,
        help_request_cap_minutes=60, district_name="", sponsor_name="", sponsor_number="",
        signer_name="", signer_title="",
    )  # fmt: skip
    hours.update_hours_settings(**base)
    for change, message in (
        ({"service_target_hours": 0}, "service-learning target"),
        ({"help_request_cap_minutes": 481}, "help-request cap"),
        ({"pd_kinds": []}, "at least one kind"),
        ({"service_kinds": ["bogus"]}, "at least one kind"),
    ):
        with pytest.raises(hours.HoursError, match=message):
            hours.update_hours_settings(**{**base, **change})
