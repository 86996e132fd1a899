from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from helpdesk.accounts.forms import ConfirmForm
from helpdesk.accounts.models import Role
from helpdesk.bookings.models import BookingFormat
from helpdesk.clock import utcnow
from helpdesk.extensions import db
from helpdesk.formatting import plural
from helpdesk.forms_common import field_errors
from helpdesk.permissions import advisor_required, role_required
from helpdesk.reflections.forms import MentorReflectionForm, TeacherReflectionForm
from helpdesk.reflections.services import ReflectionError, ReflectionInput
from helpdesk.skills.services import all_skills
from helpdesk.workshops import lists, services
from helpdesk.workshops.forms import AttendanceForm, DeclineForm, SeatsForm, WorkshopForm
from helpdesk.workshops.models import ATTENDEE_ROLES, SeatStatus, Workshop

bp = Blueprint("workshops", __name__, url_prefix="/workshops")


def _load(workshop_id: int) -> Workshop:
    """The workshop, or 404 for anyone who may not see it (a teacher who had a place still sees
    it once cancelled: their notice links here)."""
    workshop = lists.load(workshop_id)
    if workshop is None:
        abort(404)
    if not workshop.can_view(current_user) and not (
        current_user.role in ATTENDEE_ROLES and services.own_seat(workshop, current_user)
    ):
        abort(404)
    return workshop


def _back(workshop: Workshop, anchor: str = ""):
    return redirect(url_for("workshops.show", workshop_id=workshop.id) + anchor)


def _act(workshop_id: int, action, anchor: str = ""):
    """Load → run the service → commit → flash → back to the workshop page."""
    workshop = _load(workshop_id)
    try:
        message = action(workshop)
    except (services.WorkshopError, ReflectionError) as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(message, "success")
    return _back(workshop, anchor)


@bp.get("/")
@login_required
def index():
    now = utcnow()
    if current_user.role is Role.MENTOR:
        return render_template(
            "workshops/index.html",
            rows=[],
            mine=lists.hosted_by(current_user, now),
            ended=[],
            now=now,
        )
    return render_template(
        "workshops/index.html",
        rows=lists.upcoming(current_user, now),
        mine=[],
        waiting=len(lists.proposals()) if current_user.is_advisor else 0,
        ended=lists.past(now) if current_user.is_advisor else [],
        now=now,
    )


@bp.get("/queue")
@advisor_required
def queue():
    return render_template(
        "workshops/queue.html", proposals=lists.proposals(), confirm=ConfirmForm()
    )


def _form() -> WorkshopForm:
    form = WorkshopForm()
    form.skill_id.choices = [SelectChoice(s.id, s.name) for s in all_skills()]
    form.mentor_ids.choices = [
        SelectChoice(m.id, m.display_name) for m in lists.mentors() if m.id != current_user.id
    ]
    if current_user.is_mentor:
        form.mentor_ids.label.text = "Co-mentors (optional)"
    return form


def _input(form: WorkshopForm) -> services.WorkshopInput:
    zone = ZoneInfo(current_user.school.timezone)
    return services.WorkshopInput(
        skill_id=form.skill_id.data,
        title=form.title.data or "",
        description=form.description.data or "",
        starts_at=datetime.combine(form.day.data, form.starts.data, zone),
        ends_at=datetime.combine(form.day.data, form.ends.data, zone),
        format=BookingFormat(form.format.data),
        room=form.room.data or "",
        meeting_url=form.meeting_url.data or "",
        seats=form.seats.data,
        mentor_ids=tuple(form.mentor_ids.data or ()),
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.MENTOR, Role.ADVISOR)
def new():
    form = _form()
    if form.validate_on_submit():
        try:
            workshop = services.propose_workshop(current_user, _input(form), utcnow())
        except services.WorkshopError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(
                "Workshop created: teachers can sign up now."
                if current_user.is_advisor
                else "Proposed. The advisor will approve it; your time is held meanwhile.",
                "success",
            )
            return redirect(url_for("workshops.show", workshop_id=workshop.id))
    return render_template("workshops/new.html", form=form)


@bp.get("/<int:workshop_id>")
@login_required
def show(workshop_id: int):
    workshop = _load(workshop_id)
    now = utcnow()
    seat = services.own_seat(workshop, current_user)
    position = (
        lists.waitlist_position(workshop, seat)
        if seat is not None and seat.status is SeatStatus.WAITLISTED
        else None
    )
    roster = lists.roster(workshop) if workshop.can_see_roster(current_user) else None
    side = services.reflection_side(workshop, current_user)
    own_reflection = services.own_reflection(workshop, current_user) if side else None
    reflection_form = None
    if side and own_reflection is None:
        reflection_form = TeacherReflectionForm() if side == "teacher" else MentorReflectionForm()
    return render_template(
        "workshops/show.html",
        workshop=workshop,
        now=now,
        seat=seat,
        signed_up=seat is not None and seat.status is not SeatStatus.LEFT,
        position=position,
        waitlist_length=lists.waitlist_length(workshop) if roster is None else None,
        roster=roster,
        confirm=ConfirmForm(),
        decline_form=DeclineForm(prefix="decline"),
        cancel_form=DeclineForm(prefix="cancel"),
        seats_form=SeatsForm(seats=workshop.seats),
        attendance_form=AttendanceForm(),
        reflection_form=reflection_form,
        own_reflection=own_reflection,
        reflections=services.visible_reflections(workshop, current_user),
    )


