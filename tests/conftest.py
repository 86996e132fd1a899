"""Fixtures: an app on SQLite (or TEST_DATABASE_URL), a clean database per test, factories."""

import os
import re
from datetime import UTC, datetime

import flask_migrate
import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from helpdesk import create_app
from helpdesk.accounts.models import Role, User
from helpdesk.accounts.passwords import hash_password
from helpdesk.clock import set_clock
from helpdesk.extensions import db as _db
from helpdesk.extensions import limiter
from helpdesk.schools.models import School

PASSWORD = "correct horse battery staple"
CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class FormClient(FlaskClient):
    """A test client that posts forms the way a browser does, CSRF token included.

    Each request runs in its own app context (its own db session and `g`), as it
    would in a server; the test's session is committed around it so it sees the result.
    """

    def open(self, *args, **kwargs):
        _db.session.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        _db.session.commit()
        # Werkzeug spools a body over 500 kB to a temporary file and leaves it open; closed only
        # by the garbage collector, it warned (an error here) in whichever test was running then.
        for answer in (*response.history, response):
            answer.request.input_stream.close()
        return response

    def csrf_token(self, page: str | None = None) -> str:
        for url in [page, "/", "/login"] if page else ["/", "/login"]:
            html = self.get(url).get_data(as_text=True)
            match = CSRF_PATTERN.search(html)
            if match:
                return match.group(1)
        raise AssertionError("no CSRF token on the page")

    def post_form(self, url: str, data: dict | None = None, page: str | None = None, **kwargs):
        data = dict(data or {})
        data["csrf_token"] = self.csrf_token(page)
        return self.post(url, data=data, **kwargs)


def without_csrf(html: str) -> str:
    """The page with its CSRF tokens masked, for comparing two renderings of it: a token carries
    the second it was signed in, so the same page differs whenever a second ends in between."""
    return CSRF_PATTERN.sub(lambda found: found[0].replace(found[1], "(csrf)"), html)


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'helpdesk-test.db'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
            # room for the race tests: every thread gets a connection of its own
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 30, "max_overflow": 5},
        }
    )
    app.test_client_class = FormClient
    with app.app_context():
        if _db.engine.dialect.name == "postgresql":
            with _db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        flask_migrate.upgrade()
    return app


@pytest.fixture
def db(app):
    """A clean database for each test, built by the real migrations."""
    with app.app_context():
        yield _db
        _db.session.remove()
        tables = [t.name for t in reversed(_db.metadata.sorted_tables)]
        with _db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                # The access log's triggers allow deletes only while a purge permit exists.
                connection.execute(text("INSERT INTO access_log_purge_permit (id) VALUES (0)"))
                for table in sorted(tables, key=lambda name: name == "access_log_purge_permit"):
                    connection.execute(text(f"DELETE FROM {table}"))  # noqa: S608 (our table names)
        _db.engine.dispose()
        limiter.reset()


@pytest.fixture
def client(app, db):
    return app.test_client()


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        from datetime import timedelta

        self.now += timedelta(**delta)


@pytest.fixture
def clock():
    fake = Clock(datetime(2026, 11, 2, 14, 0, tzinfo=UTC))
    set_clock(fake)
    yield fake
    set_clock(None)


@pytest.fixture
def make_school(db):
    def make(name: str = "Lincoln High School", timezone: str = "America/New_York") -> School:
        school = db.session.scalar(db.select(School).where(School.name == name))
        if school is None:
            school = School(name=name, timezone=timezone)
            db.session.add(school)
            db.session.commit()
        return school

    return make


@pytest.fixture
def make_user(db, make_school):
    counter = iter(range(1, 100_000))

    def make(
        role: Role | str = Role.TEACHER,
        *,
        email: str | None = None,
        full_name: str | None = None,
        password: str | None = PASSWORD,
        school: School | None = None,
        grade: int | None = None,
        is_active: bool = True,
    ) -> User:
        role = Role(role)
        n = next(counter)
        user = User(
            email=email or f"{role.value}{n}@school.example.org",
            full_name=full_name or f"{role.value.capitalize()} Person{n}",
            role=role,
            school=school or make_school(),
            grade=grade if grade is not None else (10 if role is Role.MENTOR else None),
            password_hash=hash_password(password) if password else None,
            is_active=is_active,
        )
        db.session.add(user)
        db.session.commit()
        return user

    return make


SCHOOL_DAY = "Period 1, 08:00, 08:50\nPeriod 4, 10:00, 10:50\nPeriod 7, 14:10, 15:00"


@pytest.fixture
def make_school_with_calendar(make_school):
    """A school with a 2026-27 term and one bell schedule (no rotation)."""
    from datetime import date

    from helpdesk.calendar import services as calendar

    def make(periods: str = SCHOOL_DAY, name: str = "Lincoln High School") -> School:
        school = make_school(name, "America/New_York")
        calendar.set_term(school, date(2026, 9, 1), date(2027, 6, 20))
        calendar.save_schedule(school, "Regular", calendar.parse_periods(periods))
        return school

    return make


