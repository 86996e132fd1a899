"""Series services: preview reasons, confirm, a date taken meanwhile, a form sent twice,
approve or decline all, cancel one or the rest, and a closure in the middle."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from helpdesk.availability.services import add_time_off
from helpdesk.bookings import commands as bookings
from helpdesk.bookings.models import Booking, BookingFormat, BookingStatus
from helpdesk.calendar import closing
from helpdesk.calendar import services as calendar
from helpdesk.series import services
from helpdesk.series.models import BookingSeries
from tests.series.conftest import NOW, a_days, series_request, tuesdays

A_DAYS_IN_NOVEMBER = [4, 6, 10, 12, 16, 18, 20, 24, 26, 30]


def _plan(world, pattern, teacher=None, mentor=None):
    return services.plan_series(teacher or world.teacher, mentor or world.mentor, pattern, NOW)


def _one_off(db, world, starts_at, teacher=None, mentor=None):
    request = bookings.BookingRequest(
        mentor_id=(mentor or world.mentor).id,
        skill_id=world.skill.id,
        starts_at=starts_at,
        minutes=30,
        topic="One-off",
        learning_goal="Something else",
        format=BookingFormat.IN_PERSON,
        room="B12",
        agrees_to_norms=True,
    )
    booking = bookings.request_booking(teacher or world.teacher2, request, NOW)
    db.session.commit()
    return booking


def _p4(day: int, month: int = 11) -> datetime:
    # Period 4, 10:00 in New York; EST from 1 Nov.
    return datetime(2026, month, day, 15, 0, tzinfo=UTC)


def test_every_a_day_follows_the_rotation(world):
    plan = _plan(world, a_days())
    assert [d.on.day for d in plan.dates] == A_DAYS_IN_NOVEMBER
    assert all(d.is_bookable and d.occurrence.day_type == "A" for d in plan.dates)
    assert not plan.expansion.cut_at_term


def test_the_preview_says_why_each_date_cannot_be_booked(db, world, make_user):
    calendar.add_closure(world.school, date(2026, 11, 26), "Thanksgiving")
    calendar.set_day_exception(
        world.school, date(2026, 11, 12), day_type=None, schedule=world.early, note="Early"
    )
    add_time_off(world.mentor, date(2026, 11, 16), date(2026, 11, 16))
    db.session.commit()
    _one_off(db, world, _p4(18))  # the mentor is busy on the 18th (another teacher)
    plan = _plan(world, a_days(starts_on=date(2026, 11, 3)))
    by_day = {d.on.day: d for d in plan.dates}
    # The closure skips the rotation: 27 becomes an A day instead of 26, and 26 is reported.
    assert by_day[26].problem == "School closed: Thanksgiving"
    assert by_day[27].is_bookable and by_day[27].occurrence.day_type == "A"
    # The early dismissal moves Period 4 to 9:30; the mentor's Period 4 window moves with it.
    assert by_day[12].is_bookable
    assert by_day[12].start_at == datetime(2026, 11, 12, 14, 30, tzinfo=UTC)
    assert by_day[16].problem == "Maya C. is away (time off)"
    assert by_day[18].problem == "Maya C. already has a session then"
    assert by_day[4].is_bookable


def test_the_preview_names_teacher_busy_too_soon_availability_and_term_end(db, world):
    _one_off(db, world, _p4(10), teacher=world.teacher, mentor=world.mentor2)
    calendar.set_term(world.school, date(2026, 9, 1), date(2026, 11, 20))
    db.session.commit()
    plan = _plan(world, tuesdays(weeks=4, starts_on=date(2026, 11, 2), at=time(10)))
    assert plan.dates[0].problem == ""  # Tue 3 Nov 10:00 is 25 hours ahead
    assert plan.dates[1].problem == "Helen Park already has a session then"
    assert plan.expansion.cut_at_term
    assert [d.on.day for d in plan.dates] == [3, 10, 17]
    too_soon = _plan(world, tuesdays(weeks=1, starts_on=date(2026, 11, 2), at=time(8, 0)))
    assert too_soon.dates[0].problem.startswith("Too soon")
    outside = _plan(world, tuesdays(weeks=1, starts_on=date(2026, 11, 9), at=time(13, 0)))
    assert outside.dates[0].problem == "Outside Maya C.'s availability"


def test_the_weekly_cap_counts_the_series_own_dates(db, world):
    from helpdesk.availability.services import program_settings

    program_settings().weekly_cap = 2
    db.session.commit()
    plan = _plan(world, a_days())
    week = {d.on.day: d.problem for d in plan.dates if 16 <= d.on.day <= 20}
    assert week[16] == week[18] == ""
    assert week[20] == "Maya C. is fully booked that week (2 sessions a week at most)"


def test_a_series_that_starts_after_the_term_is_refused(world):
    with pytest.raises(services.SeriesError, match="term has ended"):
        _plan(world, a_days(starts_on=date(2027, 7, 1), until=date(2027, 7, 30)))


def test_confirm_books_each_date_as_a_waiting_session(db, world, book_series, outbox):
    outcome = book_series()
    assert len(outcome.booked) == 10 and outcome.failed == []
    sessions = services.sessions_of(outcome.series)
    assert {b.status for b in sessions} == {BookingStatus.REQUESTED}
    assert {b.series_id for b in sessions} == {outcome.series.id}
    assert len({b.uid for b in sessions}) == 10
    assert sessions[0].norms_agreed_at is not None and sessions[1].norms_agreed_at is None
    assert outcome.series.starts_on == date(2026, 11, 4)
    assert outcome.series.ends_on == date(2026, 11, 30)
    # one email each (advisor, mentor), not one per date
    assert len(outbox(world.mentor.email)) == 1
    assert len(outbox(world.advisor.email)) == 1
    assert "Mon, Nov 30, 2026" in outbox(world.mentor.email)[0].body


def test_a_date_taken_between_preview_and_confirm_is_reported_and_the_rest_booked(
    db, world, book_series
):
    preview = _plan(world, a_days())
    confirmed = {d.start_at for d in preview.bookable}
    _one_off(db, world, _p4(12))  # another teacher takes the 12th meanwhile
    outcome = book_series(confirmed=confirmed)
    assert len(outcome.booked) == 9
    [(failed, reason)] = outcome.failed
    assert failed.on == date(2026, 11, 12)
    assert reason == "Maya C. already has a session then"


def test_the_database_refuses_a_date_the_rules_missed(db, world, book_series, monkeypatch):
    """A session slipped in after the rules read (the overlap guard's case): that date fails,
    in its own savepoint, and the others are booked."""
    real = services._Checker.problem

    def blind(self, occurrence):
        problem = real(self, occurrence)
        if occurrence.on == date(2026, 11, 6):
            db.session.add(
                Booking(
                    mentor_id=world.mentor.id,
                    teacher_id=world.teacher2.id,
                    skill_id=world.skill.id,
                    starts_at=_p4(6),
                    ends_at=_p4(6) + timedelta(minutes=30),
                    topic="Sneaked in",
                    learning_goal="x",
                    format=BookingFormat.IN_PERSON,
                    room="B1",
                )
            )
            db.session.flush()
        return problem

    monkeypatch.setattr(services._Checker, "problem", blind)
    outcome = book_series()
    assert [(p.on.day, r) for p, r in outcome.failed] == [(6, bookings.JUST_TAKEN)]
    assert len(outcome.booked) == 9


def test_a_form_sent_twice_makes_one_series(db, world, book_series):
    first = book_series(request_key="k" * 32)
    again = book_series(request_key="k" * 32)
    assert again.repeated and again.series.id == first.series.id
    assert db.session.scalar(db.select(db.func.count()).select_from(BookingSeries)) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(Booking)) == 10


def test_bad_input_changes_nothing(db, world):
    cases = [
        ({"topic": "  "}, "Say what"),
        ({"format": BookingFormat.ONLINE, "meeting_url": "https://evil.example.com/x"}, "."),
        ({"room": ""}, "which room"),
    ]
    for fields, message in cases:
        request = series_request(world, a_days(), **fields)
        with pytest.raises(services.SeriesError, match=message):
            services.book_series(world.teacher, request, NOW)
        db.session.rollback()
    request = series_request(world, a_days(), mentor=world.teacher)
    with pytest.raises(services.SeriesError, match="not available"):
        services.book_series(world.teacher, request, NOW)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Booking)) == 0


def test_approve_all_and_one_by_one(db, world, book_series, outbox):
    series = book_series().series
    single = services.sessions_of(series)[0]
    bookings.approve_booking(single, world.advisor)
    approved, skipped = services.approve_series(series, world.advisor)
    db.session.commit()
    assert (approved, skipped) == (9, 0)
    assert {b.status for b in services.sessions_of(series)} == {BookingStatus.APPROVED}
    mails = [m for m in outbox(world.teacher.email) if "Weekly series approved" in m.subject]
    assert len(mails) == 1
    assert mails[0].calendar_method == "PUBLISH"
    assert mails[0].calendar_data.count("BEGIN:VEVENT") == 9
    assert services.approve_series(series, world.advisor) == (0, 0)


def test_decline_all_needs_a_reason(db, world, book_series):
    series = book_series().series
    with pytest.raises(services.SeriesError, match="reason"):
        services.decline_series(series, world.advisor, " ")
    assert services.decline_series(series, world.advisor, "Library closed for inventory") == 10
    db.session.commit()
    assert {b.status for b in services.sessions_of(series)} == {BookingStatus.DECLINED}


def test_cancel_one_date_leaves_the_series(db, world, book_series):
    series = book_series().series
    services.approve_series(series, world.advisor)
    third = services.sessions_of(series)[2]
    bookings.cancel_booking(third, world.teacher, "Assembly that day", NOW)
    db.session.commit()
    statuses = [b.status for b in services.sessions_of(series)]
    assert statuses.count(BookingStatus.CANCELLED) == 1
    assert statuses[2] is BookingStatus.CANCELLED


def test_cancel_the_rest_tells_each_side_once(db, world, book_series, outbox):
    series = book_series().series
    services.approve_series(series, world.advisor)
    db.session.commit()
    before = len(outbox(world.teacher.email))
    sixth = services.sessions_of(series)[5]
    cancelled = services.cancel_rest(sixth, world.mentor, "I have exams from now on", NOW)
    db.session.commit()
    assert len(cancelled) == 5
    statuses = [b.status for b in services.sessions_of(series)]
    assert statuses[:5] == [BookingStatus.APPROVED] * 5
    assert statuses[5:] == [BookingStatus.CANCELLED] * 5
    to_teacher = outbox(world.teacher.email)[before:]
    assert len(to_teacher) == 1
    assert "I have exams" in to_teacher[0].body
    assert to_teacher[0].calendar_data.count("STATUS:CANCELLED") == 5
    with pytest.raises(services.SeriesError, match="no longer"):
        services.cancel_rest(sixth, world.mentor, "again", NOW)


def test_cancel_the_rest_is_for_people_on_it(db, world, book_series):
    series = book_series().series
    first = services.sessions_of(series)[0]
    assert not services.can_cancel_rest(first, world.teacher2, NOW)
    with pytest.raises(services.SeriesError):
        services.cancel_rest(first, world.teacher2, "not mine", NOW)


def test_a_closure_cancels_only_the_date_it_touches(db, world, book_series):
    series = book_series().series
    services.approve_series(series, world.advisor)
    db.session.commit()
    closing.close_day(world.school, date(2026, 11, 18), "Snow day", world.advisor, NOW)
    db.session.commit()
    by_day = {b.starts_at.day: b.status for b in services.sessions_of(series)}
    assert by_day[18] is BookingStatus.CANCELLED
    assert [d for d, s in by_day.items() if s is BookingStatus.CANCELLED] == [18]
    assert len(by_day) == 10


def test_the_series_lists_the_dates_the_calendar_skipped(db, world, book_series):
    calendar.add_closure(world.school, date(2026, 11, 24), "Thanksgiving week")
    db.session.commit()
    series = book_series(tuesdays(weeks=4, starts_on=date(2026, 11, 3), at=time(10))).series
    sessions = services.sessions_of(series)
    assert [b.starts_at.day for b in sessions] == [3, 10, 17]
    skipped = services.skipped_dates(series, sessions)
    assert [(o.on.day, o.problem) for o in skipped] == [(24, "School closed: Thanksgiving week")]
