"""The dashboard and board report: advisor only, accessible charts, a fixed query budget, and a
PDF with the headlines and quotes but no student's last name."""

import io
import re

import pytest
from pypdf import PdfReader

from helpdesk.accounts.models import Role
from helpdesk.bookings.models import Booking, BookingFormat, BookingStatus
from helpdesk.dashboard.models import Term
from helpdesk.surveys.models import QuoteChoice, Survey, SurveyResponse
from tests.dashboard.conftest import at

PAGES = ["/dashboard/", "/dashboard/report", "/dashboard/report.pdf", "/surveys/"]


@pytest.mark.parametrize("role", [Role.TEACHER, Role.MENTOR, Role.STAFF])
@pytest.mark.parametrize("path", PAGES)
def test_only_the_advisor_may_open_them(client, login_as, role, path):
    login_as(role)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def _page(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_every_chart_is_an_accessible_svg_with_a_table(client, login, district):
    login(district.advisor)
    html = _page(client, f"/dashboard/?term={district.term.id}")
    sections = re.findall(r'<section class="chart".*?</section>', html, re.S)
    assert len(sections) == 7
    for section in sections:
        svg = re.search(r"<svg ([^>]*)>(.*?)</svg>", section, re.S)
        assert 'role="img"' in svg.group(1) and 'viewBox="0 0 640 ' in svg.group(1)
        assert 'width="100%"' in svg.group(1)
        title = re.search(r'<title id="([^"]+)">([^<]+)</title>', svg.group(2))
        desc = re.search(r'<desc id="([^"]+)">([^<]+)</desc>', svg.group(2))
        assert title and desc and title.group(1) in svg.group(1) and desc.group(1) in svg.group(1)
        assert re.search(
            r"<details[^>]*>.*<table[^>]*>.*<caption>.*<th scope=\"row\">", section, re.S
        )
    # The summaries carry the key figures.
    assert "7 sessions over 2 weeks: 4 completed, 1 no-show, 1 cancelled, 1 declined." in html
    assert "the median time to resolve was 2.5 school hours (4 resolved)" in html
    assert "the median is 2." in html


def test_the_school_filter_narrows_every_figure(client, login, district):
    login(district.advisor)
    html = _page(client, f"/dashboard/?term={district.term.id}&school={district.lincoln.id}")
    assert "the median time to resolve was 3 school hours (3 resolved)" in html
    assert "Maple Elementary School: " not in html


def test_a_bad_filter_falls_back_instead_of_failing(client, login, district):
    login(district.advisor)
    assert client.get("/dashboard/?term=abc&school=-1").status_code == 200
    assert client.get("/dashboard/?term=999999").status_code == 200


def _sessions(db, district, count):
    for n in range(count):
        start = at(2 + n % 10, 8 + n // 10 % 7, (n // 70) * 5)
        db.session.add(
            Booking(
                mentor_id=district.zoe.id, teacher_id=district.idle_teacher.id,
                skill_id=district.ipad.id, starts_at=start, ends_at=start.replace(minute=start.minute + 4),
                status=BookingStatus.COMPLETED, topic="T", learning_goal="G",
                format=BookingFormat.ONLINE, meeting_url="https://meet.example.org/x",
            )
        )  # fmt: skip
    db.session.commit()


def test_the_dashboard_has_a_fixed_query_budget(client, login, district, count_queries, db):
    login(district.advisor)
    path = f"/dashboard/?term={district.term.id}"
    _page(client, path)  # the school calendars are cached after the first page
    with count_queries() as few:
        _page(client, path)
    _sessions(db, district, 60)
    with count_queries() as many:
        _page(client, path)
    assert len(many) == len(few)
    assert len(few) <= 24, few


def test_adding_a_term_and_refusing_a_bad_one(client, login, district, db):
    login(district.advisor)
    response = client.post_form(
        "/dashboard/terms",
        {"name": "Winter 2027", "starts_on": "2027-01-04", "ends_on": "2027-03-26"},
    )
    assert response.status_code == 302
    assert db.session.scalar(db.select(Term).where(Term.name == "Winter 2027")) is not None
    before = db.session.scalar(db.select(db.func.count(Term.id)))
    response = client.post_form(
        "/dashboard/terms",
        {"name": "Backwards", "starts_on": "2027-05-01", "ends_on": "2027-04-01"},
        follow_redirects=True,
    )
    assert "A term must end on or after the day it starts." in response.get_data(as_text=True)
    response = client.post_form(
        "/dashboard/terms",
        {"name": "fall 2026", "starts_on": "2027-05-01", "ends_on": "2027-06-01"},
        follow_redirects=True,
    )
    assert "There is already a term called" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Term.id))) == before


def test_a_post_without_csrf_is_refused(client, login, district):
    login(district.advisor)
    response = client.post(
        "/dashboard/terms", data={"name": "X", "starts_on": "2027-01-04", "ends_on": "2027-01-05"}
    )
    assert response.status_code == 400


@pytest.fixture
def survey(db, district):
    survey = Survey(term_id=district.term.id, opened_at=at(13, 9), closed_at=at(14, 9))
    db.session.add(survey)
    db.session.flush()
    db.session.add_all(
        [
            SurveyResponse(
                survey_id=survey.id, respondent_id=district.teacher.id, side="teacher",
                thoughts="The students were patient and clear.", quote=QuoteChoice.NAMED,
                picked="thoughts", confidence_before=2, confidence_after=4,
            ),
            SurveyResponse(
                survey_id=survey.id, respondent_id=district.maya.id, side="mentor",
                proud="Teaching my teacher to mirror her screen.", quote=QuoteChoice.NAMED,
                picked="proud",
            ),
            SurveyResponse(
                survey_id=survey.id, respondent_id=district.leo.id, side="mentor",
                learned="A secret nobody should print.", quote=QuoteChoice.NO,
            ),
        ]
    )  # fmt: skip
    db.session.commit()
    return survey


def test_the_board_report_pdf_has_headlines_and_quotes_but_no_student_last_name(
    client, login, district, survey
):
    login(district.advisor)
    response = client.get(f"/dashboard/report.pdf?term={district.term.id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert 'filename="board-report-fall-2026.pdf"' in response.headers["Content-Disposition"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    for line in (
        "Teachers served 3",
        "Sessions held 4",
        "Hours given 3.6",
        "Help requests solved 5",
        "Tips published 3",
    ):
        assert line in text
    assert "change since Spring 2026" in text and "+4" in text  # 4 sessions against none
    assert "The students were patient and clear." in text and "Helen Park, teacher" in text
    assert "Teaching my teacher to mirror her screen." in text and "Maya, student mentor" in text
    assert "A secret nobody should print." not in text  # not allowed, not picked
    assert "Maya C." in text  # the load chart: first name and last initial
    for student in (district.maya, district.leo, district.zoe):
        assert student.full_name.split()[-1] not in text


def test_the_board_report_page_prints_the_same(client, login, district, survey):
    login(district.advisor)
    html = _page(client, f"/dashboard/report?term={district.term.id}")
    assert "Teaching my teacher to mirror her screen." in html and "Maya, student mentor" in html
    assert "A secret nobody should print." not in html
    assert "Change since Spring 2026" in html
    for student in (district.maya, district.leo, district.zoe):
        assert student.full_name.split()[-1] not in html
