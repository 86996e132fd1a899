"""Failure answers: hostile ids, query strings and headers get 4xx pages, never a 500."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest

from helpdesk.accounts.models import Role, User
from helpdesk.bookings.models import Booking, BookingFormat, BookingStatus
from helpdesk.mail.models import OutboxMessage
from helpdesk.requests import services as requests
from helpdesk.series.models import BookingSeries, SeriesKind
from helpdesk.skills.services import save_skill
from helpdesk.tips import services as tips
from helpdesk.tips.models import Device
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)  # Monday, 09:00 in New York
SLOT = datetime(2026, 11, 4, 15, 0, tzinfo=UTC)  # Wednesday, Period 4

# Numbers and text people (or scripts) type where the app expects a number, a date or a word.
HOSTILE = [
    "99999999999999999999",
    str(2**63),
    str(2**63 - 1),
    str(2**31),
    str(2**31 - 1),
    "9" * 5000,  # more digits than int() reads
    "0",
    "-1",
    "-99999999999999999999",
    "1e309",
    "NaN",
    "0x10",
    "1.5",
    " 7 ",
    "٣",  # Arabic-Indic three: isdigit() and int() accept it
    "²",  # isdigit() accepts it, int() does not
    "１２",  # fullwidth digits
    "\x00",
    "1\x00",
    "9999-12-31",
    "0001-01-01",
    "0000-00-00",
    "9999-12-31T23:59:59+00:00",
    "0001-01-01T00:00:00-12:00",
    "2026-02-30",
    "x" * 2000,
    "😀" * 50,
    "\u202e\ufeff",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../../../etc/passwd",
    "//evil.example/",
    "[]",
]


def _query_names() -> list[str]:
    """Every query-string name the views read, found in their source, and the finder's fields."""
    pattern = re.compile(r"""(?:args\.get(?:list)?|_page_arg|_int_arg)\(\s*["'](\w+)["']""")
    names = {
        name
        for path in (ROOT / "helpdesk").rglob("*.py")
        for name in pattern.findall(path.read_text())
    }
    return sorted(names | {"skill_id", "school_id", "start", "end", "minutes", "online_only"})


@dataclass
class District:
    ids: dict[str, int]
    users: dict[str, User]


@pytest.fixture
def district(db, make_school_with_calendar, make_mentor, make_user, clock) -> District:
    """One of everything a GET route can show, so each route's view really runs."""
    clock.now = NOW
    school = make_school_with_calendar()
    skill = save_skill(name="Google Docs", description="", category="Docs")
    mentor = make_mentor("Maya Chen", school, {skill: 2}, "Period 4")
    users = {
        "teacher": make_user(Role.TEACHER, full_name="Helen Park", school=school),
        "mentor": mentor,
        "staff": make_user(Role.STAFF, full_name="Lee Librarian", school=school),
        "advisor": make_user(Role.ADVISOR, full_name="Dana Whitfield", school=school),
    }
    booking = Booking(
        mentor=mentor,
        teacher=users["teacher"],
        skill=skill,
        starts_at=SLOT,
        ends_at=SLOT + timedelta(minutes=30),
        status=BookingStatus.APPROVED,
        topic="Sharing a Doc",
        learning_goal="Share a Doc so students can comment.",
        format=BookingFormat.IN_PERSON,
        room="B12",
    )
    db.session.add(booking)
    series = BookingSeries(  # the session is one date of a weekly series
        teacher=users["teacher"], mentor=mentor, requested_by_id=users["teacher"].id, skill=skill,
        kind=SeriesKind.WEEKDAY, weekday=SLOT.weekday(), local_start=time(10), minutes=30,
        starts_on=SLOT.date(), ends_on=SLOT.date(),
    )  # fmt: skip
    db.session.add(series)
    db.session.flush()
    booking.series_id = series.id
    help_request = requests.open_request(
        users["teacher"],
        requests.NewRequest(skill_id=skill.id, summary="Projector", details="No picture."),
        NOW,
    )
    tip = tips.create_tip(
        author=users["advisor"],
        title="Mirror your screen",
        body="Press Windows+P.",
        skills=[skill],
        devices=[Device.ANY],
    )
    tips.submit_tip(tip, by=users["advisor"])
    tips.publish_tip(tip, by=users["advisor"])
    db.session.add(OutboxMessage(to_address="a@example.org", subject="Hi", body="Hello"))
    db.session.commit()
    message = db.session.scalar(db.select(OutboxMessage.id).limit(1))
    ids = {
        "booking_id": booking.id,
        "series_id": series.id,
        "mentor_id": mentor.id,
        "message_id": message,
        "request_id": help_request.id,
        "screenshot_id": 1,
        "school_id": school.id,
        "skill_id": skill.id,
        "tip_id": tip.id,
        "user_id": users["teacher"].id,
        "window_id": 1,
        "time_off_id": 1,
        "closure_id": 1,
        "exception_id": 1,
        "concern_id": 1,
        "subject_id": 1,
        "pairing_id": 1,
        "goal_id": 1,
        "workshop_id": 1,
        "survey_id": 1,
        "person_id": mentor.id,  # hours ledger
        "entry_id": 1,
        "certificate_id": 1,
    }
    return District(ids=ids, users=users)


