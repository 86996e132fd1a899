"""flask anonymize-graduates and flask apply-retention, as cron or an operator runs them."""

from datetime import timedelta

from sqlalchemy import select

from helpdesk.accounts.models import User
from helpdesk.mail.models import MailStatus, OutboxMessage
from helpdesk.requests.models import RequestScreenshot
from helpdesk.retention import apply_retention
from tests.people.test_anonymize import dump


def _run(app, db, *args):
    db.session.commit()
    result = app.test_cli_runner().invoke(args=list(args))
    db.session.expire_all()
    return result


def test_dry_run_reports_counts_and_changes_nothing(app, db, world, graduate):
    before = dump(db)
    result = _run(app, db, "anonymize-graduates", "--class-of", "2026", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dry run: nothing has changed." in result.output
    assert "1 student mentor of the class of 2026: names and emails are replaced" in result.output
    assert "1 tip kept" in result.output
    assert dump(db) == before


def test_the_real_run_anonymizes_and_a_second_finds_nobody(app, db, world, graduate):
    result = _run(app, db, "anonymize-graduates", "--class-of", "2026")
    assert result.exit_code == 0, result.output
    assert "names and emails replaced" in result.output
    assert db.session.get(User, world.mentor.id).full_name.startswith("Former mentor")
    again = _run(app, db, "anonymize-graduates", "--class-of", "2026")
    assert "No student mentor of the class of 2026 still has their name here." in again.output


def test_a_bad_year_is_refused(app, db):
    result = _run(app, db, "anonymize-graduates", "--class-of", "26")
    assert result.exit_code != 0 and "like 2026" in result.output


def _age(db, graduate, clock, days: int) -> None:
    for shot in db.session.scalars(select(RequestScreenshot)):
        shot.created_at = clock.now - timedelta(days=days)
    for message in db.session.scalars(select(OutboxMessage)):
        message.status = MailStatus.SENT
        message.sent_at = clock.now - timedelta(days=days)
    db.session.commit()


def test_retention_removes_only_what_is_older_than_the_limits(db, world, graduate, clock):
    _age(db, graduate, clock, days=100)
    fresh, waiting = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()[:2]
    fresh.sent_at = clock.now - timedelta(days=10)
    waiting.status, waiting.sent_at = MailStatus.QUEUED, None
    db.session.commit()
    mail_total = db.session.scalar(select(db.func.count(OutboxMessage.id)))

    counts = apply_retention(clock.now, 365, 90)
    db.session.commit()
    assert counts.screenshots == 0 and counts.mail_bodies == mail_total - 2
    assert db.session.get(OutboxMessage, fresh.id).body != ""
    assert db.session.get(OutboxMessage, waiting.id).body != ""  # still to be sent
    assert apply_retention(clock.now, 365, 90).mail_bodies == 0  # repeatable

    counts = apply_retention(clock.now, 30, 90)
    assert counts.screenshots == 2
    assert db.session.scalar(select(db.func.count(RequestScreenshot.id))) == 0


def test_apply_retention_dry_run_counts_and_changes_nothing(app, db, world, graduate, clock):
    _age(db, graduate, clock, days=400)
    before = dump(db)
    result = _run(app, db, "apply-retention", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Screenshots older than 365 days: 2 would go." in result.output
    assert dump(db) == before
    result = _run(app, db, "apply-retention")
    assert "Screenshots older than 365 days: 2 removed." in result.output
    assert db.session.scalar(select(db.func.count(RequestScreenshot.id))) == 0
    assert set(db.session.scalars(select(OutboxMessage.body))) == {""}
