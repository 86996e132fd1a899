from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy.exc import OperationalError
from wtforms import SelectChoice

from helpdesk.accounts.forms import ConfirmForm
from helpdesk.accounts.models import Role
from helpdesk.bookings.models import Booking
from helpdesk.extensions import db
from helpdesk.formatting import plural
from helpdesk.forms_common import parse_id
from helpdesk.permissions import advisor_required, role_required
from helpdesk.requests.services import ASKERS
from helpdesk.safeguarding.drafts import people_of_booking, without_names
from helpdesk.skills.models import Skill
from helpdesk.tips import library_cache, services
from helpdesk.tips.forms import ReturnForm, SynonymsForm, TipForm
from helpdesk.tips.markdown import render_markdown
from helpdesk.tips.models import DEVICES, Device, Tip
from helpdesk.tips.search import Sort
from helpdesk.tips.synonyms import SynonymError, save_synonyms, synonym_groups
from helpdesk.workshops.models import Workshop

bp = Blueprint("tips", __name__, url_prefix="/tips")

SEEN_KEY = "tips_seen"
SEEN_MAX = 200


def _int_arg(name: str) -> int | None:
    return parse_id(request.args.get(name))


def _visible_tip_or_404(tip_id: int) -> Tip:
    tip = db.get_or_404(Tip, tip_id)
    if not tip.can_view(current_user):
        abort(404)
    return tip


@bp.get("/")
@login_required
def library():
    query = request.args.get("q", "")[:200]
    sort = request.args.get("sort", "")
    sort = Sort(sort) if sort in Sort.__members__.values() else Sort.RELEVANCE
    device = Device.from_slug(request.args.get("device", ""))
    skill_id = _int_arg("skill")
    page = _int_arg("page") or 1
    literal = request.args.get("literal") == "1"
    shown = {"query": query, "sort": sort, "device": device, "skill_id": skill_id}

    def render_results() -> tuple[Markup, int]:
        results = services.search_tips(
            query, skill_id=skill_id, device=device, sort=sort, page=page, correct=not literal
        )
        popular = services.popular_tips(skill_id) if query and not results.total else []
        html = render_template(
            "tips/_results.html", results=results, popular=popular, literal=literal, **shown
        )
        # Rendered by our autoescaping templates.
        return Markup(html), results.total  # noqa: S704

    results_html, total = library_cache.remember(
        ("results", *shown.values(), page, literal), render_results
    )
    return render_template(
        "tips/library.html",
        results_html=results_html,
        found_nothing=bool(query) and not total,
        can_ask=current_user.role in ASKERS,
        sorts=list(Sort),
        devices=DEVICES,
        skills=services.skills_for_filter(),
        **shown,
    )


@bp.route("/synonyms", methods=["GET", "POST"])
@advisor_required
def synonyms():
    form = SynonymsForm()
    if request.method == "GET":
        form.groups.data = "\n".join(synonym_groups())
    if form.validate_on_submit():
        try:
            count = save_synonyms(form.groups.data)
        except SynonymError as exc:
            db.session.rollback()
            form.groups.errors.append(str(exc))
        else:
            db.session.commit()
            flash(f"Saved {plural(count, 'group')} of other words.", "success")
            return redirect(url_for("tips.synonyms"))
    return render_template("tips/synonyms.html", form=form)


@bp.get("/suggest")
@login_required
def suggest():
    results = services.suggest_tips(request.args.get("q", "")[:500])
    return render_template("tips/_suggestions.html", results=results)


@bp.get("/<int:tip_id>")
@login_required
def show(tip_id: int):
    tip = _visible_tip_or_404(tip_id)
    if tip.is_published and not tip.is_author(current_user) and _first_view(tip.id):
        try:
            services.record_view(tip)
            db.session.commit()
        except OperationalError:
            db.session.rollback()  # a busy database costs us a view count, not the page
    return render_template(
        "tips/tip.html",
        tip=tip,
        body_html=render_markdown(tip.body),
        related=library_cache.remember(
            ("related", tip.id), lambda: [(t.id, t.title) for t in services.related_tips(tip)]
        )
        if tip.is_published
        else [],
        has_voted=services.has_voted(tip, current_user),
        confirm=ConfirmForm(),
        return_form=ReturnForm(),
    )


def _first_view(tip_id: int) -> bool:
    """A view counts once per sign-in session, so reloading does not inflate it."""
    seen = session.get(SEEN_KEY, [])
    if tip_id in seen:
        return False
    session[SEEN_KEY] = (seen + [tip_id])[-SEEN_MAX:]
    return True


def _tip_form(tip: Tip | None = None) -> TipForm:
    form = TipForm(obj=tip)
    form.skills.choices = [SelectChoice(s.id, s.name) for s in services.skills_for_filter()]
    if tip is not None and request.method == "GET":
        form.skills.data = [s.id for s in tip.skills]
        form.devices.data = [d.slug for d in tip.device_list]
    return form


