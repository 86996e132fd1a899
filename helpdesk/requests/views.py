import uuid
from collections.abc import Callable
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from helpdesk.access_log.models import AccessAction
from helpdesk.access_log.web import log_read
from helpdesk.accounts.forms import ConfirmForm
from helpdesk.accounts.models import Role
from helpdesk.clock import utcnow
from helpdesk.extensions import db
from helpdesk.forms_common import field_errors, parse_id
from helpdesk.permissions import advisor_required, role_required
from helpdesk.requests import lists, services
from helpdesk.requests.forms import (
    DeskSettingsForm,
    MessageForm,
    ReasonForm,
    ReopenForm,
    RequestForm,
    ResolveForm,
    ScreenshotForm,
)
from helpdesk.requests.models import HelpRequest, Urgency
from helpdesk.requests.screenshots import MAX_BYTES
from helpdesk.skills.forms import HelpRequestRulesForm
from helpdesk.skills.models import Skill
from helpdesk.skills.services import all_skills
from helpdesk.tips.services import suggest_tips

bp = Blueprint("requests", __name__, url_prefix="/requests")
ASKERS = (Role.TEACHER, Role.STAFF)
DESK = (Role.TEACHER, Role.STAFF, Role.MENTOR, Role.ADVISOR)


def _load(request_id: int) -> HelpRequest:
    help_request = services.load_for_page(request_id)
    if help_request is None or not help_request.can_view(current_user):
        abort(404)
    return help_request


def _request_form() -> RequestForm:
    form = RequestForm()
    form.skill_id.choices = [SelectChoice(0, "Choose a topic")] + [
        SelectChoice(s.id, s.name) for s in all_skills()
    ]
    if not form.request_key.data:
        form.request_key.data = uuid.uuid4().hex
    return form


def _new_request(form: RequestForm) -> services.NewRequest:
    return services.NewRequest(
        skill_id=form.skill_id.data,
        summary=form.summary.data,
        details=form.details.data or "",
        device=form.device.data or "",
        urgency=Urgency(form.urgency.data),
        room=form.room.data or "",
        around=form.around.data or "",
        request_key=form.request_key.data or None,
    )


def _upload(field) -> bytes | None:
    """The uploaded bytes, reading at most one byte past the limit."""
    storage = field.data
    if storage is None or not getattr(storage, "filename", ""):
        return None
    return storage.read(MAX_BYTES + 1)


def _page_arg(name: str) -> int:
    return parse_id(request.args.get(name)) or 1


