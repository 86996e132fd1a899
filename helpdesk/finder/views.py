from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, render_template, request
from flask_login import current_user
from wtforms import SelectChoice

from helpdesk.accounts.models import Role
from helpdesk.availability.services import program_settings
from helpdesk.clock import utcnow
from helpdesk.finder import services
from helpdesk.finder.forms import FindForm
from helpdesk.permissions import role_required
from helpdesk.skills.services import all_skills

bp = Blueprint("finder", __name__, url_prefix="/find")
DEFAULT_DAYS = 14


@bp.get("/")
@role_required(Role.TEACHER, Role.ADVISOR)
def find():
    settings = program_settings()
    form = FindForm(request.args)
    form.skill_id.choices = [SelectChoice(0, "Choose a topic")] + [
        SelectChoice(s.id, s.name) for s in all_skills()
    ]
    form.school_id.choices = [SelectChoice(0, "Any school")] + [
        SelectChoice(s.id, s.name) for s in services.schools()
    ]
    form.minutes.choices = [SelectChoice(n, f"{n} minutes") for n in settings.lengths]
    matches, error, has_more = None, None, False
    page = max(1, min(request.args.get("page", 1, type=int), 500))
    if not form.minutes.data:
        form.minutes.data = settings.lengths[0]
    if request.args and form.validate() and form.skill_id.data:
        now = utcnow()
        today = now.astimezone(ZoneInfo(current_user.school.timezone)).date()
        start = form.start.data or today
        end = form.end.data or start + timedelta(days=DEFAULT_DAYS - 1)
        try:
            matches = services.find_mentors(
                skill_id=form.skill_id.data,
                start=start,
                end=end,
                session_minutes=form.minutes.data,
                now=now,
                teacher=current_user if current_user.is_teacher else None,
                school_id=form.school_id.data or None,
                online_only=form.online_only.data,
                limit=services.PAGE_SIZE + 1,
                skip=(page - 1) * services.PAGE_SIZE,
                use_cache=True,
            )
            has_more = len(matches) > services.PAGE_SIZE
            matches = matches[: services.PAGE_SIZE]
        except services.FinderError as exc:
            error = str(exc)
    elif request.args and form.skill_id.data == 0:
        form.skill_id.errors.append("Choose a topic.")
    carry = {key: request.args[key][:2000] for key in ("topic", "goal") if request.args.get(key)}
    return render_template(
        "finder/find.html",
        carry=carry,
        form=form,
        matches=matches,
        error=error,
        page=page,
        has_more=has_more,
        first_rank=(page - 1) * services.PAGE_SIZE + 1,
        explanation=services.SCORE_EXPLANATION,
    )
