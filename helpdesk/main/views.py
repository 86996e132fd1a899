from flask import Blueprint, jsonify, render_template
from flask_login import current_user, login_required
from limits.storage import MemoryStorage
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from helpdesk.clock import utcnow
from helpdesk.extensions import db, limiter
from helpdesk.mail.services import outbox_health
from helpdesk.main import dashboard
from helpdesk.surveys.services import waiting_survey

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def home():
    now = utcnow()
    user = current_user._get_current_object()
    if user.is_advisor:
        return render_template("main/advisor.html", home=dashboard.advisor_home(user, now), now=now)
    if user.is_mentor:
        return render_template(
            "main/mentor.html",
            home=dashboard.mentor_home(user, now),
            now=now,
            survey_waiting=waiting_survey(user),
        )
    if user.is_teacher:
        return render_template(
            "main/teacher.html",
            home=dashboard.teacher_home(user, now),
            now=now,
            survey_waiting=waiting_survey(user),
        )
    return render_template("main/staff.html", home=dashboard.staff_home(user))


@bp.get("/healthz")
def healthz():
    """For the load balancer: 200 while the database answers. Each part says how it is."""
    parts = {"db": _database_state(), "limiter": _limiter_state()}
    healthy = parts["db"] == "ok"
    if healthy:
        parts["mail"] = outbox_health()
    return jsonify(status="ok" if healthy else "unavailable", **parts), 200 if healthy else 503


def _database_state() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return "unreachable"
    return "ok"


def _limiter_state() -> str:
    """Where the rate limiter counts: "memory" (each worker alone, by choice), "ok" (the shared
    Redis answers) or "degraded" (it does not; each worker counts in memory until it does)."""
    storage = limiter.storage
    if isinstance(storage, MemoryStorage):
        return "memory"
    return "ok" if storage.check() else "degraded"
