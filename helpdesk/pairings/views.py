from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from helpdesk.access_log.models import AccessAction
from helpdesk.access_log.web import log_read
from helpdesk.accounts.forms import ConfirmForm
from helpdesk.accounts.models import Role, User
from helpdesk.clock import utcnow
from helpdesk.extensions import db
from helpdesk.forms_common import field_errors, parse_id
from helpdesk.pairings import free_periods, lists, services
from helpdesk.pairings.forms import (
    ApproveForm,
    ChooseTeacherForm,
    ClosingReflectionForm,
    DeclineForm,
    FreePeriodsForm,
    GoalsForm,
    NewPairingForm,
    ProgressForm,
    RequestForm,
)
from helpdesk.pairings.models import CLOSING_QUESTIONS, GoalStatus, Pairing, PairingGoal
from helpdesk.permissions import advisor_required, role_required
from helpdesk.schools.models import School
from helpdesk.skills.models import Skill
from helpdesk.skills.services import all_skills

bp = Blueprint("pairings", __name__, url_prefix="/pairings")
PAIRING_ROLES = (Role.TEACHER, Role.MENTOR, Role.ADVISOR)


def _load(pairing_id: int) -> Pairing:
    pairing = lists.load_pairing(pairing_id)
    if pairing is None or not pairing.can_view(current_user):
        abort(404)
    return pairing


def _today() -> date:
    return utcnow().astimezone(ZoneInfo(current_user.school.timezone)).date()


def _default_dates(form) -> None:
    """Today to the end of term (or ten weeks) when the form is first shown."""
    if request.method == "GET" or not form.starts_on.raw_data:
        today = _today()
        term_end = current_user.school.term_ends_on
        form.starts_on.data = form.starts_on.data or today
        form.ends_on.data = form.ends_on.data or (
            term_end if term_end and term_end > today else today + timedelta(weeks=10)
        )


@bp.get("/")
@role_required(*PAIRING_ROLES)
def index():
    return render_template(
        "pairings/index.html",
        pairings=lists.pairings_for(current_user),
        to_reflect={p.id for p in lists.waiting_reflection(current_user)},
    )


@bp.route("/free-periods", methods=["GET", "POST"])
@role_required(Role.TEACHER)
def free():
    form = FreePeriodsForm()
    columns = free_periods.grid(current_user.school_id)
    if form.validate_on_submit():
        try:
            kept = free_periods.set_free_periods(current_user, request.form.getlist("free"))
        except free_periods.FreePeriodError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(f"Saved: {kept} free period{'' if kept == 1 else 's'}.", "success")
            return redirect(url_for("pairings.free"))
    periods = list(dict.fromkeys(p for c in columns for p in c.periods))
    return render_template(
        "pairings/free_periods.html",
        form=form,
        columns=columns,
        periods=periods,
        chosen=free_periods.chosen_keys(current_user),
        key=free_periods.choice_key,
    )


@bp.route("/request", methods=["GET", "POST"])
@role_required(Role.TEACHER)
def ask():
    form = RequestForm()
    form.skill_id.choices = [SelectChoice(0, "Choose a topic (optional)")] + [
        SelectChoice(s.id, s.name) for s in all_skills()
    ]
    form.mentor_id.choices = [SelectChoice(0, "No preference")] + [
        SelectChoice(m.id, m.display_name) for m in _active_mentors()
    ]
    _default_dates(form)
    if form.validate_on_submit():
        try:
            pairing = services.request_pairing(
                current_user,
                skill=db.session.get(Skill, form.skill_id.data or 0),
                focus=form.focus.data,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                asked_mentor=_mentor_or_none(form.mentor_id.data),
                now=utcnow(),
            )
        except services.PairingError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash("Sent. The advisor will choose a mentor with you in mind.", "success")
            return redirect(url_for("pairings.show", pairing_id=pairing.id))
    return render_template("pairings/request.html", form=form)


def _active_mentors() -> list[User]:
    return list(
        db.session.scalars(
            db.select(User)
            .where(User.role == Role.MENTOR, User.is_active.is_(True))
            .order_by(User.full_name)
        )
    )


def _mentor_or_none(mentor_id) -> User | None:
    mentor = db.session.get(User, parse_id(str(mentor_id or "")) or 0)
    return mentor if mentor is not None and mentor.is_mentor else None


