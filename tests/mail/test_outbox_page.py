"""The advisor's Outbox: what waits, what went, what failed and why, and a retry button."""

import pytest

from helpdesk.accounts.models import Role
from helpdesk.mail.models import MailStatus, OutboxMessage
from helpdesk.mail.services import send_email


def _message(db, status: MailStatus, subject: str, **fields) -> OutboxMessage:
    send_email("teacher@school.example.org", subject, "Body")
    db.session.flush()
    message = db.session.scalar(db.select(OutboxMessage).order_by(OutboxMessage.id.desc()))
    message.status = status
    for name, value in fields.items():
        setattr(message, name, value)
    db.session.commit()
    return message


def test_the_outbox_shows_each_status_with_the_reason(client, db, login_as, clock):
    login_as(Role.ADVISOR)
    _message(db, MailStatus.QUEUED, "Waiting one")
    _message(db, MailStatus.SENT, "Gone one", sent_at=clock.now, attempts=1)
    _message(db, MailStatus.FAILED, "Broken one", attempts=1, last_error="550 5.1.1 No such user")

    page = client.get("/outbox/").get_data(as_text=True)
    for text in ("Waiting one", "Gone one", "Broken one", "550 5.1.1 No such user"):
        assert text in page
    assert "Failed (1)" in page and "Sent (1)" in page and "Waiting (1)" in page

    failed_only = client.get("/outbox/?status=failed").get_data(as_text=True)
    assert "Broken one" in failed_only and "Gone one" not in failed_only


def test_retry_sends_a_failed_message_again_on_the_next_pass(
    client, db, login_as, start_smtp, deliver
):
    login_as(Role.ADVISOR)
    message = _message(db, MailStatus.FAILED, "Try me again", attempts=8, last_error="421 busy")
    inbox = start_smtp()

    response = client.post_form(f"/outbox/{message.id}/retry", page=f"/outbox/{message.id}")

    assert response.status_code == 302
    db.session.refresh(message)
    assert message.status is MailStatus.QUEUED and message.attempts == 0
    assert deliver().sent == 1
    assert inbox.message_ids() == [message.message_id]


def test_sent_mail_cannot_be_retried(client, db, login_as, clock):
    login_as(Role.ADVISOR)
    message = _message(db, MailStatus.SENT, "Already gone", sent_at=clock.now, attempts=1)
    response = client.post_form(
        f"/outbox/{message.id}/retry", page=f"/outbox/{message.id}", follow_redirects=True
    )
    assert "Only failed mail" in response.get_data(as_text=True)
    db.session.refresh(message)
    assert message.status is MailStatus.SENT


@pytest.mark.parametrize("role", [Role.TEACHER, Role.MENTOR, Role.STAFF])
def test_only_the_advisor_sees_or_retries_mail(client, db, login_as, role):
    message = _message(db, MailStatus.FAILED, "Private", attempts=1, last_error="550")
    login_as(role)
    assert client.get("/outbox/").status_code == 403
    assert client.get(f"/outbox/{message.id}").status_code == 403
    token = client.csrf_token()
    assert client.post(f"/outbox/{message.id}/retry", data={"csrf_token": token}).status_code == 403
    db.session.refresh(message)
    assert message.status is MailStatus.FAILED


def test_retry_without_a_csrf_token_changes_nothing(client, db, login_as):
    login_as(Role.ADVISOR)
    message = _message(db, MailStatus.FAILED, "Private", attempts=1, last_error="550")
    assert client.post(f"/outbox/{message.id}/retry").status_code == 400
    db.session.refresh(message)
    assert message.status is MailStatus.FAILED


@pytest.mark.parametrize(
    "query", ["page=0", "page=-4", "page=99999999999999999999", "status=bogus"]
)
def test_odd_outbox_queries_answer_a_page(client, db, login_as, query):
    login_as(Role.ADVISOR)
    assert client.get(f"/outbox/?{query}").status_code == 200
