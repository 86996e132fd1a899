"""The access log: what is written, when, from which address; the page, its filters, the CSV."""

import csv
import io
import logging
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError

from helpdesk import create_app
from helpdesk.access_log import web
from helpdesk.access_log.models import AccessAction, AccessLogEntry
from helpdesk.access_log.services import record_access
from helpdesk.accounts.models import Role
from helpdesk.extensions import db as _db
from helpdesk.extensions import limiter
from tests.conftest import PASSWORD, FormClient

HEADER = "email,name,role,school,grade\n"


def _entries(**where) -> list[AccessLogEntry]:
    statement = _db.select(AccessLogEntry).order_by(AccessLogEntry.id)
    for column, value in where.items():
        statement = statement.where(getattr(AccessLogEntry, column) == value)
    return list(_db.session.scalars(statement))


def _actions() -> list[str]:
    return [e.action for e in _entries()]


def test_opening_a_students_profile_notes_who_when_and_from_where(
    client, login_as, make_user, clock
):
    mentor = make_user(Role.MENTOR)
    advisor = login_as(Role.ADVISOR)
    client.environ_base["REMOTE_ADDR"] = "198.51.100.23"
    assert client.get(f"/mentors/{mentor.id}").status_code == 200
    [entry] = _entries(action="profile.viewed")
    assert (entry.actor_id, entry.subject_id, entry.ip_address) == (
        advisor.id,
        mentor.id,
        "198.51.100.23",
    )
    assert entry.at == clock.now


def test_teachers_opening_a_profile_are_noted_but_a_mentor_reading_their_own_is_not(
    client, login_as, make_user
):
    mentor = login_as(Role.MENTOR)
    assert client.get(f"/mentors/{mentor.id}").status_code == 200
    assert _entries() == []
    client.post_form("/logout")
    teacher = login_as(Role.TEACHER)
    assert client.get(f"/mentors/{mentor.id}").status_code == 200
    assert [(e.actor_id, e.subject_id) for e in _entries()] == [(teacher.id, mentor.id)]


def test_a_page_that_shows_nothing_notes_nothing(client, login_as, make_user):
    teacher = make_user(Role.TEACHER)
    login_as(Role.ADVISOR)
    assert client.get(f"/mentors/{teacher.id}").status_code == 404  # not a mentor
    assert client.get("/mentors/987654").status_code == 404
    assert _entries() == []


def test_a_failed_log_write_costs_nobody_the_page(client, login_as, make_user, monkeypatch, caplog):
    mentor = make_user(Role.MENTOR)
    login_as(Role.ADVISOR)

    def locked(*_args, **_kwargs):
        raise OperationalError("INSERT INTO access_log_entry", {}, Exception("database is locked"))

    monkeypatch.setattr(web, "record_access", locked)
    with caplog.at_level(logging.ERROR):
        response = client.get(f"/mentors/{mentor.id}")
    assert response.status_code == 200
    assert mentor.display_name in response.get_data(as_text=True)
    assert "access log entry not written: profile.viewed" in caplog.text
    assert _entries() == []


def test_the_people_list_notes_it_showed_email_addresses(client, login_as, make_user):
    make_user(Role.MENTOR, full_name="Maya Chen")
    make_user(Role.TEACHER)
    login_as(Role.ADVISOR)
    client.get("/people/")
    [entry] = _entries(action="contacts.listed")
    assert entry.detail == "people: 3, students: 1"
    assert "Maya" not in entry.detail


def test_deactivating_and_reactivating_are_noted_with_the_change(client, login_as, make_user):
    mentor = make_user(Role.MENTOR)
    advisor = login_as(Role.ADVISOR)
    client.post_form(f"/people/{mentor.id}/deactivate", {"confirmed": "yes"})
    client.post_form(f"/people/{mentor.id}/reactivate")
    changes = [e for e in _entries() if e.action != "contacts.listed"]  # CSRF tokens: People page
    assert [(e.action, e.actor_id, e.subject_id) for e in changes] == [
        ("person.deactivated", advisor.id, mentor.id),
        ("person.reactivated", advisor.id, mentor.id),
    ]


