"""End-of-term survey: the advisor opens and closes it; one response per person (even raced);
anonymous unless a quote is allowed; a closed survey refuses; students' text is checked."""

import threading

import pytest
from flask.testing import FlaskClient
from sqlalchemy.exc import IntegrityError

from helpdesk.accounts.models import Role
from helpdesk.dashboard.models import Term
from helpdesk.extensions import db as _db
from helpdesk.notifications.models import Notification
from helpdesk.surveys import services
from helpdesk.surveys.models import QuoteChoice, Survey, SurveyResponse
from tests.conftest import CSRF_PATTERN, PASSWORD


@pytest.fixture
def people(db, make_user, make_school):
    school = make_school()
    term = Term(
        name="Fall 2026",
        starts_on=__import__("datetime").date(2026, 9, 1),
        ends_on=__import__("datetime").date(2026, 12, 18),
    )  # noqa: E501
    db.session.add(term)
    db.session.commit()
    return {
        "term": term,
        "advisor": make_user(Role.ADVISOR, school=school),
        "teacher": make_user(Role.TEACHER, school=school, full_name="Helen Park"),
        "mentor": make_user(Role.MENTOR, school=school, full_name="Maya Chenowethson"),
        "staff": make_user(Role.STAFF, school=school),
        "gone": make_user(Role.TEACHER, school=school, is_active=False),
    }


TEACHER_FORM = {
    "thoughts": "Patient, clear students.",
    "learned": "Class pages.",
    "confidence_before": "2",
    "confidence_after": "4",
    "quote": "named",
}


def _open(client, login, people):
    login(people["advisor"])
    response = client.post_form("/surveys/open", {"term": people["term"].id}, page="/surveys/")
    assert response.status_code == 302
    client.post_form("/logout", {})
    return _db.session.scalar(_db.select(Survey))


def test_opening_tells_active_teachers_and_mentors_and_shows_the_home_card(
    client, login, people, db
):
    survey = _open(client, login, people)
    assert survey.is_open
    told = set(db.session.scalars(db.select(Notification.user_id)))
    assert told == {people["teacher"].id, people["mentor"].id}
    login(people["teacher"])
    assert "Tell us how the term went" in client.get("/").get_data(as_text=True)


def test_a_term_has_one_survey(client, login, people, db):
    _open(client, login, people)
    login(people["advisor"])
    response = client.post_form(
        "/surveys/open", {"term": people["term"].id}, page="/surveys/", follow_redirects=True
    )
    assert db.session.scalar(db.select(db.func.count(Survey.id))) == 1
    assert "already been opened" in response.get_data(as_text=True) or response.status_code == 200


def test_a_teacher_answers_once_and_a_second_submit_changes_nothing(client, login, people, db):
    _open(client, login, people)
    login(people["teacher"])
    assert (
        client.post_form("/surveys/answer", TEACHER_FORM, page="/surveys/answer").status_code == 302
    )
    page = client.get("/surveys/answer").get_data(as_text=True)
    assert "Your answers to the Fall 2026 survey are in" in page
    assert "Tell us how the term went" not in client.get("/").get_data(as_text=True)
    survey = db.session.scalar(db.select(Survey))
    again, created = services.submit_response(
        survey, people["teacher"], {"thoughts": "Changed my mind"}, QuoteChoice.NO, survey.opened_at
    )
    assert not created and again.thoughts == "Patient, clear students."
    assert db.session.scalar(db.select(db.func.count(SurveyResponse.id))) == 1
    assert (again.confidence_before, again.confidence_after, again.quote) == (
        2,
        4,
        QuoteChoice.NAMED,
    )