@bp.get("/new")
@advisor_required
def new():
    """Choose a teacher (and topic); see ranked suggestions, each with a form to pair them."""
    chooser = ChooseTeacherForm(request.args)
    teachers = list(
        db.session.scalars(
            db.select(User)
            .where(User.role == Role.TEACHER, User.is_active.is_(True))
            .order_by(User.full_name)
        )
    )
    skills = all_skills()
    chooser.teacher.choices = [SelectChoice(0, "Choose a teacher")] + [
        SelectChoice(t.id, f"{t.full_name} ({t.school.name})") for t in teachers
    ]
    chooser.skill.choices = [SelectChoice(0, "Any topic")] + [
        SelectChoice(s.id, s.name) for s in skills
    ]
    teacher = next((t for t in teachers if t.id == chooser.teacher.data), None)
    skill = next((s for s in skills if s.id == chooser.skill.data), None)
    found, form = [], None
    if request.args and teacher is None:
        chooser.teacher.errors = ["Choose a teacher."]
    if teacher is not None:
        found = lists.suggestions(
            teacher,
            skill.id if skill else None,
            skill.name if skill else None,
            utcnow(),
            current_user,
        )
        form = NewPairingForm(teacher_id=teacher.id, skill_id=skill.id if skill else "")
        _default_dates(form)
    return render_template(
        "pairings/new.html",
        chooser=chooser,
        teacher=teacher,
        skill=skill,
        suggestions=found,
        form=form,
        explanation=lists.RANKING_EXPLANATION,
    )


@bp.post("/new")
@advisor_required
def create():
    form = NewPairingForm()
    teacher = db.session.get(User, parse_id(form.teacher_id.data) or 0)
    mentor = _mentor_or_none(request.form.get("mentor_id"))
    skill = db.session.get(Skill, parse_id(form.skill_id.data) or 0)
    back = url_for(
        "pairings.new", teacher=teacher.id if teacher else None, skill=skill.id if skill else None
    )
    if teacher is None or mentor is None:
        flash("Choose a teacher and one of the suggested mentors.", "error")
        return redirect(back)
    if not form.validate_on_submit():
        flash(field_errors(form) or "Please try again.", "error")
        return redirect(back)
    try:
        pairing = services.create_pairing(
            current_user,
            teacher,
            mentor,
            starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
            skill=skill,
            focus=form.focus.data or "",
            goals=form.goal_texts,
            now=utcnow(),
        )
    except services.PairingError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(back)
    db.session.commit()
    flash(f"Paired {mentor.display_name} with {teacher.full_name}.", "success")
    return redirect(url_for("pairings.show", pairing_id=pairing.id))


@bp.get("/<int:pairing_id>")
@login_required
def show(pairing_id: int):
    pairing = _load(pairing_id)
    now = utcnow()
    if current_user.is_advisor and pairing.mentor_id is not None:
        log_read(
            AccessAction.SESSION_VIEWED,
            subject_id=pairing.mentor_id,
            detail=f"pairing {pairing.id}",
        )
    written = services.reflections_of(pairing)
    suggestions, approve_form = [], None
    if pairing.can_decide(current_user):
        suggestions = lists.suggestions(
            pairing.teacher,
            pairing.skill_id,
            pairing.skill.name if pairing.skill else None,
            now,
            current_user,
        )
        approve_form = ApproveForm(starts_on=pairing.starts_on, ends_on=pairing.ends_on)
    own = next((r for r in written if r.author_id == current_user.id), None)
    return render_template(
        "pairings/show.html",
        pairing=pairing,
        timeline=lists.timeline(pairing, current_user, now),
        now=now,
        norms=services.NORMS,
        confirm=ConfirmForm(),
        goals_form=GoalsForm(),
        progress_form=ProgressForm,
        statuses=list(GoalStatus),
        reflection_form=ClosingReflectionForm()
        if pairing.can_reflect(current_user) and own is None
        else None,
        reflections=services.visible_reflections(pairing, current_user, written),
        written_count=len(written),
        own_reflection=own,
        questions=CLOSING_QUESTIONS,
        suggestions=suggestions,
        approve_form=approve_form,
        decline_form=DeclineForm(),
        max_goals=services.MAX_GOALS,
    )


def _done(pairing: Pairing, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("pairings.show", pairing_id=pairing.id))


def _refused(pairing: Pairing, message: str):
    db.session.rollback()
    flash(message, "error")
    return redirect(url_for("pairings.show", pairing_id=pairing.id))