def test_a_change_that_is_refused_leaves_no_entry(client, login_as):
    advisor = login_as(Role.ADVISOR)
    client.post_form(f"/people/{advisor.id}/deactivate", {"confirmed": "yes"})
    assert "person.deactivated" not in _actions()


def test_an_import_is_noted_once_and_a_refused_import_not_at_all(client, login_as, make_school):
    make_school("Lincoln High School")
    login_as(Role.ADVISOR)
    good = HEADER + "ana.diaz@school.example.org,Ana Diaz,mentor,Lincoln High School,10\n"
    bad = HEADER + "not-an-email,Bad Row,mentor,Nowhere,10\n"
    for data in (bad, good):
        client.post_form(
            "/people/import",
            {"file": (io.BytesIO(data.encode()), "people.csv")},
            content_type="multipart/form-data",
        )
    [entry] = _entries(action="people.imported")
    assert entry.detail == "created: 1, already present: 0"


def test_an_invitation_is_noted_without_the_name(client, login_as, make_school):
    school = make_school()
    login_as(Role.ADVISOR)
    client.post_form(
        "/people/invite",
        {
            "email": "new.mentor@school.example.org",
            "full_name": "Quinn Newcomer",
            "role": "mentor",
            "school_id": school.id,
            "grade": 9,
        },
    )
    [entry] = _entries(action="person.invited")
    assert entry.subject_id is not None
    assert "Quinn" not in entry.detail and "new.mentor" not in entry.detail


def test_opening_the_help_desk_report_is_noted(client, login_as):
    login_as(Role.ADVISOR)
    assert client.get("/requests/report").status_code == 200
    assert _actions() == ["report.viewed"]


def test_the_database_refuses_to_change_or_delete_an_entry(db):
    record_access(AccessAction.RECORD_VIEWED, actor_id=1, subject_id=2)
    db.session.commit()
    for statement in (
        "UPDATE access_log_entry SET detail = 'edited'",
        "DELETE FROM access_log_entry",
    ):
        with pytest.raises(Exception, match="append-only"):
            db.session.execute(_db.text(statement))
        db.session.rollback()
    assert [e.detail for e in _entries()] == [""]


def test_detail_is_one_short_line(db):
    entry = record_access(AccessAction.LOG_EXPORTED, actor_id=1, detail="a\r\nb\t" + "x" * 500)
    assert entry.detail.startswith("a b x") and len(entry.detail) == 200


@pytest.fixture
def restore_limiter(app, db):
    yield
    limiter.init_app(app)
    limiter._storage_dead = False


@pytest.fixture
def proxied(app, db, restore_limiter):
    """Another app on the same database, behind one proxy that sets X-Forwarded-For."""
    other = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "PROXY_COUNT": 1,
        }
    )
    other.test_client_class = FormClient
    yield other.test_client()
    with other.app_context():
        _db.engine.dispose()


def test_behind_the_proxy_the_clients_forwarded_address_is_noted(proxied: FlaskClient, make_user):
    mentor = make_user(Role.MENTOR)
    advisor = make_user(Role.ADVISOR)
    proxied.post_form("/login", {"email": advisor.email, "password": PASSWORD}, page="/login")
    forwarded = {"X-Forwarded-For": "203.0.113.9"}
    assert proxied.get(f"/mentors/{mentor.id}", headers=forwarded).status_code == 200
    _db.session.commit()
    assert [e.ip_address for e in _entries(action="profile.viewed")] == ["203.0.113.9"]


# The advisor's page --------------------------------------------------------------------------


@pytest.fixture
def history(db, make_user, clock):
    """Entries over three days by two advisors about two people."""
    advisor = make_user(Role.ADVISOR, full_name="Ada Advisor")
    other = make_user(Role.ADVISOR, full_name="Otto Other")
    maya = make_user(Role.MENTOR, full_name="Maya Chen")
    leo = make_user(Role.MENTOR, full_name="Leo Martins")
    start = clock.now
    rows = [
        (advisor, AccessAction.RECORD_VIEWED, maya, 0),
        (advisor, AccessAction.RECORD_EXPORTED, maya, 1),
        (other, AccessAction.PROFILE_VIEWED, leo, 1),
        (other, AccessAction.DEACTIVATED, maya, 2),
    ]
    for actor, action, subject, day in rows:
        record_access(
            action,
            actor_id=actor.id,
            subject_id=subject.id,
            ip_address="192.0.2.1",
            at=start + timedelta(days=day),
        )
    db.session.commit()
    return {"advisor": advisor, "other": other, "maya": maya, "leo": leo, "start": start}