def test_the_database_refuses_a_second_response(db, people):
    survey = Survey(term_id=people["term"].id)
    db.session.add(survey)
    db.session.flush()
    for _ in range(2):
        db.session.add(
            SurveyResponse(survey_id=survey.id, respondent_id=people["teacher"].id, side="teacher")
        )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_picked_quote_needs_consent_in_the_database(db, people):
    survey = Survey(term_id=people["term"].id)
    db.session.add(survey)
    db.session.flush()
    db.session.add(
        SurveyResponse(
            survey_id=survey.id,
            respondent_id=people["teacher"].id,
            side="teacher",
            thoughts="x",
            quote=QuoteChoice.NO,
            picked="thoughts",
        )  # fmt: skip
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_bad_input_is_refused_with_a_message_and_nothing_saved(client, login, people, db):
    _open(client, login, people)
    login(people["teacher"])
    response = client.post_form("/surveys/answer", {"quote": "no"}, page="/surveys/answer")
    assert "Choose how confident you were before." in response.get_data(as_text=True)
    empty = {**TEACHER_FORM, "thoughts": " ", "learned": ""}
    response = client.post_form("/surveys/answer", empty, page="/surveys/answer")
    assert response.status_code == 200
    assert "Answer at least one question." in response.get_data(as_text=True)
    bad = {**TEACHER_FORM, "confidence_after": "9"}
    assert client.post_form("/surveys/answer", bad, page="/surveys/answer").status_code == 200
    assert db.session.scalar(db.select(db.func.count(SurveyResponse.id))) == 0


def test_a_student_answer_with_contact_details_is_refused(client, login, people, db):
    _open(client, login, people)
    login(people["mentor"])
    response = client.post_form(
        "/surveys/answer",
        {"proud": "Text me on 555-123-4567 any time", "quote": "no"},
        page="/surveys/answer",
    )
    assert response.status_code == 200
    assert "phone" in response.get_data(as_text=True).lower()
    assert db.session.scalar(db.select(db.func.count(SurveyResponse.id))) == 0


def test_a_closed_survey_refuses_answers(client, login, people, db):
    survey = _open(client, login, people)
    login(people["advisor"])
    client.post_form(f"/surveys/{survey.id}/close", {}, page=f"/surveys/{survey.id}")
    client.post_form("/logout", {})
    db.session.refresh(survey)
    assert not survey.is_open
    login(people["teacher"])
    response = client.post_form("/surveys/answer", TEACHER_FORM, page="/")
    assert response.status_code == 404 and "No survey is open" in response.get_data(as_text=True)
    with pytest.raises(services.SurveyError, match="closed"):
        services.submit_response(
            survey, people["teacher"], {"thoughts": "x"}, QuoteChoice.NO, survey.opened_at
        )
    assert db.session.scalar(db.select(db.func.count(SurveyResponse.id))) == 0


@pytest.mark.parametrize("who", ["staff", "advisor"])
def test_only_teachers_and_mentors_answer(client, login, people, who):
    _open(client, login, people)
    login(people[who])
    assert client.get("/surveys/answer").status_code == 403


@pytest.mark.parametrize("who", ["teacher", "mentor", "staff"])
def test_only_the_advisor_reads_answers_and_picks_quotes(client, login, people, who):
    survey = _open(client, login, people)
    login(people[who])
    assert client.get(f"/surveys/{survey.id}").status_code == 403
    assert client.post_form(f"/surveys/{survey.id}/close", {}, page="/").status_code == 403


def test_answers_are_anonymous_unless_a_quote_is_allowed(client, login, people, db):
    survey = _open(client, login, people)
    login(people["teacher"])
    client.post_form("/surveys/answer", {**TEACHER_FORM, "quote": "no"}, page="/surveys/answer")
    client.post_form("/logout", {})
    login(people["mentor"])
    client.post_form(
        "/surveys/answer", {"proud": "My first tip.", "quote": "named"}, page="/surveys/answer"
    )
    client.post_form("/logout", {})
    login(people["advisor"])
    html = client.get(f"/surveys/{survey.id}").get_data(as_text=True)
    assert "Patient, clear students." in html and "Anonymous teacher" in html
    assert "Helen Park" not in html
    assert "Maya, student mentor" in html and "Chenowethson" not in html
    teacher_response, mentor_response = db.session.scalars(
        db.select(SurveyResponse).order_by(SurveyResponse.side.desc())
    ).all()
    with pytest.raises(services.SurveyError, match="did not allow"):
        services.pick_quote(teacher_response, "thoughts")
    response = client.post_form(
        f"/surveys/{survey.id}/responses/{mentor_response.id}/pick",
        {"field": "proud"},
        page=f"/surveys/{survey.id}",
    )
    assert response.status_code == 302
    quotes = services.picked_quotes(survey)
    assert [(q.text, q.attribution) for q in quotes] == [("My first tip.", "Maya, student mentor")]
    results = services.results(survey)
    assert (
        results.teachers,
        results.mentors,
        results.confidence_before,
        results.confidence_after,
    ) == (1, 1, 2.0, 4.0)
    assert results.more_confident == 1 and results.quotable == 1


def test_a_response_of_another_survey_is_404(client, login, people, db):
    survey = _open(client, login, people)
    login(people["advisor"])
    assert (
        client.post_form(
            f"/surveys/{survey.id + 1}/responses/1/pick", {"field": ""}, page="/"
        ).status_code
        == 404
    )


def test_an_unnamed_student_quote_says_a_student_mentor(db, people):
    survey = Survey(term_id=people["term"].id)
    db.session.add(survey)
    db.session.flush()
    response = SurveyResponse(
        survey_id=survey.id,
        respondent_id=people["mentor"].id,
        side="mentor",
        quote=QuoteChoice.UNNAMED,
    )  # noqa: E501
    db.session.add(response)
    db.session.flush()
    assert response.attribution == "A student mentor"


def _signed_in(app, email):
    _db.session.commit()  # the test's own session must not hold SQLite's write lock
    client = FlaskClient(app, app.response_class, use_cookies=True)
    with app.app_context():
        token = CSRF_PATTERN.search(client.get("/login").get_data(as_text=True)).group(1)
    with app.app_context():
        answer = client.post(
            "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
        )
        assert answer.status_code == 302, answer.get_data(as_text=True)[-3000:]
    with app.app_context():
        page = client.get("/surveys/answer")
        assert page.status_code == 200, page.status_code
        token = CSRF_PATTERN.search(page.get_data(as_text=True)).group(1)
    return client, token


def test_a_double_submit_raced_in_threads_makes_one_response(app, client, login, people, db):
    _open(client, login, people)
    email = people["teacher"].email
    clients = [_signed_in(app, email) for _ in range(6)]
    barrier = threading.Barrier(len(clients))
    codes = []

    def run(c, token):
        barrier.wait()
        with app.app_context():
            codes.append(
                c.post("/surveys/answer", data={**TEACHER_FORM, "csrf_token": token}).status_code
            )

    threads = [threading.Thread(target=run, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    db.session.commit()
    assert len(codes) == 6 and all(code in (200, 302) for code in codes), codes
    assert db.session.scalar(db.select(db.func.count(SurveyResponse.id))) == 1
