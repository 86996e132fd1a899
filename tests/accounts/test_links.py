import re

from helpdesk.accounts.models import Role, User

NEW_PASSWORD = "sunlit maple library"


def _link(message, kind: str) -> str:
    match = re.search(rf"https?://[^/\s]+(/{kind}/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def _set_password(client, path: str, password: str = NEW_PASSWORD):
    return client.post_form(path, {"password": password, "confirm": password}, page=path)


def test_advisor_invites_a_teacher_who_sets_a_password_and_signs_in(
    client, db, login_as, make_school, outbox
):
    advisor = login_as(Role.ADVISOR)
    response = client.post_form(
        "/people/invite",
        {
            "email": "Helen.Park@school.example.org",
            "full_name": "Helen Park",
            "role": "teacher",
            "school_id": advisor.school_id,
        },
        page="/people/invite",
    )
    assert response.status_code == 302
    [message] = outbox("helen.park@school.example.org")
    assert message.subject == "You're invited to Helpdesk"
    path = _link(message, "invitation")

    client.post_form("/logout")
    assert "Welcome to Helpdesk, Helen" in client.get(path).get_data(as_text=True)
    # Accepting the invitation signs the person in: no second round of typing the password.
    assert _set_password(client, path).headers["Location"] == "/"
    home = client.get("/").get_data(as_text=True)
    assert "Welcome to Helpdesk, Helen. Your password is set." in home
    assert "Hello, Helen" in home
    client.post_form("/logout")
    response = client.post_form(
        "/login",
        {"email": "helen.park@school.example.org", "password": NEW_PASSWORD},
        page="/login",
    )
    assert response.status_code == 302
    assert "Hello, Helen" in client.get("/").get_data(as_text=True)


def test_invitation_shows_in_the_advisors_outbox(client, login_as, outbox, make_school):
    advisor = login_as(Role.ADVISOR)
    client.post_form(
        "/people/invite",
        {
            "email": "t@school.example.org",
            "full_name": "Tess Teacher",
            "role": "teacher",
            "school_id": advisor.school_id,
        },
        page="/people/invite",
    )
    page = client.get("/outbox/").get_data(as_text=True)
    assert "t@school.example.org" in page
    [message] = outbox()
    assert "/invitation/" in client.get(f"/outbox/{message.id}").get_data(as_text=True)


def test_invitation_link_works_once(client, make_user, outbox, db):
    from helpdesk.accounts.services import send_invitation

    user = make_user(password=None)
    send_invitation(user)
    db.session.commit()
    path = _link(outbox()[0], "invitation")
    assert _set_password(client, path).status_code == 302
    reused = client.get(path)
    assert reused.status_code == 400
    assert "already been used" in reused.get_data(as_text=True)
    assert _set_password(client, path, "another good passphrase").status_code == 400


def test_invitation_link_expires_after_seven_days(client, make_user, outbox, db, clock):
    from helpdesk.accounts.services import send_invitation

    user = make_user(password=None)
    send_invitation(user)
    db.session.commit()
    path = _link(outbox()[0], "invitation")
    clock.advance(days=6, hours=23)
    assert client.get(path).status_code == 200
    clock.advance(hours=2)
    response = client.get(path)
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    assert _set_password(client, path).status_code == 400
    db.session.refresh(user)
    assert user.password_hash is None


def test_forgot_password_sends_a_reset_link_that_works_once(client, make_user, outbox, login):
    user = make_user()
    response = client.post_form("/forgot-password", {"email": user.email}, page="/forgot-password")
    assert response.status_code == 302
    [message] = outbox(user.email)
    path = _link(message, "reset-password")
    assert _set_password(client, path).status_code == 302
    assert login(user, password=NEW_PASSWORD).status_code == 302
    client.post_form("/logout")
    assert client.get(path).status_code == 400


def test_reset_link_expires_after_an_hour(client, make_user, outbox, clock, login):
    user = make_user()
    client.post_form("/forgot-password", {"email": user.email}, page="/forgot-password")
    path = _link(outbox()[0], "reset-password")
    clock.advance(minutes=61)
    response = _set_password(client, path)
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    assert login(user, password=NEW_PASSWORD).status_code == 200


def test_forgot_password_for_unknown_email_says_the_same_and_sends_nothing(client, outbox):
    response = client.post_form(
        "/forgot-password", {"email": "nobody@school.example.org"}, page="/forgot-password"
    )
    assert response.status_code == 302
    assert "If that email has an account" in client.get("/login").get_data(as_text=True)
    assert outbox() == []


def test_tampered_link_is_refused(client, make_user, outbox, db):
    from helpdesk.accounts.services import send_invitation

    send_invitation(make_user(password=None))
    db.session.commit()
    path = _link(outbox()[0], "invitation")
    assert client.get(path[:-3] + "xyz").status_code == 400
    assert client.get("/invitation/not-a-token").status_code == 400


def test_weak_password_is_refused_with_a_message(client, make_user, outbox, db):
    from helpdesk.accounts.services import send_invitation

    user = make_user(password=None)
    send_invitation(user)
    db.session.commit()
    path = _link(outbox()[0], "invitation")
    for weak, message in [
        ("short", "at least 8"),
        ("password1", "most common"),
        ("iloveyou", "most common"),
    ]:
        page = _set_password(client, path, weak).get_data(as_text=True)
        assert message in page
    assert db.session.get(User, user.id).password_hash is None


def _token_of(message) -> str:
    return _link(message, "invitation").rsplit("/", 1)[1]


def test_an_invitation_from_a_rolled_back_transaction_never_sets_a_password(
    client, db, make_school
):
    from helpdesk.accounts import tokens
    from helpdesk.accounts.services import create_user

    school = make_school()
    ghost = create_user(
        email="ghost@school.example.org", full_name="Ghost", role=Role.TEACHER, school=school
    )
    ghost_id = ghost.id
    token = tokens.make_link_token(ghost, tokens.INVITATION)  # as if it had been mailed or logged
    db.session.rollback()

    real = create_user(
        email="real@school.example.org", full_name="Real Person", role=Role.TEACHER, school=school
    )
    db.session.commit()
    if db.engine.dialect.name == "sqlite":
        assert real.id == ghost_id  # SQLite hands the rolled-back id to the next user

    page = client.get(f"/invitation/{token}")
    assert page.status_code == 400
    assert _set_password(client, f"/invitation/{token}").status_code == 400
    db.session.refresh(real)
    assert real.password_hash is None


def test_a_link_for_a_deleted_and_recreated_account_does_not_open_the_new_one(
    client, db, make_user, outbox
):
    from helpdesk.accounts.services import send_invitation

    old = make_user(email="same@school.example.org", password=None)
    send_invitation(old)
    db.session.commit()
    path = _link(outbox()[0], "invitation")
    db.session.delete(old)
    db.session.commit()
    new = make_user(email="same@school.example.org", password=None)
    assert client.get(path).status_code == 400
    db.session.refresh(new)
    assert new.password_hash is None


def test_deactivating_and_reactivating_kills_links_sent_before(client, db, make_user, outbox):
    from helpdesk.accounts.services import deactivate_user, reactivate_user, send_invitation

    advisor = make_user(Role.ADVISOR)
    user = make_user(password=None)
    send_invitation(user)
    db.session.commit()
    path = _link(outbox()[0], "invitation")
    deactivate_user(user, by=advisor)
    reactivate_user(user)
    db.session.commit()
    assert client.get(path).status_code == 400


def test_changing_the_email_kills_links_sent_to_the_old_address(client, db, make_user, outbox):
    from helpdesk.accounts.services import request_password_reset

    user = make_user()
    request_password_reset(user.email)
    db.session.commit()
    path = _link(outbox()[0], "reset-password")
    user.email = "new.address@school.example.org"
    db.session.commit()
    assert client.get(path).status_code == 400


def test_links_use_base_url_not_the_host_the_request_named(app, db, make_user, outbox):
    from helpdesk.accounts.services import request_password_reset

    user = make_user()
    with app.test_request_context("/forgot-password", base_url="http://evil.example.com"):
        request_password_reset(user.email)
    db.session.commit()
    [message] = outbox()
    assert "evil.example.com" not in message.body
    assert app.config["BASE_URL"] + "/reset-password/" in message.body


def test_forgot_password_answers_alike_for_known_and_unknown_addresses_with_mail_down(
    client, db, make_user, smtp_down, outbox
):
    user = make_user()
    answers = []
    for email in (user.email, "nobody@school.example.org"):
        response = client.post_form("/forgot-password", {"email": email}, page="/forgot-password")
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        flash = re.search(r'<p class="flash[^"]*">([^<]+)</p>', page).group(1)
        answers.append((response.status_code, response.headers["Location"], flash))
    assert answers[0] == answers[1]
    assert [m.to_address for m in outbox()] == [user.email]
