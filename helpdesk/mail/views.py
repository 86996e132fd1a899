from flask import Blueprint, flash, redirect, render_template, request, url_for

from helpdesk.clock import utcnow
from helpdesk.extensions import db
from helpdesk.forms_common import parse_id
from helpdesk.mail import services
from helpdesk.mail.forms import RetryForm
from helpdesk.mail.models import MailStatus, OutboxMessage
from helpdesk.permissions import advisor_required

bp = Blueprint("mail", __name__, url_prefix="/outbox")
PAGE_SIZE = 50
LAST_PAGE = 10_000  # far past any real outbox; keeps OFFSET in range


def _status_filter() -> MailStatus | None:
    try:
        return MailStatus(request.args.get("status", ""))
    except ValueError:
        return None


@bp.get("/")
@advisor_required
def outbox():
    status = _status_filter()
    statement = db.select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status is not None:
        statement = statement.where(OutboxMessage.status == status)
    page_number = min(parse_id(request.args.get("page")) or 1, LAST_PAGE)
    page = db.paginate(statement, page=page_number, per_page=PAGE_SIZE, error_out=False)
    return render_template(
        "mail/outbox.html",
        page=page,
        status=status,
        counts=services.status_counts(),
        confirm=RetryForm(),
    )


@bp.get("/<int:message_id>")
@advisor_required
def message(message_id: int):
    return render_template(
        "mail/message.html",
        message=db.get_or_404(OutboxMessage, message_id),
        confirm=RetryForm(),
    )


@bp.post("/<int:message_id>/retry")
@advisor_required
def retry(message_id: int):
    message = db.get_or_404(OutboxMessage, message_id)
    if RetryForm().validate_on_submit():
        try:
            services.retry_message(message, utcnow())
        except services.MailError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(
                f"The message to {message.to_address} goes out on the next delivery."
                if services.mail_leaves_outbox()
                else f"The message to {message.to_address} is queued again, but no mail server "
                "is set up: it stays in the Outbox.",
                "success",
            )
    return redirect(url_for("mail.message", message_id=message.id))
