from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, render_template, request
from flask_login import current_user

from helpdesk.access_log import lists
from helpdesk.access_log.forms import LogFilterForm
from helpdesk.access_log.models import AccessAction
from helpdesk.access_log.services import retention_words
from helpdesk.access_log.web import log_read
from helpdesk.accounts.models import User
from helpdesk.clock import utcnow
from helpdesk.extensions import db
from helpdesk.permissions import advisor_required
from helpdesk.spreadsheet import csv_bytes

bp = Blueprint("access_log", __name__, url_prefix="/access-log")


def _filter_from(form: LogFilterForm) -> lists.LogFilter | None:
    """The filter the form asks for, or None when it has errors (the page shows them)."""
    if request.args and not form.validate():
        return None
    return lists.LogFilter(
        person=form.person.data or "",
        person_id=form.person_id.data,
        done_by=form.done_by.data or "",
        action=form.action.data or "",
        start_on=form.start_on.data,
        end_on=form.end_on.data,
    )


def _zone() -> ZoneInfo:
    return ZoneInfo(current_user.school.timezone)


@bp.get("/")
@advisor_required
def index():
    form = LogFilterForm(request.args)
    log_filter = _filter_from(form)
    page = None
    if log_filter:
        page = lists.log_page(log_filter, _zone(), request.args.get("page", 1, type=int))
    return _render(form, page)


def _render(form: LogFilterForm, page: lists.LogPage | None, status: int = 200):
    person_id = form.person_id.data if not form.person_id.errors else None
    return render_template(
        "access_log/index.html",
        form=form,
        page=page,
        person=db.session.get(User, person_id) if person_id else None,
        export_args={k: v for k, v in request.args.items() if k != "page"},
        kept_for=retention_words(current_app.config["ACCESS_LOG_RETENTION_DAYS"]),
    ), status


@bp.get("/export.csv")
@advisor_required
def export():
    form = LogFilterForm(request.args)
    log_filter = _filter_from(form)
    if log_filter is None:
        return _render(form, None, 400)
    rows = lists.log_rows(log_filter, _zone())
    log_read(
        AccessAction.LOG_EXPORTED,
        subject_id=log_filter.person_id,
        detail=_describe(log_filter, len(rows)),
    )
    stamp = utcnow().strftime("%Y-%m-%d")
    return Response(
        csv_bytes(lists.CSV_HEADER, (lists.csv_row(row) for row in rows)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="access-log-{stamp}.csv"'},
    )


def _describe(log_filter: lists.LogFilter, count: int) -> str:
    """What was exported, in ids and dates only: a name typed in a filter is not kept."""
    parts = [f"{count} entries"]
    if log_filter.action:
        parts.append(f"action {log_filter.action}")
    if log_filter.start_on or log_filter.end_on:
        parts.append(f"from {log_filter.start_on or 'start'} to {log_filter.end_on or 'now'}")
    if log_filter.person or log_filter.done_by:
        parts.append("filtered by person")
    return ", ".join(parts)
