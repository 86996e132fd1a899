from flask import Blueprint, render_template, request

from helpdesk.extensions import db
from helpdesk.mail.models import OutboxMessage
from helpdesk.permissions import advisor_required

bp = Blueprint("mail", __name__, url_prefix="/outbox")
PAGE_SIZE = 50


@bp.get("/")
@advisor_required
def outbox():
    page = db.paginate(
        db.select(OutboxMessage).order_by(OutboxMessage.id.desc()),
        page=request.args.get("page", 1, type=int),
        per_page=PAGE_SIZE,
        error_out=False,
    )
    return render_template("mail/outbox.html", page=page)


@bp.get("/<int:message_id>")
@advisor_required
def message(message_id: int):
    return render_template("mail/message.html", message=db.get_or_404(OutboxMessage, message_id))
