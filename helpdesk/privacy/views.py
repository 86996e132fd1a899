from flask import Blueprint, current_app, render_template

from helpdesk.formatting import plural

bp = Blueprint("privacy", __name__)


def kept_for(days: int) -> str:
    """ "3 years" for 1096 days (a leap day is not worth a mention), else "90 days"."""
    years, rest = divmod(days, 365)
    if years and rest <= years // 4 + 1:
        return plural(years, "year")
    return plural(days, "day")


@bp.get("/privacy")
def page():
    """Open to everyone, signed in or not: parents read it too."""
    config = current_app.config
    return render_template(
        "privacy/page.html",
        log_kept_for=kept_for(config["ACCESS_LOG_RETENTION_DAYS"]),
        contact=config["PRIVACY_CONTACT"],
        contact_email=config["PRIVACY_CONTACT_EMAIL"],
        bill_of_rights_url=config["PARENTS_BILL_OF_RIGHTS_URL"],
    )