@bp.post("/<int:workshop_id>/approve")
@advisor_required
def approve(workshop_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)

    def run(workshop):
        services.approve_workshop(workshop, current_user)
        return "Approved. The mentors have been told; teachers can sign up now."

    return _act(workshop_id, run)


@bp.post("/<int:workshop_id>/decline")
@advisor_required
def decline(workshop_id: int):
    form = DeclineForm(prefix="decline")

    def run(workshop):
        if not form.validate_on_submit():
            raise services.WorkshopError(field_errors(form) or "Give the mentors a reason.")
        services.decline_workshop(workshop, current_user, form.reason.data)
        return "Declined; the mentors have been told why."

    return _act(workshop_id, run)


@bp.post("/<int:workshop_id>/cancel")
@login_required
def cancel(workshop_id: int):
    form = DeclineForm(prefix="cancel")

    def run(workshop):
        if not workshop.can_see_roster(current_user):
            abort(404)
        if not form.validate_on_submit():
            raise services.WorkshopError(field_errors(form) or "Say why it is cancelled.")
        services.cancel_workshop(workshop, current_user, form.reason.data, utcnow())
        return "Cancelled. Everyone signed up and the mentors have been told."

    return _act(workshop_id, run)


@bp.post("/<int:workshop_id>/seats")
@advisor_required
def seats(workshop_id: int):
    form = SeatsForm()

    def run(workshop):
        if not form.validate_on_submit():
            raise services.WorkshopError(field_errors(form) or "Say how many seats.")
        moved = services.change_seats(workshop, current_user, form.seats.data, utcnow())
        moved_text = f" {plural(moved, 'teacher')} moved up from the waitlist." if moved else ""
        return f"Seats changed to {workshop.seats}.{moved_text}"

    return _act(workshop_id, run)


@bp.post("/<int:workshop_id>/sign-up")
@role_required(Role.TEACHER, Role.STAFF)
def sign_up(workshop_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)

    def run(workshop):
        seat = services.sign_up(workshop, current_user, utcnow())
        if seat.status is SeatStatus.SEATED:
            return "You have a seat. It is in your calendar feed."
        position = lists.waitlist_position(workshop, seat)
        return (
            f"The workshop is full: you are number {position} on the waitlist. "
            "If a seat comes free you move up and we tell you."
        )

    return _act(workshop_id, run)


@bp.post("/<int:workshop_id>/leave")
@role_required(Role.TEACHER, Role.STAFF)
def leave(workshop_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)

    def run(workshop):
        was = services.leave(workshop, current_user, utcnow())
        if was is SeatStatus.SEATED:
            return "You left the workshop; your seat goes to the next on the waitlist."
        return "You left the waitlist."

    return _act(workshop_id, run)


@bp.post("/<int:workshop_id>/attendance")
@login_required
def attendance(workshop_id: int):
    form = AttendanceForm()

    def run(workshop):
        if not workshop.can_see_roster(current_user):
            abort(404)
        if not form.validate_on_submit():
            raise services.WorkshopError("Check the form and try again.")
        came = services.take_attendance(
            workshop, current_user, set(form.attended.data or ()), utcnow()
        )
        return f"Attendance saved: {plural(len(came), 'teacher')} came."

    return _act(workshop_id, run, "#attendance")


@bp.post("/<int:workshop_id>/reflect")
@login_required
def reflect(workshop_id: int):
    workshop = _load(workshop_id)
    side = services.reflection_side(workshop, current_user)
    if side is None:
        abort(403)
    form = TeacherReflectionForm() if side == "teacher" else MentorReflectionForm()
    if not form.validate_on_submit():
        flash(field_errors(form) or "Check the form and try again.", "error")
        return _back(workshop, "#reflect")
    fields = ReflectionInput.__dataclass_fields__
    answers = ReflectionInput(
        **{k: v or "" for k, v in form.data.items() if k in fields and k != "rating"},
        rating=int(form.rating.data) if side == "teacher" else None,
    )

    def run(workshop):
        services.reflect(workshop, current_user, answers)
        return "Thank you for reflecting."

    return _act(workshop_id, run, "#reflect")
