"""Error pages that show nothing internal, the database-busy answer, and input out of range."""

from flask import Flask, current_app, render_template
from flask.globals import request_ctx
from flask_limiter.errors import RateLimitExceeded
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException, TooManyRequests

from helpdesk.extensions import db

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Go back and try again."),
    403: ("Not allowed", "Your account does not have access to this page."),
    404: ("Not found", "There is nothing here. Check the address, or go back to your home page."),
    405: ("Not allowed", "That action cannot be done this way."),
    409: (
        "Already changed",
        "That conflicts with something saved a moment ago, or the form was sent twice. "
        "Reload the page to see where things stand, and try again.",
    ),
    413: ("Too large", "That upload is too large. Files may be at most 5 MB."),
    429: ("Too many attempts", "Too many attempts. Wait a few minutes and try again."),
    500: (
        "Something went wrong",
        "Something went wrong on our side. It has been logged; try again.",
    ),
    503: ("Busy", "Helpdesk is busy right now. Try again in a moment."),
}
TOO_LARGE = "A number or date you sent is out of range. Go back, check it and try again."
TOO_LONG = "Something you typed is too long to save. Go back, shorten it and try again."
RETRY_AFTER_SECONDS = 2
# PostgreSQL's "busy, try again" states: serialization failure, deadlock, lock timeout,
# statement timeout. SQLite says "database is locked".
BUSY_SQLSTATES = ("40001", "40P01", "55P03", "57014")


def render_error(code: int, message: str | None = None, headers: dict | None = None):
    """The error page. From 500 up it reads nothing from the database (no user, no menu): the
    database may be why we are here (locked, down), and a second failure makes a 503 a 500."""
    title, default = MESSAGES.get(code, MESSAGES[500])
    headers = dict(headers or {})
    if request_ctx.url_adapter is None:  # an untrusted Host: no URLs can be built for it
        headers["Content-Type"] = "text/plain; charset=utf-8"
        return f"{title}. {message or default}", code, headers
    page = {"code": code, "title": title, "message": message or default}
    if code < 500:
        return render_template("errors/error.html", **page), code, headers
    # Straight from Jinja: Flask-Login's context processor would load the signed-in user.
    template = current_app.jinja_env.get_template("errors/error.html")
    return template.render(bare=True, **page), code, headers


def is_busy(error: OperationalError) -> bool:
    """The database is locked or asks us to retry: worth a 503, not a 500."""
    text = str(error.orig).lower()
    sqlstate = getattr(error.orig, "sqlstate", None) or ""
    return "locked" in text or "busy" in text or sqlstate in BUSY_SQLSTATES


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        db.session.rollback()
        code = error.code or 500
        if isinstance(error, RateLimitExceeded):
            return render_error(429, error.limit.error_message and str(error.limit.error_message))
        if isinstance(error, TooManyRequests) and error.description != TooManyRequests.description:
            retry = {"Retry-After": str(error.retry_after)} if error.retry_after else None
            return render_error(429, error.description, retry)  # a message written for people
        if code == 400 and getattr(error, "description", "").startswith("The CSRF"):
            return render_error(
                400, "Your form expired or was sent from elsewhere. Reload the page and try again."
            )
        return render_error(code)

    @app.errorhandler(OperationalError)
    def _database_busy(error: OperationalError):
        db.session.rollback()
        if is_busy(error):
            current_app.logger.warning("database busy: %s", error.orig)
            return render_error(503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
        current_app.logger.exception("database error")
        return render_error(500)

    # Safety nets: input a view passed on unchecked. The person gets a message to act on;
    # the log gets the traceback, since each one is a check missing somewhere.
    @app.errorhandler(DataError)
    def _out_of_range(error: DataError):
        db.session.rollback()
        current_app.logger.exception("input the database refused")
        too_long = "too long" in str(error.orig).lower()
        return render_error(400, TOO_LONG if too_long else TOO_LARGE)

    @app.errorhandler(OverflowError)
    def _overflow(_error: OverflowError):
        db.session.rollback()
        current_app.logger.exception("number or date out of range")
        return render_error(400, TOO_LARGE)

    @app.errorhandler(IntegrityError)
    def _conflict(_error: IntegrityError):
        db.session.rollback()
        current_app.logger.exception("constraint refused a write")
        return render_error(409)

    @app.errorhandler(500)
    def _server_error(_error):
        db.session.rollback()
        return render_error(500)

    app.register_error_handler(RateLimitExceeded, _http_error)
