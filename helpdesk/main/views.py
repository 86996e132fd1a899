from flask import Blueprint, jsonify, render_template
from flask_login import current_user, login_required
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from helpdesk.extensions import db

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def home():
    from helpdesk.reflections.services import credit_for, unreflected_sessions

    unreflected = unreflected_sessions(current_user) if current_user.is_teacher else []
    credit = credit_for(current_user) if current_user.is_teacher or current_user.is_mentor else None
    return render_template("main/home.html", unreflected=unreflected, credit=credit)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", db="unreachable"), 503
    from helpdesk.mail.services import outbox_health

    return jsonify(status="ok", db="ok", mail=outbox_health())