@bp.get("/")
@role_required(*DESK)
def index():
    now = utcnow()
    user = current_user._get_current_object()  # the lists ask it per row, not through the proxy
    if user.role in ASKERS:
        items = lists.requests_of(user, now, _page_arg("page"))
        return render_template("requests/mine.html", items=items)
    queue = lists.queue_for(user, now, _page_arg("page"), _page_arg("mine"), _page_arg("it"))
    return render_template(
        "requests/queue.html",
        queue=queue,
        escalated=lists.escalated_recently() if user.is_advisor else [],
        confirm=ConfirmForm(),
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(*ASKERS)
def new():
    form = _request_form()
    if request.method == "GET" and not form.summary.data:
        # "Ask the tech team" from a search that found nothing: the question, filled in.
        form.summary.data = " ".join(request.args.get("summary", "").split())[:140]
    if form.validate_on_submit():
        try:
            help_request = services.open_request(
                current_user, _new_request(form), utcnow(), _upload(form.screenshot)
            )
        except services.ScreenshotError as exc:
            db.session.rollback()
            form.screenshot.errors.append(str(exc))
        except services.RequestError as exc:
            db.session.rollback()
            form.summary.errors.append(str(exc))
        else:
            db.session.commit()
            flash("Sent. The tech team will answer here and by email.", "success")
            return redirect(url_for("requests.show", request_id=help_request.id))
    return render_template("requests/new.html", form=form)


@bp.post("/self-served")
@role_required(*ASKERS)
def self_served_new():
    form = _request_form()
    tip_id = parse_id(request.form.get("tip_id"))
    tip = services.published_tip(tip_id) if tip_id else None
    if tip is None or not form.validate_on_submit():
        flash("Fill in the topic and what is wrong, then choose the tip that solved it.", "error")
        return render_template("requests/new.html", form=form), 200
    try:
        services.self_serve(current_user, _new_request(form), tip, utcnow())
    except services.RequestError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return render_template("requests/new.html", form=form), 200
    db.session.commit()
    flash("Glad the tip solved it! We counted it, so the team knows tips help.", "success")
    return redirect(url_for("tips.show", tip_id=tip.id))


@bp.get("/suggest")
@role_required(*DESK)
def suggest():
    """Suggested tips, each with a "this solved it" button that submits the request form."""
    results = suggest_tips(request.args.get("q", "")[:500])
    return render_template("requests/_suggestions.html", results=results)


@bp.get("/<int:request_id>")
@role_required(*DESK)
def show(request_id: int):
    help_request = _load(request_id)
    on_request = help_request.is_on(current_user)
    if current_user.is_advisor and help_request.mentor_id not in (None, current_user.id):
        log_read(
            AccessAction.REQUEST_VIEWED,
            subject_id=help_request.mentor_id,
            detail=f"help request {help_request.id}",
        )
    suggestions = (
        suggest_tips(f"{help_request.summary} {help_request.details}").tips
        if help_request.can_self_serve(current_user)
        else []
    )
    return render_template(
        "requests/show.html",
        r=help_request,
        on_request=on_request,
        overdue=lists.is_overdue(help_request, utcnow()),
        suggestions=suggestions,
        confirm=ConfirmForm(),
        message_form=MessageForm(),
        reason_form=ReasonForm(),
        reopen_form=ReopenForm(),
        resolve_form=ResolveForm(),
        screenshot_form=ScreenshotForm(),
        tz=help_request.requester.school.timezone,
    )


def _load_for_claim(request_id: int) -> HelpRequest:
    """Mentors may try to claim any request students take, so a late click hears who won."""
    help_request = services.load_for_page(request_id)
    if help_request is None or help_request.skill.is_escalate_only or not current_user.is_mentor:
        abort(404)
    return help_request


def _act(request_id: int, action: Callable[[HelpRequest], str], form=None, load=_load):
    """Load → check the form → call the service → commit → flash → back to the request."""
    help_request = load(request_id)
    form = form or ConfirmForm()
    if not form.validate_on_submit():
        flash(
            field_errors(form) or "That did not go through: reload the page and try again.", "error"
        )
        return redirect(url_for("requests.show", request_id=request_id))
    try:
        message = action(help_request)
    except (services.RequestError, services.ScreenshotError) as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(message, "success")
    if help_request.can_view(current_user):
        return redirect(url_for("requests.show", request_id=request_id))
    return redirect(url_for("requests.index"))


@bp.post("/<int:request_id>/claim")
@role_required(Role.MENTOR)
def claim(request_id: int):
    def run(r):
        services.claim_request(r, current_user, utcnow())
        return "It is yours. Answer the teacher below."

    return _act(request_id, run, load=_load_for_claim)


@bp.post("/<int:request_id>/release")
@role_required(Role.MENTOR, Role.ADVISOR)
def release(request_id: int):
    def run(r):
        services.release_request(r, current_user)
        return "Handed back to the queue."

    return _act(request_id, run)


@bp.post("/<int:request_id>/reply")
@role_required(*DESK)
def reply(request_id: int):
    form = MessageForm()

    def run(r):
        services.post_message(r, current_user, form.body.data, utcnow())
        return "Sent."

    return _act(request_id, run, form)


@bp.post("/<int:request_id>/waiting")
@role_required(Role.MENTOR, Role.ADVISOR)
def waiting(request_id: int):
    def run(r):
        services.mark_waiting(r, current_user, utcnow())
        return "Marked as waiting for the requester."

    return _act(request_id, run)


@bp.post("/<int:request_id>/resolve")
@role_required(Role.MENTOR, Role.ADVISOR)
def resolve(request_id: int):
    form = ResolveForm()

    def run(r):
        services.resolve_request(r, current_user, utcnow(), minutes=form.minutes.data)
        return "Resolved. Could this become a tip?"

    return _act(request_id, run, form)


@bp.post("/<int:request_id>/close")
@role_required(*DESK)
def close(request_id: int):
    form = ReasonForm()

    def run(r):
        services.close_request(r, current_user, form.reason.data or "")
        return "Closed."

    return _act(request_id, run, form)


@bp.post("/<int:request_id>/reopen")
@role_required(*ASKERS)
def reopen(request_id: int):
    form = ReopenForm()

    def run(r):
        services.reopen_request(r, current_user, form.reason.data)
        return "Reopened."

    return _act(request_id, run, form)


@bp.post("/<int:request_id>/escalate")
@role_required(Role.MENTOR, Role.ADVISOR)
def escalate(request_id: int):
    form = ReasonForm()

    def run(r):
        services.escalate_request(r, current_user, utcnow(), form.reason.data or "")
        return "Sent to district IT. It has left the student queue."

    return _act(request_id, run, form)


@bp.post("/<int:request_id>/solved")
@role_required(*ASKERS)
def solved(request_id: int):
    def run(r):
        tip_id = parse_id(request.form.get("tip_id"))
        tip = services.published_tip(tip_id) if tip_id else None
        if tip is None:
            raise services.RequestError("Choose the tip that solved it.")
        services.self_serve_existing(r, current_user, tip)
        return "Glad the tip solved it! The request is closed."

    return _act(request_id, run)


@bp.post("/<int:request_id>/suggest-session")
@role_required(Role.MENTOR, Role.ADVISOR)
def suggest_session(request_id: int):
    def run(r):
        services.suggest_session(r, current_user, utcnow())
        return "Suggested a session; the requester can book it from the request page."

    return _act(request_id, run)


@bp.post("/<int:request_id>/tip")
@role_required(Role.MENTOR, Role.ADVISOR)
def seed_tip(request_id: int):
    help_request = _load(request_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        tip = services.seed_tip(help_request, current_user)
    except services.RequestError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("requests.show", request_id=request_id))
    db.session.commit()
    flash("Draft tip started from this request. Edit it, then send it for review.", "success")
    return redirect(url_for("tips.edit", tip_id=tip.id))


@bp.post("/<int:request_id>/screenshots")
@role_required(*ASKERS)
def attach(request_id: int):
    form = ScreenshotForm()

    def run(r):
        raw = _upload(form.screenshot)
        if raw is None:
            raise services.RequestError("Choose a picture to attach.")
        services.add_screenshot(r, current_user, raw)
        return "Screenshot attached."

    return _act(request_id, run, form)


@bp.get("/<int:request_id>/screenshots/<int:screenshot_id>")
@login_required
def screenshot(request_id: int, screenshot_id: int):
    help_request = db.get_or_404(HelpRequest, request_id)
    if not help_request.is_on(current_user):
        abort(404)
    shot = services.screenshot_of(help_request, screenshot_id)
    if shot is None:
        abort(404)
    response = Response(shot.data, mimetype=shot.content_type)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.route("/settings", methods=["GET", "POST"])
@advisor_required
def settings():
    current = services.desk_settings()
    form = DeskSettingsForm(obj=current)
    if form.validate_on_submit():
        try:
            services.update_desk_settings(
                first_response_hours=form.first_response_hours.data,
                resolution_hours=form.resolution_hours.data,
                it_email=form.it_email.data or "",
            )
        except services.RequestError as exc:
            db.session.rollback()
            form.resolution_hours.errors.append(str(exc))
        else:
            db.session.commit()
            flash("Help-desk settings saved.", "success")
            return redirect(url_for("requests.settings"))
    return render_template("requests/settings.html", form=form)


@bp.post("/topics/<int:skill_id>")
@advisor_required
def topic_rules(skill_id: int):
    skill = db.get_or_404(Skill, skill_id)
    form = HelpRequestRulesForm()
    if not form.validate_on_submit():
        flash("Choose a level for this topic.", "error")
        return redirect(url_for("skills.edit", skill_id=skill.id))
    try:
        services.set_topic_rules(
            skill,
            required_level=form.required_level.data or None,
            is_escalate_only=form.is_escalate_only.data,
        )
    except services.RequestError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(f"Help-request rules for {skill.name} saved.", "success")
    return redirect(url_for("skills.edit", skill_id=skill.id))


@bp.get("/report")
@advisor_required
def report():
    zone = ZoneInfo(current_user.school.timezone)
    log_read(AccessAction.REPORT_VIEWED, detail="help desk report")
    return render_template("requests/report.html", report=services.program_report(utcnow(), zone))
