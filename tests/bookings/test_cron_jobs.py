"""Cron passes commit per item: a run that fails part-way, then runs again, sends each email once."""

from collections import Counter
from datetime import timedelta

import pytest

from helpdesk.bookings import commands, jobs, notices
from helpdesk.bookings.models import Booking, BookingStatus
from tests.bookings.conftest import SLOT


def _approved_sessions(db, world, book, count: int) -> list[Booking]:
    sessions = []
    for day in range(count):
        booking = book(
            teacher=(world.teacher, world.teacher2)[day % 2],
            mentor=(world.mentor, world.mentor2)[day % 2],
            starts_at=SLOT + timedelta(days=7 * (day // 2)),
        )
        commands.approve_booking(booking, world.advisor)
        sessions.append(booking)
    db.session.commit()
    return sessions


def _reminders(outbox) -> Counter:
    return Counter((m.to_address, m.subject) for m in outbox() if m.subject.startswith("Reminder"))


def _fail_on_call(monkeypatch, number: int, error: BaseException):
    real = notices.reminder
    calls = []

    def flaky(booking):
        calls.append(booking.id)
        if len(calls) == number:
            raise error
        real(booking)

    monkeypatch.setattr(notices, "reminder", flaky)
    return calls


def test_a_reminder_run_that_fails_part_way_then_runs_again_sends_each_once(
    app, db, world, book, clock, outbox, monkeypatch
):
    sessions = _approved_sessions(db, world, book, 4)
    clock.now = SLOT - timedelta(hours=20)
    for hour, booking in enumerate(sessions):  # all four due within the next 36 hours
        booking.starts_at = SLOT + timedelta(hours=hour)
        booking.ends_at = booking.starts_at + timedelta(minutes=30)
    db.session.commit()
    _fail_on_call(monkeypatch, 3, RuntimeError("template blew up"))

    first = app.test_cli_runner().invoke(args=["send-reminders"])

    assert first.exit_code == 1
    assert "Reminders sent: 3 (1 failed; the next run tries them again)" in first.output
    assert sum(_reminders(outbox).values()) == 6  # three sessions, both sides each
    monkeypatch.undo()

    second = app.test_cli_runner().invoke(args=["send-reminders"])

    assert second.exit_code == 0, second.output
    assert "Reminders sent: 1\n" in second.output
    reminders = _reminders(outbox)
    assert sum(reminders.values()) == 8 and set(reminders.values()) == {1}
    assert app.test_cli_runner().invoke(args=["send-reminders"]).output.count(": 0\n") == 3


def test_a_run_killed_part_way_keeps_what_it_finished_and_redoes_only_the_rest(
    app, db, world, book, clock, outbox, monkeypatch
):
    sessions = _approved_sessions(db, world, book, 4)
    clock.now = SLOT - timedelta(hours=20)
    for hour, booking in enumerate(sessions):
        booking.starts_at = SLOT + timedelta(hours=hour)
        booking.ends_at = booking.starts_at + timedelta(minutes=30)
    db.session.commit()
    _fail_on_call(monkeypatch, 2, KeyboardInterrupt())  # the process dies mid-item

    with pytest.raises(KeyboardInterrupt):
        jobs.send_reminders(clock.now)

    db.session.expire_all()
    assert sum(_reminders(outbox).values()) == 2  # the first session's pair, committed
    reminded = [b for b in sessions if db.session.get(Booking, b.id).reminded_at is not None]
    assert [b.id for b in reminded] == [sessions[0].id]  # the second's mark rolled back with it
    monkeypatch.undo()

    assert jobs.send_reminders(clock.now).done == 3
    reminders = _reminders(outbox)
    assert sum(reminders.values()) == 8 and set(reminders.values()) == {1}


def test_an_expiry_that_fails_for_one_request_expires_the_others(
    db, world, book, clock, outbox, monkeypatch
):
    first = book()
    second = book(teacher=world.teacher2, mentor=world.mentor2)
    clock.now = SLOT - timedelta(hours=3)  # inside the minimum notice
    real = notices.expired

    def broken_for_first(booking):
        if booking.id == first.id:
            raise RuntimeError("mail template error")
        real(booking)

    monkeypatch.setattr(notices, "expired", broken_for_first)

    run = jobs.expire_stale_requests(clock.now)

    assert (run.done, run.failed) == (1, 1)
    db.session.expire_all()
    assert db.session.get(Booking, first.id).status is BookingStatus.REQUESTED
    assert db.session.get(Booking, second.id).status is BookingStatus.EXPIRED
    monkeypatch.undo()
    assert jobs.expire_stale_requests(clock.now).done == 1
    expired_mail = [
        m.to_address for m in outbox() if m.subject.startswith("Session request expired")
    ]
    assert sorted(expired_mail) == sorted([world.teacher.email, world.teacher2.email])
