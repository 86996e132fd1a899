from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from helpdesk.access_log.models import AccessAction
from helpdesk.access_log.web import log_action, log_read
from helpdesk.accounts import services as accounts
from helpdesk.accounts.forms import ConfirmForm
from helpdesk.accounts.models import Role, User
from helpdesk.bookings.lifecycle import BookingError
from helpdesk.clock import utcnow
from helpdesk.extensions import db
from helpdesk.formatting import plural
from helpdesk.mail.services import mail_leaves_outbox
from helpdesk.people import anonymize, deactivation, services
from helpdesk.people.csv_import import CsvImportError
from helpdesk.people.forms import AnonymizeForm, ClassOfForm, ImportForm, InviteForm
from helpdesk.permissions import advisor_required
from helpdesk.schools.models import School

bp = Blueprint("people", __name__, url_prefix="/people")


@bp.get("/")
@advisor_required
def index():
    role = request.args.get("role", "")
    role = role if role in {r.value for r in Role} else ""
    query = request.args.get("q", "")[:100].replace("\x00", "")  # PostgreSQL refuses NUL
    people = services.list_people(role or None, query)
    # access log: a list of people is a list of their email addresses
    students = sum(1 for person in people if person.is_mentor)
    log_read(AccessAction.CONTACTS_LISTED, detail=f"people: {len(people)}, students: {students}")
    return render_template(
        "people/index.html",
        people=people,
        role=role,
        query=query,
        roles=list(Role),
        confirm=ConfirmForm(),
    )


@bp.route("/invite", methods=["GET", "POST"])
@advisor_required
def invite():
    form = InviteForm()
    form.school_id.choices = [
        SelectChoice(s.id, s.name)
        for s in db.session.scalars(db.select(School).order_by(School.name))
    ]
    if form.validate_on_submit():
        try:
            user = accounts.invite_user(
                email=form.email.data,
                full_name=form.full_name.data,
                role=Role(form.role.data),
                school=db.session.get(School, form.school_id.data),
                grade=form.grade.data,
                class_of=form.class_of.data,
            )
        except accounts.AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            log_action(AccessAction.INVITED, subject_id=user.id)  # access log
            db.session.commit()
            flash(_invitation_note(f"The invitation for {user.email}"), "success")
            return redirect(url_for("people.index"))
    return render_template("people/invite.html", form=form)


@bp.route("/import", methods=["GET", "POST"])
@advisor_required
def import_csv():
    form = ImportForm()
    errors = []
    if form.validate_on_submit():
        try:
            summary = services.import_people(form.file.data.read())
        except CsvImportError as exc:
            db.session.rollback()
            errors = exc.errors
        else:
            log_action(  # access log
                AccessAction.PEOPLE_IMPORTED,
                detail=f"created: {len(summary.created)}, already present: {summary.already_present}",
            )
            db.session.commit()
            already = plural(summary.already_present, "person", "people")
            accounts_word = "an account" if summary.already_present == 1 else "accounts"
            flash(
                f"Imported {plural(len(summary.created), 'person', 'people')}; "
                f"{already} already had {accounts_word}."
                + (
                    " " + _invitation_note("Their invitations", many=True)
                    if summary.created
                    else ""
                ),
                "success",
            )
            return redirect(url_for("people.index"))
    return render_template("people/import.html", form=form, errors=errors)


# One rule for GET and POST: a POST with an id too big for the converter answers 404, where two
# rules on one path would answer 405.
@bp.route("/<int:user_id>/deactivate", methods=["GET", "POST"])
@advisor_required
def deactivate(user_id: int):
    """GET shows what deactivating leaves behind; the confirming POST does it."""
    user = db.get_or_404(User, user_id)
    if request.method == "GET":
        return _deactivate_preview(user)
    if ConfirmForm().validate_on_submit() and request.form.get("confirmed") != "yes":
        flash("Nothing has changed yet: check what deactivating leaves, then confirm.", "info")
        return redirect(url_for("people.deactivate", user_id=user.id))
    if ConfirmForm().validate_on_submit():
        plan = _deactivation_plan(request.form)
        try:
            done = deactivation.deactivate(user, current_user, plan, utcnow())
        except (deactivation.DeactivationError, BookingError, accounts.AccountError) as exc:
            db.session.rollback()
            flash(f"Nothing has changed: {exc}", "error")
            return redirect(url_for("people.deactivate", user_id=user.id))
        log_action(AccessAction.DEACTIVATED, subject_id=user.id)  # access log
        db.session.commit()
        flash(_deactivated_note(user, done), "success")
    return redirect(url_for("people.index"))


