"""Error pages that show nothing internal, and the database-busy answer."""

from flask import Flask, render_template
from flask.globals import request_ctx
from flask_limiter.errors import RateLimitExceeded
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from helpdesk.extensions import db

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Go back and try again."),
    403: ("Not allowed", "Your account does not have access to this page."),
    404: ("Not found", "There is nothing here. Check the address, or go back to your home page."),
    405: ("Not allowed", "That action cannot be done this way."),
    413: ("Too large", "That upload is too large. Files may be at most 5 MB."),
    429: ("Too many attempts", "Too many attempts. Wait a few minutes and try again."),
    500: (
        "Something went wrong",
        "Something went wrong on our side. It has been logged; try again.",
    ),
    503: ("Busy", "Helpdesk is busy right now. Try again in a moment."),
}


def render_error(code: int, message: str | None = None):
    title, default = MESSAGES.get(code, MESSAGES[500])
    if request_ctx.url_adapter is None:  # an untrusted Host: no URLs can be built for it
        return f"{title}. {message or default}", code, {"Content-Type": "text/plain; charset=utf-8"}
    return render_template(
        "errors/error.html", code=code, title=title, message=message or default
    ), code


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        db.session.rollback()
        code = error.code or 500
        if isinstance(error, RateLimitExceeded) and error.limit.error_message:
            return render_error(429, str(error.limit.error_message))
        if code == 400 and getattr(error, "description", "").startswith("The CSRF"):
            return render_error(
                400, "Your form expired or was sent from elsewhere. Reload the page and try again."
            )
        return render_error(code)

    @app.errorhandler(OperationalError)
    def _database_busy(error: OperationalError):
        db.session.rollback()
        if "locked" in str(error.orig).lower() or "busy" in str(error.orig).lower():
            body, code = render_error(503)[:2]
            return body, code, {"Retry-After": "2"}
        app.logger.exception("database error")
        return render_error(500)

    @app.errorhandler(500)
    def _server_error(_error):
        db.session.rollback()
        return render_error(500)

    app.register_error_handler(RateLimitExceeded, _http_error)
