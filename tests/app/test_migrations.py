"""Upgrading a SQLite database that already holds data (batch migrations copy tables)."""

import flask_migrate
from sqlalchemy import text

from helpdesk import create_app
from helpdesk.extensions import db

BEFORE_TOPIC_RULES = "cb6cdbc2941a"  # the next revision rebuilds the skill table on SQLite


def test_upgrading_a_sqlite_database_with_data_keeps_every_row(tmp_path):
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"}
    )
    with app.app_context():
        flask_migrate.upgrade(revision=BEFORE_TOPIC_RULES)
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO school (id, name, timezone) VALUES (1, 'Lincoln', 'America/New_York')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO skill (id, name, description, category, created_at) VALUES (1, 'iPads', '', 'Devices', '2026-11-01 00:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO user_account (id, email, full_name, role, school_id, grade, is_active, session_version, created_at) "
                    "VALUES (1, 'maya@school.example.org', 'Maya Chen', 'mentor', 1, 11, 1, 1, '2026-11-01 00:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO mentor_profile (user_id, bio, story, offers_online, offers_in_person) VALUES (1, '', '', 1, 1)"
                )
            )
            connection.execute(
                text("INSERT INTO mentor_skill (mentor_id, skill_id, level) VALUES (1, 1, 3)")
            )

        flask_migrate.upgrade()

        with db.engine.connect() as connection:
            assert (
                connection.execute(
                    text("SELECT level FROM mentor_skill WHERE skill_id = 1")
                ).scalar()
                == 3
            )
            assert (
                connection.execute(text("SELECT is_escalate_only FROM skill WHERE id = 1")).scalar()
                == 0
            )
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
        db.engine.dispose()
