"""Two-step sign-in: enrolment, the code step, replay, recovery codes, the throttle, expiry."""

import re
import threading
from datetime import datetime

import pytest

from helpdesk.accounts import two_step
from helpdesk.accounts import two_step_services as services
from helpdesk.accounts.models import (
    RecoveryCode,
    Role,
    TwoStepEvent,
    TwoStepEventKind,
    TwoStepSecret,
)
from helpdesk.accounts.services import find_user_by_email
from helpdesk.clock import utcnow
from tests.conftest import PASSWORD

CODE_PAGE = "/login/code"
RECOVERY_PAGE = "/login/recovery"
SETTINGS = "/account/two-step"
ENROL = "/account/two-step/enrol"
SECRET_ON_PAGE = re.compile(r'class="secret-key"><code>([A-Z2-7 ]+)</code>')
CODES_ON_PAGE = re.compile(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>")


def enrol(db, user) -> tuple[str, list[str]]:
    """Turn two-step on for `user` as the pages would; their secret and recovery codes."""
    services.start_enrolment(user)
    secret = services.pending_secret(user)
    codes = services.confirm_enrolment(user, two_step.code_at(secret, utcnow()))
    db.session.commit()
    return secret, codes


def code(secret: str) -> str:
    return two_step.code_at(secret, utcnow())


def send_code(client, value: str):
    return client.post_form(CODE_PAGE, {"code": value}, page=CODE_PAGE)


def signed_in(client) -> bool:
    return client.get("/").status_code == 200


# -- the arithmetic ------------------------------------------------------------------------


def test_a_code_is_good_one_step_either_side_of_now_and_no_further():
    secret = two_step.new_secret()
    now = datetime(2026, 11, 2, 14, 0, 10).astimezone()
    step = two_step.step_at(now)
    for offset in (-1, 0, 1):
        at = datetime.fromtimestamp((step + offset) * 30, now.tzinfo)
        assert two_step.matching_step(secret, two_step.code_at(secret, at), now) == step + offset
    for offset in (-2, 2):
        at = datetime.fromtimestamp((step + offset) * 30, now.tzinfo)
        assert two_step.matching_step(secret, two_step.code_at(secret, at), now) is None


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "12 34 5x"])
def test_malformed_codes_match_nothing(typed):
    assert two_step.matching_step(two_step.new_secret(), typed, utcnow()) is None


def test_spaces_in_a_typed_code_are_ignored():
    secret = two_step.new_secret()
    now = utcnow()
    typed = two_step.code_at(secret, now)
    assert two_step.matching_step(secret, f" {typed[:3]} {typed[3:]} ", now) is not None


def test_the_secret_is_stored_encrypted_and_only_its_key_opens_it():
    secret = two_step.new_secret()
    token = two_step.encrypt_secret(secret, "key one, long enough for the test")
    assert secret not in token
    assert two_step.decrypt_secret(token, "key one, long enough for the test") == secret
    assert two_step.decrypt_secret(token, "another key entirely") is None


def test_recovery_codes_are_ten_different_and_read_in_any_case_or_spacing():
    codes = two_step.new_recovery_codes()
    assert len(set(codes)) == 10
    first = codes[0]
    typed = f"  {first.upper().replace('-', ' ')} "
    assert two_step.hash_recovery_code(typed) == two_step.hash_recovery_code(first)
    assert two_step.looks_like_recovery_code(typed)


def test_the_qr_code_is_inline_svg_without_style_attributes():
    svg = two_step.qr_svg(two_step.provisioning_uri("A" * 32, "a@b.org", "Helpdesk"), "QR")
    assert svg.startswith("<svg") and "<title>QR</title>" in svg
    assert "style=" not in svg and "http" not in svg.replace("http://www.w3.org", "")


# -- enrolment -----------------------------------------------------------------------------


