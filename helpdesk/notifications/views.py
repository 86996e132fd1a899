from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from helpdesk.accounts.forms import ConfirmForm
from helpdesk.extensions import db
from helpdesk.notifications import services

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("/")
@login_required
def index():
    return render_template(
        "notifications/index.html",
        notifications=services.recent(current_user),
        confirm=ConfirmForm(),
    )


@bp.post("/read")
@login_required
def mark_read():
    if ConfirmForm().validate_on_submit():
        services.mark_all_read(current_user)
        db.session.commit()
    return redirect(url_for("notifications.index"))
