"""Retention: `flask purge-access-log` removes entries past the period, notes it, and is safe to rerun."""

from datetime import timedelta

import pytest

from helpdesk.access_log.models import AccessAction, AccessLogEntry, AccessLogPurgePermit
from helpdesk.access_log.services import purge_expired, record_access
from helpdesk.extensions import db as _db


def _actions() -> list[str]:
    return list(_db.session.scalars(_db.select(AccessLogEntry.action).order_by(AccessLogEntry.id)))


@pytest.fixture
def aged(db, clock):
    for days_ago, action in (
        (1200, "record.viewed"),
        (1097, "record.exported"),
        (10, "report.viewed"),
    ):
        record_access(AccessAction(action), actor_id=1, at=clock.now - timedelta(days=days_ago))
    record_access(AccessAction.PROFILE_VIEWED, actor_id=1, at=clock.now - timedelta(days=1095))
    db.session.commit()


def test_the_purge_removes_only_entries_past_the_period_and_notes_itself(db, clock, aged):
    assert purge_expired(clock.now, 1096) == 2
    db.session.commit()
    assert _actions() == ["report.viewed", "profile.viewed", "log.purged"]
    purge = db.session.scalar(
        db.select(AccessLogEntry).where(AccessLogEntry.action == "log.purged")
    )
    assert purge.detail == "2 entries older than 1096 days" and purge.actor_id is None
    assert db.session.scalars(db.select(AccessLogPurgePermit)).all() == []  # the permit is gone


def test_running_it_again_changes_nothing(db, clock, aged):
    purge_expired(clock.now, 1096)
    db.session.commit()
    before = _actions()
    assert purge_expired(clock.now, 1096) == 0
    db.session.commit()
    assert _actions() == before


def test_a_retention_below_a_day_is_refused(db, clock):
    with pytest.raises(ValueError, match="at least one day"):
        purge_expired(clock.now, 0)


def test_after_a_purge_the_log_is_append_only_again(db, clock, aged):
    purge_expired(clock.now, 1096)
    db.session.commit()
    with pytest.raises(Exception, match="append-only"):
        db.session.execute(_db.text("DELETE FROM access_log_entry"))
    db.session.rollback()


def test_the_command_reads_the_setting_and_says_what_it_did(app, db, clock, aged, monkeypatch):
    monkeypatch.setitem(app.config, "ACCESS_LOG_RETENTION_DAYS", 30)
    result = app.test_cli_runner().invoke(args=["purge-access-log"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Removed 3 access-log entries older than 30 days."
    db.session.expire_all()
    assert _actions() == ["report.viewed", "log.purged"]
    again = app.test_cli_runner().invoke(args=["purge-access-log"])
    assert again.output.strip() == "Removed 0 access-log entries older than 30 days."
