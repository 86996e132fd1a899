from sqlalchemy.exc import OperationalError

from helpdesk.accounts.models import Role, User
from helpdesk.demo import DEMO_PASSWORD


def test_healthz_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    health = response.get_json()
    assert (health["status"], health["db"], health["limiter"]) == ("ok", "ok", "memory")
    assert health["mail"]["delivery"] == "outbox only"


def test_healthz_is_503_when_the_database_does_not(client, monkeypatch, db):
    def broken(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(type(db.session()), "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["db"] == "unreachable"


def test_calendar_part_says_the_same_method_as_its_body(app):
    from helpdesk.mail.services import CalendarPart, build_message

    message = build_message(
        "t@example.org",
        "Session",
        "Body",
        CalendarPart("CANCEL", b"BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\n"),
        sender="Helpdesk <helpdesk@example.org>",
    )
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "CANCEL"


def test_create_advisor_makes_a_school_and_an_advisor_who_can_sign_in(app, client, db):
    result = app.test_cli_runner().invoke(
        args=[
            "create-advisor",
            "Dana@District.example.org",
            "--school",
            "Lincoln High School",
            "--password",
            "a strong passphrase",
        ]
    )
    assert result.exit_code == 0, result.output
    response = client.post_form(
        "/login",
        {"email": "dana@district.example.org", "password": "a strong passphrase"},
        page="/login",
    )
    assert response.status_code == 302


def test_create_advisor_refuses_a_common_password_and_writes_nothing(app, db):
    result = app.test_cli_runner().invoke(
        args=[
            "create-advisor",
            "dana@district.example.org",
            "--school",
            "Lincoln High School",
            "--password",
            "password",
        ]
    )
    assert result.exit_code != 0
    assert "most common" in result.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_seed_demo_twice_changes_nothing_and_the_advisor_login_works(app, client, db):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    counts = {
        role: db.session.scalar(db.select(db.func.count()).where(User.role == role))
        for role in Role
    }
    # 13 mentors and last year's 2 graduates
    assert counts == {Role.ADVISOR: 1, Role.MENTOR: 15, Role.TEACHER: 15, Role.STAFF: 2}
    second = runner.invoke(args=["seed-demo"])
    assert "(0 new records)" in second.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == 33
    response = client.post_form(
        "/login",
        {"email": "advisor@demo-district.example.org", "password": DEMO_PASSWORD},
        page="/login",
    )
    assert response.status_code == 302
