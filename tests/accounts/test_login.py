from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http.cookies import SimpleCookie

import pytest

from helpdesk.accounts.models import Role
from tests.conftest import PASSWORD

FAILED = "That email and password do not match an active account."


def test_login_with_right_password_reaches_home(client, make_user, login):
    user = make_user(Role.TEACHER, full_name="Helen Park")
    response = login(user)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Hello, Helen" in client.get("/").get_data(as_text=True)


def test_unknown_email_and_wrong_password_get_the_same_answer(client, make_user):
    user = make_user()
    wrong = client.post_form(
        "/login", {"email": user.email, "password": "not the password"}, page="/login"
    )
    unknown = client.post_form(
        "/login", {"email": "nobody@school.example.org", "password": PASSWORD}, page="/login"
    )
    assert wrong.status_code == unknown.status_code == 200
    assert FAILED in wrong.get_data(as_text=True)
    assert FAILED in unknown.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_email_is_matched_without_regard_to_case(client, make_user, login):
    user = make_user(email="h.park@school.example.org")
    response = client.post_form(
        "/login", {"email": "  H.Park@School.Example.org ", "password": PASSWORD}, page="/login"
    )
    assert response.status_code == 302, user


def test_deactivated_user_cannot_log_in(client, make_user, login):
    user = make_user(is_active=False)
    response = login(user)
    assert response.status_code == 200
    assert FAILED in response.get_data(as_text=True)


def test_invited_user_without_password_cannot_log_in(make_user, login):
    user = make_user(password=None)
    assert login(user, password="").status_code == 200
    assert login(user, password="anything at all").status_code == 200


def test_five_failures_throttle_the_account_even_for_the_right_password(client, make_user, login):
    user = make_user()
    for _ in range(5):
        assert login(user, password="wrong password!").status_code == 200
    response = login(user)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_throttle_counts_per_account_and_ignores_successes(client, make_user, login):
    victim, other = make_user(), make_user()
    for _ in range(5):
        login(victim, password="wrong password!")
    assert login(other).status_code == 302


def test_throttle_lifts_after_the_window(client, make_user, login, clock):
    user = make_user()
    for _ in range(5):
        login(user, password="wrong password!")
        clock.advance(minutes=1)
    assert login(user).status_code == 429
    clock.advance(minutes=10)  # the first failure is now 15 minutes old
    assert login(user).status_code == 302


def _cookies(response) -> SimpleCookie:
    jar = SimpleCookie()
    for header in response.headers.getlist("Set-Cookie"):
        jar.load(header)
    return jar


def test_session_cookie_is_httponly_and_lax(make_user, login):
    response = login(make_user())
    cookie = _cookies(response)["session"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_remember_me_is_off_unless_ticked_and_lasts_at_most_30_days(client, make_user, login):
    user = make_user()
    assert "remember_token" not in _cookies(login(user))
    client.post_form("/logout")
    cookie = _cookies(login(user, remember="y"))["remember_token"]
    assert cookie["httponly"]
    expires = parsedate_to_datetime(cookie["expires"])
    assert timedelta(days=29) < expires - datetime.now(UTC) <= timedelta(days=30)


def test_old_session_cookie_replayed_after_logout_gets_login_page(app, client, make_user, login):
    user = make_user()
    login(user, remember="y")
    stolen = client.get_cookie("session").value
    stolen_remember = client.get_cookie("remember_token").value
    assert client.post_form("/logout").status_code == 302

    thief = app.test_client()
    thief.set_cookie("session", stolen)
    thief.set_cookie("remember_token", stolen_remember)
    response = thief.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_changing_password_signs_out_other_devices(app, client, make_user, login):
    user = make_user()
    login(user)
    other_device = app.test_client()
    other_device.set_cookie("session", client.get_cookie("session").value)
    assert other_device.get("/").status_code == 200

    response = client.post_form(
        "/account/password",
        {
            "current_password": PASSWORD,
            "password": "a new long passphrase",
            "confirm": "a new long passphrase",
        },
        page="/account/password",
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other_device.get("/").status_code == 302


def test_wrong_current_password_changes_nothing(client, make_user, login, db):
    user = make_user()
    login(user)
    before = user.password_hash
    response = client.post_form(
        "/account/password",
        {
            "current_password": "not it at all",
            "password": "a new long passphrase",
            "confirm": "a new long passphrase",
        },
        page="/account/password",
    )
    assert "Your current password is not correct." in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.password_hash == before


def test_deactivation_ends_the_users_sessions(app, client, make_user, login):
    advisor = make_user(Role.ADVISOR)
    teacher = make_user(Role.TEACHER)
    teacher_client = app.test_client()
    teacher_client.post_form(
        "/login", {"email": teacher.email, "password": PASSWORD}, page="/login"
    )
    assert teacher_client.get("/").status_code == 200

    login(advisor)
    response = client.post_form(
        f"/people/{teacher.id}/deactivate", {"confirmed": "yes"}, page="/people/"
    )
    assert response.status_code == 302
    assert teacher_client.get("/").status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "///evil.example",
        " //evil.example",
    ],
)
def test_next_never_leaves_the_site(client, make_user, target):
    user = make_user()
    response = client.post_form(
        "/login", {"email": user.email, "password": PASSWORD, "next": target}, page="/login"
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_to_a_local_path_is_followed(client, make_user):
    user = make_user(Role.ADVISOR)
    response = client.post_form(
        "/login",
        {"email": user.email, "password": PASSWORD, "next": "/people/?role=mentor"},
        page="/login",
    )
    assert response.headers["Location"] == "/people/?role=mentor"


def test_login_page_carries_next_from_the_redirect(client, make_user):
    response = client.get("/people/")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="/people/"' in page