def _deactivation_plan(form) -> dict[int, int | None]:
    """session-<id> = "cancel" or the id of the mentor to reassign it to (anything else cancels)."""
    plan: dict[int, int | None] = {}
    for name, value in form.items():
        prefix, _, booking_id = name.partition("-")
        if prefix == "session" and booking_id.isdigit() and len(booking_id) < 12:
            plan[int(booking_id)] = int(value) if value.isdigit() and len(value) < 12 else None
    return plan


def _deactivated_note(user: User, done: deactivation.DeactivationResult) -> str:
    steps = []
    if done.cancelled:
        steps.append(f"{plural(done.cancelled, 'session')} cancelled with notice")
    if done.reassigned:
        steps.append(f"{plural(done.reassigned, 'session')} reassigned")
    if done.released:
        steps.append(f"{plural(done.released, 'help request')} back in the queue")
    detail = f" ({'; '.join(steps)})" if steps else ""
    return f"{user.full_name} is deactivated and signed out{detail}; their history stays."


def _deactivate_preview(user: User):
    if not user.is_active or user.id == current_user.id:
        flash(
            "You cannot deactivate your own account."
            if user.is_active
            else f"{user.full_name} is already deactivated.",
            "error",
        )
        return redirect(url_for("people.index"))
    return render_template(
        "people/deactivate_confirm.html",
        preview=deactivation.deactivation_preview(user, utcnow()),
        confirm=ConfirmForm(),
    )


@bp.get("/anonymize")
@advisor_required
def anonymize_page():
    """Pick a class; see what anonymizing it does; type the confirmation."""
    year = request.args.get("class_of", "")
    form = AnonymizeForm(class_of=int(year) if year.isdigit() and len(year) == 4 else None)
    return _anonymize_page(form)


@bp.post("/anonymize")
@advisor_required
def anonymize_class():
    form = AnonymizeForm()
    if not form.validate_on_submit():
        return _anonymize_page(form), 400
    counts = anonymize.anonymize_class(form.class_of.data, current_user, utcnow())
    db.session.commit()
    for line in anonymize.describe(counts, form.class_of.data, done=True):
        flash(line, "success")
    return redirect(url_for("people.index"))


def _anonymize_page(form: AnonymizeForm):
    year = form.class_of.data
    counts = None
    if year is not None and 2000 <= year <= 2100:
        counts = anonymize.preview(year, utcnow())
        form.confirmation.label.text = f"Type ANONYMIZE {year} to confirm"
    return render_template(
        "people/anonymize.html",
        form=form,
        classes=anonymize.classes_on_record(),
        year=year if counts is not None else None,
        lines=anonymize.describe(counts, year, done=False) if counts is not None else [],
        has_people=bool(counts and counts.people),
    )


@bp.route("/<int:user_id>/class-of", methods=["GET", "POST"])
@advisor_required
def class_of(user_id: int):
    user = db.get_or_404(User, user_id)
    form = ClassOfForm(obj=user)
    if form.validate_on_submit():
        try:
            services.set_class_of(user, form.class_of.data)
        except services.PeopleError as exc:
            form.class_of.errors.append(str(exc))
        else:
            db.session.commit()
            year = f"class of {user.class_of}" if user.class_of else "no graduation year"
            flash(f"{user.full_name}: {year}.", "success")
            return redirect(url_for("people.index"))
    return render_template("people/class_of.html", form=form, person=user)


@bp.post("/<int:user_id>/reactivate")
@advisor_required
def reactivate(user_id: int):
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.reactivate(user)
        except services.PeopleError as exc:
            flash(str(exc), "error")
        else:
            log_action(AccessAction.REACTIVATED, subject_id=user.id)  # access log
            db.session.commit()
            flash(f"{user.full_name} can sign in again.", "success")
    return redirect(url_for("people.index"))


@bp.post("/<int:user_id>/resend-invitation")
@advisor_required
def resend_invitation(user_id: int):
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit() and not user.has_password and user.is_active:
        accounts.send_invitation(user)
        log_action(AccessAction.INVITATION_RESENT, subject_id=user.id)  # access log
        db.session.commit()
        flash(_invitation_note(f"A new invitation for {user.email}"), "success")
    return redirect(url_for("people.index"))


def _invitation_note(what: str, *, many: bool = False) -> str:
    """What happened to the mail: queued for delivery, or kept in the Outbox (no mail server)."""
    verb = "are" if many else "is"
    if mail_leaves_outbox():
        return f"{what} {verb} in the Outbox and {'go' if many else 'goes'} out with the next mail delivery."
    return (
        f"{what} {verb} kept in the Outbox: no mail server is set up, so copy the link from there."
    )