def test_enrolling_with_a_valid_code_turns_it_on_and_shows_recovery_codes_once(
    client, db, login_as, clock
):
    user = login_as(Role.TEACHER)
    assert "Set up two-step sign-in" in client.get(SETTINGS).get_data(as_text=True)
    assert client.post_form(f"{SETTINGS}/start", page=SETTINGS).headers["Location"] == ENROL
    page = client.get(ENROL).get_data(as_text=True)
    assert "<svg" in page and 'autocomplete="one-time-code"' in page
    assert 'inputmode="numeric"' in page
    secret = SECRET_ON_PAGE.search(page).group(1).replace(" ", "")

    response = client.post_form(ENROL, {"code": code(secret)}, page=ENROL)
    assert response.status_code == 200
    codes = CODES_ON_PAGE.findall(response.get_data(as_text=True))
    assert len(codes) == 10
    row = db.session.get(TwoStepSecret, user.id)
    assert row.is_confirmed
    assert secret not in row.secret_encrypted
    stored = set(db.session.scalars(db.select(RecoveryCode.code_hash)))
    assert stored == {two_step.hash_recovery_code(c) for c in codes}
    assert not set(codes) & stored

    # The secret and the codes are never shown again.
    assert client.get(ENROL).headers["Location"] == SETTINGS
    settings = client.get(SETTINGS).get_data(as_text=True)
    assert "10 unused recovery codes" in settings
    assert secret[:8] not in settings and codes[0] not in settings
    assert signed_in(client)  # this device stays signed in


def test_enrolling_with_a_wrong_code_changes_nothing(client, db, login_as, clock):
    user = login_as(Role.TEACHER)
    client.post_form(f"{SETTINGS}/start", page=SETTINGS)
    secret = SECRET_ON_PAGE.search(client.get(ENROL).get_data(as_text=True)).group(1)
    right = code(secret.replace(" ", ""))
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for typed in (wrong, "not a code", ""):
        response = client.post_form(ENROL, {"code": typed}, page=ENROL)
        assert response.status_code == 200
        assert not CODES_ON_PAGE.findall(response.get_data(as_text=True))
    assert services.is_enrolled(user) is False
    assert db.session.scalar(db.select(db.func.count()).select_from(RecoveryCode)) == 0
    # The same secret waits: the app set up a moment ago still works.
    assert SECRET_ON_PAGE.search(client.get(ENROL).get_data(as_text=True)).group(1) == secret


