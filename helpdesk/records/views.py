from datetime import date, datetime, time

from flask import Blueprint, abort, render_template, send_file
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from helpdesk.access_log.models import AccessAction
from helpdesk.access_log.web import log_read
from helpdesk.accounts.forms import ConfirmForm
from helpdesk.accounts.models import User
from helpdesk.clock import utcnow
from helpdesk.db import WRITE_LOCK
from helpdesk.extensions import db
from helpdesk.formatting import local_time
from helpdesk.permissions import advisor_required
from helpdesk.records.archive import build_archive
from helpdesk.records.collect import collect_record
from helpdesk.requests.models import RequestScreenshot

bp = Blueprint("records", __name__, url_prefix="/records")


@bp.get("/<int:user_id>")
@advisor_required
def show(user_id: int):
    """What Helpdesk stores about one person, kind by kind, and the download."""
    person = db.get_or_404(User, user_id)
    record = collect_record(person)
    log_read(AccessAction.RECORD_VIEWED, subject_id=person.id)
    return render_template("records/show.html", record=record, confirm=ConfirmForm())


@bp.post("/<int:user_id>/export")
@advisor_required
def export(user_id: int):
    """A POST: a download that is logged should not start from a link a page could prefetch."""
    person = db.get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    # Building the ZIP only reads: on SQLite it must not hold the write lock meanwhile.
    db.session.commit()
    db.session.connection(execution_options={WRITE_LOCK: False})
    now = utcnow()
    record = collect_record(person)
    index = render_template(
        "records/export_index.html",
        record=record,
        generated_at=now,
        cell=_cell_for(current_user.school.timezone),
    )
    archive = build_archive(record, index, now, _screenshot_data)
    files = 2 + len(record.sections) + len(record.screenshots)
    log_read(
        AccessAction.RECORD_EXPORTED,
        subject_id=person.id,
        detail=f"ZIP of {files} files, {len(record.screenshots)} screenshots",
    )
    return send_file(
        archive,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"helpdesk-record-{person.id}-{now:%Y-%m-%d}.zip",
    )


def _screenshot_data(screenshot_id: int) -> bytes:
    return db.session.scalar(
        select(RequestScreenshot.data).where(RequestScreenshot.id == screenshot_id)
    )


def _cell_for(timezone: str):
    """A value as the summary shows it: instants in the school's zone, yes/no, blanks."""

    def cell(value: object) -> str | Markup:
        if value is None or value == "":
            return Markup('<span class="none">—</span>')
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, datetime):
            return local_time(value, timezone)
        if isinstance(value, date | time):
            return value.isoformat()
        return str(value)

    return cell