def _sign_in(client, user: User | None) -> None:
    if user is not None:
        response = client.post_form(
            "/login", {"email": user.email, "password": PASSWORD}, page="/login"
        )
        assert response.status_code == 302


# Opening an invitation or reset link signs the visitor out; those are crawled signed out.
SIGNS_OUT = {"accounts.accept_invitation", "accounts.reset_password"}


def _get_routes(app, ids: dict[str, int], signed_in: bool) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if signed_in and rule.endpoint in SIGNS_OUT:
            continue
        values = {name: ids.get(name, "x") for name in rule.arguments}
        paths.append(rule.build(values, append_unknown=False)[1])
    return sorted(paths)


def _hostile_queries(names: list[str]) -> list:
    """Each hostile value in every name at once; then repeats, a flood of names, bad bytes."""
    queries = [dict.fromkeys(names, value) for value in HOSTILE]
    queries.append([("page", str(n)) for n in range(500)])
    queries.append("&".join(f"k{n}=v" for n in range(5000)))
    queries.append("%ff%fe=%ff&%00=%00&page=%ff&q=%ed%b3%bf&start=%c0%af&next=%0d%0a")
    return queries


def _refused_before_the_view(response) -> bool:
    """A role gate (403) or the sign-in redirect: the view never reads the query string."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.location.startswith("/login")
    )


def _crawl(client, paths: list[str], queries: list) -> list[str]:
    """Every path with every query; the answers that were a 500 (or raised, as in tests)."""
    failures = []
    for path in paths:
        for query in queries:
            try:
                status = client.get(path, query_string=query).status_code
            except Exception as exc:  # noqa: BLE001 (collect them all, then fail once)
                status = repr(exc)
            if not isinstance(status, int) or status >= 500:
                failures.append(f"{path} {str(query)[:60]}: {status}"[:300])
    return failures


@pytest.mark.parametrize("role", [None, "teacher", "mentor", "staff", "advisor"])
def test_every_get_route_survives_hostile_query_strings(app, client, district, role):
    _sign_in(client, district.users.get(role))
    names = _query_names()
    assert {"page", "start", "skill", "q", "next"} <= set(names)
    paths = [
        path
        for path in _get_routes(app, district.ids, signed_in=role is not None)
        if not _refused_before_the_view(client.get(path))
    ]
    assert _crawl(client, paths, _hostile_queries(names)) == []
    assert client.get("/").status_code == (302 if role is None else 200)  # still signed in


TOO_BIG_IDS = ["99999999999999999999", str(2**63), str(2**63 - 1), str(2**31), "9" * 400]
NOT_IDS = ["-1", "1.0", "1e3", "٣", "１２", "²", "%00", "1%00", "%ff", "0x1", "+1", " 1"]


def _id_routes(app) -> list:
    return [rule for rule in app.url_map.iter_rules() if "<int:" in rule.rule]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_ids_that_cannot_exist_answer_404_on_every_route(app, client, district, login, method):
    login(district.users["advisor"])
    routes = [rule for rule in _id_routes(app) if method in rule.methods]
    assert len(routes) > (5 if method == "GET" else 20)
    for rule in routes:
        for bad in TOO_BIG_IDS + NOT_IDS:
            path = rule.rule
            for name in rule.arguments:
                path = path.replace(f"<int:{name}>", bad).replace(f"<string:{name}>", "x")
            response = client.open(path, method=method)
            assert response.status_code == 404, (path, response.status_code)
            assert "There is nothing here" in response.get_data(as_text=True)
    # The largest id that fits is looked up like any other, and is not there.
    assert client.get(f"/sessions/{2**31 - 1}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/invitation/%00",
        "/reset-password/" + "x" * 5000,
        "/reset-password/%F0%9F%98%80.%ff",
        "/calendar/feed/%00.ics",
        "/calendar/feed/" + "a" * 5000 + ".ics",
        "/calendar/feed/..%2f..%2fetc%2fpasswd.ics",
        "/static/..%2f..%2fconfig.py",
        "/static/%00",
        "/%ff%fe",
        "/" + "a/" * 2000,
    ],
)
def test_hostile_paths_get_an_answer_not_a_500(client, db, path):
    with client.get(path) as response:
        assert response.status_code in (200, 302, 400, 404)


@pytest.mark.parametrize(
    "headers",
    [
        {"Cookie": "session=" + "x" * 8000},
        {"Cookie": "session=.eJx%00garbage; remember_token=1|" + "9" * 50},
        {"Cookie": "remember_token=99999999999999999999:1|abc"},
        {"Accept-Language": "\x00;q=NaN," * 500},
        {"Content-Type": "multipart/form-data; boundary="},
        {"X-Forwarded-For": "not-an-ip, ::::, 999.1.1.1"},
        {"Range": "bytes=99999999999999999999-"},
        {"If-None-Match": '"' + "x" * 8000},
        {"If-Modified-Since": "Mon, 99 Foo 99999 99:99:99 GMT"},
    ],
)
def test_hostile_headers_get_an_answer_not_a_500(client, db, headers):
    for path in ("/login", "/", "/static/css/app.css", "/healthz"):
        with client.get(path, headers=headers) as response:
            assert response.status_code < 500
    assert client.post("/login", headers=headers, data="x=1").status_code < 500


@pytest.fixture
def locked_sqlite(db):
    """Another process holds SQLite's write lock; our requests wait 50 ms for it, not 5 s."""
    import sqlite3

    from sqlalchemy import event

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock")

    def short_wait(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA busy_timeout=50")

    event.listen(db.engine, "connect", short_wait)
    db.engine.dispose()
    holder = sqlite3.connect(db.engine.url.database, isolation_level=None)

    class Lock:
        def hold(self):
            holder.execute("BEGIN IMMEDIATE")

        def release(self):
            holder.execute("ROLLBACK")

    yield Lock()
    holder.close()
    event.remove(db.engine, "connect", short_wait)
    db.engine.dispose()


def _busy_page(response) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == 503, html[:500]
    assert response.headers["Retry-After"] == "2"
    assert response.mimetype == "text/html"
    assert "Helpdesk is busy right now. Try again in a moment." in html


def test_a_locked_database_answers_503_to_signed_in_posts(
    client, login_as, make_user, locked_sqlite, as_migrated
):
    teacher = login_as(Role.TEACHER)
    token = client.csrf_token()
    locked_sqlite.hold()
    for url in ("/sessions/calendar-link", "/notifications/read", "/logout"):
        _busy_page(client.post(url, data={"csrf_token": token}))
    locked_sqlite.release()
    assert client.get("/").status_code == 200  # still signed in: the busy answers changed nothing
    assert teacher.feed_token_hash is None


def test_a_locked_database_answers_503_to_a_sign_in(client, make_user, locked_sqlite):
    email = make_user().email
    token = client.csrf_token("/login")
    locked_sqlite.hold()
    _busy_page(
        client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    )
    locked_sqlite.release()
    assert client.get("/").status_code == 302


def test_a_get_that_counts_a_view_still_shows_the_page_when_locked(
    client, login_as, district, locked_sqlite
):
    from helpdesk.tips.models import Tip

    login_as(Role.STAFF)
    tip = district.ids["tip_id"]
    locked_sqlite.hold()
    response = client.get(f"/tips/{tip}")
    assert response.status_code == 200
    assert "Mirror your screen" in response.get_data(as_text=True)
    locked_sqlite.release()
    from helpdesk.extensions import db

    assert db.session.get(Tip, tip).view_count == 0  # the busy database cost a view, not the page


BOOKING_FORM = {
    "topic": "Sharing a Doc",
    "learning_goal": "Share a Doc so students can comment.",
    "format": "in_person",
    "room": "B12",
    "agrees_to_norms": "y",
}


def _booking_page(district, days_after_wednesday: int = 1) -> str:
    """Booking Maya's Period 4 on Thursday (Wednesday's is booked already) or later."""
    query = {
        "mentor": district.ids["mentor_id"],
        "skill": district.ids["skill_id"],
        "minutes": 30,
        "start": (SLOT + timedelta(days=days_after_wednesday)).isoformat(),
    }
    return "/sessions/new?" + urlencode(query)


def _count(db, model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


@pytest.mark.parametrize(
    "key", ["k" * 65, "x" * 10_000, "key with spaces", "ключ", "a;DROP TABLE booking"]
)
def test_a_malformed_request_key_gets_a_message_and_saves_nothing(client, db, district, login, key):
    login(district.users["teacher"])
    page = _booking_page(district)
    response = client.post_form(page, {**BOOKING_FORM, "request_key": key}, page=page)
    assert response.status_code == 400
    assert "Reload the page and send it again." in response.get_data(as_text=True)
    assert _count(db, Booking) == 1


def test_the_same_request_key_twice_makes_one_session(client, db, district, login):
    login(district.users["teacher"])
    page = _booking_page(district)
    first = client.post_form(page, {**BOOKING_FORM, "request_key": "k" * 64}, page=page)
    again = client.post_form(page, {**BOOKING_FORM, "request_key": "k" * 64}, page=page)
    assert first.status_code == again.status_code == 302
    assert first.location == again.location
    assert _count(db, Booking) == 2


def test_another_teachers_request_key_gets_a_conflict_message(
    client, db, district, login, make_user
):
    login(district.users["teacher"])
    page = _booking_page(district)
    client.post_form(page, {**BOOKING_FORM, "request_key": "shared-key"}, page=page)
    client.post_form("/logout")
    login(make_user(Role.TEACHER, school=district.users["teacher"].school))
    page = _booking_page(district, days_after_wednesday=2)  # a free time, the same key
    response = client.post_form(page, {**BOOKING_FORM, "request_key": "shared-key"}, page=page)
    assert response.status_code == 409
    assert "Reload the page" in response.get_data(as_text=True)
    assert _count(db, Booking) == 2


def test_help_request_keys_are_checked_the_same_way(client, db, district, login, make_user):
    from helpdesk.requests.models import HelpRequest

    form = {"skill_id": district.ids["skill_id"], "summary": "No sound", "urgency": "week"}
    login(district.users["teacher"])
    assert client.post_form("/requests/new", {**form, "request_key": "r" * 65}).status_code == 400
    assert client.post_form("/requests/new", {**form, "request_key": "once"}).status_code == 302
    client.post_form("/logout")
    login(make_user(Role.STAFF, school=district.users["teacher"].school))
    response = client.post_form("/requests/new", {**form, "request_key": "once"})
    assert response.status_code == 409
    assert _count(db, HelpRequest) == 2


@pytest.mark.parametrize("role", ["teacher", "mentor", "advisor"])
def test_every_get_route_answers_a_locked_database_with_a_page(
    app, client, district, login, locked_sqlite, role
):
    """Reads go on under SQLite's write lock. GETs that write (the program's settings made on
    first use, here not made yet; a tip's view count) show their page or a readable 503."""
    login(district.users[role])
    paths = _get_routes(app, district.ids, signed_in=True)
    locked_sqlite.hold()
    answers = {path: client.get(path) for path in paths}
    locked_sqlite.release()
    for path, response in answers.items():
        assert response.status_code in (200, 302, 403, 404, 503), path
        if response.status_code == 503:
            _busy_page(response)