@pytest.fixture
def make_mentor(make_user):
    """A student mentor with a profile, skills at levels, and optionally one bell period free."""
    from helpdesk.availability.services import add_window
    from helpdesk.mentors.services import profile_for, update_profile

    def make(name: str, school: School, levels: dict, period: str | None = None) -> User:
        mentor = make_user(
            Role.MENTOR,
            full_name=name,
            school=school,
            email=f"{name.split()[0].lower()}@students.example.org",
        )
        update_profile(
            profile_for(mentor),
            bio="",
            story="",
            weekly_cap=None,
            offers_online=True,
            offers_in_person=True,
            skill_levels={skill.id: level for skill, level in levels.items()},
        )
        if period:
            add_window(mentor, period_name=period)
        return mentor

    return make


@pytest.fixture
def login(client):
    def do_login(user: User, password: str = PASSWORD, **extra):
        return client.post_form(
            "/login", {"email": user.email, "password": password, **extra}, page="/login"
        )

    return do_login


@pytest.fixture
def login_as(make_user, login, client):
    """Create a user of this role, sign them in, and return them."""

    def do(role: Role | str = Role.TEACHER, **fields) -> User:
        user = make_user(role, **fields)
        response = login(user)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    return do


@pytest.fixture
def outbox(db):
    from helpdesk.mail.models import OutboxMessage

    def messages(to: str | None = None) -> list[OutboxMessage]:
        statement = db.select(OutboxMessage).order_by(OutboxMessage.id)
        if to:
            statement = statement.where(OutboxMessage.to_address == to)
        return list(db.session.scalars(statement))

    return messages


@pytest.fixture
def as_migrated(db):
    """The rows the migrations make and each test's emptied tables lack: a fresh change stamp for
    every cache (so caching is on, and no entry from another test can match) and both settings."""
    import uuid

    from helpdesk.availability.services import program_settings
    from helpdesk.finder.cache import AVAILABILITY
    from helpdesk.requests.desk_cache import DESK
    from helpdesk.requests.services import desk_settings
    from helpdesk.stamps import ChangeStamp
    from helpdesk.tips.library_cache import LIBRARY

    for name in (AVAILABILITY, DESK, LIBRARY):
        db.session.merge(ChangeStamp(name=name, stamp=uuid.uuid4().hex))
    program_settings()
    desk_settings()
    db.session.commit()


@pytest.fixture
def count_queries(db):
    """Count the SQL statements a block of code (usually one request) sends."""
    from contextlib import contextmanager

    from sqlalchemy import event

    @contextmanager
    def counting():
        statements: list[str] = []

        def record(_conn, _cursor, statement, *_args):
            if (
                not statement.lstrip()
                .upper()
                .startswith(("BEGIN", "SAVEPOINT", "RELEASE", "PRAGMA"))
            ):
                statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", record)

    return counting


class SmtpInbox:
    """What a local SMTP server (aiosmtpd) accepted; `refuse` maps an address to its answer."""

    def __init__(self):
        self.messages: list = []
        self.refuse: dict[str, str] = {}

    async def handle_RCPT(self, _server, _session, envelope, address, _options):  # noqa: N802 (aiosmtpd's hook name)
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server, _session, envelope):  # noqa: N802
        self.messages.append(envelope)
        return "250 OK"

    def message_ids(self) -> list[str]:
        from email import message_from_bytes

        return [message_from_bytes(e.content)["Message-ID"] for e in self.messages]


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_down(app, monkeypatch):
    """MAIL_SERVER names a port where nothing listens: the mail server is down."""
    port = _free_port()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 5)
    return port


@pytest.fixture
def start_smtp(app, monkeypatch):
    """Bring a local SMTP server up (on the smtp_down port when given); stopped after the test."""
    from aiosmtpd.controller import Controller

    controllers = []

    def start(port: int | None = None) -> SmtpInbox:
        inbox = SmtpInbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=port or _free_port())
        controller.start()
        controllers.append(controller)
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
        monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 5)
        return inbox

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def deliver(app, db):
    """One pass of the delivery worker, as `flask deliver-mail` runs it."""
    from helpdesk.clock import utcnow
    from helpdesk.mail.delivery import RetryPolicy, SmtpSettings, deliver_due

    def run(policy: RetryPolicy | None = None):
        db.session.commit()
        return deliver_due(SmtpSettings.from_config(app.config), utcnow, policy)

    return run


@pytest.fixture
def workers_at_once(app, db):
    """Start `count` delivery workers together (each its own connection), each passing until
    nothing is left to claim; returns what any of them raised."""
    import threading

    from helpdesk.clock import utcnow
    from helpdesk.mail.delivery import RetryPolicy, SmtpSettings, deliver_due

    def run(count: int = 2, batch: int = 7) -> list[BaseException]:
        db.session.commit()  # the test's own session must hold no SQLite lock
        settings = SmtpSettings.from_config(app.config)
        barrier = threading.Barrier(count)
        errors: list[BaseException] = []

        def worker():
            try:
                with app.app_context():
                    barrier.wait()
                    while deliver_due(settings, utcnow, RetryPolicy(batch=batch)).claimed:
                        pass
            except BaseException as error:  # handed to the test
                errors.append(error)

        threads = [threading.Thread(target=worker) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        return errors

    return run
