"""The demo district: a term of history around today, repeatable, and respectful of changes."""

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from helpdesk.accounts.models import Role, User
from helpdesk.bookings.models import Booking, BookingStatus
from helpdesk.calendar import services as calendar
from helpdesk.calendar.models import Closure
from helpdesk.demo import DEMO_PASSWORD, DOMAIN, seed
from helpdesk.extensions import db as _db
from helpdesk.reflections.models import Reflection, SessionReport
from helpdesk.requests.models import HelpRequest, RequestStatus
from helpdesk.skills.models import Skill
from helpdesk.skills.services import save_skill
from helpdesk.tips.models import Tip, TipStatus

ROOT = Path(__file__).resolve().parents[2]
# Monday 16 November 2026, 08:00 in New York: the browser tests' morning.
MONDAY = datetime(2026, 11, 16, 13, 0, tzinfo=UTC)
# A summer day: the demo's term still surrounds it (dates are placed around today).
SUMMER = datetime(2027, 7, 21, 14, 0, tzinfo=UTC)


def _counts() -> dict[str, int]:
    return {
        table.name: _db.session.scalar(_db.select(_db.func.count()).select_from(table))
        for table in _db.metadata.sorted_tables
    }


def _count(model, *where) -> int:
    return _db.session.scalar(_db.select(_db.func.count()).select_from(model).where(*where))


def test_seeding_twice_adds_nothing_and_keeps_what_people_changed(db, clock):
    clock.now = MONDAY
    assert seed() > 50
    db.session.commit()
    chromebooks = db.session.scalar(db.select(Skill).where(Skill.name == "Chromebooks"))
    save_skill(name="Chromebooks & ChromeOS", description="", category="Devices", skill=chromebooks)
    conference = db.session.scalar(
        db.select(Closure).where(Closure.name == "Superintendent's conference day")
    )
    calendar.remove_closure(conference)  # the advisor reopened the day
    db.session.commit()
    before = _counts()

    clock.advance(days=9)  # a later run: dates would land elsewhere if anything were redone
    assert seed() == 0
    db.session.commit()
    assert _counts() == before
    names = set(db.session.scalars(db.select(Skill.name)))
    assert "Chromebooks & ChromeOS" in names and "Chromebooks" not in names
    assert not _count(Closure, Closure.name == "Superintendent's conference day")


def test_the_demo_tells_a_terms_story(db, clock, client):
    clock.now = MONDAY
    seed()
    db.session.commit()
    by_status = dict(
        db.session.execute(
            db.select(Booking.status, db.func.count()).group_by(Booking.status)
        ).all()
    )
    assert by_status[BookingStatus.COMPLETED] >= 12
    assert by_status[BookingStatus.NO_SHOW] >= 2
    assert by_status[BookingStatus.CANCELLED] >= 4  # by teachers and by closed days
    assert by_status[BookingStatus.REQUESTED] >= 3
    assert by_status[BookingStatus.DECLINED] >= 1
    upcoming = _count(Booking, Booking.status == BookingStatus.APPROVED, Booking.starts_at > MONDAY)
    assert upcoming >= 3
    # Every completed session has the mentor's notes; most have both reflections.
    completed = _count(Booking, Booking.status == BookingStatus.COMPLETED)
    assert _count(SessionReport) == completed
    both = db.session.scalar(
        db.select(db.func.count()).select_from(
            db.select(Reflection.booking_id)
            .group_by(Reflection.booking_id)
            .having(db.func.count() == 2)
            .subquery()
        )
    )
    assert both >= 10
    assert _count(Reflection, Reflection.kudos != "") >= 5
    assert _count(Tip, Tip.source_booking_id.is_not(None), Tip.status == TipStatus.PUBLISHED) >= 3
    assert _count(Tip, Tip.status == TipStatus.SUBMITTED) >= 1
    states = set(db.session.scalars(db.select(HelpRequest.status).distinct()))
    assert states == set(RequestStatus)
    schools = set(
        db.session.scalars(db.select(User.school_id).where(User.role == Role.MENTOR).distinct())
    )
    assert len(schools) == 2
    # History is made through the services, at its time: requests, approvals and the outbox.
    first = db.session.scalar(db.select(Booking).order_by(Booking.starts_at))
    assert [e.to_status for e in first.events][:2] == ["requested", "approved"]
    assert first.created_at < first.starts_at < MONDAY


@pytest.mark.parametrize(
    ("who", "shows"),
    [
        (
            "advisor",
            ["session requests</span> waiting for approval", "Snow day", "tips</span> to review"],
        ),
        ("helen.park", ["Your next session", "to reflect on", "help request</span> open"]),
        ("student.maya.chen", ["verified service hours", "kudos", "for your skills"]),
        ("librarian", ["Newest tips", "Peer review in Google Docs with Suggesting mode"]),
    ],
)
def test_each_home_page_has_demo_content(db, clock, client, who, shows):
    clock.now = MONDAY
    seed()
    db.session.commit()
    response = client.post_form(
        "/login", {"email": f"{who}@{DOMAIN}", "password": DEMO_PASSWORD}, page="/login"
    )
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    for text in shows:
        assert text in page


def test_a_summer_seed_still_has_a_term_around_it(db, clock):
    clock.now = SUMMER
    seed()
    db.session.commit()
    lincoln = db.session.scalar(db.select(User).where(User.email == f"advisor@{DOMAIN}")).school
    assert lincoln.term_starts_on < SUMMER.date() < lincoln.term_ends_on
    assert _count(Booking, Booking.status == BookingStatus.COMPLETED) >= 12


def test_make_run_setup_works_on_a_fresh_sqlite_file(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("HELPDESK_ENV", "SECRET_KEY")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'fresh.db'}"
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    for command in (["db", "upgrade"], ["seed-demo"]):
        done = subprocess.run(  # noqa: S603 (our own argument list)
            flask + command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
            check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
    assert "Demo district ready (" in done.stdout
