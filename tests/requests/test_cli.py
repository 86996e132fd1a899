"""The cron commands: safe to repeat."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from helpdesk.requests import services
from helpdesk.requests.models import RequestStatus

TZ = ZoneInfo("America/New_York")


def test_close_waiting_requests_command_is_repeatable(app, db, world, ask, clock):
    clock.now = datetime.combine(date(2026, 11, 2), time(10), TZ)
    r = ask()
    services.claim_request(r, world.mentor, clock.now)
    services.mark_waiting(r, world.mentor, clock.now)
    db.session.commit()
    clock.now = datetime.combine(date(2026, 11, 10), time(7), TZ)
    runner = app.test_cli_runner()
    assert (
        "Help requests closed with no answer: 1\n"
        in runner.invoke(args=["close-waiting-requests"]).output
    )
    assert (
        "Help requests closed with no answer: 0\n"
        in runner.invoke(args=["close-waiting-requests"]).output
    )
    db.session.expire_all()
    assert db.session.get(type(r), r.id).status is RequestStatus.CLOSED


def test_desk_digest_command_is_repeatable(app, db, world, ask, clock, outbox):
    ask(summary="First")
    clock.advance(minutes=2)
    ask(summary="Second")
    db.session.commit()
    runner = app.test_cli_runner()
    assert "Grouped help-request emails: 0\n" in runner.invoke(args=["desk-digest"]).output
    clock.advance(minutes=15)
    assert "Grouped help-request emails: 3\n" in runner.invoke(args=["desk-digest"]).output
    assert "Grouped help-request emails: 0\n" in runner.invoke(args=["desk-digest"]).output
    assert len(outbox(world.mentor.email)) == 2