def _form_values(form: TipForm) -> dict:
    skills = db.session.scalars(db.select(Skill).where(Skill.id.in_(form.skills.data))).all()
    devices = [d for d in (Device.from_slug(s) for s in form.devices.data) if d is not None]
    return {
        "title": form.title.data,
        "body": form.body.data,
        "skills": list(skills),
        "devices": devices,
    }


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.MENTOR, Role.ADVISOR)
def new():
    booking_id = _int_arg("booking")
    booking = db.get_or_404(Booking, booking_id) if booking_id else None
    workshop_id = None if booking else _int_arg("workshop")
    workshop = db.get_or_404(Workshop, workshop_id) if workshop_id else None
    if not services.can_write_tip(current_user, booking, workshop=workshop):
        abort(404 if booking or workshop else 403)
    form = _tip_form()
    if request.method == "GET" and booking is not None:
        # The tip is for the whole district: the teacher and the mentor become their roles.
        form.title.data = without_names(booking.topic, people_of_booking(booking))[:120]
        form.skills.data = [booking.skill_id]
    if request.method == "GET" and workshop is not None:
        form.title.data = workshop.title[:120]
        form.skills.data = [workshop.skill_id]
    if form.validate_on_submit():
        try:
            tip = services.create_tip(
                author=current_user, booking=booking, workshop=workshop, **_form_values(form)
            )
        except services.TipError as exc:
            form.body.errors.append(str(exc))
        else:
            db.session.commit()
            flash("Draft saved. Send it for review when it is ready.", "success")
            return redirect(url_for("tips.show", tip_id=tip.id))
    return render_template(
        "tips/form.html", form=form, tip=None, booking=booking, workshop=workshop
    )


@bp.route("/<int:tip_id>/edit", methods=["GET", "POST"])
@login_required
def edit(tip_id: int):
    tip = _visible_tip_or_404(tip_id)
    if not tip.can_edit(current_user):
        abort(403)
    form = _tip_form(tip)
    if form.validate_on_submit():
        try:
            services.update_tip(tip, by=current_user, **_form_values(form))
        except services.TipError as exc:
            form.body.errors.append(str(exc))
        else:
            db.session.commit()
            flash("Tip saved.", "success")
            return redirect(url_for("tips.show", tip_id=tip.id))
    return render_template("tips/form.html", form=form, tip=tip, booking=None)


@bp.post("/<int:tip_id>/submit")
@login_required
def submit(tip_id: int):
    tip = _visible_tip_or_404(tip_id)
    if not tip.can_submit(current_user):
        abort(403)
    if ConfirmForm().validate_on_submit():
        services.submit_tip(tip, by=current_user)
        db.session.commit()
        flash("Sent to the advisor for review.", "success")
    return redirect(url_for("tips.show", tip_id=tip.id))


@bp.get("/review")
@advisor_required
def review():
    return render_template("tips/review.html", tips=services.tips_for_review())


@bp.post("/<int:tip_id>/publish")
@advisor_required
def publish(tip_id: int):
    tip = db.get_or_404(Tip, tip_id)
    if not tip.can_review(current_user):
        abort(403)
    if ConfirmForm().validate_on_submit():
        services.publish_tip(tip, by=current_user)
        db.session.commit()
        flash("Published to the tip library.", "success")
    return redirect(url_for("tips.show", tip_id=tip.id))


@bp.post("/<int:tip_id>/return")
@advisor_required
def return_(tip_id: int):
    tip = db.get_or_404(Tip, tip_id)
    if not (tip.can_review(current_user) or tip.can_unpublish(current_user)):
        abort(403)
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            services.return_tip(tip, by=current_user, comment=form.comment.data)
        except services.TipError as exc:  # e.g. a comment of control characters only
            db.session.rollback()
            form.comment.errors.append(str(exc))
        else:
            db.session.commit()
            flash("Returned to the author with your comment.", "success")
            return redirect(url_for("tips.review"))
    flash(" ".join(form.comment.errors) or "Say what to change.", "error")
    return redirect(url_for("tips.show", tip_id=tip.id))


@bp.post("/<int:tip_id>/helpful")
@login_required
def helpful(tip_id: int):
    tip = _visible_tip_or_404(tip_id)
    if not tip.can_vote(current_user):
        abort(403)
    if ConfirmForm().validate_on_submit():
        counted = services.vote_helpful(tip, current_user)
        db.session.commit()
        flash("Thanks: marked as helpful." if counted else "You already marked it.", "success")
    return redirect(url_for("tips.show", tip_id=tip.id))


@bp.get("/mine")
@role_required(Role.MENTOR, Role.ADVISOR)
def mine():
    return render_template("tips/mine.html", tips=services.tips_by_author(current_user))
