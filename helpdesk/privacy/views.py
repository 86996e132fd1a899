from flask import Blueprint, current_app, render_template

from helpdesk.access_log.services import retention_words

bp = Blueprint("privacy", __name__)


@bp.get("/privacy")
def page():
    """Open to everyone, signed in or not: parents read it too."""
    config = current_app.config
    return render_template(
        "privacy/page.html",
        log_kept_for=retention_words(config["ACCESS_LOG_RETENTION_DAYS"]),
        contact=config["PRIVACY_CONTACT"],
        contact_email=config["PRIVACY_CONTACT_EMAIL"],
        bill_of_rights_url=config["PARENTS_BILL_OF_RIGHTS_URL"],
    )