def test_enrolment_pages_need_a_signed_in_person(client, db):
    for path in (SETTINGS, ENROL, f"{SETTINGS}/people"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")


# -- signing in ----------------------------------------------------------------------------


def test_sign_in_asks_for_the_code_when_enrolled_and_not_before(
    client, db, make_user, login, clock
):
    user = make_user(Role.TEACHER)
    secret, _ = enrol(db, user)
    clock.advance(seconds=30)
    response = login(user, next="/tips/")
    assert response.headers["Location"] == CODE_PAGE
    assert not signed_in(client)  # the password alone signs nobody in
    page = client.get(CODE_PAGE).get_data(as_text=True)
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page

    response = send_code(client, code(secret))
    assert response.headers["Location"] == "/tips/"
    assert signed_in(client)
    assert user.last_login_at is not None


def test_a_wrong_code_does_not_sign_in(client, db, make_user, login, clock):
    user = make_user()
    secret, _ = enrol(db, user)
    clock.advance(seconds=30)
    login(user)
    wrong = f"{(int(code(secret)) + 1) % 1_000_000:06d}"
    response = send_code(client, wrong)
    assert response.status_code == 200
    assert "That code is not right" in response.get_data(as_text=True)
    assert not signed_in(client)


def test_a_code_once_used_is_refused_the_second_time(app, client, db, make_user, login, clock):
    user = make_user()
    secret, _ = enrol(db, user)
    clock.advance(seconds=30)
    used = code(secret)
    login(user)
    assert send_code(client, used).status_code == 302

    eavesdropper = app.test_client()
    eavesdropper.post_form("/login", {"email": user.email, "password": PASSWORD}, page="/login")
    response = send_code(eavesdropper, used)
    assert response.status_code == 200
    assert "already used" in response.get_data(as_text=True)
    assert not signed_in(eavesdropper)


def test_an_older_code_is_refused_once_a_newer_one_was_used(client, db, make_user, login, clock):
    user = make_user()
    secret, _ = enrol(db, user)
    clock.advance(seconds=30)
    older = code(secret)
    clock.advance(seconds=30)
    login(user)
    assert send_code(client, code(secret)).status_code == 302
    client.post_form("/logout")
    login(user)
    assert send_code(client, older).status_code == 200  # still within the window, but older
    assert not signed_in(client)


def test_two_requests_with_the_same_code_at_once_let_one_in(app, db, make_user, clock):
    user = make_user()
    secret, _ = enrol(db, user)
    clock.advance(seconds=30)
    typed = code(secret)
    user_id = user.id
    db.session.commit()  # the test's session holds no SQLite lock while the threads run
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt():
        with app.app_context():
            from helpdesk.accounts.models import User
            from helpdesk.extensions import db as thread_db

            barrier.wait()
            try:
                services.check_code(thread_db.session.get(User, user_id), typed)
                thread_db.session.commit()
                outcomes.append("in")
            except services.TwoStepError:
                thread_db.session.rollback()
                outcomes.append("refused")
            finally:
                thread_db.session.remove()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["in", "refused"]


def test_wrong_codes_are_throttled_like_passwords(client, db, make_user, login, clock):
    user = make_user()
    secret, _ = enrol(db, user)
    clock.advance(seconds=30)
    login(user)
    wrong = f"{(int(code(secret)) + 1) % 1_000_000:06d}"
    for _ in range(5):
        assert send_code(client, wrong).status_code == 200
    response = send_code(client, code(secret))  # even the right one
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.get_data(as_text=True)
    assert not signed_in(client)
    # The count is the account's, not this browser's: the password step is refused too.
    assert login(user).status_code == 429


def test_wrong_codes_count_per_address_across_accounts(
    app, client, db, make_user, login, clock, monkeypatch
):
    monkeypatch.setitem(app.config, "LOGIN_CLIENT_FAILURE_LIMIT", "3 per 15 minutes")
    people = [make_user() for _ in range(2)]
    for person in people:
        enrol(db, person)
    clock.advance(seconds=30)
    for person in people:
        login(person)
        for _ in range(2):
            send_code(client, "000000")
    login(people[0])
    response = send_code(client, "000000")
    assert response.status_code == 429
    assert "from your network" in response.get_data(as_text=True)


def test_the_half_sign_in_expires_after_five_minutes(client, db, make_user, login, clock):
    user = make_user()
    secret, _ = enrol(db, user)
    clock.advance(seconds=30)
    login(user)
    clock.advance(minutes=5, seconds=1)
    response = client.post_form(CODE_PAGE, {"code": code(secret)}, page="/login")
    assert response.headers["Location"] == "/login"
    assert "took too long" in client.get("/login").get_data(as_text=True)
    assert not signed_in(client)


def test_code_pages_without_a_password_first_send_to_sign_in(client, db):
    for path in (CODE_PAGE, RECOVERY_PAGE):
        response = client.post_form(path, {"code": "123456"}, page="/login")
        assert response.headers["Location"] == "/login"
    assert not signed_in(client)


def test_a_code_post_without_a_csrf_token_is_refused(client, db, make_user, login, clock):
    user = make_user()
    secret, _ = enrol(db, user)
    clock.advance(seconds=30)
    login(user)
    response = client.post(CODE_PAGE, data={"code": code(secret)})
    assert response.status_code == 400
    assert not signed_in(client)


def test_the_half_sign_in_ends_if_the_account_is_deactivated_meanwhile(
    client, db, make_user, login, clock
):
    user = make_user()
    secret, _ = enrol(db, user)
    clock.advance(seconds=30)
    login(user)
    user.is_active = False
    user.session_version += 1
    db.session.commit()
    assert send_code(client, code(secret)).headers["Location"] == "/login"
    assert not signed_in(client)


# -- recovery codes ------------------------------------------------------------------------


def test_a_recovery_code_signs_in_once(app, client, db, make_user, login, clock, outbox):
    user = make_user()
    _, codes = enrol(db, user)
    login(user)
    response = client.post_form(RECOVERY_PAGE, {"code": codes[3].upper()}, page=RECOVERY_PAGE)
    assert response.headers["Location"] == "/"
    home = client.get("/").get_data(as_text=True)
    assert "You signed in with a recovery code; 9 codes left." in home
    [notice] = outbox(user.email)
    assert "9 recovery codes left" in notice.body
    assert (
        db.session.scalar(
            db.select(TwoStepEvent.kind)
            .where(TwoStepEvent.user_id == user.id)
            .order_by(TwoStepEvent.id.desc())
        )
        is TwoStepEventKind.RECOVERY_CODE_USED
    )

    again = app.test_client()
    again.post_form("/login", {"email": user.email, "password": PASSWORD}, page="/login")
    response = again.post_form(RECOVERY_PAGE, {"code": codes[3]}, page=RECOVERY_PAGE)
    assert response.status_code == 200
    assert "already used" in response.get_data(as_text=True)
    assert not signed_in(again)
    assert again.post_form(RECOVERY_PAGE, {"code": codes[4]}, page=RECOVERY_PAGE).status_code == 302


def test_another_persons_recovery_code_does_not_work(client, db, make_user, login, clock):
    user, other = make_user(), make_user()
    enrol(db, user)
    _, others_codes = enrol(db, other)
    login(user)
    response = client.post_form(RECOVERY_PAGE, {"code": others_codes[0]}, page=RECOVERY_PAGE)
    assert response.status_code == 200
    assert not signed_in(client)


def test_two_requests_with_one_recovery_code_at_once_let_one_in(app, db, make_user, clock):
    user = make_user()
    _, codes = enrol(db, user)
    user_id = user.id
    db.session.commit()  # the test's session holds no SQLite lock while the threads run
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt():
        with app.app_context():
            from helpdesk.accounts.models import User
            from helpdesk.extensions import db as thread_db

            barrier.wait()
            try:
                services.use_recovery_code(thread_db.session.get(User, user_id), codes[0])
                thread_db.session.commit()
                outcomes.append("in")
            except services.TwoStepError:
                thread_db.session.rollback()
                outcomes.append("refused")
            finally:
                thread_db.session.remove()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["in", "refused"]


def test_new_recovery_codes_need_password_and_code_and_replace_the_old(
    client, db, make_user, login, clock
):
    user = make_user()
    secret, old_codes = enrol(db, user)
    clock.advance(seconds=30)
    login(user)
    send_code(client, code(secret))
    clock.advance(seconds=30)
    refused = client.post_form(
        f"{SETTINGS}/recovery-codes",
        {"codes-password": "not my password", "codes-code": code(secret)},
        page=SETTINGS,
    )
    assert refused.headers["Location"] == SETTINGS
    assert "Your password is not correct." in client.get(SETTINGS).get_data(as_text=True)

    response = client.post_form(
        f"{SETTINGS}/recovery-codes",
        {"codes-password": PASSWORD, "codes-code": code(secret)},
        page=SETTINGS,
    )
    new_codes = CODES_ON_PAGE.findall(response.get_data(as_text=True))
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    with pytest.raises(services.TwoStepError):
        services.use_recovery_code(user, old_codes[0])
    assert services.use_recovery_code(user, new_codes[0]) == 9


# -- the advisor must -----------------------------------------------------------------------

ACCOUNT_PAGES = (
    "notifications.index",
    "bookings.calendar_link",
    "accounts.change_password",
    "accounts.two_step_people",
)


def advisor_pages(app) -> list[str]:
    """Every page in the advisor's menu and account menu."""
    from flask import url_for

    from helpdesk.navigation import NAVIGATION, links_of

    endpoints = [link.endpoint for link in links_of(NAVIGATION[Role.ADVISOR])]
    with app.test_request_context():
        return [url_for(endpoint) for endpoint in (*endpoints, *ACCOUNT_PAGES)]


@pytest.fixture
def required(app, monkeypatch):
    monkeypatch.setitem(app.config, "ADVISOR_MFA_REQUIRED", True)


def test_required_advisor_without_two_step_can_open_only_the_set_up_page(
    app, client, db, make_user, login, required, clock
):
    advisor = make_user(Role.ADVISOR)
    response = login(advisor)
    assert response.status_code == 302
    pages = advisor_pages(app)
    assert len(pages) > 15
    for path in pages:
        response = client.get(path)
        assert response.status_code == 303, path
        assert response.headers["Location"] == SETTINGS, path
    page = client.get(SETTINGS).get_data(as_text=True)
    assert "Required for your account" in page
    assert "Set up two-step sign-in to continue" in page

    # A post does nothing: the teacher is not invited.
    response = client.post_form(
        "/people/invite",
        {
            "email": "new.teacher@school.example.org",
            "full_name": "New Teacher",
            "role": "teacher",
            "school_id": advisor.school_id,
        },
        page=SETTINGS,
    )
    assert response.status_code == 303
    assert find_user_by_email("new.teacher@school.example.org") is None

    # Once set up, everything opens again.
    client.post_form(f"{SETTINGS}/start", page=SETTINGS)
    secret = SECRET_ON_PAGE.search(client.get(ENROL).get_data(as_text=True)).group(1)
    client.post_form(ENROL, {"code": code(secret.replace(" ", ""))}, page=ENROL)
    for path in pages:
        assert client.get(path).status_code == 200, path


def test_required_advisor_signs_in_with_password_and_code_once_enrolled(
    client, db, make_user, login, required, clock
):
    advisor = make_user(Role.ADVISOR)
    secret, _ = enrol(db, advisor)
    clock.advance(seconds=30)
    assert login(advisor).headers["Location"] == CODE_PAGE
    assert not signed_in(client)
    assert send_code(client, code(secret)).status_code == 302
    assert signed_in(client)


def test_the_setting_leaves_other_roles_alone(client, db, login_as, required):
    login_as(Role.TEACHER)
    assert client.get("/tips/").status_code == 200


def test_required_advisor_cannot_turn_it_off_but_a_teacher_can(
    app, client, db, make_user, login, required, clock
):
    advisor = make_user(Role.ADVISOR)
    secret, _ = enrol(db, advisor)
    clock.advance(seconds=30)
    login(advisor)
    send_code(client, code(secret))
    clock.advance(seconds=30)
    assert "Turn two-step sign-in off" not in client.get(SETTINGS).get_data(as_text=True)
    client.post_form(
        f"{SETTINGS}/off", {"off-password": PASSWORD, "off-code": code(secret)}, page=SETTINGS
    )
    assert services.is_enrolled(advisor)

    teacher = make_user()
    teacher_secret, _ = enrol(db, teacher)
    clock.advance(seconds=30)
    teacher_client = app.test_client()
    teacher_client.post_form(
        "/login", {"email": teacher.email, "password": PASSWORD}, page="/login"
    )
    send_code(teacher_client, code(teacher_secret))
    clock.advance(seconds=30)
    teacher_client.post_form(
        f"{SETTINGS}/off",
        {"off-password": PASSWORD, "off-code": code(teacher_secret)},
        page=SETTINGS,
    )
    assert not services.is_enrolled(teacher)
    assert db.session.scalar(db.select(db.func.count()).select_from(RecoveryCode)) == 10


# -- links that set a password do not skip the code ----------------------------------------


def test_a_password_reset_does_not_skip_the_code(client, db, make_user, clock, outbox):
    user = make_user()
    secret, _ = enrol(db, user)
    clock.advance(seconds=30)
    client.post_form("/forgot-password", {"email": user.email}, page="/forgot-password")
    [message] = outbox(user.email)
    path = re.search(r"https?://[^/\s]+(/reset-password/\S+)", message.body).group(1)
    new = "sunlit maple library"
    response = client.post_form(path, {"password": new, "confirm": new}, page=path)
    assert response.headers["Location"] == "/login"
    assert not signed_in(client)
    assert services.is_enrolled(user)
    response = client.post_form("/login", {"email": user.email, "password": new}, page="/login")
    assert response.headers["Location"] == CODE_PAGE
    assert not signed_in(client)


def test_an_invitation_link_does_not_skip_the_code(client, db, make_user, clock):
    from helpdesk.accounts import tokens

    user = make_user()
    enrol(db, user)
    path = f"/invitation/{tokens.make_link_token(user, tokens.INVITATION)}"
    new = "sunlit maple library"
    response = client.post_form(path, {"password": new, "confirm": new}, page=path)
    assert response.headers["Location"] == "/login"
    assert not signed_in(client)


# -- the advisor resets someone's two-step sign-in -----------------------------------------


def test_advisor_resets_a_teachers_two_step_with_confirmation_and_a_record(
    app, client, db, make_user, login_as, clock, outbox
):
    teacher = make_user(Role.TEACHER, full_name="Helen Park")
    enrol(db, teacher)
    teacher_device = app.test_client()
    with teacher_device.session_transaction() as session:
        session["_user_id"] = teacher.get_id()
        session["_fresh"] = True
    assert signed_in(teacher_device)

    advisor = login_as(Role.ADVISOR)
    listing = client.get(f"{SETTINGS}/people").get_data(as_text=True)
    assert "Helen Park" in listing
    reset = f"{SETTINGS}/people/{teacher.id}/reset"
    assert "Reset Helen Park" in client.get(reset).get_data(as_text=True)
    assert services.is_enrolled(teacher)  # looking changes nothing

    response = client.post_form(reset, page=reset)
    assert response.headers["Location"] == f"{SETTINGS}/people"
    assert not services.is_enrolled(teacher)
    event = db.session.scalar(
        db.select(TwoStepEvent)
        .where(TwoStepEvent.user_id == teacher.id)
        .order_by(TwoStepEvent.id.desc())
    )
    assert event.kind is TwoStepEventKind.RESET and event.by_id == advisor.id
    [message] = outbox(teacher.email)
    assert "turned off two-step sign-in" in message.body
    assert not signed_in(teacher_device)
    assert client.get(reset).status_code == 404  # nothing left to reset


def test_only_the_advisor_resets_and_never_their_own(client, db, make_user, login_as, clock):
    teacher = make_user(Role.TEACHER)
    enrol(db, teacher)
    login_as(Role.MENTOR)
    assert client.get(f"{SETTINGS}/people").status_code == 404
    assert client.post_form(f"{SETTINGS}/people/{teacher.id}/reset").status_code == 404
    assert services.is_enrolled(teacher)

    client.post_form("/logout")
    advisor = login_as(Role.ADVISOR)
    enrol(db, advisor)
    assert client.get(f"{SETTINGS}/people/{advisor.id}/reset").status_code == 404
    assert client.get(f"{SETTINGS}/people/999999/reset").status_code == 404
    not_enrolled = make_user(Role.STAFF)
    assert client.get(f"{SETTINGS}/people/{not_enrolled.id}/reset").status_code == 404


def test_the_operator_resets_the_advisor_from_the_command_line(app, db, make_user, clock, outbox):
    advisor = make_user(Role.ADVISOR)
    enrol(db, advisor)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["reset-two-step", advisor.email.upper()])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert not services.is_enrolled(advisor)
    assert "The Helpdesk administrator turned off" in outbox(advisor.email)[0].body
    again = app.test_cli_runner().invoke(args=["reset-two-step", advisor.email])
    assert again.exit_code != 0
    assert "does not use two-step sign-in" in again.output
