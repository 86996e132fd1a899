"""Sign-in and reset limits: counted in the database, across workers, per account and per client."""

import logging
import threading

import pytest
from flask.testing import FlaskClient

from helpdesk import create_app
from helpdesk.accounts.throttle import ThrottleEvent
from helpdesk.extensions import db as _db
from helpdesk.extensions import limiter
from tests.conftest import CSRF_PATTERN, PASSWORD, FormClient

FAILED = "That email and password do not match an active account."
LOCKED = "Too many failed sign-in attempts for this account."
SPRAYED = "Too many failed sign-ins from your network"
RESET_SENT = "If that email has an account, a reset link is"  # on its way, or in the Outbox


@pytest.fixture
def restore_limiter(app, db):
    """Tests that bind the shared limiter to an app of their own give it back afterwards."""
    yield
    limiter.init_app(app)
    limiter._storage_dead = False  # no public way to say "the session app's storage is fine"


@pytest.fixture
def worker(app, db, restore_limiter):
    """Another app on the same database, as a second gunicorn worker would be."""

    apps = []

    def make(**settings) -> FlaskClient:
        other = create_app(
            {"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
            | settings
        )
        other.test_client_class = FormClient
        apps.append(other)
        return other.test_client()

    yield make
    for other in apps:
        with other.app_context():
            _db.engine.dispose()


def _sign_in(client, email: str, password: str, **kwargs):
    return client.post_form("/login", {"email": email, "password": password}, "/login", **kwargs)


def test_two_workers_together_allow_only_the_limit(client, make_user, worker):
    email = make_user().email
    workers = [client, worker()]
    for attempt in range(5):
        limiter.reset()  # each worker's memory is its own: nothing may rest on it
        response = _sign_in(workers[attempt % 2], email, "wrong password!")
        assert FAILED in response.get_data(as_text=True)
    for each in workers:
        limiter.reset()
        refused = _sign_in(each, email, PASSWORD)
        assert refused.status_code == 429
        assert LOCKED in refused.get_data(as_text=True)
        assert int(refused.headers["Retry-After"]) > 0


def test_racing_guesses_never_get_past_the_limit(app, db, make_user):
    """Ten guesses at once, each on its own connection: at most five are tried."""
    email = make_user().email
    clients = []
    for _ in range(10):
        each = FlaskClient(app, app.response_class, use_cookies=True)
        with app.app_context():
            html = each.get("/login").get_data(as_text=True)
        clients.append((each, CSRF_PATTERN.search(html).group(1)))
    db.session.commit()  # the test's own session must not hold SQLite's write lock
    barrier = threading.Barrier(len(clients))
    answers: list = [None] * len(clients)

    def guess(index, each, token):
        barrier.wait()
        with app.app_context():
            data = {"email": email, "password": f"guess {index}", "csrf_token": token}
            response = each.post("/login", data=data)
            answers[index] = (response.status_code, response.get_data(as_text=True))

    threads = [threading.Thread(target=guess, args=(i, *c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    tried = [html for status, html in answers if status == 200 and FAILED in html]
    refused = [html for status, html in answers if status == 429 and LOCKED in html]
    assert len(tried) <= 5  # in a race some may be refused early; none gets past the limit
    assert len(tried) + len(refused) == 10
    assert db.session.scalar(db.select(db.func.count()).select_from(ThrottleEvent)) == len(tried)


def test_failures_from_one_client_across_many_accounts_block_that_client(client, make_user, worker):
    victim = make_user()
    for n in range(20):
        _sign_in(client, f"guess{n}@school.example.org", "Summer2026!")
    refused = _sign_in(client, victim.email, PASSWORD)
    assert refused.status_code == 429
    assert SPRAYED in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0
    other_client = worker().application.test_client()
    other_client.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    assert _sign_in(other_client, victim.email, PASSWORD).status_code == 302


def test_behind_a_proxy_each_client_is_counted_by_its_forwarded_address(make_user, worker):
    email = make_user().email
    proxied = worker(PROXY_COUNT=1)
    for n in range(20):
        forwarded = {"X-Forwarded-For": "203.0.113.7"}
        _sign_in(proxied, f"guess{n}@school.example.org", "x", headers=forwarded)
    assert _sign_in(proxied, email, PASSWORD, headers=forwarded).status_code == 429
    response = _sign_in(proxied, email, PASSWORD, headers={"X-Forwarded-For": "203.0.113.8"})
    assert response.status_code == 302


def test_the_throttle_keeps_no_email_or_client_address(app, db, make_user, client):
    email = make_user().email
    _sign_in(client, email, "wrong password!")
    rows = db.session.scalars(db.select(ThrottleEvent)).all()
    assert len(rows) == 1
    stored = repr([(r.action, r.account_key, r.client_key) for r in rows])
    assert email not in stored and "127.0.0.1" not in stored


def test_a_success_does_not_count_and_failures_age_out(client, make_user, clock):
    user = make_user()
    for _ in range(4):
        _sign_in(client, user.email, "wrong password!")
    assert _sign_in(client, user.email, PASSWORD).status_code == 302
    client.post_form("/logout")
    assert FAILED in _sign_in(client, user.email, "wrong again").get_data(as_text=True)
    assert _sign_in(client, user.email, PASSWORD).status_code == 429
    clock.advance(minutes=16)
    assert _sign_in(client, user.email, PASSWORD).status_code == 302


def _forgot(client, email: str):
    return client.post_form("/forgot-password", {"email": email}, page="/forgot-password")


def test_forgot_password_answers_the_same_whether_or_not_the_account_exists(
    client, make_user, outbox
):
    email = make_user().email
    answers = []
    for address in (email.upper(), "nobody@school.example.org"):
        response = _forgot(client, address)
        page = client.get(response.location).get_data(as_text=True)
        answers.append((response.status_code, response.location, CSRF_PATTERN.sub("", page)))
    assert answers[0] == answers[1]
    assert answers[0][:2] == (302, "/login")
    assert RESET_SENT in answers[0][2]
    assert len(outbox(email)) == 1


def test_forgot_password_is_limited_per_address_and_per_client(client, make_user, worker, outbox):
    email = make_user().email
    for _ in range(3):
        assert _forgot(client, email).status_code == 302
    refused = _forgot(client, email)
    assert refused.status_code == 429
    assert "Too many reset requests for this email address" in refused.get_data(as_text=True)
    assert len(outbox(email)) == 3
    for n in range(7):
        assert _forgot(client, f"someone{n}@school.example.org").status_code == 302
    refused = _forgot(client, "one.more@school.example.org")
    assert refused.status_code == 429
    assert "from your network" in refused.get_data(as_text=True)
    other_client = worker().application.test_client()
    other_client.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    assert _forgot(other_client, "one.more@school.example.org").status_code == 302


def test_a_flood_of_sign_in_posts_is_cut_off_before_the_database(client, make_user, monkeypatch):
    monkeypatch.setitem(client.application.config, "SIGN_IN_FLOOD_LIMIT", "3 per minute")
    email = make_user().email
    for _ in range(3):
        assert _sign_in(client, email, PASSWORD).status_code == 302
        client.post_form("/logout")
    flooded = _sign_in(client, email, PASSWORD)
    assert flooded.status_code == 429
    assert "Too many requests from your network" in flooded.get_data(as_text=True)


def test_sign_in_works_when_the_limiters_redis_is_down(make_user, worker, caplog):
    email = make_user().email
    down = worker(RATELIMIT_STORAGE_URI="redis://127.0.0.1:6390")  # nothing listens there
    with caplog.at_level(logging.WARNING):
        assert _sign_in(down, email, PASSWORD).status_code == 302
    assert any("falling back to in-memory" in r.getMessage() for r in caplog.records)
    health = down.get("/healthz")
    assert health.status_code == 200
    assert health.get_json()["limiter"] == "degraded"


def test_healthz_says_ok_when_the_limiters_redis_answers(worker):
    up = worker(RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/11")
    assert up.get("/healthz").get_json()["limiter"] == "ok"
