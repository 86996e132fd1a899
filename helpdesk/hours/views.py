from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from helpdesk.accounts.models import Role, User
from helpdesk.clock import utcnow
from helpdesk.extensions import db, limiter
from helpdesk.formatting import day_range, local_day
from helpdesk.forms_common import field_errors, parse_id
from helpdesk.hours import certificates, lists, services
from helpdesk.hours.certificate_pdf import render_certificate
from helpdesk.hours.forms import (
    BulkApproveForm,
    DecisionForm,
    HoursSettingsForm,
    IssueForm,
    ManualEntryForm,
    RevokeForm,
    VerifyForm,
)
from helpdesk.hours.models import Certificate, EntryKind, EntryStatus, HoursEntry, Side
from helpdesk.links import absolute_url
from helpdesk.permissions import advisor_required
from helpdesk.schools.models import School
from helpdesk.spreadsheet import csv_bytes

bp = Blueprint("hours", __name__)
EARNERS = (Role.MENTOR, Role.TEACHER)
# The public lookup answers anyone: a coarse limit per client against guessing codes (80 random
# bits make guessing hopeless anyway; this keeps the page from being used to scan).
LOOKUP_LIMIT = "30 per minute;300 per hour"
ACTIONS = {
    "verify": EntryStatus.VERIFIED,
    "adjust": EntryStatus.ADJUSTED,
    "reject": EntryStatus.REJECTED,
}


def _person_or_404(person_id: int) -> User:
    person = db.session.get(User, person_id)
    if person is None or services.side_of(person) is None:
        abort(404)
    return person


def _ledger_page(person: User):
    settings = services.hours_settings()
    totals = lists.totals_for(person)
    page = render_template(
        "hours/ledger.html",
        person=person,
        side=services.side_of(person),
        ledger=lists.ledger_for(person, totals.entries, request.args.get("page", 1, type=int)),
        totals=totals,
        progress=lists.progress_for(person, settings),
        pd=lists.pd_totals(person, settings) if person.role is Role.TEACHER else None,
        settings=settings,
        certificates=certificates.certificates_of(person),
        decision_form=DecisionForm(),
        issue_form=IssueForm(),
    )
    db.session.commit()  # the settings row, if this was its first read
    return page


@bp.get("/hours/")
@login_required
def mine():
    if current_user.is_advisor:
        return redirect(url_for("hours.index"))
    if current_user.role not in EARNERS:
        abort(403)
    return _ledger_page(current_user)


@bp.get("/hours/people/<int:person_id>")
@advisor_required
def person(person_id: int):
    return _ledger_page(_person_or_404(person_id))


def _filters() -> lists.Filters:
    args = request.args
    kind = args.get("kind", "")
    status = args.get("status", "")
    side = args.get("side", "")
    return lists.Filters(
        school_id=parse_id(args.get("school")),
        term=parse_id(args.get("term")),
        kind=EntryKind(kind) if kind in tuple(EntryKind) else None,
        status=EntryStatus(status) if status in tuple(EntryStatus) else None,
        person_id=parse_id(args.get("person")),
        side=Side(side) if side in tuple(Side) else None,
    )


@bp.get("/hours/all")
@advisor_required
def index():
    filters = _filters()
    entries = lists.all_entries(filters)
    return render_template(
        "hours/index.html",
        entries=entries,
        filters=filters,
        totals=lists.filtered_totals(filters),
        limit=lists.LIST_LIMIT,
        schools=db.session.scalars(db.select(School).order_by(School.name)).all(),
        terms=lists.terms_present(),
        term_label=lists.term_label,
        people=lists.earners(),
        kinds=list(EntryKind),
        statuses=list(EntryStatus),
        bulk_form=BulkApproveForm(),
    )


@bp.get("/hours/all.csv")
@advisor_required
def export():
    entries = lists.all_entries(_filters(), limit=None)
    body = csv_bytes(lists.CSV_HEADER, lists.csv_rows(entries))
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=helpdesk-hours.csv"},
    )


def _back_to(entry: HoursEntry):
    target = request.form.get("back", "")
    if target == "list":
        return redirect(url_for("hours.index"))
    return redirect(url_for("hours.entry", entry_id=entry.id))


@bp.get("/hours/entries/<int:entry_id>")
@login_required
def entry(entry_id: int):
    found = db.session.get(HoursEntry, entry_id)
    if found is None or not found.can_view(current_user):
        abort(404)
    form = DecisionForm(version=found.version)
    return render_template("hours/entry.html", entry=found, form=form)


@bp.post("/hours/entries/<int:entry_id>/decide")
@advisor_required
def decide(entry_id: int):
    found = db.get_or_404(HoursEntry, entry_id)
    form = DecisionForm()
    action = ACTIONS.get(request.form.get("action", ""))  # which button was pressed
    if not form.validate_on_submit() or action is None or parse_id(form.version.data) is None:
        flash(
            field_errors(form) or "That did not go through: reload the page and try again.", "error"
        )
        return _back_to(found)
    try:
        services.decide(
            found,
            current_user,
            action,
            expected_version=parse_id(form.version.data),
            minutes=form.minutes.data,
            reason=form.reason.data or "",
        )
    except services.HoursError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(f"Entry {action.label.lower()}.", "success")
    return _back_to(found)


@bp.post("/hours/bulk-approve")
@advisor_required
def bulk_approve():
    form = BulkApproveForm()
    ids = [i for i in (parse_id(v) for v in request.form.getlist("entry")) if i is not None]
    if not form.validate_on_submit():
        flash("That did not go through: reload the page and try again.", "error")
    elif not ids:
        flash("Select the entries to verify first.", "error")
    else:
        approved = services.approve_many(ids, current_user)
        db.session.commit()
        flash(f"Verified {approved} of {len(ids)} selected entries.", "success")
    return redirect(url_for("hours.index"))


