"""The outbox and its delivery worker: nothing leaves before commit, and each message leaves once."""

import threading
from datetime import timedelta

import pytest

from helpdesk.accounts.services import request_password_reset, send_invitation
from helpdesk.clock import utcnow
from helpdesk.mail.delivery import RetryPolicy, SmtpSettings, deliver_due, deliver_forever
from helpdesk.mail.models import MailStatus, OutboxMessage
from helpdesk.mail.services import MailError, send_email


def _queue(db, count: int, to: str = "teacher@school.example.org") -> list[OutboxMessage]:
    for n in range(count):
        send_email(to, f"Message {n}", f"Body {n}")
    db.session.commit()
    queued = list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))
    db.session.commit()  # hold no SQLite lock while a worker runs
    return queued


def _fresh(db, message: OutboxMessage) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message.id)


def test_mail_is_a_queued_row_until_the_worker_sends_it(db, start_smtp, deliver, make_user):
    inbox = start_smtp()
    user = make_user()
    request_password_reset(user.email)
    db.session.commit()
    [message] = db.session.scalars(db.select(OutboxMessage)).all()
    assert message.status is MailStatus.QUEUED
    assert inbox.messages == []  # the request itself never talks SMTP

    report = deliver()

    assert report.sent == 1
    [envelope] = inbox.messages
    assert envelope.rcpt_tos == [user.email]
    assert b"Reset your Helpdesk password" in envelope.content
    assert inbox.message_ids() == [message.message_id]
    message = _fresh(db, message)
    assert message.status is MailStatus.SENT and message.sent_at is not None
    assert deliver().claimed == 0  # a second pass sends nothing again


def test_mail_from_a_rolled_back_change_is_never_sent(db, start_smtp, deliver, make_user):
    inbox = start_smtp()
    user = make_user(password=None)
    send_invitation(user)
    db.session.rollback()
    assert deliver().claimed == 0
    assert inbox.messages == []


def test_a_down_server_leaves_mail_queued_with_backoff_and_the_reason(
    db, smtp_down, deliver, clock
):
    [message] = _queue(db, 1)

    report = deliver()

    assert report.retrying == 1 and report.sent == 0
    message = _fresh(db, message)
    assert message.status is MailStatus.QUEUED
    assert message.attempts == 1
    assert "unreachable" in message.last_error
    # first retry after about a minute (jitter: 30-90 s), not at once
    assert timedelta(seconds=30) <= message.next_attempt_at - clock.now <= timedelta(seconds=90)
    assert deliver().claimed == 0  # not due yet