@bp.post("/<int:pairing_id>/approve")
@advisor_required
def approve(pairing_id: int):
    pairing = _load(pairing_id)
    form = ApproveForm()
    mentor = _mentor_or_none(request.form.get("mentor_id"))
    if not form.validate_on_submit() or mentor is None:
        return _refused(pairing, field_errors(form) or "Choose one of the suggested mentors.")
    try:
        services.approve_request(
            pairing, current_user, mentor, starts_on=form.starts_on.data,
            ends_on=form.ends_on.data, goals=form.goal_texts, now=utcnow(),
        )  # fmt: skip
    except services.PairingError as exc:
        return _refused(pairing, str(exc))
    return _done(
        pairing, f"Approved: {mentor.display_name} is {pairing.teacher.full_name}'s mentor."
    )


@bp.post("/<int:pairing_id>/decline")
@advisor_required
def decline(pairing_id: int):
    pairing = _load(pairing_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        return _refused(pairing, field_errors(form) or "Please try again.")
    try:
        services.decline_request(pairing, current_user, form.reason.data, utcnow())
    except services.PairingError as exc:
        return _refused(pairing, str(exc))
    return _done(pairing, "Declined; the teacher has been told why.")


@bp.post("/<int:pairing_id>/norms")
@login_required
def norms(pairing_id: int):
    pairing = _load(pairing_id)
    if not ConfirmForm().validate_on_submit():
        return _refused(pairing, "Please try again.")
    try:
        services.agree_norms(pairing, current_user, utcnow())
    except services.PairingError as exc:
        return _refused(pairing, str(exc))
    return _done(pairing, "Thank you: you have agreed to the norms.")


@bp.post("/<int:pairing_id>/goals")
@login_required
def goals(pairing_id: int):
    pairing = _load(pairing_id)
    form = GoalsForm()
    if not form.validate_on_submit():
        return _refused(pairing, field_errors(form) or "Please try again.")
    try:
        services.add_goals(pairing, current_user, form.goal_texts, utcnow())
    except services.PairingError as exc:
        return _refused(pairing, str(exc))
    return _done(pairing, "Goals saved.")


@bp.post("/<int:pairing_id>/goals/<int:goal_id>")
@login_required
def progress(pairing_id: int, goal_id: int):
    pairing = _load(pairing_id)
    goal = db.session.get(PairingGoal, goal_id)
    if goal is None or goal.pairing_id != pairing.id:
        abort(404)
    form = ProgressForm(prefix=f"goal{goal.id}")
    if not form.validate_on_submit():
        return _refused(pairing, field_errors(form) or "Please try again.")
    try:
        services.update_goal(
            goal, current_user, GoalStatus(form.status.data), form.note.data or "", utcnow()
        )
    except services.PairingError as exc:
        return _refused(pairing, str(exc))
    return _done(pairing, "Progress saved.")


@bp.post("/<int:pairing_id>/close")
@login_required
def close(pairing_id: int):
    pairing = _load(pairing_id)
    if not ConfirmForm().validate_on_submit():
        return _refused(pairing, "Please try again.")
    try:
        services.close_pairing(pairing, current_user, utcnow())
    except services.PairingError as exc:
        return _refused(pairing, str(exc))
    return _done(pairing, "The pairing has ended. Each of you can now write a closing reflection.")


@bp.post("/<int:pairing_id>/reflection")
@login_required
def reflection(pairing_id: int):
    pairing = _load(pairing_id)
    form = ClosingReflectionForm()
    if not form.validate_on_submit():
        return _refused(pairing, field_errors(form) or "Please try again.")
    answers = services.ReflectionInput(
        **{column: getattr(form, column).data or "" for column, _q in CLOSING_QUESTIONS}
    )
    try:
        services.reflect(pairing, current_user, answers, utcnow())
    except services.PairingError as exc:
        return _refused(pairing, str(exc))
    return _done(pairing, "Thank you for your reflection.")


@bp.get("/health")
@advisor_required
def health():
    school_id = parse_id(request.args.get("school"))
    status = request.args.get("status") or None
    schools = list(db.session.scalars(db.select(School).order_by(School.name)))
    return render_template(
        "pairings/health.html",
        rows=lists.health(utcnow(), school_id, status),
        schools=schools,
        school_id=school_id,
        status=status,
        stale_days=lists.NOT_MET_DAYS,
    )
