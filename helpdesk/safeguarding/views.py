from flask import Blueprint, flash, redirect, render_template, url_for

from helpdesk.extensions import db
from helpdesk.permissions import advisor_required
from helpdesk.safeguarding import services
from helpdesk.safeguarding.contact_details import KIND_NAMES
from helpdesk.safeguarding.forms import SafeguardingSettingsForm

bp = Blueprint("safeguarding", __name__, url_prefix="/safeguarding")


@bp.route("/settings", methods=["GET", "POST"])
@advisor_required
def settings():
    current = services.safeguarding_settings()
    form = SafeguardingSettingsForm(obj=current)
    if form.validate_on_submit():
        try:
            services.update_safeguarding_settings(
                district_domains=form.district_domains.data or "",
                meeting_hosts=form.meeting_hosts.data or "",
            )
        except services.SafeguardingError as exc:
            db.session.rollback()
            form.meeting_hosts.errors.append(str(exc))
        else:
            db.session.commit()
            flash("Safeguarding settings saved.", "success")
            return redirect(url_for("safeguarding.settings"))
    db.session.commit()  # the settings row, if this was its first read
    return render_template(
        "safeguarding/settings.html",
        form=form,
        refused_kinds=services.or_list([plural for _one, plural in KIND_NAMES.values()]),
    )
