import re
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from helpdesk.access_log.models import AccessAction
from helpdesk.access_log.web import log_read
from helpdesk.clock import utcnow
from helpdesk.dashboard import lists, services
from helpdesk.dashboard.forms import FilterForm, TermForm
from helpdesk.dashboard.pdf import board_report_pdf
from helpdesk.dashboard.report import board_report
from helpdesk.extensions import db
from helpdesk.permissions import advisor_required
from helpdesk.schools.models import School

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

PROGRAM = "Student Tech Team"


def _filters():
    """The filter form, the chosen term (and the one before) and school, and their scope."""
    today = utcnow().astimezone(ZoneInfo(current_user.school.timezone)).date()
    terms = services.all_terms()
    schools = list(db.session.scalars(select(School).order_by(School.name)))
    form = FilterForm(request.args)
    form.term.choices = [(t.id, t.name) for t in terms] or [(0, "The last 12 weeks")]
    form.school.choices = [(0, "All schools"), *((s.id, s.name) for s in schools)]
    term = services.chosen_term(terms, form.term.data, today)
    school = next((s for s in schools if s.id == form.school.data), None)
    form.term.data = term.id if term else 0
    form.school.data = school.id if school else 0
    scope = services.scope_for(term, school, current_user.school.timezone, today)
    previous = services.previous_term(terms, term) if term else None
    return form, term, previous, school, scope, today


@bp.get("/")
@advisor_required
def index():
    form, term, _previous, school, scope, today = _filters()
    log_read(AccessAction.REPORT_VIEWED, detail="program dashboard")
    return render_template(
        "dashboard/index.html",
        form=form,
        term=term,
        school=school,
        board=lists.dashboard(scope),
        term_form=TermForm(),
    )


@bp.post("/terms")
@advisor_required
def add_term():
    form = TermForm()
    if not form.validate_on_submit():
        flash(
            "Check the term: " + "; ".join(e for errs in form.errors.values() for e in errs),
            "error",
        )
        return redirect(url_for("dashboard.index"))
    try:
        term = services.add_term(form.name.data, form.starts_on.data, form.ends_on.data)
    except services.TermError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("dashboard.index"))
    db.session.commit()
    flash(f"Term “{term.name}” added.", "success")
    return redirect(url_for("dashboard.index", term=term.id))


def _report():
    form, term, previous, school, scope, today = _filters()
    name = school.name if school else "All schools"
    return form, board_report(term, previous, scope, name)


@bp.get("/report")
@advisor_required
def report():
    form, report = _report()
    log_read(AccessAction.REPORT_VIEWED, detail="board report")
    return render_template("dashboard/report.html", form=form, report=report, program=PROGRAM)


@bp.get("/report.pdf")
@advisor_required
def report_pdf():
    _form, report = _report()
    log_read(AccessAction.REPORT_VIEWED, detail="board report (PDF)")
    name = re.sub(
        r"[^a-z0-9]+", "-", (report.term.name if report.term else "recent").lower()
    ).strip("-")
    return Response(
        board_report_pdf(report, PROGRAM),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="board-report-{name}.pdf"'},
    )
