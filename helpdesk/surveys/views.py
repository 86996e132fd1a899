from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from helpdesk.accounts.models import Role
from helpdesk.clock import utcnow
from helpdesk.dashboard.models import Term
from helpdesk.dashboard.services import all_terms
from helpdesk.extensions import db
from helpdesk.permissions import advisor_required, role_required
from helpdesk.surveys import services
from helpdesk.surveys.forms import (
    ConfirmForm,
    MentorAnswersForm,
    OpenSurveyForm,
    PickQuoteForm,
    TeacherAnswersForm,
)
from helpdesk.surveys.models import QuoteChoice, Survey, SurveyResponse

bp = Blueprint("surveys", __name__, url_prefix="/surveys")


@bp.get("/")
@advisor_required
def index():
    terms = all_terms()
    surveys = {s.term_id: s for s in db.session.scalars(db.select(Survey))}
    form = OpenSurveyForm()
    form.term.choices = [(t.id, t.name) for t in terms if t.id not in surveys]
    return render_template(
        "surveys/index.html", terms=terms, surveys=surveys, form=form, confirm=ConfirmForm()
    )


@bp.post("/open")
@advisor_required
def open_survey():
    form = OpenSurveyForm()
    term = db.session.get(Term, form.term.data) if form.validate_on_submit() else None
    if term is None:
        flash("Choose a term to open its survey.", "error")
        return redirect(url_for("surveys.index"))
    try:
        survey = services.open_survey(term, current_user, utcnow(), url_for("surveys.answer"))
    except services.SurveyError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("surveys.index"))
    db.session.commit()
    flash(f"The {term.name} survey is open; teachers and mentors have been told.", "success")
    return redirect(url_for("surveys.results", survey_id=survey.id))


@bp.post("/<int:survey_id>/close")
@advisor_required
def close(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.close_survey(survey, utcnow())
    except services.SurveyError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(f"The {survey.term.name} survey is closed.", "success")
    return redirect(url_for("surveys.results", survey_id=survey.id))


@bp.get("/<int:survey_id>")
@advisor_required
def results(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    return render_template(
        "surveys/results.html",
        survey=survey,
        results=services.results(survey),
        responses=services.responses(survey),
        pick=PickQuoteForm(),
        confirm=ConfirmForm(),
    )


@bp.post("/<int:survey_id>/responses/<int:response_id>/pick")
@advisor_required
def pick(survey_id: int, response_id: int):
    response = db.get_or_404(SurveyResponse, response_id)
    if response.survey_id != survey_id:
        abort(404)
    form = PickQuoteForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.pick_quote(response, form.field.data or None)
    except services.SurveyError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(
            "Quote picked for the board report." if form.field.data else "Quote removed.", "success"
        )
    return redirect(url_for("surveys.results", survey_id=survey_id, _anchor=f"r{response.id}"))


def _answer_form():
    return TeacherAnswersForm() if current_user.is_teacher else MentorAnswersForm()


@bp.route("/answer", methods=["GET", "POST"])
@role_required(Role.TEACHER, Role.MENTOR)
def answer():
    """The newest open survey's form; once answered (or once closed), a page that says so."""
    user = current_user._get_current_object()
    survey = db.session.scalar(
        db.select(Survey).where(Survey.closed_at.is_(None)).order_by(Survey.opened_at.desc())
    )
    if survey is None:
        return render_template("surveys/closed.html"), 404
    earlier = services.response_of(survey, user)
    if earlier is not None:
        return render_template("surveys/thanks.html", survey=survey, response=earlier)
    form = _answer_form()
    if form.validate_on_submit():
        extra = {}
        if user.is_teacher:
            extra = {
                "confidence_before": form.confidence_before.data,
                "confidence_after": form.confidence_after.data,
            }
        try:
            services.submit_response(
                survey, user, form.answers(), QuoteChoice(form.quote.data), utcnow(), **extra
            )
        except services.SurveyError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return redirect(url_for("surveys.answer"))
        db.session.commit()
        flash("Thank you: your answers are in.", "success")
        return redirect(url_for("surveys.answer"))
    return render_template("surveys/answer.html", survey=survey, form=form)
