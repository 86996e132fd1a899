from flask import Blueprint, flash, redirect, render_template, request, url_for
from wtforms import SelectChoice

from helpdesk.extensions import db
from helpdesk.forms_common import parse_id
from helpdesk.permissions import advisor_required
from helpdesk.skills import merging, services
from helpdesk.skills.forms import MergeForm, SkillForm
from helpdesk.skills.models import Skill

bp = Blueprint("skills", __name__, url_prefix="/skills")


def _merge_form(skills: list[Skill]) -> MergeForm:
    form = MergeForm(prefix="merge")
    choices = [SelectChoice(s.id, s.name) for s in skills]
    form.source_id.choices = choices
    form.target_id.choices = choices
    return form


@bp.route("/", methods=["GET", "POST"])
@advisor_required
def index():
    skills = services.all_skills()
    form = SkillForm()
    if form.validate_on_submit():
        try:
            skill = services.save_skill(
                name=form.name.data,
                description=form.description.data or "",
                category=form.category.data or "",
            )
        except services.SkillError as exc:
            form.name.errors.append(str(exc))
        else:
            db.session.commit()
            flash(f"Added {skill.name}.", "success")
            return redirect(url_for("skills.index"))
    return render_template(
        "skills/index.html", skills=skills, form=form, merge_form=_merge_form(skills)
    )


@bp.route("/<int:skill_id>/edit", methods=["GET", "POST"])
@advisor_required
def edit(skill_id: int):
    skill = db.get_or_404(Skill, skill_id)
    form = SkillForm(obj=skill)
    if form.validate_on_submit():
        try:
            services.save_skill(
                name=form.name.data,
                description=form.description.data or "",
                category=form.category.data or "",
                skill=skill,
            )
        except services.SkillError as exc:
            form.name.errors.append(str(exc))
        else:
            db.session.commit()
            flash(f"Saved {skill.name}.", "success")
            return redirect(url_for("skills.index"))
    return render_template("skills/edit.html", skill=skill, form=form)


@bp.get("/merge")
@advisor_required
def merge_preview():
    source = db.get_or_404(Skill, parse_id(request.args.get("source")) or 0)
    target = db.get_or_404(Skill, parse_id(request.args.get("target")) or 0)
    if source.id == target.id:
        flash("Choose two different skills to merge.", "error")
        return redirect(url_for("skills.index"))
    form = _merge_form([source, target])
    return render_template(
        "skills/merge_confirm.html", preview=merging.merge_preview(source, target), form=form
    )


@bp.post("/merge")
@advisor_required
def merge():
    form = _merge_form(services.all_skills())
    if not form.validate_on_submit():
        flash("Choose the two skills to merge.", "error")
        return redirect(url_for("skills.index"))
    if form.source_id.data == form.target_id.data:
        flash("Choose two different skills to merge.", "error")
        return redirect(url_for("skills.index"))
    if request.form.get("confirmed") != "yes":
        flash("Nothing is merged yet: check what moves, then confirm.", "info")
        return redirect(
            url_for("skills.merge_preview", source=form.source_id.data, target=form.target_id.data)
        )
    source = db.get_or_404(Skill, form.source_id.data)
    target = db.get_or_404(Skill, form.target_id.data)
    source_name = source.name
    try:
        services.merge_skills(source, target)
    except services.SkillError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(
            f"Merged {source_name} into {target.name}: its mentors, sessions and tips moved.",
            "success",
        )
    return redirect(url_for("skills.index"))
