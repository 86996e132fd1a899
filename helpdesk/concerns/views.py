"""Concern pages. Every URL but the form and "my concerns" answers 404 to anyone who is not the
advisor or the safeguarding contact, and to them for a concern about themselves."""

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from helpdesk.accounts.models import User
from helpdesk.clock import utcnow
from helpdesk.concerns import lists, services
from helpdesk.concerns.forms import ConcernForm, ContactForm, StatusForm
from helpdesk.concerns.models import Category, Concern, ConcernStatus, SubjectKind, is_handler
from helpdesk.concerns.subjects import Subject, find_subject
from helpdesk.extensions import db
from helpdesk.forms_common import parse_id

bp = Blueprint("concerns", __name__, url_prefix="/concerns")


def _subject(kind: str, subject_id: int) -> Subject:
    try:
        subject = find_subject(SubjectKind(kind), subject_id, current_user)
    except ValueError:
        abort(404)
    if subject is None or (subject.about is not None and subject.about.id == current_user.id):
        abort(404)
    return subject


def _require_handler() -> int | None:
    """The contact's id, once the signed-in user is known to handle concerns (else 404)."""
    contact_id = services.contact_id()
    if not is_handler(current_user, contact_id):
        abort(404)
    return contact_id


def _load(concern_id: int) -> Concern:
    contact_id = _require_handler()
    concern = db.get_or_404(Concern, concern_id)
    if not concern.can_view(current_user, contact_id):
        abort(404)
    return concern


@bp.route("/new/<kind>/<int:subject_id>", methods=["GET", "POST"])
@login_required
def new(kind: str, subject_id: int):
    subject = _subject(kind, subject_id)
    form = ConcernForm()
    if not form.is_submitted():
        form.request_key.data = uuid.uuid4().hex
    if form.validate_on_submit():
        try:
            services.raise_concern(
                current_user,
                subject,
                services.NewConcern(
                    category=Category(form.category.data),
                    description=form.description.data,
                    name_withheld=form.name_withheld.data,
                    request_key=form.request_key.data,
                ),
                utcnow(),
            )
        except services.ConcernError as exc:
            db.session.rollback()
            form.description.errors.append(str(exc))
        else:
            db.session.commit()
            flash(
                "Thank you. Your concern was sent. The person it is about is not told.", "success"
            )
            return redirect(url_for("concerns.mine"))
    readers = services.handlers(subject.about.id if subject.about else None)
    return render_template("concerns/new.html", form=form, subject=subject, readers=readers)


@bp.get("/mine")
@login_required
def mine():
    return render_template("concerns/mine.html", concerns=lists.raised_by(current_user))


@bp.get("/")
@login_required
def index():
    _require_handler()
    status = request.args.get("status")
    status = ConcernStatus(status) if status in set(ConcernStatus) else None
    contact_form = None
    if current_user.is_advisor:
        contact_form = _contact_form()
        contact_form.contact_id.data = services.contact_id() or 0
    return render_template(
        "concerns/index.html",
        page=lists.for_handler(current_user, status, parse_id(request.args.get("page")) or 1),
        counts=lists.counts_for_handler(current_user),
        status=status,
        contact=services.contact(),
        contact_form=contact_form,
    )


def _contact_form() -> ContactForm:
    form = ContactForm()
    form.contact_id.choices = [SelectChoice(0, "Nobody: only advisors receive concerns")] + [
        SelectChoice(u.id, f"{u.full_name} ({u.role.label})") for u in services.contact_choices()
    ]
    return form


@bp.post("/settings")
@login_required
def settings():
    if not current_user.is_advisor:
        abort(404)
    form = _contact_form()
    if form.validate_on_submit():
        chosen = db.session.get(User, form.contact_id.data) if form.contact_id.data else None
        try:
            services.set_contact(chosen)
        except services.ConcernError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash("Safeguarding contact saved.", "success")
    else:
        flash("Choose someone from the list.", "error")
    return redirect(url_for("concerns.index"))


@bp.get("/<int:concern_id>")
@login_required
def show(concern_id: int):
    concern = _load(concern_id)
    return _show_page(concern, StatusForm(expected=concern.status.value))


def _show_page(concern: Concern, form: StatusForm):
    return render_template(
        "concerns/show.html",
        concern=concern,
        subject=find_subject(concern.subject_kind, concern.subject_id, current_user),
        form=form,
    )


@bp.post("/<int:concern_id>/status")
@login_required
def change(concern_id: int):
    concern = _load(concern_id)
    form = StatusForm()
    valid = form.validate_on_submit()
    statuses = form.statuses()
    if statuses is None:
        form.note.errors = ["That change could not be read. Reload the page and try again."]
    elif valid:
        expected, to = statuses
        try:
            services.change_status(
                concern, current_user, to, form.note.data or "", utcnow(), expected
            )
        except services.ConcernError as exc:
            db.session.rollback()
            form.note.errors.append(str(exc))
        else:
            db.session.commit()
            flash(f"The concern is now {to.label.lower()}.", "success")
            return redirect(url_for("concerns.show", concern_id=concern.id))
    form.expected.data = concern.status.value  # what it is now, should they try again
    return _show_page(concern, form), 400
