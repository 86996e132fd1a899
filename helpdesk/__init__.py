"""Helpdesk: reverse mentoring and the student tech desk for a school district."""

import logging
import os
import re
from pathlib import Path

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from config import (
    CONFIGS,
    ConfigError,
    check_privacy_settings,
    check_production,
    default_environment,
)

ROOT = Path(__file__).resolve().parent.parent
FEED_TOKEN = re.compile(r"(/calendar/feed/)[^ ./?]+")


def create_app(config: dict | str | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    _load_config(app, config)
    _init_extensions(app)
    _connect_subscribers()
    _register_blueprints(app)
    _register_errors_and_headers(app)
    _register_cli(app)
    _register_template_helpers(app)
    # Not for `flask` commands (cron, the mail worker): they render a few emails at most.
    if app.config["COMPILE_TEMPLATES_AT_START"] and os.environ.get("FLASK_RUN_FROM_CLI") != "true":
        _compile_templates(app)
    logging.getLogger("werkzeug").addFilter(_RedactFeedTokens())
    return app


def _compile_templates(app: Flask) -> None:
    """Every template compiled into the environment's cache now, ahead of the first request."""
    for name in app.jinja_env.list_templates():
        app.jinja_env.get_template(name)


class _RedactFeedTokens(logging.Filter):
    """Calendar-feed tokens are secrets: keep them out of the access log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                FEED_TOKEN.sub(r"\1[redacted]", a) if isinstance(a, str) else a for a in record.args
            )
        return True


def _load_config(app: Flask, config: dict | str | None) -> None:
    if isinstance(config, str):
        name = config
    elif isinstance(config, dict) and config.get("TESTING"):
        name = "testing"
    elif os.environ.get("HELPDESK_ENV"):
        name = os.environ["HELPDESK_ENV"]
    elif isinstance(config, dict):
        name = "development"  # a script's own settings (the benchmarks)
    else:
        name = default_environment(*_flask_command())
    if name not in CONFIGS:
        raise ConfigError(f"HELPDESK_ENV must be one of {', '.join(CONFIGS)}, not {name!r}.")
    app.config.from_object(CONFIGS[name])
    if isinstance(config, dict):
        app.config.update(config)
    if name == "production":
        check_production(app.config)
    check_privacy_settings(app.config)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.instance_path).mkdir(exist_ok=True)
    if app.config["PROXY_COUNT"]:
        proxies = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def _flask_command() -> tuple[str | None, str | None]:
    """The `flask` command loading the app, and `flask run`'s host; (None, None) elsewhere."""
    import click

    context = click.get_current_context(silent=True)
    if context is None:
        return None, None
    return context.info_name or "flask", context.params.get("host")


def _init_extensions(app: Flask) -> None:
    from helpdesk import models  # noqa: F401  (registers every table)
    from helpdesk.accounts.services import load_user_for_session
    from helpdesk.db import harden_sqlite
    from helpdesk.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user_for_session)

    with app.app_context():
        harden_sqlite(db.engine, _request_writes, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def _request_writes() -> bool:
    from flask import has_request_context

    return not has_request_context() or request.method not in ("GET", "HEAD", "OPTIONS")


def _connect_subscribers() -> None:
    """Features announce changes with blinker signals; each subscriber module connects its plain
    function receivers once, when first imported, so every app in the process shares them."""
    from helpdesk.bookings import subscribers as bookings  # noqa: F401
    from helpdesk.mentors import subscribers as mentors  # noqa: F401
    from helpdesk.requests import subscribers as requests  # noqa: F401
    from helpdesk.tips import subscribers as tips  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from helpdesk.access_log.views import bp as access_log_bp
    from helpdesk.accounts.views import bp as accounts_bp
    from helpdesk.availability.views import bp as availability_bp
    from helpdesk.bookings.views import bp as bookings_bp
    from helpdesk.bookings.views import feeds as feeds_bp
    from helpdesk.calendar.views import bp as school_calendar_bp
    from helpdesk.concerns.views import bp as concerns_bp
    from helpdesk.converters import IdConverter
    from helpdesk.dashboard.views import bp as dashboard_bp
    from helpdesk.finder.views import bp as finder_bp
    from helpdesk.hours.views import bp as hours_bp
    from helpdesk.mail.views import bp as mail_bp
    from helpdesk.main.views import bp as main_bp
    from helpdesk.mentors.views import bp as mentors_bp
    from helpdesk.notifications.views import bp as notifications_bp
    from helpdesk.pairings.views import bp as pairings_bp
    from helpdesk.people.views import bp as people_bp
    from helpdesk.privacy.views import bp as privacy_bp
    from helpdesk.recognition.views import bp as recognition_bp
    from helpdesk.records.views import bp as records_bp
    from helpdesk.reflections.views import bp as reflections_bp
    from helpdesk.requests.views import bp as requests_bp
    from helpdesk.safeguarding.views import bp as safeguarding_bp
    from helpdesk.series.views import bp as series_bp
    from helpdesk.skills.views import bp as skills_bp
    from helpdesk.surveys.views import bp as surveys_bp
    from helpdesk.tips.views import bp as tips_bp
    from helpdesk.workshops.views import bp as workshops_bp

    app.url_map.converters["int"] = IdConverter  # before any route is added
    for blueprint in (
        main_bp,
        accounts_bp,
        people_bp,
        mail_bp,
        skills_bp,
        mentors_bp,
        school_calendar_bp,
        availability_bp,
        finder_bp,
        bookings_bp,
        series_bp,
        feeds_bp,
        notifications_bp,
        reflections_bp,
        requests_bp,
        safeguarding_bp,
        tips_bp,
        concerns_bp,
        access_log_bp,
        records_bp,
        privacy_bp,
        recognition_bp,
        pairings_bp,
        workshops_bp,
        dashboard_bp,
        surveys_bp,
        hours_bp,
    ):
        app.register_blueprint(blueprint)
    if app.config.get("BENCH_ROUTES"):  # bench/load.py's reference routes; never in production
        from helpdesk.bench_routes import bp as bench_bp

        app.register_blueprint(bench_bp)


def _register_errors_and_headers(app: Flask) -> None:
    from helpdesk.errors import register_error_handlers
    from helpdesk.forms_common import reject_nul_input
    from helpdesk.request_keys import reject_malformed_request_key
    from helpdesk.security import add_security_headers

    register_error_handlers(app)
    app.before_request(reject_nul_input)
    app.before_request(reject_malformed_request_key)
    app.after_request(add_security_headers)


def _register_cli(app: Flask) -> None:
    from helpdesk.cli import register_commands

    register_commands(app)


def _register_template_helpers(app: Flask) -> None:
    from helpdesk.concerns.flag_link import flag_concern
    from helpdesk.formatting import FILTERS
    from helpdesk.navigation import navigation_for, unread_notifications

    app.jinja_env.globals["navigation_for"] = navigation_for
    app.jinja_env.globals["unread_notifications"] = unread_notifications
    app.jinja_env.globals["flag_concern"] = flag_concern
    app.jinja_env.filters.update(FILTERS)