@bp.route("/hours/manual", methods=["GET", "POST"])
@advisor_required
def manual():
    form = ManualEntryForm()
    people = lists.earners()
    form.people.choices = [(p.id, f"{p.full_name} ({p.role.label})") for p in people]
    if form.validate_on_submit():
        chosen = [p for p in people if p.id in set(form.people.data or [])]
        try:
            made = services.record_manual(
                chosen,
                current_user,
                title=form.title.data,
                occurred_on=form.occurred_on.data,
                minutes=form.minutes.data,
                description=form.description.data or "",
            )
        except services.HoursError as exc:
            db.session.rollback()
            form.people.errors = [*form.people.errors, str(exc)]
        else:
            db.session.commit()
            flash(
                f"Recorded verified hours for {len(made)} {'person' if len(made) == 1 else 'people'}.",
                "success",
            )
            return redirect(url_for("hours.index"))
    return render_template("hours/manual.html", form=form)


@bp.route("/hours/settings", methods=["GET", "POST"])
@advisor_required
def settings():
    current = services.hours_settings()
    form = HoursSettingsForm(obj=current)
    if request.method == "GET":
        form.service_kinds.data = [k.value for k in current.service_kind_list]
        form.pd_kinds.data = [k.value for k in current.pd_kind_list]
    if form.validate_on_submit():
        values = {
            name: getattr(form, name).data
            for name in (
                "service_target_hours",
                "extracurricular_target_hours",
                "service_kinds",
                "pd_kinds",
                "pd_designated",
                "help_request_cap_minutes",
                "district_name",
                "sponsor_name",
                "sponsor_number",
                "signer_name",
                "signer_title",
            )
        }
        values = {k: ("" if v is None else v) for k, v in values.items()}
        try:
            services.update_hours_settings(**values)
        except services.HoursError as exc:
            db.session.rollback()
            form.service_kinds.errors = [*form.service_kinds.errors, str(exc)]
        else:
            db.session.commit()
            flash("Hours settings saved.", "success")
            return redirect(url_for("hours.settings"))
    db.session.commit()  # the settings row, if this was its first read
    return render_template("hours/settings.html", form=form)


# Certificates -----------------------------------------------------------------------------------


@bp.post("/hours/people/<int:person_id>/certificates")
@advisor_required
def issue(person_id: int):
    person = _person_or_404(person_id)
    form = IssueForm()
    if not form.validate_on_submit():
        flash("That did not go through: reload the page and try again.", "error")
        return redirect(url_for("hours.person", person_id=person.id))
    try:
        certificate = certificates.issue_certificate(person, current_user, utcnow())
    except services.HoursError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(f"Certificate issued: code {certificates.pretty_code(certificate.code)}.", "success")
    return redirect(url_for("hours.person", person_id=person.id))


def _certificate_or_404(certificate_id: int) -> Certificate:
    found = db.session.get(Certificate, certificate_id)
    if found is None or not found.can_view(current_user):
        abort(404)
    return found


@bp.get("/hours/certificates/<int:certificate_id>.pdf")
@login_required
def certificate_pdf(certificate_id: int):
    certificate = _certificate_or_404(certificate_id)
    timezone = certificate.person.school.timezone
    pdf = render_certificate(
        certificates.snapshot_of(certificate),
        is_pd=certificate.side is Side.PD,
        code=certificates.pretty_code(certificate.code),
        verify_url=absolute_url(
            "hours.verify_code", code=certificates.pretty_code(certificate.code)
        ),
        issued_on=local_day(certificate.issued_at, timezone),
        day=local_day,
        days=day_range,
    )
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f"inline; filename=helpdesk-certificate-{certificate.id}.pdf"
        },
    )


@bp.get("/hours/certificates/<int:certificate_id>")
@login_required
def certificate(certificate_id: int):
    found = _certificate_or_404(certificate_id)
    return render_template(
        "hours/certificate.html",
        certificate=found,
        snapshot=certificates.snapshot_of(found),
        code=certificates.pretty_code(found.code),
        revoke_form=RevokeForm(),
    )


@bp.post("/hours/certificates/<int:certificate_id>/revoke")
@advisor_required
def revoke(certificate_id: int):
    found = db.get_or_404(Certificate, certificate_id)
    form = RevokeForm()
    if not form.validate_on_submit():
        flash(field_errors(form) or "That did not go through.", "error")
        return redirect(url_for("hours.certificate", certificate_id=found.id))
    try:
        certificates.revoke_certificate(found, current_user, utcnow(), form.reason.data)
    except services.HoursError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash("Certificate revoked: its verification page now says so.", "success")
    return redirect(url_for("hours.certificate", certificate_id=found.id))


# The public verification page -------------------------------------------------------------------


@bp.get("/verify")
@limiter.limit(LOOKUP_LIMIT, scope="certificate-lookup")
def verify():
    form = VerifyForm(request.args)
    if request.args.get("code") is not None and form.validate():
        code = certificates.normalize_code(form.code.data)
        if code is not None:
            return redirect(url_for("hours.verify_code", code=certificates.pretty_code(code)))
        form.code.errors.append("That is not a certificate code: check it and type it again.")
    return render_template("hours/verify.html", form=form)


@bp.get("/verify/<code>")
@limiter.limit(LOOKUP_LIMIT, scope="certificate-lookup")
def verify_code(code: str):
    check = certificates.public_check(code[:40])
    if check is None:
        abort(404)
    return render_template(
        "hours/verified.html",
        check=check,
        issued_on=local_day(check.issued_at, check.timezone),
        revoked_on=local_day(check.revoked_at, check.timezone) if check.revoked_at else None,
    )