def _rows_shown(html: str) -> int:
    return html.count('<td data-label="What">')


def test_the_log_page_lists_newest_first_and_filters(client, login, history):
    login(history["advisor"])
    html = client.get("/access-log/").get_data(as_text=True)
    assert _rows_shown(html) == 4
    body = html[html.index("<tbody>") :]
    assert body.index("Deactivated the person") < body.index("Opened the person&#39;s record")
    assert "192.0.2.1" in html

    def shown(**args) -> int:
        response = client.get("/access-log/", query_string=args)
        assert response.status_code == 200
        return _rows_shown(response.get_data(as_text=True))

    assert shown(person="maya") == 3
    assert shown(person="MAYA CHEN") == 3
    assert shown(person_id=history["leo"].id) == 1
    assert shown(done_by="otto") == 2
    assert shown(action="record.exported") == 1
    assert shown(start_on="2026-11-03", end_on="2026-11-03") == 2  # school days, New York
    assert shown(start_on="2026-11-04") == 1
    assert shown(person="nobody-like-this") == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            {"start_on": "2026-11-05", "end_on": "2026-11-01"},
            "The end date is before the start date.",
        ),
        ({"start_on": "yesterday"}, "Not a valid date value."),
        ({"action": "drop.tables"}, "Not a valid choice."),
        ({"person_id": "99999999999999"}, "That link names no person."),
        ({"person": "x" * 101}, "Field cannot be longer than 100 characters."),
    ],
)
def test_bad_filters_get_a_message_and_no_rows(client, login, history, args, message):
    login(history["advisor"])
    response = client.get("/access-log/", query_string=args)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html
    assert _rows_shown(html) == 0
    assert client.get("/access-log/export.csv", query_string=args).status_code == 400


def test_the_log_pages_fifty_at_a_time(client, login, history, db, clock):
    for _ in range(60):
        record_access(AccessAction.REPORT_VIEWED, actor_id=history["advisor"].id, at=clock.now)
    db.session.commit()
    login(history["advisor"])
    first = client.get("/access-log/").get_data(as_text=True)
    assert _rows_shown(first) == 50 and "page 1 of 2" in first
    second = client.get("/access-log/?page=2").get_data(as_text=True)
    assert _rows_shown(second) == 14
    assert _rows_shown(client.get("/access-log/?page=99").get_data(as_text=True)) == 14
    assert client.get("/access-log/?page=-3").status_code == 200


def test_the_csv_export_follows_the_filters_is_safe_in_a_spreadsheet_and_is_noted(
    client, login, history, db, make_user, clock
):
    sly = make_user(Role.MENTOR, full_name="=cmd|' /C calc'!A0")
    record_access(AccessAction.RECORD_VIEWED, actor_id=history["advisor"].id, subject_id=sly.id)
    db.session.commit()
    login(history["advisor"])
    response = client.get("/access-log/export.csv?person=maya")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert len(rows) == 3
    assert {r["About"] for r in rows} == {"Maya Chen"}
    assert rows[0]["When (UTC)"] == "2026-11-04T14:00:00Z"

    everything = client.get("/access-log/export.csv").get_data().decode("utf-8-sig")
    assert "'=cmd|" in everything and ",=cmd" not in everything

    noted = _entries(action="log.exported")
    assert [e.detail for e in noted] == ["3 entries, filtered by person", "6 entries"]
    assert noted[0].actor_id == history["advisor"].id


@pytest.mark.parametrize("role", [Role.MENTOR, Role.TEACHER, Role.STAFF])
def test_only_the_advisor_reads_the_log(client, login_as, role, history):
    login_as(role)
    assert client.get("/access-log/").status_code == 403
    assert client.get("/access-log/export.csv").status_code == 403


