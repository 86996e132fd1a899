"""Production settings that cannot be half-right, and the environment chosen when none is named."""

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from config import DEV_SECRET_KEY, ConfigError, DevelopmentConfig, ProductionConfig
from helpdesk import create_app

ROOT = Path(__file__).resolve().parents[2]
HOST = "helpdesk.district.example.org"
GOOD = {
    "SECRET_KEY": "k" * 48,
    "TRUSTED_HOSTS": [HOST],
    "BASE_URL": f"https://{HOST}",
    "SQLALCHEMY_DATABASE_URI": "sqlite://",
}


@pytest.fixture
def production(monkeypatch):
    """Start production with the good settings, some replaced; each setting as its env var sets it."""

    def start(**changes):
        for name, value in (GOOD | changes).items():
            monkeypatch.setattr(ProductionConfig, name, value, raising=False)
        return create_app("production")

    return start


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"SECRET_KEY": DEV_SECRET_KEY}, "SECRET_KEY"),
        ({"DEBUG": True}, "Debug"),
        ({"TRUSTED_HOSTS": []}, "TRUSTED_HOSTS"),
        ({"BASE_URL": ""}, "BASE_URL"),
        ({"BASE_URL": f"http://{HOST}"}, "https://"),
        ({"BASE_URL": "https://"}, "BASE_URL"),
        ({"BASE_URL": "https://helpdesk.elsewhere.example"}, "one of TRUSTED_HOSTS"),
    ],
)
def test_production_refuses_to_start_half_configured(production, changes, says):
    with pytest.raises(ConfigError, match=says):
        production(**changes)


def test_production_sends_hsts_secure_cookies_and_refuses_other_hosts(production):
    app = production()
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    client = app.test_client()
    page = client.get("/login", base_url=f"https://{HOST}")
    assert page.status_code == 200
    assert page.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert page.headers["Cache-Control"] == "no-store"
    assert "Secure" in page.headers["Set-Cookie"]
    refused = client.get("/login", headers={"Host": "evil.example"})
    assert refused.status_code == 400
    assert refused.mimetype == "text/plain"
    assert client.get("/healthz", headers={"Host": "127.0.0.1:8000"}).status_code == 400


def test_trusted_hosts_may_name_a_whole_domain(production):
    app = production(TRUSTED_HOSTS=[".district.example.org"])
    client = app.test_client()
    assert client.get("/login", base_url="https://other.district.example.org").status_code == 200
    assert client.get("/login", base_url="https://district.example.org.evil").status_code == 400


def test_no_hsts_outside_production(client, db):
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_pages_are_never_stored_by_a_cache(client, login_as, db):
    for path in ("/login", "/forgot-password", "/reset-password/not-a-token", "/invitation/x"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    user = login_as("teacher")
    for path in ("/", "/sessions/", "/tips/", "/no-such-page", "/sessions/calendar-link"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    with client.get("/static/css/app.css") as static:
        assert "no-store" not in static.headers.get("Cache-Control", "")
    from helpdesk.bookings.calendars import issue_feed_token

    token = issue_feed_token(user)
    db.session.commit()
    assert client.get(f"/calendar/feed/{token}.ics").headers["Cache-Control"] == (
        "private, max-age=300"
    )


# ---------------------------------------------------------------- no HELPDESK_ENV


@pytest.fixture
def no_environment(monkeypatch):
    monkeypatch.delenv("HELPDESK_ENV", raising=False)
    monkeypatch.setattr(DevelopmentConfig, "SQLALCHEMY_DATABASE_URI", "sqlite://")


def _flask_command(name: str, **params) -> click.Context:
    context = click.Context(click.Command(name), info_name=name)
    context.params = params
    return context


def test_without_helpdesk_env_a_server_refuses_to_start(no_environment):
    with pytest.raises(ConfigError, match="Set HELPDESK_ENV"):
        create_app()  # as gunicorn (or any WSGI server) loads wsgi.py


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "helpdesk.local"])  # noqa: S104
def test_without_helpdesk_env_flask_run_refuses_other_machines(no_environment, host):
    with _flask_command("run", host=host), pytest.raises(ConfigError, match="serves other"):
        create_app()


@pytest.mark.parametrize(
    ("command", "params"),
    [
        ("run", {"host": "127.0.0.1"}),  # make run
        ("run", {"host": "localhost"}),
        ("run", {"host": "::1"}),
        ("upgrade", {}),  # flask db upgrade, as make setup runs it
        ("flask", {}),  # flask seed-demo: the app is loaded to find the command
    ],
)
def test_without_helpdesk_env_the_flask_command_on_this_machine_is_development(
    no_environment, command, params
):
    with _flask_command(command, **params):
        app = create_app()
    assert app.debug and app.config["SECRET_KEY"] == DEV_SECRET_KEY


def test_an_unknown_helpdesk_env_is_refused(monkeypatch):
    monkeypatch.setenv("HELPDESK_ENV", "prod")
    with pytest.raises(ConfigError, match="HELPDESK_ENV must be one of"):
        create_app()


def _run(*command: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("HELPDESK_ENV", "SECRET_KEY", "FLASK_RUN_HOST")
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'never.db'}"
    return subprocess.run(  # noqa: S603 (our own argument list)
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_gunicorn_without_helpdesk_env_does_not_start(tmp_path):
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    result = _run(gunicorn, "--bind", "127.0.0.1:0", "wsgi:app", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "Set HELPDESK_ENV=production" in result.stderr


def test_flask_run_on_every_address_without_helpdesk_env_does_not_start(tmp_path):
    flask = str(Path(sys.executable).parent / "flask")
    result = _run(flask, "--app", "wsgi", "run", "--host", "0.0.0.0", tmp_path=tmp_path)  # noqa: S104
    assert result.returncode != 0
    assert "serves other machines" in result.stderr


def test_production_compiles_every_template_before_the_first_request(production, monkeypatch):
    """So the first person after a deploy doesn't wait for Jinja, and a template that doesn't
    compile stops the start instead of one page."""
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)  # set by any earlier CLI test
    app = production()
    compiled = {name for _loader, name in app.jinja_env.cache}
    assert "finder/find.html" in compiled
    assert set(app.jinja_env.list_templates()) <= compiled
    # Elsewhere templates compile when first used (a test run starts many apps), and so they do
    # for `flask` commands in production (cron runs them every few minutes).
    lazy = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert "finder/find.html" not in {name for _loader, name in lazy.jinja_env.cache}
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    command = production()
    assert "finder/find.html" not in {name for _loader, name in command.jinja_env.cache}
