from helpdesk import create_app
from helpdesk.accounts.models import Role


def test_a_form_posted_without_csrf_token_is_refused(client, make_user, db):
    user = make_user()
    response = client.post(
        "/login", data={"email": user.email, "password": "correct horse battery staple"}
    )
    assert response.status_code == 400
    assert "Reload the page" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_logout_without_token_is_refused(client, login_as):
    login_as(Role.TEACHER)
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


def test_every_response_has_security_headers_and_a_same_origin_csp(client, db):
    for path in ("/login", "/healthz", "/no-such-page"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "http" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"


def test_a_ten_megabyte_post_gets_413(client, db):
    response = client.post("/login", data={"email": "x" * (10 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_error_pages_show_nothing_internal(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e.db'}"})
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail /srv/helpdesk/settings.py")

    client = app.test_client()
    response = client.get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in body
    assert "secret internal detail" not in body and "Traceback" not in body
    not_found = client.get("/nothing/here")
    assert not_found.status_code == 404 and "Not found" in not_found.get_data(as_text=True)


def test_locked_database_answers_503_with_retry_after(tmp_path):
    from sqlalchemy.exc import OperationalError

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'l.db'}"})

    @app.get("/locked")
    def locked():
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    response = app.test_client().get("/locked")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"


def test_no_template_or_static_file_refers_to_another_host():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"(src|href|url\()[=(\"' ]*(https?:)?//[a-zA-Z0-9.-]+")
    offenders = [
        str(path)
        for folder in ("templates", "static")
        for path in (root / folder).rglob("*")
        if path.is_file() and pattern.search(path.read_text(errors="ignore"))
    ]
    assert offenders == []