def test_backoff_grows_and_gives_up_after_the_last_attempt(db, smtp_down, deliver, clock):
    policy = RetryPolicy(max_attempts=4)
    [message] = _queue(db, 1)
    waits = []
    for _ in range(4):
        deliver(policy)
        message = _fresh(db, message)
        if message.status is MailStatus.QUEUED:
            waits.append(message.next_attempt_at - clock.now)
            clock.now = message.next_attempt_at
    assert message.status is MailStatus.FAILED
    assert message.last_error.startswith("Gave up after 4 attempts.")
    assert len(waits) == 3
    # each wait's range (0.5-1.5 of 1, 2, 4 minutes) lies above the previous one's floor
    assert [w.total_seconds() // 30 >= 2**i for i, w in enumerate(waits)] == [True] * 3


def test_the_server_coming_back_delivers_what_waited(db, smtp_down, start_smtp, deliver, clock):
    messages = _queue(db, 3)
    deliver()
    inbox = start_smtp(smtp_down)
    clock.advance(hours=1)

    report = deliver()

    assert report.sent == 3
    assert sorted(inbox.message_ids()) == sorted(m.message_id for m in messages)


def test_a_permanent_refusal_fails_at_once_and_others_still_go(db, start_smtp, deliver):
    inbox = start_smtp()
    inbox.refuse["gone@school.example.org"] = "550 5.1.1 No such user"
    inbox.refuse["full@school.example.org"] = "452 4.2.2 Mailbox full"
    send_email("gone@school.example.org", "Hello", "Body")
    send_email("full@school.example.org", "Hello", "Body")
    send_email("here@school.example.org", "Hello", "Body")
    db.session.commit()

    report = deliver()

    assert (report.sent, report.failed, report.retrying) == (1, 1, 1)
    by_address = {m.to_address: m for m in db.session.scalars(db.select(OutboxMessage))}
    gone = by_address["gone@school.example.org"]
    assert gone.status is MailStatus.FAILED and "550" in gone.last_error
    full = by_address["full@school.example.org"]
    assert full.status is MailStatus.QUEUED and "452" in full.last_error
    assert by_address["here@school.example.org"].status is MailStatus.SENT


def test_two_workers_at_once_send_each_message_exactly_once(db, start_smtp, workers_at_once):
    inbox = start_smtp()
    messages = _queue(db, 60)

    errors = workers_at_once(2, batch=7)

    assert errors == []
    ids = inbox.message_ids()
    assert len(ids) == 60
    assert sorted(ids) == sorted(m.message_id for m in messages)
    sent = db.session.scalar(
        db.select(db.func.count()).where(OutboxMessage.status == MailStatus.SENT)
    )
    assert sent == 60


def test_a_claim_left_by_a_dead_worker_is_taken_again_after_the_lease(
    db, start_smtp, deliver, clock
):
    inbox = start_smtp()
    [message] = _queue(db, 1)
    db.session.execute(
        db.update(OutboxMessage).values(status=MailStatus.SENDING, claimed_at=clock.now)
    )
    db.session.commit()
    assert deliver().claimed == 0  # another worker may still be sending it
    clock.advance(minutes=16)
    assert deliver().sent == 1
    assert inbox.message_ids() == [message.message_id]


def test_line_breaks_in_a_subject_cannot_add_headers(db, start_smtp, deliver):
    inbox = start_smtp()
    send_email("t@school.example.org", "Help\r\nBcc: everyone@example.org\r\n\r\nbody", "Body")
    db.session.commit()
    assert deliver().sent == 1
    [envelope] = inbox.messages
    assert envelope.rcpt_tos == ["t@school.example.org"]
    head = envelope.content.split(b"\r\n\r\n", 1)[0]
    assert b"\r\nBcc:" not in head
    assert b"Subject: Help Bcc: everyone@example.org body" in head


@pytest.mark.parametrize("address", ["", "no-at-sign", "a@b.org\r\nBcc: x@y.org", "a@b.org\n"])
def test_an_address_that_cannot_take_mail_is_refused_when_queued(db, address):
    with pytest.raises(MailError):
        send_email(address, "Hello", "Body")


def test_without_a_mail_server_mail_stays_in_the_outbox(app, db, make_user):
    user = make_user()
    request_password_reset(user.email)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["deliver-mail"])
    assert result.exit_code == 0
    assert "MAIL_SERVER is not set: 1 message stays in the outbox." in result.output
    assert db.session.scalar(db.select(OutboxMessage.status)) is MailStatus.QUEUED


def test_deliver_mail_command_sends_and_reports(app, db, start_smtp):
    inbox = start_smtp()
    _queue(db, 2)
    result = app.test_cli_runner().invoke(args=["deliver-mail"])
    assert result.exit_code == 0, result.output
    assert "Sent 2; 0 will be retried; 0 failed." in result.output
    assert len(inbox.messages) == 2


def test_the_forever_worker_delivers_until_told_to_stop(app, db, start_smtp):
    inbox = start_smtp()
    _queue(db, 3)
    stop = threading.Event()
    settings = SmtpSettings.from_config(app.config)

    calls = []

    def clock_that_stops_once_all_arrived():
        calls.append(1)
        if len(inbox.messages) == 3 or len(calls) > 1000:  # the bound keeps a bug from hanging
            stop.set()
        return utcnow()

    with app.app_context():
        deliver_forever(settings, clock_that_stops_once_all_arrived, stop, poll_seconds=0)
    assert len(inbox.messages) == 3
    assert stop.is_set()


def test_healthz_reports_the_age_of_the_oldest_waiting_message(client, db, clock):
    _queue(db, 2)
    clock.advance(minutes=10)
    mail = client.get("/healthz").get_json()["mail"]
    assert mail["queued"] == 2
    assert mail["oldest_queued_seconds"] == 600
    assert mail["delivery"] == "outbox only"


def test_an_unreachable_server_costs_one_connection_attempt_per_pass_not_one_per_message(
    app, db, clock
):
    _queue(db, 5)
    attempts = []

    def hanging_server(_settings):
        attempts.append(1)
        raise TimeoutError("timed out")

    report = deliver_due(SmtpSettings.from_config(app.config), utcnow, None, hanging_server)

    assert attempts == [1]
    assert report.retrying == 5
    reasons = set(db.session.scalars(db.select(OutboxMessage.last_error)))
    assert reasons == {"Mail server unreachable: timed out"}