def test_the_log_page_reads_a_bounded_number_of_queries(client, login, history, db, count_queries):
    for _ in range(40):
        record_access(
            AccessAction.PROFILE_VIEWED, actor_id=history["other"].id, subject_id=history["leo"].id
        )
    db.session.commit()
    login(history["advisor"])
    with count_queries() as statements:
        assert client.get("/access-log/").status_code == 200
    assert len(statements) <= 8, "\n".join(statements)


def test_many_people_opening_a_profile_at_once_all_get_the_page_and_all_are_noted(
    app, client, login, make_user, db
):
    """Log writes race each other after every page: each waits its turn, none is lost."""
    import threading

    mentor_id = make_user(Role.MENTOR).id
    readers = []
    for _ in range(8):
        reader = app.test_client()
        teacher = make_user(Role.TEACHER)
        reader.post_form("/login", {"email": teacher.email, "password": PASSWORD}, page="/login")
        readers.append(reader)
    db.session.commit()  # the test's own session holds no lock
    barrier = threading.Barrier(len(readers))
    statuses: list[int] = []

    def read(reader) -> None:
        with app.app_context():
            barrier.wait()
            statuses.append(reader.get(f"/mentors/{mentor_id}").status_code)

    threads = [threading.Thread(target=read, args=(r,)) for r in readers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [200] * len(readers)
    db.session.expire_all()
    assert len(_entries(action="profile.viewed", subject_id=mentor_id)) == len(readers)


def test_an_import_at_the_command_line_is_noted_without_an_account(app, make_school, tmp_path):
    make_school("Lincoln High School")
    people = tmp_path / "people.csv"
    people.write_text(
        HEADER + "ana.diaz@school.example.org,Ana Diaz,mentor,Lincoln High School,10\n"
    )
    result = app.test_cli_runner().invoke(args=["import-users", str(people)])
    assert result.exit_code == 0, result.output
    _db.session.expire_all()
    [entry] = _entries(action="people.imported")
    assert (entry.actor_id, entry.ip_address, entry.detail) == (
        None,
        "",
        "created: 1, already present: 0",
    )


def test_the_advisor_opening_a_session_or_help_request_with_a_student_is_noted(
    client, login_as, make_user, db, clock
):
    from helpdesk.bookings.models import Booking, BookingFormat
    from helpdesk.requests.models import HelpRequest, RequestStatus
    from helpdesk.skills.models import Skill

    mentor = make_user(Role.MENTOR)
    teacher = make_user(Role.TEACHER)
    skill = Skill(name="Slides")
    db.session.add(skill)
    db.session.flush()
    booking = Booking(
        mentor_id=mentor.id,
        teacher_id=teacher.id,
        skill_id=skill.id,
        starts_at=clock.now + timedelta(days=2),
        ends_at=clock.now + timedelta(days=2, minutes=30),
        topic="Speaker notes",
        learning_goal="Present with notes",
        format=BookingFormat.ONLINE,
    )
    asked = HelpRequest(
        requester_id=teacher.id,
        mentor_id=mentor.id,
        skill_id=skill.id,
        status=RequestStatus.CLAIMED,
        summary="Projector",
    )
    db.session.add_all([booking, asked])
    db.session.commit()

    # The people in them are not noted: it is their own session and request.
    client.post_form("/login", {"email": teacher.email, "password": PASSWORD}, page="/login")
    assert client.get(f"/sessions/{booking.id}").status_code == 200
    assert client.get(f"/requests/{asked.id}").status_code == 200
    assert _entries() == []
    client.post_form("/logout")

    advisor = login_as(Role.ADVISOR)
    assert client.get(f"/sessions/{booking.id}").status_code == 200
    assert client.get(f"/requests/{asked.id}").status_code == 200
    assert [(e.action, e.actor_id, e.subject_id, e.detail) for e in _entries()] == [
        ("session.viewed", advisor.id, mentor.id, f"session {booking.id}"),
        ("request.viewed", advisor.id, mentor.id, f"help request {asked.id}"),
    ]
