from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user, login_required

from helpdesk.bookings.models import Booking
from helpdesk.clock import utcnow
from helpdesk.extensions import db
from helpdesk.forms_common import field_errors
from helpdesk.reflections import services
from helpdesk.reflections.forms import CompleteForm, MentorReflectionForm, TeacherReflectionForm

bp = Blueprint("reflections", __name__, url_prefix="/sessions")


def _load(booking_id: int) -> Booking:
    booking = db.get_or_404(Booking, booking_id)
    if not booking.can_view(current_user):
        abort(404)
    return booking


@bp.post("/<int:booking_id>/complete")
@login_required
def complete(booking_id: int):
    booking = _load(booking_id)
    form = CompleteForm()
    if not form.validate_on_submit():
        flash(field_errors(form) or "Check the form and try again.", "error")
        return redirect(url_for("bookings.show", booking_id=booking.id))
    try:
        services.complete_session(
            booking,
            current_user,
            utcnow(),
            showed_up=form.outcome.data == "completed",
            covered=form.covered.data or "",
            steps=form.steps.data or "",
            links=form.links.data or "",
        )
    except services.BookingError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash("Session closed. Thank you! Now share your reflection.", "success")
    return redirect(url_for("bookings.show", booking_id=booking.id) + "#reflect")


@bp.post("/<int:booking_id>/reflect")
@login_required
def reflect(booking_id: int):
    booking = _load(booking_id)
    side = services.side_of(booking, current_user)
    if side is None:
        abort(403)
    form = TeacherReflectionForm() if side == "teacher" else MentorReflectionForm()
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("bookings.show", booking_id=booking.id) + "#reflect")
    answers = services.ReflectionInput(
        **{
            k: v or ""  # a field left out of the post is None
            for k, v in form.data.items()
            if k in services.ReflectionInput.__dataclass_fields__ and k != "rating"
        }
    )
    if side == "teacher":
        answers = services.ReflectionInput(**{**answers.__dict__, "rating": int(form.rating.data)})
    try:
        services.reflect(booking, current_user, answers)
    except services.ReflectionError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(
            "Thank you for reflecting. You can now read the other side's reflection once they share it.",
            "success",
        )
    return redirect(url_for("bookings.show", booking_id=booking.id) + "#reflect")
