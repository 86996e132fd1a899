"""Fuzzing every form: a small district, a signed-in client, and the "handled well" check.

Each test posts Hypothesis-made text into one form and asks the same three questions:
no 500 (in tests an unhandled exception propagates, so it fails the test too); a visible
message when nothing was saved; and no change to the database when the answer is an error.
Fixtures are function-scoped and shared by a test's examples, so every example compares
the database before and after its own request.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import text

from helpdesk.accounts.models import Role, User
from helpdesk.availability.services import program_settings
from helpdesk.bookings.models import Booking, BookingFormat, BookingStatus
from helpdesk.requests import services as requests
from helpdesk.skills.services import save_skill
from helpdesk.tips import services as tips
from helpdesk.tips.models import Device
from tests.conftest import PASSWORD

# Mon 2 Nov 2026, 09:00 in New York (clocks went back on Sun 1 Nov).
NOW = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
# Wed 4 Nov 2026, Period 4 at 10:00 local = 15:00 UTC.
SLOT = datetime(2026, 11, 4, 15, 0, tzinfo=UTC)

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# ---------------------------------------------------------------- strategies

LONG = "a" * 100_000
NASTY_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x00" * 300,
    LONG,
    "é" * 50_000,  # 100 kB of UTF-8
    "😀" * 25_000,
    "\u202eevil\u202c",
    "<script>alert(1)</script>",
    "'; DROP TABLE user_account; --",
    "%s %(x)s {0} {{ 7*7 }}",
    "\r\n\t\x0b\x0c",
    "ﬁ ß İ ǅ",  # case mappings that change length
    "null",
    "²",  # isdigit() is True, int() refuses it
]
DATES = [
    "9999-12-31",
    "0000-01-01",
    "0001-01-01",
    "2026-13-45",
    "2026-02-30",
    "2026-03-08",  # spring forward in New York
    "2026-11-01",  # fall back
    "2026-11-04",
    "2027-06-20",
    "1970-01-01",
    "26-11-04",
    "2026/11/04",
    "",
    "\x00",
    "²⁰²⁶-¹¹-⁰⁴",
]
TIMES = [
    "02:30",  # does not exist on 2026-03-08 in New York
    "01:30",  # happens twice on 2026-11-01
    "00:00",
    "23:59",
    "24:00",
    "25:61",
    "9:5",
    "10:00",
    "10:50",
    "02:30:00",
    "",
    "\x00",
    "٠٢:٣٠",
]
NUMBERS = [
    "",
    "0",
    "-1",
    "1",
    "7",
    "30",
    "121",
    "99999999999999999999999999",
    "9" * 5000,  # more digits than int() will read
    "1e3",
    "NaN",
    "0x10",
    " 5 ",
    "²",
    "٣٠",
    "\x00",
    "-0",
]


def nasty_text(max_size: int = 60) -> st.SearchStrategy[str]:
    """Arbitrary Unicode (NUL included), the classic nasties, and 100 kB strings."""
    return st.one_of(
        st.text(max_size=max_size),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=max_size),
        st.sampled_from(NASTY_TEXT),
    )


def some_text(valid: list[str], max_size: int = 60) -> st.SearchStrategy[str]:
    """Mostly the valid values (so the happy path runs too), otherwise anything."""
    return st.one_of(st.sampled_from(valid), nasty_text(max_size))


dates = st.one_of(st.sampled_from(DATES), st.dates().map(date.isoformat), nasty_text(12))
times = st.one_of(st.sampled_from(TIMES), st.times().map(lambda t: t.strftime("%H:%M")))
numbers = st.one_of(st.sampled_from(NUMBERS), st.integers(-(10**12), 10**12).map(str))


def instants() -> st.SearchStrategy[str]:
    """ISO instants: valid slot-like ones, the edges of time, naive ones and junk."""
    return st.one_of(
        st.sampled_from(
            [
                SLOT.isoformat(),
                "9999-12-31T23:30:00+00:00",
                "9999-12-31T23:59:59-12:00",
                "0001-01-01T00:00:00+14:00",
                "2026-03-08T02:30:00-05:00",
                "2026-11-04T10:00:00",
                "2026-13-45T10:00:00+00:00",
            ]
        ),
        st.datetimes(timezones=st.just(UTC)).map(datetime.isoformat),
        nasty_text(30),
    )


def optional(strategy) -> st.SearchStrategy:
    """A field that is sometimes missing from the post altogether."""
    return st.one_of(st.none(), strategy)


def form_data(**fields) -> st.SearchStrategy[dict]:
    """A dict strategy; fields drawn as None are left out of the post."""
    return st.fixed_dictionaries(fields).map(
        lambda d: {k: v for k, v in d.items() if v is not None}
    )


# ---------------------------------------------------------------- the district


@dataclass
class World:
    school: object
    skill: object
    video: object
    mentor: User
    mentor2: User
    teacher: User
    teacher2: User
    staff: User
    advisor: User


@pytest.fixture
def world(db, make_school_with_calendar, make_mentor, make_user, clock) -> World:
    clock.now = NOW
    school = make_school_with_calendar()
    skill = save_skill(name="Google Docs", description="", category="Docs")
    video = save_skill(name="Video editing", description="", category="Video")
    mentors = [
        make_mentor(name, school, {skill: 2, video: 1}, "Period 4")
        for name in ("Maya Chen", "Leo Martins")
    ]
    program_settings()  # the settings rows are made on first use; make them now
    requests.desk_settings()
    db.session.commit()
    return World(
        school=school,
        skill=skill,
        video=video,
        mentor=mentors[0],
        mentor2=mentors[1],
        teacher=make_user(Role.TEACHER, full_name="Helen Park", school=school),
        teacher2=make_user(Role.TEACHER, full_name="Robert Gaines", school=school),
        staff=make_user(Role.STAFF, full_name="Lee Librarian", school=school),
        advisor=make_user(Role.ADVISOR, full_name="Dana Whitfield", school=school),
    )


@pytest.fixture
def make_booking(db, world):
    """A booking written straight to the table: no slot rules, a fresh time each call."""
    counter = iter(range(1, 100_000))

    def make(status: BookingStatus = BookingStatus.REQUESTED, *, past: bool = False) -> Booking:
        n = next(counter)
        starts = (NOW - timedelta(days=1) if past else SLOT) + timedelta(minutes=37 * n)
        if past:
            starts -= timedelta(days=n)
        booking = Booking(
            mentor=world.mentor,
            teacher=world.teacher,
            skill=world.skill,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=30),
            status=status,
            topic="Sharing a Doc with my class",
            learning_goal="Share a Doc so students can comment but not edit.",
            format=BookingFormat.IN_PERSON,
            room="B12",
        )
        db.session.add(booking)
        db.session.commit()
        return booking

    return make


@pytest.fixture
def make_tip(db, world):
    def make(status: str = "published", author: User | None = None, booking=None):
        author = author or world.advisor
        tip = tips.create_tip(
            author=author,
            booking=booking,
            title="Mirror your screen to the projector",
            body="Press Windows+P and choose Duplicate.",
            skills=[world.skill],
            devices=[Device.ANY],
        )
        if status in ("submitted", "published"):
            tips.submit_tip(tip, by=author)
        if status == "published":
            tips.publish_tip(tip, by=world.advisor)
        db.session.commit()
        return tip

    return make


@pytest.fixture
def make_request(db, world, clock):
    def make(requester: User | None = None):
        help_request = requests.open_request(
            requester or world.teacher,
            requests.NewRequest(
                skill_id=world.skill.id,
                summary="My projector won't mirror",
                details="The laptop shows the picture, the projector does not.",
                device="Windows laptop",
                room="B12",
            ),
            clock.now,
        )
        db.session.commit()
        return help_request

    return make


# ---------------------------------------------------------------- the check

FLASH = re.compile(r'class="flash flash-(\w+)">([^<]*)<')
FIELD_ERROR = re.compile(r'<p class="error" id="[^"]*-error">')
ALERT = re.compile(r'role="alert"')
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# Columns a request may touch without saving anything the person typed.
VOLATILE = {"user_account": {"last_login_at", "session_version"}}
# Tables written whatever the answer: every sign-in attempt and reset request is counted.
# Not the app's data: sign-in counts, and the access log (it notes the page a refusal redirects
# to, or the form page a test reads its token from; a refused change itself writes no entry).
BOOKKEEPING = {"throttle_event", "access_log_entry"}


@dataclass
class Outcome:
    status: int
    html: str
    is_error: bool
    has_message: bool
    changed: bool


class Fuzzer:
    """Signs in, posts with the CSRF token, and judges each answer."""

    def __init__(self, app, client, db):
        self.app, self.client, self.db = app, client, db
        self.token: str | None = None

    def sign_in(self, user: User) -> None:
        response = self.client.post_form(
            "/login", {"email": user.email, "password": PASSWORD}, page="/login"
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        self.token = self.client.csrf_token()

    def fingerprint(self) -> dict[str, str]:
        """Every table's rows, hashed: a change anywhere shows, even an update."""
        self.db.session.commit()  # the test's own session must not hold the write lock
        prints = {}
        with self.db.engine.connect() as connection:
            for table in self.db.metadata.sorted_tables:
                if table.name in BOOKKEEPING:
                    continue
                skip = VOLATILE.get(table.name, set())
                columns = [c for c in table.columns if c.name not in skip]
                rows = connection.execute(
                    table.select().with_only_columns(*columns).order_by(*table.primary_key.columns)
                ).all()
                prints[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return prints

    def counts(self) -> dict[str, int]:
        tables = [t.name for t in self.db.metadata.sorted_tables if t.name not in BOOKKEEPING]
        sql = "SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in tables)  # noqa: S608
        self.db.session.commit()
        with self.db.engine.connect() as connection:
            return dict(zip(tables, connection.execute(text(sql)).one(), strict=True))

    def send(self, method: str, url: str, data: dict | None = None, *, csrf: bool = True):
        data = dict(data or {})
        if method == "POST" and csrf:
            if self.token is None:
                self.token = self.client.csrf_token()
            data["csrf_token"] = self.token
        if method == "GET":
            return self.client.get(url, query_string=data)
        return self.client.post(url, data=data, content_type="multipart/form-data")

    def judge(self, response, before: dict[str, str]) -> Outcome:
        assert response.status_code < 500, response.get_data(as_text=True)[:2000]
        html = response.get_data(as_text=True)
        if response.status_code in (301, 302, 303) and response.location:
            page = self.client.get(response.location)
            assert page.status_code < 500, page.get_data(as_text=True)[:2000]
            html = page.get_data(as_text=True)
        flashes = FLASH.findall(html)
        field_errors = bool(FIELD_ERROR.search(html) or ALERT.search(html))
        is_error = (
            response.status_code >= 400
            or field_errors
            or any(category == "error" for category, _ in flashes)
        )
        changed = self.fingerprint() != before
        return Outcome(
            status=response.status_code,
            html=html,
            is_error=is_error,
            has_message=bool(flashes) or field_errors or response.status_code >= 400,
            changed=changed,
        )

    def submit(
        self,
        url: str,
        data: dict | None = None,
        *,
        method: str = "POST",
        must_report: bool = True,
    ) -> Outcome:
        """Send one form and hold the answer to the rules; returns it for extra checks."""
        before = self.fingerprint()
        counts = self.counts()
        outcome = self.judge(self.send(method, url, data), before)
        if outcome.is_error:
            assert not outcome.changed, f"an error answer ({outcome.status}) changed the database"
            assert self.counts() == counts
        elif not outcome.changed and must_report:
            assert outcome.has_message, f"nothing saved and nothing said: {outcome.html[:1500]}"
        return outcome


@pytest.fixture
def fuzz(app, client, db, world) -> Fuzzer:
    return Fuzzer(app, client, db)
